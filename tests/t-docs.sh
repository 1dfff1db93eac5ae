#!/usr/bin/env bash
# tests/t-docs.sh: every example in README.md and docs/ runs, and does what the docs say.
# An example is a ```yaml block right after a line "<!-- example: NAME.yaml -->".
source "$(dirname "$0")/lib.sh"
PLANNED=$(date -d '2026-12-01 12:00:00Z' +%s)

# extract FILE: writes each example of FILE to $WORK/ex/NAME.yaml and prints the names
extract() {
	awk -v dir="$WORK/ex" '
	    /<!-- example: [^ ]+ -->/ { name = $3; want = 1; next }
	    want && /^```yaml/ { out = dir "/" name; printf "" > out; inblock = 1; want = 0; next }
	    inblock && /^```/ { inblock = 0; close(out); print name; next }
	    inblock { print >> out }' "$1"
}

mkdir -p "$WORK/ex"
n=0
for doc in "$TOP/README.md" "$TOP"/docs/*.md; do
	for name in $(extract "$doc"); do
		n=$((n + 1))
		f=$WORK/ex/$name
		new_softhsm
		# Boulder examples carry a literal PIN and a slot ID: give the token that PIN.
		pin=$(sed -n 's/^ *pin: *\([0-9][0-9]*\) *$/\1/p' "$f" | head -n1)
		slot=$(init_token demo-root "${pin:-$PIN}")
		init_token demo-issuing "$PIN" >/dev/null	# the second token of the hierarchy examples
		sed -i "s/store-key-in-slot: [0-9]*/store-key-in-slot: $slot/" "$f"
		d=$WORK/run-$n; mkdir -p "$d/out"; cd "$d"
		if CEREMONY_PIN=$PIN ISSUING_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" --transcript t.jsonl "$f" >stdout 2>stderr; then
			pass "$(basename "$doc") $name: runs"
		else
			fail "$(basename "$doc") $name: runs" "$(cat stdout stderr)"
			continue
		fi
		# Every certificate verifies up to a root the example made.
		: > roots.pem; : > all.pem
		for c in out/*cert*.pem; do
			[ -e "$c" ] || continue
			cat "$c" >> all.pem
			[ "$(openssl x509 -in "$c" -noout -subject | sed 's/^subject=//')" = \
			  "$(openssl x509 -in "$c" -noout -issuer | sed 's/^issuer=//')" ] && cat "$c" >> roots.pem
		done
		for c in out/*cert*.pem; do
			[ -e "$c" ] || continue
			check "$(basename "$doc") $name: $c verifies" openssl verify -x509_strict \
			    -check_ss_sig -attime "$PLANNED" -CAfile roots.pem -untrusted all.pem "$c"
		done
		last=$(chain_ok t.jsonl) && grep -q "$last" stdout &&
		    pass "$(basename "$doc") $name: transcript chain" ||
		    fail "$(basename "$doc") $name: transcript chain" "$last"
	done
done
[ "$n" -ge 3 ] && pass "the docs hold $n runnable examples" || fail "the docs hold only $n examples"

# docs/transcript.md: its shell snippet checks a real transcript and finds a flipped byte.
snippet=$(awk '/<!-- check-transcript -->/ { want = 1; next }
    want && /^```sh/ { inb = 1; next } inb && /^```/ { exit } inb { print }' "$TOP/docs/transcript.md")
cd "$WORK/run-1"
cp t.jsonl root.transcript.jsonl
out=$(bash -c "$snippet")
[ "$out" = "final digest: $(tail -n1 root.transcript.jsonl | tr -d '\n' | sha256sum | cut -d' ' -f1)" ] &&
    pass "transcript.md: the manual check accepts a real transcript" ||
    fail "transcript.md: the manual check" "$out"
sed -i '2s/"seq":1/"seq":1 /' root.transcript.jsonl
out=$(bash -c "$snippet")
grep -q 'broken at line 3' <<<"$out" && pass "transcript.md: the manual check finds an edited line" ||
    fail "transcript.md: the manual check finds an edited line" "$out"

# README.md: the sample error is what a typo in its example really prints.
mkdir -p "$WORK/typo" && cd "$WORK/typo"
sed 's/common-name:/comon-name:/' "$WORK/ex/readme-root.yaml" > root.yaml
want=$(grep "^ceremony: root.yaml:.*comon-name" "$TOP/README.md")
got=$(CEREMONY_PIN=$PIN "$CEREMONY" check root.yaml 2>&1); rc=$?
[ $rc -eq 2 ] && [ -n "$want" ] && [ "$got" = "$want" ] &&
    pass "README.md: the sample error message is the real one" ||
    fail "README.md: the sample error message" "want: $want"$'\n'"got:  $got"

# docs/ceremony.1 names every option a command's --help lists.
missing=""
for c in run check rehearse lint verify describe diff-transcripts "transcript verify" "transcript show"; do
	for o in $("$CEREMONY" $c --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -qF -- "$(sed 's/-/\\-/g' <<<"$o")" "$TOP/docs/ceremony.1" || missing="$missing $c:$o"
	done
done
[ -z "$missing" ] && pass "ceremony(1) names every option of every command's --help" ||
    fail "ceremony(1) lacks options:$missing"

# make install puts the docs where ceremony(1) says; make uninstall removes all it installed.
d=$(mktemp -d "$WORK/install.XXXXXX")
make -s -C "$TOP" install PREFIX=/usr/local DESTDIR="$d" >/dev/null 2>&1
[ -x "$d/usr/local/bin/ceremony" ] && [ -f "$d/usr/local/share/man/man1/ceremony.1" ] &&
    [ -f "$d/usr/local/share/doc/ceremony/script.md" ] && [ -f "$d/usr/local/share/doc/ceremony/transcript.md" ] &&
    grep -q 'share/doc/ceremony/script.md' "$d/usr/local/share/man/man1/ceremony.1" &&
    pass "make install: the binary, ceremony(1), and the docs in share/doc/ceremony, where ceremony(1) points" ||
    fail "make install" "$(find "$d" -type f)"
make -s -C "$TOP" uninstall PREFIX=/usr/local DESTDIR="$d" >/dev/null 2>&1
[ -z "$(find "$d" -type f)" ] && pass "make uninstall removes every file make install wrote" ||
    fail "make uninstall left" "$(find "$d" -type f)"

done_tests
