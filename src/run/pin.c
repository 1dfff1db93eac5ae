/*
 * pin.c: reading PINs from their sources, keeping them, and wiping them.
 *
 * Every PIN lives in a page of its own, mapped for it: locked in memory
 * (mlock) so it is not written to swap, left out of core dumps
 * (MADV_DONTDUMP) and zeroed in a forked child (MADV_WIPEONFORK), then
 * wiped and unmapped by cer_pin_free().  An env: or fd: source can be read
 * only once (the variable is removed, the descriptor closed), so what it
 * gave is kept here, in such a page, for every token that names it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "run/pin.h"
#include "base/util.h"

/* The largest PIN file: a PIN of CER_PIN_MAX bytes and a CRLF. */
#define FILE_MAX (CER_PIN_MAX + 2)

/* PIN pages alive at once: one per token being logged in, and the kept sources. */
#define LIVE_MAX 64

static struct {
	char *page[LIVE_MAX];
	size_t npages;
	size_t pagesize;
	int warned;
} live;

/* The env: and fd: sources read so far, and what each gave. */
static struct kept {
	char *spec;
	char *pin;
	size_t len;
} kept[LIVE_MAX];
static size_t nkept;

int
cer_pin_protect_process(void)
{
	struct rlimit none = { 0, 0 };

	/*
	 * Not dumpable: no core file, and no ptrace or /proc/PID/mem by
	 * another process of the same user.  RLIMIT_CORE 0 as well, in case
	 * a module or a setuid transition makes the process dumpable again.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1 || setrlimit(RLIMIT_CORE, &none) == -1)
		return cer_fail(CER_ERR_SYSTEM, "cannot disable core dumps before reading a "
		    "PIN: %s", strerror(errno));
	return CER_OK;
}

/* A fresh zeroed page for a PIN, locked if the system lets us. */
static int
page_new(char **out)
{
	char *p;

	*out = NULL;
	if (live.pagesize == 0)
		live.pagesize = (size_t)sysconf(_SC_PAGESIZE);
	if (live.npages == LIVE_MAX)
		return cer_fail(CER_ERR_INTERNAL, "more than %d PINs in memory", LIVE_MAX);
	p = mmap(NULL, live.pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	(void)madvise(p, live.pagesize, MADV_DONTDUMP);
	(void)madvise(p, live.pagesize, MADV_WIPEONFORK);
	/* Not fatal: see docs/hardening.md; say it once. */
	if (mlock(p, live.pagesize) == -1 && !live.warned) {
		live.warned = 1;
		fprintf(stderr, "ceremony: warning: cannot lock the PIN in memory (%s); it "
		    "could be written to swap: raise ulimit -l or run without swap\n",
		    strerror(errno));
	}
	live.page[live.npages++] = p;
	*out = p;
	return CER_OK;
}

/* Index of p among the live pages, or -1. */
static int
page_index(const char *p)
{
	size_t i;

	for (i = 0; p != NULL && i < live.npages; i++)
		if (live.page[i] == p)
			return (int)i;
	return -1;
}

static void
page_free(char *p)
{
	int i = page_index(p);

	if (i < 0)
		return;
	explicit_bzero(p, live.pagesize);
	(void)munlock(p, live.pagesize);
	munmap(p, live.pagesize);
	live.page[i] = live.page[--live.npages];
}

void
cer_pin_free(char *pin, size_t len)
{
	if (pin == NULL)
		return;
	if (page_index(pin) >= 0)
		page_free(pin);
	else	/* a copy the caller made */
		cer_freezero(pin, len > 0 ? len + 1 : strlen(pin) + 1);
}

/* A new PIN page holding the n bytes at s. */
static int
pin_copy(const char *s, size_t n, char **pin, size_t *len)
{
	int r;

	if ((r = page_new(pin)) != CER_OK)
		return r;
	memcpy(*pin, s, n);
	*len = n;
	return CER_OK;
}

static struct kept *
kept_find(const char *spec)
{
	size_t i;

	for (i = 0; i < nkept; i++)
		if (strcmp(kept[i].spec, spec) == 0)
			return &kept[i];
	return NULL;
}

/* Keeps a copy of what spec gave, for the next token that names it. */
static int
kept_add(const char *spec, const char *pin, size_t len)
{
	struct kept *k = &kept[nkept];
	int r;

	if (nkept == LIVE_MAX)
		return cer_fail(CER_ERR_INTERNAL, "more than %d PIN sources", LIVE_MAX);
	if ((k->spec = strdup(spec)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if ((r = pin_copy(pin, len, &k->pin, &k->len)) != CER_OK) {
		free(k->spec);
		return r;
	}
	nkept++;
	return CER_OK;
}

void
cer_pin_forget(void)
{
	size_t i;

	for (i = 0; i < nkept; i++) {
		page_free(kept[i].pin);
		free(kept[i].spec);
	}
	memset(kept, 0, sizeof(kept));
	nkept = 0;
}

static int
parse_fd(const char *s, int *fd)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < 0 || v > 1024)
		return -1;
	*fd = (int)v;
	return 0;
}

/*
 * The PIN in buf, n bytes up to the end of its line: a CR before the
 * newline is not part of it (nor counted against the maximum).
 */
static int
pin_done(char *buf, size_t n, const char *what, const char *token, size_t *len)
{
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	if (n == 0)
		return cer_fail(CER_ERR_PIN, "the PIN of token '%s' from %s is empty", token,
		    what);
	if (n > CER_PIN_MAX)
		return cer_fail(CER_ERR_PIN, "the PIN of token '%s' from %s is longer than %d "
		    "bytes", token, what, CER_PIN_MAX);
	if (memchr(buf, '\0', n) != NULL || memchr(buf, '\r', n) != NULL)
		return cer_fail(CER_ERR_PIN, "the PIN of token '%s' from %s holds a NUL or a "
		    "carriage return", token, what);
	*len = n;
	return CER_OK;
}

/* Reads up to the first newline (or EOF) from fd into a fresh PIN page. */
static int
read_line(int fd, const char *what, const char *token, char **pin, size_t *len)
{
	char *buf = NULL, c = 0;
	size_t n = 0;
	ssize_t got;
	int r = CER_ERR_INTERNAL;

	*pin = NULL;
	*len = 0;
	if ((r = page_new(&buf)) != CER_OK)
		goto out;
	for (;;) {
		got = read(fd, &c, 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = cer_fail(CER_ERR_PIN,
			    "cannot read the PIN of token '%s' from %s: %s",
			    token, what, strerror(errno));
			goto out;
		}
		if (got == 0 || c == '\n')
			break;
		if (n == CER_PIN_MAX + 1) {	/* room for a CR */
			n++;
			break;
		}
		buf[n++] = c;
	}
	c = 0;
	if ((r = pin_done(buf, n, what, token, len)) != CER_OK)
		goto out;
	*pin = buf;
	buf = NULL; /* transferred */
	r = CER_OK;
 out:
	cer_pin_free(buf, 0);
	return r;
}

/* What the check and the read both require of a PIN file, from lstat or fstat. */
static int
file_ok(const char *path, const char *token, const struct stat *st)
{
	if (S_ISLNK(st->st_mode))
		return cer_fail(CER_ERR_PIN, "PIN file %s for token '%s' is a symbolic link; "
		    "name the file itself", path, token);
	if (!S_ISREG(st->st_mode))
		return cer_fail(CER_ERR_PIN, "PIN file %s for token '%s' is not a regular file",
		    path, token);
	if (st->st_mode & (S_IRWXG | S_IRWXO))
		return cer_fail(CER_ERR_PIN,
		    "PIN file %s for token '%s' is accessible to other "
		    "users (mode %03o); run chmod 600 %s", path, token,
		    (unsigned)(st->st_mode & 0777), path);
	if (st->st_size > FILE_MAX)
		return cer_fail(CER_ERR_PIN, "PIN file %s for token '%s' is %lld bytes; a PIN "
		    "file holds one PIN of at most %d bytes and its newline", path, token,
		    (long long)st->st_size, CER_PIN_MAX);
	return CER_OK;
}

static int
check_file(const char *path, const char *token)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return cer_fail(CER_ERR_PIN, "PIN file %s for token '%s': %s; create it or fix "
		    "the pin: source", path, token, strerror(errno));
	return file_ok(path, token, &st);
}

/*
 * An env: source, taken out of the environment into a PIN page on first
 * use (a check or a read), before any module is loaded: no module, no
 * child and no /proc/PID/environ finds it there afterwards.
 */
static int
take_env(const char *spec, const char *token, struct kept **out)
{
	const char *name = spec + 4;
	char *v = getenv(name);
	size_t n;
	int r;

	if ((*out = kept_find(spec)) != NULL)
		return CER_OK;
	if (v == NULL)
		return cer_fail(CER_ERR_PIN, "environment variable %s, the PIN source of token "
		    "'%s', is not set; set it or change the pin: source", name, token);
	if ((n = strlen(v)) == 0 || n > CER_PIN_MAX)
		return cer_fail(CER_ERR_PIN, "environment variable %s, the PIN source of token "
		    "'%s', is %s; it must hold the PIN (1 to %d bytes)", name, token,
		    n == 0 ? "empty" : "too long", CER_PIN_MAX);
	if ((r = kept_add(spec, v, n)) != CER_OK)
		return r;
	/* wiped in place: the process's initial environment is /proc/PID/environ */
	explicit_bzero(v, n);
	unsetenv(name);
	*out = kept_find(spec);
	return CER_OK;
}

int
cer_pin_check(const char *spec, int literal, const char *token)
{
	struct kept *k;
	int fd;

	if (literal || spec == NULL || strcmp(spec, "prompt") == 0)
		return CER_OK;
	if (strncmp(spec, "file:", 5) == 0)
		return check_file(spec + 5, token);
	if (strncmp(spec, "env:", 4) == 0)
		return take_env(spec, token, &k);
	if (strncmp(spec, "fd:", 3) == 0) {
		if (kept_find(spec) == NULL &&
		    (parse_fd(spec + 3, &fd) != 0 || fcntl(fd, F_GETFD) == -1))
			return cer_fail(CER_ERR_PIN,
			    "file descriptor %s, the PIN source of token "
			    "'%s', is not open; pass the PIN on that descriptor", spec + 3,
			    token);
		return CER_OK;
	}
	return cer_fail(CER_ERR_PIN, "unknown PIN source '%.5s...' for token '%s'", spec,
	    token);
}

/* The file as it is opened: no link, no FIFO to hang on, the same rules as the check. */
static int
read_file(const char *path, const char *token, char **pin, size_t *len)
{
	char *buf = NULL, *nl;
	struct stat st;
	size_t n = 0;
	int fd = -1, r = CER_ERR_INTERNAL;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)) == -1) {
		/* the check's words for what it finds (missing, a link); else why */
		if ((r = check_file(path, token)) == CER_OK)
			r = cer_fail(CER_ERR_PIN, "cannot open PIN file %s for token '%s': %s",
			    path, token, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) == -1) {
		r = cer_fail(CER_ERR_PIN, "cannot read PIN file %s for token '%s': %s", path,
		    token, strerror(errno));
		goto out;
	}
	if ((r = file_ok(path, token, &st)) != CER_OK || (r = page_new(&buf)) != CER_OK)
		goto out;
	/* one byte more than a PIN file may hold shows it grew since fstat */
	if (cer_read_all(fd, (unsigned char *)buf, FILE_MAX + 1, &n) != CER_OK) {
		r = cer_fail(CER_ERR_PIN, "cannot read PIN file %s for token '%s': %s", path,
		    token, strerror(errno));
		goto out;
	}
	if (n > FILE_MAX) {
		r = cer_fail(CER_ERR_PIN, "PIN file %s for token '%s' grew while it was read",
		    path, token);
		goto out;
	}
	/* the first line is the PIN */
	if ((nl = memchr(buf, '\n', n)) != NULL)
		n = (size_t)(nl - buf);
	explicit_bzero(buf + n, live.pagesize - n);
	if ((r = pin_done(buf, n, path, token, len)) != CER_OK)
		goto out;
	*pin = buf;
	buf = NULL; /* transferred */
 out:
	cer_pin_free(buf, 0);
	if (fd != -1)
		close(fd);
	return r;
}

static int
read_prompt(const char *token, const char *label, const char *serial, char **pin, size_t *len)
{
	struct termios old, quiet;
	char msg[300], *shown = NULL;
	int fd, r, restore = 0;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1)
		return cer_fail(CER_ERR_PIN, "no terminal to ask for the PIN of token '%s'; "
		    "use pin: env:NAME, file:PATH or fd:N", token);
	if (tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	/* the token's name comes from the script, its label from the token: escaped */
	if (label != NULL && serial != NULL)
		snprintf(msg, sizeof(msg), "PIN for token '%s' (label '%s', serial %s): ", token,
		    label, serial);
	else
		snprintf(msg, sizeof(msg), "PIN for token '%s': ", token);
	if (cer_escape(msg, strlen(msg), 0, &shown) == CER_OK) {
		snprintf(msg, sizeof(msg), "%s", shown);
		if (write(fd, msg, strlen(msg)) < 0) {
			/* the prompt is a courtesy; reading still works */
		}
	}
	free(shown);
	r = read_line(fd, "the terminal", token, pin, len);
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* as above */
	}
	close(fd);
	return r;
}

/* An fd: source: read once, its descriptor closed, what it gave kept. */
static int
read_fd(const char *spec, const char *token, char **pin, size_t *len)
{
	int fd, r;

	if (parse_fd(spec + 3, &fd) != 0)
		return cer_fail(CER_ERR_PIN, "bad descriptor in pin: for token '%s'", token);
	r = read_line(fd, spec, token, pin, len);
	close(fd);
	if (r == CER_OK && (r = kept_add(spec, *pin, *len)) != CER_OK) {
		cer_pin_free(*pin, *len);
		*pin = NULL;
		*len = 0;
	}
	return r;
}

int
cer_pin_read(const char *spec, int literal, const char *token, char **pin, size_t *len)
{
	return cer_pin_read_for(spec, literal, token, NULL, NULL, pin, len);
}

int
cer_pin_read_for(const char *spec, int literal, const char *token, const char *label,
    const char *serial, char **pin, size_t *len)
{
	struct kept *k;
	int r;

	*pin = NULL;
	*len = 0;
	if (literal) {
		if (strlen(spec) == 0 || strlen(spec) > CER_PIN_MAX)
			return cer_fail(CER_ERR_PIN, "the literal PIN of token '%s' is empty or "
			    "longer than %d bytes", token, CER_PIN_MAX);
		return pin_copy(spec, strlen(spec), pin, len);
	}
	if (spec == NULL || strcmp(spec, "prompt") == 0)
		return read_prompt(token, label, serial, pin, len);
	if (strncmp(spec, "file:", 5) == 0)
		return read_file(spec + 5, token, pin, len);
	if ((k = kept_find(spec)) != NULL)
		return pin_copy(k->pin, k->len, pin, len);
	if (strncmp(spec, "env:", 4) == 0) {
		if ((r = take_env(spec, token, &k)) != CER_OK)
			return r;
		return pin_copy(k->pin, k->len, pin, len);
	}
	if (strncmp(spec, "fd:", 3) == 0)
		return read_fd(spec, token, pin, len);
	return cer_fail(CER_ERR_PIN, "unknown PIN source for token '%s'", token);
}
