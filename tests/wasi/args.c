/* SPDX-License-Identifier: MIT */
/* Command-line arguments: count, contents and lengths, bytes shown in hex. */
#include "wt.h"

int main(int argc, char **argv)
{
	int i;

	wt_init(argc, argv);
	printf("argc-2 = %d\n", argc - 2);
	for (i = 2; i < argc; i++) {
		const unsigned char *p = (const unsigned char *)argv[i];

		printf("arg %d len %zu [%s] hex", i - 2, strlen(argv[i]), argv[i]);
		for (; *p; p++)
			printf(" %02x", *p);
		printf("\n");
	}
	printf("argv[argc] is %s\n", argv[argc] ? "set" : "NULL");
	return 0;
}
