#!/usr/bin/env bash
# tests/t-bad-input.sh: the quality bar's rule for bad input, one mistake at a time.
#   "Bad input gets a clear error and nothing else: one line naming the place
#    (script.yaml:12:5: ...) and what to do; exit status 2 for usage/script errors,
#    1 for a failed ceremony; no HSM object created, no file written."
# Every case runs in a fresh empty directory with its own SoftHSM tokens, with
# --yes wherever a run is wanted, so a mistake the validator misses would show
# up as a created key or a written file.
source "$(dirname "$0")/lib.sh"

export T_PIN=$PIN
unset NOPE_UNSET_PIN
NCASE=0
TOKENS=()

# newcase [SOFTHSM-CONFIG-LINES]: a fresh case directory (with out/) and a fresh
# SoftHSM; the current directory becomes the case directory.
newcase() {
	NCASE=$((NCASE + 1))
	CASE=$WORK/case-$NCASE
	mkdir -p "$CASE/out"
	cd "$CASE" || exit 1
	new_softhsm "${1:-}"
	TOKENS=()
}

# token LABEL: a new token in this case's SoftHSM, whose objects bad() counts
token() { init_token "$1" >/dev/null; TOKENS+=("$1"); }
# token_by_slot LABEL: the same, counted by slot ID (for tokens that share a label)
token_by_slot() { TOKENS+=("slot:$(init_token "$1")"); }

count_token() {
	case $1 in
	slot:*) pkcs11-tool --module "$MODULE" --slot "${1#slot:}" --login --pin "$PIN" \
	    --list-objects 2>/dev/null | grep -c 'Object;' || true ;;
	*) count_objects "$1" ;;
	esac
}
token_state() { local t; for t in "${TOKENS[@]}"; do echo "$t: $(count_token "$t") objects"; done; }
file_state() { (cd "$CASE" && find . -printf '%p %y %s %m %T@\n' | LC_ALL=C sort); }

# at_args ARGS...: ARGS in the array ARGS, with --at for run and check: the cases'
# scripts plan their ceremony for 2026-12-01 (a rehearsal of it, on SoftHSM).
at_args() {
	ARGS=("$@")
	case ${1:-} in run|check) ARGS=("$1" --at "$PLANNED_AT" "${@:2}") ;; esac
	[ "${1:-}" = --config ] && [ $# -gt 1 ] && ARGS+=(--at "$PLANNED_AT")
	return 0
}

# bad NAME WANT_STATUS REGEX -- CEREMONY-ARGS...
# Runs $CEREMONY in the case directory (stdin /dev/null; $PREFIX, if set, in front)
# and checks: the exit status; stderr is one line "ceremony: " matching REGEX right
# after that prefix; stdout is empty; no file in the case directory (nor in out/)
# appeared, vanished or changed; every token of the case holds as many objects as before.
bad() {
	local name=$1 want=$2 re=$3 rc why="" fb fa tb ta ob oa n
	shift 3
	[ "${1:-}" = -- ] && shift
	fb=$(file_state); tb=$(token_state); ob=$(ls -A "$CASE/out")
	at_args "$@"
	${PREFIX:-} "$CEREMONY" "${ARGS[@]}" </dev/null >"$CASE.stdout" 2>"$CASE.stderr"; rc=$?
	fa=$(file_state); ta=$(token_state); oa=$(ls -A "$CASE/out")
	[ "$rc" -eq "$want" ] || why+="exit status $rc, want $want"$'\n'
	n=$(grep -c '' "$CASE.stderr")
	[ "$n" -eq 1 ] && [ "$(wc -l < "$CASE.stderr")" -eq 1 ] ||
	    why+="stderr has $n lines, want exactly one"$'\n'
	[ "$(head -c 10 "$CASE.stderr")" = "ceremony: " ] || why+="stderr does not start with 'ceremony: '"$'\n'
	grep -Eq -- "^ceremony: ($re)" "$CASE.stderr" || why+="stderr does not match /$re/"$'\n'
	[ -s "$CASE.stdout" ] && why+="stdout is not empty"$'\n'
	[ "$fb" = "$fa" ] || why+="files changed:"$'\n'"$(diff <(echo "$fb") <(echo "$fa") | grep '^[<>]')"$'\n'
	[ "$ob" = "$oa" ] || why+="out/ changed: '$ob' -> '$oa'"$'\n'
	[ "$tb" = "$ta" ] || why+="token objects changed:"$'\n'"$tb"$'\n'"->"$'\n'"$ta"$'\n'
	if [ -z "$why" ]; then
		pass "$name"
	else
		fail "$name" "$why--- stderr:
$(cat "$CASE.stderr")
--- stdout:
$(cat "$CASE.stdout")"
	fi
}

# good NAME FILE... -- CEREMONY-ARGS...: the run succeeds (exit 0), writes each
# FILE and creates objects on the case's first token.
good() {
	local name=$1 files=() f rc tb ta why=""
	shift
	while [ "$1" != -- ]; do files+=("$1"); shift; done
	shift
	tb=$(count_token "${TOKENS[0]}")
	at_args "$@"
	${PREFIX:-} "$CEREMONY" "${ARGS[@]}" </dev/null >"$CASE.stdout" 2>"$CASE.stderr"; rc=$?
	ta=$(count_token "${TOKENS[0]}")
	[ "$rc" -eq 0 ] || why+="exit status $rc, want 0"$'\n'
	for f in "${files[@]}"; do [ -s "$f" ] || why+="$f was not written"$'\n'; done
	[ "$ta" -gt "$tb" ] || why+="no object created on ${TOKENS[0]} ($tb -> $ta)"$'\n'
	if [ -z "$why" ]; then pass "$name"
	else fail "$name" "$why$(cat "$CASE.stdout" "$CASE.stderr")"; fi
}

# base [LABEL [PIN-SOURCE]]: the valid two-step native script (after
# ceremonies/root-p384.yaml), printed to stdout.  Line numbers, for the cases:
#   4 module   5 token-label   6 pin   8 id: r1-key   11 label   14 ecdsa-curve
#   16 public-key-path   17 id: r1   18 ceremony-type   19 signing-key
#   21 certificate-path   22 certificate-profile   23 signature-algorithm
#   24 common-name   25 organization   26 country   27 not-before   28 not-after
#   29 key-usages   30-31 the usages
base() {
	cat <<YAML
ceremony: bad input base
tokens:
  hsm:
    module: $MODULE
    token-label: ${1:-bi}
    pin: ${2:-env:T_PIN}
steps:
  - id: r1-key
    ceremony-type: key
    token: hsm
    label: R1 signing key
    key:
      type: ecdsa
      ecdsa-curve: P-384
    outputs:
      public-key-path: out/r1.pub.pem
  - id: r1
    ceremony-type: root
    signing-key: r1-key
    outputs:
      certificate-path: out/r1.cert.pem
    certificate-profile:
      signature-algorithm: ECDSAWithSHA384
      common-name: Example Root R1
      organization: Example CA
      country: US
      not-before: 2026-12-01 00:00:00
      not-after: 2046-11-30 23:59:59
      key-usages:
        - Cert Sign
        - CRL Sign
YAML
}

# boulder SLOT: the Boulder root config (after ceremonies/boulder-root-p384.yaml)
# with a real slot ID and the test PIN.  Lines: 3 module, 4 pin,
# 5 store-key-in-slot, 6 store-key-with-label.
boulder() {
	cat <<YAML
ceremony-type: root
pkcs11:
    module: $MODULE
    pin: '$PIN'
    store-key-in-slot: $1
    store-key-with-label: root signing key
key:
    type: ecdsa
    ecdsa-curve: P-384
outputs:
    public-key-path: out/root-signing-pub.pem
    certificate-path: out/root-cert.pem
certificate-profile:
    policy-url: https://github.com/letsencrypt/cp-cps/blob/v6.1/CP-CPS.md#root-ca-certificate-profile
    signature-algorithm: ECDSAWithSHA384
    common-name: Example Root X4
    organization: Example CA
    country: US
    not-before: 2026-12-01 00:00:00
    not-after: 2046-11-30 23:59:59
    key-usages:
        - Cert Sign
        - CRL Sign
YAML
}

# bkey SLOT: Boulder's own key config (test/certs/intermediate-key-ceremony-ecdsa.yaml, as
# webpki.go renders it) with the test PIN; line 15 public-key-path, 16 pkcs11-config-path.
bkey() {
	sed -e "s/{{ .SlotID }}/$1/" -e "s/{{ .Label }}/int signing key/" -e "s/pin: 1234/pin: '$PIN'/" \
	    -e "s|test/certs/webpki/{{ .FileName }}|out/int|" "$TOP/tests/boulder/test-certs/intermediate-key-ceremony-ecdsa.yaml"
}

# mutate SED-SCRIPT: the base script with one mistake, written to s.yaml
mutate() { base | sed -e "$1" > s.yaml; }

# ---- controls: the unmodified bases are valid and really run ----
newcase; token bi
base > s.yaml
if "$CEREMONY" check --at "$PLANNED_AT" s.yaml >"$CASE.stdout" 2>&1 && [ ! -e s.transcript.jsonl ] && [ -z "$(ls -A out)" ]; then
	pass "control: the base script passes ceremony check"
else
	fail "control: the base script passes ceremony check" "$(cat "$CASE.stdout")"
fi
good "control (script family): the base script runs" out/r1.pub.pem out/r1.cert.pem s.transcript.jsonl -- run --yes s.yaml

newcase; token bi
printf '%s\n' "$PIN" > pin; chmod 600 pin
base bi "file:$CASE/pin" > s.yaml
good "control (files family): a 0600 PIN file and a fresh --transcript path run" \
    out/r1.pub.pem out/r1.cert.pem t.jsonl -- run --yes --transcript t.jsonl s.yaml

newcase; token bi
base > s.yaml
PREFIX="setsid -w" good "control (usage family): with --yes and no terminal the run goes ahead" \
    out/r1.pub.pem out/r1.cert.pem -- run --yes s.yaml

newcase; slot=$(init_token bk); TOKENS=(bk)
boulder "$slot" > config.yaml
good "control (HSM family): the Boulder config with a real slot ID runs" \
    out/root-signing-pub.pem out/root-cert.pem config.transcript.jsonl -- --config config.yaml --yes

# ---- script content: exit 2, the place and the fix ----
newcase; token bi
base | sed 's/^tokens:/tokens: [/' > s.yaml
bad "YAML syntax error" 2 "s\.yaml:4:11: YAML syntax error" -- run --yes s.yaml

newcase; token bi
: > s.yaml
bad "empty file" 2 "s\.yaml:1:1: .*empty" -- run --yes s.yaml

newcase; token bi
{ base; printf -- '---\nceremony: second document\n'; } > s.yaml
bad "two YAML documents" 2 "s\.yaml:32:1: .*second YAML document" -- run --yes s.yaml

newcase; token bi
mutate '22s/certificate-profile:/certificate-profile: \&profile/'
bad "an anchor" 2 "s\.yaml:22:26: anchors \(&profile\) are not allowed" -- run --yes s.yaml

newcase; token bi
mutate '10s/token: hsm/token: *hsm/'
bad "an alias" 2 "s\.yaml:10:12: aliases \(\*hsm\) are not allowed" -- run --yes s.yaml

newcase; token bi
mutate '24s/common-name: /common-name: !!str /'
bad "an explicit tag (!!str)" 2 "s\.yaml:24:20: tags .* are not allowed" -- run --yes s.yaml

newcase; token bi
mutate '24s/common-name/comon-name/'
bad "unknown key (typo comon-name)" 2 "s\.yaml:24:7: unknown key 'comon-name'.*did you mean 'common-name'\?" -- run --yes s.yaml

newcase; token bi
mutate '25a\      organization: Other CA'
bad "duplicate key" 2 "s\.yaml:26:7: duplicate key 'organization'.*line 25" -- run --yes s.yaml

newcase; token bi
mutate '24s/common-name: .*/common-name: {text: Example Root R1}/'
bad "a mapping where a string is wanted" 2 "s\.yaml:24:20: 'common-name' must be a scalar, not a mapping" -- run --yes s.yaml

newcase; token bi
mutate '13s/ecdsa/rsa/; 14s/ecdsa-curve: P-384/rsa-mod-length: 1024/; 23s/ECDSAWithSHA384/SHA256WithRSA/'
bad "rsa-mod-length: 1024" 2 "s\.yaml:14:23: 'rsa-mod-length' 1024 is not allowed.*2048" -- run --yes s.yaml

newcase; token bi
mutate '13s/ecdsa/rsa/; 14s/ecdsa-curve: P-384/rsa-mod-length: abc/; 23s/ECDSAWithSHA384/SHA256WithRSA/'
bad "rsa-mod-length: abc" 2 "s\.yaml:14:23: 'rsa-mod-length' must be a decimal integer" -- run --yes s.yaml

newcase; token bi
mutate '14s/P-384/P-224/'
bad "ecdsa-curve: P-224" 2 "s\.yaml:14:20: 'P-224' is not a valid ecdsa-curve.*P-256, P-384, P-521" -- run --yes s.yaml

newcase; token bi
mutate '27s/2026-12-01/2026-13-01/'
bad "month 13 (2026-13-01 00:00:00)" 2 "s\.yaml:27:19: 'not-before' is not a real date" -- run --yes s.yaml

newcase; token bi
mutate '27s/2026-12-01/2027-02-30/'
bad "February 30" 2 "s\.yaml:27:19: 'not-before' is not a real date.*2027-02-30" -- run --yes s.yaml

newcase; token bi
mutate '28s/not-after: .*/not-after: 2026-11-30 23:59:59/'
bad "not-after before not-before" 2 "s\.yaml:28:18: 'not-after' is not after 'not-before'" -- run --yes s.yaml

newcase; token bi
mutate '26s/US/USA/'
bad "country USA" 2 "s\.yaml:26:16: 'country' must be a two-letter" -- run --yes s.yaml

newcase; token bi
mutate "24s/common-name: .*/common-name: $(printf 'R%.0s' {1..65})/"
bad "a 65-character common-name" 2 "s\.yaml:24:20: 'common-name' is 65 characters.*at most 64" -- run --yes s.yaml

newcase; token bi
mutate '23s/ECDSAWithSHA384/ECDSAWithSHA256/'
bad "ECDSAWithSHA256 with a P-384 key" 2 "s\.yaml:23:28: signature-algorithm ECDSAWithSHA256 does not fit a P-384 key.*use ECDSAWithSHA384" -- run --yes s.yaml

newcase; token bi
mutate '26a\      policies:\n        - oid: 2.23.140.1.2.1'
bad "a root with policies" 2 "s\.yaml:27:7: a root certificate carries no policies" -- run --yes s.yaml

newcase; token bi
mutate '26a\      crl-url: http://crl.example.com/r1.crl'
bad "a root with crl-url" 2 "s\.yaml:27:7: a root certificate carries no crl-url" -- run --yes s.yaml

newcase; token bi
mutate '30s/Cert Sign/Digital Signature/'
bad "key-usages without Cert Sign" 2 "s\.yaml:30:9: .*key-usages must include Cert Sign.*add Cert Sign" -- run --yes s.yaml

newcase; token bi
mutate '19s/r1-key/r1-kye/'
bad "unknown signing-key" 2 "s\.yaml:19:18: no step has id 'r1-kye'.*did you mean 'r1-key'" -- run --yes s.yaml

newcase; token bi
base > b.yaml
{ sed -n 1,7p b.yaml; sed -n 17,31p b.yaml; sed -n 8,16p b.yaml; } > s.yaml; rm b.yaml
bad "signing-key refers to a later step" 2 "s\.yaml:10:18: signing-key 'r1-key' is a later step" -- run --yes s.yaml

newcase; token bi
mutate '17s/id: r1$/id: r1-key/'
bad "duplicate step id" 2 "s\.yaml:17:9: duplicate step id 'r1-key'.*line 8" -- run --yes s.yaml

newcase; token bi
mutate '21s|out/r1.cert.pem|out/r1.pub.pem|'
bad "the same output path twice" 2 "s\.yaml:21:25: output path 'out/r1.pub.pem' is also written at line 16" -- run --yes s.yaml

newcase; token bi
mutate '21s|out/r1.cert.pem|./out/../out/r1.pub.pem|'
bad "two spellings of one output file" 2 "s\.yaml:21:25: output \./out/\.\./out/r1\.pub\.pem is the same file as out/r1\.pub\.pem \(named at s\.yaml:16:24\)" -- run --yes s.yaml

newcase; token bi
mutate ''
bad "the transcript is also an output" 2 "transcript: output out/r1\.cert\.pem is the same file as out/r1\.cert\.pem \(named at s\.yaml:21:25\)" -- run --yes --transcript out/r1.cert.pem s.yaml

newcase; token bi
mutate '18s/root/crl/'
bad "a root's body under ceremony-type: crl" 2 "s\.yaml:19:5: 'signing-key' is not used by a crl step; remove it" -- run --yes s.yaml

newcase; slot=$(init_token bi); TOKENS=(bi)
mutate "5s/token-label: bi/slot: $slot/"
bad "a native token with slot:" 2 "s\.yaml:5:5: 'slot' is not allowed in a native token.*token-label" -- run --yes s.yaml

newcase; token bi
mutate '5s/token-label: bi/uri: "pkcs11:token=%zz"/'
bad "a token uri: that does not parse" 2 "s\.yaml:5:10: 'uri' is not a PKCS#11 URI" -- run --yes s.yaml

newcase; token bi
mutate '22,31d'
bad "missing certificate-profile" 2 "s\.yaml:17:5: a root step needs 'certificate-profile'" -- run --yes s.yaml

newcase; token bi
mutate '15s/outputs:/outputs: {}/; 16d'
bad "missing required output path" 2 "s\.yaml:15:14: 'outputs' needs 'public-key-path'" -- run --yes s.yaml

newcase; token bi
mutate '1a ceremony-type: root'
bad "both steps and ceremony-type" 2 "s\.yaml:8:1: .*either 'steps:'.*or 'ceremony-type:'" -- run --yes s.yaml

# ---- Boulder configs: what Boulder's cmd/ceremony refuses, and what would leak a PIN ----
# bcase: a fresh case whose token bk is addressed by its slot ID, in $slot
bcase() { newcase; slot=$(init_token bk); TOKENS=(bk); }
# bconf NAME REGEX MAKER SED: a case whose config.yaml is MAKER's through SED, refused (exit 2)
bconf() {
	bcase
	$3 "$slot" | sed "$4" > config.yaml
	bad "$1" 2 "$2" -- --config config.yaml --yes
}
bconf "a Boulder profile without policy-url" \
    "config\.yaml:14:5: a Boulder certificate-profile needs 'policy-url'.*add it" boulder '/policy-url:/d'
bconf "a policy-url that is no URL" \
    "config\.yaml:14:17: 'policy-url' must be an http:// or https:// URL" boulder 's/policy-url: .*/policy-url: cp-cps.md/'
bconf "Boulder skip-lints: a name no linter has" \
    "config\.yaml:25:7: skip-lints names 'n_no_such_lint', which is no rule of ceremony lint and no zlint v3 lint" \
    boulder '$a\skip-lints:\n    - n_no_such_lint'
bconf "pkcs11-config-path with a PIN kept out of files (env:)" \
    "config\.yaml:16:25: pkcs11-config-path writes the PIN into that file in clear, but this config takes it from 'env:T_PIN'" \
    bkey 's/pin: .*/pin: env:T_PIN/'
bconf "pkcs11-config-path in a directory that does not exist" \
    "config\.yaml:16:25: the directory 'nodir' .*does not exist" bkey 's|out/int.pkcs11.json|nodir/int.pkcs11.json|'
bconf "pkcs11-config-path the same as the public key" \
    "config\.yaml:15:22: output path 'out/int\.pubkey\.pem' is also written at line 16" bkey 's|out/int.pkcs11.json|out/int.pubkey.pem|'

bcase
bkey "$slot" > config.yaml
echo precious > out/int.pkcs11.json
bad "pkcs11-config-path already exists" 2 "config\.yaml:16:25: output out/int\.pkcs11\.json already exists" -- --config config.yaml --yes
[ "$(cat out/int.pkcs11.json)" = precious ] && pass "pkcs11-config-path already exists: it is unchanged" ||
    fail "pkcs11-config-path already exists: it is unchanged" "$(cat out/int.pkcs11.json)"

bcase
bkey "$slot" > config.yaml
ln -s "$CASE/elsewhere.json" out/int.pkcs11.json
bad "pkcs11-config-path is a dangling symlink" 2 "config\.yaml:16:25: output out/int\.pkcs11\.json already exists" -- --config config.yaml --yes
[ ! -e "$CASE/elsewhere.json" ] && pass "pkcs11-config-path symlink: nothing written through it" ||
    fail "pkcs11-config-path symlink: written through"

newcase; token bi
mutate '16a\      pkcs11-config-path: out/c.json'
bad "pkcs11-config-path in a native script" 2 "s\.yaml:17:7: 'pkcs11-config-path' is written only by a Boulder key config" -- run --yes s.yaml

# ---- files and sources: exit 2, nothing touched ----
newcase; token bi
bad "the script does not exist" 2 "nothere\.yaml: cannot read: No such file" -- run --yes nothere.yaml

newcase; token bi
mutate "4s|module: .*|module: $WORK/no-such-module.so|"
bad "the PKCS#11 module does not exist" 2 "s\.yaml:4:13: PKCS#11 module .*no-such-module\.so does not exist" -- run --yes s.yaml

newcase; token bi
base > s.yaml
echo precious > out/r1.cert.pem
bad "an output already exists" 2 "s\.yaml:21:25: output out/r1\.cert\.pem already exists.*move it away" -- run --yes s.yaml
[ "$(cat out/r1.cert.pem)" = precious ] && pass "an output already exists: it is unchanged" ||
    fail "an output already exists: it is unchanged" "$(cat out/r1.cert.pem)"

newcase; token bi
mutate '16s|out/r1.pub.pem|nodir/r1.pub.pem|'
bad "an output directory does not exist" 2 "s\.yaml:16:24: the directory 'nodir' .*does not exist; create it" -- run --yes s.yaml

newcase; token bi
base > s.yaml
echo earlier > t.jsonl
bad "--transcript PATH already exists" 2 "transcript: output t\.jsonl already exists" -- run --yes --transcript t.jsonl s.yaml

newcase; token bi
base > s.yaml
echo earlier > s.transcript.jsonl
bad "the default transcript already exists" 2 ".*s\.transcript\.jsonl already exists" -- run --yes s.yaml

newcase; token bi
base bi env:NOPE_UNSET_PIN > s.yaml
bad "pin: env:NAME with NAME unset" 2 "s\.yaml:6:10: environment variable NOPE_UNSET_PIN.*is not set" -- run --yes s.yaml

newcase; token bi
printf '%s\n' "$PIN" > pin; chmod 644 pin
base bi "file:$CASE/pin" > s.yaml
bad "pin: file: with mode 0644" 2 "s\.yaml:6:10: PIN file .*mode 644.*chmod 600" -- run --yes s.yaml

newcase; token bi
base bi "file:$CASE/no-pin-file" > s.yaml
bad "pin: file: a missing file" 2 "s\.yaml:6:10: PIN file .*no-pin-file.*No such file" -- run --yes s.yaml

# ---- usage: exit 2 ----
newcase; token bi
base > s.yaml
bad "unknown command" 2 "unknown command 'frobnicate'" -- frobnicate s.yaml
bad "unknown option" 2 "unknown option --frobnicate" -- run --frobnicate s.yaml
bad "run with no script" 2 "expected one SCRIPT argument" -- run --yes
bad "--config without FILE" 2 ".*--config.*(FILE|argument|needs|missing|requires)" -- --config
PREFIX="setsid -w" bad "run without --yes and without a terminal" 2 ".*--yes" -- run s.yaml
bad "run --ready (an option of check)" 2 "--ready is an option of ceremony check" -- run --ready s.yaml

# ---- the HSM: exit 1, still no file and no new object ----
newcase; token bi
printf 'not-the-%s\n' "$PIN" > pin; chmod 600 pin
base bi "file:$CASE/pin" > s.yaml
bad "wrong PIN" 1 "s\.yaml:[0-9]+:[0-9]+: .*CKR_PIN_INCORRECT.*not retried" -- run --yes s.yaml

newcase; token bi
base bx > s.yaml
bad "no token matches the token-label" 1 "s\.yaml:[0-9]+:[0-9]+: no initialised token matches token-label 'bx'.*present: 'bi'" -- run --yes s.yaml

newcase; token_by_slot twin; token_by_slot twin
base twin > s.yaml
bad "two tokens share the label" 1 "s\.yaml:[0-9]+:[0-9]+: 2 tokens match token-label 'twin'.*token-serial or uri" -- run --yes s.yaml

newcase; slot=$(init_token bk); TOKENS=(bk)
boulder $((slot + 1)) > config.yaml
bad "Boulder store-key-in-slot: a slot ID that does not exist" 1 \
    "config\.yaml:[0-9]+:[0-9]+: no initialised token matches slot ID $((slot + 1)).*present: 'bk'" -- --config config.yaml --yes

newcase; token bi
pkcs11-tool --module "$MODULE" --token-label bi --login --pin "$PIN" --keypairgen \
    --key-type EC:prime256v1 --label 'R1 signing key' >/dev/null 2>&1
[ "$(count_objects bi)" = 2 ] && pass "the key label already exists: the key pair is there" ||
    fail "the key label already exists: the key pair is there" "$(objects bi)"
base > s.yaml
bad "the key label already exists" 1 "s\.yaml:11:12: token 'bi' already holds an object labelled 'R1 signing key'" -- run --yes s.yaml

newcase 'slots.mechanisms = -CKM_MD5,CKM_ECDSA'; token bi
base > s.yaml
bad "the token lacks CKM_ECDSA" 1 "s\.yaml:[0-9]+:[0-9]+: token .* does not offer CKM_ECDSA" -- run --yes s.yaml

# ---- signing steps: inputs from files, checked before any HSM is opened ----
# Fixtures made by real ceremonies on a token of their own: root R1, a second root R2 with
# its own key, and an issuing CA's public key.  Each case gets a copy of that token.
FX=$WORK/fx; mkdir -p "$FX/out"; cd "$FX"
new_softhsm; FX_TOKENS=$(dirname "$SOFTHSM2_CONF")/tokens
init_token bi >/dev/null
base > r1.yaml
sed -e 's/R1 signing key/R2 signing key/' -e 's/r1\./r2./g' -e 's/Root R1/Root R2/' r1.yaml > r2.yaml
printf 'tokens:\n  hsm: {module: %s, token-label: bi, pin: env:T_PIN}\nsteps:\n  - id: e1-key\n    ceremony-type: key\n    token: hsm\n    label: E1 signing key\n    key: {type: ecdsa, ecdsa-curve: P-256}\n    outputs: {public-key-path: out/e1.pub.pem}\n' "$MODULE" > e1.yaml
for f in r1 r2 e1; do "$CEREMONY" run --yes --at "$PLANNED_AT" $f.yaml >/dev/null 2>&1 || fail "fixture $f"; done
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout /dev/null -days 30 \
    -subj "/C=US/O=Example CA/CN=Not a CA" -addext basicConstraints=critical,CA:FALSE \
    -out out/leaf.pem 2>/dev/null
# sign_case: a fresh case holding a copy of the fixture token and the input files
sign_case() {
	newcase "${1:-}"
	cp -r "$FX_TOKENS"/. "$(dirname "$SOFTHSM2_CONF")/tokens/"
	TOKENS=(bi)
	cp "$FX"/out/*.pem .
}
# sbase: an intermediate step signed by R1's key found by label; lines:
#   7 label  9 issuer-certificate-path  10 public-key-path  12 certificate-path
#   14 signature-algorithm  18 not-before  19 not-after
sbase() {
	cat <<YAML
tokens:
  hsm: {module: $MODULE, token-label: bi, pin: env:T_PIN}
steps:
  - id: e1
    ceremony-type: intermediate
    token: hsm
    label: R1 signing key
    inputs:
      issuer-certificate-path: r1.cert.pem
      public-key-path: e1.pub.pem
    outputs:
      certificate-path: out/e1.cert.pem
    certificate-profile:
      signature-algorithm: ECDSAWithSHA384
      common-name: Example Issuing CA E1
      organization: Example CA
      country: US
      not-before: 2026-12-01 00:00:00
      not-after: 2029-11-30 23:59:59
      crl-url: http://crl.example.com/r1.crl
      issuer-url: http://cert.example.com/r1.der
      policies:
        - oid: 2.23.140.1.2.1
YAML
}
smutate() { sbase | sed "$1" > s.yaml; }

sign_case; smutate ''
if "$CEREMONY" run --yes --at "$PLANNED_AT" s.yaml >"$CASE.stdout" 2>&1 && [ -s out/e1.cert.pem ]; then
	pass "control (signing family): the intermediate config signs"
else
	fail "control (signing family): the intermediate config signs" "$(cat "$CASE.stdout")"
fi

sign_case; smutate 's/r1\.cert\.pem/nope.pem/'
bad "a missing issuer certificate" 2 "s\.yaml:9:32: .*nope\.pem.*; check inputs\.issuer-certificate-path" -- run --yes s.yaml

sign_case; smutate 's/issuer-certificate-path: r1\.cert\.pem/issuer-certificate-path: r1.pub.pem/'
bad "an issuer certificate file that holds a key" 2 "s\.yaml:9:32: r1\.pub\.pem holds a PEM .PUBLIC KEY., not one .CERTIFICATE." -- run --yes s.yaml

sign_case; smutate 's/public-key-path: e1\.pub\.pem/public-key-path: r1.cert.pem/'
bad "a public key file that holds a certificate" 2 "s\.yaml:10:24: r1\.cert\.pem holds a PEM .CERTIFICATE., not one .PUBLIC KEY." -- run --yes s.yaml

sign_case; smutate 's/r1\.cert\.pem/leaf.pem/'
bad "an issuer that is not a CA" 2 "s\.yaml:9:32: leaf\.pem is not a CA certificate" -- run --yes s.yaml

sign_case; smutate 's/ECDSAWithSHA384/SHA256WithRSA/'
bad "an algorithm that does not fit the issuer's key" 2 "s\.yaml:14:28: signature-algorithm SHA256WithRSA does not fit the signing key.*use ECDSAWithSHA384" -- run --yes s.yaml

sign_case; smutate 's/not-after: 2029.*/not-after: 2050-11-30 23:59:59/'
bad "a certificate that would outlive its issuer" 2 "s\.yaml:19:18: the certificate would outlive its issuer \(valid until 2046-11-30T23:59:59Z\)" -- run --yes s.yaml

sign_case; smutate 's/not-before: 2026.*/not-before: 2026-11-01 00:00:00/'
bad "a certificate valid before its issuer" 2 "s\.yaml:18:19: not-before is before the issuer's notBefore" -- run --yes s.yaml

sign_case; smutate ''; echo x > out/e1.cert.pem
bad "the certificate output exists" 2 "s\.yaml:12:25: .*out/e1\.cert\.pem.*exists" -- run --yes s.yaml

sign_case; smutate 's/r1\.cert\.pem/r2.cert.pem/'
bad "a signing key that does not match its issuer" 1 "s\.yaml:7:12: the public key labelled 'R1 signing key' on token 'bi' is not the key the step expects \(its issuer certificate's, or its public-key file's\)" -- run --yes s.yaml

sign_case; smutate 's/label: R1 signing key/label: R9 signing key/'
bad "a signing key label that names no key: the labels on the token listed" 1 "s\.yaml:7:12: token 'bi' has no public key labelled 'R9 signing key'; the labels of its public keys: .*'R1 signing key'" -- run --yes s.yaml

sign_case 'slots.mechanisms = -CKM_MD5,CKM_ECDSA'; smutate ''
bad "the token lacks the signing mechanism" 1 "s\.yaml:14:28: token .* does not offer CKM_ECDSA" -- run --yes s.yaml

# ---- issue 14, defect 12: what a signing step builds on ----
# Each of these was accepted before: an issuer whose self-signature does not verify, the
# issuer's own key as the subject's, two certificates in one file, PEM with junk around it,
# DER with trailing bytes, a negative or 21-byte serial, a CA certificate without keyUsage.
der() { openssl x509 -in "$1" -outform DER; }
sign_case; smutate ''
der r1.cert.pem | xxd -p | tr -d '\n' | sed 's/..$/00/' | xxd -r -p > badsig.der
cmp -s badsig.der <(der r1.cert.pem) && fail "fixture: the flipped signature differs"
sed -i 's/r1\.cert\.pem/badsig.der/' s.yaml
bad "an issuer whose self-signature does not verify" 2 "s\.yaml:9:32: badsig\.der is self-signed but its self-signature does not verify" -- run --yes s.yaml
sign_case; smutate 's/e1\.pub\.pem/r1.pub.pem/'
bad "the issuer's own key as the subject's" 2 "s\.yaml:10:24: the public key in r1\.pub\.pem is the issuer's own key" -- run --yes s.yaml
sign_case; cat r1.cert.pem r2.cert.pem > two.pem; smutate 's/r1\.cert\.pem/two.pem/'
bad "two certificates in one issuer file" 2 "s\.yaml:9:32: two\.pem holds more than one PEM block" -- run --yes s.yaml
sign_case; { echo "Certificate:"; cat r1.cert.pem; } > lead.pem; smutate 's/r1\.cert\.pem/lead.pem/'
bad "PEM with text before it" 2 "s\.yaml:9:32: lead\.pem holds no certificate .*text before its PEM block" -- run --yes s.yaml
sign_case; { cat r1.cert.pem; echo "trailing words"; } > trail.pem; smutate 's/r1\.cert\.pem/trail.pem/'
bad "PEM with text after it" 2 "s\.yaml:9:32: trail\.pem has text after its PEM block" -- run --yes s.yaml
sign_case; { der r1.cert.pem; printf 'x'; } > trail.der; smutate 's/r1\.cert\.pem/trail.der/'
bad "DER with a trailing byte" 2 "s\.yaml:9:32: trail\.der has 1 bytes after its DER certificate" -- run --yes s.yaml
sign_case; { cat e1.pub.pem; cat e1.pub.pem; } > twokeys.pem; smutate 's/e1\.pub\.pem/twokeys.pem/'
bad "two public keys in one file" 2 "s\.yaml:10:24: twokeys\.pem holds more than one PEM block" -- run --yes s.yaml
# CA certificates made by openssl: only the one property differs from a usable issuer
mkca() {
	local out=$1; shift
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout /dev/null \
	    -days 7300 -subj "/C=US/O=Example CA/CN=Odd Root" -addext basicConstraints=critical,CA:TRUE \
	    -addext subjectKeyIdentifier=hash "$@" -out "$out" 2>/dev/null
}
sign_case; mkca neg.pem -set_serial -5 -addext keyUsage=critical,keyCertSign,cRLSign; smutate 's/r1\.cert\.pem/neg.pem/'
bad "an issuer with a negative serial" 2 "s\.yaml:9:32: neg\.pem has a negative serial number" -- run --yes s.yaml
sign_case; mkca long.pem -set_serial 0x7f0102030405060708090a0b0c0d0e0f1011121314 -addext keyUsage=critical,keyCertSign,cRLSign
smutate 's/r1\.cert\.pem/long.pem/'
bad "an issuer with a 21-octet serial" 2 "s\.yaml:9:32: long\.pem has a serial number of 21 octets" -- run --yes s.yaml
sign_case; mkca noku.pem; smutate 's/r1\.cert\.pem/noku.pem/'
bad "an issuer without keyUsage" 2 "s\.yaml:9:32: noku\.pem has no keyUsage" -- run --yes s.yaml
sign_case; mkca ok.pem -addext keyUsage=critical,keyCertSign,cRLSign; smutate 's/r1\.cert\.pem/ok.pem/'
bad "control: a sound openssl CA passes the input checks (and is then not R1's key)" 2 "s\.yaml:.*" -- run --yes s.yaml
grep -q "ok\.pem" "$CASE.stderr" && fail "control: ok.pem refused for itself" "$(cat "$CASE.stderr")"
# ceremony verify and describe only look: a certificate saved with text around it still reads
sign_case; { echo "Certificate:"; cat r1.cert.pem; echo "trailing"; } > lead.pem
check "describe reads a PEM with text around it (it only looks)" "$CEREMONY" describe lead.pem

# ---- issue 14, defect 5: a FIFO (or a directory, a device) is refused, never waited on ----
PREFIX="timeout 20"
newcase; token bi; base > s.yaml; mkfifo fifo.yaml
bad "a FIFO as the script (run)" 2 "fifo\.yaml: is a FIFO, not a regular file" -- run --yes fifo.yaml
bad "a FIFO as the script (check)" 2 "fifo\.yaml: is a FIFO, not a regular file" -- check fifo.yaml
bad "a FIFO to lint" 2 "fifo\.yaml: is a FIFO, not a regular file" -- lint fifo.yaml
bad "a directory as the script" 2 "out: is a directory, not a regular file" -- run --yes out
bad "a device as the script" 2 "/dev/zero: is a character device, not a regular file" -- check /dev/zero
sign_case; smutate 's/r1\.cert\.pem/fifo.pem/'; mkfifo fifo.pem
bad "a FIFO as the issuer certificate (run)" 2 "s\.yaml:9:32: fifo\.pem: is a FIFO" -- run --yes s.yaml
bad "a FIFO as the issuer certificate (check)" 2 "s\.yaml:9:32: fifo\.pem: is a FIFO" -- check s.yaml
unset PREFIX

# ---- issue 14, defect 3: an output that cannot be created is refused before any HSM ----
long=$(printf 'n%.0s' $(seq 256))
newcase; token bi; mutate 's|certificate-path: out/r1.cert.pem|certificate-path: out/|'
bad "an output path with a trailing slash" 2 "s\.yaml:21:25: output out/ names a directory, not a file" -- run --yes s.yaml
bad "check reports the trailing slash" 2 "s\.yaml:21:25: output out/ names a directory" -- check s.yaml
newcase; token bi; mutate "s|certificate-path: out/r1.cert.pem|certificate-path: out/$long|"
bad "a 256-byte file name" 2 "s\.yaml:21:25: the file name of output .* is 256 bytes" -- run --yes s.yaml
bad "check reports the 256-byte file name" 2 "s\.yaml:21:25: the file name of output" -- check s.yaml
newcase; token bi; deep=$(printf 'd/%.0s' $(seq 2500)); mutate "s|certificate-path: out/r1.cert.pem|certificate-path: $deep/c.pem|"
bad "a 5000-byte path" 2 "s\.yaml:21:25: output path of 5006 bytes is longer than this system allows" -- run --yes s.yaml
newcase; token bi; : > out/file; mutate 's|certificate-path: out/r1.cert.pem|certificate-path: out/file/c.pem|'
bad "an output under a file" 2 "s\.yaml:21:25: 'out/file', the directory of output out/file/c\.pem, is not a directory" -- run --yes s.yaml
newcase; token bi; mutate 's|certificate-path: out/r1.cert.pem|certificate-path: out/..|'
bad "an output named .." 2 "s\.yaml:21:25: output out/\.\. names a directory" -- run --yes s.yaml

# ---- issue 14, defect 8: output directories ----
newcase; token bi; mkdir real; ln -s real link; mutate 's|out/r1.cert.pem|link/r1.cert.pem|'
bad "an output directory that is a symlink" 2 "s\.yaml:21:25: the directory 'link' of output link/r1\.cert\.pem is a symbolic link" -- run --yes s.yaml
newcase; token bi; mkdir ww; chmod 0777 ww; mutate 's|out/r1.cert.pem|ww/r1.cert.pem|'
bad "a world-writable output directory without the sticky bit" 2 "s\.yaml:21:25: the directory 'ww' of output ww/r1\.cert\.pem is writable by every user and not sticky \(mode 0777\)" -- run --yes s.yaml
newcase; token bi; mkdir st; chmod 1777 st; mutate 's|out/r1.cert.pem|st/r1.cert.pem|'
good "a world-writable sticky output directory (like /tmp) is allowed" st/r1.cert.pem -- run --yes s.yaml

# at_prompt N: waits until the ceremony under script(1) shows its Nth confirmation
at_prompt() { for _ in $(seq 200); do [ "$(grep -c 'Type yes' typescript 2>/dev/null)" -ge "$1" ] && return 0; sleep 0.05; done; return 1; }
# prompted SCRIPT: runs a ceremony at a pty whose answers come from the FIFO answers (fd 7)
prompted() {
	rm -f answers; mkfifo answers
	script -qec "T_PIN=$PIN $CEREMONY run --at '$PLANNED_AT' $1; echo \"exit=\$?\"" /dev/null <answers >typescript 2>&1 &
	exec 7>answers
}

# defect 8: the output directory swapped for a symlink while the operator is asked
newcase; token bi; base > s.yaml; mkdir elsewhere
prompted s.yaml; printf 'yes\n' >&7; at_prompt 2
mv out out.validated && ln -s elsewhere out
printf 'yes\n' >&7; exec 7>&-; wait
if grep -q 'exit=0' typescript && [ -s out.validated/r1.cert.pem ] && [ -z "$(ls -A elsewhere)" ] &&
    openssl x509 -in out.validated/r1.cert.pem -noout 2>/dev/null; then
	pass "defect 8: a directory swapped for a symlink at the prompt: the output goes where validation looked"
else
	fail "defect 8: directory swap" "$(cat typescript; ls -la out.validated elsewhere)"
fi

# defect 4: an output that appears after the key was made is exit 1, not 2 ("nothing touched")
newcase; token bi; base > s.yaml
prompted s.yaml; printf 'yes\n' >&7; at_prompt 2
echo planted > out/r1.cert.pem
printf 'yes\n' >&7; exec 7>&-; wait
if grep -q 'exit=1' typescript && grep -q 'out/r1.cert.pem appeared during the ceremony; nothing was replaced' typescript &&
    [ "$(cat out/r1.cert.pem)" = planted ] && [ "$(count_objects bi)" -gt 0 ]; then
	pass "defect 4: an output appearing after the key was generated: exit 1, the file left alone"
else
	fail "defect 4: output appearing after the commit" "$(cat typescript)"
fi

done_tests
