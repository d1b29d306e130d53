/* SPDX-License-Identifier: MIT */
/*
 * WASI fd_* functions: reading, writing, seeking, syncing, status and flags
 * of guest fds, preopen queries, directory listing (fd_readdir) and fd
 * renumbering.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "wasi_internal.h"

WASI_FN(fd_advise)
{
	static const int advice[] = {
		POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
		POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE,
	};
	struct wasi_fd *f;
	uint32_t adv = a[3].i32;
	int err = wasi_fd_get(c->w, a[0].i32, WASI_R_FD_ADVISE, &f);

	if (err)
		return err;
	if (adv >= sizeof(advice) / sizeof(advice[0]) || (int64_t)a[1].i64 < 0 ||
	    (int64_t)a[2].i64 < 0)
		return WASI_EINVAL;
	return wasi_errno(posix_fadvise(f->host_fd, a[1].i64, a[2].i64, advice[adv]));
}

WASI_FN(fd_allocate)
{
	struct wasi_fd *f;
	int err = wasi_fd_get(c->w, a[0].i32, 0, &f);

	if (err)
		return err;
	if (f->read_only)
		return WASI_EROFS;
	if (!(f->rights & WASI_R_FD_ALLOCATE))
		return WASI_ENOTCAPABLE;
	if ((int64_t)a[1].i64 < 0 || (int64_t)a[2].i64 <= 0)
		return WASI_EINVAL;
	return wasi_errno(posix_fallocate(f->host_fd, a[1].i64, a[2].i64));
}

WASI_FN(fd_close)
{
	struct wasi_fd *f;
	int err = wasi_fd_get(c->w, a[0].i32, 0, &f);

	if (err)
		return err;
	wasi_fd_release(f);
	return 0;
}

WASI_FN(fd_datasync)
{
	struct wasi_fd *f;
	int err = wasi_fd_get(c->w, a[0].i32, WASI_R_FD_DATASYNC, &f);

	if (err)
		return err;
	return fdatasync(f->host_fd) ? wasi_errno(errno) : 0;
}

WASI_FN(fd_sync)
{
	struct wasi_fd *f;
	int err = wasi_fd_get(c->w, a[0].i32, WASI_R_FD_SYNC, &f);

	if (err)
		return err;
	return fsync(f->host_fd) ? wasi_errno(errno) : 0;
}

WASI_FN(fd_fdstat_get)
{
	struct wasi_fd *f;
	uint8_t *p;
	int err = wasi_fd_get(c->w, a[0].i32, 0, &f);

	if (err)
		return err;
	p = wasi_ptr(c, a[1].i32, 24);
	if (!p)
		return WASI_EFAULT;
	memset(p, 0, 24);
	p[0] = f->type;
	wasi_put_u16(p + 2, f->flags);
	wasi_put_u64(p + 8, f->rights);
	wasi_put_u64(p + 16, f->inherit);
	return 0;
}

WASI_FN(fd_fdstat_set_flags)
{
	const uint32_t sync = WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC;
	struct wasi_fd *f;
	uint32_t want = a[1].i32;
	int fl, err = wasi_fd_get(c->w, a[0].i32, WASI_R_FD_FDSTAT_SET_FLAGS, &f);

	if (err)
		return err;
	if (want & ~0x1fu)
		return WASI_EINVAL;
	/* Linux cannot change the sync flags of an open file. */
	if ((want & sync) != (f->flags & sync))
		return WASI_ENOTSUP;
	/* Touch only the bits that change: the host fd may be shared (stdio). */
	if ((want ^ f->flags) & (WASI_FDFLAG_APPEND | WASI_FDFLAG_NONBLOCK)) {
		fl = fcntl(f->host_fd, F_GETFL);
		if (fl < 0)
			return wasi_errno(errno);
		if ((want ^ f->flags) & WASI_FDFLAG_APPEND)
			fl = want & WASI_FDFLAG_APPEND ? fl | O_APPEND : fl & ~O_APPEND;
		if ((want ^ f->flags) & WASI_FDFLAG_NONBLOCK)
			fl = want & WASI_FDFLAG_NONBLOCK ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
		if (fcntl(f->host_fd, F_SETFL, fl) < 0)
			return wasi_errno(errno);
	}
	f->flags = want;
	return 0;
}

WASI_FN(fd_fdstat_set_rights)
{
	struct wasi_fd *f;
	int err = wasi_fd_get(c->w, a[0].i32, 0, &f);

	if (err)
		return err;
	if ((a[1].i64 & ~f->rights) || (a[2].i64 & ~f->inherit))
		return WASI_ENOTCAPABLE;
	f->rights = a[1].i64;
	f->inherit = a[2].i64;
	return 0;
}

WASI_FN(fd_filestat_get)
{
	struct wasi_fd *f;
	struct stat st;
	int err = wasi_fd_get(c->w, a[0].i32, WASI_R_FD_FILESTAT_GET, &f);

	if (err)
		return err;
	if (fstat(f->host_fd, &st))
		return wasi_errno(errno);
	return wasi_store_filestat(c, a[1].i32, &st);
}

WASI_FN(fd_filestat_set_size)
{
	struct wasi_fd *f;
	int err = wasi_fd_get(c->w, a[0].i32, 0, &f);

	if (err)
		return err;
	if (f->read_only)
		return WASI_EROFS;
	if (!(f->rights & WASI_R_FD_FILESTAT_SET_SIZE))
		return WASI_ENOTCAPABLE;
	if ((int64_t)a[1].i64 < 0)
		return WASI_EINVAL;
	return ftruncate(f->host_fd, a[1].i64) ? wasi_errno(errno) : 0;
}

WASI_FN(fd_filestat_set_times)
{
	struct timespec ts[2];
	struct wasi_fd *f;
	int err = wasi_fd_get(c->w, a[0].i32, 0, &f);

	if (err)
		return err;
	if (f->read_only)
		return WASI_EROFS;
	if (!(f->rights & WASI_R_FD_FILESTAT_SET_TIMES))
		return WASI_ENOTCAPABLE;
	err = wasi_fst_times(a[1].i64, a[2].i64, a[3].i32, ts);
	if (err)
		return err;
	return futimens(f->host_fd, ts) ? wasi_errno(errno) : 0;
}

/* Wait until host_fd is ready for `events` after an unexpected EAGAIN. */
static int wait_ready(int host_fd, short events)
{
	struct pollfd p = { .fd = host_fd, .events = events };

	if (poll(&p, 1, -1) < 0)
		return wasi_errno(errno);
	return 0;
}

/*
 * fd_read, fd_write, fd_pread, fd_pwrite. A guest that did not ask for
 * non-blocking I/O gets blocking behaviour even if the host fd was inherited
 * non-blocking (EAGAIN: wait, retry). Writes loop over short writes; reads
 * return after the first transfer. Progress already made is a success.
 */
static int do_rw(struct wasi_ctx *c, uint32_t fd, uint32_t iovs, uint32_t cnt, bool write,
		 bool positional, uint64_t pos, uint32_t out)
{
	uint64_t need = write ? WASI_R_FD_WRITE : WASI_R_FD_READ;
	struct iovec small[WASI_SMALL_IOVS], *iov = NULL, *cur;
	struct wasi_fd *f;
	size_t total, done = 0;
	uint32_t n = cnt;
	int err;

	err = wasi_fd_get(c->w, fd, 0, &f);
	if (err)
		return err;
	if (!(f->rights & need))
		return write && f->read_only ? WASI_EROFS : WASI_ENOTCAPABLE;
	if (positional && pos > INT64_MAX)
		return WASI_EINVAL;
	if (!wasi_ptr(c, out, 4))
		return WASI_EFAULT;
	err = wasi_iovecs(c, iovs, cnt, small, WASI_SMALL_IOVS, &iov, &total);
	if (err)
		return err;
	/* The count returned is 32-bit (and Linux caps one transfer anyway). */
	if (total > UINT32_MAX) {
		err = WASI_EINVAL;
		goto out;
	}
	cur = iov;
	for (;;) {
		ssize_t r;

		if (write)
			r = positional ? pwritev(f->host_fd, cur, n, pos + done) :
					 writev(f->host_fd, cur, n);
		else
			r = positional ? preadv(f->host_fd, cur, n, pos) :
					 readv(f->host_fd, cur, n);
		if (r < 0) {
			if (errno == EAGAIN && !(f->flags & WASI_FDFLAG_NONBLOCK)) {
				err = wait_ready(f->host_fd, write ? POLLOUT : POLLIN);
				if (!err)
					continue;
			} else {
				err = wasi_errno(errno);
			}
			if (done)
				err = 0;
			break;
		}
		done += r;
		if (!write || r == 0 || done >= total)
			break;
		while (n && (size_t)r >= cur->iov_len) {
			r -= cur->iov_len;
			cur++;
			n--;
		}
		if (n) {
			cur->iov_base = (uint8_t *)cur->iov_base + r;
			cur->iov_len -= r;
		}
	}
out:
	if (iov != small)
		free(iov);
	if (!err)
		err = wasi_store_u32(c, out, (uint32_t)done);
	return err;
}

WASI_FN(fd_read)
{
	return do_rw(c, a[0].i32, a[1].i32, a[2].i32, false, false, 0, a[3].i32);
}

WASI_FN(fd_write)
{
	return do_rw(c, a[0].i32, a[1].i32, a[2].i32, true, false, 0, a[3].i32);
}

WASI_FN(fd_pread)
{
	return do_rw(c, a[0].i32, a[1].i32, a[2].i32, false, true, a[3].i64, a[4].i32);
}

WASI_FN(fd_pwrite)
{
	return do_rw(c, a[0].i32, a[1].i32, a[2].i32, true, true, a[3].i64, a[4].i32);
}

WASI_FN(fd_prestat_get)
{
	struct wasi_fd *f;
	uint8_t *p;
	int err = wasi_fd_get(c->w, a[0].i32, 0, &f);

	if (err)
		return err;
	if (!f->preopen)
		return WASI_EBADF;	/* wasi-libc stops its preopen scan at EBADF */
	p = wasi_ptr(c, a[1].i32, 8);
	if (!p)
		return WASI_EFAULT;
	memset(p, 0, 8);
	wasi_put_u32(p + 4, strlen(f->preopen));
	return 0;
}

WASI_FN(fd_prestat_dir_name)
{
	struct wasi_fd *f;
	size_t len;
	void *p;
	int err = wasi_fd_get(c->w, a[0].i32, 0, &f);

	if (err)
		return err;
	if (!f->preopen)
		return WASI_EBADF;
	len = strlen(f->preopen);
	if (a[2].i32 < len)
		return WASI_ENAMETOOLONG;
	p = wasi_ptr(c, a[1].i32, len);
	if (!p)
		return WASI_EFAULT;
	memcpy(p, f->preopen, len);
	return 0;
}

WASI_FN(fd_renumber)
{
	struct wasi_fd *from, *to;
	int err;

	err = wasi_fd_get(c->w, a[0].i32, 0, &from);
	if (!err)
		err = wasi_fd_get(c->w, a[1].i32, 0, &to);
	if (err)
		return err;
	if (from == to)
		return 0;
	wasi_fd_release(to);
	*to = *from;
	memset(from, 0, sizeof(*from));
	from->host_fd = -1;
	return 0;
}

WASI_FN(fd_seek)
{
	static const int whence[] = { SEEK_SET, SEEK_CUR, SEEK_END };
	int64_t delta = a[1].i64;
	uint32_t wh = a[2].i32;
	struct wasi_fd *f;
	off_t off;
	int err;

	err = wasi_fd_get(c->w, a[0].i32, delta == 0 && wh == 1 ? WASI_R_FD_TELL :
			  WASI_R_FD_SEEK, &f);
	if (err)
		return err;
	if (wh > 2)
		return WASI_EINVAL;
	if (!wasi_ptr(c, a[3].i32, 8))
		return WASI_EFAULT;
	off = lseek(f->host_fd, delta, whence[wh]);
	if (off < 0)
		return wasi_errno(errno);
	return wasi_store_u64(c, a[3].i32, off);
}

WASI_FN(fd_tell)
{
	struct wasi_fd *f;
	off_t off;
	int err = wasi_fd_get(c->w, a[0].i32, WASI_R_FD_TELL, &f);

	if (err)
		return err;
	if (!wasi_ptr(c, a[1].i32, 8))
		return WASI_EFAULT;
	off = lseek(f->host_fd, 0, SEEK_CUR);
	if (off < 0)
		return wasi_errno(errno);
	return wasi_store_u64(c, a[1].i32, off);
}

/* ---------------------------------------------------------------- readdir */

static uint8_t dtype_to_wasi(int dirfd, const char *name, unsigned char d_type)
{
	struct stat st;

	switch (d_type) {
	case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
	case DT_DIR: return WASI_FILETYPE_DIRECTORY;
	case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
	case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
	case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
	case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
	case DT_FIFO: return WASI_FILETYPE_UNKNOWN;
	default:
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
			return WASI_FILETYPE_UNKNOWN;
		return wasi_filetype_mode(st.st_mode);
	}
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/*
 * Cookies are entry ordinals: cookie n means "from the n-th entry on", an
 * entry's d_next is its ordinal + 1. Host d_off values would do as cookies,
 * but on ext4 they are 63-bit hashes, and wasi-libc's telldir() keeps only a
 * 32-bit long. The fd caches the host offset of the next ordinal, so reading
 * sequentially seeks straight there; any other cookie restarts from the
 * beginning and skips. Entries that do not fit are truncated and the buffer
 * is reported full, as the protocol requires.
 */
WASI_FN(fd_readdir)
{
	uint32_t buf_len = a[2].i32, used = 0;
	uint64_t cookie = a[3].i64, idx = 0;
	struct wasi_fd *f;
	uint8_t *buf;
	char *hbuf = NULL;
	bool full = false;
	int err;

	err = wasi_fd_get(c->w, a[0].i32, WASI_R_FD_READDIR, &f);
	if (err)
		return err;
	if (f->type != WASI_FILETYPE_DIRECTORY)
		return WASI_ENOTDIR;
	buf = wasi_ptr(c, a[1].i32, buf_len);
	if (!buf || !wasi_ptr(c, a[4].i32, 4))
		return WASI_EFAULT;
	if (cookie && f->dir_idx && f->dir_idx <= cookie) {
		idx = f->dir_idx;
		if (lseek(f->host_fd, f->dir_off, SEEK_SET) < 0)
			idx = 0;
	}
	if (!idx && lseek(f->host_fd, 0, SEEK_SET) < 0)
		return wasi_errno(errno);
	hbuf = malloc(32768);
	if (!hbuf)
		return WASI_ENOMEM;
	while (!full) {
		ssize_t n = getdents64(f->host_fd, hbuf, 32768), pos;

		if (n < 0) {
			err = wasi_errno(errno);
			goto out;
		}
		if (n == 0)
			break;
		for (pos = 0; pos < n; idx++) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(hbuf + pos);
			uint32_t nlen = strlen(d->d_name), k;
			uint8_t ent[24];

			pos += d->d_reclen;
			if (idx >= cookie) {
				if (used == buf_len) {
					full = true;
					break;
				}
				wasi_put_u64(ent, idx + 1);
				wasi_put_u64(ent + 8, d->d_ino);
				wasi_put_u32(ent + 16, nlen);
				memset(ent + 20, 0, 4);
				ent[20] = dtype_to_wasi(f->host_fd, d->d_name, d->d_type);
				k = buf_len - used < 24 ? buf_len - used : 24;
				memcpy(buf + used, ent, k);
				used += k;
				k = buf_len - used < nlen ? buf_len - used : nlen;
				memcpy(buf + used, d->d_name, k);
				used += k;
				if (k < nlen) {
					full = true;	/* truncated: not consumed */
					break;
				}
			}
			f->dir_idx = idx + 1;
			f->dir_off = d->d_off;
		}
	}
out:
	free(hbuf);
	if (!err)
		err = wasi_store_u32(c, a[4].i32, used);
	return err;
}
