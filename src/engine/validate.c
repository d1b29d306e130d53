/* SPDX-License-Identifier: MIT */
/*
 * Module-level validation: imports, index spaces, limits, globals and their
 * constant initialisers, element and data segments, the start function and
 * exports. Function bodies are checked by validate_code.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opcodes.h"
#include "validate.h"

void wb_vstate__invalid(struct wb_vstate *vs, const char *msg, int section, int64_t func_idx,
			size_t offset, const char *fmt, ...)
{
	va_list ap;

	if (vs->failed)
		return;
	vs->failed = true;
	wb_error__set(vs->err, WB_ERR_INVALID, msg, section, func_idx, offset, "%s", "");
	va_start(ap, fmt);
	vsnprintf(vs->err->detail, sizeof(vs->err->detail), fmt, ap);
	va_end(ap);
}

/* The item being checked, named in error details ("global 3"). */
struct where {
	int section;
	const char *what;
	uint32_t item;
	uint32_t offset; /* byte offset in the module, 0 if unknown */
};

static void invalid(struct wb_vstate *vs, const struct where *w, const char *msg)
{
	wb_vstate__invalid(vs, msg, w->section, -1, w->offset, "%s %u", w->what, w->item);
}

static void invalid_idx(struct wb_vstate *vs, const struct where *w, const char *msg, uint32_t idx)
{
	wb_vstate__invalid(vs, msg, w->section, -1, w->offset, "%s %u: index %u", w->what, w->item,
			   idx);
}

static void check_limits(struct wb_vstate *vs, const struct where *w, const struct wb_limits *l,
			 uint64_t bound, const char *bound_msg)
{
	if (l->min > bound || (l->has_max && l->max > bound))
		invalid(vs, w, bound_msg);
	else if (l->has_max && l->min > l->max)
		invalid(vs, w, "size minimum must not be greater than maximum");
}

static void check_memory(struct wb_vstate *vs, const struct where *w, const struct wb_limits *l)
{
	check_limits(vs, w, l, WB_MAX_PAGES, "memory size must be at most 65536 pages (4GiB)");
}

static void check_table(struct wb_vstate *vs, const struct where *w, const struct wb_table_type *t)
{
	check_limits(vs, w, &t->limits, UINT32_MAX, "table size must be at most 2^32-1");
}

/*
 * A constant expression of type `want`. In 2.0 constant expressions may only
 * read imported globals, and only immutable ones.
 */
static void check_const(struct wb_vstate *vs, const struct where *where,
			const struct wb_const_expr *ce, uint8_t want)
{
	const struct wb_module *m = vs->m;
	struct where at = *where;
	const struct where *w = &at;
	uint8_t t = ce->type;

	at.offset = ce->offset;
	switch (ce->op) {
	case WB_OP_GLOBAL_GET:
		if (ce->idx >= m->global_import_cnt) {
			invalid_idx(vs, w, "unknown global", ce->idx);
			return;
		}
		if (m->global_types[ce->idx].mutable_) {
			invalid(vs, w, "constant expression required");
			return;
		}
		t = m->global_types[ce->idx].valtype;
		break;
	case WB_OP_REF_FUNC:
		if (ce->idx >= m->func_cnt) {
			invalid_idx(vs, w, "unknown function", ce->idx);
			return;
		}
		t = WB_FUNCREF;
		break;
	case WB_OP_I32_CONST:
	case WB_OP_I64_CONST:
	case WB_OP_F32_CONST:
	case WB_OP_F64_CONST:
	case WB_OP_REF_NULL:
		break;
	default:
		invalid(vs, w, "constant expression required");
		return;
	}
	if (t != want)
		invalid(vs, w, "type mismatch");
}

static int cmp_exports(const void *a, const void *b)
{
	const struct wb_name *x = &(*(const struct wb_export *const *)a)->name;
	const struct wb_name *y = &(*(const struct wb_export *const *)b)->name;
	uint32_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->str, y->str, n);

	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static int check_exports(struct wb_vstate *vs)
{
	static const char *const unknown[] = {
	    "unknown function",
	    "unknown table",
	    "unknown memory",
	    "unknown global",
	};
	const struct wb_module *m = vs->m;
	const struct wb_export **sorted;
	uint32_t i, bound;

	for (i = 0; i < m->export_cnt; i++) {
		const struct wb_export *ex = &m->exports[i];
		struct where w = {WB_SEC_EXPORT, "export", i, ex->offset};

		switch (ex->kind) {
		case WB_EXTERN_FUNC:
			bound = m->func_cnt;
			break;
		case WB_EXTERN_TABLE:
			bound = m->table_cnt;
			break;
		case WB_EXTERN_MEMORY:
			bound = m->mem_cnt;
			break;
		default:
			bound = m->global_cnt;
			break;
		}
		if (ex->idx >= bound) {
			invalid_idx(vs, &w, unknown[ex->kind & 3], ex->idx);
			return 0;
		}
	}
	if (m->export_cnt < 2)
		return 0;
	sorted = malloc(m->export_cnt * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	for (i = 0; i < m->export_cnt; i++)
		sorted[i] = &m->exports[i];
	qsort(sorted, m->export_cnt, sizeof(*sorted), cmp_exports);
	for (i = 1; i < m->export_cnt; i++) {
		if (!cmp_exports(&sorted[i - 1], &sorted[i])) {
			wb_vstate__invalid(vs, "duplicate export name", WB_SEC_EXPORT, -1,
					   sorted[i]->offset, "\"%.100s\"", sorted[i]->name.str);
			break;
		}
	}
	free(sorted);
	return 0;
}

static void check_elems(struct wb_vstate *vs)
{
	const struct wb_module *m = vs->m;
	uint32_t i, j;

	for (i = 0; i < m->elem_cnt; i++) {
		const struct wb_elem_seg *seg = &m->elems[i];
		struct where w = {WB_SEC_ELEMENT, "element segment", i, seg->offset.offset};

		if (seg->mode == WB_SEG_ACTIVE) {
			if (seg->table_idx >= m->table_cnt) {
				invalid_idx(vs, &w, "unknown table", seg->table_idx);
				return;
			}
			check_const(vs, &w, &seg->offset, WB_I32);
			if (m->tables[seg->table_idx].elem_type != seg->elem_type)
				invalid(vs, &w, "type mismatch");
		}
		for (j = 0; j < seg->item_cnt; j++)
			check_const(vs, &w, &seg->items[j], seg->elem_type);
	}
}

static void check_datas(struct wb_vstate *vs)
{
	const struct wb_module *m = vs->m;
	uint32_t i;

	for (i = 0; i < m->data_cnt; i++) {
		const struct wb_data_seg *seg = &m->datas[i];
		struct where w = {WB_SEC_DATA, "data segment", i, seg->offset.offset};

		if (seg->mode != WB_SEG_ACTIVE)
			continue;
		if (seg->mem_idx >= m->mem_cnt) {
			invalid_idx(vs, &w, "unknown memory", seg->mem_idx);
			return;
		}
		check_const(vs, &w, &seg->offset, WB_I32);
	}
}

static void check_module(struct wb_vstate *vs)
{
	const struct wb_module *m = vs->m;
	struct where w;
	uint32_t i;

	for (i = 0; i < m->import_cnt; i++) {
		const struct wb_import *im = &m->imports[i];

		w = (struct where){WB_SEC_IMPORT, "import", i, im->offset};
		switch (im->kind) {
		case WB_EXTERN_FUNC:
			if (im->type_idx >= m->type_cnt)
				invalid_idx(vs, &w, "unknown type", im->type_idx);
			break;
		case WB_EXTERN_TABLE:
			check_table(vs, &w, &im->table);
			break;
		case WB_EXTERN_MEMORY:
			check_memory(vs, &w, &im->memory);
			break;
		}
	}
	for (i = m->func_import_cnt; i < m->func_cnt; i++) {
		w = (struct where){WB_SEC_FUNCTION, "function", i, 0};
		if (m->func_types[i] >= m->type_cnt)
			invalid_idx(vs, &w, "unknown type", m->func_types[i]);
	}
	for (i = m->table_import_cnt; i < m->table_cnt; i++) {
		w = (struct where){WB_SEC_TABLE, "table", i, 0};
		check_table(vs, &w, &m->tables[i]);
	}
	for (i = m->mem_import_cnt; i < m->mem_cnt; i++) {
		w = (struct where){WB_SEC_MEMORY, "memory", i, 0};
		check_memory(vs, &w, &m->mems[i]);
	}
	if (m->mem_cnt > 1) {
		w = (struct where){WB_SEC_MEMORY, "memory", 1, 0};
		invalid(vs, &w, "multiple memories");
	}
	for (i = 0; i < m->global_cnt - m->global_import_cnt; i++) {
		const struct wb_global_def *g = &m->globals[i];

		w = (struct where){WB_SEC_GLOBAL, "global", m->global_import_cnt + i, 0};
		check_const(vs, &w, &g->init, g->type.valtype);
	}
	check_elems(vs);
	check_datas(vs);
	if (m->has_start) {
		w = (struct where){WB_SEC_START, "start function", m->start_idx, 0};
		if (m->start_idx >= m->func_cnt) {
			invalid_idx(vs, &w, "unknown function", m->start_idx);
		} else if (m->func_types[m->start_idx] < m->type_cnt) {
			const struct wb_functype *ft = &m->types[m->func_types[m->start_idx]];

			if (ft->param_cnt || ft->result_cnt)
				invalid(vs, &w, "start function");
		}
	}
}

int wb_validate(const struct wb_module *m, struct wb_error *err)
{
	struct wb_vstate vs = {.m = m, .err = err};
	int ret;

	check_module(&vs);
	ret = check_exports(&vs);
	if (!ret)
		ret = wb_validate_code(&vs);
	if (ret == -ENOMEM && !vs.failed)
		wb_error__set(err, WB_ERR_RESOURCE, "out of memory", -1, -1, 0, "%s", "");
	if (ret)
		return ret;
	return vs.failed ? -EINVAL : 0;
}
