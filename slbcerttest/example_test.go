package slbcerttest_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/slbcerttest"
)

// selfSigned returns a self-signed RSA 2048 certificate for name and its
// PKCS#1 key, as PEM: what a test uploads.
func selfSigned(name string, notAfter time.Time) (certPEM, keyPEM string) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     notAfter,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
}

// A server inside the process, and the official SDK pointed at it. In a
// test, slbcerttest.NewServer(t) does the same and stops it with the test.
func Example() {
	dir, err := os.MkdirTemp("", "slbcerttest-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	srv, err := slbcerttest.Start(dir)
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	client, err := srv.SLBClient("cn-hangzhou")
	if err != nil {
		panic(err)
	}
	certPEM, keyPEM := selfSigned("www.example.com", time.Date(2036, 1, 2, 3, 4, 5, 0, time.UTC))
	upload := slb.CreateUploadServerCertificateRequest()
	upload.ServerCertificate, upload.PrivateKey = certPEM, keyPEM
	upload.ServerCertificateName = "www"
	created, err := client.UploadServerCertificate(upload)
	if err != nil {
		panic(err)
	}

	describe := slb.CreateDescribeServerCertificatesRequest()
	describe.ServerCertificateId = created.ServerCertificateId
	found, err := client.DescribeServerCertificates(describe)
	if err != nil {
		panic(err)
	}
	for _, c := range found.ServerCertificates.ServerCertificate {
		fmt.Println(c.ServerCertificateName, c.CommonName, c.ExpireTime, c.IsAliCloudCertificate)
	}
	// Output: www www.example.com 2036-01-02T03:04:05Z 0
}
