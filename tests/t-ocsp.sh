#!/usr/bin/env bash
# tests/t-ocsp.sh: the ocsp-response step on throwaway SoftHSM tokens, checked as relying
# parties check: openssl ocsp (-respin -CAfile -issuer -cert) for good and revoked
# responses, signed by the CA and through a delegated responder (ECDSA and RSA), and
# `ceremony lint`.  ceremonies/revocation.yaml (a root CRL revoking one of two
# intermediates, OCSP responses for both); a directory of subscriber
# certificates and a list; Boulder's historical config; each refusal (exit 2, nothing
# written); a batch interrupted and resumed, and a tampered response refused on resume;
# 10 000 responses in one step, with bounded memory.
source "$(dirname "$0")/lib.sh"

NOW=$(date -u +%s)
AT=$(date -u -d "@$NOW" '+%Y-%m-%d %H:%M:%S')	# the signing time (--at: a rehearsal)
TU=$(date -u -d "@$((NOW - 3600))" '+%Y-%m-%d %H:%M:%S')
NU=$(date -u -d "@$((NOW + 7 * 86400 - 3600))" '+%Y-%m-%d %H:%M:%S')
NU_CA=$(date -u -d "@$((NOW + 180 * 86400))" '+%Y-%m-%d %H:%M:%S')
SANITIZED=0	# a sanitizer build (make check-asan) is many times slower and keeps what it frees
ldd "$CEREMONY" | grep -q libasan && SANITIZED=1
BIG=${OCSP_BIG:-$([ $SANITIZED = 1 ] && echo 500 || echo 10000)}	# responses in the scale case
RB=$([ $SANITIZED = 1 ] && echo 600 || echo 3000) RK=$([ $SANITIZED = 1 ] && echo 100 || echo 500)	# the interrupted batch, and when to interrupt it
# the batches' files on tmpfs when there is one: their speed is the ceremony's, not the disk's
SHM=$(mktemp -d /dev/shm/ceremony-ocsp.XXXXXX 2>/dev/null) || SHM=$(mktemp -d "$WORK/shm.XXXXXX")
trap 'rm -rf "$WORK" "$SHM"' EXIT

# ---- a test PKI in software (Go's crypto/x509, standard library): keys imported below ----
mkdir -p "$WORK/go" && cp "$TOP/tests/pki/pki.go" "$WORK/go/"
if out=$(cd "$WORK/go" && GOCACHE=$WORK/gocache go build -o pki pki.go 2>&1); then
	pass "the test PKI generator builds (Go standard library)"
else
	fail "the test PKI generator builds" "$out"; done_tests; exit
fi
PKI=$WORK/pki
mkdir -p "$PKI" && "$WORK/go/pki" "$PKI" "$((NOW - 86400))" 200 ||
	{ fail "the test PKI"; done_tests; exit; }

new_softhsm
OCSP_CONF=$SOFTHSM2_CONF
init_token ocsp >/dev/null
import() { SOFTHSM2_CONF=$OCSP_CONF softhsm2-util --import "$1" --token ocsp --label "$2" --id "$3" \
    --pin "$PIN" >/dev/null; }
import "$PKI/ca.key" 'CA key' 01 && import "$PKI/nods.key" 'NoDS key' 02 &&
    import "$PKI/resp.key" 'Responder key' 03 || fail "keys imported into the token"

TOKENS="tokens:
  t: {module: $MODULE, token-label: ocsp, pin: env:OCSP_PIN}"
export OCSP_PIN=$PIN

# ocsp_ok NAME RESPONSE-DER CERT ISSUER STATUS: openssl ocsp accepts it, with that status
ocsp_ok() {
	local out
	out=$(openssl ocsp -respin "$2" -CAfile "$4" -issuer "$4" -cert "$3" 2>&1)
	if grep -q '^Response verify OK' <<<"$out" && grep -q "^$3: $5\$" <<<"$out" &&
	    ! grep -qi 'error\|invalid' <<<"$out"; then
		pass "$1: openssl ocsp: Response verify OK, $5"
	else
		fail "$1: openssl ocsp" "$out"
	fi
}
# unb64 FILE: Boulder's base64 line to DER, beside it
unb64() { base64 -d "$1" > "${1%.b64}.from-b64.der"; echo "${1%.b64}.from-b64.der"; }
# run_ok NAME SCRIPT [ARGS]: a ceremony that succeeds (with --at: the SoftHSM rehearsal's time)
run_ok() {
	local n=$1 s=$2; shift 2
	if "$CEREMONY" run --yes --at "$AT" "$@" "$s" >"$s.out" 2>&1; then
		pass "$n: runs"
	else
		fail "$n: runs" "$(cat "$s.out")"
	fi
}
# refused NAME REGEX CMD...: exit 2, one line on stderr matching REGEX, nothing written
refused() {
	local n=$1 re=$2 before after rc err
	shift 2
	before=$(find . -printf '%p %s\n' | LC_ALL=C sort)
	err=$("$@" 2>&1 >/dev/null); rc=$?
	after=$(find . -printf '%p %s\n' | LC_ALL=C sort)
	if [ "$rc" -eq 2 ] && [ "$(grep -c '' <<<"$err")" -eq 1 ] && grep -Eq "$re" <<<"$err" &&
	    [ "$before" = "$after" ]; then
		pass "$n: refused with exit 2 in one line, nothing written"
	else
		fail "$n: refused, nothing written" "exit $rc: $err"$'\n'"$(diff <(echo "$before") <(echo "$after"))"
	fi
}

# ---- 1. ceremonies/revocation.yaml (docs/script.md's example): one of two intermediates
# revoked in the root's CRL; OCSP responses for both, good by the root, revoked through O2 ----
mkdir -p "$WORK/doc/out" && cd "$WORK/doc"
cp "$TOP/ceremonies/revocation.yaml" ex.yaml
awk '/<!-- example: revocation.yaml -->/ { want = 1; next }
    want && /^```yaml/ { inb = 1; next } inb && /^```/ { exit } inb { print }' \
    "$TOP/docs/script.md" | cmp -s - ex.yaml &&
    pass "docs/script.md's revocation example is ceremonies/revocation.yaml" ||
    fail "docs/script.md's revocation example differs from ceremonies/revocation.yaml"
new_softhsm
init_token demo-root >/dev/null
init_token demo-issuing >/dev/null
PLANNED=$(date -d "$PLANNED_AT" +%s)
if CEREMONY_PIN=$PIN ISSUING_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" ex.yaml >ex.out 2>&1; then
	pass "revocation example: runs"
else
	fail "revocation example: runs" "$(cat ex.out)"
fi
check "revocation example: openssl crl -verify with the root" \
    openssl crl -in out/r2.crl.pem -noout -verify -CAfile out/r2.cert.pem
out=$(openssl verify -x509_strict -crl_check -attime "$PLANNED" -CAfile out/r2.cert.pem \
    -CRLfile out/r2.crl.pem out/e2.cert.pem 2>&1)
[ "$out" = "out/e2.cert.pem: OK" ] &&
    pass "revocation example: openssl verify -crl_check: E2 is not revoked" ||
    fail "revocation example: E2 under -crl_check" "$out"
out=$(openssl verify -x509_strict -crl_check -attime "$PLANNED" -CAfile out/r2.cert.pem \
    -CRLfile out/r2.crl.pem out/e3.cert.pem 2>&1)
grep -q 'certificate revoked' <<<"$out" &&
    pass "revocation example: openssl verify -crl_check: E3 is revoked" ||
    fail "revocation example: E3 under -crl_check" "$out"
openssl crl -in out/r2.crl.pem -noout -text | grep -A1 'Reason Code' | grep -q 'Key Compromise' &&
    pass "revocation example: the CRL entry keeps its reason (keyCompromise)" ||
    fail "revocation example: no reason on the CRL entry"
# openssl checks the status times against the clock: give it the planned day
faketime_ocsp() { openssl ocsp -respin "$1" -CAfile out/r2.cert.pem -issuer out/r2.cert.pem \
    -cert "$2" -attime "$PLANNED" -validity_period 99999999 2>&1; }
out=$(faketime_ocsp out/e2.ocsp.der out/e2.cert.pem)
grep -q '^Response verify OK' <<<"$out" && grep -q ': good$' <<<"$out" &&
    pass "revocation example: E2's response, signed by the root, verifies: good" ||
    fail "revocation example: E2's response" "$out"
out=$(faketime_ocsp out/e3.ocsp.der out/e3.cert.pem)
grep -q '^Response verify OK' <<<"$out" && grep -q ': revoked$' <<<"$out" &&
    grep -q 'Reason: keyCompromise' <<<"$out" &&
    pass "revocation example: E3's response, through the delegated responder, verifies: revoked, keyCompromise" ||
    fail "revocation example: E3's response" "$out"
[ "$(unb64 out/e2.ocsp.b64 | xargs cat | sha256sum)" = "$(sha256sum < out/e2.ocsp.der)" ] &&
    pass "revocation example: response-path is Boulder's base64 line of response-der-path" ||
    fail "revocation example: base64 and DER differ"
check "revocation example: ceremony lint passes the CRL and both responses" \
    "$CEREMONY" lint --issuer out/r2.cert.pem out/r2.crl.pem out/e2.ocsp.der out/e3.ocsp.der
check "revocation example: ceremony lint passes the certificates" \
    "$CEREMONY" lint --issuer out/r2.cert.pem out/e2.cert.pem out/e3.cert.pem out/o2.cert.pem
resp_text=$(openssl ocsp -respin out/e3.ocsp.der -resp_text -noverify 2>&1)
grep -q 'Responder Id: [0-9A-F]\{40\}' <<<"$resp_text" &&
    [ "$(grep -c 'BEGIN CERTIFICATE' <<<"$resp_text")" -eq 1 ] &&
    grep -q 'Hash Algorithm: sha1' <<<"$resp_text" &&
    pass "revocation example: delegated: responderID byKey, the responder's certificate in certs, CertID SHA-1" ||
    fail "revocation example: delegated response fields" "$resp_text"
[ "$(openssl ocsp -respin out/e2.ocsp.der -resp_text -noverify 2>&1 | grep -c 'BEGIN CERTIFICATE')" -eq 0 ] &&
    pass "revocation example: signed by the root: no certificate in certs" ||
    fail "revocation example: the root's response carries a certificate"
n=$(grep -c '"event":"ocsp-responses-signed"' ex.transcript.jsonl)
[ "$n" -eq 2 ] && pass "revocation example: one ocsp-responses-signed record per step" ||
    fail "revocation example: $n ocsp-responses-signed records"
out=$("$CEREMONY" transcript show ex.transcript.jsonl 2>&1)
! grep -q 'skipped on request' <<<"$out" && grep -q 'crl.signature  *not applicable at this stage' <<<"$out" &&
    grep -q 'ocsp.profile  *not applicable at this stage' <<<"$out" &&
    pass "revocation example: show says the signature rules before signing are not applicable, not skipped errors" ||
    fail "revocation example: transcript show of the signature rules" "$(grep -E 'signature|ocsp.profile|authorized' <<<"$out" | head)"
check "revocation example: transcript verify --outputs" \
    "$CEREMONY" transcript verify --outputs ex.transcript.jsonl
out=$("$CEREMONY" verify --transcript ex.transcript.jsonl ex.yaml 2>&1)
grep -q '^r2-crl (crl): out/r2.crl.pem: identical to what the script makes' <<<"$out" &&
    grep -q 'all 5 artefacts are what the script makes (2 steps not rebuilt)' <<<"$out" &&
    pass "revocation example: ceremony verify rebuilds the CRL byte for byte, and says what it did not rebuild" ||
    fail "revocation example: ceremony verify" "$out"
sed 's/number: 1$/number: 2/' ex.yaml > ex2.yaml
out=$("$CEREMONY" verify ex2.yaml 2>&1); rc=$?
[ $rc -eq 1 ] && grep -q 'cRLNumber: script 2, file 1' <<<"$out" &&
    pass "revocation example: ceremony verify names a CRL that differs from the script (exit 1)" ||
    fail "revocation example: verify of a changed CRL number" "exit $rc: $out"

# ---- 2. a directory of subscriber certificates, signed by the CA's key (found by label) ----
mkdir -p "$WORK/dir/resp" && cd "$WORK/dir"
export SOFTHSM2_CONF=$OCSP_CONF
cat > dir.yaml <<EOF
$TOKENS
steps:
  - id: subscribers
    ceremony-type: ocsp-response
    token: t
    label: CA key
    inputs:
      issuer-certificate-path: $PKI/ca.pem
      certificate-dir: $PKI/leaves
    outputs:
      response-der-dir: resp
      response-dir: resp
    ocsp-profile:
      this-update: $TU
      next-update: $NU
      status: good
EOF
run_ok "a directory of 200" dir.yaml
[ "$(ls resp/*.der | wc -l)" -eq 200 ] && [ "$(ls resp/*.b64 | wc -l)" -eq 200 ] &&
    pass "a directory of 200: one DER and one base64 response per certificate" ||
    fail "a directory of 200: $(ls resp | wc -l) files"
check "a directory of 200: sha256sum -c of the manifest (every file it lists)" sha256sum -c --quiet resp/SHA256SUMS
[ "$(wc -l < resp/SHA256SUMS)" -eq 400 ] && pass "a directory of 200: the manifest lists 400 files" ||
    fail "a directory of 200: manifest of $(wc -l < resp/SHA256SUMS) lines"
bad=0
for c in "$PKI"/leaves/leaf-0000[0-4].pem "$PKI"/leaves/leaf-00199.pem; do
	s=$(openssl x509 -in "$c" -noout -serial | cut -d= -f2 | tr A-F a-f | sed 's/^0*//')
	f=$(ls resp/ | grep -i "^0*$s.der$")
	out=$(openssl ocsp -respin "resp/$f" -CAfile "$PKI/ca.pem" -issuer "$PKI/ca.pem" -cert "$c" 2>&1)
	grep -q '^Response verify OK' <<<"$out" && grep -q ': good$' <<<"$out" || { bad=1; echo "$out"; }
	cmp -s <(base64 -d "resp/${f%.der}.b64") "resp/$f" || bad=1
done
[ $bad -eq 0 ] && pass "a directory of 200: openssl ocsp verifies responses named by serial, good; base64 = DER" ||
    fail "a directory of 200: openssl ocsp"
check "a directory of 200: ceremony lint passes every response" \
    "$CEREMONY" lint --issuer "$PKI/ca.pem" resp/*.der
rec=$(grep '"event":"ocsp-responses-signed"' dir.transcript.jsonl)
# the list as docs/transcript.md defines it, from the certificates and the files
list=$(while read -r s h; do
	printf '%s %s %s\n' "$s" "$h" "$(sha256sum < "resp/$s.der" | cut -d' ' -f1)"
done < "$PKI/leaves.txt" | sha256sum | cut -d' ' -f1)
[ "$(grep -c '"event":"ocsp-responses-signed"' dir.transcript.jsonl)" -eq 1 ] &&
    [ "$(jq -r .data.count <<<"$rec")" = 200 ] && [ "$(jq -r .data.list.sha256 <<<"$rec")" = "$list" ] &&
    pass "a directory of 200: one summary record; its list SHA-256 recomputed from the files" ||
    fail "a directory of 200: the summary record" "$rec"$'\n'"want list $list"
snippet=$(awk '/<!-- check-ocsp-list -->/ { want = 1; next }
    want && /^```sh/ { inb = 1; next } inb && /^```/ { exit } inb { print }' "$TOP/docs/transcript.md")
ln -s "$PKI/leaves" certs
[ "$(bash -c "$snippet" | cut -d' ' -f1)" = "$list" ] &&
    pass "a directory of 200: docs/transcript.md's shell lines recompute the list SHA-256" ||
    fail "a directory of 200: docs/transcript.md's list snippet" "$(bash -c "$snippet" 2>&1 | tail -n3)"
[ "$(grep '"event":"lint"' dir.transcript.jsonl | jq -r 'select(.data.stage != "plan") | .data.responses' | tr '\n' ' ')" = "200 200 " ] &&
    pass "a directory of 200: one lint record per stage, over all 200" ||
    fail "a directory of 200: lint records" "$(grep '"event":"lint"' dir.transcript.jsonl | cut -c1-300)"
check "a directory of 200: transcript verify --outputs" \
    "$CEREMONY" transcript verify --outputs dir.transcript.jsonl
! grep -q $'\r' dir.yaml.out && pass "a directory of 200: no progress line without a terminal" ||
    fail "a directory of 200: a progress line went into a file"

# ---- 3. a list, revoked, through a delegated RSA responder from a file (Boulder's delegated issuer), SHA-256 CertID ----
mkdir -p "$WORK/list/b64" "$WORK/list/der" && cd "$WORK/list"
cat > list.yaml <<EOF
$TOKENS
steps:
  - id: revoked
    ceremony-type: ocsp-response
    token: t
    label: Responder key
    inputs:
      issuer-certificate-path: $PKI/ca.pem
      delegated-issuer-certificate-path: $PKI/resp.pem
      certificate-path: [$PKI/leaves/leaf-00010.pem, $PKI/leaves/leaf-00011.pem]
    outputs: {response-dir: b64, response-der-dir: der, manifest-path: revoked.sha256}
    ocsp-profile:
      this-update: $TU
      next-update: $NU
      status: revoked
      revocation-date: $TU
      revocation-reason: cessationOfOperation
      cert-id-hash: sha256
EOF
if script -qec "$CEREMONY run --yes --at '$AT' list.yaml" /dev/null >tty.out 2>&1; then
	pass "a list through a delegated responder: runs (at a terminal)"
else
	fail "a list through a delegated responder: runs" "$(cat tty.out)"
fi
grep -q $'\r''revoked: signed and wrote 2/2 OCSP responses' tty.out &&
    pass "a list: a progress line at a terminal" || fail "a list: no progress line" "$(cat -A tty.out | head)"
for c in leaf-00010 leaf-00011; do
	s=$(openssl x509 -in "$PKI/leaves/$c.pem" -noout -serial | cut -d= -f2 | tr A-F a-f | sed 's/^0*//')
	f=$(ls der/ | grep -i "^0*$s.der$")
	out=$(openssl ocsp -respin "der/$f" -CAfile "$PKI/ca.pem" -issuer "$PKI/ca.pem" -sha256 \
	    -cert "$PKI/leaves/$c.pem" 2>&1)
	grep -q '^Response verify OK' <<<"$out" && grep -q ': revoked$' <<<"$out" &&
	    grep -q 'Reason: cessationOfOperation' <<<"$out" &&
	    pass "a list: $c: openssl ocsp verifies it through the delegated responder: revoked, cessationOfOperation" ||
	    fail "a list: $c" "$out"
done
t=$(openssl ocsp -respin "der/$f" -resp_text -noverify 2>&1)
grep -q 'Hash Algorithm: sha256' <<<"$t" && grep -q 'Signature Algorithm: sha256WithRSAEncryption' <<<"$t" &&
    pass "a list: CertID SHA-256; the RSA responder signs with SHA256WithRSA" || fail "a list: fields" "$t"
check "a list: sha256sum -c of manifest-path" sha256sum -c --quiet revoked.sha256
check "a list: ceremony lint passes both" "$CEREMONY" lint --issuer "$PKI/ca.pem" der/*.der
grep -q '"matches":"the issuer certificate'"'"'s public key"' list.transcript.jsonl &&
    pass "a list: the responder's key found by label and the delegated issuer's key (key-found)" ||
    fail "a list: key-found"

# ---- 4. Boulder's historical ocsp-response config (its README example), unchanged but for module, slot, PIN, paths ----
mkdir -p "$WORK/boulder/old" "$WORK/boulder/home/user" && cd "$WORK/boulder"
"$WORK/go/pki" old "$(date -d '2019-06-01 00:00:00Z' +%s)" 0 &&
    import old/ca.key 'root signing key' 04 || fail "Boulder: the 2019 PKI"
cp old/ca.pem home/user/root-cert.pem && cp old/int.pem home/user/certificate.pem
slot=$(softhsm2-util --show-slots | awk '/^Slot [0-9]/ { s = $2 } /Label: *ocsp *$/ { print s; exit }')
cat > ocsp.yaml <<EOF
ceremony-type: ocsp-response
pkcs11:
    module: $MODULE
    pin: $PIN
    signing-key-slot: $slot
    signing-key-label: root signing key
inputs:
    certificate-path: $WORK/boulder/home/user/certificate.pem
    issuer-certificate-path: $WORK/boulder/home/user/root-cert.pem
outputs:
    response-path: $WORK/boulder/home/user/ocsp-resp.b64
ocsp-profile:
    this-update: 2020-01-01 12:00:00
    next-update: 2021-01-01 12:00:00
    status: good
EOF
if "$CEREMONY" -config ocsp.yaml --yes --at '2020-01-01 12:00:00' >b.out 2>&1; then
	pass "Boulder README config: runs unchanged (with --at)"
else
	fail "Boulder README config: runs unchanged" "$(cat b.out)"
fi
d=$(unb64 home/user/ocsp-resp.b64)
out=$(openssl ocsp -respin "$d" -CAfile old/ca.pem -issuer old/ca.pem -cert old/int.pem \
    -attime "$(date -d '2020-06-01Z' +%s)" -validity_period 999999999 2>&1)
grep -q '^Response verify OK' <<<"$out" && grep -q ': good$' <<<"$out" &&
    pass "Boulder README config: openssl ocsp verifies the base64 response: good" ||
    fail "Boulder README config: openssl ocsp" "$out"
[ "$(tail -c1 home/user/ocsp-resp.b64 | xxd -p)" = 0a ] && [ "$(wc -l < home/user/ocsp-resp.b64)" -eq 1 ] &&
    pass "Boulder README config: response-path is one base64 line and a newline, as Boulder wrote it" ||
    fail "Boulder README config: the base64 form"
sed -e 's/2021-01-01 12:00:00/2039-01-01 12:00:00/' -e 's/ocsp-resp.b64/ocsp-2039.b64/' ocsp.yaml > long.yaml
refused "Boulder's own test config (2020 to 2039, test/cert-ceremonies before 4305f64)" \
    'long.yaml:[0-9]+:[0-9]+: next-update is more than 12 months after this-update' \
    "$CEREMONY" -config long.yaml --yes --at '2020-01-01 12:00:00'
sed -e 's/status: good/status: revoked/' -e 's/ocsp-resp.b64/ocsp-rev.b64/' ocsp.yaml > rev.yaml
refused "a Boulder revoked config without revocation-date" \
    'rev.yaml:15:13: status revoked needs revocation-date and revocation-reason' \
    "$CEREMONY" -config rev.yaml --yes --at '2020-01-01 12:00:00'
printf '    revocation-date: 2019-12-31 00:00:00\n    revocation-reason: superseded\n' >> rev.yaml
if "$CEREMONY" -config rev.yaml --yes --at '2020-01-01 12:00:00' >r.out 2>&1; then
	out=$(openssl ocsp -respin "$(unb64 home/user/ocsp-rev.b64)" -CAfile old/ca.pem -issuer old/ca.pem \
	    -cert old/int.pem -attime "$(date -d '2020-06-01Z' +%s)" -validity_period 999999999 2>&1)
	grep -q ': revoked$' <<<"$out" && grep -q 'Reason: superseded' <<<"$out" &&
	    pass "Boulder revoked config with the two added lines: revoked, superseded" ||
	    fail "Boulder revoked config: openssl ocsp" "$out"
else
	fail "Boulder revoked config with the two added lines: runs" "$(cat r.out)"
fi

# ---- 5. refusals: exit 2, one line, nothing written (no transcript, no response) ----
mkdir -p "$WORK/bad/out" && cd "$WORK/bad"
# bad_script NAME SED-EXPRESSIONS...: list.yaml's step, one response, changed
bad_script() {
	local f=$1; shift
	sed "$@" > "$f" <<EOF
$TOKENS
steps:
  - id: one
    ceremony-type: ocsp-response
    token: t
    label: Responder key
    inputs:
      issuer-certificate-path: $PKI/ca.pem
      delegated-issuer-certificate-path: $PKI/resp.pem
      certificate-path: $PKI/leaves/leaf-00020.pem
    outputs: {response-der-path: out/one.der}
    ocsp-profile:
      this-update: $TU
      next-update: $NU
      status: revoked
      revocation-date: $TU
      revocation-reason: keyCompromise
EOF
}
bad_script good.yaml -e 's/x/x/'
run_ok "the refusals' base script" good.yaml
rm -f out/one.der good.transcript.jsonl good.yaml.out
# bad FILE POS-AND-REGEX NAME SED-EXPRESSIONS...: the base step changed, refused at FILE:POS
bad() {
	local f=$1 re=$2 n=$3
	shift 3
	bad_script "$f" "$@"
	refused "$n" "$f:$re" "$CEREMONY" run --yes --at "$AT" "$f"
}
day() { date -u -d "@$((NOW + $1))" '+%Y-%m-%d %H:%M:%S'; }
bad noeku.yaml '10:42: the delegated responder .*resp-noeku.pem has no OCSPSigning extended key usage' \
    "a delegated responder without the OCSPSigning EKU" -e 's/resp.pem/resp-noeku.pem/'
bad short.yaml '15:20: the delegated responder expires before next-update' \
    "a delegated responder expiring inside the window" -e 's/resp.pem/resp-short.pem/'
bad hold.yaml '18:26: certificateHold is forbidden \(BR 7.2.2' "a certificateHold reason" \
    -e 's/keyCompromise/certificateHold/'
bad unspec.yaml '18:26: unspecified is never written' "an unspecified reason" \
    -e 's/keyCompromise/unspecified/'
bad nodate.yaml '16:15: status revoked needs revocation-date' "revoked without a revocation date" \
    -e '/revocation-date/d'
bad late.yaml '17:24: the revocation date is after this-update' "a revocation after this-update" \
    -e "s/revocation-date: .*/revocation-date: $NU/"
bad subscriber11.yaml '15:20: .*leaf-00020.pem is a subscriber certificate .* at most 10 days' \
    "a window too long: 10 days and 1 hour about a subscriber certificate" \
    -e "s/next-update: .*/next-update: $(day $((10 * 86400)))/"
bad subscriber7h.yaml '15:20: .*at least 8 hours' \
    "a window too short: 4 hours about a subscriber certificate (BR 4.9.9: 8 hours at least)" \
    -e "s/next-update: .*/next-update: $(day $((3 * 3600)))/"
bad ca13.yaml '15:20: next-update is more than 12 months after this-update' \
    "a window too long: 13 months about a CA certificate" -e "s|leaves/leaf-00020.pem|int.pem|" \
    -e "s/next-update: .*/next-update: $(day $((396 * 86400)))/"
bad other.yaml '11:25: .*other-leaf.pem was not issued by the issuer \(name and signature\)' \
    "a certificate from another issuer" -e "s|leaves/leaf-00020.pem|other-leaf.pem|"
bad nods.yaml "9:32: the issuer's keyUsage lacks Digital Signature" \
    "a CA without digitalSignature signing itself" -e '/delegated-issuer/d' \
    -e 's/Responder key/NoDS key/' -e 's|ca.pem|nods.pem|'
bad two.yaml "12:15: 'response-der-path' is one file" "response-der-path with two certificates" \
    -e "s|^      certificate-path: .*|      certificate-path: [$PKI/leaves/leaf-00020.pem, $PKI/leaves/leaf-00021.pem]|"
bad future.yaml '14:7: step one: error ocsp.time_order' \
    "a thisUpdate after the signing time (the rehearsal's lint)" \
    -e "s/this-update: .*/this-update: $(day 3600)/" -e "s/revocation-date: .*/revocation-date: $TU/"
bad_script wrongkey.yaml -e 's/Responder key/CA key/'
before=$(find . | LC_ALL=C sort)
"$CEREMONY" run --yes --at "$AT" wrongkey.yaml >wk.out 2>&1; rc=$?
[ "$rc" -eq 1 ] && grep -q "the public key labelled 'CA key' on token '.*' is not the key the step expects" wk.out &&
    [ ! -e out/one.der ] &&
    pass "the CA's key named for a delegated response: not found with the responder's key material, nothing signed" ||
    fail "a key that is not the responder's" "exit $rc: $(cat wk.out)"
rm -f wk.out wrongkey.transcript.jsonl
mkdir -p dirs && touch "dirs/$(openssl x509 -in "$PKI/leaves/leaf-00020.pem" -noout -serial | cut -d= -f2 | tr A-F a-f).der"
bad exists.yaml '12:33: output dirs/.*\.der exists' "a response already in the output directory" \
    -e 's|{response-der-path: out/one.der}|{response-der-dir: dirs}|'

# ---- 6. a batch interrupted, resumed: what was written is kept, the rest signed; a tampered file refused ----
mkdir -p "$SHM/resume/resp" "$SHM/resume/big" && cd "$SHM/resume"
"$WORK/go/pki" big "$((NOW - 86400))" "$RB" >/dev/null 2>&1 || fail "the resume PKI"
import big/ca.key 'Resume CA key' 05
sed -e "s|label: CA key|label: Resume CA key|" -e "s|$PKI/ca.pem|big/ca.pem|" \
    -e "s|$PKI/leaves|big/leaves|" -e '/response-dir: resp/d' "$WORK/dir/dir.yaml" > r.yaml
"$CEREMONY" run --yes --at "$AT" r.yaml >r1.out 2>&1 & pid=$!
# (a sanitizer build is many times slower: wait for the files, not for a time)
for _ in $(seq 30000); do [ "$(ls resp | wc -l)" -ge "$RK" ] || ! kill -0 $pid 2>/dev/null && break; sleep 0.02; done
kill -TERM $pid; wait $pid; rc=$?
n=$(ls resp | wc -l)
[ "$rc" -eq 1 ] && [ "$n" -ge "$RK" ] && [ "$n" -lt "$RB" ] &&
    grep -q '"complete":false' r.transcript.jsonl &&
    pass "a batch interrupted by SIGTERM after $n of $RB responses: exit 1, an incomplete summary recorded" ||
    fail "the interruption" "exit $rc, $n files: $(tail -2 r1.out)"
cp -a resp resp.saved
victim=$(ls resp | head -n1); other=$(ls resp | sed -n 2p)
rm "resp/$victim" && cp "resp/$other" "resp/$victim"
before=$(ls -l --time-style=+%s.%N resp | sha256sum)
"$CEREMONY" run --yes --at "$AT" --resume r.transcript.jsonl r.yaml >swap.out 2>&1; rc=$?
# exit 1: the ceremony's transcript exists (docs/hardening.md: after the commit point)
[ "$rc" -eq 1 ] && grep -q "output resp/$victim exists but is not a response this step makes" swap.out &&
    [ "$(ls -l --time-style=+%s.%N resp | sha256sum)" = "$before" ] &&
    pass "resuming with a response swapped for another certificate's: refused before any signature, no response touched" ||
    fail "resuming with a swapped response" "exit $rc: $(tail -n1 swap.out)"
rm -rf resp && mv resp.saved resp
if "$CEREMONY" run --yes --at "$AT" --resume r.transcript.jsonl r.yaml >r2.out 2>&1; then
	rec=$(grep '"event":"ocsp-responses-signed"' r.transcript.jsonl | tail -n1)
	[ "$(jq -r .data.kept_from_interruption <<<"$rec")" = "$n" ] && [ "$(jq -r .data.complete <<<"$rec")" = true ] &&
	    [ "$(ls resp/*.der | wc -l)" -eq "$RB" ] &&
	    pass "resumed: the $n written before are kept (checked), the other $((RB - n)) signed" ||
	    fail "resumed: counts" "$rec"
else
	fail "resumed: runs" "$(cat r2.out)"
fi
check "resumed: sha256sum -c of the manifest" sha256sum -c --quiet resp/SHA256SUMS
check "resumed: transcript verify --outputs" "$CEREMONY" transcript verify --outputs r.transcript.jsonl
check "resumed: ceremony lint passes all $RB" "$CEREMONY" lint --issuer big/ca.pem resp/*.der

# ---- 7. 10 000 responses in one step; the peak memory does not grow with the count ----
mkdir -p "$WORK/scale/resp" "$WORK/scale/small" && cd "$WORK/scale"
mkdir -p "$SHM/resp" "$SHM/small"
"$WORK/go/pki" "$SHM" "$((NOW - 86400))" "$BIG" >/dev/null 2>&1 || fail "the scale PKI"
import "$SHM/ca.key" 'Scale CA key' 06
mkdir -p "$SHM/leaves1000" && (cd "$SHM/leaves" && cp $(ls | head -n 1000) "$SHM/leaves1000/")
sed -e "s|label: CA key|label: Scale CA key|" -e "s|$PKI/ca.pem|$SHM/ca.pem|" \
    -e "s|$PKI/leaves|$SHM/leaves|" -e '/response-dir: resp/d' -e "s|response-der-dir: resp|response-der-dir: $SHM/resp|" \
    "$WORK/dir/dir.yaml" > big.yaml
sed -e "s|$SHM/leaves|$SHM/leaves1000|" -e "s|$SHM/resp|$SHM/small|" big.yaml > small.yaml
# peak KIB SCRIPT: runs it, and prints its peak resident memory (VmHWM) in KiB
peak() {
	local pid hwm=0 h
	"$CEREMONY" run --yes --at "$AT" "$1" >"$1.out" 2>&1 & pid=$!
	while h=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null) && [ -n "$h" ]; do
		hwm=$h; sleep 0.02
	done
	wait $pid || { echo "failed: $(tail -n2 "$1.out")" >&2; echo 0; return; }
	echo "$hwm"
}
small=$(peak small.yaml)
t0=$(date +%s%N)
big=$(peak big.yaml)
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$(ls "$SHM/resp" | grep -c '\.der$')" -eq "$BIG" ] && grep -q "$BIG OCSP responses (good): $BIG signed" big.yaml.out &&
    pass "$BIG responses in one step, in $ms ms" || fail "$BIG responses" "$(tail -n3 big.yaml.out)"
if [ $SANITIZED = 1 ]; then
	echo "skip - peak memory: a sanitizer build keeps what it frees ($small KiB, $big KiB)"
elif [ "$big" -gt 0 ] && [ "$small" -gt 0 ] && [ $((big - small)) -lt 16384 ]; then
	pass "peak memory: $small KiB for 1000 responses, $big KiB for $BIG (the list grows, not the responses)"
else
	fail "peak memory: $small KiB for 1000, $big KiB for $BIG"
fi
check "$BIG responses: sha256sum -c of the manifest" sha256sum -c --quiet "$SHM/resp/SHA256SUMS"
rm -rf "$SHM"

done_tests
