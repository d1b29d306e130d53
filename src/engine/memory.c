/* SPDX-License-Identifier: MIT */
/*
 * Linear memory: a reserved mapping that grows in place with mprotect, so
 * its base never moves, and the bounds-checked helpers of the public API.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "runtime.h"

/* Base of memories that can never hold a byte (max 0 pages). */
static uint8_t empty_memory[8];

struct wb_memory *wb_memory__create(struct wb_store *s, const struct wb_limits *limits)
{
	struct wb_memory *mem;
	uint32_t max_pages;
	void *p;

	if (!s || !limits) {
		errno = EINVAL;
		return NULL;
	}
	max_pages = limits->has_max ? limits->max : WB_MAX_PAGES;
	if (max_pages > WB_MAX_PAGES)
		max_pages = WB_MAX_PAGES;
	if (max_pages > s->opts.max_memory_pages)
		max_pages = s->opts.max_memory_pages;
	if (limits->min > max_pages) {
		errno = ENOMEM;
		return NULL;
	}

	mem = calloc(1, sizeof(*mem));
	if (!mem) {
		errno = ENOMEM;
		return NULL;
	}
	mem->limits = *limits;
	mem->max_pages = max_pages;
	mem->reserved = (size_t)max_pages * WB_PAGE_SIZE;
	if (!mem->reserved) {
		mem->data = empty_memory;
		return mem;
	}

	/* Reserve address space only; pages become usable as memory grows. */
	p = mmap(NULL, mem->reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED) {
		free(mem);
		errno = ENOMEM;
		return NULL;
	}
	mem->data = p;
	if (limits->min) {
		mem->size = (uint64_t)limits->min * WB_PAGE_SIZE;
		if (mprotect(p, mem->size, PROT_READ | PROT_WRITE)) {
			munmap(p, mem->reserved);
			free(mem);
			errno = ENOMEM;
			return NULL;
		}
		mem->pages = limits->min;
	}
	return mem;
}

void wb_memory__free(struct wb_memory *mem)
{
	if (!mem)
		return;
	if (mem->reserved)
		munmap(mem->data, mem->reserved);
	free(mem);
}

struct wb_memory *wb_memory__new(struct wb_store *store, const struct wb_limits *limits)
{
	struct wb_memory *mem;

	mem = wb_memory__create(store, limits);
	if (!mem)
		return NULL;
	if (wb_store__add_obj(store, WB_EXTERN_MEMORY, mem)) {
		wb_memory__free(mem);
		errno = ENOMEM;
		return NULL;
	}
	return mem;
}

uint8_t *wb_memory__data(const struct wb_memory *mem)
{
	return mem ? mem->data : NULL;
}

uint64_t wb_memory__size(const struct wb_memory *mem)
{
	return mem ? mem->size : 0;
}

uint32_t wb_memory__pages(const struct wb_memory *mem)
{
	return mem ? mem->pages : 0;
}

int64_t wb_memory__grow(struct wb_memory *mem, uint32_t delta)
{
	uint32_t old;
	uint64_t add;

	if (!mem)
		return -1;
	old = mem->pages;
	if (delta == 0)
		return old;
	if ((uint64_t)old + delta > mem->max_pages)
		return -1;
	add = (uint64_t)delta * WB_PAGE_SIZE;
	if (mprotect(mem->data + mem->size, add, PROT_READ | PROT_WRITE))
		return -1;
	mem->size += add;
	mem->pages = old + delta;
	return old;
}

void wb_memory__limits(const struct wb_memory *mem, struct wb_limits *out)
{
	if (!mem || !out)
		return;
	/* The spec's type of a memory instance: its current size as minimum. */
	out->min = mem->pages;
	out->max = mem->limits.max;
	out->has_max = mem->limits.has_max;
}

void *wb_memory__ptr(const struct wb_memory *mem, uint64_t off, uint64_t len)
{
	if (!mem || off > mem->size || len > mem->size - off)
		return NULL;
	return mem->data + off;
}

const char *wb_memory__str(const struct wb_memory *mem, uint64_t off, size_t max_len)
{
	const char *p;
	uint64_t n;

	if (!mem || off >= mem->size || !max_len)
		return NULL;
	n = mem->size - off;
	if (n > max_len)
		n = max_len;
	p = (const char *)mem->data + off;
	return memchr(p, '\0', n) ? p : NULL;
}
