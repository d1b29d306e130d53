/* SPDX-License-Identifier: MIT */
/* chdir into the working directory and use relative paths, with "..". */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wt.h"

static void put(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	if (!f) {
		printf("fopen %s: %s\n", name, wt_errname(errno));
		return;
	}
	fputs(text, f);
	fclose(f);
	printf("wrote %s\n", name);
}

static void get(const char *name)
{
	char buf[64] = "";
	FILE *f = fopen(name, "r");

	if (!f) {
		printf("read %s: %s\n", name, wt_errname(errno));
		return;
	}
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	printf("read %s: %s\n", name, buf);
}

int main(int argc, char **argv)
{
	char cwd[1024];
	struct stat st;

	wt_init(argc, argv);
	WT_CHECK(chdir(wt_dir) == 0);
	/* Only that it works: the text differs (host path, guest path). */
	WT_CHECK(getcwd(cwd, sizeof(cwd)));
	put("top.txt", "at the top");
	WT_CHECK(mkdir("sub", 0755) == 0);
	WT_CHECK(mkdir("sub/deeper", 0755) == 0);
	put("./sub/mid.txt", "in sub");
	WT_TRY("chdir sub/deeper", chdir("sub/deeper"));
	put("leaf.txt", "leaf");
	get("../mid.txt");
	get("../../top.txt");
	get("./../../sub/../top.txt");
	WT_TRY("stat ..", stat("..", &st));
	WT_TRY("chdir ../..", chdir("../.."));
	get("sub/deeper/leaf.txt");
	WT_TRY("chdir missing", chdir("nope"));
	WT_TRY("chdir file", chdir("top.txt"));
	WT_TRY("rename relative", rename("top.txt", "sub/top_moved.txt"));
	get("sub/top_moved.txt");
	/*
	 * wasi-libc keeps the working directory as text ("/work/sub/deeper/../..")
	 * and resolves it again on every call, so sub/deeper must not go away
	 * while it is part of that text: chdir by absolute path first.
	 */
	WT_CHECK(chdir(wt_dir) == 0);
	WT_TRY("unlink relative", unlink("sub/deeper/leaf.txt"));
	WT_TRY("rmdir relative", rmdir("sub/deeper"));
	WT_TRY("chdir into sub", chdir("sub"));
	WT_TRY("symlink relative", symlink("mid.txt", "mid_link"));
	get("mid_link");
	return 0;
}
