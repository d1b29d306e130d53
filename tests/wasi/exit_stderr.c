/* SPDX-License-Identifier: MIT */
/* Interleaved stdout and stderr, then exit code 1 from main. */
#include <unistd.h>
#include "wt.h"

int main(int argc, char **argv)
{
	wt_init(argc, argv);
	for (int i = 0; i < 50; i++) {
		printf("out %d\n", i);
		fprintf(stderr, "err %d\n", i);
	}
	WT_CHECK(write(1, "raw out\n", 8) == 8);
	WT_CHECK(write(2, "raw err\n", 8) == 8);
	fputs("unterminated error", stderr);
	return 1;
}
