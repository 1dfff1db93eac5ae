#!/usr/bin/env bash
# tests/run.sh: runs every unit test (cmocka) and integration test and adds up the results.
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0 log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Sanitizer builds: full stacks, so that known leaks inside SoftHSM itself can be named.
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0:fast_unwind_on_malloc=0"
for t in build/test-*; do
	[ -x "$t" ] || continue
	echo "== $t"
	"$t" > "$log" 2>&1; rc=$?
	cat "$log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n1)
	pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
	if [ "$rc" -ne 0 ] && [ -z "$f" ]; then fail=$((fail + 1)); echo "FAIL - $t exited $rc"; fi
done
for t in tests/t-*.sh; do
	echo "== $t"
	bash "$t" > "$log" 2>&1; rc=$?
	cat "$log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n1)
	if [ -z "$line" ]; then fail=$((fail + 1)); echo "FAIL - $t ended without a result line (exit $rc)"; continue; fi
	pass=$((pass + ${line%% passed*})); f=${line#*, }; fail=$((fail + ${f%% failed}))
done
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
