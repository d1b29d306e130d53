/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the WASI test programs: symbolic errno names that read the
 * same under glibc and wasi-libc, path joining against the working directory
 * given as argv[1], checksums and checks that stop the program on a surprise.
 */
#ifndef WT_H
#define WT_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The numbers behind the E* macros differ between Linux and WASI, and so do
 * the strerror() texts, so programs print names from this table instead.
 * Aliases (EWOULDBLOCK, EOPNOTSUPP) come after the name they alias.
 */
struct wt_errno_name {
	int value;
	const char *name;
};

#define WT_E(x)                                                                                    \
	{                                                                                          \
		x, #x                                                                              \
	}
static const struct wt_errno_name wt_errno_names[] = {
    WT_E(EPERM),       WT_E(ENOENT),	 WT_E(ESRCH),	  WT_E(EINTR),	  WT_E(EIO),
    WT_E(ENXIO),       WT_E(E2BIG),	 WT_E(ENOEXEC),	  WT_E(EBADF),	  WT_E(ECHILD),
    WT_E(EAGAIN),      WT_E(ENOMEM),	 WT_E(EACCES),	  WT_E(EFAULT),	  WT_E(EBUSY),
    WT_E(EEXIST),      WT_E(EXDEV),	 WT_E(ENODEV),	  WT_E(ENOTDIR),  WT_E(EISDIR),
    WT_E(EINVAL),      WT_E(ENFILE),	 WT_E(EMFILE),	  WT_E(ENOTTY),	  WT_E(ETXTBSY),
    WT_E(EFBIG),       WT_E(ENOSPC),	 WT_E(ESPIPE),	  WT_E(EROFS),	  WT_E(EMLINK),
    WT_E(EPIPE),       WT_E(EDOM),	 WT_E(ERANGE),	  WT_E(EDEADLK),  WT_E(ENAMETOOLONG),
    WT_E(ENOLCK),      WT_E(ENOSYS),	 WT_E(ENOTEMPTY), WT_E(ELOOP),	  WT_E(EOVERFLOW),
    WT_E(EILSEQ),      WT_E(ENOTSUP),	 WT_E(ENOTSOCK),  WT_E(EMSGSIZE), WT_E(ETIMEDOUT),
    WT_E(ESTALE),      WT_E(EDQUOT),	 WT_E(ECANCELED),
#ifdef ENOTCAPABLE
    WT_E(ENOTCAPABLE),
#endif
    WT_E(EWOULDBLOCK), WT_E(EOPNOTSUPP),
};
#undef WT_E

static inline const char *wt_errname(int e)
{
	static char buf[32];
	size_t i;

	if (e == 0)
		return "0";
	for (i = 0; i < sizeof(wt_errno_names) / sizeof(wt_errno_names[0]); i++)
		if (wt_errno_names[i].value == e)
			return wt_errno_names[i].name;
	snprintf(buf, sizeof(buf), "errno(%d)", e);
	return buf;
}

/* The working directory every program is given: argv[1]. */
static const char *wt_dir = ".";

static inline void wt_init(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s WORKDIR [args...]\n", argv[0]);
		exit(2);
	}
	wt_dir = argv[1];
	/* Same buffering on both sides, whatever the stdout file type. */
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* wt_dir + "/" + name in one of a few rotating static buffers. */
static inline const char *wt_path(const char *name)
{
	static char bufs[4][1024];
	static int next;
	char *b = bufs[next++ & 3];

	snprintf(b, sizeof(bufs[0]), "%s/%s", wt_dir, name);
	return b;
}

/* Stop with a message naming the source line when a check fails. */
#define WT_CHECK(cond)                                                                             \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("CHECK FAILED %s:%d: %s (errno %s)\n", __FILE__, __LINE__, #cond,   \
			       wt_errname(errno));                                                 \
			exit(99);                                                                  \
		}                                                                                  \
	} while (0)

/* Print "what: ok" or "what: ERRNAME" for a call returning -1 on failure. */
#define WT_TRY(what, expr)                                                                         \
	do {                                                                                       \
		errno = 0;                                                                         \
		long wt_rc_ = (long)(expr);                                                        \
		if (wt_rc_ < 0)                                                                    \
			printf("%s: %s\n", (what), wt_errname(errno));                             \
		else                                                                               \
			printf("%s: ok\n", (what));                                                \
	} while (0)

/* FNV-1a, 64 bit: a checksum that prints the same everywhere. */
static inline uint64_t wt_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	if (h == 0)
		h = 0xcbf29ce484222325ULL;
	while (n--) {
		h ^= *c++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* A small deterministic generator, so both sides see the same numbers. */
static inline uint32_t wt_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33);
}

#endif /* WT_H */
