#!/usr/bin/env bash
# tests/t-hostile.sh: the hostile-input corpus (tests/hostile/*.yaml, issue 14).
#
# Each case is a small script whose leading comments say what to do with it:
#   # hostile: CLASS        what kind of mistake it is (yaml, types, huge, ...)
#   # setup: COMMAND        run in the case directory first (mkfifo, chmod, ...)
#   # args: ARGS            the command line (default: run --yes s.yaml, or
#                           --config s.yaml --yes for a Boulder config)
#   # expect: STATUS REGEX  the exit status, and the one line of stderr after "ceremony: "
# In the text, @MODULE@, @SLOT@ and @FX@ (the fixtures directory) are replaced, and
# @R:TEXT:N@ becomes TEXT N times (huge values stay small files).
#
# Every case asserts: the exit status; stderr is exactly one line, "ceremony: " and the
# regex (which names file:line:col when a script value is at fault); stdout is empty; no
# signal and no hang (timeout); nothing in the case directory appeared, vanished or
# changed; and the token holds no object.  One token for the whole file: its object
# files are counted after each case, and pkcs11-tool lists none at the end.
source "$(dirname "$0")/lib.sh"

HOSTILE=$TOP/tests/hostile
new_softhsm
SLOT=$(init_token hostile)
TOKDIR=$(dirname "$SOFTHSM2_CONF")/tokens
export T_PIN=$PIN
unset HOSTILE_UNSET_PIN

# ---- fixtures: the certificates and keys the input cases name (openssl, no token) ----
FX=$WORK/fx
mkdir -p "$FX" && cd "$FX" || exit 1
mkca() {	# mkca OUT SUBJECT-CN [openssl req options]: a P-384 CA certificate, key in OUT.key
	local out=$1 cn=$2; shift 2
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout "$out.key" \
	    -days 7300 -subj "/C=US/O=Example CA/CN=$cn" -addext basicConstraints=critical,CA:TRUE \
	    -addext subjectKeyIdentifier=hash "$@" -out "$out" 2>/dev/null
}
KU=(-addext keyUsage=critical,keyCertSign,cRLSign)
mkca root.pem "Hostile Root" "${KU[@]}"
openssl x509 -in root.pem -outform DER -out root.der
openssl pkey -in root.pem.key -pubout -out root.pub.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out sub.key 2>/dev/null
openssl pkey -in sub.key -pubout -out sub.pub.pem
openssl pkey -in sub.key -pubout -outform DER -out sub.pub.der
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 2>/dev/null | openssl pkey -pubout -out rsa1024.pub.pem
xxd -p root.der | tr -d '\n' | sed 's/..$/00/' | xxd -r -p > badsig.der
openssl x509 -inform DER -in badsig.der -out badsig.pem
cat root.pem root.pem > two.pem
{ echo "Certificate:"; cat root.pem; } > lead.pem
{ cat root.pem; echo "trailing words"; } > trail.pem
{ cat root.der; printf 'x'; } > trail.der
head -c 200 root.der > truncated.der
cat sub.pub.pem sub.pub.pem > twokeys.pem
{ cat sub.pub.pem; echo junk; } > key-trail.pem
{ cat sub.pub.der; printf 'x'; } > key-trail.der
sed '1a Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n' root.pem > headers.pem
mkca neg.pem "Negative Serial" -set_serial -5 "${KU[@]}"
mkca long.pem "Long Serial" -set_serial 0x7f0102030405060708090a0b0c0d0e0f1011121314 "${KU[@]}"
mkca zero.pem "Zero Serial" -set_serial 0 "${KU[@]}"
mkca noku.pem "No Key Usage"
mkca nocertsign.pem "No Cert Sign" -addext keyUsage=critical,cRLSign
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout /dev/null -days 30 \
    -subj "/C=US/O=Example CA/CN=Leaf" -addext basicConstraints=critical,CA:FALSE -out leaf.pem 2>/dev/null
openssl req -new -key sub.key -subj "/CN=csr" -out csr.pem 2>/dev/null
printf 'not a certificate at all\n' > garbage.pem
: > empty.pem
head -c 2000000 /dev/zero > big.pem
for f in root.pem badsig.pem neg.pem long.pem zero.pem noku.pem leaf.pem csr.pem; do
	[ -s "$f" ] || fail "fixture $f"
done

# the token's object files (SoftHSM's file backend: one per object, besides token.object)
# seconds a case may take before it counts as a hang (memcheck is some 50 times slower)
LIMIT=30
[ -n "${CEREMONY_VALGRIND_BIN:-}" ] && LIMIT=600
objects_now() { find "$TOKDIR" -name '*.object' ! -name token.object | wc -l; }
state() { find . -printf '%p %y %s %m %T@\n' | LC_ALL=C sort; }

# hdr FILE KEY: the values of the leading "# KEY: " comment lines
hdr() { sed -n "/^# $2: /{s/^# $2: //;p}" "$1"; }

# run_case FILE
run_case() {
	local f=$1 name rc want re args setup why="" before after objs n err
	name=$(basename "$f" .yaml)
	local d=$WORK/c/$name
	mkdir -p "$d/out" && cd "$d" || return
	sed -e "s|@MODULE@|$MODULE|g" -e "s|@SLOT@|$SLOT|g" -e "s|@FX@|$FX|g" "$f" |
	    perl -pe 's/\@R:(.+?):(\d+)\@/$1 x $2/ge' > s.yaml
	while IFS= read -r setup; do bash -c "$setup" || why+="setup failed: $setup"$'\n'; done < <(hdr "$f" setup)
	args=$(hdr "$f" args)
	if [ -z "$args" ]; then
		if grep -q '^ceremony-type:' "$f"; then args="--config s.yaml --yes"; else args="run --yes s.yaml"; fi
	fi
	read -r -a ARGV <<<"$args"
	case ${ARGV[0]} in run|check) ARGV=("${ARGV[0]}" --at "$PLANNED_AT" "${ARGV[@]:1}") ;; --config) ARGV+=(--at "$PLANNED_AT") ;; esac
	before=$(state) objs=$(objects_now)
	timeout -k 5 "$LIMIT" "$CEREMONY" "${ARGV[@]}" </dev/null >"$d.stdout" 2>"$d.stderr"; rc=$?
	after=$(state)
	err=$(sed "s|$FX|@FX@|g" "$d.stderr")
	if [ -n "${HOSTILE_RECORD:-}" ]; then
		printf '%s\t%s\t%s\n' "$name" "$rc" "$(head -n1 <<<"$err")"
		cd "$WORK" && rm -rf "$d" "$d.stdout" "$d.stderr"
		return
	fi
	read -r want re < <(hdr "$f" expect)
	[ "$rc" -ge 124 ] && why+="killed or hung (exit $rc)"$'\n'
	[ "$rc" = "$want" ] || why+="exit status $rc, want $want"$'\n'
	n=$(grep -c '' "$d.stderr")
	[ "$n" -eq 1 ] || why+="stderr has $n lines, want exactly one"$'\n'
	grep -Eq -- "^ceremony: ($re)" <<<"$err" || why+="stderr does not match /$re/"$'\n'
	[ -s "$d.stdout" ] && why+="stdout is not empty"$'\n'
	[ "$before" = "$after" ] || why+="files changed: $(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | head -5)"$'\n'
	[ "$(objects_now)" = "$objs" ] || why+="the token holds $(objects_now) objects, $objs before"$'\n'
	if [ -z "$why" ]; then
		pass "$name"
		cd "$WORK" && rm -rf "$d" "$d.stdout" "$d.stderr"
	else
		fail "$name" "$why--- stderr:"$'\n'"$(head -c 2000 "$d.stderr")"$'\n'"--- stdout:"$'\n'"$(head -c 2000 "$d.stdout")"
	fi
}

for f in "$HOSTILE"/*.yaml; do run_case "$f"; done
[ -n "${HOSTILE_RECORD:-}" ] && exit 0

n=$(ls "$HOSTILE"/*.yaml | wc -l)
[ "$n" -ge 150 ] && pass "the corpus has $n cases (at least 150)" || fail "only $n cases"
for c in yaml types huge unknown dates paths inputs boulder control usage; do
	grep -lq "^# hostile: $c\$" "$HOSTILE"/*.yaml && pass "class $c is covered" || fail "class $c has no case"
done
[ "$(objects_now)" = 0 ] && pass "no object file in the token directory" || fail "object files left"
o=$(pkcs11-tool --module "$MODULE" --token-label hostile --login --pin "$PIN" --list-objects 2>/dev/null | grep -c 'Object;')
[ "$o" = 0 ] && pass "pkcs11-tool lists no object on the token" || fail "pkcs11-tool lists $o objects"
done_tests
