#!/bin/sh
# Regenerates the openssl-made fixtures of the certs tests (the Go tests build
# everything else themselves). Certificates are valid for 100 years from the
# day this ran; the tests inject a clock inside that window.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# DSA leaf: Go parses DSA public keys but cannot create DSA certificates.
openssl dsaparam -out "$tmp/dsa.params" 2048
openssl req -x509 -newkey dsa:"$tmp/dsa.params" -nodes -keyout dsa.key -out dsa.crt \
	-days 36500 -subj /CN=dsa.example.com

# openssl ecparam -genkey writes EC PARAMETERS before the EC PRIVATE KEY.
openssl ecparam -name prime256v1 -genkey -out ecparam.key
openssl req -x509 -new -key ecparam.key -out ecparam.crt -days 36500 \
	-subj /CN=ec.example.com -addext subjectAltName=DNS:ec.example.com,DNS:www.ec.example.com

# Encrypted keys as openssl writes them: legacy PEM encryption (Proc-Type and
# DEK-Info headers) and PKCS#8 (ENCRYPTED PRIVATE KEY).
openssl genrsa -out "$tmp/rsa.key" 2048
openssl rsa -in "$tmp/rsa.key" -traditional -aes128 -passout pass:secret -out rsa-legacy-encrypted.key
openssl pkcs8 -topk8 -in "$tmp/rsa.key" -v2 aes-256-cbc -passout pass:secret -out rsa-pkcs8-encrypted.key
