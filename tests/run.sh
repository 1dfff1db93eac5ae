#!/usr/bin/env bash
# tests/run.sh: runs every unit test (cmocka) and integration test and adds up the results.
#
# The files are independent (each makes its own mktemp directory and SoftHSM token
# directory), so several run at once: nproc of them, at least 2 (TEST_JOBS=N to choose;
# TEST_JOBS=1 runs them one after the other).
# The longest start first, by the times of the last run (build/.test-times).  Each file's
# log is printed whole, in the order of the list below, as soon as it and every file
# before it have finished; then each file's time, and the sum of every file's results.
set -u
cd "$(dirname "$0")/.."
# Sanitizer builds: full stacks, so that known leaks inside SoftHSM itself can be named.
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0:fast_unwind_on_malloc=0"

jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -ge 2 ] || jobs=2
[[ ${TEST_JOBS:-} =~ ^[1-9][0-9]*$ ]] && jobs=$TEST_JOBS
times=build/.test-times
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ceremony-run.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

files=()
# TEST_FILES: the integration files to run instead of all (make check-valgrind);
# TEST_WRAP: a command the unit test binaries run under (valgrind).
for t in build/test-*; do [ -x "$t" ] && files+=("$t"); done
files+=(${TEST_FILES:-tests/t-*.sh})

# run_one I: runs file I, its output in $tmp/I.log; $tmp/I.done gets "EXIT-STATUS MILLISECONDS"
run_one() {
	local t=${files[$1]} start=${EPOCHREALTIME//[!0-9]/} rc
	if [[ $t == *.sh ]]; then bash "$t"; else ${TEST_WRAP:-} "$t"; fi >"$tmp/$1.log" 2>&1 </dev/null
	rc=$?
	echo "$rc $(( (${EPOCHREALTIME//[!0-9]/} - start) / 1000 ))" >"$tmp/$1.rc"
	mv "$tmp/$1.rc" "$tmp/$1.done"	# whole when it appears
}

# report I: prints file I's log and adds up its results
pass=0 fail=0
report() {
	local t=${files[$1]} log=$tmp/$1.log rc ms p f line
	read -r rc ms <"$tmp/$1.done"
	echo "== $t"
	cat "$log"
	if [[ $t == *.sh ]]; then
		line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n1)
		if [ -z "$line" ]; then
			fail=$((fail + 1)); echo "FAIL - $t ended without a result line (exit $rc)"
		else
			p=${line%% passed*}; f=${line#*, }; f=${f%% failed}
			pass=$((pass + p)); fail=$((fail + f))
			if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
				fail=$((fail + 1)); echo "FAIL - $t exited $rc"
			fi
		fi
	else
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n1)
		pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
		if [ -z "$p" ] && [ -z "$f" ]; then
			fail=$((fail + 1)); echo "FAIL - $t ended without a result line (exit $rc)"
		elif [ "$rc" -ne 0 ] && [ -z "$f" ]; then
			fail=$((fail + 1)); echo "FAIL - $t exited $rc"
		fi
	fi
	printf '%d.%d %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$t" >>"$tmp/times"
}

# The order to start them in: slowest last time first.  Files without a time go before
# all, from the end of the list: the integration tests, which take longest, first.
order=($(for i in "${!files[@]}"; do
	s=$(awk -v f="${files[$i]}" '$2 == f { print $1 }' "$times" 2>/dev/null)
	echo "${s:-1e9} $i"
done | sort -k1,1gr -k2,2nr | cut -d' ' -f2))

next=0 printed=0 running=0
while [ "$printed" -lt "${#files[@]}" ]; do
	while [ "$running" -lt "$jobs" ] && [ "$next" -lt "${#order[@]}" ]; do
		run_one "${order[$next]}" &
		running=$((running + 1)) next=$((next + 1))
	done
	while [ "$printed" -lt "${#files[@]}" ] && [ -e "$tmp/$printed.done" ]; do
		report "$printed"
		printed=$((printed + 1))
	done
	[ "$printed" -lt "${#files[@]}" ] || break
	wait -n	# for any one file: one more may start
	running=$((running - 1))
done

[ -w build ] && [ -z "${TEST_FILES:-}${TEST_WRAP:-}" ] && cp "$tmp/times" "$times"
echo
echo "-- seconds per file, $jobs at a time:"
sort -k1,1nr "$tmp/times" | awk '{ printf "-- %6.1f %s\n", $1, $2 }'
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
