#!/usr/bin/env bash
# tests/t-faults.sh: the example hierarchy through the fault-injecting PKCS#11 module
# (build/libp11fault.so, tests/p11fault.c), failing every call index in turn with
# CKR_DEVICE_ERROR.  Each faulted run exits 1 with one line naming the CKR_* and the step
# (or token) with its file:line:column, leaves no file that does not verify against the
# chain, and a transcript whose chain checks; a --resume without the fault (a fresh run
# when nothing was committed) finishes the hierarchy with one key pair per label and one
# certificate per step.  The teardown calls after the end record (C_Logout, C_CloseSession,
# C_Finalize) do not fail a finished ceremony: exit 0 and a warning naming the CKR_*.
#
# make test runs a sample (about 60 of the 425: every 20th index, and every call that
# generates, signs, draws random bytes, ends a search, opens a session, logs in or closes
# down, with the first read-back after each key generation); FAULTS_ALL=1 (make
# check-faults) every index.  FAULTS_JOBS=N runs N at once (2).
source "$(dirname "$0")/lib.sh"
SHIM=$TOP/build/libp11fault.so
[ -f "$SHIM" ] || { fail "build/libp11fault.so is built (make build/libp11fault.so)"; done_tests; exit; }
export CEREMONY_PIN=$PIN ISSUING_PIN=$PIN CEREMONY TOP SHIM PLANNED_AT MODULE PIN WORK
ATTIME=$(date -d '2026-12-02 12:00:00Z' +%s)
export ATTIME

# The pristine tokens, and the script with the shim as its module.
new_softhsm
init_token demo-root >/dev/null && init_token demo-issuing >/dev/null
PRISTINE=${SOFTHSM2_CONF%/softhsm2.conf}
export PRISTINE
sed -e 's/rsa-mod-length: 4096/rsa-mod-length: 2048/' -e "s|$MODULE|$SHIM|" \
    "$TOP/ceremonies/hierarchy.yaml" > "$WORK/h.yaml"

# counting mode: how many calls, and which
d=$WORK/count; mkdir -p "$d/out"; cp -a "$PRISTINE/tokens" "$d/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$d" >"$d/softhsm2.conf"
(cd "$d" && cp "$WORK/h.yaml" . && SOFTHSM2_CONF=$d/softhsm2.conf P11FAULT_LOG=$d/calls \
    P11FAULT_COUNT=$d/count "$CEREMONY" run --yes --at "$PLANNED_AT" h.yaml >run.out 2>&1) &&
    pass "counting mode: the hierarchy runs through the shim" || fail "counting run" "$(cat "$d/run.out")"
N=$(cat "$d/count" 2>/dev/null || echo 0)
[ "$N" -gt 300 ] && [ "$(wc -l <"$d/calls")" = "$N" ] &&
    pass "counting mode: $N calls, each logged by name" || fail "counting mode: $N calls"
# the teardown: from the first C_Logout after the last C_Sign
TEARDOWN=$(awk '$2 == "C_Sign" { s = $1 } $2 == "C_Logout" && s && !t { t = $1 } END { print t }' "$d/calls")

# which indexes: all, or the sample
if [ -n "${FAULTS_ALL:-}" ]; then
	seq 1 "$N" >"$WORK/indexes"
else
	# every 20th, every call that makes or signs or ends a search, each session and login,
	# the first read-back after each key generation, and the teardown
	awk '$1 % 20 == 0 || $2 ~ /^C_(GenerateKeyPair|GenerateRandom|SignInit|Sign|FindObjectsFinal|Login|OpenSession|Logout|CloseSession|Finalize|Initialize)$/ ||
	    prev == "C_GenerateKeyPair" { print $1 } { prev = $2 }' "$d/calls" >"$WORK/i1"
	sort -n -u "$WORK/i1" >"$WORK/indexes"
fi

# one I: fails call I; writes $WORK/res/I: "ok" lines, or what went wrong
one() {
	local i=$1 d=$WORK/run-$1 rc err lines f why="" keys certs
	mkdir -p "$d/out"; cp -a "$PRISTINE/tokens" "$d/tokens"
	printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$d" >"$d/softhsm2.conf"
	cd "$d" && cp "$WORK/h.yaml" . || return
	export SOFTHSM2_CONF=$d/softhsm2.conf
	P11FAULT_FAIL_AT=$i "$CEREMONY" run --yes --at "$PLANNED_AT" h.yaml >run1.out 2>run1.err
	rc=$?
	lines=$(wc -l <run1.err)
	if [ "$i" -ge "$TEARDOWN" ]; then
		[ $rc -eq 0 ] && [ "$lines" = 1 ] && grep -Eq '^ceremony: warning: .*CKR_DEVICE_ERROR' run1.err ||
		    why+="teardown call $i: exit $rc, want 0 and one warning: $(head -3 run1.err)"$'\n'
	else
		[ $rc -eq 1 ] || why+="exit $rc, want 1"$'\n'
		[ "$lines" = 1 ] || why+="$lines lines on stderr, want 1"$'\n'
		grep -Eq '^ceremony: h\.yaml:[0-9]+:[0-9]+: (step [a-z0-9-]+|token [a-z-]+): .*CKR_DEVICE_ERROR' run1.err ||
		    why+="the error does not name the place, the step or token, and the CKR_*: $(head -2 run1.err)"$'\n'
	fi
	# every file present verifies: the root by itself, the others against it
	for f in out/*.cert.pem; do
		[ -e "$f" ] || continue
		openssl verify -x509_strict -attime "$ATTIME" -CAfile out/r1.cert.pem "$f" >/dev/null 2>&1 ||
		    why+="$f is present and does not verify against out/r1.cert.pem"$'\n'
	done
	for f in out/*.pub.pem; do
		[ -e "$f" ] || continue
		jq -r 'select(.event == "key-generated") | .data.public_key_pem' h.transcript.jsonl 2>/dev/null |
		    grep -qF -- "$(sed -n 2p "$f")" || why+="$f is not a key the transcript records"$'\n'
	done
	ls out | grep -Evq '^[reo]1\.(cert|pub)\.pem$' && why+="stray files in out/: $(ls out)"$'\n'
	if [ -e h.transcript.jsonl ]; then
		"$CEREMONY" transcript verify h.transcript.jsonl >/dev/null 2>tv.err ||
		    why+="transcript verify: $(cat tv.err)"$'\n'
		[ "$i" -ge "$TEARDOWN" ] || "$CEREMONY" run --yes --at "$PLANNED_AT" --resume h.transcript.jsonl \
		    h.yaml >run2.out 2>run2.err || why+="--resume: $(cat run2.err)"$'\n'
	else
		"$CEREMONY" run --yes --at "$PLANNED_AT" h.yaml >run2.out 2>run2.err ||
		    why+="nothing committed, and a fresh run fails: $(cat run2.err)"$'\n'
	fi
	# the hierarchy is whole: three certificates that verify, one key pair per label
	openssl verify -x509_strict -attime "$ATTIME" -CAfile out/r1.cert.pem out/r1.cert.pem \
	    out/e1.cert.pem out/o1.cert.pem >/dev/null 2>&1 || why+="after the resume, the chain does not verify"$'\n'
	"$CEREMONY" transcript verify --outputs h.transcript.jsonl >/dev/null 2>tv.err ||
	    why+="after the resume, transcript verify --outputs: $(cat tv.err)"$'\n'
	certs=$(jq -r 'select(.event == "certificate-signed") | .data.step' h.transcript.jsonl | sort | uniq -d)
	[ -z "$certs" ] || why+="a second certificate for $certs"$'\n'
	keys=$(pkcs11-tool --module "$MODULE" --token-label demo-root --login --pin "$PIN" --list-objects 2>/dev/null |
	    grep -c 'Object;')
	keys+=/$(pkcs11-tool --module "$MODULE" --token-label demo-issuing --login --pin "$PIN" --list-objects 2>/dev/null |
	    grep -c 'Object;')
	[ "$keys" = 2/4 ] || why+="objects on the tokens (root/issuing) $keys, want 2/4"$'\n'
	if [ -z "$why" ]; then echo ok >"$WORK/res/$i"; rm -rf "$d"
	else printf 'call %s (%s):\n%s' "$i" "$(sed -n "${i}p" "$WORK/count/calls")" "$why" >"$WORK/res/$i"; fi
}
export -f one
export TEARDOWN

mkdir -p "$WORK/res"
start=$SECONDS
xargs -P "${FAULTS_JOBS:-2}" -I{} bash -c 'one {}' <"$WORK/indexes"
took=$((SECONDS - start))
ran=$(wc -l <"$WORK/indexes")
bad=$(grep -Lx ok "$WORK"/res/* 2>/dev/null | wc -l)
missing=$((ran - $(ls "$WORK/res" | wc -l)))
if [ "$bad" -eq 0 ] && [ "$missing" -eq 0 ]; then
	pass "CKR_DEVICE_ERROR at each of $ran of $N calls: exit 1, one line naming the CKR_* and the place, no unverified file, a transcript that checks; the resume completes with one key and one certificate each (${took}s)"
else
	fail "faults at $ran of $N calls: $bad wrong, $missing not run (${took}s)" \
	    "$(for f in $(grep -Lx ok "$WORK"/res/* | head -20); do cat "$f"; done)"
fi
done_tests
