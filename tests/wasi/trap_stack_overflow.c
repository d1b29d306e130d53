/* SPDX-License-Identifier: MIT */
/* Traps on purpose: unbounded recursion that exhausts the call stack. */
#include "wt.h"

static volatile int sink;

__attribute__((noinline)) static int down(int n)
{
	int r;

	/* Never true; keeps the compiler from calling this a bug. */
	if (sink < -1)
		return 0;
	sink = n;
	r = down(n + 1);
	sink = r;
	return r + n;
}

int main(int argc, char **argv)
{
	wt_init(argc, argv);
	printf("%d\n", down(argc));
	return 0;
}
