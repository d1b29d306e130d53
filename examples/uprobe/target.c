/* SPDX-License-Identifier: MIT */
/*
 * A native program for the uprobe example to watch: calls uprobe_add() and
 * uprobe_sub() COUNT times (default: forever), every INTERVAL milliseconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* noinline and an empty asm keep the calls real at any optimization level. */
__attribute__((noinline)) int uprobe_add(int a, int b)
{
	asm volatile("" ::: "memory");
	return a + b;
}

__attribute__((noinline)) int uprobe_sub(int a, int b)
{
	asm volatile("" ::: "memory");
	return a - b;
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : -1;
	long interval_ms = argc > 2 ? atol(argv[2]) : 1000;
	struct timespec ts = {interval_ms / 1000, (interval_ms % 1000) * 1000000L};
	long i;

	printf("target: pid %d, %ld calls of uprobe_add and uprobe_sub\n", getpid(), count);
	fflush(stdout);
	for (i = 1; count < 0 || i <= count; i++) {
		printf("uprobe_add(%ld, %ld) = %d\n", i, 2 * i, uprobe_add((int)i, (int)(2 * i)));
		printf("uprobe_sub(%ld, %ld) = %d\n", 10 * i, i, uprobe_sub((int)(10 * i), (int)i));
		fflush(stdout);
		if (count < 0 || i < count)
			nanosleep(&ts, NULL);
	}
	return 0;
}
