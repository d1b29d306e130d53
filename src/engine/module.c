/* SPDX-License-Identifier: MIT */
/*
 * Modules: loading (decode, validate, compile) and the inspection helpers of
 * the public API (imports, exports, data segments, function names).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

struct wb_module *wb_module__new(const void *buf, size_t buf_sz,
				 const struct wb_module_opts *opts, struct wb_error *err)
{
	struct wb_error local;
	struct wb_module *m;
	bool jit = false;
	int ret;

	if (!err)
		err = &local;
	memset(err, 0, sizeof(*err));
	err->section = -1;
	err->func_idx = -1;

	if (opts && opts->sz >= offsetof(struct wb_module_opts, jit) + sizeof(opts->jit))
		jit = opts->jit;
	if (!buf && buf_sz) {
		errno = EINVAL;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		goto nomem;
	m->bytes = malloc(buf_sz ? buf_sz : 1);
	if (!m->bytes) {
		free(m);
		goto nomem;
	}
	if (buf_sz)
		memcpy(m->bytes, buf, buf_sz);
	m->size = buf_sz;

	ret = wb_decode(m, err);
	if (!ret)
		ret = wb_validate(m, err);
	if (!ret)
		ret = wb_compile(m, jit, err);
	if (ret) {
		wb_module__free(m);
		if (err->kind == WB_ERR_NONE) {
			err->kind = ret == -ENOMEM ? WB_ERR_RESOURCE : WB_ERR_INVALID;
			err->msg = ret == -ENOMEM ? "out of memory" : "invalid module";
		}
		errno = ret < 0 ? -ret : EINVAL;
		return NULL;
	}
	return m;

nomem:
	err->kind = WB_ERR_RESOURCE;
	err->msg = "out of memory";
	errno = ENOMEM;
	return NULL;
}

void wb_module__free(struct wb_module *m)
{
	if (!m)
		return;
	/* Releases the compiled code too. */
	wb_module__release(m);
	free(m);
}

uint32_t wb_module__import_cnt(const struct wb_module *m)
{
	return m ? m->import_cnt : 0;
}

int wb_module__import(const struct wb_module *m, uint32_t i, struct wb_import_desc *out)
{
	const struct wb_import *im;

	if (!m || !out)
		return -EINVAL;
	if (i >= m->import_cnt)
		return -ERANGE;
	im = &m->imports[i];
	memset(out, 0, sizeof(*out));
	out->module = im->module.str;
	out->module_len = im->module.len;
	out->name = im->name.str;
	out->name_len = im->name.len;
	out->kind = im->kind;
	switch (im->kind) {
	case WB_EXTERN_FUNC:
		out->func = m->types[im->type_idx];
		break;
	case WB_EXTERN_TABLE:
		out->elem_type = im->table.elem_type;
		out->limits = im->table.limits;
		break;
	case WB_EXTERN_MEMORY:
		out->limits = im->memory;
		break;
	case WB_EXTERN_GLOBAL:
		out->valtype = im->global.valtype;
		out->mutable_ = im->global.mutable_;
		break;
	}
	return 0;
}

uint32_t wb_module__export_cnt(const struct wb_module *m)
{
	return m ? m->export_cnt : 0;
}

int wb_module__export(const struct wb_module *m, uint32_t i, struct wb_export_desc *out)
{
	const struct wb_export *x;

	if (!m || !out)
		return -EINVAL;
	if (i >= m->export_cnt)
		return -ERANGE;
	x = &m->exports[i];
	memset(out, 0, sizeof(*out));
	out->name = x->name.str;
	out->name_len = x->name.len;
	out->kind = x->kind;
	out->index = x->idx;
	if (x->kind == WB_EXTERN_FUNC)
		out->func = m->types[m->func_types[x->idx]];
	return 0;
}

uint32_t wb_module__data_cnt(const struct wb_module *m)
{
	return m ? m->data_cnt : 0;
}

int wb_module__data(const struct wb_module *m, uint32_t i, const uint8_t **bytes, uint32_t *len)
{
	if (!m || !bytes || !len)
		return -EINVAL;
	if (i >= m->data_cnt)
		return -ERANGE;
	*bytes = m->datas[i].bytes;
	*len = m->datas[i].len;
	return 0;
}

const char *wb_module__func_name(const struct wb_module *m, uint32_t func_idx)
{
	if (!m || !m->func_names || func_idx >= m->func_cnt)
		return NULL;
	return m->func_names[func_idx];
}
