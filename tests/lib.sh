# tests/lib.sh: shared helpers for the integration tests (sourced, bash).
# Every test gets throwaway SoftHSM tokens under its own SOFTHSM2_CONF.
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CEREMONY=${CEREMONY:-$TOP/ceremony}
MODULE=/usr/lib/softhsm/libsofthsm2.so
PIN=${PIN:-4711-$$-pin}
SO_PIN=87654321
T_PASS=0
T_FAIL=0

# The day the example scripts plan their ceremony for: runs of them rehearse it (--at).
PLANNED_AT='2026-12-01 12:00:00'

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ceremony-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

pass() { T_PASS=$((T_PASS + 1)); echo "ok - $1"; }
fail() {
	T_FAIL=$((T_FAIL + 1)); echo "FAIL - $1"
	[ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/    /'
	return 0
}
# check NAME CMD...: passes when CMD succeeds
check() { local n=$1; shift; if out=$("$@" 2>&1); then pass "$n"; else fail "$n" "$out"; fi; }

# expect NAME RC PATTERN CMD...: CMD exits RC and its stderr matches the extended regex
# PATTERN, or is empty when PATTERN is ""; its stdout and stderr stay in $WORK/out, $WORK/err
expect() {
	local name=$1 want=$2 pat=$3 rc; shift 3
	"$@" >"$WORK/out" 2>"$WORK/err"; rc=$?
	if [ "$rc" = "$want" ] && if [ -z "$pat" ]; then [ ! -s "$WORK/err" ]
	    else grep -Eq -- "$pat" "$WORK/err"; fi; then pass "$name"
	else fail "$name (exit $rc, want $want, /$pat/)" "$(cat "$WORK/err" "$WORK/out" | head -40)"; fi
}

# new_softhsm: a fresh token directory for what follows
new_softhsm() {
	local d; d=$(mktemp -d "$WORK/hsm.XXXXXX")
	mkdir -p "$d/tokens"
	printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n%s' \
	    "$d" "${1:-}" > "$d/softhsm2.conf"
	export SOFTHSM2_CONF=$d/softhsm2.conf
}

# init_token LABEL [PIN]: prints the new token's slot ID
init_token() {
	softhsm2-util --init-token --free --label "$1" --pin "${2:-$PIN}" --so-pin "$SO_PIN" |
	    sed -n 's/.*reassigned to slot \([0-9]*\).*/\1/p'
}

# token_serial LABEL
token_serial() {
	pkcs11-tool --module "$MODULE" -L 2>/dev/null | awk -v l="$1" '
	    /token label/ { lab = $0; sub(/.*: /, "", lab) }
	    /serial num/ { s = $0; sub(/.*: /, "", s); if (lab == l) print s }'
}

# objects LABEL: the objects on a token, as pkcs11-tool lists them
objects() {
	pkcs11-tool --module "$MODULE" --token-label "$1" --login --pin "${2:-$PIN}" \
	    --list-objects 2>/dev/null
}
count_objects() { objects "$@" | grep -c 'Object;' || true; }

# chain_ok TRANSCRIPT: checks the hash chain with plain sha256sum and jq
chain_ok() {
	local prev want line n=0
	want=0000000000000000000000000000000000000000000000000000000000000000
	while IFS= read -r line; do
		prev=$(printf '%s' "$line" | jq -r .prev)
		[ "$prev" = "$want" ] || { echo "line $((n + 1)): prev $prev != $want"; return 1; }
		[ "$(printf '%s' "$line" | jq -r .seq)" = "$n" ] || { echo "line $((n + 1)): bad seq"; return 1; }
		want=$(printf '%s' "$line" | sha256sum | cut -d' ' -f1)
		n=$((n + 1))
	done < "$1"
	[ "$n" -gt 0 ] || { echo "empty transcript"; return 1; }
	echo "$want"
}

# rechain IN OUT: IN with each line's prev set to the SHA-256 of the line before (lines as jq -c writes them)
rechain() {
	local prev=0000000000000000000000000000000000000000000000000000000000000000 line
	: > "$2"
	while IFS= read -r line; do
		line=$(printf '%s' "$line" | jq -c --arg p "$prev" '.prev = $p') || return 1
		printf '%s\n' "$line" >> "$2"
		prev=$(printf '%s' "$line" | sha256sum | cut -d' ' -f1)
	done < "$1"
}

# done_tests: the closing line the runner adds up
done_tests() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
