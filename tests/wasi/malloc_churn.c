/* SPDX-License-Identifier: MIT */
/* malloc, calloc, realloc and free in a long deterministic churn, contents checked. */
#include "wt.h"

#define SLOTS 1024

struct slot {
	unsigned char *p;
	size_t n;
	unsigned char tag;
};

static void fill(struct slot *s, size_t from)
{
	for (size_t i = from; i < s->n; i++)
		s->p[i] = (unsigned char)(s->tag + i * 7);
}

static int intact(const struct slot *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s->p[i] != (unsigned char)(s->tag + i * 7))
			return 0;
	return 1;
}

static size_t pick_size(uint64_t *seed)
{
	uint32_t r = wt_rand(seed);

	if (r % 100 == 0)
		return 65536 + r % (1 << 20);
	if (r % 10 == 0)
		return r % 8192;
	return r % 256;
}

int main(int argc, char **argv)
{
	static struct slot slots[SLOTS];
	uint64_t seed = 12345, h = 0;
	size_t live = 0, peak = 0, ops = 0, bad = 0, i;
	unsigned char *big;

	wt_init(argc, argv);
	for (i = 0; i < 60000; i++, ops++) {
		struct slot *s = &slots[wt_rand(&seed) % SLOTS];
		uint32_t what = wt_rand(&seed) % 4;

		if (!s->p) {
			s->n = pick_size(&seed);
			s->tag = (unsigned char)i;
			if (what == 0) {
				s->p = calloc(1, s->n ? s->n : 1);
				WT_CHECK(s->p);
				for (size_t k = 0; k < s->n; k++)
					bad += s->p[k] != 0;
			} else {
				s->p = malloc(s->n ? s->n : 1);
				WT_CHECK(s->p);
			}
			fill(s, 0);
			live += s->n;
		} else if (what == 1) {
			size_t n = pick_size(&seed);
			unsigned char *q = realloc(s->p, n ? n : 1);

			WT_CHECK(q);
			s->p = q;
			bad += !intact(s, n < s->n ? n : s->n);
			live = live - s->n + n;
			if (n > s->n) {
				size_t old = s->n;

				s->n = n;
				fill(s, old);
			}
			s->n = n;
		} else {
			bad += !intact(s, s->n);
			h = wt_fnv(h, s->p, s->n < 64 ? s->n : 64);
			free(s->p);
			live -= s->n;
			s->p = NULL;
		}
		if (live > peak)
			peak = live;
	}
	for (i = 0; i < SLOTS; i++) {
		if (slots[i].p) {
			bad += !intact(&slots[i], slots[i].n);
			free(slots[i].p);
		}
	}
	printf("ops %zu corrupt %zu peak %zu fnv %016llx\n", ops, bad, peak, (unsigned long long)h);

	/* One large block, grown by realloc in steps, then released. */
	big = malloc(1 << 20);
	WT_CHECK(big);
	memset(big, 0x5a, 1 << 20);
	for (i = 2; i <= 32; i *= 2) {
		big = realloc(big, i << 20);
		WT_CHECK(big);
		bad += big[(i << 19) - 1] != 0x5a;
		memset(big + (i << 19), 0x5a, i << 19);
	}
	printf("grown to 32 MiB, corrupt %zu\n", bad);
	free(big);
	big = malloc(48 << 20);
	printf("48 MiB after free: %s\n", big ? "ok" : "NULL");
	free(big);
	free(NULL);
	big = realloc(NULL, 10);
	printf("realloc(NULL): %s\n", big ? "ok" : "NULL");
	free(big);
	return 0;
}
