#!/usr/bin/env bash
# tests/t-crl.sh: the crl step.  A hierarchy on SoftHSM (root R1 with intermediates A, B
# and a short-lived S; root R2 with X) whose script ends with a CRL revoking A and S.
#   accepted: openssl crl -verify; openssl verify -crl_check finds A revoked and B not;
#     ceremony lint; the Go oracle (x509.CreateRevocationList) makes the same TBS for a
#     native CRL of each scope and for a Boulder config (its entries modelled with their
#     reasonCode, which Boulder's lose); the transcript's one summary record; a previous
#     CRL continued, an expired entry removed only once a CRL after its expiry carried it;
#     100 000 entries from a serials file; resume after the confirmation or the record.
#   refused with nothing written: a certificate of another issuer (by name, and by
#     signature under the same name), a number not above the previous CRL's, a dropped
#     entry, a missing, forbidden (certificateHold) or unspecified-for-a-CA reason, a
#     window over 12 months (Boulder: 365 days) or outside the issuer's, and more.
source "$(dirname "$0")/lib.sh"
export CEREMONY_PIN=$PIN
DAY2=$(date -d '2026-12-02 12:00:00Z' +%s)	# when the first CRL is checked

new_softhsm
slot=$(init_token crl-root)
cd "$WORK" && mkdir -p out
printf 'ceremony: CRL tests\ntokens:\n  hsm: {module: %s, token-label: crl-root, pin: "env:CEREMONY_PIN"}\nsteps:\n' \
    "$MODULE" > h.yaml
# key ID: a P-256 key step
key() {
	printf '  - {id: %s-key, ceremony-type: key, token: hsm, label: %s key, key: {type: ecdsa, ecdsa-curve: P-256},\n' "$1" "$1"
	printf '     outputs: {public-key-path: out/%s.pub.pem}}\n' "$1"
}
# root ID: a root signed with that key
root() {
	key "$1" >> h.yaml
	cat >> h.yaml <<EOF
  - {id: $1, ceremony-type: root, signing-key: $1-key, outputs: {certificate-path: out/$1.cert.pem},
     certificate-profile: {signature-algorithm: ECDSAWithSHA256, common-name: CRL Test Root $1,
      organization: CRL Test, country: NL, not-before: 2026-12-01 00:00:00, not-after: 2036-11-30 23:59:59}}
EOF
}
# intermediate ID ISSUER VALID-UNTIL
intermediate() {
	key "$1" >> h.yaml
	cat >> h.yaml <<EOF
  - id: $1
    ceremony-type: intermediate
    issuer: $2
    subject-key: $1-key
    outputs: {certificate-path: out/$1.cert.pem}
    certificate-profile: {signature-algorithm: ECDSAWithSHA256, common-name: CRL Test CA $1,
      organization: CRL Test, country: NL, not-before: 2026-12-01 00:00:00, not-after: $3,
      crl-url: http://crl.example.nl/$2.crl, issuer-url: http://cert.example.nl/$2.der,
      policies: [{oid: 2.23.140.1.2.1}], key-usages: [Cert Sign, CRL Sign, Digital Signature]}
EOF
}
root r1
root r2
intermediate a r1 '2029-11-30 23:59:59'
intermediate b r1 '2029-11-30 23:59:59'
intermediate s r1 '2026-12-05 23:59:59'
intermediate x r2 '2029-11-30 23:59:59'
cat >> h.yaml <<'EOF'
  - id: crl
    ceremony-type: crl
    issuer: r1
    outputs: {crl-path: out/r1-1.crl.pem}
    crl-profile:
      number: 1
      this-update: 2026-12-01 12:00:00
      next-update: 2027-11-30 12:00:00
      scope: full
      revoked-certificates:
        - {certificate: a, revocation-date: 2026-12-01 10:00:00, revocation-reason: keyCompromise}
        - {certificate: s, revocation-date: 2026-12-01 11:00:00, revocation-reason: superseded}
EOF
if "$CEREMONY" run --yes --at "$PLANNED_AT" h.yaml >h.out 2>&1; then
	pass "a hierarchy whose last step is a CRL revoking two of its intermediates runs"
else
	fail "the hierarchy with a CRL runs" "$(cat h.out)"; done_tests; exit
fi
serial() { openssl x509 -in "$1" -noout -serial | sed 's/^serial=//' | tr A-F a-f; }
SA=$(serial out/a.cert.pem) SB=$(serial out/b.cert.pem) SS=$(serial out/s.cert.pem)

# ---- 1. what openssl, our linter and the transcript say of it ----
check "openssl crl -verify accepts it" openssl crl -in out/r1-1.crl.pem -CAfile out/r1.cert.pem -noout -verify
crl_check() {	# CRL CERT: openssl verify -crl_check on the day after
	openssl verify -crl_check -attime "$DAY2" -CAfile out/r1.cert.pem -CRLfile "$1" "$2" 2>&1
}
out=$(crl_check out/r1-1.crl.pem out/a.cert.pem); rc=$?
[ $rc -ne 0 ] && grep -q 'certificate revoked' <<<"$out" &&
    out2=$(crl_check out/r1-1.crl.pem out/b.cert.pem) &&
    pass "openssl verify -crl_check: intermediate A is revoked, B is not" ||
    fail "openssl verify -crl_check" "$out $out2"
t=$(openssl crl -in out/r1-1.crl.pem -noout -text)
grep -q 'Version 2' <<<"$t" && [ "$(grep -c 'CRL Reason Code' <<<"$t")" = 2 ] &&
    grep -A1 'CRL Reason Code' <<<"$t" | grep -q 'Key Compromise' && ! grep -q 'Issuing Distribution' <<<"$t" &&
    pass "full scope: v2, no IDP, each entry with its reasonCode" || fail "the CRL's fields" "$t"
check "ceremony lint passes it" "$CEREMONY" lint --issuer out/r1.cert.pem --at "$PLANNED_AT" out/r1-1.crl.pem
rec=$(jq -c 'select(.event == "crl-signed") | .data' h.transcript.jsonl)
list=$(printf '%s keyCompromise 2026-12-01T10:00:00Z\n%s superseded 2026-12-01T11:00:00Z\n' "$SA" "$SS" |
    sha256sum | cut -d' ' -f1)
[ "$(jq -r '.crl.entries' <<<"$rec")" = 2 ] && [ "$(jq -r '.crl.entries_sha256' <<<"$rec")" = "$list" ] &&
    [ "$(jq -r '.crl.sha256' <<<"$rec")" = "$(openssl crl -in out/r1-1.crl.pem -outform DER | sha256sum | cut -d' ' -f1)" ] &&
    [ "$(jq -r '.pem' <<<"$rec")" = "$(cat out/r1-1.crl.pem)" ] && [ "$(jq -r '.signing.tbs_identical' <<<"$rec")" = true ] &&
    pass "crl-signed: the count, the list's hash (recomputed from the serials), the DER's hash, the PEM" ||
    fail "the crl-signed record" "$rec"
out=$("$CEREMONY" transcript verify --outputs h.transcript.jsonl 2>&1)
grep -q 'CRLs verified: 1$' <<<"$out" && pass "transcript verify checks the CRL: hash, entries, issuer, signature" ||
    fail "transcript verify of a CRL" "$out"
# a crl-signed record whose entry count lies, the chain made again: still refused, by line
line=$(grep -n '"event":"crl-signed"' h.transcript.jsonl | cut -d: -f1)
jq -c 'if .event == "crl-signed" then .data.crl.entries = 3 else . end' h.transcript.jsonl > forged.in
rechain forged.in forged.jsonl
out=$("$CEREMONY" transcript verify forged.jsonl 2>&1); rc=$?
[ $rc = 1 ] && grep -q "forged.jsonl:$line: crl.entries is not the number of entries of the CRL in pem" <<<"$out" &&
    pass "transcript verify: a re-chained crl-signed record whose count lies is named by line" ||
    fail "transcript verify of a forged crl-signed record" "exit $rc: $out"
[ "$(jq -r 'select(.event == "lint" and .data.step == "crl") | "\(.data.stage) \(.data.errors) \(.data.warnings) \(.data.crl_scope)"' h.transcript.jsonl | tr '\n' ,)" = \
    "plan 0 0 ca,pre-issuance 0 0 ca,post-issuance 0 0 ca," ] &&
    pass "linted three times (plan, pre- and post-issuance), clean, as a CRL about CA certificates" ||
    fail "the CRL's lint records" "$(jq -c 'select(.event == "lint" and .data.step == "crl")' h.transcript.jsonl)"
check "transcript verify --outputs" "$CEREMONY" transcript verify --outputs h.transcript.jsonl

# ---- 2. the Go oracle: x509.CreateRevocationList makes our TBS ----
ORACLE=$WORK/oracle
if ! (cd "$TOP/tests/oracle" && GO111MODULE=off GOFLAGS= GOPROXY=off GOPATH=$WORK/gopath \
    GOCACHE=$WORK/gocache go build -o "$ORACLE" .) >go.out 2>&1; then
	fail "the oracle builds" "$(cat go.out)"
fi
# same NAME CRL PROFILE-JSON: Go's TBS and signatureAlgorithm for the profile are the CRL's
same() {
	printf '%s' "$3" > "$WORK/p.json"
	if ! out=$("$ORACLE" -in "$WORK/p.json" -out "$WORK/go.der" -alg "$WORK/go.alg" 2>&1) ||
	    ! out=$("$ORACLE" -tbs-of "$2" -out "$WORK/ours.der" -alg "$WORK/ours.alg" 2>&1); then
		fail "$1: the oracle" "$out"
	elif cmp -s "$WORK/go.der" "$WORK/ours.der" && cmp -s "$WORK/go.alg" "$WORK/ours.alg"; then
		pass "$1: our TBS is Go's, byte for byte ($(wc -c < "$WORK/ours.der") bytes)"
	else
		fail "$1: our TBS differs from Go's (< ours, > Go's)" "$(diff \
		    <(openssl asn1parse -inform DER -i -in "$WORK/ours.der") <(openssl asn1parse -inform DER -i -in "$WORK/go.der"))"
	fi
}
entry() { printf '{"serial":"%s","revocation-date":"%s","revocation-reason":"%s"}' "$@"; }
same "native, full" out/r1-1.crl.pem "{\"shape\":\"crl\",\"issuer-certificate\":\"out/r1.cert.pem\",
    \"this-update\":\"2026-12-01 12:00:00\",\"next-update\":\"2027-11-30 12:00:00\",\"number\":1,\"scope\":\"full\",
    \"revoked-certificates\":[$(entry "$SA" '2026-12-01 10:00:00' keyCompromise),$(entry "$SS" '2026-12-01 11:00:00' superseded)]}"

# A Boulder config, unchanged in form: the issuer and the revoked certificate from files.
cat > boulder.yaml <<EOF
ceremony-type: crl
pkcs11:
    module: $MODULE
    pin: $PIN
    signing-key-slot: $slot
    signing-key-label: r1 key
inputs:
    issuer-certificate-path: out/r1.cert.pem
outputs:
    crl-path: out/boulder.crl.pem
crl-profile:
    this-update: 2026-12-01 12:00:00
    next-update: 2027-11-30 12:00:00
    number: 80
    revoked-certificates:
        - certificate-path: out/b.cert.pem
          revocation-date: 2026-11-30 12:00:00
          revocation-reason: superseded
EOF
if "$CEREMONY" -config boulder.yaml --yes --at "$PLANNED_AT" >boulder.out 2>&1; then
	pass "a Boulder crl config runs unchanged"
else
	fail "a Boulder crl config runs" "$(cat boulder.out)"
fi
same "Boulder config (its entry with the reasonCode Boulder's loses)" out/boulder.crl.pem \
    "{\"shape\":\"crl\",\"issuer-certificate\":\"out/r1.cert.pem\",\"this-update\":\"2026-12-01 12:00:00\",
    \"next-update\":\"2027-11-30 12:00:00\",\"number\":80,
    \"revoked-certificates\":[$(entry "$SB" '2026-11-30 12:00:00' superseded)]}"
der=$(openssl crl -in out/boulder.crl.pem -outform DER | xxd -p | tr -d '\n')
grep -q '0603551d1c0101ff040530038201ff' <<<"$der" && grep -q '0603551d1504030a0104' <<<"$der" &&
    out=$(crl_check out/boulder.crl.pem out/b.cert.pem; echo "rc=$?") && grep -q 'certificate revoked' <<<"$out" &&
    crl_check out/boulder.crl.pem out/a.cert.pem >/dev/null &&
    pass "Boulder's CRL: critical IDP onlyContainsCACerts (30038201ff), reasonCode superseded (0a0104); B revoked, A not" ||
    fail "the Boulder config's CRL" "$out"
[ "$(jq -r 'select(.event == "lint" and .data.stage == "post-issuance") | .data.skipped[] | select(.rule == "crl.idp_partitioned") | .reason' \
    boulder.transcript.jsonl | grep -c "Boulder's CRL")" = 1 ] &&
    pass "the IDP rules a CA-only CRL makes moot are recorded as skipped, with the reason" ||
    fail "the CA-only skips" "$(jq -c 'select(.event == "lint") | .data.skipped' boulder.transcript.jsonl)"

# On the file alone, a root's CA-only CRL without a distributionPoint is a warning (full and
# complete only if the root issued no end-entity certificate), not the error of a partition
out=$("$CEREMONY" lint --issuer out/r1.cert.pem --at "$PLANNED_AT" out/boulder.crl.pem 2>&1)
grep -q '^warning crl.idp_partitioned ' <<<"$out" && ! grep -q '^error ' <<<"$out" &&
    pass "ceremony lint: a root's CA-only CRL without a distributionPoint warns, no error" ||
    fail "ceremony lint on the Boulder CRL" "$out"

# crl NAME YAML-BODY...: a one-step native script signing with R1's key, from the files
crl() {
	local n=$1; shift
	{ printf 'tokens:\n  hsm: {module: %s, token-label: crl-root, pin: "env:CEREMONY_PIN"}\nsteps:\n' "$MODULE"
	  printf '  - id: crl\n    ceremony-type: crl\n    inputs: {issuer-certificate-path: out/r1.cert.pem%s}\n' "${PREV:+, previous-crl-path: $PREV}"
	  printf '    token: hsm\n    label: r1 key\n    outputs: {crl-path: out/%s.crl.pem}\n    crl-profile:\n' "$n"
	  printf '      %s\n' "$@"; } > "$n.yaml"
}
crl part 'number: 3' 'this-update: 2026-12-01 12:00:00' 'next-update: 2027-11-30 12:00:00' 'scope: partitioned' \
    'distribution-points: [http://crl.example.nl/r1.crl]' 'revoked-certificates:' \
    "  - {serial: $SA, revocation-date: 2026-12-01 10:00:00, revocation-reason: keyCompromise}"
"$CEREMONY" run --yes --at "$PLANNED_AT" part.yaml >part.out 2>&1 || fail "a partitioned CRL runs" "$(cat part.out)"
same "native, partitioned (IDP fullName), an entry by serial" out/part.crl.pem "{\"shape\":\"crl\",
    \"issuer-certificate\":\"out/r1.cert.pem\",\"this-update\":\"2026-12-01 12:00:00\",\"next-update\":\"2027-11-30 12:00:00\",
    \"number\":3,\"scope\":\"partitioned\",\"distribution-points\":[\"http://crl.example.nl/r1.crl\"],
    \"revoked-certificates\":[$(entry "$SA" '2026-12-01 10:00:00' keyCompromise)]}"
t=$(openssl crl -in out/part.crl.pem -noout -text)
out=$(crl_check out/part.crl.pem out/a.cert.pem)
grep -q 'Issuing Distribution Point: critical' <<<"$t" && grep -q 'URI:http://crl.example.nl/r1.crl' <<<"$t" &&
    grep -q 'certificate revoked' <<<"$out" && crl_check out/part.crl.pem out/b.cert.pem >/dev/null &&
    pass "partitioned: critical IDP with the URL the certificates name; openssl matches it to A (revoked) and B" ||
    fail "the partitioned CRL" "$t $out"

# ---- 3. refused, each with one line naming the place, exit 2, nothing written ----
# files: every file here but the tokens' and refused's own output
files() { find . -mindepth 1 \( -name 'hsm.*' -o -name 'ref.*' \) -prune -o -printf '%p %s %T@\n' | sort; }
# refused NAME REGEX SCRIPT: `ceremony run` of SCRIPT is refused so, and changes nothing
refused() {
	local before after objs rc
	before=$(files)
	objs=$(count_objects crl-root)
	"$CEREMONY" run --yes --at "${AT:-$PLANNED_AT}" "$3" >ref.out 2>ref.err </dev/null; rc=$?
	after=$(files)
	if [ $rc = 2 ] && [ "$(wc -l < ref.err)" = 1 ] && grep -qE "^ceremony: $2" ref.err && [ ! -s ref.out ] &&
	    [ "$before" = "$after" ] && [ "$(count_objects crl-root)" = "$objs" ]; then
		pass "refused, nothing written: $1"
	else
		fail "refused, nothing written: $1" "rc=$rc $(cat ref.out ref.err)"$'\n'"$(diff <(echo "$before") <(echo "$after"))"
	fi
}
WIN=('this-update: 2026-12-01 12:00:00' 'next-update: 2027-11-30 12:00:00')
crl other 'number: 4' "${WIN[@]}" 'scope: full' 'revoked-certificates:' \
    '  - {certificate-path: out/x.cert.pem, revocation-date: 2026-12-01 10:00:00, revocation-reason: keyCompromise}'
refused "a certificate from another issuer" "other\.yaml:16:30: out/x\.cert\.pem was not issued by this CRL's issuer \(its issuer name differs\)" other.yaml
# the same issuer name, another key: a software root named like r1 issues it
# (PrintableString, as Go and ceremony write the name)
printf '[req]\ndistinguished_name = dn\nstring_mask = default\n[dn]\n' > fake.cnf
openssl req -x509 -config fake.cnf -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout fake.key \
    -subj '/C=NL/O=CRL Test/CN=CRL Test Root r1' -days 30 -out fake-root.pem \
    -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null &&
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout fake-sub.key -subj '/CN=not ours' -out fake.csr 2>/dev/null &&
openssl x509 -req -in fake.csr -CA fake-root.pem -CAkey fake.key -set_serial 7 -days 30 -extfile <(printf 'basicConstraints=critical,CA:TRUE\n') \
    -out out/fake.cert.pem 2>/dev/null || fail "openssl makes a certificate under R1's name"
crl fake 'number: 4' "${WIN[@]}" 'scope: full' 'revoked-certificates:' \
    '  - {certificate-path: out/fake.cert.pem, revocation-date: 2026-12-01 10:00:00, revocation-reason: keyCompromise}'
refused "a certificate with the issuer's name but another issuer's signature" \
    "fake\.yaml:16:30: out/fake\.cert\.pem carries this CRL's issuer's name but its signature does not verify" fake.yaml
crl hold 'number: 4' "${WIN[@]}" 'scope: full' 'revoked-certificates:' \
    "  - {serial: $SB, revocation-date: 2026-12-01 10:00:00, revocation-reason: certificateHold}"
refused "certificateHold" "hold\.yaml:16:113: revocation-reason certificateHold is forbidden \(BR 7\.2\.2" hold.yaml
crl noreason 'number: 4' "${WIN[@]}" 'scope: full' 'revoked-certificates:' \
    "  - {serial: $SB, revocation-date: 2026-12-01 10:00:00}"
refused "an entry without a reason" "noreason\.yaml:16:11: an entry of revoked-certificates needs 'revocation-reason'" noreason.yaml
crl unspec 'number: 4' "${WIN[@]}" 'scope: full' 'revoked-certificates:' \
    '  - {certificate-path: out/b.cert.pem, revocation-date: 2026-12-01 10:00:00, revocation-reason: unspecified}'
refused "unspecified for a CA certificate" "unspec\.yaml:16:103: out/b\.cert\.pem is a CA certificate, whose entry carries a reasonCode" unspec.yaml
crl long 'number: 4' 'this-update: 2026-12-01 12:00:00' 'next-update: 2028-02-01 12:00:00' 'scope: full'
refused "a window of 14 months" "long\.yaml:13:20: a CRL is valid for at most 12 months \(BR 4\.9\.7, 7\.2\); move next-update to 2027-12-01T12:00:00Z or earlier" long.yaml
sed -e 's/next-update: 2027-11-30 12:00:00/next-update: 2027-12-01 12:00:01/' -e 's|out/boulder.crl.pem|out/b2.crl.pem|' boulder.yaml > boulder-long.yaml
refused "a Boulder config 365 days and a second long" "boulder-long\.yaml:13:18: next-update is more than 365 days after this-update; Boulder's crl ceremony allows 365 at most" boulder-long.yaml
sed -e '/revocation-reason/d' -e 's|out/boulder.crl.pem|out/b2.crl.pem|' boulder.yaml > boulder-noreason.yaml
refused "a Boulder entry without revocation-reason (as Boulder's validate)" "boulder-noreason\.yaml:16:11: an entry of revoked-certificates needs 'revocation-reason'" boulder-noreason.yaml
crl early 'number: 4' 'this-update: 2026-11-30 12:00:00' 'next-update: 2027-11-29 12:00:00' 'scope: full'
refused "thisUpdate before the issuer's notBefore" "early\.yaml:12:20: this-update is before the issuer's notBefore" early.yaml
crl twice 'number: 4' "${WIN[@]}" 'scope: full' 'revoked-certificates:' \
    '  - {certificate-path: out/a.cert.pem, revocation-date: 2026-12-01 10:00:00, revocation-reason: keyCompromise}' \
    "  - {serial: $SA, revocation-date: 2026-12-01 10:00:00, revocation-reason: keyCompromise}"
refused "a serial twice" "twice\.yaml:17:11: serial $SA is revoked twice \(also at twice\.yaml:16:30\)" twice.yaml
crl later 'number: 4' "${WIN[@]}" 'scope: full' 'revoked-certificates:' \
    "  - {serial: $SA, revocation-date: 2026-12-02 10:00:00, revocation-reason: keyCompromise}"
refused "a revocation after thisUpdate" "later\.yaml:16:73: revocation-date is after this-update" later.yaml
crl sub 'number: 4' 'this-update: 2026-12-01 12:00:00' 'next-update: 2026-12-31 12:00:00' 'scope: full'
sed -i -e 's|out/r1.cert.pem|out/a.cert.pem|' -e 's/label: r1 key/label: a key/' sub.yaml
refused "an intermediate's CRL of subscriber certificates for 30 days" "sub\.yaml:13:20: this CRL covers subscriber certificates .* at most 10 days" sub.yaml
crl subca 'number: 4' 'this-update: 2026-12-01 12:00:00' 'next-update: 2026-12-31 12:00:00' 'scope: ca-only'
sed -i -e 's|out/r1.cert.pem|out/a.cert.pem|' -e 's/label: r1 key/label: a key/' subca.yaml
refused "an intermediate's CA-only CRL without a distribution point (a partition)" "subca\.yaml:14:14: a CRL of CA certificates only, without distribution-points, is complete only for a root" subca.yaml

# ---- 4. continuity with the previous CRL ----
PREV=out/r1-1.crl.pem
crl same 'number: 1' "${WIN[@]}" 'scope: full'
refused "a number not above the previous CRL's" "same\.yaml:11:15: number 1 is not above the previous CRL's 1" same.yaml
crl drop 'number: 2' 'this-update: 2026-12-10 12:00:00' 'next-update: 2027-11-30 12:00:00' 'scope: full' 'revoked-certificates:' \
    "  - {serial: $SS, revocation-date: 2026-12-01 11:00:00, revocation-reason: superseded}"
AT='2026-12-10 12:00:00' refused "an entry of the previous CRL dropped" "drop\.yaml:6:75: the previous CRL revokes serial $SA, which this CRL leaves out" drop.yaml
crl scope 'number: 2' 'this-update: 2026-12-10 12:00:00' 'next-update: 2027-11-30 12:00:00' 'scope: ca-only'
AT='2026-12-10 12:00:00' refused "another scope than the previous CRL's" "scope\.yaml:14:14: the previous CRL out/r1-1\.crl\.pem covers another scope" scope.yaml
crl soon 'number: 2' 'this-update: 2026-12-10 12:00:00' 'next-update: 2027-11-30 12:00:00' 'scope: full' 'revoked-certificates:' \
    "  - {serial: $SA, revocation-date: 2026-12-01 10:00:00, revocation-reason: keyCompromise}" 'remove-expired: [out/s.cert.pem]'
AT='2026-12-10 12:00:00' refused "an expired certificate removed before a CRL dated after its expiry carried it" \
    "soon\.yaml:17:24: out/s\.cert\.pem had not expired by the previous CRL's thisUpdate" soon.yaml
crl r1-2 'number: 2' 'this-update: 2026-12-10 12:00:00' 'next-update: 2027-11-30 12:00:00' 'scope: full' 'revoked-certificates:' \
    "  - {serial: $SA, revocation-date: 2026-12-01 10:00:00, revocation-reason: keyCompromise}" \
    "  - {serial: $SS, revocation-date: 2026-12-01 11:00:00, revocation-reason: superseded}" \
    "  - {certificate-path: out/b.cert.pem, revocation-date: 2026-12-09 11:00:00, revocation-reason: cessationOfOperation}"
"$CEREMONY" run --yes --at '2026-12-10 12:00:00' r1-2.yaml >r1-2.out 2>&1 &&
    [ "$(jq -c 'select(.event == "crl-signed") | .data.inputs.previous | [.number, .kept, .removed_expired]' r1-2.transcript.jsonl)" = '["1",2,0]' ] &&
    pass "the next CRL: a higher number, every entry kept, one added; the transcript names the previous CRL" ||
    fail "the next CRL" "$(cat r1-2.out)"
PREV=out/r1-2.crl.pem
crl r1-3 'number: 3' 'this-update: 2026-12-20 12:00:00' 'next-update: 2027-11-30 12:00:00' 'scope: full' 'revoked-certificates:' \
    "  - {serial: $SA, revocation-date: 2026-12-01 10:00:00, revocation-reason: keyCompromise}" \
    "  - {serial: $SB, revocation-date: 2026-12-09 11:00:00, revocation-reason: cessationOfOperation}" \
    'remove-expired: [out/s.cert.pem]'
"$CEREMONY" run --yes --at '2026-12-20 12:00:00' r1-3.yaml >r1-3.out 2>&1 &&
    ! openssl crl -in out/r1-3.crl.pem -noout -text | grep -qi "$SS" &&
    [ "$(jq -c 'select(.event == "crl-signed") | .data.inputs.previous | [.kept, .removed_expired]' r1-3.transcript.jsonl)" = '[2,1]' ] &&
    pass "an expired certificate's entry is removed once a CRL dated after its expiry carried it" ||
    fail "remove-expired" "$(cat r1-3.out)"
unset PREV

# ---- 5. 100 000 entries from a serials file ----
head -c 1600000 /dev/urandom | od -An -v -tx1 | tr -d ' \n' | fold -w32 |
    awk '{ print "5" substr($0, 2) " superseded 2026-11-30T00:00:00Z" }' > serials.txt
crl big 'number: 5' "${WIN[@]}" 'scope: full' 'revoked-serials-path: serials.txt'
start=${EPOCHREALTIME//[!0-9]/}
"$CEREMONY" run --yes --at "$PLANNED_AT" big.yaml >big.out 2>&1; rc=$?
ms=$(( (${EPOCHREALTIME//[!0-9]/} - start) / 1000 ))
rec=$(jq -c 'select(.event == "crl-signed") | .data | del(.pem, .issuer_pem)' big.transcript.jsonl)
[ $rc = 0 ] && openssl crl -in out/big.crl.pem -CAfile out/r1.cert.pem -noout -verify 2>/dev/null &&
    [ "$(openssl crl -in out/big.crl.pem -noout -text | grep -c 'Serial Number:')" = 100000 ] &&
    [ "$(jq -r .crl.entries <<<"$rec")" = 100000 ] &&
    [ "$(jq -r .crl.entries_sha256 <<<"$rec")" = "$(sha256sum < serials.txt | cut -d' ' -f1)" ] &&
    [ "$(jq -r .inputs.serials_file.sha256 <<<"$rec")" = "$(sha256sum < serials.txt | cut -d' ' -f1)" ] &&
    [ "$(wc -l < big.transcript.jsonl)" -lt 20 ] &&
    pass "100 000 entries from a serials file in ${ms} ms: verified; one record, its list hash the file's" ||
    fail "100 000 entries" "rc=$rc $(cat big.out) $rec"
! grep -q $'\r' big.out && script -qec "$CEREMONY check --at '$PLANNED_AT' big.yaml" /dev/null 2>&1 |
    tr '\r' '\n' | grep -q '^crl: building the CRL: 100000 of 100000 entries' &&
    pass "a progress line on a terminal, none elsewhere" || fail "the progress line"
pem_same() { for f; do openssl crl -in "$f" | cmp -s - "$f" || return 1; done; }
check "the PEM written is byte for byte what openssl writes of the same CRL" pem_same out/r1-1.crl.pem out/big.crl.pem
check "ceremony lint reads the 100 000-entry CRL and passes it" "$CEREMONY" lint --issuer out/r1.cert.pem --at "$PLANNED_AT" out/big.crl.pem
sed -n '1,4p;5s/ superseded / certificateHold /p' serials.txt > bad-serials.txt
crl badfile 'number: 6' "${WIN[@]}" 'scope: full' 'revoked-serials-path: bad-serials.txt'
refused "certificateHold in the serials file, named by its line" \
    "bad-serials\.txt:5:34: the reason certificateHold is forbidden" badfile.yaml
printf '# a comment\n\n0x12 keyCompromise 2026-11-30T00:00:00Z\n' > hex-serials.txt
crl hexfile 'number: 6' "${WIN[@]}" 'scope: full' 'revoked-serials-path: hex-serials.txt'
refused "a serial that is not hex, named by its line" "hex-serials\.txt:3:1: a serial is written in hex digits only" hexfile.yaml

# ---- 6. resume: after the confirmation the same TBS is signed again; after the record, never ----
crl res 'number: 7' "${WIN[@]}" 'scope: full' 'revoked-certificates:' \
    "  - {serial: $SA, revocation-date: 2026-12-01 10:00:00, revocation-reason: keyCompromise}"
"$CEREMONY" run --yes --at "$PLANNED_AT" res.yaml >res.out 2>&1 || fail "the CRL to cut runs" "$(cat res.out)"
cp res.transcript.jsonl res.full
cut_at() { head -n "$(jq -r --arg e "$1" 'select(.event == $e) | .seq' res.full | head -n1 | xargs -I{} expr {} + 1)" res.full > res.transcript.jsonl; }
cut_at confirmation; mv out/res.crl.pem res.first.pem
tbs=$(jq -r 'select(.event == "confirmation") | .data.tbs_sha256' res.full)
"$CEREMONY" run --yes --at "$PLANNED_AT" --resume res.transcript.jsonl res.yaml >res2.out 2>&1 &&
    [ "$(jq -r 'select(.event == "crl-signed") | .data.signing.tbs_sha256' res.transcript.jsonl)" = "$tbs" ] &&
    [ "$(grep -c '"crl-signed"' res.transcript.jsonl)" = 1 ] &&
    "$CEREMONY" transcript verify --outputs res.transcript.jsonl >/dev/null 2>&1 &&
    pass "resume after the confirmation: the same TBS signed again, one crl-signed record" ||
    fail "resume after the confirmation" "$(cat res2.out)"
cut_at crl-signed; rm -f out/res.crl.pem
"$CEREMONY" run --yes --at "$PLANNED_AT" --resume res.transcript.jsonl res.yaml >res3.out 2>&1 &&
    cmp -s out/res.crl.pem res.first.pem && grep -q 'not signed again' res3.out &&
    [ "$(grep -c '"crl-signed"' res.transcript.jsonl)" = 1 ] &&
    pass "resume after the record: the recorded CRL is written, not signed again" ||
    fail "resume after the record" "$(cat res3.out)"

# ---- 7. the plan a reviewer reads ----
"$CEREMONY" check --at "$PLANNED_AT" big.yaml >check.out 2>&1 &&
    grep -q '^step 1 crl (crl): sign CRL number 5 (full) of out/r1.cert.pem, thisUpdate 2026-12-01T12:00:00Z, nextUpdate 2027-11-30T12:00:00Z (364 days), 100000 entries (0 from revoked-certificates, the rest from serials.txt), with key .r1 key. on token hsm using ECDSAWithSHA256$' check.out &&
    pass "ceremony check shows the CRL: number, scope, issuer, window, entries and where they come from" ||
    fail "ceremony check" "$(cat check.out)"

# ---- 8. under valgrind: no invalid access, nothing definitely or indirectly lost ----
# vg NAME WANT-STATUS ARGS...
vg() {
	local name=$1 want=$2 rc; shift 2
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    --show-leak-kinds=definite,indirect --error-exitcode=99 "$CEREMONY" "$@" >vg.out 2>&1; rc=$?
	[ $rc = "$want" ] && ! grep -q '^==[0-9]*==' vg.out && pass "valgrind: $name" ||
	    fail "valgrind: $name (exit $rc, wanted $want)" "$(cat vg.out)"
}
if ldd "$CEREMONY" | grep -q libasan; then
	echo "skip - valgrind does not run sanitizer builds"
else
	head -n 1000 serials.txt > some-serials.txt
	crl vg 'number: 8' "${WIN[@]}" 'scope: partitioned' 'distribution-points: [http://crl.example.nl/r1.crl]' \
	    'revoked-certificates:' \
	    '  - {certificate-path: out/a.cert.pem, revocation-date: 2026-12-01 10:00:00, revocation-reason: keyCompromise}' \
	    'revoked-serials-path: some-serials.txt'
	vg "a partitioned CRL from a certificate and a file of serials, signed" 0 run --yes --at "$PLANNED_AT" vg.yaml
	vg "the plan of a CRL continuing another, an expired entry removed" 0 check --at '2026-12-20 12:00:00' r1-3.yaml
	vg "a refusal: a serial twice" 2 run --yes --at "$PLANNED_AT" twice.yaml
	vg "a refusal: a certificate of another issuer, loaded" 2 run --yes --at "$PLANNED_AT" other.yaml
	vg "a refusal: an entry without a reason, its path read" 2 run --yes --at "$PLANNED_AT" boulder-noreason.yaml
	vg "a Boulder crl config's plan" 0 check --at "$PLANNED_AT" boulder.yaml
fi

done_tests
