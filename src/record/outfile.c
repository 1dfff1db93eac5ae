/* outfile.c: crash-safe, never-overwriting creation of output files. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "record/outfile.h"

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

int
cer_outfile_check(const char *path, const char *where)
{
	struct stat st;
	char *dir;
	int r = CER_OK;

	if (lstat(path, &st) == 0)
		return cer_fail(CER_ERR_OUTPUT_EXISTS, "%s: output %s already exists; ceremony "
		    "never replaces a file: move it away or choose another path", where, path);
	if ((dir = dir_of(path)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode))
		r = cer_fail(CER_ERR_INPUT, "%s: the directory %s of output %s does not exist; "
		    "create it first", where, dir, path);
	else if (access(dir, W_OK) != 0)
		r = cer_fail(CER_ERR_INPUT, "%s: the directory %s of output %s is not writable",
		    where, dir, path);
	free(dir);
	return r;
}

int
cer_outfile_canonical(const char *path, char **out)
{
	char *dir = NULL, *real = NULL, *copy = NULL;
	int r = CER_OK;

	*out = NULL;
	if ((dir = dir_of(path)) == NULL || (copy = strdup(path)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	if ((real = realpath(dir, NULL)) == NULL) {
		r = cer_fail(CER_ERR_INPUT, "cannot resolve the directory %s of output %s", dir, path);
		goto out;
	}
	if (asprintf(out, "%s/%s", real, basename(copy)) < 0) {
		*out = NULL;
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
	}
 out:
	free(dir);
	free(real);
	free(copy);
	return r;
}

static int
fsync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * A temporary file in dir.  O_TMPFILE first: it has no name until it is
 * linked, so a ceremony killed at any moment leaves nothing behind; a file
 * system without it gets a named temporary file (*tmp), removed on every
 * path but a SIGKILL.
 */
static int
open_temporary(const char *dir, int *fd, char **tmp)
{
	*tmp = NULL;
	if ((*fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644)) != -1)
		return CER_OK;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return cer_fail(CER_ERR_SYSTEM, "cannot create a temporary file in %s", dir);
	if (asprintf(tmp, "%s/.ceremony-tmp-XXXXXX", dir) < 0) {
		*tmp = NULL;
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	}
	if ((*fd = mkostemp(*tmp, O_CLOEXEC)) == -1) {
		free(*tmp);
		*tmp = NULL;
		return cer_fail(CER_ERR_SYSTEM, "cannot create a temporary file in %s", dir);
	}
	return CER_OK;
}

/* Gives the temporary file its name; link(2) never replaces an existing file. */
static int
link_into_place(int fd, const char *tmp, const char *path)
{
	char proc[64];
	int rc;

	if (tmp != NULL) {
		rc = link(tmp, path);
	} else {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		rc = linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
	}
	if (rc == 0)
		return CER_OK;
	return errno == EEXIST ?
	    cer_fail(CER_ERR_OUTPUT_EXISTS, "output %s appeared during the ceremony; "
	    "nothing was replaced", path) :
	    cer_fail(CER_ERR_SYSTEM, "cannot create %s", path);
}

int
cer_outfile_write(const char *path, const void *data, size_t len)
{
	char *dir = NULL, *tmp = NULL;
	int r = CER_ERR_INTERNAL, fd = -1, linked = 0;

	if ((dir = dir_of(path)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	if ((r = open_temporary(dir, &fd, &tmp)) != CER_OK)
		goto out;
	if (fchmod(fd, 0644) == -1 || cer_write_all(fd, data, len) != CER_OK || fsync(fd) == -1) {
		r = cer_fail(CER_ERR_SYSTEM, "cannot write %s", path);
		goto out;
	}
	if ((r = link_into_place(fd, tmp, path)) != CER_OK)
		goto out;
	linked = 1;
	if (close(fd) == -1) {
		fd = -1;
		r = cer_fail(CER_ERR_SYSTEM, "cannot write %s", path);
		goto out;
	}
	fd = -1;
	if (fsync_dir(dir) == -1) {
		r = cer_fail(CER_ERR_SYSTEM, "cannot sync directory %s", dir);
		goto out;
	}
	r = CER_OK;
 out:
	if (fd != -1)
		close(fd);
	if (tmp != NULL)
		unlink(tmp);
	if (r != CER_OK && linked)
		unlink(path);
	free(tmp);
	free(dir);
	return r;
}
