/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the engine's embedding API (include/wasm-bpf/engine.h), run
 * with cmocka on the .wasm fixtures built from tests/unit/wat/.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "wasm-bpf/engine.h"

#ifndef UNIT_WASM_DIR
#define UNIT_WASM_DIR "build/tests/unit"
#endif

/* Index of functions in host.wat's function space (3 imports come first). */
#define HOST_FN_DOUBLE 3
#define HOST_FN_CALL_TRAP 6

static const uint8_t t_i32[] = { WB_I32, WB_I32, WB_I32 };

static void *read_fixture(const char *name, size_t *len)
{
	char path[512];
	uint8_t *buf = NULL;
	long sz = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", UNIT_WASM_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open fixture %s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		fail_msg("cannot size %s", path);
	buf = malloc(sz ? sz : 1);
	assert_non_null(buf);
	if (fread(buf, 1, sz, f) != (size_t)sz)
		fail_msg("short read on %s", path);
	fclose(f);
	*len = sz;
	return buf;
}

static struct wb_module *load_fixture(const char *name)
{
	struct wb_error err;
	struct wb_module *m;
	char msg[512];
	size_t len;
	void *buf;

	buf = read_fixture(name, &len);
	m = wb_module__new(buf, len, NULL, &err);
	free(buf);
	if (!m)
		fail_msg("%s: %s", name, wb_error__format(&err, msg, sizeof(msg)));
	return m;
}

/* ---------------------------------------------------------------- host functions */

struct host_state {
	int add_calls;
	bool add_had_caller;
	int reenter_calls;
};

static int host_add(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	struct host_state *st = hc->user;

	st->add_calls++;
	st->add_had_caller = hc->caller != NULL;
	results[0].i32 = args[0].i32 + args[1].i32;
	return 0;
}

static int host_trap(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	return wb_hostcall__trap(hc, "bad value %u", args[0].i32);
}

/* Calls back into the calling instance: guest -> host -> guest. */
static int host_reenter(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	struct host_state *st = hc->user;

	st->reenter_calls++;
	if (!hc->caller)
		return wb_hostcall__trap(hc, "no caller");
	return wb_instance__call(hc->caller, "double", args, 1, results, 1);
}

struct fixture {
	struct wb_store *store;
	struct wb_linker *linker;
	struct wb_module *module;
	struct wb_instance *inst;
	struct host_state st;
};

static void define_env(struct fixture *fx)
{
	struct wb_functype binop = { 2, 1, t_i32, t_i32 };
	struct wb_functype unop_void = { 1, 0, t_i32, NULL };
	struct wb_functype unop = { 1, 1, t_i32, t_i32 };

	assert_int_equal(wb_linker__define_host(fx->linker, fx->store, "env", "host_add", &binop,
						host_add, &fx->st), 0);
	assert_int_equal(wb_linker__define_host(fx->linker, fx->store, "env", "host_trap",
						&unop_void, host_trap, &fx->st), 0);
	assert_int_equal(wb_linker__define_host(fx->linker, fx->store, "env", "reenter", &unop,
						host_reenter, &fx->st), 0);
}

/* Store (with opts), linker with env.*, host.wasm instantiated. */
static struct fixture *fixture_new(const struct wb_store_opts *opts)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct wb_error err;
	char msg[512];

	assert_non_null(fx);
	fx->store = wb_store__new(opts);
	assert_non_null(fx->store);
	fx->linker = wb_linker__new();
	assert_non_null(fx->linker);
	fx->module = load_fixture("host.wasm");
	define_env(fx);
	fx->inst = wb_instance__new(fx->store, fx->module, fx->linker, &err);
	if (!fx->inst)
		fail_msg("instantiate host.wasm: %s", wb_error__format(&err, msg, sizeof(msg)));
	return fx;
}

static void fixture_free(struct fixture *fx)
{
	if (!fx)
		return;
	wb_store__free(fx->store);
	wb_linker__free(fx->linker);
	wb_module__free(fx->module);
	free(fx);
}

static uint32_t call_i32(struct wb_instance *inst, const char *name, uint32_t arg)
{
	wb_value a = { .i32 = arg }, r = { 0 };
	int ret;

	ret = wb_instance__call(inst, name, &a, 1, &r, 1);
	if (ret) {
		const struct wb_trap *t = wb_store__trap(wb_instance__store(inst));

		fail_msg("%s(%u) returned %d (%s)", name, arg, ret,
			 ret == WB_TRAPPED ? t->msg : strerror(-ret));
	}
	return r.i32;
}

/* ---------------------------------------------------------------- loading */

static void test_load_errors(void **state)
{
	static const uint8_t garbage[] = "this is not a wasm module";
	static const uint8_t bad_version[] = { 0, 'a', 's', 'm', 2, 0, 0, 0 };
	static const uint8_t short_custom[] = {
		0, 'a', 's', 'm', 1, 0, 0, 0,
		5, 3, 1, 0, 8,					/* memory 0 8 */
		7, 10, 1, 6, 'm', 'e', 'm', 'o', 'r', 'y', 2, 0,	/* export */
		0, 8, 4, 'n', 'a', 'm', 'e', 2, 0,		/* custom: 7 of 8 bytes */
	};
	struct wb_error err;
	struct wb_module *m;
	char msg[512];
	size_t len;
	uint8_t *buf;

	errno = 0;
	m = wb_module__new(garbage, sizeof(garbage), NULL, &err);
	assert_null(m);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(err.kind, WB_ERR_MALFORMED);
	assert_non_null(err.msg);
	assert_non_null(wb_error__format(&err, msg, sizeof(msg)));
	assert_true(strlen(msg) > 0);

	m = wb_module__new(bad_version, sizeof(bad_version), NULL, &err);
	assert_null(m);
	assert_int_equal(err.kind, WB_ERR_MALFORMED);
	assert_non_null(err.msg);

	/* Empty input, and NULL err is allowed. */
	m = wb_module__new(garbage, 0, NULL, &err);
	assert_null(m);
	assert_int_equal(err.kind, WB_ERR_MALFORMED);
	assert_null(wb_module__new(garbage, sizeof(garbage), NULL, NULL));

	/* Found by the fuzzer: a custom section whose size runs a few bytes past
	 * the end of the module (the size LEB itself was counted as content). */
	m = wb_module__new(short_custom, sizeof(short_custom), NULL, &err);
	assert_null(m);
	assert_int_equal(err.kind, WB_ERR_MALFORMED);

	/* Every truncation of a valid module is malformed, never a crash. */
	buf = read_fixture("host.wasm", &len);
	for (size_t cut = 0; cut < len; cut++) {
		m = wb_module__new(buf, cut, NULL, &err);
		if (m) {
			/* A cut between sections can leave a shorter valid module. */
			wb_module__free(m);
			continue;
		}
		assert_int_not_equal(err.kind, WB_ERR_NONE);
		assert_non_null(err.msg);
	}
	m = wb_module__new(buf, len / 2, NULL, &err);
	assert_null(m);
	assert_int_equal(err.kind, WB_ERR_MALFORMED);
	assert_non_null(err.msg);
	free(buf);
}

static void test_load_invalid(void **state)
{
	struct wb_error err;
	struct wb_module *m;
	char msg[512];
	size_t len;
	void *buf;

	buf = read_fixture("invalid_type.wasm", &len);
	errno = 0;
	m = wb_module__new(buf, len, NULL, &err);
	free(buf);
	assert_null(m);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(err.kind, WB_ERR_INVALID);
	assert_non_null(err.msg);
	/* Function 1 is the bad one; its body starts at 0x1e (see the fixture). */
	assert_int_equal(err.func_idx, 1);
	assert_in_range(err.offset, 0x1d, 0x21);
	wb_error__format(&err, msg, sizeof(msg));
	assert_non_null(strstr(msg, err.msg));
}

/* ---------------------------------------------------------------- inspection */

static void test_inspect(void **state)
{
	struct wb_module *m = load_fixture("host.wasm");
	struct wb_import_desc im;
	struct wb_export_desc ex;
	const uint8_t *bytes;
	uint32_t i, len;
	bool found = false;

	assert_int_equal(wb_module__import_cnt(m), 3);
	assert_int_equal(wb_module__import(m, 0, &im), 0);
	assert_string_equal(im.module, "env");
	assert_int_equal(im.module_len, 3);
	assert_string_equal(im.name, "host_add");
	assert_int_equal(im.name_len, 8);
	assert_int_equal(im.kind, WB_EXTERN_FUNC);
	assert_int_equal(im.func.param_cnt, 2);
	assert_int_equal(im.func.result_cnt, 1);
	assert_int_equal(im.func.params[0], WB_I32);
	assert_int_equal(im.func.params[1], WB_I32);
	assert_int_equal(im.func.results[0], WB_I32);
	assert_int_equal(wb_module__import(m, 1, &im), 0);
	assert_string_equal(im.name, "host_trap");
	assert_int_equal(im.func.result_cnt, 0);
	assert_int_equal(wb_module__import(m, 3, &im), -ERANGE);

	assert_int_equal(wb_module__export_cnt(m), 15);
	assert_int_equal(wb_module__export(m, 0, &ex), 0);
	assert_string_equal(ex.name, "memory");
	assert_int_equal(ex.kind, WB_EXTERN_MEMORY);
	assert_int_equal(ex.index, 0);
	assert_int_equal(wb_module__export(m, 15, &ex), -ERANGE);
	for (i = 0; i < wb_module__export_cnt(m); i++) {
		assert_int_equal(wb_module__export(m, i, &ex), 0);
		if (strcmp(ex.name, "swap"))
			continue;
		found = true;
		assert_int_equal(ex.kind, WB_EXTERN_FUNC);
		assert_int_equal(ex.index, 12);
		assert_int_equal(ex.func.param_cnt, 2);
		assert_int_equal(ex.func.result_cnt, 2);
		assert_int_equal(ex.func.params[0], WB_I64);
		assert_int_equal(ex.func.params[1], WB_F64);
		assert_int_equal(ex.func.results[0], WB_F64);
		assert_int_equal(ex.func.results[1], WB_I64);
	}
	assert_true(found);

	assert_int_equal(wb_module__data_cnt(m), 1);
	assert_int_equal(wb_module__data(m, 0, &bytes, &len), 0);
	assert_int_equal(len, 11);
	assert_memory_equal(bytes, "hello\0world", 11);
	assert_int_equal(wb_module__data(m, 1, &bytes, &len), -ERANGE);

	assert_non_null(wb_module__func_name(m, HOST_FN_DOUBLE));
	assert_string_equal(wb_module__func_name(m, HOST_FN_DOUBLE), "double");
	assert_null(wb_module__func_name(m, 1000));

	wb_module__free(m);
	wb_module__free(NULL);
}

/* ---------------------------------------------------------------- calls */

static void test_host_calls(void **state)
{
	struct fixture *fx = fixture_new(NULL);
	struct wb_functype binop = { 2, 1, t_i32, t_i32 };
	wb_value args[2] = { { .i32 = 40 }, { .i32 = 2 } }, res[2];
	struct wb_func *f;

	assert_int_equal(call_i32(fx->inst, "double", 21), 42);

	/* Guest calls a host function with params and a result. */
	assert_int_equal(wb_instance__call(fx->inst, "call_host_add", args, 2, res, 1), 0);
	assert_int_equal(res[0].i32, 42);
	assert_int_equal(fx->st.add_calls, 1);
	assert_true(fx->st.add_had_caller);

	/* Wrong counts are errors, not traps. */
	assert_int_equal(wb_instance__call(fx->inst, "call_host_add", args, 1, res, 1), -EINVAL);
	assert_int_equal(wb_instance__call(fx->inst, "call_host_add", args, 2, res, 0), -EINVAL);
	assert_int_equal(wb_instance__call(fx->inst, "no_such", args, 0, res, 0), -ENOENT);
	assert_int_equal(wb_instance__call(fx->inst, "memory", args, 0, res, 0), -EINVAL);

	/* A host function called directly has no caller instance. */
	f = wb_func__new_host(fx->store, &binop, host_add, &fx->st, "direct_add");
	assert_non_null(f);
	assert_int_equal(wb_func__type(f)->param_cnt, 2);
	assert_int_equal(wb_func__call(fx->store, f, args, 2, res, 1), 0);
	assert_int_equal(res[0].i32, 42);
	assert_false(fx->st.add_had_caller);
	assert_int_equal(wb_func__call(fx->store, f, args, 3, res, 1), -EINVAL);

	/* Multi-value results, float bits preserved. */
	args[0].i64 = 0x123456789abcdefull;
	args[1].f64 = 2.5;
	assert_int_equal(wb_instance__call(fx->inst, "swap", args, 2, res, 2), 0);
	assert_true(res[0].f64 == 2.5);
	assert_int_equal(res[1].i64, 0x123456789abcdefull);

	fixture_free(fx);
}

static void test_reentrant(void **state)
{
	struct fixture *fx = fixture_new(NULL);

	/* guest call_reenter -> host reenter -> guest double -> back: 2x + 1 */
	assert_int_equal(call_i32(fx->inst, "call_reenter", 20), 41);
	assert_int_equal(fx->st.reenter_calls, 1);
	for (uint32_t i = 0; i < 100; i++)
		assert_int_equal(call_i32(fx->inst, "call_reenter", i), 2 * i + 1);
	fixture_free(fx);
}

static void test_host_trap(void **state)
{
	struct fixture *fx = fixture_new(NULL);
	wb_value a = { .i32 = 5 };
	const struct wb_trap *t;
	bool guest_frame = false;
	uint32_t i;

	assert_int_equal(wb_instance__call(fx->inst, "call_trap", &a, 1, NULL, 0), WB_TRAPPED);
	t = wb_store__trap(fx->store);
	assert_int_equal(t->kind, WB_TRAP_HOST);
	assert_string_equal(t->msg, "bad value 5");
	assert_true(t->frame_cnt >= 1);
	for (i = 0; i < t->frame_cnt; i++) {
		if (t->frames[i].module == fx->module &&
		    t->frames[i].func_idx == HOST_FN_CALL_TRAP)
			guest_frame = true;
	}
	assert_true(guest_frame);

	/* The store is usable after a trap. */
	assert_int_equal(call_i32(fx->inst, "double", 4), 8);
	fixture_free(fx);
}

static void test_globals(void **state)
{
	struct fixture *fx = fixture_new(NULL);
	struct wb_extern ext;
	wb_value v = { .i32 = 100 };
	wb_value r;

	assert_int_equal(wb_instance__export(fx->inst, "counter", &ext), 0);
	assert_int_equal(ext.kind, WB_EXTERN_GLOBAL);
	assert_int_equal(wb_global__type(ext.global), WB_I32);
	assert_true(wb_global__mutable(ext.global));
	assert_int_equal(wb_global__get(ext.global).i32, 7);
	assert_int_equal(wb_instance__call(fx->inst, "bump", NULL, 0, &r, 1), 0);
	assert_int_equal(r.i32, 8);
	assert_int_equal(wb_global__get(ext.global).i32, 8);
	assert_int_equal(wb_global__set(ext.global, v), 0);
	assert_int_equal(wb_instance__call(fx->inst, "bump", NULL, 0, &r, 1), 0);
	assert_int_equal(r.i32, 101);

	assert_int_equal(wb_instance__export(fx->inst, "answer", &ext), 0);
	assert_int_equal(wb_global__type(ext.global), WB_I64);
	assert_false(wb_global__mutable(ext.global));
	assert_int_equal(wb_global__get(ext.global).i64, 42);
	assert_int_equal(wb_global__set(ext.global, v), -EPERM);

	assert_int_equal(wb_instance__export(fx->inst, "nope", &ext), -ENOENT);
	errno = 0;
	assert_null(wb_instance__func(fx->inst, "counter"));
	assert_int_equal(errno, EINVAL);
	fixture_free(fx);
}

static void test_call_table(void **state)
{
	struct fixture *fx = fixture_new(NULL);
	struct wb_functype unop = { 1, 1, t_i32, t_i32 };
	struct wb_functype wrong = { 1, 0, t_i32, NULL };
	wb_value a[3] = { { .i32 = 21 }, { .i32 = 1 }, { .i32 = 2 } }, r;
	struct wb_table *t;
	void *ref;

	assert_int_equal(wb_instance__call_table(fx->inst, 0, 1, &unop, a, 1, &r, 1), 0);
	assert_int_equal(r.i32, 42);
	assert_int_equal(wb_instance__call_table(fx->inst, 0, 1, NULL, a, 1, &r, 1), 0);
	assert_int_equal(wb_instance__call_table(fx->inst, 0, 2, NULL, a, 3, &r, 1), 0);
	assert_int_equal(r.i32, 24);

	assert_int_equal(wb_instance__call_table(fx->inst, 1, 1, &unop, a, 1, &r, 1), -ENOENT);
	assert_int_equal(wb_instance__call_table(fx->inst, 0, 4, &unop, a, 1, &r, 1), -ERANGE);
	assert_int_equal(wb_instance__call_table(fx->inst, 0, UINT32_MAX, NULL, a, 1, &r, 1),
			 -ERANGE);
	assert_int_equal(wb_instance__call_table(fx->inst, 0, 0, &unop, a, 1, &r, 1), -EFAULT);
	assert_int_equal(wb_instance__call_table(fx->inst, 0, 3, &unop, a, 1, &r, 1), -EFAULT);
	assert_int_equal(wb_instance__call_table(fx->inst, 0, 1, &wrong, a, 1, &r, 1), -EINVAL);
	assert_int_equal(wb_instance__call_table(fx->inst, 0, 2, &unop, a, 1, &r, 1), -EINVAL);
	/* Right type, wrong counts. */
	assert_int_equal(wb_instance__call_table(fx->inst, 0, 1, NULL, a, 2, &r, 1), -EINVAL);

	t = wb_instance__table(fx->inst, 0);
	assert_non_null(t);
	assert_null(wb_instance__table(fx->inst, 1));
	assert_int_equal(wb_table__size(t), 4);
	assert_int_equal(wb_table__elem_type(t), WB_FUNCREF);
	assert_int_equal(wb_table__get(t, 1, &ref), 0);
	assert_non_null(ref);
	assert_int_equal(wb_table__get(t, 4, &ref), -ERANGE);
	/* Copy entry 1 into 0 and call it. */
	assert_int_equal(wb_table__set(t, 0, ref), 0);
	assert_int_equal(wb_instance__call_table(fx->inst, 0, 0, &unop, a, 1, &r, 1), 0);
	assert_int_equal(r.i32, 42);
	assert_int_equal(wb_table__set(t, 4, ref), -ERANGE);
	fixture_free(fx);
}

/* ---------------------------------------------------------------- memory */

static void test_memory_helpers(void **state)
{
	struct fixture *fx = fixture_new(NULL);
	struct wb_memory *mem = wb_instance__memory(fx->inst);
	uint64_t size;
	uint8_t *data;

	assert_non_null(mem);
	size = wb_memory__size(mem);
	data = wb_memory__data(mem);
	assert_int_equal(size, WB_PAGE_SIZE);
	assert_int_equal(wb_memory__pages(mem), 1);

	assert_ptr_equal(wb_memory__ptr(mem, 0, size), data);
	assert_ptr_equal(wb_memory__ptr(mem, 10, size - 10), data + 10);
	assert_null(wb_memory__ptr(mem, 10, size - 9));
	assert_ptr_equal(wb_memory__ptr(mem, size, 0), data + size);	/* empty at the end */
	assert_null(wb_memory__ptr(mem, size, 1));
	assert_null(wb_memory__ptr(mem, size + 1, 0));
	assert_null(wb_memory__ptr(mem, 10, UINT64_MAX));		/* off + len overflows */
	assert_null(wb_memory__ptr(mem, UINT64_MAX, 2));
	assert_null(wb_memory__ptr(mem, UINT64_MAX, 0));
	assert_null(wb_memory__ptr(NULL, 0, 0));

	/* Data segment "hello\0world" at 16. */
	assert_string_equal(wb_memory__str(mem, 16, 64), "hello");
	assert_string_equal(wb_memory__str(mem, 16, 6), "hello");	/* NUL is the 6th */
	assert_null(wb_memory__str(mem, 16, 5));
	assert_string_equal(wb_memory__str(mem, 22, 100), "world");
	assert_null(wb_memory__str(mem, 16, 0));
	/* No NUL before the end of memory. */
	memset(data + size - 8, 'x', 8);
	assert_null(wb_memory__str(mem, size - 8, 100));
	assert_null(wb_memory__str(mem, size - 1, 1));
	data[size - 1] = '\0';
	assert_string_equal(wb_memory__str(mem, size - 8, 100), "xxxxxxx");
	assert_null(wb_memory__str(mem, size, 10));
	assert_null(wb_memory__str(mem, UINT64_MAX, 10));

	/* Guest sees host writes. */
	data[100] = 0xab;
	assert_int_equal(call_i32(fx->inst, "load", 100), 0xab);
	fixture_free(fx);
}

static void test_memory_limits(void **state)
{
	WB_OPTS(wb_store_opts, opts, .max_memory_pages = 2);
	struct fixture *fx = fixture_new(&opts);
	struct wb_memory *mem = wb_instance__memory(fx->inst);
	struct wb_limits lim, zero = { 0, 0, true };
	struct wb_module *big;
	struct wb_error err;
	uint8_t *data = wb_memory__data(mem);
	wb_value r;

	/* Declared max 4, store cap 2. */
	assert_int_equal(call_i32(fx->inst, "grow", 1), 1);
	assert_int_equal(wb_instance__call(fx->inst, "size", NULL, 0, &r, 1), 0);
	assert_int_equal(r.i32, 2);
	assert_int_equal(call_i32(fx->inst, "grow", 1), (uint32_t)-1);
	assert_int_equal(wb_memory__grow(mem, 1), -1);
	assert_int_equal(wb_memory__grow(mem, 0), 2);
	assert_int_equal(wb_memory__pages(mem), 2);
	assert_int_equal(wb_memory__size(mem), 2 * WB_PAGE_SIZE);
	assert_ptr_equal(wb_memory__data(mem), data);		/* base never moves */
	data[2 * WB_PAGE_SIZE - 1] = 1;				/* new page is writable */
	wb_memory__limits(mem, &lim);
	assert_int_equal(lim.min, 2);
	assert_true(lim.has_max);
	assert_int_equal(lim.max, 4);

	/* A module whose memory exceeds the cap does not instantiate. */
	big = load_fixture("bigmem.wasm");
	errno = 0;
	assert_null(wb_instance__new(fx->store, big, NULL, &err));
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(err.kind, WB_ERR_RESOURCE);

	/* Host-made memories: an empty one, and growth by the public API. */
	mem = wb_memory__new(fx->store, &zero);
	assert_non_null(mem);
	assert_int_equal(wb_memory__size(mem), 0);
	assert_non_null(wb_memory__ptr(mem, 0, 0));
	assert_null(wb_memory__ptr(mem, 0, 1));
	assert_int_equal(wb_memory__grow(mem, 1), -1);
	zero.has_max = false;
	mem = wb_memory__new(fx->store, &zero);
	assert_non_null(mem);
	assert_int_equal(wb_memory__grow(mem, 2), 0);
	assert_int_equal(wb_memory__grow(mem, 1), -1);
	assert_non_null(wb_memory__ptr(mem, 0, 2 * WB_PAGE_SIZE));

	fixture_free(fx);
	wb_module__free(big);
}

/* ---------------------------------------------------------------- limits and interrupts */

static void test_stack_exhaustion(void **state)
{
	WB_OPTS(wb_store_opts, opts, .max_call_depth = 1000);
	struct fixture *fx;
	wb_value a = { .i32 = 0 }, r;

	/* Default limits: the C stack must not be what runs out. */
	fx = fixture_new(NULL);
	assert_int_equal(wb_instance__call(fx->inst, "recurse", &a, 1, &r, 1), WB_TRAPPED);
	assert_int_equal(wb_store__trap(fx->store)->kind, WB_TRAP_STACK_EXHAUSTED);
	assert_string_equal(wb_store__trap(fx->store)->msg, "call stack exhausted");
	assert_int_equal(call_i32(fx->inst, "double", 3), 6);
	fixture_free(fx);

	fx = fixture_new(&opts);
	assert_int_equal(wb_instance__call(fx->inst, "recurse", &a, 1, &r, 1), WB_TRAPPED);
	assert_int_equal(wb_store__trap(fx->store)->kind, WB_TRAP_STACK_EXHAUSTED);
	assert_true(wb_store__trap(fx->store)->frame_cnt > 0);
	fixture_free(fx);
}

static struct wb_store *volatile alarm_store;
static volatile sig_atomic_t alarm_cnt;

static void on_alarm(int sig)
{
	static const char msg[] = "interrupt did not stop the guest\n";

	alarm_cnt++;
	wb_store__interrupt(alarm_store);
	if (alarm_cnt > 500) {	/* ~10 s: fail instead of hanging */
		if (write(2, msg, sizeof(msg) - 1) < 0)
			_exit(2);
		_exit(1);
	}
}

static void test_interrupt(void **state)
{
	struct fixture *fx = fixture_new(NULL);
	struct itimerval tv = { { 0, 20000 }, { 0, 20000 } }, off = { { 0, 0 }, { 0, 0 } };
	struct sigaction sa, old;
	int ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	alarm_store = fx->store;
	alarm_cnt = 0;
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	assert_int_equal(setitimer(ITIMER_REAL, &tv, NULL), 0);
	ret = wb_instance__call(fx->inst, "spin", NULL, 0, NULL, 0);
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);

	assert_int_equal(ret, WB_TRAPPED);
	assert_true(alarm_cnt >= 1);
	assert_int_equal(wb_store__trap(fx->store)->kind, WB_TRAP_INTERRUPTED);
	assert_string_equal(wb_store__trap(fx->store)->msg, "interrupted");

	/* The flag stays set until cleared. */
	assert_int_equal(wb_instance__call(fx->inst, "spin", NULL, 0, NULL, 0), WB_TRAPPED);
	wb_store__clear_interrupt(fx->store);
	assert_int_equal(call_i32(fx->inst, "double", 5), 10);
	fixture_free(fx);
}

static void test_fuel(void **state)
{
	WB_OPTS(wb_store_opts, opts, .fuel = 10000);
	struct fixture *fx = fixture_new(&opts);

	assert_int_equal(wb_instance__call(fx->inst, "spin", NULL, 0, NULL, 0), WB_TRAPPED);
	assert_int_equal(wb_store__trap(fx->store)->kind, WB_TRAP_OUT_OF_FUEL);
	assert_string_equal(wb_store__trap(fx->store)->msg, "out of fuel");
	assert_true(wb_store__fuel(fx->store) < 10000);
	fixture_free(fx);
}

/* ---------------------------------------------------------------- linking */

static void test_unlinkable(void **state)
{
	struct wb_functype wrong = { 1, 1, t_i32, t_i32 };
	struct wb_functype binop = { 2, 1, t_i32, t_i32 };
	struct wb_store *s = wb_store__new(NULL);
	struct wb_linker *l = wb_linker__new();
	struct wb_module *m = load_fixture("host.wasm");
	struct wb_module *u = load_fixture("user.wasm");
	struct host_state st = { 0 };
	struct wb_extern ext;
	struct wb_error err;

	errno = 0;
	assert_null(wb_instance__new(s, m, NULL, &err));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(err.kind, WB_ERR_UNLINKABLE);
	assert_string_equal(err.msg, "unknown import");
	assert_non_null(strstr(err.detail, "host_add"));

	assert_int_equal(wb_linker__define_host(l, s, "env", "host_add", &wrong, host_add, &st), 0);
	assert_null(wb_instance__new(s, m, l, &err));
	assert_int_equal(err.kind, WB_ERR_UNLINKABLE);
	assert_string_equal(err.msg, "incompatible import type");

	/* A later definition replaces the earlier one; the next import is missing. */
	assert_int_equal(wb_linker__define_host(l, s, "env", "host_add", &binop, host_add, &st), 0);
	assert_null(wb_instance__new(s, m, l, &err));
	assert_string_equal(err.msg, "unknown import");
	assert_non_null(strstr(err.detail, "host_trap"));

	/* Wrong kind: a global where user.wasm wants a function. */
	ext.kind = WB_EXTERN_GLOBAL;
	ext.global = wb_global__new(s, WB_I32, true, (wb_value){ .i32 = 0 });
	assert_non_null(ext.global);
	assert_int_equal(wb_linker__define(l, "pure", "inc", &ext), 0);
	assert_null(wb_instance__new(s, u, l, &err));
	assert_string_equal(err.msg, "incompatible import type");

	wb_store__free(s);
	wb_linker__free(l);
	wb_module__free(m);
	wb_module__free(u);
}

static void test_link_instances(void **state)
{
	struct wb_store *s = wb_store__new(NULL);
	struct wb_linker *l = wb_linker__new();
	struct wb_module *p = load_fixture("pure.wasm");
	struct wb_module *u = load_fixture("user.wasm");
	struct wb_instance *pi, *ui;
	struct wb_limits big = { 1, 1, true };
	struct wb_extern ext;
	struct wb_error err;
	wb_value r;

	pi = wb_instance__new(s, p, NULL, &err);
	assert_non_null(pi);
	assert_ptr_equal(wb_instance__module(pi), p);
	assert_ptr_equal(wb_instance__store(pi), s);
	assert_int_equal(wb_instance__call(pi, "inc", NULL, 0, &r, 1), 0);
	assert_int_equal(r.i32, 2);	/* the start function ran once */
	assert_int_equal(wb_linker__define_instance(l, "pure", pi), 0);
	ui = wb_instance__new(s, u, l, &err);
	assert_non_null(ui);
	assert_int_equal(wb_instance__call(ui, "inc_twice", NULL, 0, &r, 1), 0);
	assert_int_equal(r.i32, 4);
	assert_int_equal(wb_instance__call(ui, "read_g", NULL, 0, &r, 1), 0);
	assert_int_equal(r.i32, 4);
	assert_ptr_equal(wb_instance__memory(ui), wb_instance__memory(pi));

	/* A memory smaller than the import's minimum (1 page) does not match. */
	big.min = 0;
	big.max = 0;
	ext.kind = WB_EXTERN_MEMORY;
	ext.memory = wb_memory__new(s, &big);
	assert_non_null(ext.memory);
	assert_int_equal(wb_linker__define(l, "pure", "mem", &ext), 0);
	assert_null(wb_instance__new(s, u, l, &err));
	assert_string_equal(err.msg, "incompatible import type");

	wb_store__free(s);
	wb_linker__free(l);
	wb_module__free(p);
	wb_module__free(u);
}

static int nul_fn(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	results[0].i32 = (uint32_t)(uintptr_t)hc->user;
	return 0;
}

static void test_nul_names(void **state)
{
	struct wb_functype t = { 0, 1, NULL, t_i32 };
	struct wb_store *s = wb_store__new(NULL);
	struct wb_linker *l = wb_linker__new();
	struct wb_module *m = load_fixture("nulname.wasm");
	struct wb_instance *inst;
	struct wb_import_desc im;
	struct wb_extern ext = { .kind = WB_EXTERN_FUNC };
	struct wb_error err;
	wb_value r;

	assert_int_equal(wb_module__import(m, 0, &im), 0);
	assert_int_equal(im.module_len, 4);
	assert_memory_equal(im.module, "en\0v", 4);
	assert_int_equal(im.name_len, 3);
	assert_memory_equal(im.name, "f\0x", 3);

	/* "en"."f" (the C-string prefixes) must not match. */
	ext.func = wb_func__new_host(s, &t, nul_fn, (void *)1, NULL);
	assert_int_equal(wb_linker__define(l, "en", "f", &ext), 0);
	assert_null(wb_instance__new(s, m, l, &err));
	assert_string_equal(err.msg, "unknown import");

	ext.func = wb_func__new_host(s, &t, nul_fn, (void *)2, NULL);
	assert_int_equal(wb_linker__define_n(l, "en\0v", 4, "f\0x", 3, &ext), 0);
	inst = wb_instance__new(s, m, l, &err);
	assert_non_null(inst);
	assert_int_equal(wb_instance__call(inst, "call", NULL, 0, &r, 1), 0);
	assert_int_equal(r.i32, 2);

	wb_store__free(s);
	wb_linker__free(l);
	wb_module__free(m);
}

static void test_instantiation_traps(void **state)
{
	struct wb_store *s = wb_store__new(NULL);
	struct wb_linker *l = wb_linker__new();
	struct wb_module *seg = load_fixture("segtrap.wasm");
	struct wb_module *st = load_fixture("starttrap.wasm");
	struct wb_limits one = { 1, 0, false };
	struct wb_extern ext = { .kind = WB_EXTERN_MEMORY };
	struct wb_error err;

	ext.memory = wb_memory__new(s, &one);
	assert_non_null(ext.memory);
	assert_int_equal(wb_linker__define(l, "env", "mem", &ext), 0);
	errno = 0;
	assert_null(wb_instance__new(s, seg, l, &err));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(err.kind, WB_ERR_TRAP);
	assert_string_equal(err.msg, "out of bounds memory access");
	assert_int_equal(wb_store__trap(s)->kind, WB_TRAP_MEMORY_OOB);
	/* The first segment was written before the second trapped. */
	assert_memory_equal(wb_memory__data(ext.memory), "abc", 3);
	assert_int_equal(wb_memory__data(ext.memory)[65535], 0);

	assert_null(wb_instance__new(s, st, NULL, &err));
	assert_int_equal(err.kind, WB_ERR_TRAP);
	assert_string_equal(err.msg, "unreachable");
	assert_int_equal(wb_store__trap(s)->kind, WB_TRAP_UNREACHABLE);

	wb_store__free(s);
	wb_linker__free(l);
	wb_module__free(seg);
	wb_module__free(st);
}

static int host_exit(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	return wb_hostcall__exit(hc, (int)args[0].i32);
}

/* Calls the caller's "inner" export and passes its result or trap on. */
static int host_call_back(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	return wb_instance__call(hc->caller, "inner", args, 1, results, 1);
}

static void test_exit_and_nested_traps(void **state)
{
	struct wb_functype unop_void = { 1, 0, t_i32, NULL };
	struct wb_functype unop = { 1, 1, t_i32, t_i32 };
	struct wb_store *s = wb_store__new(NULL);
	struct wb_linker *l = wb_linker__new();
	struct wb_module *m = load_fixture("nested.wasm");
	struct wb_instance *inst;
	const struct wb_trap *t;
	struct wb_error err;
	wb_value a = { .i32 = 3 }, r;

	assert_int_equal(wb_linker__define_host(l, s, "env", "host_exit", &unop_void, host_exit,
						NULL), 0);
	assert_int_equal(wb_linker__define_host(l, s, "env", "call_back", &unop, host_call_back,
						NULL), 0);
	inst = wb_instance__new(s, m, l, &err);
	assert_non_null(inst);

	/* An exit request ends the call before the guest's unreachable. */
	assert_int_equal(wb_instance__call(inst, "do_exit", &a, 1, NULL, 0), WB_TRAPPED);
	t = wb_store__trap(s);
	assert_int_equal(t->kind, WB_TRAP_EXIT);
	assert_int_equal(t->exit_code, 3);

	/* guest -> host -> guest, results flow back: 100 / 4 + 1 */
	a.i32 = 4;
	assert_int_equal(wb_instance__call(inst, "outer", &a, 1, &r, 1), 0);
	assert_int_equal(r.i32, 26);

	/* A trap in the inner guest call ends the outer one with the same kind. */
	a.i32 = 0;
	assert_int_equal(wb_instance__call(inst, "outer", &a, 1, &r, 1), WB_TRAPPED);
	t = wb_store__trap(s);
	assert_int_equal(t->kind, WB_TRAP_UNREACHABLE);
	assert_string_equal(t->msg, "unreachable");
	assert_true(t->frame_cnt >= 1);
	assert_ptr_equal(t->frames[0].module, m);
	assert_int_equal(t->frames[0].func_idx, 4);	/* "inner" */

	/* And the instance still works afterwards. */
	a.i32 = 50;
	assert_int_equal(wb_instance__call(inst, "outer", &a, 1, &r, 1), 0);
	assert_int_equal(r.i32, 3);

	wb_store__free(s);
	wb_linker__free(l);
	wb_module__free(m);
}

/* ---------------------------------------------------------------- store */

static int cleanup_order[8];
static int cleanup_cnt;

static void record_cleanup(void *arg)
{
	if (cleanup_cnt < 8)
		cleanup_order[cleanup_cnt++] = (int)(intptr_t)arg;
}

static void test_store_cleanups(void **state)
{
	struct wb_store *s = wb_store__new(NULL);
	struct wb_module *p = load_fixture("pure.wasm");
	struct wb_instance *a, *b;
	int x = 1;

	a = wb_instance__new(s, p, NULL, NULL);
	b = wb_instance__new(s, p, NULL, NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(wb_instance__memory(a), wb_instance__memory(b));
	wb_instance__set_user(a, &x);
	assert_ptr_equal(wb_instance__user(a), &x);
	assert_null(wb_instance__user(b));
	assert_int_equal(wb_instance__on_free(a, record_cleanup, (void *)1), 0);
	assert_int_equal(wb_instance__on_free(a, record_cleanup, (void *)2), 0);
	assert_int_equal(wb_instance__on_free(b, record_cleanup, (void *)3), 0);
	assert_int_equal(wb_instance__on_free(b, record_cleanup, (void *)4), 0);
	cleanup_cnt = 0;
	wb_store__free(s);
	assert_int_equal(cleanup_cnt, 4);
	assert_int_equal(cleanup_order[0], 4);
	assert_int_equal(cleanup_order[1], 3);
	assert_int_equal(cleanup_order[2], 2);
	assert_int_equal(cleanup_order[3], 1);
	wb_module__free(p);

	wb_store__free(NULL);
	wb_linker__free(NULL);
	assert_string_equal(wb_trap_kind__str(WB_TRAP_DIV_ZERO), "integer divide by zero");
	assert_string_equal(wb_trap_kind__str(WB_TRAP_INDIRECT_TYPE),
			    "indirect call type mismatch");
}

static void test_host_table(void **state)
{
	struct wb_store *s = wb_store__new(NULL);
	struct wb_limits lim = { 2, 3, true };
	struct wb_table *t;
	void *ref;
	int x;

	t = wb_table__new(s, WB_EXTERNREF, &lim, &x);
	assert_non_null(t);
	assert_int_equal(wb_table__size(t), 2);
	assert_int_equal(wb_table__elem_type(t), WB_EXTERNREF);
	assert_int_equal(wb_table__get(t, 1, &ref), 0);
	assert_ptr_equal(ref, &x);
	assert_int_equal(wb_table__set(t, 1, NULL), 0);
	assert_int_equal(wb_table__get(t, 1, &ref), 0);
	assert_null(ref);
	assert_int_equal(wb_table__get(t, 2, &ref), -ERANGE);
	errno = 0;
	assert_null(wb_table__new(s, WB_I32, &lim, NULL));
	assert_int_equal(errno, EINVAL);
	wb_store__free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_load_invalid),
		cmocka_unit_test(test_inspect),
		cmocka_unit_test(test_host_calls),
		cmocka_unit_test(test_reentrant),
		cmocka_unit_test(test_host_trap),
		cmocka_unit_test(test_globals),
		cmocka_unit_test(test_call_table),
		cmocka_unit_test(test_memory_helpers),
		cmocka_unit_test(test_memory_limits),
		cmocka_unit_test(test_stack_exhaustion),
		cmocka_unit_test(test_interrupt),
		cmocka_unit_test(test_fuel),
		cmocka_unit_test(test_unlinkable),
		cmocka_unit_test(test_link_instances),
		cmocka_unit_test(test_nul_names),
		cmocka_unit_test(test_instantiation_traps),
		cmocka_unit_test(test_exit_and_nested_traps),
		cmocka_unit_test(test_store_cleanups),
		cmocka_unit_test(test_host_table),
	};

	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
