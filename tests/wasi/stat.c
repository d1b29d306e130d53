/* SPDX-License-Identifier: MIT */
/* stat, lstat, fstat and fstatat: types, sizes, link counts and errors. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wt.h"

static const char *kind(mode_t m)
{
	if (S_ISREG(m))
		return "file";
	if (S_ISDIR(m))
		return "dir";
	if (S_ISLNK(m))
		return "symlink";
	if (S_ISCHR(m))
		return "chardev";
	if (S_ISFIFO(m))
		return "fifo";
	return "other";
}

static void show(const char *what, const char *name, int follow)
{
	struct stat st;
	int rc;

	errno = 0;
	rc = follow ? stat(wt_path(name), &st) : lstat(wt_path(name), &st);
	if (rc < 0) {
		printf("%s %s: %s\n", what, name, wt_errname(errno));
		return;
	}
	printf("%s %s: %s", what, name, kind(st.st_mode));
	if (!S_ISDIR(st.st_mode))
		printf(" size %lld nlink %llu", (long long)st.st_size,
		       (unsigned long long)st.st_nlink);
	printf("\n");
}

int main(int argc, char **argv)
{
	static char block[1234];
	struct stat a, b;
	int fd, dfd;

	wt_init(argc, argv);
	memset(block, 'b', sizeof(block));
	fd = open(wt_path("file.bin"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
	WT_CHECK(fd >= 0);
	WT_CHECK(write(fd, block, sizeof(block)) == (ssize_t)sizeof(block));
	WT_CHECK(fstat(fd, &a) == 0);
	printf("fstat: %s size %lld\n", kind(a.st_mode), (long long)a.st_size);
	close(fd);
	fd = open(wt_path("empty"), O_CREAT | O_WRONLY, 0644);
	close(fd);
	WT_CHECK(mkdir(wt_path("dir"), 0755) == 0);
	WT_CHECK(symlink("file.bin", wt_path("link")) == 0);
	WT_CHECK(symlink("nowhere", wt_path("dangling")) == 0);
	WT_CHECK(link(wt_path("file.bin"), wt_path("hard")) == 0);

	show("stat", "file.bin", 1);
	show("stat", "empty", 1);
	show("stat", "dir", 1);
	show("stat", "link", 1);
	show("lstat", "link", 0);
	show("lstat", "dangling", 0);
	show("stat", "dangling", 1);
	show("stat", "hard", 1);
	show("stat", "missing", 1);
	show("stat", "file.bin/x", 1);
	show("stat", "dir/../file.bin", 1);
	show("stat", "dir/", 1);
	show("stat", "file.bin/", 1);

	WT_CHECK(stat(wt_path("file.bin"), &a) == 0);
	WT_CHECK(stat(wt_path("hard"), &b) == 0);
	printf("hard link same inode %d same dev %d\n", a.st_ino == b.st_ino, a.st_dev == b.st_dev);
	WT_CHECK(lstat(wt_path("link"), &b) == 0);
	printf("symlink own inode %d\n", a.st_ino != b.st_ino);

	dfd = open(wt_dir, O_RDONLY | O_DIRECTORY);
	WT_CHECK(dfd >= 0);
	WT_CHECK(fstatat(dfd, "link", &b, AT_SYMLINK_NOFOLLOW) == 0);
	printf("fstatat nofollow: %s\n", kind(b.st_mode));
	WT_CHECK(fstatat(dfd, "link", &b, 0) == 0);
	printf("fstatat follow: %s size %lld\n", kind(b.st_mode), (long long)b.st_size);
	WT_TRY("fstatat missing", fstatat(dfd, "nope", &b, 0));
	WT_CHECK(fstat(dfd, &b) == 0);
	printf("fstat dir fd: %s\n", kind(b.st_mode));
	close(dfd);
	WT_TRY("fstat closed fd", fstat(dfd, &b));
	WT_TRY("access exists", access(wt_path("file.bin"), F_OK));
	WT_TRY("access missing", access(wt_path("missing"), F_OK));
	WT_TRY("access read", access(wt_path("file.bin"), R_OK));
	return 0;
}
