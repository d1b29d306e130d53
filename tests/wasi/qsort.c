/* SPDX-License-Identifier: MIT */
/* qsort of integers, strings and records; bsearch hits and misses. */
#include "wt.h"

struct rec {
	int key;
	int sub;
	char name[12];
};

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->sub > y->sub) - (x->sub < y->sub);
}

int main(int argc, char **argv)
{
	static int v[20000];
	static struct rec recs[3000];
	static char words[500][16];
	char *wp[500];
	uint64_t seed = 7, h = 0;
	int i, ok = 1, hits = 0, key;
	const int *found;

	wt_init(argc, argv);
	for (i = 0; i < 20000; i++)
		v[i] = (int)(wt_rand(&seed) % 100000) - 50000;
	qsort(v, 20000, sizeof(v[0]), cmp_int);
	for (i = 1; i < 20000; i++)
		ok &= v[i - 1] <= v[i];
	h = wt_fnv(0, v, sizeof(v));
	printf("ints sorted %d min %d max %d median %d fnv %016llx\n", ok, v[0], v[19999], v[10000],
	       (unsigned long long)h);
	for (i = 0; i < 1000; i++) {
		key = (int)(wt_rand(&seed) % 100000) - 50000;
		found = bsearch(&key, v, 20000, sizeof(v[0]), cmp_int);
		if (found) {
			hits++;
			WT_CHECK(*found == key);
		}
	}
	printf("bsearch hits %d of 1000\n", hits);

	for (i = 0; i < 500; i++) {
		uint32_t r = wt_rand(&seed);
		int len = 1 + (int)(r % 10);

		for (int k = 0; k < len; k++)
			words[i][k] = (char)('a' + wt_rand(&seed) % 26);
		words[i][len] = 0;
		wp[i] = words[i];
	}
	qsort(wp, 500, sizeof(wp[0]), cmp_str);
	for (i = 0; i < 500; i += 50)
		printf("word %d: %s\n", i, wp[i]);
	for (i = 1, ok = 1; i < 500; i++)
		ok &= strcmp(wp[i - 1], wp[i]) <= 0;
	printf("words sorted %d\n", ok);

	for (i = 0; i < 3000; i++) {
		recs[i].key = (int)(wt_rand(&seed) % 50);
		recs[i].sub = i;
		snprintf(recs[i].name, sizeof(recs[i].name), "r%d", i);
	}
	qsort(recs, 3000, sizeof(recs[0]), cmp_rec);
	for (i = 1, ok = 1; i < 3000; i++)
		ok &= cmp_rec(&recs[i - 1], &recs[i]) < 0;
	printf("records sorted %d first %s last %s\n", ok, recs[0].name, recs[2999].name);
	qsort(v, 0, sizeof(v[0]), cmp_int);
	qsort(v, 1, sizeof(v[0]), cmp_int);
	key = 12345678;
	printf("bsearch empty %s\n", bsearch(&key, v, 0, sizeof(v[0]), cmp_int) ? "found" : "NULL");
	return 0;
}
