#!/usr/bin/env bash
# tests/t-resume.sh: crash safety and `ceremony run --resume`.  A ceremony stopped by a signal
# or killed with SIGKILL at random moments leaves a transcript whose chain checks and no
# partial or temporary output; --resume completes it, extends the same chain, re-checks what
# was done and never signs a step twice.  Each kill window is also hit deterministically, by
# cutting a finished transcript back to that moment.
source "$(dirname "$0")/lib.sh"
export CEREMONY_PIN=$PIN ISSUING_PIN=$PIN-2

# hsm: fresh tokens for the hierarchy
hsm() { new_softhsm; init_token demo-root >/dev/null; init_token demo-issuing "$PIN-2" >/dev/null; }
# fast hierarchy: the example with an RSA-2048 root, so that the kills land everywhere
fast() { sed 's/rsa-mod-length: 4096/rsa-mod-length: 2048/' "$TOP/ceremonies/hierarchy.yaml"; }
verify_ok() { "$CEREMONY" transcript verify --outputs "$1" >/dev/null 2>&1; }
# once STEP EVENT: how many EVENT records the transcript has for STEP
count() { jq -r --arg s "$2" --arg e "$3" 'select(.event == $e and .data.step == $s) | .seq' "$1" | grep -c . ; }
private_keys() { objects "$1" "${2:-$PIN}" | grep -c 'Private Key Object'; }

# ---- 1. SIGTERM: the run ends 'failed'; --resume continues after that end ----
hsm; mkdir -p "$WORK/term/out" && cd "$WORK/term"
# The signal lands while the second key's C_GenerateKeyPair waits inside the module (the
# fault shim's pause, tests/p11fault.c): the run is stopped mid-ceremony whatever the speed.
fast | sed "s|module: $MODULE|module: $TOP/build/libp11fault.so|" > h.yaml
P11FAULT_MODULE=$MODULE P11FAULT_PAUSE_AT=C_GenerateKeyPair:2 P11FAULT_LOG=$PWD/calls.log \
    "$CEREMONY" run --yes --at "$PLANNED_AT" h.yaml >run1.out 2>&1 &
pid=$!
for i in $(seq 1000); do [ "$(grep -c C_GenerateKeyPair calls.log 2>/dev/null)" = 2 ] && break; sleep 0.02; done
kill -TERM $pid; wait $pid; rc=$?
last=$(tail -n1 h.transcript.jsonl | jq -r '.event + "/" + .data.status')
[ $rc -eq 1 ] && [ "$last" = end/failed ] && grep -q 'interrupted by' run1.out &&
    pass "SIGTERM: the run stops through the failure path; the transcript ends failed" ||
    fail "SIGTERM: the run stops" "rc=$rc last=$last $(cat run1.out)"
if P11FAULT_MODULE=$MODULE "$CEREMONY" run --yes --at "$PLANNED_AT" --resume h.transcript.jsonl h.yaml \
    >run2.out 2>&1; then
	pass "SIGTERM: --resume completes the ceremony"
else
	fail "SIGTERM: --resume" "$(cat run2.out)"
fi
verify_ok h.transcript.jsonl && [ "$(tail -n1 h.transcript.jsonl | jq -r .data.status)" = ok ] &&
    [ "$(jq -r 'select(.event == "resume") | .data.resumed.after_seq' h.transcript.jsonl)" -gt 0 ] &&
    pass "SIGTERM: one chain: begin ... end failed, resume ... end ok; every output checks" ||
    fail "SIGTERM: the resumed transcript" "$("$CEREMONY" transcript verify --outputs h.transcript.jsonl 2>&1)"
check "SIGTERM: the chain verifies with openssl" openssl verify -x509_strict -attime \
    "$(date -d '2026-12-02 12:00:00Z' +%s)" -CAfile out/r1.cert.pem out/e1.cert.pem out/o1.cert.pem
grep -rqF -e "$PIN" out h.transcript.jsonl run1.out run2.out && fail "SIGTERM: a PIN leaked" ||
    pass "SIGTERM: neither PIN is in the outputs, the resumed transcript, stdout or stderr"
out=$("$CEREMONY" run --yes --at "$PLANNED_AT" --resume h.transcript.jsonl h.yaml 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q 'records a ceremony that finished; there is nothing to resume' <<<"$out" &&
    pass "--resume of a finished ceremony: exit 2, nothing to resume" || fail "--resume finished" "$out"
sed 's/Example Issuing CA E1/Example Issuing CA E2/' h.yaml > other.yaml
out=$("$CEREMONY" run --yes --at "$PLANNED_AT" --resume h.transcript.jsonl other.yaml 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q 'began with another script' <<<"$out" &&
    pass "--resume with another script: exit 2" || fail "--resume with another script" "$out"
out=$("$CEREMONY" run --yes --at "$PLANNED_AT" --resume h.transcript.jsonl --transcript x.jsonl h.yaml 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q 'drop --transcript' <<<"$out" && pass "--resume with --transcript: usage error" ||
    fail "--resume with --transcript" "$out"

# ---- 2. SIGKILL at random moments ----
runs=0 resumed=0 why=""
for n in $(seq 10); do
	hsm; d=$WORK/kill-$n; mkdir -p "$d/out" && cd "$d"
	fast > h.yaml
	"$CEREMONY" run --yes --at "$PLANNED_AT" h.yaml >run1.out 2>&1 &
	pid=$!
	sleep "0.$(printf '%03d' $(( (n * 97 + RANDOM) % 900 )))"
	kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
	runs=$((runs + 1))
	[ -z "$(ls -A out | grep '^\.')" ] || why+="run $n: a temporary file in out/"$'\n'
	if [ -e h.transcript.jsonl ] && [ "$(tail -n1 h.transcript.jsonl | jq -r .event)" != end ]; then
		"$CEREMONY" transcript verify --outputs h.transcript.jsonl >v.out 2>&1
		grep -q 'hash chain and sequence intact' v.out || why+="run $n: chain broken: $(cat v.out)"$'\n'
		for f in out/*; do	# every file there is whole: recorded, or identical to what the step makes
			[ -e "$f" ] || continue
			grep -q "\"path\":\"$f\"" h.transcript.jsonl || [ -s "$f" ] || why+="run $n: $f is empty"$'\n'
		done
		"$CEREMONY" run --yes --at "$PLANNED_AT" --resume h.transcript.jsonl h.yaml >run2.out 2>&1 ||
		    why+="run $n: resume failed: $(tail -n2 run2.out)"$'\n'
		resumed=$((resumed + 1))
	elif [ ! -e h.transcript.jsonl ]; then	# killed before anything could change: run again
		"$CEREMONY" run --yes --at "$PLANNED_AT" h.yaml >run2.out 2>&1 || why+="run $n: rerun failed: $(tail -n2 run2.out)"$'\n'
	fi
	verify_ok h.transcript.jsonl || why+="run $n: the final transcript does not verify"$'\n'
	[ "$(ls out | wc -l)" = 6 ] || why+="run $n: $(ls out | wc -l) outputs"$'\n'
	for s in r1 e1 o1; do
		[ "$(count h.transcript.jsonl $s certificate-signed)" = 1 ] || why+="run $n: $s signed twice"$'\n'
	done
	[ "$(private_keys demo-root)" = 1 ] && [ "$(private_keys demo-issuing "$PIN-2")" = 2 ] ||
	    why+="run $n: a key was generated twice"$'\n'
done
[ -z "$why" ] && pass "SIGKILL at $runs random moments ($resumed mid-ceremony): chain intact, no temporary or partial output, --resume completes, nothing signed or generated twice" ||
    fail "SIGKILL at random moments" "$why"

# ---- 3. every window, hit on purpose: a finished transcript cut back to the moment of the kill ----
# cut N: the first N records of the finished run, and the outputs they do not record removed
finished() {
	hsm; d=$WORK/cut-$1; mkdir -p "$d/out" && cd "$d"
	cp "$TOP/ceremonies/root-p384.yaml" r.yaml
	"$CEREMONY" run --yes --at "$PLANNED_AT" r.yaml >run1.out 2>&1 || fail "cut $1: the first run" "$(cat run1.out)"
	cp r.transcript.jsonl full.jsonl
}
cut_after() {	# EVENT STEP [NTH]: keep the records up to that one
	local seq
	seq=$(jq -r --arg e "$1" --arg s "$2" 'select(.event == $e and .data.step == $s) | .seq' full.jsonl |
	    sed -n "${3:-1}p")
	head -n $((seq + 1)) full.jsonl > r.transcript.jsonl
}
keep_recorded() { for f in out/*; do grep -q "\"path\":\"$f\"" r.transcript.jsonl || rm -f "$f"; done; }
resume_ok() {
	if "$CEREMONY" run --yes --at "$PLANNED_AT" --resume r.transcript.jsonl r.yaml >run2.out 2>&1 && verify_ok r.transcript.jsonl &&
	    check_quiet; then pass "$1"; else fail "$1" "$(cat run2.out; "$CEREMONY" transcript verify --outputs r.transcript.jsonl 2>&1)"; fi
}
check_quiet() { openssl verify -x509_strict -check_ss_sig -attime "$(date -d '2026-12-02 12:00:00Z' +%s)" \
    -CAfile out/r1.cert.pem out/r1.cert.pem >/dev/null 2>&1; }

finished keygen
cut_after confirmation r1-key; keep_recorded
resume_ok "killed between C_GenerateKeyPair and its record: the key is taken over, not made again"
[ "$(jq -r 'select(.event == "key-generated") | .data.template.adopted_after_interruption' r.transcript.jsonl)" = true ] &&
    [ "$(private_keys demo-root)" = 1 ] &&
    pass "the transcript says the key was taken over; one key on the token" || fail "adopted key" "$(objects demo-root)"

finished orphan
cut_after confirmation r1-key; keep_recorded	# C_GenerateKeyPair cut off: only the public half made
pkcs11-tool --module "$MODULE" --token-label demo-root --login --pin "$PIN" --delete-object \
    --type privkey --label 'R1 signing key' >/dev/null 2>&1
resume_ok "killed inside C_GenerateKeyPair (only the public half made): the half is removed and the key made afresh"
[ "$(jq -r 'select(.event == "orphan-removed") | .data.object.class' r.transcript.jsonl)" = CKO_PUBLIC_KEY ] &&
    [ "$(private_keys demo-root)" = 1 ] && [ "$(objects demo-root | grep -c 'Public Key Object')" = 1 ] &&
    pass "the removal is recorded; one key pair on the token" || fail "orphan removed" "$(objects demo-root)"

finished link
cut_after certificate-signed r1	# the certificate was linked into out/ but not recorded
resume_ok "killed between linking an output and its record: the file is the recorded certificate, kept"
[ "$(count r.transcript.jsonl r1 certificate-signed)" = 1 ] && cmp -s out/r1.cert.pem "$WORK/cut-link/out/r1.cert.pem" &&
    pass "the certificate is the one signed before; not signed again" || fail "not signed again"

finished sign
cut_after confirmation r1 1; keep_recorded	# the signature was confirmed; C_Sign may have run
serial=$(tail -n1 r.transcript.jsonl | jq -r .data.serial)
resume_ok "killed between the signature's confirmation and its record: signed again"
[ "$(openssl x509 -in out/r1.cert.pem -noout -serial | cut -d= -f2 | tr A-F a-f)" = "$serial" ] &&
    pass "signed again with the confirmed serial: the same certificate, never another" ||
    fail "the same serial" "want $serial, got $(openssl x509 -in out/r1.cert.pem -noout -serial)"

finished tamper
cut_after output r1-key; keep_recorded
echo tampered >> out/r1.pub.pem
before=$(wc -l < r.transcript.jsonl)
out=$("$CEREMONY" run --yes --at "$PLANNED_AT" --resume r.transcript.jsonl r.yaml 2>&1); rc=$?
[ $rc -eq 1 ] && grep -q 'r1.pub.pem' <<<"$out" && [ "$(wc -l < r.transcript.jsonl)" = "$before" ] &&
    pass "an output changed since the interruption: --resume refuses (exit 1), names it, appends nothing" ||
    fail "tampered output" "rc=$rc $out"

done_tests
