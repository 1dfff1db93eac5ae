/* pin.c: reading PINs from their sources, and wiping them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "run/pin.h"
#include "base/util.h"

void
cer_pin_free(char *pin, size_t len)
{
	cer_freezero(pin, len > 0 ? len + 1 : (pin != NULL ? strlen(pin) + 1 : 0));
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

/* Reads up to the first newline (or EOF) from fd into a fresh buffer. */
static int
read_line(int fd, const char *what, const char *token, char **pin, size_t *len)
{
	char *buf = NULL, c;
	size_t n = 0;
	ssize_t got;
	int r = CER_ERR_INTERNAL;

	*pin = NULL;
	*len = 0;
	if ((buf = calloc(1, CER_PIN_MAX + 1)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
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
		if (n == CER_PIN_MAX) {
			r = cer_fail(CER_ERR_PIN,
			    "the PIN of token '%s' from %s is longer than %d "
			    "bytes", token, what, CER_PIN_MAX);
			goto out;
		}
		buf[n++] = c;
	}
	c = 0;
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	if (n == 0) {
		r = cer_fail(CER_ERR_PIN, "the PIN of token '%s' from %s is empty", token,
		    what);
		goto out;
	}
	*pin = buf;
	*len = n;
	buf = NULL; /* transferred */
	r = CER_OK;
 out:
	cer_freezero(buf, CER_PIN_MAX + 1);
	return r;
}

static int
check_file(const char *path, const char *token)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return cer_fail(CER_ERR_PIN, "PIN file %s for token '%s': %s; create it or fix "
		    "the pin: source", path, token, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cer_fail(CER_ERR_PIN, "PIN file %s for token '%s' is not a regular file",
		    path, token);
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		return cer_fail(CER_ERR_PIN,
		    "PIN file %s for token '%s' is accessible to other "
		    "users (mode %03o); run chmod 600 %s", path, token,
		    (unsigned)(st.st_mode & 0777), path);
	return CER_OK;
}

int
cer_pin_check(const char *spec, int literal, const char *token)
{
	int fd;

	if (literal || spec == NULL || strcmp(spec, "prompt") == 0)
		return CER_OK;
	if (strncmp(spec, "file:", 5) == 0)
		return check_file(spec + 5, token);
	if (strncmp(spec, "env:", 4) == 0) {
		if (getenv(spec + 4) == NULL)
			return cer_fail(CER_ERR_PIN,
			    "environment variable %s, the PIN source of "
			    "token '%s', is not set; set it or change the pin: source",
			    spec + 4, token);
		return CER_OK;
	}
	if (strncmp(spec, "fd:", 3) == 0) {
		if (parse_fd(spec + 3, &fd) != 0 || fcntl(fd, F_GETFD) == -1)
			return cer_fail(CER_ERR_PIN,
			    "file descriptor %s, the PIN source of token "
			    "'%s', is not open; pass the PIN on that descriptor", spec + 3,
			    token);
		return CER_OK;
	}
	return cer_fail(CER_ERR_PIN, "unknown PIN source '%.5s...' for token '%s'", spec,
	    token);
}

static int
read_env(const char *name, const char *token, char **pin, size_t *len)
{
	char *v = getenv(name);
	size_t n;

	*pin = NULL;
	if (v == NULL || (n = strlen(v)) == 0 || n > CER_PIN_MAX)
		return cer_fail(CER_ERR_PIN, "environment variable %s for token '%s' is unset, "
		    "empty or too long", name, token);
	if ((*pin = strdup(v)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	*len = n;
	/* No child, and no core dump, should find it in the environment. */
	explicit_bzero(v, n);
	unsetenv(name);
	return CER_OK;
}

static int
read_file(const char *path, const char *token, char **pin, size_t *len)
{
	int fd, r;

	if ((r = check_file(path, token)) != CER_OK)
		return r;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return cer_fail(CER_ERR_PIN, "cannot open PIN file %s for token '%s': %s", path,
		    token, strerror(errno));
	r = read_line(fd, path, token, pin, len);
	close(fd);
	return r;
}

static int
read_prompt(const char *token, char **pin, size_t *len)
{
	struct termios old, quiet;
	int fd, r, restore = 0;
	char msg[128];

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1)
		return cer_fail(CER_ERR_PIN, "no terminal to ask for the PIN of token '%s'; "
		    "use pin: env:NAME, file:PATH or fd:N", token);
	if (tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	snprintf(msg, sizeof(msg), "PIN for token '%s': ", token);
	if (write(fd, msg, strlen(msg)) < 0) {
		/* the prompt is a courtesy; reading still works */
	}
	r = read_line(fd, "the terminal", token, pin, len);
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* as above */
	}
	close(fd);
	return r;
}

int
cer_pin_read(const char *spec, int literal, const char *token, char **pin, size_t *len)
{
	int fd, r;

	*pin = NULL;
	*len = 0;
	if (literal) {
		if ((*pin = strdup(spec)) == NULL)
			return cer_fail(CER_ERR_ALLOC, "out of memory");
		*len = strlen(spec);
		return CER_OK;
	}
	if (spec == NULL || strcmp(spec, "prompt") == 0)
		return read_prompt(token, pin, len);
	if (strncmp(spec, "file:", 5) == 0)
		return read_file(spec + 5, token, pin, len);
	if (strncmp(spec, "env:", 4) == 0)
		return read_env(spec + 4, token, pin, len);
	if (strncmp(spec, "fd:", 3) == 0) {
		if (parse_fd(spec + 3, &fd) != 0)
			return cer_fail(CER_ERR_PIN,
			    "bad descriptor in pin: for token '%s'", token);
		r = read_line(fd, spec, token, pin, len);
		close(fd);
		return r;
	}
	return cer_fail(CER_ERR_PIN, "unknown PIN source for token '%s'", token);
}
