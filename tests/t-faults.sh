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
# make test runs a sample (about 25 of the 94: every 80th index, every call that
# generates, signs, draws random bytes or logs in, the first of the session, search-end
# and teardown calls, and the first read-back after each key generation); FAULTS_ALL=1 (make
# check-faults) every index.  FAULTS_RV=CKR_… fails them with another code (the
# default CKR_DEVICE_ERROR); FAULTS_JOBS=N runs N at once (2).  Each run has tokens of
# its own, made afresh (0.1 s): copies of one token would share its identity, so its lock
# (defect 2), and the runs would refuse each other.
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
d=$WORK/count; mkdir -p "$d/out"; cp -a "$PRISTINE/tokens" "$d/tokens"	# the only user of these
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$d" >"$d/softhsm2.conf"
(cd "$d" && cp "$WORK/h.yaml" . && SOFTHSM2_CONF=$d/softhsm2.conf P11FAULT_LOG=$d/calls \
    P11FAULT_COUNT=$d/count P11FAULT_BYNAME=$d/byname "$CEREMONY" run --yes --at "$PLANNED_AT" h.yaml >run.out 2>&1) &&
    pass "counting mode: the hierarchy runs through the shim" || fail "counting run" "$(cat "$d/run.out")"
N=$(cat "$d/count" 2>/dev/null || echo 0)
[ "$N" -gt 50 ] && [ "$(wc -l <"$d/calls")" = "$N" ] &&
    pass "counting mode: $N calls, each logged by name" || fail "counting mode: $N calls"
# the calls the hierarchy needs, at most (issue 15: 452 before, 356 of them C_GetAttributeValue):
# two reads per object read back, one C_Sign per signature, each token's mechanisms asked once
over=$(awk 'BEGIN { split("C_GetAttributeValue 24 C_Sign 3 C_GetMechanismList 2 C_GetMechanismInfo 3 " \
    "C_GetTokenInfo 8 C_GetSlotInfo 2 C_GetInfo 1 C_FindObjectsInit 9", m, " ");
    for (i = 1; i < length(m); i += 2) max[m[i]] = m[i + 1] }
    { t += $2 } ($1 in max) && $2 > max[$1] { print $1, $2, "> " max[$1] } END { if (t > 94) print "total", t, "> 94" }' "$d/byname")
[ -s "$d/byname" ] && [ -z "$over" ] && pass "the hierarchy makes at most 94 PKCS#11 calls, each function within its bound" ||
    fail "PKCS#11 calls over their bounds" "$over$(cat "$d/byname")"
# the teardown: from the first C_Logout after the last C_Sign
TEARDOWN=$(awk '$2 == "C_Sign" { s = $1 } $2 == "C_Logout" && s && !t { t = $1 } END { print t }' "$d/calls")

# ---- the defects of issue 14 the shim reproduces, one run each ----

# fresh NAME: a new directory $WORK/NAME with copies of the pristine tokens; cd there
fresh() {
	D=$WORK/$1; mkdir -p "$D/out" "$D/tokens"
	printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$D" >"$D/softhsm2.conf"
	export SOFTHSM2_CONF=$D/softhsm2.conf
	init_token demo-root >/dev/null && init_token demo-issuing >/dev/null
	cd "$D" && cp "$WORK/h.yaml" .
}
# faulted VAR=VALUE...: the hierarchy with these shim settings; output in run.out, run.err
faulted() { env "$@" "$CEREMONY" run --yes --at "$PLANNED_AT" h.yaml >run.out 2>run.err; }
resumed() { "$CEREMONY" run --yes --at "$PLANNED_AT" --resume h.transcript.jsonl h.yaml >res.out 2>res.err; }
one_line() { [ "$(wc -l <"${1:-run.err}")" = 1 ]; }
nobj() { count_objects "$1"; }
# ids LABEL: the CKA_IDs of the private keys on token LABEL
ids() { objects "$1" | awk '/Private Key Object/ { p = 1 } p && /ID:/ { print $2; p = 0 }'; }
events() { jq -r '.event' h.transcript.jsonl | grep -E "$1" | tr '\n' ' '; }

# defect 9: NULL entries in the function list
fresh null
faulted P11FAULT_NULL=C_FindObjectsFinal,C_Sign; rc=$?
[ $rc = 1 ] && one_line && grep -Eq '^ceremony: h\.yaml:10:13: token root-hsm: PKCS#11 module .*libp11fault\.so is refused: its function list has no C_FindObjectsFinal, C_Sign \(NULL entries\)' run.err &&
    [ ! -e h.transcript.jsonl ] && [ "$(nobj demo-root)" = 0 ] &&
    pass "defect 9: a function list with NULL entries: refused in one line naming them, no crash, nothing made" ||
    fail "defect 9: NULL entries (exit $rc)" "$(cat run.err)"

# defect 10: the real CKR_* while enumerating tokens, and of C_FindObjectsFinal
for call in C_GetSlotInfo C_GetTokenInfo; do
	fresh "enum-$call"
	faulted P11FAULT_FAIL_AT=$call P11FAULT_RV=CKR_DEVICE_REMOVED; rc=$?
	[ $rc = 1 ] && one_line && grep -Eq "^ceremony: h\.yaml:11:18: token root-hsm: $call failed with CKR_DEVICE_REMOVED \(slot ID [0-9]+\)$" run.err &&
	    pass "defect 10: $call failing while enumerating tokens: its CKR_* named, not 'no token matches'" ||
	    fail "defect 10: $call while enumerating (exit $rc)" "$(cat run.err)"
done
fresh final
faulted P11FAULT_FAIL_AT=C_FindObjectsFinal; rc=$?
[ $rc = 1 ] && one_line && grep -Eq '^ceremony: h\.yaml:18:5: step r1-key: C_FindObjectsFinal failed with CKR_DEVICE_ERROR' run.err &&
    pass "defect 10: a failed C_FindObjectsFinal is reported as itself, with the step and its place" ||
    fail "defect 10: C_FindObjectsFinal (exit $rc)" "$(cat run.err)"
fresh sign
faulted P11FAULT_FAIL_AT=C_Sign:1 P11FAULT_RV=CKR_DEVICE_REMOVED; rc=$?
[ $rc = 1 ] && one_line && grep -Eq '^ceremony: h\.yaml:24:5: step r1: C_Sign failed with CKR_DEVICE_REMOVED' run.err &&
    [ ! -e out/r1.cert.pem ] && resumed && openssl verify -x509_strict -attime "$ATTIME" -CAfile out/r1.cert.pem \
    out/e1.cert.pem out/o1.cert.pem >/dev/null 2>&1 &&
    pass "defect 10: CKR_DEVICE_REMOVED in C_Sign names the step r1 and h.yaml:24:5; --resume finishes" ||
    fail "defect 10: C_Sign (exit $rc)" "$(cat run.err res.err 2>/dev/null)"

# defect 11: a key that ignored CKA_EXTRACTABLE=false is recorded, then destroyed
fresh extractable
faulted P11FAULT_IGNORE=CKA_EXTRACTABLE; rc=$?
id=$(jq -r 'select(.event == "key-created") | .data.id' h.transcript.jsonl)
[ $rc = 1 ] && one_line && grep -Eq "^ceremony: h\.yaml:18:5: step r1-key: the new key 'R1 signing key' \(CKA_ID $id\) is refused: private key 'R1 signing key' has CKA_EXTRACTABLE = true.*it was destroyed \(key-destroyed\)" run.err &&
    [ "$(events '^key-')" = "key-created key-destroyed " ] &&
    [ "$(jq -r 'select(.event == "key-destroyed") | .data.id' h.transcript.jsonl)" = "$id" ] &&
    [ "$(nobj demo-root)" = 0 ] && [ ! -e out/r1.pub.pem ] &&
    pass "defect 11: an extractable key: key-created before the check, then destroyed and recorded; nothing written" ||
    fail "defect 11: extractable (exit $rc)" "$(cat run.err; events .)"
resumed && [ "$(nobj demo-root)" = 2 ] && [ "$(ids demo-root)" != "$id" ] && "$CEREMONY" transcript verify --outputs h.transcript.jsonl >/dev/null 2>&1 &&
    pass "defect 11: ... --resume generates a new key and finishes" || fail "defect 11: resume after destroy" "$(cat res.err)"

# ... and when the token will not destroy it: named precisely; --resume destroys it once allowed
fresh prohibited
faulted P11FAULT_IGNORE=CKA_EXTRACTABLE P11FAULT_FAIL_AT=C_DestroyObject P11FAULT_RV=CKR_ACTION_PROHIBITED; rc=$?
id=$(jq -r 'select(.event == "key-created") | .data.id' h.transcript.jsonl)
[ $rc = 1 ] && one_line && grep -q "the token would not destroy it (C_DestroyObject failed with CKR_ACTION_PROHIBITED (R1 signing key)): remove both objects with CKA_ID $id labelled 'R1 signing key'" run.err &&
    [ "$(jq -r 'select(.event == "key-refused") | .data.id' h.transcript.jsonl)" = "$id" ] &&
    [ "$(ids demo-root)" = "$id" ] &&
    pass "defect 11: a refused key the token keeps: key-refused names its CKA_ID and label, and how to remove it" ||
    fail "defect 11: not destroyed (exit $rc)" "$(cat run.err; events .)"
resumed && grep -q "destroyed key 'R1 signing key' (CKA_ID $id), refused before the interruption" res.out &&
    [ "$(nobj demo-root)" = 2 ] && [ "$(ids demo-root)" != "$id" ] &&
    pass "defect 11: ... --resume destroys that key (recorded) and finishes with a new one" ||
    fail "defect 11: resume after key-refused" "$(cat res.err res.out)"

# ... a public key read back wrong once: refused at once, and --resume is not stuck
for k in 1 2; do
	fresh "flip-$k"
	faulted P11FAULT_PUBKEY=flip:$k; rc=$?
	[ $rc = 1 ] && one_line && grep -q 'read back differently twice' run.err && [ "$(nobj demo-root)" = 0 ] &&
	    ! jq -e 'select(.event == "key-generated")' h.transcript.jsonl >/dev/null &&
	    resumed && openssl verify -x509_strict -attime "$ATTIME" -CAfile out/r1.cert.pem out/e1.cert.pem >/dev/null 2>&1 &&
	    pass "defect 11: public key read $k flipped once: refused before it is recorded; --resume finishes" ||
	    fail "defect 11: flip:$k (exit $rc)" "$(cat run.err res.err 2>/dev/null)"
done

# defect 2: the token lock, and the label re-checked after generation
fresh lock
serial=$(token_serial demo-root)
model=$(pkcs11-tool --module "$MODULE" -L 2>/dev/null | awk '/token label *: demo-root/ { t = 1 } t && /token model/ { sub(/.*: /, ""); print; exit }')
lockf=/run/lock/ceremony-token-$(printf 'SoftHSM project\n%-16s\n%s' "$model" "$serial" | sha256sum | cut -c1-32).lock
[ -d /run/lock ] || lockf=/tmp/${lockf#/run/lock/}
exec 9>>"$lockf" && flock -n 9
faulted; rc=$?
exec 9>&-
[ $rc = 1 ] && one_line && grep -Eq "^ceremony: h\.yaml:11:18: token 'demo-root' \(serial $serial\) is in use by another ceremony, which holds $lockf; wait for it to end and run again$" run.err &&
    [ ! -e h.transcript.jsonl ] && [ "$(nobj demo-root)" = 0 ] &&
    pass "defect 2: a token locked by another run: refused in one line naming the lock file, nothing made" ||
    fail "defect 2: the lock (exit $rc)" "$(cat run.err)"
faulted && [ "$(jq -r 'select(.event == "token-lock") | .data.lock_file' h.transcript.jsonl | head -1)" = "$lockf" ] &&
    pass "defect 2: ... free again: the run records its lock and finishes" || fail "defect 2: after the lock" "$(cat run.err; grep token-lock h.transcript.jsonl)"
rm -f "$lockf" "${lockf%/*}/ceremony-token-$(printf 'SoftHSM project\n%-16s\n%s' "$model" "$(token_serial demo-issuing)" | sha256sum | cut -c1-32).lock"

# two runs at once on one token with one label: one key, never two
printf 'tokens:\n  t:\n    module: %s\n    token-label: demo-root\n    pin: env:CEREMONY_PIN\nsteps:\n  - id: k\n    ceremony-type: key\n    token: t\n    label: race\n    key: {type: ecdsa, ecdsa-curve: P-256}\n    outputs: {public-key-path: race.pub.pem}\n' "$MODULE" >"$WORK/race.yaml"
ok=0 why=""
for n in 1 2 3 4; do
	fresh "race-$n"; mkdir a b; cp "$WORK/race.yaml" a/; cp "$WORK/race.yaml" b/
	(cd a && "$CEREMONY" run --yes race.yaml >out 2>err) & p1=$!
	(cd b && "$CEREMONY" run --yes race.yaml >out 2>err) & p2=$!
	wait $p1; r1=$?; wait $p2; r2=$?
	keys=$(objects demo-root | grep -c 'label: *race$')
	# the loser: the lock, or the label, or (SoftHSM's file store busy with the other
	# run) the real CKR_* of a token query; one line naming the place, whichever
	if [ $((r1 + r2)) = 1 ] && [ "$keys" = 2 ] && [ "$(cat a/err b/err | wc -l)" = 1 ] &&
	    cat a/err b/err | grep -Eq "^ceremony: race\.yaml:[0-9]+:[0-9]+: "; then
		ok=$((ok + 1))
	else why+="try $n: exits $r1 $r2, $keys objects labelled race: $(cat a/err b/err)"$'\n'; fi
done
[ $ok = 4 ] && pass "defect 2: two runs at once, 4 tries: one key pair each time, the other run refused in one line" ||
    fail "defect 2: concurrent runs" "$why"

# ... and another process making the label between the check and the generation
fresh twin
faulted P11FAULT_TWIN=1; rc=$?
[ $rc = 1 ] && one_line && grep -q "holds 4 objects labelled 'R1 signing key', not just the new pair.*it was destroyed (key-destroyed)" run.err &&
    [ "$(nobj demo-root)" = 2 ] && [ "$(events '^key-')" = "key-created key-destroyed " ] &&
    pass "defect 2: a label taken during generation: the run destroys its own pair, records it and stops" ||
    fail "defect 2: twin (exit $rc)" "$(cat run.err; events .)"
resumed; rc=$?
[ $rc = 1 ] && one_line res.err && grep -q "which this ceremony did not make" res.err && [ "$(nobj demo-root)" = 2 ] &&
    pass "defect 2: ... and --resume does not take over the other process's key" || fail "defect 2: twin resume (exit $rc)" "$(cat res.err)"

# the lying HSM: corrupt or short signatures, constant random bytes
for lie in P11FAULT_SIG=corrupt P11FAULT_SIG=short P11FAULT_RANDOM=zero P11FAULT_RANDOM=const; do
	fresh "lie-${lie#*=}"
	faulted "$lie"; rc=$?
	[ $rc = 1 ] && one_line && grep -Eq '^ceremony: h\.yaml:[0-9]+:[0-9]+: step r1(-key)?: ' run.err && [ ! -e out/r1.cert.pem ] &&
	    pass "lying HSM ($lie): exit 1 naming the step, no certificate" || fail "lying HSM $lie (exit $rc)" "$(cat run.err)"
done

# the switch of the core-dump test: a crash inside the module, at C_Login
fresh crash
( faulted P11FAULT_CRASH_AT=C_Login ) 2>/dev/null; rc=$?
[ $rc = 139 ] && pass "P11FAULT_CRASH_AT=C_Login: the process dies of SIGSEGV inside the module" ||
    fail "P11FAULT_CRASH_AT (exit $rc)"
cd "$WORK"

# which indexes: all, or the sample
if [ -n "${FAULTS_ALL:-}" ]; then
	seq 1 "$N" >"$WORK/indexes"
else
	# every 80th, every call that makes a key, draws a serial or signs, each login, the
	# first session, search end and teardown call of their kinds, and the first read-back
	# after each key generation (make test stays within its time; check-faults runs all)
	awk '$1 % 80 == 0 || $2 ~ /^C_(GenerateKeyPair|GenerateRandom|Sign|Login|Initialize)$/ ||
	    ($2 ~ /^C_(OpenSession|FindObjectsFinal|Logout|Finalize)$/ && !seen[$2]++) ||
	    prev == "C_GenerateKeyPair" { print $1 } { prev = $2 }' "$d/calls" >"$WORK/i1"
	sort -n -u "$WORK/i1" >"$WORK/indexes"
fi

# one I: fails call I; writes $WORK/res/I: "ok" lines, or what went wrong
one() {
	local i=$1 d=$WORK/run-$1 rc err lines f why="" keys certs
	mkdir -p "$d/out" "$d/tokens"
	printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$d" >"$d/softhsm2.conf"
	cd "$d" && cp "$WORK/h.yaml" . || return
	export SOFTHSM2_CONF=$d/softhsm2.conf
	init_token demo-root >/dev/null && init_token demo-issuing >/dev/null
	P11FAULT_FAIL_AT=$i P11FAULT_RV=$RV "$CEREMONY" run --yes --at "$PLANNED_AT" h.yaml >run1.out 2>run1.err
	rc=$?
	lines=$(wc -l <run1.err)
	if [ "$i" -ge "$TEARDOWN" ]; then
		[ $rc -eq 0 ] && [ "$lines" = 1 ] && grep -Eq "^ceremony: warning: .*$RV" run1.err ||
		    why+="teardown call $i: exit $rc, want 0 and one warning: $(head -3 run1.err)"$'\n'
	else
		[ $rc -eq 1 ] || why+="exit $rc, want 1"$'\n'
		[ "$lines" = 1 ] || why+="$lines lines on stderr, want 1"$'\n'
		grep -Eq "^ceremony: h\\.yaml:[0-9]+:[0-9]+: (step [a-z0-9-]+|token [a-z-]+): .*$RV" run1.err ||
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
		# the run printed the exact command that continues it: run that
		cmd=$(sed -n 's/^to continue once the cause is fixed: ceremony //p' run1.out)
		[ "$i" -ge "$TEARDOWN" ] || [ "$cmd" = "run --yes --resume h.transcript.jsonl --at 2026-12-01T12:00:00Z h.yaml" ] ||
		    why+="the resume command printed: '$cmd'"$'\n'
		[ "$i" -ge "$TEARDOWN" ] || eval "\"\$CEREMONY\" $cmd" >run2.out 2>run2.err ||
		    why+="--resume: $(cat run2.err)"$'\n'
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
export -f one init_token
RV=${FAULTS_RV:-CKR_DEVICE_ERROR}
export TEARDOWN SO_PIN RV

mkdir -p "$WORK/res"
start=$SECONDS
xargs -P "${FAULTS_JOBS:-2}" -I{} bash -c 'one {}' <"$WORK/indexes"
took=$((SECONDS - start))
ran=$(wc -l <"$WORK/indexes")
bad=$(grep -Lx ok "$WORK"/res/* 2>/dev/null | wc -l)
missing=$((ran - $(ls "$WORK/res" | wc -l)))
if [ "$bad" -eq 0 ] && [ "$missing" -eq 0 ]; then
	pass "$RV at each of $ran of $N calls: exit 1, one line naming the CKR_* and the place, no unverified file, a transcript that checks; the resume completes with one key and one certificate each (${took}s)"
else
	fail "faults at $ran of $N calls: $bad wrong, $missing not run (${took}s)" \
	    "$(for f in $(grep -Lx ok "$WORK"/res/* | head -20); do cat "$f"; done)"
fi
done_tests
