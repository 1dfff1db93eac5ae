#!/usr/bin/env bash
# tests/t-boulder.sh: Boulder's own ceremony configs, unchanged, on SoftHSM.
#
# 1. Boulder's test/certs configs (tests/boulder/test-certs/, vendored unchanged), rendered
#    exactly as test/certs/webpki.go renders its templates and run in its order: the two
#    roots, then for rsa and ecdsa and a, b, c: a token, the key (with its pkcs11 config),
#    the intermediate, and for ecdsa the cross-certificate from the RSA root; then each
#    root's CRL.  Each runs as `ceremony -config FILE`, from a directory laid out like
#    Boulder's repository, with --at on the day it is dated.  The chains are checked with
#    openssl -x509_strict, the CRLs with openssl crl -verify and as Boulder makes them, the
#    pkcs11 configs byte for byte, the transcripts with transcript verify --outputs.
# 2. The examples of Boulder's cmd/ceremony/README.md (tests/boulder/readme/), with the
#    module, slot and /home/user/ paths of this machine: they predate Boulder's
#    policy-url and are refused as Boulder's verifyProfile refuses them, in one line and
#    touching nothing; with the line Boulder asks for, the root, key and cross-csr run.
#    The CRL example is refused as Boulder's validate and generateCRL refuse it.
# 3. skip-lints as Boulder writes it: a name whose counterpart is an error rule is
#    recorded and not honoured: the rule still stops the run when it fires.
. "$(dirname "$0")/lib.sh"

BPIN=1234	# webpki.go's PIN, written in the configs
ATTIME=1751414400	# 2025-07-02 00:00:00 UTC: every certificate below is valid then

new_softhsm
B="$WORK/boulder"	# Boulder's repository root: the configs name test/certs/webpki/...
mkdir -p "$B/test/certs/webpki" "$B/rendered"
cd "$B"

# create_slot LABEL: webpki.go's createSlot (PIN 1234, SO PIN 5678); prints the slot ID
create_slot() {
	softhsm2-util --init-token --free --label "$1" --pin "$BPIN" --so-pin 5678 |
	    sed -n 's/.*to slot \([0-9]*\).*/\1/p'
}

# render TEMPLATE OUT VAR=VALUE...: webpki.go's rewriteConfig ({{ .Var }} replaced)
render() {
	local in=$TOP/tests/boulder/test-certs/$1 out=$2 kv args=()
	shift 2
	for kv in "$@"; do args+=(-e "s|{{ \.${kv%%=*} }}|${kv#*=}|g"); done
	sed "${args[@]}" "$in" > "$out"
	! grep -q '{{' "$out" || { echo "unrendered template in $out"; return 1; }
}

# run_config NAME CONFIG [--at TIME]: Boulder's runCeremony, `ceremony -config FILE`
run_config() {
	local name=$1 cfg=$2; shift 2
	if "$CEREMONY" -config "$cfg" --yes "$@" >"$cfg.out" 2>&1; then
		pass "$name: runs unchanged"
	else
		fail "$name: runs unchanged" "$(cat "$cfg.out")"
	fi
}

# ---- 1. test/certs, in webpki.go's order ----
rsa_root_slot=$(create_slot "Root RSA")
ecdsa_root_slot=$(create_slot "Root ECDSA")
render root-ceremony-rsa.yaml rendered/root-rsa.yaml SlotID="$rsa_root_slot"
render root-ceremony-ecdsa.yaml rendered/root-ecdsa.yaml SlotID="$ecdsa_root_slot"
run_config "root-ceremony-rsa" rendered/root-rsa.yaml --at '2020-01-01 12:00:00'
run_config "root-ceremony-ecdsa" rendered/root-ecdsa.yaml --at '2020-01-01 12:00:00'
W=test/certs/webpki
for alg in rsa ecdsa; do
	root_slot=$rsa_root_slot
	[ $alg = ecdsa ] && root_slot=$ecdsa_root_slot
	for inst in a b c; do
		name="int $alg $inst"
		file=${name// /-}
		slot=$(create_slot "$name")
		render "intermediate-key-ceremony-$alg.yaml" "rendered/$file-key.yaml" \
		    SlotID="$slot" Label="$name" FileName="$file"
		run_config "intermediate-key-ceremony-$alg ($name)" "rendered/$file-key.yaml"
		render "intermediate-cert-ceremony-$alg.yaml" "rendered/$file-cert.yaml" \
		    SlotID="$root_slot" CommonName="$name" FileName="$file"
		run_config "intermediate-cert-ceremony-$alg ($name)" "rendered/$file-cert.yaml" \
		    --at '2025-07-01 00:00:00'
		[ $alg = rsa ] && continue
		render "intermediate-cert-ceremony-$alg-cross.yaml" "rendered/$file-cross.yaml" \
		    SlotID="$rsa_root_slot" CommonName="$name" FileName="$file"
		run_config "intermediate-cert-ceremony-$alg-cross ($name)" "rendered/$file-cross.yaml" \
		    --at '2025-07-01 00:00:00'
	done
done

# webpki.go: "Create CRLs stating that the intermediates are not revoked", on the day
# they are dated (a CRL is not signed before its thisUpdate).
render root-crl-rsa.yaml rendered/root-crl-rsa.yaml SlotID="$rsa_root_slot"
render root-crl-ecdsa.yaml rendered/root-crl-ecdsa.yaml SlotID="$ecdsa_root_slot"
run_config "root-crl-rsa" rendered/root-crl-rsa.yaml --at '2023-01-01 12:00:00'
run_config "root-crl-ecdsa" rendered/root-crl-ecdsa.yaml --at '2023-01-01 12:00:00'
ok=1 log=
for alg in rsa ecdsa; do
	c=$W/root-$alg.crl.pem
	log+=$(openssl crl -in "$c" -CAfile $W/root-$alg.cert.pem -noout -verify 2>&1) || ok=0
	# Boulder's CRL: v2, number 100, AKI = the root's SKI, a critical IDP onlyContainsCACerts
	# (3003 8201ff), no entries; and the PEM type Boulder writes.
	t=$(openssl crl -in "$c" -noout -text)
	grep -q 'Version 2 (0x1)' <<<"$t" && grep -q 'X509v3 CRL Number: *$' <<<"$t" &&
	    [ "$(openssl crl -in "$c" -noout -crlnumber)" = crlNumber=0x64 ] &&
	    grep -q 'Issuing Distribution Point: critical' <<<"$t" && grep -q 'Only CA Certificates' <<<"$t" &&
	    ! grep -q 'Revoked Certificates:$' <<<"$t" && head -n1 "$c" | grep -q '^-----BEGIN X509 CRL-----$' &&
	    [ "$(openssl crl -in "$c" -noout -lastupdate -nextupdate | tr '\n' ' ')" = \
	      "lastUpdate=Jan  1 12:00:00 2023 GMT nextUpdate=Dec 15 12:00:00 2023 GMT " ] ||
	    { ok=0; log+="$c: $t"$'\n'; }
	[ "$(openssl asn1parse -in "$c" -inform PEM | grep -c 'Issuing Distribution Point')" = 1 ] &&
	    openssl crl -in "$c" -outform DER | xxd -p | tr -d '\n' | grep -q '0603551d1c0101ff040530038201ff' ||
	    { ok=0; log+="$c: the IDP is not Boulder's bytes"$'\n'; }
	out=$("$CEREMONY" lint --issuer $W/root-$alg.cert.pem --at '2023-01-01 12:00:00' "$c" 2>&1) ||
	    { ok=0; log+="ceremony lint $c: $out"$'\n'; }
done
[ $ok = 1 ] && pass "root-crl-*: Boulder's CRLs (v2, number 100, AKI, critical IDP onlyContainsCACerts) verify and lint clean" ||
    fail "root-crl-*: the CRLs" "$log"

# The chains, with openssl's strict X.509 checks, on a day all of them are valid.
verify() {	# CA CERT
	openssl verify -x509_strict -attime $ATTIME -CAfile "$W/$1" "$W/$2" 2>&1
}
ok=1 log=
for root in root-rsa root-ecdsa; do
	log+=$(verify $root.cert.pem $root.cert.pem) || ok=0
done
for inst in a b c; do
	log+=$(verify root-rsa.cert.pem int-rsa-$inst.cert.pem) || ok=0
	log+=$(verify root-ecdsa.cert.pem int-ecdsa-$inst.cert.pem) || ok=0
	log+=$(verify root-rsa.cert.pem int-ecdsa-$inst-cross.cert.pem) || ok=0
done
[ $ok = 1 ] && pass "test/certs: 2 roots, 6 intermediates, 3 cross-certificates verify (openssl -x509_strict)" ||
    fail "test/certs: openssl verify" "$log"

# A cross-certificate is the intermediate again, under the other root: subject and key.
ok=1
for inst in a b c; do
	for f in subject pubkey; do
		[ "$(openssl x509 -in $W/int-ecdsa-$inst.cert.pem -noout -$f)" = \
		  "$(openssl x509 -in $W/int-ecdsa-$inst-cross.cert.pem -noout -$f)" ] || ok=0
	done
	openssl x509 -in $W/int-ecdsa-$inst-cross.cert.pem -noout -issuer | grep -q 'CN = root rsa' || ok=0
done
[ $ok = 1 ] && pass "test/certs: each cross-certificate carries its intermediate's subject and key, issued by root rsa" ||
    fail "test/certs: cross-certificates"

# The pkcs11 configs: exactly Boulder's JSON, mode 0600, recorded without a hash.
ok=1 log=
for alg in rsa ecdsa; do
	for inst in a b c; do
		f=$W/int-$alg-$inst.pkcs11.json
		want="{\"module\": \"$MODULE\", \"tokenLabel\": \"int $alg $inst\", \"pin\": \"$BPIN\"}"
		[ "$(cat "$f")" = "$want" ] && [ "$(stat -c %a "$f")" = 600 ] ||
		    { ok=0; log+="$f: $(stat -c %a "$f") $(cat "$f")"$'\n'; }
		t=rendered/int-$alg-$inst-key.transcript.jsonl
		[ "$(jq -c 'select(.event=="pkcs11-config") | .data | [.path, has("sha256")]' "$t")" = \
		    "[\"$f\",false]" ] || { ok=0; log+="$t: no pkcs11-config record"$'\n'; }
		! grep -q "$(sha256sum < "$f" | cut -d' ' -f1)" "$t" || { ok=0; log+="$t: holds the file's hash"$'\n'; }
		jq -se --arg p "$f" '[.[] | select(.event=="end") | .data.outputs[] | select(.path == $p)] | length == 0' \
		    "$t" >/dev/null || { ok=0; log+="$t: listed as an output"$'\n'; }
		grep -q "warning: key: wrote $f .*holds the token's PIN in clear" rendered/int-$alg-$inst-key.yaml.out ||
		    { ok=0; log+="no warning line for $f"$'\n'; }
	done
done
[ $ok = 1 ] && pass "pkcs11-config-path: Boulder's JSON byte for byte, mode 0600, recorded without a hash, one warning" ||
    fail "pkcs11-config-path" "$log"
# Boulder's CA reads it: the module, the token with that label and its PIN find the key.
f=$W/int-ecdsa-b.pkcs11.json
pkcs11-tool --module "$(jq -r .module $f)" --token-label "$(jq -r .tokenLabel $f)" --login \
    --pin "$(jq -r .pin $f)" --list-objects --type privkey 2>/dev/null | grep -q "label: *int ecdsa b" &&
    pass "pkcs11-config-path: its module, tokenLabel and pin open the token and find the key" ||
    fail "pkcs11-config-path: usable"

# Boulder's skip-lints: each name recorded with what it did.
t=rendered/int-ecdsa-a-cross.transcript.jsonl
[ "$(jq -r 'select(.event=="step-begin") | .data.skip_lints[] | "\(.name) \(.effect)"' "$t")" = \
"n_mp_allowed_eku recorded, not skipped: its counterpart is an error rule, which always runs
n_sub_ca_eku_missing $(jq -r 'select(.event=="step-begin") | .data.skip_lints[1].effect' "$t")" ] &&
    [ "$(jq -r 'select(.event=="lint" and .data.stage=="post-issuance") | .data.verdicts[] |
        select(.rule=="subca.eku_mozilla") | .verdict' "$t")" = pass ] &&
    pass "skip-lints: n_mp_allowed_eku recorded, its error rule subca.eku_mozilla still ran (and passed)" ||
    fail "skip-lints recorded" "$(jq -c 'select(.event=="step-begin") | .data.skip_lints' "$t")"
t=rendered/root-rsa.transcript.jsonl
[ "$(jq -r 'select(.event=="lint" and .data.stage=="post-issuance") | .data.verdicts[] |
    select(.rule=="root.ku_digsig_for_ocsp") | .verdict' "$t")" = skipped ] &&
    pass "skip-lints: n_ca_digital_signature_not_set skips its notice root.ku_digsig_for_ocsp" ||
    fail "skip-lints: notice skipped"
[ "$(jq -r 'select(.event=="step-begin") | .data.policy_url' "$t")" = \
    "https://github.com/letsencrypt/cp-cps/blob/v6.1/CP-CPS.md#root-ca-certificate-profile" ] &&
    pass "policy-url: recorded at the step's beginning" || fail "policy-url recorded"

# Every transcript verifies with its outputs, from another directory.
ok=1 log=
mkdir -p "$WORK/elsewhere"
for t in "$B"/rendered/*.transcript.jsonl; do
	out=$(cd "$WORK/elsewhere" && "$CEREMONY" transcript verify --outputs "$t" 2>&1) ||
	    { ok=0; log+="$out"$'\n'; }
done
[ $ok = 1 ] && [ "$(ls "$B"/rendered/*.transcript.jsonl | wc -l)" = 19 ] &&
    pass "all 19 transcripts verify with --outputs from another directory" || fail "transcripts verify" "$log"

# ---- 2. the README's examples ----
new_softhsm
R="$WORK/readme"
mkdir -p "$R/home/user"
cd "$R"
readme() {	# TYPE SLOT OUT [SED...]: the example with this machine's module, slot and paths
	local t=$1 slot=$2 out=$3; shift 3
	sed -e "s|/usr/lib/opensc-pkcs11.so|$MODULE|" -e "s|/home/user/|$R/home/user/|g" \
	    -e "s/slot: 0/slot: $slot/" "$@" "$TOP/tests/boulder/readme/$t.yaml" > "$out"
}
slot=$(init_token readme)
# at_terminal OUT COMMAND: COMMAND at a pseudo-terminal, typing $PIN when it asks for it
at_terminal() {
	local out=$1 i
	shift
	{ for i in $(seq 300); do grep -q 'PIN for token' "$out" 2>/dev/null && break; sleep 0.1; done
	  printf '%s\n' "$PIN"; } | script -qec "$*" /dev/null >"$out" 2>&1
}
policy='/^certificate-profile:/a\    policy-url: https://github.com/letsencrypt/cp-cps/blob/v6.1/CP-CPS.md#readme'
for t in root intermediate cross-certificate cross-csr; do
	readme $t "$slot" $t.yaml
	"$CEREMONY" -config $t.yaml --yes >$t.out 2>&1; rc=$?
	line=$(grep -n '^certificate-profile:' $t.yaml | cut -d: -f1)
	[ $rc = 2 ] && [ "$(wc -l < $t.out)" = 1 ] &&
	    grep -q "^ceremony: $t.yaml:$((line + 1)):5: a Boulder certificate-profile needs 'policy-url'" $t.out &&
	    [ -z "$(ls home/user)" ] && [ ! -e $t.transcript.jsonl ] &&
	    pass "README $t example: refused as Boulder refuses it (no policy-url), in one line, nothing written" ||
	    fail "README $t example: policy-url" "rc=$rc $(cat $t.out)"
done
# The key example has no PIN: as with Boulder's PED, it is asked for (at the terminal).
readme key "$slot" key.yaml
at_terminal key.out "$CEREMONY" -config key.yaml --yes
openssl pkey -pubin -in home/user/intermediate-signing-pub.pem -noout -text 2>/dev/null | grep -q 'NIST CURVE: P-384' &&
    [ "$(jq -r 'select(.event=="login") | .data.pin_source' key.transcript.jsonl)" = prompt ] &&
    pass "README key example: runs; the PIN it leaves out is asked for" || fail "README key example" "$(cat key.out)"
# With the policy-url Boulder requires, the root example (dated 2020) and the cross-csr run.
readme root "$slot" root2.yaml -e "$policy"
at_terminal root2.out "$CEREMONY" -config root2.yaml --yes --at "'2020-01-01 12:00:00'"
openssl verify -x509_strict -attime $ATTIME -CAfile home/user/root-cert.pem home/user/root-cert.pem >/dev/null 2>&1 &&
    pass "README root example with policy-url: runs, the root verifies" || fail "README root example" "$(cat root2.out)"
readme cross-csr "$slot" csr2.yaml -e "$policy"
at_terminal csr2.out "$CEREMONY" -config csr2.yaml --yes
openssl req -in home/user/csr.pem -noout -verify >/dev/null 2>&1 &&
    [ "$(openssl req -in home/user/csr.pem -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum)" = \
      "$(openssl pkey -pubin -in home/user/intermediate-signing-pub.pem -outform DER | sha256sum)" ] &&
    pass "README cross-csr example with policy-url: a CSR signed by the key example's key" ||
    fail "README cross-csr example" "$(cat csr2.out)"
# Its CRL example leaves out revocation-reason (Boulder's validate requires it) and spans
# 2020-01-01 to 2021-01-01, 366 days (Boulder's generateCRL allows 365): refused for the
# window, checked first here, in one line, touching nothing.
readme crl "$slot" crl.yaml
"$CEREMONY" -config crl.yaml --yes >crl.out 2>&1; rc=$?
sed 's/2021-01-01 12:00:00/2020-12-31 12:00:00/' crl.yaml > crl2.yaml
"$CEREMONY" -config crl2.yaml --yes >crl2.out 2>&1; rc2=$?
[ $rc = 2 ] && [ "$(wc -l < crl.out)" = 1 ] &&
    grep -q '^ceremony: crl.yaml:16:18: next-update is more than 365 days after this-update' crl.out &&
    [ $rc2 = 2 ] && [ "$(wc -l < crl2.out)" = 1 ] &&
    grep -q "^ceremony: crl2.yaml:19:11: an entry of revoked-certificates needs 'revocation-reason'" crl2.out &&
    [ ! -e home/user/crl.pem ] && [ ! -e crl.transcript.jsonl ] && [ ! -e crl2.transcript.jsonl ] &&
    pass "README crl example: refused as Boulder refuses it (366 days; no revocation-reason), in one line, nothing written" ||
    fail "README crl example" "rc=$rc $(cat crl.out) rc2=$rc2 $(cat crl2.out)"
# Its intermediate and cross examples list policies 1.2.3 and 4.5.6: Boulder refuses them
# too ("policy should be exactly BRs domain-validated"); here 4.5.6 is no OID (arc 4).
for t in intermediate cross-certificate; do
	readme $t "$slot" $t-2.yaml -e "$policy"
	"$CEREMONY" -config $t-2.yaml --yes >$t-2.out 2>&1; rc=$?
	[ $rc = 2 ] && grep -q "^ceremony: $t-2.yaml:[0-9]*:16: 'oid' must be a dotted decimal OID" $t-2.out &&
	    pass "README $t example with policy-url: its policies refused, as Boulder refuses them" ||
	    fail "README $t example" "rc=$rc $(cat $t-2.out)"
done

# ---- 3. an error rule named in a Boulder skip-lints still stops the run when it fires ----
# A 30-year root breaks root.validity_range (BR 7.1.2.1.1, since 2023-09-15: at most 9132
# days), an error; skipping its pkilint name is recorded, and the run stops before any HSM
# is opened.
new_softhsm
mkdir -p "$WORK/fires/out" && cd "$WORK/fires"
slot=$(create_slot fires)
sed -e "s|{{ .SlotID }}|$slot|" -e 's|test/certs/webpki/|out/|' \
    -e 's/not-before: .*/not-before: 2026-12-01 00:00:00/' -e 's/not-after: .*/not-after: 2056-12-01 00:00:00/' \
    -e 's/- n_ca_digital_signature_not_set/- cabf.serverauth.root_validity_period_too_long/' \
    "$TOP/tests/boulder/test-certs/root-ceremony-ecdsa.yaml" > long.yaml
"$CEREMONY" -config long.yaml --yes --at "$PLANNED_AT" >long.out 2>&1; rc=$?
[ $rc = 2 ] && grep -q "error root.validity_range (BR 7.1.2.1.1)" long.out && [ -z "$(ls out)" ] &&
    [ "$(count_objects fires "$BPIN")" = 0 ] &&
    pass "skip-lints: an error rule a Boulder config names still runs, and stops the run when it fires" ||
    fail "skip-lints: error rule fires" "rc=$rc $(cat long.out)"
"$CEREMONY" check --at "$PLANNED_AT" long.yaml >check.out 2>&1
grep -q "validity_range" check.out && ! grep -q "^lint:" check.out &&
    pass "ceremony check: the same refusal" || fail "check: error rule" "$(cat check.out)"

# ---- 4. resuming a key config cut off after its pkcs11 config was recorded ----
# The transcript as a kill right after the pkcs11-config record leaves it, the file not yet
# written: the resumed run writes it (the same bytes), records nothing twice, and refuses a
# file that is not what the step makes.
new_softhsm
mkdir -p "$WORK/resume/out" && cd "$WORK/resume"
slot=$(create_slot "int resume")
sed -e "s|{{ .SlotID }}|$slot|" -e "s|{{ .Label }}|int resume|" -e 's|test/certs/webpki/{{ .FileName }}|out/int|' \
    "$TOP/tests/boulder/test-certs/intermediate-key-ceremony-ecdsa.yaml" > key.yaml
"$CEREMONY" -config key.yaml --yes >key.out 2>&1 || fail "resume: the key config runs" "$(cat key.out)"
want=$(cat out/int.pkcs11.json)
n=$(grep -n '"event":"pkcs11-config"' key.transcript.jsonl | cut -d: -f1)
head -n "$n" key.transcript.jsonl > cut.jsonl && mv cut.jsonl key.transcript.jsonl && rm out/int.pkcs11.json
if "$CEREMONY" -config key.yaml --yes --resume key.transcript.jsonl >resume.out 2>&1 &&
    [ "$(cat out/int.pkcs11.json)" = "$want" ] && [ "$(stat -c %a out/int.pkcs11.json)" = 600 ] &&
    [ "$(grep -c '"event":"pkcs11-config"' key.transcript.jsonl)" = 1 ] &&
    "$CEREMONY" transcript verify --outputs key.transcript.jsonl >/dev/null 2>&1; then
	pass "resume: a pkcs11 config recorded but not written is written once, the same bytes"
else
	fail "resume: pkcs11 config" "$(cat resume.out)"
fi
head -n "$n" key.transcript.jsonl > cut.jsonl && mv cut.jsonl key.transcript.jsonl
echo '{"module": "elsewhere"}' > out/int.pkcs11.json
"$CEREMONY" -config key.yaml --yes --resume key.transcript.jsonl >resume.out 2>&1; rc=$?
[ $rc = 1 ] && grep -q "output out/int.pkcs11.json exists but is not what this step makes" resume.out &&
    [ "$(cat out/int.pkcs11.json)" = '{"module": "elsewhere"}' ] &&
    pass "resume: a pkcs11 config that is not what the step makes is refused, and left alone" ||
    fail "resume: a different pkcs11 config" "rc=$rc $(cat resume.out)"

# check, rehearse and run take a Boulder config as --config FILE too; --config --help is run's
cd "$WORK"
expect "check --config FILE: the Boulder config checked" 0 '' \
    "$CEREMONY" check --at "$PLANNED_AT" --config "$TOP/ceremonies/boulder-intermediate.yaml"
grep -q "valid Boulder config, 1 step" "$WORK/out" && pass "... as a Boulder config, its plan printed" ||
    fail "... check --config output" "$(cat "$WORK/out")"
expect "check --config FILE SCRIPT: one or the other" 2 "^ceremony: --config names the config: give no SCRIPT beside it$" \
    "$CEREMONY" check --config "$TOP/ceremonies/boulder-intermediate.yaml" x.yaml
expect "ceremony --config FILE --help: run's usage and options" 0 '' \
    "$CEREMONY" --config "$TOP/ceremonies/boulder-intermediate.yaml" --help
grep -q '^usage: ceremony run .*SCRIPT|--config FILE$' "$WORK/out" && grep -q -- '--resume T' "$WORK/out" &&
    pass "... which lists --resume" || fail "... --config --help" "$(cat "$WORK/out")"

done_tests
