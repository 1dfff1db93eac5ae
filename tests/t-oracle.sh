#!/usr/bin/env bash
# tests/t-oracle.sh: our TBS is Go's.  For every shape (root, intermediate, cross-certificate
# crossing a root and crossing an intermediate, OCSP responder, cross-csr) and every scheme,
# the real tool signs on SoftHSM with a pinned serial, and tests/oracle (Go's crypto/x509,
# building the template as Boulder's cmd/ceremony builds it) makes the same TBS from the same
# profile, key, serial and issuer: the two must be equal byte for byte.  Boulder configs
# (one ceremony per file) and one native script; then pinned serials at the 2^159 boundary.
source "$(dirname "$0")/lib.sh"

NB=$(date -u -d '-1 hour' '+%Y-%m-%d %H:%M:%S')
NA=$(date -u -d '+20 years -2 hours' '+%Y-%m-%d %H:%M:%S')
NA_SUB=$(date -u -d '+3 years' '+%Y-%m-%d %H:%M:%S')
NA_OCSP=$(date -u -d '+300 days' '+%Y-%m-%d %H:%M:%S')
ORG='Oracle Test CA'
DV='[{"oid":"2.23.140.1.2.1"}]'
NPOL='[{"oid":"2.999.1.1"}]'	# the native script's hierarchy is private: no CA/B Forum OID

# ---- the oracle: Go's standard library only, no module, nothing downloaded ----
ORACLE=$WORK/oracle
if ! command -v go >/dev/null; then
	fail "go is installed (Debian's golang-go, in the Makefile's DEB_PKGS)"
	done_tests; exit
fi
if out=$(cd "$TOP/tests/oracle" && GO111MODULE=off GOFLAGS= GOPROXY=off GOPATH=$WORK/gopath \
    GOCACHE=$WORK/gocache go build -o "$ORACLE" . 2>&1); then
	pass "the oracle builds with $(go version | cut -d' ' -f3), standard library only"
else
	fail "the oracle builds" "$out"; done_tests; exit
fi

# part PEM N OUT: the Nth element of a certificate or CSR as DER (1: tbsCertificate or
# certificationRequestInfo, 2: signatureAlgorithm), cut out by asn1parse's offsets
part() {
	local kind=x509 line off hl l
	grep -q 'BEGIN CERTIFICATE REQUEST' "$1" && kind=req
	openssl $kind -in "$1" -outform DER -out "$3.full" || return 1
	line=$(openssl asn1parse -inform DER -in "$3.full" | awk -v n="$2" '/d=1/ && ++i == n { print }')
	off=${line%%:*}
	hl=$(sed 's/.*hl= *\([0-9]*\).*/\1/' <<<"$line")
	l=$(sed 's/.* l= *\([0-9]*\).*/\1/' <<<"$line")
	tail -c +$((off + 1)) "$3.full" | head -c $((hl + l)) > "$3"
}

# json KEY=VALUE...: a JSON object; a value starting with @ is JSON (a list, a number, true)
json() {
	jq -n -c --args '[$ARGS.positional[] | (split("=") | {k: .[0], v: (.[1:] | join("="))}) |
	    {(.k): (if (.v | startswith("@")) then (.v[1:] | fromjson) else .v end)}] | add' "$@"
}

# same NAME PEM KEY=VALUE...: the oracle's TBS for the profile equals the TBS in PEM, and
# so does the signatureAlgorithm outside it (for a CSR: the one Go picks for the key)
same() {
	local n=$1 pem=$2 f; shift 2
	f=$WORK/cmp.$$.$RANDOM
	json "$@" > "$f.json"
	if ! out=$("$ORACLE" -in "$f.json" -out "$f.go" -alg "$f.goalg" 2>&1); then
		fail "$n: the oracle builds it" "$out"; return
	fi
	if ! part "$pem" 1 "$f.ours" || ! part "$pem" 2 "$f.oursalg"; then
		fail "$n: our TBS is read" "$pem"; return
	fi
	if ! cmp -s "$f.goalg" "$f.oursalg"; then
		fail "$n: our signatureAlgorithm differs from Go's" \
		    "ours $(xxd -p "$f.oursalg" | tr -d '\n'), Go's $(xxd -p "$f.goalg" | tr -d '\n')"
	elif cmp -s "$f.go" "$f.ours"; then
		pass "$n: our TBS and signatureAlgorithm are Go's, byte for byte ($(wc -c <"$f.ours") bytes)"
	else
		fail "$n: our TBS differs from Go's (< ours, > Go's)" "$(diff \
		    <(openssl asn1parse -inform DER -i -dump -in "$f.ours") \
		    <(openssl asn1parse -inform DER -i -dump -in "$f.go"))"
	fi
}

# serial: 16 random octets, the first with its high bit set (DER needs the 00 pad)
serial() { printf '%02x%s' $((0x80 | 0x$(openssl rand -hex 1))) "$(openssl rand -hex 15)"; }

# serial_of PEM: the serial as openssl prints it, lower case
serial_of() { openssl x509 -in "$1" -noout -serial | sed 's/^serial=//' | tr 'A-F' 'a-f'; }

# ---- 1. Boulder configs: every scheme of Boulder's AllowedSigAlgs, every shape ----
new_softhsm
slot=$(init_token oracle-boulder)
mkdir -p "$WORK/b/out" && cd "$WORK/b"
pkcs11() { printf 'pkcs11:\n    module: %s\n    pin: %s\n' "$MODULE" "'$PIN'"; }

# keycfg LABEL KEY-YAML PUB: a Boulder key ceremony
keycfg() {
	{ echo 'ceremony-type: key'; pkcs11
	  printf '    store-key-in-slot: %s\n    store-key-with-label: %s\n' "$slot" "$1"
	  printf 'key:\n%s\noutputs:\n    public-key-path: %s\n' "$2" "$3"; }
}
# profile SIG CN NB NA SERIAL [EXTRA-YAML]: a certificate-profile block
profile() {
	printf 'certificate-profile:\n    policy-url: https://cps.example.nl/\n'	# Boulder requires it
	[ -n "$1" ] && printf '    signature-algorithm: %s\n' "$1"
	printf '    common-name: %s\n    organization: %s\n    country: NL\n' "$2" "$ORG"
	[ -n "${3:-}" ] && printf '    not-before: %s\n    not-after: %s\n' "$3" "$4"
	[ -n "${5:-}" ] && printf '    serial: %s\n' "$5"
	printf '%s' "${6:-}"
}
SUBCA_YAML="    crl-url: http://crl.example.nl/ca.crl
    issuer-url: http://cert.example.nl/ca.der
    policies:
        - oid: 2.23.140.1.2.1
    key-usages: [Digital Signature, Cert Sign, CRL Sign]
"
# signing LABEL: a Boulder pkcs11 block naming the issuer's key
signing() { pkcs11; printf '    signing-key-slot: %s\n    signing-key-label: %s\n' "$slot" "$1"; }

# run_cfg NAME FILE: one Boulder ceremony
run_cfg() {
	if "$CEREMONY" --config "$2" --yes >"$2.stdout" 2>"$2.stderr"; then return 0; fi
	fail "$1: ceremony --config $2" "$(cat "$2.stdout" "$2.stderr")"; return 1
}

keycfg 'sub key' '    type: ecdsa
    ecdsa-curve: P-256' out/sub.pub.pem > sub-key.yaml
keycfg 'resp key' '    type: ecdsa
    ecdsa-curve: P-384' out/resp.pub.pem > resp-key.yaml
run_cfg "boulder sub key" sub-key.yaml && run_cfg "boulder responder key" resp-key.yaml

# keyblock ALG: a key for the scheme (RSA 2048: the size is in no rule the oracle checks)
keyblock() {
	case $1 in
	*RSA*) printf '    type: rsa\n    rsa-mod-length: 2048\n' ;;
	ECDSAWithSHA256) printf '    type: ecdsa\n    ecdsa-curve: P-256\n' ;;
	ECDSAWithSHA384) printf '    type: ecdsa\n    ecdsa-curve: P-384\n' ;;
	ECDSAWithSHA512) printf '    type: ecdsa\n    ecdsa-curve: P-521\n' ;;
	esac
}
ALGS=(SHA256WithRSA SHA384WithRSA SHA512WithRSA ECDSAWithSHA256 ECDSAWithSHA384 ECDSAWithSHA512)
n=${#ALGS[@]}

# The oracle's side of SUBCA_YAML
BSUB=(organization="$ORG" country=NL crl-url=http://crl.example.nl/ca.crl
    issuer-url=http://cert.example.nl/ca.der policies="@$DV"
    key-usages='@["Digital Signature","Cert Sign","CRL Sign"]')

# bcross ALG NAME EXISTING PUB CN: ALG's root cross-signs EXISTING (whose key is PUB)
bcross() {
	local s; s=$(serial)
	{ echo 'ceremony-type: cross-certificate'; signing "root $1"
	  printf 'inputs:\n    public-key-path: %s\n    issuer-certificate-path: out/root-%s.pem\n' "$4" "$1"
	  printf '    certificate-to-cross-sign-path: %s\noutputs:\n    certificate-path: out/%s.pem\n' "$3" "$2"
	  profile "$1" "$5" "$NB" "$NA_SUB" "$s" "$SUBCA_YAML"; } > "$2.yaml"
	run_cfg "boulder $2" "$2.yaml" &&
	same "boulder cross-certificate of $3, $1" "out/$2.pem" shape=cross-certificate serial="$s" \
	    public-key="$4" issuer-certificate="out/root-$1.pem" certificate-to-cross-sign="$3" \
	    signature-algorithm="$1" common-name="$5" not-before="$NB" not-after="$NA_SUB" "${BSUB[@]}"
}

# The roots first: each scheme's root crosses the next scheme's root and intermediate.
for ((i = 0; i < n; i++)); do
	alg=${ALGS[$i]}
	s=$(serial); eval "RS_$i=$s"
	{ echo 'ceremony-type: root'; pkcs11
	  printf '    store-key-in-slot: %s\n    store-key-with-label: root %s\n' "$slot" "$alg"
	  printf 'key:\n'; keyblock "$alg"
	  printf 'outputs:\n    public-key-path: out/root-%s.pub.pem\n    certificate-path: out/root-%s.pem\n' "$alg" "$alg"
	  profile "$alg" "Oracle Root $alg" "$NB" "$NA" "$s" '    key-usages: [Cert Sign, CRL Sign]
'; } > "root-$alg.yaml"
	run_cfg "boulder root $alg" "root-$alg.yaml"
	s=$(serial); eval "IS_$i=$s"
	{ echo 'ceremony-type: intermediate'; signing "root $alg"
	  printf 'inputs:\n    public-key-path: out/sub.pub.pem\n    issuer-certificate-path: out/root-%s.pem\n' "$alg"
	  printf 'outputs:\n    certificate-path: out/int-%s.pem\n' "$alg"
	  profile "$alg" "Oracle Sub $alg" "$NB" "$NA_SUB" "$s" "$SUBCA_YAML"; } > "int-$alg.yaml"
	run_cfg "boulder intermediate $alg" "int-$alg.yaml"
done
for ((i = 0; i < n; i++)); do
	alg=${ALGS[$i]} next=${ALGS[$(((i + 1) % n))]}
	eval "rs=\$RS_$i is=\$IS_$i"
	same "boulder root $alg" "out/root-$alg.pem" shape=root serial="$rs" \
	    public-key="out/root-$alg.pub.pem" signature-algorithm="$alg" \
	    common-name="Oracle Root $alg" organization="$ORG" country=NL not-before="$NB" \
	    not-after="$NA" key-usages='@["Cert Sign","CRL Sign"]'
	same "boulder intermediate $alg" "out/int-$alg.pem" shape=intermediate serial="$is" \
	    public-key=out/sub.pub.pem issuer-certificate="out/root-$alg.pem" \
	    signature-algorithm="$alg" common-name="Oracle Sub $alg" not-before="$NB" \
	    not-after="$NA_SUB" "${BSUB[@]}"

	s=$(serial)
	{ echo 'ceremony-type: ocsp-signer'; signing "root $alg"
	  printf 'inputs:\n    public-key-path: out/resp.pub.pem\n    issuer-certificate-path: out/root-%s.pem\n' "$alg"
	  printf 'outputs:\n    certificate-path: out/resp-%s.pem\n' "$alg"
	  profile "$alg" "Oracle Root $alg OCSP" "$NB" "$NA_OCSP" "$s"; } > "resp-$alg.yaml"
	run_cfg "boulder ocsp-signer $alg" "resp-$alg.yaml" &&
	same "boulder ocsp-signer $alg" "out/resp-$alg.pem" shape=ocsp-signer serial="$s" \
	    public-key=out/resp.pub.pem issuer-certificate="out/root-$alg.pem" \
	    signature-algorithm="$alg" common-name="Oracle Root $alg OCSP" organization="$ORG" \
	    country=NL not-before="$NB" not-after="$NA_OCSP"

	# crossing a root, then an intermediate: the next scheme's
	bcross "$alg" "xroot-$alg" "out/root-$next.pem" "out/root-$next.pub.pem" "Oracle Root $next"
	bcross "$alg" "xint-$alg" "out/int-$next.pem" out/sub.pub.pem "Oracle Sub $next"

	{ echo 'ceremony-type: cross-csr'; signing "root $alg"
	  printf 'inputs:\n    public-key-path: out/root-%s.pub.pem\n' "$alg"
	  printf 'outputs:\n    csr-path: out/csr-%s.pem\n' "$alg"
	  profile '' "Oracle Root $alg"; } > "csr-$alg.yaml"
	run_cfg "boulder cross-csr $alg" "csr-$alg.yaml" &&
	same "boulder cross-csr $alg" "out/csr-$alg.pem" shape=cross-csr \
	    public-key="out/root-$alg.pub.pem" common-name="Oracle Root $alg" organization="$ORG" \
	    country=NL
done

# The issue's "done when": a Boulder certificate whose pinned serial has its high bit set
# verifies and carries that serial (DER: 02 11 00 ...).
alg=${ALGS[0]}
check "boulder: the intermediate with serial $IS_0 verifies under its root" \
    openssl verify -x509_strict -CAfile "out/root-$alg.pem" \
    "out/int-$alg.pem"
check "boulder: certtool verifies it too" certtool --verify \
    --load-ca-certificate "out/root-$alg.pem" --infile "out/int-$alg.pem"
[ "$(serial_of "out/int-$alg.pem")" = "$IS_0" ] &&
    openssl asn1parse -in "out/int-$alg.pem" | awk '/d=2/ && /INTEGER/ { print; exit }' |
    grep -q "l=  17 prim: INTEGER *:$(tr 'a-f' 'A-F' <<<"$IS_0")" &&
    pass "boulder: it carries that serial, a 17-octet DER INTEGER (the 00 pad and 16 octets)" ||
    fail "boulder: serial" "$(openssl asn1parse -in "out/int-$alg.pem" | head -5)"

# ---- 2. one native script: every scheme (Ed25519 in a private hierarchy), every shape ----
# Each scheme's root crosses the next scheme's root and intermediate; native roots carry
# AKI = SKI (Go: a self-signed template's AuthorityKeyId); some intermediates have
# path-length 1, an OCSP URL, a name outside PrintableString, or name constraints.
new_softhsm
init_token oracle-native >/dev/null
mkdir -p "$WORK/n/out" && cd "$WORK/n"
NALGS=(SHA256WithRSA SHA384WithRSA SHA512WithRSA SHA256WithRSAPSS SHA384WithRSAPSS
    SHA512WithRSAPSS ECDSAWithSHA256 ECDSAWithSHA384 ECDSAWithSHA512 PureEd25519)
nkey() {
	case $1 in
	*RSA*) echo '{type: rsa, rsa-mod-length: 2048}' ;;
	ECDSAWithSHA256) echo '{type: ecdsa, ecdsa-curve: P-256}' ;;
	ECDSAWithSHA384) echo '{type: ecdsa, ecdsa-curve: P-384}' ;;
	ECDSAWithSHA512) echo '{type: ecdsa, ecdsa-curve: P-521}' ;;
	PureEd25519) echo '{type: ed25519}' ;;
	esac
}
nn=${#NALGS[@]}
# subca I: the extra profile lines of intermediate I (index into NALGS)
subca() {
	case $1 in
	1) printf '      path-length: 1\n' ;;
	2) printf '      ocsp-url: http://ocsp.example.nl/\n' ;;
	esac
}
SUBCN=("Oracle Sub 0" "Oracle Sub 1" "Oracle Sub 2 & Ünïcode" "Oracle Sub 3" "Oracle Sub 4"
    "Oracle Sub 5" "Oracle Sub 6" "Oracle Sub 7" "Oracle Sub 8" "Oracle Sub 9")
# nsub ID TYPE LINE ALG CN I SERIAL [EXTRA]: a subordinate CA step issued by root rI; LINE
# names its key (subject-key: ...) or the certificate it crosses
nsub() {
	cat <<YAML
  - id: $1
    ceremony-type: $2
    issuer: r$6
    $3
    outputs: {certificate-path: out/$1.pem}
    certificate-profile:
      signature-algorithm: $4
      common-name: $5
      organization: $ORG
      country: NL
      not-before: $NB
      not-after: $NA_SUB
      crl-url: http://crl.example.nl/r$6.crl
      issuer-url: http://cert.example.nl/r$6.der
      policies: [{oid: 2.999.1.1}]
$([[ $3 == *'cross-sign: i'* ]] || echo '      ekus: server')
      serial: '$7'
${8:-}
YAML
}
for ((i = 0; i < nn; i++)); do
	eval "NR_$i=$(serial) NI_$i=$(serial) NO_$i=$(serial) NXR_$i=$(serial) NXI_$i=$(serial)"
done
NTC1=$(serial) NTC2=$(serial)
{
	printf 'hierarchy: private\ntokens:\n  t: {module: %s, token-label: oracle-native, pin: env:T_PIN}\nsteps:\n' "$MODULE"
	printf '  - {id: sub-key, ceremony-type: key, token: t, label: sub key, key: {type: ecdsa, ecdsa-curve: P-256},\n'
	printf '     outputs: {public-key-path: out/sub.pub.pem}}\n'
	printf '  - {id: resp-key, ceremony-type: key, token: t, label: resp key, key: {type: ecdsa, ecdsa-curve: P-384},\n'
	printf '     outputs: {public-key-path: out/resp.pub.pem}}\n'
	for ((i = 0; i < nn; i++)); do
		alg=${NALGS[$i]}; eval "sr=\$NR_$i"
		cat <<YAML
  - {id: k$i, ceremony-type: key, token: t, label: key $i, key: $(nkey "$alg"),
     outputs: {public-key-path: out/k$i.pub.pem}}
  - id: r$i
    ceremony-type: root
    signing-key: k$i
    outputs: {certificate-path: out/r$i.pem}
    certificate-profile: {signature-algorithm: $alg, common-name: Oracle Root $i,
      organization: $ORG, country: NL, not-before: $NB, not-after: $NA, serial: '$sr'}
YAML
	done
	for ((i = 0; i < nn; i++)); do
		eval "si=\$NI_$i"
		nsub "i$i" intermediate 'subject-key: sub-key' "${NALGS[$i]}" "${SUBCN[$i]}" "$i" "$si" \
		    "$(subca "$i")"
	done
	for ((i = 0; i < nn; i++)); do
		alg=${NALGS[$i]} j=$(((i + 1) % nn))
		eval "so=\$NO_$i sxr=\$NXR_$i sxi=\$NXI_$i"
		cat <<YAML
  - id: o$i
    ceremony-type: ocsp-signer
    issuer: r$i
    subject-key: resp-key
    outputs: {certificate-path: out/o$i.pem}
    certificate-profile: {signature-algorithm: $alg, common-name: Oracle Root $i OCSP,
      organization: $ORG, country: NL, not-before: $NB, not-after: $NA_OCSP, serial: '$so'}
  - id: c$i
    ceremony-type: cross-csr
    signing-key: k$i
    outputs: {csr-path: out/c$i.pem}
    certificate-profile: {common-name: Oracle Root $i, organization: $ORG, country: NL}
YAML
		nsub "xr$i" cross-certificate "certificate-to-cross-sign: r$j" "$alg" "Oracle Root $j" \
		    "$i" "$sxr"
		nsub "xi$i" cross-certificate "certificate-to-cross-sign: i$j" "$alg" "${SUBCN[$j]}" \
		    "$i" "$sxi"
	done
} > native.yaml
# The technically constrained intermediates are TLS ones (BR 7.1.2.5.2 exclusions added):
# a script of the default hierarchy, signed by root 6's key found on the token by its label.
{
	printf 'tokens:\n  t: {module: %s, token-label: oracle-native, pin: env:T_PIN}\nsteps:\n' "$MODULE"
	nsub tc1 intermediate 'inputs: {issuer-certificate-path: out/r6.pem, public-key-path: out/sub.pub.pem}' \
	    ECDSAWithSHA256 "Oracle Constrained 1" 6 "$NTC1" \
	    '      name-constraints:
        permitted-dns: [example.com, example.net]
        excluded-dns: [bad.example.com]
        permitted-ip: [192.0.2.0/24]
        permitted-dn: [{country: NL, organization: Subscriber B.V.}, {organization: Subscriber & Co}]'
	nsub tc2 intermediate 'inputs: {issuer-certificate-path: out/r6.pem, public-key-path: out/sub.pub.pem}' \
	    ECDSAWithSHA256 "Oracle Constrained 2" 6 "$NTC2" \
	    '      name-constraints:
        permitted-ip: [2001:db8::/32]
        excluded-ip: [198.51.100.0/24]
        permitted-dn: [{country: NL, organization: Subscriber B.V.}]'
} | sed -e 's/issuer: r6/token: t\n    label: key 6/' -e 's/policies: \[{oid: 2.999.1.1}\]/policies: [{oid: 2.23.140.1.2.1}]/' \
    -e '/ekus: server/d' > tls.yaml
if T_PIN=$PIN "$CEREMONY" run --yes native.yaml >stdout 2>stderr &&
    T_PIN=$PIN "$CEREMONY" run --yes tls.yaml >>stdout 2>>stderr; then
	pass "native: one script, $(grep -c '^  - ' native.yaml) steps, and two TLS intermediates"
else
	fail "native: one script" "$(cat stdout stderr)"
fi
SUBCA_JSON=(crl-url=http://crl.example.nl/r@.crl issuer-url=http://cert.example.nl/r@.der
    policies="@$NPOL" key-usages='@["Cert Sign","CRL Sign"]' organization="$ORG" country=NL)
# sub I: the common subordinate CA fields of issuer rI
sub() { printf '%s\n' "${SUBCA_JSON[@]//r@/r$1}"; }
for ((i = 0; i < nn; i++)); do
	alg=${NALGS[$i]} j=$(((i + 1) % nn))
	eval "sr=\$NR_$i si=\$NI_$i so=\$NO_$i sxr=\$NXR_$i sxi=\$NXI_$i"
	extra=()
	[ "$i" = 1 ] && extra=(path-length=@1)
	[ "$i" = 2 ] && extra=(ocsp-url=http://ocsp.example.nl/)
	same "native root $alg" "out/r$i.pem" shape=root root-aki=@true serial="$sr" \
	    public-key="out/k$i.pub.pem" signature-algorithm="$alg" common-name="Oracle Root $i" \
	    organization="$ORG" country=NL not-before="$NB" not-after="$NA" \
	    key-usages='@["Cert Sign","CRL Sign"]'
	mapfile -t common < <(sub "$i")
	same "native intermediate $alg${extra:+ (${extra[*]})}" "out/i$i.pem" shape=intermediate \
	    serial="$si" public-key=out/sub.pub.pem issuer-certificate="out/r$i.pem" \
	    signature-algorithm="$alg" common-name="${SUBCN[$i]}" not-before="$NB" \
	    not-after="$NA_SUB" "${common[@]}" "${extra[@]}"
	same "native ocsp-signer $alg" "out/o$i.pem" shape=ocsp-signer serial="$so" \
	    public-key=out/resp.pub.pem issuer-certificate="out/r$i.pem" signature-algorithm="$alg" \
	    common-name="Oracle Root $i OCSP" organization="$ORG" country=NL not-before="$NB" \
	    not-after="$NA_OCSP"
	same "native cross-certificate of a root, $alg" "out/xr$i.pem" shape=cross-certificate \
	    serial="$sxr" public-key="out/k$j.pub.pem" issuer-certificate="out/r$i.pem" \
	    certificate-to-cross-sign="out/r$j.pem" signature-algorithm="$alg" \
	    common-name="Oracle Root $j" not-before="$NB" not-after="$NA_SUB" "${common[@]}"
	same "native cross-certificate of an intermediate, $alg" "out/xi$i.pem" \
	    shape=cross-certificate serial="$sxi" public-key=out/sub.pub.pem \
	    issuer-certificate="out/r$i.pem" certificate-to-cross-sign="out/i$j.pem" \
	    signature-algorithm="$alg" common-name="${SUBCN[$j]}" not-before="$NB" \
	    not-after="$NA_SUB" "${common[@]}"
	same "native cross-csr, key of $alg" "out/c$i.pem" shape=cross-csr \
	    public-key="out/k$i.pub.pem" common-name="Oracle Root $i" organization="$ORG" country=NL
done
mapfile -t common < <(sub 6 | sed "s/2.999.1.1/2.23.140.1.2.1/")
same "native technically constrained intermediate (DNS and IPv4 permitted)" out/tc1.pem \
    shape=intermediate serial="$NTC1" public-key=out/sub.pub.pem issuer-certificate=out/r6.pem \
    signature-algorithm=ECDSAWithSHA256 common-name="Oracle Constrained 1" not-before="$NB" \
    not-after="$NA_SUB" "${common[@]}" name-constraints='@{"permitted-dns":["example.com","example.net"],
    "excluded-dns":["bad.example.com"],"permitted-ip":["192.0.2.0/24"],"permitted-dn":[
    {"country":"NL","organization":"Subscriber B.V."},{"organization":"Subscriber & Co"}]}'
same "native technically constrained intermediate (IPv6 permitted)" out/tc2.pem \
    shape=intermediate serial="$NTC2" public-key=out/sub.pub.pem issuer-certificate=out/r6.pem \
    signature-algorithm=ECDSAWithSHA256 common-name="Oracle Constrained 2" not-before="$NB" \
    not-after="$NA_SUB" "${common[@]}" name-constraints='@{"permitted-ip":["2001:db8::/32"],
    "excluded-ip":["198.51.100.0/24"],"permitted-dn":[{"country":"NL","organization":"Subscriber B.V."}]}'
openssl asn1parse -in out/i2.pem | grep -q 'UTF8STRING *:Oracle Sub 2 &' &&
    openssl asn1parse -in out/i2.pem | grep -q 'PRINTABLESTRING *:Oracle Test CA' &&
    pass "native: a CN outside PrintableString is a UTF8String, the O beside it a PrintableString" ||
    fail "native: string types" "$(openssl asn1parse -in out/i2.pem | grep STRING)"
check "native: the cross-certificate of the intermediate with path-length 1 verifies" \
    openssl verify -x509_strict -CAfile out/r0.pem out/xi0.pem
[ "$(openssl x509 -in out/xi0.pem -noout -ext basicConstraints | tail -1 | tr -d ' ')" = \
    CA:TRUE,pathlen:1 ] && pass "native: that cross-certificate copies pathLen 1" ||
    fail "native: pathLen copied" "$(openssl x509 -in out/xi0.pem -noout -ext basicConstraints)"

# ---- 3. Boulder's EKU list "both" (serverAuth, clientAuth; before 2026-06-15 only) ----
new_softhsm
slot=$(init_token oracle-both)
mkdir -p "$WORK/e/out" && cd "$WORK/e"
AT_BOTH='2026-06-01 12:00:00' NB_BOTH='2026-06-01 11:00:00'
RB=$(serial) IB=$(serial)
{ echo 'ceremony-type: root'; pkcs11
  printf '    store-key-in-slot: %s\n    store-key-with-label: root both\n' "$slot"
  printf 'key:\n'; keyblock ECDSAWithSHA384
  printf 'outputs:\n    public-key-path: out/root.pub.pem\n    certificate-path: out/root.pem\n'
  profile ECDSAWithSHA384 "Oracle Root Both" "$NB_BOTH" '2046-05-31 11:00:00' "$RB" \
      '    key-usages: [Cert Sign, CRL Sign]
'; } > root.yaml
keycfg 'sub key' '    type: ecdsa
    ecdsa-curve: P-256' out/sub.pub.pem > sub-key.yaml
{ echo 'ceremony-type: intermediate'; signing "root both"
  printf 'inputs:\n    public-key-path: out/sub.pub.pem\n    issuer-certificate-path: out/root.pem\n'
  printf 'outputs:\n    certificate-path: out/int.pem\n'
  profile ECDSAWithSHA384 "Oracle Sub Both" "$NB_BOTH" '2029-05-31 11:00:00' "$IB" \
      "$SUBCA_YAML    ekus: both
"; } > int.yaml
for c in root sub-key int; do
	"$CEREMONY" --config $c.yaml --yes --at "$AT_BOTH" >$c.stdout 2>$c.stderr ||
	    fail "ekus both: $c on $AT_BOTH" "$(cat $c.stdout $c.stderr)"
done
same "boulder intermediate with ekus: both" out/int.pem shape=intermediate serial="$IB" \
    public-key=out/sub.pub.pem issuer-certificate=out/root.pem signature-algorithm=ECDSAWithSHA384 \
    common-name="Oracle Sub Both" not-before="$NB_BOTH" not-after='2029-05-31 11:00:00' \
    ekus=both "${BSUB[@]}"

# ---- 4. pinned serials: any positive integer below 2^159, written as its hex ----
# (BR 7.1.2.1 and the other profile tables: less than 2^159; RFC 5280 4.1.2.2: at most
# 20 octets, which is the same bound once DER's sign octet is counted)
new_softhsm
init_token oracle-serial >/dev/null
mkdir -p "$WORK/s/out" && cd "$WORK/s"
R20=7f$(openssl rand -hex 19)			# 20 octets, the largest length there is
RPAD=$(serial)					# written with its DER 00 in front
RCOLON=$(serial)					# written with colons
RODD=$(printf '%x%s' $((0x8 | 0x$(openssl rand -hex 1) % 8)) "$(openssl rand -hex 15)")	# 31 digits
spell() {
	case $1 in
	pad) echo "00$RPAD" ;;
	colon) sed 's/../&:/g; s/:$//' <<<"$RCOLON" ;;
	odd) echo "$RODD" ;;
	20) echo "$R20" ;;
	esac
}
# sroots ID SERIAL ...: a script of roots with these serials
sroots() {
	printf 'tokens:\n  t: {module: %s, token-label: oracle-serial, pin: env:T_PIN}\nsteps:\n' "$MODULE"
	while [ $# -gt 1 ]; do
		cat <<YAML
  - id: $1
    ceremony-type: root
    token: t
    label: root $1
    key: {type: ecdsa, ecdsa-curve: P-256}
    outputs: {public-key-path: out/$1.pub.pem, certificate-path: out/$1.pem}
    certificate-profile: {signature-algorithm: ECDSAWithSHA256, common-name: Oracle Serial $1,
      organization: $ORG, country: NL, not-before: $NB, not-after: $NA, serial: '$2'}
YAML
		shift 2
	done
}
sroots r20 "$(spell 20)" rpad "$(spell pad)" rcolon "$(spell colon)" rodd "$(spell odd)" > serials.yaml
if T_PIN=$PIN "$CEREMONY" run --yes serials.yaml >stdout 2>stderr; then
	pass "serials: 20 octets, a 00 pad, colons and an odd digit count are taken"
else
	fail "serials: accepted spellings" "$(cat stdout stderr)"
fi
[ "$(serial_of out/r20.pem)" = "$R20" ] &&
    openssl asn1parse -in out/r20.pem | awk '/d=2/ && /INTEGER/ { print; exit }' | grep -q 'l=  20 prim' &&
    pass "serials: a 20-octet serial below 2^159 is a 20-octet DER INTEGER" ||
    fail "serials: 20 octets" "$(openssl asn1parse -in out/r20.pem | sed -n 1,5p)"
same "serials: the 20-octet one is Go's" out/r20.pem shape=root root-aki=@true serial="$R20" \
    public-key=out/r20.pub.pem signature-algorithm=ECDSAWithSHA256 common-name="Oracle Serial r20" \
    organization="$ORG" country=NL not-before="$NB" not-after="$NA" \
    key-usages='@["Cert Sign","CRL Sign"]'
[ "$(serial_of out/rpad.pem)" = "$RPAD" ] && pass "serials: 00$RPAD is the integer $RPAD" ||
    fail "serials: pad" "$(serial_of out/rpad.pem)"
[ "$(serial_of out/rcolon.pem)" = "$RCOLON" ] && pass "serials: the colon spelling" ||
    fail "serials: colons" "$(serial_of out/rcolon.pem)"
[ "$(serial_of out/rodd.pem)" = "0$RODD" ] && pass "serials: 31 hex digits are that integer" ||
    fail "serials: odd" "$(serial_of out/rodd.pem) != 0$RODD"

# refused SERIAL WHAT MESSAGE: ceremony check refuses the serial with one line naming the
# file, line and column of the value, and exits 2
refused() {
	local rc at
	sroots r "$1" > bad.yaml
	at=$(awk '/serial: / { print NR ":" index($0, "serial: ") + 8 }' bad.yaml)
	T_PIN=$PIN "$CEREMONY" check bad.yaml >stdout 2>stderr
	rc=$?
	if [ $rc = 2 ] && [ "$(wc -l <stderr)" = 1 ] && grep -q "^ceremony: bad.yaml:$at: 'serial'" stderr &&
	    grep -q "$3" stderr; then
		pass "serials: $2 is refused at bad.yaml:$at ($(sed 's/.*serial. //' stderr | cut -c1-60)...)"
	else
		fail "serials: $2 refused (exit $rc, want bad.yaml:$at)" "$(cat stdout stderr)"
	fi
}
refused "80$(openssl rand -hex 19)" "20 octets with the high bit set (21 in DER)" '2^159'
refused "01$(openssl rand -hex 20)" "21 octets" 'longer than 20 octets'
refused "0012$(openssl rand -hex 15)" "a 00 that is not DER's sign octet" 'not part of the integer'
refused "0000c5$(openssl rand -hex 15)" "two leading 00 octets" 'not part of the integer'
refused "00" "zero" 'positive integer'
refused "c5:8a:8" "a colon group of one digit" 'hex of a positive'
refused "c58g" "a character that is not hex" 'hex of a positive'

done_tests
