/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 instruction encoder of the baseline JIT: every public function
 * is one instruction form, built from the helpers below that write the
 * legacy prefix, the REX prefix, the opcode, and the ModRM/SIB/displacement
 * bytes (Intel SDM vol. 2, chapter 2).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "jit_x64_emit.h"

/* ---------------------------------------------------------------- the buffer */

/* Make room for n more bytes; false (and nothing written, ever again) on OOM. */
static bool reserve(struct wb_x64_buf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (b->oom)
		return false;
	if (n <= b->cap - b->len)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap - b->len < n) {
		if (cap > SIZE_MAX / 2)
			goto fail;
		cap *= 2;
	}
	p = realloc(b->p, cap);
	if (!p)
		goto fail;
	b->p = p;
	b->cap = cap;
	return true;
fail:
	b->oom = true;
	return false;
}

static void put(struct wb_x64_buf *b, uint8_t v)
{
	if (reserve(b, 1))
		b->p[b->len++] = v;
}

static void put32(struct wb_x64_buf *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		put(b, (uint8_t)(v >> (8 * i)));
}

static void put64(struct wb_x64_buf *b, uint64_t v)
{
	put32(b, (uint32_t)v);
	put32(b, (uint32_t)(v >> 32));
}

void wb_x64_bytes(struct wb_x64_buf *b, const void *bytes, size_t n)
{
	if (!n || !reserve(b, n))
		return;
	memcpy(b->p + b->len, bytes, n);
	b->len += n;
}

void wb_x64_u32(struct wb_x64_buf *b, uint32_t v)
{
	put32(b, v);
}

/* ---------------------------------------------------------------- prefixes and operands */

/* What the REX prefix must say beyond the register numbers. */
#define RX_W 1u	  /* 64-bit operand size (REX.W) */
#define RX_B8R 2u /* the ModRM reg field is an 8-bit register */
#define RX_B8M 4u /* the ModRM rm field is an 8-bit register */

static unsigned wbit(bool w)
{
	return w ? RX_W : 0;
}

static bool fits8(int32_t v)
{
	return v >= -128 && v <= 127;
}

/*
 * A REX prefix when one is needed: 64-bit size, a register 8..15 in the reg,
 * index or rm (base) position, or an 8-bit operand that is spl/bpl/sil/dil
 * (4..7), which without any REX would mean ah/ch/dh/bh. X_NONE (-1) and
 * /digit values in reg never set a bit.
 */
static void rex(struct wb_x64_buf *b, unsigned f, int reg, int index, int rm)
{
	uint8_t v = 0x40;

	if (f & RX_W)
		v |= 8;
	if (reg >= 8)
		v |= 4;
	if (index >= 8)
		v |= 2;
	if (rm >= 8)
		v |= 1;
	if (v != 0x40 || ((f & RX_B8R) && reg >= 4) || ((f & RX_B8M) && rm >= 4))
		put(b, v);
}

/* One opcode byte, or two when the value is above 0xff (0x0fXX). */
static void opcode(struct wb_x64_buf *b, unsigned op)
{
	if (op > 0xff)
		put(b, (uint8_t)(op >> 8));
	put(b, (uint8_t)op);
}

/* ModRM with mod=11: the operand is register rm. */
static void modrm_reg(struct wb_x64_buf *b, int reg, int rm)
{
	put(b, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

static unsigned scale_bits(unsigned scale)
{
	switch (scale) {
	case 1:
		return 0;
	case 2:
		return 1;
	case 4:
		return 2;
	case 8:
		return 3;
	}
	assert(!"scale must be 1, 2, 4 or 8");
	return 0;
}

/*
 * ModRM (+SIB) (+disp) for [base + index*scale + disp]. rm=100 means "a SIB
 * follows", so base rsp/r12 always takes one; mod=00 with base 101 means
 * rip- or disp32-only, so base rbp/r13 takes a disp8 of 0 instead.
 */
static void modrm_mem(struct wb_x64_buf *b, int reg, struct wb_x64_mem m)
{
	int base = m.base & 7, mod;
	bool sib = m.index != X_NONE || base == 4;

	assert(m.base >= 0 && m.base < 16);
	assert(m.index == X_NONE || (m.index >= 0 && m.index < 16));
	assert(m.index != X_RSP);
	if (m.disp == 0 && base != 5)
		mod = 0;
	else if (fits8(m.disp))
		mod = 1;
	else
		mod = 2;
	put(b, (uint8_t)(mod << 6 | (reg & 7) << 3 | (sib ? 4 : base)));
	if (sib) {
		unsigned ss = m.index == X_NONE ? 0 : scale_bits(m.scale);
		int idx = m.index == X_NONE ? 4 : m.index & 7;

		put(b, (uint8_t)(ss << 6 | (unsigned)idx << 3 | (unsigned)base));
	}
	if (mod == 1)
		put(b, (uint8_t)m.disp);
	else if (mod == 2)
		put32(b, (uint32_t)m.disp);
}

/* [pfx] [REX] op /reg with a register operand (pfx 0: none). */
static void op_rr(struct wb_x64_buf *b, uint8_t pfx, unsigned f, unsigned op, int reg, int rm)
{
	if (pfx)
		put(b, pfx);
	rex(b, f, reg, X_NONE, rm);
	opcode(b, op);
	modrm_reg(b, reg, rm);
}

/* [pfx] [REX] op /reg with a memory operand. */
static void op_rm(struct wb_x64_buf *b, uint8_t pfx, unsigned f, unsigned op, int reg,
		  struct wb_x64_mem m)
{
	if (pfx)
		put(b, pfx);
	rex(b, f, reg, m.index, m.base);
	opcode(b, op);
	modrm_mem(b, reg, m);
}

/* An imm8 when it fits (the caller chose the imm8 opcode), else an imm32. */
static void imm8_32(struct wb_x64_buf *b, bool short_form, int32_t imm)
{
	if (short_form)
		put(b, (uint8_t)imm);
	else
		put32(b, (uint32_t)imm);
}

/* ---------------------------------------------------------------- integer ALU */

void wb_x64_alu_rr(struct wb_x64_buf *b, enum wb_x64_alu op, bool w, int dst, int src)
{
	op_rr(b, 0, wbit(w), (unsigned)op << 3 | 1, src, dst);
}

void wb_x64_alu_rm(struct wb_x64_buf *b, enum wb_x64_alu op, bool w, int reg, struct wb_x64_mem m)
{
	op_rm(b, 0, wbit(w), (unsigned)op << 3 | 3, reg, m);
}

void wb_x64_alu_mr(struct wb_x64_buf *b, enum wb_x64_alu op, bool w, struct wb_x64_mem m, int reg)
{
	op_rm(b, 0, wbit(w), (unsigned)op << 3 | 1, reg, m);
}

void wb_x64_alu_ri(struct wb_x64_buf *b, enum wb_x64_alu op, bool w, int reg, int32_t imm)
{
	bool s = fits8(imm);

	op_rr(b, 0, wbit(w), s ? 0x83 : 0x81, op, reg);
	imm8_32(b, s, imm);
}

void wb_x64_alu_mi(struct wb_x64_buf *b, enum wb_x64_alu op, bool w, struct wb_x64_mem m,
		   int32_t imm)
{
	bool s = fits8(imm);

	op_rm(b, 0, wbit(w), s ? 0x83 : 0x81, op, m);
	imm8_32(b, s, imm);
}

void wb_x64_test_rr(struct wb_x64_buf *b, bool w, int a, int c)
{
	op_rr(b, 0, wbit(w), 0x85, c, a);
}

void wb_x64_test_ri(struct wb_x64_buf *b, bool w, int reg, int32_t imm)
{
	op_rr(b, 0, wbit(w), 0xf7, 0, reg);
	put32(b, (uint32_t)imm);
}

void wb_x64_test_mi(struct wb_x64_buf *b, bool w, struct wb_x64_mem m, int32_t imm)
{
	op_rm(b, 0, wbit(w), 0xf7, 0, m);
	put32(b, (uint32_t)imm);
}

/* ---------------------------------------------------------------- moves */

void wb_x64_mov_rr(struct wb_x64_buf *b, bool w, int dst, int src)
{
	op_rr(b, 0, wbit(w), 0x89, src, dst);
}

void wb_x64_load(struct wb_x64_buf *b, int size, int reg, struct wb_x64_mem m)
{
	assert(size == 4 || size == 8);
	op_rm(b, 0, wbit(size == 8), 0x8b, reg, m);
}

void wb_x64_store(struct wb_x64_buf *b, int size, struct wb_x64_mem m, int reg)
{
	switch (size) {
	case 1:
		op_rm(b, 0, RX_B8R, 0x88, reg, m);
		break;
	case 2:
		op_rm(b, 0x66, 0, 0x89, reg, m);
		break;
	case 4:
	case 8:
		op_rm(b, 0, wbit(size == 8), 0x89, reg, m);
		break;
	default:
		assert(!"store size must be 1, 2, 4 or 8");
	}
}

void wb_x64_store_i(struct wb_x64_buf *b, int size, struct wb_x64_mem m, int32_t imm)
{
	assert(size == 4 || size == 8);
	op_rm(b, 0, wbit(size == 8), 0xc7, 0, m);
	put32(b, (uint32_t)imm);
}

/*
 * The opcode (and REX.W) of movzx/movsx/movsxd/mov for an extension of size
 * bytes. A zero extension never needs REX.W: 32-bit results already clear
 * the upper half.
 */
static unsigned ext_op(bool sign, int size, bool w, unsigned *f)
{
	*f = sign ? wbit(w) : 0;
	switch (size) {
	case 1:
		return sign ? 0x0fbe : 0x0fb6;
	case 2:
		return sign ? 0x0fbf : 0x0fb7;
	case 4:
		assert(!sign || w);
		return sign ? 0x63 : 0x8b;
	}
	assert(!"extension size must be 1, 2 or 4");
	return 0x8b;
}

void wb_x64_loadx(struct wb_x64_buf *b, bool sign, int size, bool w, int reg, struct wb_x64_mem m)
{
	unsigned f, op = ext_op(sign, size, w, &f);

	op_rm(b, 0, f, op, reg, m);
}

void wb_x64_extend_rr(struct wb_x64_buf *b, bool sign, int size, bool w, int dst, int src)
{
	unsigned f, op = ext_op(sign, size, w, &f);

	op_rr(b, 0, f | (size == 1 ? RX_B8M : 0), op, dst, src);
}

void wb_x64_mov_ri(struct wb_x64_buf *b, int reg, uint64_t imm)
{
	int64_t s = (int64_t)imm;

	if (imm == 0) {
		op_rr(b, 0, 0, 0x31, reg, reg);
	} else if (imm <= UINT32_MAX) {
		rex(b, 0, 0, X_NONE, reg);
		put(b, (uint8_t)(0xb8 | (reg & 7)));
		put32(b, (uint32_t)imm);
	} else if (s >= INT32_MIN && s < 0) {
		op_rr(b, 0, RX_W, 0xc7, 0, reg);
		put32(b, (uint32_t)imm);
	} else {
		rex(b, RX_W, 0, X_NONE, reg);
		put(b, (uint8_t)(0xb8 | (reg & 7)));
		put64(b, imm);
	}
}

void wb_x64_lea(struct wb_x64_buf *b, bool w, int reg, struct wb_x64_mem m)
{
	op_rm(b, 0, wbit(w), 0x8d, reg, m);
}

/* ---------------------------------------------------------------- shifts, multiply, divide */

void wb_x64_shift_ri(struct wb_x64_buf *b, enum wb_x64_shift op, bool w, int reg, uint8_t imm)
{
	op_rr(b, 0, wbit(w), 0xc1, op, reg);
	put(b, imm);
}

void wb_x64_shift_rcl(struct wb_x64_buf *b, enum wb_x64_shift op, bool w, int reg)
{
	op_rr(b, 0, wbit(w), 0xd3, op, reg);
}

void wb_x64_imul_rr(struct wb_x64_buf *b, bool w, int dst, int src)
{
	op_rr(b, 0, wbit(w), 0x0faf, dst, src);
}

void wb_x64_imul_rm(struct wb_x64_buf *b, bool w, int dst, struct wb_x64_mem m)
{
	op_rm(b, 0, wbit(w), 0x0faf, dst, m);
}

void wb_x64_imul_rri(struct wb_x64_buf *b, bool w, int dst, int src, int32_t imm)
{
	bool s = fits8(imm);

	op_rr(b, 0, wbit(w), s ? 0x6b : 0x69, dst, src);
	imm8_32(b, s, imm);
}

void wb_x64_cdq(struct wb_x64_buf *b, bool w)
{
	rex(b, wbit(w), 0, X_NONE, 0);
	put(b, 0x99);
}

void wb_x64_div(struct wb_x64_buf *b, bool sign, bool w, int reg)
{
	op_rr(b, 0, wbit(w), 0xf7, sign ? 7 : 6, reg);
}

void wb_x64_neg(struct wb_x64_buf *b, bool w, int reg)
{
	op_rr(b, 0, wbit(w), 0xf7, 3, reg);
}

void wb_x64_not(struct wb_x64_buf *b, bool w, int reg)
{
	op_rr(b, 0, wbit(w), 0xf7, 2, reg);
}

void wb_x64_btr_ri(struct wb_x64_buf *b, bool w, int reg, uint8_t bit)
{
	op_rr(b, 0, wbit(w), 0x0fba, 6, reg);
	put(b, bit);
}

void wb_x64_btc_ri(struct wb_x64_buf *b, bool w, int reg, uint8_t bit)
{
	op_rr(b, 0, wbit(w), 0x0fba, 7, reg);
	put(b, bit);
}

/* ---------------------------------------------------------------- flags */

void wb_x64_setcc(struct wb_x64_buf *b, enum wb_x64_cc cc, int reg)
{
	op_rr(b, 0, RX_B8M, 0x0f90 | (unsigned)cc, 0, reg);
}

void wb_x64_movzx8_rr(struct wb_x64_buf *b, int dst, int src)
{
	op_rr(b, 0, RX_B8M, 0x0fb6, dst, src);
}

void wb_x64_cmov(struct wb_x64_buf *b, enum wb_x64_cc cc, bool w, int dst, int src)
{
	op_rr(b, 0, wbit(w), 0x0f40 | (unsigned)cc, dst, src);
}

/* ---------------------------------------------------------------- control flow */

/* A zeroed rel32 field; its offset. */
static size_t rel32(struct wb_x64_buf *b)
{
	size_t at = b->len;

	put32(b, 0);
	return at;
}

size_t wb_x64_jmp(struct wb_x64_buf *b)
{
	put(b, 0xe9);
	return rel32(b);
}

size_t wb_x64_jcc(struct wb_x64_buf *b, enum wb_x64_cc cc)
{
	opcode(b, 0x0f80 | (unsigned)cc);
	return rel32(b);
}

size_t wb_x64_call(struct wb_x64_buf *b)
{
	put(b, 0xe8);
	return rel32(b);
}

/* rel32 counts from the end of the field, which ends every form that has one. */
void wb_x64_patch_rel32(struct wb_x64_buf *b, size_t at, size_t target)
{
	int64_t rel = (int64_t)target - (int64_t)(at + 4);
	uint32_t v = (uint32_t)(int32_t)rel;

	if (b->oom)
		return;
	assert(at + 4 <= b->len);
	assert(rel >= INT32_MIN && rel <= INT32_MAX);
	for (int i = 0; i < 4; i++)
		b->p[at + i] = (uint8_t)(v >> (8 * i));
}

/* call/jmp through a register: 64-bit by default, no REX.W. */
void wb_x64_call_r(struct wb_x64_buf *b, int reg)
{
	op_rr(b, 0, 0, 0xff, 2, reg);
}

void wb_x64_jmp_r(struct wb_x64_buf *b, int reg)
{
	op_rr(b, 0, 0, 0xff, 4, reg);
}

size_t wb_x64_lea_rip(struct wb_x64_buf *b, int reg)
{
	rex(b, RX_W, reg, X_NONE, 0);
	put(b, 0x8d);
	put(b, (uint8_t)((reg & 7) << 3 | 5));
	return rel32(b);
}

void wb_x64_push(struct wb_x64_buf *b, int reg)
{
	rex(b, 0, 0, X_NONE, reg);
	put(b, (uint8_t)(0x50 | (reg & 7)));
}

void wb_x64_pop(struct wb_x64_buf *b, int reg)
{
	rex(b, 0, 0, X_NONE, reg);
	put(b, (uint8_t)(0x58 | (reg & 7)));
}

void wb_x64_ret(struct wb_x64_buf *b)
{
	put(b, 0xc3);
}

void wb_x64_ud2(struct wb_x64_buf *b)
{
	opcode(b, 0x0f0b);
}

/* ---------------------------------------------------------------- scalar SSE */

static uint8_t sse_pfx(bool dbl)
{
	return dbl ? 0xf2 : 0xf3;
}

void wb_x64_sse_rm(struct wb_x64_buf *b, enum wb_x64_sse op, bool dbl, int xmm, struct wb_x64_mem m)
{
	op_rm(b, sse_pfx(dbl), 0, 0x0f00 | (unsigned)op, xmm, m);
}

void wb_x64_sse_rr(struct wb_x64_buf *b, enum wb_x64_sse op, bool dbl, int xmm, int xmm2)
{
	op_rr(b, sse_pfx(dbl), 0, 0x0f00 | (unsigned)op, xmm, xmm2);
}

void wb_x64_movs_load(struct wb_x64_buf *b, bool dbl, int xmm, struct wb_x64_mem m)
{
	op_rm(b, sse_pfx(dbl), 0, 0x0f10, xmm, m);
}

void wb_x64_movs_store(struct wb_x64_buf *b, bool dbl, struct wb_x64_mem m, int xmm)
{
	op_rm(b, sse_pfx(dbl), 0, 0x0f11, xmm, m);
}

void wb_x64_ucomis_rm(struct wb_x64_buf *b, bool dbl, int xmm, struct wb_x64_mem m)
{
	op_rm(b, dbl ? 0x66 : 0, 0, 0x0f2e, xmm, m);
}

void wb_x64_ucomis_rr(struct wb_x64_buf *b, bool dbl, int xmm, int xmm2)
{
	op_rr(b, dbl ? 0x66 : 0, 0, 0x0f2e, xmm, xmm2);
}

void wb_x64_cvtsi2f(struct wb_x64_buf *b, bool dbl, bool w, int xmm, int reg)
{
	op_rr(b, sse_pfx(dbl), wbit(w), 0x0f2a, xmm, reg);
}

void wb_x64_movq_xr(struct wb_x64_buf *b, bool w, int xmm, int reg)
{
	op_rr(b, 0x66, wbit(w), 0x0f6e, xmm, reg);
}

void wb_x64_movq_rx(struct wb_x64_buf *b, bool w, int reg, int xmm)
{
	op_rr(b, 0x66, wbit(w), 0x0f7e, xmm, reg);
}
