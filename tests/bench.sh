#!/usr/bin/env bash
# tests/bench.sh (make bench): the full hierarchy of bench/hierarchy.yaml by `ceremony run`,
# by the manual route (bench/manual.sh) and by the bare PKCS#11 calls (build/floor),
# interleaved round by round; the PKCS#11 calls of each, counted by tests/p11fault.c; an
# RSA-4096 root against the token's and the software's key generation; a CRL of 100 000
# entries against `openssl ca -gencrl`; 10 000 OCSP responses against the raw C_Sign rate;
# `ceremony lint` on 10 000 certificates.  Writes docs/benchmarks.md.  Token creation is
# never timed: each round starts from copies of initialised tokens.  Work files on tmpfs
# (/dev/shm) when there is one: fsync there costs nothing, so the figures are the work's,
# and one row shows the disk.  No figure here is a test: nothing fails on a slow machine.
#
# ROUNDS (9) hierarchy rounds, RSA_ROUNDS (11), OCSP_N (10000), CRL_N (100000), LINT_N (10000).
# The measurements stay in build/bench/; RENDER_ONLY=1 writes the file again from them
# (bench/analysis.md, the profile's evidence, goes at its end).
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=${TMPDIR:-/dev/shm}
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-9} RSA_ROUNDS=${RSA_ROUNDS:-11}
OCSP_N=${OCSP_N:-10000} CRL_N=${CRL_N:-100000} LINT_N=${LINT_N:-10000}
OUT=$TOP/docs/benchmarks.md RES=$TOP/build/bench
FLOOR=$TOP/build/floor SHIM=$TOP/build/libp11fault.so
AT='2026-12-01 12:00:00'
export BENCH_PIN=$PIN
die() { echo "bench: $*" >&2; exit 1; }
[ -x "$FLOOR" ] && [ -f "$SHIM" ] || die "run: make build/floor build/libp11fault.so"
[ -x /usr/bin/time ] || { [ "$(id -u)" = 0 ] &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; } ||
	die "run: sudo apt-get install -y time"

# stats: median, then min-max, of the numbers on stdin ("M (A-B)")
stats() { sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2;
	printf "%g (%g-%g)", m, a[1], a[NR] }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
mean() { awk '{ s += $1 } END { printf "%.0f", s / NR }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# timed FILE CMD...: runs CMD, appends "WALL_MS CPU_MS" (CPU: user + system, children
# included) to FILE; CMD's output goes to timed.out
timed() {
	local f=$1 t0 t1; shift
	t0=$(date +%s%N)
	/usr/bin/time -o "$WORK/time" -f '%U %S' "$@" >"$WORK/timed.out" 2>&1 ||
	    { cat "$WORK/timed.out" >&2; die "failed: $*"; }
	t1=$(date +%s%N)
	echo "$(( (t1 - t0) / 1000000 )) $(awk '{ printf "%.0f", ($1 + $2) * 1000 }' "$WORK/time")" >>"$f"
}
col() { cut -d' ' -f"$1" "$2"; }

measure() {
rm -rf "$RES"; mkdir -p "$RES"
# ---- the full hierarchy, three ways, interleaved ----
new_softhsm
ROOT_SLOT=$(init_token bench-root) ISSUING_SLOT=$(init_token bench-issuing)
HSM=${SOFTHSM2_CONF%/softhsm2.conf}
cp -a "$HSM/tokens" "$HSM/pristine"
fresh() {	# fresh DIR: copies of the initialised tokens, an empty DIR/out; cd DIR
	rm -rf "$HSM/tokens" "$1"; cp -a "$HSM/pristine" "$HSM/tokens"; mkdir -p "$1/out"; cd "$1"
}
run_ceremony() { fresh "$WORK/c"; cp "$TOP/bench/hierarchy.yaml" h.yaml; timed "$RES/t.cer" "$CEREMONY" run --yes --at "$AT" h.yaml; }
run_manual() { fresh "$WORK/m"; timed "$RES/t.man" bash "$TOP/bench/manual.sh" out; }
run_floor() { fresh "$WORK/f"; timed "$RES/t.flo" "$FLOOR" hierarchy "$MODULE" "$ROOT_SLOT" "$ISSUING_SLOT" "$PIN"; }
for r in $(seq "$ROUNDS"); do	# the order turns each round
	case $((r % 3)) in
	0) run_ceremony; run_manual; run_floor ;;
	1) run_manual; run_floor; run_ceremony ;;
	2) run_floor; run_ceremony; run_manual ;;
	esac
done
# what each made verifies
(cd "$WORK/c/out" && openssl verify -x509_strict -attime "$(date -d "$AT" +%s)" -CAfile b1.cert.pem \
    bi1.cert.pem bo1.cert.pem >/dev/null) || die "the ceremony's hierarchy does not verify"
(cd "$WORK/m/out" && openssl verify -CAfile b1.pem bi1.pem bo1.pem >/dev/null && [ -s bi1.bo1.ocsp.der ]) ||
    die "the manual route's hierarchy does not verify"
c_wall=$(col 1 "$RES/t.cer" | median) m_wall=$(col 1 "$RES/t.man" | median) f_wall=$(col 1 "$RES/t.flo" | median)
c_cpu=$(col 2 "$RES/t.cer" | median) m_cpu=$(col 2 "$RES/t.man" | median) f_cpu=$(col 2 "$RES/t.flo" | median)
# the same ceremony with its files on this machine's disk: the fsyncs of outputs and transcript
DISK=$(mktemp -d "$TOP/build/bench-disk.XXXXXX")
for r in 1 2 3; do fresh "$DISK/c"; cp "$TOP/bench/hierarchy.yaml" h.yaml; timed "$RES/t.disk" "$CEREMONY" run --yes --at "$AT" h.yaml; done
nfsync=$(grep -c '"seq"' "$DISK/c/h.transcript.jsonl")
rm -rf "$DISK"

# ---- PKCS#11 calls by function, through the counting shim ----
sed "s|$MODULE|$SHIM|" "$TOP/bench/hierarchy.yaml" >"$WORK/hs.yaml"
fresh "$WORK/calls"; cp "$WORK/hs.yaml" h.yaml
P11FAULT_BYNAME=$RES/calls.cer "$CEREMONY" run --yes --at "$AT" h.yaml >/dev/null 2>&1 || die "the counted ceremony failed"
fresh "$WORK/calls"
P11FAULT_BYNAME=$RES/calls.flo "$FLOOR" hierarchy "$SHIM" "$ROOT_SLOT" "$ISSUING_SLOT" "$PIN" || die "the counted floor failed"
calls_table=$(awk 'FNR == NR { c[$1] = $2; o[++n] = $1; next } { f[$1] = $2; if (!($1 in c)) o[++n] = $1 }
	END { for (i = 1; i <= n; i++) { k = o[i]; printf "| `%s` | %d | %d |\n", k, c[k], f[k]; tc += c[k]; tf += f[k] }
	printf "| all | %d | %d |", tc, tf }' "$RES/calls.cer" "$RES/calls.flo")

# ---- an RSA-4096 root: the ceremony against the two key generations it contains ----
NB=$(date -u -d '-1 hour' '+%Y-%m-%d %H:%M:%S') NA=$(date -u -d '+20 years -2 hours' '+%Y-%m-%d %H:%M:%S')
cat >"$WORK/rsa.yaml" <<YAML
tokens:
  t: {module: $MODULE, token-label: bench-root, pin: env:BENCH_PIN}
steps:
  - id: root
    ceremony-type: root
    token: t
    label: bench rsa root
    key: {type: rsa, rsa-mod-length: 4096}
    outputs: {public-key-path: out/pub.pem, certificate-path: out/cert.pem}
    certificate-profile:
      signature-algorithm: SHA384WithRSA
      common-name: Bench RSA Root
      organization: Bench CA
      country: US
      not-before: $NB
      not-after: $NA
YAML
for r in $(seq "$RSA_ROUNDS"); do
	fresh "$WORK/rsa"; cp "$WORK/rsa.yaml" .
	timed "$RES/t.rsa" "$CEREMONY" run --yes rsa.yaml
	fresh "$WORK/rsak"; timed "$RES/t.tokproc" "$FLOOR" keygen "$MODULE" "$ROOT_SLOT" "$PIN" 4096
	cat "$WORK/timed.out" >>"$RES/t.tokkey"
	timed "$RES/t.softkey" openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out /dev/null
done
cp "$WORK/rsa/out/cert.pem" "$WORK/rsa-root.pem"
rsa_ms=$(col 1 "$RES/t.rsa" | median) tok_ms=$(median <"$RES/t.tokkey") soft_ms=$(col 1 "$RES/t.softkey" | median)
rsa_cpu=$(col 2 "$RES/t.rsa" | median) tok_cpu=$(col 2 "$RES/t.tokproc" | median) soft_cpu=$(col 2 "$RES/t.softkey" | median)
# the target compares a sum: means add up, medians of right-skewed times do not
rsa_mean=$(col 1 "$RES/t.rsa" | mean) tok_mean=$(mean <"$RES/t.tokkey") soft_mean=$(col 1 "$RES/t.softkey" | mean)

# ---- a CRL of CRL_N entries: the crl step against openssl ca -gencrl ----
TU=$(date -u -d '-30 minutes' '+%Y-%m-%d %H:%M:%S') NU=$(date -u -d '+300 days -30 minutes' '+%Y-%m-%d %H:%M:%S')
fresh "$WORK/crl"
cat >root.yaml <<YAML
tokens: {t: {module: $MODULE, token-label: bench-root, pin: env:BENCH_PIN}}
steps:
  - {id: root, ceremony-type: root, token: t, label: bench root, key: {type: ecdsa, ecdsa-curve: P-384},
     outputs: {public-key-path: out/pub.pem, certificate-path: out/cert.pem},
     certificate-profile: {signature-algorithm: ECDSAWithSHA384, common-name: Bench Root,
       organization: Bench, country: US, not-before: $NB, not-after: $NA}}
YAML
"$CEREMONY" run --yes root.yaml >/dev/null 2>&1 || die "the CRL's root failed"
head -c $((CRL_N * 16)) /dev/urandom | od -An -v -tx1 | tr -d ' \n' | fold -w32 |
    awk -v d="${NB/ /T}Z" '{ print "5" substr($0, 2) " superseded " d }' >serials.txt
cat >crl.yaml <<YAML
tokens: {t: {module: $MODULE, token-label: bench-root, pin: env:BENCH_PIN}}
steps:
  - {id: crl, ceremony-type: crl, inputs: {issuer-certificate-path: out/cert.pem}, token: t,
     label: bench root, outputs: {crl-path: out/crl.pem}, crl-profile: {number: 1,
     this-update: $TU, next-update: $NU, scope: full, revoked-serials-path: serials.txt}}
YAML
mkdir -p ossl
openssl ecparam -genkey -name secp384r1 -noout -out ossl/ca.key 2>/dev/null
openssl req -new -x509 -key ossl/ca.key -subj '/C=US/O=Bench/CN=Bench Root' -days 7300 \
    -addext 'keyUsage=critical,keyCertSign,cRLSign' -out ossl/ca.pem 2>/dev/null
awk '{ printf "R\t401231000000Z\t%s,superseded\t%s\tunknown\t/CN=x\n", d, toupper($1) }' \
    d="$(date -u -d "$NB" +%y%m%d%H%M%SZ)" serials.txt >ossl/index.txt
echo 01 >ossl/crlnumber
printf '[ca]\ndefault_ca = c\n[c]\ndatabase = ossl/index.txt\ncertificate = ossl/ca.pem\n%s\n' \
    'private_key = ossl/ca.key
crlnumber = ossl/crlnumber
default_md = sha384
default_crl_days = 300
crl_extensions = ext
[ext]
authorityKeyIdentifier = keyid' >ossl/ca.cnf
crl_check() { [ "$(openssl crl -in out/crl.pem -noout -text | grep -c 'Serial Number:')" = "$CRL_N" ] ||
	die "the CRL of $CRL_N entries is not whole"; }
for r in 1 2 3; do
	rm -f out/crl.pem crl.transcript.jsonl
	t0=$(date +%s%N)
	/usr/bin/time -o "$WORK/time" -f %M "$CEREMONY" run --yes crl.yaml >/dev/null 2>&1 || die "crl step"
	echo "$(( ($(date +%s%N) - t0) / 1000000 )) $(cat "$WORK/time")" >>"$RES/t.crl"; crl_check
	rm -f out/crl.pem
	t0=$(date +%s%N)
	/usr/bin/time -o "$WORK/time" -f %M openssl ca -config ossl/ca.cnf -gencrl -out out/crl.pem >/dev/null 2>&1 || die "openssl ca"
	echo "$(( ($(date +%s%N) - t0) / 1000000 )) $(cat "$WORK/time")" >>"$RES/t.ossl"; crl_check
done
crl_bytes=$(openssl crl -in out/crl.pem -outform DER | wc -c)

# ---- OCSP_N responses in one step, against the raw C_Sign rate of the same key ----
mkdir -p "$WORK/go" && cp "$TOP/tests/pki/pki.go" "$WORK/go/"
(cd "$WORK/go" && GOCACHE=$WORK/gocache go build -o pki pki.go) || die "tests/pki/pki.go does not build"
fresh "$WORK/ocsp"
mkdir -p pki && "$WORK/go/pki" "$PWD/pki" "$(( $(date +%s) - 86400 ))" "$OCSP_N" >/dev/null
softhsm2-util --import pki/ca.key --token bench-root --label 'bench ca' --id 01 --pin "$PIN" >/dev/null
tu=$(date -u -d '-1 hour' '+%Y-%m-%d %H:%M:%S') nu=$(date -u -d '+7 days -1 hour' '+%Y-%m-%d %H:%M:%S')
printf '%s\n' "tokens: {t: {module: $MODULE, token-label: bench-root, pin: env:BENCH_PIN}}" "steps:" \
    "  - {id: status, ceremony-type: ocsp-response, token: t, label: bench ca," \
    "     inputs: {issuer-certificate-path: pki/ca.pem, certificate-dir: pki/leaves}," \
    "     outputs: {response-der-dir: resp}," \
    "     ocsp-profile: {this-update: $tu, next-update: $nu, status: good}}" >ocsp.yaml
rm -rf resp ocsp.transcript.jsonl; mkdir resp
t0=$(date +%s%N)
/usr/bin/time -o "$WORK/time" -f %M "$CEREMONY" run --yes ocsp.yaml >/dev/null 2>&1 || die "the ocsp-response step failed"
ocsp_ms=$(( ($(date +%s%N) - t0) / 1000000 )) ocsp_kb=$(cat "$WORK/time")
[ "$(ls resp | grep -c '\.der$')" = "$OCSP_N" ] || die "the $OCSP_N OCSP responses are not all there"
ocsp_bytes=$(cat resp/*.der | wc -c)
raw=$("$FLOOR" sign "$MODULE" "$ROOT_SLOT" "$PIN" 'bench ca' "$OCSP_N") || die "floor sign"
raw_ms=$(sed 's/.* in \([0-9]*\) ms.*/\1/' <<<"$raw")

# ---- ceremony lint on LINT_N certificates in one invocation ----
lint_run() {	# NAME PEM [ISSUER]: LINT_N copies of PEM linted at once; prints the milliseconds
	local d=$WORK/lint-$1 pem i t0
	mkdir -p "$d"; pem=$(cat "$2")
	for ((i = 0; i < LINT_N; i++)); do printf '%s\n' "$pem" >"$d/$i.pem"; done
	t0=$(date +%s%N)
	(cd "$d" && "$CEREMONY" lint --at "$AT" ${3:+--issuer "$3"} -- *.pem >/dev/null 2>&1); [ $? -le 1 ] ||
	    die "ceremony lint on $1"
	echo $(( ($(date +%s%N) - t0) / 1000000 ))
	rm -rf "$d"
}
lint_int=$(lint_run int "$WORK/c/out/bi1.cert.pem" "$WORK/c/out/b1.cert.pem")
lint_rsa=$(lint_run rsa "$WORK/rsa-root.pem")
load=$(cut -d' ' -f1-3 /proc/loadavg) when=$(date -u '+%Y-%m-%d %H:%M UTC')
declare -p c_wall m_wall f_wall c_cpu m_cpu f_cpu nfsync calls_table rsa_ms tok_ms soft_ms rsa_cpu tok_cpu soft_cpu \
    rsa_mean tok_mean soft_mean crl_bytes \
    ocsp_ms ocsp_kb ocsp_bytes raw_ms lint_int lint_rsa load when ROUNDS RSA_ROUNDS OCSP_N CRL_N \
    LINT_N >"$RES/vars"
}
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", n / (ms / 1000) }'; }
[ -n "${RENDER_ONLY:-}" ] || measure
[ -f "$RES/vars" ] || die "no measurements in $RES: run make bench"
source "$RES/vars"
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
cat >"$OUT" <<MD
# Benchmarks

\`make bench\` (tests/bench.sh) measured this on $when on this project's
machine: $(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"),
$(softhsm2-util --version | sed 's/^/SoftHSM /') (file object store), $(openssl version | cut -d' ' -f1-2),
libengine-pkcs11-openssl $(dpkg-query -W -f='${Version}' libengine-pkcs11-openssl 2>/dev/null), opensc $(dpkg-query -W -f='${Version}' opensc 2>/dev/null).
The machine is shared: the load average was $load when the file was written, so wall times
carry the noise of other work; CPU times (user + system, children included) carry less.
Work files are on tmpfs (\`/dev/shm\`), where fsync costs nothing; one row shows the disk.
Each round starts from copies of initialised tokens: token creation is never timed.
Figures are medians, with the minimum and maximum in brackets.

## The full hierarchy

[bench/hierarchy.yaml](../bench/hierarchy.yaml): a P-384 root on one token; a P-384 intermediate
and a P-256 OCSP responder on a second token, both certified by the root; the root's CRL;
two OCSP responses for the intermediate (one signed by the root, one by the responder).
Three ways, interleaved in $ROUNDS rounds (the order turns each round):

- \`ceremony run --yes\`: validation, the rehearsal of every artefact with software keys and
  its lint, module load, logins, key generation with read-back and key checks, the lint of
  each exact TBS, the signature in the token, software verification, the lint of each
  artefact, outputs and the hash-chained transcript, each fsync'ed;
- the manual route, [bench/manual.sh](../bench/manual.sh): \`pkcs11-tool\` for the keys,
  \`openssl req\`, \`x509\`, \`ca -gencrl\` and \`ocsp\` through libp11's engine, 11 processes,
  no check and no record;
- the floor, [bench/floor.c](../bench/floor.c): only the PKCS#11 calls the work needs (module
  load, two logins, three key pairs, each public point read once, six signatures).

| route | wall ms | CPU ms |
|---|---|---|
| \`ceremony run\` | $(col 1 "$RES/t.cer" | stats) | $(col 2 "$RES/t.cer" | stats) |
| manual route | $(col 1 "$RES/t.man" | stats) | $(col 2 "$RES/t.man" | stats) |
| floor | $(col 1 "$RES/t.flo" | stats) | $(col 2 "$RES/t.flo" | stats) |
| \`ceremony run\`, files on the disk (3 runs) | $(col 1 "$RES/t.disk" | stats) | $(col 2 "$RES/t.disk" | stats) |

Ratios of the medians: the ceremony is **$(ratio "$c_wall" "$m_wall") × the manual route** and
**$(ratio "$c_wall" "$f_wall") × the floor** in wall time ($(ratio "$c_cpu" "$m_cpu") × and $(ratio "$c_cpu" "$f_cpu") × in CPU time);
the floor is $(ratio "$f_wall" "$m_wall") × the manual route. Targets: at most 1.3 × the floor and 0.3 × the
manual route. On the disk, each of the transcript's $nfsync records and each output is
fsync'ed before the next step: that is the difference between the first and the last row.

### PKCS#11 calls

Counted by function with tests/p11fault.c (\`P11FAULT_BYNAME\`), the same shim for both.
The ceremony's calls beyond the floor's: finding the token by label (the slot list and
each slot's token info), the token's slot info and fresh flags before the login (the
transcript records them, and the PIN counters decide whether to try), each label checked
free before anything is made and alone after, a fresh CKA_ID checked unused, each key's
public half read twice and both halves' attributes read back (the transcript records them),
the mechanisms asked once per token, random serials, and the teardown. Before issue 15 the
example ceremonies/hierarchy.yaml made 452 calls, 356 of them C_GetAttributeValue (one or
two per attribute, each of which makes SoftHSM's file store reopen and lock its files);
now 94, 24 of them, and tests/t-faults.sh holds every function to its count.

| function | \`ceremony run\` | floor |
|---|---|---|
$calls_table

## An RSA-4096 root

A one-step root ceremony (RSA-4096 key on the token, SHA384WithRSA), $RSA_ROUNDS rounds, each with
the token's own RSA-4096 key generation (build/floor keygen: the C_GenerateKeyPair alone)
and a software one (\`openssl genpkey\`, what the rehearsal does). RSA key generation time
varies several-fold from one key to the next (it searches for primes), so these figures
are rough.

| what | wall ms | CPU ms |
|---|---|---|
| \`ceremony run\`: RSA-4096 root | $(col 1 "$RES/t.rsa" | stats) | $(col 2 "$RES/t.rsa" | stats) |
| token key generation (wall: the C_GenerateKeyPair; CPU: the whole process) | $(stats <"$RES/t.tokkey") | $(col 2 "$RES/t.tokproc" | stats) |
| software key generation (\`openssl genpkey\`) | $(col 1 "$RES/t.softkey" | stats) | $(col 2 "$RES/t.softkey" | stats) |

The ceremony takes **$(ratio "$rsa_mean" "$(( tok_mean + soft_mean ))") ×** the sum of the two key generations in wall time,
by the means ($rsa_mean ms against $tok_mean + $soft_mean ms; target: at most 1.3 ×). The
ceremony's own time is the sum of its two key generations' and a little more, and the
mean of a sum is the sum of the means; the median of a sum of two right-skewed times is
more than the sum of their medians, so the medians' ratio,
$(ratio "$rsa_ms" "$(( tok_ms + soft_ms ))") × in wall time and $(ratio "$rsa_cpu" "$(( tok_cpu + soft_cpu ))") × in CPU time, overstates it. Where
the time goes inside the ceremony: see "The RSA-4096 root" at the end.

## A CRL of $CRL_N entries

A \`crl\` step signing a CRL of $CRL_N entries from a serials file with a P-384 root key on
SoftHSM, against \`openssl ca -gencrl\` making the same CRL from an index.txt of the same
revocations with the key in a file; 3 runs each, alternating. The ceremony's run includes
reading and checking the file, the rehearsal (the whole CRL built, signed by a throwaway key
and linted), the CRL built again, linted before signing, signed in the token, parsed back,
compared and verified, its record in the transcript, linted again (the DER its PEM encodes), and
written. The CRL is $crl_bytes bytes of DER.

| what | wall ms | peak resident memory, KiB |
|---|---|---|
| \`ceremony run\`: the crl step | $(col 1 "$RES/t.crl" | stats) | $(col 2 "$RES/t.crl" | stats) |
| \`openssl ca -gencrl\` | $(col 1 "$RES/t.ossl" | stats) | $(col 2 "$RES/t.ossl" | stats) |

Peak memory: **$(ratio "$(col 2 "$RES/t.crl" | median)" "$(col 2 "$RES/t.ossl" | median)") ×** openssl's (target: at most 1 ×).

## $OCSP_N OCSP responses in one step

An \`ocsp-response\` step signing one good response for each of $OCSP_N certificates (made by
tests/pki/pki.go with Go's crypto/x509) with a P-256 CA key imported into the token, one run;
against build/floor signing $OCSP_N times with the same key (C_SignInit + C_Sign, the loop
alone: the raw C_Sign rate). The step reads and checks every certificate (issued by the CA:
name and signature), rehearses the first response, and builds, lints, signs in the token,
verifies as a relying party does (\`OCSP_basic_verify\`), lints again and writes (with fsync)
each response before the next, then one summary record.

| what | wall ms | per second | peak resident memory, KiB |
|---|---|---|---|
| \`ceremony run\`: $OCSP_N responses | $ocsp_ms | $(rate "$OCSP_N" "$ocsp_ms") | $ocsp_kb |
| raw C_Sign, same key | $raw_ms | $(rate "$OCSP_N" "$raw_ms") | |

The step signs at **$(awk -v a="$raw_ms" -v b="$ocsp_ms" 'BEGIN { printf "%.0f", 100 * a / b }') %** of the raw C_Sign rate (target: at least 90 %). The $OCSP_N responses
take $ocsp_bytes bytes.

## \`ceremony lint\` on $LINT_N certificates

One invocation on $LINT_N copies of one certificate, every rule, output discarded.

| what | wall ms | certificates per second |
|---|---|---|
| the P-384 intermediate above, with \`--issuer\` (its P-384 root) | $lint_int | $(rate "$LINT_N" "$lint_int") |
| the RSA-4096 root above (self-signed) | $lint_rsa | $(rate "$LINT_N" "$lint_rsa") |

Target: 5 000 a second.

MD
cat "$TOP/bench/analysis.md" >>"$OUT"
cat "$OUT"
