/* SPDX-License-Identifier: MIT */
/* Traps on purpose: executes the unreachable instruction. */
#include "wt.h"

int main(int argc, char **argv)
{
	wt_init(argc, argv);
	__builtin_trap();
}
