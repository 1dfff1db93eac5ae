# tests/lint-lib.sh: what the lint tests share (sourced after lib.sh, in $WORK): an openssl
# config of clean profiles, certificate and CRL makers that change one thing at a time, and
# the assertions on `ceremony lint`'s exit status and lines.
LATER=$(date -u -d '+3 days' '+%Y-%m-%d %H:%M:%S')
EARLIER=$(date -u -d '-2 days' '+%Y-%m-%dT%H:%M:%SZ')
SUBJ_ROOT="/C=US/O=Example CA/CN=Example Root R1"

cat > x.cnf <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = $ENV::SKI
authorityKeyIdentifier = keyid:always
[sub]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = $ENV::SKI
authorityKeyIdentifier = keyid:always
extendedKeyUsage = serverAuth
certificatePolicies = 2.23.140.1.2.1
crlDistributionPoints = URI:http://crl.example.com/r1.crl
authorityInfoAccess = caIssuers;URI:http://example.com/r1.der
[ocsp]
keyUsage = critical, digitalSignature
basicConstraints = critical, CA:FALSE
subjectKeyIdentifier = $ENV::SKI
authorityKeyIdentifier = keyid:always
extendedKeyUsage = OCSPSigning
noCheck = ignored
[tcdn]
C = US
O = Example CA
[cps]
policyIdentifier = 2.23.140.1.2.1
CPS.1 = "ftp://example.com/cps"
[cpshttp]
policyIdentifier = 2.23.140.1.2.1
CPS.1 = "http://example.com/cps"
EOF

# ext SECTION [LINES...]: a copy of section SECTION with lines removed (-KEY) or set (KEY = V)
ext() {
	local sec=$1 out; shift
	out=$WORK/ext-$RANDOM$RANDOM.cnf
	awk -v s="[$sec]" '$0 == s { on = 1; next } /^\[/ { on = 0 } on' x.cnf > "$out.body"
	for l in "$@"; do
		case $l in
		-*) grep -v "^${l#-} *=" "$out.body" > "$out.tmp"; mv "$out.tmp" "$out.body" ;;
		*) grep -v "^${l%% =*} *=" "$out.body" > "$out.tmp"; mv "$out.tmp" "$out.body"
		   echo "$l" >> "$out.body" ;;
		esac
	done
	{ sed -n '/^\[req\]/,/^\[root\]/p' x.cnf | sed '$d'; echo "[e]"; cat "$out.body"
	  sed -n '/^\[tcdn\]/,$p' x.cnf; } > "$out"
	echo "$out"
}

# ski KEY: RFC 7093 method 1, SHA-256 of the subjectPublicKey BIT STRING value, 160 bits
ski() {
	local d=$WORK/ski.der line off hl
	openssl pkey -in "$1" -pubout -outform DER -out "$d" 2>/dev/null ||
	    openssl pkey -pubin -in "$1" -pubout -outform DER -out "$d"
	line=$(openssl asn1parse -inform DER -in "$d" | grep 'BIT STRING' | tail -n1)
	off=$(echo "$line" | sed 's/^ *\([0-9]*\):.*/\1/')
	hl=$(echo "$line" | sed 's/.*hl=\([0-9]*\).*/\1/')
	tail -c +$((off + hl + 2)) "$d" | sha256sum | cut -c1-40
}

key() { # key FILE ec256|ec384|ec521|rsa1024|rsa2048|rsae3|ed25519|explicit
	case $2 in
	ec*) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-${2#ec} -out "$1" ;;
	rsae3) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	    -pkeyopt rsa_keygen_pubexp:3 -out "$1" ;;
	rsa*) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:${2#rsa} -out "$1" ;;
	ed25519) openssl genpkey -algorithm ED25519 -out "$1" ;;
	explicit) openssl ecparam -name prime256v1 -param_enc explicit -genkey -noout -out "$1" ;;
	esac 2>/dev/null
}

serial() { echo "0x01$(openssl rand -hex 16)"; }

# root NAME [EXT-LINES...]: self-signed; env KEY (root.key) SUBJ MD (sha384) DAYS SERIAL
root() {
	local name=$1 f md=${MD-sha384}; shift
	f=$(ext root "$@")
	SKI=$(ski "${KEY:-root.key}") openssl req -x509 -new -config "$f" -extensions e \
	    -key "${KEY:-root.key}" ${md:+-$md} -days "${DAYS:-3650}" \
	    -subj "${SUBJ:-$SUBJ_ROOT}" -set_serial "${SERIAL:-$(serial)}" -out "$name.pem" \
	    2>"$name.err" || { fail "make $name" "$(cat "$name.err")"; return 1; }
}

# issued NAME SECTION [EXT-LINES...]: signed by root.pem; env KEY (sub.key) or PUB, SUBJ, MD, DAYS
issued() {
	local name=$1 sec=$2 f pub; shift 2
	f=$(ext "$sec" "$@")
	pub=${PUB:-sub.pub}
	SKI=$(ski "$pub") openssl x509 -new -force_pubkey "$pub" \
	    -subj "${SUBJ:-/C=US/O=Example CA/CN=Example Sub E1}" -CA "${CA:-root}.pem" \
	    -CAkey "${CA:-root}.key" -"${MD:-sha384}" -days "${DAYS:-365}" \
	    -set_serial "${SERIAL:-$(serial)}" -extfile "$f" -extensions e -out "$name.pem" \
	    2>"$name.err" || { fail "make $name" "$(cat "$name.err")"; return 1; }
}

# lints NAME RC PATTERN [LINT-ARGS...]: lint NAME.pem, expect exit RC and a line matching PATTERN
lints() {
	local name=$1 rc=$2 pat=$3 out got; shift 3
	out=$("$CEREMONY" lint "$@" "$name.pem" 2>&1); got=$?
	if [ "$got" -eq "$rc" ] && printf '%s\n' "$out" | grep -Eq -- "$pat"; then
		pass "$name: exit $rc, $pat"
	else
		fail "$name: want exit $rc and '$pat', got exit $got" "$out"
	fi
}
# caught NAME RULE [LINT-ARGS...]: exit 1 with an error or warning line from RULE
caught() { local n=$1 r=$2; shift 2; lints "$n" 1 "^(error|warning) $r " "$@"; }
# clean NAME [LINT-ARGS...]: exit 0 and no output at all
clean() {
	local name=$1 out; shift
	if out=$("$CEREMONY" lint "$@" "$name.pem" 2>&1) && [ -z "$out" ]; then
		pass "$name: lints clean"
	else
		fail "$name: lints clean" "$out"
	fi
}
# passes NAME [LINT-ARGS...]: exit 0, notices at most
passes() {
	local name=$1 out; shift
	if out=$("$CEREMONY" lint "$@" "$name.pem" 2>&1) && ! printf '%s\n' "$out" |
	    grep -Eq '^(error|warning) '; then
		pass "$name: no error or warning"
	else
		fail "$name: no error or warning" "$out"
	fi
}
sub() { caught "$1" "$2" --issuer root.pem "${@:3}"; }
# verdict NAME RULE VERDICT [LINT-ARGS...]: RULE's verdict on NAME.pem (--json) is VERDICT
verdict() {
	local name=$1 rule=$2 want=$3 got; shift 3
	got=$("$CEREMONY" lint --json "$@" "$name.pem" 2>/dev/null |
	    jq -r --arg r "$rule" '.findings[] | select(.rule == $r) | .verdict' 2>&1)
	[ "$got" = "$want" ] && pass "$name: $rule $want" ||
	    fail "$name: $rule is '$got', want $want"
}

# vg_lint WHAT RC LINT-ARGS...: `ceremony lint LINT-ARGS` under valgrind exits RC, with no
# leak or bad access (when valgrind is there and the build is not an ASan one)
vg_lint() {
	local what=$1 want=$2 rc; shift 2
	command -v valgrind >/dev/null && ! ldd "$CEREMONY" | grep -q libasan || return 0
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    --show-leak-kinds=definite,indirect --error-exitcode=99 \
	    "$CEREMONY" lint "$@" >vg.out 2>&1
	rc=$?
	[ "$rc" = "$want" ] && ! grep -q '^==[0-9]*==' vg.out && pass "valgrind: $what" ||
	    fail "valgrind: $what (exit $rc)" "$(grep '^==' vg.out | head -20)"
}

# lint_keys: root.key (P-384), sub.key (P-256) and sub.pub, which the makers above default to
lint_keys() {
	key root.key ec384
	key sub.key ec256
	openssl pkey -in sub.key -pubout -out sub.pub
}

# dated NAME SECTION START END [EXT-LINES...]: like root (SECTION root, self-signed with env
# KEY, root.key) or issued (signed by env CA, root; subject key env KEY, sub.key), but valid
# from START to END (YYYYMMDDHHMMSSZ), made by openssl ca; env SUBJ, MD, SERIAL as there
dated() {
	local name=$1 sec=$2 start=$3 end=$4 f d=$WORK/dated-$1 k s sign; shift 4
	f=$(ext "$sec" "$@")
	k=${KEY:-$([ "$sec" = root ] && echo root.key || echo sub.key)}
	mkdir -p "$d" && : > "$d/index.txt"
	s=${SERIAL:-$(serial)}; echo "${s#0x}" > "$d/serial"
	printf '[ca]\ndefault_ca = d\n[d]\ndatabase = %s/index.txt\nserial = %s/serial\n' "$d" "$d" \
	    > "$d/ca.cnf"
	printf 'new_certs_dir = %s\ndefault_md = %s\npolicy = p\nunique_subject = no\n' "$d" \
	    "${MD:-sha384}" >> "$d/ca.cnf"
	printf 'email_in_dn = no\npreserve = yes\n[p]\n' >> "$d/ca.cnf"
	printf '%s = optional\n' countryName stateOrProvinceName localityName postalCode \
	    streetAddress organizationName organizationalUnitName commonName >> "$d/ca.cnf"
	if [ "$sec" = root ]; then
		sign=(-selfsign -keyfile "$k")
	else
		sign=(-cert "${CA:-root}.pem" -keyfile "${CA:-root}.key")
	fi
	openssl req -new -key "$k" -subj "/CN=unused" -out "$d/req.csr" 2>"$name.err" &&
	    SKI=$(ski "$k") openssl ca -batch -notext -config "$d/ca.cnf" "${sign[@]}" \
	    -in "$d/req.csr" -subj "${SUBJ:-$([ "$sec" = root ] && echo "$SUBJ_ROOT" ||
	    echo "/C=US/O=Example CA/CN=Example Sub E1")}" -startdate "$start" -enddate "$end" \
	    -extfile "$f" -extensions e -out "$name.pem" >>"$name.err" 2>&1 ||
	    { fail "make $name" "$(cat "$name.err")"; return 1; }
}

# crl NAME [CRLEXT-LINES...]: a CRL by root; env REVOKE ("CERT REASON ..."), NUMBER (01,
# "none": no cRLNumber), CDAYS (30), MD (sha384), CA (root), NOEXT (no crl_extensions),
# THIS and NEXT (thisUpdate and nextUpdate, YYYYMMDDHHMMSSZ; now and now + CDAYS)
crl() {
	local name=$1 d=$WORK/ca-$1 l set; shift
	mkdir -p "$d" && : > "$d/index.txt"
	[ "${NUMBER:-01}" = none ] || echo "${NUMBER:-01}" > "$d/crlnumber"
	{ printf '[ca]\ndefault_ca = d\n[d]\ndatabase = %s/index.txt\n' "$d"
	  [ "${NUMBER:-01}" = none ] || printf 'crlnumber = %s/crlnumber\n' "$d"
	  printf 'default_md = %s\ndefault_crl_days = %s\n' "${MD:-sha384}" "${CDAYS:-30}"
	  [ -n "${NOEXT:-}" ] || printf 'crl_extensions = crlext\n'
	  printf '[crlext]\n'
	  set=" $* "
	  case $set in *" -authorityKeyIdentifier "*) ;; *) echo "authorityKeyIdentifier = keyid:always" ;; esac
	  for l in "$@"; do case $l in -*) ;; *) echo "$l" ;; esac; done
	  printf '[idp]\nfullname = URI:http://crl.example.com/r1.crl\n'
	  printf '[idpca]\nonlyCA = TRUE\n'
	  printf '[idpcadp]\nfullname = URI:http://crl.example.com/r1.crl\nonlyCA = TRUE\n'
	  printf '[idpboth]\nfullname = URI:http://crl.example.com/r1.crl\nonlyuser = TRUE\nonlyCA = TRUE\n'
	  printf '[idpindirect]\nfullname = URI:http://crl.example.com/r1.crl\nindirectCRL = TRUE\n'
	} > "$d/ca.cnf"
	set -- ${REVOKE:-}
	while [ $# -ge 2 ]; do
		openssl ca -config "$d/ca.cnf" -cert "${CA:-root}.pem" -keyfile "${CA:-root}.key" \
		    -revoke "$1.pem" $2 >"$d/err" 2>&1 || { fail "revoke $1 in $name" "$(cat "$d/err")"; return 1; }
		shift 2
	done
	openssl ca -config "$d/ca.cnf" -gencrl -cert "${CA:-root}.pem" -keyfile "${CA:-root}.key" \
	    ${THIS:+-crl_lastupdate "$THIS"} ${NEXT:+-crl_nextupdate "$NEXT"} \
	    -out "$name.pem" >"$d/err" 2>&1 || fail "make $name" "$(cat "$d/err")"
}
