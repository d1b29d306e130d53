/* SPDX-License-Identifier: MIT */
/*
 * The embedding API of the wasm-bpf WebAssembly 2.0 engine: load and validate
 * modules, link imports (host functions or other instances' exports),
 * instantiate, call, and reach linear memory with bounds-checked helpers.
 *
 * This header is the only way the rest of the project (WASI, the eBPF host
 * interface, the CLI, the tests) touches the engine.
 *
 * Object model (close to the WebAssembly spec's "store"):
 *   - struct wb_module   a decoded, validated and compiled module; immutable,
 *                        may be instantiated any number of times.
 *   - struct wb_store    owns every runtime object (instances, functions,
 *                        memories, tables, globals) and the execution stack.
 *                        Freeing the store frees them all. Not thread-safe:
 *                        one thread uses a store at a time, except for
 *                        wb_store__interrupt().
 *   - struct wb_linker   a name -> extern map used to resolve imports.
 *
 * Return conventions (libbpf's): int results are 0 or a negative errno;
 * pointer results are NULL with errno set. A trap is not an API failure:
 * calls return WB_TRAPPED and the trap is read with wb_store__trap().
 */
#ifndef WASM_BPF_ENGINE_H
#define WASM_BPF_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Options structs start with their own size (libbpf's OPTS pattern). */
#define WB_OPTS(TYPE, NAME, ...) \
	struct TYPE NAME = { .sz = sizeof(struct TYPE), __VA_ARGS__ }

#define WB_PAGE_SIZE 65536u
#define WB_MAX_PAGES 65536u

/* Value types, numbered as in the binary format. */
enum wb_valtype {
	WB_I32 = 0x7f,
	WB_I64 = 0x7e,
	WB_F32 = 0x7d,
	WB_F64 = 0x7c,
	WB_V128 = 0x7b,
	WB_FUNCREF = 0x70,
	WB_EXTERNREF = 0x6f,
};

/*
 * One value. Floats are carried as their bit patterns (f32/f64 members alias
 * the same bits; NaN payloads are preserved). A funcref is a struct wb_func *
 * or NULL; an externref is any host pointer-sized value, NULL being null.
 */
typedef union wb_value {
	uint32_t i32;
	uint64_t i64;
	float f32;
	double f64;
	void *ref;
} wb_value;

/* A function type. Arrays hold enum wb_valtype bytes; borrowed from the module or store. */
struct wb_functype {
	uint32_t param_cnt;
	uint32_t result_cnt;
	const uint8_t *params;
	const uint8_t *results;
};

struct wb_limits {
	uint32_t min;
	uint32_t max;
	bool has_max;
};

enum wb_extern_kind {
	WB_EXTERN_FUNC = 0,
	WB_EXTERN_TABLE = 1,
	WB_EXTERN_MEMORY = 2,
	WB_EXTERN_GLOBAL = 3,
};

struct wb_module;
struct wb_store;
struct wb_linker;
struct wb_instance;
struct wb_func;
struct wb_table;
struct wb_memory;
struct wb_global;

/* A reference to a runtime object of some kind; borrowed from the store. */
struct wb_extern {
	enum wb_extern_kind kind;
	union {
		struct wb_func *func;
		struct wb_table *table;
		struct wb_memory *memory;
		struct wb_global *global;
	};
};

/* ---------------------------------------------------------------- errors */

enum wb_error_kind {
	WB_ERR_NONE = 0,
	WB_ERR_MALFORMED,	/* the bytes are not a well-formed binary module */
	WB_ERR_INVALID,		/* well-formed, but fails validation */
	WB_ERR_UNLINKABLE,	/* an import is missing or has the wrong type */
	WB_ERR_TRAP,		/* instantiation trapped (segment init or start) */
	WB_ERR_RESOURCE,	/* out of memory or over a store limit */
};

/*
 * Where and why loading or instantiation failed. `msg` is a static string
 * using the spec's wording where it has one ("unexpected end", "type
 * mismatch", "unknown import", ...). `detail` adds specifics.
 */
struct wb_error {
	enum wb_error_kind kind;
	const char *msg;	/* static; never NULL after a failure */
	int section;		/* section id, or -1 */
	int64_t func_idx;	/* function index (in the function space), or -1 */
	size_t offset;		/* byte offset in the module, or 0 */
	char detail[192];
};

/* Format err as one line into buf ("invalid module: type mismatch (code
 * section, function 3, offset 0x1a2): ..."). Returns buf. */
const char *wb_error__format(const struct wb_error *err, char *buf, size_t buf_sz);

/* ---------------------------------------------------------------- traps */

enum wb_trap_kind {
	WB_TRAP_NONE = 0,
	WB_TRAP_UNREACHABLE,		/* "unreachable" */
	WB_TRAP_MEMORY_OOB,		/* "out of bounds memory access" */
	WB_TRAP_TABLE_OOB,		/* "out of bounds table access" */
	WB_TRAP_UNDEFINED_ELEMENT,	/* "undefined element" (call_indirect index >= size) */
	WB_TRAP_UNINITIALIZED_ELEMENT,	/* "uninitialized element" (null funcref called) */
	WB_TRAP_INDIRECT_TYPE,		/* "indirect call type mismatch" */
	WB_TRAP_DIV_ZERO,		/* "integer divide by zero" */
	WB_TRAP_INT_OVERFLOW,		/* "integer overflow" */
	WB_TRAP_INVALID_CONVERSION,	/* "invalid conversion to integer" */
	WB_TRAP_STACK_EXHAUSTED,	/* "call stack exhausted" */
	WB_TRAP_INTERRUPTED,		/* "interrupted" (wb_store__interrupt) */
	WB_TRAP_OUT_OF_FUEL,		/* "out of fuel" */
	WB_TRAP_HOST,			/* a host function failed (message from the host) */
	WB_TRAP_EXIT,			/* a host function asked to exit (WASI proc_exit) */
};

/* Static message of a trap kind, in the spec's wording. */
const char *wb_trap_kind__str(enum wb_trap_kind kind);

#define WB_TRAPPED 1		/* returned by calls that ended in a trap */
#define WB_TRAP_MAX_FRAMES 32

struct wb_trap_frame {
	const struct wb_module *module;	/* NULL for a host function */
	uint32_t func_idx;		/* index in the module's function space */
	uint32_t code_offset;		/* byte offset in the module of the trapping
					 * instruction (innermost frame; 0 if unknown) */
};

struct wb_trap {
	enum wb_trap_kind kind;
	const char *msg;		/* static, or points into detail */
	int exit_code;			/* for WB_TRAP_EXIT */
	uint32_t frame_cnt;		/* innermost first */
	struct wb_trap_frame frames[WB_TRAP_MAX_FRAMES];
	char detail[256];		/* host trap messages */
};

/* ---------------------------------------------------------------- modules */

struct wb_module_opts {
	size_t sz;
	/*
	 * Compile the module's functions to x86-64 machine code as well (a
	 * baseline JIT; ignored on other machines). Functions the JIT declines
	 * stay interpreted; results and traps are the same either way. The code
	 * lives in memory that is writable while it is made and executable
	 * afterwards, never both. Every store that instantiates the module runs
	 * its compiled code.
	 */
	bool jit;
};

/*
 * Decode, validate and compile a binary module. buf is copied; the caller
 * keeps ownership. On failure returns NULL, sets errno (EINVAL for malformed
 * or invalid modules, ENOMEM) and fills *err when err is not NULL.
 */
struct wb_module *wb_module__new(const void *buf, size_t buf_sz,
				 const struct wb_module_opts *opts,
				 struct wb_error *err);
/* Free a module. Instances made from it must be gone (their store freed). NULL is a no-op. */
void wb_module__free(struct wb_module *module);

struct wb_import_desc {
	const char *module;		/* NUL-terminated copy; names may hold NUL: see *_len */
	uint32_t module_len;
	const char *name;
	uint32_t name_len;
	enum wb_extern_kind kind;
	struct wb_functype func;	/* WB_EXTERN_FUNC */
	uint8_t elem_type;		/* WB_EXTERN_TABLE: WB_FUNCREF or WB_EXTERNREF */
	struct wb_limits limits;	/* WB_EXTERN_TABLE, WB_EXTERN_MEMORY */
	uint8_t valtype;		/* WB_EXTERN_GLOBAL */
	bool mutable_;			/* WB_EXTERN_GLOBAL */
};

struct wb_export_desc {
	const char *name;		/* NUL-terminated copy, borrowed from the module */
	uint32_t name_len;
	enum wb_extern_kind kind;
	uint32_t index;			/* index in the kind's index space */
	struct wb_functype func;	/* WB_EXTERN_FUNC */
};

uint32_t wb_module__import_cnt(const struct wb_module *module);
/* Fill *out with import i (strings borrowed from the module). -ERANGE if i is out of range. */
int wb_module__import(const struct wb_module *module, uint32_t i, struct wb_import_desc *out);
uint32_t wb_module__export_cnt(const struct wb_module *module);
int wb_module__export(const struct wb_module *module, uint32_t i, struct wb_export_desc *out);

/* Data segments (for tools that look for embedded files, e.g. eBPF ELF objects). */
uint32_t wb_module__data_cnt(const struct wb_module *module);
/* Borrowed pointer to segment i's bytes; -ERANGE if out of range. */
int wb_module__data(const struct wb_module *module, uint32_t i,
		    const uint8_t **bytes, uint32_t *len);

/* Name of function idx from the "name" custom section, or NULL. Borrowed. */
const char *wb_module__func_name(const struct wb_module *module, uint32_t func_idx);

/* ---------------------------------------------------------------- store */

struct wb_store_opts {
	size_t sz;
	uint32_t max_memory_pages;	/* cap for every memory; 0 = 65536 (4 GiB) */
	uint32_t max_call_depth;	/* Wasm frames; 0 = default (see docs) */
	size_t stack_bytes;		/* value stack size; 0 = default (see docs) */
	uint64_t fuel;			/* 0 = unlimited; otherwise instructions budget
					 * (approximate: counted at calls and loop back-edges) */
	uint32_t max_table_elems;	/* cap for every table; 0 = 10,000,000 */
};

/* New empty store; NULL with errno on failure. opts may be NULL. */
struct wb_store *wb_store__new(const struct wb_store_opts *opts);
/* Free the store and everything in it; instance cleanups run in reverse
 * order of instantiation. NULL is a no-op. */
void wb_store__free(struct wb_store *store);

/*
 * Ask the running guest to stop: the next function entry or loop back-edge
 * traps with WB_TRAP_INTERRUPTED. Async-signal-safe; may be called from
 * another thread. The flag stays set until wb_store__clear_interrupt().
 */
void wb_store__interrupt(struct wb_store *store);
void wb_store__clear_interrupt(struct wb_store *store);

/* The trap that ended the last call that returned WB_TRAPPED. Borrowed. */
const struct wb_trap *wb_store__trap(const struct wb_store *store);

/* Remaining fuel (when fuel was set). */
uint64_t wb_store__fuel(const struct wb_store *store);

/* ---------------------------------------------------------------- host functions */

/* What a host function receives besides its arguments. */
struct wb_hostcall {
	struct wb_store *store;
	struct wb_instance *caller;	/* instance whose code called; NULL if called
					 * directly through wb_func__call */
	void *user;			/* user data given at definition */
};

/*
 * A host function. args has type->param_cnt values, results room for
 * type->result_cnt. Returns 0, or the value of wb_hostcall__trap() /
 * wb_hostcall__exit() to end the guest call. A host function may call back
 * into any instance of the same store (re-entrancy is supported).
 */
typedef int (*wb_host_fn)(const struct wb_hostcall *hc, const wb_value *args,
			  wb_value *results);

/* Record a host trap with a formatted message; returns WB_TRAPPED. */
int wb_hostcall__trap(const struct wb_hostcall *hc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Record an exit request (WB_TRAP_EXIT with code); returns WB_TRAPPED. */
int wb_hostcall__exit(const struct wb_hostcall *hc, int code);

/*
 * Create a host function in the store. type's arrays are copied. name is
 * for stack traces (copied; may be NULL). Returns NULL with errno on failure.
 */
struct wb_func *wb_func__new_host(struct wb_store *store, const struct wb_functype *type,
				  wb_host_fn fn, void *user, const char *name);

/* ---------------------------------------------------------------- other externs */

/* Create a memory / table / global owned by the store (for hosts that export them). */
struct wb_memory *wb_memory__new(struct wb_store *store, const struct wb_limits *limits);
struct wb_table *wb_table__new(struct wb_store *store, uint8_t elem_type,
			       const struct wb_limits *limits, void *init);
struct wb_global *wb_global__new(struct wb_store *store, uint8_t valtype, bool mutable_,
				 wb_value init);

/* ---------------------------------------------------------------- linker */

struct wb_linker *wb_linker__new(void);
/* NULL is a no-op. Does not free the externs (the store owns them). */
void wb_linker__free(struct wb_linker *linker);
/* Define module.name as ext (a later definition of the same name replaces it). */
int wb_linker__define(struct wb_linker *linker, const char *module, const char *name,
		      const struct wb_extern *ext);
/* Same, with explicit lengths (names may contain NUL bytes). */
int wb_linker__define_n(struct wb_linker *linker, const char *module, uint32_t module_len,
			const char *name, uint32_t name_len, const struct wb_extern *ext);
/* Shortcut: wb_func__new_host() + wb_linker__define(). */
int wb_linker__define_host(struct wb_linker *linker, struct wb_store *store,
			   const char *module, const char *name,
			   const struct wb_functype *type, wb_host_fn fn, void *user);
/* Define every export of inst under module name `module`. */
int wb_linker__define_instance(struct wb_linker *linker, const char *module,
			       struct wb_instance *inst);

/* ---------------------------------------------------------------- instances */

/*
 * Instantiate module in store, resolving imports through linker (may be NULL
 * when the module imports nothing): allocate memories, tables and globals,
 * apply element and data segments, run the start function. On failure
 * returns NULL, sets errno and fills *err (WB_ERR_UNLINKABLE, WB_ERR_TRAP with
 * the trap message, WB_ERR_RESOURCE). As the spec says, effects of segments
 * applied before a trap remain visible in imported memories and tables.
 */
struct wb_instance *wb_instance__new(struct wb_store *store, const struct wb_module *module,
				     const struct wb_linker *linker, struct wb_error *err);

const struct wb_module *wb_instance__module(const struct wb_instance *inst);
struct wb_store *wb_instance__store(const struct wb_instance *inst);

/* Look up an export by name. -ENOENT if there is none. */
int wb_instance__export(const struct wb_instance *inst, const char *name, struct wb_extern *out);
/* Exported function by name, or NULL (errno ENOENT, or EINVAL if not a function). */
struct wb_func *wb_instance__func(const struct wb_instance *inst, const char *name);
/* Memory 0 of the instance (exported or not), or NULL if it has none. */
struct wb_memory *wb_instance__memory(const struct wb_instance *inst);
/* Table idx of the instance, or NULL. */
struct wb_table *wb_instance__table(const struct wb_instance *inst, uint32_t idx);

/* Register fn(arg) to run when the store is freed (reverse order). */
int wb_instance__on_free(struct wb_instance *inst, void (*fn)(void *arg), void *arg);
/* One pointer of embedder data per instance. */
void wb_instance__set_user(struct wb_instance *inst, void *user);
void *wb_instance__user(const struct wb_instance *inst);

/* ---------------------------------------------------------------- calls */

const struct wb_functype *wb_func__type(const struct wb_func *func);

/*
 * Call func. arg_cnt/result_cnt must match its type (-EINVAL otherwise).
 * Returns 0, WB_TRAPPED (see wb_store__trap), or a negative errno.
 */
int wb_func__call(struct wb_store *store, struct wb_func *func,
		  const wb_value *args, uint32_t arg_cnt,
		  wb_value *results, uint32_t result_cnt);

/* Call the exported function `name` of inst. -ENOENT if there is none. */
int wb_instance__call(struct wb_instance *inst, const char *name,
		      const wb_value *args, uint32_t arg_cnt,
		      wb_value *results, uint32_t result_cnt);

/*
 * Call element elem_idx of table table_idx of inst, which must be a function
 * of exactly type `expect` (NULL = any). Errors, not traps, for a bad entry:
 * -ENOENT no such table, -ERANGE index out of range, -EFAULT null entry,
 * -EINVAL type mismatch. Otherwise as wb_func__call.
 */
int wb_instance__call_table(struct wb_instance *inst, uint32_t table_idx, uint32_t elem_idx,
			    const struct wb_functype *expect,
			    const wb_value *args, uint32_t arg_cnt,
			    wb_value *results, uint32_t result_cnt);

/* ---------------------------------------------------------------- memory */

/*
 * Host pointers into linear memory are valid until the memory grows or the
 * guest runs again (a guest call may grow it); fetch them again after either.
 */
uint8_t *wb_memory__data(const struct wb_memory *mem);
uint64_t wb_memory__size(const struct wb_memory *mem);		/* bytes */
uint32_t wb_memory__pages(const struct wb_memory *mem);
/* Grow by delta pages; returns the old size in pages, or -1 (limits). */
int64_t wb_memory__grow(struct wb_memory *mem, uint32_t delta);

/* Pointer to [off, off+len) if it lies inside memory (no overflow), else NULL. */
void *wb_memory__ptr(const struct wb_memory *mem, uint64_t off, uint64_t len);
/* Pointer to a NUL-terminated string at off if the NUL lies inside memory and
 * within max_len bytes (max_len counts the NUL), else NULL. */
const char *wb_memory__str(const struct wb_memory *mem, uint64_t off, size_t max_len);

/* ---------------------------------------------------------------- tables and globals */

uint32_t wb_table__size(const struct wb_table *table);
uint8_t wb_table__elem_type(const struct wb_table *table);
/* Element idx into *out; -ERANGE if out of range. */
int wb_table__get(const struct wb_table *table, uint32_t idx, void **out);
int wb_table__set(struct wb_table *table, uint32_t idx, void *ref);

uint8_t wb_global__type(const struct wb_global *global);
bool wb_global__mutable(const struct wb_global *global);
wb_value wb_global__get(const struct wb_global *global);
/* -EPERM if immutable. */
int wb_global__set(struct wb_global *global, wb_value val);

/* Type of a function, memory limits, table limits (for import checks by tools). */
void wb_memory__limits(const struct wb_memory *mem, struct wb_limits *out);
void wb_table__limits(const struct wb_table *table, struct wb_limits *out);

#ifdef __cplusplus
}
#endif

#endif /* WASM_BPF_ENGINE_H */
