/* SPDX-License-Identifier: MIT */
/* Linear memory up to its 4 GiB limit: malloc until NULL, growth refused past it, edges usable. */
#include "wt.h"

static void *volatile sink;

int main(int argc, char **argv)
{
	static unsigned char *blocks[80];
	size_t n = 0, pages, i;
	volatile unsigned char *last;
	unsigned char *p;
	int ok = 1;

	wt_init(argc, argv);
	printf("memory.grow(0) is the size: %s\n",
	       __builtin_wasm_memory_grow(0, 0) == __builtin_wasm_memory_size(0) ? "ok" : "no");
	while (n < 80 && (p = malloc(64u << 20))) {
		sink = p;
		blocks[n++] = p;
	}
	pages = __builtin_wasm_memory_size(0);
	printf("allocated at least 3.5 GiB: %s\n", n * 64 >= 3584 ? "yes" : "no");
	printf("then malloc returned NULL: %s\n", n < 80 ? "yes" : "no");
	printf("pages above 57344: %s\n", pages > 57344 ? "yes" : "no");
	printf("grow by 65536 pages: %d\n", (int)__builtin_wasm_memory_grow(0, 65536));
	printf("grow by 0x7fffffff pages: %d\n", (int)__builtin_wasm_memory_grow(0, 0x7fffffff));
	printf("grow past the limit: %d\n", (int)__builtin_wasm_memory_grow(0, 65536 - pages + 1));
	/* One byte in each block, and the last byte of memory, are usable. */
	for (i = 0; i < n; i++) {
		blocks[i][0] = (unsigned char)i;
		blocks[i][(64u << 20) - 1] = (unsigned char)~i;
	}
	for (i = 0; i < n; i++)
		ok &= blocks[i][0] == (unsigned char)i &&
		      blocks[i][(64u << 20) - 1] == (unsigned char)~i;
	printf("blocks hold their bytes: %s\n", ok ? "yes" : "no");
	last = (volatile unsigned char *)(uintptr_t)(pages * 65536u - 1u);
	*last = 0xa5;
	printf("last byte of memory: %02x\n", *last);
	for (i = 0; i < n; i++)
		free(blocks[i]);
	p = malloc(1 << 20);
	printf("malloc after freeing: %s\n", p ? "ok" : "NULL");
	free(p);
	return 0;
}
