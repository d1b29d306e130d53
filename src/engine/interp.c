/* SPDX-License-Identifier: MIT */
/*
 * The threaded interpreter: runs the internal instruction stream made by
 * compile.c with computed goto over frame slots, plus the call path (frames
 * on the store's own stack, host calls, re-entry) and trap reporting.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "exec.h"
#include "jit.h"
#include "numeric.h"
#include "prof.h"
#include "runtime.h"

/* Narrow views of instruction cells (they may alias the 64-bit cells). */
typedef uint16_t __attribute__((may_alias)) wb_u16a;
typedef uint32_t __attribute__((may_alias)) wb_u32a;

/* Nested entries (host function calling back into the guest). */
#define WB_MAX_NEST 64


int wb_exec__init(struct wb_store *s)
{
	struct wb_exec *ex;
	size_t slots;

	ex = calloc(1, sizeof(*ex));
	if (!ex)
		return -ENOMEM;
	slots = s->opts.stack_bytes / sizeof(uint64_t);
	if (slots < 1024)
		slots = 1024;
	ex->max_depth = s->opts.max_call_depth;
	ex->stack = malloc(slots * sizeof(uint64_t));
	ex->recs = malloc((size_t)(ex->max_depth + 1) * sizeof(*ex->recs));
	if (!ex->stack || !ex->recs) {
		free(ex->stack);
		free(ex->recs);
		free(ex);
		return -ENOMEM;
	}
	ex->end = ex->stack + slots;
	ex->top = ex->stack;
	s->exec = ex;
	return 0;
}

void wb_exec__fini(struct wb_store *s)
{
	struct wb_exec *ex;

	if (!s || !s->exec)
		return;
	ex = s->exec;
	free(ex->stack);
	free(ex->recs);
	free(ex);
	s->exec = NULL;
}

uint32_t wb_code__offset(const struct wb_code *code, const wb_cell *pc)
{
	uint32_t lo = 0, hi, cell;

	if (!code || !code->pos_cnt || pc < code->cells || pc >= code->cells + code->cell_cnt)
		return 0;
	cell = (uint32_t)(pc - code->cells);
	hi = code->pos_cnt;
	/* Last entry whose cell is <= the given one. */
	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;

		if (code->pos[mid].cell <= cell)
			lo = mid;
		else
			hi = mid;
	}
	return code->pos[lo].offset;
}

static void trap_add_frame(struct wb_store *s, const struct wb_code *code, const wb_cell *pc)
{
	struct wb_trap *t = &s->trap;
	struct wb_trap_frame *fr;

	if (t->frame_cnt >= WB_TRAP_MAX_FRAMES || !code)
		return;
	fr = &t->frames[t->frame_cnt++];
	fr->module = code->module;
	fr->func_idx = code->func_idx;
	fr->code_offset = wb_code__offset(code, pc);
}

/* Append the guest frames of one interpreter entry, innermost first. */
static void trap_add_frames(struct wb_store *s, struct wb_exec *ex, uint32_t entry_depth,
			    const struct wb_code *code, const wb_cell *pc)
{
	uint32_t i;

	trap_add_frame(s, code, pc);
	for (i = ex->depth; i > entry_depth; i--) {
		const struct wb_rec *r = &ex->recs[i - 1];

		/* r->pc is the return address; point inside the call instead. */
		trap_add_frame(s, r->code, r->pc - 1);
	}
}

/* ---------------------------------------------------------------- const exprs */

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

/* ---------------------------------------------------------------- the loop */

static int run(struct wb_store *s, struct wb_exec *ex, const struct wb_code *code,
	       struct wb_instance *inst, uint64_t *fp, const void *const **labels_out)
{
	/* Row RR: the replicated handlers' copy RR, the others' only copy. */
#define L1(n) &&L_##n,
#define LR(n) LR_(n, RR),
#define LR_(n, r) LR__(n, r)
#define LR__(n, r) &&L_##n##_##r
#define LR_IBIN(n) LR(I32_##n) LR(I32_##n##_I) LR(I64_##n) LR(I64_##n##_I)
#define LR_BRCMP(n) LR(BR_I32_##n) LR(BR_I32_##n##_I) LR(BR_I64_##n) LR(BR_I64_##n##_I)
#define LR_KX(n) LR(n##_K) LR(n##_X)
#define LR_INCBR(n) LR(INCBR_I32_##n) LR(INCBR_I32_##n##_I)
#define LR_W(n) LR(n##_XW) LR(n##_KW)
#define LR_OPST(n) LR(I32_##n##_ST) LR(I32_##n##_STK)
#define LR_INCBRS(n) LR(INCBRS_I32_##n) LR(INCBRS_I32_##n##_I)
#define LR_SX(n) LR(n##_SX)
#define LR_PAIR(a, b, n, k) LR(P_##a##__##b)
#define LR_ACC(n) LR(I32_##n##_A) LR(I32_##n##_IA)
#define ROW								\
	WB_MISC_LIST(L1)						\
	WB_SIMPLE_LIST(LR)						\
	WB_PBIN_LIST(L1)						\
	WB_PUN_LIST(L1)							\
	WB_SAT_LIST(L1)							\
	WB_LOAD_LIST(LR)						\
	WB_STORE_LIST(LR)						\
	WB_IBIN_LIST(LR_IBIN)						\
	WB_ICMP_LIST(LR_BRCMP)						\
	WB_LOAD_LIST(LR_KX)						\
	WB_STORE_LIST(LR_KX)						\
	WB_ICMP_LIST(LR_INCBR)						\
	WB_LOAD_LIST(LR_W)						\
	WB_STORE_LIST(LR_W)						\
	WB_OPST_LIST(LR_OPST)						\
	WB_LOAD_LIST(LR_SX)						\
	WB_ICMP_LIST(LR_INCBRS)					\
	WB_ACC_LIST(LR_ACC)						\
	WB_PAIR_LIST(LR_PAIR)
	static const void *const labels[WB_REPL * WB_I__COUNT] = {
#define RR 0
		ROW
#undef RR
#if WB_REPL >= 2
#define RR 1
		ROW
#undef RR
#endif
#if WB_REPL >= 4
#define RR 2
		ROW
#undef RR
#define RR 3
		ROW
#undef RR
#endif
#if WB_REPL >= 8
#define RR 4
		ROW
#undef RR
#define RR 5
		ROW
#undef RR
#define RR 6
		ROW
#undef RR
#define RR 7
		ROW
#undef RR
#endif
	};
	_Static_assert(WB_REPL == 8 || WB_REPL == 4 || WB_REPL == 2 || WB_REPL == 1,
		       "one ROW per replica");
#define RR 0
	_Static_assert(sizeof((const void *[]){ ROW }) == WB_I__COUNT * sizeof(void *), "label row");
#undef RR
#undef ROW
#undef L1
#undef LR
#undef LR_
#undef LR__
#undef LR_IBIN
#undef LR_BRCMP
#undef LR_KX
#undef LR_INCBR
#undef LR_W
#undef LR_OPST
#undef LR_INCBRS
#undef LR_SX
#undef LR_PAIR
#undef LR_ACC

	uint64_t acc = 0;		/* the last i32 result (code.h, _A forms) */
	uint32_t entry_depth;
	const wb_cell *pc;
	struct wb_memory *mem0;
	uint8_t *mb = NULL;
	uint64_t ms = 0;
	struct wb_global **gl;
	enum wb_trap_kind tk;
	struct wb_func *cf;
	uint64_t *nfp;
	const wb_cell *npc;

	if (labels_out) {
		*labels_out = labels;
		return 0;
	}
	entry_depth = ex->depth;

#define LOAD_INST()						\
	do {							\
		mem0 = inst->module->mem_cnt ? inst->mems[0] : NULL; \
		mb = mem0 ? mem0->data : NULL;			\
		ms = mem0 ? mem0->size : 0;			\
		gl = inst->globals;				\
	} while (0)
/*
 * Operand fields of the cell after the handler (code.h), read straight from
 * memory: one zero-extending load each instead of a load, shift and mask.
 */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define O0 (((const wb_u16a *)(pc + 1))[0])
#define O1 (((const wb_u16a *)(pc + 1))[1])
#define O2 (((const wb_u16a *)(pc + 1))[2])
#define O3 (((const wb_u16a *)(pc + 1))[3])
#define OHI (((const wb_u32a *)(pc + 1))[1])
#else
#define O0 WB_F0(pc[1])
#define O1 WB_F1(pc[1])
#define O2 WB_F2(pc[1])
#define O3 WB_F3(pc[1])
#define OHI WB_HI(pc[1])
#endif
#ifdef WB_PROFILE_OPS
#define NEXT()								\
	do {								\
		wb_prof__hit((const void *)pc[0]);			\
		goto *(const void *)pc[0];				\
	} while (0)
#else
#define NEXT() goto *(const void *)pc[0]
#endif
/* Jump by the offset in cell `at`; a backward jump is a loop back-edge. */
#define JUMP(at)							\
	do {								\
		int64_t off_ = (int64_t)pc[at];				\
		if (off_ < 0)						\
			POLL();						\
		pc = &pc[at] + off_;					\
	} while (0)
#define TRAP(k)							\
	do {							\
		tk = (k);					\
		goto trap;					\
	} while (0)
#define POLL()								\
	do {								\
		if (__builtin_expect(s->interrupt, 0))			\
			TRAP(WB_TRAP_INTERRUPTED);			\
		if (__builtin_expect(s->fuel_on, 0)) {			\
			if (!s->fuel)					\
				TRAP(WB_TRAP_OUT_OF_FUEL);		\
			s->fuel--;					\
		}							\
	} while (0)

	LOAD_INST();
	pc = code->cells;
	NEXT();

	/*
	 * The handlers of the simple, hot instructions exist WB_REPL times
	 * each (code.h). Replica RR's labels end in _RR.
	 */
#define LB(n) LB_(n, RR)
#define LB_(n, r) LB__(n, r)
#define LB__(n, r) L_##n##_##r
#define IBIN32(name, expr)						\
	LB(I32_##name):							\
		DO_I32(expr, (uint32_t)fp[O2]);				\
		pc += 2;						\
		NEXT();							\
	LB(I32_##name##_I):						\
		DO_I32(expr, OHI);					\
		pc += 2;						\
		NEXT();
/* The _A forms (code.h, WB_ACC_LIST): the first operand from acc. */
#define IACC32(name, expr)						\
	LB(I32_##name##_A):						\
		DO_I32_FROM((uint32_t)acc, expr, (uint32_t)fp[O2]);	\
		pc += 2;						\
		NEXT();							\
	LB(I32_##name##_IA):						\
		DO_I32_FROM((uint32_t)acc, expr, OHI);			\
		pc += 2;						\
		NEXT();
#define IBIN64(name, expr)						\
	LB(I64_##name): {							\
		uint64_t a = fp[O1];				\
		uint64_t b = fp[O2];				\
		fp[O0] = (uint64_t)(expr);			\
		pc += 2;						\
		NEXT();							\
	}								\
	LB(I64_##name##_I): {						\
		uint64_t a = fp[O1];				\
		uint64_t b = (uint64_t)(int64_t)(int32_t)OHI;	\
		fp[O0] = (uint64_t)(expr);			\
		pc += 2;						\
		NEXT();							\
	}
#define IBOTH(name, e32, e64) IBIN32(name, e32) IBIN64(name, e64)
#define IBOTHA(name, e32, e64) IBOTH(name, e32, e64) IACC32(name, e32)
#define BRCMP(name, e32, e64)						\
	LB(BR_I32_##name): {						\
		uint32_t a = (uint32_t)fp[O0];			\
		uint32_t b = (uint32_t)fp[O1];			\
		if (e32)						\
			JUMP(2);			\
		else							\
			pc += 3;					\
		NEXT();							\
	}								\
	LB(BR_I32_##name##_I): {						\
		uint32_t a = (uint32_t)fp[O0];			\
		uint32_t b = OHI;					\
		if (e32)						\
			JUMP(2);			\
		else							\
			pc += 3;					\
		NEXT();							\
	}								\
	LB(BR_I64_##name): {						\
		uint64_t a = fp[O0];				\
		uint64_t b = fp[O1];				\
		if (e64)						\
			JUMP(2);			\
		else							\
			pc += 3;					\
		NEXT();							\
	}								\
	LB(BR_I64_##name##_I): {						\
		uint64_t a = fp[O0];				\
		uint64_t b = (uint64_t)(int64_t)(int32_t)OHI;	\
		if (e64)						\
			JUMP(2);			\
		else							\
			pc += 3;					\
		NEXT();							\
	}
#define INCBR(name, e32)						\
	INCBR_(INCBR_I32_##name, INCBR_I32_##name##_I, OHI, e32)	\
	INCBR_(INCBRS_I32_##name, INCBRS_I32_##name##_I, fp[O2], e32)
#define INCBR_(label, label_i, inc, e32)				\
	LB(label): {							\
		uint32_t a = (uint32_t)(fp[O1] + (inc));		\
		uint32_t b;						\
		fp[O0] = a;						\
		b = (uint32_t)fp[(uint16_t)pc[2]];			\
		if (e32)						\
			JUMP(3);					\
		else							\
			pc += 4;					\
		NEXT();							\
	}								\
	LB(label_i): {							\
		uint32_t a = (uint32_t)(fp[O1] + (inc));		\
		uint32_t b = (uint32_t)pc[2];				\
		fp[O0] = a;						\
		if (e32)						\
			JUMP(3);					\
		else							\
			pc += 4;					\
		NEXT();							\
	}
/*
 * The work of the memory instructions, without the dispatch: shared by
 * their handlers and by the pairs (code.h, WB_PAIR_LIST).
 */
#define EA_OFF ((uint64_t)(uint32_t)fp[O1] + OHI)
#define EA_K ((uint64_t)(uint32_t)(fp[O1] + OHI))
#define EA_X ((uint64_t)(uint32_t)(fp[O1] + fp[O2]) + O3)
#define EA_SX								\
	((uint64_t)(uint32_t)(fp[O1] + (uint32_t)pc[2] + (fp[O2] << (O3 & 31))) + (pc[2] >> 32))
#define EA_ST ((uint64_t)(uint32_t)fp[O0] + (uint32_t)pc[2])
#define EA_STK ((uint64_t)(uint32_t)(fp[O0] + (uint32_t)pc[2]))
#define DO_LOAD(T, conv, ea_expr)					\
	do {								\
		uint64_t ea = (ea_expr);				\
		T v;							\
		if (__builtin_expect(ea + sizeof(T) > ms, 0))		\
			TRAP(WB_TRAP_MEMORY_OOB);			\
		memcpy(&v, mb + ea, sizeof(T));				\
		fp[O0] = conv;						\
	} while (0)
#define DO_STORE(T, ea_expr)						\
	do {								\
		uint64_t ea = (ea_expr);				\
		T v = (T)fp[O0];					\
		if (__builtin_expect(ea + sizeof(T) > ms, 0))		\
			TRAP(WB_TRAP_MEMORY_OOB);			\
		memcpy(mb + ea, &v, sizeof(T));				\
	} while (0)
/*
 * Accesses at an address local written by the same instruction (code.h,
 * _XW/_KW): the local is written first, since the access may read it (a
 * stored value) or overwrite it (a loaded one).
 */
#define DO_LOAD_WB(T, conv, ...) DO_LOAD_WB_(T, conv, __VA_ARGS__)
#define DO_LOAD_WB_(T, conv, x_expr, x_slot, off)			\
	do {								\
		uint32_t x = (uint32_t)(x_expr);			\
		uint64_t ea = (uint64_t)x + (off);			\
		T v;							\
		fp[x_slot] = x;						\
		if (__builtin_expect(ea + sizeof(T) > ms, 0))		\
			TRAP(WB_TRAP_MEMORY_OOB);			\
		memcpy(&v, mb + ea, sizeof(T));				\
		fp[O0] = conv;						\
	} while (0)
#define DO_STORE_WB(T, ...) DO_STORE_WB_(T, __VA_ARGS__)
#define DO_STORE_WB_(T, x_expr, x_slot, off)				\
	do {								\
		uint32_t x = (uint32_t)(x_expr);			\
		uint64_t ea = (uint64_t)x + (off);			\
		T v;							\
		fp[x_slot] = x;						\
		v = (T)fp[O0];						\
		if (__builtin_expect(ea + sizeof(T) > ms, 0))		\
			TRAP(WB_TRAP_MEMORY_OOB);			\
		memcpy(mb + ea, &v, sizeof(T));				\
	} while (0)
#define XW_ADDR fp[O1] + fp[O2], O3, (uint32_t)pc[2]
#define KW_ADDR fp[O1] + (uint32_t)pc[2], O2, pc[2] >> 32
#define DO_OPST(expr, ea_expr)						\
	do {								\
		uint32_t v = (uint32_t)(expr);				\
		uint64_t ea = (ea_expr);				\
		if (__builtin_expect(ea + 4 > ms, 0))			\
			TRAP(WB_TRAP_MEMORY_OOB);			\
		memcpy(mb + ea, &v, 4);					\
	} while (0)
#define E_MADD ((uint32_t)fp[O1] * (uint32_t)fp[O2] + (uint32_t)fp[O3])
#define E_FSH (((uint32_t)fp[O1] << (O3 & 31)) | ((uint32_t)fp[O2] >> (O3 >> 8)))
#define DO_LMADD_ST							\
	do {								\
		uint64_t la = (uint32_t)(fp[O1] + (uint32_t)pc[2]);	\
		uint64_t ea = (uint64_t)(uint32_t)fp[O0] + (pc[2] >> 32);	\
		uint32_t x, v;						\
		if (__builtin_expect(la + 4 > ms, 0))			\
			TRAP(WB_TRAP_MEMORY_OOB);			\
		memcpy(&x, mb + la, 4);					\
		v = x * (uint32_t)fp[O2] + (uint32_t)fp[O3];		\
		if (__builtin_expect(ea + 4 > ms, 0))			\
			TRAP(WB_TRAP_MEMORY_OOB);			\
		memcpy(mb + ea, &v, 4);					\
	} while (0)
#define LOAD_W(name, T, conv)						\
	LB(name##_XW): DO_LOAD_WB(T, conv, XW_ADDR); pc += 3; NEXT();	\
	LB(name##_KW): DO_LOAD_WB(T, conv, KW_ADDR); pc += 3; NEXT();
#define STORE_W(name, T)						\
	LB(name##_XW): DO_STORE_WB(T, XW_ADDR); pc += 3; NEXT();	\
	LB(name##_KW): DO_STORE_WB(T, KW_ADDR); pc += 3; NEXT();
#define OPST(name, expr)						\
	LB(I32_##name##_ST): DO_OPST(expr, EA_ST); pc += 3; NEXT();	\
	LB(I32_##name##_STK): DO_OPST(expr, EA_STK); pc += 3; NEXT();
#define LOAD(name, T, conv)						\
	LOAD_W(name, T, conv)						\
	LB(name##_SX): DO_LOAD(T, conv, EA_SX); pc += 3; NEXT();	\
	LB(name): DO_LOAD(T, conv, EA_OFF); pc += 2; NEXT();		\
	LB(name##_K): DO_LOAD(T, conv, EA_K); pc += 2; NEXT();		\
	LB(name##_X): DO_LOAD(T, conv, EA_X); pc += 2; NEXT();
#define STORE(name, T)							\
	STORE_W(name, T)						\
	LB(name): DO_STORE(T, EA_OFF); pc += 2; NEXT();			\
	LB(name##_K): DO_STORE(T, EA_K); pc += 2; NEXT();		\
	LB(name##_X): DO_STORE(T, EA_X); pc += 2; NEXT();
/* The work of the simple instructions that start a pair (code.h, WB_PAIR_LIST). */
#define DO_I32(expr, bsrc) DO_I32_FROM((uint32_t)fp[O1], expr, bsrc)
/* The result also stays in acc, for an _A instruction right after (code.h). */
#define DO_I32_FROM(asrc, expr, bsrc)					\
	do {								\
		uint32_t a = (asrc);					\
		uint32_t b = (bsrc);					\
		acc = (uint32_t)(expr);					\
		fp[O0] = acc;						\
	} while (0)
#define DO_MOV fp[O0] = fp[O1]
#define DO_MOV2								\
	do {								\
		fp[O0] = fp[O1];					\
		fp[O2] = fp[O3];					\
	} while (0)
#define DO_CONST32 fp[O0] = OHI
#define DO_SELECT fp[O0] = (uint32_t)fp[O1] ? fp[O2] : fp[O3]
#define DO_I32_ADD DO_I32(a + b, (uint32_t)fp[O2])
#define DO_I32_ADD_I DO_I32(a + b, OHI)
#define DO_I32_SUB_I DO_I32(a - b, OHI)
#define DO_I32_AND_I DO_I32(a & b, OHI)
#define DO_I32_SHR_U_I DO_I32(a >> (b & 31), OHI)
#define DO_I32_ROTL_I DO_I32(rotl32(a, b), OHI)
#define DO_I32_LT_U DO_I32(a < b, (uint32_t)fp[O2])
#define DO_I32_LOAD DO_LOAD(uint32_t, v, EA_OFF)
#define DO_I32_LOAD8_U DO_LOAD(uint8_t, v, EA_OFF)
#define DO_I64_LOAD DO_LOAD(uint64_t, v, EA_OFF)
#define DO_I32_LOAD_K DO_LOAD(uint32_t, v, EA_K)
#define DO_I32_LOAD_SX DO_LOAD(uint32_t, v, EA_SX)
#define DO_I32_LOAD_XW DO_LOAD_WB(uint32_t, v, XW_ADDR)
#define DO_I64_STORE_K DO_STORE(uint64_t, EA_K)
#define DO_I32_STORE8_X DO_STORE(uint8_t, EA_X)
#define DO_I32_MADD_ST DO_OPST(E_MADD, EA_ST)
#define DO_I32_LMADD_ST DO_LMADD_ST
#define DO_F64_MUL fp[O0] = of_f64(f64_of(fp[O1]) * f64_of(fp[O2]))
#define DO_I32_SUB DO_I32(a - b, (uint32_t)fp[O2])
#define DO_I32_AND DO_I32(a & b, (uint32_t)fp[O2])
#define DO_I32_MUL_I DO_I32(a * b, OHI)
#define DO_I32_OR_I DO_I32(a | b, OHI)
#define DO_I32_GT_U_I DO_I32(a > b, OHI)
#define DO_I32_ADD3 fp[O0] = (uint32_t)(fp[O1] + fp[O2] + fp[O3])
#define DO_I32_XOR_ROTL fp[O0] = (uint32_t)fp[O1] ^ rotl32((uint32_t)fp[O2], O3)
#define DO_I64_LOAD_K DO_LOAD(uint64_t, v, EA_K)
#define DO_I32_LOAD8_U_K DO_LOAD(uint8_t, v, EA_K)
#define DO_I32_SHL_I DO_I32(a << (b & 31), OHI)
#define DO_I32_EQZ fp[O0] = (uint32_t)fp[O1] == 0
#define DO_I32_STORE DO_STORE(uint32_t, EA_OFF)
#define DO_F64_ADD fp[O0] = of_f64(f64_of(fp[O1]) + f64_of(fp[O2]))
#define DO_F64_SUB fp[O0] = of_f64(f64_of(fp[O1]) - f64_of(fp[O2]))
#define DO_F64_GT fp[O0] = f64_of(fp[O1]) > f64_of(fp[O2])
#define DO_F64_MADD							\
	do {								\
		double p_ = f64_of(fp[O1]) * f64_of(fp[O2]);		\
		fp[O0] = of_f64(p_ + f64_of(fp[O3]));			\
	} while (0)
/* A conditional branch that starts a pair: taken, it dispatches as usual. */
#define DO_BRC(cond)							\
	do {								\
		if (cond) {						\
			JUMP(2);					\
			NEXT();						\
		}							\
	} while (0)
#define DO_BR_IFZ DO_BRC(!(uint32_t)fp[O0])
#define DO_BR_I32_NE DO_BRC((uint32_t)fp[O0] != (uint32_t)fp[O1])
#define DO_BR_I32_NE_I DO_BRC((uint32_t)fp[O0] != OHI)
#define DO_BR_I32_LT_U_I DO_BRC((uint32_t)fp[O0] < OHI)
#define DO_BR_I32_GE_S_I DO_BRC((int32_t)fp[O0] >= (int32_t)OHI)
/*
 * A pair: the first instruction's work, then a direct jump into the second
 * one's handler (the same replica, for a replicated one).
 */
#define PAIR(a, b, n, k)						\
	LB(P_##a##__##b):						\
		DO_##a;							\
		pc += n;						\
		goto PAIR_TO_##k(b);
#define PAIR_TO_R(b) LB(b)
#define PAIR_TO_M(b) L_##b
#define REPLICATED_HANDLERS						\
	IBOTHA(ADD, a + b, a + b)					\
	IBOTHA(SUB, a - b, a - b)					\
	IBOTHA(MUL, a * b, a * b)					\
	IBOTHA(AND, a & b, a & b)					\
	IBOTHA(OR, a | b, a | b)						\
	IBOTHA(XOR, a ^ b, a ^ b)					\
	IBOTHA(SHL, a << (b & 31), a << (b & 63))			\
	IBOTHA(SHR_S, (int32_t)a >> (b & 31), (int64_t)a >> (b & 63))	\
	IBOTHA(SHR_U, a >> (b & 31), a >> (b & 63))			\
	IBOTHA(ROTL, rotl32(a, b), rotl64(a, b))				\
	IBOTHA(ROTR, rotr32(a, b), rotr64(a, b))				\
	IBOTH(EQ, a == b, a == b)					\
	IBOTH(NE, a != b, a != b)					\
	IBOTH(LT_S, (int32_t)a < (int32_t)b, (int64_t)a < (int64_t)b)	\
	IBOTH(LT_U, a < b, a < b)					\
	IBOTH(GT_S, (int32_t)a > (int32_t)b, (int64_t)a > (int64_t)b)	\
	IBOTH(GT_U, a > b, a > b)					\
	IBOTH(LE_S, (int32_t)a <= (int32_t)b, (int64_t)a <= (int64_t)b)	\
	IBOTH(LE_U, a <= b, a <= b)					\
	IBOTH(GE_S, (int32_t)a >= (int32_t)b, (int64_t)a >= (int64_t)b)	\
	IBOTH(GE_U, a >= b, a >= b)					\
	/* ------------------------------------------------ fused i32 operations */	\
	LB(I32_MADD):							\
		fp[O0] = (uint32_t)((uint32_t)fp[O1] * (uint32_t)fp[O2] + (uint32_t)fp[O3]);	\
		pc += 2;						\
		NEXT();							\
	LB(I32_ADD3):							\
		fp[O0] = (uint32_t)(fp[O1] + fp[O2] + fp[O3]);		\
		pc += 2;						\
		NEXT();							\
	LB(I32_XOR_ROTL):						\
		fp[O0] = (uint32_t)fp[O1] ^ rotl32((uint32_t)fp[O2], O3);	\
		pc += 2;						\
		NEXT();							\
	LB(I32_FSH): {							\
		uint32_t k = O3;					\
		fp[O0] = (uint32_t)(((uint32_t)fp[O1] << (k & 31)) | ((uint32_t)fp[O2] >> (k >> 8)));	\
		pc += 2;						\
		NEXT();							\
	}								\
	LB(F64_MADD):							\
		DO_F64_MADD;						\
		pc += 2;						\
		NEXT();								\
	LB(I32_LMADD_ST):						\
		DO_LMADD_ST;						\
		pc += 3;						\
		NEXT();							\
	LB(BR_AND_NZ):							\
		if ((uint32_t)fp[O0] & OHI)				\
			JUMP(2);					\
		else							\
			pc += 3;					\
		NEXT();							\
	LB(BR_AND_Z):							\
		if (!((uint32_t)fp[O0] & OHI))				\
			JUMP(2);					\
		else							\
			pc += 3;					\
		NEXT();							\
	/* ------------------------------------------------ fused compare + branch */	\
	BRCMP(EQ, a == b, a == b)					\
	BRCMP(NE, a != b, a != b)					\
	BRCMP(LT_S, (int32_t)a < (int32_t)b, (int64_t)a < (int64_t)b)	\
	BRCMP(LT_U, a < b, a < b)					\
	BRCMP(GT_S, (int32_t)a > (int32_t)b, (int64_t)a > (int64_t)b)	\
	BRCMP(GT_U, a > b, a > b)					\
	BRCMP(LE_S, (int32_t)a <= (int32_t)b, (int64_t)a <= (int64_t)b)	\
	BRCMP(LE_U, a <= b, a <= b)					\
	BRCMP(GE_S, (int32_t)a >= (int32_t)b, (int64_t)a >= (int64_t)b)	\
	BRCMP(GE_U, a >= b, a >= b)					\
	INCBR(EQ, a == b)						\
	INCBR(NE, a != b)						\
	INCBR(LT_S, (int32_t)a < (int32_t)b)				\
	INCBR(LT_U, a < b)						\
	INCBR(GT_S, (int32_t)a > (int32_t)b)				\
	INCBR(GT_U, a > b)						\
	INCBR(LE_S, (int32_t)a <= (int32_t)b)				\
	INCBR(LE_U, a <= b)						\
	INCBR(GE_S, (int32_t)a >= (int32_t)b)				\
	INCBR(GE_U, a >= b)						\
	OPST(ADD, fp[O1] + fp[O2])					\
	OPST(SUB, fp[O1] - fp[O2])					\
	OPST(AND, fp[O1] & fp[O2])					\
	OPST(OR, fp[O1] | fp[O2])					\
	OPST(XOR, fp[O1] ^ fp[O2])					\
	OPST(MADD, E_MADD)						\
	OPST(FSH, E_FSH)						\
	LOAD(I32_LOAD, uint32_t, v)					\
	LOAD(I64_LOAD, uint64_t, v)					\
	LOAD(F32_LOAD, uint32_t, v)					\
	LOAD(F64_LOAD, uint64_t, v)					\
	LOAD(I32_LOAD8_S, int8_t, (uint32_t)(int32_t)v)			\
	LOAD(I32_LOAD8_U, uint8_t, v)					\
	LOAD(I32_LOAD16_S, int16_t, (uint32_t)(int32_t)v)		\
	LOAD(I32_LOAD16_U, uint16_t, v)					\
	LOAD(I64_LOAD8_S, int8_t, (uint64_t)(int64_t)v)			\
	LOAD(I64_LOAD8_U, uint8_t, v)					\
	LOAD(I64_LOAD16_S, int16_t, (uint64_t)(int64_t)v)		\
	LOAD(I64_LOAD16_U, uint16_t, v)					\
	LOAD(I64_LOAD32_S, int32_t, (uint64_t)(int64_t)v)		\
	LOAD(I64_LOAD32_U, uint32_t, v)					\
	STORE(I32_STORE, uint32_t)					\
	STORE(I64_STORE, uint64_t)					\
	STORE(F32_STORE, uint32_t)					\
	STORE(F64_STORE, uint64_t)					\
	STORE(I32_STORE8, uint8_t)					\
	STORE(I32_STORE16, uint16_t)					\
	STORE(I64_STORE8, uint8_t)					\
	STORE(I64_STORE16, uint16_t)					\
	STORE(I64_STORE32, uint32_t)					\
	/* ------------------------------------------------ data movement */	\
	LB(MOV):							\
		DO_MOV;							\
		pc += 2;						\
		NEXT();							\
	LB(MOV2):							\
		DO_MOV2;						\
		pc += 2;						\
		NEXT();							\
	LB(CONST32):							\
		DO_CONST32;						\
		pc += 2;						\
		NEXT();							\
	LB(CONST64):							\
		fp[O0] = pc[2];						\
		pc += 3;						\
		NEXT();							\
	LB(SELECT):							\
		DO_SELECT;						\
		pc += 2;						\
		NEXT();							\
	LB(GLOBAL_GET):							\
		fp[O0] = gl[OHI]->val.i64;				\
		pc += 2;						\
		NEXT();							\
	LB(GLOBAL_SET):							\
		gl[OHI]->val.i64 = fp[O0];				\
		pc += 2;						\
		NEXT();							\
	LB(BR):								\
		JUMP(1);						\
		NEXT();							\
	LB(BR_IF):							\
		if ((uint32_t)fp[O0])					\
			JUMP(2);					\
		else							\
			pc += 3;					\
		NEXT();							\
	LB(BR_IFZ):							\
		if (!(uint32_t)fp[O0])					\
			JUMP(2);					\
		else							\
			pc += 3;					\
		NEXT();							\
	LB(BR_I64_EQZ):							\
		if (!fp[O0])						\
			JUMP(2);					\
		else							\
			pc += 3;					\
		NEXT();							\
	LB(BR_I64_NEZ):							\
		if (fp[O0])						\
			JUMP(2);					\
		else							\
			pc += 3;					\
		NEXT();						\
	/* ------------------------------------------------ pairs */	\
	WB_PAIR_LIST(PAIR)

#define RR 0
	REPLICATED_HANDLERS
#undef RR
#if WB_REPL >= 2
#define RR 1
	REPLICATED_HANDLERS
#undef RR
#endif
#if WB_REPL >= 4
#define RR 2
	REPLICATED_HANDLERS
#undef RR
#define RR 3
	REPLICATED_HANDLERS
#undef RR
#endif
#if WB_REPL >= 8
#define RR 4
	REPLICATED_HANDLERS
#undef RR
#define RR 5
	REPLICATED_HANDLERS
#undef RR
#define RR 6
	REPLICATED_HANDLERS
#undef RR
#define RR 7
	REPLICATED_HANDLERS
#undef RR
#endif

	/* ------------------------------------------------ integer binops */
	/* ------------------------------------------------ plain binops */
#define PBIN(name, T, get, expr)					\
	L_##name: {							\
		T a = get(fp[O1]);				\
		T b = get(fp[O2]);				\
		fp[O0] = (expr);					\
		pc += 2;						\
		NEXT();							\
	}
#define U32(x) ((uint32_t)(x))
#define U64(x) ((uint64_t)(x))

	L_I32_DIV_S: {
		int32_t a = (int32_t)fp[O1], b = (int32_t)fp[O2];

		if (b == 0)
			TRAP(WB_TRAP_DIV_ZERO);
		if (a == INT32_MIN && b == -1)
			TRAP(WB_TRAP_INT_OVERFLOW);
		fp[O0] = (uint32_t)(a / b);
		pc += 2;
		NEXT();
	}
	L_I32_DIV_U: {
		uint32_t a = (uint32_t)fp[O1], b = (uint32_t)fp[O2];

		if (b == 0)
			TRAP(WB_TRAP_DIV_ZERO);
		fp[O0] = a / b;
		pc += 2;
		NEXT();
	}
	L_I32_REM_S: {
		int32_t a = (int32_t)fp[O1], b = (int32_t)fp[O2];

		if (b == 0)
			TRAP(WB_TRAP_DIV_ZERO);
		fp[O0] = b == -1 ? 0 : (uint32_t)(a % b);
		pc += 2;
		NEXT();
	}
	L_I32_REM_U: {
		uint32_t a = (uint32_t)fp[O1], b = (uint32_t)fp[O2];

		if (b == 0)
			TRAP(WB_TRAP_DIV_ZERO);
		fp[O0] = a % b;
		pc += 2;
		NEXT();
	}
	L_I64_DIV_S: {
		int64_t a = (int64_t)fp[O1], b = (int64_t)fp[O2];

		if (b == 0)
			TRAP(WB_TRAP_DIV_ZERO);
		if (a == INT64_MIN && b == -1)
			TRAP(WB_TRAP_INT_OVERFLOW);
		fp[O0] = (uint64_t)(a / b);
		pc += 2;
		NEXT();
	}
	L_I64_DIV_U: {
		uint64_t a = fp[O1], b = fp[O2];

		if (b == 0)
			TRAP(WB_TRAP_DIV_ZERO);
		fp[O0] = a / b;
		pc += 2;
		NEXT();
	}
	L_I64_REM_S: {
		int64_t a = (int64_t)fp[O1], b = (int64_t)fp[O2];

		if (b == 0)
			TRAP(WB_TRAP_DIV_ZERO);
		fp[O0] = b == -1 ? 0 : (uint64_t)(a % b);
		pc += 2;
		NEXT();
	}
	L_I64_REM_U: {
		uint64_t a = fp[O1], b = fp[O2];

		if (b == 0)
			TRAP(WB_TRAP_DIV_ZERO);
		fp[O0] = a % b;
		pc += 2;
		NEXT();
	}

	PBIN(F32_ADD, float, f32_of, of_f32(a + b))
	PBIN(F32_SUB, float, f32_of, of_f32(a - b))
	PBIN(F32_MUL, float, f32_of, of_f32(a * b))
	PBIN(F32_DIV, float, f32_of, of_f32(a / b))
	PBIN(F32_MIN, uint64_t, U64, f32_min(a, b))
	PBIN(F32_MAX, uint64_t, U64, f32_max(a, b))
	PBIN(F32_COPYSIGN, uint32_t, U32, (a & 0x7fffffffu) | (b & 0x80000000u))
	PBIN(F32_EQ, float, f32_of, a == b)
	PBIN(F32_NE, float, f32_of, a != b)
	PBIN(F32_LT, float, f32_of, a < b)
	PBIN(F32_GT, float, f32_of, a > b)
	PBIN(F32_LE, float, f32_of, a <= b)
	PBIN(F32_GE, float, f32_of, a >= b)
	PBIN(F64_ADD, double, f64_of, of_f64(a + b))
	PBIN(F64_SUB, double, f64_of, of_f64(a - b))
	PBIN(F64_MUL, double, f64_of, of_f64(a * b))
	PBIN(F64_DIV, double, f64_of, of_f64(a / b))
	PBIN(F64_MIN, uint64_t, U64, f64_min(a, b))
	PBIN(F64_MAX, uint64_t, U64, f64_max(a, b))
	PBIN(F64_COPYSIGN, uint64_t, U64,
	     (a & 0x7fffffffffffffffull) | (b & 0x8000000000000000ull))
	PBIN(F64_EQ, double, f64_of, a == b)
	PBIN(F64_NE, double, f64_of, a != b)
	PBIN(F64_LT, double, f64_of, a < b)
	PBIN(F64_GT, double, f64_of, a > b)
	PBIN(F64_LE, double, f64_of, a <= b)
	PBIN(F64_GE, double, f64_of, a >= b)

	/* ------------------------------------------------ unary */
#define PUN(name, T, get, expr)						\
	L_##name: {							\
		T a = get(fp[O1]);				\
		fp[O0] = (expr);					\
		pc += 2;						\
		NEXT();							\
	}

	WB_PUN_OPS(PUN)

	/* Trapping truncations: NaN is an invalid conversion, out of range an overflow. */
#define TRUNC(name, T, get, lo_ok, hi_ok, R, conv)			\
	L_##name: {							\
		T a = get(fp[O1]);				\
		if (a != a)						\
			TRAP(WB_TRAP_INVALID_CONVERSION);		\
		if (!(lo_ok) || !(hi_ok))				\
			TRAP(WB_TRAP_INT_OVERFLOW);			\
		fp[O0] = (R)(conv)a;				\
		pc += 2;						\
		NEXT();							\
	}

	WB_TRUNC_OPS(TRUNC)

	/* ------------------------------------------------ memory */
	L_MEMORY_SIZE:
		fp[O0] = (uint32_t)(ms / WB_PAGE_SIZE);
		pc += 2;
		NEXT();
	L_MEMORY_GROW: {
		int64_t r = wb_memory__grow(mem0, (uint32_t)fp[O1]);

		fp[O0] = (uint32_t)(int32_t)r;
		LOAD_INST();
		pc += 2;
		NEXT();
	}
	L_MEMORY_INIT: {
		uint32_t seg = (uint32_t)pc[2];
		const struct wb_data_seg *ds = &inst->module->datas[seg];
		uint64_t d = (uint32_t)fp[O0], sr = (uint32_t)fp[O1];
		uint64_t n = (uint32_t)fp[O2];
		uint64_t len = inst->data_dropped[seg] ? 0 : ds->len;

		if (sr + n > len || d + n > ms)
			TRAP(WB_TRAP_MEMORY_OOB);
		if (n)
			memcpy(mb + d, ds->bytes + sr, n);
		pc += 3;
		NEXT();
	}
	L_DATA_DROP:
		inst->data_dropped[OHI] = true;
		pc += 2;
		NEXT();
	L_MEMORY_COPY: {
		uint64_t d = (uint32_t)fp[O0], sr = (uint32_t)fp[O1];
		uint64_t n = (uint32_t)fp[O2];

		if (sr + n > ms || d + n > ms)
			TRAP(WB_TRAP_MEMORY_OOB);
		if (n)
			memmove(mb + d, mb + sr, n);
		pc += 2;
		NEXT();
	}
	L_MEMORY_FILL: {
		uint64_t d = (uint32_t)fp[O0], n = (uint32_t)fp[O2];

		if (d + n > ms)
			TRAP(WB_TRAP_MEMORY_OOB);
		if (n)
			memset(mb + d, (uint8_t)fp[O1], n);
		pc += 2;
		NEXT();
	}

	/* ------------------------------------------------ tables and references */
	L_TABLE_GET: {
		struct wb_table *t = inst->tables[OHI];
		uint32_t i = (uint32_t)fp[O1];

		if (i >= t->size)
			TRAP(WB_TRAP_TABLE_OOB);
		fp[O0] = (uint64_t)(uintptr_t)t->elems[i];
		pc += 2;
		NEXT();
	}
	L_TABLE_SET: {
		struct wb_table *t = inst->tables[OHI];
		uint32_t i = (uint32_t)fp[O0];

		if (i >= t->size)
			TRAP(WB_TRAP_TABLE_OOB);
		t->elems[i] = (void *)(uintptr_t)fp[O1];
		pc += 2;
		NEXT();
	}
	L_TABLE_SIZE:
		fp[O0] = inst->tables[OHI]->size;
		pc += 2;
		NEXT();
	L_TABLE_GROW: {
		int64_t r = wb_table__grow(inst->tables[OHI], (uint32_t)fp[O1],
					   (void *)(uintptr_t)fp[O0]);

		fp[O0] = (uint32_t)(int32_t)r;
		pc += 2;
		NEXT();
	}
	L_TABLE_FILL: {
		struct wb_table *t = inst->tables[(uint32_t)pc[2]];
		uint64_t i = (uint32_t)fp[O0], n = (uint32_t)fp[O2];
		void *v = (void *)(uintptr_t)fp[O1];

		if (i + n > t->size)
			TRAP(WB_TRAP_TABLE_OOB);
		while (n--)
			t->elems[i++] = v;
		pc += 3;
		NEXT();
	}
	L_TABLE_COPY: {
		struct wb_table *td = inst->tables[(uint32_t)pc[2]];
		struct wb_table *ts = inst->tables[(uint32_t)(pc[2] >> 32)];
		uint64_t d = (uint32_t)fp[O0], sr = (uint32_t)fp[O1];
		uint64_t n = (uint32_t)fp[O2];

		if (sr + n > ts->size || d + n > td->size)
			TRAP(WB_TRAP_TABLE_OOB);
		if (n)
			memmove(td->elems + d, ts->elems + sr, n * sizeof(void *));
		pc += 3;
		NEXT();
	}
	L_TABLE_INIT: {
		uint32_t seg = (uint32_t)pc[2];
		struct wb_table *t = inst->tables[(uint32_t)(pc[2] >> 32)];
		const struct wb_elem_seg *es = &inst->module->elems[seg];
		uint64_t d = (uint32_t)fp[O0], sr = (uint32_t)fp[O1];
		uint64_t n = (uint32_t)fp[O2];
		uint64_t len = inst->elem_dropped[seg] ? 0 : es->item_cnt;

		if (sr + n > len || d + n > t->size)
			TRAP(WB_TRAP_TABLE_OOB);
		while (n--)
			t->elems[d++] = elem_item(inst, &es->items[sr++]);
		pc += 3;
		NEXT();
	}
	L_ELEM_DROP:
		inst->elem_dropped[OHI] = true;
		pc += 2;
		NEXT();
	L_REF_FUNC:
		fp[O0] = (uint64_t)(uintptr_t)inst->funcs[OHI];
		pc += 2;
		NEXT();

	/* ------------------------------------------------ control */
	L_UNREACHABLE:
		TRAP(WB_TRAP_UNREACHABLE);
	L_CHECK:
		POLL();
		pc += 1;
		NEXT();
	L_BR_TABLE: {
		uint32_t i = (uint32_t)fp[O0], n = OHI;

		if (i > n)
			i = n;
		JUMP(2 + i);
		NEXT();
	}
	L_RETURN1:
		fp[0] = fp[O0];
		/* fall through */
	L_RETURN:
		if (ex->depth == entry_depth)
			return 0;
		{
			const struct wb_rec *r = &ex->recs[--ex->depth];

			pc = r->pc;
			fp = r->fp;
			code = r->code;
			if (__builtin_expect(r->inst != inst, 0)) {
				inst = r->inst;
				LOAD_INST();
			} else if (mem0) {
				/* The callee may have grown the memory (its base never moves). */
				ms = mem0->size;
			}
		}
		NEXT();
	L_CALL: {
		const struct wb_code *callee = (const struct wb_code *)(uintptr_t)pc[2];
		struct wb_rec *r;

		nfp = fp + O0;
		if (__builtin_expect(ex->depth >= ex->max_depth ||
				     nfp + callee->frame_slots > ex->end, 0))
			TRAP(WB_TRAP_STACK_EXHAUSTED);
		POLL();
		for (uint32_t i = 0; i < callee->local_cnt; i++)
			nfp[callee->param_cnt + i] = 0;
		for (uint32_t i = 0; i < callee->const_cnt; i++)
			nfp[callee->param_cnt + callee->local_cnt + i] = callee->consts[i];
		if (callee->jit) {
			npc = pc + 3;
			goto call_jit;
		}
		r = &ex->recs[ex->depth++];
		r->pc = pc + 3;
		r->fp = fp;
		r->code = code;
		r->inst = inst;
		fp = nfp;
		code = callee;
		pc = callee->cells;
		NEXT();
	}
	L_CALL_IMPORT:
		cf = inst->funcs[OHI];
		nfp = fp + O0;
		npc = pc + 2;
		goto call_func;
	L_CALL_INDIRECT: {
		struct wb_table *t = inst->tables[OHI];
		uint32_t i = (uint32_t)fp[O1];

		if (i >= t->size)
			TRAP(WB_TRAP_UNDEFINED_ELEMENT);
		cf = t->elems[i];
		if (!cf)
			TRAP(WB_TRAP_UNINITIALIZED_ELEMENT);
		if (cf->type_id != inst->type_ids[(uint32_t)pc[2]])
			TRAP(WB_TRAP_INDIRECT_TYPE);
		nfp = fp + O0;
		npc = pc + 3;
		goto call_func;
	}

call_func:
	if (cf->host) {
		uint32_t n = cf->type->param_cnt;
		uint64_t *tmp = fp + code->frame_slots, *saved_top = ex->top;
		struct wb_hostcall hc = { .store = s, .caller = inst, .user = cf->user };
		int ret;

		/* Results overwrite the argument slots: give the host a copy of the args. */
		if (tmp + n > ex->end)
			TRAP(WB_TRAP_STACK_EXHAUSTED);
		memcpy(tmp, nfp, n * sizeof(uint64_t));
		ex->top = tmp + n;
		ret = cf->host(&hc, (const wb_value *)tmp, (wb_value *)nfp);
		ex->top = saved_top;
		if (ret) {
			if (s->trap.kind == WB_TRAP_NONE)
				wb_store__set_trap(s, WB_TRAP_HOST, "host function failed");
			goto trap_appended;
		}
		LOAD_INST();
		pc = npc;
		NEXT();
	} else {
		const struct wb_code *callee = cf->code;
		struct wb_rec *r;

		if (__builtin_expect(ex->depth >= ex->max_depth ||
				     nfp + callee->frame_slots > ex->end, 0))
			TRAP(WB_TRAP_STACK_EXHAUSTED);
		POLL();
		if (callee->local_cnt)
			memset(nfp + callee->param_cnt, 0, callee->local_cnt * sizeof(uint64_t));
		for (uint32_t i = 0; i < callee->const_cnt; i++)
			nfp[callee->param_cnt + callee->local_cnt + i] = callee->consts[i];
		if (callee->jit) {
			int ret;

			ex->depth++;
			ret = wb_jit__enter(ex, s, cf->inst, callee, nfp);
			ex->depth--;
			if (ret)
				goto trap_appended;
			if (mem0)
				ms = mem0->size;
			pc = npc;
			NEXT();
		}
		r = &ex->recs[ex->depth++];
		r->pc = npc;
		r->fp = fp;
		r->code = code;
		r->inst = inst;
		fp = nfp;
		code = callee;
		if (cf->inst != inst) {
			inst = cf->inst;
			LOAD_INST();
		}
		pc = callee->cells;
		NEXT();
	}

	/* A direct call of a function that has machine code. */
call_jit: {
		int ret;

		ex->depth++;
		ret = wb_jit__enter(ex, s, inst, (const struct wb_code *)(uintptr_t)pc[2], nfp);
		ex->depth--;
		if (ret)
			goto trap_appended;
		if (mem0)
			ms = mem0->size;
		pc = npc;
		NEXT();
	}

trap:
	wb_store__set_trap(s, tk, NULL);
trap_appended:
	trap_add_frames(s, ex, entry_depth, code, pc);
	ex->depth = entry_depth;
	return WB_TRAPPED;

#undef LOAD_INST
#undef NEXT
#undef O0
#undef O1
#undef O2
#undef O3
#undef OHI
#undef JUMP
#undef TRAP
#undef POLL
}

const void *const *wb_interp__handlers(void)
{
	const void *const *labels = NULL;

	run(NULL, NULL, NULL, NULL, NULL, &labels);
	return labels;
}

/* A callee's frame at entry: its declared locals zeroed, its constants copied after them. */
static void frame_init(const struct wb_code *code, uint64_t *fp)
{
	if (code->local_cnt)
		memset(fp + code->param_cnt, 0, code->local_cnt * sizeof(uint64_t));
	if (code->const_cnt)
		memcpy(fp + code->param_cnt + code->local_cnt, code->consts,
		       code->const_cnt * sizeof(uint64_t));
}

int wb_interp__call(struct wb_store *s, struct wb_func *f, const wb_value *args,
		    wb_value *results)
{
	struct wb_exec *ex = s->exec;
	const struct wb_code *code;
	uint64_t *fp, *saved_top;
	uint32_t need;
	int ret;

	if (!ex)
		return wb_store__set_trap(s, WB_TRAP_STACK_EXHAUSTED, NULL);
	if (ex->nest >= WB_MAX_NEST)
		return wb_store__set_trap(s, WB_TRAP_STACK_EXHAUSTED, NULL);
	if (f->host) {
		struct wb_hostcall hc = { .store = s, .caller = NULL, .user = f->user };

		ex->nest++;
		ret = f->host(&hc, args, results);
		ex->nest--;
		if (ret && s->trap.kind == WB_TRAP_NONE)
			wb_store__set_trap(s, WB_TRAP_HOST, "host function failed");
		return ret ? WB_TRAPPED : 0;
	}
	code = f->code;
	fp = ex->top;
	need = code->frame_slots > code->result_cnt ? code->frame_slots : code->result_cnt;
	if (ex->depth >= ex->max_depth || (size_t)(ex->end - fp) < need) {
		wb_store__set_trap(s, WB_TRAP_STACK_EXHAUSTED, NULL);
		trap_add_frame(s, code, NULL);
		return WB_TRAPPED;
	}
	ret = wb_store__poll(s);
	if (ret) {
		wb_store__set_trap(s, (enum wb_trap_kind)ret, NULL);
		trap_add_frame(s, code, NULL);
		return WB_TRAPPED;
	}
	memcpy(fp, args, code->param_cnt * sizeof(uint64_t));
	frame_init(code, fp);
	saved_top = ex->top;
	ex->top = fp + need;
	s->trap.kind = WB_TRAP_NONE;
	ex->nest++;
	if (code->jit)
		ret = wb_jit__enter(ex, s, f->inst, code, fp);
	else
		ret = run(s, ex, code, f->inst, fp, NULL);
	ex->nest--;
	ex->top = saved_top;
	if (!ret)
		memcpy(results, fp, code->result_cnt * sizeof(uint64_t));
	return ret;
}

/* ---------------------------------------------------------------- calls from machine code */

int wb_interp__jit_run(struct wb_exec *ex, struct wb_instance *inst, const struct wb_code *code,
		       uint64_t *fp)
{
	frame_init(code, fp);
	return run(inst->store, ex, code, inst, fp, NULL) ? -1 : 0;
}

int wb_interp__jit_call(struct wb_exec *ex, struct wb_instance *inst, struct wb_func *cf,
			uint64_t *nfp, uint64_t *frame_end)
{
	struct wb_store *s = inst->store;
	const struct wb_code *callee;
	int ret;

	if (cf->host) {
		uint32_t n = cf->type->param_cnt;
		uint64_t *saved_top = ex->top;
		struct wb_hostcall hc = { .store = s, .caller = inst, .user = cf->user };

		/* As the interpreter does: the host reads a copy of the arguments. */
		if (frame_end + n > ex->end)
			return WB_TRAP_STACK_EXHAUSTED;
		memcpy(frame_end, nfp, n * sizeof(uint64_t));
		ex->top = frame_end + n;
		ret = cf->host(&hc, (const wb_value *)frame_end, (wb_value *)nfp);
		ex->top = saved_top;
		if (ret) {
			if (s->trap.kind == WB_TRAP_NONE)
				wb_store__set_trap(s, WB_TRAP_HOST, "host function failed");
			return -1;
		}
		return 0;
	}
	callee = cf->code;
	if (ex->depth >= ex->max_depth || nfp + callee->frame_slots > ex->end)
		return WB_TRAP_STACK_EXHAUSTED;
	ret = wb_store__poll(s);
	if (ret)
		return ret;
	frame_init(callee, nfp);
	ex->depth++;
	if (callee->jit)
		ret = wb_jit__enter(ex, s, cf->inst, callee, nfp);
	else
		ret = run(s, ex, callee, cf->inst, nfp, NULL);
	ex->depth--;
	return ret ? -1 : 0;
}

int wb_interp__jit_call_indirect(struct wb_exec *ex, struct wb_instance *inst, uint64_t tt,
				 uint32_t i, uint64_t *nfp, uint64_t *frame_end)
{
	struct wb_table *t = inst->tables[(uint32_t)tt];
	struct wb_func *cf;

	if (i >= t->size)
		return WB_TRAP_UNDEFINED_ELEMENT;
	cf = t->elems[i];
	if (!cf)
		return WB_TRAP_UNINITIALIZED_ELEMENT;
	if (cf->type_id != inst->type_ids[(uint32_t)(tt >> 32)])
		return WB_TRAP_INDIRECT_TYPE;
	return wb_interp__jit_call(ex, inst, cf, nfp, frame_end);
}
