/* SPDX-License-Identifier: MIT */
/* Setting and reading file times: utimensat, futimens, UTIME_OMIT, through symlinks. */
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "wt.h"

static void show(const char *what, const char *name)
{
	struct stat st;

	WT_CHECK(stat(wt_path(name), &st) == 0);
	printf("%s: atime %lld.%09ld mtime %lld.%09ld\n", what, (long long)st.st_atim.tv_sec,
	       (long)st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
}

int main(int argc, char **argv)
{
	struct timespec ts[2];
	struct stat st;
	time_t now;
	int fd;

	wt_init(argc, argv);
	fd = open(wt_path("f"), O_CREAT | O_WRONLY, 0644);
	WT_CHECK(fd >= 0);
	ts[0].tv_sec = 1000000000;
	ts[0].tv_nsec = 123456789;
	ts[1].tv_sec = 1234567890;
	ts[1].tv_nsec = 500000000;
	WT_CHECK(utimensat(AT_FDCWD, wt_path("f"), ts, 0) == 0);
	show("utimensat", "f");
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = 2000000000;
	ts[1].tv_nsec = 0;
	WT_CHECK(futimens(fd, ts) == 0);
	show("futimens omit atime", "f");
	/*
	 * Not tested, because Debian's wasi-libc (2022-05) gets them wrong
	 * before any WASI call: atime set with mtime UTIME_OMIT, and any
	 * UTIME_NOW (EINVAL); NULL times (sets both to 0, not to now).
	 */
	ts[0].tv_sec = 86400;
	ts[0].tv_nsec = 1;
	ts[1].tv_sec = 86401;
	ts[1].tv_nsec = 999999999;
	WT_CHECK(futimens(fd, ts) == 0);
	show("futimens both", "f");
	close(fd);

	WT_CHECK(mkdir(wt_path("d"), 0755) == 0);
	ts[0].tv_sec = 3;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = 4;
	ts[1].tv_nsec = 0;
	WT_CHECK(utimensat(AT_FDCWD, wt_path("d"), ts, 0) == 0);
	show("directory", "d");
	WT_CHECK(symlink("f", wt_path("l")) == 0);
	ts[1].tv_sec = 777;
	WT_CHECK(utimensat(AT_FDCWD, wt_path("l"), ts, 0) == 0);
	show("through symlink", "f");
	ts[1].tv_nsec = 1000000000;
	WT_TRY("bad nsec", utimensat(AT_FDCWD, wt_path("f"), ts, 0));
	WT_TRY("missing", utimensat(AT_FDCWD, wt_path("none"), NULL, 0));
	/* A write moves mtime to about now. */
	now = time(NULL);
	fd = open(wt_path("f"), O_WRONLY);
	WT_CHECK(write(fd, "x", 1) == 1);
	WT_CHECK(fstat(fd, &st) == 0);
	printf("write updates mtime: %s\n", st.st_mtim.tv_sec >= now - 2 ? "ok" : "no");
	close(fd);
	return 0;
}
