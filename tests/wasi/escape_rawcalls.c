/* SPDX-License-Identifier: MIT */
/* Confinement of memory: raw WASI calls given pointers and lengths outside linear memory. */
#include "escape.h"

#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

IMPORT(path_open)
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags,
		      int64_t base, int64_t inheriting, int32_t fdflags, int32_t fd_out);
IMPORT(fd_write) int32_t raw_fd_write(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nwritten);
IMPORT(fd_read) int32_t raw_fd_read(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nread);
IMPORT(random_get) int32_t raw_random_get(int32_t buf, int32_t len);
IMPORT(args_get) int32_t raw_args_get(int32_t argv, int32_t buf);
IMPORT(environ_sizes_get) int32_t raw_environ_sizes_get(int32_t count, int32_t size);
IMPORT(clock_time_get) int32_t raw_clock_time_get(int32_t id, int64_t precision, int32_t out);
IMPORT(fd_readdir)
int32_t raw_fd_readdir(int32_t fd, int32_t buf, int32_t len, int64_t cookie, int32_t used);
IMPORT(fd_prestat_dir_name) int32_t raw_fd_prestat_dir_name(int32_t fd, int32_t buf, int32_t len);
IMPORT(poll_oneoff) int32_t raw_poll_oneoff(int32_t in, int32_t out, int32_t n, int32_t nevents);
IMPORT(fd_filestat_get) int32_t raw_fd_filestat_get(int32_t fd, int32_t out);
IMPORT(path_filestat_get)
int32_t raw_path_filestat_get(int32_t fd, int32_t flags, int32_t path, int32_t len, int32_t out);

#define P(x) ((int32_t)(uintptr_t)(x))
#define READ_RIGHTS 2LL /* fd_read */

/* wasi-libc's E* values are the WASI numbers, so the shared table names them. */
static const char *name(int32_t e)
{
	return e ? wt_errname(e) : "ok";
}

/* Any of three answers is right: say so, the detail on stderr. */
static void either(const char *what, int32_t e, int32_t a, int32_t b, int32_t c)
{
	printf("%s: %s\n", what, e == a || e == b || e == c ? "as expected" : name(e));
	fprintf(stderr, "%s: %s\n", what, name(e));
}

int main(int argc, char **argv)
{
	static char buf[256];
	static int32_t iov[4], out[16];
	uint32_t end;
	int32_t dir;

	esc_init(argc, argv);
	dir = esc_dfd;
	end = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
	/* Raw writes go to stderr, which is not compared. */
	iov[0] = P("hello\n");
	iov[1] = 6;

	printf("path_open ok: %s\n",
	       name(raw_path_open(dir, 0, P("inside.txt"), 10, 0, READ_RIGHTS, 0, 0, P(out))));
	printf("path_open path past end: %s\n",
	       name(raw_path_open(dir, 0, (int32_t)(end - 4), 100, 0, READ_RIGHTS, 0, 0, P(out))));
	either("path_open length 0xffffffff",
	       raw_path_open(dir, 0, P("inside.txt"), -1, 0, READ_RIGHTS, 0, 0, P(out)), EFAULT,
	       ENAMETOOLONG, EINVAL);
	printf("path_open result past end: %s\n",
	       name(raw_path_open(dir, 0, P("inside.txt"), 10, 0, READ_RIGHTS, 0, 0,
				  (int32_t)(end - 2))));
	either("path_open with NUL inside",
	       raw_path_open(dir, 0, P("inside.txt\0/../../secret.txt"), 27, 0, READ_RIGHTS, 0, 0,
			     P(out)),
	       EILSEQ, EINVAL, EINVAL);
	printf("path_open absolute: %s\n", name(raw_path_open(dir, 0, P("/work/inside.txt"), 16, 0,
							      READ_RIGHTS, 0, 0, P(out))));
	printf("path_open /etc/passwd: %s\n",
	       name(raw_path_open(3, 0, P("/etc/passwd"), 11, 0, READ_RIGHTS, 0, 0, P(out))));
	printf("path_open ..: %s\n",
	       name(raw_path_open(3, 0, P(".."), 2, 0, READ_RIGHTS, 0, 0, P(out))));
	printf("path_open empty: %s\n",
	       name(raw_path_open(3, 0, P(""), 0, 0, READ_RIGHTS, 0, 0, P(out))));
	printf("path_open more rights than inherited: %s\n",
	       name(raw_path_open(dir, 0, P("inside.txt"), 10, 0, ~0LL, ~0LL, 0, P(out))));
	printf("path_open bad fd: %s\n",
	       name(raw_path_open(12345, 0, P("inside.txt"), 10, 0, READ_RIGHTS, 0, 0, P(out))));
	printf("path_open on stdout: %s\n", name(raw_path_open(1, 0, P("inside.txt"), 10, 0,
							       READ_RIGHTS, 0, 0, P(out)))[0] == 'o'
						? "OPENED"
						: "refused");
	printf("path_filestat_get out past end: %s\n",
	       name(raw_path_filestat_get(dir, 0, P("inside.txt"), 10, (int32_t)(end - 8))));
	printf("fd_write iovs past end: %s\n",
	       name(raw_fd_write(2, (int32_t)(end - 4), 1, P(out))));
	iov[2] = (int32_t)(end - 3);
	iov[3] = 6;
	printf("fd_write buffer past end: %s\n", name(raw_fd_write(2, P(iov + 2), 1, P(out))));
	either("fd_write huge iovs count", raw_fd_write(2, P(iov), 0x10000000, P(out)), EFAULT,
	       EINVAL, EINVAL);
	printf("fd_write nwritten past end: %s\n", name(raw_fd_write(2, P(iov), 1, (int32_t)end)));
	iov[2] = (int32_t)(end - 3);
	iov[3] = 100;
	printf("fd_read buffer past end: %s\n", name(raw_fd_read(0, P(iov + 2), 1, P(out))));
	printf("random_get past end: %s\n", name(raw_random_get((int32_t)(end - 16), 32)));
	printf("random_get wrapping: %s\n", name(raw_random_get(-16, 64)));
	printf("args_get past end: %s\n", name(raw_args_get((int32_t)end, (int32_t)end)));
	printf("environ_sizes_get past end: %s\n",
	       name(raw_environ_sizes_get((int32_t)(end - 2), P(out))));
	printf("clock_time_get bad id: %s\n", name(raw_clock_time_get(99, 1, P(out))));
	printf("clock_time_get out past end: %s\n",
	       name(raw_clock_time_get(1, 1, (int32_t)(end - 4))));
	printf("fd_readdir buffer past end: %s\n",
	       name(raw_fd_readdir(dir, (int32_t)(end - 8), 4096, 0, P(out))));
	/* run.sh grants one directory: preopens are fds 3, 4, ... */
	printf("fd_prestat_dir_name past end: %s\n",
	       name(raw_fd_prestat_dir_name(3, (int32_t)(end - 1), 5)));
	either("fd_prestat_dir_name short buffer", raw_fd_prestat_dir_name(3, P(buf), 2),
	       ENAMETOOLONG, EINVAL, EINVAL);
	either("poll_oneoff no subscriptions", raw_poll_oneoff(P(buf), P(out), 0, P(out + 8)),
	       EINVAL, 0, 0);
	printf("poll_oneoff 1000 subscriptions past end: %s\n",
	       name(raw_poll_oneoff((int32_t)(end - 4800), P(out), 1000, P(out + 8))));
	printf("poll_oneoff subscriptions past end: %s\n",
	       name(raw_poll_oneoff((int32_t)(end - 8), P(out), 4, P(out + 8))));
	either("poll_oneoff huge count", raw_poll_oneoff(P(buf), P(out), 0x7fffffff, P(out + 8)),
	       EFAULT, EINVAL, ENOTSUP);
	printf("fd_filestat_get out past end: %s\n",
	       name(raw_fd_filestat_get(dir, (int32_t)(end - 10))));
	printf("still alive\n");
	return 0;
}
