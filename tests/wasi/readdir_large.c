/* SPDX-License-Identifier: MIT */
/* A directory with many long names, read in one pass and checked entry by entry. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wt.h"

#define COUNT 1500

int main(int argc, char **argv)
{
	static unsigned char seen[COUNT];
	char name[300];
	struct dirent *de;
	int i, fd, total = 0, dup = 0, stray = 0, missing = 0;
	uint64_t h = 0;
	DIR *d;

	wt_init(argc, argv);
	snprintf(name, sizeof(name), "%s/big", wt_dir);
	WT_CHECK(mkdir(name, 0755) == 0);
	for (i = 0; i < COUNT; i++) {
		snprintf(name, sizeof(name), "%s/big/%04d_%0*d", wt_dir, i, 40 + i % 200, i);
		fd = open(name, O_CREAT | O_WRONLY, 0644);
		WT_CHECK(fd >= 0);
		close(fd);
	}
	snprintf(name, sizeof(name), "%s/big", wt_dir);
	d = opendir(name);
	WT_CHECK(d);
	while ((de = readdir(d))) {
		/* WASI does not promise "." and ".."; glibc lists them. */
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		total++;
		i = atoi(de->d_name);
		if (i < 0 || i >= COUNT || strlen(de->d_name) != 5u + 40 + i % 200) {
			stray++;
			continue;
		}
		if (seen[i]++)
			dup++;
		h ^= wt_fnv(0, de->d_name, strlen(de->d_name));
	}
	closedir(d);
	for (i = 0; i < COUNT; i++)
		missing += !seen[i];
	printf("total %d dup %d stray %d missing %d xor-fnv %016llx\n", total, dup, stray, missing,
	       (unsigned long long)h);
	return 0;
}
