// Command oracle builds, with Go's crypto/x509 alone, the certificate or CSR
// that Boulder's ceremony tool (cmd/ceremony) would build from a
// certificate-profile, and writes its to-be-signed part as DER.  The tests
// compare it, byte for byte, with the TBS that ceremony signed.
//
// It is written from what Boulder's makeTemplate, rootCeremony,
// intermediateCeremony, crossCertCeremony and generateCSR do (cert.go and
// main.go at 2d00c8e; the ocsp-signer shape from d5bb88b^), not copied from
// them.  Standard library only, for Debian 12's Go 1.19: no module is
// downloaded.
//
// Go 1.19 and Boulder's newer Go differ here (read in Go 1.19's
// crypto/x509/x509.go):
//   - Boulder sets Certificate.Policies ([]x509.OID, Go 1.22+); 1.19 has only
//     PolicyIdentifiers ([]asn1.ObjectIdentifier).  Both marshal a
//     PolicyInformation with the OID alone, so the bytes are the same.
//   - With an empty SubjectKeyId, 1.19 derives it with SHA-1; newer Go
//     (golang/go#71746, Go 1.25) with truncated SHA-256.  Boulder always sets
//     SubjectKeyId (RFC 7093 method 1), so neither default is used.
//
// The rest (buildCertExtensions' order, the string types, basicConstraints,
// no AKI for a self-signed template without AuthorityKeyId) is read in
// 1.19's source only; no newer Go is at hand here to run this against.
//
// Usage: oracle -in profile.json -out tbs.der [-alg alg.der]
//
//	oracle -tbs-of crl.pem -out tbs.der [-alg alg.der]
//
// The second form cuts the TBS out of a CRL (as Go parses it), so that the
// tests compare Go's bytes with ours without a parser of their own.  The
// crl shape is crl.go.
//
// -alg writes the outer signatureAlgorithm: the one a CSR carries (Go's
// default for the key, as Boulder's cross-csr leaves it to Go), or a
// certificate's copy of the one in its TBS.
//
// profile.json holds the certificate-profile as the ceremony script writes
// it (the same keys), plus the inputs:
//
//	shape: root | intermediate | cross-certificate | ocsp-signer | cross-csr | crl
//	serial: the hex of the integer (colons allowed)
//	public-key: PEM file of the subject's public key
//	issuer-certificate: PEM file (not for root and cross-csr)
//	certificate-to-cross-sign: PEM file (cross-certificate)
//	root-aki: true for a native root, which carries AKI = SKI
//	path-length, name-constraints, ocsp-url: native fields
package main

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"
)

type policy struct {
	OID string `json:"oid"`
}

type dn struct {
	Country      string `json:"country"`
	Organization string `json:"organization"`
}

type nameConstraints struct {
	PermittedDNS []string `json:"permitted-dns"`
	ExcludedDNS  []string `json:"excluded-dns"`
	PermittedIP  []string `json:"permitted-ip"`
	ExcludedIP   []string `json:"excluded-ip"`
	PermittedDN  []dn     `json:"permitted-dn"`
}

type profile struct {
	Shape              string           `json:"shape"`
	Serial             string           `json:"serial"`
	PublicKey          string           `json:"public-key"`
	IssuerCertificate  string           `json:"issuer-certificate"`
	CrossSign          string           `json:"certificate-to-cross-sign"`
	RootAKI            bool             `json:"root-aki"`
	SignatureAlgorithm string           `json:"signature-algorithm"`
	CommonName         string           `json:"common-name"`
	Organization       string           `json:"organization"`
	Country            string           `json:"country"`
	NotBefore          string           `json:"not-before"`
	NotAfter           string           `json:"not-after"`
	CRLURL             string           `json:"crl-url"`
	IssuerURL          string           `json:"issuer-url"`
	OCSPURL            string           `json:"ocsp-url"`
	Policies           []policy         `json:"policies"`
	KeyUsages          []string         `json:"key-usages"`
	EKUs               string           `json:"ekus"`
	PathLength         *int             `json:"path-length"`
	NameConstraints    *nameConstraints `json:"name-constraints"`
}

// The names of the ceremony script; Boulder's AllowedSigAlgs has the
// PKCS#1 v1.5 and ECDSA ones, the others are the native scripts'.
var sigAlgs = map[string]x509.SignatureAlgorithm{
	"SHA256WithRSA":    x509.SHA256WithRSA,
	"SHA384WithRSA":    x509.SHA384WithRSA,
	"SHA512WithRSA":    x509.SHA512WithRSA,
	"SHA256WithRSAPSS": x509.SHA256WithRSAPSS,
	"SHA384WithRSAPSS": x509.SHA384WithRSAPSS,
	"SHA512WithRSAPSS": x509.SHA512WithRSAPSS,
	"ECDSAWithSHA256":  x509.ECDSAWithSHA256,
	"ECDSAWithSHA384":  x509.ECDSAWithSHA384,
	"ECDSAWithSHA512":  x509.ECDSAWithSHA512,
	"PureEd25519":      x509.PureEd25519,
}

var keyUsages = map[string]x509.KeyUsage{
	"Digital Signature": x509.KeyUsageDigitalSignature,
	"Cert Sign":         x509.KeyUsageCertSign,
	"CRL Sign":          x509.KeyUsageCRLSign,
}

var oidOCSPNoCheck = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 5}

func main() {
	in := flag.String("in", "", "profile JSON")
	out := flag.String("out", "", "where the TBS DER goes")
	algOut := flag.String("alg", "", "where the signatureAlgorithm DER goes")
	tbsOf := flag.String("tbs-of", "", "a PEM CRL whose TBS and signatureAlgorithm to write")
	flag.Parse()
	if (*in == "") == (*tbsOf == "") || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: oracle -in profile.json | -tbs-of crl.pem -out tbs.der [-alg alg.der]")
		os.Exit(2)
	}
	var tbs, alg []byte
	var err error
	if *tbsOf != "" {
		*in = *tbsOf
		tbs, alg, err = crlParts(*tbsOf)
	} else {
		tbs, alg, err = run(*in)
	}
	if err == nil {
		err = os.WriteFile(*out, tbs, 0o644)
	}
	if err == nil && *algOut != "" {
		err = os.WriteFile(*algOut, alg, 0o644)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "oracle: %s: %v\n", *in, err)
		os.Exit(1)
	}
}

// run gives the TBS and the outer signatureAlgorithm of what Go signed.
func run(path string) ([]byte, []byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var shape struct {
		Shape string `json:"shape"`
	}
	if json.Unmarshal(raw, &shape) == nil && shape.Shape == "crl" {
		return crlTBS(raw)
	}
	var p profile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, nil, err
	}
	pub, err := readPublicKey(p.PublicKey)
	if err != nil {
		return nil, nil, err
	}
	var der, tbs []byte
	if p.Shape == "cross-csr" {
		der, tbs, err = csrTBS(&p, pub)
	} else {
		der, tbs, err = certTBS(&p, pub)
	}
	if err != nil {
		return nil, nil, err
	}
	// Certificate and CertificationRequest alike: TBS, AlgorithmIdentifier, BIT STRING.
	var signed struct {
		TBS       asn1.RawValue
		Algorithm asn1.RawValue
		Signature asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &signed); err != nil {
		return nil, nil, err
	}
	return tbs, signed.Algorithm.FullBytes, nil
}

func readPEM(path, want string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != want {
		return nil, fmt.Errorf("%s: no %s PEM block", path, want)
	}
	return block.Bytes, nil
}

func readPublicKey(path string) (crypto.PublicKey, error) {
	der, err := readPEM(path, "PUBLIC KEY")
	if err != nil {
		return nil, err
	}
	return x509.ParsePKIXPublicKey(der)
}

func readCert(path string) (*x509.Certificate, error) {
	der, err := readPEM(path, "CERTIFICATE")
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// subject is Boulder's certProfile.Subject: C, O and CN, each a one-element
// list, in the string type encoding/asn1 picks.
func subject(p *profile) pkix.Name {
	return pkix.Name{
		CommonName:   p.CommonName,
		Organization: []string{p.Organization},
		Country:      []string{p.Country},
	}
}

// skid is RFC 7093 method 1, as Boulder's core.GenerateSKID: the leftmost
// 160 bits of SHA-256 over the subjectPublicKey BIT STRING's bytes.
func skid(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		Key       asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(spki.Key.Bytes)
	return sum[:20], nil
}

func serialOf(s string) (*big.Int, error) {
	n, ok := new(big.Int).SetString(strings.ReplaceAll(s, ":", ""), 16)
	if !ok || n.Sign() <= 0 {
		return nil, fmt.Errorf("serial %q is not the hex of a positive integer", s)
	}
	return n, nil
}

func parseTime(s string) (time.Time, error) {
	return time.Parse("2006-01-02 15:04:05", s)
}

// ekus is makeTemplate's switch on profile.EKUs for every type but root.
func ekus(p *profile) ([]x509.ExtKeyUsage, error) {
	switch p.EKUs {
	case "", "server":
		return []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, nil
	case "both":
		return []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}, nil
	}
	return nil, fmt.Errorf("ekus %q", p.EKUs)
}

// template is makeTemplate for the certificate shapes.
func template(p *profile, pub crypto.PublicKey, tbcs *x509.Certificate) (*x509.Certificate, error) {
	serial, err := serialOf(p.Serial)
	if err != nil {
		return nil, err
	}
	ski, err := skid(pub)
	if err != nil {
		return nil, err
	}
	alg, ok := sigAlgs[p.SignatureAlgorithm]
	if !ok {
		return nil, fmt.Errorf("signature-algorithm %q", p.SignatureAlgorithm)
	}
	nb, err := parseTime(p.NotBefore)
	if err != nil {
		return nil, err
	}
	na, err := parseTime(p.NotAfter)
	if err != nil {
		return nil, err
	}
	var ku x509.KeyUsage
	for _, s := range p.KeyUsages {
		bit, ok := keyUsages[s]
		if !ok {
			return nil, fmt.Errorf("key usage %q", s)
		}
		ku |= bit
	}
	t := &x509.Certificate{
		SerialNumber:          serial,
		SignatureAlgorithm:    alg,
		BasicConstraintsValid: true,
		IsCA:                  true,
		Subject:               subject(p),
		NotBefore:             nb,
		NotAfter:              na,
		KeyUsage:              ku,
		SubjectKeyId:          ski,
	}
	if p.CRLURL != "" {
		t.CRLDistributionPoints = []string{p.CRLURL}
	}
	if p.IssuerURL != "" {
		t.IssuingCertificateURL = []string{p.IssuerURL}
	}
	if p.OCSPURL != "" {
		t.OCSPServer = []string{p.OCSPURL}
	}
	for _, pol := range p.Policies {
		oid, err := parseOID(pol.OID)
		if err != nil {
			return nil, err
		}
		t.PolicyIdentifiers = append(t.PolicyIdentifiers, oid)
	}
	switch p.Shape {
	case "root":
		// No EKU, no pathLen; Go writes an AKI for a self-signed
		// template only from AuthorityKeyId, which Boulder leaves empty.
		if p.RootAKI {
			t.AuthorityKeyId = ski
		}
	case "intermediate":
		if t.ExtKeyUsage, err = ekus(p); err != nil {
			return nil, err
		}
		// Boulder: MaxPathLenZero; native scripts may ask for more.
		if p.PathLength != nil {
			t.MaxPathLen = *p.PathLength
		}
		t.MaxPathLenZero = t.MaxPathLen == 0
	case "cross-certificate":
		if t.ExtKeyUsage, err = ekus(p); err != nil {
			return nil, err
		}
		if len(tbcs.ExtKeyUsage) != 0 && !reflect.DeepEqual(t.ExtKeyUsage, tbcs.ExtKeyUsage) {
			return nil, errors.New("the profile's EKUs are not those of the certificate to cross-sign")
		}
		// Boulder copies MaxPathLenZero alone, which is the whole
		// constraint for what it issues (pathLen 0 or none); both are
		// copied here so that a native pathLen above 0 is kept too.
		t.MaxPathLen = tbcs.MaxPathLen
		t.MaxPathLenZero = tbcs.MaxPathLenZero
		t.SubjectKeyId = tbcs.SubjectKeyId
	case "ocsp-signer":
		// d5bb88b^ makeTemplate, ocspCert: not a CA, digitalSignature,
		// OCSPSigning, and id-pkix-ocsp-nocheck as an ExtraExtension.
		t.IsCA = false
		t.KeyUsage = x509.KeyUsageDigitalSignature
		t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}
		t.ExtraExtensions = append(t.ExtraExtensions,
			pkix.Extension{Id: oidOCSPNoCheck, Value: []byte{5, 0}})
	default:
		return nil, fmt.Errorf("shape %q", p.Shape)
	}
	if p.NameConstraints != nil {
		if err := constrain(t, p.NameConstraints); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func parseOID(s string) (asn1.ObjectIdentifier, error) {
	var oid asn1.ObjectIdentifier
	for _, part := range strings.Split(s, ".") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("OID %q", s)
		}
		oid = append(oid, n)
	}
	return oid, nil
}

// constrain sets a technically constrained CA's name constraints, critical,
// with the exclusions BR 7.1.2.5.2 requires for each type of name that
// nothing is permitted of (a zero-length dNSName, 0.0.0.0/0, ::/0).
func constrain(t *x509.Certificate, nc *nameConstraints) error {
	nets := func(list []string) ([]*net.IPNet, error) {
		var out []*net.IPNet
		for _, s := range list {
			_, n, err := net.ParseCIDR(s)
			if err != nil {
				return nil, err
			}
			out = append(out, n)
		}
		return out, nil
	}
	var err error
	t.PermittedDNSDomainsCritical = true
	t.PermittedDNSDomains = nc.PermittedDNS
	t.ExcludedDNSDomains = append([]string{}, nc.ExcludedDNS...)
	if t.PermittedIPRanges, err = nets(nc.PermittedIP); err != nil {
		return err
	}
	if t.ExcludedIPRanges, err = nets(nc.ExcludedIP); err != nil {
		return err
	}
	if len(nc.PermittedDNS) == 0 {
		t.ExcludedDNSDomains = append(t.ExcludedDNSDomains, "")
	}
	v4, v6 := false, false
	for _, n := range t.PermittedIPRanges {
		if n.IP.To4() != nil {
			v4 = true
		} else {
			v6 = true
		}
	}
	if !v4 {
		t.ExcludedIPRanges = append(t.ExcludedIPRanges,
			&net.IPNet{IP: net.IPv4zero.To4(), Mask: net.CIDRMask(0, 32)})
	}
	if !v6 {
		t.ExcludedIPRanges = append(t.ExcludedIPRanges,
			&net.IPNet{IP: net.IPv6zero, Mask: net.CIDRMask(0, 128)})
	}
	return nil
}

// throwaway is a fresh key of pub's type (and curve).  Go 1.19 checks the
// signature it gets back, so CreateCertificate signs with it; the TBS does
// not depend on the signer's key, only on its type (the signature
// AlgorithmIdentifier), and Go never sees the HSM's key.
func throwaway(pub crypto.PublicKey) (crypto.Signer, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		// Its size is in no TBS; 1536 bits are quick to make and hold a
		// SHA-512 PSS signature (64-octet salt).
		return rsa.GenerateKey(rand.Reader, 1536)
	case *ecdsa.PublicKey:
		return ecdsa.GenerateKey(k.Curve, rand.Reader)
	case ed25519.PublicKey:
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		return priv, err
	}
	return nil, fmt.Errorf("unsupported key type %T", pub)
}

func certTBS(p *profile, pub crypto.PublicKey) ([]byte, []byte, error) {
	var issuer, tbcs *x509.Certificate
	var err error
	if p.Shape != "root" {
		if issuer, err = readCert(p.IssuerCertificate); err != nil {
			return nil, nil, err
		}
	}
	if p.Shape == "cross-certificate" {
		if tbcs, err = readCert(p.CrossSign); err != nil {
			return nil, nil, err
		}
	}
	t, err := template(p, pub, tbcs)
	if err != nil {
		return nil, nil, err
	}
	parent := t
	signerKey := pub
	if issuer != nil {
		// intermediateCeremony and crossCertCeremony set the AKI to the
		// issuer's SKI (CreateCertificate does the same from parent).
		t.AuthorityKeyId = issuer.SubjectKeyId
		copied := *issuer
		signerKey = copied.PublicKey
		copied.PublicKey = nil // so that the throwaway signer is accepted
		parent = &copied
	}
	signer, err := throwaway(signerKey)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, t, parent, pub, signer)
	if err != nil {
		return nil, nil, err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	// crossCertCeremony: the profile's subject must be the existing one's.
	if tbcs != nil && !bytes.Equal(c.RawSubject, tbcs.RawSubject) {
		return nil, nil, fmt.Errorf("the profile's subject %x is not the cross-signed certificate's %x",
			c.RawSubject, tbcs.RawSubject)
	}
	if p.NameConstraints != nil && len(p.NameConstraints.PermittedDN) > 0 {
		tbs, err := withDirectoryNames(c.RawTBSCertificate, p.NameConstraints.PermittedDN)
		return der, tbs, err
	}
	return der, c.RawTBSCertificate, nil
}

// The TBSCertificate, re-marshalled by encoding/asn1 around what it holds.
type tbsCertificate struct {
	Version    int `asn1:"optional,explicit,default:0,tag:0"`
	Serial     *big.Int
	Signature  asn1.RawValue
	Issuer     asn1.RawValue
	Validity   asn1.RawValue
	Subject    asn1.RawValue
	PublicKey  asn1.RawValue
	Extensions []pkix.Extension `asn1:"optional,explicit,tag:3"`
}

var oidNameConstraints = asn1.ObjectIdentifier{2, 5, 29, 30}

// withDirectoryNames adds directoryName subtrees (BR 7.1.2.5.2 wants one
// for a technically constrained CA) to the permitted subtrees Go wrote.  Go
// 1.19 has no template field for them; each Name is marshalled by
// encoding/asn1 as a subject is, and goes after the dNSName and iPAddress
// subtrees, where ceremony puts it.
func withDirectoryNames(raw []byte, dns []dn) ([]byte, error) {
	var t tbsCertificate
	if _, err := asn1.Unmarshal(raw, &t); err != nil {
		return nil, err
	}
	var add []byte
	for _, d := range dns {
		var n pkix.Name
		if d.Country != "" {
			n.Country = []string{d.Country}
		}
		if d.Organization != "" {
			n.Organization = []string{d.Organization}
		}
		name, err := asn1.Marshal(n.ToRDNSequence())
		if err != nil {
			return nil, err
		}
		dirName := asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true, Bytes: name}
		b, err := asn1.Marshal(dirName)
		if err != nil {
			return nil, err
		}
		if b, err = asn1.Marshal(asn1.RawValue{Tag: asn1.TagSequence, IsCompound: true, Bytes: b}); err != nil {
			return nil, err
		}
		add = append(add, b...)
	}
	for i, e := range t.Extensions {
		if !e.Id.Equal(oidNameConstraints) {
			continue
		}
		var nc asn1.RawValue
		if _, err := asn1.Unmarshal(e.Value, &nc); err != nil {
			return nil, err
		}
		var parts [][]byte
		permitted := asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true}
		for rest := nc.Bytes; len(rest) > 0; {
			var part asn1.RawValue
			var err error
			if rest, err = asn1.Unmarshal(rest, &part); err != nil {
				return nil, err
			}
			if part.Class == asn1.ClassContextSpecific && part.Tag == 0 {
				permitted.Bytes = part.Bytes
			} else {
				parts = append(parts, part.FullBytes)
			}
		}
		permitted.Bytes = append(append([]byte{}, permitted.Bytes...), add...)
		b, err := asn1.Marshal(permitted)
		if err != nil {
			return nil, err
		}
		body := append(b, bytes.Join(parts, nil)...)
		if t.Extensions[i].Value, err = asn1.Marshal(asn1.RawValue{Tag: asn1.TagSequence,
			IsCompound: true, Bytes: body}); err != nil {
			return nil, err
		}
		return asn1.Marshal(t)
	}
	return nil, errors.New("no nameConstraints to add directoryNames to")
}

// fakeSigner has the subject's public key (it goes into the CSR) and signs
// nothing: Go 1.19's CreateCertificateRequest does not check the signature.
type fakeSigner struct{ pub crypto.PublicKey }

func (f fakeSigner) Public() crypto.PublicKey { return f.pub }
func (f fakeSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return []byte{0}, nil
}

// csrTBS is generateCSR: a template with the subject alone.
func csrTBS(p *profile, pub crypto.PublicKey) ([]byte, []byte, error) {
	der, err := x509.CreateCertificateRequest(rand.Reader,
		&x509.CertificateRequest{Subject: subject(p)}, fakeSigner{pub})
	if err != nil {
		return nil, nil, err
	}
	req, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, nil, err
	}
	return der, req.RawTBSCertificateRequest, nil
}
