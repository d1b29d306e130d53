/* SPDX-License-Identifier: MIT */
/*
 * WASI setup and teardown: the wb_wasi object, the guest fd table, the
 * registration table of every wasi_snapshot_preview1 function, the Linux ->
 * WASI errno conversion, and small helpers shared by the other files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_internal.h"

/* ---------------------------------------------------------------- errno */

/* Linux errno -> WASI errno; zero entries are unknown (-> EIO). */
static const uint8_t errno_map[] = {
	[E2BIG] = 1,
	[EACCES] = 2,
	[EADDRINUSE] = 3,
	[EADDRNOTAVAIL] = 4,
	[EAFNOSUPPORT] = 5,
	[EAGAIN] = 6,
	[EALREADY] = 7,
	[EBADF] = 8,
	[EBADMSG] = 9,
	[EBUSY] = 10,
	[ECANCELED] = 11,
	[ECHILD] = 12,
	[ECONNABORTED] = 13,
	[ECONNREFUSED] = 14,
	[ECONNRESET] = 15,
	[EDEADLK] = 16,
	[EDESTADDRREQ] = 17,
	[EDOM] = 18,
	[EDQUOT] = 19,
	[EEXIST] = 20,
	[EFAULT] = 21,
	[EFBIG] = 22,
	[EHOSTUNREACH] = 23,
	[EIDRM] = 24,
	[EILSEQ] = 25,
	[EINPROGRESS] = 26,
	[EINTR] = 27,
	[EINVAL] = 28,
	[EIO] = 29,
	[EISCONN] = 30,
	[EISDIR] = 31,
	[ELOOP] = 32,
	[EMFILE] = 33,
	[EMLINK] = 34,
	[EMSGSIZE] = 35,
	[EMULTIHOP] = 36,
	[ENAMETOOLONG] = 37,
	[ENETDOWN] = 38,
	[ENETRESET] = 39,
	[ENETUNREACH] = 40,
	[ENFILE] = 41,
	[ENOBUFS] = 42,
	[ENODEV] = 43,
	[ENOENT] = 44,
	[ENOEXEC] = 45,
	[ENOLCK] = 46,
	[ENOLINK] = 47,
	[ENOMEM] = 48,
	[ENOMSG] = 49,
	[ENOPROTOOPT] = 50,
	[ENOSPC] = 51,
	[ENOSYS] = 52,
	[ENOTCONN] = 53,
	[ENOTDIR] = 54,
	[ENOTEMPTY] = 55,
	[ENOTRECOVERABLE] = 56,
	[ENOTSOCK] = 57,
	[EOPNOTSUPP] = 58,	/* == ENOTSUP on Linux */
	[ENOTTY] = 59,
	[ENXIO] = 60,
	[EOVERFLOW] = 61,
	[EOWNERDEAD] = 62,
	[EPERM] = 63,
	[EPIPE] = 64,
	[EPROTO] = 65,
	[EPROTONOSUPPORT] = 66,
	[EPROTOTYPE] = 67,
	[ERANGE] = 68,
	[EROFS] = 69,
	[ESPIPE] = 70,
	[ESRCH] = 71,
	[ESTALE] = 72,
	[ETIMEDOUT] = 73,
	[ETXTBSY] = 74,
	[EXDEV] = 75,
};

int wb_wasi_errno(int e)
{
	if (e == 0)
		return 0;
	if (e < 0 || (size_t)e >= sizeof(errno_map) || !errno_map[e])
		return WASI_EIO;
	return errno_map[e];
}

/* ---------------------------------------------------------------- helpers */

int wasi_store_u32(struct wasi_ctx *c, uint32_t off, uint32_t v)
{
	void *p = wasi_ptr(c, off, 4);

	if (!p)
		return WASI_EFAULT;
	wasi_put_u32(p, v);
	return 0;
}

int wasi_store_u64(struct wasi_ctx *c, uint32_t off, uint64_t v)
{
	void *p = wasi_ptr(c, off, 8);

	if (!p)
		return WASI_EFAULT;
	wasi_put_u64(p, v);
	return 0;
}

uint8_t wasi_filetype_mode(unsigned int mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return WASI_FILETYPE_REGULAR_FILE;
	case S_IFDIR: return WASI_FILETYPE_DIRECTORY;
	case S_IFCHR: return WASI_FILETYPE_CHARACTER_DEVICE;
	case S_IFBLK: return WASI_FILETYPE_BLOCK_DEVICE;
	case S_IFLNK: return WASI_FILETYPE_SYMBOLIC_LINK;
	case S_IFSOCK: return WASI_FILETYPE_SOCKET_STREAM;
	default: return WASI_FILETYPE_UNKNOWN;	/* FIFOs have no WASI type */
	}
}

uint8_t wasi_filetype_of(int host_fd, const struct stat *st)
{
	int type;
	socklen_t len = sizeof(type);

	if (S_ISSOCK(st->st_mode) &&
	    getsockopt(host_fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	    type == SOCK_DGRAM)
		return WASI_FILETYPE_SOCKET_DGRAM;
	return wasi_filetype_mode(st->st_mode);
}

int wasi_store_filestat(struct wasi_ctx *c, uint32_t off, const struct stat *st)
{
	uint8_t *p = wasi_ptr(c, off, 64);

	if (!p)
		return WASI_EFAULT;
	memset(p, 0, 64);
	wasi_put_u64(p + 0, st->st_dev);
	wasi_put_u64(p + 8, st->st_ino);
	p[16] = wasi_filetype_mode(st->st_mode);
	wasi_put_u64(p + 24, st->st_nlink);
	wasi_put_u64(p + 32, st->st_size);
	wasi_put_u64(p + 40, st->st_atim.tv_sec * 1000000000ull + st->st_atim.tv_nsec);
	wasi_put_u64(p + 48, st->st_mtim.tv_sec * 1000000000ull + st->st_mtim.tv_nsec);
	wasi_put_u64(p + 56, st->st_ctim.tv_sec * 1000000000ull + st->st_ctim.tv_nsec);
	return 0;
}

int wasi_fst_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2])
{
	if (fst & ~0xfu)
		return WASI_EINVAL;
	if ((fst & WASI_FST_ATIM) && (fst & WASI_FST_ATIM_NOW))
		return WASI_EINVAL;
	if ((fst & WASI_FST_MTIM) && (fst & WASI_FST_MTIM_NOW))
		return WASI_EINVAL;
	ts[0].tv_sec = 0;
	ts[1].tv_sec = 0;
	if (fst & WASI_FST_ATIM) {
		ts[0].tv_sec = atim / 1000000000ull;
		ts[0].tv_nsec = atim % 1000000000ull;
	} else {
		ts[0].tv_nsec = fst & WASI_FST_ATIM_NOW ? UTIME_NOW : UTIME_OMIT;
	}
	if (fst & WASI_FST_MTIM) {
		ts[1].tv_sec = mtim / 1000000000ull;
		ts[1].tv_nsec = mtim % 1000000000ull;
	} else {
		ts[1].tv_nsec = fst & WASI_FST_MTIM_NOW ? UTIME_NOW : UTIME_OMIT;
	}
	return 0;
}

int wasi_iovecs(struct wasi_ctx *c, uint32_t iovs, uint32_t cnt, struct iovec *small,
		uint32_t small_cnt, struct iovec **out, size_t *total)
{
	const uint8_t *g;
	struct iovec *v;
	size_t sum = 0;
	uint32_t i;

	*out = NULL;
	*total = 0;
	if (cnt > WASI_MAX_IOVS)
		return WASI_EINVAL;
	g = wasi_ptr(c, iovs, (uint64_t)cnt * 8);
	if (!g)
		return WASI_EFAULT;
	v = cnt <= small_cnt ? small : calloc(cnt, sizeof(*v));
	if (!v)
		return WASI_ENOMEM;
	for (i = 0; i < cnt; i++) {
		uint32_t off = wasi_get_u32(g + 8 * i);
		uint32_t len = wasi_get_u32(g + 8 * i + 4);
		void *p = wasi_ptr(c, off, len);

		if (!p) {
			if (v != small)
				free(v);
			return WASI_EFAULT;
		}
		v[i].iov_base = p;
		v[i].iov_len = len;
		sum += len;
	}
	*out = v;
	*total = sum;
	return 0;
}

/* ---------------------------------------------------------------- fd table */

int wasi_fd_get(struct wb_wasi *w, uint32_t fd, uint64_t need, struct wasi_fd **out)
{
	struct wasi_fd *f;

	if (fd >= w->fd_cnt || w->fds[fd].host_fd < 0)
		return WASI_EBADF;
	f = &w->fds[fd];
	if ((f->rights & need) != need)
		return WASI_ENOTCAPABLE;
	*out = f;
	return 0;
}

/* Make sure slots [0, n) exist. WASI errno. */
static int wasi_fd_reserve(struct wb_wasi *w, uint32_t n)
{
	struct wasi_fd *fds;
	uint32_t i;

	if (n <= w->fd_cnt)
		return 0;
	if (n > WASI_MAX_FDS)
		return WASI_EMFILE;
	fds = realloc(w->fds, n * sizeof(*fds));
	if (!fds)
		return WASI_ENOMEM;
	for (i = w->fd_cnt; i < n; i++) {
		memset(&fds[i], 0, sizeof(fds[i]));
		fds[i].host_fd = -1;
	}
	w->fds = fds;
	w->fd_cnt = n;
	return 0;
}

int wasi_fd_install(struct wb_wasi *w, const struct wasi_fd *tmpl, uint32_t *out_fd)
{
	uint32_t i;
	int err;

	for (i = 0; i < w->fd_cnt; i++)
		if (w->fds[i].host_fd < 0)
			goto found;
	if (w->fd_cnt >= WASI_MAX_FDS)
		return WASI_EMFILE;
	err = wasi_fd_reserve(w, w->fd_cnt < 4 ? 8 : (w->fd_cnt > WASI_MAX_FDS / 2 ?
						       WASI_MAX_FDS : w->fd_cnt * 2));
	if (err)
		return err;
found:
	w->fds[i] = *tmpl;
	*out_fd = i;
	return 0;
}

void wasi_fd_release(struct wasi_fd *f)
{
	if (f->host_fd >= 0 && f->owned)
		close(f->host_fd);
	free(f->preopen);
	memset(f, 0, sizeof(*f));
	f->host_fd = -1;
}

/* Set up guest stdio slot `slot` for host_fd, with rights by what it is. */
static void wasi_stdio_fd(struct wb_wasi *w, uint32_t slot, int host_fd)
{
	struct wasi_fd *f = &w->fds[slot];
	struct stat st;
	int fl;

	if (host_fd < 0 || fstat(host_fd, &st) != 0)
		return;		/* the slot stays free */
	f->host_fd = host_fd;
	f->owned = false;
	f->type = wasi_filetype_of(host_fd, &st);
	f->rights = WASI_R_ALL & ~WASI_R_DIR_ONLY;
	/*
	 * wasi-libc's isatty() is "a character device without seek and tell
	 * rights"; only a real terminal may look like that, so that output to
	 * files and pipes is fully buffered. Pipes and sockets cannot seek.
	 */
	if (isatty(host_fd) || (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode) &&
				!S_ISCHR(st.st_mode)))
		f->rights &= ~(WASI_R_FD_SEEK | WASI_R_FD_TELL);
	if (f->type != WASI_FILETYPE_SOCKET_STREAM && f->type != WASI_FILETYPE_SOCKET_DGRAM)
		f->rights &= ~(WASI_R_SOCK_SHUTDOWN | WASI_R_SOCK_ACCEPT);
	/*
	 * An inherited O_NONBLOCK (a terminal or pipe shared with another
	 * process) is not the guest's choice: the guest sees a blocking fd, and
	 * fd_read/fd_write wait on EAGAIN instead of losing output.
	 */
	fl = fcntl(host_fd, F_GETFL);
	if (fl >= 0 && (fl & O_APPEND))
		f->flags |= WASI_FDFLAG_APPEND;
}

static __thread int failed_preopen = -1;

int wb_wasi__failed_preopen(void)
{
	return failed_preopen;
}

static int copy_strings(int cnt, const char *const *src, char ***dst, size_t *sz)
{
	char **v;
	int i;

	*dst = NULL;
	*sz = 0;
	if (cnt < 0 || (cnt > 0 && !src))
		return -EINVAL;
	v = calloc(cnt + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < cnt; i++) {
		v[i] = strdup(src[i] ? src[i] : "");
		if (!v[i])
			goto fail;
		*sz += strlen(v[i]) + 1;
	}
	*dst = v;
	return 0;
fail:
	while (i--)
		free(v[i]);
	free(v);
	return -ENOMEM;
}

/* Field of opts if opts is large enough to hold it, else the zero default. */
#define OPT(opts, field) \
	((opts) && (opts)->sz >= offsetof(struct wb_wasi_opts, field) + sizeof((opts)->field) \
	 ? (opts)->field : 0)

struct wb_wasi *wb_wasi__new(const struct wb_wasi_opts *opts)
{
	const struct wb_wasi_preopen *pre = OPT(opts, preopens);
	size_t pre_cnt = OPT(opts, preopen_cnt);
	struct wb_wasi *w;
	size_t i;
	int err, stdio[3] = { 0, 1, 2 };

	failed_preopen = -1;
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->argc = OPT(opts, argc);
	w->envc = OPT(opts, envc);
	err = copy_strings(w->argc, OPT(opts, argv), &w->argv, &w->argv_sz);
	if (err)
		goto fail;
	err = copy_strings(w->envc, OPT(opts, envp), &w->envp, &w->envp_sz);
	if (err)
		goto fail;

	if (OPT(opts, custom_stdio)) {
		stdio[0] = OPT(opts, stdin_fd);
		stdio[1] = OPT(opts, stdout_fd);
		stdio[2] = OPT(opts, stderr_fd);
	}
	if (pre_cnt > WASI_MAX_FDS - 3) {
		err = -EMFILE;
		goto fail;
	}
	if (wasi_fd_reserve(w, 3 + (uint32_t)pre_cnt)) {
		err = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < 3; i++)
		wasi_stdio_fd(w, i, stdio[i]);
	if (pre_cnt && !pre) {
		err = -EINVAL;
		goto fail;
	}
	for (i = 0; i < pre_cnt; i++) {
		struct wasi_fd f = { 0 };
		const char *name = pre[i].guest_path ? pre[i].guest_path : pre[i].host_path;

		if (!pre[i].host_path) {
			err = -EINVAL;
			failed_preopen = i;
			goto fail;
		}
		f.host_fd = open(pre[i].host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (f.host_fd < 0) {
			err = -errno;
			failed_preopen = i;
			goto fail;
		}
		f.owned = true;
		f.read_only = pre[i].read_only;
		f.type = WASI_FILETYPE_DIRECTORY;
		f.rights = WASI_R_DIR_ONLY | WASI_R_FD_FDSTAT_SET_FLAGS | WASI_R_FD_SYNC |
			   WASI_R_FD_DATASYNC | WASI_R_FD_ADVISE | WASI_R_FD_FILESTAT_GET |
			   WASI_R_FD_FILESTAT_SET_TIMES | WASI_R_POLL_FD_READWRITE;
		f.inherit = WASI_R_ALL;
		if (f.read_only)
			f.rights &= ~WASI_R_MUTATE;
		f.preopen = strdup(name);
		if (!f.preopen) {
			close(f.host_fd);
			err = -ENOMEM;
			goto fail;
		}
		w->fds[3 + i] = f;
	}
	return w;
fail:
	wb_wasi__free(w);
	errno = -err;
	return NULL;
}

void wb_wasi__free(struct wb_wasi *w)
{
	uint32_t i;
	int k;

	if (!w)
		return;
	for (i = 0; i < w->fd_cnt; i++)
		wasi_fd_release(&w->fds[i]);
	free(w->fds);
	for (k = 0; w->argv && k < w->argc; k++)
		free(w->argv[k]);
	free(w->argv);
	for (k = 0; w->envp && k < w->envc; k++)
		free(w->envp[k]);
	free(w->envp);
	free(w->entries);
	free(w);
}

/* ---------------------------------------------------------------- registration */

struct wasi_entry {
	struct wb_wasi *w;
	wasi_fn fn;
};

struct wasi_def {
	const char *name;
	const char *params;	/* 'i' i32, 'I' i64 */
	wasi_fn fn;
};

/* Every preview1 function except proc_exit (which has no result). */
static const struct wasi_def wasi_defs[] = {
	{ "args_get", "ii", wasi_args_get },
	{ "args_sizes_get", "ii", wasi_args_sizes_get },
	{ "environ_get", "ii", wasi_environ_get },
	{ "environ_sizes_get", "ii", wasi_environ_sizes_get },
	{ "clock_res_get", "ii", wasi_clock_res_get },
	{ "clock_time_get", "iIi", wasi_clock_time_get },
	{ "fd_advise", "iIIi", wasi_fd_advise },
	{ "fd_allocate", "iII", wasi_fd_allocate },
	{ "fd_close", "i", wasi_fd_close },
	{ "fd_datasync", "i", wasi_fd_datasync },
	{ "fd_fdstat_get", "ii", wasi_fd_fdstat_get },
	{ "fd_fdstat_set_flags", "ii", wasi_fd_fdstat_set_flags },
	{ "fd_fdstat_set_rights", "iII", wasi_fd_fdstat_set_rights },
	{ "fd_filestat_get", "ii", wasi_fd_filestat_get },
	{ "fd_filestat_set_size", "iI", wasi_fd_filestat_set_size },
	{ "fd_filestat_set_times", "iIIi", wasi_fd_filestat_set_times },
	{ "fd_pread", "iiiIi", wasi_fd_pread },
	{ "fd_prestat_get", "ii", wasi_fd_prestat_get },
	{ "fd_prestat_dir_name", "iii", wasi_fd_prestat_dir_name },
	{ "fd_pwrite", "iiiIi", wasi_fd_pwrite },
	{ "fd_read", "iiii", wasi_fd_read },
	{ "fd_readdir", "iiiIi", wasi_fd_readdir },
	{ "fd_renumber", "ii", wasi_fd_renumber },
	{ "fd_seek", "iIii", wasi_fd_seek },
	{ "fd_sync", "i", wasi_fd_sync },
	{ "fd_tell", "ii", wasi_fd_tell },
	{ "fd_write", "iiii", wasi_fd_write },
	{ "path_create_directory", "iii", wasi_path_create_directory },
	{ "path_filestat_get", "iiiii", wasi_path_filestat_get },
	{ "path_filestat_set_times", "iiiiIIi", wasi_path_filestat_set_times },
	{ "path_link", "iiiiiii", wasi_path_link },
	{ "path_open", "iiiiiIIii", wasi_path_open },
	{ "path_readlink", "iiiiii", wasi_path_readlink },
	{ "path_remove_directory", "iii", wasi_path_remove_directory },
	{ "path_rename", "iiiiii", wasi_path_rename },
	{ "path_symlink", "iiiii", wasi_path_symlink },
	{ "path_unlink_file", "iii", wasi_path_unlink_file },
	{ "poll_oneoff", "iiii", wasi_poll_oneoff },
	{ "proc_raise", "i", wasi_proc_raise },
	{ "sched_yield", "", wasi_sched_yield },
	{ "random_get", "ii", wasi_random_get },
	{ "sock_accept", "iii", wasi_sock_accept },
	{ "sock_recv", "iiiiii", wasi_sock_recv },
	{ "sock_send", "iiiii", wasi_sock_send },
	{ "sock_shutdown", "ii", wasi_sock_shutdown },
};

#define WASI_DEF_CNT (sizeof(wasi_defs) / sizeof(wasi_defs[0]))

/* The one host function behind every entry: set up the context, run, store errno. */
static int wasi_trampoline(const struct wb_hostcall *hc, const wb_value *args,
			   wb_value *results)
{
	const struct wasi_entry *e = hc->user;
	struct wasi_ctx c = { .w = e->w, .hc = hc };

	c.mem = hc->caller ? wb_instance__memory(hc->caller) : NULL;
	if (!c.mem) {
		results[0].i32 = WASI_EFAULT;
		return 0;
	}
	results[0].i32 = (uint32_t)e->fn(&c, args);
	return 0;
}

static int wasi_proc_exit(const struct wb_hostcall *hc, const wb_value *args,
			  wb_value *results)
{
	return wb_hostcall__exit(hc, (int)args[0].i32);
}

int wb_wasi__define(struct wb_wasi *w, struct wb_linker *linker, struct wb_store *store)
{
	static const uint8_t res_i32[1] = { WB_I32 };
	static const uint8_t exit_params[1] = { WB_I32 };
	struct wb_functype t;
	uint8_t params[16];
	size_t i, k;
	int err;

	if (!w || !linker || !store)
		return -EINVAL;
	if (!w->entries) {
		w->entries = calloc(WASI_DEF_CNT, sizeof(*w->entries));
		if (!w->entries)
			return -ENOMEM;
	}
	for (i = 0; i < WASI_DEF_CNT; i++) {
		const struct wasi_def *d = &wasi_defs[i];

		for (k = 0; d->params[k]; k++)
			params[k] = d->params[k] == 'I' ? WB_I64 : WB_I32;
		t.param_cnt = k;
		t.params = params;
		t.result_cnt = 1;
		t.results = res_i32;
		w->entries[i].w = w;
		w->entries[i].fn = d->fn;
		err = wb_linker__define_host(linker, store, WB_WASI_MODULE, d->name, &t,
					     wasi_trampoline, &w->entries[i]);
		if (err)
			return err;
	}
	t.param_cnt = 1;
	t.params = exit_params;
	t.result_cnt = 0;
	t.results = NULL;
	return wb_linker__define_host(linker, store, WB_WASI_MODULE, "proc_exit", &t,
				      wasi_proc_exit, w);
}
