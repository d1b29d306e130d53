/* SPDX-License-Identifier: MIT */
/* Hello world, built natively and as a WASI command, for the start-up benchmark. */
#include <stdio.h>

int main(void)
{
	printf("hello, world\n");
	return 0;
}
