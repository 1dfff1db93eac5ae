#!/usr/bin/env bash
# tests/t-lint-scope.sh: what `ceremony lint` is told or works out beyond the artefact: a CRL
# about subscriber or CA certificates (10 days or 12 months), a cross-certificate between
# affiliates or not (extKeyUsage SHOULD or MUST); the dNSName syntax of nameConstraints;
# other linters' lint names; --help and --list --json.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
source "$TOP/tests/lint-lib.sh"

lint_keys
root root
issued sub sub

# ---- CRL scope: BR 4.9.7 and 7.2, MRSP 6 ----
# A root issues no subscriber certificates: its 30-day CRL is about CA certificates.
CDAYS=30 crl rootcrl
clean rootcrl --issuer root.pem
lints rootcrl 0 '"crl_scope":"ca"' --issuer root.pem --json
caught rootcrl crl.nextupdate_subscriber --issuer root.pem --profile crl-subscriber
# An intermediate's CRL is taken to be about subscriber certificates: 10 days at most.
CA=sub MD=sha256 CDAYS=30 crl subcrl30
caught subcrl30 crl.nextupdate_subscriber --issuer sub.pem
lints subcrl30 1 '"crl_scope":"subscriber"' --issuer sub.pem --json
clean subcrl30 --issuer sub.pem --profile crl-ca
clean subcrl30 --issuer sub.pem --profile crl --skip crl.nextupdate_subscriber
CA=sub MD=sha256 CDAYS=10 crl subcrl10
clean subcrl10 --issuer sub.pem
CA=sub MD=sha256 CDAYS=11 crl subcrl11
caught subcrl11 crl.nextupdate_subscriber --issuer sub.pem
# ... unless its issuingDistributionPoint says onlyContainsCACerts (as Boulder's lints decide)
CA=sub MD=sha256 CDAYS=30 crl subcrlca "issuingDistributionPoint = critical, @idpcadp"
clean subcrlca --issuer sub.pem --skip crl.idp_full
lints subcrlca 1 '^error crl.nextupdate_subscriber ' --issuer sub.pem --skip crl.idp_full \
    --profile crl-subscriber
# a profile of another kind of artefact is refused
lints sub 2 'is a certificate; --profile crl-ca is for CRLs' --issuer root.pem --profile crl-ca
lints rootcrl 2 'is a CRL; --profile root is for certificates' --issuer root.pem --profile root
lints rootcrl 2 'unknown profile .crl-leaf.; use .*crl-subscriber, crl-ca' --issuer root.pem \
    --profile crl-leaf

# no leaks or bad accesses where the scope and the affiliation are worked out
vg_lint "lint of CRLs by scope" 1 --json --issuer sub.pem subcrlca.pem subcrl30.pem

# ---- cross-certificates: extKeyUsage between affiliates or not (BR 7.1.2.2.3-7.1.2.2.5) ----
# Same organizationName in issuer and subject: affiliated unless told otherwise.
issued xnoeku sub -extendedKeyUsage
lints xnoeku 1 '^warning cross.eku_unrestricted ' --issuer root.pem --profile cross
lints xnoeku 1 '"affiliated":true' --issuer root.pem --profile cross --json
lints xnoeku 1 '^error cross.eku_unrestricted .*MUST be present' --issuer root.pem \
    --profile cross --not-affiliated
# Another organisation: the EKU MUST be there, restricted, unless the operator says affiliates.
SUBJ="/C=US/O=Other CA/CN=Other Sub O1" issued xother sub -extendedKeyUsage
lints xother 1 '^error cross.eku_unrestricted ' --issuer root.pem --profile cross
lints xother 1 '"affiliated":false' --issuer root.pem --profile cross --json
lints xother 1 '^warning cross.eku_unrestricted ' --issuer root.pem --profile cross --affiliated
SUBJ="/C=US/O=Other CA/CN=Other Sub O1" issued xotherany sub \
    "extendedKeyUsage = anyExtendedKeyUsage"
verdict xotherany cross.eku_unrestricted fail --issuer root.pem --profile cross
verdict xotherany cross.eku_unrestricted pass --issuer root.pem --profile cross --affiliated
SUBJ="/C=US/O=Other CA/CN=Other Sub O1" issued xotherok sub
clean xotherok --issuer root.pem --profile cross
lints xotherok 2 'contradict' --issuer root.pem --profile cross --affiliated --not-affiliated
vg_lint "lint of crosses" 1 --json --issuer root.pem --profile cross xother.pem xnoeku.pem

# ---- nameConstraints dNSName syntax (RFC 5280 4.2.1.10, 4.2.1.6; BR 7.1.2.10.8) ----
rest="permitted;dirName:tcdn, excluded;IP:0.0.0.0/0.0.0.0, excluded;IP:::/::"
issued ncok sub "nameConstraints = critical, permitted;DNS:example.com, permitted;DNS:x-1.example.org, $rest"
clean ncok --issuer root.pem
verdict ncok cert.nc_dns_syntax pass --issuer root.pem
n=0
for bad in .mil .example.com example.com. ex_ample.com -example.com example-.com 'a..b' \
    "$(printf 'a%.0s' $(seq 64)).com"; do
	n=$((n + 1))
	issued ncbad$n sub "nameConstraints = critical, permitted;DNS:$bad, $rest"
	caught ncbad$n cert.nc_dns_syntax --issuer root.pem
done
issued ncdot sub "nameConstraints = critical, permitted;DNS:.mil, $rest"
lints ncdot 1 "permitted dNSName '.mil' is not a domain name .*no leading period" --issuer root.pem
issued ncexdot sub "nameConstraints = critical, permitted;DNS:example.com, excluded;DNS:.bad.example.com, $rest"
lints ncexdot 1 "^error cert.nc_dns_syntax .*excluded dNSName" --issuer root.pem

# ---- other linters' names in --skip ----
issued subnoeku sub -extendedKeyUsage
caught subnoeku subca.eku_present --issuer root.pem
verdict subnoeku subca.eku_present skipped --issuer root.pem --skip n_sub_ca_eku_missing
out=$("$CEREMONY" lint --skip e_dnsname_not_valid_tld --skip w_validity_period_has_extra_second \
    root.pem 2>&1); rc=$?
[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q 'skip e_dnsname_not_valid_tld: no rule here' &&
    pass "a zlint or Boulder name without a counterpart is accepted and said to skip nothing" ||
    fail "a zlint or Boulder name without a counterpart (exit $rc)" "$out"
lints root 2 "unknown rule or lint name 'e_no_such_lint'" --skip e_no_such_lint

# ---- --help, --list --json ----
out=$("$CEREMONY" lint --help 2>&1); rc=$?
[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q -- '--not-affiliated' &&
    printf '%s\n' "$out" | grep -q 'crl-subscriber' && printf '%s\n' "$out" | grep -q -- '--list' &&
    pass "lint --help: the lint options, exit 0" || fail "lint --help (exit $rc)" "$out"
"$CEREMONY" lint --list --json > list.json
n=$("$CEREMONY" lint --list | wc -l)
[ "$(jq length list.json)" = "$n" ] &&
    [ "$(jq -r '.[] | select(.id == "subca.validity") | .effective' list.json)" = 2026-02-05 ] &&
    [ "$(jq -r '.[] | select(.id == "cert.signature") | .effective' list.json)" = null ] &&
    [ "$(jq -r '.[] | select(.id == "crl.nextupdate_subscriber") | .profiles[0]' list.json)" = crl ] &&
    [ "$(jq -r '[.[] | keys | join(",")] | unique | .[]' list.json)" = \
      citation,description,effective,id,profiles,severity ] &&
    pass "lint --list --json: $n rules with id, severity, citation, effective, profiles, description" ||
    fail "lint --list --json" "$(head -c 600 list.json)"
[ "$("$CEREMONY" lint --list | awk -F'\t' '$1 == "cert.serial_random" { print $4 }')" = 2016-09-30 ] &&
    pass "lint --list: the date column" || fail "lint --list: the date column"
lints root 2 'not both' --list --markdown --json
lints root 2 'goes with --list' --markdown

done_tests
