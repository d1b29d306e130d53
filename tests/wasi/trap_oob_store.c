/* SPDX-License-Identifier: MIT */
/* Traps on purpose: stores to an address near the top of the 4 GiB space. */
#include "wt.h"

static volatile uintptr_t addr = 0xfffffff0u;

int main(int argc, char **argv)
{
	wt_init(argc, argv);
	*(volatile int *)addr = 42;
	printf("not reached\n");
	return 0;
}
