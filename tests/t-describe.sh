#!/usr/bin/env bash
# tests/t-describe.sh: `ceremony describe` on certificates another tool made (openssl
# req -x509 and openssl x509 -req, with varied extension sets, orders, criticality, string
# types, key identifiers and algorithms): each script it prints is taken by `ceremony
# verify` as it is, and verify finds the certificate identical.  What a profile cannot say
# is named, and describe exits 1.
source "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/d" && cd "$WORK/d"

# The extension sections: each certificate's set and order is its section's, as written.
cat > ext.cnf <<'EOF'
[req]
distinguished_name = dn
[dn]
[pkix]
string_mask = pkix
[root_rsa]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[root_ec]
subjectKeyIdentifier = hash
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
basicConstraints = critical, CA:TRUE
[no_pathlen]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
certificatePolicies = 2.23.140.1.2.2
crlDistributionPoints = URI:http://crl.example.com/root.crl
authorityInfoAccess = caIssuers;URI:http://cert.example.com/root.der
[pathlen_2]
authorityKeyIdentifier = keyid:always
subjectKeyIdentifier = hash
basicConstraints = critical, CA:TRUE, pathlen:2
keyUsage = critical, cRLSign, keyCertSign
crlDistributionPoints = URI:http://crl.example.com/root.crl
certificatePolicies = 2.23.140.1.2.1
extendedKeyUsage = serverAuth
authorityInfoAccess = caIssuers;URI:http://cert.example.com/root.der
[noncritical_ku]
keyUsage = keyCertSign, cRLSign
basicConstraints = critical, CA:TRUE, pathlen:0
extendedKeyUsage = critical, serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
certificatePolicies = critical, 2.23.140.1.2.1
crlDistributionPoints = URI:http://crl.example.com/root.crl
authorityInfoAccess = caIssuers;URI:http://cert.example.com/root.der
[ocsp]
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
basicConstraints = critical, CA:FALSE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
noCheck = ignored
[ocsp_order]
basicConstraints = CA:FALSE
noCheck = ignored
authorityKeyIdentifier = keyid:always
subjectKeyIdentifier = hash
extendedKeyUsage = OCSPSigning
keyUsage = critical, digitalSignature
[leaf]
keyUsage = critical, digitalSignature
basicConstraints = critical, CA:FALSE
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
# ca_section NAME [LINE...]: the usual CA extensions, in openssl's usual order, each
# replaced by a LINE for the same extension; LINEs for others follow
CA_EXTENSIONS='keyUsage = critical, keyCertSign, cRLSign
basicConstraints = critical, CA:TRUE, pathlen:0
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
extendedKeyUsage = serverAuth
certificatePolicies = 2.23.140.1.2.1
crlDistributionPoints = URI:http://crl.example.com/root.crl
authorityInfoAccess = caIssuers;URI:http://cert.example.com/root.der'
ca_section() {
	local k l line; echo "[$1]"; shift
	while IFS= read -r k; do
		line=$k
		for l in "$@"; do [ "${l%% =*}" = "${k%% =*}" ] && line=$l; done
		echo "$line"
	done <<<"$CA_EXTENSIONS"
	for l in "$@"; do grep -q "^${l%% =*} =" <<<"$CA_EXTENSIONS" || echo "$l"; done
}
{
	ca_section openssl_order 'keyUsage = critical, keyCertSign, cRLSign, digitalSignature' \
	    'authorityInfoAccess = OCSP;URI:http://ocsp.example.com/,caIssuers;URI:http://cert.example.com/root.der'
	ca_section ski_value 'basicConstraints = critical, CA:TRUE, pathlen:1' \
	    'subjectKeyIdentifier = 0a:1b:2c:3d:4e:5f:60:71:82:93' \
	    'authorityInfoAccess = OCSP;URI:http://ocsp.example.com/, caIssuers;URI:http://cert.example.com/root.der'
	ca_section aki_issuer_serial 'authorityKeyIdentifier = keyid:always, issuer:always'
	ca_section constrained 'certificatePolicies = 2.23.140.1.2.2' \
	    'nameConstraints = critical, permitted;DNS:customer.example, permitted;dirName:nc_dn, excluded;IP:0.0.0.0/0.0.0.0, excluded;IP:0:0:0:0:0:0:0:0/0:0:0:0:0:0:0:0'
	printf '[nc_dn]\nC = US\nO = Customer Inc\n'
	# what no profile says
	ca_section san 'subjectAltName = DNS:ca.example.com'
	ca_section cps 'certificatePolicies = 2.23.140.1.2.1, @cps_policy'
	printf '[cps_policy]\npolicyIdentifier = 1.3.6.1.4.1.44947.1.1.1\nCPS.1 = http://cps.example.com/\n'
	ca_section aia_order \
	    'authorityInfoAccess = caIssuers;URI:http://cert.example.com/root.der, OCSP;URI:http://ocsp.example.com/'
} >> ext.cnf

# Two roots: RSA (openssl's order, AKI), and ECDSA P-384 (its own order, no AKI,
# subject CN first, PrintableStrings).
openssl req -x509 -config ext.cnf -extensions root_rsa -newkey rsa:2048 -nodes -keyout root.key \
    -subj "/C=US/O=Test Org/CN=Test Root RSA" -days 3650 -sha256 -set_serial 0x1f00ba5e \
    -out root.pem 2>/dev/null || fail "openssl makes the RSA root"
printf '[req]\ndistinguished_name = dn\nstring_mask = pkix\n[dn]\n' > pkix.cnf
openssl req -x509 -config pkix.cnf -addext 'subjectKeyIdentifier = hash' \
    -addext 'keyUsage = critical, keyCertSign, cRLSign, digitalSignature' \
    -addext 'basicConstraints = critical, CA:TRUE' -newkey ec -pkeyopt ec_paramgen_curve:P-384 \
    -nodes -keyout ecroot.key -subj "/CN=Test Root ECC/O=Test Org/C=US" -days 3650 -sha384 \
    -set_serial 0x7e57c0de0001 -out ecroot.pem 2>/dev/null || fail "openssl makes the ECDSA root"

# sign NAME SECTION ISSUER KEYSPEC [openssl x509 options...]: a CSR for a new key, signed
# by openssl x509 -req with the extensions of SECTION
sign() {
	local name=$1 section=$2 issuer=$3 keyspec=$4 subj; shift 4
	subj=${SUBJ:-"/C=US/O=Test Org/CN=Test $name"}
	case $keyspec in
	rsa) openssl req -new -newkey rsa:2048 -nodes -keyout "$name.key" -subj "$subj" -utf8 \
	    -config "${REQCNF:-ext.cnf}" -out "$name.csr" 2>/dev/null ;;
	p256|p384) openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:${keyspec/p/P-} -nodes \
	    -keyout "$name.key" -subj "$subj" -utf8 -config "${REQCNF:-ext.cnf}" -out "$name.csr" 2>/dev/null ;;
	esac
	openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" \
	    -set_serial "0x$(openssl rand -hex 16)" -days 900 -extfile ext.cnf -extensions "$section" \
	    "$@" -out "$name.pem" 2>"$name.err" || fail "openssl signs $name" "$(cat "$name.err")"
}

# RFC 7093 method 1 (what Boulder writes): the leftmost 160 bits of SHA-256 over the
# subjectPublicKey BIT STRING's content, computed here with openssl asn1parse alone
rfc7093() {
	local der=$WORK/d/spki.der off
	openssl pkey -in "$1" -pubout -outform DER -out "$der"
	off=$(openssl asn1parse -inform DER -in "$der" | awk '/BIT STRING/ { sub(/:.*/, "", $1); print $1; exit }')
	local hl; hl=$(openssl asn1parse -inform DER -in "$der" | awk '/BIT STRING/ { for (i = 1; i <= NF; i++) if ($i ~ /^hl=/) { sub(/hl=/, "", $i); print $i } ; exit }')
	tail -c +$((off + hl + 2)) "$der" | sha256sum | cut -c1-40 | sed 's/../&:/g; s/:$//'
}

sign openssl-order openssl_order root p256
openssl req -new -newkey rsa:2048 -nodes -keyout go-order.key -subj "/C=US/O=Test Org/CN=Test go-order" \
    -config ext.cnf -out go-order.csr 2>/dev/null
# Go's order, with the SKI Boulder computes given as a value (openssl's "hash" is SHA-1)
cat > go.cnf <<EOF
[go_order]
keyUsage = critical, keyCertSign, cRLSign
extendedKeyUsage = serverAuth
basicConstraints = critical, CA:TRUE, pathlen:0
subjectKeyIdentifier = $(rfc7093 go-order.key)
authorityKeyIdentifier = keyid:always
authorityInfoAccess = caIssuers;URI:http://cert.example.com/root.der
certificatePolicies = 2.23.140.1.2.1, 1.3.6.1.4.1.44947.1.1.1
crlDistributionPoints = URI:http://crl.example.com/root.crl
EOF
openssl x509 -req -in go-order.csr -CA root.pem -CAkey root.key -set_serial 0x0123456789abcdef01 \
    -days 900 -extfile go.cnf -extensions go_order -sha384 -out go-order.pem 2>/dev/null ||
    fail "openssl signs go-order"
sign no-pathlen no_pathlen root p384
sign pathlen-2 pathlen_2 root rsa -sha512
sign aki-issuer-serial aki_issuer_serial root p256
sign noncritical-ku noncritical_ku root p256
sign constrained constrained root p256
sign ocsp ocsp root p256
sign ocsp-order ocsp_order ecroot p256 -sha384
sign ski-value ski_value ecroot p384 -sha384
REQCNF=pkix.cnf SUBJ="/CN=Test printable/O=Test Org/C=US" sign printable openssl_order ecroot p384 -sha384
sign pss openssl_order root rsa -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
UTF8NAME=$'Test \xc3\x9cml\xc3\xa4ut CA'
SUBJ="/C=DE/O=Test Org/CN=$UTF8NAME" sign utf8 openssl_order root p256

# ---- a dozen and more: describe, then verify, finds them identical ----
GOOD="root ecroot openssl-order go-order no-pathlen pathlen-2 aki-issuer-serial noncritical-ku
constrained ocsp ocsp-order ski-value printable pss utf8"
n=0
for c in $GOOD; do
	case $c in root|ecroot) iss= ;; ocsp-order|ski-value|printable) iss=ecroot ;; *) iss=root ;; esac
	expect "describe $c" 0 '' "$CEREMONY" describe "$c.pem" ${iss:+--issuer "$iss.pem"}
	cp "$WORK/out" "$c.yaml"
	expect "verify $c.yaml: identical" 0 '' "$CEREMONY" verify "$c.yaml"
	grep -q "$c.pem: identical to what the script makes" "$WORK/out" && n=$((n + 1))
done
[ "$n" = 15 ] && pass "describe then verify: all 15 openssl certificates identical" ||
    fail "describe then verify: $n of 15 identical"

# The choices each certificate made are the script's fields, read by an independent tool.
grep -q 'extension-order: \[KU, BC, SKI, AKI, EKU, CP, CRLDP, AIA\]' openssl-order.yaml &&
    grep -q 'subject-key-id: rfc5280-method1' openssl-order.yaml &&
    pass "openssl's order and SHA-1 key identifier are written out" ||
    fail "openssl's order" "$(cat openssl-order.yaml)"
grep -q 'extension-order: \[KU, EKU, BC, SKI, AKI, AIA, CP, CRLDP\]' go-order.yaml &&
    grep -q 'subject-key-id: rfc7093-method1' go-order.yaml &&
    pass "Go's order and the RFC 7093 key identifier are recognised" ||
    fail "Go's order" "$(cat go-order.yaml)"
grep -q 'path-length: none' no-pathlen.yaml && grep -q 'path-length: 2' pathlen-2.yaml &&
    pass "pathLen: absent and 2" || fail "pathLen" "$(grep path-length ./*.yaml)"
grep -q 'authority-key-id: key-id-issuer-serial' aki-issuer-serial.yaml &&
    grep -q 'authority-key-id: none' ecroot.yaml && pass "AKI forms: issuer and serial, none" ||
    fail "AKI forms"
grep -q 'critical-extensions: \[EKU, BC, CP\]' noncritical-ku.yaml &&
    pass "criticality as made: KU not critical, EKU and CP critical" ||
    fail "criticality" "$(grep critical noncritical-ku.yaml)"
grep -q "subject-key-id: '0a:1b:2c:3d:4e:5f:60:71:82:93'" ski-value.yaml &&
    pass "an SKI no method gives is pinned as its octets" || fail "SKI value" "$(grep subject-key-id ski-value.yaml)"
grep -q 'subject-order: \[common-name, organization, country\]' printable.yaml &&
    grep -q 'string-types: {country: printable, organization: printable, common-name: printable}' printable.yaml &&
    grep -q 'string-types: {country: printable, organization: utf8, common-name: utf8}' openssl-order.yaml &&
    pass "subject order and string types as made" || fail "subject order, string types"
grep -q 'signature-algorithm: SHA256WithRSAPSS' pss.yaml && grep -q 'ceremony-type: ocsp-signer' ocsp.yaml &&
    grep -q 'permitted-dns: \[.customer.example.\]' constrained.yaml &&
    pass "RSA-PSS, an OCSP responder, name constraints" || fail "PSS, OCSP, NC"
[ "$(openssl asn1parse -in printable.pem | grep -c PRINTABLESTRING)" -ge 6 ] &&
    pass "openssl asn1parse: printable.pem's names are PrintableStrings" || fail "printable.pem"

# verify, not describe, is the judge: a script with one field changed is found out.
sed 's/extension-order: \[KU, BC, SKI, AKI, EKU, CP, CRLDP, AIA\]/extension-order: [KU, EKU, BC, SKI, AKI, AIA, CP, CRLDP]/' \
    openssl-order.yaml > moved.yaml
expect "verify: another extension order is a difference" 1 'moved.yaml: [0-9]+ difference' \
    "$CEREMONY" verify moved.yaml
grep -q 'extension order: script KU,EKU,BC,SKI,AKI,AIA,CP,CRLDP, file KU,BC,SKI,AKI,EKU,CP,CRLDP,AIA' "$WORK/out" &&
    pass "... named: extension order: script KU,EKU,BC,... file KU,BC,SKI,..." ||
    fail "... the order line" "$(cat "$WORK/out")"
sed "s/common-name: utf8}/common-name: printable}/" openssl-order.yaml > types.yaml
expect "verify: another string type is a difference" 1 'difference' "$CEREMONY" verify types.yaml
grep -q 'subject string types: script C printable, O utf8, CN printable; file C printable, O utf8, CN utf8' "$WORK/out" &&
    pass "... named: subject string types" || fail "... string types line" "$(cat "$WORK/out")"
sed "s/not-after: '\([0-9-]*\) /not-after: '2027-01-01 /" go-order.yaml > dates.yaml
expect "verify: another notAfter is a difference" 1 'difference' "$CEREMONY" verify dates.yaml
grep -Eq "notAfter: script 2027-01-01 [0-9:]+, file [0-9-]+ [0-9:]+" "$WORK/out" &&
    pass "... named: notAfter: script ..., file ..." || fail "... notAfter line" "$(cat "$WORK/out")"

# ---- what no profile can say: named, and exit 1; the script is printed all the same ----
sign san san root p256
sign cps cps root p256
sign aia-order aia_order root p256
sign leaf leaf root p256
SUBJ="/C=US/O=Test Org/OU=PKI/CN=Test ou" sign ou openssl_order root p256
expect "describe: a subjectAltName cannot be expressed" 1 \
    'san\.pem: cannot be expressed: extension subjectAltName \(2\.5\.29\.17\): a profile does not make it' \
    "$CEREMONY" describe san.pem --issuer root.pem
grep -q '^# cannot be expressed: extension subjectAltName' "$WORK/out" && grep -q '^steps:' "$WORK/out" &&
    pass "... and said in the script it still prints" || fail "... in the script" "$(head -20 "$WORK/out")"
cp "$WORK/out" san.yaml
expect "... and verify finds the difference" 1 'difference' "$CEREMONY" verify san.yaml
grep -q 'extension subjectAltName: only in the file' "$WORK/out" && pass "... as an extension only in the file" ||
    fail "... only in the file" "$(cat "$WORK/out")"
expect "describe: a CPS qualifier cannot be expressed" 1 'cannot be expressed: certificatePolicies qualifiers' \
    "$CEREMONY" describe cps.pem --issuer root.pem
expect "describe: caIssuers before OCSP cannot be expressed" 1 'cannot be expressed: extension AIA: profile OCSP' \
    "$CEREMONY" describe aia-order.pem --issuer root.pem
expect "describe: an end-entity certificate has no step type" 1 'cannot be expressed: an end-entity certificate' \
    "$CEREMONY" describe leaf.pem --issuer root.pem
expect "describe: an OU in the subject cannot be expressed" 1 'cannot be expressed: subject attribute OU' \
    "$CEREMONY" describe ou.pem --issuer root.pem
grep -Eq '^ceremony: ou\.pem: [0-9]+ things? the script cannot say' "$WORK/err" &&
    pass "... and the last line counts them" || fail "... last line" "$(cat "$WORK/err")"

# ---- the encoding fields, written wrong: one line with the place, exit 2 ----
# bad NAME PATTERN SED [SCRIPT]: SCRIPT (openssl-order.yaml) with SED applied, verified
bad() {
	sed "$3" "${4:-openssl-order.yaml}" > bad.yaml
	expect "encoding fields: $1" 2 "^ceremony: bad\.yaml:[0-9]+:[0-9]+: $2" "$CEREMONY" verify bad.yaml
}
bad "an unknown extension name, with a suggestion" "'BCC' is not a valid extension-order; did you mean 'BC'\?" \
    's/extension-order: \[KU, BC,/extension-order: [KU, BCC,/'
bad "an extension listed twice" "'KU' is listed twice in extension-order" \
    's/extension-order: \[KU, BC,/extension-order: [KU, KU,/'
bad "an extension left out of extension-order" "extension-order leaves out AIA, which this certificate carries" \
    's/extension-order: \[KU, BC, SKI, AKI, EKU, CP, CRLDP, AIA\]/extension-order: [KU, BC, SKI, AKI, EKU, CP, CRLDP]/'
bad "critical-extensions naming one it lacks" "critical-extensions names NOCHECK, which this certificate does not carry" \
    's/critical-extensions: \[KU, BC\]/critical-extensions: [KU, BC, NOCHECK]/'
bad "a country that is not printable" "a country is always a PrintableString" \
    's/{country: printable,/{country: utf8,/'
bad "subject-order with two attributes" "'subject-order' lists the subject's three attributes" \
    's/subject-order: \[country, organization, common-name\]/subject-order: [country, common-name]/'
bad "an ekus list without serverAuth" "an ekus list names 'server'" 's/ekus: \[server\]/ekus: [client]/'
bad "a subject-key-id that is neither a method nor hex" "'subject-key-id' is rfc7093-method1" \
    's/subject-key-id: rfc5280-method1/subject-key-id: sha1/'
bad "an unknown authority-key-id form" "'key-id-serial' is not a valid authority-key-id" \
    's/authority-key-id: key-id/authority-key-id: key-id-serial/'
bad "printable for a name with '*'" "string-types: 'Test \*' has characters a PrintableString cannot hold" \
    "s/common-name: 'Test Root RSA'/common-name: 'Test *'/; s/common-name: utf8}/common-name: printable}/" root.yaml

# ---- usage and input errors: exit 2, one line ----
expect "describe without CERT (exit 2)" 2 '^ceremony: describe: expected one CERT' "$CEREMONY" describe
expect "describe: not self-signed, no --issuer (exit 2)" 2 \
    "^ceremony: the certificate is not self-signed; give its issuer's certificate with --issuer" \
    "$CEREMONY" describe openssl-order.pem
expect "describe: --issuer that did not issue it (exit 2)" 2 'not issued by the --issuer certificate' \
    "$CEREMONY" describe openssl-order.pem --issuer ecroot.pem
expect "describe: a file that holds no certificate (exit 2)" 2 'ext\.cnf holds no certificate' \
    "$CEREMONY" describe ext.cnf
expect "describe --help" 0 '' "$CEREMONY" describe --help
grep -q 'usage: ceremony describe CERT \[--issuer CERT\]' "$WORK/out" && pass "... prints its usage" ||
    fail "describe --help" "$(cat "$WORK/out")"

done_tests
