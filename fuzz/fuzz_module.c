/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the module pipeline: decode, validate, compile, then
 * instantiate in a small store with an empty linker (and, if that fails to
 * link, again with a made-up extern of the right type for every import), and
 * call every exported function with zero arguments. Whatever the input,
 * nothing may crash, leak or hit UB.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wasm-bpf/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Tight limits so that a looping or recursing module ends quickly. */
static struct wb_store *small_store(void)
{
	WB_OPTS(wb_store_opts, opts,
		.max_memory_pages = 16,
		.max_call_depth = 200,
		.stack_bytes = 256 * 1024,
		.fuel = 100000,
		.max_table_elems = 10000);

	return wb_store__new(&opts);
}

static void call_exports(struct wb_store *s, struct wb_instance *inst,
			 const struct wb_module *m)
{
	wb_value args[16], results[16];
	struct wb_export_desc ex;
	struct wb_extern ext;
	uint32_t i;

	memset(args, 0, sizeof(args));
	for (i = 0; i < wb_module__export_cnt(m); i++) {
		if (wb_module__export(m, i, &ex) || ex.kind != WB_EXTERN_FUNC)
			continue;
		if (ex.func.param_cnt > 16 || ex.func.result_cnt > 16)
			continue;
		/* Names may hold NUL; the lookup by C string may find another
		 * export, so call through the extern of the first match only
		 * when it is a function. */
		if (wb_instance__export(inst, ex.name, &ext) || ext.kind != WB_EXTERN_FUNC)
			continue;
		if (wb_func__type(ext.func)->param_cnt != ex.func.param_cnt ||
		    wb_func__type(ext.func)->result_cnt != ex.func.result_cnt)
			continue;
		wb_func__call(s, ext.func, args, ex.func.param_cnt, results, ex.func.result_cnt);
	}
}

/* A host function for any signature (user = result count): results are zero. */
static int zero_host(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	memset(results, 0, (uintptr_t)hc->user * sizeof(*results));
	return 0;
}

/*
 * Define an extern of exactly the declared type for every import, so that
 * modules with imports get past linking too. Failures just leave the import
 * undefined.
 */
static void define_imports(struct wb_store *s, struct wb_linker *l, const struct wb_module *m)
{
	struct wb_import_desc im;
	struct wb_extern ext;
	wb_value zero;
	uint32_t i;

	memset(&zero, 0, sizeof(zero));
	for (i = 0; i < wb_module__import_cnt(m); i++) {
		if (wb_module__import(m, i, &im))
			continue;
		ext.kind = im.kind;
		switch (im.kind) {
		case WB_EXTERN_FUNC:
			ext.func = wb_func__new_host(s, &im.func, zero_host,
						     (void *)(uintptr_t)im.func.result_cnt, "zero");
			break;
		case WB_EXTERN_TABLE:
			ext.table = wb_table__new(s, im.elem_type, &im.limits, NULL);
			break;
		case WB_EXTERN_MEMORY:
			ext.memory = wb_memory__new(s, &im.limits);
			break;
		case WB_EXTERN_GLOBAL:
			ext.global = wb_global__new(s, im.valtype, im.mutable_, zero);
			break;
		default:
			continue;
		}
		if (ext.func)
			wb_linker__define_n(l, im.module, im.module_len, im.name, im.name_len, &ext);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wb_module *m;
	struct wb_store *s;
	struct wb_linker *l;
	struct wb_instance *inst;
	struct wb_error err;
	char msg[512];

	m = wb_module__new(data, size, NULL, &err);
	if (!m) {
		wb_error__format(&err, msg, sizeof(msg));
		return 0;
	}
	s = small_store();
	l = wb_linker__new();
	if (s && l) {
		inst = wb_instance__new(s, m, l, &err);
		if (!inst && err.kind == WB_ERR_UNLINKABLE) {
			define_imports(s, l, m);
			inst = wb_instance__new(s, m, l, &err);
		}
		if (inst)
			call_exports(s, inst, m);
		else
			wb_error__format(&err, msg, sizeof(msg));
	}
	wb_linker__free(l);
	wb_store__free(s);
	wb_module__free(m);
	return 0;
}
