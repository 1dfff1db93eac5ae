// pki DIR NOTBEFORE NLEAVES: a CA with digitalSignature (ca), one without (nods), another
// (other), an intermediate under ca (int), ca's delegated responders (resp: RSA-2048,
// OCSPSigning; resp-noeku: none; resp-short: valid 2 days), other's leaf, and NLEAVES
// subscriber certificates under ca in DIR/leaves, listed in DIR/leaves.txt ("<serial hex>
// <SHA-256 of the DER>").  Keys PKCS#8 PEM.
package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"strconv"
	"time"
)

var dir string

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func save(name, typ string, der []byte) {
	must(os.WriteFile(dir+"/"+name, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0600))
}

func serial() *big.Int {
	b := make([]byte, 16)
	rand.Read(b)
	b[0] = 0x01
	return new(big.Int).SetBytes(b)
}

type ca struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func issue(t *x509.Certificate, pub crypto.PublicKey, by *ca, self crypto.Signer) *x509.Certificate {
	parent, signer := t, self
	if by != nil {
		parent, signer = by.cert, by.key
	}
	der, err := x509.CreateCertificate(rand.Reader, t, parent, pub, signer)
	must(err)
	c, err := x509.ParseCertificate(der)
	must(err)
	return c
}

func newCA(name, cn string, nb time.Time, ku x509.KeyUsage, by *ca) *ca {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	t := &x509.Certificate{SerialNumber: serial(), NotBefore: nb, NotAfter: nb.AddDate(5, 0, 0),
		Subject:  pkix.Name{Country: []string{"US"}, Organization: []string{"Test CA"}, CommonName: cn},
		KeyUsage: ku, BasicConstraintsValid: true, IsCA: true}
	c := issue(t, &k.PublicKey, by, k)
	der, err := x509.MarshalPKCS8PrivateKey(k)
	must(err)
	save(name+".key", "PRIVATE KEY", der)
	save(name+".pem", "CERTIFICATE", c.Raw)
	return &ca{c, k}
}

func responder(name string, key *rsa.PrivateKey, by *ca, nb, na time.Time, eku bool) {
	t := &x509.Certificate{SerialNumber: serial(), NotBefore: nb, NotAfter: na,
		Subject:  pkix.Name{Country: []string{"US"}, Organization: []string{"Test CA"}, CommonName: "Test OCSP Responder"},
		KeyUsage: x509.KeyUsageDigitalSignature, BasicConstraintsValid: true,
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 5}, Value: []byte{5, 0}}}}
	if eku {
		t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}
	}
	save(name+".pem", "CERTIFICATE", issue(t, &key.PublicKey, by, nil).Raw)
}

func leaf(path string, pub crypto.PublicKey, by *ca, nb time.Time, i int) string {
	t := &x509.Certificate{SerialNumber: serial(), NotBefore: nb, NotAfter: nb.AddDate(0, 0, 90),
		Subject:  pkix.Name{CommonName: fmt.Sprintf("leaf%d.example.com", i)},
		DNSNames: []string{fmt.Sprintf("leaf%d.example.com", i)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, t, by.cert, pub, by.key)
	must(err)
	must(os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0644))
	return fmt.Sprintf("%x %x\n", t.SerialNumber.Bytes(), sha256.Sum256(der))
}

func main() {
	dir = os.Args[1]
	sec, _ := strconv.ParseInt(os.Args[2], 10, 64)
	n, _ := strconv.Atoi(os.Args[3])
	nb := time.Unix(sec, 0).UTC()
	signing := x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	c := newCA("ca", "Test Issuing CA", nb, signing|x509.KeyUsageDigitalSignature, nil)
	newCA("nods", "Test CA Without DS", nb, signing, nil)
	o := newCA("other", "Another CA", nb, signing|x509.KeyUsageDigitalSignature, nil)
	newCA("int", "Test Intermediate", nb, signing, c)
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	der, err := x509.MarshalPKCS8PrivateKey(rk)
	must(err)
	save("resp.key", "PRIVATE KEY", der)
	responder("resp", rk, c, nb, nb.AddDate(1, 0, 0), true)
	responder("resp-noeku", rk, c, nb, nb.AddDate(1, 0, 0), false)
	responder("resp-short", rk, c, nb, nb.AddDate(0, 0, 2), true)
	lk, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	_ = leaf(dir+"/other-leaf.pem", &lk.PublicKey, o, nb, 0)
	must(os.MkdirAll(dir+"/leaves", 0755))
	list := ""
	for i := 0; i < n; i++ {
		list += leaf(fmt.Sprintf("%s/leaves/leaf-%05d.pem", dir, i), &lk.PublicKey, c, nb, i)
	}
	must(os.WriteFile(dir+"/leaves.txt", []byte(list), 0644))
}
