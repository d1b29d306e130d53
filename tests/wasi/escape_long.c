/* SPDX-License-Identifier: MIT */
/* Confinement: very long paths and deep ".." chains through real directories. */
#include "escape.h"

static char path[8192];

static void repeat(const char *piece, int times, const char *tail)
{
	path[0] = 0;
	for (int i = 0; i < times; i++)
		strcat(path, piece);
	strcat(path, tail);
}

/* Several error numbers are right for some of these: print one word. */
static void refused(const char *what, int rc, int e1, int e2)
{
	if (rc >= 0) {
		printf("%s: SUCCEEDED\n", what);
		return;
	}
	printf("%s: %s\n", what, errno == e1 || errno == e2 ? "refused" : wt_errname(errno));
	fprintf(stderr, "%s: %s\n", what, wt_errname(errno));
}

int main(int argc, char **argv)
{
	int fd, i;

	esc_init(argc, argv);
	memset(path, 'a', 5000);
	path[5000] = 0;
	esc_openat(path, O_RDONLY);
	memset(path, 'b', 256);
	path[256] = 0;
	esc_openat(path, O_CREAT | O_WRONLY);
	memset(path, 'c', 255);
	path[255] = 0;
	fd = openat(esc_dfd, path, O_CREAT | O_WRONLY, 0644);
	printf("255-byte name: %s\n", fd >= 0 ? "ok" : wt_errname(errno));
	if (fd >= 0) {
		close(fd);
		unlinkat(esc_dfd, path, 0);
	}
	repeat("../", 1700, "etc/passwd");
	errno = 0;
	fd = openat(esc_dfd, path, O_RDONLY);
	refused("5000 bytes of ../", fd, ENOTCAPABLE, ENAMETOOLONG);
	repeat("sub/../", 715, "../secret.txt");
	errno = 0;
	fd = openat(esc_dfd, path, O_RDONLY);
	refused("5000 bytes of sub/../ then ../", fd, ENOTCAPABLE, ENAMETOOLONG);
	repeat("x/", 2500, "y");
	errno = 0;
	fd = openat(esc_dfd, path, O_RDONLY);
	refused("5000 bytes of missing dirs", fd, ENOENT, ENAMETOOLONG);

	/* A real chain of 60 nested directories, left again with "..". */
	path[0] = 0;
	for (i = 0; i < 60; i++) {
		strcat(path, i ? "/d" : "d");
		WT_CHECK(mkdirat(esc_dfd, path, 0755) == 0);
	}
	strcat(path, "/");
	for (i = 0; i < 60; i++)
		strcat(path, "../");
	strcat(path, "inside.txt");
	esc_openat(path, O_RDONLY);
	path[strlen(path) - strlen("inside.txt")] = 0;
	strcat(path, "../secret.txt");
	esc_openat(path, O_RDONLY);
	repeat("d/", 60, "");
	for (i = 60; i > 0; i--) {
		path[2 * i - 1] = 0;
		WT_CHECK(unlinkat(esc_dfd, path, AT_REMOVEDIR) == 0);
	}
	printf("nested directories removed\n");
	return 0;
}
