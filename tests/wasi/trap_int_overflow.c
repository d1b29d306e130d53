/* SPDX-License-Identifier: MIT */
/* Traps on purpose: INT_MIN / -1, the one signed division that overflows. */
#include <limits.h>
#include "wt.h"

static volatile int num = INT_MIN, den = -1;

int main(int argc, char **argv)
{
	wt_init(argc, argv);
	printf("%d\n", num / den);
	return 0;
}
