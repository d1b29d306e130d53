/* SPDX-License-Identifier: MIT */
/* Traps on purpose after writing a line: the line must still reach stdout. */
#include "wt.h"

int main(int argc, char **argv)
{
	wt_init(argc, argv);
	printf("before the trap\n");
	fflush(stdout);
	fprintf(stderr, "about to trap\n");
	__builtin_trap();
}
