#!/usr/bin/env bash
# tests/t-lint-dates.sh: a rule that took effect on a date is judged on the artefact's own
# date (notBefore, thisUpdate), on both sides of the date, with the verdict "not-applicable"
# before it; without --at, `ceremony lint` judges the signing window at that date too, so a
# correct certificate issued years ago lints clean: ones made here with openssl ca, and Let's
# Encrypt's real roots and intermediates.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
source "$TOP/tests/lint-lib.sh"

NOW=$(date -u '+%Y-%m-%d %H:%M:%S')
lint_keys
root root

# ---- old certificates lint clean without --at; --at keeps its meaning ----
dated root2024 root 20240301000000Z 20340228235959Z
cp root.key root2024.key
clean root2024
lints root2024 0 '"at":"2024-03-01T00:00:00Z","at_from":"notBefore"' --json
caught root2024 root.notbefore --at "$NOW"
CA=root2024 dated sub2024 sub 20240313000000Z 20270312235959Z
clean sub2024 --issuer root2024.pem
caught sub2024 cert.notbefore_window --issuer root2024.pem --at "$NOW"
lints sub2024 0 '"at_from":"--at"' --issuer root2024.pem --json --at '2024-03-13 12:00:00'
# a 2024 certificate is judged by the rules of 2024: the Chrome 3-year SHOULD (2026-02-05)
# and the precertificate CA ban (2026-03-15) are not in force for it
verdict sub2024 subca.validity not-applicable --issuer root2024.pem
verdict sub2024 subca.profile not-applicable --issuer root2024.pem
verdict sub2024 cert.notbefore_window pass --issuer root2024.pem
lints sub2024 0 '"message":"not in force: notBefore 2024-03-13 00:00:00 is before 2026-02-05' \
    --issuer root2024.pem --json

# ---- subca.validity (Chrome Root Program Policy 1.8, 2026-02-05) ----
# Boulder's own test intermediates: notBefore 2025-07-01, five years, serverAuth + clientAuth
dated boulder2025 sub 20250701000000Z 20300630235959Z "extendedKeyUsage = serverAuth, clientAuth"
clean boulder2025 --issuer root.pem
verdict boulder2025 subca.validity not-applicable --issuer root.pem
dated long0205 sub 20260205000000Z 20310204235959Z
lints long0205 1 '^warning subca.validity ' --issuer root.pem
dated long0204 sub 20260204235959Z 20310203235959Z
verdict long0204 subca.validity not-applicable --issuer root.pem

# ---- subca.eku_chrome: serverAuth + clientAuth only for a notBefore before 2026-06-15 ----
both="extendedKeyUsage = serverAuth, clientAuth"
dated both0614 sub 20260614235959Z 20290613235959Z "$both"
clean both0614 --issuer root.pem
dated both0615 sub 20260615000000Z 20290614235959Z "$both"
caught both0615 subca.eku_chrome --issuer root.pem
# --at moves the signing time, not the certificate's date
lints both0614 0 '' --issuer root.pem --at "$NOW" --skip cert.notbefore_window

# ---- subca.profile: no precertificate signing CA from 2026-03-15 (BR 7.1.2.4) ----
precert="extendedKeyUsage = serverAuth, 1.3.6.1.4.1.11129.2.4.4"
dated precert0314 sub 20260314000000Z 20290313235959Z "$precert"
verdict precert0314 subca.profile not-applicable --issuer root.pem
dated precert0315 sub 20260315000000Z 20290314235959Z "$precert"
verdict precert0315 subca.profile fail --issuer root.pem

# ---- cert.serial_random (BR 1.3.7, 2016-09-30) ----
SERIAL=123456 dated short0929 root 20160929000000Z 20260928000000Z
verdict short0929 cert.serial_random not-applicable
SERIAL=123456 dated short0930 root 20160930000000Z 20260929000000Z
verdict short0930 cert.serial_random fail

# ---- cert.ca_subject_attrs: C and O since BR 1.0, CN since BR 1.4.8 (2017-06-08) ----
SUBJ="/C=US/O=Example CA" dated nocn0607 root 20170607000000Z 20270606000000Z
verdict nocn0607 cert.ca_subject_attrs pass
SUBJ="/C=US/O=Example CA" dated nocn0608 root 20170608000000Z 20270607000000Z
verdict nocn0608 cert.ca_subject_attrs fail
SUBJ="/C=US/CN=Example Root R1" dated noo0607 root 20170607000000Z 20270606000000Z
verdict noo0607 cert.ca_subject_attrs fail

# ---- cert.key_rsa: 2048 bits since 2013-12-31; a multiple of 8 since MRSP 2.4 (2017-02-28) ----
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2052 -out rsa2052.key 2>/dev/null
KEY=rsa2052.key MD=sha256 dated odd0227 root 20170227000000Z 20270226000000Z
verdict odd0227 cert.key_rsa pass
KEY=rsa2052.key MD=sha256 dated odd0228 root 20170228000000Z 20270227000000Z
verdict odd0228 cert.key_rsa fail

# ---- root.no_ou and the other BR 2.0.0 profile rules (2023-09-15) ----
SUBJ="/C=US/O=Example CA/OU=PKI/CN=Example Root R1" dated ou0914 root 20230914000000Z \
    20330913000000Z
verdict ou0914 root.no_ou not-applicable
SUBJ="/C=US/O=Example CA/OU=PKI/CN=Example Root R1" dated ou0915 root 20230915000000Z \
    20330914000000Z
verdict ou0915 root.no_ou fail

# ---- CRLs: judged on thisUpdate ----
# crl.version: v2 since the BR 2.0.1 CRL profile (2024-03-15)
NOEXT=1 NUMBER=none THIS=20240314000000Z NEXT=20240413000000Z crl crlv1old
verdict crlv1old crl.version not-applicable --issuer root.pem
NOEXT=1 NUMBER=none THIS=20240315000000Z NEXT=20240414000000Z crl crlv1new
verdict crlv1new crl.version fail --issuer root.pem
# an old, correct CRL: the signing window is judged at its thisUpdate
THIS=20250101000000Z NEXT=20250131000000Z crl crlold
lints crlold 0 '"at":"2025-01-01T00:00:00Z","at_from":"thisUpdate"' --issuer root.pem --json
verdict crlold crl.thisupdate pass --issuer root.pem

# ---- Let's Encrypt's own certificates, from public sources, lint clean without --at ----
# ISRG Root X1 and X2: Debian 12's ca-certificates (20230311+deb12u1), checked against the
# SHA-256 fingerprints letsencrypt.org/certificates publishes. E7 (by X2) and R12 (by X1),
# issued 2024-03-13, and X2 cross-signed by X1 (2020-09-04): letsencrypt/website
# static/certs/2024/e7.pem, r12.pem and static/certs/isrg-root-x2-cross-signed.pem.
LE=$TOP/tests/lint-certs
fpr() { openssl x509 -in "$1" -noout -fingerprint -sha256 | cut -d= -f2 | tr -d :; }
[ "$(fpr "$LE/isrg-root-x1.pem")" = 96BCEC06264976F37460779ACF28C5A7CFE8A3C0AAE11A8FFCEE05C0BDDF08C6 ] &&
    [ "$(fpr "$LE/isrg-root-x2.pem")" = 69729B8E15A86EFC177A57AFB7171DFC64ADD28C2FCA8CF1507E34453CCB1470 ] &&
    pass "ISRG Root X1 and X2 are the published ones" || fail "ISRG roots: fingerprint mismatch"
check "E7 verifies under ISRG Root X2" openssl verify -x509_strict -attime 1735689600 \
    -CAfile "$LE/isrg-root-x2.pem" "$LE/le-e7.pem"
check "R12 verifies under ISRG Root X1" openssl verify -x509_strict -attime 1735689600 \
    -CAfile "$LE/isrg-root-x1.pem" "$LE/le-r12.pem"
# (notices only: Boulder's own choices, such as 0x01-prefixed serials, differ from ISRG's)
cp "$LE"/*.pem .
passes isrg-root-x1
passes isrg-root-x2
passes le-e7 --issuer isrg-root-x2.pem
passes le-r12 --issuer isrg-root-x1.pem
vg_lint "lint of Let's Encrypt's certificates" 1 --json --issuer isrg-root-x1.pem \
    --profile cross isrg-root-x2-by-x1.pem le-r12.pem
vg_lint "lint --list --json" 0 --list --json
# Today's rules on them, as if they were signed now: what changed since 2024
caught le-e7 cert.notbefore_window --issuer isrg-root-x2.pem --at "$NOW"
verdict le-r12 subca.eku_chrome pass --issuer isrg-root-x1.pem
# The X2 cross (2020): issuer and subject are ISRG, so affiliated; BR 2.0.0's cross rules
# came later
lints isrg-root-x2-by-x1 1 '"affiliated":true' --issuer isrg-root-x1.pem --profile cross --json
verdict isrg-root-x2-by-x1 cross.eku_unrestricted not-applicable --issuer isrg-root-x1.pem \
    --profile cross
# the same cross-certificate without --profile: linted as a subordinate CA, which it reads as,
# and the message says how to lint it as the cross-certificate it is
"$CEREMONY" lint --issuer isrg-root-x1.pem isrg-root-x2-by-x1.pem >"$WORK/o" 2>&1
grep -q '^isrg-root-x2-by-x1.pem: linted as a subordinate CA (guessed from the file); for a cross-certificate give --profile cross$' "$WORK/o" &&
    pass "lint: a guessed subordinate with findings names --profile cross" ||
    fail "lint: the --profile cross hint" "$(cat "$WORK/o")"
"$CEREMONY" lint --json --issuer isrg-root-x1.pem isrg-root-x2-by-x1.pem | jq -e '.profile_guessed == true' >/dev/null &&
    "$CEREMONY" lint --json --profile cross --issuer isrg-root-x1.pem isrg-root-x2-by-x1.pem | jq -e '.profile_guessed == false' >/dev/null &&
    pass "lint --json: profile_guessed says whether the profile was guessed" ||
    fail "lint --json: profile_guessed"

# every file given is linted, even after one that cannot be read: each named, exit 2
"$CEREMONY" lint /nonexistent.pem "$LE/isrg-root-x1.pem" "$LE/le-r12.pem" >"$WORK/o" 2>"$WORK/e"; rc=$?
[ $rc = 2 ] && grep -q '^ceremony: /nonexistent.pem: cannot read' "$WORK/e" &&
    grep -q 'le-r12.pem is not self-issued: give --issuer CERT' "$WORK/e" &&
    grep -q '^ceremony: lint: 2 files could not be linted (named above)$' "$WORK/e" &&
    ! grep -q 'isrg-root-x1' "$WORK/e" &&
    pass "lint FILE...: every file linted after an unreadable one; each failure named, exit 2" ||
    fail "lint goes on after a file it cannot read" "exit $rc: $(cat "$WORK/e")"

done_tests
