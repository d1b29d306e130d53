/* SPDX-License-Identifier: MIT */
/* atexit handlers run in reverse order at exit(0) and may still print. */
#include "wt.h"

static void first(void)
{
	printf("handler registered first runs last\n");
}

static void second(void)
{
	printf("handler registered second\n");
	fprintf(stderr, "stderr from a handler\n");
}

static void third(void)
{
	printf("handler registered third runs first\n");
}

int main(int argc, char **argv)
{
	wt_init(argc, argv);
	WT_CHECK(atexit(first) == 0);
	WT_CHECK(atexit(second) == 0);
	WT_CHECK(atexit(third) == 0);
	printf("main done\n");
	exit(0);
}
