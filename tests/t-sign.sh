#!/usr/bin/env bash
# tests/t-sign.sh: the signing ceremonies (intermediate, cross-certificate, ocsp-signer,
# cross-csr) end to end on throwaway SoftHSM tokens, checked with openssl, certtool and
# pkcs11-tool: the example hierarchy unchanged, a now-dated hierarchy, Boulder's configs
# unchanged, a cross-certificate, and a signing key that does not match its issuer.
source "$(dirname "$0")/lib.sh"

NB=$(date -u -d '-1 hour' '+%Y-%m-%d %H:%M:%S')
NA=$(date -u -d '+20 years -2 hours' '+%Y-%m-%d %H:%M:%S')
NA_SUB=$(date -u -d '+3 years' '+%Y-%m-%d %H:%M:%S')
NA_OCSP=$(date -u -d '+300 days' '+%Y-%m-%d %H:%M:%S')
PLANNED=$(date -d '2026-12-02 12:00:00Z' +%s)	# the examples' planned ceremony day

# ext CERT NAME: the text of one extension as openssl prints it
ext() { openssl x509 -in "$1" -noout -ext "$2" 2>/dev/null | tail -n +2 | tr -d ' '; }
# der_ext_hex CERT OID-NAME: the hex extnValue bytes following the OID in asn1parse output
nocheck_hex() { openssl asn1parse -in "$1" | grep -A1 'OCSP No Check' | sed -n 's/.*\[HEX DUMP\]://p'; }

# intermediate_ok NAME CERT ROOT [ATTIME]: a TLS subordinate CA under ROOT
intermediate_ok() {
	local n=$1 c=$2 root=$3 at=${4:-} t
	check "$n: openssl verify -x509_strict -purpose sslserver" \
	    openssl verify -x509_strict -purpose sslserver ${at:+-attime "$at"} -CAfile "$root" "$c"
	t=$(openssl x509 -in "$c" -noout -text)
	if grep -q 'CA:TRUE, pathlen:0' <<<"$t" && grep -q 'TLS Web Server Authentication' <<<"$t" &&
	    grep -q 'Policy: 2.23.140.1.2.1' <<<"$t" &&
	    grep -A2 'CRL Distribution Points' <<<"$t" | grep -q 'URI:http://' &&
	    grep -q 'CA Issuers - URI:http://' <<<"$t" && ! grep -q 'Client Authentication' <<<"$t" &&
	    [ "$(ext "$c" authorityKeyIdentifier)" = "$(ext "$root" subjectKeyIdentifier)" ] &&
	    [ "$(openssl x509 -in "$c" -noout -issuer -nameopt RFC2253)" = \
	      "issuer=$(openssl x509 -in "$root" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')" ]; then
		pass "$n: BR 7.1.2.6 profile (pathLen 0, serverAuth only, DV policy, CRL DP, AIA, AKI = issuer SKI)"
	else
		fail "$n: subordinate profile" "$t"
	fi
}

# responder_ok NAME CERT ROOT [ATTIME]: a delegated OCSP responder under ROOT
responder_ok() {
	local n=$1 c=$2 root=$3 at=${4:-} t
	check "$n: openssl verify -x509_strict" \
	    openssl verify -x509_strict ${at:+-attime "$at"} -CAfile "$root" "$c"
	t=$(openssl x509 -in "$c" -noout -text)
	if [ "$(nocheck_hex "$c")" = 0500 ] && grep -A1 'Key Usage: critical' <<<"$t" | grep -qx ' *Digital Signature' &&
	    [ "$(ext "$c" extendedKeyUsage)" = OCSPSigning ] && ! grep -q 'CA:TRUE' <<<"$t" &&
	    ! grep -q 'CRL Distribution' <<<"$t" &&
	    [ "$(ext "$c" authorityKeyIdentifier)" = "$(ext "$root" subjectKeyIdentifier)" ]; then
		pass "$n: BR 7.1.2.8 profile (nocheck 0500, KU digitalSignature, EKU OCSPSigning only, no CRL DP, AKI)"
	else
		fail "$n: OCSP responder profile" "$t"
	fi
}

# ---- 1. the example hierarchy, unchanged: RSA-4096 root, P-384 issuing CA on a second token, P-256 OCSP responder ----
new_softhsm
init_token demo-root >/dev/null
init_token demo-issuing "$PIN-2" >/dev/null
mkdir -p "$WORK/h/out" && cd "$WORK/h"
cp "$TOP/ceremonies/hierarchy.yaml" .
if CEREMONY_PIN=$PIN ISSUING_PIN=$PIN-2 "$CEREMONY" run --yes --at "$PLANNED_AT" hierarchy.yaml >stdout 2>stderr; then
	pass "hierarchy: one command, two tokens"
else
	fail "hierarchy: one command, two tokens" "$(cat stdout stderr)"
fi
intermediate_ok "hierarchy e1" out/e1.cert.pem out/r1.cert.pem "$PLANNED"
responder_ok "hierarchy o1" out/o1.cert.pem out/r1.cert.pem "$PLANNED"
check "hierarchy: the root verifies" openssl verify -x509_strict -check_ss_sig -attime "$PLANNED" \
    -CAfile out/r1.cert.pem out/r1.cert.pem
openssl x509 -in out/r1.cert.pem -noout -text | grep -q 'Public-Key: (4096 bit)' &&
    openssl x509 -in out/e1.cert.pem -noout -text | grep -q 'NIST CURVE: P-384' &&
    openssl x509 -in out/o1.cert.pem -noout -text | grep -q 'NIST CURVE: P-256' &&
    pass "hierarchy: RSA-4096 root, P-384 issuing CA, P-256 responder" || fail "hierarchy: key types"
objects demo-issuing "$PIN-2" | grep -q 'label: *E1 signing key' &&
    objects demo-issuing "$PIN-2" | grep -q 'label: *O1 OCSP signing key' &&
    ! objects demo-root | grep -q 'E1 signing key' &&
    pass "hierarchy: the issuing keys are on the second token (pkcs11-tool)" ||
    fail "hierarchy: keys on tokens" "$(objects demo-issuing "$PIN-2")"
last=$(chain_ok hierarchy.transcript.jsonl) && grep -q "$last" stdout &&
    pass "hierarchy: transcript chain" || fail "hierarchy: transcript chain" "$last"
[ "$(jq -r 'select(.event=="certificate-signed" and .data.step=="e1") | .data.issuer_pem' hierarchy.transcript.jsonl)" = \
  "$(cat out/r1.cert.pem)" ] &&
    [ "$(jq -r 'select(.event=="certificate-signed" and .data.step=="r1") | .data.issuer_pem' hierarchy.transcript.jsonl)" = null ] &&
    pass "hierarchy: the transcript records each certificate's issuer" || fail "hierarchy: issuer_pem"
grep -rqF -- "$PIN" out hierarchy.transcript.jsonl stdout stderr &&
    fail "hierarchy: a PIN leaked" || pass "hierarchy: no PIN in outputs, transcript, stdout, stderr"

# ---- 2. a now-dated hierarchy for GnuTLS (certtool has no -attime) ----
new_softhsm
init_token now-root >/dev/null
mkdir -p "$WORK/now/out" && cd "$WORK/now"
sed -e "s/not-before: .*/not-before: $NB/" -e "0,/not-after: .*/s//not-after: $NA/" \
    -e "0,/not-after: 2029.*/s//not-after: $NA_SUB/" -e "s/not-after: 2027.*/not-after: $NA_OCSP/" \
    -e 's/token-label: demo-issuing/token-label: now-root/' -e 's/token-label: demo-root/token-label: now-root/' \
    "$TOP/ceremonies/hierarchy.yaml" > now.yaml
if CEREMONY_PIN=$PIN ISSUING_PIN=$PIN "$CEREMONY" run --yes now.yaml >stdout 2>stderr; then pass "now: runs"
else fail "now: runs" "$(cat stdout stderr)"; fi
cat out/e1.cert.pem out/r1.cert.pem > chain.pem
check "now: certtool --verify-chain (issuing CA -> root)" certtool --verify-chain --infile chain.pem
check "now: certtool --verify (issuing CA under the root)" \
    certtool --verify --load-ca-certificate out/r1.cert.pem --infile out/e1.cert.pem
check "now: certtool --verify (OCSP responder under the root)" \
    certtool --verify --load-ca-certificate out/r1.cert.pem --infile out/o1.cert.pem
intermediate_ok "now e1" out/e1.cert.pem out/r1.cert.pem
responder_ok "now o1" out/o1.cert.pem out/r1.cert.pem

# ---- 3. Boulder configs, unchanged apart from slot ID, PIN and dates ----
new_softhsm
slot=$(init_token boulder-sign)
mkdir -p "$WORK/b/out" && cd "$WORK/b"
# boulder CONFIG OUT [SED...]: the config with this token's slot, the PIN, and dates around now
boulder() {
	local cfg=$1 out=$2; shift 2
	sed -e "s/-in-slot: 0/-in-slot: $slot/" -e "s/signing-key-slot: 0/signing-key-slot: $slot/" \
	    -e "s/pin: 1234/pin: '$PIN'/" -e "s/not-before: .*/not-before: $NB/" "$@" \
	    "$TOP/ceremonies/$cfg" > "$out"
}
boulder boulder-root-p384.yaml root.yaml -e "s/not-after: .*/not-after: $NA/"
boulder boulder-key.yaml key.yaml
boulder boulder-key.yaml ocsp-key.yaml -e 's/intermediate signing key/ocsp signer key/' \
    -e 's/intermediate-signing-pub/ocsp-signer-signing-pub/' -e 's/P-384/P-256/'
boulder boulder-root-p384.yaml root2.yaml -e "s/not-after: .*/not-after: $NA/" \
    -e 's/root signing key/root 2 signing key/' -e 's/Root X4/Root X5/' \
    -e 's/root-signing-pub/root-2-signing-pub/' -e 's/root-cert/root-2-cert/'
boulder boulder-intermediate.yaml int.yaml -e "s/not-after: .*/not-after: $NA_SUB/"
boulder boulder-ocsp-signer.yaml ocsp.yaml -e "s/not-after: .*/not-after: $NA_OCSP/"
boulder boulder-cross-certificate.yaml cross.yaml -e "s/not-after: .*/not-after: $NA_SUB/"
boulder boulder-cross-csr.yaml csr.yaml
for c in root key ocsp-key root2 int ocsp cross csr; do
	if "$CEREMONY" --config $c.yaml --yes >$c.stdout 2>$c.stderr; then pass "boulder $c: ceremony --config --yes"
	else fail "boulder $c: ceremony --config --yes" "$(cat $c.stdout $c.stderr)"; fi
done
intermediate_ok "boulder intermediate" out/intermediate-cert.pem out/root-cert.pem
check "boulder intermediate: certtool --verify" \
    certtool --verify --load-ca-certificate out/root-cert.pem --infile out/intermediate-cert.pem
responder_ok "boulder ocsp-signer" out/ocsp-signer-cert.pem out/root-cert.pem
check "boulder cross-certificate: verifies under the cross-signing root" \
    openssl verify -x509_strict -CAfile out/root-cert.pem out/root-2-cross-cert.pem
check "boulder cross-certificate: certtool --verify" \
    certtool --verify --load-ca-certificate out/root-cert.pem --infile out/root-2-cross-cert.pem
[ "$(openssl x509 -in out/root-2-cross-cert.pem -noout -subject)" = "$(openssl x509 -in out/root-2-cert.pem -noout -subject)" ] &&
    [ "$(openssl x509 -in out/root-2-cross-cert.pem -noout -pubkey)" = "$(openssl x509 -in out/root-2-cert.pem -noout -pubkey)" ] &&
    [ "$(ext out/root-2-cross-cert.pem subjectKeyIdentifier)" = "$(ext out/root-2-cert.pem subjectKeyIdentifier)" ] &&
    [ "$(ext out/root-2-cross-cert.pem authorityKeyIdentifier)" = "$(ext out/root-cert.pem subjectKeyIdentifier)" ] &&
    [ "$(ext out/root-2-cross-cert.pem extendedKeyUsage)" = TLSWebServerAuthentication ] &&
    openssl x509 -in out/root-2-cross-cert.pem -noout -text | grep -q 'CA:TRUE$' &&
    pass "boulder cross-certificate: the existing subject, key and SKI; AKI = issuer SKI; serverAuth; no pathLen" ||
    fail "boulder cross-certificate: copied fields" "$(openssl x509 -in out/root-2-cross-cert.pem -noout -text)"
check "boulder cross-csr: openssl req -verify" openssl req -in out/root-csr.pem -noout -verify
[ "$(openssl req -in out/root-csr.pem -noout -pubkey)" = "$(cat out/root-signing-pub.pem)" ] &&
    [ "$(openssl req -in out/root-csr.pem -noout -subject -nameopt RFC2253)" = "subject=CN=Example Root X4,O=Example CA,C=US" ] &&
    pass "boulder cross-csr: the root's key and the subject only" || fail "boulder cross-csr: content"
[ "$(jq -r 'select(.event=="key-found") | .data.label' int.transcript.jsonl)" = "root signing key" ] &&
    pass "boulder intermediate: the transcript records the signing key found by label and key material" ||
    fail "boulder intermediate: key-found record"

# ---- 4. a native cross-certificate: an old root cross-signs a new root, in one script ----
new_softhsm
X_CONF=$SOFTHSM2_CONF
init_token cross >/dev/null
mkdir -p "$WORK/x/out" && cd "$WORK/x"
cat > x.yaml <<YAML
tokens:
  t: {module: $MODULE, token-label: cross, pin: env:T_PIN}
steps:
  - id: old
    ceremony-type: root
    token: t
    label: old root key
    key: {type: ecdsa, ecdsa-curve: P-384}
    outputs: {public-key-path: out/old.pub.pem, certificate-path: out/old.pem}
    certificate-profile: {signature-algorithm: ECDSAWithSHA384, common-name: Old Root,
      organization: Cross CA, country: NL, not-before: $NB, not-after: $NA}
  - id: new
    ceremony-type: root
    token: t
    label: new root key
    key: {type: rsa, rsa-mod-length: 2048}
    outputs: {public-key-path: out/new.pub.pem, certificate-path: out/new.pem}
    certificate-profile: {signature-algorithm: SHA256WithRSA, common-name: New Root,
      organization: Cross CA, country: NL, not-before: $NB, not-after: $NA}
  - id: new-cross
    ceremony-type: cross-certificate
    issuer: old
    certificate-to-cross-sign: new
    outputs: {certificate-path: out/new-cross.pem}
    certificate-profile:
      signature-algorithm: ECDSAWithSHA384
      common-name: New Root
      organization: Cross CA
      country: NL
      not-before: $NB
      not-after: $NA_SUB
      crl-url: http://crl.example.nl/old.crl
      issuer-url: http://cert.example.nl/old.der
      policies: [{oid: 2.23.140.1.2.1}]
  - id: sub-key
    ceremony-type: key
    token: t
    label: sub key
    key: {type: ecdsa, ecdsa-curve: P-384}
    outputs: {public-key-path: out/sub.pub.pem}
  - id: sub
    ceremony-type: intermediate
    issuer: new
    subject-key: sub-key
    outputs: {certificate-path: out/sub.pem}
    certificate-profile:
      signature-algorithm: SHA256WithRSAPSS
      common-name: Sub CA
      organization: Cross CA
      country: NL
      not-before: $NB
      not-after: $NA_SUB
      crl-url: http://crl.example.nl/new.crl
      issuer-url: http://cert.example.nl/new.der
      policies: [{oid: 2.23.140.1.2.1}]
  - id: sub-ocsp-key
    ceremony-type: key
    token: t
    label: sub ocsp key
    key: {type: ecdsa, ecdsa-curve: P-256}
    outputs: {public-key-path: out/sub-ocsp.pub.pem}
  - id: sub-ocsp
    ceremony-type: ocsp-signer
    issuer: sub
    subject-key: sub-ocsp-key
    outputs: {certificate-path: out/sub-ocsp.pem}
    certificate-profile: {signature-algorithm: ECDSAWithSHA384, common-name: Sub CA OCSP,
      organization: Cross CA, country: NL, not-before: $NB, not-after: $NA_OCSP}
YAML
if T_PIN=$PIN "$CEREMONY" run --yes x.yaml >stdout 2>stderr; then pass "native cross: runs"
else fail "native cross: runs" "$(cat stdout stderr)"; fi
check "native cross: verifies under the old root" openssl verify -x509_strict -CAfile out/old.pem out/new-cross.pem
check "native cross: an OCSP responder of the intermediate below the new root verifies through the cross-certificate to the old root" \
    openssl verify -x509_strict -CAfile out/old.pem -untrusted out/new-cross.pem -untrusted out/sub.pem out/sub-ocsp.pem
check "native cross: certtool --verify" certtool --verify --load-ca-certificate out/old.pem --infile out/new-cross.pem
[ "$(openssl x509 -in out/new-cross.pem -noout -pubkey)" = "$(cat out/new.pub.pem)" ] &&
    [ "$(ext out/new-cross.pem subjectKeyIdentifier)" = "$(ext out/new.pem subjectKeyIdentifier)" ] &&
    pass "native cross: the new root's key and SKI" || fail "native cross: key and SKI"

# ---- 7. reproduction: an RSA PKCS#1 intermediate, signed again with its serial pinned, is byte-identical ----
cd "$WORK/b"
sed -e 's/ECDSAWithSHA384/SHA256WithRSA/' -e 's/root signing key/new root key/' \
    -e "s/signing-key-slot: 0/token-label: cross/" -e "s/pin: 1234/pin: env:T_PIN/" \
    -e "s|issuer-certificate-path: .*|issuer-certificate-path: $WORK/x/out/new.pem|" \
    -e "s|public-key-path: .*|public-key-path: $WORK/x/out/sub.pub.pem|" \
    -e "s/not-before: .*/not-before: $NB/" -e "s/not-after: .*/not-after: $NA_SUB/" \
    -e 's|out/intermediate-cert.pem|out/repro-1.pem|' \
    "$TOP/ceremonies/boulder-intermediate.yaml" > repro1.yaml
export SOFTHSM2_CONF=$X_CONF	# the token of section 4, holding the new root's key
if T_PIN=$PIN "$CEREMONY" --config repro1.yaml --yes >r1.out 2>&1; then
	serial=$(openssl x509 -in out/repro-1.pem -noout -serial | cut -d= -f2)
	# the same script, with the first run's serial pinned and another output path
	sed -e 's|out/repro-1.pem|out/repro-2.pem|' \
	    -e "s/    key-usages:/    serial: $serial\n    key-usages:/" repro1.yaml > repro2.yaml
fi
if T_PIN=$PIN "$CEREMONY" --config repro2.yaml --yes >r2.out 2>&1 &&
    cmp -s out/repro-1.pem out/repro-2.pem &&
    [ "$(jq -r 'select(.event=="certificate-signed") | .data.serial_pinned' repro2.transcript.jsonl)" = true ]; then
	pass "reproduction: pinning the serial of the first run, the same script signs the same intermediate, byte for byte; the transcript says the serial was pinned"
else
	fail "reproduction" "$(cat r1.out r2.out)"
fi

# ---- 5. a signing key that does not match its issuer: refused before anything changes ----
new_softhsm
init_token mismatch >/dev/null
mkdir -p "$WORK/m/out" && cd "$WORK/m"
cp "$WORK/x/out/old.pem" issuer.pem
cat > k.yaml <<YAML
tokens:
  t: {module: $MODULE, token-label: mismatch, pin: env:T_PIN}
steps:
  - id: k
    ceremony-type: key
    token: t
    label: not the issuer's key
    key: {type: ecdsa, ecdsa-curve: P-384}
    outputs: {public-key-path: out/k.pub.pem}
YAML
T_PIN=$PIN "$CEREMONY" run --yes k.yaml >/dev/null 2>&1
cat > m.yaml <<YAML
tokens:
  t: {module: $MODULE, token-label: mismatch, pin: env:T_PIN}
steps:
  - id: e
    ceremony-type: key
    token: t
    label: a new key
    key: {type: ecdsa, ecdsa-curve: P-256}
    outputs: {public-key-path: out/e.pub.pem}
  - id: i
    ceremony-type: intermediate
    token: t
    label: not the issuer's key
    inputs: {issuer-certificate-path: issuer.pem}
    subject-key: e
    outputs: {certificate-path: out/i.pem}
    certificate-profile:
      signature-algorithm: ECDSAWithSHA384
      common-name: Sub CA
      organization: Cross CA
      country: NL
      not-before: $NB
      not-after: $NA_SUB
      crl-url: http://crl.example.nl/old.crl
      issuer-url: http://cert.example.nl/old.der
      policies: [{oid: 2.23.140.1.2.1}]
YAML
before=$(count_objects mismatch)
T_PIN=$PIN "$CEREMONY" run --yes m.yaml >stdout 2>stderr; rc=$?
[ $rc -eq 1 ] && [ "$(wc -l < stderr)" -eq 1 ] && [ ! -s stdout ] &&
    grep -q "^ceremony: m.yaml:13:12: the public key labelled 'not the issuer's key' on token 'mismatch' is not the key the step expects" stderr &&
    [ ! -e m.transcript.jsonl ] && [ ! -e out/e.pub.pem ] && [ ! -e out/i.pem ] &&
    [ "$(count_objects mismatch)" = "$before" ] &&
    pass "a key that does not match its issuer: one line, exit 1, no key made, no file written" ||
    fail "a key that does not match its issuer" "rc=$rc $(cat stdout stderr)"

# ---- 6. a technically constrained subordinate CA: name constraints enforced by OpenSSL ----
new_softhsm
init_token tc >/dev/null
mkdir -p "$WORK/tc/out" && cd "$WORK/tc"
cat > tc.yaml <<YAML
tokens:
  t: {module: $MODULE, token-label: tc, pin: env:T_PIN}
steps:
  - id: r
    ceremony-type: root
    token: t
    label: root key
    key: {type: ecdsa, ecdsa-curve: P-256}
    outputs: {public-key-path: out/r.pub.pem, certificate-path: out/r.pem}
    certificate-profile: {signature-algorithm: ECDSAWithSHA256, common-name: TC Root,
      organization: TC CA, country: NL, not-before: $NB, not-after: $NA}
  - id: k
    ceremony-type: key
    token: t
    label: tc key
    key: {type: ecdsa, ecdsa-curve: P-256}
    outputs: {public-key-path: out/k.pub.pem}
  - id: tc
    ceremony-type: intermediate
    issuer: r
    subject-key: k
    outputs: {certificate-path: out/tc.pem}
    certificate-profile:
      signature-algorithm: ECDSAWithSHA256
      common-name: Customer TC CA
      organization: TC CA
      country: NL
      not-before: $NB
      not-after: $NA_SUB
      crl-url: http://crl.example.nl/r.crl
      issuer-url: http://cert.example.nl/r.der
      policies: [{oid: 2.23.140.1.2.2}]
      name-constraints:
        permitted-dns: [customer.example]
        excluded-dns: [secret.customer.example]
        permitted-ip: [192.0.2.0/24]
        permitted-dn: [{country: NL, organization: Customer BV}]
YAML
# the plan a reviewer signs off shows the constraints (and policies, URLs, EKUs) it will carry
out=$(T_PIN=$PIN "$CEREMONY" check tc.yaml 2>&1)
grep -q '^    carries X509v3 Name Constraints (critical): Permitted: DNS:customer.example; IP:192.0.2.0/255.255.255.0; DirName:C = NL, O = Customer BV; Excluded: DNS:secret.customer.example; IP:0:0:0:0:0:0:0:0/0:0:0:0:0:0:0:0$' <<<"$out" &&
    grep -q '^    carries X509v3 Certificate Policies: Policy: ' <<<"$out" &&
    grep -q '^    carries X509v3 Extended Key Usage: ' <<<"$out" &&
    grep -q '^    carries X509v3 CRL Distribution Points: Full Name: URI:http' <<<"$out" &&
    pass "tc: check's plan shows the name constraints, policies, EKUs and URLs it will carry" ||
    fail "tc: check's plan" "$out"
if T_PIN=$PIN "$CEREMONY" run --yes tc.yaml >stdout 2>stderr; then pass "tc: runs"
else fail "tc: runs" "$(cat stdout stderr)"; fi
check "tc: verifies under the root" openssl verify -x509_strict -CAfile out/r.pem out/tc.pem
check "tc: certtool --verify" certtool --verify --load-ca-certificate out/r.pem --infile out/tc.pem
nc=$(openssl x509 -in out/tc.pem -noout -ext nameConstraints)
[ "$nc" = "X509v3 Name Constraints: critical
    Permitted:
      DNS:customer.example
      IP:192.0.2.0/255.255.255.0
      DirName:C = NL, O = Customer BV
    Excluded:
      DNS:secret.customer.example
      IP:0:0:0:0:0:0:0:0/0:0:0:0:0:0:0:0" ] &&
    pass "tc: critical nameConstraints with the required ::/0 exclusion (no IPv6 permitted)" ||
    fail "tc: nameConstraints" "$nc"
# Leaves signed by the TC CA's HSM key through the libp11 engine: the constraints hold in OpenSSL.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key \
    -subj "/C=NL/O=Customer BV/CN=www.customer.example" -out leaf.csr 2>/dev/null
leaf() {	# NAME DNS-NAME: a leaf for DNS-NAME signed by the TC CA's key on the token
	printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:%s\n' "$2" > "$1.ext"
	openssl x509 -req -in leaf.csr -engine pkcs11 -CAkeyform engine -CA out/tc.pem -days 30 \
	    -CAkey "pkcs11:token=tc;object=tc%20key;type=private?pin-value=$PIN" -set_serial 7 \
	    -extfile "$1.ext" -out "$1.pem" >/dev/null 2>&1
	openssl verify -x509_strict -purpose sslserver -CAfile out/r.pem -untrusted out/tc.pem "$1.pem" 2>&1
}
leaf ok www.customer.example | grep -q ': OK$' &&
    leaf other www.other.example | grep -q 'permitted subtree violation' &&
    leaf secret a.secret.customer.example | grep -q 'excluded subtree violation' &&
    pass "tc: a leaf inside the constraints verifies; outside or excluded it does not" ||
    fail "tc: constraints enforced" "$(leaf ok www.customer.example)"

done_tests
