/* SPDX-License-Identifier: MIT */
/* Thousands of arguments, one of 100 000 bytes, and hundreds of environment variables. */
#include "wt.h"

extern char **environ;

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	size_t longest = 0, total = 0, n = 0, i;
	uint64_t h = 0;
	char **env;

	wt_init(argc, argv);
	for (i = 2; i < (size_t)argc; i++) {
		size_t len = strlen(argv[i]);

		h = wt_fnv(h, argv[i], len + 1);
		total += len;
		if (len > longest)
			longest = len;
	}
	printf("args %d total %zu longest %zu fnv %016llx\n", argc - 2, total, longest,
	       (unsigned long long)h);
	while (environ[n])
		n++;
	env = malloc((n + 1) * sizeof(*env));
	WT_CHECK(env);
	memcpy(env, environ, n * sizeof(*env));
	qsort(env, n, sizeof(*env), cmp);
	for (i = 0, h = 0; i < n; i++)
		h = wt_fnv(h, env[i], strlen(env[i]) + 1);
	printf("environ %zu fnv %016llx first %s last %s\n", n, (unsigned long long)h,
	       n ? env[0] : "-", n ? env[n - 1] : "-");
	free(env);
	return 0;
}
