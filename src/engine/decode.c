/* SPDX-License-Identifier: MIT */
/*
 * The binary decoder: turns the bytes of a module into struct wb_module
 * (sections, vectors, types, imports, index spaces, segments, function body
 * bounds, the "name" section's function names) and reports malformed input
 * with the spec's wording.
 *
 * Like the spec's reference decoder, a section's contents are read against
 * the end of the module, not the end of the section, and the declared size is
 * checked afterwards ("section size mismatch"): the test suite's messages
 * depend on it. Instructions of function bodies are left to the validator.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "leb.h"
#include "module.h"
#include "opcodes.h"
#include "validate.h"

/* Implementation limit on the declared locals of one function. */
#define WB_MAX_LOCALS 50000u

struct dec {
	struct wb_module *m;
	struct wb_error *err;
	struct wb_reader r;
	int sec; /* current section id, -1 outside */

	/* The first validation (not decoding) problem met while decoding. */
	bool has_deferred;
	struct wb_error deferred;

	uint32_t func_decl_cnt; /* entries of the function section */
	uint32_t *func_decl_types;
	uint32_t bodies_done; /* function bodies located so far */
	uint32_t datacount;   /* value of the datacount section */

	bool funcs_built, tables_built, mems_built, globals_built;
};

static int fail(struct dec *d, const char *msg, size_t offset)
{
	wb_error__set(d->err, WB_ERR_MALFORMED, msg, d->sec, -1, offset, "%s", "");
	return -EINVAL;
}

/* Report the reader's last failure. */
static int rfail(struct dec *d)
{
	return fail(d, d->r.msg ? d->r.msg : WB_MSG_UNEXPECTED_END,
		    (size_t)(d->r.err_pos - d->r.base));
}

static int oom(struct dec *d)
{
	wb_error__set(d->err, WB_ERR_RESOURCE, "out of memory", d->sec, -1,
		      wb_reader__offset(&d->r), "%s", "");
	return -ENOMEM;
}

/* A validation error found while decoding: kept, decoding goes on. */
static void defer_invalid(struct dec *d, const char *msg, size_t offset)
{
	if (d->has_deferred)
		return;
	d->has_deferred = true;
	wb_error__set(&d->deferred, WB_ERR_INVALID, msg, d->sec, -1, offset, "%s", "");
}

static void *zalloc(size_t cnt, size_t sz)
{
	return calloc(cnt ? cnt : 1, sz);
}

#define RD(call)                                                                                   \
	do {                                                                                       \
		if (call)                                                                          \
			return rfail(d);                                                           \
	} while (0)

static bool is_valtype(uint8_t t)
{
	switch (t) {
	case WB_I32:
	case WB_I64:
	case WB_F32:
	case WB_F64:
	case WB_V128:
	case WB_FUNCREF:
	case WB_EXTERNREF:
		return true;
	}
	return false;
}

static int read_valtype(struct dec *d, uint8_t *t)
{
	const uint8_t *at = d->r.pos;

	RD(wb_reader__u8(&d->r, t));
	if (is_valtype(*t))
		return 0;
	/* Types are signed LEB128 (s7) to the reference decoder. */
	if (*t & 0x80)
		return fail(d, WB_MSG_TOO_LONG, (size_t)(at + 1 - d->r.base));
	return fail(d, "malformed value type", (size_t)(at - d->r.base));
}

static int read_reftype(struct dec *d, uint8_t *t)
{
	const uint8_t *at = d->r.pos;

	RD(wb_reader__u8(&d->r, t));
	if (*t != WB_FUNCREF && *t != WB_EXTERNREF)
		return fail(d, "malformed reference type", (size_t)(at - d->r.base));
	return 0;
}

static int read_limits(struct dec *d, struct wb_limits *l)
{
	uint64_t flag;

	RD(wb_reader__uN(&d->r, 1, &flag));
	RD(wb_reader__u32(&d->r, &l->min));
	l->has_max = flag == 1;
	l->max = 0;
	if (l->has_max)
		RD(wb_reader__u32(&d->r, &l->max));
	return 0;
}

static int read_global_type(struct dec *d, struct wb_global_type *g)
{
	const uint8_t *at;
	uint8_t mut;
	int ret;

	ret = read_valtype(d, &g->valtype);
	if (ret)
		return ret;
	at = d->r.pos;
	RD(wb_reader__u8(&d->r, &mut));
	if (mut > 1)
		return fail(d, "malformed mutability", (size_t)(at - d->r.base));
	g->mutable_ = mut == 1;
	return 0;
}

static int copy_name(struct dec *d, struct wb_name *n)
{
	const uint8_t *s;
	uint32_t len;

	RD(wb_reader__name(&d->r, &s, &len));
	n->str = malloc((size_t)len + 1);
	if (!n->str)
		return oom(d);
	memcpy(n->str, s, len);
	n->str[len] = '\0';
	n->len = len;
	return 0;
}

/* A vector count: at most one entry per byte left in the module. */
static int read_count(struct dec *d, uint32_t *cnt)
{
	RD(wb_reader__len(&d->r, cnt));
	return 0;
}

/* ------------------------------------------------------- index spaces */

static void mark_ref(struct dec *d, uint32_t func_idx)
{
	if (d->m->declared_refs && func_idx < d->m->func_cnt)
		d->m->declared_refs[func_idx] = true;
}

static int build_funcs(struct dec *d)
{
	struct wb_module *m = d->m;
	uint32_t i, k = 0;

	if (d->funcs_built)
		return 0;
	m->func_cnt = m->func_import_cnt + d->func_decl_cnt;
	m->func_types = zalloc(m->func_cnt, sizeof(*m->func_types));
	m->declared_refs = zalloc(m->func_cnt, sizeof(*m->declared_refs));
	if (!m->func_types || !m->declared_refs)
		return oom(d);
	for (i = 0; i < m->import_cnt; i++) {
		if (m->imports[i].kind == WB_EXTERN_FUNC)
			m->func_types[k++] = m->imports[i].type_idx;
	}
	for (i = 0; i < d->func_decl_cnt; i++)
		m->func_types[k++] = d->func_decl_types[i];
	d->funcs_built = true;
	return 0;
}

static int build_tables(struct dec *d, uint32_t defined)
{
	struct wb_module *m = d->m;
	uint32_t i, k = 0;

	if (d->tables_built)
		return 0;
	m->table_cnt = m->table_import_cnt;
	m->tables = zalloc((size_t)m->table_import_cnt + defined, sizeof(*m->tables));
	if (!m->tables)
		return oom(d);
	for (i = 0; i < m->import_cnt; i++) {
		if (m->imports[i].kind == WB_EXTERN_TABLE)
			m->tables[k++] = m->imports[i].table;
	}
	d->tables_built = true;
	return 0;
}

static int build_mems(struct dec *d, uint32_t defined)
{
	struct wb_module *m = d->m;
	uint32_t i, k = 0;

	if (d->mems_built)
		return 0;
	m->mem_cnt = m->mem_import_cnt;
	m->mems = zalloc((size_t)m->mem_import_cnt + defined, sizeof(*m->mems));
	if (!m->mems)
		return oom(d);
	for (i = 0; i < m->import_cnt; i++) {
		if (m->imports[i].kind == WB_EXTERN_MEMORY)
			m->mems[k++] = m->imports[i].memory;
	}
	d->mems_built = true;
	return 0;
}

static int build_globals(struct dec *d, uint32_t defined)
{
	struct wb_module *m = d->m;
	uint32_t i, k = 0;

	if (d->globals_built)
		return 0;
	m->global_cnt = m->global_import_cnt;
	m->global_types = zalloc((size_t)m->global_import_cnt + defined, sizeof(*m->global_types));
	m->globals = zalloc(defined, sizeof(*m->globals));
	if (!m->global_types || !m->globals)
		return oom(d);
	for (i = 0; i < m->import_cnt; i++) {
		if (m->imports[i].kind == WB_EXTERN_GLOBAL)
			m->global_types[k++] = m->imports[i].global;
	}
	d->globals_built = true;
	return 0;
}

/* Build the index spaces whose sections come before section `id` in order. */
static int build_spaces_before(struct dec *d, int rank)
{
	int ret = 0;

	if (rank > 3)
		ret = build_funcs(d);
	if (!ret && rank > 4)
		ret = build_tables(d, 0);
	if (!ret && rank > 5)
		ret = build_mems(d, 0);
	if (!ret && rank > 6)
		ret = build_globals(d, 0);
	return ret;
}

/* --------------------------------------------------- constant expressions */

static bool is_legal_opcode(uint8_t op)
{
	return op <= 0x05 || (op >= 0x0b && op <= 0x11) || (op >= 0x1a && op <= 0x1c) ||
	       (op >= 0x20 && op <= 0x26) || (op >= 0x28 && op <= 0xc4) ||
	       (op >= 0xd0 && op <= 0xd2) || op == 0xfc || op == 0xfd;
}

/*
 * Skip the immediates of a non-constant instruction so that decoding can go
 * on after "constant expression required". Returns 1 when the instruction is
 * too complex to skip (block structure, vectors, prefixes).
 */
static int skip_immediates(struct dec *d, uint8_t op)
{
	uint32_t x;
	uint8_t b;

	if (op == 0x00 || op == 0x01 || op == 0x0f || op == 0x1a || op == 0x1b ||
	    (op >= 0x45 && op <= 0xc4) || op == 0xd1)
		return 0;
	if (op == 0x0c || op == 0x0d || op == 0x10 || (op >= 0x20 && op <= 0x26)) {
		RD(wb_reader__u32(&d->r, &x));
		return 0;
	}
	if (op >= 0x28 && op <= 0x3e) {
		RD(wb_reader__u32(&d->r, &x));
		RD(wb_reader__u32(&d->r, &x));
		return 0;
	}
	if (op == 0x3f || op == 0x40) {
		RD(wb_reader__u8(&d->r, &b));
		return 0;
	}
	return 1;
}

/*
 * A constant expression: in 2.0, exactly one of t.const, ref.null, ref.func
 * or global.get, then `end`. Other legal instructions make the module invalid
 * ("constant expression required"); a wrong number of values is a "type
 * mismatch". Whether the single instruction fits its place (type, global
 * mutability and index) is checked by the validator.
 */
static int const_expr(struct dec *d, struct wb_const_expr *ce)
{
	struct wb_module *m = d->m;
	uint32_t cnt = 0;

	memset(ce, 0, sizeof(*ce));
	ce->offset = (uint32_t)wb_reader__offset(&d->r);
	for (;;) {
		const uint8_t *at = d->r.pos;
		size_t off = (size_t)(at - d->r.base);
		struct wb_const_expr cur;
		uint8_t op;
		int ret;

		memset(&cur, 0, sizeof(cur));
		RD(wb_reader__u8(&d->r, &op));
		cur.op = op;
		switch (op) {
		case WB_OP_END:
			if (cnt != 1)
				defer_invalid(d, "type mismatch", off);
			return 0;
		case WB_OP_I32_CONST: {
			int32_t v;

			RD(wb_reader__s32(&d->r, &v));
			cur.type = WB_I32;
			cur.val.i64 = 0;
			cur.val.i32 = (uint32_t)v;
			break;
		}
		case WB_OP_I64_CONST: {
			int64_t v;

			RD(wb_reader__s64(&d->r, &v));
			cur.type = WB_I64;
			cur.val.i64 = (uint64_t)v;
			break;
		}
		case WB_OP_F32_CONST: {
			uint32_t bits;

			RD(wb_reader__f32(&d->r, &bits));
			cur.type = WB_F32;
			cur.val.i64 = 0;
			cur.val.i32 = bits;
			break;
		}
		case WB_OP_F64_CONST:
			RD(wb_reader__f64(&d->r, &cur.val.i64));
			cur.type = WB_F64;
			break;
		case WB_OP_REF_NULL:
			ret = read_reftype(d, &cur.type);
			if (ret)
				return ret;
			break;
		case WB_OP_REF_FUNC:
			RD(wb_reader__u32(&d->r, &cur.idx));
			cur.type = WB_FUNCREF;
			mark_ref(d, cur.idx);
			break;
		case WB_OP_GLOBAL_GET:
			RD(wb_reader__u32(&d->r, &cur.idx));
			if (m->global_types && cur.idx < m->global_cnt)
				cur.type = m->global_types[cur.idx].valtype;
			break;
		case WB_OP_ELSE:
			return fail(d, "END opcode expected", off);
		default:
			if (!is_legal_opcode(op))
				return fail(d, "illegal opcode", off);
			ret = skip_immediates(d, op);
			if (ret < 0)
				return ret;
			if (ret > 0)
				return wb_error__set(d->err, WB_ERR_INVALID,
						     "constant expression required", d->sec, -1,
						     off, "%s", "");
			defer_invalid(d, "constant expression required", off);
			continue;
		}
		if (++cnt == 1) {
			cur.offset = ce->offset;
			*ce = cur;
		} else
			defer_invalid(d, "type mismatch", off);
	}
}

/* ------------------------------------------------------------- sections */

static int sec_type(struct dec *d)
{
	struct wb_module *m = d->m;
	size_t pool_len = 0, pool_cap = 64;
	uint8_t *pool;
	uint32_t cnt, i, j;
	int ret = 0;

	RD(wb_reader__len(&d->r, &cnt));
	m->types = zalloc(cnt, sizeof(*m->types));
	pool = malloc(pool_cap);
	if (!m->types || !pool) {
		free(pool);
		return oom(d);
	}
	m->type_pool = pool;
	for (i = 0; i < cnt; i++) {
		struct wb_functype *ft = &m->types[i];
		const uint8_t *at = d->r.pos;
		uint32_t n[2];
		uint8_t form;
		int k;

		RD(wb_reader__u8(&d->r, &form));
		if (form & 0x80)
			return fail(d, WB_MSG_TOO_LONG, (size_t)(at + 1 - d->r.base));
		if (form != 0x60)
			return fail(d, "malformed function type", (size_t)(at - d->r.base));
		for (k = 0; k < 2; k++) {
			RD(wb_reader__len(&d->r, &n[k]));
			if (pool_len + n[k] > pool_cap) {
				uint8_t *np;

				while (pool_len + n[k] > pool_cap)
					pool_cap *= 2;
				np = realloc(m->type_pool, pool_cap);
				if (!np)
					return oom(d);
				m->type_pool = np;
			}
			/* Offsets for now; turned into pointers at the end. */
			if (k == 0)
				ft->params = (const uint8_t *)(uintptr_t)pool_len;
			else
				ft->results = (const uint8_t *)(uintptr_t)pool_len;
			for (j = 0; j < n[k]; j++) {
				ret = read_valtype(d, &m->type_pool[pool_len]);
				if (ret)
					goto out;
				pool_len++;
			}
		}
		ft->param_cnt = n[0];
		ft->result_cnt = n[1];
		m->type_cnt = i + 1;
	}
out:
	/* Turn offsets into pointers, even on failure (release frees pool only). */
	for (i = 0; i < m->type_cnt; i++) {
		m->types[i].params = m->type_pool + (uintptr_t)m->types[i].params;
		m->types[i].results = m->type_pool + (uintptr_t)m->types[i].results;
	}
	return ret;
}

static int sec_import(struct dec *d)
{
	struct wb_module *m = d->m;
	uint32_t cnt, i;
	int ret;

	ret = read_count(d, &cnt);
	if (ret)
		return ret;
	m->imports = zalloc(cnt, sizeof(*m->imports));
	if (!m->imports)
		return oom(d);
	m->import_cnt = cnt;
	for (i = 0; i < cnt; i++) {
		struct wb_import *im = &m->imports[i];
		const uint8_t *at;

		im->offset = (uint32_t)wb_reader__offset(&d->r);
		ret = copy_name(d, &im->module);
		if (!ret)
			ret = copy_name(d, &im->name);
		if (ret)
			return ret;
		at = d->r.pos;
		RD(wb_reader__u8(&d->r, &im->kind));
		switch (im->kind) {
		case WB_EXTERN_FUNC:
			RD(wb_reader__u32(&d->r, &im->type_idx));
			m->func_import_cnt++;
			break;
		case WB_EXTERN_TABLE:
			ret = read_reftype(d, &im->table.elem_type);
			if (!ret)
				ret = read_limits(d, &im->table.limits);
			m->table_import_cnt++;
			break;
		case WB_EXTERN_MEMORY:
			ret = read_limits(d, &im->memory);
			m->mem_import_cnt++;
			break;
		case WB_EXTERN_GLOBAL:
			ret = read_global_type(d, &im->global);
			m->global_import_cnt++;
			break;
		default:
			return fail(d, "malformed import kind", (size_t)(at - d->r.base));
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int sec_function(struct dec *d)
{
	uint32_t cnt, i;
	int ret;

	ret = read_count(d, &cnt);
	if (ret)
		return ret;
	d->func_decl_types = zalloc(cnt, sizeof(*d->func_decl_types));
	if (!d->func_decl_types)
		return oom(d);
	for (i = 0; i < cnt; i++) {
		RD(wb_reader__u32(&d->r, &d->func_decl_types[i]));
		d->func_decl_cnt = i + 1;
	}
	return build_funcs(d);
}

static int sec_table(struct dec *d)
{
	struct wb_module *m = d->m;
	uint32_t cnt, i;
	int ret;

	ret = read_count(d, &cnt);
	if (!ret)
		ret = build_tables(d, cnt);
	for (i = 0; !ret && i < cnt; i++) {
		struct wb_table_type *t = &m->tables[m->table_cnt];

		ret = read_reftype(d, &t->elem_type);
		if (!ret)
			ret = read_limits(d, &t->limits);
		if (!ret)
			m->table_cnt++;
	}
	return ret;
}

static int sec_memory(struct dec *d)
{
	struct wb_module *m = d->m;
	uint32_t cnt, i;
	int ret;

	ret = read_count(d, &cnt);
	if (!ret)
		ret = build_mems(d, cnt);
	for (i = 0; !ret && i < cnt; i++) {
		ret = read_limits(d, &m->mems[m->mem_cnt]);
		if (!ret)
			m->mem_cnt++;
	}
	return ret;
}

static int sec_global(struct dec *d)
{
	struct wb_module *m = d->m;
	uint32_t cnt, i;
	int ret;

	ret = read_count(d, &cnt);
	if (!ret)
		ret = build_globals(d, cnt);
	for (i = 0; !ret && i < cnt; i++) {
		struct wb_global_def *g = &m->globals[i];

		ret = read_global_type(d, &g->type);
		if (ret)
			break;
		/* The global is not visible to its own initialiser. */
		ret = const_expr(d, &g->init);
		m->global_types[m->global_cnt++] = g->type;
	}
	return ret;
}

static int sec_export(struct dec *d)
{
	struct wb_module *m = d->m;
	uint32_t cnt, i;
	int ret;

	ret = read_count(d, &cnt);
	if (ret)
		return ret;
	m->exports = zalloc(cnt, sizeof(*m->exports));
	if (!m->exports)
		return oom(d);
	m->export_cnt = cnt;
	for (i = 0; i < cnt; i++) {
		struct wb_export *ex = &m->exports[i];
		const uint8_t *at;

		ex->offset = (uint32_t)wb_reader__offset(&d->r);
		ret = copy_name(d, &ex->name);
		if (ret)
			return ret;
		at = d->r.pos;
		RD(wb_reader__u8(&d->r, &ex->kind));
		if (ex->kind > WB_EXTERN_GLOBAL)
			return fail(d, "malformed export kind", (size_t)(at - d->r.base));
		RD(wb_reader__u32(&d->r, &ex->idx));
		if (ex->kind == WB_EXTERN_FUNC)
			mark_ref(d, ex->idx);
	}
	return 0;
}

static int sec_start(struct dec *d)
{
	RD(wb_reader__u32(&d->r, &d->m->start_idx));
	d->m->has_start = true;
	return 0;
}

static int read_elem(struct dec *d, struct wb_elem_seg *seg)
{
	const uint8_t *at = d->r.pos;
	uint32_t flags, cnt, i;
	int ret;

	RD(wb_reader__u32(&d->r, &flags));
	if (flags > 7)
		return fail(d, "malformed elements segment kind", (size_t)(at - d->r.base));
	seg->elem_type = WB_FUNCREF;
	if (flags & 1)
		seg->mode = (flags & 2) ? WB_SEG_DECLARATIVE : WB_SEG_PASSIVE;
	else
		seg->mode = WB_SEG_ACTIVE;
	if (seg->mode == WB_SEG_ACTIVE) {
		if (flags & 2)
			RD(wb_reader__u32(&d->r, &seg->table_idx));
		ret = const_expr(d, &seg->offset);
		if (ret)
			return ret;
	}
	if (flags & 3) {
		/* An element kind (0x00 = funcref) or a reference type. */
		if (flags & 4) {
			ret = read_reftype(d, &seg->elem_type);
			if (ret)
				return ret;
		} else {
			uint8_t kind;

			at = d->r.pos;
			RD(wb_reader__u8(&d->r, &kind));
			if (kind != 0x00)
				return fail(d, "malformed element kind", (size_t)(at - d->r.base));
		}
	}
	ret = read_count(d, &cnt);
	if (ret)
		return ret;
	seg->items = zalloc(cnt, sizeof(*seg->items));
	if (!seg->items)
		return oom(d);
	for (i = 0; i < cnt; i++) {
		struct wb_const_expr *it = &seg->items[i];

		if (flags & 4) {
			ret = const_expr(d, it);
			if (ret)
				return ret;
		} else {
			it->offset = (uint32_t)wb_reader__offset(&d->r);
			RD(wb_reader__u32(&d->r, &it->idx));
			it->op = WB_OP_REF_FUNC;
			it->type = WB_FUNCREF;
			mark_ref(d, it->idx);
		}
		seg->item_cnt = i + 1;
	}
	return 0;
}

static int sec_element(struct dec *d)
{
	struct wb_module *m = d->m;
	uint32_t cnt, i;
	int ret;

	ret = read_count(d, &cnt);
	if (ret)
		return ret;
	m->elems = zalloc(cnt, sizeof(*m->elems));
	if (!m->elems)
		return oom(d);
	m->elem_cnt = cnt;
	for (i = 0; i < cnt; i++) {
		ret = read_elem(d, &m->elems[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int sec_datacount(struct dec *d)
{
	RD(wb_reader__u32(&d->r, &d->datacount));
	d->m->has_data_cnt = true;
	return 0;
}

/*
 * Locals: a vector of (count, type) runs whose counts must add up to less
 * than 2^32. They are summed first, then expanded.
 */
static int read_locals(struct dec *d, struct wb_func_def *f)
{
	const uint8_t *start = d->r.pos, *runs;
	uint64_t total = 0;
	uint32_t cnt, i, n, k = 0;
	uint8_t t;
	int ret;

	ret = read_count(d, &cnt);
	if (ret)
		return ret;
	runs = d->r.pos;
	for (i = 0; i < cnt; i++) {
		RD(wb_reader__u32(&d->r, &n));
		ret = read_valtype(d, &t);
		if (ret)
			return ret;
		total += n;
	}
	if (total >= 0x100000000ull)
		return fail(d, "too many locals", (size_t)(start - d->r.base));
	if (total > WB_MAX_LOCALS)
		return wb_error__set(d->err, WB_ERR_RESOURCE, "too many locals", d->sec, -1,
				     (size_t)(start - d->r.base), "%llu locals, the limit is %u",
				     (unsigned long long)total, WB_MAX_LOCALS);
	f->local_types = zalloc((size_t)total, 1);
	if (!f->local_types)
		return oom(d);
	/* Second pass over already-checked bytes. */
	d->r.pos = runs;
	for (i = 0; i < cnt; i++) {
		RD(wb_reader__u32(&d->r, &n));
		RD(wb_reader__u8(&d->r, &t));
		memset(f->local_types + k, t, n);
		k += n;
	}
	f->local_cnt = k;
	return 0;
}

static int sec_code(struct dec *d)
{
	struct wb_module *m = d->m;
	uint32_t cnt, i;
	int ret;

	ret = read_count(d, &cnt);
	if (ret)
		return ret;
	m->funcs = zalloc(cnt, sizeof(*m->funcs));
	if (!m->funcs)
		return oom(d);
	m->code_cnt = cnt;
	for (i = 0; i < cnt; i++) {
		struct wb_func_def *f = &m->funcs[i];
		const uint8_t *end;
		uint32_t size;

		f->decl_offset = (uint32_t)wb_reader__offset(&d->r);
		RD(wb_reader__len(&d->r, &size));
		if (size > wb_reader__left(&d->r))
			return fail(d, WB_MSG_UNEXPECTED_END, (size_t)(d->r.end - d->r.base));
		end = d->r.pos + size;
		if (i < d->func_decl_cnt)
			f->type_idx = d->func_decl_types[i];
		ret = read_locals(d, f);
		if (ret)
			return ret;
		if (d->r.pos > end)
			return fail(d, "section size mismatch", f->decl_offset);
		f->body = d->r.pos;
		f->body_len = (uint32_t)(end - d->r.pos);
		f->body_offset = (uint32_t)wb_reader__offset(&d->r);
		d->r.pos = end;
		d->bodies_done = i + 1;
	}
	return 0;
}

static int sec_data(struct dec *d)
{
	struct wb_module *m = d->m;
	uint32_t cnt, i;
	int ret;

	ret = read_count(d, &cnt);
	if (ret)
		return ret;
	m->datas = zalloc(cnt, sizeof(*m->datas));
	if (!m->datas)
		return oom(d);
	m->data_cnt = 0;
	for (i = 0; i < cnt; i++) {
		struct wb_data_seg *seg = &m->datas[i];
		const uint8_t *at = d->r.pos;
		uint32_t flags;

		RD(wb_reader__u32(&d->r, &flags));
		if (flags > 2)
			return fail(d, "malformed data segment kind", (size_t)(at - d->r.base));
		seg->mode = flags == 1 ? WB_SEG_PASSIVE : WB_SEG_ACTIVE;
		if (flags == 2)
			RD(wb_reader__u32(&d->r, &seg->mem_idx));
		if (flags != 1) {
			ret = const_expr(d, &seg->offset);
			if (ret)
				return ret;
		}
		RD(wb_reader__len(&d->r, &seg->len));
		RD(wb_reader__bytes(&d->r, seg->len, &seg->bytes));
	}
	m->data_cnt = cnt;
	return 0;
}

/* The "name" section's function names; any problem just ends the parse. */
static void parse_names(struct dec *d, const uint8_t *p, const uint8_t *end)
{
	struct wb_module *m = d->m;
	struct wb_reader r;

	if (!d->funcs_built || m->func_names)
		return;
	wb_reader__init(&r, d->r.base, p, end);
	while (!wb_reader__eof(&r)) {
		struct wb_reader sub;
		const uint8_t *body;
		uint32_t size, cnt, i;
		uint8_t id;

		if (wb_reader__u8(&r, &id) || wb_reader__len(&r, &size) ||
		    wb_reader__bytes(&r, size, &body))
			return;
		if (id != 1)
			continue;
		wb_reader__init(&sub, r.base, body, body + size);
		if (wb_reader__len(&sub, &cnt))
			return;
		m->func_names = zalloc(m->func_cnt, sizeof(*m->func_names));
		if (!m->func_names)
			return;
		for (i = 0; i < cnt; i++) {
			const uint8_t *s;
			uint32_t idx, len;
			char *str;

			if (wb_reader__u32(&sub, &idx) || wb_reader__name(&sub, &s, &len))
				return;
			if (idx >= m->func_cnt || m->func_names[idx])
				continue;
			str = malloc((size_t)len + 1);
			if (!str)
				return;
			memcpy(str, s, len);
			str[len] = '\0';
			m->func_names[idx] = str;
		}
		return;
	}
}

static int sec_custom(struct dec *d, const uint8_t *end)
{
	const uint8_t *s;
	uint32_t len;

	RD(wb_reader__name(&d->r, &s, &len));
	if (d->r.pos > end)
		return fail(d, WB_MSG_UNEXPECTED_END, (size_t)(end - d->r.base));
	if (len == 4 && !memcmp(s, "name", 4))
		parse_names(d, d->r.pos, end);
	d->r.pos = end;
	return 0;
}

/* Order of the known sections (datacount sits between element and code). */
static int section_rank(int id)
{
	static const int rank[] = {
	    [WB_SEC_TYPE] = 1,	     [WB_SEC_IMPORT] = 2, [WB_SEC_FUNCTION] = 3,
	    [WB_SEC_TABLE] = 4,	     [WB_SEC_MEMORY] = 5, [WB_SEC_GLOBAL] = 6,
	    [WB_SEC_EXPORT] = 7,     [WB_SEC_START] = 8,  [WB_SEC_ELEMENT] = 9,
	    [WB_SEC_DATACOUNT] = 10, [WB_SEC_CODE] = 11,  [WB_SEC_DATA] = 12,
	};

	return rank[id];
}

static int decode_sections(struct dec *d)
{
	struct wb_reader *r = &d->r;
	int last_rank = 0;
	int ret;

	while (!wb_reader__eof(r)) {
		const uint8_t *at = r->pos, *start;
		uint32_t size;
		uint8_t id;
		int rank;

		d->sec = -1;
		RD(wb_reader__u8(r, &id));
		if (id > WB_SEC_DATACOUNT)
			return fail(d, "malformed section id", (size_t)(at - r->base));
		d->sec = id;
		RD(wb_reader__len(r, &size));
		start = r->pos;
		if (id == WB_SEC_CUSTOM) {
			/* A length may count its own bytes: stay inside the module. */
			if (size > wb_reader__left(r))
				return fail(d, WB_MSG_UNEXPECTED_END, (size_t)(r->end - r->base));
			ret = sec_custom(d, start + size);
			if (ret)
				return ret;
			continue;
		}
		rank = section_rank(id);
		if (rank <= last_rank)
			return fail(d, "unexpected content after last section",
				    (size_t)(at - r->base));
		last_rank = rank;
		ret = build_spaces_before(d, rank);
		if (ret)
			return ret;
		switch (id) {
		case WB_SEC_TYPE:
			ret = sec_type(d);
			break;
		case WB_SEC_IMPORT:
			ret = sec_import(d);
			break;
		case WB_SEC_FUNCTION:
			ret = sec_function(d);
			break;
		case WB_SEC_TABLE:
			ret = sec_table(d);
			break;
		case WB_SEC_MEMORY:
			ret = sec_memory(d);
			break;
		case WB_SEC_GLOBAL:
			ret = sec_global(d);
			break;
		case WB_SEC_EXPORT:
			ret = sec_export(d);
			break;
		case WB_SEC_START:
			ret = sec_start(d);
			break;
		case WB_SEC_ELEMENT:
			ret = sec_element(d);
			break;
		case WB_SEC_DATACOUNT:
			ret = sec_datacount(d);
			break;
		case WB_SEC_CODE:
			ret = sec_code(d);
			break;
		case WB_SEC_DATA:
			ret = sec_data(d);
			break;
		}
		if (ret)
			return ret;
		if (r->pos != start + size)
			return fail(d, "section size mismatch", (size_t)(start - r->base));
	}
	d->sec = -1;
	return build_spaces_before(d, 100);
}

int wb_decode(struct wb_module *m, struct wb_error *err)
{
	static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
	static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
	struct dec d = {.m = m, .err = err, .sec = -1};
	int ret;

	wb_reader__init(&d.r, m->bytes, m->bytes, m->bytes + m->size);
	if (m->size < 4) {
		ret = fail(&d, "unexpected end", m->size);
		goto out;
	}
	if (memcmp(m->bytes, magic, 4)) {
		ret = fail(&d, "magic header not detected", 0);
		goto out;
	}
	if (m->size < 8) {
		ret = fail(&d, "unexpected end", m->size);
		goto out;
	}
	if (memcmp(m->bytes + 4, version, 4)) {
		ret = fail(&d, "unknown binary version", 4);
		goto out;
	}
	d.r.pos += 8;

	ret = decode_sections(&d);
	if (ret)
		goto out;

	if (d.func_decl_cnt != m->code_cnt) {
		ret = fail(&d, "function and code section have inconsistent lengths", m->size);
		goto out;
	}
	if (m->has_data_cnt && d.datacount != m->data_cnt) {
		ret = fail(&d, "data count and data section have inconsistent lengths", m->size);
		goto out;
	}
	if (d.has_deferred) {
		/* Still, a malformed function body must win over it. */
		if (!wb_scan_bodies(m, m->code_cnt, err) && err)
			*err = d.deferred;
		d.bodies_done = 0;
		ret = -EINVAL;
		goto out;
	}
	ret = 0;
out:
	/*
	 * The reference decoder reads instructions as part of the code section,
	 * so a malformed body wins over anything found after it.
	 */
	if (ret == -EINVAL && err && err->kind == WB_ERR_MALFORMED && d.bodies_done) {
		struct wb_error body_err;

		if (wb_scan_bodies(m, d.bodies_done, &body_err))
			*err = body_err;
	}
	free(d.func_decl_types);
	return ret;
}
