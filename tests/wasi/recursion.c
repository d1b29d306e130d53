/* SPDX-License-Identifier: MIT */
/* Deep but bounded recursion, with and without stack-allocated arrays. */
#include "wt.h"

static volatile int sink;

__attribute__((noinline)) static long long depth(int n)
{
	long long r;

	if (n == 0)
		return 0;
	sink = n;
	r = depth(n - 1);
	return r + (n & 7);
}

/* Each level keeps an array on the (shadow) stack. */
__attribute__((noinline)) static unsigned framed(int n)
{
	volatile unsigned char local[64];
	unsigned s = 0;

	for (int i = 0; i < 64; i++)
		local[i] = (unsigned char)(n + i);
	if (n > 0)
		s = framed(n - 1);
	for (int i = 0; i < 64; i++)
		s += local[i];
	return s;
}

static int ack(int m, int n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ack(m - 1, 1);
	return ack(m - 1, ack(m, n - 1));
}

int main(int argc, char **argv)
{
	wt_init(argc, argv);
	printf("depth 1000: %lld\n", depth(1000));
	printf("depth 20000: %lld\n", depth(20000));
	printf("framed 300: %u\n", framed(300));
	printf("ackermann(2, 300): %d\n", ack(2, 300));
	return 0;
}
