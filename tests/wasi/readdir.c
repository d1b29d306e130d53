/* SPDX-License-Identifier: MIT */
/* readdir: names and types sorted, rewinddir, changes seen after rewind, scandir. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wt.h"

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char type_char(unsigned char t)
{
	switch (t) {
	case DT_REG:
		return 'f';
	case DT_DIR:
		return 'd';
	case DT_LNK:
		return 'l';
	case DT_UNKNOWN:
		return '?';
	default:
		return 'o';
	}
}

static int no_dots(const struct dirent *de)
{
	return strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
}

/* Print the entries of a directory sorted, with their types. */
static int list(const char *name, int print)
{
	char *names[200];
	int n = 0, i;
	struct dirent *de;
	DIR *d = opendir(wt_path(name));

	if (!d) {
		printf("opendir %s: %s\n", name, wt_errname(errno));
		return -1;
	}
	errno = 0;
	while ((de = readdir(d)) && n < 200) {
		char *s;

		/* WASI does not promise "." and ".."; glibc lists them. */
		if (!no_dots(de))
			continue;
		s = malloc(strlen(de->d_name) + 3);
		WT_CHECK(s);
		s[0] = type_char(de->d_type);
		s[1] = ' ';
		strcpy(s + 2, de->d_name);
		names[n++] = s;
	}
	printf("readdir %s end: %s\n", name, wt_errname(errno));
	qsort(names, n, sizeof(names[0]), cmp);
	for (i = 0; i < n; i++) {
		if (print)
			printf("  %s\n", names[i]);
		free(names[i]);
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	struct dirent **list_sc;
	struct dirent *de;
	char name[64];
	int i, n, fd;
	DIR *d;

	wt_init(argc, argv);
	WT_CHECK(mkdir(wt_path("top"), 0755) == 0);
	printf("empty dir has %d entries\n", list("top", 1));
	for (i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), "top/file%02d.txt", i);
		fd = open(wt_path(name), O_CREAT | O_WRONLY, 0644);
		WT_CHECK(fd >= 0);
		close(fd);
	}
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "top/sub%d", i);
		WT_CHECK(mkdir(wt_path(name), 0755) == 0);
	}
	WT_CHECK(symlink("file00.txt", wt_path("top/link")) == 0);
	WT_CHECK(symlink("nowhere", wt_path("top/dangling")) == 0);
	printf("top has %d entries\n", list("top", 1));

	d = opendir(wt_path("top"));
	WT_CHECK(d);
	for (n = 0; (de = readdir(d));)
		n += no_dots(de);
	WT_CHECK(unlink(wt_path("top/file05.txt")) == 0);
	fd = open(wt_path("top/zz_new"), O_CREAT | O_WRONLY, 0644);
	close(fd);
	rewinddir(d);
	for (i = 0; (de = readdir(d));) {
		i += no_dots(de);
		if (!strcmp(de->d_name, "file05.txt"))
			printf("removed entry still listed\n");
	}
	printf("before %d after rewind %d\n", n, i);
	closedir(d);

	n = scandir(wt_path("top"), &list_sc, no_dots, alphasort);
	printf("scandir %d:", n);
	for (i = 0; i < n; i++) {
		if (i < 5 || i >= n - 3)
			printf(" %s", list_sc[i]->d_name);
		free(list_sc[i]);
	}
	free(list_sc);
	printf("\n");
	list("missing", 1);
	list("top/file00.txt", 1);
	return 0;
}
