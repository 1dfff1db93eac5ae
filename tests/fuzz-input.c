/*
 * fuzz-input.c: libFuzzer harness for the input readers (x509/input.h):
 * certificates and public keys, PEM or DER, strict and lenient, and the
 * checks on a certificate a CA builds on.  Any input must give CER_OK or a
 * clean error, never a crash, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>

#include <openssl/err.h>

#include "base/err.h"
#include "x509/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	EVP_PKEY *k = NULL;
	X509 *x = NULL;
	int mode;

	for (mode = CER_INPUT_LENIENT; mode <= CER_INPUT_STRICT; mode++) {
		if (cer_input_parse_cert("fuzz", data, size, mode, &x) == CER_OK) {
			(void)cer_input_check_ca("fuzz", x);
			X509_free(x);
			x = NULL;
		}
		if (cer_input_parse_pubkey("fuzz", data, size, mode, &k) == CER_OK) {
			EVP_PKEY_free(k);
			k = NULL;
		}
	}
	ERR_clear_error();
	cer_err_clear();
	return 0;
}
