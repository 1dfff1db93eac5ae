#!/usr/bin/env bash
# tests/t-reproduce.sh: reproduction on SoftHSM.  An intermediate signed twice, the second
# time by a script whose issuer is a file and whose signing key is found by label, with
# the same pinned serial: with RSA PKCS#1 v1.5 the two certificates are byte-identical;
# with ECDSA the TBS is the same and the signature fresh.  A certificate described by
# `ceremony describe` is made again on the HSM byte for byte, and re-issued with new dates
# and nothing else changed.
source "$(dirname "$0")/lib.sh"

# tbs FILE: the hex of a certificate's to-be-signed part, cut out with openssl asn1parse
tbs() {
	openssl x509 -in "$1" -outform DER -out "$WORK/c.der"
	local off hl len
	read -r off hl len < <(openssl asn1parse -inform DER -in "$WORK/c.der" |
	    awk 'NR == 2 { sub(/:.*/, "", $1); h = $0; sub(/.*hl=/, "", h); sub(/ .*/, "", h);
	    l = $0; sub(/.* l= */, "", l); sub(/ .*/, "", l); print $1, h, l }')
	tail -c +$((off + 1)) "$WORK/c.der" | head -c $((hl + len)) | od -An -tx1 | tr -d ' \n'
}

new_softhsm
init_token repro >/dev/null
mkdir -p "$WORK/r/out" "$WORK/r/again" && cd "$WORK/r"

# The profile both scripts share, with a pinned serial.
profile() {	# NAME SIGALG SERIAL
	cat <<EOF
    certificate-profile:
      signature-algorithm: $2
      common-name: Repro Issuing CA $1
      organization: Repro CA
      country: US
      not-before: 2026-12-01 00:00:00
      not-after: 2029-11-30 23:59:59
      crl-url: http://crl.example.com/root.crl
      issuer-url: http://cert.example.com/root.der
      policies: [{oid: 2.23.140.1.2.1}]
      serial: $3
EOF
}
# intermediate ID HOW NAME SIGALG SERIAL DIR: a step whose issuer and keys HOW names
intermediate() {
	printf '  - id: %s\n    ceremony-type: intermediate\n%s\n    outputs: {certificate-path: %s/%s.cert.pem}\n' \
	    "$1" "$2" "$6" "$1"
	profile "$3" "$4" "$5"
}
TOKENS="tokens:
  hsm: {module: $MODULE, token-label: repro, pin: env:CEREMONY_PIN}
steps:"
RSA_SERIAL=5eedc58a85a2c62345e0a8c452538791 EC_SERIAL=5eed3a5c91e27d0b48f6a1e2c3d4b5a6
# root ID LABEL KEY SIGALG CN
root() {
	cat <<EOF
  - id: $1
    ceremony-type: root
    token: hsm
    label: $2
    key: $3
    outputs: {public-key-path: out/$1.pub.pem, certificate-path: out/$1.cert.pem}
    certificate-profile: {signature-algorithm: $4, common-name: $5, organization: Repro CA,
      country: US, not-before: 2026-12-01 00:00:00, not-after: 2036-11-30 23:59:59}
EOF
}
{
	echo "$TOKENS"
	root rsa-root 'RSA root key' '{type: rsa, rsa-mod-length: 2048}' SHA256WithRSA 'Repro Root RSA'
	root ec-root 'ECDSA root key' '{type: ecdsa, ecdsa-curve: P-384}' ECDSAWithSHA384 'Repro Root ECC'
	cat <<EOF
  - id: e-key
    ceremony-type: key
    token: hsm
    label: issuing key
    key: {type: ecdsa, ecdsa-curve: P-256}
    outputs: {public-key-path: out/e.pub.pem}
EOF
	intermediate i-rsa $'    issuer: rsa-root\n    subject-key: e-key' RSA SHA256WithRSA $RSA_SERIAL out
	intermediate i-ec $'    issuer: ec-root\n    subject-key: e-key' ECC ECDSAWithSHA384 $EC_SERIAL out
} > first.yaml
# The same two intermediates again: the issuer is now a file, its key found by label.
by_label() {	# ROOT LABEL
	printf '    token: hsm\n    label: %s\n    inputs: {issuer-certificate-path: out/%s.cert.pem, public-key-path: out/e.pub.pem}' \
	    "$2" "$1"
}
{
	echo "$TOKENS"
	intermediate i-rsa "$(by_label rsa-root 'RSA root key')" RSA SHA256WithRSA $RSA_SERIAL again
	intermediate i-ec "$(by_label ec-root 'ECDSA root key')" ECC ECDSAWithSHA384 $EC_SERIAL again
} > again.yaml

export CEREMONY_PIN=$PIN
check "the first ceremony signs both intermediates" \
    "$CEREMONY" run --yes --at "$PLANNED_AT" --transcript first.jsonl first.yaml
check "the second signs them again, the issuer's key found by label" \
    "$CEREMONY" run --yes --at "$PLANNED_AT" --transcript again.jsonl again.yaml
grep -q '"event":"key-found"' again.jsonl && pass "... the second run found the root keys by label" ||
    fail "... key-found"

# RSA PKCS#1 v1.5: deterministic, so the same certificate
cmp -s out/i-rsa.cert.pem again/i-rsa.cert.pem &&
    pass "RSA PKCS#1 v1.5, pinned serial: signed twice, byte-identical" ||
    fail "RSA: not byte-identical" "$(diff <(openssl x509 -in out/i-rsa.cert.pem -text) <(openssl x509 -in again/i-rsa.cert.pem -text))"
[ "$(jq -r 'select(.event == "certificate-signed" and .data.step == "i-rsa") | .data.certificate.sha256' first.jsonl)" = \
  "$(jq -r 'select(.event == "certificate-signed" and .data.step == "i-rsa") | .data.certificate.sha256' again.jsonl)" ] &&
    pass "... both transcripts record the same SHA-256" || fail "... transcripts' SHA-256"
[ "$(jq 'select(.event == "certificate-signed") | .data.serial_pinned' again.jsonl | sort -u)" = true ] &&
    pass "... recorded as a pinned serial" || fail "... serial_pinned"
# ECDSA: a fresh random nonce, so a fresh signature over the same TBS
! cmp -s out/i-ec.cert.pem again/i-ec.cert.pem && pass "ECDSA: the certificates differ (a fresh signature)" ||
    fail "ECDSA: identical certificates"
[ -n "$(tbs out/i-ec.cert.pem)" ] && [ "$(tbs out/i-ec.cert.pem)" = "$(tbs again/i-ec.cert.pem)" ] &&
    pass "... but their TBS is byte-identical (openssl asn1parse)" || fail "ECDSA: TBS differs"
[ "$(tbs out/i-rsa.cert.pem)" != "$(tbs out/i-ec.cert.pem)" ] && pass "... (the TBS extraction tells certificates apart)" ||
    fail "tbs() is not a check"
for c in out/i-ec.cert.pem again/i-ec.cert.pem; do
	check "openssl verifies $c with the ECDSA root" openssl verify -attime "$(date -d 2026-12-02 +%s)" \
	    -CAfile out/ec-root.cert.pem "$c"
done
# verify: each script's outputs are what it makes; the first run's ECDSA certificate is
# what the second script makes too (the same TBS, a signature by the same key)
check "verify: the first script's outputs" "$CEREMONY" verify first.yaml --transcript first.jsonl
check "verify: the second script's outputs" "$CEREMONY" verify again.yaml --transcript again.jsonl
cp again/i-ec.cert.pem ec.keep && cp out/i-ec.cert.pem again/i-ec.cert.pem
"$CEREMONY" verify again.yaml >"$WORK/vout" 2>&1 &&
    grep -q '^i-ec (intermediate): again/i-ec.cert.pem: identical to what the script makes' "$WORK/vout" &&
    pass "verify: the first ECDSA certificate is what the second script makes" || fail "verify ECDSA" "$(cat "$WORK/vout")"
cp ec.keep again/i-ec.cert.pem

# ---- describe, then make it again on the HSM ----
"$CEREMONY" describe out/i-rsa.cert.pem --issuer out/rsa-root.cert.pem >described.yaml 2>"$WORK/err" &&
    pass "describe: our intermediate" || fail "describe" "$(cat "$WORK/err")"
check "verify takes the described script as it is" "$CEREMONY" verify described.yaml
# the operator's edits: the token, the key's label, a new output; PIN from the environment
sed -e "s|token-label: 'set the token label'|token-label: repro|" -e 's|pin: prompt|pin: env:CEREMONY_PIN|' \
    -e "s|label: 'Repro Root RSA key'|label: 'RSA root key'|" \
    -e "s|certificate-path: 'out/i-rsa.cert.pem'|certificate-path: 'again/described.cert.pem'|" \
    -e "s|module: .*|module: $MODULE|" described.yaml > remake.yaml
check "the described step runs on the HSM" "$CEREMONY" run --yes --at "$PLANNED_AT" --transcript remake.jsonl remake.yaml
cmp -s out/i-rsa.cert.pem again/described.cert.pem && pass "... and makes the certificate again, byte for byte" ||
    fail "... not byte-identical"
# re-issue it: new dates and no pinned serial, everything else the same
sed -e "s|not-before: '2026-12-01 00:00:00'|not-before: '2027-01-01 00:00:00'|" \
    -e "s|not-after: '2029-11-30 23:59:59'|not-after: '2029-12-31 23:59:59'|" -e "/serial: /d" \
    -e "s|again/described.cert.pem|again/renewed.cert.pem|" remake.yaml > renew.yaml
check "a renewal: new dates, a random serial" "$CEREMONY" run --yes --at '2027-01-01 12:00:00' \
    --transcript renew.jsonl renew.yaml
cp out/i-rsa.cert.pem i-rsa.keep && cp again/renewed.cert.pem out/i-rsa.cert.pem
"$CEREMONY" verify described.yaml >"$WORK/vout" 2>&1
[ "$(grep -c '^    ' "$WORK/vout")" = 3 ] && grep -q '^    serial: script 5EED' "$WORK/vout" &&
    grep -q '^    notBefore: script 2026-12-01 00:00:00, file 2027-01-01 00:00:00$' "$WORK/vout" &&
    grep -q '^    notAfter: script 2029-11-30 23:59:59, file 2029-12-31 23:59:59$' "$WORK/vout" &&
    pass "... verify against the old script: only the serial and the dates differ" ||
    fail "... renewal differences" "$(cat "$WORK/vout")"
cp i-rsa.keep out/i-rsa.cert.pem

done_tests
