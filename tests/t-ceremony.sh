#!/usr/bin/env bash
# tests/t-ceremony.sh: key and root ceremonies end to end on throwaway SoftHSM tokens,
# checked with independent tools (openssl, certtool, pkcs11-tool, the libp11 engine).
source "$(dirname "$0")/lib.sh"

NB=$(date -u -d '-1 hour' '+%Y-%m-%d %H:%M:%S')
NA=$(date -u -d '+20 years -2 hours' '+%Y-%m-%d %H:%M:%S')
PLANNED=$(date -d '2026-12-01 12:00:00Z' +%s)	# the examples' planned ceremony day

# root_ok NAME CERT [ATTIME]: the certificate is a valid self-signed CA root
root_ok() {
	local name=$1 cert=$2 at=${3:-}
	check "$name: openssl verify -x509_strict -check_ss_sig" \
	    openssl verify -x509_strict -check_ss_sig ${at:+-attime "$at"} -CAfile "$cert" "$cert"
	local text; text=$(openssl x509 -in "$cert" -noout -text)
	if grep -q 'CA:TRUE' <<<"$text" && grep -q 'Certificate Sign, CRL Sign' <<<"$text" &&
	    ! grep -q 'Extended Key Usage' <<<"$text" && ! grep -q 'Certificate Policies' <<<"$text" &&
	    { ! grep -q 'Authority Key Identifier' <<<"$text" ||	# Boulder's roots have none
	    [ "$(openssl x509 -in "$cert" -noout -ext subjectKeyIdentifier | tail -n1 | tr -d ' ')" = \
	      "$(openssl x509 -in "$cert" -noout -ext authorityKeyIdentifier | tail -n1 | tr -d ' ')" ]; }; then
		pass "$name: root profile (CA, KU, no EKU, no policies, AKI = SKI or none)"
	else
		fail "$name: root profile" "$text"
	fi
}

# certtool_ok NAME CERT: GnuTLS accepts the self-signed root (valid now)
certtool_ok() {
	check "$1: certtool --verify" certtool --verify --load-ca-certificate "$2" --infile "$2"
}

# key_on_token_ok NAME TOKEN LABEL: pkcs11-tool shows a sign-only, never-extractable local key
key_on_token_ok() {
	local o; o=$(objects "$2" | sed -n "/Private Key Object/,/Access/p" | grep -A4 "label: *$3\$")
	if grep -q 'Usage: *sign$' <<<"$o" &&
	    grep -q 'Access: *sensitive, always sensitive, never extractable, local' <<<"$o"; then
		pass "$1: pkcs11-tool shows a sign-only sensitive never-extractable local key"
	else
		fail "$1: key attributes on the token" "$(objects "$2")"
	fi
}

# transcript_ok NAME TRANSCRIPT STDOUT: the chain checks and ends in the printed digest
transcript_ok() {
	local last
	if last=$(chain_ok "$2") && grep -q "final digest.*: $last\$" "$3" &&
	    [ "$(tail -n1 "$2" | jq -r '.event + "/" + .data.status')" = end/ok ]; then
		pass "$1: transcript chain checks with sha256sum, ends ok, digest printed"
	else
		fail "$1: transcript chain" "$last"
	fi
}

# no_pin NAME FILES...: the PIN appears in none of them
no_pin() {
	local n=$1; shift
	if grep -rqF -- "$PIN" "$@"; then fail "$n: the PIN leaked" "$(grep -rlF -- "$PIN" "$@")"
	else pass "$n: the PIN appears in no output, transcript, stdout or stderr"; fi
}

# ---- 1. the example script, unchanged: key step + root step ----
new_softhsm
init_token demo-root >/dev/null
mkdir -p "$WORK/ex/out" && cd "$WORK/ex"
cp "$TOP/ceremonies/root-p384.yaml" .
check "example: ceremony check" env CEREMONY_PIN=$PIN "$CEREMONY" check --at "$PLANNED_AT" root-p384.yaml
[ ! -e root-p384.transcript.jsonl ] && [ -z "$(ls out)" ] && pass "example: check writes nothing" ||
    fail "example: check writes nothing"
if CEREMONY_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" root-p384.yaml >stdout 2>stderr; then
	pass "example: ceremony run"
else
	fail "example: ceremony run" "$(cat stdout stderr)"
fi
root_ok example out/r1.cert.pem "$PLANNED"
key_on_token_ok example demo-root 'R1 signing key'
transcript_ok example root-p384.transcript.jsonl stdout
no_pin example out root-p384.transcript.jsonl stdout stderr
[ "$(openssl pkey -pubin -in out/r1.pub.pem -outform DER | sha256sum)" = \
  "$(openssl x509 -in out/r1.cert.pem -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum)" ] &&
    pass "example: the public key output is the certificate's key" ||
    fail "example: the public key output is the certificate's key"
spki=$(openssl pkey -pubin -in out/r1.pub.pem -outform DER | sha256sum | cut -d' ' -f1)
[ "$(jq -r 'select(.event=="key-generated") | .data.public_key.spki_sha256' root-p384.transcript.jsonl)" = "$spki" ] &&
    pass "example: transcript records the SPKI SHA-256" || fail "example: transcript SPKI SHA-256"
t=root-p384.transcript.jsonl
if [ "$(jq -r 'select(.event=="begin") | .data.script_sha256' $t)" = "$(sha256sum root-p384.yaml | cut -d' ' -f1)" ] &&
   [ "$(jq -r 'select(.event=="begin") | .data.tool_sha256' $t)" = "$(sha256sum "$CEREMONY" | cut -d' ' -f1)" ] &&
   [ "$(jq -r 'select(.event=="module") | .data.sha256' $t)" = "$(sha256sum "$(readlink -f "$MODULE")" | cut -d' ' -f1)" ] &&
   [ "$(jq -r 'select(.event=="token") | .data.token.serial' $t)" = "$(token_serial demo-root)" ] &&
   [ "$(jq -r 'select(.event=="key-generated") | .data.read_back.private | [.CKA_LOCAL, .CKA_ALWAYS_SENSITIVE, .CKA_NEVER_EXTRACTABLE, .CKA_EXTRACTABLE] | @csv' $t)" = 'true,true,true,false' ] &&
   [ "$(jq -r 'select(.event=="output") | .data.sha256' $t | head -n1)" = "$(sha256sum out/r1.pub.pem | cut -d' ' -f1)" ] &&
   [ "$(jq -r 'select(.event=="output") | .data.sha256' $t | tail -n1)" = "$(sha256sum out/r1.cert.pem | cut -d' ' -f1)" ]; then
	pass "example: transcript holds binary, script, module, token serial, read-back and output hashes"
else
	fail "example: transcript content" "$(jq -c '{event, seq}' $t)"
fi
# One notation for names (issue 17): the plan, the confirmation, the result line, the
# transcript and the witness record write the subject as openssl prints it by default.
name=$(openssl x509 -in out/r1.cert.pem -noout -subject -nameopt oneline,-esc_msb | sed 's/^subject=//')
plan=$(CEREMONY_PIN=$PIN "$CEREMONY" check --at "$PLANNED_AT" root-p384.yaml)
if [ "$name" = 'C = US, O = Example CA, CN = Example Root R1' ] &&
   grep -qF "self-sign '$name' with the key of step" <<<"$plan" &&
   grep -qF "signed root certificate '$name', serial" stdout &&
   [ "$(jq -r 'select(.event=="confirmation" and .data.step=="r1") | .data.question' $t)" = \
     "step r1: sign the root certificate '$name' with key 'R1 signing key' on token 'demo-root' using ECDSAWithSHA384" ] &&
   [ "$(jq -r 'select(.event=="certificate-signed") | .data.certificate.subject' $t)" = "$name" ] &&
   "$CEREMONY" transcript show $t | grep -qF "r1; root; $name; out/r1.cert.pem"; then
	pass "example: plan, confirmation, result line, transcript and witness record name the subject as openssl does"
else
	fail "example: one notation for names" "$name / $(grep -i 'sign' stdout) / $(jq -c 'select(.event=="confirmation")' $t)"
fi
show=$("$CEREMONY" transcript show $t)
grep -q '^  Token locked for the run ' <<<"$show" && grep -q '^  Key pair created (checks follow) ' <<<"$show" &&
    grep -q "^      CKA_ID  *$(jq -r 'select(.event=="key-created") | .data.id' $t)\$" <<<"$show" &&
    pass "example: transcript show names the lock and key-creation records" ||
    fail "example: transcript show's titles" "$(grep -A5 'key-created\|token-lock' <<<"$show")"
# The key is usable by the standard tools: OpenSSL's libp11 engine finds it by label.
if openssl req -new -engine pkcs11 -keyform engine \
    -key "pkcs11:token=demo-root;object=R1%20signing%20key;type=private?pin-value=$PIN" \
    -subj /CN=engine-check -out engine.csr >engine.log 2>&1 &&
    openssl req -in engine.csr -noout -verify >>engine.log 2>&1 &&
    [ "$(openssl req -in engine.csr -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum)" = \
      "$(openssl pkey -pubin -in out/r1.pub.pem -outform DER | sha256sum)" ]; then
	pass "example: the key signs through openssl req -engine pkcs11 (libp11)"
else
	fail "example: libp11 engine" "$(cat engine.log)"
fi
# A second run refuses: the outputs exist (checked before the HSM is touched).
n=$(count_objects demo-root)
CEREMONY_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" --transcript again.jsonl root-p384.yaml >/dev/null 2>err; rc=$?
[ $rc -eq 2 ] && grep -q 'already exists' err && [ "$(count_objects demo-root)" = "$n" ] && [ ! -e again.jsonl ] &&
    pass "example: a re-run refuses existing outputs and touches nothing" ||
    fail "example: re-run" "rc=$rc $(cat err)"

# ---- 2. Boulder root configs, unchanged apart from slot ID and PIN ----
boulder_root() {	# NAME CONFIG LABEL
	local name=$1 cfg=$2 slot dir
	new_softhsm
	slot=$(init_token boulder-"$name")
	dir="$WORK/$name"; mkdir -p "$dir/out"; cd "$dir"
	sed -e "s/store-key-in-slot: 0/store-key-in-slot: $slot/" -e "s/pin: 1234/pin: '$PIN'/" \
	    -e "s/not-before: .*/not-before: $NB/" -e "s/not-after: .*/not-after: $NA/" \
	    "$TOP/ceremonies/$cfg" > config.yaml
	if "$CEREMONY" --config config.yaml --yes >stdout 2>stderr; then pass "$name: ceremony --config --yes"
	else fail "$name: ceremony --config --yes" "$(cat stdout stderr)"; fi
	root_ok "$name" "$(ls out/*cert.pem)"
	certtool_ok "$name" "$(ls out/*cert.pem)"
	key_on_token_ok "$name" boulder-"$name" "$3"
	transcript_ok "$name" config.transcript.jsonl stdout
	no_pin "$name" out config.transcript.jsonl stdout stderr
	[ "$(jq -r 'select(.event=="login") | .data.literal_pin_allowed_because' config.transcript.jsonl)" = "SoftHSM rehearsal token" ] &&
	    [ "$(jq -r 'select(.event=="begin") | .data.script_redacted' config.transcript.jsonl)" = true ] &&
	    pass "$name: transcript says why the literal PIN was allowed, and redacts it" ||
	    fail "$name: literal PIN recorded" "$(jq -c 'select(.event=="login")' config.transcript.jsonl)"
}
boulder_root p384 boulder-root-p384.yaml 'root signing key'
[ "$(jq -r 'select(.event=="step-begin") | .data.skip_lints[0].name' config.transcript.jsonl)" = n_ca_digital_signature_not_set ] &&
    pass "p384: Boulder's skip-lints are recorded in the transcript" || fail "p384: skip-lints recorded"
openssl x509 -in out/root-cert.pem -noout -text | grep -q 'ecdsa-with-SHA384' &&
    openssl x509 -in out/root-cert.pem -noout -text | grep -q 'NIST CURVE: P-384' &&
    pass "p384: ECDSA P-384 key, ecdsa-with-SHA384" || fail "p384: algorithm"
boulder_root rsa4096 boulder-root-rsa4096.yaml 'root rsa signing key'
openssl x509 -in out/root-rsa-cert.pem -noout -text | grep -q 'Public-Key: (4096 bit)' &&
    openssl x509 -in out/root-rsa-cert.pem -noout -text | grep -q 'Exponent: 65537' &&
    pass "rsa4096: RSA-4096 key, e = 65537" || fail "rsa4096: key"

# ---- 3. a Boulder key config ----
new_softhsm
slot=$(init_token boulder-key)
mkdir -p "$WORK/key/out" && cd "$WORK/key"
sed -e "s/store-key-in-slot: 0/store-key-in-slot: $slot/" -e "s/pin: 1234/pin: '$PIN'/" \
    "$TOP/ceremonies/boulder-key.yaml" > key.yaml
check "boulder key: ceremony --config --yes" "$CEREMONY" --config key.yaml --yes
check "boulder key: the public key is a P-384 key" \
    bash -c "openssl pkey -pubin -in out/intermediate-signing-pub.pem -noout -text | grep -q 'NIST CURVE: P-384'"
key_on_token_ok "boulder key" boulder-key 'intermediate signing key'

# ---- 4. native scripts: every key type, every selector, two tokens ----
new_softhsm
init_token alpha >/dev/null
init_token beta >/dev/null
serial=$(token_serial beta)
mkdir -p "$WORK/native/out" && cd "$WORK/native"
cat > native.yaml <<YAML
ceremony: every key type and selector
hierarchy: private     # Ed25519 is for private hierarchies only
tokens:
  a:
    module: $MODULE
    token-label: alpha
    pin: env:T_PIN
  b:
    module: $MODULE
    token-serial: "$serial"
    pin: file:$WORK/native/pinfile
  c:
    module: $MODULE
    uri: "pkcs11:manufacturer=SoftHSM%20project;token=alpha"
    pin: fd:3
steps:
  - id: rsa2048
    ceremony-type: root
    token: a
    label: rsa 2048
    key: {type: rsa, rsa-mod-length: 2048}
    outputs: {public-key-path: out/rsa2048.pub.pem, certificate-path: out/rsa2048.pem}
    certificate-profile: &p
      signature-algorithm: SHA384WithRSA
      common-name: Test RSA-2048
      organization: Test CA
      country: DE
      not-before: $NB
      not-after: $NA
  - id: rsa3072
    ceremony-type: root
    token: b
    label: rsa 3072
    key: {type: rsa, rsa-mod-length: 3072}
    outputs: {public-key-path: out/rsa3072.pub.pem, certificate-path: out/rsa3072.pem}
    certificate-profile:
      signature-algorithm: SHA512WithRSA
      common-name: Test RSA-3072
      organization: Test CA
      country: DE
      not-before: $NB
      not-after: $NA
  - id: p256
    ceremony-type: root
    token: c
    label: p256
    key: {type: ecdsa, ecdsa-curve: P-256}
    outputs: {public-key-path: out/p256.pub.pem, certificate-path: out/p256.pem}
    certificate-profile:
      signature-algorithm: ECDSAWithSHA256
      common-name: Test P-256
      organization: Test CA
      country: DE
      not-before: $NB
      not-after: $NA
  - id: p521-key
    ceremony-type: key
    token: b
    label: p521
    key: {type: ecdsa, ecdsa-curve: P-521}
    outputs: {public-key-path: out/p521.pub.pem}
  - id: p521
    ceremony-type: root
    signing-key: p521-key
    outputs: {certificate-path: out/p521.pem}
    certificate-profile:
      signature-algorithm: ECDSAWithSHA512
      common-name: Test P-521
      organization: Test CA
      country: DE
      not-before: $NB
      not-after: $NA
  - id: ed25519
    ceremony-type: key
    token: a
    label: ed25519
    key: {type: ed25519}
    outputs: {public-key-path: out/ed25519.pub.pem}
YAML
# anchors are refused by the loader; write the script without them
sed -i 's/certificate-profile: &p/certificate-profile:/' native.yaml
printf '%s\n' "$PIN" > pinfile; chmod 600 pinfile
if T_PIN=$PIN "$CEREMONY" run --yes native.yaml >stdout 2>stderr 3<<<"$PIN"; then
	pass "native: six steps on two tokens, selected by label, serial and URI"
else
	fail "native: run" "$(cat stdout stderr)"
fi
for c in rsa2048 rsa3072 p256 p521; do
	root_ok "native $c" out/$c.pem
	certtool_ok "native $c" out/$c.pem
done
openssl x509 -in out/rsa2048.pem -noout -text | grep -q sha384WithRSAEncryption &&
    openssl x509 -in out/rsa3072.pem -noout -text | grep -q sha512WithRSAEncryption &&
    openssl x509 -in out/p256.pem -noout -text | grep -q ecdsa-with-SHA256 &&
    openssl x509 -in out/p521.pem -noout -text | grep -q ecdsa-with-SHA512 &&
    pass "native: each certificate carries the algorithm its script asked for" ||
    fail "native: algorithms"
check "native: the Ed25519 public key" bash -c "openssl pkey -pubin -in out/ed25519.pub.pem -noout -text | grep -q ED25519"
key_on_token_ok "native ed25519" alpha ed25519
key_on_token_ok "native p521" beta p521
transcript_ok native native.transcript.jsonl stdout
no_pin native out native.transcript.jsonl stdout stderr
[ "$(jq -r 'select(.event=="login") | .data.pin_source' native.transcript.jsonl | sort | paste -sd,)" = \
  "env:T_PIN,fd:3,file:$WORK/native/pinfile" ] &&
    pass "native: transcript records each PIN source, never a PIN" || fail "native: PIN sources"

# ---- 5. the operator must type yes ----
new_softhsm
init_token demo-root >/dev/null
mkdir -p "$WORK/confirm/out" && cd "$WORK/confirm"
cp "$TOP/ceremonies/root-p384.yaml" .
n=$(count_objects demo-root)
printf 'no\n' | CEREMONY_PIN=$PIN script -qec "$CEREMONY run --at '$PLANNED_AT' root-p384.yaml" /dev/null >typescript 2>&1; rc=$?
if [ "$(count_objects demo-root)" = "$n" ] && [ -z "$(ls out)" ] &&
    grep -q 'the operator answered no' typescript &&
    [ "$(jq -r 'select(.event=="confirmation") | .data.answer' root-p384.transcript.jsonl)" = no ] &&
    [ "$(tail -n1 root-p384.transcript.jsonl | jq -r .data.status)" = failed ]; then
	pass "confirm: answering no at the terminal generates nothing and records the refusal"
else
	fail "confirm: answering no (rc $rc)" "$(cat typescript)"
fi
rm -f root-p384.transcript.jsonl
# "y" and "Yes" are asked again, not taken as a refusal
printf 'y\nyes\nYes\nyes\n' | CEREMONY_PIN=$PIN script -qec "$CEREMONY run --at '$PLANNED_AT' root-p384.yaml" /dev/null >typescript 2>&1
[ -s out/r1.cert.pem ] && [ "$(jq -r 'select(.event=="confirmation") | .data.answer' root-p384.transcript.jsonl | paste -sd,)" = yes,yes ] &&
    tbs=$(jq -r 'select(.event=="certificate-signed") | .data.signing.tbs_sha256' root-p384.transcript.jsonl) &&
    grep -A1 'TBS SHA-256:' typescript | tr -d ' \r' | grep -q "^${tbs:0:16}" &&
    grep -q 'transcript so far (SHA-256 of its last record):' typescript &&
    [ "$(grep -A5 'TBS SHA-256:' typescript | sed -n '3,6p' | tr -s ' \r\n' ' ' | wc -w)" = 32 ] &&
    [ "$(grep -c "is neither yes nor no" typescript)" = 2 ] &&
    pass "confirm: 'y' and 'Yes' are asked again; yes twice runs the ceremony; each question shows its fingerprint in hex and 32 PGP words" ||
    fail "confirm: answering yes" "$(cat typescript)"

# ---- 6. a signal while the operator is asked: no key, sessions closed, transcript ends ----
new_softhsm
init_token demo-root >/dev/null
mkdir -p "$WORK/signal/out" && cd "$WORK/signal"
cp "$TOP/ceremonies/root-p384.yaml" .
n=$(count_objects demo-root)
mkfifo answers
# the shell script(1) starts writes its PID and becomes ceremony: the signal goes to that PID
CEREMONY_PIN=$PIN script -qec "echo \$\$ >ceremony.pid; exec $CEREMONY run --at '$PLANNED_AT' root-p384.yaml" \
    /dev/null <answers >typescript 2>&1 &
exec 7>answers			# keep the prompt waiting
for _ in $(seq 100); do grep -q 'Type yes' typescript 2>/dev/null && break; sleep 0.1; done
kill -TERM "$(cat ceremony.pid)"; wait; exec 7>&-
t=root-p384.transcript.jsonl
if [ "$(count_objects demo-root)" = "$n" ] && [ -z "$(ls out)" ] && last=$(chain_ok $t) &&
    [ "$(tail -n1 $t | jq -r .data.status)" = failed ] &&
    jq -r 'select(.event=="error") | .data.message' $t | grep -q 'interrupted by Terminated'; then
	pass "signal: SIGTERM at the prompt stops before the HSM acts; the transcript ends 'failed'"
else
	fail "signal: SIGTERM at the prompt" "$(cat typescript; cat $t 2>/dev/null | jq -c '{event,data}' | tail -3)"
fi

# ---- 7. two tokens that name the same PIN source ----
# A variable is unset and a descriptor closed once read: the second token shares the PIN.
new_softhsm
init_token same-a >/dev/null
init_token same-b >/dev/null
mkdir -p "$WORK/samepin/out" && cd "$WORK/samepin"
for src in env:T_PIN fd:3; do
	cat > same.yaml <<YAML
tokens:
  a: {module: $MODULE, token-label: same-a, pin: $src}
  b: {module: $MODULE, token-label: same-b, pin: $src}
steps:
  - {id: ka, ceremony-type: key, token: a, label: ka-${src%%:*}, key: {type: ecdsa, ecdsa-curve: P-256},
     outputs: {public-key-path: out/ka-${src%%:*}.pem}}
  - {id: kb, ceremony-type: key, token: b, label: kb-${src%%:*}, key: {type: ecdsa, ecdsa-curve: P-256},
     outputs: {public-key-path: out/kb-${src%%:*}.pem}}
YAML
	rm -f same.transcript.jsonl
	if T_PIN=$PIN "$CEREMONY" run --yes same.yaml >stdout 2>stderr 3<<<"$PIN" &&
	    [ -s out/ka-${src%%:*}.pem ] && [ -s out/kb-${src%%:*}.pem ] &&
	    [ "$(jq -r 'select(.event=="login") | .data.pin_source' same.transcript.jsonl | paste -sd,)" = "$src,$src" ]; then
		pass "two tokens with pin: $src log in with the one PIN read"
	else
		fail "two tokens with pin: $src" "$(cat stdout stderr)"
	fi
done
no_pin samepin out same.transcript.jsonl stdout stderr

# ---- 8. ceremony check for a reviewer: no PIN variables, no output folders ----
mkdir -p "$WORK/reviewer" && cd "$WORK/reviewer"
ok=1 log=
for f in "$TOP"/ceremonies/*.yaml; do
	if ! env -u CEREMONY_PIN -u ISSUING_PIN -u T_PIN "$CEREMONY" check --at "$PLANNED_AT" \
	    --transcript "$WORK/reviewer/t.jsonl" "$f" >check.out 2>&1; then
		ok=0; log+="$f: $(cat check.out)"$'\n'
	fi
	grep -q '^not ready on this machine' check.out && grep -q 'does not exist; create it first' check.out ||
	    { ok=0; log+="$f: no 'not ready' lines: $(cat check.out)"$'\n'; }
done
[ $ok = 1 ] && [ -z "$(ls "$WORK/reviewer" | grep -v check.out)" ] &&
    pass "check: every file in ceremonies/ passes on a machine without PINs or output folders, listing what is not ready" ||
    fail "check: ceremonies/ on a reviewer's machine" "$log"
env -u CEREMONY_PIN -u ISSUING_PIN "$CEREMONY" check --at "$PLANNED_AT" --transcript t.jsonl \
    "$TOP/ceremonies/hierarchy.yaml" >check.out 2>&1
grep -q "hierarchy.yaml:[0-9]*:[0-9]*: environment variable CEREMONY_PIN, the PIN source of token 'root-hsm', is not set" check.out &&
    grep -q "environment variable ISSUING_PIN" check.out && grep -q '^lint: 3 certificates rehearsed' check.out &&
    pass "check: the unset PIN variables are listed, and every certificate is still rehearsed" ||
    fail "check: hierarchy.yaml" "$(cat check.out)"
env -u CEREMONY_PIN -u ISSUING_PIN "$CEREMONY" check --ready --at "$PLANNED_AT" --transcript t.jsonl \
    "$TOP/ceremonies/hierarchy.yaml" >check.out 2>check.err; rc=$?
[ $rc = 2 ] && [ ! -s check.out ] && [ "$(wc -l < check.err)" = 1 ] &&
    grep -q "^ceremony: .*hierarchy.yaml:12:10: environment variable CEREMONY_PIN" check.err &&
    pass "check --ready: the first thing this machine lacks is an error (exit 2)" ||
    fail "check --ready" "rc=$rc $(cat check.out check.err)"
"$CEREMONY" check --at "$PLANNED_AT" --transcript t.jsonl "$TOP/ceremonies/boulder-intermediate.yaml" >check.out 2>&1
grep -q "inputs.issuer-certificate-path out/root-cert.pem is not on this machine" check.out &&
    grep -q "not planned or rehearsed here" check.out && grep -q "1 step not rehearsed" check.out &&
    pass "check: a step whose inputs an earlier ceremony makes is listed as not rehearsed here" ||
    fail "check: missing inputs" "$(cat check.out)"
# The same script, with its output folder and inputs here: nothing is listed.
mkdir -p out && CEREMONY_PIN=x ISSUING_PIN=y "$CEREMONY" check --ready --at "$PLANNED_AT" --transcript t.jsonl \
    "$TOP/ceremonies/hierarchy.yaml" >check.out 2>&1 && ! grep -q 'not ready' check.out &&
    pass "check --ready: a ready machine passes" || fail "check --ready on a ready machine" "$(cat check.out)"
rmdir out

# ---- 9. ceremony COMMAND --help ----
ok=1 log=
for c in run check transcript version help; do
	out=$("$CEREMONY" $c --help 2>&1) && grep -q "^usage: ceremony $c" <<<"$out" || { ok=0; log+="$c: $out"$'\n'; }
done
"$CEREMONY" run --help | grep -q -- '--allow-literal-pin' && "$CEREMONY" check -h | grep -q -- '--ready' &&
    "$CEREMONY" transcript verify --help | grep -q -- '--dir DIR' || ok=0
[ $ok = 1 ] && pass "COMMAND --help prints that command's usage and options (exit 0)" || fail "--help" "$log"

done_tests
