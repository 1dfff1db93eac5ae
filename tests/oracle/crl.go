package main

// The crl shape: the CRL Boulder's crl ceremony builds (crlCeremony in
// cmd/ceremony/main.go, generateCRL in cmd/ceremony/crl.go, the IDP of
// crl/idp's MakeCACertsExt; read at 2d00c8e, not copied), made with
// x509.CreateRevocationList, with one deliberate difference: each entry
// keeps its reasonCode.
//
// Boulder puts the reason into RevocationListEntry.Extensions, which Go's
// CreateRevocationList ignores when it creates a CRL (it takes ReasonCode
// and ExtraExtensions; golang/go#53573, Go 1.21), so Boulder's entries lose
// it.  ceremony writes it, as Go writes RevocationListEntry.ReasonCode: a
// non-critical id-ce-reasonCode holding the ENUMERATED, none for
// unspecified (0).  Debian's Go 1.19 predates RevocationListEntry; its
// RevokedCertificates entries carry Extensions as given, so the reasonCode
// is written here as ReasonCode would make it.
//
// Go 1.19 writes the issuer by re-encoding the issuer's parsed Subject;
// Go 1.20 and later copy its RawSubject (golang/go#53754).  The two agree
// for issuers whose names Go encodes as Go would, which every certificate
// ceremony makes is; the oracle refuses an issuer where they would differ.
//
// profile.json for the crl shape (Boulder's crl-profile, plus the inputs):
//
//	issuer-certificate: PEM file of the issuer
//	this-update, next-update: "2006-01-02 15:04:05", UTC
//	number: the CRL number
//	revoked-certificates: [{serial (hex), revocation-date, revocation-reason}]
//	scope: "" or ca-only (Boulder's), full, partitioned (native scripts)
//	distribution-points: URLs of a partition's IDP (native scripts)
//	signature-algorithm: as in a certificate-profile; "" for the key's default

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
)

type crlEntry struct {
	Serial           string `json:"serial"`
	RevocationDate   string `json:"revocation-date"`
	RevocationReason string `json:"revocation-reason"`
}

type crlProfile struct {
	Shape              string     `json:"shape"`
	IssuerCertificate  string     `json:"issuer-certificate"`
	SignatureAlgorithm string     `json:"signature-algorithm"`
	ThisUpdate         string     `json:"this-update"`
	NextUpdate         string     `json:"next-update"`
	Number             int64      `json:"number"`
	Scope              string     `json:"scope"`
	DistributionPoints []string   `json:"distribution-points"`
	Revoked            []crlEntry `json:"revoked-certificates"`
}

// RFC 5280 5.3.1 CRLReason, by the names Boulder's revocation package uses.
var crlReasons = map[string]int{
	"unspecified": 0, "keyCompromise": 1, "cACompromise": 2, "affiliationChanged": 3,
	"superseded": 4, "cessationOfOperation": 5, "certificateHold": 6, "removeFromCRL": 8,
	"privilegeWithdrawn": 9, "aACompromise": 10,
}

var (
	oidReasonCode = asn1.ObjectIdentifier{2, 5, 29, 21}
	oidIDP        = asn1.ObjectIdentifier{2, 5, 29, 28}
)

// The IssuingDistributionPoint (RFC 5280 5.2.5) as far as a CRL here uses it.
type distributionPointName struct {
	FullName []asn1.RawValue `asn1:"optional,tag:0"`
}

type issuingDistributionPoint struct {
	DistributionPoint     distributionPointName `asn1:"optional,tag:0"`
	OnlyContainsUserCerts bool                  `asn1:"optional,tag:1"`
	OnlyContainsCACerts   bool                  `asn1:"optional,tag:2"`
}

// idpExtension is MakeCACertsExt for ca-only (onlyContainsCACerts alone),
// with the fullName URIs of distribution-points when given; none for full.
func idpExtension(p *crlProfile) (*pkix.Extension, error) {
	var v issuingDistributionPoint
	switch p.Scope {
	case "", "ca-only":
		v.OnlyContainsCACerts = true
	case "partitioned":
		if len(p.DistributionPoints) == 0 {
			return nil, errors.New("a partitioned CRL names its distribution points")
		}
	case "full":
		return nil, nil
	default:
		return nil, fmt.Errorf("scope %q", p.Scope)
	}
	for _, u := range p.DistributionPoints {
		v.DistributionPoint.FullName = append(v.DistributionPoint.FullName,
			asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 6, Bytes: []byte(u)})
	}
	b, err := asn1.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &pkix.Extension{Id: oidIDP, Critical: true, Value: b}, nil
}

// entry is what crlCeremony makes of a revoked-certificates entry, with the
// reasonCode that RevocationListEntry.ReasonCode would give it.
func entry(e crlEntry) (pkix.RevokedCertificate, error) {
	var rc pkix.RevokedCertificate
	serial, err := serialOf(e.Serial)
	if err != nil {
		return rc, err
	}
	at, err := parseTime(e.RevocationDate)
	if err != nil {
		return rc, err
	}
	code, ok := crlReasons[e.RevocationReason]
	if !ok {
		return rc, fmt.Errorf("revocation-reason %q", e.RevocationReason)
	}
	rc = pkix.RevokedCertificate{SerialNumber: serial, RevocationTime: at}
	if code != 0 {
		v, err := asn1.Marshal(asn1.Enumerated(code))
		if err != nil {
			return rc, err
		}
		rc.Extensions = []pkix.Extension{{Id: oidReasonCode, Value: v}}
	}
	return rc, nil
}

// crlTBS is generateCRL: the template, CreateRevocationList, and its TBS.
func crlTBS(raw []byte) ([]byte, []byte, error) {
	var p crlProfile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, nil, err
	}
	issuer, err := readCert(p.IssuerCertificate)
	if err != nil {
		return nil, nil, err
	}
	tu, err := parseTime(p.ThisUpdate)
	if err != nil {
		return nil, nil, err
	}
	nu, err := parseTime(p.NextUpdate)
	if err != nil {
		return nil, nil, err
	}
	t := &x509.RevocationList{Number: big.NewInt(p.Number), ThisUpdate: tu, NextUpdate: nu}
	if p.SignatureAlgorithm != "" {
		alg, ok := sigAlgs[p.SignatureAlgorithm]
		if !ok {
			return nil, nil, fmt.Errorf("signature-algorithm %q", p.SignatureAlgorithm)
		}
		t.SignatureAlgorithm = alg
	}
	for _, e := range p.Revoked {
		rc, err := entry(e)
		if err != nil {
			return nil, nil, err
		}
		t.RevokedCertificates = append(t.RevokedCertificates, rc)
	}
	idp, err := idpExtension(&p)
	if err != nil {
		return nil, nil, err
	}
	if idp != nil {
		t.ExtraExtensions = append(t.ExtraExtensions, *idp)
	}
	signer, err := throwaway(issuer.PublicKey)
	if err != nil {
		return nil, nil, err
	}
	// Boulder hands it a reader that always fails (the HSM needs none); the
	// throwaway key here signs in software, and its signature is not compared.
	der, err := x509.CreateRevocationList(rand.Reader, t, issuer, signer)
	if err != nil {
		return nil, nil, err
	}
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		return nil, nil, err
	}
	if !bytes.Equal(crl.RawIssuer, issuer.RawSubject) {
		return nil, nil, errors.New("Go 1.19 re-encodes this issuer's name differently from " +
			"its RawSubject, which newer Go copies (golang/go#53754)")
	}
	return crl.RawTBSRevocationList, outerAlgorithm(der), nil
}

// crlParts is a PEM CRL's TBS and signatureAlgorithm, as Go parses them.
func crlParts(path string) ([]byte, []byte, error) {
	der, err := readPEM(path, "X509 CRL")
	if err != nil {
		return nil, nil, err
	}
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		return nil, nil, err
	}
	return crl.RawTBSRevocationList, outerAlgorithm(der), nil
}

// outerAlgorithm is the AlgorithmIdentifier after the TBS of a signed object.
func outerAlgorithm(der []byte) []byte {
	var signed struct {
		TBS       asn1.RawValue
		Algorithm asn1.RawValue
		Signature asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &signed); err != nil {
		return nil
	}
	return signed.Algorithm.FullBytes
}
