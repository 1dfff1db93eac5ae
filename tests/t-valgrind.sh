#!/usr/bin/env bash
# tests/t-valgrind.sh: the binary under valgrind on a successful ceremony and on failures:
# no invalid access, nothing definitely or indirectly lost.  (SoftHSM and libstdc++ keep
# about 83 KB reachable after C_Finalize; reachable memory is not an error.)
source "$(dirname "$0")/lib.sh"

if ldd "$CEREMONY" | grep -q libasan; then
	echo "skip - valgrind does not run sanitizer builds"
	done_tests; exit
fi
VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --error-exitcode=99)

# vg NAME WANT_STATUS ARGS...
vg() {
	local name=$1 want=$2 rc; shift 2
	local args=("$@")	# the scripts plan their ceremony for 2026-12-01: rehearse it (--at)
	case ${1:-} in run|check) args=("$1" --at "$PLANNED_AT" "${@:2}") ;; --config) args+=(--at "$PLANNED_AT") ;; esac
	"${VG[@]}" "$CEREMONY" "${args[@]}" >vg.out 2>&1; rc=$?
	if [ "$rc" = "$want" ] && ! grep -q '^==[0-9]*==' vg.out; then pass "valgrind: $name"
	else fail "valgrind: $name (exit $rc, wanted $want)" "$(cat vg.out)"; fi
}

new_softhsm
init_token demo-root >/dev/null
mkdir -p "$WORK/vg/out" && cd "$WORK/vg"
cp "$TOP/ceremonies/root-p384.yaml" .
export CEREMONY_PIN=$PIN
vg "check" 0 check root-p384.yaml
vg "the example ceremony" 0 run --yes root-p384.yaml
vg "transcript verify --outputs" 0 transcript verify --outputs root-p384.transcript.jsonl
vg "transcript show --html" 0 transcript show --html root-p384.transcript.jsonl
sed '3s/"seq":2/"seq":9/' root-p384.transcript.jsonl > broken.jsonl
vg "transcript verify, a broken line" 1 transcript verify broken.jsonl
vg "outputs exist" 2 run --yes --transcript again.jsonl root-p384.yaml
rm -rf out/* root-p384.transcript.jsonl
CEREMONY_PIN=wrong-pin vg "a wrong PIN" 1 run --yes root-p384.yaml
sed 's/common-name:/comon-name:/' root-p384.yaml > typo.yaml
vg "a script error" 2 run --yes typo.yaml
vg "a usage error" 2 run

# The signing steps: a whole hierarchy on two tokens (RSA-4096 keygen is slow under
# valgrind, so a P-256 root here), then a Boulder intermediate config signing by label.
new_softhsm
init_token demo-root >/dev/null
init_token demo-issuing >/dev/null
sed -e 's/{type: rsa, rsa-mod-length: 4096}/{type: ecdsa, ecdsa-curve: P-256}/' \
    -e 's/SHA384WithRSA/ECDSAWithSHA256/' "$TOP/ceremonies/hierarchy.yaml" > h.yaml
rm -rf out/* h.transcript.jsonl
CEREMONY_PIN=$PIN ISSUING_PIN=$PIN vg "the hierarchy (root, intermediate, OCSP responder)" 0 run --yes h.yaml
mkdir -p b/out && cd b && cp ../out/r1.cert.pem out/root-cert.pem && cp ../out/e1.pub.pem out/intermediate-signing-pub.pem
sed -e "s/pin: 1234/pin: env:CEREMONY_PIN/" -e 's/signing-key-slot: 0/token-label: demo-root/' \
    -e 's/root signing key/R1 signing key/' -e 's/ECDSAWithSHA384/ECDSAWithSHA256/' \
    "$TOP/ceremonies/boulder-intermediate.yaml" > int.yaml
vg "a Boulder intermediate config, the key found by label" 0 --config int.yaml --yes
sed -e "s/pin: 1234/pin: env:CEREMONY_PIN/" -e 's/signing-key-slot: 0/token-label: demo-root/' \
    -e 's/ECDSAWithSHA384/ECDSAWithSHA256/' -e 's/root signing key/no such key/' -e 's/intermediate-cert/other-cert/' \
    "$TOP/ceremonies/boulder-intermediate.yaml" > nokey.yaml
vg "a signing key that is not on the token" 1 --config nokey.yaml --yes

# --resume: a finished transcript cut back to just after the signature's confirmation
new_softhsm
init_token demo-root >/dev/null
mkdir -p "$WORK/vr/out" && cd "$WORK/vr"
cp "$TOP/ceremonies/root-p384.yaml" .
"$CEREMONY" run --yes --at "$PLANNED_AT" root-p384.yaml >/dev/null 2>&1
seq=$(jq -r 'select(.event=="confirmation" and .data.tbs_sha256 != null) | .seq' root-p384.transcript.jsonl)
head -n $((seq + 1)) root-p384.transcript.jsonl > cut.jsonl && rm out/r1.cert.pem
vg "--resume (the root signed again with the confirmed serial)" 0 run --yes --resume cut.jsonl root-p384.yaml
done_tests
