/* SPDX-License-Identifier: MIT */
/* Randomness: getentropy gives non-zero, differing bytes covering all values. */
#include <unistd.h>
#include "wt.h"

int main(int argc, char **argv)
{
	/* Static: the wasm32 shadow stack is only 64 KiB. */
	static unsigned char many[65536];
	unsigned char a[32], b[32], big[256];
	int rc;
	size_t counts[256] = {0}, i, seen = 0, maxc = 0;
	int nonzero = 0;

	wt_init(argc, argv);
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	WT_CHECK(getentropy(a, sizeof(a)) == 0);
	WT_CHECK(getentropy(b, sizeof(b)) == 0);
	for (i = 0; i < sizeof(a); i++)
		nonzero |= a[i];
	printf("not all zero: %s\n", nonzero ? "ok" : "no");
	printf("two calls differ: %s\n", memcmp(a, b, sizeof(a)) ? "ok" : "no");
	printf("getentropy 256: %d\n", getentropy(big, sizeof(big)));
	errno = 0;
	rc = getentropy(many, 257);
	printf("getentropy 257: %d %s\n", rc, wt_errname(errno));
	printf("getentropy 0: %d\n", getentropy(many, 0));
	for (i = 0; i < sizeof(many); i += 256)
		WT_CHECK(getentropy(many + i, 256) == 0);
	for (i = 0; i < sizeof(many); i++)
		counts[many[i]]++;
	for (i = 0; i < 256; i++) {
		if (counts[i])
			seen++;
		if (counts[i] > maxc)
			maxc = counts[i];
	}
	/* 256 per value expected; 500 is far out in the tail. */
	printf("all byte values seen: %s\n", seen == 256 ? "ok" : "no");
	printf("no value dominates: %s\n", maxc < 500 ? "ok" : "no");
	arc4random_buf(a, sizeof(a));
	arc4random_buf(b, sizeof(b));
	printf("arc4random_buf differs: %s\n", memcmp(a, b, sizeof(a)) ? "ok" : "no");
	printf("arc4random_uniform in range: %s\n", arc4random_uniform(10) < 10 ? "ok" : "no");
	return 0;
}
