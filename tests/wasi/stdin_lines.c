/* SPDX-License-Identifier: MIT */
/* Reading standard input line by line: counts, long lines, CRLF, no final newline. */
#include "wt.h"

int main(int argc, char **argv)
{
	char buf[128];
	size_t lines = 0, bytes = 0, longest = 0, cur = 0, crlf = 0, words = 0;
	int in_word = 0, c;
	uint64_t h = 0;

	wt_init(argc, argv);
	/* fgets with a buffer shorter than some lines. */
	while (fgets(buf, sizeof(buf), stdin)) {
		size_t n = strlen(buf);

		bytes += n;
		h = wt_fnv(h, buf, n);
		cur += n;
		if (n && buf[n - 1] == '\n') {
			lines++;
			if (n > 1 && buf[n - 2] == '\r')
				crlf++;
			if (cur > longest)
				longest = cur;
			if (lines <= 5 && cur < 100)
				printf("line %zu: %s", lines, buf);
			cur = 0;
		}
		for (size_t i = 0; i < n; i++) {
			int sp =
			    buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\t' || buf[i] == '\r';

			if (!sp && !in_word)
				words++;
			in_word = !sp;
		}
	}
	printf("partial last line: %zu bytes\n", cur);
	printf("lines %zu words %zu bytes %zu longest %zu crlf %zu\n", lines, words, bytes, longest,
	       crlf);
	printf("fnv %016llx\n", (unsigned long long)h);
	printf("feof %d ferror %d\n", feof(stdin) != 0, ferror(stdin) != 0);
	c = getchar();
	printf("getchar after EOF: %d\n", c);
	return 0;
}
