/* SPDX-License-Identifier: MIT */
/*
 * The store: ownership of every runtime object, canonical function types,
 * trap recording, the interrupt flag and fuel.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

static const char *const trap_msgs[] = {
	[WB_TRAP_NONE] = "no trap",
	[WB_TRAP_UNREACHABLE] = "unreachable",
	[WB_TRAP_MEMORY_OOB] = "out of bounds memory access",
	[WB_TRAP_TABLE_OOB] = "out of bounds table access",
	[WB_TRAP_UNDEFINED_ELEMENT] = "undefined element",
	[WB_TRAP_UNINITIALIZED_ELEMENT] = "uninitialized element",
	[WB_TRAP_INDIRECT_TYPE] = "indirect call type mismatch",
	[WB_TRAP_DIV_ZERO] = "integer divide by zero",
	[WB_TRAP_INT_OVERFLOW] = "integer overflow",
	[WB_TRAP_INVALID_CONVERSION] = "invalid conversion to integer",
	[WB_TRAP_STACK_EXHAUSTED] = "call stack exhausted",
	[WB_TRAP_INTERRUPTED] = "interrupted",
	[WB_TRAP_OUT_OF_FUEL] = "out of fuel",
	[WB_TRAP_HOST] = "host error",
	[WB_TRAP_EXIT] = "exit",
};

const char *wb_trap_kind__str(enum wb_trap_kind kind)
{
	if ((unsigned int)kind >= sizeof(trap_msgs) / sizeof(trap_msgs[0]) || !trap_msgs[kind])
		return "unknown trap";
	return trap_msgs[kind];
}

struct wb_store *wb_store__new(const struct wb_store_opts *opts)
{
	struct wb_store *s;
	size_t sz;
	int err;

	s = calloc(1, sizeof(*s));
	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	/* Copy what the caller's version of the struct has (libbpf's OPTS rule). */
	if (opts) {
		sz = opts->sz < sizeof(*opts) ? opts->sz : sizeof(*opts);
		if (sz > sizeof(size_t))
			memcpy((char *)&s->opts + sizeof(size_t),
			       (const char *)opts + sizeof(size_t), sz - sizeof(size_t));
	}
	s->opts.sz = sizeof(s->opts);
	if (!s->opts.max_memory_pages || s->opts.max_memory_pages > WB_MAX_PAGES)
		s->opts.max_memory_pages = WB_MAX_PAGES;
	if (!s->opts.max_call_depth)
		s->opts.max_call_depth = WB_DEFAULT_CALL_DEPTH;
	if (!s->opts.stack_bytes)
		s->opts.stack_bytes = WB_DEFAULT_STACK_BYTES;
	if (!s->opts.max_table_elems)
		s->opts.max_table_elems = WB_DEFAULT_MAX_TABLE_ELEMS;
	s->fuel_on = s->opts.fuel != 0;
	s->fuel = s->opts.fuel;

	err = wb_exec__init(s);
	if (err) {
		free(s);
		errno = err < 0 ? -err : ENOMEM;
		return NULL;
	}
	return s;
}

static void store_obj__free(struct wb_store_obj *o)
{
	struct wb_func *f;

	switch (o->kind) {
	case WB_EXTERN_FUNC:
		f = o->ptr;
		free(f->name);
		free(f);
		break;
	case WB_EXTERN_TABLE:
		wb_table__free(o->ptr);
		break;
	case WB_EXTERN_MEMORY:
		wb_memory__free(o->ptr);
		break;
	case WB_EXTERN_GLOBAL:
		free(o->ptr);
		break;
	}
}

void wb_instance__release(struct wb_instance *inst)
{
	struct wb_cleanup *c, *next;

	if (!inst)
		return;
	for (c = inst->cleanups; c; c = next) {
		next = c->next;
		free(c);
	}
	free(inst->funcs);
	free(inst->tables);
	free(inst->mems);
	free(inst->globals);
	free(inst->type_ids);
	free(inst->elem_dropped);
	free(inst->data_dropped);
	free(inst);
}

void wb_store__free(struct wb_store *s)
{
	struct wb_instance *inst, *next;
	struct wb_cleanup *c;
	uint32_t i;

	if (!s)
		return;

	/* Embedder state (WASI, eBPF objects) goes first, newest instance first,
	 * while every runtime object it may refer to is still alive. */
	for (inst = s->instances; inst; inst = inst->next) {
		for (c = inst->cleanups; c; c = c->next)
			c->fn(c->arg);
	}
	for (inst = s->instances; inst; inst = next) {
		next = inst->next;
		wb_instance__release(inst);
	}
	for (i = 0; i < s->obj_cnt; i++)
		store_obj__free(&s->objs[i]);
	free(s->objs);
	for (i = 0; i < s->ctype_cnt; i++)
		free((void *)s->ctypes[i].params);
	free(s->ctypes);
	wb_exec__fini(s);
	free(s);
}

void wb_store__interrupt(struct wb_store *store)
{
	/* Only a store to the sig_atomic_t: safe from a signal handler. */
	if (store)
		store->interrupt = 1;
}

void wb_store__clear_interrupt(struct wb_store *store)
{
	if (store)
		store->interrupt = 0;
}

const struct wb_trap *wb_store__trap(const struct wb_store *store)
{
	return store ? &store->trap : NULL;
}

uint64_t wb_store__fuel(const struct wb_store *store)
{
	return store ? store->fuel : 0;
}

bool wb_functype__equal(const struct wb_functype *a, const struct wb_functype *b)
{
	if (a == b)
		return true;
	if (!a || !b)
		return false;
	if (a->param_cnt != b->param_cnt || a->result_cnt != b->result_cnt)
		return false;
	if (a->param_cnt && memcmp(a->params, b->params, a->param_cnt))
		return false;
	if (a->result_cnt && memcmp(a->results, b->results, a->result_cnt))
		return false;
	return true;
}

int wb_store__intern_type(struct wb_store *s, const struct wb_functype *t, uint32_t *id)
{
	struct wb_functype *ct, *arr;
	uint8_t *pool = NULL;
	size_t n;
	uint32_t i, cap;

	for (i = 0; i < s->ctype_cnt; i++) {
		if (wb_functype__equal(&s->ctypes[i], t)) {
			*id = i;
			return 0;
		}
	}
	if (s->ctype_cnt == s->ctype_cap) {
		cap = s->ctype_cap ? s->ctype_cap * 2 : 16;
		arr = realloc(s->ctypes, (size_t)cap * sizeof(*arr));
		if (!arr)
			return -ENOMEM;
		s->ctypes = arr;
		s->ctype_cap = cap;
	}
	n = (size_t)t->param_cnt + t->result_cnt;
	if (n) {
		pool = malloc(n);
		if (!pool)
			return -ENOMEM;
		if (t->param_cnt)
			memcpy(pool, t->params, t->param_cnt);
		if (t->result_cnt)
			memcpy(pool + t->param_cnt, t->results, t->result_cnt);
	}
	ct = &s->ctypes[s->ctype_cnt];
	ct->param_cnt = t->param_cnt;
	ct->result_cnt = t->result_cnt;
	ct->params = pool;
	ct->results = pool ? pool + t->param_cnt : NULL;
	*id = s->ctype_cnt++;
	return 0;
}

int wb_store__set_trap(struct wb_store *s, enum wb_trap_kind kind, const char *detail)
{
	struct wb_trap *t = &s->trap;

	t->kind = kind;
	t->exit_code = 0;
	t->frame_cnt = 0;
	if (detail) {
		/* wb_hostcall__trap formats straight into detail. */
		if (detail != t->detail)
			snprintf(t->detail, sizeof(t->detail), "%s", detail);
		t->msg = t->detail;
	} else {
		t->detail[0] = '\0';
		t->msg = wb_trap_kind__str(kind);
	}
	return WB_TRAPPED;
}

int wb_store__add_obj(struct wb_store *s, enum wb_extern_kind kind, void *ptr)
{
	struct wb_store_obj *arr;
	uint32_t cap;

	if (s->obj_cnt == s->obj_cap) {
		cap = s->obj_cap ? s->obj_cap * 2 : 32;
		arr = realloc(s->objs, (size_t)cap * sizeof(*arr));
		if (!arr)
			return -ENOMEM;
		s->objs = arr;
		s->obj_cap = cap;
	}
	s->objs[s->obj_cnt].kind = kind;
	s->objs[s->obj_cnt].ptr = ptr;
	s->obj_cnt++;
	return 0;
}

int wb_hostcall__trap(const struct wb_hostcall *hc, const char *fmt, ...)
{
	struct wb_store *s = hc->store;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->trap.detail, sizeof(s->trap.detail), fmt, ap);
	va_end(ap);
	return wb_store__set_trap(s, WB_TRAP_HOST, s->trap.detail);
}

int wb_hostcall__exit(const struct wb_hostcall *hc, int code)
{
	struct wb_store *s = hc->store;

	wb_store__set_trap(s, WB_TRAP_EXIT, NULL);
	s->trap.exit_code = code;
	return WB_TRAPPED;
}
