/* SPDX-License-Identifier: MIT */
/*
 * The baseline JIT for x86-64 (docs/jit.md): machine code from the
 * compiler's three-address code, one template per internal instruction,
 * over the same frame slots as the interpreter.
 *
 * Registers, kept across the whole of a guest call:
 *   rbx  the frame (slot i is [rbx + 8 * i])
 *   rbp  the instance
 *   r12  the store's execution state (struct wb_exec: depth, stack end)
 *   r13  the store (interrupt flag, fuel)
 *   r14  the base of memory 0, r15 its size in bytes (reloaded after calls)
 * Everything else is scratch. A function is entered by `call` with rbx
 * already pointing at its frame, keeps rsp 16-byte aligned in its body (so
 * it may call C), and returns eax = 0, or -1 after a trap, which it has
 * recorded with its frame (each caller adds its own frame on the way out).
 *
 * Instructions without a template here run through jit_ops.c's C functions.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "jit.h"
#include "jit_ops.h"
#include "jit_x64_emit.h"
#include "jit_x64_internal.h"

#if defined(__x86_64__) && defined(__linux__)


/* A slot of the frame. */
static inline struct wb_x64_mem S(uint32_t i)
{
	return wb_x64_m(FP, (int32_t)(8 * i));
}


/* ---------------------------------------------------------------- per function */

/* rel32 to an instruction or a label; a br_table entry (offset from the table) to either. */
enum fix_kind { FIX_INS, FIX_LAB, FIX_TAB, FIX_TAB_LAB };

struct fix {
	size_t at;
	uint8_t kind;
	uint32_t to;			/* FIX_INS / FIX_TAB: target cell; FIX_LAB: label */
	size_t base;			/* FIX_TAB: the table's offset */
};

enum stub_kind { STUB_TRAP, STUB_TRAP_EAX, STUB_POLL, STUB_EDGE };

/* Code out of the hot path, emitted after the body. */
struct stub {
	uint8_t kind;
	uint32_t lab;			/* where it starts */
	uint32_t cell;			/* the instruction it belongs to (trap position) */
	int32_t trap;			/* STUB_TRAP: the trap kind */
	uint32_t cont;			/* STUB_POLL: label to continue at; STUB_EDGE: target cell */
};

struct fn {
	struct wb_jit *j;
	struct wb_x64_buf *b;
	struct wb_code *code;
	const uint32_t *at;
	const uint16_t *op;
	uint32_t n;
	size_t *nat;			/* native offset of each instruction */
	size_t *labs;
	uint32_t lab_cnt, lab_cap;
	struct fix *fixes;
	uint32_t fix_cnt, fix_cap;
	struct stub *stubs;
	uint32_t stub_cnt, stub_cap;
	bool *tgt;			/* instruction i is a branch target */
	/*
	 * Registers holding a slot's value: what the previous instruction left
	 * (in_*, valid for the current one unless it is a branch target) and
	 * what the current one leaves (out_*); -1 = nothing.
	 */
	int32_t in_rax, out_rax, in_xmm, out_xmm;
	bool has_mem;
	bool fail;
};

/* Load slot a into rax (size 4 or 8), unless rax already holds it. */
static void ld_rax(struct fn *f, int size, uint32_t a)
{
	if (f->in_rax != (int32_t)a)
		wb_x64_load(f->b, size, X_RAX, wb_x64_m(X_RBX, (int32_t)(8 * a)));
}

/* Load slot a into xmm0 as f64 (dbl) or f32, unless xmm0 already holds it. */
static void ld_xmm(struct fn *f, bool dbl, uint32_t a)
{
	if (f->in_xmm != (int32_t)a)
		wb_x64_movs_load(f->b, dbl, 0, wb_x64_m(X_RBX, (int32_t)(8 * a)));
}

static bool grow(void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
	uint32_t c = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return true;
	while (c < need)
		c *= 2;
	p = realloc(*arr, (size_t)c * elem);
	if (!p)
		return false;
	*arr = p;
	*cap = c;
	return true;
}

static uint32_t lab_new(struct fn *f)
{
	if (!grow((void **)&f->labs, &f->lab_cap, f->lab_cnt + 1, sizeof(*f->labs))) {
		f->fail = true;
		return 0;
	}
	f->labs[f->lab_cnt] = SIZE_MAX;
	return f->lab_cnt++;
}

static void lab_here(struct fn *f, uint32_t l)
{
	if (l < f->lab_cnt)
		f->labs[l] = f->b->len;
}

static void fix_add(struct fn *f, size_t at, uint8_t kind, uint32_t to, size_t base)
{
	if (!grow((void **)&f->fixes, &f->fix_cap, f->fix_cnt + 1, sizeof(*f->fixes))) {
		f->fail = true;
		return;
	}
	f->fixes[f->fix_cnt++] = (struct fix){ at, kind, to, base };
}

static uint32_t stub_add(struct fn *f, uint8_t kind, uint32_t cell, int32_t trap, uint32_t cont)
{
	uint32_t l = lab_new(f);

	if (!grow((void **)&f->stubs, &f->stub_cap, f->stub_cnt + 1, sizeof(*f->stubs))) {
		f->fail = true;
		return l;
	}
	f->stubs[f->stub_cnt++] = (struct stub){ kind, l, cell, trap, cont };
	return l;
}

/* Jump (cc >= 0: conditional) to a label. */
static void jmp_lab(struct fn *f, int cc, uint32_t l)
{
	size_t at = cc < 0 ? wb_x64_jmp(f->b) : wb_x64_jcc(f->b, (enum wb_x64_cc)cc);

	fix_add(f, at, FIX_LAB, l, 0);
}

/* Jump on cc to a trap of kind k raised at cell. */
static void trap_if(struct fn *f, int cc, uint32_t cell, int32_t k)
{
	jmp_lab(f, cc, stub_add(f, STUB_TRAP, cell, k, 0));
}

/* Index of the instruction that starts at cell, or -1. */
static int64_t ins_at(const struct fn *f, uint64_t cell)
{
	uint32_t lo = 0, hi = f->n;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (f->at[mid] < cell)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->n && f->at[lo] == cell ? (int64_t)lo : -1;
}

/*
 * Jump (cc >= 0: conditional) by the offset in cell `at + k` of instruction
 * i. A backward jump goes through a stub that polls for an interrupt and
 * fuel first, as the interpreter's loop back-edges do.
 */
static void branch(struct fn *f, int cc, uint32_t i, uint32_t k)
{
	const wb_cell *cells = f->code->cells;
	uint32_t at = f->at[i];
	int64_t t = (int64_t)(at + k) + (int64_t)cells[at + k];
	size_t fa;

	if (t < 0 || t >= f->code->cell_cnt || ins_at(f, (uint64_t)t) < 0) {
		f->fail = true;
		return;
	}
	if ((int64_t)cells[at + k] < 0) {
		jmp_lab(f, cc, stub_add(f, STUB_EDGE, at, 0, (uint32_t)t));
		return;
	}
	fa = cc < 0 ? wb_x64_jmp(f->b) : wb_x64_jcc(f->b, (enum wb_x64_cc)cc);
	fix_add(f, fa, FIX_INS, (uint32_t)t, 0);
}

/* mov rax, imm64; call rax (a C function; rsp is aligned in a body). */
static void call_c(struct fn *f, const void *fnp)
{
	wb_x64_mov_ri(f->b, X_RAX, (uint64_t)(uintptr_t)fnp);
	wb_x64_call_r(f->b, X_RAX);
}

/* r15 = the current size of memory 0 (after anything that may grow it). */
static void reload_ms(struct fn *f)
{
	if (!f->has_mem)
		return;
	wb_x64_load(f->b, 8, X_RAX, wb_x64_m(IN, offsetof(struct wb_instance, mems)));
	wb_x64_load(f->b, 8, X_RAX, wb_x64_m(X_RAX, 0));
	wb_x64_load(f->b, 8, MS, wb_x64_m(X_RAX, offsetof(struct wb_memory, size)));
}

/* The interrupt and fuel check of calls and loop back-edges. */
static void poll(struct fn *f, uint32_t cell)
{
	uint32_t cont = lab_new(f), slow = stub_add(f, STUB_POLL, cell, 0, cont);

	wb_x64_alu_mi(f->b, X_CMP, false, wb_x64_m(ST, offsetof(struct wb_store, interrupt)), 0);
	jmp_lab(f, X_CC_NE, slow);
	wb_x64_loadx(f->b, false, 1, false, X_RAX, wb_x64_m(ST, offsetof(struct wb_store, fuel_on)));
	wb_x64_test_rr(f->b, false, X_RAX, X_RAX);
	jmp_lab(f, X_CC_NE, slow);
	lab_here(f, cont);
}

/* ---------------------------------------------------------------- C side of traps and polls */

static void jit_trap(struct wb_store *s, const struct wb_code *code, int kind, uint32_t cell)
{
	struct wb_trap *t = &s->trap;
	struct wb_trap_frame *fr;

	if (kind > 0)
		wb_store__set_trap(s, (enum wb_trap_kind)kind, NULL);
	if (t->frame_cnt >= WB_TRAP_MAX_FRAMES)
		return;
	fr = &t->frames[t->frame_cnt++];
	fr->module = code->module;
	fr->func_idx = code->func_idx;
	fr->code_offset = wb_code__offset(code, code->cells + cell);
}

static int jit_poll(struct wb_store *s)
{
	return wb_store__poll(s);
}

/* ---------------------------------------------------------------- templates */

#define O0(c) WB_F0(c)
#define O1(c) WB_F1(c)
#define O2(c) WB_F2(c)
#define O3(c) WB_F3(c)
#define OHI(c) WB_HI(c)

#define ONE(n) +1
#define IBIN_CNT (0 WB_IBIN_LIST(ONE))

static const uint8_t icmp_cc[10] = {
	X_CC_E, X_CC_NE, X_CC_L, X_CC_B, X_CC_G, X_CC_A, X_CC_LE, X_CC_BE, X_CC_GE, X_CC_AE,
};

/* Integer binary operations of WB_IBIN_LIST, in its order. */
static void ibin(struct fn *f, int idx, bool w, bool imm, wb_cell c)
{
	struct wb_x64_buf *b = f->b;
	uint32_t d = O0(c), a = O1(c);
	int32_t k = (int32_t)OHI(c);
	static const int8_t alu[6] = { X_ADD, X_SUB, -1, X_AND, X_OR, X_XOR };
	static const int8_t sh[5] = { X_SHL, X_SAR, X_SHR, X_ROL, X_ROR };

	ld_rax(f, w ? 8 : 4, a);
	if (idx <= 5 && idx != 2) {
		if (imm)
			wb_x64_alu_ri(b, (enum wb_x64_alu)alu[idx], w, X_RAX, k);
		else
			wb_x64_alu_rm(b, (enum wb_x64_alu)alu[idx], w, X_RAX, S(O2(c)));
	} else if (idx == 2) {
		if (imm)
			wb_x64_imul_rri(b, w, X_RAX, X_RAX, k);
		else
			wb_x64_imul_rm(b, w, X_RAX, S(O2(c)));
	} else if (idx <= 10) {
		enum wb_x64_shift s = (enum wb_x64_shift)sh[idx - 6];

		if (imm) {
			wb_x64_shift_ri(b, s, w, X_RAX, (uint8_t)(k & (w ? 63 : 31)));
		} else {
			wb_x64_load(b, 4, X_RCX, S(O2(c)));
			wb_x64_shift_rcl(b, s, w, X_RAX);
		}
	} else {
		if (imm)
			wb_x64_alu_ri(b, X_CMP, w, X_RAX, k);
		else
			wb_x64_alu_rm(b, X_CMP, w, X_RAX, S(O2(c)));
		wb_x64_setcc(b, (enum wb_x64_cc)icmp_cc[idx - 11], X_RAX);
		wb_x64_movzx8_rr(b, X_RAX, X_RAX);
	}
	wb_x64_store(b, 8, S(d), X_RAX);
	f->out_rax = (int32_t)d;
}

/* Compare a with b (slot or immediate) and branch by the offset in cell 2. */
static void brcmp(struct fn *f, uint32_t i, int idx, bool w, bool imm, wb_cell c)
{
	ld_rax(f, w ? 8 : 4, O0(c));
	if (imm)
		wb_x64_alu_ri(f->b, X_CMP, w, X_RAX, (int32_t)OHI(c));
	else
		wb_x64_alu_rm(f->b, X_CMP, w, X_RAX, S(O1(c)));
	branch(f, icmp_cc[idx], i, 2);
}

/* INCBR / INCBRS: x = src + k (or + slot), then compare x with b and branch (cell 3). */
static void incbr(struct fn *f, uint32_t i, int idx, bool slot_inc, bool imm)
{
	const wb_cell *pc = f->code->cells + f->at[i];
	wb_cell c = pc[1];

	ld_rax(f, 4, O1(c));
	if (slot_inc)
		wb_x64_alu_rm(f->b, X_ADD, false, X_RAX, S(O2(c)));
	else
		wb_x64_alu_ri(f->b, X_ADD, false, X_RAX, (int32_t)OHI(c));
	wb_x64_store(f->b, 8, S(O0(c)), X_RAX);
	if (imm)
		wb_x64_alu_ri(f->b, X_CMP, false, X_RAX, (int32_t)(uint32_t)pc[2]);
	else
		wb_x64_alu_rm(f->b, X_CMP, false, X_RAX, S((uint16_t)pc[2]));
	branch(f, icmp_cc[idx], i, 3);
}

/* Loads and stores: size, sign and width of the value per WB_LOAD_LIST / WB_STORE_LIST. */
static const struct { uint8_t size; bool sign, w; } load_kind[14] = {
	{ 4, false, false }, { 8, false, true }, { 4, false, false }, { 8, false, true },
	{ 1, true, false }, { 1, false, false }, { 2, true, false }, { 2, false, false },
	{ 1, true, true }, { 1, false, false }, { 2, true, true }, { 2, false, false },
	{ 4, true, true }, { 4, false, false },
};
static const uint8_t store_size[9] = { 4, 8, 4, 8, 1, 2, 1, 2, 4 };

enum addr_form { A_OFF, A_K, A_X, A_SX, A_XW, A_KW, A_ST, A_STK };

/*
 * Leave the effective address of the access in rax (64 bits) with a
 * displacement in *disp, check that size bytes fit in memory (or trap), and
 * return the memory operand.
 */
static struct wb_x64_mem addr(struct fn *f, uint32_t i, enum addr_form form, uint32_t size)
{
	struct wb_x64_buf *b = f->b;
	const wb_cell *pc = f->code->cells + f->at[i];
	wb_cell c = pc[1];
	uint64_t off = 0;

	switch (form) {
	case A_OFF:
		ld_rax(f, 4, O1(c));
		off = OHI(c);
		break;
	case A_K:
		ld_rax(f, 4, O1(c));
		wb_x64_alu_ri(b, X_ADD, false, X_RAX, (int32_t)OHI(c));
		break;
	case A_X:
		ld_rax(f, 4, O1(c));
		wb_x64_alu_rm(b, X_ADD, false, X_RAX, S(O2(c)));
		off = O3(c);
		break;
	case A_SX:
		wb_x64_load(b, 4, X_RAX, S(O2(c)));
		wb_x64_shift_ri(b, X_SHL, false, X_RAX, (uint8_t)(O3(c) & 31));
		wb_x64_alu_rm(b, X_ADD, false, X_RAX, S(O1(c)));
		wb_x64_alu_ri(b, X_ADD, false, X_RAX, (int32_t)(uint32_t)pc[2]);
		off = pc[2] >> 32;
		break;
	case A_XW:
		wb_x64_load(b, 4, X_RAX, S(O1(c)));
		wb_x64_alu_rm(b, X_ADD, false, X_RAX, S(O2(c)));
		wb_x64_store(b, 8, S(O3(c)), X_RAX);
		off = (uint32_t)pc[2];
		break;
	case A_KW:
		wb_x64_load(b, 4, X_RAX, S(O1(c)));
		wb_x64_alu_ri(b, X_ADD, false, X_RAX, (int32_t)(uint32_t)pc[2]);
		wb_x64_store(b, 8, S(O2(c)), X_RAX);
		off = pc[2] >> 32;
		break;
	case A_ST:
		wb_x64_load(b, 4, X_RAX, S(O0(c)));
		off = (uint32_t)pc[2];
		break;
	case A_STK:
		wb_x64_load(b, 4, X_RAX, S(O0(c)));
		wb_x64_alu_ri(b, X_ADD, false, X_RAX, (int32_t)(uint32_t)pc[2]);
		break;
	}
	if (off + size > 0x7fffffffu) {
		wb_x64_mov_ri(b, X_RCX, off);
		wb_x64_alu_rr(b, X_ADD, true, X_RAX, X_RCX);
		off = 0;
	}
	wb_x64_lea(b, true, X_RCX, wb_x64_m(X_RAX, (int32_t)(off + size)));
	wb_x64_alu_rr(b, X_CMP, true, X_RCX, MS);
	trap_if(f, X_CC_A, f->at[i], WB_TRAP_MEMORY_OOB);
	return wb_x64_mx(MB, X_RAX, 1, (int32_t)off);
}

static void load(struct fn *f, uint32_t i, int kind, enum addr_form form)
{
	wb_cell c = f->code->cells[f->at[i] + 1];
	struct wb_x64_mem m = addr(f, i, form, load_kind[kind].size);

	/* Into rax, the address's register: the next instruction may use the value from there. */
	if (load_kind[kind].size == 8)
		wb_x64_load(f->b, 8, X_RAX, m);
	else
		wb_x64_loadx(f->b, load_kind[kind].sign, load_kind[kind].size, load_kind[kind].w,
			     X_RAX, m);
	wb_x64_store(f->b, 8, S(O0(c)), X_RAX);
	f->out_rax = (int32_t)O0(c);
}

static void store(struct fn *f, uint32_t i, int kind, enum addr_form form)
{
	wb_cell c = f->code->cells[f->at[i] + 1];
	struct wb_x64_mem m = addr(f, i, form, store_size[kind]);

	/* After the address: an _XW/_KW form may have just written the value's slot. */
	wb_x64_load(f->b, 8, X_RDX, S(O0(c)));
	wb_x64_store(f->b, store_size[kind], m, X_RDX);
}

/* edx = the i32 operation of WB_OPST_LIST (sources F1, F2, F3 of cell c). */
static void opst_value(struct fn *f, int idx, wb_cell c)
{
	struct wb_x64_buf *b = f->b;
	static const int8_t alu[5] = { X_ADD, X_SUB, X_AND, X_OR, X_XOR };

	wb_x64_load(b, 4, X_RDX, S(O1(c)));
	if (idx < 5) {
		wb_x64_alu_rm(b, (enum wb_x64_alu)alu[idx], false, X_RDX, S(O2(c)));
	} else if (idx == 5) {
		wb_x64_imul_rm(b, false, X_RDX, S(O2(c)));
		wb_x64_alu_rm(b, X_ADD, false, X_RDX, S(O3(c)));
	} else {
		wb_x64_shift_ri(b, X_SHL, false, X_RDX, (uint8_t)(O3(c) & 31));
		wb_x64_load(b, 4, X_RCX, S(O2(c)));
		wb_x64_shift_ri(b, X_SHR, false, X_RCX, (uint8_t)((O3(c) >> 8) & 31));
		wb_x64_alu_rr(b, X_OR, false, X_RDX, X_RCX);
	}
}

static void opst(struct fn *f, uint32_t i, int idx, bool k)
{
	wb_cell c = f->code->cells[f->at[i] + 1];
	struct wb_x64_mem m;

	opst_value(f, idx, c);
	m = addr(f, i, k ? A_STK : A_ST, 4);
	wb_x64_store(f->b, 4, m, X_RDX);
}

static void lmadd_st(struct fn *f, uint32_t i)
{
	struct wb_x64_buf *b = f->b;
	const wb_cell *pc = f->code->cells + f->at[i];
	wb_cell c = pc[1];
	uint64_t off = pc[2] >> 32;

	wb_x64_load(b, 4, X_RAX, S(O1(c)));
	wb_x64_alu_ri(b, X_ADD, false, X_RAX, (int32_t)(uint32_t)pc[2]);
	wb_x64_lea(b, true, X_RCX, wb_x64_m(X_RAX, 4));
	wb_x64_alu_rr(b, X_CMP, true, X_RCX, MS);
	trap_if(f, X_CC_A, f->at[i], WB_TRAP_MEMORY_OOB);
	wb_x64_load(b, 4, X_RDX, wb_x64_mx(MB, X_RAX, 1, 0));
	wb_x64_imul_rm(b, false, X_RDX, S(O2(c)));
	wb_x64_alu_rm(b, X_ADD, false, X_RDX, S(O3(c)));
	wb_x64_load(b, 4, X_RAX, S(O0(c)));
	if (off + 4 > 0x7fffffffu) {
		wb_x64_mov_ri(b, X_RCX, off);
		wb_x64_alu_rr(b, X_ADD, true, X_RAX, X_RCX);
		off = 0;
	}
	wb_x64_lea(b, true, X_RCX, wb_x64_m(X_RAX, (int32_t)(off + 4)));
	wb_x64_alu_rr(b, X_CMP, true, X_RCX, MS);
	trap_if(f, X_CC_A, f->at[i], WB_TRAP_MEMORY_OOB);
	wb_x64_store(b, 4, wb_x64_mx(MB, X_RAX, 1, (int32_t)off), X_RDX);
}

/* Integer division and remainder (WB_PBIN_LIST's first eight), with their traps. */
static void divrem(struct fn *f, uint32_t i, bool w, bool sign, bool rem)
{
	struct wb_x64_buf *b = f->b;
	wb_cell c = f->code->cells[f->at[i] + 1];
	uint32_t cell = f->at[i], done = lab_new(f), go = lab_new(f);

	wb_x64_load(b, w ? 8 : 4, X_RAX, S(O1(c)));
	wb_x64_load(b, w ? 8 : 4, X_RCX, S(O2(c)));
	wb_x64_test_rr(b, w, X_RCX, X_RCX);
	trap_if(f, X_CC_E, cell, WB_TRAP_DIV_ZERO);
	if (sign) {
		wb_x64_alu_ri(b, X_CMP, w, X_RCX, -1);
		jmp_lab(f, X_CC_NE, go);
		if (rem) {
			wb_x64_alu_rr(b, X_XOR, false, X_RDX, X_RDX);
			jmp_lab(f, -1, done);
		} else {
			wb_x64_mov_ri(b, X_RDX, w ? (uint64_t)INT64_MIN : 0x80000000u);
			wb_x64_alu_rr(b, X_CMP, w, X_RAX, X_RDX);
			trap_if(f, X_CC_E, cell, WB_TRAP_INT_OVERFLOW);
		}
		lab_here(f, go);
		wb_x64_cdq(b, w);
	} else {
		lab_here(f, go);
		wb_x64_alu_rr(b, X_XOR, false, X_RDX, X_RDX);
	}
	wb_x64_div(b, sign, w, X_RCX);
	lab_here(f, done);
	wb_x64_store(b, 8, S(O0(c)), rem ? X_RDX : X_RAX);
}

/* Store xmm0 as an f64 (dbl) or a zero-extended f32. */
static void store_f(struct fn *f, bool dbl, uint32_t d)
{
	if (dbl) {
		wb_x64_movs_store(f->b, true, S(d), 0);
	} else {
		wb_x64_movq_rx(f->b, false, X_RAX, 0);
		wb_x64_store(f->b, 8, S(d), X_RAX);
		f->out_rax = (int32_t)d;
	}
	f->out_xmm = (int32_t)d;
}

/* f32/f64 add, sub, mul, div. */
static void fbin(struct fn *f, bool dbl, enum wb_x64_sse op, wb_cell c)
{
	ld_xmm(f, dbl, O1(c));
	wb_x64_sse_rm(f->b, op, dbl, 0, S(O2(c)));
	store_f(f, dbl, O0(c));
}

/* f32/f64 compares: idx 0 eq, 1 ne, 2 lt, 3 gt, 4 le, 5 ge. */
static void fcmp(struct fn *f, bool dbl, int idx, wb_cell c)
{
	struct wb_x64_buf *b = f->b;
	bool swap = idx == 2 || idx == 4;

	ld_xmm(f, dbl, swap ? O2(c) : O1(c));
	wb_x64_ucomis_rm(b, dbl, 0, S(swap ? O1(c) : O2(c)));
	switch (idx) {
	case 0:
		wb_x64_setcc(b, X_CC_E, X_RAX);
		wb_x64_setcc(b, X_CC_NP, X_RCX);
		wb_x64_alu_rr(b, X_AND, false, X_RAX, X_RCX);
		break;
	case 1:
		wb_x64_setcc(b, X_CC_NE, X_RAX);
		wb_x64_setcc(b, X_CC_P, X_RCX);
		wb_x64_alu_rr(b, X_OR, false, X_RAX, X_RCX);
		break;
	default:
		wb_x64_setcc(b, idx <= 3 ? X_CC_A : X_CC_AE, X_RAX);
		break;
	}
	wb_x64_movzx8_rr(b, X_RAX, X_RAX);
	wb_x64_store(b, 8, S(O0(c)), X_RAX);
	f->out_rax = (int32_t)O0(c);
}

/* A call to jit_ops.c's function for the instruction (false: there is none). */
static bool helper(struct fn *f, uint32_t i, uint32_t op)
{
	wb_jit_op_fn h = wb_jit_op__fn(op);

	if (!h)
		return false;
	wb_x64_mov_rr(f->b, true, X_RDI, IN);
	wb_x64_mov_rr(f->b, true, X_RSI, FP);
	wb_x64_mov_ri(f->b, X_RDX, (uint64_t)(uintptr_t)(f->code->cells + f->at[i]));
	call_c(f, (const void *)h);
	wb_x64_test_rr(f->b, false, X_RAX, X_RAX);
	jmp_lab(f, X_CC_NE, stub_add(f, STUB_TRAP_EAX, f->at[i], 0, 0));
	if (op == WB_I_MEMORY_GROW)
		reload_ms(f);
	return true;
}

/* After a call: eax nonzero is a trap (the callee's, or kind eax from a C bridge). */
static void after_call(struct fn *f, uint32_t cell)
{
	wb_x64_test_rr(f->b, false, X_RAX, X_RAX);
	jmp_lab(f, X_CC_NE, stub_add(f, STUB_TRAP_EAX, cell, 0, 0));
	reload_ms(f);
}

/*
 * A call of machine code with the interpreter's checks: the depth limit,
 * the value stack's room for the callee's frame, then the poll. callee
 * known: a direct call, resolved when the module is finished; NULL: the
 * callee's struct wb_code is in rcx and its entry is called through it.
 */
static void call_checked(struct fn *f, uint32_t cell, uint32_t base, const struct wb_code *callee)
{
	struct wb_x64_buf *b = f->b;
	struct wb_jit *j = f->j;
	size_t at = 0;

	if (callee)
		wb_x64_mov_ri(b, X_RCX, (uint64_t)(uintptr_t)callee);
	else
		wb_x64_store(b, 8, wb_x64_m(X_RSP, 0), X_RCX);	/* the frame's spare slot */
	wb_x64_load(b, 4, X_RAX, wb_x64_m(EX, offsetof(struct wb_exec, depth)));
	wb_x64_alu_rm(b, X_CMP, false, X_RAX, wb_x64_m(EX, offsetof(struct wb_exec, max_depth)));
	trap_if(f, X_CC_AE, cell, WB_TRAP_STACK_EXHAUSTED);
	wb_x64_load(b, 4, X_RDX, wb_x64_m(X_RCX, offsetof(struct wb_code, frame_slots)));
	wb_x64_lea(b, true, X_RAX, wb_x64_mx(FP, X_RDX, 8, (int32_t)(8 * base)));
	wb_x64_alu_rm(b, X_CMP, true, X_RAX, wb_x64_m(EX, offsetof(struct wb_exec, end)));
	trap_if(f, X_CC_A, cell, WB_TRAP_STACK_EXHAUSTED);
	poll(f, cell);
	if (!callee) {
		/* The poll's slow path may have called C. */
		wb_x64_load(b, 8, X_RCX, wb_x64_m(X_RSP, 0));
		wb_x64_load(b, 8, X_RAX, wb_x64_m(X_RCX, offsetof(struct wb_code, jit_call)));
	}
	wb_x64_alu_mi(b, X_ADD, false, wb_x64_m(EX, offsetof(struct wb_exec, depth)), 1);
	if (base)
		wb_x64_lea(b, true, FP, S(base));
	if (callee)
		at = wb_x64_call(b);
	else
		wb_x64_call_r(b, X_RAX);
	if (base)
		wb_x64_lea(b, true, FP, wb_x64_m(FP, -(int32_t)(8 * base)));
	wb_x64_alu_mi(b, X_SUB, false, wb_x64_m(EX, offsetof(struct wb_exec, depth)), 1);
	if (callee) {
		if (!grow((void **)&j->calls, &j->call_cap, j->call_cnt + 1, sizeof(*j->calls))) {
			f->fail = true;
			return;
		}
		j->calls[j->call_cnt++] = (struct call_fix){ at, callee };
	}
	after_call(f, cell);
}

static void call_direct(struct fn *f, uint32_t i)
{
	const wb_cell *pc = f->code->cells + f->at[i];

	call_checked(f, f->at[i], O0(pc[1]), (const struct wb_code *)(uintptr_t)pc[2]);
}

static void call_bridge(struct fn *f, uint32_t i, bool indirect)
{
	struct wb_x64_buf *b = f->b;
	const wb_cell *pc = f->code->cells + f->at[i];
	wb_cell c = pc[1];
	int nfp = indirect ? X_R8 : X_RCX, end = indirect ? X_R9 : X_R8;

	wb_x64_mov_rr(b, true, X_RDI, EX);
	wb_x64_mov_rr(b, true, X_RSI, IN);
	if (indirect) {
		wb_x64_mov_ri(b, X_RDX, (uint64_t)OHI(c) | (uint64_t)(uint32_t)pc[2] << 32);
		wb_x64_load(b, 4, X_RCX, S(O1(c)));
	} else {
		wb_x64_load(b, 8, X_RAX, wb_x64_m(IN, offsetof(struct wb_instance, funcs)));
		wb_x64_load(b, 8, X_RDX, wb_x64_m(X_RAX, (int32_t)(8 * OHI(c))));
	}
	wb_x64_lea(b, true, nfp, S(O0(c)));
	wb_x64_lea(b, true, end, S(f->code->frame_slots));
	call_c(f, indirect ? (const void *)wb_interp__jit_call_indirect :
			     (const void *)wb_interp__jit_call);
	after_call(f, f->at[i]);
}

/*
 * call_indirect: when the element is a function of this instance with
 * machine code and the right type, call it directly; anything else (out of
 * range, null, another type, a host function, another instance, an
 * interpreted callee) goes through C, which raises the trap or makes the call.
 */
static void call_indirect(struct fn *f, uint32_t i)
{
	struct wb_x64_buf *b = f->b;
	const wb_cell *pc = f->code->cells + f->at[i];
	wb_cell c = pc[1];
	uint32_t type = (uint32_t)pc[2], slow = lab_new(f), done = lab_new(f);

	if (type > 0x1fffffffu || OHI(c) > 0x0fffffffu) {
		call_bridge(f, i, true);
		return;
	}
	wb_x64_load(b, 8, X_RAX, wb_x64_m(IN, offsetof(struct wb_instance, tables)));
	wb_x64_load(b, 8, X_RAX, wb_x64_m(X_RAX, (int32_t)(8 * OHI(c))));
	wb_x64_load(b, 4, X_RCX, S(O1(c)));
	wb_x64_alu_rm(b, X_CMP, false, X_RCX, wb_x64_m(X_RAX, offsetof(struct wb_table, size)));
	jmp_lab(f, X_CC_AE, slow);
	wb_x64_load(b, 8, X_RAX, wb_x64_m(X_RAX, offsetof(struct wb_table, elems)));
	wb_x64_load(b, 8, X_RDX, wb_x64_mx(X_RAX, X_RCX, 8, 0));
	wb_x64_test_rr(b, true, X_RDX, X_RDX);
	jmp_lab(f, X_CC_E, slow);
	wb_x64_load(b, 4, X_RAX, wb_x64_m(X_RDX, offsetof(struct wb_func, type_id)));
	wb_x64_load(b, 8, X_RCX, wb_x64_m(IN, offsetof(struct wb_instance, type_ids)));
	wb_x64_alu_rm(b, X_CMP, false, X_RAX, wb_x64_m(X_RCX, (int32_t)(4 * type)));
	jmp_lab(f, X_CC_NE, slow);
	wb_x64_alu_rm(b, X_CMP, true, IN, wb_x64_m(X_RDX, offsetof(struct wb_func, inst)));
	jmp_lab(f, X_CC_NE, slow);
	wb_x64_load(b, 8, X_RCX, wb_x64_m(X_RDX, offsetof(struct wb_func, code)));
	wb_x64_alu_mi(b, X_CMP, true, wb_x64_m(X_RCX, offsetof(struct wb_code, jit_call)), 0);
	jmp_lab(f, X_CC_E, slow);
	call_checked(f, f->at[i], O0(c), NULL);
	jmp_lab(f, -1, done);
	lab_here(f, slow);
	call_bridge(f, i, true);
	lab_here(f, done);
}

static void br_table(struct fn *f, uint32_t i)
{
	struct wb_x64_buf *b = f->b;
	const wb_cell *pc = f->code->cells + f->at[i];
	uint32_t n = OHI(pc[1]), k, ok = lab_new(f);
	size_t lea, tab;

	wb_x64_load(b, 4, X_RAX, S(O0(pc[1])));
	wb_x64_alu_ri(b, X_CMP, false, X_RAX, (int32_t)n);
	jmp_lab(f, X_CC_BE, ok);
	wb_x64_mov_ri(b, X_RAX, n);
	lab_here(f, ok);
	lea = wb_x64_lea_rip(b, X_RCX);
	wb_x64_loadx(b, true, 4, true, X_RAX, wb_x64_mx(X_RCX, X_RAX, 4, 0));
	wb_x64_alu_rr(b, X_ADD, true, X_RAX, X_RCX);
	wb_x64_jmp_r(b, X_RAX);
	tab = b->len;
	wb_x64_patch_rel32(b, lea, tab);
	for (k = 0; k <= n; k++) {
		uint32_t at = f->at[i] + 2 + k;
		int64_t t = (int64_t)at + (int64_t)pc[2 + k];

		if (t < 0 || t >= f->code->cell_cnt || ins_at(f, (uint64_t)t) < 0) {
			f->fail = true;
			return;
		}
		if ((int64_t)pc[2 + k] < 0) {
			uint32_t l = stub_add(f, STUB_EDGE, f->at[i], 0, (uint32_t)t);

			fix_add(f, b->len, FIX_TAB_LAB, l, tab);
		} else {
			fix_add(f, b->len, FIX_TAB, (uint32_t)t, tab);
		}
		wb_x64_u32(b, 0);
	}
}

static void global_addr(struct fn *f, uint32_t g)
{
	wb_x64_load(f->b, 8, X_RAX, wb_x64_m(IN, offsetof(struct wb_instance, globals)));
	wb_x64_load(f->b, 8, X_RAX, wb_x64_m(X_RAX, (int32_t)(8 * g)));
}

/* Sign- or zero-extensions and conversions with a template; false: none. */
static bool unary(struct fn *f, uint32_t op, wb_cell c)
{
	struct wb_x64_buf *b = f->b;
	uint32_t d = O0(c), a = O1(c);

	switch (op) {
	case WB_I_I32_EQZ:
	case WB_I_I64_EQZ:
	case WB_I_REF_IS_NULL:
		wb_x64_alu_mi(b, X_CMP, op != WB_I_I32_EQZ, S(a), 0);
		wb_x64_setcc(b, X_CC_E, X_RAX);
		wb_x64_movzx8_rr(b, X_RAX, X_RAX);
		break;
	case WB_I_I32_CTZ:
	case WB_I_I64_CTZ:
	case WB_I_I32_CLZ:
	case WB_I_I64_CLZ: {
		/* bsf/bsr leave ZF set for 0, whose result comes from rcx. */
		bool w = op == WB_I_I64_CTZ || op == WB_I_I64_CLZ;
		bool clz = op == WB_I_I32_CLZ || op == WB_I_I64_CLZ;
		static const uint8_t bsf[2][4] = { { 0x0f, 0xbc, 0xc0 }, { 0x48, 0x0f, 0xbc, 0xc0 } };
		static const uint8_t bsr[2][4] = { { 0x0f, 0xbd, 0xc0 }, { 0x48, 0x0f, 0xbd, 0xc0 } };

		wb_x64_load(b, w ? 8 : 4, X_RAX, S(a));
		wb_x64_mov_ri(b, X_RCX, clz ? (w ? 127 : 63) : (w ? 64 : 32));
		wb_x64_bytes(b, clz ? bsr[w] : bsf[w], w ? 4 : 3);
		wb_x64_cmov(b, X_CC_E, w, X_RAX, X_RCX);
		if (clz)
			wb_x64_alu_ri(b, X_XOR, false, X_RAX, w ? 63 : 31);
		break;
	}
	case WB_I_I64_EXTEND_I32_S:
	case WB_I_I64_EXTEND32_S:
		wb_x64_loadx(b, true, 4, true, X_RAX, S(a));
		break;
	case WB_I_I64_EXTEND_I32_U:
		wb_x64_load(b, 4, X_RAX, S(a));
		break;
	case WB_I_I32_EXTEND8_S:
	case WB_I_I64_EXTEND8_S:
		wb_x64_loadx(b, true, 1, op == WB_I_I64_EXTEND8_S, X_RAX, S(a));
		break;
	case WB_I_I32_EXTEND16_S:
	case WB_I_I64_EXTEND16_S:
		wb_x64_loadx(b, true, 2, op == WB_I_I64_EXTEND16_S, X_RAX, S(a));
		break;
	case WB_I_F32_ABS:
	case WB_I_F32_NEG:
		wb_x64_load(b, 4, X_RAX, S(a));
		if (op == WB_I_F32_ABS)
			wb_x64_btr_ri(b, false, X_RAX, 31);
		else
			wb_x64_btc_ri(b, false, X_RAX, 31);
		break;
	case WB_I_F64_ABS:
	case WB_I_F64_NEG:
		wb_x64_load(b, 8, X_RAX, S(a));
		if (op == WB_I_F64_ABS)
			wb_x64_btr_ri(b, true, X_RAX, 63);
		else
			wb_x64_btc_ri(b, true, X_RAX, 63);
		break;
	case WB_I_F32_SQRT:
	case WB_I_F64_SQRT:
		wb_x64_movs_load(b, op == WB_I_F64_SQRT, 0, S(a));
		wb_x64_sse_rr(b, X_SSE_SQRT, op == WB_I_F64_SQRT, 0, 0);
		store_f(f, op == WB_I_F64_SQRT, d);
		return true;
	case WB_I_F64_PROMOTE_F32:
	case WB_I_F32_DEMOTE_F64:
		wb_x64_movs_load(b, op == WB_I_F32_DEMOTE_F64, 0, S(a));
		wb_x64_sse_rr(b, X_SSE_CVT, op == WB_I_F32_DEMOTE_F64, 0, 0);
		store_f(f, op == WB_I_F64_PROMOTE_F32, d);
		return true;
	case WB_I_F64_CONVERT_I32_S:
	case WB_I_F32_CONVERT_I32_S:
	case WB_I_F64_CONVERT_I32_U:
	case WB_I_F32_CONVERT_I32_U:
	case WB_I_F64_CONVERT_I64_S:
	case WB_I_F32_CONVERT_I64_S: {
		bool dbl = op == WB_I_F64_CONVERT_I32_S || op == WB_I_F64_CONVERT_I32_U ||
			   op == WB_I_F64_CONVERT_I64_S;
		bool s32 = op == WB_I_F64_CONVERT_I32_S || op == WB_I_F32_CONVERT_I32_S;

		bool u32 = op == WB_I_F64_CONVERT_I32_U || op == WB_I_F32_CONVERT_I32_U;

		/* A u32 is converted as the i64 it zero-extends to. */
		wb_x64_load(b, s32 || u32 ? 4 : 8, X_RAX, S(a));
		wb_x64_cvtsi2f(b, dbl, !s32, 0, X_RAX);
		store_f(f, dbl, d);
		return true;
	}
	default:
		return false;
	}
	wb_x64_store(b, 8, S(d), X_RAX);
	return true;
}

/* The cells of instruction i that hold branch offsets: *first, and how many. */
static uint32_t jump_cells(const struct fn *f, uint32_t i, uint32_t *first)
{
	uint32_t op = f->op[i];

	switch (op) {
	case WB_I_BR:
		*first = 1;
		return 1;
	case WB_I_BR_IF:
	case WB_I_BR_IFZ:
	case WB_I_BR_I64_EQZ:
	case WB_I_BR_I64_NEZ:
	case WB_I_BR_AND_NZ:
	case WB_I_BR_AND_Z:
		*first = 2;
		return 1;
	case WB_I_BR_TABLE:
		*first = 2;
		return OHI(f->code->cells[f->at[i] + 1]) + 1;
	default:
		break;
	}
	if (op >= WB_I_BR_I32_EQ && op < WB_I_BR_I32_EQ + 40) {
		*first = 2;
		return 1;
	}
	if ((op >= WB_I_INCBR_I32_EQ && op < WB_I_INCBR_I32_EQ + 20) ||
	    (op >= WB_I_INCBRS_I32_EQ && op < WB_I_INCBRS_I32_EQ + 20)) {
		*first = 3;
		return 1;
	}
	return 0;
}

/* Mark every branch target (no register carries a value into one). False: a bad target. */
static bool mark_targets(struct fn *f)
{
	uint32_t i, k, first = 0, cnt;

	for (i = 0; i < f->n; i++) {
		cnt = jump_cells(f, i, &first);
		for (k = 0; k < cnt; k++) {
			uint64_t at = (uint64_t)f->at[i] + first + k;
			int64_t t, idx;

			if (at >= f->code->cell_cnt)
				return false;
			t = (int64_t)at + (int64_t)f->code->cells[at];
			idx = t < 0 ? -1 : ins_at(f, (uint64_t)t);
			if (idx < 0)
				return false;
			f->tgt[idx] = true;
		}
	}
	return true;
}

/* One instruction; false when there is neither a template nor a C function. */
static bool ins(struct fn *f, uint32_t i)
{
	struct wb_x64_buf *b = f->b;
	uint32_t op = f->op[i], at = f->at[i];
	const wb_cell *pc = f->code->cells + at;
	wb_cell c = at + 1 < f->code->cell_cnt ? pc[1] : 0;

	f->in_rax = f->tgt[i] ? -1 : f->out_rax;
	f->in_xmm = f->tgt[i] ? -1 : f->out_xmm;
	f->out_rax = -1;
	f->out_xmm = -1;
	if (op >= WB_I_I32_ADD && op < WB_I_I32_ADD + 4 * IBIN_CNT) {
		uint32_t k = op - WB_I_I32_ADD;

		ibin(f, (int)(k / 4), k & 2, k & 1, c);
		return true;
	}
	if (op >= WB_I_BR_I32_EQ && op < WB_I_BR_I32_EQ + 40) {
		uint32_t k = op - WB_I_BR_I32_EQ;

		brcmp(f, i, (int)(k / 4), k & 2, k & 1, c);
		return true;
	}
	if (op >= WB_I_INCBR_I32_EQ && op < WB_I_INCBR_I32_EQ + 20) {
		uint32_t k = op - WB_I_INCBR_I32_EQ;

		incbr(f, i, (int)(k / 2), false, k & 1);
		return true;
	}
	if (op >= WB_I_INCBRS_I32_EQ && op < WB_I_INCBRS_I32_EQ + 20) {
		uint32_t k = op - WB_I_INCBRS_I32_EQ;

		incbr(f, i, (int)(k / 2), true, k & 1);
		return true;
	}
	if (op >= WB_I_I32_LOAD && op < WB_I_I32_LOAD + 14) {
		load(f, i, (int)(op - WB_I_I32_LOAD), A_OFF);
		return true;
	}
	if (op >= WB_I_I32_STORE && op < WB_I_I32_STORE + 9) {
		store(f, i, (int)(op - WB_I_I32_STORE), A_OFF);
		return true;
	}
	if (op >= WB_I_I32_LOAD_K && op < WB_I_I32_LOAD_K + 28) {
		uint32_t k = op - WB_I_I32_LOAD_K;

		load(f, i, (int)(k / 2), k & 1 ? A_X : A_K);
		return true;
	}
	if (op >= WB_I_I32_STORE_K && op < WB_I_I32_STORE_K + 18) {
		uint32_t k = op - WB_I_I32_STORE_K;

		store(f, i, (int)(k / 2), k & 1 ? A_X : A_K);
		return true;
	}
	if (op >= WB_I_I32_LOAD_XW && op < WB_I_I32_LOAD_XW + 28) {
		uint32_t k = op - WB_I_I32_LOAD_XW;

		load(f, i, (int)(k / 2), k & 1 ? A_KW : A_XW);
		return true;
	}
	if (op >= WB_I_I32_STORE_XW && op < WB_I_I32_STORE_XW + 18) {
		uint32_t k = op - WB_I_I32_STORE_XW;

		store(f, i, (int)(k / 2), k & 1 ? A_KW : A_XW);
		return true;
	}
	if (op >= WB_I_I32_LOAD_SX && op < WB_I_I32_LOAD_SX + 14) {
		load(f, i, (int)(op - WB_I_I32_LOAD_SX), A_SX);
		return true;
	}
	if (op >= WB_I_I32_ADD_ST && op < WB_I_I32_ADD_ST + 14) {
		uint32_t k = op - WB_I_I32_ADD_ST;

		opst(f, i, (int)(k / 2), k & 1);
		return true;
	}
	if (op >= WB_I_I32_DIV_S && op <= WB_I_I64_REM_U) {
		uint32_t k = op - WB_I_I32_DIV_S;

		divrem(f, i, k >= 4, !(k & 1), k & 2);
		return true;
	}

	switch (op) {
	case WB_I_UNREACHABLE:
		trap_if(f, -1, at, WB_TRAP_UNREACHABLE);
		return true;
	case WB_I_CHECK:
		poll(f, at);
		return true;
	case WB_I_RETURN1:
		wb_x64_load(b, 8, X_RAX, S(O0(c)));
		wb_x64_store(b, 8, S(0), X_RAX);
		/* fall through */
	case WB_I_RETURN:
		wb_x64_alu_rr(b, X_XOR, false, X_RAX, X_RAX);
		wb_x64_alu_ri(b, X_ADD, true, X_RSP, 8);
		wb_x64_ret(b);
		return true;
	case WB_I_BR:
		branch(f, -1, i, 1);
		return true;
	case WB_I_BR_IF:
	case WB_I_BR_IFZ:
	case WB_I_BR_I64_EQZ:
	case WB_I_BR_I64_NEZ:
		wb_x64_alu_mi(b, X_CMP, op == WB_I_BR_I64_EQZ || op == WB_I_BR_I64_NEZ, S(O0(c)), 0);
		branch(f, op == WB_I_BR_IF || op == WB_I_BR_I64_NEZ ? X_CC_NE : X_CC_E, i, 2);
		return true;
	case WB_I_BR_AND_NZ:
	case WB_I_BR_AND_Z:
		wb_x64_test_mi(b, false, S(O0(c)), (int32_t)OHI(c));
		branch(f, op == WB_I_BR_AND_NZ ? X_CC_NE : X_CC_E, i, 2);
		return true;
	case WB_I_BR_TABLE:
		br_table(f, i);
		return true;
	case WB_I_CALL:
		call_direct(f, i);
		return true;
	case WB_I_CALL_IMPORT:
		call_bridge(f, i, false);
		return true;
	case WB_I_CALL_INDIRECT:
		call_indirect(f, i);
		return true;
	case WB_I_MOV:
		ld_rax(f, 8, O1(c));
		wb_x64_store(b, 8, S(O0(c)), X_RAX);
		f->out_rax = (int32_t)O0(c);
		return true;
	case WB_I_MOV2:
		wb_x64_load(b, 8, X_RAX, S(O1(c)));
		wb_x64_store(b, 8, S(O0(c)), X_RAX);
		wb_x64_load(b, 8, X_RAX, S(O3(c)));
		wb_x64_store(b, 8, S(O2(c)), X_RAX);
		return true;
	case WB_I_CONST32:
		wb_x64_mov_ri(b, X_RAX, OHI(c));
		wb_x64_store(b, 8, S(O0(c)), X_RAX);
		return true;
	case WB_I_CONST64:
		wb_x64_mov_ri(b, X_RAX, pc[2]);
		wb_x64_store(b, 8, S(O0(c)), X_RAX);
		return true;
	case WB_I_SELECT:
		wb_x64_load(b, 8, X_RDX, S(O2(c)));
		wb_x64_load(b, 8, X_RCX, S(O3(c)));
		wb_x64_alu_mi(b, X_CMP, false, S(O1(c)), 0);
		wb_x64_cmov(b, X_CC_E, true, X_RDX, X_RCX);
		wb_x64_store(b, 8, S(O0(c)), X_RDX);
		return true;
	case WB_I_GLOBAL_GET:
		global_addr(f, OHI(c));
		wb_x64_load(b, 8, X_RAX, wb_x64_m(X_RAX, offsetof(struct wb_global, val)));
		wb_x64_store(b, 8, S(O0(c)), X_RAX);
		return true;
	case WB_I_GLOBAL_SET:
		global_addr(f, OHI(c));
		wb_x64_load(b, 8, X_RDX, S(O0(c)));
		wb_x64_store(b, 8, wb_x64_m(X_RAX, offsetof(struct wb_global, val)), X_RDX);
		return true;
	case WB_I_MEMORY_SIZE:
		wb_x64_mov_rr(b, true, X_RAX, MS);
		wb_x64_shift_ri(b, X_SHR, true, X_RAX, 16);
		wb_x64_store(b, 8, S(O0(c)), X_RAX);
		return true;
	case WB_I_I32_MADD:
	case WB_I_I32_ADD3:
		ld_rax(f, 4, O1(c));
		if (op == WB_I_I32_MADD)
			wb_x64_imul_rm(b, false, X_RAX, S(O2(c)));
		else
			wb_x64_alu_rm(b, X_ADD, false, X_RAX, S(O2(c)));
		wb_x64_alu_rm(b, X_ADD, false, X_RAX, S(O3(c)));
		wb_x64_store(b, 8, S(O0(c)), X_RAX);
		f->out_rax = (int32_t)O0(c);
		return true;
	case WB_I_I32_XOR_ROTL:
		wb_x64_load(b, 4, X_RAX, S(O2(c)));
		wb_x64_shift_ri(b, X_ROL, false, X_RAX, (uint8_t)(O3(c) & 31));
		wb_x64_alu_rm(b, X_XOR, false, X_RAX, S(O1(c)));
		wb_x64_store(b, 8, S(O0(c)), X_RAX);
		f->out_rax = (int32_t)O0(c);
		return true;
	case WB_I_I32_FSH:
		opst_value(f, 6, c);
		wb_x64_store(b, 8, S(O0(c)), X_RDX);
		return true;
	case WB_I_I32_LMADD_ST:
		lmadd_st(f, i);
		return true;
	case WB_I_F64_MADD:
		ld_xmm(f, true, O1(c));
		wb_x64_sse_rm(b, X_SSE_MUL, true, 0, S(O2(c)));
		wb_x64_sse_rm(b, X_SSE_ADD, true, 0, S(O3(c)));
		store_f(f, true, O0(c));
		return true;
	case WB_I_F32_ADD: fbin(f, false, X_SSE_ADD, c); return true;
	case WB_I_F32_SUB: fbin(f, false, X_SSE_SUB, c); return true;
	case WB_I_F32_MUL: fbin(f, false, X_SSE_MUL, c); return true;
	case WB_I_F32_DIV: fbin(f, false, X_SSE_DIV, c); return true;
	case WB_I_F64_ADD: fbin(f, true, X_SSE_ADD, c); return true;
	case WB_I_F64_SUB: fbin(f, true, X_SSE_SUB, c); return true;
	case WB_I_F64_MUL: fbin(f, true, X_SSE_MUL, c); return true;
	case WB_I_F64_DIV: fbin(f, true, X_SSE_DIV, c); return true;
	default:
		break;
	}
	if (op >= WB_I_F32_EQ && op <= WB_I_F32_GE) {
		fcmp(f, false, (int)(op - WB_I_F32_EQ), c);
		return true;
	}
	if (op >= WB_I_F64_EQ && op <= WB_I_F64_GE) {
		fcmp(f, true, (int)(op - WB_I_F64_EQ), c);
		return true;
	}
	if (unary(f, op, c))
		return true;
	return helper(f, i, op);
}

/* The stubs after the body, and the trap exit they share. */
static void stubs(struct fn *f)
{
	struct wb_x64_buf *b = f->b;
	uint32_t common = lab_new(f), s;

	for (s = 0; s < f->stub_cnt && !f->fail; s++) {
		/* A copy: poll() below may add stubs and move the array. */
		const struct stub stc = f->stubs[s], *st = &stc;

		lab_here(f, st->lab);
		switch (st->kind) {
		case STUB_TRAP:
			wb_x64_mov_ri(b, X_RDX, (uint64_t)(uint32_t)st->trap);
			wb_x64_mov_ri(b, X_RCX, st->cell);
			jmp_lab(f, -1, common);
			break;
		case STUB_TRAP_EAX:
			wb_x64_mov_rr(b, false, X_RDX, X_RAX);
			wb_x64_mov_ri(b, X_RCX, st->cell);
			jmp_lab(f, -1, common);
			break;
		case STUB_POLL:
		case STUB_EDGE: {
			uint32_t ok;

			if (st->kind == STUB_EDGE) {
				/* The inline check, then the slow one only when needed. */
				poll(f, st->cell);
				fix_add(f, wb_x64_jmp(b), FIX_INS, st->cont, 0);
				break;
			}
			ok = lab_new(f);
			wb_x64_mov_rr(b, true, X_RDI, ST);
			call_c(f, (const void *)jit_poll);
			wb_x64_test_rr(b, false, X_RAX, X_RAX);
			jmp_lab(f, X_CC_E, ok);
			wb_x64_mov_rr(b, false, X_RDX, X_RAX);
			wb_x64_mov_ri(b, X_RCX, st->cell);
			jmp_lab(f, -1, common);
			lab_here(f, ok);
			jmp_lab(f, -1, st->cont);
			break;
		}
		}
	}
	lab_here(f, common);
	wb_x64_mov_rr(b, true, X_RDI, ST);
	wb_x64_mov_ri(b, X_RSI, (uint64_t)(uintptr_t)f->code);
	call_c(f, (const void *)jit_trap);
	/* -1: recorded; each caller only adds its frame (after_call). */
	wb_x64_mov_ri(b, X_RAX, 0xffffffffu);
	wb_x64_alu_ri(b, X_ADD, true, X_RSP, 8);
	wb_x64_ret(b);
}

static bool resolve(struct fn *f)
{
	uint32_t k;

	for (k = 0; k < f->fix_cnt; k++) {
		const struct fix *x = &f->fixes[k];
		size_t to;
		int64_t idx;

		if (x->kind == FIX_INS || x->kind == FIX_TAB) {
			idx = ins_at(f, x->to);
			if (idx < 0)
				return false;
			to = f->nat[idx];
		} else {
			if (f->labs[x->to] == SIZE_MAX)
				return false;
			to = f->labs[x->to];
		}
		if (x->kind == FIX_INS || x->kind == FIX_LAB) {
			wb_x64_patch_rel32(f->b, x->at, to);
		} else {
			int32_t v = (int32_t)((int64_t)to - (int64_t)x->base);

			memcpy(f->b->p + x->at, &v, 4);
		}
	}
	return true;
}

bool wb_jit__add(struct wb_jit *j, struct wb_code *code, const uint32_t *at,
		 const uint16_t *op, uint32_t n)
{
	struct wb_x64_buf *b = &j->b;
	struct fn f = { .j = j, .b = b, .code = code, .at = at, .op = op, .n = n };
	size_t start = b->len, init;
	uint32_t calls0 = j->call_cnt, i;
	bool ok = false;

	f.has_mem = j->m->mem_cnt > 0;
	f.out_rax = f.out_xmm = -1;
	f.nat = malloc((n ? n : 1) * sizeof(*f.nat));
	f.tgt = calloc(n ? n : 1, sizeof(*f.tgt));
	if (!f.nat || !f.tgt || !n ||
	    (wb_jit__decline_hook && wb_jit__decline_hook(code->func_idx)) || !mark_targets(&f))
		goto out;

	/* Entry for calls from machine code: locals and constants, then the body. */
	init = b->len;
	if (code->local_cnt > 8) {
		wb_x64_lea(b, true, X_RDI, S(code->param_cnt));
		wb_x64_mov_ri(b, X_RCX, code->local_cnt);
		wb_x64_alu_rr(b, X_XOR, false, X_RAX, X_RAX);
		wb_x64_bytes(b, "\xf3\x48\xab", 3);	/* rep stosq */
	} else if (code->local_cnt) {
		wb_x64_alu_rr(b, X_XOR, false, X_RAX, X_RAX);
		for (i = 0; i < code->local_cnt; i++)
			wb_x64_store(b, 8, S(code->param_cnt + i), X_RAX);
	}
	for (i = 0; i < code->const_cnt; i++) {
		wb_x64_mov_ri(b, X_RAX, code->consts[i]);
		wb_x64_store(b, 8, S(code->param_cnt + code->local_cnt + i), X_RAX);
	}
	/* Entry from C: aligns the stack and checks the native stack's room. */
	if (!grow((void **)&j->funcs, &j->func_cap, j->func_cnt + 1, sizeof(*j->funcs)))
		goto out;
	j->funcs[j->func_cnt] = (struct jfunc){ code, init, b->len };
	wb_x64_alu_ri(b, X_SUB, true, X_RSP, 8);
	wb_x64_alu_rm(b, X_CMP, true, X_RSP, wb_x64_m(EX, offsetof(struct wb_exec, jit_sp_limit)));
	trap_if(&f, X_CC_B, 0, WB_TRAP_STACK_EXHAUSTED);

	for (i = 0; i < n && !f.fail; i++) {
		f.nat[i] = b->len;
		if (at[i] >= code->cell_cnt || !ins(&f, i))
			f.fail = true;
	}
	wb_x64_ud2(b);
	stubs(&f);
	if (f.fail || b->oom || !resolve(&f))
		goto out;
	j->func_cnt++;
	ok = true;
out:
	if (!ok) {
		/* Declined: drop what this function emitted. */
		b->len = start;
		b->oom = false;
		j->call_cnt = calls0;
		j->declined++;
	}
	free(f.nat);
	free(f.tgt);
	free(f.labs);
	free(f.fixes);
	free(f.stubs);
	return ok;
}

#endif /* x86-64 Linux */
