#!/usr/bin/env bash
# tests/t-site.sh: site files.  The example hierarchy, byte for byte unchanged, runs on a
# bench SoftHSM setup and on a second SoftHSM setup standing in for the real HSM (another
# module path, another token directory, tokens chosen by serial, PINs from files), with
# only the site file changed; both transcripts carry the same script SHA-256 and their own
# site file's.  Then every way a site file can be wrong: one line with file:line:col, exit
# 2, nothing written, no token touched.
source "$(dirname "$0")/lib.sh"

SCRIPT=$TOP/ceremonies/hierarchy.yaml
SCRIPT_SHA=$(sha256sum "$SCRIPT" | cut -d' ' -f1)
PLANNED=$(date -d '2026-12-02 12:00:00Z' +%s)

# ---- 1. the bench: the first SoftHSM setup ----
new_softhsm
BENCH_CONF=$SOFTHSM2_CONF
init_token bench-root >/dev/null
init_token bench-issuing >/dev/null
mkdir -p "$WORK/bench/out" && cd "$WORK/bench"
cat > site.yaml <<EOF
site: the rehearsal bench
tokens:
  root-hsm:
    module: $MODULE
    token-label: bench-root
    pin: env:BENCH_PIN
  issuing-hsm:
    module: $MODULE
    token-label: bench-issuing
    pin: env:BENCH_PIN
EOF
if BENCH_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" --site site.yaml --transcript t.jsonl \
    "$SCRIPT" >stdout 2>stderr; then
	pass "bench: the unchanged script runs with the bench's site file"
else
	fail "bench: run with a site file" "$(cat stdout stderr)"
fi
[ "$(count_objects bench-root)" = 2 ] && [ "$(count_objects bench-issuing)" = 4 ] &&
    pass "bench: the keys are on the tokens the site file names" ||
    fail "bench: keys on the site's tokens" "$(objects bench-root; objects bench-issuing)"

# ---- 2. the "real HSM": a second SoftHSM setup, another module path, serials, PIN files ----
new_softhsm
REAL_CONF=$SOFTHSM2_CONF
init_token ROOT-2026 >/dev/null
init_token ISSUING-2026 >/dev/null
root_serial=$(token_serial ROOT-2026)
issuing_serial=$(token_serial ISSUING-2026)
mkdir -p "$WORK/vendor/lib" "$WORK/room/out" "$WORK/room/pins"
ln -s "$(readlink -f "$MODULE")" "$WORK/vendor/lib/libvendorpkcs11.so"
cd "$WORK/room"
printf '%s\n' "$PIN" > pins/root.pin
printf '%s\n' "$PIN" > pins/issuing.pin
chmod 600 pins/*.pin
cat > site.yaml <<EOF
site: the offline room (a second SoftHSM setup standing in for the HSM)
tokens:
  root-hsm:
    module: $WORK/vendor/lib/libvendorpkcs11.so
    token-serial: "$root_serial"
    pin: file:$WORK/room/pins/root.pin
  issuing-hsm: {module: $WORK/vendor/lib/libvendorpkcs11.so, uri: "pkcs11:serial=$issuing_serial", pin: file:$WORK/room/pins/issuing.pin}
EOF
check "room: check --site --ready passes" "$CEREMONY" check --ready --at "$PLANNED_AT" --site site.yaml "$SCRIPT"
out=$("$CEREMONY" check --at "$PLANNED_AT" --site site.yaml "$SCRIPT" 2>&1)
grep -q "^site.yaml: valid site file, the offline room .*SHA-256 $(sha256sum site.yaml | cut -d' ' -f1)\$" <<<"$out" &&
    grep -q "^token root-hsm: module $WORK/vendor/lib/libvendorpkcs11.so, token-serial '$root_serial', PIN from file:.*; from site.yaml\$" <<<"$out" &&
    grep -q "^$SCRIPT: valid ceremony script, 6 steps, SHA-256 $SCRIPT_SHA\$" <<<"$out" &&
    pass "room: check prints both files' SHA-256 and where each token comes from" ||
    fail "room: check output" "$out"
if "$CEREMONY" run --yes --at "$PLANNED_AT" --site site.yaml --transcript t.jsonl "$SCRIPT" >stdout 2>stderr; then
	pass "room: the same script runs on the second setup with only the site file changed"
else
	fail "room: run with the second site file" "$(cat stdout stderr)"
fi
[ "$(count_objects ROOT-2026)" = 2 ] && [ "$(count_objects ISSUING-2026)" = 4 ] &&
    pass "room: the keys are on the second setup's tokens" || fail "room: keys" "$(objects ROOT-2026)"
ok=1
for c in r1 e1 o1; do
	openssl verify -x509_strict -check_ss_sig -attime "$PLANNED" -CAfile out/r1.cert.pem "out/$c.cert.pem" \
	    >/dev/null 2>&1 || ok=0
done
[ $ok = 1 ] && pass "room: the hierarchy verifies (openssl -x509_strict)" || fail "room: openssl verify"
check "room: transcript verify --outputs" "$CEREMONY" transcript verify --outputs t.jsonl
# A resume places the tokens as the run began: the same site file, or none if it had none.
head -n -1 t.jsonl > cut.jsonl
for site in "" "$WORK/bench/site.yaml"; do
	err=$("$CEREMONY" run --yes --at "$PLANNED_AT" ${site:+--site "$site"} --resume cut.jsonl "$SCRIPT" 2>&1 >/dev/null); rc=$?
	[ $rc = 2 ] && [ "$(wc -l <cut.jsonl)" = "$(( $(wc -l <t.jsonl) - 1 ))" ] &&
	    grep -q "^ceremony: cut.jsonl began with .*site file.*; resume with the s" <<<"$err" &&
	    pass "room: --resume $([ -n "$site" ] && echo with another site file || echo without --site) refuses, appends nothing" ||
	    fail "room: --resume with another site" "rc=$rc $err"
done
b=$WORK/bench/t.jsonl r=$WORK/room/t.jsonl
begin() { jq -r "select(.event==\"begin\") | .data.$2" "$1"; }
[ "$(begin "$b" script_sha256)" = "$SCRIPT_SHA" ] && [ "$(begin "$r" script_sha256)" = "$SCRIPT_SHA" ] &&
    [ "$(begin "$b" site_sha256)" = "$(sha256sum "$WORK/bench/site.yaml" | cut -d' ' -f1)" ] &&
    [ "$(begin "$r" site_sha256)" = "$(sha256sum "$WORK/room/site.yaml" | cut -d' ' -f1)" ] &&
    [ "$(begin "$r" site_path)" = site.yaml ] && [ "$(begin "$r" site)" = "$(cat "$WORK/room/site.yaml")" ] &&
    pass "transcripts: the same script SHA-256, each its own site file's SHA-256 and text" ||
    fail "transcripts: script and site hashes" "$(jq -c 'select(.event=="begin") | .data | del(.script, .site)' "$b" "$r")"
[ "$(jq -r 'select(.event=="token") | [.data.name, .data.module, .data.from, .data.token.label] | @tsv' "$r")" = \
  "$(printf 'root-hsm\t%s\tsite.yaml\tROOT-2026\nissuing-hsm\t%s\tsite.yaml\tISSUING-2026' \
     "$WORK/vendor/lib/libvendorpkcs11.so" "$WORK/vendor/lib/libvendorpkcs11.so")" ] &&
    [ "$(jq -r 'select(.event=="login") | .data.pin_source' "$r" | sort -u)" = "file:$WORK/room/pins/issuing.pin
file:$WORK/room/pins/root.pin" ] &&
    pass "transcripts: each token record names the site file, module and token that placed it" ||
    fail "transcripts: token records" "$(jq -c 'select(.event=="token" or .event=="login") | .data' "$r")"
out=$("$CEREMONY" diff-transcripts "$b" "$r" 2>&1); rc=$?
[ $rc = 0 ] && grep -q '^no differences beyond' <<<"$out" &&
    pass "diff-transcripts: the bench and the room did the same" || fail "diff-transcripts bench room" "$out"
# The bench's tokens were not touched by the room's run, and the reverse.
SOFTHSM2_CONF=$BENCH_CONF
[ "$(count_objects bench-root)" = 2 ] && [ "$(count_objects bench-issuing)" = 4 ] &&
    pass "the bench's tokens are as the bench's run left them" || fail "bench tokens changed"

# ---- 3. a literal PIN in a site file: SoftHSM only, never recorded ----
new_softhsm
slot=$(init_token literal-root)
mkdir -p "$WORK/lit/out" && cd "$WORK/lit"
cp "$TOP/ceremonies/root-p384.yaml" script.yaml
printf 'tokens:\n  root-hsm:\n    module: %s\n    token-label: literal-root\n    pin: "%s"\n' "$MODULE" "$PIN" > site.yaml
if "$CEREMONY" run --yes --at "$PLANNED_AT" --site site.yaml script.yaml >stdout 2>stderr &&
    [ "$(begin script.transcript.jsonl site_redacted)" = true ] &&
    [ "$(jq -r 'select(.event=="login") | .data.literal_pin_allowed_because' script.transcript.jsonl)" = "SoftHSM rehearsal token" ] &&
    ! grep -rqF -- "$PIN" script.transcript.jsonl out stdout stderr; then
	pass "literal PIN in a site file: accepted for SoftHSM, recorded as asterisks, nowhere in clear"
else
	fail "literal PIN in a site file" "$(cat stdout stderr; grep -F -- "$PIN" script.transcript.jsonl)"
fi

# ---- 4. Boulder configs: the site replaces the pkcs11 block's module, slot and PIN ----
new_softhsm
init_token boulder-site >/dev/null
mkdir -p "$WORK/boulder/out" && cd "$WORK/boulder"
sed -e 's|/usr/lib/softhsm/libsofthsm2.so|/opt/nowhere/libvendorpkcs11.so|' -e 's/store-key-in-slot: 0/store-key-in-slot: 9/' \
    "$TOP/ceremonies/boulder-root-p384.yaml" > root.yaml
printf 'tokens:\n  pkcs11: {module: %s, token-label: boulder-site, pin: env:BOULDER_PIN}\n' "$MODULE" > site.yaml
if BOULDER_PIN=$PIN "$CEREMONY" -config root.yaml -site site.yaml --yes --at "$PLANNED_AT" >stdout 2>stderr &&
    [ "$(jq -r 'select(.event=="token") | .data.module + " " + .data.token.label' root.transcript.jsonl)" = "$MODULE boulder-site" ] &&
    [ "$(count_objects boulder-site)" = 2 ]; then
	pass "Boulder config: -config FILE -site SITE runs on the site's token, the config unchanged"
else
	fail "Boulder config with a site file" "$(cat stdout stderr)"
fi
sed -e 's/store-key-in-slot: 0/store-key-in-slot: 9/' -e '/^    public-key-path:/a\    pkcs11-config-path: out/key.json' \
    "$TOP/ceremonies/boulder-key.yaml" > key.yaml
BOULDER_PIN=$PIN "$CEREMONY" -config key.yaml -site site.yaml --yes >stdout 2>err; rc=$?
[ $rc = 2 ] && grep -q '^ceremony: site.yaml:2:.*pkcs11-config-path, which holds the PIN in clear' err &&
    [ ! -e key.transcript.jsonl ] && [ ! -e out/key.json ] &&
    pass "Boulder key config: pkcs11-config-path with a site's env: PIN is refused at the site's pin" ||
    fail "Boulder key config with an env: PIN site" "rc=$rc $(cat err)"

# ---- 5. roles only: the script leaves the place to the site file ----
cd "$WORK/lit"
sed -e '/^  root-hsm:/,/^steps:/{/^  root-hsm:/!{/^steps:/!d}}' -e 's/^  root-hsm:$/  root-hsm: {}/' \
    "$TOP/ceremonies/root-p384.yaml" > roles.yaml
grep -q '^  root-hsm: {}$' roles.yaml && ! grep -q 'module:' roles.yaml ||
    fail "roles.yaml was not made" "$(cat roles.yaml)"
out=$("$CEREMONY" check --at "$PLANNED_AT" roles.yaml 2>&1); rc=$?
[ $rc = 0 ] && grep -q "^token root-hsm: a role for a site file to place (--site)" <<<"$out" &&
    grep -q "roles.yaml:[0-9]*:3: token 'root-hsm' is a role the script leaves to a site file" <<<"$out" &&
    pass "roles only: check lists the role as not ready without a site file" || fail "roles only: check" "$out"
rm -rf out && mkdir out
"$CEREMONY" run --yes --at "$PLANNED_AT" roles.yaml >/dev/null 2>err; rc=$?
[ $rc = 2 ] && grep -q "give --site FILE" err && [ ! -e roles.transcript.jsonl ] && [ -z "$(ls out)" ] &&
    pass "roles only: run without a site file stops before anything, exit 2" || fail "roles only: run" "rc=$rc $(cat err)"
new_softhsm
init_token literal-root >/dev/null
check "roles only: run with a site file" "$CEREMONY" run --yes --at "$PLANNED_AT" --site site.yaml roles.yaml

# ---- 6. the docs' example site file is valid for the example hierarchy ----
awk '/<!-- site: offline-room.yaml -->/ { want = 1; next }
    want && /^```yaml/ { inb = 1; next } inb && /^```/ { exit } inb { print }' "$TOP/docs/script.md" > "$WORK/doc-site.yaml"
out=$("$CEREMONY" check --at "$PLANNED_AT" --site "$WORK/doc-site.yaml" "$SCRIPT" 2>&1); rc=$?
[ $rc = 0 ] && grep -q "PKCS#11 module /opt/vendor/lib/libvendorpkcs11.so does not exist" <<<"$out" &&
    grep -q "token-serial '0519-4407', PIN from file:/run/ceremony/issuing.pin; from $WORK/doc-site.yaml" <<<"$out" &&
    pass "docs: script.md's site file checks with the example hierarchy (its HSM is not here)" ||
    fail "docs: script.md's site file" "$out"

# ---- 7. bad site files: one line, file:line:col, exit 2, nothing touched ----
new_softhsm
init_token guard >/dev/null
before=$(find "${SOFTHSM2_CONF%/*}/tokens" -type f -exec sha256sum {} + | sort)
mkdir -p "$WORK/bad/out" && cd "$WORK/bad"
# bad NAME WANT-REGEX SITE-TEXT
bad() {
	printf '%s' "$3" > site.yaml
	local err rc
	err=$(CEREMONY_PIN=x ISSUING_PIN=x "$CEREMONY" run --yes --at "$PLANNED_AT" --site site.yaml "$SCRIPT" 2>&1 >/dev/null); rc=$?
	if [ $rc = 2 ] && [ "$(wc -l <<<"$err")" = 1 ] && grep -Eq "^ceremony: $2" <<<"$err" &&
	    [ -z "$(ls out)" ] && [ ! -e "$TOP/ceremonies/hierarchy.transcript.jsonl" ]; then
		pass "bad site file: $1"
	else
		fail "bad site file: $1" "rc=$rc $err"
	fi
}
full='  root-hsm: {module: /m.so, token-label: a}
  issuing-hsm: {module: /m.so, token-label: b}
'
bad "a misspelt key gets a suggestion" "site.yaml:3:5: unknown key 'modul' in token 'root-hsm'; did you mean 'module'\?" \
    "tokens:
  root-hsm:
    modul: /m.so
    token-label: a
  issuing-hsm: {module: /m.so, token-label: b}
"
bad "a misspelt role gets a suggestion" "site.yaml:3:3: .*hierarchy.yaml has no token role 'isuing-hsm'; did you mean 'issuing-hsm'\?" \
    "tokens:
  root-hsm: {module: /m.so, token-label: a}
  isuing-hsm: {module: /m.so, token-label: b}
"
bad "a role the script uses is missing" "site.yaml:2:3: no entry for token role 'issuing-hsm'" \
    "tokens:
  root-hsm: {module: /m.so, token-label: a}
"
bad "an entry without module" "site.yaml:2:13: token 'root-hsm' needs 'module'; add it" \
    "tokens:
  root-hsm: {token-label: a}
  issuing-hsm: {module: /m.so, token-label: b}
"
bad "an entry without selector" "site.yaml:2:13: token 'root-hsm' needs one of token-label, token-serial or uri" \
    "tokens:
  root-hsm: {module: /m.so}
  issuing-hsm: {module: /m.so, token-label: b}
"
bad "two selectors" "site.yaml:2:46: 'token-serial' and 'token-label' both select the token" \
    "tokens:
  root-hsm: {module: /m.so, token-serial: 1, token-label: a}
  issuing-hsm: {module: /m.so, token-label: b}
"
bad "a slot ID" "site.yaml:2:45: 'slot' is not allowed in a native token: slot IDs change" \
    "tokens:
  root-hsm: {module: /m.so, token-label: a, slot: 1}
  issuing-hsm: {module: /m.so, token-label: b}
"
bad "a malformed PIN source" "site.yaml:2:50: 'pin' names a malformed PIN source" \
    "tokens:
  root-hsm: {module: /m.so, token-label: a, pin: env:1X}
  issuing-hsm: {module: /m.so, token-label: b}
"
bad "steps in a site file" "site.yaml:1:1: 'steps' belongs in the script" "steps: []
tokens:
$full"
bad "an unknown top-level key" "site.yaml:1:1: unknown key 'sites' in a site file; did you mean 'site'\?" "sites: x
tokens:
$full"
bad "no tokens" "site.yaml:1:1: a site file needs 'tokens'; add it" "site: nothing here
"
bad "empty tokens" "site.yaml:1:9: 'tokens' is empty; map each token role" "tokens: {}
"
bad "not a mapping" "site.yaml:1:1: a site file is a YAML mapping with 'tokens:'" "- a
- b
"
bad "a YAML anchor" "site.yaml:2:13: .*anchor" "tokens:
  root-hsm: &a {module: /m.so, token-label: a}
  issuing-hsm: {module: /m.so, token-label: b}
"
bad "a duplicate role" "site.yaml:3:3: duplicate token name 'root-hsm'" "tokens:
  root-hsm: {module: /m.so, token-label: a}
  root-hsm: {module: /m.so, token-label: b}
"
err=$("$CEREMONY" run --yes --site "$WORK/bad/none.yaml" "$SCRIPT" 2>&1); rc=$?
[ $rc = 2 ] && grep -q "none.yaml: cannot read" <<<"$err" && pass "bad site file: unreadable, exit 2" ||
    fail "bad site file: unreadable" "rc=$rc $err"
# A token the site file names but this machine lacks: the site file's position, exit 1, nothing written.
printf 'tokens:\n  root-hsm: {module: %s, token-label: nosuch, pin: env:P}\n  issuing-hsm: {module: %s, token-label: guard, pin: env:P}\n' \
    "$MODULE" "$MODULE" > site.yaml
err=$(P=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" --site site.yaml "$SCRIPT" 2>&1 >/dev/null); rc=$?
[ $rc = 1 ] && grep -Eq "^ceremony: site.yaml:2:[0-9]+: " <<<"$err" && [ -z "$(ls out)" ] &&
    [ ! -e "$TOP/ceremonies/hierarchy.transcript.jsonl" ] &&
    pass "a token the site file names is not here: the site file's line and column, nothing written" ||
    fail "missing token named by the site file" "rc=$rc $err"
[ "$(find "${SOFTHSM2_CONF%/*}/tokens" -type f -exec sha256sum {} + | sort)" = "$before" ] &&
    pass "bad site files: the token was never changed" || fail "bad site files changed the token"

done_tests
