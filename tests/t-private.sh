#!/usr/bin/env bash
# tests/t-private.sh: private hierarchies ('hierarchy: private').  The two examples of
# ceremonies/ (an internal mTLS hierarchy with the root's CRL, an S/MIME hierarchy with an
# Ed25519 root) run on SoftHSM; openssl -x509_strict and certtool verify them, and leaves
# issued through the libp11 engine with the issuing CAs' keys verify for their purposes
# (sslclient, smimesign) and not for others, nor outside the name constraints.  ceremony
# lint passes them under the private profiles and the TLS profiles refuse them; the plan,
# the transcript and the witness record say the hierarchy is private; a private script
# that asks for a CA/B Forum policy OID is refused, naming the rule.
source "$(dirname "$0")/lib.sh"
PLANNED=$(date -d "$PLANNED_AT" +%s)
ENGINE_KEY="pkcs11:token=demo-issuing;type=private;object="

new_softhsm
init_token demo-root >/dev/null
init_token demo-issuing >/dev/null

# run NAME: runs ceremonies/NAME.yaml in $WORK/NAME (the one token pair of this file)
run() {
	mkdir -p "$WORK/$1/out" && cd "$WORK/$1" || exit 1
	cp "$TOP/ceremonies/$1.yaml" .
	if CEREMONY_PIN=$PIN ISSUING_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" \
	    --transcript t.jsonl "$1.yaml" >stdout 2>stderr; then
		pass "$1: runs"
	else
		fail "$1: runs" "$(cat stdout stderr)"
	fi
}

# leaf NAME CA-KEY-LABEL CA-CERT EXT: a P-256 leaf issued with the CA's key on the token
leaf() {
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" \
	    -subj "/CN=$1" -out "$1.csr" 2>/dev/null &&
	    printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n%s\n' \
	    "authorityKeyIdentifier=keyid" > "$1.ext" && printf '%b\n' "$4" >> "$1.ext" &&
	    openssl x509 -req -in "$1.csr" -engine pkcs11 -CAkeyform engine \
	    -CAkey "$ENGINE_KEY$2?pin-value=$PIN" -CA "$3" -set_serial "0x$RANDOM$RANDOM" -days 30 \
	    -sha256 -extfile "$1.ext" -out "$1.pem" >/dev/null 2>&1
}

# verifies NAME PURPOSE ROOT SUB LEAF: openssl -x509_strict for the purpose
verifies() {
	openssl verify -x509_strict -purpose "$2" -CAfile "$3" -untrusted "$4" "$5"
}

# refused NAME KEY-LABEL ROOT SUB SAN WHY: a leaf for SAN, issued with the CA's key, fails
# openssl's check for the CA's purpose with WHY (a name-constraints violation)
refused() {
	local eku=clientAuth purpose=sslclient
	[ "$1" = smime ] && eku=emailProtection purpose=smimesign
	leaf "$1-$6" "$2" "$4" "extendedKeyUsage=$eku\nsubjectAltName=$5"
	verifies x "$purpose" "$3" "$4" "$1-$6.pem" 2>&1 | grep -q "$6 subtree violation" &&
	    pass "$1: a leaf for $5 does not verify ($6 subtree violation)" ||
	    fail "$1: a leaf for $5" "$(verifies x "$purpose" "$3" "$4" "$1-$6.pem" 2>&1)"
}

# issued NAME SCRIPT ROOT SUB: ceremony verify rebuilds the script's certificates byte for
# byte, and SUB verifies under ROOT with openssl -x509_strict and with certtool
issued() {
	check "$1: ceremony verify rebuilds both certificates byte for byte" \
	    "$CEREMONY" verify "$2" --transcript t.jsonl
	check "$1: $4 verifies under $3 (openssl -x509_strict)" openssl verify -x509_strict \
	    -check_ss_sig -attime "$PLANNED" -CAfile "$3" "$4"
	check "$1: $4 verifies under $3 (certtool)" certtool --verify \
	    --load-ca-certificate "$3" --infile "$4"
}

# ---- the internal mTLS hierarchy ----
run private-mtls
check "mtls: the plan says the hierarchy is private" \
    bash -c "CEREMONY_PIN=x ISSUING_PIN=x '$CEREMONY' check private-mtls.yaml | grep -q '^hierarchy: PRIVATE: RFC 5280 rules only'"
[ "$(jq -r 'select(.event == "begin") | .data.hierarchy' t.jsonl)" = private ] &&
    pass "mtls: the transcript's begin record says private" ||
    fail "mtls: transcript hierarchy" "$(head -c 400 t.jsonl)"
profiles=$(jq -r 'select(.event == "lint") | .data.profile' t.jsonl | sort | uniq -c | tr -s ' ')
[ "$profiles" = " 3 private-crl"$'\n'" 3 private-root"$'\n'" 3 private-subordinate" ] &&
    pass "mtls: plan, pre- and post-issuance lints all ran the private profiles" ||
    fail "mtls: lint profiles" "$profiles"
jq -e 'select(.event == "lint") | .data.verdicts[] | select(.rule | test("^(root|subca|alg)\\.|^cert\\.(key_ec|sigalg_allowed)$"))' \
    t.jsonl >/dev/null && fail "mtls: a TLS rule ran in the private hierarchy" ||
    pass "mtls: no TLS rule ran (root.*, subca.*, alg.*, the BR key and algorithm rules)"
"$CEREMONY" transcript show t.jsonl > show.txt 2>&1
grep -q '^Hierarchy: PRIVATE (RFC 5280 rules only; not a publicly trusted CA)\.$' show.txt &&
    pass "mtls: the witness record says private" || fail "mtls: witness record" "$(head -8 show.txt)"
"$CEREMONY" transcript show --html t.jsonl > show.html 2>&1
grep -q '<h1>Key ceremony witness record: PRIVATE hierarchy</h1>' show.html && pass "mtls: the printed record says so in its title" ||
    fail "mtls: html witness record" "$(grep -i hierarchy show.html)"
issued mtls private-mtls.yaml out/r1.cert.pem out/m1.cert.pem
check "mtls: the root's CRL verifies (openssl crl)" openssl crl -in out/r1.crl.pem \
    -CAfile out/r1.cert.pem -noout
m1=$(openssl x509 -in out/m1.cert.pem -noout -ext extendedKeyUsage,certificatePolicies,nameConstraints | tr -s ' ')
want=$(printf '%s\n' 'X509v3 Extended Key Usage: ' ' TLS Web Client Authentication, TLS Web Server Authentication' \
    'X509v3 Certificate Policies: ' ' Policy: 2.999.1.1' ' CPS: https://pki.corp.internal/cps' \
    'X509v3 Name Constraints: critical' ' Permitted:' ' DNS:corp.internal' ' IP:10.0.0.0/255.0.0.0' \
    ' email:corp.internal' ' email:.corp.internal')
[ "$m1" = "$want" ] &&
    pass "mtls: M1's EKUs in the script's order, its own policy with the CPS, only the constraints written" ||
    fail "mtls: M1's extensions" "$(diff <(echo "$want") <(echo "$m1"))"
[ "$(openssl x509 -in out/m1.cert.pem -noout -subject -nameopt RFC2253)" = \
    'subject=CN=Corp Internal mTLS CA M1,OU=Infrastructure Security,O=Corp Internal,L=San Francisco,ST=California,C=US' ] &&
    pass "mtls: M1's subject has OU, L and ST in Go's order" ||
    fail "mtls: M1's subject" "$(openssl x509 -in out/m1.cert.pem -noout -subject -nameopt RFC2253)"
[ "$(openssl x509 -in out/r1.cert.pem -noout -ext basicConstraints | tail -1 | tr -d ' ')" = \
    CA:TRUE,pathlen:1 ] && pass "mtls: the root carries path-length 1" ||
    fail "mtls: root pathLen" "$(openssl x509 -in out/r1.cert.pem -noout -ext basicConstraints)"
expect "mtls: ceremony lint --profile private-root passes R1" 0 '' \
    "$CEREMONY" lint --profile private-root out/r1.cert.pem
expect "mtls: ceremony lint --profile private-subordinate passes M1" 0 '' \
    "$CEREMONY" lint --profile private-subordinate --issuer out/r1.cert.pem out/m1.cert.pem
expect "mtls: ceremony lint --profile private-crl passes the CRL" 0 '' \
    "$CEREMONY" lint --profile private-crl --issuer out/r1.cert.pem out/r1.crl.pem
"$CEREMONY" lint --profile subordinate-tc --issuer out/r1.cert.pem out/m1.cert.pem > tls.txt 2>&1
grep -q 'subca.cp_reserved' tls.txt && grep -q 'subca.eku_chrome' tls.txt &&
    grep -q 'subca.tc_nc_required' tls.txt && pass "mtls: the TLS profile refuses M1 (no reserved OID, clientAuth, no directoryName)" ||
    fail "mtls: the TLS profile on M1" "$(cat tls.txt)"
if leaf alice Corp%20M1%20signing%20key out/m1.cert.pem \
    'extendedKeyUsage=clientAuth\nsubjectAltName=DNS:alice.corp.internal,email:alice@corp.internal'; then
	check "mtls: a clientAuth leaf issued through libp11 verifies for sslclient" \
	    verifies x sslclient out/r1.cert.pem out/m1.cert.pem alice.pem
	verifies x sslserver out/r1.cert.pem out/m1.cert.pem alice.pem >/dev/null 2>&1 &&
	    fail "mtls: the clientAuth leaf verifies for sslserver" ||
	    pass "mtls: the clientAuth leaf does not verify for sslserver"
	check "mtls: the leaf's chain verifies with certtool for clientAuth" certtool --verify \
	    --verify-purpose=1.3.6.1.5.5.7.3.2 --load-ca-certificate out/r1.cert.pem \
	    --infile <(cat alice.pem out/m1.cert.pem)
else
	fail "mtls: a leaf issued with M1's key through libp11"
fi
refused mtls Corp%20M1%20signing%20key out/r1.cert.pem out/m1.cert.pem DNS:mallory.example.com \
    permitted

# ---- the S/MIME hierarchy (an Ed25519 root) ----
run private-smime
issued smime private-smime.yaml out/d1.cert.pem out/s1.cert.pem
expect "smime: ceremony lint --profile private-subordinate passes S1" 0 '' \
    "$CEREMONY" lint --profile private-subordinate --issuer out/d1.cert.pem out/s1.cert.pem
if leaf carol Corp%20S1%20signing%20key out/s1.cert.pem \
    'extendedKeyUsage=emailProtection\nsubjectAltName=email:carol@corp.internal'; then
	check "smime: an emailProtection leaf verifies for smimesign" \
	    verifies x smimesign out/d1.cert.pem out/s1.cert.pem carol.pem
	echo 'signed mail' > msg.txt
	check "smime: a message the leaf signs verifies (openssl smime)" bash -c \
	    "openssl smime -sign -signer carol.pem -inkey carol.key -certfile out/s1.cert.pem -in msg.txt -out msg.p7 &&
	    openssl smime -verify -purpose smimesign -CAfile out/d1.cert.pem -in msg.p7 -out /dev/null"
	verifies x sslclient out/d1.cert.pem out/s1.cert.pem carol.pem >/dev/null 2>&1 &&
	    fail "smime: the S/MIME leaf verifies for sslclient" ||
	    pass "smime: the S/MIME leaf does not verify for sslclient (S1 carries emailProtection only)"
else
	fail "smime: a leaf issued with S1's key through libp11"
fi
refused smime Corp%20S1%20signing%20key out/d1.cert.pem out/s1.cert.pem \
    email:dave@legacy.corp.internal excluded
refused smime Corp%20S1%20signing%20key out/d1.cert.pem out/s1.cert.pem \
    email:eve@example.com permitted

# ---- the docs show the examples as they are here ----
for name in private-mtls private-smime; do
	doc=$(awk -v n="<!-- example: $name.yaml -->" '$0 == n { want = 1; next }
	    want && /^```yaml/ { inb = 1; next } inb && /^```/ { exit } inb { print }' "$TOP/docs/script.md")
	[ "$doc" = "$(grep -v '^#' "$TOP/ceremonies/$name.yaml")" ] &&
	    pass "docs/script.md shows ceremonies/$name.yaml" ||
	    fail "docs/script.md and ceremonies/$name.yaml differ" \
	    "$(diff <(echo "$doc") <(grep -v '^#' "$TOP/ceremonies/$name.yaml"))"
done

# ---- refusals: one line, its place, nothing written ----
cd "$WORK" && mkdir -p refuse && cd refuse
sed 's/oid: 2.999.1.1, cps/oid: 2.23.140.1.2.1, cps/' "$TOP/ceremonies/private-mtls.yaml" > cabf.yaml
expect "a private script asking for the DV policy OID is refused, naming the rule" 2 \
    '^ceremony: cabf.yaml:30:17: policy 2.23.140.1.2.1 is a CA/B Forum policy OID.*rule private.no_cabf_policy' \
    "$CEREMONY" check cabf.yaml
grep -qxF "$(cat "$WORK/err")" "$TOP/docs/script.md" && pass "docs/script.md shows that refusal as it is" ||
    fail "docs/script.md: the refusal" "$(cat "$WORK/err")"
sed 's/max-validity-days: 1827/max-validity-days: 1000/' "$TOP/ceremonies/private-mtls.yaml" > cap.yaml
expect "a validity over the script's own cap is refused" 2 \
    '^ceremony: cap.yaml:[0-9]+:[0-9]+: the validity is 1826 days, more than this profile.s max-validity-days 1000' \
    "$CEREMONY" check cap.yaml
sed '/^hierarchy: private/d' "$TOP/ceremonies/private-mtls.yaml" > public.yaml
expect "the same script in the default (TLS) hierarchy is refused" 2 '^ceremony: public.yaml:[0-9]+:[0-9]+: ' \
    "$CEREMONY" check public.yaml
[ -z "$(ls)" ] || [ "$(ls)" = "$(printf 'cabf.yaml\ncap.yaml\npublic.yaml')" ] &&
    pass "the refusals wrote nothing" || fail "the refusals wrote" "$(ls)"

# ---- the linter's private rules fail where they should ----
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k.pem -days 30 \
    -subj '/CN=Private Root' -addext 'certificatePolicies=2.23.140.1.2.1' -out cabf.pem 2>/dev/null
"$CEREMONY" lint --profile private-root cabf.pem > cabf.txt 2>&1
grep -q '^error private.no_cabf_policy' cabf.txt && pass "lint: a CA/B Forum OID fails private.no_cabf_policy" ||
    fail "lint: private.no_cabf_policy" "$(cat cabf.txt)"
openssl req -x509 -key k.pem -days 30 -subj '/CN=Not A CA' -addext 'basicConstraints=critical,CA:FALSE' \
    -out notca.pem 2>/dev/null
"$CEREMONY" lint --profile private-root notca.pem > notca.txt 2>&1
grep -q '^error pkix.bc' notca.txt && grep -q '^error pkix.ca_ku' notca.txt &&
    pass "lint: a root without cA and keyCertSign fails pkix.bc and pkix.ca_ku" ||
    fail "lint: pkix.bc" "$(cat notca.txt)"
"$CEREMONY" lint --list --json > list.json
[ "$(jq -r '.[] | select(.id == "cert.signature") | .profiles | index("private-root") != null' list.json)" = true ] &&
    [ "$(jq -r '.[] | select(.id == "subca.eku_chrome") | .profiles | map(startswith("private")) | any' list.json)" = false ] &&
    pass "lint --list: RFC 5280 rules are in both sets, the Chrome rule in the TLS set only" ||
    fail "lint --list: the sets" "$(jq -c '.[] | select(.id == "cert.signature" or .id == "subca.eku_chrome")' list.json)"

done_tests
