/* SPDX-License-Identifier: MIT */
/*
 * Internals shared by the files of the WASI component: the guest fd table,
 * the per-call context, guest memory accessors, and the preview1 constants
 * (errno numbers, rights, struct layouts).
 */
#ifndef WB_WASI_INTERNAL_H
#define WB_WASI_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

#include <wasm-bpf/engine.h>
#include <wasm-bpf/wasi.h>

/* ---------------------------------------------------------------- errno */

enum {
	WASI_ESUCCESS = 0,
	WASI_E2BIG = 1,
	WASI_EACCES = 2,
	WASI_EAGAIN = 6,
	WASI_EBADF = 8,
	WASI_EBUSY = 10,
	WASI_EEXIST = 20,
	WASI_EFAULT = 21,
	WASI_EINTR = 27,
	WASI_EINVAL = 28,
	WASI_EIO = 29,
	WASI_EISDIR = 31,
	WASI_ELOOP = 32,
	WASI_EMFILE = 33,
	WASI_ENAMETOOLONG = 37,
	WASI_ENOENT = 44,
	WASI_ENOMEM = 48,
	WASI_ENOSYS = 52,
	WASI_ENOTDIR = 54,
	WASI_ENOTEMPTY = 55,
	WASI_ENOTSOCK = 57,
	WASI_ENOTSUP = 58,
	WASI_EOVERFLOW = 61,
	WASI_EPERM = 63,
	WASI_EROFS = 69,
	WASI_ESPIPE = 70,
	WASI_ENOTCAPABLE = 76,
};

/* ---------------------------------------------------------------- types */

enum {
	WASI_FILETYPE_UNKNOWN = 0,
	WASI_FILETYPE_BLOCK_DEVICE = 1,
	WASI_FILETYPE_CHARACTER_DEVICE = 2,
	WASI_FILETYPE_DIRECTORY = 3,
	WASI_FILETYPE_REGULAR_FILE = 4,
	WASI_FILETYPE_SOCKET_DGRAM = 5,
	WASI_FILETYPE_SOCKET_STREAM = 6,
	WASI_FILETYPE_SYMBOLIC_LINK = 7,
};

enum {
	WASI_FDFLAG_APPEND = 1 << 0,
	WASI_FDFLAG_DSYNC = 1 << 1,
	WASI_FDFLAG_NONBLOCK = 1 << 2,
	WASI_FDFLAG_RSYNC = 1 << 3,
	WASI_FDFLAG_SYNC = 1 << 4,
};

enum {
	WASI_OFLAG_CREAT = 1 << 0,
	WASI_OFLAG_DIRECTORY = 1 << 1,
	WASI_OFLAG_EXCL = 1 << 2,
	WASI_OFLAG_TRUNC = 1 << 3,
};

#define WASI_LOOKUP_SYMLINK_FOLLOW 1u

enum {
	WASI_FST_ATIM = 1 << 0,
	WASI_FST_ATIM_NOW = 1 << 1,
	WASI_FST_MTIM = 1 << 2,
	WASI_FST_MTIM_NOW = 1 << 3,
};

#define R(n) ((uint64_t)1 << (n))
#define WASI_R_FD_DATASYNC		R(0)
#define WASI_R_FD_READ			R(1)
#define WASI_R_FD_SEEK			R(2)
#define WASI_R_FD_FDSTAT_SET_FLAGS	R(3)
#define WASI_R_FD_SYNC			R(4)
#define WASI_R_FD_TELL			R(5)
#define WASI_R_FD_WRITE			R(6)
#define WASI_R_FD_ADVISE		R(7)
#define WASI_R_FD_ALLOCATE		R(8)
#define WASI_R_PATH_CREATE_DIRECTORY	R(9)
#define WASI_R_PATH_CREATE_FILE		R(10)
#define WASI_R_PATH_LINK_SOURCE		R(11)
#define WASI_R_PATH_LINK_TARGET		R(12)
#define WASI_R_PATH_OPEN		R(13)
#define WASI_R_FD_READDIR		R(14)
#define WASI_R_PATH_READLINK		R(15)
#define WASI_R_PATH_RENAME_SOURCE	R(16)
#define WASI_R_PATH_RENAME_TARGET	R(17)
#define WASI_R_PATH_FILESTAT_GET	R(18)
#define WASI_R_PATH_FILESTAT_SET_SIZE	R(19)
#define WASI_R_PATH_FILESTAT_SET_TIMES	R(20)
#define WASI_R_FD_FILESTAT_GET		R(21)
#define WASI_R_FD_FILESTAT_SET_SIZE	R(22)
#define WASI_R_FD_FILESTAT_SET_TIMES	R(23)
#define WASI_R_PATH_SYMLINK		R(24)
#define WASI_R_PATH_REMOVE_DIRECTORY	R(25)
#define WASI_R_PATH_UNLINK_FILE		R(26)
#define WASI_R_POLL_FD_READWRITE	R(27)
#define WASI_R_SOCK_SHUTDOWN		R(28)
#define WASI_R_SOCK_ACCEPT		R(29)
#define WASI_R_ALL			(R(30) - 1)

/* Rights that change the file system; absent below a read-only preopen. */
#define WASI_R_MUTATE (WASI_R_FD_WRITE | WASI_R_FD_ALLOCATE | \
	WASI_R_FD_FILESTAT_SET_SIZE | WASI_R_FD_FILESTAT_SET_TIMES | \
	WASI_R_PATH_CREATE_DIRECTORY | WASI_R_PATH_CREATE_FILE | \
	WASI_R_PATH_LINK_SOURCE | WASI_R_PATH_LINK_TARGET | \
	WASI_R_PATH_RENAME_SOURCE | WASI_R_PATH_RENAME_TARGET | \
	WASI_R_PATH_FILESTAT_SET_SIZE | WASI_R_PATH_FILESTAT_SET_TIMES | \
	WASI_R_PATH_SYMLINK | WASI_R_PATH_REMOVE_DIRECTORY | WASI_R_PATH_UNLINK_FILE)

/* Rights that only make sense on a directory. */
#define WASI_R_DIR_ONLY (WASI_R_PATH_CREATE_DIRECTORY | WASI_R_PATH_CREATE_FILE | \
	WASI_R_PATH_LINK_SOURCE | WASI_R_PATH_LINK_TARGET | WASI_R_PATH_OPEN | \
	WASI_R_FD_READDIR | WASI_R_PATH_READLINK | WASI_R_PATH_RENAME_SOURCE | \
	WASI_R_PATH_RENAME_TARGET | WASI_R_PATH_FILESTAT_GET | \
	WASI_R_PATH_FILESTAT_SET_SIZE | WASI_R_PATH_FILESTAT_SET_TIMES | \
	WASI_R_PATH_SYMLINK | WASI_R_PATH_REMOVE_DIRECTORY | WASI_R_PATH_UNLINK_FILE)

/* ---------------------------------------------------------------- state */

/* Upper bound on open guest fds, and on iovec counts (Linux IOV_MAX). */
#define WASI_MAX_FDS 4096
#define WASI_MAX_IOVS 1024
#define WASI_PATH_MAX 4096

struct wasi_fd {
	int host_fd;		/* -1: slot free */
	bool owned;		/* close host_fd when the guest closes the fd */
	bool read_only;		/* below a read-only preopen: mutations -> EROFS */
	uint8_t type;		/* WASI_FILETYPE_* */
	uint16_t flags;		/* WASI_FDFLAG_* */
	uint64_t rights;
	uint64_t inherit;
	char *preopen;		/* guest name if this is a preopen, else NULL */
	/* fd_readdir position cache: reading from host offset dir_off yields
	 * the entry of ordinal dir_idx (0 = not set). */
	uint64_t dir_idx;
	int64_t dir_off;
};

struct wasi_entry;

struct wb_wasi {
	char **argv;
	int argc;
	size_t argv_sz;		/* bytes of all strings with their NULs */
	char **envp;
	int envc;
	size_t envp_sz;
	struct wasi_fd *fds;
	uint32_t fd_cnt;	/* slots allocated */
	struct wasi_entry *entries;	/* one per registered function (user data) */
};

/* What every WASI function receives. */
struct wasi_ctx {
	struct wb_wasi *w;
	const struct wb_hostcall *hc;
	struct wb_memory *mem;
};

/* A WASI function: returns a WASI errno (0 on success). */
typedef int (*wasi_fn)(struct wasi_ctx *c, const wb_value *a);

/* ---------------------------------------------------------------- helpers (wasi.c) */

/* Guest pointer [off, off+len) or NULL. */
static inline void *wasi_ptr(struct wasi_ctx *c, uint32_t off, uint64_t len)
{
	return wb_memory__ptr(c->mem, off, len);
}

static inline void wasi_put_u16(void *p, uint16_t v)
{
	uint8_t *b = p;

	b[0] = v;
	b[1] = v >> 8;
}

static inline void wasi_put_u32(void *p, uint32_t v)
{
	uint8_t *b = p;

	b[0] = v;
	b[1] = v >> 8;
	b[2] = v >> 16;
	b[3] = v >> 24;
}

static inline void wasi_put_u64(void *p, uint64_t v)
{
	wasi_put_u32(p, (uint32_t)v);
	wasi_put_u32((uint8_t *)p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t wasi_get_u16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] | b[1] << 8);
}

static inline uint32_t wasi_get_u32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static inline uint64_t wasi_get_u64(const void *p)
{
	return wasi_get_u32(p) | (uint64_t)wasi_get_u32((const uint8_t *)p + 4) << 32;
}

/* Store a u32 / u64 result at guest offset off; WASI errno. */
int wasi_store_u32(struct wasi_ctx *c, uint32_t off, uint32_t v);
int wasi_store_u64(struct wasi_ctx *c, uint32_t off, uint64_t v);

/* errno -> WASI errno, for the current errno. */
static inline int wasi_errno(int e)
{
	return wb_wasi_errno(e);
}

/*
 * Look up guest fd; *out set on success. Returns WASI_EBADF if not open,
 * WASI_ENOTCAPABLE if the fd lacks any of `need` rights.
 */
int wasi_fd_get(struct wb_wasi *w, uint32_t fd, uint64_t need, struct wasi_fd **out);
/* Install a new fd in the lowest free slot; WASI errno, *out_fd on success.
 * On failure the host fd is NOT closed (the caller owns it still). */
int wasi_fd_install(struct wb_wasi *w, const struct wasi_fd *tmpl, uint32_t *out_fd);
/* Close slot's host fd (if owned) and free the slot. */
void wasi_fd_release(struct wasi_fd *f);
/* WASI filetype of a host fd from fstat (sockets: by SO_TYPE). */
uint8_t wasi_filetype_of(int host_fd, const struct stat *st);
uint8_t wasi_filetype_mode(unsigned int mode);

/*
 * Gather the guest iovec array at (iovs, cnt) into host iovecs: into `small`
 * when cnt <= small_cnt, else allocated (free *out if it is not `small`).
 * *total is the sum of the lengths. WASI errno.
 */
#define WASI_SMALL_IOVS 8
int wasi_iovecs(struct wasi_ctx *c, uint32_t iovs, uint32_t cnt, struct iovec *small,
		uint32_t small_cnt, struct iovec **out, size_t *total);

/* Fill a 64-byte WASI filestat at guest offset off from st. WASI errno. */
int wasi_store_filestat(struct wasi_ctx *c, uint32_t off, const struct stat *st);
/* Times from fst_flags for futimens/utimensat. WASI errno (EINVAL). */
int wasi_fst_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]);

/* ---------------------------------------------------------------- functions */

#define WASI_FN(name) int wasi_##name(struct wasi_ctx *c, const wb_value *a)

/* args_env.c */
WASI_FN(args_get);
WASI_FN(args_sizes_get);
WASI_FN(environ_get);
WASI_FN(environ_sizes_get);
/* clock_random.c */
WASI_FN(clock_res_get);
WASI_FN(clock_time_get);
WASI_FN(random_get);
int wasi_clock_now(uint32_t id, uint64_t *ns);
/* fd.c */
WASI_FN(fd_advise);
WASI_FN(fd_allocate);
WASI_FN(fd_close);
WASI_FN(fd_datasync);
WASI_FN(fd_fdstat_get);
WASI_FN(fd_fdstat_set_flags);
WASI_FN(fd_fdstat_set_rights);
WASI_FN(fd_filestat_get);
WASI_FN(fd_filestat_set_size);
WASI_FN(fd_filestat_set_times);
WASI_FN(fd_pread);
WASI_FN(fd_prestat_get);
WASI_FN(fd_prestat_dir_name);
WASI_FN(fd_pwrite);
WASI_FN(fd_read);
WASI_FN(fd_readdir);
WASI_FN(fd_renumber);
WASI_FN(fd_seek);
WASI_FN(fd_sync);
WASI_FN(fd_tell);
WASI_FN(fd_write);
/* path.c */
WASI_FN(path_create_directory);
WASI_FN(path_filestat_get);
WASI_FN(path_filestat_set_times);
WASI_FN(path_link);
WASI_FN(path_open);
WASI_FN(path_readlink);
WASI_FN(path_remove_directory);
WASI_FN(path_rename);
WASI_FN(path_symlink);
WASI_FN(path_unlink_file);
/* poll.c */
WASI_FN(poll_oneoff);
/* proc_sock.c */
WASI_FN(proc_raise);
WASI_FN(sched_yield);
WASI_FN(sock_accept);
WASI_FN(sock_recv);
WASI_FN(sock_send);
WASI_FN(sock_shutdown);

#endif /* WB_WASI_INTERNAL_H */
