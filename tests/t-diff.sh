#!/usr/bin/env bash
# tests/t-diff.sh: ceremony diff-transcripts.  A rehearsal and the real run of one script
# differ only in keys, signatures, serials, tokens and times: nothing is listed, exit 0.
# A real run of a changed script, a failed or cut-off run, a pinned serial that changed:
# each difference is one line naming the step, the event and the field, exit 1; the list
# is the same every time.  A rehearsal's outputs outside the script's directory compare
# by the path the script names.
source "$(dirname "$0")/lib.sh"

SCRIPT=$TOP/ceremonies/hierarchy.yaml
export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR"

# diff_is NAME WANT-STATUS A B [EXPECTED-LINES-FILE]: the status, and exactly those lines
diff_is() {
	local name=$1 want=$2 a=$3 b=$4 exp=${5:-} out rc
	out=$("$CEREMONY" diff-transcripts "$a" "$b" 2>"$WORK/diff.err"); rc=$?
	if [ "$rc" != "$want" ]; then
		fail "$name: exit $rc, wanted $want" "$out$(cat "$WORK/diff.err")"
	elif [ -n "$exp" ] && [ "$(grep -v '^[AB]: ' <<<"$out")" != "$(cat "$exp")" ]; then
		fail "$name: the lines" "$(diff <(grep -v '^[AB]: ' <<<"$out") "$exp")"
	else
		pass "$name"
	fi
}

# ---- 1. the rehearsal, then the real run: nothing differs ----
new_softhsm
init_token demo-root >/dev/null
init_token demo-issuing >/dev/null
mkdir -p "$WORK/day/out" && cd "$WORK/day"
check "rehearsal" "$CEREMONY" rehearse --at "$PLANNED_AT" --keep "$WORK/reh" "$SCRIPT"
R=$WORK/reh/hierarchy.transcript.jsonl
check "the real run" env CEREMONY_PIN=$PIN ISSUING_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" \
    --transcript day.jsonl "$SCRIPT"
D=$WORK/day/day.jsonl
echo "no differences beyond keys, signatures, random values, token identity and times" > "$WORK/none"
diff_is "rehearsal and real run: nothing but keys, signatures, serials, tokens and times" 0 "$R" "$D" "$WORK/none"
diff_is "a transcript and itself" 0 "$D" "$D" "$WORK/none"
out=$("$CEREMONY" diff-transcripts "$R" "$D")
grep -q "^A: $R, 52 records, ok\$" <<<"$out" && grep -q "^B: $D, 52 records, ok\$" <<<"$out" &&
    pass "the header names both transcripts" || fail "header" "$out"

# ---- 2. a real run of a changed script: each change, one line ----
new_softhsm
init_token demo-root >/dev/null
init_token demo-issuing >/dev/null
mkdir -p "$WORK/changed/out" && cd "$WORK/changed"
sed -e '/common-name: Example Issuing CA E1/,/not-after/s/not-after: 2029-11-30 23:59:59/not-after: 2029-10-31 23:59:59/' \
    -e 's|crl-url: http://crl.example.com/r1.crl|crl-url: http://crl2.example.com/r1.crl|' \
    -e 's|ocsp-url: http://ocsp.example.com/|ocsp-url: http://ocsp2.example.com/|' \
    "$SCRIPT" > hierarchy.yaml
check "the changed script runs" env CEREMONY_PIN=$PIN ISSUING_PIN=$PIN "$CEREMONY" run --yes \
    --at "$PLANNED_AT" hierarchy.yaml
C=$WORK/changed/hierarchy.transcript.jsonl
old_sha=$(sha256sum "$SCRIPT" | cut -d' ' -f1) new_sha=$(sha256sum hierarchy.yaml | cut -d' ' -f1)
aia_old=$(jq -r 'select(.event=="certificate-signed" and .data.step=="e1") | .data.certificate.extensions[] | select(.oid=="1.3.6.1.5.5.7.1.1") | .value' "$R")
aia_new=$(jq -r 'select(.event=="certificate-signed" and .data.step=="e1") | .data.certificate.extensions[] | select(.oid=="1.3.6.1.5.5.7.1.1") | .value' "$C")
cdp_old=$(jq -r 'select(.event=="certificate-signed" and .data.step=="e1") | .data.certificate.extensions[] | select(.oid=="2.5.29.31") | .value' "$R")
cdp_new=$(jq -r 'select(.event=="certificate-signed" and .data.step=="e1") | .data.certificate.extensions[] | select(.oid=="2.5.29.31") | .value' "$C")
cat > "$WORK/want-changed" <<EOF
ceremony, begin: script_sha256: A "$old_sha", B "$new_sha"
step e1, certificate-signed: certificate.not_after: A "2029-11-30T23:59:59Z", B "2029-10-31T23:59:59Z"
step e1, certificate-signed: certificate.extensions[1.3.6.1.5.5.7.1.1].value: A "$aia_old", B "$aia_new"
step e1, certificate-signed: certificate.extensions[2.5.29.31].value: A "$cdp_old", B "$cdp_new"
EOF
diff_is "a changed script: its SHA-256, notAfter, AIA and CRL DP, one line each, in record order" 1 "$R" "$C" "$WORK/want-changed"
grep -q "^ceremony: 4 differences between $R and $C\$" "$WORK/diff.err" &&
    pass "a changed script: the count, on stderr" || fail "the count" "$(cat "$WORK/diff.err")"
a=$("$CEREMONY" diff-transcripts "$R" "$C" 2>&1); b=$("$CEREMONY" diff-transcripts "$R" "$C" 2>&1)
[ "$a" = "$b" ] && pass "the list is the same every time" || fail "unstable output"

# ---- 3. a cut-off run, and one that failed ----
head -n 30 "$D" > cut.jsonl
out=$("$CEREMONY" diff-transcripts "$R" cut.jsonl 2>/dev/null); rc=$?
[ $rc = 1 ] && grep -q "^B: cut.jsonl, 30 records, no end, INCOMPLETE\$" <<<"$out" &&
    grep -q '^ceremony, end: only in A$' <<<"$out" && grep -q '^step o1, certificate-signed: only in A$' <<<"$out" &&
    ! grep -q '^step r1' <<<"$out" &&
    pass "a cut-off transcript: compared, said INCOMPLETE, what it lacks listed" || fail "cut-off" "$out"
new_softhsm
init_token demo-root >/dev/null
init_token demo-issuing >/dev/null
mkdir -p "$WORK/failed/out" && cd "$WORK/failed"
# The OCSP responder's certificate cannot be written: a directory appears where it goes
# while the root's RSA-4096 key is generated.
CEREMONY_PIN=$PIN ISSUING_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" --transcript f.jsonl "$SCRIPT" \
    >stdout 2>stderr &
pid=$!
for _ in $(seq 1 2000); do grep -q '"event":"step-begin".*"step":"r1-key"' f.jsonl 2>/dev/null && break; sleep 0.01; done
mkdir out/o1.cert.pem
wait $pid; rc=$?
if [ $rc != 0 ] && [ "$(tail -n1 f.jsonl | jq -r .data.status)" = failed ]; then
	out=$("$CEREMONY" diff-transcripts "$R" f.jsonl 2>/dev/null); rc=$?
	[ $rc = 1 ] && grep -q '^ceremony, end: status: A "ok", B "failed"$' <<<"$out" &&
	    grep -q '^ceremony, end: outputs\[out/o1.cert.pem\]: only in A$' <<<"$out" &&
	    grep -q '^ceremony, error: only in B$' <<<"$out" && grep -q '^step o1, output: only in A$' <<<"$out" &&
	    pass "a failed run: its end status, the missing output and step events, the error" ||
	    fail "failed run" "$out"
else
	fail "the failed run did not fail as planned" "rc=$rc $(cat stderr)"
fi

# ---- 4. pinned serials are compared; others are random ----
pinned() {	# DIR SERIAL: runs root-p384.yaml with a pinned serial in DIR
	new_softhsm
	init_token demo-root >/dev/null
	mkdir -p "$1/out" && cd "$1"
	sed "s/      not-before: 2026-12-01 00:00:00/      serial: $2\n&/" "$TOP/ceremonies/root-p384.yaml" > root.yaml
	CEREMONY_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" root.yaml >/dev/null 2>&1 ||
	    fail "pinned serial run in $1"
}
pinned "$WORK/p1" 7a3c9e01d2b4f6a8c0e2d4f6a8b0c2e4
pinned "$WORK/p2" 7a3c9e01d2b4f6a8c0e2d4f6a8b0c2e4
pinned "$WORK/p3" 6b2d8f00c1a3e5b7d9f1c3e5b7a9d1f3
diff_is "the same pinned serial: no difference" 0 "$WORK/p1/root.transcript.jsonl" "$WORK/p2/root.transcript.jsonl"
out=$("$CEREMONY" diff-transcripts "$WORK/p1/root.transcript.jsonl" "$WORK/p3/root.transcript.jsonl" 2>/dev/null)
grep -q '^step r1, certificate-signed: certificate.serial: A "7A3C9E01D2B4F6A8C0E2D4F6A8B0C2E4", B "6B2D8F00C1A3E5B7D9F1C3E5B7A9D1F3"$' <<<"$out" &&
    pass "another pinned serial: listed" || fail "pinned serial" "$out"

# ---- 5. a rehearsal's outputs outside the script's directory compare by the script's path ----
new_softhsm
init_token boulder-root >/dev/null
mkdir -p "$WORK/abs" "$WORK/ca/certs" && cd "$WORK/abs"
sed -e "s|out/|$WORK/ca/certs/|" "$TOP/ceremonies/boulder-root-p384.yaml" > root.yaml
printf 'tokens:\n  pkcs11: {module: %s, token-label: boulder-root, pin: env:P}\n' "$MODULE" > site.yaml
check "absolute outputs: rehearsal" "$CEREMONY" rehearse --at "$PLANNED_AT" --keep "$WORK/reh-abs" root.yaml
check "absolute outputs: real run" env P=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" --site site.yaml root.yaml
[ "$(jq -r 'select(.event=="output") | .data.path' "$WORK/reh-abs/root.transcript.jsonl" | head -n1)" = \
  "$WORK/reh-abs/_absolute$WORK/ca/certs/root-signing-pub.pem" ] &&
    pass "absolute outputs: the rehearsal wrote them below its _absolute/" || fail "absolute outputs: rehearsal paths"
diff_is "absolute outputs: compared as the script names them" 0 "$WORK/reh-abs/root.transcript.jsonl" \
    root.transcript.jsonl "$WORK/none"

# ---- 6. what diff-transcripts refuses ----
cd "$WORK/day"
err=$("$CEREMONY" diff-transcripts "$D" 2>&1); rc=$?
[ $rc = 2 ] && grep -q 'usage: ceremony diff-transcripts A B' <<<"$err" && pass "one argument: usage, exit 2" ||
    fail "one argument" "rc=$rc $err"
err=$("$CEREMONY" diff-transcripts "$D" nonexistent.jsonl 2>&1); rc=$?
[ $rc = 2 ] && pass "an unreadable transcript: exit 2" || fail "unreadable" "rc=$rc $err"
sed '5s/"seq":4/"seq":9/' "$D" > broken.jsonl
err=$("$CEREMONY" diff-transcripts "$D" broken.jsonl 2>&1); rc=$?
[ $rc = 1 ] && grep -q '^ceremony: broken.jsonl:5: ' <<<"$err" && pass "a broken transcript: its line, exit 1" ||
    fail "broken" "rc=$rc $err"

done_tests
