/* SPDX-License-Identifier: MIT */
/* Reading standard input with read(2) in odd chunk sizes until end of file. */
#include <unistd.h>
#include "wt.h"

int main(int argc, char **argv)
{
	static unsigned char buf[70000];
	static const size_t chunks[] = {1, 7, 4096, 65536, 3, 70000, 512};
	size_t total = 0, calls = 0, k = 0, counts[256] = {0};
	uint64_t h = 0;
	ssize_t n;

	wt_init(argc, argv);
	for (;;) {
		size_t want = chunks[k++ % 7];

		n = read(0, buf, want);
		if (n <= 0)
			break;
		calls++;
		h = wt_fnv(h, buf, (size_t)n);
		for (ssize_t i = 0; i < n; i++)
			counts[buf[i]]++;
		total += (size_t)n;
	}
	printf("last read %zd errno %s\n", n, n < 0 ? wt_errname(errno) : "-");
	printf("total %zu fnv %016llx\n", total, (unsigned long long)h);
	printf("zero bytes %zu ff bytes %zu newlines %zu\n", counts[0], counts[255], counts['\n']);
	printf("read at EOF again: %zd\n", read(0, buf, 10));
	printf("read 0 bytes: %zd\n", read(0, buf, 0));
	printf("calls > 0: %s\n", calls > 0 ? "yes" : "no");
	return 0;
}
