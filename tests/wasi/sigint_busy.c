/* SPDX-License-Identifier: MIT */
/* Spins forever after saying "ready": SIGINT must stop it (exit 130, "interrupted"). */
#include "wt.h"

static volatile unsigned long spin;

int main(int argc, char **argv)
{
	wt_init(argc, argv);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		spin++;
}
