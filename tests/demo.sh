#!/usr/bin/env bash
# make demo: the example root ceremony, end to end, on a throwaway SoftHSM token.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
DEMO=$TOP/demo
rm -rf "$DEMO"
mkdir -p "$DEMO/tokens" "$DEMO/out"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$DEMO" \
    > "$DEMO/softhsm2.conf"
export SOFTHSM2_CONF=$DEMO/softhsm2.conf
CEREMONY_PIN=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
export CEREMONY_PIN
softhsm2-util --init-token --free --label demo-root --pin "$CEREMONY_PIN" --so-pin "$CEREMONY_PIN" >/dev/null
echo "== a throwaway SoftHSM token 'demo-root' in $DEMO/tokens (PIN in \$CEREMONY_PIN, never in the script)"
cd "$DEMO"
echo "== ceremony check ceremonies/root-p384.yaml"
"$TOP/ceremony" check --transcript "$DEMO/root-p384.transcript.jsonl" "$TOP/ceremonies/root-p384.yaml"
echo
echo "== ceremony run --yes ceremonies/root-p384.yaml"
"$TOP/ceremony" run --yes --transcript "$DEMO/root-p384.transcript.jsonl" "$TOP/ceremonies/root-p384.yaml"
echo
echo "== the root certificate ($DEMO/out/r1.cert.pem)"
openssl x509 -in out/r1.cert.pem -noout -subject -issuer -serial -dates -ext basicConstraints,keyUsage,subjectKeyIdentifier,authorityKeyIdentifier
# The script plans the ceremony for 2026-12-01: verify as of that day.
openssl verify -x509_strict -check_ss_sig -attime "$(date -d '2026-12-01 12:00:00Z' +%s)" \
    -CAfile out/r1.cert.pem out/r1.cert.pem
echo
echo "== the key on the token (pkcs11-tool --list-objects)"
pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --token-label demo-root --login --pin "$CEREMONY_PIN" \
    --list-objects 2>/dev/null | sed -n '/Private Key/,/Access/p'
echo
echo "== the transcript ($DEMO/root-p384.transcript.jsonl), one event per line"
jq -r '"\(.seq)\t\(.event)"' root-p384.transcript.jsonl | paste -sd' ' | sed 's/\t/:/g' | fold -s -w 100
echo
echo "outputs: $DEMO/out/   transcript: $DEMO/root-p384.transcript.jsonl"
