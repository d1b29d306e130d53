/* SPDX-License-Identifier: MIT */
/*
 * Functions and globals of the public API: host function creation, calls
 * by reference, export name or table slot, and global access.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

struct wb_func *wb_func__new_host(struct wb_store *store, const struct wb_functype *type,
				  wb_host_fn fn, void *user, const char *name)
{
	struct wb_func *f;
	size_t n;
	int err;

	if (!store || !type || !fn || (type->param_cnt && !type->params) ||
	    (type->result_cnt && !type->results)) {
		errno = EINVAL;
		return NULL;
	}
	n = (size_t)type->param_cnt + type->result_cnt;
	f = calloc(1, sizeof(*f) + n);
	if (!f)
		goto nomem;
	if (type->param_cnt)
		memcpy(f->own_types, type->params, type->param_cnt);
	if (type->result_cnt)
		memcpy(f->own_types + type->param_cnt, type->results, type->result_cnt);
	f->own_type.param_cnt = type->param_cnt;
	f->own_type.result_cnt = type->result_cnt;
	f->own_type.params = f->own_types;
	f->own_type.results = f->own_types + type->param_cnt;
	f->type = &f->own_type;
	f->host = fn;
	f->user = user;
	if (name) {
		f->name = strdup(name);
		if (!f->name)
			goto nomem;
	}
	err = wb_store__intern_type(store, f->type, &f->type_id);
	if (err)
		goto nomem;
	/* Ownership moves to the store only once nothing else can fail. */
	if (wb_store__add_obj(store, WB_EXTERN_FUNC, f))
		goto nomem;
	return f;
nomem:
	if (f)
		free(f->name);
	free(f);
	errno = ENOMEM;
	return NULL;
}

const struct wb_functype *wb_func__type(const struct wb_func *func)
{
	return func ? func->type : NULL;
}

int wb_func__call(struct wb_store *store, struct wb_func *func, const wb_value *args,
		  uint32_t arg_cnt, wb_value *results, uint32_t result_cnt)
{
	wb_value dummy[1] = { { 0 } };

	if (!store || !func)
		return -EINVAL;
	if (func->inst && func->inst->store != store)
		return -EINVAL;
	if (arg_cnt != func->type->param_cnt || result_cnt != func->type->result_cnt)
		return -EINVAL;
	if ((arg_cnt && !args) || (result_cnt && !results))
		return -EINVAL;
	return wb_interp__call(store, func, arg_cnt ? args : dummy,
			       result_cnt ? results : dummy);
}

int wb_instance__call(struct wb_instance *inst, const char *name, const wb_value *args,
		      uint32_t arg_cnt, wb_value *results, uint32_t result_cnt)
{
	struct wb_func *f;

	if (!inst || !name)
		return -EINVAL;
	f = wb_instance__func(inst, name);
	if (!f)
		return -errno;
	return wb_func__call(inst->store, f, args, arg_cnt, results, result_cnt);
}

int wb_instance__call_table(struct wb_instance *inst, uint32_t table_idx, uint32_t elem_idx,
			    const struct wb_functype *expect, const wb_value *args,
			    uint32_t arg_cnt, wb_value *results, uint32_t result_cnt)
{
	struct wb_table *t;
	struct wb_func *f;

	if (!inst)
		return -EINVAL;
	if (table_idx >= inst->module->table_cnt)
		return -ENOENT;
	t = inst->tables[table_idx];
	if (t->elem_type != WB_FUNCREF)
		return -EINVAL;
	if (elem_idx >= t->size)
		return -ERANGE;
	f = t->elems[elem_idx];
	if (!f)
		return -EFAULT;
	if (expect && !wb_functype__equal(f->type, expect))
		return -EINVAL;
	return wb_func__call(inst->store, f, args, arg_cnt, results, result_cnt);
}

static bool valtype_ok(uint8_t t)
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
	default:
		return false;
	}
}

struct wb_global *wb_global__new(struct wb_store *store, uint8_t valtype, bool mutable_,
				 wb_value init)
{
	struct wb_global *g;

	if (!store || !valtype_ok(valtype)) {
		errno = EINVAL;
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (!g || wb_store__add_obj(store, WB_EXTERN_GLOBAL, g)) {
		free(g);
		errno = ENOMEM;
		return NULL;
	}
	g->val = init;
	g->type = valtype;
	g->mutable_ = mutable_;
	return g;
}

uint8_t wb_global__type(const struct wb_global *global)
{
	return global ? global->type : 0;
}

bool wb_global__mutable(const struct wb_global *global)
{
	return global ? global->mutable_ : false;
}

wb_value wb_global__get(const struct wb_global *global)
{
	wb_value v = { 0 };

	return global ? global->val : v;
}

int wb_global__set(struct wb_global *global, wb_value val)
{
	if (!global)
		return -EINVAL;
	if (!global->mutable_)
		return -EPERM;
	global->val = val;
	return 0;
}
