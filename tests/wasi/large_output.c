/* SPDX-License-Identifier: MIT */
/* Many lines and a large unbuffered block on stdout and stderr. */
#include <unistd.h>
#include "wt.h"

int main(int argc, char **argv)
{
	static char block[1 << 20];
	size_t done = 0;
	ssize_t n;
	int i;

	wt_init(argc, argv);
	setvbuf(stdout, NULL, _IOFBF, 8192);
	for (i = 0; i < 60000; i++)
		printf("line %d: the quick brown fox %x\n", i, i * 2654435761u);
	for (i = 0; i < 5000; i++)
		fprintf(stderr, "err %d\n", i);
	fflush(stdout);
	for (size_t k = 0; k < sizeof(block); k++)
		block[k] = (char)('a' + k % 26);
	block[sizeof(block) - 1] = '\n';
	while (done < sizeof(block)) {
		n = write(1, block + done, sizeof(block) - done);
		WT_CHECK(n > 0);
		done += (size_t)n;
	}
	return 0;
}
