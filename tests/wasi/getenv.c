/* SPDX-License-Identifier: MIT */
/* The environment: getenv of given and missing names, environ sorted, setenv. */
#include "wt.h"

extern char **environ;

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show(const char *name)
{
	const char *v = getenv(name);

	if (v)
		printf("%s=[%s]\n", name, v);
	else
		printf("%s unset\n", name);
}

int main(int argc, char **argv)
{
	char *copy[256];
	size_t n = 0, i;
	int rc;

	wt_init(argc, argv);
	for (i = 0; environ[i] && n < 256; i++)
		copy[n++] = environ[i];
	qsort(copy, n, sizeof(copy[0]), cmp);
	printf("environ has %zu entries\n", n);
	for (i = 0; i < n; i++)
		printf("env %zu: %s\n", i, copy[i]);
	show("WT_A");
	show("WT_SPACE");
	show("WT_EMPTY");
	show("WT_EQ");
	show("WT_UTF8");
	show("WT_MISSING");
	show("PATH");
	WT_CHECK(setenv("WT_NEW", "fresh", 0) == 0);
	WT_CHECK(setenv("WT_A", "not replaced", 0) == 0);
	show("WT_NEW");
	show("WT_A");
	WT_CHECK(setenv("WT_A", "replaced", 1) == 0);
	show("WT_A");
	WT_CHECK(unsetenv("WT_SPACE") == 0);
	show("WT_SPACE");
	errno = 0;
	rc = setenv("BAD=NAME", "x", 1);
	printf("setenv bad name: %d %s\n", rc, wt_errname(errno));
	return 0;
}
