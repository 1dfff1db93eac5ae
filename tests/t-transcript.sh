#!/usr/bin/env bash
# tests/t-transcript.sh: `ceremony transcript verify` and `show` on the transcript of a real
# ceremony on a throwaway SoftHSM token, and on copies of it with one thing changed.
source "$(dirname "$0")/lib.sh"

# flip FILE OFFSET: XORs the byte at OFFSET with 0x01, in place
flip() {
	local b; b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# line_of FILE OFFSET: the 1-based line holding the byte at OFFSET
line_of() { echo $(($(head -c "$2" "$1" | wc -l) + 1)); }

new_softhsm
init_token demo-root >/dev/null
mkdir -p "$WORK/c/out" && cd "$WORK/c"
cp "$TOP/ceremonies/root-p384.yaml" .
CEREMONY_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" root-p384.yaml >run.out 2>run.err ||
    fail "the ceremony runs" "$(cat run.out run.err)"
T=root-p384.transcript.jsonl
DIGEST=$(chain_ok "$T")
NLINES=$(wc -l <"$T")

# ---- the run and verify agree on the final digest, in hex and PGP words ----
WORDS=$(sed -n 's/^final digest in PGP words: //p' run.out)
[ "$(wc -w <<<"$WORDS")" = 32 ] && pass "run prints the final digest as 32 PGP words" ||
    fail "run prints the final digest as 32 PGP words" "$(cat run.out)"
expect "verify passes" 0 '' "$CEREMONY" transcript verify "$T"
if grep -q "^final digest: $DIGEST\$" "$WORK/out" &&
    [ "$(sed -n '/^final digest in PGP words:/,$p' "$WORK/out" | tail -n +2 | tr -s ' \n' ' ' |
      sed 's/^ //; s/ $//')" = "$WORDS" ] &&
    grep -q 'certificates verified: 1' "$WORK/out" && grep -q "records: $(wc -l < "$T")," "$WORK/out"; then
	pass "verify summary: records, certificates, digest in hex and the run's PGP words"
else
	fail "verify summary" "$(cat "$WORK/out")"
fi
expect "verify --outputs passes" 0 '' "$CEREMONY" transcript verify --outputs "$T"
grep -q 'outputs: 2 recorded, 2 files checked' "$WORK/out" && pass "verify --outputs checks 2 files" ||
    fail "verify --outputs checks 2 files" "$(cat "$WORK/out")"
expect "verify --digest (hex)" 0 '' "$CEREMONY" transcript verify --digest "$DIGEST" "$T"
expect "verify --digest (PGP words, any case)" 0 '' \
    "$CEREMONY" transcript verify --digest "$(tr 'a-z' 'A-Z' <<<"$WORDS")" "$T"
# the digest with its last hex digit changed (to 0, or to 1 when it is 0)
[ "${DIGEST: -1}" = 0 ] && WRONG=${DIGEST%?}1 || WRONG=${DIGEST%?}0
expect "verify --digest wrong" 1 "^ceremony: $T:$NLINES: the final digest" \
    "$CEREMONY" transcript verify --digest "$WRONG" "$T"
# a witness's misspelling is named, with the word meant: not "the transcript differs"
W5=$(cut -d' ' -f5 <<<"$WORDS")
expect "verify --digest with a misspelt word: exit 2, the word and the nearest PGP word" 2 \
    "^ceremony: --digest: word 5, '${W5%?}', is not a PGP word; did you mean '$W5'\?$" \
    "$CEREMONY" transcript verify --digest "$(awk -v w="${W5%?}" '{ $5 = w; print }' <<<"$WORDS")" "$T"
expect "verify --digest with a word left out: exit 2, named" 2 \
    "^ceremony: --digest: word 5, .* PGP word where a .* one belongs: a word before it is missing" \
    "$CEREMONY" transcript verify --digest "$(cut -d' ' -f1-4,6- <<<"$WORDS")" "$T"

# ---- any changed byte is found, and the line named ----
# First line, a middle line, inside the certificate PEM, the last line: with a line named.
pem_off=$(grep -bo 'BEGIN CERTIFICATE-----\\nMII' "$T" | head -n1 | cut -d: -f1)
for spec in "first line:10" "middle line:$(($(head -n 7 "$T" | wc -c) + 40))" \
    "inside the PEM:$((pem_off + 40))" "last line:$(($(head -n $((NLINES - 1)) "$T" | wc -c) + 60))"; do
	name=${spec%:*} off=${spec##*:} k=$(line_of "$T" "$off")
	cp "$T" bad.jsonl && flip bad.jsonl "$off"
	expect "a flipped byte in the $name fails, naming line $k or $((k + 1))" 1 \
	    "^ceremony: bad.jsonl:($k|$((k + 1))):" "$CEREMONY" transcript verify --digest "$DIGEST" bad.jsonl
done
# Every 37th byte: each copy fails and names the line changed or the one after it.
size=$(wc -c <"$T") missed=""
for ((off = 3; off < size; off += 37)); do
	cp "$T" bad.jsonl && flip bad.jsonl "$off" && k=$(line_of "$T" "$off")
	"$CEREMONY" transcript verify --digest "$DIGEST" bad.jsonl >/dev/null 2>err
	[ $? = 1 ] && grep -Eq "^ceremony: bad.jsonl:($k|$((k + 1))):" err || missed="$missed $off"
done
[ -z "$missed" ] && pass "every 37th byte flipped: verify fails and names the line" ||
    fail "flipped bytes not caught or not named at offsets:$missed"
# Without --digest the last line is still checked for sense: its status, its outputs.
cp "$T" bad.jsonl && sed -i '$ s/"status":"ok"/"status":"oj"/' bad.jsonl
expect "end status changed (no --digest)" 1 "^ceremony: bad.jsonl:$NLINES: status" \
    "$CEREMONY" transcript verify bad.jsonl

# ---- lines deleted, moved, cut ----
sed 5d "$T" >bad.jsonl
expect "a deleted line" 1 '^ceremony: bad.jsonl:5: seq is not 4' "$CEREMONY" transcript verify bad.jsonl
awk 'NR == 6 { l = $0; next } NR == 7 { print; print l; next } 1' "$T" >bad.jsonl
expect "two lines swapped" 1 '^ceremony: bad.jsonl:6: seq is not 5' "$CEREMONY" transcript verify bad.jsonl
head -n 10 "$T" >bad.jsonl
expect "truncated at a line: incomplete" 1 "^ceremony: bad.jsonl:10: incomplete: the last record is '$(sed -n 10p "$T" | jq -r .event)'" \
    "$CEREMONY" transcript verify bad.jsonl
grep -q 'INCOMPLETE' "$WORK/out" && pass "truncated: the summary says INCOMPLETE" ||
    fail "truncated: the summary says INCOMPLETE" "$(cat "$WORK/out")"
head -c $(($(head -n 10 "$T" | wc -c) + 30)) "$T" >bad.jsonl
expect "cut inside a line" 1 '^ceremony: bad.jsonl:11: the last line has no newline' \
    "$CEREMONY" transcript verify bad.jsonl
: >bad.jsonl
expect "an empty file" 1 '^ceremony: bad.jsonl: empty' "$CEREMONY" transcript verify bad.jsonl
{ cat "$T"; tail -n1 "$T"; } >bad.jsonl
expect "a line after end" 1 "^ceremony: bad.jsonl:$((NLINES + 1)): a record after 'end'" \
    "$CEREMONY" transcript verify bad.jsonl
expect "a missing transcript (exit 2)" 2 '^ceremony: nosuch.jsonl: cannot read' \
    "$CEREMONY" transcript verify nosuch.jsonl

# ---- output files ----
# Relative output paths are resolved in the directory the run began in (begin.cwd), from
# wherever verify runs; when that directory is not on this machine, beside the transcript;
# --dir DIR overrides both.
[ "$(jq -r 'select(.event=="begin") | .data.cwd' "$T")" = "$WORK/c" ] &&
    pass "begin records the run's working directory" || fail "begin.cwd" "$(head -n1 "$T" | jq -c .data.cwd)"
cp -r out out.orig
flip out/r1.cert.pem 100
expect "a flipped byte in an output: verify --outputs names the file" 1 \
    "^ceremony: $WORK/c/out/r1.cert.pem: SHA-256 [0-9a-f]{64}, but root-p384.transcript.jsonl:$(grep -n '"event":"output".*r1.cert.pem' "$T" | cut -d: -f1) recorded" \
    "$CEREMONY" transcript verify --outputs "$T"
expect "... plain verify does not read outputs" 0 '' "$CEREMONY" transcript verify "$T"
rm out/r1.pub.pem
expect "a missing output" 1 "^ceremony: $WORK/c/out/r1.pub.pem: missing or unreadable .*give --dir DIR" \
    "$CEREMONY" transcript verify --outputs "$T"
cd "$WORK/c" && rm -rf out && cp -r out.orig out
mkdir -p "$WORK/elsewhere" "$WORK/intact" && cp "$T" "$WORK/elsewhere/" && cp -r out.orig "$WORK/intact/out"
cd "$WORK/elsewhere"
expect "verify --outputs from another directory finds the outputs where the run wrote them" 0 '' \
    "$CEREMONY" transcript verify --outputs "$WORK/c/$T"
expect "... also with a transcript copied elsewhere" 0 '' "$CEREMONY" transcript verify --outputs "$T"
expect "verify --outputs --dir resolves relative paths" 0 '' \
    "$CEREMONY" transcript verify --outputs --dir "$WORK/intact" "$T"
expect "... and names the file under --dir" 1 "^ceremony: $WORK/elsewhere/out/r1.pub.pem: missing" \
    "$CEREMONY" transcript verify --outputs --dir "$WORK/elsewhere" "$T"
# The auditor's machine: the run's directory does not exist; the outputs beside the transcript.
mkdir -p "$WORK/auditor" && cp -r "$WORK/c/out.orig" "$WORK/auditor/out"
sed "1s|\"cwd\":\"$WORK/c\"|\"cwd\":\"/nonexistent/ceremony-room\"|" "$WORK/c/$T" > t0.jsonl
rechain t0.jsonl "$WORK/auditor/moved.jsonl"
cd /
expect "the run's directory gone: outputs are looked for beside the transcript" 0 '' \
    "$CEREMONY" transcript verify --outputs "$WORK/auditor/moved.jsonl"
rm "$WORK/auditor/out/r1.cert.pem"
expect "... and named there when missing" 1 "^ceremony: $WORK/auditor/out/r1.cert.pem: missing" \
    "$CEREMONY" transcript verify --outputs "$WORK/auditor/moved.jsonl"
cd "$WORK/c" && rm -rf out && mv out.orig out
# Resuming continues where the run began: its relative outputs are relative to that directory.
cd "$WORK/elsewhere"
expect "--resume from another directory is refused, naming the one to use" 2 \
    "^ceremony: $WORK/c/$T began in $WORK/c; resume it from there" \
    env CEREMONY_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" --resume "$WORK/c/$T" "$WORK/c/root-p384.yaml"
cd "$WORK/c"

# ---- usage ----
expect "transcript without a verb (exit 2)" 2 'usage: ceremony transcript' "$CEREMONY" transcript
expect "an unknown verb (exit 2)" 2 'usage: ceremony transcript' "$CEREMONY" transcript check "$T"
expect "verify without FILE (exit 2)" 2 'expected one FILE' "$CEREMONY" transcript verify
expect "show --outputs (exit 2)" 2 'is not an option here' "$CEREMONY" transcript show --outputs "$T"
expect "verify --dir without a value (exit 2)" 2 'needs a value' "$CEREMONY" transcript verify --dir

# ---- show ----
expect "show" 0 '' "$CEREMONY" transcript show "$T"
FP=$(jq -r 'select(.event == "certificate-signed") | .data.certificate.sha256' "$T")
CKAID=$(jq -r 'select(.event == "key-generated") | .data.id' "$T")
if grep -q "SHA-256 fingerprint *$FP" "$WORK/out" && grep -q "CKA_ID *$CKAID" "$WORK/out" &&
    grep -q "CKA_NEVER_EXTRACTABLE *true" "$WORK/out" && grep -q "$DIGEST" "$WORK/out" &&
    grep -q "$(cut -d' ' -f1-8 <<<"$WORDS")" "$WORK/out" && grep -q 'Step r1 (root)' "$WORK/out"; then
	pass "show: steps, CKA_ID, read-back, fingerprint, digest in hex and words"
else
	fail "show: content" "$(cat "$WORK/out")"
fi
cp "$T" bad.jsonl && flip bad.jsonl 2000
expect "show refuses a broken chain, naming the line" 1 "^ceremony: bad.jsonl:[0-9]+: " \
    "$CEREMONY" transcript show bad.jsonl
[ ! -s "$WORK/out" ] && pass "... and prints nothing" || fail "... and prints nothing"
head -n 10 "$T" >bad.jsonl
expect "show marks an incomplete transcript" 0 '' "$CEREMONY" transcript show bad.jsonl
grep -q INCOMPLETE "$WORK/out" && pass "... INCOMPLETE" || fail "... INCOMPLETE" "$(cat "$WORK/out")"

expect "show --html" 0 '' "$CEREMONY" transcript show --html "$T"
cp "$WORK/out" witness.html
if grep -q '^<!DOCTYPE html>' witness.html && grep -q '@page' witness.html &&
    ! grep -Eiq '(src|href)=|@import|url\(' witness.html && grep -q "$FP" witness.html &&
    [ "$(grep -c 'class="witness"' witness.html)" -ge 2 ] && grep -q "${WORDS%% *}" witness.html; then
	pass "show --html: self-contained, print CSS, fingerprints, witness boxes, PGP words"
else
	fail "show --html: content" "$(head -c 2000 witness.html)"
fi

# ---- the witness record prints: headless Chromium to PDF ----
# docs/transcript.md's command, as written (in the directory of witness.html)
cmd=$(awk '/<!-- witness-pdf -->/ { want = 1; next }
    want && /^```sh/ { inb = 1; next } inb && /^```/ { exit } inb { print }' "$TOP/docs/transcript.md")
(cd "$WORK/c" && HOME=$(mktemp -d "$WORK/chromium.XXXXXX") bash -c "$cmd" >/dev/null 2>&1)
info=$(pdfinfo witness.pdf 2>&1)
pages=$(sed -n 's/^Pages: *//p' <<<"$info")
if grep -Eq '^Page size: *(612 x 792|595(\.[0-9]+)? x 841(\.[0-9]+)?|595 x 842) pts' <<<"$info" &&
    [ "${pages:-0}" -ge 1 ] && [ "${pages:-0}" -le 8 ]; then
	pass "Chromium prints the witness record to PDF ($pages pages)"
else
	fail "Chromium prints the witness record to PDF" "$info"
fi
pdftotext witness.pdf - 2>/dev/null | grep -q "$FP" && pass "... and the PDF holds the fingerprint" ||
    fail "... and the PDF holds the fingerprint"
! pdftotext witness.pdf - 2>/dev/null | grep -Eq 'file:|witness\.html' &&
    pass "... and no page shows the file's path (--no-pdf-header-footer)" ||
    fail "... the PDF's pages show the file's path"

# ---- show on a chain-valid transcript whose lint record lacks members (found by make fuzz) ----
rechain "$TOP/tests/fuzz-regress/transcript-lint-without-verdict.jsonl" "$WORK/odd.jsonl"
"$CEREMONY" transcript show "$WORK/odd.jsonl" > "$WORK/out" 2>&1; rc=$?
"$CEREMONY" transcript show --html "$WORK/odd.jsonl" > /dev/null 2>&1; rc2=$?
if [ "$rc" -lt 2 ] && [ "$rc2" -lt 2 ] && grep -q '? ? (?): ?' "$WORK/out"; then
	pass "show: a lint verdict without its members is shown as '?', not a crash"
else
	fail "show: a lint verdict without its members" "exit $rc/$rc2: $(tail -3 "$WORK/out")"
fi

# ---- the witness record of the example hierarchy: one summary page, then the log ----
# (its root key RSA-2048 rather than 4096: the record's shape is the same, SoftHSM quicker)
# print_pdf HTML PDF: Chromium, headless, as a witness's browser prints it
print_pdf() {
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	    --disable-background-networking --disable-component-update --disable-sync \
	    --user-data-dir="$(mktemp -d "$WORK/chromium.XXXXXX")" --print-to-pdf="$2" \
	    "file://$1" >/dev/null 2>&1
}
new_softhsm
init_token demo-root >/dev/null && init_token demo-issuing >/dev/null
mkdir -p "$WORK/h/out" && cd "$WORK/h" && sed 's/rsa-mod-length: 4096/rsa-mod-length: 2048/' "$TOP/ceremonies/hierarchy.yaml" > hierarchy.yaml
CEREMONY_PIN=$PIN ISSUING_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" hierarchy.yaml >run.out 2>&1 ||
    fail "the hierarchy runs" "$(cat run.out)"
H=hierarchy.transcript.jsonl
"$CEREMONY" transcript show --html "$H" > witness.html && print_pdf "$WORK/h/witness.html" "$WORK/h/witness.pdf"
pdftotext -layout -f 1 -l 1 witness.pdf page1.txt 2>/dev/null
pdftotext -layout -f 2 -l 2 witness.pdf page2.txt 2>/dev/null
pages=$(pdfinfo witness.pdf 2>/dev/null | sed -n 's/^Pages: *//p')
grep -q 'Appendix: every record, in order' page2.txt && ! grep -q 'Appendix' page1.txt &&
    pass "the witness record's summary is one page; the event log follows from page 2 ($pages pages)" ||
    fail "summary on one page" "$(cat page1.txt)"
missing=""
for v in $(jq -r 'select(.event == "key-generated") | .data.public_key.spki_sha256, .data.label' "$H" | tr ' ' '_') \
    $(jq -r 'select(.event == "certificate-signed") | .data.certificate | .sha256, .serial' "$H") \
    $(jq -r 'select(.event == "output" and .data.kind == "certificate") | .data.path' "$H") \
    demo-root demo-issuing; do
	tr -s ' \n' ' ' < page1.txt | tr ' ' '\n' | grep -q -- "${v%%_*}" || missing="$missing $v"
done
[ -z "$missing" ] && pass "page 1: every key's SPKI SHA-256 and label, every certificate's SHA-256, serial and file" ||
    fail "page 1 lacks:$missing" "$(cat page1.txt)"
HD=$(chain_ok "$H")
grep -q "${HD:0:16}" page1.txt && grep -q 'Anything unusual' page1.txt &&
    grep -q 'a rehearsal on SoftHSM: dates judged as of 2026-12-01T12:00:00Z' page1.txt &&
    [ "$(grep -o 'Signature' page1.txt | wc -l)" = 6 ] && grep -q '2046-11-30 23:59:59' page1.txt &&
    pass "page 1: validity, anything unusual (the --at rehearsal), the final digest, six signature boxes" ||
    fail "page 1: digest, unusual, boxes" "$(cat page1.txt)"
words=$(sed -n 's/^final digest in PGP words: //p' run.out | cut -d' ' -f1-4)
tr -s ' \n' ' ' < page1.txt | grep -q "$words" && pass "page 1: the digest in PGP words" ||
    fail "page 1: PGP words ($words)" "$(cat page1.txt)"
grep -q 'cert.signature.*not applicable at this stage' witness.html && ! grep -q 'skipped on request' witness.html &&
    pass "cert.signature at the plan and pre-issuance stages: not applicable, not a skipped error" ||
    fail "cert.signature shown as" "$(grep -o 'cert.signature[^<]*<[^<]*<[^<]*' witness.html | head -3)"
"$CEREMONY" transcript show "$H" > shown.txt
grep -q '^ Anything unusual' shown.txt && grep -q 'Appendix: every record, in order' shown.txt &&
    pass "transcript show (text): the same summary first" || fail "text summary" "$(head -30 shown.txt)"
m=$(grep '^ *mechanisms ' shown.txt)
grep -q 'CKM_RSA_PKCS (3 times)' <<<"$m" && [ "$(grep -o 'CKM_RSA_PKCS\b[^_]' <<<"$m" | wc -l)" = 1 ] &&
    ! grep -Eq '^ *curve *$' shown.txt &&
    pass "transcript show: each mechanism once with its count; no empty curve row for the RSA key" ||
    fail "transcript show: mechanisms and curve rows" "$m"$'\n'"$(grep -n '^ *curve' shown.txt)"

# Something unusual: a warning, a skip with its reason, an error and a failed end, each
# named on page 1 (a real transcript with those records put in, the chain made again).
jq -c 'if .event == "lint" and .data.step == "e1" and .data.stage == "post-issuance" then
    .data.skipped = [{"name": "subca.validity", "rule": "subca.validity", "effect": "skipped",
      "reason": "the parent CA policy allows four years"}]
    | .data.verdicts += [{"rule": "cert.example_warning", "severity": "warning",
      "citation": "BR 0", "verdict": "fail", "message": "an example warning"}]
  elif .event == "end" then .data.status = "failed" else . end' "$H" > odd0.jsonl
n=$(wc -l < odd0.jsonl)
{ head -n $((n - 1)) odd0.jsonl
  jq -c --argjson s $((n - 1)) '.seq = $s | .event = "error" |
      .data = {"code": -13, "message": "step o1: an example failure"}' <(tail -n1 odd0.jsonl)
  jq -c --argjson s "$n" '.seq = $s' <(tail -n1 odd0.jsonl); } > odd1.jsonl
rechain odd1.jsonl odd.jsonl
"$CEREMONY" transcript show --html odd.jsonl > odd.html 2>odd.err && print_pdf "$WORK/h/odd.html" "$WORK/h/odd.pdf"
pdftotext -layout -f 1 -l 1 odd.pdf odd1.txt 2>/dev/null
tr -s ' \n' ' ' < odd1.txt > odd1.flat
grep -q 'step e1 skips lint subca.validity: skipped; reason: the parent CA policy allows four years' odd1.flat &&
    grep -q 'step e1: lint cert.example_warning (warning) found: an example warning' odd1.flat &&
    grep -q 'ERROR: step o1: an example failure' odd1.flat && grep -q 'the ceremony FAILED' odd1.flat &&
    grep -q 'FAILED\.' odd1.flat &&
    pass "page 1 names a warning, a skip with its reason, an error and a failed end" ||
    fail "unusual on page 1" "$(cat odd.err odd1.txt)"

done_tests
