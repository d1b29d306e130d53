/* SPDX-License-Identifier: MIT */
/* rename of files and directories, replacing targets, and its errors. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wt.h"

static void mkfile(const char *name, const char *text)
{
	FILE *f = fopen(wt_path(name), "w");

	WT_CHECK(f);
	fputs(text, f);
	fclose(f);
}

static void cat(const char *name)
{
	char buf[64] = "";
	FILE *f = fopen(wt_path(name), "r");

	if (!f) {
		printf("cat %s: %s\n", name, wt_errname(errno));
		return;
	}
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	printf("cat %s: %s\n", name, buf);
}

#define REN(a, b) WT_TRY("rename " a " -> " b, rename(wt_path(a), wt_path(b)))

int main(int argc, char **argv)
{
	int fd;

	wt_init(argc, argv);
	mkfile("a.txt", "content a");
	mkfile("b.txt", "content b");
	WT_CHECK(mkdir(wt_path("d1"), 0755) == 0);
	WT_CHECK(mkdir(wt_path("d2"), 0755) == 0);
	WT_CHECK(mkdir(wt_path("full"), 0755) == 0);
	mkfile("full/inner.txt", "inner");

	REN("a.txt", "moved.txt");
	cat("a.txt");
	cat("moved.txt");
	REN("moved.txt", "b.txt");
	cat("b.txt");
	REN("b.txt", "d1/b.txt");
	cat("d1/b.txt");
	REN("d1", "d1renamed");
	cat("d1renamed/b.txt");
	REN("d1renamed", "d2");
	REN("d2", "full");
	REN("missing", "x");
	REN("d2/b.txt", "nodir/b.txt");
	mkfile("f.txt", "file f");
	REN("f.txt", "d2");
	REN("d2", "f.txt");
	REN("d2", "d2/sub");
	REN("f.txt", "f.txt");
	REN("f.txt", "f.txt/");
	REN("d2/", "d3");

	/* An open descriptor follows the file across the rename. */
	fd = open(wt_path("f.txt"), O_RDONLY);
	WT_CHECK(fd >= 0);
	REN("f.txt", "g.txt");
	{
		char buf[16] = "";

		WT_CHECK(read(fd, buf, 6) == 6);
		printf("read after rename: %s\n", buf);
	}
	close(fd);
	return 0;
}
