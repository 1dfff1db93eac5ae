#!/usr/bin/env bash
# tests/bench.sh (make bench): how long a ceremony takes and how much memory it needs,
# against the manual route with pkcs11-tool and openssl's libp11 engine; writes
# docs/benchmarks.md.  Medians of RUNS runs, each on a fresh throwaway SoftHSM token
# (token creation is not timed).
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-15}
OUT=$TOP/docs/benchmarks.md
NB=$(date -u -d '-1 hour' '+%Y-%m-%d %H:%M:%S')
NA=$(date -u -d '+20 years -2 hours' '+%Y-%m-%d %H:%M:%S')

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# fresh_dir: a new token 'bench' and an empty out/
fresh_dir() {
	new_softhsm
	init_token bench >/dev/null
	rm -rf "$WORK/b"; mkdir -p "$WORK/b/out"; cd "$WORK/b"
}

script_for() {	# KEY SIGALG: a one-step root ceremony on token 'bench'
	cat <<YAML
tokens:
  t: {module: $MODULE, token-label: bench, pin: env:B_PIN}
steps:
  - id: root
    ceremony-type: root
    token: t
    label: bench root
    key: $1
    outputs: {public-key-path: out/pub.pem, certificate-path: out/cert.pem}
    certificate-profile:
      signature-algorithm: $2
      common-name: Bench Root
      organization: Bench
      country: US
      not-before: $NB
      not-after: $NA
YAML
}

ceremony_ms() {	# KEY SIGALG
	local t0 t1
	fresh_dir
	script_for "$1" "$2" > root.yaml
	t0=$(now_ms)
	B_PIN=$PIN "$CEREMONY" run --yes root.yaml >/dev/null 2>&1 || { echo "ceremony failed" >&2; exit 1; }
	t1=$(now_ms)
	echo $((t1 - t0))
}

manual_ms() {	# the same P-384 root by hand: keygen in the token, self-sign through the engine
	local t0 t1
	fresh_dir
	t0=$(now_ms)
	pkcs11-tool --module "$MODULE" --token-label bench --login --pin "$PIN" --keypairgen \
	    --key-type EC:secp384r1 --label 'bench root' --id 01 >/dev/null 2>&1
	openssl req -new -x509 -engine pkcs11 -keyform engine \
	    -key "pkcs11:token=bench;object=bench%20root;type=private?pin-value=$PIN" \
	    -sha384 -days 7300 -subj '/C=US/O=Bench/CN=Bench Root' \
	    -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
	    -out out/cert.pem >/dev/null 2>&1
	t1=$(now_ms)
	openssl verify -CAfile out/cert.pem out/cert.pem >/dev/null || { echo "manual route failed" >&2; exit 1; }
	echo $((t1 - t0))
}

peak_kb() {	# KEY SIGALG: peak resident memory of one ceremony (GNU time's %M), KiB
	fresh_dir
	script_for "$1" "$2" > root.yaml
	B_PIN=$PIN /usr/bin/time -f %M "$CEREMONY" run --yes root.yaml 2>&1 >/dev/null | tail -n1
}

# ---- a CRL of 100 000 entries: the crl step against openssl ca -gencrl ----
CRL_N=100000
TU=$(date -u -d '-30 minutes' '+%Y-%m-%d %H:%M:%S')
NU=$(date -u -d '+300 days -30 minutes' '+%Y-%m-%d %H:%M:%S')

crl_setup() {	# a P-384 root on token 'bench', CRL_N serials, the crl step's script, openssl's CA
	fresh_dir
	script_for '{type: ecdsa, ecdsa-curve: P-384}' ECDSAWithSHA384 > root.yaml
	B_PIN=$PIN "$CEREMONY" run --yes root.yaml >/dev/null 2>&1 || { echo "root failed" >&2; exit 1; }
	head -c $((CRL_N * 16)) /dev/urandom | od -An -v -tx1 | tr -d ' \n' | fold -w32 |
	    awk -v d="${NB/ /T}Z" '{ print "5" substr($0, 2) " superseded " d }' > serials.txt
	printf 'tokens: {t: {module: %s, token-label: bench, pin: "env:B_PIN"}}\nsteps:\n%s\n%s\n%s\n' \
	    "$MODULE" "  - {id: crl, ceremony-type: crl, inputs: {issuer-certificate-path: out/cert.pem}," \
	    "     token: t, label: bench root, outputs: {crl-path: out/crl.pem}, crl-profile: {number: 1," \
	    "     this-update: $TU, next-update: $NU, scope: full, revoked-serials-path: serials.txt}}" > crl.yaml
	# openssl ca: a software P-384 root and an index.txt of the same revocations
	mkdir -p ossl
	openssl ecparam -genkey -name secp384r1 -noout -out ossl/ca.key 2>/dev/null
	openssl req -new -x509 -key ossl/ca.key -subj '/C=US/O=Bench/CN=Bench Root' -days 7300 \
	    -addext 'keyUsage=critical,keyCertSign,cRLSign' -out ossl/ca.pem 2>/dev/null
	awk '{ printf "R\t401231000000Z\t%s,superseded\t%s\tunknown\t/CN=x\n", d, toupper($1) }' \
	    d="$(date -u -d "$NB" +%y%m%d%H%M%SZ)" serials.txt > ossl/index.txt
	echo 01 > ossl/crlnumber
	printf '[ca]\ndefault_ca = c\n[c]\ndatabase = ossl/index.txt\ncertificate = ossl/ca.pem\n%s\n' \
	    'private_key = ossl/ca.key
crlnumber = ossl/crlnumber
default_md = sha384
default_crl_days = 300
crl_extensions = ext
[ext]
authorityKeyIdentifier = keyid' > ossl/ca.cnf
}
# crl_run: "MILLISECONDS KIB" of one crl step, or of openssl ca -gencrl with OPENSSL=1
crl_run() {
	local t0 t1 kb
	rm -f out/crl.pem crl.transcript.jsonl
	t0=$(now_ms)
	if [ -n "${OPENSSL:-}" ]; then
		kb=$(/usr/bin/time -f %M openssl ca -config ossl/ca.cnf -gencrl -out out/crl.pem 2>&1 \
		    >/dev/null | tail -n1)
	else
		kb=$(B_PIN=$PIN /usr/bin/time -f %M "$CEREMONY" run --yes crl.yaml 2>&1 >/dev/null | tail -n1)
	fi
	t1=$(now_ms)
	[ "$(openssl crl -in out/crl.pem -noout -text | grep -c 'Serial Number:')" = "$CRL_N" ] ||
	    { echo "the CRL of $CRL_N entries failed" >&2; exit 1; }
	echo "$((t1 - t0)) $kb"
}

# ---- OCSP responses in one step: 1 000 and 10 000, wall time and peak memory ----
# ocsp_setup: a software CA (tests/pki/pki.go, Go's crypto/x509) whose P-256 key is imported
# into token 'bench', OCSP_N subscriber certificates it issued, and the first 1 000 apart
ocsp_setup() {
	mkdir -p "$WORK/go" && cp "$TOP/tests/pki/pki.go" "$WORK/go/"
	(cd "$WORK/go" && GOCACHE=$WORK/gocache go build -o pki pki.go) ||
	    { echo "bench: the test PKI generator does not build" >&2; exit 1; }
	fresh_dir
	mkdir -p pki && "$WORK/go/pki" "$WORK/b/pki" "$(( $(date +%s) - 86400 ))" "$OCSP_N" >/dev/null
	softhsm2-util --import pki/ca.key --token bench --label 'bench ca' --id 01 --pin "$PIN" >/dev/null
	mkdir -p pki/first1000 && (cd pki/leaves && cp $(ls | head -n 1000) ../first1000/)
	local tu nu
	tu=$(date -u -d '-1 hour' '+%Y-%m-%d %H:%M:%S') nu=$(date -u -d '+7 days -1 hour' '+%Y-%m-%d %H:%M:%S')
	for d in leaves first1000; do
		printf '%s\n' "tokens: {t: {module: $MODULE, token-label: bench, pin: env:B_PIN}}" "steps:" \
		    "  - {id: status, ceremony-type: ocsp-response, token: t, label: bench ca," \
		    "     inputs: {issuer-certificate-path: pki/ca.pem, certificate-dir: pki/$d}," \
		    "     outputs: {response-der-dir: resp}," \
		    "     ocsp-profile: {this-update: $tu, next-update: $nu, status: good}}" > "ocsp-$d.yaml"
	done
}
# ocsp_run SCRIPT COUNT [DIR]: "MILLISECONDS KIB" of one ocsp-response step of COUNT
# responses, written into DIR (default: on tmpfs, so that the disk's fsync time per file is
# not what is measured) through the symbolic link resp
ocsp_run() {
	local t0 t1 kb dir=${3:-$SHM/resp}
	rm -rf resp "$dir" ocsp-*.transcript.jsonl; mkdir -p "$dir"
	[ "$dir" = resp ] || ln -s "$dir" resp
	t0=$(now_ms)
	kb=$(B_PIN=$PIN /usr/bin/time -f %M "$CEREMONY" run --yes "$1" 2>&1 >/dev/null | tail -n1)
	t1=$(now_ms)
	[ "$(ls resp | grep -c '\.der$')" = "$2" ] || { echo "the $2 OCSP responses failed" >&2; exit 1; }
	echo "$((t1 - t0)) $kb"
}

[ -x /usr/bin/time ] || { [ "$(id -u)" = 0 ] &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; } ||
	{ echo "bench: run: sudo apt-get install -y time"; exit 1; }

p384=$(for _ in $(seq "$RUNS"); do ceremony_ms '{type: ecdsa, ecdsa-curve: P-384}' ECDSAWithSHA384; done | median)
manual=$(for _ in $(seq "$RUNS"); do manual_ms; done | median)
rsa2048=$(for _ in $(seq "$RUNS"); do ceremony_ms '{type: rsa, rsa-mod-length: 2048}' SHA256WithRSA; done | median)
rsa4096=$(for _ in $(seq 5); do ceremony_ms '{type: rsa, rsa-mod-length: 4096}' SHA384WithRSA; done | median)
rss=$(peak_kb '{type: ecdsa, ecdsa-curve: P-384}' ECDSAWithSHA384)
crl_setup
crl=$(for _ in 1 2 3; do crl_run; done)
crl_ms=$(cut -d' ' -f1 <<<"$crl" | median) crl_kb=$(cut -d' ' -f2 <<<"$crl" | median)
ossl=$(for _ in 1 2 3; do OPENSSL=1 crl_run; done)
ossl_ms=$(cut -d' ' -f1 <<<"$ossl" | median) ossl_kb=$(cut -d' ' -f2 <<<"$ossl" | median)

OCSP_N=10000
SHM=$(mktemp -d /dev/shm/ceremony-bench.XXXXXX 2>/dev/null) || SHM=$(mktemp -d "$WORK/shm.XXXXXX")
trap 'rm -rf "$WORK" "$SHM"' EXIT
ocsp_setup
odisk=$(ocsp_run ocsp-first1000.yaml 1000 resp)
odisk_ms=${odisk% *}
o1k=$(for _ in 1 2 3; do ocsp_run ocsp-first1000.yaml 1000; done)
o1k_ms=$(cut -d' ' -f1 <<<"$o1k" | median) o1k_kb=$(cut -d' ' -f2 <<<"$o1k" | median)
o10k=$(for _ in 1 2 3; do ocsp_run ocsp-leaves.yaml "$OCSP_N"; done)
o10k_ms=$(cut -d' ' -f1 <<<"$o10k" | median) o10k_kb=$(cut -d' ' -f2 <<<"$o10k" | median)
o_bytes=$(cat resp/*.der | wc -c)
rm -rf "$SHM"

cat > "$OUT" <<MD
# Benchmarks

\`make bench\` (tests/bench.sh) writes this file. Each figure is the median wall time of
$RUNS runs (RSA-4096: 5, its key generation varies a lot), each on a fresh throwaway SoftHSM
token; creating the token is not timed. A ceremony run here includes everything it does:
validation, the rehearsal of every certificate in software (a throwaway key of the planned
kind and size: for an RSA-4096 root, a software RSA-4096 key generation) and its lint, module
load, login, key generation, read-back and key checks, the lint of the exact TBS, the
signature, software verification, the lint of the signed certificate, fsync'ed outputs and
the fsync'ed transcript.

Measured on $(date -u +%Y-%m-%d) on this project's machine ($(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)),
$(softhsm2-util --version | sed 's/^/SoftHSM /'), $(openssl version | cut -d' ' -f1-2).

| what | median |
|---|---|
| \`ceremony run\`: P-384 key + self-signed root (ECDSAWithSHA384) | $p384 ms |
| the same root by hand: \`pkcs11-tool --keypairgen\` + \`openssl req -x509 -engine pkcs11\` (no checks, no transcript) | $manual ms |
| \`ceremony run\`: RSA-2048 key + root (SHA256WithRSA) | $rsa2048 ms |
| \`ceremony run\`: RSA-4096 key + root (SHA384WithRSA) | $rsa4096 ms |
| peak resident memory of the P-384 ceremony | $rss KiB |

Targets: a root ceremony should stay within a few times the manual route (it does more:
every check, every fsync), and well under a second except for RSA-4096 key generation,
which is the HSM's time.

## A CRL of $CRL_N entries

A \`crl\` step signing a CRL of $CRL_N entries from a serials file with a P-384 root key on
SoftHSM (medians of 3 runs), against \`openssl ca -gencrl\` making the same CRL from an
index.txt of the same revocations with the key in a file. The ceremony's run includes
reading and checking the file, the rehearsal (the whole CRL built, signed by a throwaway key
and linted), the CRL built again, linted before signing, signed in the HSM, parsed back,
compared and verified, its record in the transcript (with its PEM), linted again from the
PEM written, and written.

| what | wall time | peak resident memory |
|---|---|---|
| \`ceremony run\`: the crl step | $crl_ms ms | $crl_kb KiB |
| \`openssl ca -gencrl\` | $ossl_ms ms | $ossl_kb KiB |

The CRL itself is $(openssl crl -in out/crl.pem -outform DER | wc -c) bytes of DER; OpenSSL holds a parsed CRL of
this size in about 40 MB. The ceremony never holds more than one such CRL at a time (the
one built, then the one parsed back, then the one written), and the entries it reads take
40 bytes each; the transcript gets one summary record, not one per entry.

## OCSP responses in one step

An \`ocsp-response\` step signing one good response for each certificate of a directory
with a P-256 CA key on SoftHSM (medians of 3 runs; the certificates made by
tests/pki/pki.go with Go's crypto/x509). The run includes reading and checking every
certificate (issued by the CA: name and signature), the rehearsal of the first response,
each response built, linted before signing, signed in the HSM, verified as a relying party
does (\`OCSP_basic_verify\`), linted again and written with fsync, and one summary record.

| what | wall time | peak resident memory |
|---|---|---|
| 1 000 responses | $o1k_ms ms | $o1k_kb KiB |
| $OCSP_N responses | $o10k_ms ms | $o10k_kb KiB |
| 1 000 responses written to this machine's disk (one run) | $odisk_ms ms | |

The responses are written to tmpfs in the first two rows: every file and its directory are
fsync'ed, and on a disk that is most of the time (the last row).

The $OCSP_N responses take $o_bytes bytes. Memory grows with the count only by the list of
certificates' serials and hashes (about a hundred bytes each): each response is built,
signed, checked and written before the next.
MD
cat "$OUT"
