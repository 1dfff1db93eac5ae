/*
 * outfile.c: crash-safe, never-overwriting creation of output files, each
 * relative to its directory as opened at validation.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "record/outfile.h"

/*
 * The output directories opened so far, by their path (key_of).
 * Opened once and kept to the end of the process: a directory renamed or
 * swapped for a symlink after validation changes nothing, every output
 * goes where validation looked.
 */
struct outdir {
	char *path;
	int fd;
};
static struct outdir *dirs;
static size_t ndirs;

/* The directory part of path, in a new string. */
static char *
dir_of(const char *path)
{
	char *copy, *d;

	if ((copy = strdup(path)) == NULL)
		return NULL;
	d = strdup(dirname(copy));
	free(copy);
	return d;
}

/*
 * What a directory is known by in the table: its path from the current
 * directory's, so that a rehearsal, which works in a directory of its own,
 * gets its own "out", and the one the script names stays untouched.
 */
static char *
key_of(const char *dir)
{
	char *cwd, *k = NULL;

	if (dir[0] == '/')
		return strdup(dir);
	if ((cwd = getcwd(NULL, 0)) == NULL)
		return NULL;
	if (asprintf(&k, "%s/%s", cwd, dir) < 0)
		k = NULL;
	free(cwd);
	return k;
}

/* The file name part of path (after the last '/'); "" for a trailing slash. */
static const char *
name_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/*
 * The output's own name, before anything is opened: a file name, not a
 * directory, within NAME_MAX and the whole path within PATH_MAX.
 */
static int
check_name(const char *path, const char *where)
{
	const char *name = name_of(path);

	if (*path == '\0')
		return cer_fail(CER_ERR_SCRIPT, "%s: an output path is empty; give a file name",
		    where);
	if (strlen(path) >= PATH_MAX)
		return cer_fail(CER_ERR_SCRIPT, "%s: output path of %zu bytes is longer than "
		    "this system allows (%d); choose a shorter path", where, strlen(path),
		    PATH_MAX - 1);
	if (*name == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return cer_fail(CER_ERR_SCRIPT, "%s: output %s names a directory, not a file; "
		    "give a file name (no trailing '/')", where, path);
	if (strlen(name) > NAME_MAX)
		return cer_fail(CER_ERR_SCRIPT, "%s: the file name of output %.40s... is %zu "
		    "bytes, longer than a file name may be (%d); choose a shorter name", where,
		    path, strlen(name), NAME_MAX);
	return CER_OK;
}

/*
 * Opens dir as the directory of output path: O_NOFOLLOW on its last
 * component (a symlink there could be re-pointed between validation and
 * the write), a directory, and not writable by every user unless sticky
 * (anyone could plant a file, or a hard link, under an output's name).
 */
static int
open_dir(const char *dir, const char *path, const char *where, int *out)
{
	struct stat st;
	int fd, r = CER_ERR_INTERNAL;

	*out = -1;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ELOOP || (errno == ENOTDIR && lstat(dir, &st) == 0 &&
		    S_ISLNK(st.st_mode)))
			return cer_fail(CER_ERR_INPUT, "%s: the directory '%s' of output %s is a "
			    "symbolic link; name the directory itself", where, dir, path);
		if (errno == ENOTDIR && stat(dir, &st) == 0)
			return cer_fail(CER_ERR_INPUT, "%s: '%s', the directory of output %s, is "
			    "not a directory", where, dir, path);
		if (errno == ENOENT || errno == ENOTDIR)
			return cer_fail(CER_ERR_INPUT, "%s: the directory '%s' of output %s does "
			    "not exist; create it first", where, dir, path);
		return cer_fail(CER_ERR_INPUT, "%s: cannot open the directory '%s' of output %s: "
		    "%s", where, dir, path, strerror(errno));
	}
	if (fstat(fd, &st) == -1) {
		r = cer_fail(CER_ERR_SYSTEM, "%s: cannot stat the directory '%s'", where, dir);
		goto fail;
	}
	if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
		r = cer_fail(CER_ERR_INPUT, "%s: the directory '%s' of output %s is writable by "
		    "every user and not sticky (mode %04o); write outputs to a directory only "
		    "the ceremony's user can write", where, dir, path,
		    (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	if (faccessat(fd, ".", W_OK | X_OK, AT_EACCESS) != 0) {
		r = cer_fail(CER_ERR_INPUT, "%s: the directory '%s' of output %s is not writable",
		    where, dir, path);
		goto fail;
	}
	*out = fd;
	return CER_OK;
 fail:
	close(fd);
	return r;
}

/* The descriptor of path's directory: the one opened before, or opened now and kept. */
static int
dir_fd(const char *path, const char *where, int *fd)
{
	struct outdir *grown;
	char *dir, *key = NULL;
	size_t i;
	int r = CER_ERR_INTERNAL;

	*fd = -1;
	if ((dir = dir_of(path)) == NULL || (key = key_of(dir)) == NULL) {
		r = cer_fail(CER_ERR_SYSTEM, "%s: cannot name the directory of output %s", where,
		    path);
		goto out;
	}
	for (i = 0; i < ndirs; i++)
		if (strcmp(dirs[i].path, key) == 0) {
			*fd = dirs[i].fd;
			r = CER_OK;
			goto out;
		}
	if ((r = open_dir(dir, path, where, fd)) != CER_OK)
		goto out;
	if ((grown = realloc(dirs, (ndirs + 1) * sizeof(*dirs))) == NULL) {
		close(*fd);
		*fd = -1;
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	dirs = grown;
	dirs[ndirs].path = key;
	dirs[ndirs++].fd = *fd;
	key = NULL; /* transferred */
	r = CER_OK;
 out:
	free(dir);
	free(key);
	return r;
}

/*
 * A temporary file in the directory dfd.  O_TMPFILE first: it has no name
 * until it is linked, so a ceremony killed at any moment leaves nothing
 * behind; a file system without it gets a named temporary file (tmp),
 * removed on every path but a SIGKILL.
 */
static int
open_temporary(int dfd, mode_t mode, int *fd, char tmp[static 32])
{
	unsigned char rnd[8];
	int tries;

	tmp[0] = '\0';
	if ((*fd = openat(dfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode)) != -1)
		return CER_OK;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return cer_fail(CER_ERR_SYSTEM, "cannot create a temporary file");
	for (tries = 0; tries < 16; tries++) {
		if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
			return cer_fail(CER_ERR_SYSTEM, "getrandom");
		snprintf(tmp, 32, ".ceremony-tmp-%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1],
		    rnd[2], rnd[3], rnd[4], rnd[5]);
		if ((*fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    mode)) != -1)
			return CER_OK;
		if (errno != EEXIST)
			break;
	}
	tmp[0] = '\0';
	return cer_fail(CER_ERR_SYSTEM, "cannot create a temporary file");
}

int
cer_outfile_check(const char *path, const char *where)
{
	struct stat st;
	int r, dfd, fd;
	char tmp[32];

	if ((r = check_name(path, where)) != CER_OK)
		return r;
	if (lstat(path, &st) == 0)
		return cer_fail(CER_ERR_OUTPUT_EXISTS, "%s: output %s already exists; ceremony "
		    "never replaces a file: move it away or choose another path", where, path);
	if ((r = dir_fd(path, where, &dfd)) != CER_OK)
		return r;
	/* The write's own first step, so that what passes here can be written there. */
	if ((r = open_temporary(dfd, 0600, &fd, tmp)) != CER_OK)
		return cer_fail_prefix(CER_ERR_INPUT, "%s: output %s cannot be created", where,
		    path);
	if (tmp[0] != '\0')
		unlinkat(dfd, tmp, 0);
	close(fd);
	return CER_OK;
}

int
cer_outfile_canonical(const char *path, char **out)
{
	char proc[64], real[PATH_MAX];
	ssize_t n;
	int r, dfd;

	*out = NULL;
	if ((r = dir_fd(path, path, &dfd)) != CER_OK)
		return r;
	/* the directory as opened, so two spellings of it compare equal */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", dfd);
	if ((n = readlink(proc, real, sizeof(real) - 1)) <= 0)
		return cer_fail(CER_ERR_INPUT, "cannot resolve the directory of output %s", path);
	real[n] = '\0';
	if (asprintf(out, "%s/%s", real, name_of(path)) < 0) {
		*out = NULL;
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	}
	return CER_OK;
}

/* Gives the temporary file its name; linkat(2) never replaces an existing file. */
static int
link_into_place(int dfd, int fd, const char *tmp, const char *path)
{
	char proc[64];
	int rc;

	if (tmp[0] != '\0') {
		rc = linkat(dfd, tmp, dfd, name_of(path), 0);
	} else {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		rc = linkat(AT_FDCWD, proc, dfd, name_of(path), AT_SYMLINK_FOLLOW);
	}
	if (rc == 0)
		return CER_OK;
	return errno == EEXIST ?
	    cer_fail(CER_ERR_OUTPUT_EXISTS, "output %s appeared during the ceremony; "
	    "nothing was replaced", path) :
	    cer_fail(CER_ERR_SYSTEM, "cannot create %s", path);
}

static int
write_mode(const char *path, const void *data, size_t len, mode_t mode)
{
	int r = CER_ERR_INTERNAL, dfd = -1, fd = -1, linked = 0;
	char tmp[32] = "";

	if ((r = check_name(path, path)) != CER_OK || (r = dir_fd(path, path, &dfd)) != CER_OK)
		goto out;
	if ((r = open_temporary(dfd, mode, &fd, tmp)) != CER_OK) {
		r = cer_fail_prefix(CER_ERR_SYSTEM, "%s", path);
		goto out;
	}
	if (fchmod(fd, mode) == -1 || cer_write_all(fd, data, len) != CER_OK || fsync(fd) == -1) {
		r = cer_fail(CER_ERR_SYSTEM, "cannot write %s", path);
		goto out;
	}
	if ((r = link_into_place(dfd, fd, tmp, path)) != CER_OK)
		goto out;
	linked = 1;
	if (close(fd) == -1) {
		fd = -1;
		r = cer_fail(CER_ERR_SYSTEM, "cannot write %s", path);
		goto out;
	}
	fd = -1;
	if (fsync(dfd) == -1) {
		r = cer_fail(CER_ERR_SYSTEM, "cannot sync the directory of %s", path);
		goto out;
	}
	r = CER_OK;
 out:
	if (fd != -1)
		close(fd);
	if (tmp[0] != '\0')
		unlinkat(dfd, tmp, 0);
	if (r != CER_OK && linked)
		unlinkat(dfd, name_of(path), 0);
	return r;
}

int
cer_outfile_write(const char *path, const void *data, size_t len)
{
	return write_mode(path, data, len, 0644);
}

int
cer_outfile_write_private(const char *path, const void *data, size_t len)
{
	return write_mode(path, data, len, 0600);
}

int
cer_outfile_open(const char *path, int flags, mode_t mode, int *fd)
{
	int r, dfd;

	*fd = -1;
	if ((r = check_name(path, path)) != CER_OK || (r = dir_fd(path, path, &dfd)) != CER_OK)
		return r;
	if ((*fd = openat(dfd, name_of(path), flags | O_NOFOLLOW | O_CLOEXEC, mode)) == -1)
		return CER_ERR_SYSTEM;
	return CER_OK;
}

void
cer_outfile_close_all(void)
{
	size_t i;

	for (i = 0; i < ndirs; i++) {
		close(dirs[i].fd);
		free(dirs[i].path);
	}
	free(dirs);
	dirs = NULL;
	ndirs = 0;
}
