/* SPDX-License-Identifier: MIT */
/* exit(3) from a nested call, with output pending on stdout and stderr. */
#include "wt.h"

static void leave(int code)
{
	printf("leaving with %d", code);
	fprintf(stderr, "to stderr before exit\n");
	exit(code);
}

int main(int argc, char **argv)
{
	wt_init(argc, argv);
	setvbuf(stdout, NULL, _IOFBF, 4096);
	printf("buffered line\n");
	leave(3);
	printf("not reached\n");
	return 0;
}
