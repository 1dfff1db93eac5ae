#!/usr/bin/env bash
# tests/t-schemes.sh: a root and an intermediate for every signature scheme, signed on SoftHSM; each verifies with
# OpenSSL and GnuTLS, and both of its AlgorithmIdentifiers (tbsCertificate.signature and
# Certificate.signatureAlgorithm) are byte for byte those of profile-rules.md table A.
source "$(dirname "$0")/lib.sh"

NB=$(date -u -d '-1 hour' '+%Y-%m-%d %H:%M:%S')
NA=$(date -u -d '+20 years -2 hours' '+%Y-%m-%d %H:%M:%S')
NA_SUB=$(date -u -d '+3 years' '+%Y-%m-%d %H:%M:%S')

# scheme|key|table A bytes (Ed25519: RFC 8410, not in table A: no TLS hierarchy uses it)
SCHEMES="SHA256WithRSA|{type: rsa, rsa-mod-length: 2048}|300d06092a864886f70d01010b0500
SHA384WithRSA|{type: rsa, rsa-mod-length: 2048}|300d06092a864886f70d01010c0500
SHA512WithRSA|{type: rsa, rsa-mod-length: 2048}|300d06092a864886f70d01010d0500
SHA256WithRSAPSS|{type: rsa, rsa-mod-length: 2048}|304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120
SHA384WithRSAPSS|{type: rsa, rsa-mod-length: 2048}|304106092a864886f70d01010a3034a00f300d06096086480165030402020500a11c301a06092a864886f70d010108300d06096086480165030402020500a203020130
SHA512WithRSAPSS|{type: rsa, rsa-mod-length: 2048}|304106092a864886f70d01010a3034a00f300d06096086480165030402030500a11c301a06092a864886f70d010108300d06096086480165030402030500a203020140
ECDSAWithSHA256|{type: ecdsa, ecdsa-curve: P-256}|300a06082a8648ce3d040302
ECDSAWithSHA384|{type: ecdsa, ecdsa-curve: P-384}|300a06082a8648ce3d040303
ECDSAWithSHA512|{type: ecdsa, ecdsa-curve: P-521}|300a06082a8648ce3d040304
PureEd25519|{type: ed25519}|300506032b6570"

new_softhsm
init_token schemes >/dev/null
mkdir -p "$WORK/s/out" && cd "$WORK/s"
{
	printf 'hierarchy: private\ntokens:\n  t:\n    module: %s\n    token-label: schemes\n    pin: env:T_PIN\nsteps:\n' "$MODULE"
	printf '  - id: sub-key\n    ceremony-type: key\n    token: t\n    label: sub key\n'
	printf '    key: {type: ecdsa, ecdsa-curve: P-256}\n    outputs: {public-key-path: out/sub.pub.pem}\n'
	while IFS='|' read -r alg key _; do
		cat <<YAML
  - id: $alg
    ceremony-type: root
    token: t
    label: $alg key
    key: $key
    outputs: {public-key-path: out/$alg.pub.pem, certificate-path: out/$alg.pem}
    certificate-profile:
      signature-algorithm: $alg
      common-name: Root $alg
      organization: Scheme Test
      country: NL
      not-before: $NB
      not-after: $NA
  - id: $alg-sub
    ceremony-type: intermediate
    issuer: $alg
    subject-key: sub-key
    outputs: {certificate-path: out/$alg-sub.pem}
    certificate-profile:
      signature-algorithm: $alg
      common-name: Sub $alg
      organization: Scheme Test
      country: NL
      not-before: $NB
      not-after: $NA_SUB
      crl-url: http://crl.example.nl/$alg.crl
      issuer-url: http://cert.example.nl/$alg.der
      policies: [{oid: 2.999.1.1}]     # a private hierarchy never asserts a CA/B Forum OID
      ekus: [server]
YAML
	done <<<"$SCHEMES"
} > schemes.yaml
if T_PIN=$PIN "$CEREMONY" run --yes schemes.yaml >stdout 2>stderr; then
	pass "ten roots and ten intermediates, one of each per scheme"
else
	fail "ten roots and ten intermediates, one of each per scheme" "$(cat stdout stderr)"
fi

# algids DER-FILE: hex of tbsCertificate.signature, then of Certificate.signatureAlgorithm,
# cut out of the certificate's own bytes with asn1parse's offsets ("off:d=N hl=H l=L ...").
algids() {
	openssl asn1parse -inform DER -in "$1" |
	    awk '/d=2/ && /SEQUENCE/ && !t { t = 1; print } /d=1/ { if (++n == 2) print }' |
	    while read -r line; do
		off=${line%%:*}
		hl=$(sed 's/.*hl= *\([0-9]*\).*/\1/' <<<"$line")
		l=$(sed 's/.* l= *\([0-9]*\).*/\1/' <<<"$line")
		dd if="$1" bs=1 skip="$off" count=$((hl + l)) 2>/dev/null | xxd -p | tr -d '\n'
		echo
	    done
}

while IFS='|' read -r alg _ want; do
	c=out/$alg.pem
	check "$alg: openssl verify -x509_strict -check_ss_sig" \
	    openssl verify -x509_strict -check_ss_sig -CAfile "$c" "$c"
	check "$alg: certtool --verify" certtool --verify --load-ca-certificate "$c" --infile "$c"
	openssl x509 -in "$c" -outform DER -out c.der
	got=$(algids c.der)
	[ "$got" = "$want"$'\n'"$want" ] && pass "$alg: both AlgorithmIdentifiers are the table A bytes" ||
	    fail "$alg: AlgorithmIdentifier bytes" "want $want"$'\n'"got  $got"
	s=out/$alg-sub.pem
	check "$alg: the intermediate verifies under its root (openssl -x509_strict)" \
	    openssl verify -x509_strict -CAfile "$c" "$s"
	check "$alg: the intermediate verifies under its root (certtool)" \
	    certtool --verify --load-ca-certificate "$c" --infile "$s"
	openssl x509 -in "$s" -outform DER -out s.der
	got=$(algids s.der)
	[ "$got" = "$want"$'\n'"$want" ] &&
	    pass "$alg: the intermediate's AlgorithmIdentifiers are the table A bytes" ||
	    fail "$alg: intermediate AlgorithmIdentifier bytes" "want $want"$'\n'"got  $got"
done <<<"$SCHEMES"

done_tests
