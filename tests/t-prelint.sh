#!/usr/bin/env bash
# tests/t-prelint.sh: the linter inside the ceremony.  A script whose certificate breaks a rule
# is refused before any key exists (the whole script is rehearsed in software first); the
# exact TBS is linted before C_Sign and the signed certificate after, and the transcript holds
# every verdict; a weak key from a file is refused; warnings stop unless skipped with a reason;
# every example in ceremonies/ lints clean.
source "$(dirname "$0")/lib.sh"
export T_PIN=$PIN

NOW=$(date -u '+%Y-%m-%d %H:%M:%S')
NB=$(date -u -d '-1 hour' '+%Y-%m-%d %H:%M:%S')
NA=$(date -u -d '+20 years -2 hours' '+%Y-%m-%d %H:%M:%S')
NA_SUB=$(date -u -d '+3 years' '+%Y-%m-%d %H:%M:%S')

# nothing_changed NAME TOKEN: no object on TOKEN, no file in out/, no transcript
nothing_changed() {
	[ "$(count_objects "$2")" = 0 ] && [ -z "$(ls -A out)" ] && ! ls ./*.jsonl >/dev/null 2>&1
}
# refused NAME WANT-STATUS REGEX SCRIPT-ARGS...: one line, that status, nothing changed on token t
refused() {
	local name=$1 want=$2 re=$3 rc; shift 3
	"$CEREMONY" "$@" >out.txt 2>err.txt </dev/null; rc=$?
	if [ $rc -eq "$want" ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -Eq -- "$re" err.txt &&
	    [ ! -s out.txt ] && nothing_changed "$name" t; then
		pass "$name"
	else
		fail "$name" "rc=$rc $(cat out.txt err.txt; ls -A out)"
	fi
}
root_yaml() {	# NOT-BEFORE [EXTRA-PROFILE-LINES]
	cat <<YAML
tokens:
  t: {module: $MODULE, token-label: t, pin: env:T_PIN}
steps:
  - id: r
    ceremony-type: root
    token: t
    label: root key
    key: {type: ecdsa, ecdsa-curve: P-384}
    outputs: {public-key-path: out/r.pub.pem, certificate-path: out/r.pem}
    certificate-profile:
      signature-algorithm: ECDSAWithSHA384
      common-name: Lint Root
      organization: Lint CA
      country: NL
      not-before: $1
      not-after: $NA
${2:-}
YAML
}

# ---- 1. a root whose notBefore is three days before the signing time: refused before its key exists ----
new_softhsm; init_token t >/dev/null
mkdir -p "$WORK/nb/out" && cd "$WORK/nb"
root_yaml "$(date -u -d '-3 days' '+%Y-%m-%d %H:%M:%S')" > r.yaml
refused "a root back-dated three days: refused before its key exists (exit 2, no key, no file, no transcript)" 2 \
    "^ceremony: r\.yaml:11:7: step r: error root\.notbefore \(BR 7\.1\.2\.1\.1\).*change the certificate-profile" run --yes r.yaml
refused "... and ceremony check says the same" 2 "root\.notbefore" check r.yaml
root_yaml "$(date -u -d '+2 days' '+%Y-%m-%d %H:%M:%S')" > p.yaml
refused "a post-dated root: refused, with the hint to rehearse with --at" 2 \
    "root\.notbefore.*give --at with its date and time" run --yes p.yaml
if "$CEREMONY" check --at "$(date -u -d '+2 days +1 hour' '+%Y-%m-%d %H:%M:%S')" p.yaml >chk.out 2>&1 &&
    grep -q '^lint: a certificate rehearsed with throwaway keys and linted clean as of .* (--at)\( (1 notice above)\)\?$' chk.out; then
	pass "--at rehearses the planned day: the post-dated root lints clean as of then"
else
	fail "--at rehearses the planned day" "$(cat chk.out)"
fi
# the lint line counts what was rehearsed by kind, and is left out when nothing is signed
out=$(env CEREMONY_PIN=$PIN ISSUING_PIN=$PIN "$CEREMONY" check --at "$PLANNED_AT" "$TOP/ceremonies/revocation.yaml" 2>&1)
grep -q '^lint: 4 certificates, a CRL and 2 OCSP responses rehearsed with throwaway keys' <<<"$out" &&
    pass "check: the lint line counts certificates, CRLs and OCSP responses apart" ||
    fail "check: the lint line of the revocation example" "$out"
sed '/        - Digital Signature/d' "$TOP/ceremonies/root-p384.yaml" > nods.yaml
out=$(env CEREMONY_PIN=$PIN "$CEREMONY" check --at "$PLANNED_AT" nods.yaml 2>&1)
grep -q '^  step r1: root.ku_digsig_for_ocsp (BR 7.1.2.10.7): no digitalSignature' <<<"$out" &&
    grep -q '^lint: a certificate .* linted clean .* (1 notice above)$' <<<"$out" &&
    pass "check: the notices the rehearsal found are listed, not hidden behind 'linted clean'" ||
    fail "check: notices" "$out"
out=$("$CEREMONY" check "$TOP/ceremonies/boulder-key.yaml" 2>&1)
! grep -q '^lint' <<<"$out" && grep -q 'nothing was written' <<<"$out" &&
    pass "check: a key ceremony (nothing to sign, nothing to lint) prints no lint line" ||
    fail "check: a key ceremony's plan" "$out"

# ---- 2. every stage recorded: plan, pre-issuance on the exact TBS, post-issuance ----
root_yaml "$NB" > ok.yaml
if "$CEREMONY" run --yes ok.yaml >run.out 2>&1; then pass "a clean root runs"; else fail "a clean root runs" "$(cat run.out)"; fi
t=ok.transcript.jsonl
[ "$(jq -r 'select(.event=="lint") | .data.stage' $t | paste -sd,)" = plan,pre-issuance,post-issuance ] &&
    [ "$(jq -r 'select(.event=="lint") | "\(.data.errors)\(.data.warnings)"' $t | sort -u)" = 00 ] &&
    [ "$(jq -r 'select(.event=="lint" and .data.stage=="post-issuance") | .data.verdicts | length' $t)" -ge 60 ] &&
    pass "the transcript holds every rule's verdict at the three stages" ||
    fail "lint stages" "$(jq -c 'select(.event=="lint") | [.data.stage,.data.errors,.data.warnings]' $t)"
lint_tbs=$(jq -r 'select(.event=="lint" and .data.stage=="pre-issuance") | .data.tbs_sha256' $t)
conf_tbs=$(jq -r 'select(.event=="confirmation" and .data.tbs_sha256 != null) | .data.tbs_sha256' $t)
sign_tbs=$(jq -r 'select(.event=="certificate-signed") | .data.signing.tbs_sha256' $t)
[ -n "$lint_tbs" ] && [ "$lint_tbs" = "$conf_tbs" ] && [ "$lint_tbs" = "$sign_tbs" ] &&
    pass "the TBS linted is the TBS confirmed and the TBS the HSM signed (one SHA-256)" ||
    fail "TBS identity" "lint $lint_tbs, confirmed $conf_tbs, signed $sign_tbs"
[ "$(jq -r 'select(.event=="lint" and .data.stage=="pre-issuance") | .data.verdicts[] | select(.rule=="cert.signature") | .verdict' $t)" = skipped ] &&
    [ "$(jq -r 'select(.event=="lint" and .data.stage=="post-issuance") | .data.verdicts[] | select(.rule=="cert.signature") | .verdict' $t)" = pass ] &&
    pass "the throwaway signature is not judged before C_Sign; the HSM's is, after" || fail "cert.signature stages"
[ "$(jq -r 'select(.event=="key-generated") | .data.public_key.keycheck | map(.verdict) | unique | join(",")' $t)" = pass ] &&
    pass "the generated key passed every key check, recorded" || fail "keycheck of the generated key"
check "ceremony lint on the signed root: clean" "$CEREMONY" lint --profile root out/r.pem

# ---- 3. weak keys from a file: an intermediate for them is refused ----
mkdir -p "$WORK/weak" && "$TOP/build/test-keycheck" --write-weak "$WORK/weak" >/dev/null 2>&1
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_keygen_pubexp:3 2>/dev/null |
    openssl pkey -pubout -out "$WORK/weak/e3.pem"
int_yaml() {	# PUBLIC-KEY-FILE
	cat <<YAML
tokens:
  t: {module: $MODULE, token-label: t, pin: env:T_PIN}
steps:
  - id: i
    ceremony-type: intermediate
    token: t
    label: root key
    inputs: {issuer-certificate-path: out/r.pem, public-key-path: $1}
    outputs: {certificate-path: out/i.pem}
    certificate-profile:
      signature-algorithm: ECDSAWithSHA384
      common-name: Lint Issuing CA
      organization: Lint CA
      country: NL
      not-before: $NB
      not-after: $NA_SUB
      crl-url: http://crl.example.nl/r.crl
      issuer-url: http://cert.example.nl/r.der
      policies: [{oid: 2.23.140.1.2.1}]
YAML
}
before=$(count_objects t); files=$(ls out | paste -sd,)
for weak in fermat e3; do
	int_yaml "$WORK/weak/$weak.pem" > w.yaml
	"$CEREMONY" run --yes w.yaml >w.out 2>w.err; rc=$?
	[ $rc -eq 2 ] && grep -q "^ceremony: w\.yaml:8:67: the key in .*$weak\.pem is refused: weak key" w.err &&
	    [ "$(count_objects t)" = "$before" ] && [ "$(ls out | paste -sd,)" = "$files" ] && [ ! -e w.transcript.jsonl ] &&
	    pass "an intermediate for a $weak RSA key: refused before any HSM is opened" ||
	    fail "weak $weak" "rc=$rc $(cat w.out w.err)"
done
grep -q 'Fermat' <(int_yaml "$WORK/weak/fermat.pem" > w.yaml; "$CEREMONY" check w.yaml 2>&1) &&
    grep -q 'exponent' <(int_yaml "$WORK/weak/e3.pem" > w.yaml; "$CEREMONY" check w.yaml 2>&1) &&
    pass "the refusals name the weakness (Fermat, exponent)" || fail "weakness named"

# ---- 4. warnings stop unless the step skips the rule, with a reason ----
# the subject's key: its own, not the issuer's (a CA does not certify its own key under itself)
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 2>/dev/null | openssl pkey -pubout -out "$WORK/sub.pub.pem"
int_yaml "$WORK/sub.pub.pem" | sed -e "s/not-after: .*/not-after: $(date -u -d '+5 years' '+%Y-%m-%d %H:%M:%S')/" \
    -e 's|out/i.pem|out/long.pem|' > long.yaml
before=$(count_objects t)
"$CEREMONY" run --yes long.yaml >o.out 2>o.err; rc=$?
[ $rc -eq 2 ] && grep -q "^ceremony: long\.yaml:11:7: step i: warning subca\.validity (.*list the rule under skip-lints with a reason" o.err &&
    [ "$(count_objects t)" = "$before" ] && [ ! -e out/long.pem ] &&
    pass "a warning (an issuing CA valid for 5 years; Chrome: at most 3) stops the ceremony before the HSM is opened" ||
    fail "warning stops" "rc=$rc $(cat o.out o.err)"
printf '    skip-lints:\n      - {name: subca.validity, reason: "a 5-year CA, approved by the policy authority 2026-11"}\n' >> long.yaml
if "$CEREMONY" run --yes long.yaml >o.out 2>&1; then pass "skipped with a reason, it runs"; else fail "skipped with a reason" "$(cat o.out)"; fi
[ "$(jq -r 'select(.event=="lint" and .data.stage=="post-issuance") | .data.verdicts[] | select(.rule=="subca.validity") | .verdict' long.transcript.jsonl)" = skipped ] &&
    jq -r 'select(.event=="lint" and .data.stage=="post-issuance") | .data.skipped[0].reason' long.transcript.jsonl | grep -q 'policy authority 2026-11' &&
    pass "the transcript records the skip and its reason" || fail "skip recorded"
rm -f out/long.pem long.transcript.jsonl
sed -i 's/name: subca.validity/name: no_such_lint/' long.yaml
"$CEREMONY" check long.yaml >o.out 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "long\.yaml:21:9: skip-lints names 'no_such_lint', which is no rule" o.out &&
    pass "an unknown lint name in skip-lints: refused" || fail "unknown skip" "rc=$rc $(cat o.out)"
sed -i -e 's/name: no_such_lint/name: e_sub_ca_crl_distribution_points_missing/' \
    -e "s/not-after: .*/not-after: $NA_SUB/" long.yaml
"$CEREMONY" check long.yaml >o.out 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "error subca.cdp .*errors cannot be skipped" o.out &&
    pass "a zlint name maps to our rule; an error rule cannot be skipped" || fail "error skip" "rc=$rc $(cat o.out)"

# ---- 6. the exact TBS, linted before C_Sign, stops the ceremony: the transcript shows why ----
# The intermediate's notBefore is 1 day and 4 seconds before the signing time... once the
# operator has taken 8 seconds to type the PIN: the rehearsal during validation passes, the
# linter on the TBS refuses it.  The signing key exists already: nothing is made, nothing signed.
new_softhsm; init_token t >/dev/null
mkdir -p "$WORK/late/out" && cd "$WORK/late"
# the issuer: a root made (in a rehearsal) two days ago
root_yaml "$(date -u -d '-2 days -1 hour' '+%Y-%m-%d %H:%M:%S')" > old.yaml
"$CEREMONY" run --yes --at "$(date -u -d '-2 days' '+%Y-%m-%d %H:%M:%S')" old.yaml >old.out 2>&1 ||
    fail "the two-day-old root" "$(cat old.out)"
sed -e "s/pin: env:T_PIN/pin: prompt/" -e "s|public-key-path: .*}|public-key-path: $WORK/sub.pub.pem}|" \
    -e "s/not-before: .*/not-before: $(date -u -d '-1 day +4 seconds' '+%Y-%m-%d %H:%M:%S')/" \
    -e 's|out/i.pem|out/late.pem|' <(int_yaml x) > late.yaml
before=$(count_objects t)
{ sleep 8; printf '%s\n' "$PIN"; sleep 2; printf 'yes\n'; } |
    script -qec "$CEREMONY run late.yaml" /dev/null >late.out 2>&1
t=late.transcript.jsonl
if [ -e $t ] && [ ! -e out/late.pem ] && [ "$(count_objects t)" = "$before" ] &&
    [ "$(jq -r 'select(.event=="lint") | "\(.data.stage):\(.data.errors)"' $t | paste -sd,)" = plan:0,pre-issuance:1 ] &&
    jq -r 'select(.event=="error") | .data.message' $t | grep -q 'error subca.notbefore\|error cert.notbefore_window' &&
    ! jq -e 'select(.event=="confirmation" and .data.tbs_sha256 != null)' $t >/dev/null &&
    [ "$(tail -n1 $t | jq -r .data.status)" = failed ]; then
	pass "a TBS that breaks a rule at signing time stops before C_Sign: no object, no file; the transcript has the verdicts and the error"
else
	fail "pre-issuance stop" "$(cat late.out; jq -c '{event, e: .data.errors, m: .data.message}' $t 2>/dev/null | tail -6)"
fi

# ---- 5. every example in ceremonies/ lints clean ----
ok=1
for f in root-p384 hierarchy; do
	new_softhsm; init_token demo-root >/dev/null; init_token demo-issuing >/dev/null
	mkdir -p "$WORK/ex-$f/out" && cd "$WORK/ex-$f"
	cp "$TOP/ceremonies/$f.yaml" .
	CEREMONY_PIN=$PIN ISSUING_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" $f.yaml >run.out 2>&1 || ok=0
	[ "$(jq -r 'select(.event=="lint") | "\(.data.errors)\(.data.warnings)"' $f.transcript.jsonl | sort -u)" = 00 ] || ok=0
	"$CEREMONY" lint --at "$PLANNED_AT" --profile root out/r1.cert.pem >>"$WORK/l.out" 2>&1 || ok=0
done
"$CEREMONY" lint --at "$PLANNED_AT" --profile subordinate --issuer out/r1.cert.pem out/e1.cert.pem >>"$WORK/l.out" 2>&1 || ok=0
"$CEREMONY" lint --at "$PLANNED_AT" --profile ocsp-responder --issuer out/r1.cert.pem out/o1.cert.pem >>"$WORK/l.out" 2>&1 || ok=0
[ $ok = 1 ] && pass "ceremonies/root-p384.yaml and hierarchy.yaml: every certificate lints clean (in the transcript and with ceremony lint)" ||
    fail "examples lint clean" "$(cat "$WORK/l.out" run.out)"

done_tests
