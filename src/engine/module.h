/* SPDX-License-Identifier: MIT */
/*
 * Internal representation of a decoded module (engine-private). Filled by
 * decode.c, checked by validate.c, compiled by compile.c, read by instance.c.
 */
#ifndef WB_ENGINE_MODULE_H
#define WB_ENGINE_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasm-bpf/engine.h"

/* Section ids of the binary format. */
enum wb_section_id {
	WB_SEC_CUSTOM = 0,
	WB_SEC_TYPE = 1,
	WB_SEC_IMPORT = 2,
	WB_SEC_FUNCTION = 3,
	WB_SEC_TABLE = 4,
	WB_SEC_MEMORY = 5,
	WB_SEC_GLOBAL = 6,
	WB_SEC_EXPORT = 7,
	WB_SEC_START = 8,
	WB_SEC_ELEMENT = 9,
	WB_SEC_CODE = 10,
	WB_SEC_DATA = 11,
	WB_SEC_DATACOUNT = 12,
};

/* A name: NUL-terminated heap copy plus its real length (may contain NUL). */
struct wb_name {
	char *str;
	uint32_t len;
};

/*
 * A constant expression. In WebAssembly 2.0 it is exactly one instruction
 * followed by `end`: t.const, ref.null t, ref.func x or global.get x.
 */
struct wb_const_expr {
	uint8_t op;		/* 0x41 i32.const, 0x42 i64.const, 0x43 f32.const,
				 * 0x44 f64.const, 0xd0 ref.null, 0xd2 ref.func,
				 * 0x23 global.get */
	uint8_t type;		/* result type (valtype) */
	uint32_t idx;		/* ref.func / global.get index */
	wb_value val;		/* constants (float bits) */
	uint32_t offset;	/* byte offset of the expression in the module */
};

struct wb_table_type {
	uint8_t elem_type;	/* WB_FUNCREF / WB_EXTERNREF */
	struct wb_limits limits;
};

struct wb_global_type {
	uint8_t valtype;
	bool mutable_;
};

struct wb_import {
	struct wb_name module;
	struct wb_name name;
	uint8_t kind;		/* enum wb_extern_kind */
	union {
		uint32_t type_idx;		/* func */
		struct wb_table_type table;
		struct wb_limits memory;
		struct wb_global_type global;
	};
	uint32_t offset;	/* byte offset of the entry in the module */
};

struct wb_export {
	struct wb_name name;
	uint8_t kind;		/* enum wb_extern_kind */
	uint32_t idx;
	uint32_t offset;	/* byte offset of the entry in the module */
};

struct wb_global_def {
	struct wb_global_type type;
	struct wb_const_expr init;
};

enum wb_seg_mode {
	WB_SEG_ACTIVE = 0,
	WB_SEG_PASSIVE = 1,
	WB_SEG_DECLARATIVE = 2,
};

struct wb_elem_seg {
	uint8_t mode;			/* enum wb_seg_mode */
	uint8_t elem_type;		/* WB_FUNCREF / WB_EXTERNREF */
	uint32_t table_idx;		/* active */
	struct wb_const_expr offset;	/* active */
	uint32_t item_cnt;
	struct wb_const_expr *items;	/* each ref.func x or ref.null t (or global.get) */
};

struct wb_data_seg {
	uint8_t mode;			/* WB_SEG_ACTIVE / WB_SEG_PASSIVE */
	uint32_t mem_idx;
	struct wb_const_expr offset;
	const uint8_t *bytes;		/* points into wb_module.bytes */
	uint32_t len;
};

struct wb_code;				/* compiled form; defined by compile.h */

/* A function defined in the module (not imported). */
struct wb_func_def {
	uint32_t type_idx;
	uint32_t local_cnt;		/* declared locals, params excluded */
	uint8_t *local_types;		/* local_cnt valtypes (expanded) */
	const uint8_t *body;		/* instruction bytes after the locals, ending
					 * with the final `end` (0x0b); into bytes */
	uint32_t body_len;
	uint32_t body_offset;		/* byte offset of body in the module */
	uint32_t decl_offset;		/* offset of the function's size field */
	struct wb_code *code;		/* set by the compiler */
};

struct wb_module {
	uint8_t *bytes;			/* owned copy of the binary */
	size_t size;

	uint32_t type_cnt;
	struct wb_functype *types;	/* params/results point into type_pool */
	uint8_t *type_pool;

	uint32_t import_cnt;
	struct wb_import *imports;

	/* Index spaces: imported entries come first. */
	uint32_t func_cnt;		/* imported + defined */
	uint32_t func_import_cnt;
	uint32_t *func_types;		/* func_cnt type indices */

	uint32_t table_cnt;
	uint32_t table_import_cnt;
	struct wb_table_type *tables;	/* table_cnt */

	uint32_t mem_cnt;
	uint32_t mem_import_cnt;
	struct wb_limits *mems;		/* mem_cnt */

	uint32_t global_cnt;
	uint32_t global_import_cnt;
	struct wb_global_type *global_types;	/* global_cnt */
	struct wb_global_def *globals;		/* defined ones: global_cnt - global_import_cnt */

	uint32_t export_cnt;
	struct wb_export *exports;

	bool has_start;
	uint32_t start_idx;

	uint32_t elem_cnt;
	struct wb_elem_seg *elems;

	bool has_data_cnt;		/* a datacount section was present */
	uint32_t data_cnt;
	struct wb_data_seg *datas;

	struct wb_jit *jit;		/* machine code of the functions (jit.h), or NULL */
	uint32_t code_cnt;		/* == func_cnt - func_import_cnt when valid */
	struct wb_func_def *funcs;	/* defined functions */

	/*
	 * Functions referenced by ref.func outside function bodies (exports,
	 * element segments, global initialisers): the spec's context C.refs.
	 * func_cnt booleans; set by the decoder.
	 */
	bool *declared_refs;

	/* From the "name" custom section (optional; invalid contents ignored). */
	char **func_names;		/* func_cnt entries, NULL where absent */
};

/* Free everything a module owns (tolerates a partially decoded module). */
void wb_module__release(struct wb_module *m);

/* decode.c: parse buf into m (already zeroed; m->bytes holds the copy).
 * Returns 0 or -EINVAL with err filled (WB_ERR_MALFORMED or WB_ERR_INVALID
 * for the few checks the binary format itself implies). */
int wb_decode(struct wb_module *m, struct wb_error *err);

/* validate.c: full validation of a decoded module (WB_ERR_INVALID). */
int wb_validate(const struct wb_module *m, struct wb_error *err);

/* Helpers to fill an error (error.c). Return -EINVAL. */
int wb_error__set(struct wb_error *err, enum wb_error_kind kind, const char *msg,
		  int section, int64_t func_idx, size_t offset, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

#endif /* WB_ENGINE_MODULE_H */
