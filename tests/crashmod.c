/*
 * crashmod.c: a PKCS#11 module that is SoftHSM (loaded with dlopen) except
 * that it crashes, for tests/t-canary.sh: a vendor module is closed code
 * in the ceremony's process, and a crash in it must not write the PIN to
 * a core file.
 *
 * CRASHMOD_AT=C_Initialize or C_Login: raise SIGSEGV there (in C_Login the
 * PIN is in hand).  Before it does, it writes to the file CRASHMOD_REPORT
 * what a core would show: "dumpable=N" (prctl(PR_GET_DUMPABLE)), "core=N"
 * (RLIMIT_CORE), then the process's environment as /proc/self/environ
 * holds it.  CRASHMOD_REAL names the module wrapped (default SoftHSM's).
 * Nothing else: the fault shim of the fault tests is tests/p11fault.c.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <p11-kit/pkcs11.h>

static CK_FUNCTION_LIST real, mine;

static void
report_and_crash(const char *where)
{
	const char *at = getenv("CRASHMOD_AT"), *path = getenv("CRASHMOD_REPORT");
	struct rlimit core = { 0, 0 };
	char buf[4096];
	ssize_t n;
	FILE *f;
	int in;

	if (at == NULL || strcmp(at, where) != 0)
		return;
	if (path != NULL && (f = fopen(path, "w")) != NULL) {
		getrlimit(RLIMIT_CORE, &core);
		fprintf(f, "at=%s\ndumpable=%d\ncore=%llu\n", where, prctl(PR_GET_DUMPABLE),
		    (unsigned long long)core.rlim_cur);
		if ((in = open("/proc/self/environ", O_RDONLY)) != -1) {
			while ((n = read(in, buf, sizeof(buf))) > 0)
				fwrite(buf, 1, (size_t)n, f);
			close(in);
		}
		fclose(f);
	}
	raise(SIGSEGV);
}

static CK_RV
crash_initialize(CK_VOID_PTR args)
{
	report_and_crash("C_Initialize");
	return real.C_Initialize(args);
}

static CK_RV
crash_login(CK_SESSION_HANDLE s, CK_USER_TYPE u, CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
	report_and_crash("C_Login");
	return real.C_Login(s, u, pin, len);
}

CK_RV
C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR out)
{
	const char *path = getenv("CRASHMOD_REAL");
	CK_RV (*get)(CK_FUNCTION_LIST_PTR_PTR);
	CK_FUNCTION_LIST_PTR list;
	void *h;

	if (path == NULL)
		path = "/usr/lib/softhsm/libsofthsm2.so";
	if ((h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL ||
	    (get = (CK_RV (*)(CK_FUNCTION_LIST_PTR_PTR))dlsym(h, "C_GetFunctionList")) == NULL ||
	    get(&list) != CKR_OK)
		return CKR_GENERAL_ERROR;
	real = mine = *list;
	mine.C_Initialize = crash_initialize;
	mine.C_Login = crash_login;
	*out = &mine;
	return CKR_OK;
}
