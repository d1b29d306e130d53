/* SPDX-License-Identifier: MIT */
/* Traps on purpose: calls a function through a pointer of the wrong type. */
#include "wt.h"

static int twice(int x)
{
	return 2 * x;
}

static int (*volatile good)(int) = twice;

int main(int argc, char **argv)
{
	double (*bad)(double, double);

	wt_init(argc, argv);
	printf("good call %d\n", good(21));
	bad = (double (*)(double, double))(void *)good;
	printf("%f\n", bad(1.0, 2.0));
	return 0;
}
