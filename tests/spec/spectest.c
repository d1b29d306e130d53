/* SPDX-License-Identifier: MIT */
/*
 * The "spectest" host module that the spec tests import: print functions,
 * four immutable globals, a funcref table and a memory.
 */
#include <errno.h>
#include <inttypes.h>

#include "spec.h"

static const uint8_t t_i32[] = { WB_I32 };
static const uint8_t t_i64[] = { WB_I64 };
static const uint8_t t_f32[] = { WB_F32 };
static const uint8_t t_f64[] = { WB_F64 };
static const uint8_t t_i32_f32[] = { WB_I32, WB_F32 };
static const uint8_t t_f64_f64[] = { WB_F64, WB_F64 };

static const struct {
	const char *name;
	uint32_t param_cnt;
	const uint8_t *params;
} print_fns[] = {
	{ "print", 0, NULL },
	{ "print_i32", 1, t_i32 },
	{ "print_i64", 1, t_i64 },
	{ "print_f32", 1, t_f32 },
	{ "print_f64", 1, t_f64 },
	{ "print_i32_f32", 2, t_i32_f32 },
	{ "print_f64_f64", 2, t_f64_f64 },
};

/*
 * The host functions need to know which print they are and where to print;
 * one static context per function is enough, since the runner handles one
 * file (one store) at a time.
 */
static struct print_ctx {
	FILE *log;		/* NULL when not verbose */
	uint32_t idx;		/* into print_fns */
} print_ctx[sizeof(print_fns) / sizeof(print_fns[0])];

static int spectest_print(const struct wb_hostcall *hc, const wb_value *args,
			  wb_value *results)
{
	const struct print_ctx *ctx = hc->user;
	char buf[96];
	uint32_t i;

	if (!ctx->log)
		return 0;
	fprintf(ctx->log, "  spectest.%s(", print_fns[ctx->idx].name);
	for (i = 0; i < print_fns[ctx->idx].param_cnt; i++)
		fprintf(ctx->log, "%s%s", i ? ", " : "",
			spec_value__format(print_fns[ctx->idx].params[i], args[i], buf,
					   sizeof(buf)));
	fprintf(ctx->log, ")\n");
	return 0;
}

/* Define spectest.name as ext, created just before (NULL if that failed). */
static int define_extern(struct wb_linker *linker, const char *name, struct wb_extern *ext)
{
	if (!ext->func)
		return errno ? -errno : -ENOMEM;
	return wb_linker__define(linker, "spectest", name, ext);
}

int spectest__define(struct wb_linker *linker, struct wb_store *store, FILE *log)
{
	static const struct wb_limits table_limits = { .min = 10, .max = 20, .has_max = true };
	static const struct wb_limits mem_limits = { .min = 1, .max = 2, .has_max = true };
	struct wb_functype type = { 0 };
	struct wb_extern ext;
	wb_value v;
	size_t i;
	int err;

	for (i = 0; i < sizeof(print_fns) / sizeof(print_fns[0]); i++) {
		print_ctx[i].log = log;
		print_ctx[i].idx = (uint32_t)i;
		type.param_cnt = print_fns[i].param_cnt;
		type.params = print_fns[i].params;
		err = wb_linker__define_host(linker, store, "spectest", print_fns[i].name, &type,
					     spectest_print, &print_ctx[i]);
		if (err)
			return err < 0 ? err : -EINVAL;
	}

	/* The union is cleared first so that the unused upper bits are zero. */
	ext.kind = WB_EXTERN_GLOBAL;
	v.i64 = 0;
	v.i32 = 666;
	ext.global = wb_global__new(store, WB_I32, false, v);
	if ((err = define_extern(linker, "global_i32", &ext)))
		return err;
	v.i64 = 666;
	ext.global = wb_global__new(store, WB_I64, false, v);
	if ((err = define_extern(linker, "global_i64", &ext)))
		return err;
	v.i64 = 0;
	v.f32 = 666.6f;
	ext.global = wb_global__new(store, WB_F32, false, v);
	if ((err = define_extern(linker, "global_f32", &ext)))
		return err;
	v.f64 = 666.6;
	ext.global = wb_global__new(store, WB_F64, false, v);
	if ((err = define_extern(linker, "global_f64", &ext)))
		return err;

	ext.kind = WB_EXTERN_TABLE;
	ext.table = wb_table__new(store, WB_FUNCREF, &table_limits, NULL);
	if ((err = define_extern(linker, "table", &ext)))
		return err;

	ext.kind = WB_EXTERN_MEMORY;
	ext.memory = wb_memory__new(store, &mem_limits);
	return define_extern(linker, "memory", &ext);
}
