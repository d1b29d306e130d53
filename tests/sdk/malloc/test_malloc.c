/* SPDX-License-Identifier: MIT */
/*
 * Tests of the guest allocator, sdk/c/wasm-bpf-malloc.c: edge cases (zero
 * and huge sizes, alignments, errno), random malloc/calloc/realloc/
 * aligned_alloc/free churn with the content of every live block checked,
 * merging of free chunks, and running out of memory and recovering. The same
 * source is also built against wasi-libc's dlmalloc (-DLIBC_MALLOC), as a
 * check of the tests themselves. Run as `wasm-bpf run --max-memory 16M test_malloc.wasm`: the
 * out-of-memory test relies on that cap. Prints one line per test and
 * "malloc: N passed, M failed"; exits 1 on any failure.
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SZ 65536u
#define MEM_CAP (16u << 20) /* --max-memory of tests/sdk/run.sh */

static int failures; /* of the current test */

#define CHECK(cond, fmt, ...)                                                                      \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			failures++;                                                                \
			printf("  %s:%d: %s: " fmt "\n", __func__, __LINE__, #cond,                \
			       ##__VA_ARGS__);                                                     \
		}                                                                                  \
	} while (0)

#define ASSERT_EQ(got, want, what)                                                                 \
	CHECK((got) == (want), "%s: got %lld, want %lld", what, (long long)(got), (long long)(want))

/* Keeps the compiler from reasoning about sizes (and the allocator's result). */
static size_t opaque(size_t v)
{
	volatile size_t x = v;

	return x;
}

static size_t mem_bytes(void)
{
	return __builtin_wasm_memory_size(0) * PAGE_SZ;
}

static int aligned(const void *p, size_t a)
{
	return ((uintptr_t)p & (a - 1)) == 0;
}

/* ---------------------------------------------------------------- edge cases */

static void test_zero_sizes(void)
{
	void *a = malloc(opaque(0)), *b = malloc(opaque(0)), *c;

	CHECK(a && b && a != b, "malloc(0) gives distinct usable pointers: %p %p", a, b);
	CHECK(aligned(a, 16) && aligned(b, 16), "%p %p", a, b);
	free(a);
	free(b);
	free(NULL);
	a = calloc(opaque(0), 5);
	b = calloc(5, opaque(0));
	CHECK(a && b, "calloc with a zero: %p %p", a, b);
	free(a);
	free(b);
	a = realloc(NULL, opaque(10));
	CHECK(a != NULL, "realloc(NULL, 10)");
	memset(a, 1, 10);
	c = realloc(a, opaque(0));
	/* As dlmalloc: a minimal block, not a free. */
	CHECK(c != NULL, "realloc(p, 0) returns a block");
	free(c);
	ASSERT_EQ(malloc_usable_size(NULL), 0, "malloc_usable_size(NULL)");
	for (size_t n = 0; n < 200; n++) {
		unsigned char *p = malloc(opaque(n));

		CHECK(p && aligned(p, 16), "malloc(%zu) = %p", n, (void *)p);
		CHECK(malloc_usable_size(p) >= n, "usable %zu < %zu", malloc_usable_size(p), n);
		memset(p, 0x5a, malloc_usable_size(p));
		free(p);
	}
}

static void test_huge_sizes(void)
{
	static const size_t huge[] = {
		SIZE_MAX, SIZE_MAX - 3, SIZE_MAX - 2 * PAGE_SZ, SIZE_MAX / 2 + 1, 3u << 30, 64u << 20,
	};
	void *p, *q;
	int r;

	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		errno = 0;
		p = malloc(opaque(huge[i]));
		CHECK(p == NULL && errno == ENOMEM, "malloc(%zu): %p, errno %d", huge[i], p, errno);
		errno = 0;
		p = calloc(1, opaque(huge[i]));
		CHECK(p == NULL && errno == ENOMEM, "calloc(1, %zu): %p, errno %d", huge[i], p,
		      errno);
		errno = 0;
		p = aligned_alloc(opaque(64), opaque(huge[i]));
		CHECK(p == NULL && errno == ENOMEM, "aligned_alloc(64, %zu): %p, errno %d", huge[i],
		      p, errno);
	}
	errno = 0;
	p = calloc(opaque(SIZE_MAX / 2), 4);
	CHECK(p == NULL && errno == ENOMEM, "calloc overflow: %p, errno %d", p, errno);
	errno = 0;
	p = calloc(opaque(1u << 16), opaque(1u << 16));
	CHECK(p == NULL && errno == ENOMEM, "calloc 2^16 x 2^16 wraps: %p, errno %d", p, errno);

	/* A failed realloc leaves the block as it was. */
	p = malloc(opaque(100));
	memset(p, 0x77, 100);
	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		errno = 0;
		q = realloc(p, opaque(huge[i]));
		CHECK(q == NULL && errno == ENOMEM, "realloc(p, %zu): %p, errno %d", huge[i], q,
		      errno);
	}
	for (int i = 0; i < 100; i++)
		CHECK(((unsigned char *)p)[i] == 0x77, "byte %d after a failed realloc", i);
	free(p);

	q = NULL;
	r = posix_memalign(&q, opaque(64), opaque(SIZE_MAX));
	ASSERT_EQ(r, ENOMEM, "posix_memalign(64, SIZE_MAX)");
	CHECK(q == NULL, "posix_memalign leaves *res on failure");
	errno = 0;
	p = aligned_alloc(opaque(1u << 31), 10);
	CHECK(p == NULL && errno == ENOMEM, "aligned_alloc(2^31): %p, errno %d", p, errno);
#ifndef LIBC_MALLOC
	/* wasi-libc's dlmalloc never returns from this one. */
	p = aligned_alloc(opaque(SIZE_MAX), 10);
	CHECK(p == NULL, "aligned_alloc(SIZE_MAX): %p", p);
#endif
}

static void test_alignment(void)
{
	void *p, *keep[24];
	int r;

	for (size_t a = 1, i = 0; a <= 65536; a <<= 1, i++) {
		for (size_t n = 0; n < 3000; n += 997) {
			p = aligned_alloc(opaque(a), opaque(n));
			CHECK(p && aligned(p, a < 16 ? 16 : a), "aligned_alloc(%zu, %zu) = %p", a,
			      n, p);
			CHECK(malloc_usable_size(p) >= n, "usable %zu < %zu", malloc_usable_size(p),
			      n);
			memset(p, 0xa5, malloc_usable_size(p));
			free(p);
		}
		/* Keep one of each, so that later ones carve from a fragmented heap. */
		keep[i] = aligned_alloc(opaque(a), opaque(a + 7));
		CHECK(keep[i] && aligned(keep[i], a), "aligned_alloc(%zu, %zu)", a, a + 7);
		memset(keep[i], 0x3c, a + 7);
		p = NULL;
		r = posix_memalign(&p, opaque(a), opaque(a * 3));
		if (a < sizeof(void *)) {
			ASSERT_EQ(r, EINVAL, "posix_memalign below sizeof(void *)");
		} else {
			ASSERT_EQ(r, 0, "posix_memalign");
			CHECK(p && aligned(p, a), "posix_memalign(%zu) = %p", a, p);
			memset(p, 0xc3, a * 3);
		}
		free(p);
	}
	for (size_t a = 1, i = 0; a <= 65536; a <<= 1, i++) {
		unsigned char *k = keep[i];

		for (size_t j = 0; j < a + 7; j++)
			if (k[j] != 0x3c) {
				CHECK(k[j] == 0x3c, "aligned block %zu byte %zu", a, j);
				break;
			}
		free(keep[i]);
	}
	/* Not a power of two: dlmalloc rounds it up, and so does the SDK's. */
	p = aligned_alloc(opaque(24), 100);
	CHECK(p && aligned(p, 32), "aligned_alloc(24) = %p", p);
	free(p);
	p = NULL;
	ASSERT_EQ(posix_memalign(&p, opaque(24), 10), EINVAL, "posix_memalign(24)");
	ASSERT_EQ(posix_memalign(&p, opaque(2), 10), EINVAL, "posix_memalign(2)");
	ASSERT_EQ(posix_memalign(&p, opaque(0), 10), EINVAL, "posix_memalign(0)");
}

static void test_calloc_zeroes(void)
{
	for (size_t n = 1; n <= 1u << 18; n *= 3) {
		unsigned char *p = malloc(opaque(n)), *q;

		memset(p, 0xee, n);
		free(p);
		q = calloc(1, opaque(n));
		CHECK(q != NULL, "calloc(1, %zu)", n);
		for (size_t i = 0; q && i < n; i++)
			if (q[i]) {
				CHECK(q[i] == 0, "calloc(1, %zu): byte %zu is %d", n, i, q[i]);
				break;
			}
		free(q);
	}
}

/* Growing and shrinking in place, and moving, keep the contents. */
static void test_realloc_contents(void)
{
	unsigned char *p = malloc(opaque(1)), *q;
	size_t n = 1;

	p[0] = 0;
	for (size_t m = 2; m < 300000; m = m * 5 / 4 + 1) {
		q = realloc(p, opaque(m));
		CHECK(q != NULL, "realloc to %zu", m);
		if (!q)
			break;
		p = q;
		for (size_t i = 0; i < n; i++)
			if (p[i] != (unsigned char)(i * 13)) {
				CHECK(p[i] == (unsigned char)(i * 13), "grown to %zu: byte %zu", m,
				      i);
				break;
			}
		for (size_t i = n; i < m; i++)
			p[i] = (unsigned char)(i * 13);
		n = m;
	}
	while (n > 1) {
		n /= 3;
		p = realloc(p, opaque(n));
		CHECK(p != NULL, "shrink to %zu", n);
		for (size_t i = 0; i < n; i++)
			if (p[i] != (unsigned char)(i * 13)) {
				CHECK(p[i] == (unsigned char)(i * 13), "shrunk to %zu: byte %zu", n,
				      i);
				break;
			}
	}
	free(p);
}

/* ---------------------------------------------------------------- churn */

#define SLOTS 700
#define CHURN_OPS 120000

struct slot {
	unsigned char *p;
	size_t n; /* bytes requested */
	uint32_t tag;
	size_t align;
};

static uint32_t rng_state = 0x2545f491u;

static uint32_t rnd(void)
{
	uint32_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

/* Mostly small blocks, some kilobytes, a few large ones, rarely a zero. */
static size_t pick_size(void)
{
	uint32_t r = rnd(), k = r & 255;

	if (k < 4)
		return 0;
	if (k < 180)
		return 1 + (r >> 8) % 128;
	if (k < 240)
		return 128 + (r >> 8) % 4096;
	if (k < 254)
		return 4096 + (r >> 8) % 32768;
	return 32768 + (r >> 8) % 200000;
}

static unsigned char pattern(uint32_t tag, size_t i)
{
	return (unsigned char)(tag * 131 + i * 7 + (i >> 8));
}

/* Fills the whole usable size: the slack belongs to the block too. */
static void fill(struct slot *s)
{
	size_t u = malloc_usable_size(s->p);

	CHECK(u >= s->n, "usable size %zu < %zu", u, s->n);
	for (size_t i = 0; i < u; i++)
		s->p[i] = pattern(s->tag, i);
}

static int intact(const struct slot *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s->p[i] != pattern(s->tag, i)) {
			printf("  block %u (%zu bytes at %p): byte %zu is %d, want %d\n", s->tag,
			       s->n, (void *)s->p, i, s->p[i], pattern(s->tag, i));
			return 0;
		}
	return 1;
}

static void test_churn(void)
{
	static struct slot slots[SLOTS];
	uint32_t tags = 0, ops[5] = {0};
	size_t peak = 0;

	for (uint32_t op = 0; op < CHURN_OPS && !failures; op++) {
		uint32_t r = rnd();
		struct slot *s = &slots[r % SLOTS];
		uint32_t what = (r >> 16) % 10;

		if (!s->p) {
			s->n = pick_size();
			s->tag = ++tags;
			s->align = 16;
			if (what < 6) {
				s->p = malloc(s->n);
			} else if (what < 8) {
				s->p = calloc(1, s->n);
				for (size_t i = 0; s->p && i < s->n; i++)
					if (s->p[i]) {
						CHECK(s->p[i] == 0, "calloc'd byte %zu of %zu", i,
						      s->n);
						break;
					}
			} else {
				s->align = (size_t)32 << (r >> 24) % 9;
				s->p = aligned_alloc(s->align, s->n);
			}
			ops[what < 6 ? 0 : what < 8 ? 1 : 2]++;
			CHECK(s->p != NULL, "allocating %zu bytes (op %u)", s->n, op);
			if (!s->p)
				break;
			CHECK(aligned(s->p, s->align), "%p not aligned to %zu", (void *)s->p,
			      s->align);
			fill(s);
			continue;
		}
		CHECK(intact(s, malloc_usable_size(s->p)), "block intact before op %u", op);
		if (what < 4) {
			size_t n = pick_size(), keep = n < s->n ? n : s->n;
			unsigned char *q = realloc(s->p, n);

			ops[3]++;
			CHECK(q != NULL, "realloc to %zu bytes (op %u)", n, op);
			if (!q)
				break;
			s->p = q;
			CHECK(aligned(q, 16), "realloc gave %p", (void *)q);
			CHECK(intact(s, keep), "first %zu bytes kept by realloc (op %u)", keep, op);
			s->n = n;
			s->tag = ++tags;
			fill(s);
		} else {
			ops[4]++;
			free(s->p);
			s->p = NULL;
		}
		if (mem_bytes() > peak)
			peak = mem_bytes();
	}
	for (int i = 0; i < SLOTS; i++) {
		if (slots[i].p) {
			CHECK(intact(&slots[i], malloc_usable_size(slots[i].p)),
			      "slot %d at the end", i);
			free(slots[i].p);
			slots[i].p = NULL;
		}
	}
	printf("  %u malloc, %u calloc, %u aligned_alloc, %u realloc, %u free; memory %zu KiB\n",
	       ops[0], ops[1], ops[2], ops[3], ops[4], peak >> 10);
}

/*
 * With everything freed, the free chunks have merged: a block nearly as large
 * as the whole heap fits without growing memory.
 */
static void test_merged(void)
{
	extern unsigned char __heap_base;
	size_t before = mem_bytes(), n = before - (size_t)&__heap_base - 2 * PAGE_SZ;
	void *p = malloc(opaque(n));

	CHECK(p != NULL, "malloc(%zu) after freeing everything", n);
	ASSERT_EQ(mem_bytes(), before, "memory size (no growth)");
	free(p);
}

/* Running out of memory fails cleanly, and memory freed is used again. */
static void test_exhaustion(void)
{
	enum { BLOCK = 1 << 20, MAX_BLOCKS = MEM_CAP / BLOCK + 1 };
	void *blocks[MAX_BLOCKS];
	int n = 0, again = 0;

	for (n = 0; n < MAX_BLOCKS; n++) {
		errno = 0;
		blocks[n] = malloc(opaque(BLOCK));
		if (!blocks[n])
			break;
		memset(blocks[n], n, BLOCK);
	}
	CHECK(n < MAX_BLOCKS, "the memory cap was reached (run with --max-memory 16M)");
	CHECK(n >= 12, "%d blocks of 1 MiB under a 16 MiB cap", n);
	ASSERT_EQ(errno, ENOMEM, "errno after the failed malloc");
	errno = 0;
	CHECK(malloc(opaque(MEM_CAP)) == NULL && errno == ENOMEM, "malloc(16 MiB) at the cap");
	for (int i = 0; i < n; i++) {
		unsigned char *b = blocks[i];

		CHECK(b[0] == (unsigned char)i && b[BLOCK - 1] == (unsigned char)i, "block %d", i);
		free(b);
	}
	for (again = 0; again < n; again++) {
		blocks[again] = malloc(opaque(BLOCK));
		if (!blocks[again])
			break;
	}
	ASSERT_EQ(again, n, "blocks allocated again after freeing");
	for (int i = 0; i < again; i++)
		free(blocks[i]);
	/* The freed blocks have merged again. */
	test_merged();
}

static void at_exit(void)
{
}

/*
 * atexit() takes its 33rd handler's slot from __libc_calloc(): that must link
 * to the SDK's allocator (and not drag in dlmalloc.o, whose malloc would clash).
 */
static void test_libc_internal(void)
{
	for (int i = 0; i < 40; i++)
		ASSERT_EQ(atexit(at_exit), 0, "atexit");
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "zero_sizes", test_zero_sizes },
	{ "huge_sizes", test_huge_sizes },
	{ "alignment", test_alignment },
	{ "calloc_zeroes", test_calloc_zeroes },
	{ "realloc_contents", test_realloc_contents },
	{ "churn", test_churn },
	{ "merged", test_merged },
	{ "exhaustion", test_exhaustion },
	{ "libc_internal", test_libc_internal },
};

int main(void)
{
	int pass = 0, fail = 0;

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		failures = 0;
		tests[i].fn();
		printf("%s %s\n", failures ? "FAIL" : "PASS", tests[i].name);
		if (failures)
			fail++;
		else
			pass++;
	}
	printf("malloc: %d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}
