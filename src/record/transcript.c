/* transcript.c: writing and checking the hash-chained JSON Lines record. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "record/outfile.h"
#include "record/transcript.h"

struct cer_transcript {
	char *path;
	int fd;			/* -1 until committed */
	char *held;		/* lines appended before the commit */
	size_t held_len;
	size_t seq;
	unsigned char prev[CER_SHA256_LEN];
	int append;		/* continuing an existing file (resume) */
	off_t size;		/* its size when it was read */
};

int
cer_transcript_new(const char *path, struct cer_transcript **out)
{
	struct cer_transcript *t;

	*out = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL || (t->path = strdup(path)) == NULL) {
		free(t);
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	}
	t->fd = -1;
	*out = t;
	return CER_OK;
}

int
cer_transcript_continue(const char *path, size_t seq,
    const unsigned char prev[static CER_SHA256_LEN], off_t size, struct cer_transcript **out)
{
	int r;

	if ((r = cer_transcript_new(path, out)) != CER_OK)
		return r;
	(*out)->seq = seq;
	memcpy((*out)->prev, prev, CER_SHA256_LEN);
	(*out)->append = 1;
	(*out)->size = size;
	return CER_OK;
}

static int write_line(struct cer_transcript *t, const char *line, size_t len);

/* The existing file, unchanged since it was read. */
static int
open_existing(struct cer_transcript *t)
{
	struct stat st;

	if (cer_outfile_open(t->path, O_WRONLY | O_APPEND, 0, &t->fd) != CER_OK)
		return cer_fail(CER_ERR_TRANSCRIPT, "cannot reopen transcript %s: %s", t->path,
		    strerror(errno));
	if (fstat(t->fd, &st) == -1 || st.st_size != t->size) {
		close(t->fd);
		t->fd = -1;
		return cer_fail(CER_ERR_TRANSCRIPT, "transcript %s changed while the ceremony "
		    "was being prepared; nothing was appended", t->path);
	}
	return CER_OK;
}

int
cer_transcript_commit(struct cer_transcript *t)
{
	int r;

	if (t->fd != -1)
		return CER_OK;
	if (t->append) {
		if ((r = open_existing(t)) != CER_OK)
			return r;
		goto held;
	}
	if (cer_outfile_open(t->path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND, 0644,
	    &t->fd) != CER_OK)
		return errno == EEXIST ?
		    cer_fail(CER_ERR_OUTPUT_EXISTS, "transcript %s already exists; choose another "
		    "path with --transcript", t->path) :
		    cer_fail(CER_ERR_TRANSCRIPT, "cannot create transcript %s: %s", t->path,
		    strerror(errno));
 held:
	if (t->held_len > 0 && (r = write_line(t, t->held, t->held_len)) != CER_OK)
		return r;
	free(t->held);
	t->held = NULL;
	t->held_len = 0;
	return CER_OK;
}

static int
hold_line(struct cer_transcript *t, const char *line, size_t len)
{
	char *n;

	if ((n = realloc(t->held, t->held_len + len)) == NULL)
		return cer_fail(CER_ERR_ALLOC, "out of memory");
	memcpy(n + t->held_len, line, len);
	t->held = n;
	t->held_len += len;
	return CER_OK;
}

static int
write_line(struct cer_transcript *t, const char *line, size_t len)
{
	if (t->fd == -1)
		return hold_line(t, line, len);
	if (cer_write_all(t->fd, line, len) != CER_OK)
		return cer_fail(CER_ERR_TRANSCRIPT, "cannot write transcript %s: %s", t->path,
		    strerror(errno));
	if (fsync(t->fd) == -1)
		return cer_fail(CER_ERR_TRANSCRIPT, "cannot sync transcript %s: %s", t->path,
		    strerror(errno));
	return CER_OK;
}

int
cer_transcript_append(struct cer_transcript *t, const char *event, json_t *data)
{
	char when[21], *prev = NULL, *line = NULL, *nl = NULL;
	json_t *rec = NULL;
	size_t len;
	int r = CER_ERR_INTERNAL;

	cer_time_str(time(NULL), when);
	if ((r = cer_hex(t->prev, sizeof(t->prev), &prev)) != CER_OK)
		goto out;
	rec = json_pack("{s:I, s:s, s:s, s:s, s:O}", "seq", (json_int_t)t->seq, "time", when,
	    "event", event, "prev", prev, "data", data != NULL ? data : json_null());
	if (rec == NULL || (line = json_dumps(rec, JSON_COMPACT | JSON_ENSURE_ASCII)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "cannot encode transcript record '%s'", event);
		goto out;
	}
	len = strlen(line);
	if ((nl = malloc(len + 2)) == NULL) {
		r = cer_fail(CER_ERR_ALLOC, "out of memory");
		goto out;
	}
	memcpy(nl, line, len);
	nl[len] = '\n';
	if ((r = write_line(t, nl, len + 1)) != CER_OK ||
	    (r = cer_sha256(line, len, t->prev)) != CER_OK)
		goto out;
	t->seq++;
	r = CER_OK;
 out:
	free(nl);
	free(line);
	free(prev);
	json_decref(rec);
	json_decref(data);
	return r;
}

void
cer_transcript_digest(const struct cer_transcript *t, unsigned char out[static CER_SHA256_LEN])
{
	memcpy(out, t->prev, CER_SHA256_LEN);
}

int
cer_transcript_committed(const struct cer_transcript *t)
{
	return t->fd != -1;
}

const char *
cer_transcript_path(const struct cer_transcript *t)
{
	return t->path;
}

size_t
cer_transcript_lines(const struct cer_transcript *t)
{
	return t->seq;
}

void
cer_transcript_free(struct cer_transcript *t)
{
	if (t == NULL)
		return;
	if (t->fd != -1)
		close(t->fd);
	free(t->held);
	free(t->path);
	free(t);
}
