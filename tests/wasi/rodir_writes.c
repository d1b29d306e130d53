/* SPDX-License-Identifier: MIT */
/* A directory granted with --dir-ro: reads work, every change fails with EROFS. */
#include <dirent.h>
#include "escape.h"

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	struct timespec ts[2] = {{5, 0}, {5, 0}};
	char *names[64];
	struct dirent *de;
	struct stat st;
	int fd, n = 0, i;
	DIR *d;

	esc_init(argc, argv);
	esc_openat("inside.txt", O_RDONLY);
	esc_openat("sub/inside2.txt", O_RDONLY);
	esc_openat("in_link", O_RDONLY);
	ESC_TRY("stat inside.txt", fstatat(esc_dfd, "inside.txt", &st, 0));
	d = opendir(wt_dir);
	WT_CHECK(d);
	while ((de = readdir(d)) && n < 64)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	printf("entries:");
	for (i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");

	esc_openat("inside.txt", O_WRONLY);
	esc_openat("inside.txt", O_RDWR);
	esc_openat("inside.txt", O_WRONLY | O_APPEND);
	esc_openat("inside.txt", O_WRONLY | O_TRUNC);
	esc_openat("new.txt", O_WRONLY | O_CREAT);
	esc_openat("sub/new.txt", O_WRONLY | O_CREAT | O_EXCL);
	ESC_TRY("mkdir newdir", mkdirat(esc_dfd, "newdir", 0755));
	ESC_TRY("unlink inside.txt", unlinkat(esc_dfd, "inside.txt", 0));
	ESC_TRY("unlink in_link", unlinkat(esc_dfd, "in_link", 0));
	ESC_TRY("rmdir sub", unlinkat(esc_dfd, "sub", AT_REMOVEDIR));
	ESC_TRY("rename inside.txt", renameat(esc_dfd, "inside.txt", esc_dfd, "moved.txt"));
	ESC_TRY("link inside.txt", linkat(esc_dfd, "inside.txt", esc_dfd, "hard.txt", 0));
	ESC_TRY("symlink", symlinkat("inside.txt", esc_dfd, "newlink"));
	ESC_TRY("utimensat inside.txt", utimensat(esc_dfd, "inside.txt", ts, 0));
	ESC_TRY("truncate inside.txt", truncate("/work/inside.txt", 0));
	fd = openat(esc_dfd, "inside.txt", O_RDONLY);
	WT_CHECK(fd >= 0);
	ESC_TRY("ftruncate read fd", ftruncate(fd, 0));
	ESC_TRY("futimens read fd", futimens(fd, ts));
	close(fd);
	/* Still confined. */
	esc_openat("../secret.txt", O_RDONLY);
	esc_openat("up_link/secret.txt", O_RDONLY);
	return 0;
}
