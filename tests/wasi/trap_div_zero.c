/* SPDX-License-Identifier: MIT */
/* Traps on purpose: integer division by zero. */
#include "wt.h"

static volatile int num = 7, den;

int main(int argc, char **argv)
{
	wt_init(argc, argv);
	printf("%d\n", num / den);
	return 0;
}
