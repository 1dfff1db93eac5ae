#!/usr/bin/env bash
# bench/manual.sh DIR: the hierarchy of bench/hierarchy.yaml the manual route, one process
# per step as an operator would type it: keys by pkcs11-tool, certificates, the CRL and the
# OCSP responses by openssl with libp11's engine (libengine-pkcs11-openssl), which loads
# the module itself (no p11-kit proxy).  No rehearsal, no lint, no verification, no record,
# no fsync.  Needs the tokens bench-root and bench-issuing (initialised, empty), BENCH_PIN,
# and SOFTHSM2_CONF; MODULE (SoftHSM's by default).  Writes into DIR; exits non-zero on the
# first failure.
set -eu
MODULE=${MODULE:-/usr/lib/softhsm/libsofthsm2.so}
P=$BENCH_PIN
cd "$1"
ENGINE=$(ls /usr/lib/*/engines-3/pkcs11.so 2>/dev/null | head -n1)
# the configuration of every openssl command: the engine, req's and x509's sections
cat > openssl.cnf <<CNF
openssl_conf = init
[init]
engines = engines
[engines]
pkcs11 = p11
[p11]
engine_id = pkcs11
dynamic_path = $ENGINE
MODULE_PATH = $MODULE
[req]
distinguished_name = dn
[dn]
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
extendedKeyUsage = serverAuth,clientAuth
certificatePolicies = 2.23.140.1.2.1
crlDistributionPoints = URI:http://crl.example.com/b1.crl
authorityInfoAccess = caIssuers;URI:http://cert.example.com/b1.der
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[responder]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
# openssl ca -config loads its file's modules again: its own, without the engine
cat > ca.cnf <<CNF
[ca]
default_ca = b1
[b1]
database = index.txt
certificate = b1.pem
crlnumber = crlnumber
default_md = sha384
default_crl_days = 365
crl_extensions = crl_ext
[crl_ext]
authorityKeyIdentifier = keyid
CNF
export OPENSSL_CONF=$PWD/openssl.cnf
: > index.txt
echo 01 > crlnumber
key() {		# TOKEN LABEL ID TYPE
	pkcs11-tool --module "$MODULE" --token-label "$1" --login --pin "$P" --keypairgen \
	    --key-type "$4" --label "$2" --id "$3" >/dev/null 2>&1
}
uri() { echo "pkcs11:token=$1;object=$2;type=private?pin-value=$P"; }
serial() { echo "0x$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n' | sed 's/^./4/')"; }
E="-engine pkcs11"

key bench-root b1 01 EC:secp384r1
openssl req -new -x509 $E -keyform engine -key "$(uri bench-root b1)" -sha384 -days 7300 \
    -set_serial "$(serial)" -subj '/C=US/O=Bench CA/CN=Bench Root B1' -extensions root -out b1.pem 2>/dev/null
key bench-issuing bi1 02 EC:secp384r1
key bench-issuing bo1 03 EC:prime256v1
openssl req -new $E -keyform engine -key "$(uri bench-issuing bi1)" \
    -subj '/C=US/O=Bench CA/CN=Bench Intermediate BI1' -out bi1.csr 2>/dev/null
openssl x509 -req $E -in bi1.csr -CA b1.pem -CAkeyform engine -CAkey "$(uri bench-root b1)" \
    -sha384 -days 1095 -set_serial "$(serial)" -extfile openssl.cnf -extensions intermediate \
    -out bi1.pem 2>/dev/null
openssl req -new $E -keyform engine -key "$(uri bench-issuing bo1)" \
    -subj '/C=US/O=Bench CA/CN=Bench Root B1 OCSP Responder BO1' -out bo1.csr 2>/dev/null
openssl x509 -req $E -in bo1.csr -CA b1.pem -CAkeyform engine -CAkey "$(uri bench-root b1)" \
    -sha384 -days 365 -set_serial "$(serial)" -extfile openssl.cnf -extensions responder \
    -out bo1.pem 2>/dev/null
openssl ca -config ca.cnf $E -keyform engine -keyfile "$(uri bench-root b1)" -gencrl \
    -out b1.crl.pem 2>/dev/null
# the index the responses are made from: the intermediate, valid
printf 'V\t%s\t\t%s\tunknown\t%s\n' "$(date -u -d '+3 years' +%y%m%d%H%M%SZ)" \
    "$(openssl x509 -in bi1.pem -noout -serial | cut -d= -f2)" \
    '/C=US/O=Bench CA/CN=Bench Intermediate BI1' > index.txt
openssl ocsp -index index.txt -CA b1.pem -issuer b1.pem -cert bi1.pem -rsigner b1.pem \
    -rkey "org.openssl.engine:pkcs11:$(uri bench-root b1)" -rmd sha384 -ndays 365 \
    -respout bi1.ocsp.der >/dev/null 2>&1
openssl ocsp -index index.txt -CA b1.pem -issuer b1.pem -cert bi1.pem -rsigner bo1.pem \
    -rkey "org.openssl.engine:pkcs11:$(uri bench-issuing bo1)" -rmd sha256 -ndays 365 \
    -respout bi1.bo1.ocsp.der >/dev/null 2>&1
