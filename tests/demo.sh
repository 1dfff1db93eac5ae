#!/usr/bin/env bash
# make demo: the example hierarchy, end to end: checked, rehearsed on throwaway tokens (its
# witness record shown), run on two SoftHSM tokens standing in for the HSMs, and the real
# run compared with the rehearsal; then the revocation example on the same tokens: a root
# CRL revoking one of two issuing CAs, and OCSP responses for both, checked with openssl.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
DEMO=$TOP/demo
rm -rf "$DEMO"
mkdir -p "$DEMO/tokens" "$DEMO/out"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$DEMO" \
    > "$DEMO/softhsm2.conf"
export SOFTHSM2_CONF=$DEMO/softhsm2.conf
CEREMONY_PIN=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
ISSUING_PIN=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
export CEREMONY_PIN ISSUING_PIN
softhsm2-util --init-token --free --label demo-root --pin "$CEREMONY_PIN" --so-pin "$CEREMONY_PIN" >/dev/null
softhsm2-util --init-token --free --label demo-issuing --pin "$ISSUING_PIN" --so-pin "$ISSUING_PIN" >/dev/null
echo "== two throwaway SoftHSM tokens, 'demo-root' and 'demo-issuing', in $DEMO/tokens"
echo "   (PINs in \$CEREMONY_PIN and \$ISSUING_PIN, never in the script)"
cd "$DEMO"
T=$DEMO/hierarchy.transcript.jsonl
# The script plans the ceremony for 2026-12-01: the demo rehearses that day (--at), so the
# linter judges notBefore against it, as it will the clock on the day.
AT_TEXT='2026-12-01 12:00:00'
echo "== ceremony check --at '$AT_TEXT' ceremonies/hierarchy.yaml"
"$TOP/ceremony" check --at "$AT_TEXT" --transcript "$T" "$TOP/ceremonies/hierarchy.yaml"
echo
# The rehearsal needs no token and no PIN: it makes throwaway ones, and writes nothing at the
# script's output paths.
echo "== ceremony rehearse --at '$AT_TEXT' --keep rehearsal ceremonies/hierarchy.yaml"
env -u CEREMONY_PIN -u ISSUING_PIN "$TOP/ceremony" rehearse --at "$AT_TEXT" --keep "$DEMO/rehearsal" \
    "$TOP/ceremonies/hierarchy.yaml"
RT=$DEMO/rehearsal/hierarchy.transcript.jsonl
echo
echo "== the rehearsal's witness record: ceremony transcript show rehearsal/hierarchy.transcript.jsonl"
"$TOP/ceremony" transcript show "$RT"
"$TOP/ceremony" transcript show --html "$RT" > "$DEMO/rehearsal/witness.html"
echo "   (to print: $DEMO/rehearsal/witness.html)"
echo
echo "== ceremony run --yes --at '$AT_TEXT' ceremonies/hierarchy.yaml   (a rehearsal of the planned day)"
"$TOP/ceremony" run --yes --at "$AT_TEXT" --transcript "$T" "$TOP/ceremonies/hierarchy.yaml"
echo
# The script plans the ceremony for 2026-12-01: verify as of the day after.
AT=$(date -d '2026-12-02 12:00:00Z' +%s)
for c in r1 e1 o1; do
	echo "== $DEMO/out/$c.cert.pem"
	openssl x509 -in out/$c.cert.pem -noout -subject -issuer -dates \
	    -ext basicConstraints,keyUsage,extendedKeyUsage,subjectKeyIdentifier,authorityKeyIdentifier
done
echo
echo "== openssl verify -x509_strict (as of 2026-12-02)"
openssl verify -x509_strict -check_ss_sig -attime "$AT" -CAfile out/r1.cert.pem out/r1.cert.pem
openssl verify -x509_strict -purpose sslserver -attime "$AT" -CAfile out/r1.cert.pem out/e1.cert.pem
openssl verify -x509_strict -attime "$AT" -CAfile out/r1.cert.pem out/o1.cert.pem
echo
# The root's CRL and OCSP responses: a second ceremony on the same tokens, with a root R2
# that revokes one of its two issuing CAs.
RV=$DEMO/revocation.transcript.jsonl
echo "== ceremony run --yes --at '$AT_TEXT' ceremonies/revocation.yaml   (a root CRL and two OCSP responses)"
"$TOP/ceremony" run --yes --at "$AT_TEXT" --transcript "$RV" "$TOP/ceremonies/revocation.yaml"
echo
echo "== openssl crl -verify; openssl verify -crl_check (E2 good, E3 revoked); openssl ocsp"
openssl crl -in out/r2.crl.pem -noout -verify -CAfile out/r2.cert.pem
openssl crl -in out/r2.crl.pem -noout -text | sed -n '/Last Update/,/Reason Code/p;/Key Compromise/p'
openssl verify -x509_strict -crl_check -attime "$AT" -CAfile out/r2.cert.pem -CRLfile out/r2.crl.pem \
    out/e2.cert.pem
if openssl verify -x509_strict -crl_check -attime "$AT" -CAfile out/r2.cert.pem \
    -CRLfile out/r2.crl.pem out/e3.cert.pem 2>&1; then
	echo "E3 should be revoked" >&2; exit 1
fi
for c in e2 e3; do
	openssl ocsp -respin out/$c.ocsp.der -CAfile out/r2.cert.pem -issuer out/r2.cert.pem \
	    -cert out/$c.cert.pem -attime "$AT" -validity_period 99999999 2>&1 | grep -v nonce
done
echo
echo "== the keys on the tokens (pkcs11-tool --list-objects)"
pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --token-label demo-root --login --pin "$CEREMONY_PIN" \
    --list-objects --type privkey 2>/dev/null
pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --token-label demo-issuing --login --pin "$ISSUING_PIN" \
    --list-objects --type privkey 2>/dev/null
echo
echo "== the transcript ($T), one event per line"
jq -r '"\(.seq)\t\(.event)"' "$T" | paste -sd' ' | sed 's/\t/:/g' | fold -s -w 100
echo
echo "== ceremony diff-transcripts rehearsal/hierarchy.transcript.jsonl hierarchy.transcript.jsonl"
"$TOP/ceremony" diff-transcripts "$RT" "$T"
"$TOP/ceremony" transcript show --html "$T" > "$DEMO/witness.html"
echo
echo "outputs: $DEMO/out/   transcripts: $T, $RV   witness record: $DEMO/witness.html"
echo "the rehearsal: $DEMO/rehearsal/ (its witness record: $DEMO/rehearsal/witness.html)"
echo
echo "Next, as an auditor would (from $TOP):"
echo "  ./ceremony transcript verify --outputs demo/hierarchy.transcript.jsonl"
echo "  ./ceremony transcript show demo/hierarchy.transcript.jsonl | less"
echo "  ./ceremony transcript show --html demo/revocation.transcript.jsonl > witness.html"
echo "  (cd demo && ../ceremony verify --transcript hierarchy.transcript.jsonl ../ceremonies/hierarchy.yaml)"
echo "  ./ceremony lint --issuer demo/out/r2.cert.pem demo/out/r2.crl.pem demo/out/e3.ocsp.der"
echo "and the docs: docs/script.md (scripts), docs/transcript.md (the record), man ./docs/ceremony.1"
