/* SPDX-License-Identifier: MIT */
/* Descriptor odds and ends: fcntl flags, fsync, many open files, O_CLOEXEC. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wt.h"

int main(int argc, char **argv)
{
	static int fds[200];
	char name[64], buf[8];
	int fd, fl, i, opened = 0, distinct = 1;

	wt_init(argc, argv);
	fd = open(wt_path("a.txt"), O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0644);
	WT_CHECK(fd >= 0);
	fl = fcntl(fd, F_GETFL);
	printf("F_GETFL append %d accmode-write %d\n", !!(fl & O_APPEND),
	       (fl & O_ACCMODE) == O_WRONLY);
	WT_TRY("fsync", fsync(fd));
	WT_TRY("fdatasync", fdatasync(fd));
	WT_TRY("F_SETFL clear append", fcntl(fd, F_SETFL, 0));
	fl = fcntl(fd, F_GETFL);
	printf("append after clear %d\n", !!(fl & O_APPEND));
	close(fd);
	fd = open(wt_path("a.txt"), O_RDONLY);
	fl = fcntl(fd, F_GETFL);
	printf("read-only accmode %d\n", (fl & O_ACCMODE) == O_RDONLY);
	close(fd);
	fd = open(wt_path("rw.txt"), O_CREAT | O_RDWR, 0644);
	fl = fcntl(fd, F_GETFL);
	printf("read-write accmode %d\n", (fl & O_ACCMODE) == O_RDWR);
	close(fd);
	WT_TRY("F_GETFL bad fd", fcntl(999, F_GETFL));
	fd = open(wt_path("sync.txt"), O_CREAT | O_WRONLY | O_SYNC, 0644);
	printf("open O_SYNC: %s\n", fd >= 0 ? "ok" : wt_errname(errno));
	if (fd >= 0) {
		WT_CHECK(write(fd, "synced", 6) == 6);
		close(fd);
	}
	fd = open(wt_path("dsync.txt"), O_CREAT | O_WRONLY | O_DSYNC, 0644);
	printf("open O_DSYNC: %s\n", fd >= 0 ? "ok" : wt_errname(errno));
	if (fd >= 0)
		close(fd);
	fd = open(wt_path("nonblock.txt"), O_CREAT | O_RDWR | O_NONBLOCK, 0644);
	WT_CHECK(fd >= 0);
	fl = fcntl(fd, F_GETFL);
	printf("O_NONBLOCK kept: %d\n", !!(fl & O_NONBLOCK));
	WT_TRY("F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND));
	fl = fcntl(fd, F_GETFL);
	printf("after F_SETFL: append %d nonblock %d\n", !!(fl & O_APPEND), !!(fl & O_NONBLOCK));
	close(fd);

	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "many%03d", i);
		fds[i] = open(wt_path(name), O_CREAT | O_RDWR, 0644);
		if (fds[i] < 0)
			break;
		opened++;
		snprintf(buf, sizeof(buf), "%03d", i);
		WT_CHECK(write(fds[i], buf, 3) == 3);
	}
	for (i = 1; i < opened; i++)
		distinct &= fds[i] != fds[i - 1];
	printf("opened %d at once, distinct %d\n", opened, distinct);
	for (i = 0; i < opened; i++) {
		WT_CHECK(pread(fds[i], buf, 3, 0) == 3);
		WT_CHECK(atoi(buf) == i);
		close(fds[i]);
	}
	/* Closed numbers are reused: the next open gets a small one again. */
	fd = open(wt_path("a.txt"), O_RDONLY);
	printf("reuse: %d\n", fd >= 0 && fd <= fds[0]);
	close(fd);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "many%03d", i);
		if (i % 3)
			unlink(wt_path(name));
	}
	return 0;
}
