/* SPDX-License-Identifier: MIT */
/*
 * Instantiation, following the spec: resolve and check imports, allocate
 * functions, tables, memories and globals, apply element and data segments,
 * run the start function; plus the instance accessors of the public API.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

static void *zalloc_array(size_t n, size_t sz)
{
	return calloc(n ? n : 1, sz);
}

static int link_error(struct wb_error *err, const char *msg, const struct wb_import *im,
		      uint32_t i)
{
	int ml = im->module.len > 64 ? 64 : (int)im->module.len;
	int nl = im->name.len > 64 ? 64 : (int)im->name.len;

	return wb_error__set(err, WB_ERR_UNLINKABLE, msg, WB_SEC_IMPORT, -1, 0,
			     "import %u \"%.*s\".\"%.*s\"", i, ml, im->module.str, nl,
			     im->name.str);
}

/* The spec's limits subtyping: actual (current size, max) within declared. */
static bool limits_match(const struct wb_limits *actual, const struct wb_limits *declared)
{
	if (actual->min < declared->min)
		return false;
	if (declared->has_max) {
		if (!actual->has_max || actual->max > declared->max)
			return false;
	}
	return true;
}

/* Resolve import i through the linker and check its type. */
static int resolve_import(struct wb_instance *inst, const struct wb_linker *linker, uint32_t i,
			  uint32_t *counts, struct wb_error *err)
{
	const struct wb_module *m = inst->module;
	const struct wb_import *im = &m->imports[i];
	const struct wb_extern *ext;
	struct wb_limits lim;

	ext = wb_linker__lookup(linker, im->module.str, im->module.len, im->name.str,
				im->name.len);
	if (!ext)
		return link_error(err, "unknown import", im, i);
	if ((uint8_t)ext->kind != im->kind)
		return link_error(err, "incompatible import type", im, i);

	switch (im->kind) {
	case WB_EXTERN_FUNC:
		if (ext->func->type_id != inst->type_ids[im->type_idx])
			return link_error(err, "incompatible import type", im, i);
		inst->funcs[counts[WB_EXTERN_FUNC]++] = ext->func;
		break;
	case WB_EXTERN_TABLE:
		wb_table__limits(ext->table, &lim);
		if (ext->table->elem_type != im->table.elem_type ||
		    !limits_match(&lim, &im->table.limits))
			return link_error(err, "incompatible import type", im, i);
		inst->tables[counts[WB_EXTERN_TABLE]++] = ext->table;
		break;
	case WB_EXTERN_MEMORY:
		wb_memory__limits(ext->memory, &lim);
		if (!limits_match(&lim, &im->memory))
			return link_error(err, "incompatible import type", im, i);
		inst->mems[counts[WB_EXTERN_MEMORY]++] = ext->memory;
		break;
	case WB_EXTERN_GLOBAL:
		if (ext->global->type != im->global.valtype ||
		    ext->global->mutable_ != im->global.mutable_)
			return link_error(err, "incompatible import type", im, i);
		inst->globals[counts[WB_EXTERN_GLOBAL]++] = ext->global;
		break;
	default:
		return link_error(err, "incompatible import type", im, i);
	}
	return 0;
}

/* Value of a constant expression in the (partially built) instance. */
static wb_value eval_const(const struct wb_instance *inst, const struct wb_const_expr *e)
{
	const struct wb_module *m = inst->module;
	wb_value v;

	memset(&v, 0, sizeof(v));
	switch (e->op) {
	case 0x23:	/* global.get */
		if (e->idx < m->global_cnt && inst->globals[e->idx])
			v = inst->globals[e->idx]->val;
		break;
	case 0xd2:	/* ref.func */
		if (e->idx < m->func_cnt)
			v.ref = inst->funcs[e->idx];
		break;
	case 0xd0:	/* ref.null */
		v.ref = NULL;
		break;
	default:	/* t.const */
		v = e->val;
		break;
	}
	return v;
}

static int alloc_funcs(struct wb_instance *inst, struct wb_error *err)
{
	const struct wb_module *m = inst->module;
	struct wb_store *s = inst->store;
	struct wb_func *f;
	uint32_t i, idx;

	for (i = 0; i < m->func_cnt - m->func_import_cnt; i++) {
		idx = m->func_import_cnt + i;
		f = calloc(1, sizeof(*f));
		if (!f || wb_store__add_obj(s, WB_EXTERN_FUNC, f)) {
			free(f);
			goto nomem;
		}
		f->type = &m->types[m->func_types[idx]];
		f->type_id = inst->type_ids[m->func_types[idx]];
		f->inst = inst;
		f->idx = idx;
		f->def = &m->funcs[i];
		f->code = m->funcs[i].code;
		inst->funcs[idx] = f;
	}
	return 0;
nomem:
	return wb_error__set(err, WB_ERR_RESOURCE, "out of memory", -1, -1, 0, "functions");
}

static int alloc_tables(struct wb_instance *inst, struct wb_error *err)
{
	const struct wb_module *m = inst->module;
	struct wb_store *s = inst->store;
	const struct wb_table_type *tt;
	struct wb_table *t;
	uint32_t i;

	for (i = m->table_import_cnt; i < m->table_cnt; i++) {
		tt = &m->tables[i];
		if (tt->limits.min > s->opts.max_table_elems)
			return wb_error__set(err, WB_ERR_RESOURCE, "table size exceeds the limit",
					     WB_SEC_TABLE, -1, 0, "table %u: %u elements, limit %u",
					     i, tt->limits.min, s->opts.max_table_elems);
		t = wb_table__new(s, tt->elem_type, &tt->limits, NULL);
		if (!t)
			return wb_error__set(err, WB_ERR_RESOURCE, "out of memory", WB_SEC_TABLE,
					     -1, 0, "table %u", i);
		inst->tables[i] = t;
	}
	return 0;
}

static int alloc_mems(struct wb_instance *inst, struct wb_error *err)
{
	const struct wb_module *m = inst->module;
	struct wb_store *s = inst->store;
	struct wb_memory *mem;
	uint32_t i;

	for (i = m->mem_import_cnt; i < m->mem_cnt; i++) {
		if (m->mems[i].min > s->opts.max_memory_pages)
			return wb_error__set(err, WB_ERR_RESOURCE, "memory size exceeds the limit",
					     WB_SEC_MEMORY, -1, 0, "memory %u: %u pages, limit %u",
					     i, m->mems[i].min, s->opts.max_memory_pages);
		mem = wb_memory__new(s, &m->mems[i]);
		if (!mem)
			return wb_error__set(err, WB_ERR_RESOURCE, "out of memory", WB_SEC_MEMORY,
					     -1, 0, "memory %u", i);
		inst->mems[i] = mem;
	}
	return 0;
}

static int alloc_globals(struct wb_instance *inst, struct wb_error *err)
{
	const struct wb_module *m = inst->module;
	const struct wb_global_def *def;
	struct wb_global *g;
	uint32_t i;

	for (i = m->global_import_cnt; i < m->global_cnt; i++) {
		def = &m->globals[i - m->global_import_cnt];
		g = wb_global__new(inst->store, def->type.valtype, def->type.mutable_,
				   eval_const(inst, &def->init));
		if (!g)
			return wb_error__set(err, WB_ERR_RESOURCE, "out of memory", WB_SEC_GLOBAL,
					     -1, 0, "global %u", i);
		inst->globals[i] = g;
	}
	return 0;
}

/* Record a trap of instantiation both in the store and in err. */
static int init_trap(struct wb_instance *inst, enum wb_trap_kind kind, int section,
		     struct wb_error *err, uint32_t seg)
{
	wb_store__set_trap(inst->store, kind, NULL);
	return wb_error__set(err, WB_ERR_TRAP, wb_trap_kind__str(kind), section, -1, 0,
			     "%s segment %u", section == WB_SEC_ELEMENT ? "element" : "data", seg);
}

/* Active segments are table.init + elem.drop, in order (spec 2.0). */
static int apply_elems(struct wb_instance *inst, struct wb_error *err)
{
	const struct wb_module *m = inst->module;
	const struct wb_elem_seg *seg;
	struct wb_table *t;
	uint32_t i, j, off;

	for (i = 0; i < m->elem_cnt; i++) {
		seg = &m->elems[i];
		if (seg->mode == WB_SEG_PASSIVE)
			continue;
		inst->elem_dropped[i] = true;
		if (seg->mode != WB_SEG_ACTIVE)
			continue;
		t = inst->tables[seg->table_idx];
		off = eval_const(inst, &seg->offset).i32;
		if ((uint64_t)off + seg->item_cnt > t->size)
			return init_trap(inst, WB_TRAP_TABLE_OOB, WB_SEC_ELEMENT, err, i);
		for (j = 0; j < seg->item_cnt; j++)
			t->elems[off + j] = eval_const(inst, &seg->items[j]).ref;
	}
	return 0;
}

static int apply_datas(struct wb_instance *inst, struct wb_error *err)
{
	const struct wb_module *m = inst->module;
	const struct wb_data_seg *seg;
	struct wb_memory *mem;
	uint32_t i, off;

	for (i = 0; i < m->data_cnt; i++) {
		seg = &m->datas[i];
		if (seg->mode != WB_SEG_ACTIVE)
			continue;
		inst->data_dropped[i] = true;
		mem = inst->mems[seg->mem_idx];
		off = eval_const(inst, &seg->offset).i32;
		if ((uint64_t)off + seg->len > mem->size)
			return init_trap(inst, WB_TRAP_MEMORY_OOB, WB_SEC_DATA, err, i);
		if (seg->len)
			memcpy(mem->data + off, seg->bytes, seg->len);
	}
	return 0;
}

static int run_start(struct wb_instance *inst, struct wb_error *err)
{
	const struct wb_module *m = inst->module;
	struct wb_store *s = inst->store;
	const struct wb_trap *t = &s->trap;
	wb_value dummy[1];
	int ret;

	if (!m->has_start)
		return 0;
	ret = wb_interp__call(s, inst->funcs[m->start_idx], dummy, dummy);
	if (ret == 0)
		return 0;
	if (ret == WB_TRAPPED)
		return wb_error__set(err, WB_ERR_TRAP, wb_trap_kind__str(t->kind), WB_SEC_START,
				     m->start_idx, 0, "%s", t->msg ? t->msg : "");
	return wb_error__set(err, WB_ERR_RESOURCE, "out of memory", WB_SEC_START, m->start_idx,
			     0, "start function failed (%d)", ret);
}

static int alloc_instance(struct wb_instance **out, struct wb_store *s,
			  const struct wb_module *m, struct wb_error *err)
{
	struct wb_instance *inst;
	uint32_t i;

	inst = calloc(1, sizeof(*inst));
	if (!inst)
		goto nomem;
	inst->store = s;
	inst->module = m;
	inst->funcs = zalloc_array(m->func_cnt, sizeof(*inst->funcs));
	inst->tables = zalloc_array(m->table_cnt, sizeof(*inst->tables));
	inst->mems = zalloc_array(m->mem_cnt, sizeof(*inst->mems));
	inst->globals = zalloc_array(m->global_cnt, sizeof(*inst->globals));
	inst->type_ids = zalloc_array(m->type_cnt, sizeof(*inst->type_ids));
	inst->elem_dropped = zalloc_array(m->elem_cnt, sizeof(*inst->elem_dropped));
	inst->data_dropped = zalloc_array(m->data_cnt, sizeof(*inst->data_dropped));
	if (!inst->funcs || !inst->tables || !inst->mems || !inst->globals || !inst->type_ids ||
	    !inst->elem_dropped || !inst->data_dropped)
		goto nomem;
	for (i = 0; i < m->type_cnt; i++) {
		if (wb_store__intern_type(s, &m->types[i], &inst->type_ids[i]))
			goto nomem;
	}
	*out = inst;
	return 0;
nomem:
	wb_instance__release(inst);
	return wb_error__set(err, WB_ERR_RESOURCE, "out of memory", -1, -1, 0, "instance");
}

struct wb_instance *wb_instance__new(struct wb_store *s, const struct wb_module *m,
				     const struct wb_linker *linker, struct wb_error *err)
{
	uint32_t counts[4] = { 0 };
	struct wb_instance *inst = NULL;
	struct wb_error local;
	uint32_t i;
	int ret;

	if (!err)
		err = &local;
	memset(err, 0, sizeof(*err));
	err->section = -1;
	err->func_idx = -1;
	if (!s || !m) {
		errno = EINVAL;
		return NULL;
	}

	ret = alloc_instance(&inst, s, m, err);
	if (ret)
		goto fail;
	for (i = 0; i < m->import_cnt; i++) {
		ret = resolve_import(inst, linker, i, counts, err);
		if (ret)
			goto fail_free;
	}
	/* Objects made from here on are owned by the store at once. */
	ret = alloc_funcs(inst, err);
	if (!ret)
		ret = alloc_tables(inst, err);
	if (!ret)
		ret = alloc_mems(inst, err);
	if (!ret)
		ret = alloc_globals(inst, err);
	if (ret)
		goto fail_free;

	/*
	 * From now on effects are visible outside (imported tables may receive
	 * this instance's functions), so the instance joins the store even if
	 * a segment or the start function traps.
	 */
	inst->next = s->instances;
	s->instances = inst;
	ret = apply_elems(inst, err);
	if (!ret)
		ret = apply_datas(inst, err);
	if (!ret)
		ret = run_start(inst, err);
	if (ret)
		goto fail;
	return inst;

fail_free:
	wb_instance__release(inst);
fail:
	errno = err->kind == WB_ERR_RESOURCE ? ENOMEM : EINVAL;
	return NULL;
}

const struct wb_module *wb_instance__module(const struct wb_instance *inst)
{
	return inst ? inst->module : NULL;
}

struct wb_store *wb_instance__store(const struct wb_instance *inst)
{
	return inst ? inst->store : NULL;
}

int wb_instance__export(const struct wb_instance *inst, const char *name, struct wb_extern *out)
{
	const struct wb_module *m;
	const struct wb_export *x;
	size_t len;
	uint32_t i;

	if (!inst || !name || !out)
		return -EINVAL;
	m = inst->module;
	len = strlen(name);
	for (i = 0; i < m->export_cnt; i++) {
		x = &m->exports[i];
		if (x->name.len != len || memcmp(x->name.str, name, len))
			continue;
		out->kind = x->kind;
		switch (x->kind) {
		case WB_EXTERN_FUNC:
			out->func = inst->funcs[x->idx];
			break;
		case WB_EXTERN_TABLE:
			out->table = inst->tables[x->idx];
			break;
		case WB_EXTERN_MEMORY:
			out->memory = inst->mems[x->idx];
			break;
		case WB_EXTERN_GLOBAL:
			out->global = inst->globals[x->idx];
			break;
		default:
			return -EINVAL;
		}
		return 0;
	}
	return -ENOENT;
}

struct wb_func *wb_instance__func(const struct wb_instance *inst, const char *name)
{
	struct wb_extern ext;
	int err;

	err = wb_instance__export(inst, name, &ext);
	if (err) {
		errno = -err;
		return NULL;
	}
	if (ext.kind != WB_EXTERN_FUNC) {
		errno = EINVAL;
		return NULL;
	}
	return ext.func;
}

struct wb_memory *wb_instance__memory(const struct wb_instance *inst)
{
	if (!inst || !inst->module->mem_cnt)
		return NULL;
	return inst->mems[0];
}

struct wb_table *wb_instance__table(const struct wb_instance *inst, uint32_t idx)
{
	if (!inst || idx >= inst->module->table_cnt)
		return NULL;
	return inst->tables[idx];
}

int wb_instance__on_free(struct wb_instance *inst, void (*fn)(void *arg), void *arg)
{
	struct wb_cleanup *c;

	if (!inst || !fn)
		return -EINVAL;
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->fn = fn;
	c->arg = arg;
	c->next = inst->cleanups;
	inst->cleanups = c;
	return 0;
}

void wb_instance__set_user(struct wb_instance *inst, void *user)
{
	if (inst)
		inst->user = user;
}

void *wb_instance__user(const struct wb_instance *inst)
{
	return inst ? inst->user : NULL;
}
