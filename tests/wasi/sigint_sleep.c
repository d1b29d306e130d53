/* SPDX-License-Identifier: MIT */
/* Sleeps 60 s in poll_oneoff after saying "ready": SIGINT must end it early. */
#include <time.h>
#include "wt.h"

int main(int argc, char **argv)
{
	struct timespec ts = {60, 0};

	wt_init(argc, argv);
	printf("ready\n");
	fflush(stdout);
	nanosleep(&ts, NULL);
	printf("woke up\n");
	return 0;
}
