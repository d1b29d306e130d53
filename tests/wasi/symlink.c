/* SPDX-License-Identifier: MIT */
/* Symbolic links inside the working directory: create, read, follow, replace. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wt.h"

static void rl(const char *name)
{
	char buf[128];
	ssize_t n = readlink(wt_path(name), buf, sizeof(buf));

	if (n < 0)
		printf("readlink %s: %s\n", name, wt_errname(errno));
	else
		printf("readlink %s: %zd [%.*s]\n", name, n, (int)n, buf);
}

static void rd(const char *name)
{
	char buf[64] = "";
	int fd = open(wt_path(name), O_RDONLY);

	if (fd < 0) {
		printf("open %s: %s\n", name, wt_errname(errno));
		return;
	}
	WT_CHECK(read(fd, buf, sizeof(buf) - 1) >= 0);
	printf("open %s: [%s]\n", name, buf);
	close(fd);
}

int main(int argc, char **argv)
{
	char small[4];
	ssize_t n;
	int fd;

	wt_init(argc, argv);
	fd = open(wt_path("target.txt"), O_CREAT | O_WRONLY, 0644);
	WT_CHECK(write(fd, "target", 6) == 6);
	close(fd);
	WT_CHECK(mkdir(wt_path("dir"), 0755) == 0);
	fd = open(wt_path("dir/in.txt"), O_CREAT | O_WRONLY, 0644);
	WT_CHECK(write(fd, "in dir", 6) == 6);
	close(fd);

	WT_TRY("symlink file", symlink("target.txt", wt_path("l1")));
	WT_TRY("symlink dir", symlink("dir", wt_path("ldir")));
	WT_TRY("symlink chain", symlink("l1", wt_path("l2")));
	WT_TRY("symlink up and back", symlink("../target.txt", wt_path("dir/up")));
	WT_TRY("symlink dangling", symlink("does/not/exist", wt_path("dang")));
	WT_TRY("symlink existing name", symlink("x", wt_path("l1")));
	WT_TRY("symlink in missing dir", symlink("x", wt_path("nodir/l")));
	rl("l1");
	rl("l2");
	rl("ldir");
	rl("dir/up");
	rl("dang");
	rl("target.txt");
	rl("missing");
	n = readlink(wt_path("l1"), small, sizeof(small));
	printf("readlink truncated: %zd [%.*s]\n", n, (int)n, small);
	rd("l1");
	rd("l2");
	rd("ldir/in.txt");
	rd("dir/up");
	rd("dang");
	fd = open(wt_path("l1"), O_RDONLY | O_NOFOLLOW);
	printf("O_NOFOLLOW on link: %s\n", fd >= 0 ? "opened" : wt_errname(errno));
	if (fd >= 0)
		close(fd);
	/* Writing through a link changes the target. */
	fd = open(wt_path("l2"), O_WRONLY | O_APPEND);
	WT_CHECK(fd >= 0);
	WT_CHECK(write(fd, "+more", 5) == 5);
	close(fd);
	rd("target.txt");
	/* Creating through a dangling link creates its target. */
	WT_CHECK(symlink("created.txt", wt_path("make")) == 0);
	fd = open(wt_path("make"), O_CREAT | O_WRONLY, 0644);
	printf("create through dangling link: %s\n", fd >= 0 ? "ok" : wt_errname(errno));
	if (fd >= 0) {
		WT_CHECK(write(fd, "made", 4) == 4);
		close(fd);
	}
	WT_TRY("rename link", rename(wt_path("l2"), wt_path("l2moved")));
	rl("l2moved");
	WT_TRY("unlink link", unlink(wt_path("l1")));
	rd("l2moved");
	return 0;
}
