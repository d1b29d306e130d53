/* SPDX-License-Identifier: MIT */
/*
 * Load/validation error reporting (wb_error__set, wb_error__format) and the
 * release of everything a decoded module owns (wb_module__release).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit.h"
#include "module.h"
#include "runtime.h"

int wb_error__set(struct wb_error *err, enum wb_error_kind kind, const char *msg, int section,
		  int64_t func_idx, size_t offset, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -EINVAL;
	err->kind = kind;
	err->msg = msg ? msg : "unknown error";
	err->section = section;
	err->func_idx = func_idx;
	err->offset = offset;
	err->detail[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static const char *kind_name(enum wb_error_kind kind)
{
	switch (kind) {
	case WB_ERR_NONE:
		return "no error";
	case WB_ERR_MALFORMED:
		return "malformed module";
	case WB_ERR_INVALID:
		return "invalid module";
	case WB_ERR_UNLINKABLE:
		return "unlinkable module";
	case WB_ERR_TRAP:
		return "instantiation trapped";
	case WB_ERR_RESOURCE:
		return "resource limit";
	}
	return "error";
}

static const char *section_name(int id)
{
	static const char *const names[] = {
	    [WB_SEC_CUSTOM] = "custom",
	    [WB_SEC_TYPE] = "type",
	    [WB_SEC_IMPORT] = "import",
	    [WB_SEC_FUNCTION] = "function",
	    [WB_SEC_TABLE] = "table",
	    [WB_SEC_MEMORY] = "memory",
	    [WB_SEC_GLOBAL] = "global",
	    [WB_SEC_EXPORT] = "export",
	    [WB_SEC_START] = "start",
	    [WB_SEC_ELEMENT] = "element",
	    [WB_SEC_CODE] = "code",
	    [WB_SEC_DATA] = "data",
	    [WB_SEC_DATACOUNT] = "data count",
	};

	if (id < 0 || id >= (int)(sizeof(names) / sizeof(names[0])))
		return NULL;
	return names[id];
}

const char *wb_error__format(const struct wb_error *err, char *buf, size_t buf_sz)
{
	const char *sec;
	size_t n = 0;
	int w;
	bool paren = false;

	if (!buf || !buf_sz)
		return buf;
	buf[0] = '\0';
	if (!err)
		return buf;

#define APPEND(...)                                                                                \
	do {                                                                                       \
		if (n < buf_sz) {                                                                  \
			w = snprintf(buf + n, buf_sz - n, __VA_ARGS__);                            \
			if (w > 0)                                                                 \
				n += (size_t)w;                                                    \
		}                                                                                  \
	} while (0)

	APPEND("%s: %s", kind_name(err->kind), err->msg ? err->msg : "unknown error");
	sec = section_name(err->section);
	if (sec) {
		APPEND(" (%s section", sec);
		paren = true;
	}
	if (err->func_idx >= 0) {
		APPEND("%sfunction %lld", paren ? ", " : " (", (long long)err->func_idx);
		paren = true;
	}
	if (err->offset) {
		APPEND("%soffset 0x%zx", paren ? ", " : " (", err->offset);
		paren = true;
	}
	if (paren)
		APPEND(")");
	if (err->detail[0])
		APPEND(": %s", err->detail);
#undef APPEND
	return buf;
}

static void name_free(struct wb_name *n)
{
	free(n->str);
	n->str = NULL;
	n->len = 0;
}

void wb_module__release(struct wb_module *m)
{
	uint32_t i;

	if (!m)
		return;

	free(m->bytes);
	m->bytes = NULL;
	m->size = 0;

	free(m->types);
	m->types = NULL;
	free(m->type_pool);
	m->type_pool = NULL;
	m->type_cnt = 0;

	if (m->imports) {
		for (i = 0; i < m->import_cnt; i++) {
			name_free(&m->imports[i].module);
			name_free(&m->imports[i].name);
		}
	}
	free(m->imports);
	m->imports = NULL;
	m->import_cnt = 0;

	free(m->func_types);
	m->func_types = NULL;
	free(m->tables);
	m->tables = NULL;
	free(m->mems);
	m->mems = NULL;
	free(m->global_types);
	m->global_types = NULL;
	free(m->globals);
	m->globals = NULL;

	if (m->exports) {
		for (i = 0; i < m->export_cnt; i++)
			name_free(&m->exports[i].name);
	}
	free(m->exports);
	m->exports = NULL;
	m->export_cnt = 0;

	if (m->elems) {
		for (i = 0; i < m->elem_cnt; i++)
			free(m->elems[i].items);
	}
	free(m->elems);
	m->elems = NULL;
	m->elem_cnt = 0;

	free(m->datas);
	m->datas = NULL;
	m->data_cnt = 0;

	if (m->funcs) {
		for (i = 0; i < m->code_cnt; i++) {
			free(m->funcs[i].local_types);
			if (m->funcs[i].code)
				wb_code__free(m->funcs[i].code);
		}
	}
	free(m->funcs);
	m->funcs = NULL;
	m->code_cnt = 0;
	wb_jit__free(m->jit);
	m->jit = NULL;

	free(m->declared_refs);
	m->declared_refs = NULL;

	if (m->func_names) {
		for (i = 0; i < m->func_cnt; i++)
			free(m->func_names[i]);
	}
	free(m->func_names);
	m->func_names = NULL;

	m->func_cnt = m->func_import_cnt = 0;
	m->table_cnt = m->table_import_cnt = 0;
	m->mem_cnt = m->mem_import_cnt = 0;
	m->global_cnt = m->global_import_cnt = 0;
}
