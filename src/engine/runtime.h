/* SPDX-License-Identifier: MIT */
/*
 * Runtime objects of the engine (engine-private): store, instances and the
 * function, memory, table and global instances they are made of; plus the
 * interfaces between instantiation (instance.c), the compiler (compile.c) and
 * the interpreter (interp.c).
 */
#ifndef WB_ENGINE_RUNTIME_H
#define WB_ENGINE_RUNTIME_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "wasm-bpf/engine.h"
#include "module.h"

struct wb_code;

struct wb_func {
	const struct wb_functype *type;	/* module's type, or own_type for host funcs */
	uint32_t type_id;		/* canonical id in the store (wb_store__intern_type) */
	struct wb_instance *inst;	/* defining instance; NULL for host functions */
	uint32_t idx;			/* index in inst's function space */
	const struct wb_func_def *def;	/* NULL for host functions */
	const struct wb_code *code;	/* compiled body; NULL for host functions */
	wb_host_fn host;		/* host functions only */
	void *user;
	char *name;			/* host functions: owned copy, may be NULL */
	struct wb_functype own_type;	/* host functions: copy of the type */
	uint8_t own_types[];		/* storage for own_type's arrays */
};

struct wb_memory {
	uint8_t *data;			/* base; stable across growth (reserved mapping) */
	uint64_t size;			/* bytes currently accessible = pages * 64 KiB */
	uint32_t pages;
	struct wb_limits limits;	/* declared limits */
	uint32_t max_pages;		/* effective cap: min(limits.max, store cap) */
	size_t reserved;		/* bytes of address space reserved at data */
};

struct wb_table {
	void **elems;			/* funcref: struct wb_func *; externref: opaque */
	uint32_t size;
	uint8_t elem_type;
	struct wb_limits limits;
	uint32_t max_elems;		/* effective cap */
};

struct wb_global {
	wb_value val;
	uint8_t type;
	bool mutable_;
};

struct wb_cleanup {
	void (*fn)(void *arg);
	void *arg;
	struct wb_cleanup *next;
};

struct wb_instance {
	struct wb_store *store;
	const struct wb_module *module;
	struct wb_func **funcs;		/* module->func_cnt */
	struct wb_table **tables;	/* module->table_cnt */
	struct wb_memory **mems;	/* module->mem_cnt */
	struct wb_global **globals;	/* module->global_cnt */
	uint32_t *type_ids;		/* module->type_cnt canonical ids */
	bool *elem_dropped;		/* module->elem_cnt */
	bool *data_dropped;		/* module->data_cnt */
	struct wb_cleanup *cleanups;	/* run newest first */
	void *user;
	struct wb_instance *next;	/* store's list */
};

/* A store-owned allocation of any kind, for freeing everything at the end. */
struct wb_store_obj {
	enum wb_extern_kind kind;
	void *ptr;
};

struct wb_store {
	struct wb_store_opts opts;	/* with defaults filled in */
	volatile sig_atomic_t interrupt;
	bool fuel_on;
	uint64_t fuel;
	struct wb_trap trap;
	void *exec;			/* interpreter state; owned by interp.c */

	struct wb_instance *instances;	/* newest first */
	struct wb_store_obj *objs;	/* funcs, memories, tables, globals */
	uint32_t obj_cnt, obj_cap;

	/* Canonical function types (deep copies); id = index. */
	struct wb_functype *ctypes;
	uint32_t ctype_cnt, ctype_cap;
};

/* Defaults for store limits. */
#define WB_DEFAULT_CALL_DEPTH 20000u
#define WB_DEFAULT_STACK_BYTES (16u << 20)
#define WB_DEFAULT_MAX_TABLE_ELEMS 10000000u

/*
 * The interrupt and fuel check made at calls and loop back-edges, outside
 * the interpreter's loop (the JIT, the calls from machine code): 0, or the
 * trap kind to raise. Takes one unit of fuel when fuel is on.
 */
static inline int wb_store__poll(struct wb_store *s)
{
	if (s->interrupt)
		return WB_TRAP_INTERRUPTED;
	if (s->fuel_on) {
		if (!s->fuel)
			return WB_TRAP_OUT_OF_FUEL;
		s->fuel--;
	}
	return 0;
}

/* store.c */
/* Canonical id of a function type within the store (structural equality). */
int wb_store__intern_type(struct wb_store *s, const struct wb_functype *t, uint32_t *id);
/* Record a trap of kind (detail NULL = the kind's static message). Returns WB_TRAPPED. */
int wb_store__set_trap(struct wb_store *s, enum wb_trap_kind kind, const char *detail);
int wb_store__add_obj(struct wb_store *s, enum wb_extern_kind kind, void *ptr);
bool wb_functype__equal(const struct wb_functype *a, const struct wb_functype *b);

/* memory.c */
struct wb_memory *wb_memory__create(struct wb_store *s, const struct wb_limits *limits);
/* table.c */
struct wb_table *wb_table__create(struct wb_store *s, uint8_t elem_type,
				  const struct wb_limits *limits, void *init);
/* Grow by delta with init; returns old size or -1 (the table.grow semantics). */
int64_t wb_table__grow(struct wb_table *t, uint32_t delta, void *init);

/* Destructors of store objects (store.c calls them). NULL is a no-op. */
void wb_memory__free(struct wb_memory *mem);
void wb_table__free(struct wb_table *t);
/* Free an instance's own arrays and cleanup records (not its store objects). */
void wb_instance__release(struct wb_instance *inst);

/* linker.c: the extern defined as module.name, or NULL. Borrowed. */
const struct wb_extern *wb_linker__lookup(const struct wb_linker *l, const char *module,
					  uint32_t module_len, const char *name,
					  uint32_t name_len);

/* compile.c: compile every defined function of a validated module
 * (sets m->funcs[i].code; with jit, also to machine code where the JIT
 * accepts them, m->jit). Returns 0 or -errno with err filled. */
int wb_compile(struct wb_module *m, bool jit, struct wb_error *err);
void wb_code__free(struct wb_code *code);

/* interp.c */
/* Create/destroy the interpreter state of a store (s->exec). */
int wb_exec__init(struct wb_store *s);
void wb_exec__fini(struct wb_store *s);
/*
 * Call f (Wasm or host) with args (f->type->param_cnt values), writing
 * results. Returns 0 or WB_TRAPPED (s->trap filled, with the frames of the
 * guest stack). Re-entrant: a host function may call this again.
 */
int wb_interp__call(struct wb_store *s, struct wb_func *f, const wb_value *args,
		    wb_value *results);

#endif /* WB_ENGINE_RUNTIME_H */
