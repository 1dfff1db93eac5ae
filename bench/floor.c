/*
 * floor.c: the physical floor of a ceremony on this machine: only the
 * PKCS#11 calls its work needs, nothing else (no checks, no files, no
 * certificates: the signatures are over fixed digests).  tests/bench.sh
 * (make bench) times it beside `ceremony run` and bench/manual.sh.
 *
 *   floor hierarchy MODULE ROOT_SLOT ISSUING_SLOT PIN
 *	bench/hierarchy.yaml's PKCS#11 work: module load (C_GetFunctionList,
 *	C_Initialize), a session and a login on each token, the three key
 *	pairs with the CA template (P-384 root, P-384 intermediate, P-256
 *	responder), each public point read once (what a certificate needs),
 *	six signatures (three certificates and the CRL by the root, one OCSP
 *	response by the root and one by the responder), C_Finalize.
 *   floor sign MODULE SLOT PIN LABEL N
 *	N signatures (CKM_ECDSA over a SHA-256-sized digest) with the private
 *	key labelled LABEL; prints "N signatures in MS ms: R/s", the loop alone.
 *   floor keygen MODULE SLOT PIN BITS
 *	one RSA key pair of BITS in the token (then destroyed); prints its
 *	C_GenerateKeyPair time in ms.
 *
 * Exits 1 with the failing call's name and CKR value.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <p11-kit/pkcs11.h>

static CK_FUNCTION_LIST *f;

static void
check(CK_RV rv, const char *call)
{
	if (rv != CKR_OK) {
		fprintf(stderr, "floor: %s failed with CKR 0x%lx\n", call, (unsigned long)rv);
		exit(1);
	}
}

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void
load(const char *module)
{
	CK_C_INITIALIZE_ARGS args;
	CK_C_GetFunctionList getfl;
	void *dl;

	if ((dl = dlopen(module, RTLD_NOW | RTLD_LOCAL)) == NULL ||
	    (getfl = (CK_C_GetFunctionList)dlsym(dl, "C_GetFunctionList")) == NULL) {
		fprintf(stderr, "floor: cannot load %s\n", module);
		exit(1);
	}
	check(getfl(&f), "C_GetFunctionList");
	memset(&args, 0, sizeof(args));
	args.flags = CKF_OS_LOCKING_OK;
	check(f->C_Initialize(&args), "C_Initialize");
}

static CK_SESSION_HANDLE
login(const char *slot, const char *pin)
{
	CK_SESSION_HANDLE s;

	check(f->C_OpenSession(strtoul(slot, NULL, 10), CKF_SERIAL_SESSION | CKF_RW_SESSION,
	    NULL, NULL, &s), "C_OpenSession");
	check(f->C_Login(s, CKU_USER, (CK_UTF8CHAR *)(uintptr_t)pin, strlen(pin)), "C_Login");
	return s;
}

/* A CA key pair (token, private, sensitive, not extractable, sign only); returns the private key. */
static CK_OBJECT_HANDLE
keypair(CK_SESSION_HANDLE s, const char *label, const CK_BYTE *params, CK_ULONG plen,
    CK_ULONG rsa_bits, CK_OBJECT_HANDLE *pub)
{
	static const CK_BYTE f4[] = { 1, 0, 1 };
	CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	CK_MECHANISM m = { rsa_bits ? CKM_RSA_PKCS_KEY_PAIR_GEN : CKM_EC_KEY_PAIR_GEN, NULL, 0 };
	CK_ATTRIBUTE pt[] = {
		{ CKA_TOKEN, &yes, 1 }, { CKA_PRIVATE, &no, 1 }, { CKA_VERIFY, &yes, 1 },
		{ CKA_LABEL, (void *)(uintptr_t)label, strlen(label) },
		{ rsa_bits ? CKA_MODULUS_BITS : CKA_EC_PARAMS,
		  rsa_bits ? (void *)&rsa_bits : (void *)(uintptr_t)params,
		  rsa_bits ? sizeof(rsa_bits) : plen },
		{ CKA_PUBLIC_EXPONENT, (void *)(uintptr_t)f4, sizeof(f4) },
	};
	CK_ATTRIBUTE kt[] = {
		{ CKA_TOKEN, &yes, 1 }, { CKA_PRIVATE, &yes, 1 }, { CKA_SENSITIVE, &yes, 1 },
		{ CKA_EXTRACTABLE, &no, 1 }, { CKA_SIGN, &yes, 1 }, { CKA_DECRYPT, &no, 1 },
		{ CKA_LABEL, (void *)(uintptr_t)label, strlen(label) },
	};
	CK_OBJECT_HANDLE priv;

	check(f->C_GenerateKeyPair(s, &m, pt, rsa_bits ? 6 : 5, kt, 7, pub, &priv),
	    "C_GenerateKeyPair");
	return priv;
}

/* The public point, read once into a buffer with room (what a certificate needs). */
static void
read_point(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE pub)
{
	CK_BYTE buf[160];
	CK_ATTRIBUTE a = { CKA_EC_POINT, buf, sizeof(buf) };

	check(f->C_GetAttributeValue(s, pub, &a, 1), "C_GetAttributeValue");
}

static void
sign(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, CK_ULONG dlen)
{
	CK_MECHANISM m = { CKM_ECDSA, NULL, 0 };
	CK_BYTE digest[64], sig[1024];
	CK_ULONG n = sizeof(sig);

	memset(digest, 0x5a, sizeof(digest));
	check(f->C_SignInit(s, &m, key), "C_SignInit");
	check(f->C_Sign(s, digest, dlen, sig, &n), "C_Sign");
}

static const CK_BYTE p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const CK_BYTE p384[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22 };

static int
hierarchy(char **argv)
{
	CK_SESSION_HANDLE r, i;
	CK_OBJECT_HANDLE rk, ik, ok, rpub, ipub, opub;

	load(argv[2]);
	r = login(argv[3], argv[5]);
	i = login(argv[4], argv[5]);
	rk = keypair(r, "B1 root key", p384, sizeof(p384), 0, &rpub);
	read_point(r, rpub);
	ik = keypair(i, "BI1 intermediate key", p384, sizeof(p384), 0, &ipub);
	read_point(i, ipub);
	ok = keypair(i, "BO1 OCSP key", p256, sizeof(p256), 0, &opub);
	read_point(i, opub);
	(void)ik;
	sign(r, rk, 48);	/* the root certificate */
	sign(r, rk, 48);	/* the intermediate's */
	sign(r, rk, 48);	/* the responder's */
	sign(r, rk, 48);	/* the CRL */
	sign(r, rk, 48);	/* an OCSP response by the root */
	sign(i, ok, 32);	/* one by the responder */
	check(f->C_Finalize(NULL), "C_Finalize");
	return 0;
}

static int
sign_rate(char **argv)
{
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE t[] = {{ CKA_CLASS, &cls, sizeof(cls) },
	    { CKA_LABEL, argv[5], strlen(argv[5]) }};
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_ULONG found = 0;
	long i, n = strtol(argv[6], NULL, 10);
	double t0, ms;

	load(argv[2]);
	s = login(argv[3], argv[4]);
	check(f->C_FindObjectsInit(s, t, 2), "C_FindObjectsInit");
	check(f->C_FindObjects(s, &key, 1, &found), "C_FindObjects");
	check(f->C_FindObjectsFinal(s), "C_FindObjectsFinal");
	if (found != 1) {
		fprintf(stderr, "floor: no private key labelled '%s'\n", argv[5]);
		return 1;
	}
	t0 = now_ms();
	for (i = 0; i < n; i++)
		sign(s, key, 32);
	ms = now_ms() - t0;
	printf("%ld signatures in %.0f ms: %.0f/s\n", n, ms, n / (ms / 1e3));
	check(f->C_Finalize(NULL), "C_Finalize");
	return 0;
}

static int
keygen(char **argv)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE priv, pub;
	double t0, ms;

	load(argv[2]);
	s = login(argv[3], argv[4]);
	t0 = now_ms();
	priv = keypair(s, "floor keygen", NULL, 0, strtoul(argv[5], NULL, 10), &pub);
	ms = now_ms() - t0;
	check(f->C_DestroyObject(s, priv), "C_DestroyObject");
	check(f->C_DestroyObject(s, pub), "C_DestroyObject");
	printf("%.0f\n", ms);
	check(f->C_Finalize(NULL), "C_Finalize");
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "hierarchy") == 0)
		return hierarchy(argv);
	if (argc == 7 && strcmp(argv[1], "sign") == 0)
		return sign_rate(argv);
	if (argc == 6 && strcmp(argv[1], "keygen") == 0)
		return keygen(argv);
	fprintf(stderr, "usage: floor hierarchy MODULE ROOT_SLOT ISSUING_SLOT PIN\n"
	    "       floor sign MODULE SLOT PIN LABEL N\n"
	    "       floor keygen MODULE SLOT PIN BITS\n");
	return 2;
}
