#!/usr/bin/env bash
# tests/t-verify.sh: `ceremony verify SCRIPT [--transcript FILE]` on the outputs of real
# ceremonies on throwaway SoftHSM tokens, without any HSM: it passes on them, and names
# each difference by field when a certificate or CSR is replaced by one from another run,
# when the script says something else, or when a file is missing.
source "$(dirname "$0")/lib.sh"

# says NAME PATTERN: the last command's stdout has a line matching the extended regex
says() {
	if grep -Eq -- "$2" "$WORK/out"; then pass "$1"; else fail "$1 (/$2/)" "$(cat "$WORK/out")"; fi
}

# run_hierarchy DIR: the example hierarchy on two new tokens, run in DIR (the root's key
# RSA-2048 rather than 4096, which SoftHSM takes seconds to make)
run_hierarchy() {
	new_softhsm
	init_token demo-root >/dev/null && init_token demo-issuing >/dev/null
	mkdir -p "$1/out" && cd "$1" && sed 's/rsa-mod-length: 4096/rsa-mod-length: 2048/' "$TOP/ceremonies/hierarchy.yaml" > hierarchy.yaml
	CEREMONY_PIN=$PIN ISSUING_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" hierarchy.yaml \
	    >run.out 2>&1 || fail "the hierarchy runs in $1" "$(cat run.out)"
}

run_hierarchy "$WORK/b"		# the other run, whose files replace this one's
run_hierarchy "$WORK/a"
T=hierarchy.transcript.jsonl
cp -r out out.orig

# ---- real outputs pass ----
expect "verify: the outputs are what the script makes" 0 '' "$CEREMONY" verify hierarchy.yaml
says "... all 3 certificates" '^verify: all 3 artefacts are what the script makes$'
says "... each identical, its signature verified with its issuer's key" \
    '^    signature verified with the key of .C = US, O = Example CA, CN = Example Root R1.$'
says "... without a transcript the serials are the files' (noted)" 'note: the serial is random in the script'
expect "verify --transcript: serials and keys from the run's transcript" 0 '' \
    "$CEREMONY" verify hierarchy.yaml --transcript "$T"
says "... the transcript checked" "^transcript $T: [0-9]+ records, verified$"
says "... the keys as the transcript records them" \
    "^e1-key \(key\): key 'E1 signing key' in out/e1.pub.pem and the transcript: as the script says$"
! grep -q 'note:' "$WORK/out" && pass "... and nothing taken from the files" || fail "... notes" "$(cat "$WORK/out")"
expect "verify --transcript before SCRIPT" 0 '' "$CEREMONY" verify --transcript "$T" hierarchy.yaml
# openssl, independently: the chain verifies
check "openssl verifies e1 with r1" openssl verify -attime "$(date -d '2026-12-02' +%s)" \
    -CAfile out/r1.cert.pem out/e1.cert.pem

# ---- a certificate from another run: a field-level report, exit 1 ----
cp "$WORK/b/out/e1.cert.pem" out/e1.cert.pem
expect "another run's e1: verify --transcript fails" 1 \
    '^ceremony: hierarchy.yaml: [0-9]+ differences from what the script makes \(1 of 3 artefacts\)$' \
    "$CEREMONY" verify hierarchy.yaml --transcript "$T"
says "... e1 DIFFERS" '^e1 \(intermediate\): out/e1.cert.pem: DIFFERS$'
says "... serial: script (the transcript's), file" '^    serial: script [0-9A-F]+, file [0-9A-F]+$'
says "... public key: script, file (SPKI SHA-256)" \
    '^    public key: script ECDSA P-384 \(SPKI SHA-256 [0-9a-f]{16}\), file ECDSA P-384 \(SPKI SHA-256 [0-9a-f]{16}\)$'
says "... SKI and AKI by value" '^    extension SKI: script [0-9A-F:]+; file [0-9A-F:]+$'
says "... the AKI names another issuer key" '^    extension AKI: script [0-9A-F:]+; file [0-9A-F:]+$'
says "... the signature does not verify with r1's key" \
    '^    signature: does not verify with the key of .C = US, O = Example CA, CN = Example Root R1.$'
says "... and the transcript recorded another certificate" \
    "^    the file is not the certificate-signed the transcript records \($T\)$"
says "... r1 and o1 still identical" '^o1 \(ocsp-signer\): out/o1.cert.pem: identical'
! openssl verify -attime "$(date -d '2026-12-02' +%s)" -CAfile out/r1.cert.pem out/e1.cert.pem \
    >/dev/null 2>&1 && pass "... openssl agrees: e1 does not verify with r1" || fail "openssl verified e1"
expect "another run's e1: verify without the transcript fails too" 1 'differences' \
    "$CEREMONY" verify hierarchy.yaml
says "... on the key, not the serial (taken from the file)" '^    public key: script ECDSA P-384'
cp out.orig/e1.cert.pem out/e1.cert.pem

# another run's CSR-free files: the root, and every key the transcript records
cp "$WORK/b/out/r1.cert.pem" out/r1.cert.pem
expect "another run's root: it and the two it issued differ" 1 '\(3 of 3 artefacts\)' \
    "$CEREMONY" verify hierarchy.yaml --transcript "$T"
says "... the root's own signature is checked with the script's key" \
    '^    signature: does not verify with the key of .C = US, O = Example CA, CN = Example Root R1. \(the root.s own\)$'
cp out.orig/r1.cert.pem out/r1.cert.pem
expect "another run's transcript: its serials and keys are not these files'" 1 'differences' \
    "$CEREMONY" verify hierarchy.yaml --transcript "$WORK/b/$T"
says "... the keys it records are not the public-key files" \
    '^    public key: the transcript records another key than the one in out/r1.pub.pem$'

# ---- the script says something else ----
sed 's/not-after: 2029-11-30 23:59:59/not-after: 2029-12-31 23:59:59/' hierarchy.yaml > later.yaml
expect "a later notAfter in the script" 1 'later.yaml: 1 difference from what the script makes' \
    "$CEREMONY" verify later.yaml
says "... notAfter: script ..., file ..." '^    notAfter: script 2029-12-31 23:59:59, file 2029-11-30 23:59:59$'
expect "... with the run's transcript: also the script's SHA-256" 1 'differences' \
    "$CEREMONY" verify later.yaml --transcript "$T"
says "... script SHA-256: script, transcript" '^    script SHA-256: script [0-9a-f]{64}, transcript [0-9a-f]{64}$'
awk '{ print } /ocsp-url: http:\/\/ocsp.example.com\// {
    print "      extension-order: [KU, BC, EKU, SKI, AKI, AIA, CP, CRLDP]" }' hierarchy.yaml > order.yaml
expect "another extension order in the script" 1 'difference' "$CEREMONY" verify order.yaml
says "... extension order: script KU,BC,EKU..., file KU,EKU,BC..." \
    '^    extension order: script KU,BC,EKU,SKI,AKI,AIA,CP,CRLDP, file KU,EKU,BC,SKI,AKI,AIA,CP,CRLDP$'
awk '{ print } /ocsp-url: http:\/\/ocsp.example.com\// {
    print "      string-types: {organization: utf8}" }' hierarchy.yaml > types.yaml
expect "another string type in the script" 1 'difference' "$CEREMONY" verify types.yaml
says "... subject string types" '^    subject string types: script C printable, O utf8, CN printable; file C printable, O printable, CN printable$'
sed 's/ecdsa-curve: P-384/ecdsa-curve: P-256/' hierarchy.yaml > curve.yaml
expect "another key size in the script" 1 'difference' "$CEREMONY" verify curve.yaml
says "... key: script ECDSA P-256, file ECDSA P-384" '^    key: script ECDSA P-256, file ECDSA P-384$'
sed 's/extension-order/extension-orde/' order.yaml > typo.yaml
expect "a script error: exit 2, file:line:col" 2 '^ceremony: typo.yaml:[0-9]+:[0-9]+: unknown key' \
    "$CEREMONY" verify typo.yaml
awk '{ print } /ocsp-url: http:\/\/ocsp.example.com\// {
    print "      extension-order: [KU, EKU, BC, SKI, AKI, AIA, CP, NC, CRLDP]" }' hierarchy.yaml > nc.yaml
expect "an extension-order naming one the certificate lacks: exit 2, the profile named" 2 \
    '^ceremony: nc.yaml:[0-9]+:[0-9]+: extension-order lists NC, which this certificate does not carry' \
    "$CEREMONY" verify nc.yaml

# ---- files not here ----
rm out/o1.cert.pem
expect "a missing certificate" 1 '\(1 of 3 artefacts\)' "$CEREMONY" verify hierarchy.yaml
says "... named" '^    out/o1.cert.pem is missing or holds no certificate$'
rm out/r1.cert.pem
expect "a missing root: the two it issued are not rebuilt" 1 '\(3 of 3 artefacts\)' \
    "$CEREMONY" verify hierarchy.yaml
says "... and say why" '^    not rebuilt: the certificate of step r1 is missing$'
rm -rf out && cp -r out.orig out && rm out/*.pub.pem
expect "no public-key files, the transcript: its keys are used" 0 '' \
    "$CEREMONY" verify hierarchy.yaml --transcript "$T"
says "... noted" "^    note: out/e1.pub.pem is not here; the transcript's key is used$"
expect "no public-key files, no transcript: each certificate's own key stands in" 0 '' \
    "$CEREMONY" verify hierarchy.yaml
says "... noted" '^    note: the key of step e1-key is in neither a transcript nor a public-key output here'
expect "... and the key block is still checked against it" 1 'difference' "$CEREMONY" verify curve.yaml
says "... key: script ECDSA P-256, file ECDSA P-384" '^    key: script ECDSA P-256, file ECDSA P-384$'
rm -rf out && cp -r out.orig out

# ---- a broken transcript ----
cp "$T" bad.jsonl && sed -i '5s/"seq":4/"seq":4 /' bad.jsonl
expect "a broken transcript: exit 1, its line named" 1 '^ceremony: bad.jsonl:[56]: ' \
    "$CEREMONY" verify hierarchy.yaml --transcript bad.jsonl

# ---- a CSR, and a Boulder root config ----
new_softhsm
slot=$(init_token csr-token 1234)
mkdir -p "$WORK/c/out" && cd "$WORK/c"
sed "s/store-key-in-slot: [0-9]*/store-key-in-slot: $slot/" "$TOP/ceremonies/boulder-root-p384.yaml" > root.yaml
sed "s/signing-key-slot: [0-9]*/signing-key-slot: $slot/" "$TOP/ceremonies/boulder-cross-csr.yaml" > csr.yaml
"$CEREMONY" --config root.yaml --yes --at "$PLANNED_AT" --transcript root.jsonl >run.out 2>&1 &&
    "$CEREMONY" --config csr.yaml --yes --at "$PLANNED_AT" --transcript csr.jsonl >>run.out 2>&1 ||
    fail "Boulder root and cross-csr configs run" "$(cat run.out)"
expect "a Boulder root config: verify passes (no AKI, as Boulder's)" 0 '' \
    "$CEREMONY" verify root.yaml --transcript root.jsonl
expect "a Boulder cross-csr config: the CSR is what it makes" 0 '' \
    "$CEREMONY" verify csr.yaml --transcript csr.jsonl
says "... its self-signature verified" '^    signature verified with the script.s key \(its own\)$'
openssl req -new -key <(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 2>/dev/null) \
    -subj "/C=US/O=Example CA/CN=Example Root X4" -sha384 -out other.csr 2>/dev/null
cp out/root-csr.pem csr.orig && cp other.csr out/root-csr.pem
expect "a CSR for another key: it differs" 1 'difference' "$CEREMONY" verify csr.yaml
says "... public key: script, file" '^    public key: script ECDSA P-384 \(SPKI SHA-256 [0-9a-f]{16}\), file ECDSA P-384'
says "... and it is not signed by the script's key" "^    signature: does not verify with the script's key \\(its own\\)$"
openssl req -new -key <(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 2>/dev/null) \
    -subj "/CN=Example Root X4/O=Example CA/C=US" -sha256 -out other.csr 2>/dev/null
cp other.csr out/root-csr.pem
expect "a CSR with another subject order and algorithm" 1 'difference' "$CEREMONY" verify csr.yaml
says "... the subject in its order" '^    subject: script .C = US, O = Example CA, CN = Example Root X4.; file .CN = Example Root X4, O = Example CA, C = US.$'
says "... the algorithm" '^    signature algorithm: script ECDSAWithSHA384 \(1.2.840.10045.4.3.3\), file 1.2.840.10045.4.3.2$'
cp csr.orig out/root-csr.pem

# ---- a cross-certificate, a technically constrained CA, an EKU list in its order ----
new_softhsm
init_token demo-root >/dev/null
mkdir -p "$WORK/x/out" && cd "$WORK/x"
awk '/<!-- example: constrained-and-cross.yaml -->/ { want = 1; next }
    want && /^```yaml/ { inb = 1; next } inb && /^```/ { exit } inb { print }' "$TOP/docs/script.md" > cross.yaml
cat > both.yaml <<'EOF'
tokens:
  root-hsm: {module: /usr/lib/softhsm/libsofthsm2.so, token-label: demo-root, pin: env:CEREMONY_PIN}
steps:
  - id: r6
    ceremony-type: root
    token: root-hsm
    label: June root key
    key: {type: ecdsa, ecdsa-curve: P-384}
    outputs: {public-key-path: out/r6.pub.pem, certificate-path: out/r6.cert.pem}
    certificate-profile: {signature-algorithm: ECDSAWithSHA384, common-name: Example Root June,
      organization: Example CA, country: US, not-before: 2026-06-01 00:00:00,
      not-after: 2046-05-31 23:59:59}
  - id: both-key
    ceremony-type: key
    token: root-hsm
    label: Both EKUs key
    key: {type: ecdsa, ecdsa-curve: P-256}
    outputs: {public-key-path: out/both.pub.pem}
  - id: both
    ceremony-type: intermediate
    issuer: r6
    subject-key: both-key
    outputs: {certificate-path: out/both.cert.pem}
    certificate-profile:
      signature-algorithm: ECDSAWithSHA384
      common-name: Example Client and Server CA
      organization: Example CA
      country: US
      not-before: 2026-06-01 00:00:00
      not-after: 2029-05-31 23:59:59
      crl-url: http://crl.example.com/r6.crl
      issuer-url: http://cert.example.com/r6.der
      policies: [{oid: 2.23.140.1.2.1}]
      ekus: [client, server]
EOF
CEREMONY_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" --transcript cross.jsonl cross.yaml >run.out 2>&1 ||
    fail "a cross-certificate and a constrained CA run" "$(cat run.out)"
# clientAuth is accepted for a notBefore before 2026-06-15: a rehearsal of that day
CEREMONY_PIN=$PIN "$CEREMONY" run --yes --at '2026-06-01 12:00:00' --transcript both.jsonl both.yaml >run.out 2>&1 ||
    fail "an EKU list runs" "$(cat run.out)"
openssl x509 -in out/both.cert.pem -noout -ext extendedKeyUsage 2>/dev/null | grep -q 'TLS Web Client Authentication, TLS Web Server Authentication' &&
    pass "ekus: [client, server]: clientAuth first (openssl x509 -ext)" ||
    fail "EKU order" "$(openssl x509 -in out/both.cert.pem -noout -ext extendedKeyUsage 2>&1)"
expect "verify: the cross-certificate and the constrained CA are what the script makes" 0 '' \
    "$CEREMONY" verify cross.yaml --transcript cross.jsonl
says "... the cross-certificate, signed by the old root" \
    '^new-by-old \(cross-certificate\): out/new-by-old.cert.pem: identical to what the script makes$'
says "... the constrained CA" '^customer \(intermediate\): out/customer.cert.pem: identical to what the script makes$'
expect "verify: the EKU list's certificate" 0 '' "$CEREMONY" verify both.yaml --transcript both.jsonl
sed 's/ekus: \[client, server\]/ekus: both/' both.yaml > both2.yaml
expect "ekus: both is serverAuth then clientAuth: another order" 1 'difference' "$CEREMONY" verify both2.yaml
says "... named by value" '^    extension EKU: script TLS Web Server Authentication, TLS Web Client Authentication; file TLS Web Client Authentication, TLS Web Server Authentication$'
cp out/new-by-old.cert.pem cross.keep && cp out/new.cert.pem out/new-by-old.cert.pem
expect "the new root where its cross-certificate belongs" 1 'difference' "$CEREMONY" verify cross.yaml
says "... its issuer is named" '^    issuer: script .C = US, O = Example CA, CN = Example Root 2016.; file .C = US, O = Example CA, CN = Example Root 2026.$'
cp cross.keep out/new-by-old.cert.pem

# ---- docs/script.md's renewal: E1's certificate again for its key, a year on ----
run_hierarchy "$WORK/c"
awk '/<!-- example-after-hierarchy: renew-e1.yaml -->/ { want = 1; next }
    want && /^```yaml/ { inb = 1; next } inb && /^```/ { exit } inb { print }' \
    "$TOP/docs/script.md" > renew-e1.yaml
[ -s renew-e1.yaml ] && pass "docs: the renewal example is there" || fail "docs: no renewal example"
expect "docs renewal: runs a year on with the root's key found by label" 0 '' \
    env CEREMONY_PIN=$PIN "$CEREMONY" run --yes --at '2027-11-15 12:00:00' renew-e1.yaml
[ "$(openssl x509 -in out/e1-2027.cert.pem -noout -pubkey)" = \
  "$(openssl x509 -in out/e1.cert.pem -noout -pubkey)" ] &&
  [ "$(openssl x509 -in out/e1-2027.cert.pem -noout -subject)" = \
  "$(openssl x509 -in out/e1.cert.pem -noout -subject)" ] &&
  [ "$(openssl x509 -in out/e1-2027.cert.pem -noout -serial)" != \
  "$(openssl x509 -in out/e1.cert.pem -noout -serial)" ] &&
    pass "docs renewal: the same subject and key, a new serial" ||
    fail "docs renewal: subject, key, serial"
expect "docs renewal: openssl verify -x509_strict under the root, a year on" 0 '' \
    openssl verify -x509_strict -attime "$(date -d '2027-11-16 00:00:00Z' +%s)" \
    -CAfile out/r1.cert.pem out/e1-2027.cert.pem
expect "docs renewal: ceremony verify rebuilds it" 0 '' \
    "$CEREMONY" verify --transcript renew-e1.transcript.jsonl renew-e1.yaml
n=$(grep -c '"event":"key-generated"' renew-e1.transcript.jsonl)
[ "$n" = 0 ] && pass "docs renewal: no key generated" || fail "docs renewal: $n keys generated"

# ---- usage ----
expect "verify without SCRIPT (exit 2)" 2 '^ceremony: verify: expected one SCRIPT' "$CEREMONY" verify
expect "verify with two scripts (exit 2)" 2 'expected one SCRIPT' "$CEREMONY" verify root.yaml csr.yaml
expect "verify --transcript without a value (exit 2)" 2 'needs a value' "$CEREMONY" verify root.yaml --transcript
expect "verify --outputs (exit 2)" 2 'unknown option --outputs' "$CEREMONY" verify --outputs root.yaml
expect "verify a missing script (exit 2)" 2 '^ceremony: nosuch.yaml: ' "$CEREMONY" verify nosuch.yaml
expect "verify --help" 0 '' "$CEREMONY" verify --help
says "... usage" '^usage: ceremony verify SCRIPT \[--transcript FILE\]$'

done_tests
