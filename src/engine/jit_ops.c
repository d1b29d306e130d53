/* SPDX-License-Identifier: MIT */
/*
 * The internal instructions the baseline JIT leaves to C (jit_ops.h): one
 * function per opcode that is not control flow, each doing exactly what the
 * interpreter's handler (interp.c) does, with the same expressions, operand
 * reads and order of side effects, but returning a trap kind instead of
 * dispatching to the next instruction.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "jit_ops.h"
#include "numeric.h"

/* Operand fields of the instruction's second cell (code.h). */
#define O0 WB_F0(pc[1])
#define O1 WB_F1(pc[1])
#define O2 WB_F2(pc[1])
#define O3 WB_F3(pc[1])
#define OHI WB_HI(pc[1])

#define OP(name) static int op_##name(struct wb_instance *inst, uint64_t *fp, const wb_cell *pc)

/*
 * Linear memory 0, fetched at every call: memory.grow (by this instruction
 * or by a callee) changes its size, never its base.
 */
#define MEM								\
	struct wb_memory *mem0 = inst->mems[0];				\
	uint8_t *mb = mem0->data;					\
	uint64_t ms = mem0->size

/*
 * Float + and * with the NaN operand order pinned down. When both operands
 * are NaN, x86 returns the first source's payload (quieted), and gcc may
 * swap the operands of a commutative operation: it loads b first in one
 * function and a in another. The interpreter's plain handlers happen to put
 * a first (some of its replicas and pairs do not); this does so explicitly,
 * as a template `movsd xmm0, [a]; addsd xmm0, [b]` does. a + a is a quieted.
 */
static inline float add_f32(float a, float b)
{
	return a != a ? a + a : b != b ? b + b : a + b;
}

static inline float mul_f32(float a, float b)
{
	return a != a ? a * a : b != b ? b * b : a * b;
}

static inline double add_f64(double a, double b)
{
	return a != a ? a + a : b != b ? b + b : a + b;
}

static inline double mul_f64(double a, double b)
{
	return a != a ? a * a : b != b ? b * b : a * b;
}

/* numeric.h's min and max, whose NaN case is a + b, with that order pinned too. */
static inline uint64_t min_f32(uint64_t x, uint64_t y)
{
	float a = f32_of(x), b = f32_of(y);

	return a != a || b != b ? of_f32(add_f32(a, b)) : f32_min(x, y);
}

static inline uint64_t max_f32(uint64_t x, uint64_t y)
{
	float a = f32_of(x), b = f32_of(y);

	return a != a || b != b ? of_f32(add_f32(a, b)) : f32_max(x, y);
}

static inline uint64_t min_f64(uint64_t x, uint64_t y)
{
	double a = f64_of(x), b = f64_of(y);

	return a != a || b != b ? of_f64(add_f64(a, b)) : f64_min(x, y);
}

static inline uint64_t max_f64(uint64_t x, uint64_t y)
{
	double a = f64_of(x), b = f64_of(y);

	return a != a || b != b ? of_f64(add_f64(a, b)) : f64_max(x, y);
}

/* ---------------------------------------------------------------- data movement */

OP(MOV)
{
	fp[O0] = fp[O1];
	return 0;
}

OP(MOV2)
{
	fp[O0] = fp[O1];
	fp[O2] = fp[O3];
	return 0;
}

OP(CONST32)
{
	fp[O0] = OHI;
	return 0;
}

OP(CONST64)
{
	fp[O0] = pc[2];
	return 0;
}

OP(SELECT)
{
	fp[O0] = (uint32_t)fp[O1] ? fp[O2] : fp[O3];
	return 0;
}

OP(GLOBAL_GET)
{
	fp[O0] = inst->globals[OHI]->val.i64;
	return 0;
}

OP(GLOBAL_SET)
{
	inst->globals[OHI]->val.i64 = fp[O0];
	return 0;
}

/* ---------------------------------------------------------------- fused i32 and f64 operations */

#define E_MADD ((uint32_t)fp[O1] * (uint32_t)fp[O2] + (uint32_t)fp[O3])
#define E_FSH (((uint32_t)fp[O1] << (O3 & 31)) | ((uint32_t)fp[O2] >> (O3 >> 8)))

OP(I32_MADD)
{
	fp[O0] = (uint32_t)E_MADD;
	return 0;
}

OP(I32_ADD3)
{
	fp[O0] = (uint32_t)(fp[O1] + fp[O2] + fp[O3]);
	return 0;
}

/* F3 is the rotate count itself, not a slot. */
OP(I32_XOR_ROTL)
{
	fp[O0] = (uint32_t)fp[O1] ^ rotl32((uint32_t)fp[O2], O3);
	return 0;
}

/* F3 packs both shift counts, not a slot. */
OP(I32_FSH)
{
	fp[O0] = (uint32_t)E_FSH;
	return 0;
}

/* Two roundings, as the two Wasm instructions: the build has -ffp-contract=off. */
OP(F64_MADD)
{
	double p = mul_f64(f64_of(fp[O1]), f64_of(fp[O2]));

	fp[O0] = of_f64(add_f64(p, f64_of(fp[O3])));
	return 0;
}

/* The load is checked and done before the store's address is checked. */
OP(I32_LMADD_ST)
{
	MEM;
	uint64_t la = (uint32_t)(fp[O1] + (uint32_t)pc[2]);
	uint64_t ea = (uint64_t)(uint32_t)fp[O0] + (pc[2] >> 32);
	uint32_t x, v;

	if (la + 4 > ms)
		return WB_TRAP_MEMORY_OOB;
	memcpy(&x, mb + la, 4);
	v = x * (uint32_t)fp[O2] + (uint32_t)fp[O3];
	if (ea + 4 > ms)
		return WB_TRAP_MEMORY_OOB;
	memcpy(mb + ea, &v, 4);
	return 0;
}

/* ---------------------------------------------------------------- integer binops */

/*
 * Every form of WB_IBIN_LIST. The _A and _IA forms (WB_ACC_LIST) share the
 * plain and _I functions: the accumulator they read in the interpreter
 * always equals the low half of slot F1, which the previous instruction
 * just wrote zero-extended.
 */
#define IBIN32(fn, expr, bsrc)						\
	OP(fn)								\
	{								\
		uint32_t a = (uint32_t)fp[O1];				\
		uint32_t b = (bsrc);					\
									\
		fp[O0] = (uint32_t)(expr);				\
		return 0;						\
	}
#define IBIN64(fn, expr, bsrc)						\
	OP(fn)								\
	{								\
		uint64_t a = fp[O1];					\
		uint64_t b = (bsrc);					\
									\
		fp[O0] = (uint64_t)(expr);				\
		return 0;						\
	}
#define IBOTH(name, e32, e64)						\
	IBIN32(I32_##name, e32, (uint32_t)fp[O2])			\
	IBIN32(I32_##name##_I, e32, OHI)				\
	IBIN64(I64_##name, e64, fp[O2])					\
	IBIN64(I64_##name##_I, e64, (uint64_t)(int64_t)(int32_t)OHI)

IBOTH(ADD, a + b, a + b)
IBOTH(SUB, a - b, a - b)
IBOTH(MUL, a * b, a * b)
IBOTH(AND, a & b, a & b)
IBOTH(OR, a | b, a | b)
IBOTH(XOR, a ^ b, a ^ b)
IBOTH(SHL, a << (b & 31), a << (b & 63))
IBOTH(SHR_S, (int32_t)a >> (b & 31), (int64_t)a >> (b & 63))
IBOTH(SHR_U, a >> (b & 31), a >> (b & 63))
IBOTH(ROTL, rotl32(a, b), rotl64(a, b))
IBOTH(ROTR, rotr32(a, b), rotr64(a, b))
IBOTH(EQ, a == b, a == b)
IBOTH(NE, a != b, a != b)
IBOTH(LT_S, (int32_t)a < (int32_t)b, (int64_t)a < (int64_t)b)
IBOTH(LT_U, a < b, a < b)
IBOTH(GT_S, (int32_t)a > (int32_t)b, (int64_t)a > (int64_t)b)
IBOTH(GT_U, a > b, a > b)
IBOTH(LE_S, (int32_t)a <= (int32_t)b, (int64_t)a <= (int64_t)b)
IBOTH(LE_U, a <= b, a <= b)
IBOTH(GE_S, (int32_t)a >= (int32_t)b, (int64_t)a >= (int64_t)b)
IBOTH(GE_U, a >= b, a >= b)

/* ---------------------------------------------------------------- division */

/* Division by zero is checked before overflow; x % -1 is 0, never a trap. */
OP(I32_DIV_S)
{
	int32_t a = (int32_t)fp[O1], b = (int32_t)fp[O2];

	if (b == 0)
		return WB_TRAP_DIV_ZERO;
	if (a == INT32_MIN && b == -1)
		return WB_TRAP_INT_OVERFLOW;
	fp[O0] = (uint32_t)(a / b);
	return 0;
}

OP(I32_DIV_U)
{
	uint32_t a = (uint32_t)fp[O1], b = (uint32_t)fp[O2];

	if (b == 0)
		return WB_TRAP_DIV_ZERO;
	fp[O0] = a / b;
	return 0;
}

OP(I32_REM_S)
{
	int32_t a = (int32_t)fp[O1], b = (int32_t)fp[O2];

	if (b == 0)
		return WB_TRAP_DIV_ZERO;
	fp[O0] = b == -1 ? 0 : (uint32_t)(a % b);
	return 0;
}

OP(I32_REM_U)
{
	uint32_t a = (uint32_t)fp[O1], b = (uint32_t)fp[O2];

	if (b == 0)
		return WB_TRAP_DIV_ZERO;
	fp[O0] = a % b;
	return 0;
}

OP(I64_DIV_S)
{
	int64_t a = (int64_t)fp[O1], b = (int64_t)fp[O2];

	if (b == 0)
		return WB_TRAP_DIV_ZERO;
	if (a == INT64_MIN && b == -1)
		return WB_TRAP_INT_OVERFLOW;
	fp[O0] = (uint64_t)(a / b);
	return 0;
}

OP(I64_DIV_U)
{
	uint64_t a = fp[O1], b = fp[O2];

	if (b == 0)
		return WB_TRAP_DIV_ZERO;
	fp[O0] = a / b;
	return 0;
}

OP(I64_REM_S)
{
	int64_t a = (int64_t)fp[O1], b = (int64_t)fp[O2];

	if (b == 0)
		return WB_TRAP_DIV_ZERO;
	fp[O0] = b == -1 ? 0 : (uint64_t)(a % b);
	return 0;
}

OP(I64_REM_U)
{
	uint64_t a = fp[O1], b = fp[O2];

	if (b == 0)
		return WB_TRAP_DIV_ZERO;
	fp[O0] = a % b;
	return 0;
}

/* ---------------------------------------------------------------- float binops */

#define U32(x) ((uint32_t)(x))
#define U64(x) ((uint64_t)(x))
#define PBIN(name, T, get, expr)					\
	OP(name)							\
	{								\
		T a = get(fp[O1]);					\
		T b = get(fp[O2]);					\
									\
		fp[O0] = (expr);					\
		return 0;						\
	}

PBIN(F32_ADD, float, f32_of, of_f32(add_f32(a, b)))
PBIN(F32_SUB, float, f32_of, of_f32(a - b))
PBIN(F32_MUL, float, f32_of, of_f32(mul_f32(a, b)))
PBIN(F32_DIV, float, f32_of, of_f32(a / b))
PBIN(F32_MIN, uint64_t, U64, min_f32(a, b))
PBIN(F32_MAX, uint64_t, U64, max_f32(a, b))
PBIN(F32_COPYSIGN, uint32_t, U32, (a & 0x7fffffffu) | (b & 0x80000000u))
PBIN(F32_EQ, float, f32_of, a == b)
PBIN(F32_NE, float, f32_of, a != b)
PBIN(F32_LT, float, f32_of, a < b)
PBIN(F32_GT, float, f32_of, a > b)
PBIN(F32_LE, float, f32_of, a <= b)
PBIN(F32_GE, float, f32_of, a >= b)
PBIN(F64_ADD, double, f64_of, of_f64(add_f64(a, b)))
PBIN(F64_SUB, double, f64_of, of_f64(a - b))
PBIN(F64_MUL, double, f64_of, of_f64(mul_f64(a, b)))
PBIN(F64_DIV, double, f64_of, of_f64(a / b))
PBIN(F64_MIN, uint64_t, U64, min_f64(a, b))
PBIN(F64_MAX, uint64_t, U64, max_f64(a, b))
PBIN(F64_COPYSIGN, uint64_t, U64, (a & 0x7fffffffffffffffull) | (b & 0x8000000000000000ull))
PBIN(F64_EQ, double, f64_of, a == b)
PBIN(F64_NE, double, f64_of, a != b)
PBIN(F64_LT, double, f64_of, a < b)
PBIN(F64_GT, double, f64_of, a > b)
PBIN(F64_LE, double, f64_of, a <= b)
PBIN(F64_GE, double, f64_of, a >= b)

/* ---------------------------------------------------------------- unary */

#define PUN(name, T, get, expr)						\
	OP(name)							\
	{								\
		T a = get(fp[O1]);					\
									\
		fp[O0] = (expr);					\
		return 0;						\
	}

WB_PUN_OPS(PUN)

/* Trapping truncations: NaN is an invalid conversion, out of range an overflow. */
#define TRUNC(name, T, get, lo_ok, hi_ok, R, conv)			\
	OP(name)							\
	{								\
		T a = get(fp[O1]);					\
									\
		if (a != a)						\
			return WB_TRAP_INVALID_CONVERSION;		\
		if (!(lo_ok) || !(hi_ok))				\
			return WB_TRAP_INT_OVERFLOW;			\
		fp[O0] = (R)(conv)a;					\
		return 0;						\
	}

WB_TRUNC_OPS(TRUNC)

/* ---------------------------------------------------------------- loads and stores */

/* Effective addresses of the forms of code.h, as interp.c computes them. */
#define EA_OFF ((uint64_t)(uint32_t)fp[O1] + OHI)
#define EA_K ((uint64_t)(uint32_t)(fp[O1] + OHI))
#define EA_X ((uint64_t)(uint32_t)(fp[O1] + fp[O2]) + O3)
#define EA_SX								\
	((uint64_t)(uint32_t)(fp[O1] + (uint32_t)pc[2] + (fp[O2] << (O3 & 31))) + (pc[2] >> 32))
#define EA_ST ((uint64_t)(uint32_t)fp[O0] + (uint32_t)pc[2])
#define EA_STK ((uint64_t)(uint32_t)(fp[O0] + (uint32_t)pc[2]))
/* _XW/_KW: the local's value, its slot, and the offset added to it. */
#define XW_ADDR fp[O1] + fp[O2], O3, (uint32_t)pc[2]
#define KW_ADDR fp[O1] + (uint32_t)pc[2], O2, pc[2] >> 32

/* The memory type of each load and store, and how a loaded v becomes a slot value. */
#define JLD_I32_LOAD uint32_t, v
#define JLD_I64_LOAD uint64_t, v
#define JLD_F32_LOAD uint32_t, v
#define JLD_F64_LOAD uint64_t, v
#define JLD_I32_LOAD8_S int8_t, (uint32_t)(int32_t)v
#define JLD_I32_LOAD8_U uint8_t, v
#define JLD_I32_LOAD16_S int16_t, (uint32_t)(int32_t)v
#define JLD_I32_LOAD16_U uint16_t, v
#define JLD_I64_LOAD8_S int8_t, (uint64_t)(int64_t)v
#define JLD_I64_LOAD8_U uint8_t, v
#define JLD_I64_LOAD16_S int16_t, (uint64_t)(int64_t)v
#define JLD_I64_LOAD16_U uint16_t, v
#define JLD_I64_LOAD32_S int32_t, (uint64_t)(int64_t)v
#define JLD_I64_LOAD32_U uint32_t, v
#define JST_I32_STORE uint32_t
#define JST_I64_STORE uint64_t
#define JST_F32_STORE uint32_t
#define JST_F64_STORE uint64_t
#define JST_I32_STORE8 uint8_t
#define JST_I32_STORE16 uint16_t
#define JST_I64_STORE8 uint8_t
#define JST_I64_STORE16 uint16_t
#define JST_I64_STORE32 uint32_t

#define LOAD_FN(fn, T, conv, ea_expr)					\
	OP(fn)								\
	{								\
		MEM;							\
		uint64_t ea = (ea_expr);				\
		T v;							\
									\
		if (ea + sizeof(T) > ms)				\
			return WB_TRAP_MEMORY_OOB;			\
		memcpy(&v, mb + ea, sizeof(T));				\
		fp[O0] = conv;						\
		return 0;						\
	}
/* The local is written first: the loaded value may overwrite it (F0 == x). */
#define LOAD_W_FN(fn, T, conv, ...) LOAD_W_FN_(fn, T, conv, __VA_ARGS__)
#define LOAD_W_FN_(fn, T, conv, x_expr, x_slot, off)			\
	OP(fn)								\
	{								\
		MEM;							\
		uint32_t x = (uint32_t)(x_expr);			\
		uint64_t ea = (uint64_t)x + (off);			\
		T v;							\
									\
		fp[x_slot] = x;						\
		if (ea + sizeof(T) > ms)				\
			return WB_TRAP_MEMORY_OOB;			\
		memcpy(&v, mb + ea, sizeof(T));				\
		fp[O0] = conv;						\
		return 0;						\
	}
#define LOAD_FNS(n) LOAD_FNS_(n, JLD_##n)
#define LOAD_FNS_(n, ...) LOAD_FNS__(n, __VA_ARGS__)
#define LOAD_FNS__(n, T, conv)						\
	LOAD_FN(n, T, conv, EA_OFF)					\
	LOAD_FN(n##_K, T, conv, EA_K)					\
	LOAD_FN(n##_X, T, conv, EA_X)					\
	LOAD_FN(n##_SX, T, conv, EA_SX)					\
	LOAD_W_FN(n##_XW, T, conv, XW_ADDR)				\
	LOAD_W_FN(n##_KW, T, conv, KW_ADDR)

WB_LOAD_LIST(LOAD_FNS)

/* The value is read (and truncated) before the bounds check, as interp.c does. */
#define STORE_FN(fn, T, ea_expr)					\
	OP(fn)								\
	{								\
		MEM;							\
		uint64_t ea = (ea_expr);				\
		T v = (T)fp[O0];					\
									\
		if (ea + sizeof(T) > ms)				\
			return WB_TRAP_MEMORY_OOB;			\
		memcpy(mb + ea, &v, sizeof(T));				\
		return 0;						\
	}
/* The local is written before the value is read: F0 == x stores the address. */
#define STORE_W_FN(fn, T, ...) STORE_W_FN_(fn, T, __VA_ARGS__)
#define STORE_W_FN_(fn, T, x_expr, x_slot, off)				\
	OP(fn)								\
	{								\
		MEM;							\
		uint32_t x = (uint32_t)(x_expr);			\
		uint64_t ea = (uint64_t)x + (off);			\
		T v;							\
									\
		fp[x_slot] = x;						\
		v = (T)fp[O0];						\
		if (ea + sizeof(T) > ms)				\
			return WB_TRAP_MEMORY_OOB;			\
		memcpy(mb + ea, &v, sizeof(T));				\
		return 0;						\
	}
#define STORE_FNS(n) STORE_FNS_(n, JST_##n)
#define STORE_FNS_(n, T) STORE_FNS__(n, T)
#define STORE_FNS__(n, T)						\
	STORE_FN(n, T, EA_OFF)						\
	STORE_FN(n##_K, T, EA_K)					\
	STORE_FN(n##_X, T, EA_X)					\
	STORE_W_FN(n##_XW, T, XW_ADDR)					\
	STORE_W_FN(n##_KW, T, KW_ADDR)

WB_STORE_LIST(STORE_FNS)

/* An i32 operation stored straight to memory (code.h, _ST/_STK). */
#define OPST_FN(fn, expr, ea_expr)					\
	OP(fn)								\
	{								\
		MEM;							\
		uint32_t v = (uint32_t)(expr);				\
		uint64_t ea = (ea_expr);				\
									\
		if (ea + 4 > ms)					\
			return WB_TRAP_MEMORY_OOB;			\
		memcpy(mb + ea, &v, 4);					\
		return 0;						\
	}
#define OPST(name, expr)						\
	OPST_FN(I32_##name##_ST, expr, EA_ST)				\
	OPST_FN(I32_##name##_STK, expr, EA_STK)

OPST(ADD, fp[O1] + fp[O2])
OPST(SUB, fp[O1] - fp[O2])
OPST(AND, fp[O1] & fp[O2])
OPST(OR, fp[O1] | fp[O2])
OPST(XOR, fp[O1] ^ fp[O2])
OPST(MADD, E_MADD)
OPST(FSH, E_FSH)

/* ---------------------------------------------------------------- bulk memory */

OP(MEMORY_SIZE)
{
	fp[O0] = (uint32_t)(inst->mems[0]->size / WB_PAGE_SIZE);
	return 0;
}

/* -1 (as i32) on failure: the caller must reload the size it caches either way. */
OP(MEMORY_GROW)
{
	int64_t r = wb_memory__grow(inst->mems[0], (uint32_t)fp[O1]);

	fp[O0] = (uint32_t)(int32_t)r;
	return 0;
}

OP(MEMORY_INIT)
{
	MEM;
	uint32_t seg = (uint32_t)pc[2];
	const struct wb_data_seg *ds = &inst->module->datas[seg];
	uint64_t d = (uint32_t)fp[O0], sr = (uint32_t)fp[O1];
	uint64_t n = (uint32_t)fp[O2];
	uint64_t len = inst->data_dropped[seg] ? 0 : ds->len;

	if (sr + n > len || d + n > ms)
		return WB_TRAP_MEMORY_OOB;
	if (n)
		memcpy(mb + d, ds->bytes + sr, n);
	return 0;
}

OP(DATA_DROP)
{
	inst->data_dropped[OHI] = true;
	return 0;
}

OP(MEMORY_COPY)
{
	MEM;
	uint64_t d = (uint32_t)fp[O0], sr = (uint32_t)fp[O1];
	uint64_t n = (uint32_t)fp[O2];

	if (sr + n > ms || d + n > ms)
		return WB_TRAP_MEMORY_OOB;
	if (n)
		memmove(mb + d, mb + sr, n);
	return 0;
}

OP(MEMORY_FILL)
{
	MEM;
	uint64_t d = (uint32_t)fp[O0], n = (uint32_t)fp[O2];

	if (d + n > ms)
		return WB_TRAP_MEMORY_OOB;
	if (n)
		memset(mb + d, (uint8_t)fp[O1], n);
	return 0;
}

/* ---------------------------------------------------------------- tables and references */

OP(TABLE_GET)
{
	struct wb_table *t = inst->tables[OHI];
	uint32_t i = (uint32_t)fp[O1];

	if (i >= t->size)
		return WB_TRAP_TABLE_OOB;
	fp[O0] = (uint64_t)(uintptr_t)t->elems[i];
	return 0;
}

OP(TABLE_SET)
{
	struct wb_table *t = inst->tables[OHI];
	uint32_t i = (uint32_t)fp[O0];

	if (i >= t->size)
		return WB_TRAP_TABLE_OOB;
	t->elems[i] = (void *)(uintptr_t)fp[O1];
	return 0;
}

OP(TABLE_SIZE)
{
	fp[O0] = inst->tables[OHI]->size;
	return 0;
}

/* F0 holds the init value on entry and the result on return. */
OP(TABLE_GROW)
{
	int64_t r = wb_table__grow(inst->tables[OHI], (uint32_t)fp[O1], (void *)(uintptr_t)fp[O0]);

	fp[O0] = (uint32_t)(int32_t)r;
	return 0;
}

OP(TABLE_FILL)
{
	struct wb_table *t = inst->tables[(uint32_t)pc[2]];
	uint64_t i = (uint32_t)fp[O0], n = (uint32_t)fp[O2];
	void *v = (void *)(uintptr_t)fp[O1];

	if (i + n > t->size)
		return WB_TRAP_TABLE_OOB;
	while (n--)
		t->elems[i++] = v;
	return 0;
}

OP(TABLE_COPY)
{
	struct wb_table *td = inst->tables[(uint32_t)pc[2]];
	struct wb_table *ts = inst->tables[(uint32_t)(pc[2] >> 32)];
	uint64_t d = (uint32_t)fp[O0], sr = (uint32_t)fp[O1];
	uint64_t n = (uint32_t)fp[O2];

	if (sr + n > ts->size || d + n > td->size)
		return WB_TRAP_TABLE_OOB;
	if (n)
		memmove(td->elems + d, ts->elems + sr, n * sizeof(void *));
	return 0;
}

/* An element segment's item as a reference (interp.c's elem_item). */
static void *elem_item(struct wb_instance *inst, const struct wb_const_expr *e)
{
	switch (e->op) {
	case 0xd2:
		return inst->funcs[e->idx];
	case 0x23:
		return inst->globals[e->idx]->val.ref;
	default:
		return NULL;
	}
}

OP(TABLE_INIT)
{
	uint32_t seg = (uint32_t)pc[2];
	struct wb_table *t = inst->tables[(uint32_t)(pc[2] >> 32)];
	const struct wb_elem_seg *es = &inst->module->elems[seg];
	uint64_t d = (uint32_t)fp[O0], sr = (uint32_t)fp[O1];
	uint64_t n = (uint32_t)fp[O2];
	uint64_t len = inst->elem_dropped[seg] ? 0 : es->item_cnt;

	if (sr + n > len || d + n > t->size)
		return WB_TRAP_TABLE_OOB;
	while (n--)
		t->elems[d++] = elem_item(inst, &es->items[sr++]);
	return 0;
}

OP(ELEM_DROP)
{
	inst->elem_dropped[OHI] = true;
	return 0;
}

OP(REF_FUNC)
{
	fp[O0] = (uint64_t)(uintptr_t)inst->funcs[OHI];
	return 0;
}

/* ---------------------------------------------------------------- the table */

/*
 * Every opcode with a function. The ones left out are control flow
 * (UNREACHABLE, BR*, RETURN*, CALL*, CHECK, BR_AND_*, the compare-and-branch
 * and INCBR/INCBRS forms) and the pairs, which the JIT emits itself.
 */
static const wb_jit_op_fn fns[WB_I__COUNT] = {
#define F(n) [WB_I_##n] = op_##n,
#define F_IBIN(n) F(I32_##n) F(I32_##n##_I) F(I64_##n) F(I64_##n##_I)
#define F_ACC(n) [WB_I_I32_##n##_A] = op_I32_##n, [WB_I_I32_##n##_IA] = op_I32_##n##_I,
#define F_LOAD(n) F(n) F(n##_K) F(n##_X) F(n##_XW) F(n##_KW) F(n##_SX)
#define F_STORE(n) F(n) F(n##_K) F(n##_X) F(n##_XW) F(n##_KW)
#define F_OPST(n) F(I32_##n##_ST) F(I32_##n##_STK)
	F(MOV) F(MOV2) F(CONST32) F(CONST64) F(SELECT) F(GLOBAL_GET) F(GLOBAL_SET)
	F(I32_MADD) F(I32_ADD3) F(I32_XOR_ROTL) F(I32_FSH) F(F64_MADD) F(I32_LMADD_ST)
	F(MEMORY_SIZE) F(MEMORY_GROW) F(MEMORY_INIT) F(DATA_DROP) F(MEMORY_COPY)
	F(MEMORY_FILL) F(TABLE_GET) F(TABLE_SET) F(TABLE_SIZE) F(TABLE_GROW)
	F(TABLE_FILL) F(TABLE_COPY) F(TABLE_INIT) F(ELEM_DROP) F(REF_FUNC)
	WB_PBIN_LIST(F)
	WB_PUN_LIST(F)
	WB_SAT_LIST(F)
	WB_LOAD_LIST(F_LOAD)
	WB_STORE_LIST(F_STORE)
	WB_IBIN_LIST(F_IBIN)
	WB_ACC_LIST(F_ACC)
	WB_OPST_LIST(F_OPST)
#undef F
#undef F_IBIN
#undef F_ACC
#undef F_LOAD
#undef F_STORE
#undef F_OPST
};

wb_jit_op_fn wb_jit_op__fn(uint32_t op)
{
	return op < WB_I__PAIR_FIRST ? fns[op] : NULL;
}
