/* SPDX-License-Identifier: MIT */
/* mkdir and rmdir: nesting, existing names, non-empty directories, errors. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wt.h"

#define MK(p) WT_TRY("mkdir " p, mkdir(wt_path(p), 0755))
#define RM(p) WT_TRY("rmdir " p, rmdir(wt_path(p)))

int main(int argc, char **argv)
{
	struct stat st;
	char name[64];
	int fd, i;

	wt_init(argc, argv);
	MK("a");
	MK("a");
	MK("a/b");
	MK("a/b/c");
	MK("x/y");
	MK("a/b/c/");
	MK("trail/");
	fd = open(wt_path("file"), O_CREAT | O_WRONLY, 0644);
	close(fd);
	MK("file");
	MK("file/sub");
	RM("a");
	RM("a/b");
	RM("a/b/c");
	RM("a/b/c");
	RM("file");
	RM("missing");
	RM("trail/");
	WT_TRY("stat removed", stat(wt_path("trail"), &st));
	MK("a/b/c2");
	MK("a/b/c2/d");
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "many/%02d", i);
		if (i == 0)
			MK("many");
		WT_CHECK(mkdir(wt_path(name), 0755) == 0);
	}
	for (i = 0; i < 20; i += 2) {
		snprintf(name, sizeof(name), "many/%02d", i);
		WT_CHECK(rmdir(wt_path(name)) == 0);
	}
	WT_CHECK(stat(wt_path("a/b/c2/d"), &st) == 0);
	printf("nested is dir: %d\n", S_ISDIR(st.st_mode));
	WT_CHECK(symlink("a", wt_path("alink")) == 0);
	RM("alink");
	MK("alink");
	return 0;
}
