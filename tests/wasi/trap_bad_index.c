/* SPDX-License-Identifier: MIT */
/* Traps on purpose: calls a function pointer far beyond the end of the table. */
#include "wt.h"

static volatile uintptr_t where = 0x7fffff00u;

int main(int argc, char **argv)
{
	void (*fn)(void);

	wt_init(argc, argv);
	fn = (void (*)(void))where;
	fn();
	printf("not reached\n");
	return 0;
}
