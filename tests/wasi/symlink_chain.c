/* SPDX-License-Identifier: MIT */
/* Chains of symlinks up to and past the kernel's limit of 40, and trailing slashes on links. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wt.h"

static void try_open(const char *name)
{
	char buf[16] = "";
	int fd = open(wt_path(name), O_RDONLY);

	if (fd < 0) {
		printf("open %s: %s\n", name, wt_errname(errno));
		return;
	}
	WT_CHECK(read(fd, buf, sizeof(buf) - 1) >= 0);
	printf("open %s: [%s]\n", name, buf);
	close(fd);
}

static void try_stat(const char *name, int follow)
{
	struct stat st;
	int rc = follow ? stat(wt_path(name), &st) : lstat(wt_path(name), &st);

	if (rc < 0)
		printf("%s %s: %s\n", follow ? "stat" : "lstat", name, wt_errname(errno));
	else
		printf("%s %s: %s\n", follow ? "stat" : "lstat", name,
		       S_ISDIR(st.st_mode)   ? "dir"
		       : S_ISLNK(st.st_mode) ? "symlink"
		       : S_ISREG(st.st_mode) ? "file"
					     : "other");
}

int main(int argc, char **argv)
{
	char name[32], target[32];
	int fd, i;

	wt_init(argc, argv);
	fd = open(wt_path("end.txt"), O_CREAT | O_WRONLY, 0644);
	WT_CHECK(fd >= 0 && write(fd, "the end", 7) == 7);
	close(fd);
	WT_CHECK(mkdir(wt_path("dir"), 0755) == 0);
	for (i = 0; i < 45; i++) {
		snprintf(name, sizeof(name), "c%02d", i);
		if (i == 0)
			snprintf(target, sizeof(target), "end.txt");
		else
			snprintf(target, sizeof(target), "c%02d", i - 1);
		WT_CHECK(symlink(target, wt_path(name)) == 0);
	}
	try_open("c00");
	try_open("c10");
	try_open("c39");
	try_open("c40");
	try_open("c44");
	try_stat("c39", 1);
	try_stat("c44", 1);
	try_stat("c44", 0);

	WT_CHECK(symlink("dir", wt_path("dlink")) == 0);
	WT_CHECK(symlink("end.txt", wt_path("flink")) == 0);
	try_stat("dlink", 0);
	try_stat("dlink/", 0);
	try_stat("dlink/.", 0);
	try_stat("flink/", 1);
	try_stat("flink/", 0);
	fd = open(wt_path("dlink/"), O_RDONLY | O_DIRECTORY);
	printf("open dlink/ as dir: %s\n", fd >= 0 ? "ok" : wt_errname(errno));
	if (fd >= 0)
		close(fd);
	fd = open(wt_path("dlink/inner"), O_CREAT | O_WRONLY, 0644);
	printf("create through dlink: %s\n", fd >= 0 ? "ok" : wt_errname(errno));
	if (fd >= 0)
		close(fd);
	WT_TRY("unlink dlink/", unlink(wt_path("dlink/")));
	WT_TRY("rmdir dlink", rmdir(wt_path("dlink")));
	WT_TRY("rmdir dlink/", rmdir(wt_path("dlink/")));
	WT_TRY("rename flink -> flink2", rename(wt_path("flink"), wt_path("flink2")));
	try_stat("flink2", 0);
	try_open("flink2");
	return 0;
}
