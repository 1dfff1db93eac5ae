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

[ -x /usr/bin/time ] || { [ "$(id -u)" = 0 ] &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; } ||
	{ echo "bench: run: sudo apt-get install -y time"; exit 1; }

p384=$(for _ in $(seq "$RUNS"); do ceremony_ms '{type: ecdsa, ecdsa-curve: P-384}' ECDSAWithSHA384; done | median)
manual=$(for _ in $(seq "$RUNS"); do manual_ms; done | median)
rsa2048=$(for _ in $(seq "$RUNS"); do ceremony_ms '{type: rsa, rsa-mod-length: 2048}' SHA256WithRSA; done | median)
rsa4096=$(for _ in $(seq 5); do ceremony_ms '{type: rsa, rsa-mod-length: 4096}' SHA384WithRSA; done | median)
rss=$(peak_kb '{type: ecdsa, ecdsa-curve: P-384}' ECDSAWithSHA384)

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
MD
cat "$OUT"
