/* SPDX-License-Identifier: MIT */
/* Traps on purpose: loads the first word past the end of linear memory. */
#include "wt.h"

int main(int argc, char **argv)
{
	uintptr_t end;

	wt_init(argc, argv);
	end = (uintptr_t)__builtin_wasm_memory_size(0) * 65536u;
	printf("%d\n", *(volatile int *)(end - 2));
	return 0;
}
