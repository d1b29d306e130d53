/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the wasm-only confinement tests: open or stat a path relative to
 * the granted directory and print one line saying what happened. run.sh lays
 * out the granted directory and the files around it (see escape_layout).
 */
#ifndef ESCAPE_H
#define ESCAPE_H

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>
#include "wt.h"

/* The granted directory, opened once: attempts go straight to path_open. */
static int esc_dfd = -1;

static inline void esc_init(int argc, char **argv)
{
	wt_init(argc, argv);
	esc_dfd = open(wt_dir, O_RDONLY | O_DIRECTORY);
	WT_CHECK(esc_dfd >= 0);
}

/*
 * Print "what: ERRNAME", or on success "what: opened", followed by the first
 * line of the file when it was opened for reading only.
 */
static inline void esc_report_fd(const char *what, int fd, int flags)
{
	char buf[80] = "";
	ssize_t n;

	if (fd < 0) {
		printf("%s: %s\n", what, wt_errname(errno));
		return;
	}
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_DIRECTORY)) {
		printf("%s: opened\n", what);
		close(fd);
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = 0;
		buf[strcspn(buf, "\n")] = 0;
	}
	printf("%s: opened [%s]\n", what, n >= 0 ? buf : wt_errname(errno));
	close(fd);
}

static inline void esc_openat(const char *path, int flags)
{
	char what[128];

	snprintf(what, sizeof(what), "openat %.100s%s%s%s", path,
		 flags & O_DIRECTORY ? " (dir)" : "", flags & O_NOFOLLOW ? " (nofollow)" : "",
		 (flags & O_ACCMODE) != O_RDONLY ? " (write)" : "");
	errno = 0;
	esc_report_fd(what, openat(esc_dfd, path, flags, 0644), flags);
}

static inline void esc_open(const char *path, int flags)
{
	char what[128];

	snprintf(what, sizeof(what), "open %.100s", path);
	errno = 0;
	esc_report_fd(what, open(path, flags, 0644), flags);
}

/* Report a call that returns -1 and sets errno on failure. */
#define ESC_TRY(what, expr)                                                                        \
	do {                                                                                       \
		errno = 0;                                                                         \
		printf("%s: %s\n", (what), (expr) < 0 ? wt_errname(errno) : "SUCCEEDED");          \
	} while (0)

/* Names of the directories granted, found by probing preopen fds. */
static inline void esc_list_preopens(void)
{
	int found = 0;

	for (__wasi_fd_t fd = 3; fd < 64; fd++) {
		__wasi_prestat_t ps;
		char name[256];

		if (__wasi_fd_prestat_get(fd, &ps) != 0)
			continue;
		found++;
		if (ps.tag != __WASI_PREOPENTYPE_DIR || ps.u.dir.pr_name_len >= sizeof(name)) {
			printf("preopen: odd entry\n");
			continue;
		}
		if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, ps.u.dir.pr_name_len) != 0) {
			printf("preopen: name unreadable\n");
			continue;
		}
		name[ps.u.dir.pr_name_len] = 0;
		printf("preopen: %s\n", name);
	}
	printf("preopens: %d\n", found);
}

#endif /* ESCAPE_H */
