/* SPDX-License-Identifier: MIT */
/* Standard input from a pipe: not a file, no seeking, reading it all with fread. */
#include <sys/stat.h>
#include <unistd.h>
#include "wt.h"

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	struct stat st;
	size_t n, total = 0;
	uint64_t h = 0;
	off_t off;

	wt_init(argc, argv);
	WT_CHECK(fstat(0, &st) == 0);
	/* WASI has no file type for pipes: only check what it is not. */
	printf("stdin is a file or directory: %d, a tty: %d\n",
	       S_ISREG(st.st_mode) || S_ISDIR(st.st_mode), isatty(0));
	errno = 0;
	off = lseek(0, 0, SEEK_CUR);
	printf("lseek on a pipe: %lld %s\n", (long long)off, wt_errname(errno));
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		h = wt_fnv(h, buf, n);
		total += n;
	}
	printf("read %zu bytes fnv %016llx eof %d\n", total, (unsigned long long)h,
	       feof(stdin) != 0);
	return 0;
}
