#!/usr/bin/env bash
# tests/t-lint.sh: `ceremony lint` on a corpus of certificates made here with openssl and
# software keys: clean ones lint clean, and each flawed one is caught by its rule.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
source "$TOP/tests/lint-lib.sh"

lint_keys
"$TOP/build/test-keycheck" --write-weak "$WORK" || fail "weak keys"

# ---- clean certificates ----
root root
clean root
issued sub sub
clean sub --issuer root.pem
SUBJ="/C=US/O=Example CA/CN=Example OCSP" issued ocsp ocsp
clean ocsp --issuer root.pem
TC_NC="nameConstraints = critical, permitted;DNS:example.com, permitted;dirName:tcdn, excluded;IP:0.0.0.0/0.0.0.0, excluded;IP:::/::"
issued tc sub "$TC_NC"
clean tc --issuer root.pem
clean tc --issuer root.pem --profile subordinate-tc
key root521.key ec521
KEY=root521.key MD=sha512 root root521
lints root521 0 '^notice boulder.goodkey '

# ---- the cases a new user tries ----
root eku "extendedKeyUsage = serverAuth"
caught eku root.no_eku
issued nopol sub -certificatePolicies
sub nopol subca.cp_present
issued nocdp sub -crlDistributionPoints
sub nocdp subca.cdp
SUBJ="/C=US/O=Example CA/CN=Example OCSP" issued nonocheck ocsp -noCheck
sub nonocheck ocspcert.nocheck
key rsa1024.key rsa1024
KEY=rsa1024.key MD=sha256 root rsa1024
caught rsa1024 cert.key_rsa
MD=sha256 root p384sha256
caught p384sha256 cert.sigalg_matches_signer
SUBJ="/C=US/O=Example CA/OU=PKI/CN=Example Root R1" root ou
caught ou root.no_ou
caught root root.notbefore --at "$LATER"
key e3.key rsae3
KEY=e3.key MD=sha256 root e3
caught e3 cert.rsa_exponent
PUB=fermat.pem issued fermat sub
sub fermat key.rsa_fermat
PUB=roca.pem issued roca sub
sub roca key.rsa_roca
PUB=small.pem issued small sub
sub small cert.rsa_modulus_quality

# ---- §0 ----
SERIAL=0 root serial0
caught serial0 cert.serial_range
SERIAL=0x0100000000000000000000000001 root serialflat
caught serialflat cert.serial_random
SERIAL=123456 root serialshort
caught serialshort cert.serial_random
key rsa2048.key rsa2048
KEY=rsa2048.key MD=sha1 root sha1
caught sha1 cert.no_sha1
caught sha1 cert.sigalg_allowed
KEY=rsa2048.key MD=sha256 SUBJ="/C=US/O=Other CA/CN=Other Root" root rsa2048
sub sub cert.signature --issuer rsa2048.pem --skip cert.issuer_bytes
sub sub cert.issuer_bytes --issuer rsa2048.pem
lints sub 1 '^error cert.aki ' --issuer rsa2048.pem
key explicit.key explicit
KEY=explicit.key MD=sha256 root explicit
caught explicit cert.spki_encoding
caught explicit cert.key_ec
key ed.key ed25519
KEY=ed.key MD= root ed
lints ed 1 '^error cert.key_ec ' --profile root
SUBJ="/C=US/O=Example CA/O=Second/CN=Example Root R1" root repeat
caught repeat cert.rdn_shape
SUBJ="/O=Example CA/C=US/CN=Example Root R1" root order
caught order cert.rdn_order
SUBJ="/C=US/O=Example CA/postalCode=$(printf '1%.0s' $(seq 45))/CN=Example Root R1" root longcn
caught longcn cert.attr_encoding
SUBJ="/C=US/CN=Example Root R1" root noorg
caught noorg cert.ca_subject_attrs
SUBJ="/C=US/O=Example CA/CN=Example Root R1/emailAddress=pki@example.com" root email
caught email cert.ca_subject_other_attrs
sub sub cert.notbefore_window --at "$LATER"
sub sub cert.notafter_after_signing --at "2030-01-01 00:00:00"
root kutrail "keyUsage = critical, DER:03020006"
caught kutrail cert.ext_der
# keyUsage's critical TRUE turned into an explicit FALSE: same length, a DEFAULT value DER omits
openssl x509 -in root.pem -outform DER | od -An -v -tx1 | tr -d ' \n' |
    sed 's/0603551d0f0101ff/0603551d0f010100/' | perl -ne 'print pack("H*", $_)' | openssl x509 -inform DER -out critfalse.pem
lints critfalse 1 '^error cert.ext_der .*extension 2.5.29.15 encodes critical FALSE'
issued cpbad sub "certificatePolicies = DER:0500"
sub cpbad cert.ext_der
issued noaki sub "authorityKeyIdentifier = none"
sub noaki cert.aki
# BR 7.1.2.11.4 allows a unique random SKI: a notice, not an error (the warning here is
# root.aki: openssl put the derived key id in the AKI); an empty SKI is an error
root skibad "subjectKeyIdentifier = 0102030405060708090a0b0c0d0e0f1011121314"
lints skibad 1 "^notice cert.ski "
lints skibad 1 "^warning root.aki "
root skiempty "subjectKeyIdentifier = DER:0400"
lints skiempty 1 "^error (cert|root)\.ski "
issued cdpldap sub "crlDistributionPoints = URI:ldap://crl.example.com/r1"
sub cdpldap cert.cdp_format
issued aiahttps sub "authorityInfoAccess = caIssuers;URI:https://example.com/r1.der"
sub aiahttps cert.aia_format
issued cpsftp sub "certificatePolicies = @cps"
sub cpsftp cert.cp_qualifiers
issued cpshttp sub "certificatePolicies = @cpshttp"
sub cpshttp cert.cp_no_qualifiers
issued ncempty sub "nameConstraints = critical, DER:3000"
sub ncempty cert.nc_format
issued san sub "subjectAltName = DNS:example.com"
sub san cert.other_ext

# der2gen DER [FIELD [SIG]]: an `openssl asn1parse -genconf` config (ASN1_generate_nconf) that
# rebuilds DER byte for byte from its asn1parse, each element as its tag and its content in hex;
# FIELD: an element added after the 7th of the TBS (after the key of a certificate); SIG: the
# hex of a new signature value
der2gen() {
	local hex
	hex=$(xxd -p "$1" | tr -d '\n')
	openssl asn1parse -inform DER -in "$1" | awk -v hex="$hex" -v ins="${2:-}" -v sig="${3:-}" '
	function num(re, skip) { match($0, re); return substr($0, RSTART + skip, RLENGTH - skip) + 0 }
	{
		off = num("^ *[0-9]+", 0); d = num("d= *[0-9]+", 2)
		hl = num("hl= *[0-9]+", 3); l = num(" l= *[0-9]+", 3)
		t = ("0x" substr(hex, 2 * off + 1, 2)) + 0
		tag = "IMPLICIT:" (t % 32) substr("UACP", int(t / 64) + 1, 1)
		val = substr(hex, 2 * (off + hl) + 1, 2 * l)
		if (d == 1 && ++top == 3 && sig != "")
			val = "00" sig
		if (int(t / 32) % 2)
			v = tag ",SEQUENCE:s" NR
		else if (l == 0)
			v = tag ",NULL"
		else
			v = tag ",FORMAT:HEX,OCTETSTRING:" val
		if (d == 0)
			print "asn1=" v
		else
			body[sec[d - 1]] = body[sec[d - 1]] "f" NR "=" v "\n"
		if (d == 2 && ++kids == 7 && ins != "")
			body[sec[1]] = body[sec[1]] "ins=" ins "\n"
		sec[d] = "s" NR; order[++n] = "s" NR
	}
	END {
		for (i = 1; i <= n; i++)
			if (order[i] in body)
				printf "[%s]\n%s", order[i], body[order[i]]
	}'
}
# uidcert NAME TAG: root.pem (DER in NAME.pem) with an issuerUniqueID (TAG 1) or a
# subjectUniqueID (TAG 2) after its key, signed again by root.key
uidcert() {
	local name=$1 ins="IMPLICIT:$2C,FORMAT:HEX,BITSTRING:0123456789abcdef" sig
	openssl x509 -in root.pem -outform DER -out "$name.orig"
	# the TBS alone (section s2: the second element) to sign, then the certificate
	der2gen "$name.orig" "$ins" | sed 's/^asn1=.*/asn1=SEQUENCE:s2/' > "$name.tbs.cnf"
	openssl asn1parse -genconf "$name.tbs.cnf" -out "$name.tbs" -noout >"$name.err" 2>&1 &&
	    sig=$(openssl dgst -sha384 -sign root.key "$name.tbs" | xxd -p | tr -d '\n') &&
	    der2gen "$name.orig" "$ins" "$sig" > "$name.cnf" &&
	    openssl asn1parse -genconf "$name.cnf" -out "$name.pem" -noout >"$name.err" 2>&1 ||
	    fail "make $name" "$(cat "$name.err")"
}
# The rebuild is faithful: root.pem comes back byte for byte, so a case differs by its field.
openssl x509 -in root.pem -outform DER -out root.der
der2gen root.der > rebuilt.cnf
openssl asn1parse -genconf rebuilt.cnf -out rebuilt.der -noout >/dev/null 2>&1 &&
    cmp -s rebuilt.der root.der && pass "asn1parse -genconf rebuilds root.pem byte for byte" ||
    fail "asn1parse -genconf rebuilds root.pem byte for byte"
for u in 1:iuid 2:suid; do
	uidcert "${u#*:}" "${u%%:*}"
	caught "${u#*:}" cert.no_unique_ids
	clean "${u#*:}" --skip cert.no_unique_ids
done

# ---- table B: criticality ----
issued skicrit sub "subjectKeyIdentifier = critical, \$ENV::SKI"
sub skicrit ext.ski
issued akicrit sub "authorityKeyIdentifier = critical, keyid:always"
sub akicrit ext.aki
root bcnoncrit "basicConstraints = CA:TRUE"
caught bcnoncrit ext.bc
root kunoncrit "keyUsage = keyCertSign, cRLSign"
caught kunoncrit ext.ku
issued ekucrit sub "extendedKeyUsage = critical, serverAuth"
sub ekucrit ext.eku
issued cpcrit sub "certificatePolicies = critical, 2.23.140.1.2.1"
sub cpcrit ext.cp
issued cdpcrit sub "crlDistributionPoints = critical, URI:http://crl.example.com/r1.crl"
sub cdpcrit ext.crldp
issued aiacrit sub "authorityInfoAccess = critical, caIssuers;URI:http://example.com/r1.der"
sub aiacrit ext.aia
issued ncnoncrit sub "nameConstraints = permitted;DNS:example.com"
sub ncnoncrit ext.nc
SUBJ="/C=US/O=Example CA/CN=Example OCSP" issued nocheckcrit ocsp "noCheck = critical, ignored"
sub nocheckcrit ext.nocheck

# ---- (a) root ----
DAYS=365 root short
caught short root.validity_range
root nobc -basicConstraints
caught nobc root.bc --profile root
root pathlen "basicConstraints = critical, CA:TRUE, pathlen:1"
caught pathlen root.pathlen
root kunocrl "keyUsage = critical, keyCertSign"
caught kunocrl root.ku
root nodigsig "keyUsage = critical, keyCertSign, cRLSign"
lints nodigsig 0 '^notice root.ku_digsig_for_ocsp '
root noski "subjectKeyIdentifier = none" "authorityKeyIdentifier = none"
caught noski root.ski
root noakiroot "authorityKeyIdentifier = none"
lints noakiroot 0 '^notice root.aki '
root rootcp "certificatePolicies = 2.23.140.1.2.1"
caught rootcp root.no_cp
root rootcdp "crlDistributionPoints = URI:http://crl.example.com/r1.crl"
caught rootcdp root.no_cdp
root rootaia "authorityInfoAccess = caIssuers;URI:http://example.com/r1.der"
caught rootaia root.no_other_ext
caught sub root.issuer_eq_subject --profile root --issuer root.pem

# ---- (b) subordinate ----
issued subcafalse sub "basicConstraints = critical, CA:FALSE"
sub subcafalse subca.bc --profile subordinate
issued subku sub "keyUsage = critical, keyCertSign, cRLSign, keyEncipherment"
sub subku subca.ku
issued subnoski sub "subjectKeyIdentifier = none"
sub subnoski subca.aki_ski
issued subnoaia sub -authorityInfoAccess
sub subnoaia subca.aia
issued subany sub "certificatePolicies = 2.5.29.32.0, 2.23.140.1.2.1"
sub subany subca.cp_anypolicy
issued subtwo sub "certificatePolicies = 2.23.140.1.2.1, 2.23.140.1.2.2"
sub subtwo subca.cp_reserved
issued subfirst sub "certificatePolicies = 1.3.6.1.4.1.99999.1, 2.23.140.1.2.1"
lints subfirst 0 '^notice subca.cp_reserved_first ' --issuer root.pem
issued subnoeku sub -extendedKeyUsage
sub subnoeku subca.eku_present
issued subclient sub "extendedKeyUsage = clientAuth"
sub subclient subca.eku_br --profile subordinate
issued subboth sub "extendedKeyUsage = serverAuth, clientAuth"
sub subboth subca.eku_chrome
issued submail sub "extendedKeyUsage = serverAuth, emailProtection"
sub submail subca.eku_mozilla
SUBJ="/C=US/O=Example CA/OU=PKI/CN=Example Sub E1" issued subou sub
sub subou subca.no_ou
issued precert sub "extendedKeyUsage = serverAuth, 1.3.6.1.4.1.11129.2.4.4"
sub precert subca.profile
DAYS=1500 issued sublong sub
sub sublong subca.validity
issued subncmail sub "nameConstraints = critical, permitted;email:example.com"
sub subncmail subca.nc_optional --profile subordinate
caught sub subca.tc_nc_required --issuer root.pem --profile subordinate-tc
issued tcnoip sub "nameConstraints = critical, permitted;DNS:example.com, permitted;dirName:tcdn"
sub tcnoip subca.tc_nc_exclusions
issued tcmail sub "nameConstraints = critical, permitted;DNS:example.com, permitted;dirName:tcdn, permitted;email:example.com, excluded;IP:0.0.0.0/0.0.0.0, excluded;IP:::/::"
sub tcmail subca.tc_nc_types

issued tcn sub "extendedKeyUsage = emailProtection" "certificatePolicies = 1.3.6.1.4.1.99999.1"
clean tcn --issuer root.pem
lints tcn 0 '"profile":"subordinate-tc-nontls"' --issuer root.pem --json
issued tcnsrv sub "extendedKeyUsage = emailProtection, serverAuth"
sub tcnsrv subca.tcnontls_eku --profile subordinate-tc-nontls
issued tcnres sub "extendedKeyUsage = emailProtection"
sub tcnres subca.tcnontls_cp

# ---- (c) cross ----
clean sub --issuer root.pem --profile cross
issued crossnocdp sub -crlDistributionPoints
sub crossnocdp cross.ext --profile cross
issued crossany sub "extendedKeyUsage = serverAuth, anyExtendedKeyUsage"
sub crossany cross.eku_unrestricted --profile cross
issued crosscode sub "extendedKeyUsage = serverAuth, codeSigning"
sub crosscode cross.eku_restricted_tls --profile cross
sub subnoeku cross.eku_programs --profile cross
issued crosspol sub "certificatePolicies = 1.3.6.1.4.1.99999.1"
sub crosspol cross.cp --profile cross
sub sub cross.notbefore --profile cross --at "$EARLIER"
sub subku cross.ku --profile cross
sub subcafalse cross.bc --profile cross

# ---- (d) OCSP responder ----
O="/C=US/O=Example CA/CN=Example OCSP"
# ocspcase NAME RULE EXT-LINE: an OCSP responder certificate with EXT-LINE, caught by RULE
ocspcase() { SUBJ=$O issued "$1" ocsp "$3" && sub "$1" "$2"; }
ocspcase ocspeku ocspcert.eku "extendedKeyUsage = OCSPSigning, serverAuth"
ocspcase ocspku ocspcert.ku "keyUsage = critical, digitalSignature, keyEncipherment"
ocspcase ocspbc ocspcert.bc "basicConstraints = CA:FALSE"
ocspcase ocspnoaki ocspcert.aki_ski "authorityKeyIdentifier = none"
ocspcase ocspcdp ocspcert.no_cdp "crlDistributionPoints = URI:http://crl.example.com/r1.crl"
ocspcase ocspsan ocspcert.no_nc_san "subjectAltName = DNS:ocsp.example.com"
ocspcase ocspaia ocspcert.aia "authorityInfoAccess = OCSP;URI:http://ocsp.example.com"
ocspcase ocspcp ocspcert.cp "certificatePolicies = 2.23.140.1.2.1"
SUBJ=$O CA=rsa2048 MD=sha1 issued ocspsha1 ocsp
caught ocspsha1 ocspcert.no_sha1 --issuer rsa2048.pem

# ---- (h) Boulder: notices only ----
lints root 0 '' --json
SUBJ="/C=US/ST=CA/O=Example CA/CN=Example Root R1" root boulderst
lints boulderst 0 '^notice boulder.subject_minimal '
issued boulderpath sub "basicConstraints = critical, CA:TRUE"
lints boulderpath 0 '^notice boulder.pathlen ' --issuer root.pem
issued boulderdv sub "certificatePolicies = 2.23.140.1.2.2"
lints boulderdv 0 '^notice boulder.subca_policy_dv ' --issuer root.pem
lints subnoaia 1 '^notice boulder.subca_urls ' --issuer root.pem
SERIAL=0x$(openssl rand -hex 16) root boulderserial
lints boulderserial 0 '^notice boulder.serial_rng '
root bouldersha1ski "subjectKeyIdentifier = hash"
lints bouldersha1ski 0 '^notice boulder.ski '
SUBJ=$O issued ocspnobc ocsp -basicConstraints
lints ocspnobc 0 '^notice boulder.bc_present ' --issuer root.pem
DAYS=3000 issued boulderlong sub
lints boulderlong 1 '^notice boulder.validity_caps ' --issuer root.pem
root boulderku "keyUsage = critical, keyCertSign, cRLSign, nonRepudiation"
lints boulderku 1 '^notice boulder.ku_allowlist '

# ---- (e) CRLs, made by openssl ca ----
crl crlclean
clean crlclean --issuer root.pem
REVOKE="sub -crl_reason=keyCompromise" crl crlrevoked
clean crlrevoked --issuer root.pem
NOEXT=1 NUMBER=none crl crlv1
sub crlv1 crl.version
NUMBER=none crl crlnonumber
sub crlnonumber crl.number
crl crlnoaki -authorityKeyIdentifier
sub crlnoaki crl.aki
CDAYS=400 crl crllong
sub crllong crl.nextupdate_ca
REVOKE="sub -crl_reason=certificateHold" crl crlhold
sub crlhold crl.reason_values
REVOKE="sub -crl_compromise=20260101000000Z" crl crlinvalidity
sub crlinvalidity crl.entry_other_ext
crl crlidpca "issuingDistributionPoint = critical, @idpca"
sub crlidpca crl.idp_partitioned
sub crlidpca crl.idp_full
crl crlidp "issuingDistributionPoint = critical, @idp"
lints crlidp 1 '^warning crl.idp_full ' --issuer root.pem --skip crl.idp_partitioned
crl crlidpnc "issuingDistributionPoint = @idp"
sub crlidpnc crl.idp_partitioned
crl crlidpboth "issuingDistributionPoint = critical, @idpboth"
sub crlidpboth crl.idp_flags
crl crlindirect "issuingDistributionPoint = critical, @idpindirect"
sub crlindirect crl.no_indirect
crl crlother "1.2.3.4 = ASN1:NULL"
sub crlother crl.other_ext
MD=sha256 crl crlsha256
sub crlsha256 crl.sigalg
sub crlclean crl.signature --issuer rsa2048.pem
sub crlclean crl.issuer --issuer rsa2048.pem
sub crlclean crl.signer_key --issuer kunocrl.pem
sub crlclean crl.thisupdate --at "$EARLIER"
NUMBER=00 crl crlzero
lints crlzero 0 '^notice boulder.crl_inputs ' --issuer root.pem
lints crlclean 2 'is a CRL: give --issuer'

# ---- (f) OCSP responses, made by openssl ocsp ----
# resp NAME SIGNER [OCSP-ARGS...]: a response about sub.pem (in root's index as $STATUS) by
# SIGNER (root: the CA itself; ocsp: the delegated responder); env STATUS (V), DAYS (7)
SUBSERIAL=$(openssl x509 -in sub.pem -noout -serial | cut -d= -f2)
resp() {
	local name=$1 signer=$2 key; shift 2
	case $signer in root|nodigsig) key=root.key ;; rsa2048) key=rsa2048.key ;; *) key=sub.key ;; esac
	printf '%s\t301231000000Z\t%s\t%s\tunknown\t/CN=x\n' "${STATUS:-V}" "${REVOKED:-}" \
	    "$SUBSERIAL" > "$name.idx"
	openssl ocsp -index "$name.idx" -CA root.pem -rsigner "$signer.pem" -rkey "$key" \
	    -issuer "${ISSUER:-root}.pem" -cert sub.pem ${DAYS:+-ndays $DAYS} -respout "$name.pem" \
	    "$@" >"$name.err" 2>&1 || fail "make $name" "$(cat "$name.err")"
}
DAYS=7 resp respca root -no_nonce -resp_key_id -resp_no_certs -rmd sha384
clean respca --issuer root.pem
lints respca 0 '"at_from":"producedAt"' --issuer root.pem --json
DAYS=7 resp respdel ocsp -no_nonce -resp_key_id
clean respdel --issuer root.pem
DAYS=7 STATUS=R REVOKED=261101000000Z,keyCompromise resp resprevoked root -no_nonce -resp_key_id -rmd sha384
clean resprevoked --issuer root.pem
DAYS=7 resp respnonce root -resp_key_id -rmd sha384
sub respnonce ocsp.no_response_ext
DAYS=7 resp respbyname root -no_nonce -rmd sha384
lints respbyname 0 '^notice ocsp.responder_id .*byName' --issuer root.pem
DAYS=7 resp respsha256 root -no_nonce -resp_key_id -rmd sha256
sub respsha256 ocsp.sigalg
DAYS=7 resp respother rsa2048 -no_nonce -resp_key_id
sub respother ocsp.authorized_signer
DAYS=7 resp respsubsigner sub -no_nonce -resp_key_id -rmd sha256
sub respsubsigner ocsp.delegate_valid
DAYS=7 resp respnodigsig nodigsig -no_nonce -resp_key_id -rmd sha384 -resp_no_certs
sub respnodigsig ocsp.ca_digsig --issuer nodigsig.pem
DAYS=7 resp respnocerts ocsp -no_nonce -resp_key_id -resp_no_certs
sub respnocerts ocsp.certs_field
DAYS= resp respnonext root -no_nonce -resp_key_id -rmd sha384
sub respnonext ocsp.nextupdate_present
DAYS=400 resp resplong root -no_nonce -resp_key_id -rmd sha384
sub resplong ocsp.subca_interval
DAYS=366 resp respbeyond ocsp -no_nonce -resp_key_id
sub respbeyond ocsp.within_signer_validity
DAYS=7 STATUS=R REVOKED=261101000000Z,certificateHold resp resphold root -no_nonce -resp_key_id -rmd sha384
sub resphold ocsp.revoked_reason
sub respca ocsp.time_order --at "$EARLIER"
DAYS=7 ISSUER=rsa2048 resp respcertid root -no_nonce -resp_key_id -rmd sha384 -resp_no_certs
sub respcertid ocsp.certid
lints respcertid 1 '^notice boulder.ocsp_status ' --issuer root.pem
DAYS=7 resp resptwo root -no_nonce -resp_key_id -rmd sha384 -cert ocsp.pem
sub resptwo ocsp.single_response
# gtpatch NAME FROM FIELD: FROM.pem with its GeneralizedTime FIELD ("Produced At": the first
# of that value, "This Update": the last) patched in place to YYYYMMDDHHMM.5Z, a fraction
# without seconds of the same length, so that every length around it holds
gtpatch() {
	local when gt old new
	when=$(openssl ocsp -respin "$2.pem" -resp_text -noverify 2>/dev/null |
	    sed -n "s/^ *$3: //p" | head -n1)
	gt=$(date -u -d "$when" +%Y%m%d%H%M%SZ) || { fail "make $1: no $3"; return 1; }
	old=180f$(printf '%s' "$gt" | xxd -p)
	new=180f$(printf '%s' "${gt:0:12}.5Z" | xxd -p)
	case $3 in
	"Produced At") xxd -p "$2.pem" | tr -d '\n' | sed "s/$old/$new/" ;;
	*) xxd -p "$2.pem" | tr -d '\n' | sed "s/\(.*\)$old/\1$new/" ;;
	esac | xxd -r -p > "$1.pem"
	cmp -s "$1.pem" "$2.pem" && fail "make $1: $3 $gt not found"
	return 0
}
gtpatch resppa respca "Produced At"
sub resppa ocsp.times_format
gtpatch resptu respca "This Update"
sub resptu ocsp.times_format
sub respca ocsp.profile --issuer rsa2048.pem
lints respca 2 'is an OCSP response: give --issuer'

# ---- table A: what openssl makes is what the table wants ----
SKI=$(ski rsa2048.key) openssl req -x509 -new -config "$(ext root)" -extensions e \
    -key rsa2048.key -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest \
    -days 3650 -subj "$SUBJ_ROOT" -set_serial "$(serial)" -out pss256.pem 2>pss.err ||
    fail "make pss256" "$(cat pss.err)"
lints pss256 0 '"rule":"alg.pss_sha256","severity":"error","citation":"[^"]*","verdict":"pass","message":""' --json
lints pss256 0 '^notice boulder.sigalg_allowlist '
for md in sha384 sha512; do
	SKI=$(ski rsa2048.key) openssl req -x509 -new -config "$(ext root)" -extensions e \
	    -key rsa2048.key -$md -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest \
	    -days 3650 -subj "$SUBJ_ROOT" -set_serial "$(serial)" -out pss$md.pem 2>pss.err ||
	    fail "make pss$md" "$(cat pss.err)"
	lints pss$md 0 "\"rule\":\"alg.pss_${md}\",\"severity\":\"error\",\"citation\":\"[^\"]*\",\"verdict\":\"pass\",\"message\":\"\"" --json
done
lints root 0 '"rule":"alg.spki_p384","severity":"error","citation":"[^"]*","verdict":"pass","message":""' --json
lints sub 0 '"rule":"alg.spki_p256","severity":"error","citation":"[^"]*","verdict":"pass","message":""' --json --issuer root.pem
lints rsa2048 0 '"rule":"alg.spki_rsa","severity":"error","citation":"[^"]*","verdict":"pass","message":""' --json
lints root521 0 '"rule":"alg.spki_p521","severity":"error","citation":"[^"]*","verdict":"pass","message":""' --json

# ---- no leaks or bad accesses on clean and flawed input ----
vg_lint lint 1 --json --issuer root.pem sub.pem fermat.pem ocspeku.pem

# ---- the command line ----
lints sub 1 '^(.*/)?eku.pem: error root.no_eku ' --issuer root.pem eku.pem
lints root 0 '"verdict":"pass"' --json
lints root 0 '"verdict":"skipped"' --json --skip cert.x509_v3
lints eku 0 '"rule":"root.no_eku"' --json --skip e_root_ca_extended_key_usage_present
lints root 2 'unknown rule or lint name' --skip no.such_rule
lints root 2 'bad time' --at yesterday
lints root 2 'unknown profile' --profile leaf
lints sub 2 'give --issuer'
lints root 2 'unknown option' --frobnicate
printf 'junk' > junk.pem
lints junk 2 'not a certificate, CRL or OCSP response'
n=$("$CEREMONY" lint --list | wc -l)
[ "$n" -ge 100 ] && pass "lint --list has $n rules" || fail "lint --list has only $n rules"
"$CEREMONY" lint --list --markdown > lints.md.new
sed -n '/^| id |/,$p' "$TOP/docs/lints.md" > lints.md.doc
cmp -s lints.md.new lints.md.doc && pass "docs/lints.md matches lint --list --markdown" ||
    fail "docs/lints.md is stale: run ceremony lint --list --markdown" "$(diff lints.md.doc lints.md.new | head)"
# Every rule of the list is exercised above (a case named after it, or a pass verdict).
done_tests
