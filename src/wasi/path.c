/* SPDX-License-Identifier: MIT */
/*
 * WASI path_* functions, confined beneath the directory of the guest fd they
 * name: every lookup goes through openat2(2) with RESOLVE_BENEATH and
 * RESOLVE_NO_MAGICLINKS, so `..`, absolute paths and symlinks (including
 * ones swapped in concurrently) can never reach outside it.
 *
 * Operations other than open resolve the parent directory that way, then act
 * on the last component with an *at() call that does not follow it. Lookups
 * that must follow the last component (stat, utimes, readlink, link with
 * SYMLINK_FOLLOW) open the whole path with O_PATH beneath the directory and
 * act on that fd. An escape attempt is reported as ENOTCAPABLE.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wasi_internal.h"

/* openat2 beneath dirfd; -1 with errno on failure. */
static int open_beneath(int dirfd, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	int tries, fd = -1;

	/* EAGAIN: a concurrent rename raced with a ".." lookup; try again. */
	for (tries = 0; tries < 16; tries++) {
		fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
}

/* WASI errno of a failed lookup: leaving the directory is ENOTCAPABLE. */
static int lookup_err(int e)
{
	return e == EXDEV ? WASI_ENOTCAPABLE : wasi_errno(e);
}

/* Copy the guest path (not NUL-terminated) into buf (WASI_PATH_MAX bytes). */
static int get_path(struct wasi_ctx *c, uint32_t off, uint32_t len, char *buf)
{
	const char *p;

	if (len >= WASI_PATH_MAX)
		return WASI_ENAMETOOLONG;
	p = wasi_ptr(c, off, len);
	if (!p)
		return WASI_EFAULT;
	if (memchr(p, 0, len))
		return WASI_EINVAL;
	memcpy(buf, p, len);
	buf[len] = 0;
	return 0;
}

/* A directory fd with the rights for an operation (EROFS below read-only preopens). */
static int get_dir(struct wasi_ctx *c, uint32_t fd, uint64_t need, struct wasi_fd **out)
{
	struct wasi_fd *f;
	int err = wasi_fd_get(c->w, fd, 0, &f);

	if (err)
		return err;
	if ((need & WASI_R_MUTATE) && f->read_only)
		return WASI_EROFS;
	if ((f->rights & need) != need)
		return WASI_ENOTCAPABLE;
	if (f->type != WASI_FILETYPE_DIRECTORY)
		return WASI_ENOTDIR;
	*out = f;
	return 0;
}

/* The parent directory of a guest path, opened beneath its fd, and the last component. */
struct at {
	struct wasi_fd *f;
	int dirfd;		/* parent, O_PATH; or f->host_fd */
	bool close;
	bool dot;		/* last component is "." or ".." */
	bool dotdot;
	bool slash;		/* last component had trailing slashes */
	char path[WASI_PATH_MAX];	/* the whole path */
	char last[WASI_PATH_MAX];	/* last component, with its trailing slashes */
};

static void at_done(struct at *at)
{
	if (at->close)
		close(at->dirfd);
	at->close = false;
}

static int at_resolve(struct wasi_ctx *c, uint32_t fd, uint64_t need, uint32_t off,
		      uint32_t len, struct at *at)
{
	size_t n, end;
	char *slash;
	int err;

	at->close = false;
	err = get_dir(c, fd, need, &at->f);
	if (!err)
		err = get_path(c, off, len, at->path);
	if (err)
		return err;
	n = strlen(at->path);
	if (!n)
		return WASI_ENOENT;
	end = n;
	while (end > 1 && at->path[end - 1] == '/')
		end--;
	slash = memrchr(at->path, '/', end);
	at->dirfd = at->f->host_fd;
	if (slash) {
		char save = slash[1];

		/* Parent = everything up to and including the slash. */
		memcpy(at->last, slash + 1, n - (slash + 1 - at->path) + 1);
		slash[1] = 0;
		at->dirfd = open_beneath(at->f->host_fd, at->path, O_PATH | O_DIRECTORY, 0);
		slash[1] = save;
		if (at->dirfd < 0)
			return lookup_err(errno);
		at->close = true;
	} else {
		memcpy(at->last, at->path, n + 1);
	}
	at->slash = end < n && at->last[0] != '/';
	end = strcspn(at->last, "/");
	at->dot = (end == 1 && at->last[0] == '.') ||
		  (end == 2 && at->last[0] == '.' && at->last[1] == '.');
	at->dotdot = at->dot && end == 2;
	return 0;
}

/* The whole path must resolve beneath the directory; then return `err`. */
static int at_whole_err(struct at *at, int err)
{
	int fd = open_beneath(at->f->host_fd, at->path, O_PATH, 0);

	if (fd < 0)
		return lookup_err(errno);
	close(fd);
	return err;
}

/* ---------------------------------------------------------------- open */

WASI_FN(path_open)
{
	const uint64_t wr = WASI_R_FD_WRITE | WASI_R_FD_ALLOCATE | WASI_R_FD_FILESTAT_SET_SIZE;
	const uint64_t rd = WASI_R_FD_READ | WASI_R_FD_READDIR;
	uint32_t dirflags = a[1].i32, oflags = a[4].i32, fdflags = a[7].i32, gfd;
	uint64_t base = a[5].i64, inh = a[6].i64;
	struct wasi_fd *f, nf = { 0 };
	char path[WASI_PATH_MAX];
	struct stat st;
	int flags, err;

	err = get_dir(c, a[0].i32, WASI_R_PATH_OPEN, &f);
	if (!err)
		err = get_path(c, a[2].i32, a[3].i32, path);
	if (err)
		return err;
	if (!wasi_ptr(c, a[8].i32, 4))
		return WASI_EFAULT;
	if ((oflags & ~0xfu) || (fdflags & ~0x1fu))
		return WASI_EINVAL;
	if (f->read_only && ((base & wr) || (oflags & (WASI_OFLAG_CREAT | WASI_OFLAG_TRUNC)) ||
			     (fdflags & WASI_FDFLAG_APPEND)))
		return WASI_EROFS;
	if ((base & ~f->inherit) || (inh & ~f->inherit))
		return WASI_ENOTCAPABLE;
	if ((oflags & WASI_OFLAG_CREAT) && !(f->rights & WASI_R_PATH_CREATE_FILE))
		return WASI_ENOTCAPABLE;

	flags = O_NOCTTY;
	if ((base & wr) && (base & rd))
		flags |= O_RDWR;
	else if (base & wr)
		flags |= O_WRONLY;
	else
		flags |= O_RDONLY;
	if (oflags & WASI_OFLAG_CREAT)
		flags |= O_CREAT;
	if (oflags & WASI_OFLAG_DIRECTORY)
		flags |= O_DIRECTORY;
	if (oflags & WASI_OFLAG_EXCL)
		flags |= O_EXCL;
	if (oflags & WASI_OFLAG_TRUNC)
		flags |= O_TRUNC;
	if (!(dirflags & WASI_LOOKUP_SYMLINK_FOLLOW))
		flags |= O_NOFOLLOW;
	if (fdflags & WASI_FDFLAG_APPEND)
		flags |= O_APPEND;
	if (fdflags & WASI_FDFLAG_DSYNC)
		flags |= O_DSYNC;
	if (fdflags & WASI_FDFLAG_NONBLOCK)
		flags |= O_NONBLOCK;
	if (fdflags & WASI_FDFLAG_RSYNC)
		flags |= O_RSYNC;
	if (fdflags & WASI_FDFLAG_SYNC)
		flags |= O_SYNC;

	nf.host_fd = open_beneath(f->host_fd, path, flags, 0666);
	/* Neither read nor write asked (O_SEARCH, O_EXEC): a path-only fd will do. */
	if (nf.host_fd < 0 && errno == EACCES && !(base & (wr | rd)) &&
	    !(oflags & (WASI_OFLAG_CREAT | WASI_OFLAG_TRUNC)))
		nf.host_fd = open_beneath(f->host_fd, path,
					  O_PATH | (flags & (O_DIRECTORY | O_NOFOLLOW)), 0);
	if (nf.host_fd < 0)
		return lookup_err(errno);
	if (fstat(nf.host_fd, &st)) {
		err = wasi_errno(errno);
		close(nf.host_fd);
		return err;
	}
	nf.owned = true;
	nf.read_only = f->read_only;
	nf.type = wasi_filetype_of(nf.host_fd, &st);
	nf.flags = fdflags;
	nf.rights = base;
	nf.inherit = inh;
	if (nf.type != WASI_FILETYPE_DIRECTORY)
		nf.rights &= ~WASI_R_DIR_ONLY;
	if (nf.read_only)
		nf.rights &= ~WASI_R_MUTATE;
	err = wasi_fd_install(c->w, &nf, &gfd);
	if (err) {
		close(nf.host_fd);
		return err;
	}
	return wasi_store_u32(c, a[8].i32, gfd);
}

/* ---------------------------------------------------------------- directories */

WASI_FN(path_create_directory)
{
	struct at at;
	int err = at_resolve(c, a[0].i32, WASI_R_PATH_CREATE_DIRECTORY, a[1].i32, a[2].i32, &at);

	if (err)
		goto out;
	if (at.dot)
		err = at_whole_err(&at, WASI_EEXIST);
	else if (mkdirat(at.dirfd, at.last, 0777))
		err = wasi_errno(errno);
out:
	at_done(&at);
	return err;
}

WASI_FN(path_remove_directory)
{
	struct at at;
	int err = at_resolve(c, a[0].i32, WASI_R_PATH_REMOVE_DIRECTORY, a[1].i32, a[2].i32,
			     &at);

	if (err)
		goto out;
	if (at.dot)
		err = at_whole_err(&at, at.dotdot ? WASI_ENOTEMPTY : WASI_EINVAL);
	else if (unlinkat(at.dirfd, at.last, AT_REMOVEDIR))
		err = wasi_errno(errno);
out:
	at_done(&at);
	return err;
}

WASI_FN(path_unlink_file)
{
	struct at at;
	int err = at_resolve(c, a[0].i32, WASI_R_PATH_UNLINK_FILE, a[1].i32, a[2].i32, &at);

	if (err)
		goto out;
	if (at.dot)
		err = at_whole_err(&at, WASI_EISDIR);
	else if (unlinkat(at.dirfd, at.last, 0))
		err = wasi_errno(errno);
out:
	at_done(&at);
	return err;
}

/* ---------------------------------------------------------------- stat, times, readlink */

/* Open the whole guest path with O_PATH beneath fd; WASI errno. */
static int open_path(struct wasi_ctx *c, uint32_t fd, uint64_t need, uint32_t lookup,
		     uint32_t off, uint32_t len, int *out)
{
	char path[WASI_PATH_MAX];
	struct wasi_fd *f;
	int err, flags = O_PATH;

	err = get_dir(c, fd, need, &f);
	if (!err)
		err = get_path(c, off, len, path);
	if (err)
		return err;
	if (!(lookup & WASI_LOOKUP_SYMLINK_FOLLOW))
		flags |= O_NOFOLLOW;
	*out = open_beneath(f->host_fd, path, flags, 0);
	return *out < 0 ? lookup_err(errno) : 0;
}

WASI_FN(path_filestat_get)
{
	struct stat st;
	int fd, err;

	if (!wasi_ptr(c, a[4].i32, 64))
		return WASI_EFAULT;
	err = open_path(c, a[0].i32, WASI_R_PATH_FILESTAT_GET, a[1].i32, a[2].i32, a[3].i32,
			&fd);
	if (err)
		return err;
	err = fstat(fd, &st) ? wasi_errno(errno) : wasi_store_filestat(c, a[4].i32, &st);
	close(fd);
	return err;
}

WASI_FN(path_filestat_set_times)
{
	struct timespec ts[2];
	int fd, err;

	err = wasi_fst_times(a[4].i64, a[5].i64, a[6].i32, ts);
	if (err)
		return err;
	err = open_path(c, a[0].i32, WASI_R_PATH_FILESTAT_SET_TIMES, a[1].i32, a[2].i32,
			a[3].i32, &fd);
	if (err)
		return err;
	if (utimensat(fd, "", ts, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		err = wasi_errno(errno);
	close(fd);
	return err;
}

WASI_FN(path_readlink)
{
	uint32_t buf_len = a[4].i32;
	struct stat st;
	ssize_t n;
	char *buf;
	int fd, err;

	buf = wasi_ptr(c, a[3].i32, buf_len);
	if (!buf || !wasi_ptr(c, a[5].i32, 4))
		return WASI_EFAULT;
	err = open_path(c, a[0].i32, WASI_R_PATH_READLINK, 0, a[1].i32, a[2].i32, &fd);
	if (err)
		return err;
	if (fstat(fd, &st) == 0 && !S_ISLNK(st.st_mode)) {
		err = WASI_EINVAL;
		goto out;
	}
	n = readlinkat(fd, "", buf, buf_len);
	if (n < 0) {
		err = wasi_errno(errno);
		goto out;
	}
	err = wasi_store_u32(c, a[5].i32, (uint32_t)n);
out:
	close(fd);
	return err;
}

/* ---------------------------------------------------------------- link, symlink, rename */

WASI_FN(path_link)
{
	struct at *old = NULL, *new = NULL;
	int fd, err;

	old = malloc(sizeof(*old));
	new = malloc(sizeof(*new));
	if (!old || !new) {
		free(old);
		free(new);
		return WASI_ENOMEM;
	}
	old->close = new->close = false;
	err = at_resolve(c, a[0].i32, WASI_R_PATH_LINK_SOURCE, a[2].i32, a[3].i32, old);
	if (!err)
		err = at_resolve(c, a[4].i32, WASI_R_PATH_LINK_TARGET, a[5].i32, a[6].i32, new);
	if (err)
		goto out;
	if (a[1].i32 & WASI_LOOKUP_SYMLINK_FOLLOW) {
		fd = open_beneath(old->f->host_fd, old->path, O_PATH, 0);
		if (fd < 0) {
			err = lookup_err(errno);
			goto out;
		}
		if (new->dot)
			err = at_whole_err(new, WASI_EEXIST);
		else if (linkat(fd, "", new->dirfd, new->last, AT_EMPTY_PATH))
			err = wasi_errno(errno);
		close(fd);
		goto out;
	}
	if (old->dot || old->slash) {
		/* The kernel would follow a symlink here; answer as it would, safely. */
		struct stat st;

		fd = open_beneath(old->f->host_fd, old->path, O_PATH, 0);
		if (fd < 0) {
			err = lookup_err(errno);
			goto out;
		}
		err = fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode) ? WASI_ENOTDIR : WASI_EPERM;
		close(fd);
		goto out;
	}
	if (new->dot)
		err = at_whole_err(new, WASI_EEXIST);
	else if (linkat(old->dirfd, old->last, new->dirfd, new->last, 0))
		err = wasi_errno(errno);
out:
	at_done(old);
	at_done(new);
	free(old);
	free(new);
	return err;
}

WASI_FN(path_symlink)
{
	char target[WASI_PATH_MAX];
	struct at at;
	int err;

	at.close = false;
	err = get_path(c, a[0].i32, a[1].i32, target);
	if (!err)
		err = at_resolve(c, a[2].i32, WASI_R_PATH_SYMLINK, a[3].i32, a[4].i32, &at);
	if (err)
		goto out;
	/* Absolute targets can never resolve inside the sandbox: refuse them. */
	if (target[0] == '/')
		err = WASI_ENOTCAPABLE;
	else if (at.dot)
		err = at_whole_err(&at, WASI_EEXIST);
	else if (symlinkat(target, at.dirfd, at.last))
		err = wasi_errno(errno);
out:
	at_done(&at);
	return err;
}

WASI_FN(path_rename)
{
	struct at *old = NULL, *new = NULL;
	int err;

	old = malloc(sizeof(*old));
	new = malloc(sizeof(*new));
	if (!old || !new) {
		free(old);
		free(new);
		return WASI_ENOMEM;
	}
	old->close = new->close = false;
	err = at_resolve(c, a[0].i32, WASI_R_PATH_RENAME_SOURCE, a[1].i32, a[2].i32, old);
	if (!err)
		err = at_resolve(c, a[3].i32, WASI_R_PATH_RENAME_TARGET, a[4].i32, a[5].i32, new);
	if (err)
		goto out;
	if (old->dot)
		err = at_whole_err(old, WASI_EBUSY);
	else if (new->dot)
		err = at_whole_err(new, WASI_EBUSY);
	else if (renameat(old->dirfd, old->last, new->dirfd, new->last))
		err = wasi_errno(errno);
out:
	at_done(old);
	at_done(new);
	free(old);
	free(new);
	return err;
}
