#!/usr/bin/env bash
# t-layout.sh: the architecture holds: PKCS#11 stays in src/hsm/, no include cycle between
# modules, the layers depend downwards only, and no source file outgrows a reader.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1

CFLAGS_INC="-Isrc -D_GNU_SOURCE $(pkg-config --cflags libcrypto yaml-0.1 p11-kit-1 jansson)"

# 1. Only the hsm module sees the PKCS#11 header, directly or through any other header.
leaks=""
for f in src/*/*.c src/*/*.h; do
	case $f in src/hsm/*) continue ;; esac
	# shellcheck disable=SC2086
	if cc -std=c11 $CFLAGS_INC -M "$f" 2>/dev/null | tr ' \\' '\n\n' | grep -q 'pkcs11\.h$'; then
		leaks="$leaks $f"
	fi
done
if [ -z "$leaks" ]; then pass "PKCS#11 headers reach only src/hsm/"; else fail "PKCS#11 headers reach:$leaks"; fi

# A file's module: its folder and its name up to the first '-' (lint-cert.c is lint's).
module_of() { local d=${1%/*} b=${1##*/}; b=${b%.*}; echo "${d#src/}/${b%%-*}"; }

# 2. The module graph has no cycle: every edge A -> B where a file of A includes B's header.
edges=$WORK/edges
for f in src/*/*.c src/*/*.h; do
	a=$(module_of "$f")
	sed -n 's/^#include "\([a-z0-9]*\/[a-z0-9-]*\.h\)".*/\1/p' "$f" | while read -r h; do
		b=$(module_of "src/$h")
		[ "$a" != "$b" ] && echo "$a $b"
	done
done | sort -u > "$edges"
if out=$(tsort "$edges" 2>&1 >/dev/null) && [ -z "$out" ]; then
	pass "no include cycle between modules ($(wc -l < "$edges") edges)"
else
	fail "an include cycle between modules" "$out"
fi

# 3. Layers depend downwards: a module includes only modules of its own layer or lower ones.
layer_rank() {
	case $1 in
	base/*) echo 0 ;; hsm/* | lint/* | record/*) echo 1 ;; script/*) echo 2 ;;
	x509/*) echo 3 ;; run/*) echo 4 ;; steps/*) echo 5 ;; cli/*) echo 7 ;; *) echo 9 ;;
	esac
}
# the modules above the step types: they dispatch to the descriptors
upper() {
	case $1 in
	script/script | run/validate | run/rehearse | run/tokens | run/ceremony | run/check | run/trial | run/verify) return 0 ;;
	esac
	return 1
}
rank() { if upper "$1"; then echo 6; else layer_rank "$1"; fi; }
bad=""
while read -r a b; do
	[ "$(rank "$a")" -ge "$(rank "$b")" ] || bad="$bad $a->$b"
done < "$edges"
if [ -z "$bad" ]; then pass "every include points down the layers"; else fail "includes that point up:$bad"; fi

# 4. No source file over about 800 lines, except the linter's rule tables.
big=""
for f in src/*/*.c src/*/*.h; do
	n=$(wc -l < "$f")
	[ "$n" -le 820 ] && continue
	grep -q '^/\* rule table' "$f" && continue
	big="$big $f($n)"
done
if [ -z "$big" ]; then pass "no source file over 820 lines"; else fail "source files over 820 lines:$big"; fi

# 5. Every module has one header beside its sources, and every step type one file.
for t in key root intermediate cross ocsp-signer cross-csr crl ocsp-response; do
	if [ -f "src/steps/step-$t.c" ] && grep -q "cer_step_.*_impl = {" "src/steps/step-$t.c"; then
		pass "step type $t is one descriptor in src/steps/step-$t.c"
	else
		fail "step type $t has no descriptor file"
	fi
done

done_tests
