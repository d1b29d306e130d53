/* SPDX-License-Identifier: MIT */
/* exit(300): the status seen by the parent is 300 modulo 256, as for any process. */
#include "wt.h"

int main(int argc, char **argv)
{
	wt_init(argc, argv);
	printf("exiting with 300\n");
	exit(300);
}
