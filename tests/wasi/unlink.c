/* SPDX-License-Identifier: MIT */
/* unlink of files, symlinks and open files; the errors of unlink. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wt.h"

static void mkfile(const char *name)
{
	int fd = open(wt_path(name), O_CREAT | O_WRONLY | O_TRUNC, 0644);

	WT_CHECK(fd >= 0);
	WT_CHECK(write(fd, name, strlen(name)) == (ssize_t)strlen(name));
	close(fd);
}

int main(int argc, char **argv)
{
	struct stat st;
	char buf[32] = "";
	int fd;

	wt_init(argc, argv);
	mkfile("gone.txt");
	mkfile("kept.txt");
	mkfile("open.txt");
	WT_CHECK(mkdir(wt_path("dir"), 0755) == 0);
	mkfile("dir/inner.txt");
	WT_CHECK(symlink("kept.txt", wt_path("link")) == 0);

	WT_TRY("unlink file", unlink(wt_path("gone.txt")));
	WT_TRY("stat after unlink", stat(wt_path("gone.txt"), &st));
	WT_TRY("unlink again", unlink(wt_path("gone.txt")));
	WT_TRY("unlink symlink", unlink(wt_path("link")));
	WT_TRY("target survives", stat(wt_path("kept.txt"), &st));
	WT_TRY("unlink directory", unlink(wt_path("dir")));
	WT_TRY("unlink file in dir", unlink(wt_path("dir/inner.txt")));
	WT_TRY("unlink through file", unlink(wt_path("kept.txt/x")));
	WT_TRY("unlink trailing slash", unlink(wt_path("kept.txt/")));
	WT_TRY("unlink missing dir", unlink(wt_path("nodir/x")));

	fd = open(wt_path("open.txt"), O_RDWR);
	WT_CHECK(fd >= 0);
	WT_TRY("unlink open file", unlink(wt_path("open.txt")));
	WT_CHECK(read(fd, buf, sizeof(buf) - 1) == 8);
	printf("read from unlinked: %s\n", buf);
	WT_CHECK(fstat(fd, &st) == 0);
	printf("unlinked nlink %llu size %lld\n", (unsigned long long)st.st_nlink,
	       (long long)st.st_size);
	WT_CHECK(pwrite(fd, "more", 4, 8) == 4);
	close(fd);
	WT_TRY("reopen unlinked", open(wt_path("open.txt"), O_RDONLY));
	WT_TRY("remove() file", remove(wt_path("kept.txt")));
	WT_CHECK(mkdir(wt_path("empty"), 0755) == 0);
	WT_TRY("remove() empty dir", remove(wt_path("empty")));
	return 0;
}
