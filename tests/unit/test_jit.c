/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the baseline JIT through the embedding API: every test loads
 * the same fixture (tests/unit/wat/jit_*.wat) twice, interpreted and with
 * wb_module_opts.jit, runs the same calls in a store of its own for each, and
 * checks that both modes agree (results, trap kind, message and frames, fuel
 * used) and that the result is the expected one.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "wasm-bpf/engine.h"
#include "engine/jit.h"
#include "engine/module.h"

#ifndef UNIT_WASM_DIR
#define UNIT_WASM_DIR "build/tests/unit"
#endif

#define ASSERT_EQ(got, want, ...) check_eq((uint64_t)(got), (uint64_t)(want), __VA_ARGS__)

/* Argument and result lists: V(I32(1), F64(2.5)) expands to "array, count". */
#define V(...) (const wb_value[]){ __VA_ARGS__ },			\
	(uint32_t)(sizeof((const wb_value[]){ __VA_ARGS__ }) / sizeof(wb_value))
#define NONE NULL, 0
#define I32(x) { .i32 = (uint32_t)(x) }
#define I64(x) { .i64 = (uint64_t)(x) }
#define F32(x) { .f32 = (x) }
#define F64(x) { .f64 = (x) }

/* What both_trap() expects: kind, innermost opcode, frames innermost first. */
#define TRAP(k, o, ...) \
	&(struct want_trap){ .kind = (k), .op = (o), .frames = { __VA_ARGS__ } }

#define OP_ANY -1		/* a trap whose innermost opcode is not checked */
#define OP_UNREACHABLE 0x00
#define OP_CALL 0x10
#define OP_CALL_INDIRECT 0x11
#define OP_I32_LOAD 0x28
#define OP_I64_STORE 0x37
#define OP_I32_DIV_S 0x6d
#define OP_I32_DIV_U 0x6e
#define OP_I64_DIV_S 0x7f
#define OP_I32_TRUNC_F64_S 0xaa

static const char *const mode_name[2] = { "interp", "jit" };
static const uint8_t t_i32[] = { WB_I32, WB_I32, WB_I32 };

/* One mode's world: a store with the fixture instantiated, env.* defined. */
struct env {
	bool jit;
	struct wb_store *store;
	struct wb_linker *linker;
	struct wb_module *module;
	struct wb_instance *inst;
	struct wb_memory *mem;		/* env.mem, for modules that import a memory */
	uint8_t *wasm;			/* the module's bytes, to check trap offsets */
	size_t wasm_sz;
	uint32_t poke_at;		/* env.poke interrupts the store at this argument */
	uint32_t poke_cnt, reenter_cnt;
};

/* [0] interpreted, [1] JIT. */
struct pair {
	struct env e[2];
};

/* What one call did. */
struct outcome {
	int ret;
	wb_value res[4];
	struct wb_trap trap;
	uint64_t fuel_used;
};

struct want_trap {
	enum wb_trap_kind kind;
	int op;				/* opcode at the innermost frame, or OP_ANY */
	const char *frames[12];		/* function names, innermost first; NULL ends */
	const char *msg;		/* the message, or NULL: not checked */
};

/* Fail with the formatted description when got != want. */
static __attribute__((format(printf, 3, 4)))
void check_eq(uint64_t got, uint64_t want, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	if (got == want)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fail_msg("%s: got %#llx (%lld), want %#llx (%lld)", what, (unsigned long long)got,
		 (long long)got, (unsigned long long)want, (long long)want);
}

static void *read_fixture(const char *name, size_t *len)
{
	char path[512];
	uint8_t *buf;
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

static struct wb_module *module_new(const void *buf, size_t len, bool jit, const char *what)
{
	WB_OPTS(wb_module_opts, mo, .jit = jit);
	struct wb_error err;
	struct wb_module *m;
	char msg[512];

	m = wb_module__new(buf, len, &mo, &err);
	if (!m)
		fail_msg("%s: %s", what, wb_error__format(&err, msg, sizeof(msg)));
	return m;
}

/* ---------------------------------------------------------------- host functions */

static int h_poke(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	struct env *e = hc->user;

	e->poke_cnt++;
	if (args[0].i32 == e->poke_at)
		wb_store__interrupt(hc->store);
	return 0;
}

/* Calls the caller's "step" export back with the argument. */
static int h_reenter(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	struct env *e = hc->user;
	struct wb_func *f;
	int ret;

	e->reenter_cnt++;
	f = hc->caller ? wb_instance__func(hc->caller, "step") : NULL;
	if (!f)
		return wb_hostcall__trap(hc, "no caller with step");
	ret = wb_func__call(hc->store, f, args, 1, results, 1);
	if (ret < 0)
		return wb_hostcall__trap(hc, "wb_func__call: %d", ret);
	return ret;
}

static int h_fail(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	return wb_hostcall__trap(hc, "fail %u", args[0].i32);
}

static int h_grow(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	results[0].i32 = (uint32_t)wb_memory__grow(wb_instance__memory(hc->caller), args[0].i32);
	return 0;
}

static int h_add(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	results[0].i32 = args[0].i32 + args[1].i32;
	return 0;
}

static int h_seven(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	results[0].i32 = 7;
	return 0;
}

static void define_env(struct env *e)
{
	struct wb_functype unop_void = { 1, 0, t_i32, NULL };
	struct wb_functype unop = { 1, 1, t_i32, t_i32 };
	struct wb_functype binop = { 2, 1, t_i32, t_i32 };
	struct wb_limits lim = { 1, 4, true };
	struct wb_extern ext = { .kind = WB_EXTERN_MEMORY };
	static const struct {
		const char *name;
		wb_host_fn fn;
		int type;	/* 0 unop_void, 1 unop, 2 binop */
	} fns[] = {
		{ "poke", h_poke, 0 }, { "reenter", h_reenter, 1 }, { "fail", h_fail, 0 },
		{ "grow", h_grow, 1 }, { "add", h_add, 2 },
	};
	const struct wb_functype *types[] = { &unop_void, &unop, &binop };

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		assert_int_equal(wb_linker__define_host(e->linker, e->store, "env", fns[i].name,
							types[fns[i].type], fns[i].fn, e), 0);
	e->mem = ext.memory = wb_memory__new(e->store, &lim);
	assert_non_null(e->mem);
	assert_int_equal(wb_linker__define(e->linker, "env", "mem", &ext), 0);
}

static void env_init(struct env *e, const char *fixture, bool jit,
		     const struct wb_store_opts *opts)
{
	struct wb_error err;
	char msg[512];

	memset(e, 0, sizeof(*e));
	e->jit = jit;
	e->poke_at = UINT32_MAX;
	e->wasm = read_fixture(fixture, &e->wasm_sz);
	e->module = module_new(e->wasm, e->wasm_sz, jit, fixture);
	e->store = wb_store__new(opts);
	assert_non_null(e->store);
	e->linker = wb_linker__new();
	assert_non_null(e->linker);
	define_env(e);
	e->inst = wb_instance__new(e->store, e->module, e->linker, &err);
	if (!e->inst)
		fail_msg("instantiate %s: %s", fixture, wb_error__format(&err, msg, sizeof(msg)));
}

static void env_fini(struct env *e)
{
	wb_store__free(e->store);
	wb_linker__free(e->linker);
	wb_module__free(e->module);
	free(e->wasm);
	memset(e, 0, sizeof(*e));
}

/* Both modes; without a decline hook, the JIT must have taken every function. */
static void pair_init(struct pair *p, const char *fixture, const struct wb_store_opts *opts)
{
	uint32_t done, declined;

	if (!wb_jit__available())
		skip();
	env_init(&p->e[0], fixture, false, opts);
	env_init(&p->e[1], fixture, true, opts);
	assert_null(p->e[0].module->jit);
	assert_non_null(p->e[1].module->jit);
	wb_jit__counts(p->e[1].module->jit, &done, &declined);
	if (!wb_jit__decline_hook && (declined || !done))
		fail_msg("%s: the JIT took %u functions and declined %u", fixture, done, declined);
}

static void pair_fini(struct pair *p)
{
	env_fini(&p->e[0]);
	env_fini(&p->e[1]);
}

/* Index of the function named `name` (debug names) in e's module. */
static uint32_t fidx(const struct env *e, const char *name)
{
	for (uint32_t i = 0; i < 4096; i++) {
		const char *n = wb_module__func_name(e->module, i);

		if (n && !strcmp(n, name))
			return i;
	}
	fail_msg("no function named %s", name);
	return UINT32_MAX;
}

/* ---------------------------------------------------------------- running in both modes */

static void call_env(struct env *e, const char *name, const wb_value *args, uint32_t argc,
		     uint32_t resc, struct outcome *o)
{
	uint64_t fuel = wb_store__fuel(e->store);

	memset(o, 0, sizeof(*o));
	o->ret = wb_instance__call(e->inst, name, args, argc, o->res, resc);
	o->fuel_used = fuel - wb_store__fuel(e->store);
	if (o->ret == WB_TRAPPED) {
		o->trap = *wb_store__trap(e->store);
		if (o->trap.msg == wb_store__trap(e->store)->detail)
			o->trap.msg = o->trap.detail;
	} else if (o->ret) {
		fail_msg("%s %s: call failed: %s", mode_name[e->jit], name, strerror(-o->ret));
	}
}

/* Results of export `name` compared by type (an i32 or f32 is its low 32 bits). */
static void same_results(const struct env *e, const char *name, const wb_value *got,
			 const wb_value *want, uint32_t resc, const char *against)
{
	const struct wb_functype *ft = wb_func__type(wb_instance__func(e->inst, name));

	assert_int_equal(ft->result_cnt, resc);
	for (uint32_t i = 0; i < resc; i++) {
		bool narrow = ft->results[i] == WB_I32 || ft->results[i] == WB_F32;
		uint64_t mask = narrow ? UINT32_MAX : UINT64_MAX;

		ASSERT_EQ(got[i].i64 & mask, want[i].i64 & mask, "%s %s: result %u against %s",
			  mode_name[e->jit], name, i, against);
	}
}

/* The two traps are the same: kind, message and (when frames) every frame. */
static void same_traps(const struct pair *p, const char *name, const struct wb_trap *t0,
		       const struct wb_trap *t1, bool frames)
{
	const struct wb_trap *t[2] = { t0, t1 };

	ASSERT_EQ(t1->kind, t0->kind, "%s: trap kind (jit %s, interp %s)", name,
		  wb_trap_kind__str(t1->kind), wb_trap_kind__str(t0->kind));
	if (strcmp(t0->msg, t1->msg))
		fail_msg("%s: trap message: interp \"%s\", jit \"%s\"", name, t0->msg, t1->msg);
	ASSERT_EQ(t1->exit_code, t0->exit_code, "%s: exit code", name);
	if (!frames)
		return;
	ASSERT_EQ(t1->frame_cnt, t0->frame_cnt, "%s: frame count, jit against interp", name);
	for (uint32_t i = 0; i < t0->frame_cnt; i++) {
		for (int m = 0; m < 2; m++)
			if (t[m]->frames[i].module && t[m]->frames[i].module != p->e[m].module)
				fail_msg("%s %s: frame %u has another module", mode_name[m], name,
					 i);
		ASSERT_EQ(!t1->frames[i].module, !t0->frames[i].module, "%s: frame %u is host",
			  name, i);
		ASSERT_EQ(t1->frames[i].func_idx, t0->frames[i].func_idx,
			  "%s: frame %u func_idx, jit against interp", name, i);
		ASSERT_EQ(t1->frames[i].code_offset, t0->frames[i].code_offset,
			  "%s: frame %u (function %u) code_offset, jit against interp", name, i,
			  t0->frames[i].func_idx);
	}
}

/* Run name(args) in both modes; they must agree (frames too when asked). */
static void run_both(struct pair *p, const char *name, const wb_value *args, uint32_t argc,
		     uint32_t resc, bool frames, struct outcome o[2])
{
	call_env(&p->e[0], name, args, argc, resc, &o[0]);
	call_env(&p->e[1], name, args, argc, resc, &o[1]);
	if (o[0].ret != o[1].ret)
		fail_msg("%s: interp %s, jit %s", name, o[0].ret ? o[0].trap.msg : "returned",
			 o[1].ret ? o[1].trap.msg : "returned");
	ASSERT_EQ(o[1].fuel_used, o[0].fuel_used, "%s: fuel used, jit against interp", name);
	if (!o[0].ret)
		same_results(&p->e[1], name, o[1].res, o[0].res, resc, "interp");
	else
		same_traps(p, name, &o[0].trap, &o[1].trap, frames);
}

/* name(args) returns want in both modes. */
static void both(struct pair *p, const char *name, const wb_value *args, uint32_t argc,
		 const wb_value *want, uint32_t resc)
{
	struct outcome o[2];

	run_both(p, name, args, argc, resc, true, o);
	if (o[0].ret)
		fail_msg("%s: trapped in both modes: %s", name, o[0].trap.msg);
	same_results(&p->e[0], name, o[0].res, want, resc, "the expected value");
}

/* name(args) traps as w says in both modes, with the same frames. */
static void both_trap(struct pair *p, const char *name, const wb_value *args, uint32_t argc,
		      uint32_t resc, const struct want_trap *w)
{
	const struct wb_trap *t;
	struct outcome o[2];
	uint32_t n = 0;

	run_both(p, name, args, argc, resc, true, o);
	t = &o[0].trap;
	if (!o[0].ret)
		fail_msg("%s: returned in both modes, want trap \"%s\"", name,
			 wb_trap_kind__str(w->kind));
	ASSERT_EQ(t->kind, w->kind, "%s: trap kind %s, want %s", name, wb_trap_kind__str(t->kind),
		  wb_trap_kind__str(w->kind));
	if (w->msg && strcmp(t->msg, w->msg))
		fail_msg("%s: trap message \"%s\", want \"%s\"", name, t->msg, w->msg);
	while (n < 12 && w->frames[n])
		n++;
	ASSERT_EQ(t->frame_cnt, n, "%s: frame count", name);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t off = t->frames[i].code_offset;
		int op = i ? OP_CALL : w->op;

		ASSERT_EQ(t->frames[i].func_idx, fidx(&p->e[0], w->frames[i]),
			  "%s: frame %u should be %s", name, i, w->frames[i]);
		if (op == OP_ANY)
			continue;
		if (!off || off >= p->e[0].wasm_sz)
			fail_msg("%s: frame %u (%s): code_offset %#x outside the module", name, i,
				 w->frames[i], off);
		/* An outer frame is at a call or a call_indirect. */
		if (i && p->e[0].wasm[off] == OP_CALL_INDIRECT)
			continue;
		ASSERT_EQ(p->e[0].wasm[off], op, "%s: frame %u (%s): opcode at code_offset %#x",
			  name, i, w->frames[i], off);
	}
}

/* ---------------------------------------------------------------- 1. results */

static uint32_t ref_mix32(uint32_t a, uint32_t b)
{
	uint32_t x = ((a + b) * (a - b)) ^ (b << 5 | b >> 27);

	return (uint32_t)((int32_t)x / 7) + x % 1000 + (uint32_t)((int32_t)x >> 3) +
	       (x ? (uint32_t)__builtin_clz(x) : 32) + (uint32_t)__builtin_popcount(b);
}

static uint64_t ref_mix64(uint64_t a, uint64_t b, uint64_t g)
{
	return (((a * b + g) ^ (a >> 7)) - a / (b | 1)) + (b ? (uint64_t)__builtin_ctzll(b) : 64);
}

static float ref_fmix32(float a, float b)
{
	float r = a * b + a / b - __builtin_sqrtf(__builtin_fabsf(a));

	return r < 1e6f ? r : 1e6f;
}

static double ref_fmix64(double a, double b)
{
	double r = (a - b) * a / b + __builtin_floor(a) + (double)(int32_t)b;

	return r > -1e300 ? r : -1e300;
}

static void test_results(void **state)
{
	static const uint32_t a32[][2] = { { 7, 3 }, { 0x80000000u, 1 }, { 12345678, 0xfffffff0u },
					   { 0, 0 } };
	static const uint64_t a64[][2] = { { 3, 4 }, { 0xfedcba9876543210ull, 0x1000 },
					   { UINT64_MAX, 0 } };
	static const float f32[][2] = { { 1.5f, -2.25f }, { 1e20f, 3e-5f }, { -7.0f, 0.1f } };
	static const double f64[][2] = { { 2.5, 1.25 }, { -1e10, 3.75 }, { 1e-300, -2.0 } };
	struct pair p;
	uint64_t g = 5;

	pair_init(&p, "jit_calc.wasm", NULL);
	for (size_t i = 0; i < 4; i++)
		both(&p, "mix32", V(I32(a32[i][0]), I32(a32[i][1])),
		     V(I32(ref_mix32(a32[i][0], a32[i][1]))));
	for (size_t i = 0; i < 3; i++) {
		g++;	/* mix64 bumps its global first */
		both(&p, "mix64", V(I64(a64[i][0]), I64(a64[i][1])),
		     V(I64(ref_mix64(a64[i][0], a64[i][1], g))));
	}
	for (size_t i = 0; i < 3; i++) {
		both(&p, "fmix32", V(F32(f32[i][0]), F32(f32[i][1])),
		     V(F32(ref_fmix32(f32[i][0], f32[i][1]))));
		both(&p, "fmix64", V(F64(f64[i][0]), F64(f64[i][1])),
		     V(F64(ref_fmix64(f64[i][0], f64[i][1]))));
	}

	/* Multi-value results. */
	both(&p, "conv", V(F64(1234.75)), V(I64(1234), I32(1234), F32(1234.75f)));
	both(&p, "conv", V(F64(-3.5)), V(I64(-3), I32(0), F32(-3.5f)));
	both(&p, "conv", V(F64(5e9)), V(I64(5000000000ll), I32(UINT32_MAX), F32(5e9f)));
	both(&p, "rot3", V(I32(7), I64(1ull << 40), F64(2.5)),
	     V(F64(2.5), I32(7), I64(1ull << 40)));
	both(&p, "use_pair", V(I32(9)), V(I32(80)));

	/* Loops, recursion, br_table. */
	both(&p, "sum", V(I32(0)), V(I64(0)));
	both(&p, "sum", V(I32(1000)), V(I64(499500)));
	both(&p, "sum", V(I32(100000)), V(I64(4999950000ll)));
	both(&p, "sqsum", V(I32(100)), V(I32(328350)));
	both(&p, "fib", V(I32(1)), V(I32(1)));
	both(&p, "fib", V(I32(20)), V(I32(6765)));
	for (uint32_t i = 0; i < 6; i++)
		both(&p, "classify", V(I32(i)), V(I32(i < 3 ? 10 * (i + 1) : 40)));
	both(&p, "deep", V(I32(5)), V(I32(13)));
	both(&p, "locals", V(I32(7)), V(I32(7 + 2 + 1000 * 7)));
	both(&p, "div", V(I32(7), I32(-2)), V(I32(-3)));
	both(&p, "rem64", V(I64(INT64_MIN), I64(-1)), V(I64(0)));
	both(&p, "indirect", V(I32(3), I32(0)), V(I32(9)));
	pair_fini(&p);
}

static double f64_of(uint64_t b)
{
	double d;

	memcpy(&d, &b, sizeof(d));
	return d;
}

static uint32_t ref_cmp(uint64_t a, uint64_t b)
{
	uint32_t r = ((int64_t)a < (int64_t)b) | (a < b) << 1 | (a == b) << 2 | (a >= b) << 3 |
		     (f64_of(a) < f64_of(b)) << 4;

	return a ? r : UINT32_MAX;
}

/* Sign bits, NaN payloads, rounding, shift counts, unsigned conversions, compares. */
static void test_numerics(void **state)
{
	static const double rnd[] = { 2.5, -0.5, -3.7, 1e300, 0x1p52 + 0.5 };
	static const uint64_t ints[][2] = { { 0x8000000000000001ull, 65 }, { UINT64_MAX, 0 },
					    { 5, 5 }, { 0, 3 }, { 0x7ff8000000000000ull, 1 } };
	struct outcome o[2];
	struct pair p;

	pair_init(&p, "jit_calc.wasm", NULL);
	both(&p, "fneg", V(F32(-2.5f), I64(0xfff0000000000abcull)),
	     V(F32(2.5f), I64(0x7ff0000000000abcull), I64(0xfff0000000000abcull)));
	/* A signalling NaN's payload goes through neg unchanged. */
	run_both(&p, "fneg", V(I64(0x7fa00001), F64(-0.0)), 3, true, o);
	ASSERT_EQ(o[0].res[0].i32, 0xffa00001, "f32.neg of a signalling NaN");
	ASSERT_EQ(o[0].res[1].i64, 0, "f64.abs(-0)");
	both(&p, "fminmax", V(F64(0.0), F64(-0.0)), V(F64(-0.0), F64(0.0), F32(-0.0f)));
	both(&p, "fminmax", V(F64(-0.0), F64(0.0)), V(F64(-0.0), F64(0.0), F32(-0.0f)));
	run_both(&p, "fminmax", V(F64(NAN), F64(1.0)), 3, true, o);
	assert_true(isnan(o[0].res[0].f64) && isnan(o[0].res[1].f64) && isnan(o[0].res[2].f32));
	for (size_t i = 0; i < sizeof(rnd) / sizeof(rnd[0]); i++)
		both(&p, "fround", V(F64(rnd[i])), V(F64(floor(rnd[i])), F64(ceil(rnd[i])),
						      F64(trunc(rnd[i])), F64(rint(rnd[i]))));
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		uint64_t a = ints[i][0], b = ints[i][1];
		unsigned k = b & 63;
		double d = (double)a;

		both(&p, "shifts", V(I64(a), I64(b)),
		     V(I64(a << k), I64((uint64_t)((int64_t)a >> k)), I64(a >> k),
		       I64(k ? a >> k | a << (64 - k) : a), I32((uint32_t)a << (b & 31))));
		both(&p, "uconv", V(I64(a)),
		     V(F64(d), F32((float)a), I64(d >= 0x1p64 ? UINT64_MAX : (uint64_t)d),
		       I32((int8_t)a)));
		both(&p, "cmp", V(I64(a), I64(b)), V(I32(ref_cmp(a, b))));
		both(&p, "cmp", V(I64(b), I64(a)), V(I32(ref_cmp(b, a))));
	}
	both(&p, "trunc", V(F64(-2147483648.9)), V(I32(INT32_MIN)));
	both_trap(&p, "trunc", V(F64(NAN)), 1,
		  TRAP(WB_TRAP_INVALID_CONVERSION, OP_I32_TRUNC_F64_S, "trunc"));
	both_trap(&p, "trunc", V(F64(3e9)), 1,
		  TRAP(WB_TRAP_INT_OVERFLOW, OP_I32_TRUNC_F64_S, "trunc"));
	pair_fini(&p);
}

/* ---------------------------------------------------------------- 2. traps */

static void test_traps(void **state)
{
	WB_OPTS(wb_store_opts, small, .stack_bytes = 8192);
	struct outcome o[2];
	struct pair p;

	pair_init(&p, "jit_calc.wasm", NULL);
	both_trap(&p, "deep", V(I32(0)), 1,
		  TRAP(WB_TRAP_UNREACHABLE, OP_UNREACHABLE, "d3", "d2", "d1", "deep"));

	/* Out of bounds: the last word fits, one byte further does not. */
	both(&p, "load", V(I32(65532)), V(I32(0)));
	both_trap(&p, "load", V(I32(65533)), 1, TRAP(WB_TRAP_MEMORY_OOB, OP_I32_LOAD, "load"));
	both_trap(&p, "load", V(I32(UINT32_MAX)), 1, TRAP(WB_TRAP_MEMORY_OOB, OP_I32_LOAD, "load"));
	both(&p, "store64", V(I32(65520), I64(-1)), NONE);
	both_trap(&p, "store64", V(I32(65521), I64(-1)), 0,
		  TRAP(WB_TRAP_MEMORY_OOB, OP_I64_STORE, "store64"));

	both_trap(&p, "div", V(I32(1), I32(0)), 1, TRAP(WB_TRAP_DIV_ZERO, OP_I32_DIV_S, "div"));
	both_trap(&p, "div", V(I32(INT32_MIN), I32(-1)), 1,
		  TRAP(WB_TRAP_INT_OVERFLOW, OP_I32_DIV_S, "div"));

	/* call_indirect: table = [$sq, $nop, null, null] */
	both_trap(&p, "indirect", V(I32(3), I32(1)), 1,
		  TRAP(WB_TRAP_INDIRECT_TYPE, OP_CALL_INDIRECT, "indirect"));
	both_trap(&p, "indirect", V(I32(3), I32(2)), 1,
		  TRAP(WB_TRAP_UNINITIALIZED_ELEMENT, OP_CALL_INDIRECT, "indirect"));
	both_trap(&p, "indirect", V(I32(3), I32(4)), 1,
		  TRAP(WB_TRAP_UNDEFINED_ELEMENT, OP_CALL_INDIRECT, "indirect"));

	/* Call stack exhaustion with the default limits: the kind only. */
	run_both(&p, "forever", V(I32(0)), 1, false, o);
	ASSERT_EQ(o[0].trap.kind, WB_TRAP_STACK_EXHAUSTED, "forever: trap kind");
	assert_true(o[0].trap.frame_cnt > 0 && o[1].trap.frame_cnt > 0);

	/* Both stores still work. */
	both(&p, "deep", V(I32(2)), V(I32(4)));
	pair_fini(&p);

	/* The value stack (not the depth) runs out first: the same frames. */
	pair_init(&p, "jit_calc.wasm", &small);
	run_both(&p, "forever", V(I32(0)), 1, true, o);
	ASSERT_EQ(o[0].trap.kind, WB_TRAP_STACK_EXHAUSTED, "forever: trap kind");
	pair_fini(&p);
}

/* ---------------------------------------------------------------- 3. native stack */

struct deep_run {
	struct env *e;
	int ret;
	enum wb_trap_kind kind;
	uint32_t depth;
};

/* forever(0) and the depth it reached (no cmocka asserts off the main thread). */
static void *deep_call(void *arg)
{
	struct deep_run *d = arg;
	struct wb_extern g;
	wb_value a = { .i32 = 0 }, r;

	d->ret = wb_instance__call(d->e->inst, "forever", &a, 1, &r, 1);
	d->kind = d->ret == WB_TRAPPED ? wb_store__trap(d->e->store)->kind : WB_TRAP_NONE;
	if (!wb_instance__export(d->e->inst, "depth", &g))
		d->depth = wb_global__get(g.global).i32;
	return NULL;
}

/* deep_call on a new thread with a stack of stack_sz bytes, or on this one (0). */
static void deep_call_on(struct deep_run *d, size_t stack_sz)
{
	pthread_attr_t attr;
	pthread_t th;

	if (!stack_sz) {
		deep_call(d);
		return;
	}
	if (pthread_attr_init(&attr) || pthread_attr_setstacksize(&attr, stack_sz) ||
	    pthread_create(&th, &attr, deep_call, d) || pthread_join(th, NULL))
		d->ret = -EAGAIN;
	pthread_attr_destroy(&attr);
}

static void test_native_stack(void **state)
{
	WB_OPTS(wb_store_opts, opts, .max_call_depth = 1000000, .stack_bytes = 256 << 20);
	static const size_t stacks[] = { 0, 1 << 20 };
	struct pair p;

	pair_init(&p, "jit_calc.wasm", &opts);
	/* On this thread's stack, then on a 1 MiB one: 16 bytes per JIT frame would
	 * need 16 MiB for the depth limit, so the JIT must stop on its native stack
	 * guard, where the interpreter reaches the limit. */
	for (int m = 0; m < 2; m++) {
		for (int k = 0; k < 2; k++) {
			struct deep_run d = { .e = &p.e[m] };

			deep_call_on(&d, stacks[k]);
			ASSERT_EQ(d.ret, WB_TRAPPED, "%s forever (stack %zu)", mode_name[m],
				  stacks[k]);
			ASSERT_EQ(d.kind, WB_TRAP_STACK_EXHAUSTED, "%s forever", mode_name[m]);
			if (m == 0)
				ASSERT_EQ(d.depth, 1000000, "interp: depth reached");
			else if (k && d.depth > 100000)
				fail_msg("jit on a 1 MiB stack reached depth %u", d.depth);
			/* The same store runs a normal call afterwards. */
			both(&p, "fib", V(I32(15)), V(I32(610)));
		}
	}
	both(&p, "deep", V(I32(1)), V(I32(1)));
	pair_fini(&p);
}

/* A 128 KiB stack (musl's default for threads), in a child process so that
 * a crash fails this test instead of ending the run. */
static void test_small_stack(void **state)
{
	WB_OPTS(wb_store_opts, opts, .max_call_depth = 1000000, .stack_bytes = 256 << 20);
	int status = 0;
	struct pair p;
	pid_t pid;

	pair_init(&p, "jit_calc.wasm", &opts);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int bad = 0;

		for (int m = 0; m < 2; m++) {
			struct deep_run d = { .e = &p.e[m] };

			deep_call_on(&d, 128 << 10);
			bad |= d.kind != WB_TRAP_STACK_EXHAUSTED;
		}
		_exit(bad);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("forever() on a 128 KiB thread stack killed the process (signal %d)",
			 WTERMSIG(status));
	ASSERT_EQ(WEXITSTATUS(status), 0, "forever() on a 128 KiB thread stack");
	both(&p, "fib", V(I32(15)), V(I32(610)));
	pair_fini(&p);
}

/* ---------------------------------------------------------------- 4. fuel */

static void test_fuel(void **state)
{
	WB_OPTS(wb_store_opts, opts, .fuel = 100000);
	WB_OPTS(wb_store_opts, little, .fuel = 1000);
	struct outcome o[2];
	struct pair p;

	pair_init(&p, "jit_calc.wasm", &opts);
	/* One unit at entry, one per call and per loop back-edge taken. */
	both(&p, "fib", V(I32(15)), V(I32(610)));
	ASSERT_EQ(100000 - wb_store__fuel(p.e[0].store), 2 * 987 - 1, "fib(15) fuel");
	run_both(&p, "sum", V(I32(1000)), 1, true, o);
	ASSERT_EQ(o[0].fuel_used, 1 + 999, "sum(1000) fuel");
	run_both(&p, "sqsum", V(I32(100)), 1, true, o);
	ASSERT_EQ(o[0].fuel_used, 1 + 100 + 99, "sqsum(100) fuel");
	run_both(&p, "tabloop", V(I32(100)), 1, true, o);
	ASSERT_EQ(o[0].res[0].i32, 100, "tabloop(100)");
	ASSERT_EQ(o[0].fuel_used, 1 + 99, "tabloop(100) fuel");

	/* A loop without end runs out, at the same place. */
	both_trap(&p, "spin", NONE, 0, TRAP(WB_TRAP_OUT_OF_FUEL, OP_ANY, "spin"));
	for (int m = 0; m < 2; m++)
		ASSERT_EQ(wb_store__fuel(p.e[m].store), 0, "%s: fuel left", mode_name[m]);
	/* Empty: the next call stops at its entry. */
	both_trap(&p, "fib", V(I32(1)), 1, TRAP(WB_TRAP_OUT_OF_FUEL, OP_ANY, "fib"));
	pair_fini(&p);

	/* Running out in the middle of a recursion: the same frames. */
	pair_init(&p, "jit_calc.wasm", &little);
	run_both(&p, "fib", V(I32(25)), 1, true, o);
	ASSERT_EQ(o[0].ret, WB_TRAPPED, "fib(25) with 1000 fuel");
	ASSERT_EQ(o[0].trap.kind, WB_TRAP_OUT_OF_FUEL, "fib(25) with 1000 fuel");
	ASSERT_EQ(o[0].fuel_used, 1000, "fib(25) fuel used");
	assert_true(o[0].trap.frame_cnt > 10);
	pair_fini(&p);
}

/* ---------------------------------------------------------------- 5. interrupt */

static void test_interrupt(void **state)
{
	struct pair p;

	pair_init(&p, "jit_host.wasm", NULL);
	p.e[0].poke_at = p.e[1].poke_at = 10;
	both_trap(&p, "poke_loop", V(I32(1000)), 1, TRAP(WB_TRAP_INTERRUPTED, OP_ANY, "poke_loop"));
	for (int m = 0; m < 2; m++)
		ASSERT_EQ(p.e[m].poke_cnt, 11, "%s: pokes before the interrupt", mode_name[m]);
	/* The flag stays set: the next call stops at its entry. */
	both_trap(&p, "poke_loop", V(I32(3)), 1, TRAP(WB_TRAP_INTERRUPTED, OP_ANY, "poke_loop"));
	for (int m = 0; m < 2; m++) {
		wb_store__clear_interrupt(p.e[m].store);
		p.e[m].poke_at = UINT32_MAX;
	}
	both(&p, "poke_loop", V(I32(50)), V(I32(50)));
	for (int m = 0; m < 2; m++)
		ASSERT_EQ(p.e[m].poke_cnt, 61, "%s: pokes", mode_name[m]);
	pair_fini(&p);
}

/* ---------------------------------------------------------------- 6. host calls */

static void test_reentry(void **state)
{
	struct wb_extern g;
	struct pair p;

	pair_init(&p, "jit_host.wasm", NULL);
	/* rec(n) = step(n), step(n) = 2 * step(n - 1) + n, each level through the host. */
	both(&p, "rec", V(I32(0)), V(I32(1)));
	both(&p, "rec", V(I32(5)), V(I32(89)));
	both(&p, "rec", V(I32(20)), V(I32(3 * (1 << 20) - 22)));
	for (int m = 0; m < 2; m++)
		ASSERT_EQ(p.e[m].reenter_cnt, 1 + 6 + 21, "%s: host calls", mode_name[m]);

	/* A host trap four host calls down. */
	for (int m = 0; m < 2; m++) {
		assert_int_equal(wb_instance__export(p.e[m].inst, "fail_at", &g), 0);
		assert_int_equal(wb_global__set(g.global, (wb_value){ .i32 = 2 }), 0);
	}
	both_trap(&p, "rec", V(I32(5)), 1, &(struct want_trap){
		.kind = WB_TRAP_HOST, .op = OP_CALL,
		.frames = { "step", "step", "step", "step", "rec" }, .msg = "fail 2" });
	both_trap(&p, "call_fail", V(I32(4)), 1, &(struct want_trap){
		.kind = WB_TRAP_HOST, .op = OP_CALL,
		.frames = { "mid", "call_fail" }, .msg = "fail 5" });
	for (int m = 0; m < 2; m++) {
		assert_int_equal(wb_instance__export(p.e[m].inst, "fail_at", &g), 0);
		assert_int_equal(wb_global__set(g.global, (wb_value){ .i32 = UINT32_MAX }), 0);
	}
	both(&p, "rec", V(I32(5)), V(I32(89)));
	pair_fini(&p);
}

/* ---------------------------------------------------------------- 7. memory.grow */

static void test_memory_grow(void **state)
{
	struct pair p;

	pair_init(&p, "jit_calc.wasm", NULL);
	both(&p, "size", NONE, V(I32(1)));
	both_trap(&p, "load", V(I32(65536)), 1, TRAP(WB_TRAP_MEMORY_OOB, OP_I32_LOAD, "load"));
	/* Grow, then store and load in the new page in the same function. */
	both(&p, "grow_use", V(I32(1)), V(I32(0x1234)));
	both(&p, "size", NONE, V(I32(2)));
	both(&p, "load", V(I32(2 * 65536 - 4)), V(I32(0x5a5a)));
	/* Grow in a callee, then use the new page in the caller. */
	both(&p, "after_grow", NONE, V(I32(0x5a5a + 3)));
	both(&p, "load", V(I32(2 * 65536)), V(I32(0x1234)));
	both_trap(&p, "load", V(I32(3 * 65536 - 3)), 1,
		  TRAP(WB_TRAP_MEMORY_OOB, OP_I32_LOAD, "load"));
	both(&p, "grow_use", V(I32(6)), V(I32(-1)));		/* max is 8 pages */
	both(&p, "grow_use", V(I32(5)), V(I32(0x1234)));
	both(&p, "size", NONE, V(I32(8)));
	both(&p, "load", V(I32(8 * 65536 - 4)), V(I32(0x5a5a)));
	for (int m = 0; m < 2; m++)
		ASSERT_EQ(wb_memory__pages(wb_instance__memory(p.e[m].inst)), 8, "%s: pages",
			  mode_name[m]);
	pair_fini(&p);

	/* Growth by a host function called from the guest. */
	pair_init(&p, "jit_host.wasm", NULL);
	both(&p, "hgrow_use", V(I32(1)), V(I32(777 + 2)));
	both(&p, "hgrow_use", V(I32(2)), V(I32(777 + 4)));
	both(&p, "hgrow_use", V(I32(1)), V(I32(-1)));	/* max is 4 pages */
	pair_fini(&p);
}

/* ---------------------------------------------------------------- 8. mixed */

static bool decline_odd(uint32_t func_idx)
{
	return func_idx & 1;
}

static uint32_t ref_a(uint32_t n, uint32_t z);

static uint32_t ref_b(uint32_t n, uint32_t z)
{
	return n ? ref_a(n - 1, z) + 1000u / (n - z) : 1;
}

static uint32_t ref_a(uint32_t n, uint32_t z)
{
	return n ? 3 * ref_b(n - 1, z) + n : 0;
}

static uint32_t ref_ia(uint32_t n, uint32_t z)
{
	return n ? ((n & 1) ? ref_b : ref_a)(n - 1, z) + n : 7;
}

/* After test_mixed, even when it failed between setting the hook and clearing it. */
static int reset_hook(void **state)
{
	wb_jit__decline_hook = NULL;
	return 0;
}

static void mixed_init(struct pair *p, const struct wb_store_opts *opts)
{
	uint32_t done, declined;

	wb_jit__decline_hook = decline_odd;
	pair_init(p, "jit_mixed.wasm", opts);
	wb_jit__decline_hook = NULL;
	wb_jit__counts(p->e[1].module->jit, &done, &declined);
	ASSERT_EQ(done, 7, "functions compiled");
	ASSERT_EQ(declined, 7, "functions declined");
}

static void test_mixed(void **state)
{
	WB_OPTS(wb_store_opts, deep, .max_call_depth = 1000000, .stack_bytes = 256 << 20);
	WB_OPTS(wb_store_opts, shallow, .max_call_depth = 50);
	WB_OPTS(wb_store_opts, fuel, .fuel = 100000);
	WB_OPTS(wb_store_opts, little, .fuel = 15);
	struct outcome o[2];
	struct pair p;

	mixed_init(&p, NULL);
	for (uint32_t n = 0; n < 12; n++) {
		both(&p, "a", V(I32(n), I32(1000)), V(I32(ref_a(n, 1000))));
		both(&p, "b", V(I32(n), I32(1000)), V(I32(ref_b(n, 1000))));
		both(&p, "ia", V(I32(n), I32(1000)), V(I32(ref_ia(n, 1000))));
	}
	both(&p, "a", V(I32(10), I32(20)), V(I32(ref_a(10, 20))));

	/* Traps in a declined function under compiled ones, and in a compiled one. */
	both_trap(&p, "a", V(I32(10), I32(3)), 1,
		  TRAP(WB_TRAP_DIV_ZERO, OP_I32_DIV_U,
		       "b", "a", "b", "a", "b", "a", "b", "a", "run_a"));
	both_trap(&p, "b", V(I32(9), I32(5)), 1,
		  TRAP(WB_TRAP_DIV_ZERO, OP_I32_DIV_U, "b", "a", "b", "a", "b", "run_b"));
	both_trap(&p, "ia", V(I32(5), I32(4)), 1,
		  TRAP(WB_TRAP_DIV_ZERO, OP_I32_DIV_U, "b", "ia", "run_ia"));
	both_trap(&p, "ia", V(I32(5), I32(5)), 1,
		  TRAP(WB_TRAP_MEMORY_OOB, OP_I32_LOAD, "ia", "run_ia"));
	run_both(&p, "forever", V(I32(0)), 1, false, o);
	ASSERT_EQ(o[0].trap.kind, WB_TRAP_STACK_EXHAUSTED, "forever: trap kind");
	both(&p, "a", V(I32(3), I32(1000)), V(I32(ref_a(3, 1000))));
	/* Growth on one side of the boundary, the new page used on the other. */
	both(&p, "use_grow", NONE, V(I32(11)));
	both(&p, "use_grow2", NONE, V(I32(12)));
	both(&p, "use_grow", NONE, V(I32(11)));
	pair_fini(&p);

	/* Mutual recursion without end across the two: no crash, either mode. */
	mixed_init(&p, &deep);
	run_both(&p, "forever", V(I32(0)), 1, false, o);
	ASSERT_EQ(o[0].trap.kind, WB_TRAP_STACK_EXHAUSTED, "forever (deep): trap kind");
	both(&p, "ia", V(I32(9), I32(1000)), V(I32(ref_ia(9, 1000))));
	pair_fini(&p);

	/* Fuel: one unit at entry and per call, wherever the callee runs. */
	mixed_init(&p, &fuel);
	run_both(&p, "a", V(I32(20), I32(1000)), 1, true, o);
	ASSERT_EQ(o[0].res[0].i32, ref_a(20, 1000), "a(20)");
	ASSERT_EQ(o[0].fuel_used, 1 + 21, "a(20) fuel");
	pair_fini(&p);

	/* Running out of fuel, and the depth limit, across the boundary: same frames. */
	mixed_init(&p, &little);
	run_both(&p, "a", V(I32(20), I32(1000)), 1, true, o);
	ASSERT_EQ(o[0].trap.kind, WB_TRAP_OUT_OF_FUEL, "a(20) with 15 fuel");
	ASSERT_EQ(o[0].trap.frame_cnt, 15, "a(20) with 15 fuel: frames");
	pair_fini(&p);
	mixed_init(&p, &shallow);
	run_both(&p, "forever", V(I32(0)), 1, true, o);
	ASSERT_EQ(o[0].trap.kind, WB_TRAP_STACK_EXHAUSTED, "forever with depth 50");
	pair_fini(&p);
}

/* ---------------------------------------------------------------- 9. two instances */

static void test_two_instances(void **state)
{
	struct wb_functype get_t = { 0, 1, NULL, t_i32 };
	/* A: mem 1, g 2, peer.get = 7 (host); B: mem 3, g 4, peer.get = A's get */
	static const struct {
		const char *name;
		int on;
		uint32_t want;
	} calls[] = {
		{ "get", 0, 102 }, { "get", 1, 304 }, { "call_peer", 0, 7 },
		{ "call_peer", 1, 102 }, { "peer_then_own", 0, 70102 },
		{ "peer_then_own", 1, 1020304 }, { "get", 1, 304 },
	};
	size_t len;
	void *buf;

	if (!wb_jit__available())
		skip();
	buf = read_fixture("jit_inst.wasm", &len);
	for (int m = 0; m < 2; m++) {
		struct wb_module *mod = module_new(buf, len, m, "jit_inst.wasm");
		struct wb_store *s = wb_store__new(NULL);
		struct wb_linker *l[2] = { wb_linker__new(), wb_linker__new() };
		struct wb_instance *in[2];
		wb_value v[2];

		assert_int_equal(wb_linker__define_host(l[0], s, "peer", "get", &get_t, h_seven,
							NULL), 0);
		for (int k = 0; k < 2; k++) {
			in[k] = wb_instance__new(s, mod, l[k], NULL);
			assert_non_null(in[k]);
			v[0].i32 = 1 + 2 * k, v[1].i32 = 2 + 2 * k;
			assert_int_equal(wb_instance__call(in[k], "set", v, 2, NULL, 0), 0);
			if (!k)
				assert_int_equal(wb_linker__define_instance(l[1], "peer", in[k]),
						 0);
		}
		for (int k = 0; k < 2; k++)
			ASSERT_EQ(wb_memory__data(wb_instance__memory(in[k]))[16], 1 + 2 * k,
				  "%s: instance %d's memory", mode_name[m], k);
		for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
			assert_int_equal(wb_instance__call(in[calls[i].on], calls[i].name, NULL, 0,
							   v, 1), 0);
			ASSERT_EQ(v[0].i32, calls[i].want, "%s: %s on %c", mode_name[m],
				  calls[i].name, 'A' + calls[i].on);
		}
		wb_store__free(s);
		wb_linker__free(l[0]);
		wb_linker__free(l[1]);
		wb_module__free(mod);
	}
	free(buf);
}

/* ---------------------------------------------------------------- 10. memories */

static void test_no_memory(void **state)
{
	struct pair p;

	pair_init(&p, "jit_nomem.wasm", NULL);
	assert_null(wb_instance__memory(p.e[1].inst));
	both(&p, "run", V(I32(10)), V(I64(135)));
	both(&p, "run", V(I32(1000)), V(I64(1498500)));
	both(&p, "div", V(I64(-9), I64(2)), V(I64(-4)));
	both_trap(&p, "div", V(I64(1), I64(0)), 1, TRAP(WB_TRAP_DIV_ZERO, OP_I64_DIV_S, "div"));
	pair_fini(&p);
}

static void test_imported_memory(void **state)
{
	struct pair p;

	pair_init(&p, "jit_impmem.wasm", NULL);
	for (int m = 0; m < 2; m++) {
		uint8_t *d = wb_memory__data(p.e[m].mem);

		assert_ptr_equal(wb_instance__memory(p.e[m].inst), p.e[m].mem);
		for (int i = 0; i < 4; i++)
			d[100 + i] = (uint8_t)(i + 1);
	}
	both(&p, "bytesum", V(I32(100), I32(4)), V(I32(10)));
	both(&p, "load", V(I32(100)), V(I32(0x04030201)));
	both(&p, "store", V(I32(200), I32(0xdeadbeef)), NONE);
	for (int m = 0; m < 2; m++)
		ASSERT_EQ(*(uint32_t *)wb_memory__ptr(p.e[m].mem, 200, 4), 0xdeadbeef,
			  "%s: the host sees the store", mode_name[m]);
	both(&p, "size", NONE, V(I32(1)));
	both_trap(&p, "load", V(I32(65534)), 1, TRAP(WB_TRAP_MEMORY_OOB, OP_I32_LOAD, "load"));
	both(&p, "grow", V(I32(1)), V(I32(1)));
	both(&p, "size", NONE, V(I32(2)));
	both(&p, "store", V(I32(2 * 65536 - 4), I32(42)), NONE);
	both(&p, "load", V(I32(2 * 65536 - 4)), V(I32(42)));
	/* Growth by the host is seen by the next guest call. */
	for (int m = 0; m < 2; m++) {
		ASSERT_EQ(wb_memory__grow(p.e[m].mem, 1), 2, "%s: host grow", mode_name[m]);
		wb_memory__data(p.e[m].mem)[3 * 65536 - 1] = 0x77;
	}
	both(&p, "bytesum", V(I32(3 * 65536 - 2), I32(2)), V(I32(0x77)));
	both(&p, "grow", V(I32(2)), V(I32(-1)));
	both_trap(&p, "load", V(I32(3 * 65536 - 2)), 1,
		  TRAP(WB_TRAP_MEMORY_OOB, OP_I32_LOAD, "load"));
	pair_fini(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results),
		cmocka_unit_test(test_numerics),
		cmocka_unit_test(test_traps),
		cmocka_unit_test(test_native_stack),
		cmocka_unit_test(test_small_stack),
		cmocka_unit_test(test_fuel),
		cmocka_unit_test(test_interrupt),
		cmocka_unit_test(test_reentry),
		cmocka_unit_test(test_memory_grow),
		cmocka_unit_test_teardown(test_mixed, reset_hook),
		cmocka_unit_test(test_two_instances),
		cmocka_unit_test(test_no_memory),
		cmocka_unit_test(test_imported_memory),
	};

	return cmocka_run_group_tests_name("jit", tests, NULL, NULL);
}
