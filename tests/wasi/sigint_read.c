/* SPDX-License-Identifier: MIT */
/* Blocks reading a pipe that never delivers after saying "ready": SIGINT must end it. */
#include <unistd.h>
#include "wt.h"

int main(int argc, char **argv)
{
	char buf[16];
	ssize_t n;

	wt_init(argc, argv);
	printf("ready\n");
	fflush(stdout);
	n = read(0, buf, sizeof(buf));
	printf("read returned %zd\n", n);
	return 0;
}
