/* SPDX-License-Identifier: MIT */
/* Returning 42 from main flushes stdout and is the exit code. */
#include "wt.h"

int main(int argc, char **argv)
{
	wt_init(argc, argv);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	for (int i = 0; i < 1000; i++)
		printf("%d%c", i, i % 20 == 19 ? '\n' : ' ');
	printf("no final newline");
	return 42;
}
