#!/usr/bin/env bash
# tests/t-rehearse.sh: ceremony rehearse.  The example hierarchy rehearses on throwaway
# tokens while a real SoftHSM token with the script's label sits beside it untouched, and
# writes nothing at the script's output paths; --keep leaves a transcript that verifies
# and a chain openssl accepts.  A Boulder root config whose module and slot do not exist
# here rehearses cleanly and leaves nothing at its (absolute) output paths.  A Boulder
# intermediate config, whose root key only the real token holds, rehearses with a
# stand-in key and then matches the real run.  Throwaway tokens go, also on failure.
source "$(dirname "$0")/lib.sh"

SCRIPT=$TOP/ceremonies/hierarchy.yaml
PLANNED=$(date -d '2026-12-02 12:00:00Z' +%s)
export TMPDIR=$WORK/tmp	# every temporary directory of the rehearsal lands here
mkdir -p "$TMPDIR"

# tokens_hash: every file of the current SoftHSM token directory, hashed
tokens_hash() { find "${SOFTHSM2_CONF%/*}/tokens" -type f -exec sha256sum {} + | sort; }
# no_leftovers NAME: nothing of the rehearsal is left in $TMPDIR
no_leftovers() {
	[ -z "$(ls -A "$TMPDIR")" ] && pass "$1: no throwaway token or temporary directory is left" ||
	    fail "$1: leftovers in TMPDIR" "$(ls -la "$TMPDIR")"
}

# ---- 1. the example hierarchy beside a real token that carries the script's label ----
new_softhsm
init_token demo-root >/dev/null
init_token demo-issuing >/dev/null
pkcs11-tool --module "$MODULE" --token-label demo-root --login --pin "$PIN" \
    --keypairgen --key-type EC:prime256v1 --label 'R1 signing key' >/dev/null 2>&1
objs=$(objects demo-root)	# (a login rewrites SoftHSM's token.object: hash after it)
before=$(tokens_hash)
mkdir -p "$WORK/real/out" && cd "$WORK/real"
if "$CEREMONY" rehearse --at "$PLANNED_AT" "$SCRIPT" >stdout 2>stderr; then
	pass "hierarchy: rehearses without PINs, on throwaway tokens"
else
	fail "hierarchy: rehearse" "$(cat stdout stderr)"
fi
after=$(tokens_hash)
[ "$after" = "$before" ] && [ "$(objects demo-root)" = "$objs" ] && [ "$(count_objects demo-issuing)" = 0 ] &&
    pass "hierarchy: the real tokens (one holding a key labelled as the script's) are unchanged" ||
    fail "hierarchy: a real token changed" "$(objects demo-root)"
[ -z "$(ls out)" ] && [ ! -e "$TOP/ceremonies/hierarchy.transcript.jsonl" ] &&
    [ ! -e hierarchy.transcript.jsonl ] &&
    pass "hierarchy: nothing at the script's output paths, no transcript beside it" ||
    fail "hierarchy: something was written" "$(ls out "$TOP/ceremonies")"
no_leftovers hierarchy
grep -q '^checked: transcript verify --outputs: 52 records, 3 keys, 3 certificates, 0 CSRs, 6 output files' stdout &&
    grep -q '^checked: chains (OpenSSL, X.509 strict): r1 (self-signed), e1 under its issuer, o1 under its issuer: verified$' stdout &&
    pass "hierarchy: the rehearsal checked its transcript, outputs and chains" ||
    fail "hierarchy: checks" "$(cat stdout)"
plan=$(sed -n '/^== what the real run will do$/,$p' stdout)
grep -q "^token root-hsm: module /usr/lib/softhsm/libsofthsm2.so, token-label 'demo-root', PIN from env:CEREMONY_PIN\$" <<<"$plan" &&
    grep -q "^step 4 e1 (intermediate): issue 'C = US, O = Example CA, CN = Example Issuing CA E1'" <<<"$plan" &&
    grep -q "^    writes out/o1.cert.pem\$" <<<"$plan" && grep -q '^    carries OCSP No Check$' <<<"$plan" &&
    grep -q "environment variable CEREMONY_PIN, the PIN source of token 'root-hsm', is not set" <<<"$plan" &&
    grep -q '^the rehearsal.s outputs and transcript are removed (--keep DIR keeps them)$' stdout &&
    pass "hierarchy: prints the real run's plan (the script's tokens) and what this machine lacks" ||
    fail "hierarchy: the plan" "$plan"

# ---- 2. --keep: the transcript and outputs stay, and check out with other tools ----
if "$CEREMONY" rehearse --at "$PLANNED_AT" --keep "$WORK/kept" "$SCRIPT" >stdout 2>stderr; then
	pass "--keep: rehearses"
else
	fail "--keep: rehearse" "$(cat stdout stderr)"
fi
K=$WORK/kept T=$WORK/kept/hierarchy.transcript.jsonl
grep -q "^kept in $K: the transcript $T and the outputs" stdout && [ -z "$(ls out)" ] &&
    pass "--keep: says where, and still writes nothing at the script's paths" || fail "--keep: summary" "$(tail -n3 stdout)"
no_leftovers "--keep"
cd "$WORK"
check "--keep: transcript verify --outputs, from elsewhere" "$CEREMONY" transcript verify --outputs "$T"
ok=1
for c in r1 e1 o1; do
	openssl verify -x509_strict -check_ss_sig -attime "$PLANNED" -CAfile "$K/out/r1.cert.pem" \
	    "$K/out/$c.cert.pem" >/dev/null 2>&1 || ok=0
done
[ $ok = 1 ] && pass "--keep: openssl verify -x509_strict accepts the kept chain" || fail "--keep: openssl verify"
last=$(chain_ok "$T") && grep -q "final digest.*: $last\$" "$WORK/real/stdout" &&
    pass "--keep: the hash chain checks with sha256sum and jq" || fail "--keep: chain" "$last"
[ "$(jq -r 'select(.event=="begin") | .data.script_sha256' "$T")" = "$(sha256sum "$SCRIPT" | cut -d' ' -f1)" ] &&
    [ "$(jq -r 'select(.event=="begin") | .data.options.rehearsal.directory' "$T")" = "$K" ] &&
    [ "$(jq -r 'select(.event=="begin") | .data.options.rehearsal.tokens | map(.role + ">" + .throwaway_token) | join(",")' "$T")" = \
      "root-hsm>demo-root,issuing-hsm>demo-issuing" ] &&
    [ "$(jq -r 'select(.event=="token") | .data.from' "$T" | sort -u)" = "ceremony rehearse" ] &&
    [ "$(jq -r 'select(.event=="token") | .data.token.serial' "$T" | grep -c -e "$(token_serial demo-root)" -e "$(token_serial demo-issuing)")" = 0 ] &&
    [ "$(jq -r 'select(.event=="output") | .data.path' "$T" | head -n1)" = out/r1.pub.pem ] &&
    pass "--keep: the transcript has the script's SHA-256, the real run's output paths, and says what was throwaway" ||
    fail "--keep: transcript" "$(jq -c 'select(.event=="begin") | .data.options' "$T")"
err=$("$CEREMONY" rehearse --at "$PLANNED_AT" --keep "$K" "$SCRIPT" 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && grep -q -- "--keep $K: it exists" <<<"$err" && pass "--keep: an existing directory is refused" ||
    fail "--keep: existing directory" "rc=$rc $err"

# ---- 3. a Boulder root config whose module and slot are not on this machine ----
mkdir -p "$WORK/boulder" && cd "$WORK/boulder"
sed -e 's|/usr/lib/softhsm/libsofthsm2.so|/opt/vendor/lib/libcs_pkcs11_R3.so|' \
    -e 's/store-key-in-slot: 0/store-key-in-slot: 3/' -e "s|out/|$WORK/ca/certs/|" \
    "$TOP/ceremonies/boulder-root-p384.yaml" > root.yaml
if "$CEREMONY" rehearse --at "$PLANNED_AT" --keep "$WORK/kept-root" root.yaml >stdout 2>stderr; then
	pass "Boulder root config, module and slot absent here: rehearses cleanly"
else
	fail "Boulder root config: rehearse" "$(cat stdout stderr)"
fi
[ ! -e "$WORK/ca" ] && [ ! -e root.transcript.jsonl ] &&
    [ -s "$WORK/kept-root/_absolute$WORK/ca/certs/root-cert.pem" ] &&
    pass "Boulder root config: nothing at its output paths; the outputs below the kept _absolute/" ||
    fail "Boulder root config: outputs" "$(find "$WORK/kept-root" "$WORK/ca" 2>&1)"
no_leftovers "Boulder root config"
grep -q "token pkcs11 (/opt/vendor/lib/libcs_pkcs11_R3.so, slot ID 3) is throwaway SoftHSM token 'pkcs11'" stdout &&
    grep -q "root.yaml:[0-9]*:[0-9]*: PKCS#11 module /opt/vendor/lib/libcs_pkcs11_R3.so does not exist" stdout &&
    grep -q "^    writes $WORK/ca/certs/root-cert.pem\$" stdout &&
    pass "Boulder root config: shows what stood in for the module and slot, and that they are not here" ||
    fail "Boulder root config: summary" "$(cat stdout)"
jq -r 'select(.event=="begin") | .data.script' "$WORK/kept-root/root.transcript.jsonl" | grep -q '^    pin: \*\*\*\*\*\*\*\*$' &&
    [ "$(jq -r 'select(.event=="begin") | .data.script_redacted' "$WORK/kept-root/root.transcript.jsonl")" = true ] &&
    pass "Boulder root config: the config's literal PIN is recorded as eight asterisks, whatever its length" ||
    fail "Boulder root config: literal PIN in the rehearsal's transcript"
check "Boulder root config: openssl verify of the kept root" openssl verify -x509_strict -check_ss_sig \
    -attime "$PLANNED" -CAfile "$WORK/kept-root/_absolute$WORK/ca/certs/root-cert.pem" \
    "$WORK/kept-root/_absolute$WORK/ca/certs/root-cert.pem"

# A script that leaves its token to a site file rehearses without one.
sed -e '/^  root-hsm:/,/^steps:/{/^  root-hsm:/!{/^steps:/!d}}' -e 's/^  root-hsm:$/  root-hsm: {}/' \
    "$TOP/ceremonies/root-p384.yaml" > roles.yaml
out=$("$CEREMONY" rehearse --at "$PLANNED_AT" roles.yaml 2>&1); rc=$?
[ $rc = 0 ] && grep -q "token root-hsm (a role for a site file) is throwaway SoftHSM token 'root-hsm'" <<<"$out" &&
    grep -q "^token root-hsm: a role for a site file to place (--site)" <<<"$out" &&
    pass "a script of roles only: rehearses without a site file, and says the real run needs one" ||
    fail "roles only: rehearse" "$out"

# ---- 4. a Boulder intermediate config: the root key is only on the real token ----
# The real root, made on a real (SoftHSM) token; then the intermediate config, unchanged,
# is rehearsed without that token, and run for real with it.
new_softhsm
init_token 'root hsm' 1234 >/dev/null
mkdir -p "$WORK/int/out" && cd "$WORK/int"
printf 'tokens:\n  pkcs11: {module: %s, token-label: root hsm, pin: "1234"}\n' "$MODULE" > site.yaml
cp "$TOP/ceremonies/boulder-root-p384.yaml" root.yaml
check "intermediate: the real root" "$CEREMONY" -config root.yaml -site site.yaml --yes --at "$PLANNED_AT"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 2>/dev/null | openssl pkey -pubout \
    > out/intermediate-signing-pub.pem
cp "$TOP/ceremonies/boulder-intermediate.yaml" int.yaml
root_before=$(tokens_hash)
if "$CEREMONY" rehearse --at "$PLANNED_AT" --keep "$WORK/kept-int" int.yaml >stdout 2>stderr; then
	pass "intermediate: rehearses with a stand-in for the root key"
else
	fail "intermediate: rehearse" "$(cat stdout stderr)"
fi
grep -q "step intermediate signs with a stand-in for the key of out/root-cert.pem ('root signing key')" stdout &&
    grep -q "^checked: under the real issuer certificate (name, key identifier, key usage; the signature is the stand-in's): intermediate: verified" stdout &&
    [ "$(tokens_hash)" = "$root_before" ] && [ ! -e out/intermediate-cert.pem ] &&
    pass "intermediate: says so, checks it against the real root, touches neither the root's token nor out/" ||
    fail "intermediate: stand-in" "$(cat stdout)"
no_leftovers intermediate
R=$WORK/kept-int/out/intermediate-cert.pem
check "intermediate: the real run" "$CEREMONY" -config int.yaml -site site.yaml --yes --at "$PLANNED_AT"
same=1
for a in -issuer -subject -dates "-ext authorityKeyIdentifier,basicConstraints,keyUsage,extendedKeyUsage,certificatePolicies,crlDistributionPoints,authorityInfoAccess"; do
	# shellcheck disable=SC2086
	[ "$(openssl x509 -in "$R" -noout $a)" = "$(openssl x509 -in out/intermediate-cert.pem -noout $a)" ] || same=0
done
[ $same = 1 ] && pass "intermediate: the rehearsal's certificate says what the real one says (issuer, AKI, every field but key-derived ones)" ||
    fail "intermediate: rehearsal and real certificate differ"
out=$("$CEREMONY" diff-transcripts "$WORK/kept-int/int.transcript.jsonl" int.transcript.jsonl 2>&1); rc=$?
[ $rc = 0 ] && pass "intermediate: diff-transcripts finds nothing but keys, signatures, serials, tokens, times" ||
    fail "intermediate: diff-transcripts" "$out"

# ---- 5. failures leave no token behind ----
cd "$WORK/real"
err=$("$CEREMONY" rehearse --at '2019-01-01 00:00:00' --keep "$WORK/kept-fail" "$SCRIPT" 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && [ ! -e "$WORK/kept-fail" ] && [ -z "$(ls out)" ] &&
    pass "a script the linter refuses: exit 2 before any token, no --keep directory made" ||
    fail "lint refusal" "rc=$rc $err"
no_leftovers "a refused script"
# Interrupted while it runs: the throwaway tokens go, the kept transcript ends 'failed'.
"$CEREMONY" rehearse --at "$PLANNED_AT" --keep "$WORK/kept-int2" "$SCRIPT" >stdout 2>stderr &
pid=$!
for _ in $(seq 1 2000); do [ -e "$WORK/kept-int2/hierarchy.transcript.jsonl" ] && break; sleep 0.01; done
kill -TERM $pid
wait $pid; rc=$?
[ $rc = 1 ] && grep -q 'interrupted by Terminated' stderr &&
    [ "$(tail -n1 "$WORK/kept-int2/hierarchy.transcript.jsonl" | jq -r '.event + "/" + .data.status')" = end/failed ] &&
    [ -z "$(ls out)" ] &&
    pass "interrupted: exit 1, the kept transcript ends failed, nothing at the script's paths" ||
    fail "interrupted" "rc=$rc $(cat stderr)"
no_leftovers interrupted
err=$(TMPDIR=/nonexistent "$CEREMONY" rehearse --at "$PLANNED_AT" --keep "$WORK/kept-none" "$SCRIPT" 2>&1); rc=$?
[ $rc = 1 ] && [ ! -e "$WORK/kept-none" ] && grep -q 'cannot make a directory for the throwaway tokens' <<<"$err" &&
    pass "no temporary directory: exit 1, the --keep directory it made is gone again" ||
    fail "no temporary directory" "rc=$rc $err"
err=$("$CEREMONY" rehearse --yes "$SCRIPT" 2>&1); rc=$?
[ $rc = 2 ] && grep -q 'ceremony rehearse takes --site, --at and --keep' <<<"$err" &&
    pass "rehearse refuses run's options" || fail "rehearse --yes" "rc=$rc $err"

# ---- 6. valgrind: the rehearsal, with a stand-in, and diff-transcripts ----
if ! ldd "$CEREMONY" | grep -q libasan; then
	VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
	    --show-leak-kinds=definite,indirect --error-exitcode=99)
	cd "$WORK/int"
	"${VG[@]}" "$CEREMONY" rehearse --at "$PLANNED_AT" int.yaml >vg.out 2>&1; rc=$?
	[ $rc = 0 ] && ! grep -q '^==[0-9]*==' vg.out && pass "valgrind: rehearse with a stand-in key" ||
	    fail "valgrind: rehearse" "rc=$rc $(grep '^==' vg.out | head -n 30)"
	"${VG[@]}" "$CEREMONY" diff-transcripts "$WORK/kept-int/int.transcript.jsonl" "$T" >vg.out 2>&1; rc=$?
	[ $rc = 1 ] && ! grep -q '^==[0-9]*==' vg.out && pass "valgrind: diff-transcripts" ||
	    fail "valgrind: diff-transcripts" "rc=$rc $(grep '^==' vg.out | head -n 30)"
fi

done_tests
