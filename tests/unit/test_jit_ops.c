/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the C functions the baseline JIT calls for the internal
 * instructions it does not emit itself (src/engine/jit_ops.c): which opcodes
 * have one, and hand-built instructions run on a fake frame and instance
 * with one page of memory, checked against the interpreter's semantics.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/jit_ops.h"

#define ASSERT_EQ(got, want, what)					\
	do {								\
		uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);	\
		if (g_ != w_)						\
			fail_msg("%s: got 0x%llx, want 0x%llx", (what),	\
				 (unsigned long long)g_, (unsigned long long)w_); \
	} while (0)

#define MEM_SZ 65536u
#define TAB_SZ 4u

struct fx {
	struct wb_instance inst;
	struct wb_module module;
	struct wb_memory mem;
	struct wb_memory *mems[1];
	struct wb_table tab;
	struct wb_table *tabs[1];
	void *elems[TAB_SZ];
	struct wb_global glob;
	struct wb_global *globs[1];
	struct wb_data_seg data;
	bool data_dropped[1];
	uint8_t *buf;
	uint64_t fp[64];
};

static struct fx *X;

static int setup(void **state)
{
	static const uint8_t seg[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->buf = calloc(1, MEM_SZ);
	if (!f->buf) {
		free(f);
		return -1;
	}
	f->mem.data = f->buf;
	f->mem.size = MEM_SZ;
	f->mem.pages = 1;
	f->mem.max_pages = 1;
	f->mems[0] = &f->mem;
	f->tab.elems = f->elems;
	f->tab.size = TAB_SZ;
	f->tab.max_elems = TAB_SZ;
	f->tabs[0] = &f->tab;
	f->globs[0] = &f->glob;
	f->data.bytes = seg;
	f->data.len = sizeof(seg);
	f->module.data_cnt = 1;
	f->module.datas = &f->data;
	f->inst.module = &f->module;
	f->inst.mems = f->mems;
	f->inst.tables = f->tabs;
	f->inst.globals = f->globs;
	f->inst.data_dropped = f->data_dropped;
	X = f;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->buf);
	free(f);
	X = NULL;
	return 0;
}

/* The operand cell: four slots, or two slots and a 32-bit immediate. */
static wb_cell f4(uint32_t f0, uint32_t f1, uint32_t f2, uint32_t f3)
{
	return f0 | (uint64_t)f1 << 16 | (uint64_t)f2 << 32 | (uint64_t)f3 << 48;
}

static wb_cell fhi(uint32_t f0, uint32_t f1, uint32_t hi)
{
	return f0 | (uint64_t)f1 << 16 | (uint64_t)hi << 32;
}

/* Run one instruction of opcode op with operand cell c1 and extra cell c2. */
static int run(uint32_t op, wb_cell c1, wb_cell c2)
{
	wb_jit_op_fn fn = wb_jit_op__fn(op);
	wb_cell pc[4] = { 0xdeadbeef, c1, c2, 0 };

	if (!fn)
		fail_msg("no function for opcode %u", op);
	return fn(&X->inst, X->fp, pc);
}

static uint64_t f64b(double d)
{
	uint64_t u;

	memcpy(&u, &d, 8);
	return u;
}

static uint64_t f32b(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

/* ---------------------------------------------------------------- which opcodes */

static const uint32_t control_ops[] = {
	WB_I_UNREACHABLE, WB_I_BR_TABLE, WB_I_RETURN, WB_I_RETURN1, WB_I_CALL,
	WB_I_CALL_IMPORT, WB_I_CALL_INDIRECT, WB_I_CHECK, WB_I_BR, WB_I_BR_IF,
	WB_I_BR_IFZ, WB_I_BR_I64_EQZ, WB_I_BR_I64_NEZ, WB_I_BR_AND_NZ, WB_I_BR_AND_Z,
#define C(n) WB_I_BR_I32_##n, WB_I_BR_I32_##n##_I, WB_I_BR_I64_##n, WB_I_BR_I64_##n##_I, \
	WB_I_INCBR_I32_##n, WB_I_INCBR_I32_##n##_I, WB_I_INCBRS_I32_##n, WB_I_INCBRS_I32_##n##_I,
	WB_ICMP_LIST(C)
#undef C
};

static void test_coverage(void **state)
{
	bool ctl[WB_I__COUNT] = { false };
	uint32_t op, with = 0;
	char what[64];

	for (size_t i = 0; i < sizeof(control_ops) / sizeof(control_ops[0]); i++)
		ctl[control_ops[i]] = true;
	for (op = 0; op < WB_I__COUNT + 4; op++) {
		bool want = op < WB_I__PAIR_FIRST && !ctl[op];

		snprintf(what, sizeof(what), "opcode %u has a function", op);
		ASSERT_EQ(wb_jit_op__fn(op) != NULL, want, what);
		with += want;
	}
	ASSERT_EQ(with, WB_I__PAIR_FIRST - sizeof(control_ops) / sizeof(control_ops[0]),
		  "functions");
	ASSERT_EQ(wb_jit_op__fn(UINT32_MAX) == NULL, 1, "opcode UINT32_MAX");
}

/* ---------------------------------------------------------------- integer ops */

static void test_int(void **state)
{
	uint64_t *fp = X->fp;

	fp[1] = 0xffffffffu;
	fp[2] = 2;
	ASSERT_EQ(run(WB_I_I32_ADD, f4(3, 1, 2, 0), 0), 0, "i32.add");
	ASSERT_EQ(fp[3], 1, "i32.add wraps, high half zero");
	fp[1] = 0;
	fp[2] = 1;
	run(WB_I_I32_SUB, f4(3, 1, 2, 0), 0);
	ASSERT_EQ(fp[3], 0xffffffffu, "i32.sub 0 - 1");
	fp[1] = 0x80000001u;
	fp[2] = 33;
	run(WB_I_I32_SHL, f4(3, 1, 2, 0), 0);
	ASSERT_EQ(fp[3], 2, "i32.shl by 33 shifts by 1");
	run(WB_I_I32_SHL_A, f4(4, 1, 2, 0), 0);
	ASSERT_EQ(fp[4], 2, "i32.shl _A reads F1");
	run(WB_I_I32_SHR_S_I, fhi(3, 1, 63), 0);
	ASSERT_EQ(fp[3], 0xffffffffu, "i32.shr_s by 63 (31)");
	run(WB_I_I32_ROTL_IA, fhi(3, 1, 36), 0);
	ASSERT_EQ(fp[3], 0x18u, "i32.rotl _IA by 36 (4)");
	fp[1] = 10;
	run(WB_I_I64_ADD_I, fhi(3, 1, (uint32_t)-3), 0);
	ASSERT_EQ(fp[3], 7, "i64.add_i sign-extends the immediate");
	fp[1] = 1;
	run(WB_I_I64_SHL_I, fhi(3, 1, 0xffffffffu), 0);
	ASSERT_EQ(fp[3], 1ull << 63, "i64.shl by -1 (63)");
	fp[1] = 0xfffffffffffffffeull;
	run(WB_I_I64_LT_S_I, fhi(3, 1, (uint32_t)-1), 0);
	ASSERT_EQ(fp[3], 1, "i64.lt_s -2 < -1");
	run(WB_I_I64_LT_U_I, fhi(3, 1, (uint32_t)-1), 0);
	ASSERT_EQ(fp[3], 1, "i64.lt_u against 2^64-1");
	fp[2] = 5;
	fp[1] = 0xffffffffu;
	run(WB_I_I32_GT_S, f4(3, 1, 2, 0), 0);
	ASSERT_EQ(fp[3], 0, "i32.gt_s -1 > 5");
}

static void test_div(void **state)
{
	uint64_t *fp = X->fp;

	fp[1] = 7;
	fp[2] = 0;
	fp[3] = 0x1234;
	ASSERT_EQ(run(WB_I_I64_DIV_S, f4(3, 1, 2, 0), 0), WB_TRAP_DIV_ZERO, "i64.div_s by 0");
	ASSERT_EQ(fp[3], 0x1234, "no result on a trap");
	fp[1] = (uint64_t)INT64_MIN;
	fp[2] = (uint64_t)-1;
	ASSERT_EQ(run(WB_I_I64_DIV_S, f4(3, 1, 2, 0), 0), WB_TRAP_INT_OVERFLOW, "INT64_MIN / -1");
	ASSERT_EQ(run(WB_I_I64_REM_S, f4(3, 1, 2, 0), 0), 0, "INT64_MIN % -1");
	ASSERT_EQ(fp[3], 0, "INT64_MIN % -1");
	fp[1] = 0x80000000u;
	fp[2] = 0xffffffffu;
	ASSERT_EQ(run(WB_I_I32_DIV_S, f4(3, 1, 2, 0), 0), WB_TRAP_INT_OVERFLOW, "INT32_MIN / -1");
	fp[3] = 99;
	ASSERT_EQ(run(WB_I_I32_REM_S, f4(3, 1, 2, 0), 0), 0, "INT32_MIN % -1");
	ASSERT_EQ(fp[3], 0, "INT32_MIN % -1");
	fp[1] = (uint32_t)-7;
	fp[2] = 2;
	run(WB_I_I32_DIV_S, f4(3, 1, 2, 0), 0);
	ASSERT_EQ(fp[3], (uint32_t)-3, "i32.div_s rounds toward zero");
	run(WB_I_I32_REM_S, f4(3, 1, 2, 0), 0);
	ASSERT_EQ(fp[3], (uint32_t)-1, "i32.rem_s takes the dividend's sign");
	run(WB_I_I32_DIV_U, f4(3, 1, 2, 0), 0);
	ASSERT_EQ(fp[3], 0x7ffffffcu, "i32.div_u");
	fp[2] = 0;
	ASSERT_EQ(run(WB_I_I32_REM_U, f4(3, 1, 2, 0), 0), WB_TRAP_DIV_ZERO, "i32.rem_u by 0");
}

static void test_fused(void **state)
{
	uint64_t *fp = X->fp;

	fp[1] = 0x12345678u;
	fp[2] = 0xaabbccddu;
	run(WB_I_I32_FSH, f4(3, 1, 2, 8 | 24 << 8), 0);
	ASSERT_EQ(fp[3], 0x345678aau, "i32 funnel shift");
	run(WB_I_I32_XOR_ROTL, f4(3, 1, 2, 8), 0);
	ASSERT_EQ(fp[3], 0x12345678u ^ 0xbbccddaau, "i32 xor rotl (F3 a count)");
	fp[3] = 0xffffffffu;
	run(WB_I_I32_MADD, f4(4, 1, 2, 3), 0);
	ASSERT_EQ(fp[4], (uint32_t)(0x12345678u * 0xaabbccddu - 1), "i32 madd");
	run(WB_I_I32_ADD3, f4(4, 1, 2, 3), 0);
	ASSERT_EQ(fp[4], (uint32_t)(0x12345678u + 0xaabbccddu - 1), "i32 add3");
	fp[1] = f64b(0.1);
	fp[2] = f64b(10.0);
	fp[3] = f64b(-1.0);
	run(WB_I_F64_MADD, f4(4, 1, 2, 3), 0);
	ASSERT_EQ(fp[4], f64b(0.0), "f64 madd rounds after the multiply (no fma)");
}

static void test_move_select(void **state)
{
	uint64_t *fp = X->fp;

	fp[1] = 0x100000000ull;
	fp[2] = 22;
	fp[3] = 33;
	run(WB_I_SELECT, f4(4, 1, 2, 3), 0);
	ASSERT_EQ(fp[4], 33, "select tests only the low 32 bits");
	fp[1] = 0x80000000u;
	run(WB_I_SELECT, f4(4, 1, 2, 3), 0);
	ASSERT_EQ(fp[4], 22, "select, true");
	fp[5] = 55;
	run(WB_I_MOV2, f4(6, 5, 7, 6), 0);
	ASSERT_EQ(fp[7], 55, "mov2 runs its moves in order");
	run(WB_I_CONST32, fhi(8, 0, 0xfffffff0u), 0);
	ASSERT_EQ(fp[8], 0xfffffff0u, "const32 zero-extends");
	run(WB_I_CONST64, fhi(8, 0, 0), 0x0123456789abcdefull);
	ASSERT_EQ(fp[8], 0x0123456789abcdefull, "const64");
	X->glob.val.i64 = 77;
	run(WB_I_GLOBAL_GET, fhi(9, 0, 0), 0);
	ASSERT_EQ(fp[9], 77, "global.get");
	fp[9] = 78;
	run(WB_I_GLOBAL_SET, fhi(9, 0, 0), 0);
	ASSERT_EQ(X->glob.val.i64, 78, "global.set");
}

/* ---------------------------------------------------------------- floats */

static void test_float(void **state)
{
	uint64_t *fp = X->fp;
	uint64_t r;

	fp[1] = f64b(-0.0);
	fp[2] = f64b(0.0);
	run(WB_I_F64_MIN, f4(3, 1, 2, 0), 0);
	ASSERT_EQ(fp[3], f64b(-0.0), "f64.min(-0, +0)");
	run(WB_I_F64_MIN, f4(3, 2, 1, 0), 0);
	ASSERT_EQ(fp[3], f64b(-0.0), "f64.min(+0, -0)");
	run(WB_I_F64_MAX, f4(3, 1, 2, 0), 0);
	ASSERT_EQ(fp[3], f64b(0.0), "f64.max(-0, +0)");
	fp[1] = f64b(NAN);
	fp[2] = f64b(1.0);
	run(WB_I_F64_MIN, f4(3, 2, 1, 0), 0);
	r = fp[3];
	ASSERT_EQ((r >> 52 & 0x7ff) == 0x7ff && (r & 0xfffffffffffffull), 1,
		  "f64.min(1, NaN) is NaN");
	/* Two NaNs: the first operand's payload, quieted, as x86 and the interpreter give. */
	fp[1] = 0x7ff0000000000001ull;
	fp[2] = 0xfff8000000000002ull;
	run(WB_I_F64_ADD, f4(3, 1, 2, 0), 0);
	ASSERT_EQ(fp[3], 0x7ff8000000000001ull, "f64.add(NaN a, NaN b) is a");
	run(WB_I_F64_MUL, f4(3, 2, 1, 0), 0);
	ASSERT_EQ(fp[3], 0xfff8000000000002ull, "f64.mul(NaN b, NaN a) is b");
	run(WB_I_F64_MIN, f4(3, 1, 2, 0), 0);
	ASSERT_EQ(fp[3], 0x7ff8000000000001ull, "f64.min(NaN a, NaN b) is a");
	fp[3] = f64b(1.0);
	run(WB_I_F64_MADD, f4(4, 3, 2, 1), 0);
	ASSERT_EQ(fp[4], 0xfff8000000000002ull, "f64 madd(1, NaN b, NaN a) is b");
	fp[1] = 0x7f800001u;
	fp[2] = 0xffc00002u;
	run(WB_I_F32_MUL, f4(3, 1, 2, 0), 0);
	ASSERT_EQ(fp[3], 0x7fc00001u, "f32.mul(NaN a, NaN b) is a");
	run(WB_I_F32_MAX, f4(3, 2, 1, 0), 0);
	ASSERT_EQ(fp[3], 0xffc00002u, "f32.max(NaN b, NaN a) is b");
	fp[1] = f32b(-0.0f);
	fp[2] = f32b(0.0f);
	run(WB_I_F32_MIN, f4(3, 1, 2, 0), 0);
	ASSERT_EQ(fp[3], 0x80000000u, "f32.min(-0, +0)");
	fp[1] = f32b(1.5f);
	fp[2] = f32b(2.25f);
	run(WB_I_F32_ADD, f4(3, 1, 2, 0), 0);
	ASSERT_EQ(fp[3], f32b(3.75f), "f32.add, high half zero");
	fp[1] = f32b(-2.5f);
	run(WB_I_F32_NEAREST, f4(3, 1, 0, 0), 0);
	ASSERT_EQ(fp[3], f32b(-2.0f), "f32.nearest ties to even");
	fp[1] = f64b(2.0);
	run(WB_I_F64_LT, f4(3, 1, 1, 0), 0);
	ASSERT_EQ(fp[3], 0, "f64.lt 2 < 2");
	fp[1] = f32b(-3.0f);
	fp[2] = f32b(1.0f);
	run(WB_I_F32_COPYSIGN, f4(3, 2, 1, 0), 0);
	ASSERT_EQ(fp[3], f32b(-1.0f), "f32.copysign");
	fp[1] = 0xffffffffffffffffull;
	run(WB_I_F32_CONVERT_I64_U, f4(3, 1, 0, 0), 0);
	ASSERT_EQ(fp[3], f32b(18446744073709551616.0f), "f32.convert_i64_u 2^64-1");
}

static void test_trunc(void **state)
{
	uint64_t *fp = X->fp;

	fp[1] = f32b(NAN);
	fp[3] = 5;
	ASSERT_EQ(run(WB_I_I32_TRUNC_F32_S, f4(3, 1, 0, 0), 0), WB_TRAP_INVALID_CONVERSION,
		  "i32.trunc_f32_s NaN");
	ASSERT_EQ(fp[3], 5, "no result on a trap");
	fp[1] = f32b(2147483648.0f);
	ASSERT_EQ(run(WB_I_I32_TRUNC_F32_S, f4(3, 1, 0, 0), 0), WB_TRAP_INT_OVERFLOW,
		  "i32.trunc_f32_s 2^31");
	fp[1] = f32b(-2147483648.0f);
	ASSERT_EQ(run(WB_I_I32_TRUNC_F32_S, f4(3, 1, 0, 0), 0), 0, "i32.trunc_f32_s -2^31");
	ASSERT_EQ(fp[3], 0x80000000u, "i32.trunc_f32_s -2^31");
	fp[1] = f64b(-2147483648.9);
	ASSERT_EQ(run(WB_I_I32_TRUNC_F64_S, f4(3, 1, 0, 0), 0), 0, "i32.trunc_f64_s -2^31-0.9");
	ASSERT_EQ(fp[3], 0x80000000u, "i32.trunc_f64_s -2^31-0.9");
	fp[1] = f64b(-2147483649.0);
	ASSERT_EQ(run(WB_I_I32_TRUNC_F64_S, f4(3, 1, 0, 0), 0), WB_TRAP_INT_OVERFLOW,
		  "i32.trunc_f64_s -2^31-1");
	fp[1] = f64b(-0.9);
	ASSERT_EQ(run(WB_I_I32_TRUNC_F64_U, f4(3, 1, 0, 0), 0), 0, "i32.trunc_f64_u -0.9");
	ASSERT_EQ(fp[3], 0, "i32.trunc_f64_u -0.9");
	fp[1] = f64b(-1.0);
	ASSERT_EQ(run(WB_I_I32_TRUNC_F64_U, f4(3, 1, 0, 0), 0), WB_TRAP_INT_OVERFLOW,
		  "i32.trunc_f64_u -1");
	fp[1] = f64b(18446744073709551616.0);
	ASSERT_EQ(run(WB_I_I64_TRUNC_F64_U, f4(3, 1, 0, 0), 0), WB_TRAP_INT_OVERFLOW,
		  "i64.trunc_f64_u 2^64");
	fp[1] = f64b(-9223372036854775808.0);
	ASSERT_EQ(run(WB_I_I64_TRUNC_F64_S, f4(3, 1, 0, 0), 0), 0, "i64.trunc_f64_s -2^63");
	ASSERT_EQ(fp[3], (uint64_t)INT64_MIN, "i64.trunc_f64_s -2^63");
}

static void test_sat(void **state)
{
	uint64_t *fp = X->fp;
	static const struct {
		uint32_t op;
		uint64_t in, want;
		const char *what;
	} cases[] = {
		{ WB_I_I32_TRUNC_SAT_F32_S, 0x7fc00000u, 0, "i32 sat_s f32 NaN" },
		{ WB_I_I32_TRUNC_SAT_F32_S, 0x4f32d05eu /* 3e9 */, 0x7fffffffu,
		  "i32 sat_s f32 3e9" },
		{ WB_I_I32_TRUNC_SAT_F32_S, 0xcf32d05eu /* -3e9 */, 0x80000000u,
		  "i32 sat_s f32 -3e9" },
		{ WB_I_I32_TRUNC_SAT_F64_U, 0xc014000000000000ull /* -5 */, 0, "i32 sat_u f64 -5" },
		{ WB_I_I32_TRUNC_SAT_F64_U, 0x41f2a05f20000000ull /* 5e9 */, 0xffffffffu,
		  "i32 sat_u f64 5e9" },
		{ WB_I_I64_TRUNC_SAT_F64_S, 0x43e158e460913d00ull /* 1e19 */, INT64_MAX,
		  "i64 sat_s f64 1e19" },
		{ WB_I_I64_TRUNC_SAT_F64_S, 0xc3e158e460913d00ull /* -1e19 */, (uint64_t)INT64_MIN,
		  "i64 sat_s f64 -1e19" },
		{ WB_I_I64_TRUNC_SAT_F32_U, 0x5f800000u /* 2^64 */, UINT64_MAX,
		  "i64 sat_u f32 2^64" },
		{ WB_I_I64_TRUNC_SAT_F64_U, 0x4045000000000000ull /* 42 */, 42,
		  "i64 sat_u f64 42" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fp[1] = cases[i].in;
		fp[3] = 0x5555;
		ASSERT_EQ(run(cases[i].op, f4(3, 1, 0, 0), 0), 0, cases[i].what);
		ASSERT_EQ(fp[3], cases[i].want, cases[i].what);
	}
}

/* ---------------------------------------------------------------- memory */

static void test_load_store(void **state)
{
	uint64_t *fp = X->fp;
	uint8_t *mb = X->buf;

	memcpy(mb + MEM_SZ - 4, "\x01\x02\x03\x84", 4);
	fp[1] = MEM_SZ - 4;
	ASSERT_EQ(run(WB_I_I32_LOAD, fhi(3, 1, 0), 0), 0, "i32.load at the last word");
	ASSERT_EQ(fp[3], 0x84030201u, "i32.load at the last word");
	fp[1] = MEM_SZ - 3;
	fp[3] = 7;
	ASSERT_EQ(run(WB_I_I32_LOAD, fhi(3, 1, 0), 0), WB_TRAP_MEMORY_OOB, "i32.load 1 byte over");
	ASSERT_EQ(fp[3], 7, "no result on a trap");
	fp[1] = MEM_SZ - 6;
	ASSERT_EQ(run(WB_I_I32_LOAD, fhi(3, 1, 2), 0), 0, "i32.load offset 2");
	ASSERT_EQ(run(WB_I_I32_LOAD, fhi(3, 1, 3), 0), WB_TRAP_MEMORY_OOB, "i32.load offset 3");
	fp[1] = 0xffffffffu;
	ASSERT_EQ(run(WB_I_I32_LOAD8_U, fhi(3, 1, 0xffffffffu), 0), WB_TRAP_MEMORY_OOB,
		  "address + offset does not wrap");
	fp[1] = MEM_SZ - 1;
	ASSERT_EQ(run(WB_I_I64_LOAD8_S, fhi(3, 1, 0), 0), 0, "i64.load8_s at the last byte");
	ASSERT_EQ(fp[3], 0xffffffffffffff84ull, "i64.load8_s sign-extends");
	ASSERT_EQ(run(WB_I_I32_LOAD8_S, fhi(3, 1, 0), 0), 0, "i32.load8_s");
	ASSERT_EQ(fp[3], 0xffffff84u, "i32.load8_s sign-extends to 32 bits only");
	fp[1] = MEM_SZ - 8;
	ASSERT_EQ(run(WB_I_I64_LOAD, fhi(3, 1, 1), 0), WB_TRAP_MEMORY_OOB, "i64.load 1 byte over");

	/* _K: the address add wraps at 2^32. */
	fp[1] = 0xfffffff0u;
	fp[2] = 0x1122334455667788ull;
	ASSERT_EQ(run(WB_I_I64_STORE_K, fhi(2, 1, 0x20), 0), 0, "i64.store_k wraps");
	ASSERT_EQ(mb[0x10], 0x88, "i64.store_k wrote at 0x10");
	fp[1] = 0x10;
	run(WB_I_I32_STORE8, fhi(2, 1, 0), 0);
	ASSERT_EQ(mb[0x10], 0x88, "i32.store8 truncates");
	fp[1] = 0xfffffff0u;
	ASSERT_EQ(run(WB_I_I32_LOAD16_U_K, fhi(3, 1, 0x21), 0), 0, "i32.load16_u_k");
	ASSERT_EQ(fp[3], 0x6677, "i32.load16_u_k");

	/* _X: (u32)(a + b) + offset, the offset not wrapping. */
	fp[1] = 0xfffffff0u;
	fp[2] = 0x24;
	ASSERT_EQ(run(WB_I_I32_LOAD_X, f4(3, 1, 2, 0), 0), 0, "i32.load_x");
	ASSERT_EQ(fp[3], 0x11223344u, "i32.load_x");
	fp[1] = MEM_SZ - 4;
	fp[2] = 0;
	ASSERT_EQ(run(WB_I_I32_LOAD_X, f4(3, 1, 2, 1), 0), WB_TRAP_MEMORY_OOB, "i32.load_x over");

	/* _SX: base + k + (index << shift) + offset. */
	fp[1] = 0x08;
	fp[2] = 4;
	ASSERT_EQ(run(WB_I_I32_LOAD_SX, f4(3, 1, 2, 2), 0x4ull << 32 | (uint32_t)-8), 0,
		  "i32.load_sx");
	ASSERT_EQ(fp[3], 0x11223344u, "i32.load_sx reads 0x8 - 8 + (4 << 2) + 4");
}

static void test_write_local(void **state)
{
	uint64_t *fp = X->fp;
	uint8_t *mb = X->buf;

	memcpy(mb + 0x100, "\xaa\xbb\xcc\xdd\x11\x22\x33\x44", 8);
	fp[1] = 0xf0;
	fp[2] = 0x10;
	fp[4] = 0;
	ASSERT_EQ(run(WB_I_I32_LOAD_XW, f4(3, 1, 2, 4), 4), 0, "i32.load_xw");
	ASSERT_EQ(fp[4], 0x100, "i32.load_xw writes its local");
	ASSERT_EQ(fp[3], 0x44332211u, "i32.load_xw reads local + offset");
	ASSERT_EQ(run(WB_I_I32_LOAD_XW, f4(4, 1, 2, 4), 0), 0, "i32.load_xw into its local");
	ASSERT_EQ(fp[4], 0xddccbbaau, "the loaded value overwrites the local");
	fp[2] = MEM_SZ;
	ASSERT_EQ(run(WB_I_I32_LOAD_XW, f4(3, 1, 2, 4), 0), WB_TRAP_MEMORY_OOB, "load_xw traps");
	ASSERT_EQ(fp[4], MEM_SZ + 0xf0, "the local is written before the trap");

	/* _KW: cell 2 = k | offset << 32; a store of the local stores the address. */
	fp[1] = 0xfffffff0u;
	ASSERT_EQ(run(WB_I_I32_STORE_KW, f4(5, 1, 5, 0), 8ull << 32 | 0x210), 0, "i32.store_kw");
	ASSERT_EQ(fp[5], 0x200, "i32.store_kw writes its local");
	ASSERT_EQ(mb[0x208] | mb[0x209] << 8, 0x200, "the value is read after the local");
	mb[MEM_SZ - 1] = 0x84;
	fp[6] = 0x99;
	ASSERT_EQ(run(WB_I_I64_LOAD8_U_KW, f4(6, 1, 5, 0), 0xffffull << 32 | 0x10), 0,
		  "i64.load8_u_kw at the last byte");
	ASSERT_EQ(fp[6], 0x84, "i64.load8_u_kw");
	ASSERT_EQ(run(WB_I_I64_LOAD8_U_KW, f4(6, 1, 5, 0), 0x10000ull << 32 | 0x11),
		  WB_TRAP_MEMORY_OOB, "i64.load8_u_kw 1 byte over");
	ASSERT_EQ(fp[5], 1, "i64.load8_u_kw writes its local before the trap");
	ASSERT_EQ(fp[6], 0x84, "no result on a trap");
}

static void test_opst_lmadd(void **state)
{
	uint64_t *fp = X->fp;
	uint8_t *mb = X->buf;
	uint32_t v;

	fp[0] = 0x300;
	fp[1] = 5;
	fp[2] = 7;
	ASSERT_EQ(run(WB_I_I32_ADD_ST, f4(0, 1, 2, 0), 4), 0, "i32.add_st");
	memcpy(&v, mb + 0x304, 4);
	ASSERT_EQ(v, 12, "i32.add_st stores at F0 + offset");
	fp[0] = 0xffffffffu;
	ASSERT_EQ(run(WB_I_I32_SUB_STK, f4(0, 1, 2, 0), 0x305), 0, "i32.sub_stk wraps");
	memcpy(&v, mb + 0x304, 4);
	ASSERT_EQ(v, 0xfffffffeu, "i32.sub_stk");
	fp[0] = MEM_SZ - 4;
	ASSERT_EQ(run(WB_I_I32_AND_ST, f4(0, 1, 2, 0), 1), WB_TRAP_MEMORY_OOB, "i32.and_st over");

	/* y[i] += a * x[j]: load at (u32)(F1 + k), store at (u32)F0 + offset. */
	v = 6;
	memcpy(mb + 0x400, &v, 4);
	fp[0] = 0x500;
	fp[1] = 0x3f8;
	fp[2] = 7;
	fp[3] = 100;
	ASSERT_EQ(run(WB_I_I32_LMADD_ST, f4(0, 1, 2, 3), 0x8ull << 32 | 0x8), 0, "lmadd_st");
	memcpy(&v, mb + 0x508, 4);
	ASSERT_EQ(v, 142, "lmadd_st 6 * 7 + 100");
	fp[1] = MEM_SZ - 2;
	fp[0] = 0x600;
	ASSERT_EQ(run(WB_I_I32_LMADD_ST, f4(0, 1, 2, 3), 0), WB_TRAP_MEMORY_OOB,
		  "lmadd_st load over");
	ASSERT_EQ(mb[0x600], 0, "no store after the load traps");
	fp[1] = 0x3f8;
	fp[0] = MEM_SZ - 3;
	ASSERT_EQ(run(WB_I_I32_LMADD_ST, f4(0, 1, 2, 3), 0x8), WB_TRAP_MEMORY_OOB,
		  "lmadd_st store over");
	ASSERT_EQ(mb[MEM_SZ - 3], 0, "no partial store");
}

static void test_bulk(void **state)
{
	uint64_t *fp = X->fp;
	uint8_t *mb = X->buf;

	fp[0] = MEM_SZ - 6;
	fp[1] = 0x1ab;
	fp[2] = 6;
	ASSERT_EQ(run(WB_I_MEMORY_FILL, f4(0, 1, 2, 0), 0), 0, "memory.fill to the end");
	ASSERT_EQ(mb[MEM_SZ - 1], 0xab, "memory.fill");
	fp[2] = 7;
	fp[1] = 0;
	ASSERT_EQ(run(WB_I_MEMORY_FILL, f4(0, 1, 2, 0), 0), WB_TRAP_MEMORY_OOB,
		  "memory.fill 1 byte over");
	ASSERT_EQ(mb[MEM_SZ - 1], 0xab, "memory.fill writes nothing when it traps");
	fp[0] = MEM_SZ;
	fp[2] = 0;
	ASSERT_EQ(run(WB_I_MEMORY_FILL, f4(0, 1, 2, 0), 0), 0, "memory.fill of 0 at the end");
	fp[0] = MEM_SZ + 1;
	ASSERT_EQ(run(WB_I_MEMORY_FILL, f4(0, 1, 2, 0), 0), WB_TRAP_MEMORY_OOB,
		  "memory.fill of 0 past the end");

	memcpy(mb + 0x700, "abcdef", 6);
	fp[0] = 0x702;
	fp[1] = 0x700;
	fp[2] = 4;
	ASSERT_EQ(run(WB_I_MEMORY_COPY, f4(0, 1, 2, 0), 0), 0, "memory.copy overlapping");
	ASSERT_EQ(memcmp(mb + 0x700, "ababcd", 6), 0, "memory.copy moves");
	fp[0] = 0;
	fp[1] = MEM_SZ - 3;
	ASSERT_EQ(run(WB_I_MEMORY_COPY, f4(0, 1, 2, 0), 0), WB_TRAP_MEMORY_OOB,
		  "memory.copy source over");
	ASSERT_EQ(mb[0], 0, "memory.copy writes nothing when it traps");
	fp[0] = 0xffffffffu;
	fp[1] = 0;
	ASSERT_EQ(run(WB_I_MEMORY_COPY, f4(0, 1, 2, 0), 0), WB_TRAP_MEMORY_OOB,
		  "memory.copy destination over");

	fp[0] = 0x800;
	fp[1] = 2;
	fp[2] = 6;
	ASSERT_EQ(run(WB_I_MEMORY_INIT, f4(0, 1, 2, 0), 0), 0, "memory.init");
	ASSERT_EQ(mb[0x800] | mb[0x805] << 8, 0x0803, "memory.init copies");
	fp[2] = 7;
	ASSERT_EQ(run(WB_I_MEMORY_INIT, f4(0, 1, 2, 0), 0), WB_TRAP_MEMORY_OOB,
		  "memory.init past the segment");
	ASSERT_EQ(run(WB_I_DATA_DROP, fhi(0, 0, 0), 0), 0, "data.drop");
	fp[1] = 0;
	fp[2] = 0;
	ASSERT_EQ(run(WB_I_MEMORY_INIT, f4(0, 1, 2, 0), 0), 0, "memory.init of 0 after drop");
	fp[2] = 1;
	ASSERT_EQ(run(WB_I_MEMORY_INIT, f4(0, 1, 2, 0), 0), WB_TRAP_MEMORY_OOB,
		  "memory.init after drop");

	run(WB_I_MEMORY_SIZE, f4(3, 0, 0, 0), 0);
	ASSERT_EQ(fp[3], 1, "memory.size");
	fp[1] = 1;
	run(WB_I_MEMORY_GROW, f4(3, 1, 0, 0), 0);
	ASSERT_EQ(fp[3], 0xffffffffu, "memory.grow past the maximum is -1");
	fp[1] = 0;
	run(WB_I_MEMORY_GROW, f4(3, 1, 0, 0), 0);
	ASSERT_EQ(fp[3], 1, "memory.grow 0 is the old size");
}

static void test_table(void **state)
{
	uint64_t *fp = X->fp;
	int obj;

	fp[0] = 1;
	fp[1] = (uintptr_t)&obj;
	fp[2] = 3;
	ASSERT_EQ(run(WB_I_TABLE_FILL, f4(0, 1, 2, 0), 0), 0, "table.fill to the end");
	ASSERT_EQ(X->elems[3] == &obj && !X->elems[0], 1, "table.fill");
	fp[2] = 4;
	ASSERT_EQ(run(WB_I_TABLE_FILL, f4(0, 1, 2, 0), 0), WB_TRAP_TABLE_OOB, "table.fill over");
	fp[1] = 3;
	ASSERT_EQ(run(WB_I_TABLE_GET, fhi(4, 1, 0), 0), 0, "table.get");
	ASSERT_EQ(fp[4], (uintptr_t)&obj, "table.get");
	fp[1] = TAB_SZ;
	ASSERT_EQ(run(WB_I_TABLE_GET, fhi(4, 1, 0), 0), WB_TRAP_TABLE_OOB, "table.get over");
	run(WB_I_TABLE_SIZE, fhi(4, 0, 0), 0);
	ASSERT_EQ(fp[4], TAB_SZ, "table.size");
	fp[1] = 0;
	run(WB_I_REF_IS_NULL, f4(4, 1, 0, 0), 0);
	ASSERT_EQ(fp[4], 1, "ref.is_null");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coverage),
		cmocka_unit_test_setup_teardown(test_int, setup, teardown),
		cmocka_unit_test_setup_teardown(test_div, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_select, setup, teardown),
		cmocka_unit_test_setup_teardown(test_float, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trunc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_local, setup, teardown),
		cmocka_unit_test_setup_teardown(test_opst_lmadd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
