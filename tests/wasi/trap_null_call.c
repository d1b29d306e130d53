/* SPDX-License-Identifier: MIT */
/* Traps on purpose: calls through a null function pointer (table slot 0). */
#include "wt.h"

static void (*volatile fn)(void);

int main(int argc, char **argv)
{
	wt_init(argc, argv);
	fn();
	printf("not reached\n");
	return 0;
}
