/*
 * sigrace.c: LD_PRELOAD for tests/t-terminal.sh.  When SIGRACE is set, a
 * SIGTERM is raised right after the confirmation prompt opens /dev/tty:
 * after the run last looked at its signal flag, before it waits for the
 * operator's line, the window where a signal used to be missed until a
 * line was typed.
 */
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

FILE *
fopen(const char *path, const char *mode)
{
	FILE *(*real)(const char *, const char *) =
	    (FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT, "fopen");
	FILE *f = real(path, mode);

	if (f != NULL && strcmp(path, "/dev/tty") == 0 && getenv("SIGRACE") != NULL)
		raise(SIGTERM);
	return f;
}
