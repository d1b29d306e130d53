/* SPDX-License-Identifier: MIT */
/*
 * A compact allocator for wasm32 guests: malloc, free, calloc, realloc,
 * aligned_alloc, posix_memalign and malloc_usable_size in about 1.3 KB of
 * code, where wasi-libc's dlmalloc takes 8 to 11 KB. sdk/wasm-bpf.mk links it
 * into every application unless MALLOC := libc; defining these functions here
 * (and the __libc_* ones wasi-libc calls internally) keeps dlmalloc.o out of
 * the link.
 *
 * The heap is the memory after __heap_base, grown with memory.grow. It is cut
 * into chunks that start 4 bytes before a 16-byte boundary, so that every
 * payload is 16-byte aligned (alignof(max_align_t) on wasm32). A chunk's first
 * word holds its size (a multiple of 16) and two flags: in use, and previous
 * chunk in use. A free chunk keeps its size in its last word as well, so that
 * freeing the chunk after it can merge the two (boundary tags). Neighbouring
 * free chunks are always merged. Each region of the heap ends with a 4-byte
 * "end" header, in use and of size 0, which nothing merges with.
 *
 * Free chunks wait in doubly linked lists ("bins"): one per size below 512
 * bytes, then one per power of two. A request takes the first chunk that fits
 * in its own bin, or else the first chunk of the next non-empty bin above (a
 * bitmap finds it), and gives back what it does not need. Behaviour follows
 * wasi-libc's dlmalloc where the C standard leaves a choice: malloc(0) and
 * realloc(p, 0) return a usable chunk, failures set errno to ENOMEM, a free of
 * a chunk that is not in use traps. Single-threaded, as wasm32-wasi is.
 */
#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HDR_SZ 4u		/* the size word before each payload */
#define ALIGN 16u		/* payload alignment and size granularity */
#define MIN_CHUNK 16u		/* header, two list links, footer */
#define IN_USE 1u
#define PREV_IN_USE 2u
#define FLAGS 15u
#define PAGE_SZ 65536u
/* Larger requests fail at once; below it, sizes computed from them cannot wrap. */
#define MAX_REQUEST ((size_t)-1 - 2 * PAGE_SZ)
#define MAX_ALIGN ((size_t)1 << 30)
#define SMALL_BINS 32u		/* one size each: 16, 32, ..., 496 (bin 0 unused) */
#define BINS 56u		/* then 512-1023, 1024-2047, ..., 2^31 and up */

struct chunk {
	size_t head;		/* size | IN_USE | PREV_IN_USE */
	struct chunk *next;	/* the rest only while free */
	struct chunk **pprev;	/* the pointer that points to this chunk */
};

extern unsigned char __heap_base;

static struct chunk *bins[BINS];
static uint64_t bin_map;	/* bit i: bins[i] is not empty */
static char *heap_end;		/* end of the newest region; NULL before the first use */

static size_t chunk_size(const struct chunk *c)
{
	return c->head & ~(size_t)FLAGS;
}

static struct chunk *next_chunk(const struct chunk *c)
{
	return (struct chunk *)((char *)c + chunk_size(c));
}

static struct chunk *chunk_of(void *p)
{
	return (struct chunk *)((char *)p - HDR_SZ);
}

static void *payload(struct chunk *c)
{
	return (char *)c + HDR_SZ;
}

static unsigned int bin_of(size_t sz)
{
	if (sz < SMALL_BINS * ALIGN)
		return (unsigned int)(sz / ALIGN);
	/* sz >= 512: bin 32 for 2^9..2^10-1, up to bin 54 for 2^31 and more. */
	return SMALL_BINS - 9 + (31 - (unsigned int)__builtin_clz((unsigned int)sz));
}

static void bin_insert(struct chunk *c)
{
	unsigned int b = bin_of(chunk_size(c));

	c->next = bins[b];
	if (c->next)
		c->next->pprev = &c->next;
	c->pprev = &bins[b];
	bins[b] = c;
	bin_map |= (uint64_t)1 << b;
}

static void bin_remove(struct chunk *c)
{
	unsigned int b;

	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	b = bin_of(chunk_size(c));
	if (!bins[b])
		bin_map &= ~((uint64_t)1 << b);
}

/* Make the in-use chunk c free: merge it with free neighbours and bin it. */
static void release(struct chunk *c)
{
	size_t sz = chunk_size(c);
	struct chunk *n = next_chunk(c);

	if (!(n->head & IN_USE)) {
		bin_remove(n);
		sz += chunk_size(n);
	}
	if (!(c->head & PREV_IN_USE)) {
		size_t prev_sz = *(size_t *)((char *)c - HDR_SZ);

		c = (struct chunk *)((char *)c - prev_sz);
		bin_remove(c);
		sz += prev_sz;
	}
	c->head = sz | (c->head & PREV_IN_USE);
	*(size_t *)((char *)c + sz - HDR_SZ) = sz;
	next_chunk(c)->head &= ~(size_t)PREV_IN_USE;
	bin_insert(c);
}

/* Shrink the in-use chunk c to sz bytes if what is left makes a chunk. */
static void trim(struct chunk *c, size_t sz)
{
	size_t rest = chunk_size(c) - sz;
	struct chunk *r;

	if (rest < MIN_CHUNK)
		return;
	c->head = sz | (c->head & FLAGS);
	r = next_chunk(c);
	r->head = rest | IN_USE | PREV_IN_USE;
	release(r);
}

/*
 * Add [start, end) to the heap: extend the newest region if it ends at start,
 * else begin a new one. end is page-aligned.
 */
static void add_region(char *start, char *end)
{
	struct chunk *c, *last;
	size_t flags = PREV_IN_USE;

	if (start == heap_end) {
		/* The old end header becomes the new chunk's header. */
		c = (struct chunk *)(start - HDR_SZ);
		flags = c->head & PREV_IN_USE;
	} else {
		c = (struct chunk *)(((uintptr_t)start + HDR_SZ + ALIGN - 1) / ALIGN * ALIGN -
				     HDR_SZ);
		if ((char *)c + MIN_CHUNK + HDR_SZ > end)
			return;
	}
	last = (struct chunk *)(end - HDR_SZ);
	last->head = IN_USE;
	c->head = (size_t)((char *)last - (char *)c) | IN_USE | flags;
	heap_end = end;
	release(c);
}

/* Grow memory so that a chunk of sz bytes becomes free. Returns 0 on failure. */
static int grow(size_t sz)
{
	static int started;
	size_t have = 0, pages, old;

	if (!started) {
		/* First use: the memory between the data and the end of memory. */
		started = 1;
		add_region((char *)&__heap_base,
			   (char *)(__builtin_wasm_memory_size(0) * PAGE_SZ));
		return 1;
	}
	/* A free chunk at the end of the heap merges with the new memory. */
	if (heap_end && !(((struct chunk *)(heap_end - HDR_SZ))->head & PREV_IN_USE))
		have = *(size_t *)(heap_end - 2 * HDR_SZ);
	pages = (sz - have + ALIGN + HDR_SZ + PAGE_SZ - 1) / PAGE_SZ;
	/* The last page stays out of reach: its end address would be 0. */
	if (pages >= 65536 - __builtin_wasm_memory_size(0))
		return 0;
	old = __builtin_wasm_memory_grow(0, pages);
	if (old == (size_t)-1)
		return 0;
	add_region((char *)(old * PAGE_SZ), (char *)((old + pages) * PAGE_SZ));
	return 1;
}

/* A free chunk of at least sz bytes, taken out of its bin, or NULL. */
static struct chunk *find(size_t sz)
{
	unsigned int b = bin_of(sz);
	struct chunk *c;
	uint64_t above;

	/* A small bin holds one size: its first chunk fits, if any. */
	for (c = bins[b]; c; c = c->next)
		if (chunk_size(c) >= sz)
			goto found;
	above = bin_map & (~(uint64_t)0 << b << 1);
	if (!above)
		return NULL;
	c = bins[__builtin_ctzll(above)];
found:
	bin_remove(c);
	return c;
}

static size_t request_size(size_t n)
{
	size_t sz = (n + HDR_SZ + ALIGN - 1) & ~(size_t)(ALIGN - 1);

	return sz < MIN_CHUNK ? MIN_CHUNK : sz;
}

/*
 * The allocator's entry points never call each other: the compiler knows what
 * malloc() and free() do and may draw conclusions (a fresh object, nothing
 * before it) that do not hold inside the allocator.
 */
static void *alloc(size_t n)
{
	struct chunk *c;
	size_t sz;

	if (n > MAX_REQUEST)
		goto fail;
	sz = request_size(n);
	while (!(c = find(sz)))
		if (!grow(sz))
			goto fail;
	c->head |= IN_USE;
	next_chunk(c)->head |= PREV_IN_USE;
	trim(c, sz);
	return payload(c);
fail:
	errno = ENOMEM;
	return NULL;
}

void *malloc(size_t n)
{
	return alloc(n);
}

static void dealloc(void *p)
{
	struct chunk *c;

	if (!p)
		return;
	c = chunk_of(p);
	if (!(c->head & IN_USE))
		__builtin_trap();	/* double free, or not from malloc */
	release(c);
}

void free(void *p)
{
	dealloc(p);
}

static void *zalloc(size_t cnt, size_t sz)
{
	size_t n;
	void *p;

	if (__builtin_mul_overflow(cnt, sz, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	p = alloc(n);
	if (p)
		memset(p, 0, n);
	return p;
}

void *calloc(size_t cnt, size_t sz)
{
	return zalloc(cnt, sz);
}

void *realloc(void *p, size_t n)
{
	struct chunk *c, *nx;
	size_t sz, cur;
	void *q;

	if (!p)
		return alloc(n);
	if (n > MAX_REQUEST) {
		errno = ENOMEM;
		return NULL;
	}
	c = chunk_of(p);
	if (!(c->head & IN_USE))
		__builtin_trap();
	sz = request_size(n);
	cur = chunk_size(c);
	nx = next_chunk(c);
	if (cur < sz && !(nx->head & IN_USE) && cur + chunk_size(nx) >= sz) {
		/* Take the free chunk that follows. */
		bin_remove(nx);
		cur += chunk_size(nx);
		c->head = cur | (c->head & FLAGS);
		next_chunk(c)->head |= PREV_IN_USE;
	}
	if (cur >= sz) {
		trim(c, sz);
		return p;
	}
	q = alloc(n);
	if (q) {
		memcpy(q, p, cur - HDR_SZ);
		release(c);
	}
	return q;
}

static void *alloc_aligned(size_t align, size_t n)
{
	struct chunk *c, *a;
	size_t lead;
	char *p;

	if (align <= ALIGN)
		return alloc(n);
	if (align > MAX_ALIGN || n > MAX_REQUEST - align) {
		errno = ENOMEM;
		return NULL;
	}
	p = alloc(n + align);
	if (!p)
		return NULL;
	c = chunk_of(p);
	/* Both are 16-byte aligned: a leading part, if any, is a chunk of its own. */
	lead = (size_t)(-(uintptr_t)p & (align - 1));
	if (lead) {
		a = chunk_of(p + lead);
		a->head = (chunk_size(c) - lead) | IN_USE | PREV_IN_USE;
		c->head = lead | (c->head & FLAGS);
		release(c);
		c = a;
	}
	trim(c, request_size(n));
	return payload(c);
}

/* As dlmalloc: an alignment that is not a power of two is rounded up to one. */
void *aligned_alloc(size_t align, size_t n)
{
	while (align <= MAX_ALIGN && (align & (align - 1)))
		align += align & -align;
	return alloc_aligned(align, n);
}

int posix_memalign(void **res, size_t align, size_t n)
{
	int saved = errno;
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	p = alloc_aligned(align, n);
	errno = saved;
	if (!p)
		return ENOMEM;
	*res = p;
	return 0;
}

size_t malloc_usable_size(void *p)
{
	return p ? chunk_size(chunk_of(p)) - HDR_SZ : 0;
}

/* wasi-libc's own entry points (atexit, locales), which would pull in dlmalloc.o. */
void *__libc_malloc(size_t n);
void __libc_free(void *p);
void *__libc_calloc(size_t cnt, size_t sz);

void *__libc_malloc(size_t n)
{
	return alloc(n);
}

void __libc_free(void *p)
{
	dealloc(p);
}

void *__libc_calloc(size_t cnt, size_t sz)
{
	return zalloc(cnt, sz);
}
