/* SPDX-License-Identifier: MIT */
/*
 * A guest for the resource limit tests of `wasm-bpf run`:
 *
 *   limits spin          loop forever (--timeout, --fuel stop it)
 *   limits sleep         sleep 60 s in a blocking WASI call (--timeout stops it)
 *   limits grow MIB      allocate MIB MiB; exit 5 if the memory cap refuses
 *   limits recurse N     recurse N deep (--max-call-depth traps)
 *   limits quick         print "done" and exit 0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile unsigned long sink;

static unsigned long deep(unsigned long n)
{
	volatile char pad[64];

	pad[0] = (char)n;
	if (!n)
		return pad[0];
	return deep(n - 1) + pad[0] + 1;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "quick";

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(mode, "spin")) {
		printf("spinning\n");
		for (;;)
			sink++;
	}
	if (!strcmp(mode, "sleep")) {
		struct timespec ts = { .tv_sec = 60 };

		printf("sleeping\n");
		nanosleep(&ts, NULL);
		printf("woke up\n");
		return 0;
	}
	if (!strcmp(mode, "grow")) {
		size_t mib = argc > 2 ? strtoul(argv[2], NULL, 10) : 1, i;

		for (i = 0; i < mib; i++) {
			char *p = malloc(1 << 20);

			if (!p) {
				printf("malloc failed after %zu MiB\n", i);
				return 5;
			}
			memset(p, 1, 1 << 20);
			sink += (unsigned long)p[i];	/* keep the allocation */
		}
		printf("allocated %zu MiB\n", mib);
		return 0;
	}
	if (!strcmp(mode, "recurse")) {
		unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 10) : 10;

		printf("depth %lu: %lu\n", n, deep(n));
		return 0;
	}
	printf("done\n");
	return 0;
}
