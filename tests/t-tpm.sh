#!/usr/bin/env bash
# tests/t-tpm.sh: a second PKCS#11 implementation, tpm2-pkcs11 on a software TPM (swtpm,
# tpm2-abrmd), started and stopped here (tests/lib-tpm.sh).  Every example ceremony runs
# against it, adapted by a site file (and its dates moved to today: --at is for SoftHSM
# rehearsals only), and each gets one of two outcomes, asserted here:
#   - it completes: keys that read back sign-only, sensitive, never extractable; every
#     certificate verifies with openssl verify -x509_strict; the transcript holds the
#     token's identity (manufacturer IBM, model SW TPM) and the mechanisms checked;
#   - it is refused before any object is created, in one line naming what the token lacks
#     (RSA-4096, Ed25519, PKCS#1 v1.5 signatures with a sign-only RSA key), and
#     pkcs11-tool --list-objects shows that nothing appeared.
# Then token selection by label, serial and URI, the PIN sources, the literal PIN and --at
# refused (the manufacturer is not SoftHSM), and the key template's fallback: a token
# that rejects the optional attributes gets them once more without, recorded, and a key
# that then reads back able to decrypt is refused and destroyed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib-tpm.sh"

tpm_start
tpm_token tpm-root
# the examples are planned for 2026-12-01 12:00 UTC; moved by whole minutes to now, every
# interval in them (validity, backdating, CRL and OCSP times) stays the same
SHIFT=$(( $(date -u +%s) / 60 * 60 - $(date -u -d '2026-12-01 12:00:00Z' +%s) ))
# the planned moment moved the same way: an --at the scripts' dates pass, so that only the
# token can refuse it
MOVED_AT=$(date -u -d "@$(( $(date -u -d '2026-12-01 12:00:00Z' +%s) + SHIFT ))" '+%Y-%m-%d %H:%M:%S')
# today FILE: the file with every "YYYY-MM-DD HH:MM:SS" moved by SHIFT seconds
today() {
	local d args=()
	while read -r d; do
		args+=(-e "s/$d/$(date -u -d "@$(( $(date -u -d "$d Z" +%s) + SHIFT ))" '+%Y-%m-%d %H:%M:%S')/g")
	done < <(grep -ohE '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}' "$1" | sort -u)
	sed -e "" "${args[@]}" "$1"
}
# in DIR: a fresh directory with out/ and a PIN file, the current one
in_dir() {
	mkdir -p "$WORK/$1/out" && cd "$WORK/$1" || exit 1
	printf '%s\n' "$PIN" > pin && chmod 600 pin
}
# site ROLE=SELECTOR:PIN...: a site file (site.yaml) with each role on the TPM module
site() {
	local e
	echo "site: swtpm + tpm2-abrmd (tests/lib-tpm.sh)" > site.yaml
	echo "tokens:" >> site.yaml
	for e in "$@"; do
		echo "  ${e%%=*}: {module: $TPM_MODULE, ${e#*=}}" >> site.yaml
	done
}
# certs_ok NAME ROOT CERT...: each certificate verifies under ROOT, strictly
certs_ok() {
	local name=$1 root=$2 c out ok=1; shift 2
	for c in "$@"; do
		out+=$(openssl verify -x509_strict -check_ss_sig -CAfile "$root" "$c" 2>&1) || ok=0
	done
	[ $ok = 1 ] && pass "$name: openssl verify -x509_strict: $*" || fail "$name: openssl verify" "$out"
}
# sign_only NAME TRANSCRIPT: every key the run generated read back as a CA key, and
# pkcs11-tool shows the private halves sign-only, sensitive, never extractable
sign_only() {
	local bad
	bad=$(jq -r 'select(.event == "key-generated") | .data.read_back.private |
	    select([.CKA_SIGN, .CKA_SENSITIVE, .CKA_ALWAYS_SENSITIVE, .CKA_NEVER_EXTRACTABLE,
	    .CKA_LOCAL, .CKA_EXTRACTABLE, .CKA_DECRYPT, .CKA_SIGN_RECOVER, .CKA_UNWRAP,
	    .CKA_DERIVE] != [true, true, true, true, true, false, false, false, false, false]) |
	    .CKA_LABEL' "$2")
	[ -z "$bad" ] && [ -n "$(jq -r 'select(.event == "key-generated") | .data.id' "$2")" ] &&
	    pass "$1: every key reads back sign-only, sensitive, never extractable, local" ||
	    fail "$1: read-back" "$bad"
}
# token_identity NAME TRANSCRIPT: the token records say IBM, SW TPM, and preflight lists
# the mechanisms checked
token_identity() {
	[ "$(jq -r 'select(.event == "token") | .data.token | "\(.manufacturer)/\(.model)"' "$2" |
	    sort -u | sed 's/  */ /g')" = "IBM/SW TPM" ] &&
	    [ "$(jq -r 'select(.event == "module") | .data.info.manufacturer' "$2" | sort -u)" = \
	      tpm2-software.github.io ] &&
	    [ "$(jq 'select(.event == "preflight") | [.data.mechanisms[].mechanism] |
	    contains(["CKM_EC_KEY_PAIR_GEN", "CKM_ECDSA"])' "$2")" = true ] &&
	    pass "$1: transcript records the token (IBM, SW TPM), the module, the mechanisms" ||
	    fail "$1: token identity" "$(jq -c 'select(.event == "module" or .event == "token" or .event == "preflight") | .data' "$2")"
}
# refused NAME PATTERN (the command runs after --): exit 1, one line matching PATTERN, and
# the objects of both tokens as pkcs11-tool lists them are what they were
refused() {
	local name=$1 pat=$2 before rc; shift 3
	before=$(tpm_objects tpm-root; tpm_objects tpm-issuing)
	"$@" >"$WORK/out" 2>"$WORK/err"; rc=$?
	if [ "$rc" = 1 ] && [ "$(grep -c . "$WORK/err")" = 1 ] && grep -Eq -- "$pat" "$WORK/err" &&
	    [ "$(tpm_objects tpm-root; tpm_objects tpm-issuing)" = "$before" ]; then pass "$name"
	else fail "$name (exit $rc, want 1, /$pat/)" "$(cat "$WORK/err" "$WORK/out" | head -20)"; fi
}

# ---- 1. root-p384.yaml completes: the token by serial (the only one yet), the PIN from fd: ----
in_dir root
today "$TOP/ceremonies/root-p384.yaml" > root-p384.yaml
site "root-hsm=token-serial: \"0000000000000000\", pin: \"fd:3\""
if "$CEREMONY" run --yes --site site.yaml --transcript t.jsonl root-p384.yaml >stdout 2>stderr 3<pin
then pass "root-p384.yaml completes on the TPM token (selected by serial, PIN from fd:)"
else fail "root-p384.yaml on the TPM" "$(cat stdout stderr)"; fi
certs_ok root-p384 out/r1.cert.pem out/r1.cert.pem
sign_only root-p384 t.jsonl
token_identity root-p384 t.jsonl
check "root-p384: ceremony transcript verify --outputs" "$CEREMONY" transcript verify --outputs t.jsonl
o=$(tpm_objects tpm-root | sed -n '/Private Key Object/,$p')
grep -q 'Usage: *sign$' <<<"$o" &&
    grep -q 'Access: *sensitive, always sensitive, never extractable, local' <<<"$o" &&
    pass "root-p384: pkcs11-tool shows the private key sign-only (not 'decrypt, sign'), never extractable" ||
    fail "root-p384: pkcs11-tool's view" "$(tpm_objects tpm-root)"
[ "$(jq -c 'select(.event == "key-created") | .data.template | [has("retried_without"),
    (.public | keys | sort), (.private | [.CKA_SIGN, .CKA_DECRYPT, .CKA_SIGN_RECOVER])]' t.jsonl)" = \
  '[false,["CKA_CLASS","CKA_EC_PARAMS","CKA_ID","CKA_KEY_TYPE","CKA_LABEL","CKA_PRIVATE","CKA_TOKEN"],[true,false,false]]' ] &&
    pass "root-p384: the template asks nothing of the public half's uses, was taken whole, is recorded" ||
    fail "root-p384: template" "$(jq -c 'select(.event == "key-created") | .data.template' t.jsonl)"

# ---- 2. refused before anything is made: the token lacks it ----
# the root role on tpm-issuing (by label), the issuing role on tpm-root (by URI), where
# the labels are free; PINs from env: and file:
tpm_token tpm-issuing
in_dir refusals
site "root-hsm=token-label: tpm-issuing, pin: \"env:TPIN\"" \
    "issuing-hsm=uri: \"pkcs11:token=tpm-root;manufacturer=IBM\", pin: \"file:$PWD/pin\""
today "$TOP/ceremonies/hierarchy.yaml" > hierarchy.yaml
refused "hierarchy.yaml (RSA-4096 root): refused at preflight, no object on the token" \
    "^ceremony: hierarchy\.yaml:22:10: token 'tpm-issuing' supports CKM_RSA_PKCS_KEY_PAIR_GEN keys of 1024 to 3072 bits, not 4096$" \
    -- env TPIN=$PIN "$CEREMONY" run --yes --site site.yaml hierarchy.yaml
# the same hierarchy with an RSA-3072 root: this module makes PKCS#1 v1.5 signatures only
# with a key that can decrypt.  Both roles on one token: one line still (the second
# C_Logout finds the token logged out, which is no warning)
sed 's/rsa-mod-length: 4096/rsa-mod-length: 3072/' hierarchy.yaml > h3072.yaml
site "root-hsm=token-label: tpm-issuing, pin: \"env:TPIN\"" "issuing-hsm=token-label: tpm-issuing, pin: \"env:TPIN\""
refused "hierarchy.yaml with RSA-3072 (SHA384WithRSA): refused at preflight, naming CKA_DECRYPT" \
    "^ceremony: h3072\.yaml:29:28: token 'tpm-issuing' \(tpm2-pkcs11\) makes CKM_RSA_PKCS signatures \(SHA384WithRSA\) only with a key that has CKA_DECRYPT=true, and a CA key is sign-only; choose an RSA-PSS" \
    -- env TPIN=$PIN "$CEREMONY" run --yes --site site.yaml h3072.yaml
today "$TOP/ceremonies/private-smime.yaml" > private-smime.yaml
site "root-hsm=token-label: tpm-issuing, pin: \"env:TPIN\"" \
    "issuing-hsm=uri: \"pkcs11:token=tpm-root;manufacturer=IBM\", pin: \"file:$PWD/pin\""
refused "private-smime.yaml (Ed25519 root): refused at preflight, no object on the token" \
    "^ceremony: private-smime\.yaml:17:10: token 'tpm-issuing' does not offer CKM_EC_EDWARDS_KEY_PAIR_GEN" \
    -- env TPIN=$PIN "$CEREMONY" run --yes --site site.yaml private-smime.yaml
site "pkcs11=token-label: tpm-root, pin: \"env:TPIN\""
today "$TOP/ceremonies/boulder-root-rsa4096.yaml" > boulder-root-rsa4096.yaml
refused "boulder-root-rsa4096.yaml: refused at preflight, no object on the token" \
    "^ceremony: boulder-root-rsa4096\.yaml:11:5: token 'tpm-root' supports CKM_RSA_PKCS_KEY_PAIR_GEN keys of 1024 to 3072 bits, not 4096$" \
    -- env TPIN=$PIN "$CEREMONY" --config boulder-root-rsa4096.yaml --yes --site site.yaml
# a literal PIN, and --at, are for SoftHSM rehearsal tokens: this token's manufacturer is IBM
today "$TOP/ceremonies/root-p384.yaml" > root-p384.yaml
site "root-hsm=token-label: tpm-issuing, pin: \"$PIN\""
refused "a literal PIN in the site file is refused (manufacturer IBM, not SoftHSM)" \
    "^ceremony: site\.yaml:3:.*token 'root-hsm' is not a SoftHSM rehearsal token, so the literal PIN in the site file is refused" \
    -- "$CEREMONY" run --yes --site site.yaml root-p384.yaml
grep -qF -- "$PIN" "$WORK/err" "$WORK/out" && fail "the literal PIN leaked" "$(cat "$WORK/err")" ||
    pass "the refused literal PIN appears in no message"
site "root-hsm=token-label: tpm-issuing, pin: \"env:TPIN\""
expect "--at is refused on the TPM token (a rehearsal option, SoftHSM only)" 2 \
    "^ceremony: token 'root-hsm' is not a SoftHSM rehearsal token: --at is for rehearsals" \
    env TPIN=$PIN "$CEREMONY" run --yes --at "$MOVED_AT" --site site.yaml root-p384.yaml
[ "$(tpm_count_objects tpm-issuing)" = 0 ] && [ -z "$(ls out)" ] &&
    pass "--at: nothing on the token, no file" || fail "--at: something was made" "$(tpm_objects tpm-issuing)"

# ---- 3. the examples with both roles: revocation.yaml and private-mtls.yaml complete ----
in_dir revocation
today "$TOP/ceremonies/revocation.yaml" > revocation.yaml
site "root-hsm=token-label: tpm-root, pin: \"env:TPIN\"" \
    "issuing-hsm=uri: \"pkcs11:token=tpm-issuing;manufacturer=IBM\", pin: \"file:$PWD/pin\""
if TPIN=$PIN "$CEREMONY" run --yes --site site.yaml --transcript t.jsonl revocation.yaml >stdout 2>stderr
then pass "revocation.yaml completes (root, two issuing CAs, OCSP responder, CRL, OCSP responses)"
else fail "revocation.yaml on the TPM" "$(cat stdout stderr)"; fi
certs_ok revocation out/r2.cert.pem out/r2.cert.pem out/e2.cert.pem out/e3.cert.pem out/o2.cert.pem
check "revocation: openssl crl -verify" openssl crl -in out/r2.crl.pem -CAfile out/r2.cert.pem -noout -verify
check "revocation: openssl ocsp verifies E3's response (signed by O2)" \
    openssl ocsp -respin out/e3.ocsp.der -CAfile out/r2.cert.pem -issuer out/r2.cert.pem \
    -cert out/e3.cert.pem
sign_only revocation t.jsonl
token_identity revocation t.jsonl

in_dir mtls
today "$TOP/ceremonies/private-mtls.yaml" > private-mtls.yaml
site "root-hsm=token-label: tpm-root, pin: \"env:TPIN\"" "issuing-hsm=token-label: tpm-issuing, pin: \"env:TPIN\""
if TPIN=$PIN "$CEREMONY" run --yes --site site.yaml --transcript t.jsonl private-mtls.yaml >stdout 2>stderr
then pass "private-mtls.yaml completes (P-384 root, P-256 issuing CA, CRL)"
else fail "private-mtls.yaml on the TPM" "$(cat stdout stderr)"; fi
certs_ok private-mtls out/r1.cert.pem out/r1.cert.pem out/m1.cert.pem
sign_only private-mtls t.jsonl

# two tokens of one TPM share the serial 0000000000000000: selecting by it is ambiguous
in_dir ambiguous
today "$TOP/ceremonies/root-p384.yaml" > root-p384.yaml
site "root-hsm=token-serial: \"0000000000000000\", pin: \"env:TPIN\""
expect "two tokens with serial 0000000000000000: selecting by it is refused, naming both" 1 \
    "^ceremony: site\.yaml:3:.*2 tokens match .*tpm-root.*tpm-issuing|^ceremony: site\.yaml:3:.*2 tokens match .*tpm-issuing.*tpm-root" \
    env TPIN=$PIN "$CEREMONY" run --yes --site site.yaml root-p384.yaml

# ---- 4. RSA on this token: RSA-3072 with RSA-PSS signatures completes ----
in_dir pss
sed -e 's/rsa-mod-length: 4096/rsa-mod-length: 3072/' -e 's/SHA384WithRSA$/SHA384WithRSAPSS/' \
    "$WORK/refusals/hierarchy.yaml" > h-pss.yaml
# the root on tpm-issuing, E1 and O1 on tpm-root: labels the earlier runs left free
site "root-hsm=token-label: tpm-issuing, pin: \"env:TPIN\"" "issuing-hsm=token-label: tpm-root, pin: \"env:TPIN\""
if TPIN=$PIN "$CEREMONY" run --yes --site site.yaml --transcript t.jsonl h-pss.yaml >stdout 2>stderr
then pass "hierarchy.yaml with an RSA-3072 root and SHA384WithRSAPSS completes"
else fail "RSA-3072 PSS hierarchy on the TPM" "$(cat stdout stderr)"; fi
certs_ok rsa-pss out/r1.cert.pem out/r1.cert.pem out/e1.cert.pem out/o1.cert.pem
openssl x509 -in out/e1.cert.pem -noout -text | grep -q 'Signature Algorithm: rsassaPss' &&
    openssl x509 -in out/r1.cert.pem -noout -text | grep -q 'Public-Key: (3072 bit)' &&
    pass "rsa-pss: an RSA-3072 root, RSASSA-PSS signatures" || fail "rsa-pss: key and signature"
sign_only rsa-pss t.jsonl

# ---- 5. the Boulder configs, unchanged but for dates: the pkcs11 role on the TPM token ----
in_dir boulder
site "pkcs11=token-label: tpm-issuing, pin: \"env:TPIN\""
# boulder CONFIG OUT [SED...]: the config with today's dates
boulder() { local cfg=$1 out=$2; shift 2; today "$TOP/ceremonies/$cfg" | sed -e "" "$@" > "$out"; }
boulder boulder-root-p384.yaml root.yaml
boulder boulder-key.yaml key.yaml
boulder boulder-key.yaml ocsp-key.yaml -e 's/intermediate signing key/ocsp signer key/' \
    -e 's/intermediate-signing-pub/ocsp-signer-signing-pub/' -e 's/P-384/P-256/'
boulder boulder-root-p384.yaml root2.yaml -e 's/root signing key/root 2 signing key/' \
    -e 's/Root X4/Root X5/' -e 's/root-signing-pub/root-2-signing-pub/' -e 's/root-cert/root-2-cert/'
boulder boulder-intermediate.yaml int.yaml
boulder boulder-ocsp-signer.yaml ocsp.yaml
boulder boulder-cross-certificate.yaml cross.yaml
boulder boulder-cross-csr.yaml csr.yaml
for c in root key ocsp-key root2 int ocsp cross csr; do
	if TPIN=$PIN "$CEREMONY" --config $c.yaml --yes --site site.yaml >$c.stdout 2>$c.stderr
	then pass "boulder $c: completes on the TPM token"
	else fail "boulder $c: on the TPM" "$(cat $c.stdout $c.stderr)"; fi
done
certs_ok boulder out/root-cert.pem out/root-cert.pem out/intermediate-cert.pem \
    out/ocsp-signer-cert.pem out/root-2-cross-cert.pem
check "boulder cross-csr: openssl req -verify" openssl req -in out/root-csr.pem -noout -verify
for c in root key ocsp-key root2; do sign_only "boulder $c" $c.transcript.jsonl; done

# ---- 6. the template's fallback, through tests/p11fault.c in front of the TPM module ----
# the first C_GenerateKeyPair fails with CKR_ATTRIBUTE_TYPE_INVALID (a token that rejects an
# optional attribute): generated once more without them, recorded; the read-back decides
in_dir fallback
cat > s.yaml <<EOF
tokens:
  t: {module: $TOP/build/libp11fault.so, token-label: tpm-issuing, pin: "env:TPIN"}
steps:
  - {id: ec, ceremony-type: key, token: t, label: fallback ec key, key: {type: ecdsa, ecdsa-curve: P-256}, outputs: {public-key-path: out/ec.pem}}
EOF
sed -e 's/ec, ceremony/rsa, ceremony/' -e 's/fallback ec key/fallback rsa key/' \
    -e 's/{type: ecdsa, ecdsa-curve: P-256}/{type: rsa, rsa-mod-length: 2048}/' -e 's/ec.pem/rsa.pem/' s.yaml > r.yaml
fault() { env P11FAULT_MODULE="$TPM_MODULE" P11FAULT_FAIL_AT=C_GenerateKeyPair:1 \
    P11FAULT_RV=0x12 TPIN=$PIN "$CEREMONY" run --yes --transcript "$@"; }
if fault ec.jsonl s.yaml >stdout 2>stderr; then pass "fallback: the P-256 key is generated again without the optional attributes"
else fail "fallback: P-256" "$(cat stdout stderr)"; fi
[ "$(jq -c 'select(.event == "key-generated") | .data | [.template.first_attempt,
    .template.retried_without, (.template.private | has("CKA_DECRYPT")), .read_back.private.CKA_DECRYPT]' ec.jsonl)" = \
  '["CKR_ATTRIBUTE_TYPE_INVALID",["private.CKA_DECRYPT","private.CKA_UNWRAP","private.CKA_DERIVE","private.CKA_SIGN_RECOVER"],false,false]' ] &&
    pass "fallback: the transcript records the first CKR_*, the attributes dropped, and the read-back that judged the key" ||
    fail "fallback: record" "$(jq -c 'select(.event == "key-generated") | .data.template' ec.jsonl)"
sign_only fallback ec.jsonl
# an RSA key made without CKA_DECRYPT=false decrypts on this token (its default): refused,
# destroyed, recorded, and nothing labelled with it stays
fault rsa.jsonl r.yaml >stdout 2>stderr; rc=$?
[ $rc = 1 ] && [ "$(grep -c . stderr)" = 1 ] &&
    grep -q "key 'fallback rsa key' (CKA_ID [0-9a-f]*) is refused: private key 'fallback rsa key' has CKA_DECRYPT = true, a CA key needs false" stderr &&
    [ "$(jq -r 'select(.event == "key-destroyed") | .data.objects | join(",")' rsa.jsonl)" = CKO_PRIVATE_KEY,CKO_PUBLIC_KEY ] &&
    ! tpm_objects tpm-issuing | grep -q 'fallback rsa key' &&
    pass "fallback: an RSA key that reads back CKA_DECRYPT=true is refused in one line naming it, destroyed (key-destroyed), gone from the token" ||
    fail "fallback: RSA refused (exit $rc)" "$(cat stderr; jq -c 'select(.event == "key-destroyed")' rsa.jsonl)"

# ---- 7. an error from the module names the call, the CKR_*, the step, the token, what to do ----
sed -e 's/fallback ec key/error key/' -e 's/ec.pem/err.pem/' s.yaml > e.yaml
env P11FAULT_MODULE="$TPM_MODULE" P11FAULT_FAIL_AT=C_GenerateKeyPair P11FAULT_RV=CKR_GENERAL_ERROR \
    TPIN=$PIN "$CEREMONY" run --yes --transcript e.jsonl e.yaml >stdout 2>stderr; rc=$?
[ $rc = 1 ] && [ "$(grep -c . stderr)" = 1 ] &&
    grep -q "^ceremony: e\.yaml:4:5: step ec: C_GenerateKeyPair failed with CKR_GENERAL_ERROR on token 'tpm-issuing' (manufacturer IBM), making an ECDSA P-256 key labelled 'error key'; nothing was created; the module's own log (on stderr) may say why; fix the cause, then --resume$" stderr &&
    pass "a CKR_GENERAL_ERROR from C_GenerateKeyPair: one line with the call, the CKR_*, the step, the token, that nothing was created, what to do" ||
    fail "C_GenerateKeyPair error (exit $rc)" "$(cat stderr)"
# a module that makes the pair and still reports the template rejected: no second try;
# the line says what it left and how to remove it
sed -e 's/fallback ec key/leftover key/' -e 's/ec.pem/left.pem/' s.yaml > l.yaml
env P11FAULT_MODULE="$TPM_MODULE" P11FAULT_FAIL_AT=C_GenerateKeyPair P11FAULT_RV=0x12 P11FAULT_AFTER=1 \
    TPIN=$PIN "$CEREMONY" run --yes --transcript l.jsonl l.yaml >stdout 2>stderr; rc=$?
[ $rc = 1 ] && [ "$(grep -c . stderr)" = 1 ] &&
    grep -Eq "C_GenerateKeyPair failed with CKR_ATTRIBUTE_TYPE_INVALID on token 'tpm-issuing' .*; yet it left 2 objects with CKA_ID ([0-9a-f]+): remove them \(pkcs11-tool --delete-object --id \1\)" stderr &&
    [ "$(tpm_objects tpm-issuing | grep -c 'label: *leftover key')" = 2 ] &&
    pass "a rejected template that left objects is not tried again; the line names them and how to remove them" ||
    fail "leftover after a rejected template (exit $rc)" "$(cat stderr)"

done_tests
