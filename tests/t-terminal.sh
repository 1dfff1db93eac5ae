#!/usr/bin/env bash
# tests/t-terminal.sh: what reaches the operator's and the auditor's terminal, and the
# script's text rules.  Controls, DEL, C1 and bidirectional overrides are escaped in
# transcript show (text and HTML), lint, describe and errors; the script refuses them (and
# U+2028/2029) in names and labels, and labels over 128 bytes; --at refuses impossible
# dates; empty paths are usage errors; a PIN file link or a 50 MB one fails check; a literal
# PIN is masked whatever its length; verify --dir stays in DIR; a SIGTERM just before the
# prompt waits is not missed.
source "$(dirname "$0")/lib.sh"

ESC=$'\e' CR=$'\r' RLO=$'\u202e' LSEP=$'\u2028' CSI1=$'\xc2\x9b'
export CEREMONY_PIN=$PIN
new_softhsm
init_token demo-root >/dev/null
cd "$WORK" || exit 1

# raw FILE: FILE holds a control (but newline), DEL, a C1 control or a bidi override, raw
raw() { LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae\xa8\xa9]|\xe2\x81[\xa6-\xa9]' "$1"; }

# one ceremony whose transcript and outputs the checks below forge copies of
mkdir -p A/out && cp "$TOP/ceremonies/root-p384.yaml" A/root.yaml
(cd A && "$CEREMONY" run --yes --at "$PLANNED_AT" root.yaml >run.out 2>&1) &&
    pass "a root ceremony to forge transcripts from" || fail "the root ceremony" "$(cat A/run.out)"

# ---- 1. transcript show: a re-chained transcript whose strings rewrite the terminal ----
jq -c --arg e "all good$ESC[2K${CR}all good $RLO$CSI1 done" '
    if .event == "begin" then .data.ceremony = $e
    elif .event == "confirmation" then .data.question = $e else . end' \
    A/root.transcript.jsonl > forged.in
rechain forged.in A/forged.transcript.jsonl
"$CEREMONY" transcript show A/forged.transcript.jsonl > show.txt 2>show.err; rc=$?
[ $rc = 0 ] && ! raw show.txt && grep -qF 'all good\x1b[2K\x0dall good \u202e\u009b done' show.txt &&
    pass "transcript show: ESC, CR, C1 and U+202E from the transcript are shown escaped" ||
    fail "transcript show escapes (rc $rc)" "$(cat show.err; cat -v show.txt | grep -m3 'all good')"
"$CEREMONY" transcript show --html A/forged.transcript.jsonl > show.html 2>/dev/null
! raw show.html && grep -qF 'all good\x1b[2K\x0dall good \u202e\u009b done' show.html &&
    pass "transcript show --html: the same escaped (a browser would reorder around U+202E)" ||
    fail "transcript show --html escapes" "$(cat -v show.html | grep -m3 'all good')"

# ---- 2. errors that quote script text; lint and describe output ----
printf 'ceremony: x\n"bad\\e[2K\\u202ekey": 1\n' > badkey.yaml
"$CEREMONY" check badkey.yaml > /dev/null 2> badkey.err; rc=$?
[ $rc = 2 ] && ! raw badkey.err && grep -q '^ceremony: badkey.yaml:2:1: .*\\u202e' badkey.err &&
    pass "an error quoting the script (an unknown key) shows its controls escaped" ||
    fail "error escapes (rc $rc)" "$(cat -v badkey.err)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k.pem -days 30 \
    -utf8 -subj "/CN=evil${RLO}gpj.exe/O=Ex${CSI1}ample" -out "bidi$RLO.pem" 2>/dev/null
cp "bidi$RLO.pem" plain.pem
"$CEREMONY" lint --profile root "bidi$RLO.pem" plain.pem > lint.out 2>&1
[ -s lint.out ] && ! raw lint.out && grep -qF 'bidi\u202e.pem' lint.out &&
    pass "lint: the text output (file names, findings) is escaped" ||
    fail "lint escapes" "$(cat -v lint.out | head)"
"$CEREMONY" describe plain.pem > describe.out 2>&1
[ -s describe.out ] && ! raw describe.out && grep -qF 'evil\u202egpj.exe' describe.out &&
    pass "describe: the certificate's names reach the terminal escaped" ||
    fail "describe escapes" "$(cat -v describe.out | head -30)"

# ---- 3. the script refuses bidi overrides, separators and C1 in names and labels ----
n=$(count_objects demo-root)
# refused NAME SED-EXPR PATTERN: the example changed by SED-EXPR fails check and run at once
refused() {
	mkdir -p "$WORK/r-$1/out" && cd "$WORK/r-$1" || return
	sed -e "$2" "$TOP/ceremonies/root-p384.yaml" > s.yaml
	"$CEREMONY" run --yes --at "$PLANNED_AT" s.yaml > out.txt 2> err.txt; rc=$?
	[ $rc = 2 ] && [ "$(wc -l < err.txt)" = 1 ] && grep -Eq "^ceremony: s\.yaml:[0-9]+:[0-9]+: $3" err.txt &&
	    ! raw err.txt && [ -z "$(ls out)" ] && [ ! -e s.transcript.jsonl ] &&
	    [ "$(count_objects demo-root)" = "$n" ] &&
	    pass "script: $1 refused in one line naming the place; nothing written, no key" ||
	    fail "script: $1 (rc $rc)" "$(cat -v err.txt)"
	cd "$WORK" || return
}
refused "U+202E in a label" "s/label: R1 signing key/label: \"R1 \\\\u202Eyek\"/" \
    "'label' contains a bidirectional override or isolate \(U\+202E\)"
refused "U+2066 in the ceremony's name" "s/^ceremony: .*/ceremony: \"x \\\\u2066y\"/" \
    "'ceremony' contains a bidirectional override or isolate \(U\+2066\)"
refused "U+2028 in a label" "s/label: R1 signing key/label: \"R1\\\\Lkey\"/" \
    "'label' contains a line or paragraph separator \(U\+2028\)"
refused "U+2029 in a common name" "s/common-name: Example Root R1/common-name: \"R1\\\\Px\"/" \
    "'common-name' contains a line or paragraph separator \(U\+2029\)"
refused "C1 CSI in a label" "s/label: R1 signing key/label: \"R1\\\\x9b2K\"/" \
    "'label' contains a control character \(U\+009B\)"
refused "a 129-byte label" "s/label: R1 signing key/label: $(printf 'k%.0s' $(seq 129))/" \
    "'label' is 129 bytes; a label is at most 128"
mkdir -p "$WORK/l128/out" && cd "$WORK/l128" &&
    sed "s/label: R1 signing key/label: $(printf 'k%.0s' $(seq 128))/" "$TOP/ceremonies/root-p384.yaml" > s.yaml &&
    "$CEREMONY" check --at "$PLANNED_AT" s.yaml >/dev/null 2>&1 &&
    pass "script: a 128-byte label is accepted" || fail "script: a 128-byte label"
cd "$WORK" || exit 1

# ---- 4. the command line: --at by the script's date parser, empty paths ----
expect "--at 2026-11-31 is refused, not read as December 1" 2 \
    "^ceremony: '--at' is not a real date and time \('2026-11-31 12:00:00'\)" \
    "$CEREMONY" check --at '2026-11-31 12:00:00' A/root.yaml
expect "--at with second 60 is refused" 2 "'--at' is not a real date and time" \
    "$CEREMONY" rehearse --at '2026-12-01T23:59:60Z' A/root.yaml
expect "--at 2026-02-29 (not a leap year) is refused" 2 "not a real date" \
    "$CEREMONY" run --yes --at '2026-02-29 00:00:00' A/root.yaml
expect "--transcript '' is a usage error, before any login" 2 \
    "^ceremony: --transcript needs a path, not an empty string$" \
    "$CEREMONY" run --yes --transcript '' A/root.yaml

# ---- 5. PIN files check refuses without reading them, as the run does ----
mkdir -p pf/out && cd pf || exit 1
printf '%s\n' "$PIN" > real.pin && chmod 600 real.pin && ln -s real.pin link.pin
truncate -s 50M big.pin && chmod 600 big.pin
for f in link big; do
	sed "s|pin: env:CEREMONY_PIN|pin: file:$f.pin|" "$TOP/ceremonies/root-p384.yaml" > $f.yaml
done
expect "check --ready: a PIN file that is a symbolic link is refused" 2 \
    "^ceremony: link\.yaml:10:10: PIN file link\.pin for token 'root-hsm' is a symbolic link" \
    "$CEREMONY" check --ready --at "$PLANNED_AT" link.yaml
expect "check --ready: a 50 MB PIN file is refused by its size" 2 \
    "^ceremony: big\.yaml:10:10: PIN file big\.pin for token 'root-hsm' is 52428800 bytes" \
    "$CEREMONY" check --ready --at "$PLANNED_AT" big.yaml
expect "run: the same 50 MB PIN file, the same refusal, nothing touched" 2 \
    "PIN file big\.pin for token 'root-hsm' is 52428800 bytes" \
    "$CEREMONY" run --yes --at "$PLANNED_AT" big.yaml
cd "$WORK" || exit 1

# ---- 6. a literal PIN is masked with eight asterisks whatever its length ----
for p in 1234 123456789012345678901234; do
	mkdir -p "lit$p/out" && cd "lit$p" || exit 1
	init_token "lit$p" "$p" >/dev/null
	sed -e "s|pin: env:CEREMONY_PIN|pin: '$p'|" -e "s|token-label: demo-root|token-label: lit$p|" \
	    "$TOP/ceremonies/root-p384.yaml" > s.yaml
	"$CEREMONY" run --yes --at "$PLANNED_AT" s.yaml > out.txt 2>&1
	line=$(jq -r 'select(.event == "begin") | .data.script' s.transcript.jsonl | grep 'pin:')
	[ "$line" = "    pin: '********'" ] && ! grep -qF "'$p'" s.transcript.jsonl &&
	    pass "a ${#p}-character literal PIN is recorded as eight asterisks" ||
	    fail "literal PIN mask (${#p})" "$line $(cat out.txt)"
	cd "$WORK" || exit 1
done

# ---- 7. transcript verify --dir does not follow '..' out of DIR ----
mkdir -p B
sed 's|"out/r1|"../A/out/r1|g' A/root.transcript.jsonl > climb.in
rechain climb.in B/climb.transcript.jsonl
expect "verify --dir: a recorded path with '..' out of DIR is not checked there" 1 \
    "output \.\./A/out/r1\.pub\.pem climbs out of --dir" \
    "$CEREMONY" transcript verify --outputs --dir "$WORK/B" B/climb.transcript.jsonl
mkdir -p C && cp -r A/out C/
expect "verify --dir: the untouched transcript checks against a copy of its outputs" 0 "" \
    "$CEREMONY" transcript verify --outputs --dir "$WORK/C" A/root.transcript.jsonl

# ---- 8. a SIGTERM as the prompt opens the terminal ends the wait at once ----
mkdir -p race/out && cd race || exit 1
sed 's/label: R1 signing key/label: race key/' "$TOP/ceremonies/root-p384.yaml" > s.yaml
mkfifo hold && exec 8<>hold	# the terminal's input: open, and silent
# a sanitizer build wants its runtime first among the preloaded libraries
ASAN_RT=$(ldd "$CEREMONY" | awk '/libasan/ { print $3 }')
SIGRACE=1 LD_PRELOAD=${ASAN_RT:+$ASAN_RT:}$TOP/build/sigrace.so timeout 20 script -qec \
    "$CEREMONY run --at '$PLANNED_AT' s.yaml" /dev/null <&8 > tty.txt 2>&1; rc=$?
exec 8>&-
[ $rc != 124 ] && grep -q 'interrupted by Terminated' tty.txt && [ -z "$(ls out)" ] &&
    [ "$(tail -n1 s.transcript.jsonl | jq -r .data.status)" = failed ] &&
    pass "a SIGTERM as the prompt opens: the run stops at once, nothing made, transcript ends failed" ||
    fail "SIGTERM before the prompt waits (rc $rc; 124: still waiting after 20 s)" "$(cat -v tty.txt)"

done_tests
