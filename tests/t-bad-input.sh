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
    "config\.yaml:16:25: the directory nodir .*does not exist" bkey 's|out/int.pkcs11.json|nodir/int.pkcs11.json|'
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
bad "the script does not exist" 2 "nothere\.yaml: cannot read the script: No such file" -- run --yes nothere.yaml

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
bad "an output directory does not exist" 2 "s\.yaml:16:24: the directory nodir .*does not exist; create it" -- run --yes s.yaml

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
bad "an issuer certificate file that holds a key" 2 "s\.yaml:9:32: r1\.pub\.pem holds no certificate" -- run --yes s.yaml

sign_case; smutate 's/public-key-path: e1\.pub\.pem/public-key-path: r1.cert.pem/'
bad "a public key file that holds a certificate" 2 "s\.yaml:10:24: r1\.cert\.pem holds no public key" -- run --yes s.yaml

sign_case; smutate 's/r1\.cert\.pem/leaf.pem/'
bad "an issuer that is not a CA" 2 "s\.yaml:9:32: leaf\.pem is not a CA certificate with keyCertSign" -- run --yes s.yaml

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

done_tests
