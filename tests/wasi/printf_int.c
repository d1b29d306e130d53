/* SPDX-License-Identifier: MIT */
/* printf of integers: widths, flags, bases, limits and fixed-width types. */
#include <inttypes.h>
#include <limits.h>
#include "wt.h"

int main(int argc, char **argv)
{
	static const int ints[] = {0, 1, -1, 7, -42, 255, 65535, 123456789, INT_MAX, INT_MIN};
	static const long long lls[] = {0,	   -1,	      4294967296LL,
					LLONG_MAX, LLONG_MIN, -9007199254740993LL};
	char buf[64];
	volatile size_t cap = 8;
	size_t i;
	int n;

	wt_init(argc, argv);
	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		int v = ints[i];

		printf("[%d] [%i] [%5d] [%-5d|] [%+d] [% d] [%05d] [%.3d]\n", v, v, v, v, v, v, v,
		       v);
		printf("[%u] [%x] [%X] [%#x] [%o] [%#o] [%08x] [%hhd] [%hd]\n", (unsigned)v,
		       (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v,
		       (signed char)v, (short)v);
	}
	for (i = 0; i < sizeof(lls) / sizeof(lls[0]); i++) {
		long long v = lls[i];

		printf("[%lld] [%llu] [%llx] [%20lld] [%-20lld|] [%+lld]\n", v,
		       (unsigned long long)v, (unsigned long long)v, v, v, v);
	}
	printf("[%" PRId8 "] [%" PRIu16 "] [%" PRId32 "] [%" PRIu64 "]\n", (int8_t)-128,
	       (uint16_t)65535, (int32_t)INT32_MIN, UINT64_MAX);
	printf("[%" PRIx64 "] [%" PRIo64 "] [%jd] [%zu]\n", (uint64_t)0xdeadbeefcafebabeULL,
	       (uint64_t)01234567, (intmax_t)INTMAX_MIN, (size_t)4000000000U);
	printf("[%*d] [%-*d|] [%.*d] [%c] [%5c] [%%]\n", 6, 42, 6, 42, 4, 7, 'A', 'z');
	printf("[%s] [%10s] [%-10s|] [%.3s] [%.0s]\n", "hello", "right", "left", "truncate",
	       "gone");
	printf("[%.0d] [%#.0o] [%#X] [%+.0d]\n", 0, 0, 0, 0);
	n = snprintf(buf, cap, "%d-%d", 123456, 7890);
	printf("snprintf %d '%s'\n", n, buf);
	n = snprintf(NULL, 0, "%lld", LLONG_MIN);
	printf("snprintf-null %d\n", n);
	printf("%d%n", 12345, &n);
	printf(" n=%d\n", n);
	return 0;
}
