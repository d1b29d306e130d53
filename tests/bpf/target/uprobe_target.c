/* SPDX-License-Identifier: MIT */
/*
 * The uprobe test's target: waits for a line on stdin, then calls
 * wbt_target_add(i, 1000) N times (N from argv[1], default 5) and exits.
 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) int wbt_target_add(int a, int b);

__attribute__((noinline)) int wbt_target_add(int a, int b)
{
	/* Keep the call and its arguments: the compiler cannot see through this. */
	__asm__ volatile("" : "+r"(a), "+r"(b));
	return a + b;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5, i, sum = 0;
	char line[64];

	if (!fgets(line, sizeof(line), stdin))
		return 1;
	for (i = 0; i < n; i++)
		sum += wbt_target_add(i, 1000);
	printf("%d\n", sum);
	return 0;
}
