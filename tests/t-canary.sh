#!/usr/bin/env bash
# tests/t-canary.sh: a canary PIN, given through env:, file:, fd: and the terminal prompt to
# check, rehearse, run and run --resume, is found nowhere: not in stdout or stderr, the
# terminal, the transcript, the outputs, the token's files, nor in /proc/PID/environ or
# /proc/PID/cmdline sampled while the run waits at a confirmation.  And a crash inside the
# PKCS#11 module (tests/crashmod.c) at C_Initialize or C_Login writes no core holding it.
source "$(dirname "$0")/lib.sh"

CANARY="canary-$$-Zq7x"
CRASHMOD=$TOP/build/crashmod.so
[ -f "$CRASHMOD" ] || make -C "$TOP" -s build/crashmod.so >/dev/null || exit 1
new_softhsm
init_token demo-root "$CANARY" >/dev/null
TOKENS=${SOFTHSM2_CONF%/softhsm2.conf}/tokens
cd "$WORK" || exit 1
printf '%s\n' "$CANARY" > pinfile
chmod 600 pinfile
EVIDENCE=$WORK/evidence
mkdir -p "$EVIDENCE"

# mkscript NAME PIN-SOURCE [MODULE]: the example root, its key and outputs named NAME
mkscript() {
	sed -e "s|pin: env:CEREMONY_PIN|pin: $2|" -e "s|label: R1 signing key|label: $1 key|" \
	    -e "s|out/|$1/|" -e "s|/usr/lib/softhsm/libsofthsm2.so|${3:-$MODULE}|" \
	    "$TOP/ceremonies/root-p384.yaml" > "$1.yaml"
	mkdir -p "$1"
}

# at_pty NAME COMMAND...: COMMAND at a pseudo-terminal (script(1)); typing the canary when
# a PIN is asked for, and yes at each confirmation after sampling the process's
# environment and command line into the evidence.  Its terminal output is NAME.tty.
at_pty() {
	local name=$1 i pid asked=0; shift
	: > "$name.tty"
	{
		for i in $(seq 600); do
			if [ "$asked" = 0 ] && grep -q 'PIN for token' "$name.tty"; then
				printf '%s\n' "$CANARY"; asked=1
			fi
			grep -q 'Type yes' "$name.tty" && break
			sleep 0.05
		done
		sample "$name" "$(cat "$name.pid")"
		printf 'yes\n'
		for i in $(seq 600); do
			[ "$(grep -c 'Type yes' "$name.tty")" -ge 2 ] && break; sleep 0.05
		done
		printf 'yes\n'
	} | script -qec "echo \$\$ > $name.pid; exec $*" /dev/null > "$name.tty" 2>&1
}

# sample NAME PID: what /proc shows of the waiting process, kept as evidence
sample() {
	local f
	for f in environ cmdline; do
		if [ -n "$2" ] && cat "/proc/$2/$f" > "$EVIDENCE/$1.$f" 2>/dev/null; then
			[ -s "$EVIDENCE/$1.$f" ] || echo "empty" > "$EVIDENCE/$1.$f"
		else
			echo "unreadable" > "$EVIDENCE/$1.$f"
		fi
	done
}

# sampled NAME: both were read while the process waited; root reads even a process that
# is not dumpable, another user cannot (and that is the protection)
sampled() {
	[ "$(id -u)" != 0 ] || ! grep -qx unreadable "$EVIDENCE/$1.environ" "$EVIDENCE/$1.cmdline"
}

# ---- 1. check and rehearse, every non-interactive source ----
mkscript chk-env env:CEREMONY_PIN; mkscript chk-file "file:$WORK/pinfile"; mkscript chk-fd fd:3
for s in chk-env chk-file chk-fd; do
	CEREMONY_PIN=$CANARY "$CEREMONY" check --ready --at "$PLANNED_AT" $s.yaml \
	    >"$EVIDENCE/$s.out" 2>"$EVIDENCE/$s.err" 3<pinfile; rc=$?
	[ $rc = 0 ] && pass "check with pin: ${s#chk-} is ready" ||
	    fail "check with pin: ${s#chk-}" "$(cat "$EVIDENCE/$s.err")"
done
CEREMONY_PIN=$CANARY "$CEREMONY" rehearse --at "$PLANNED_AT" chk-env.yaml \
    >"$EVIDENCE/rehearse.out" 2>"$EVIDENCE/rehearse.err" &&
    pass "rehearse with pin: env" || fail "rehearse" "$(cat "$EVIDENCE/rehearse.err")"

# ---- 2. run with each source: --yes for env:, file:, fd:; the prompt at a terminal ----
mkscript run-env env:CEREMONY_PIN; mkscript run-file "file:$WORK/pinfile"; mkscript run-fd fd:3
for s in run-env run-file run-fd; do
	CEREMONY_PIN=$CANARY "$CEREMONY" run --yes --at "$PLANNED_AT" $s.yaml \
	    >"$EVIDENCE/$s.out" 2>"$EVIDENCE/$s.err" 3<pinfile &&
	    [ -s $s/r1.cert.pem ] && pass "run with pin: ${s#run-}" ||
	    fail "run with pin: ${s#run-}" "$(cat "$EVIDENCE/$s.err")"
done
mkscript run-prompt prompt
at_pty run-prompt "$CEREMONY" run --at "'$PLANNED_AT'" run-prompt.yaml
[ -s run-prompt/r1.cert.pem ] && grep -q "PIN for token '[a-z0-9-]*' (label '[^']*', serial [0-9a-f]*): " run-prompt.tty &&
    sampled run-prompt &&
    pass "run with pin: prompt, at a terminal, naming the token's label and serial; environ and cmdline sampled at the confirmation" ||
    fail "run with pin: prompt" "$(cat run-prompt.tty)"

# ---- 3. env: at a terminal: sampled while waiting, stopped there, then --resume ----
mkscript run-wait env:CEREMONY_PIN
: > run-wait.tty
{
	for i in $(seq 600); do grep -q 'Type yes' run-wait.tty && break; sleep 0.05; done
	sample run-wait "$(cat run-wait.pid)"
	kill -TERM "$(cat run-wait.pid)"
} | CEREMONY_PIN=$CANARY script -qec "echo \$\$ > run-wait.pid; exec $CEREMONY run --at \
    '$PLANNED_AT' run-wait.yaml" /dev/null > run-wait.tty 2>&1
grep -q 'interrupted by' run-wait.tty && sampled run-wait &&
    [ "$(tail -n1 run-wait.transcript.jsonl | jq -r .data.status)" = failed ] &&
    pass "env: at a terminal: environ and cmdline sampled at the confirmation; SIGTERM stops it" ||
    fail "env: at a terminal, stopped" "$(cat run-wait.tty)"
CEREMONY_PIN=$CANARY "$CEREMONY" run --yes --at "$PLANNED_AT" --resume run-wait.transcript.jsonl \
    run-wait.yaml >"$EVIDENCE/resume.out" 2>"$EVIDENCE/resume.err" && [ -s run-wait/r1.cert.pem ] &&
    pass "run --resume with pin: env" || fail "run --resume" "$(cat "$EVIDENCE/resume.err")"

# ---- 4. nowhere: every file this test made, the token's files, the /proc samples ----
found=$(grep -rlaF -- "$CANARY" "$EVIDENCE" "$TOKENS" ./*.tty ./*.jsonl ./run-* ./chk-* 2>/dev/null)
[ -z "$found" ] &&
    pass "the canary PIN is in no stdout, stderr, terminal, transcript, output, token file, environ or cmdline" ||
    fail "the canary PIN leaked" "$found"
[ "$(jq -r 'select(.event == "login") | .data.pin_source' ./*.transcript.jsonl | sort -u | paste -sd,)" = \
  "env:CEREMONY_PIN,fd:3,file:$WORK/pinfile,prompt" ] &&
    pass "the transcripts name each PIN source, never a PIN" || fail "PIN sources recorded"

# ---- 5. a crash in the module: no core, or none holding the PIN ----
pattern=$(cat /proc/sys/kernel/core_pattern)
mkdir -p "$WORK/crash" && cd "$WORK/crash" || exit 1
# control: this sandbox writes cores where core_pattern says (here, or piped elsewhere)
(ulimit -c unlimited; bash -c 'kill -SEGV $$') 2>/dev/null
ls core* >/dev/null 2>&1 && cores=1 || cores=0
rm -f core*
for at in C_Initialize C_Login; do
	sed -e "s|$MODULE|$CRASHMOD|" "$WORK/run-env.yaml" > crash.yaml
	sed -i -e "s|label: run-env key|label: crash-$at|" -e "s|run-env/|out-$at/|" crash.yaml
	mkdir -p "out-$at"
	# (a sanitizer build must die of the signal too, not report it: handle_segv=0)
	(ulimit -c unlimited; CEREMONY_PIN=$CANARY CRASHMOD_AT=$at CRASHMOD_REPORT=$PWD/report-$at \
	    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0" \
	    exec "$CEREMONY" run --yes --at "$PLANNED_AT" crash.yaml >/dev/null 2>&1); rc=$?
	rm -f crash.transcript.jsonl*
	if [ $rc = 139 ] && grep -qx "at=$at" "report-$at" && grep -qx dumpable=0 "report-$at" &&
	    grep -qx core=0 "report-$at" && ! grep -qaF -- "$CANARY" "report-$at"; then
		pass "crash at $at: not dumpable, RLIMIT_CORE 0, the PIN gone from the environment"
	else
		fail "crash at $at (exit $rc)" "$(head -n3 "report-$at" 2>/dev/null)"
	fi
	if [ $cores = 1 ]; then
		{ ! ls core* >/dev/null 2>&1 || ! grep -qaF -- "$CANARY" core*; } &&
		    pass "crash at $at: no core file holds the PIN (core_pattern '$pattern' writes cores here)" ||
		    fail "crash at $at: a core holds the PIN" "$(ls -l core*)"
	else
		pass "crash at $at: cores go to '$pattern', not here: shown not dumpable instead"
	fi
	rm -f core*
done

done_tests
