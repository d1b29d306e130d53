/* SPDX-License-Identifier: MIT */
/*
 * Engine-private: an x86-64 instruction encoder for the baseline JIT
 * (jit_x64.c). It appends machine code to a growing buffer and knows only
 * the forms the JIT's templates use: integer ALU, moves and extensions,
 * shifts, multiply and divide, compares and flags, jumps and calls with
 * 32-bit displacements patched later, and the scalar SSE2 forms for f32/f64.
 *
 * Memory operands are base + disp32, or base + index * scale + disp32.
 * Every function picks the shortest encoding of its displacement and
 * immediate (disp8/imm8 when they fit); jumps and calls always use rel32, so
 * their fields can be patched with wb_x64_patch_rel32.
 *
 * On allocation failure the buffer sets oom and later calls do nothing.
 */
#ifndef WB_ENGINE_JIT_X64_EMIT_H
#define WB_ENGINE_JIT_X64_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wb_x64_buf {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

/* General registers (their hardware numbers). */
enum wb_x64_reg {
	X_RAX, X_RCX, X_RDX, X_RBX, X_RSP, X_RBP, X_RSI, X_RDI,
	X_R8, X_R9, X_R10, X_R11, X_R12, X_R13, X_R14, X_R15,
	X_NONE = -1,
};

/* SSE registers are numbered 0..15 (xmm0..xmm15). */

struct wb_x64_mem {
	int8_t base;		/* enum wb_x64_reg; X_NONE is not allowed */
	int8_t index;		/* enum wb_x64_reg or X_NONE; X_RSP is not allowed */
	uint8_t scale;		/* 1, 2, 4 or 8 */
	int32_t disp;
};

static inline struct wb_x64_mem wb_x64_m(int base, int32_t disp)
{
	struct wb_x64_mem m = { (int8_t)base, X_NONE, 1, disp };

	return m;
}

static inline struct wb_x64_mem wb_x64_mx(int base, int index, int scale, int32_t disp)
{
	struct wb_x64_mem m = { (int8_t)base, (int8_t)index, (uint8_t)scale, disp };

	return m;
}

/* The ALU group (their /digit in opcodes 0x01.., 0x81 /n). */
enum wb_x64_alu { X_ADD = 0, X_OR = 1, X_ADC = 2, X_SBB = 3, X_AND = 4, X_SUB = 5, X_XOR = 6, X_CMP = 7 };

/* The shift group (/digit of 0xC1 / 0xD3). */
enum wb_x64_shift { X_ROL = 0, X_ROR = 1, X_SHL = 4, X_SHR = 5, X_SAR = 7 };

/* Condition codes (the low nibble of Jcc / SETcc / CMOVcc). */
enum wb_x64_cc {
	X_CC_O = 0, X_CC_NO = 1, X_CC_B = 2, X_CC_AE = 3, X_CC_E = 4, X_CC_NE = 5,
	X_CC_BE = 6, X_CC_A = 7, X_CC_S = 8, X_CC_NS = 9, X_CC_P = 10, X_CC_NP = 11,
	X_CC_L = 12, X_CC_GE = 13, X_CC_LE = 14, X_CC_G = 15,
};

/*
 * In every function, w selects the operand size: false = 32 bits (which
 * zero-extends a register destination to 64 bits), true = 64 bits (REX.W).
 */

/* Raw bytes (for tests and the odd form). */
void wb_x64_bytes(struct wb_x64_buf *b, const void *bytes, size_t n);
void wb_x64_u32(struct wb_x64_buf *b, uint32_t v);

/* ALU: dst op= src, reg op= [mem], [mem] op= reg, reg op= imm, [mem] op= imm (imm8 when it fits). */
void wb_x64_alu_rr(struct wb_x64_buf *b, enum wb_x64_alu op, bool w, int dst, int src);
void wb_x64_alu_rm(struct wb_x64_buf *b, enum wb_x64_alu op, bool w, int reg, struct wb_x64_mem m);
void wb_x64_alu_mr(struct wb_x64_buf *b, enum wb_x64_alu op, bool w, struct wb_x64_mem m, int reg);
void wb_x64_alu_ri(struct wb_x64_buf *b, enum wb_x64_alu op, bool w, int reg, int32_t imm);
void wb_x64_alu_mi(struct wb_x64_buf *b, enum wb_x64_alu op, bool w, struct wb_x64_mem m, int32_t imm);

/* test reg, reg / test reg, imm32 / test [mem], imm32 (32 or 64 bits). */
void wb_x64_test_rr(struct wb_x64_buf *b, bool w, int a, int c);
void wb_x64_test_ri(struct wb_x64_buf *b, bool w, int reg, int32_t imm);
void wb_x64_test_mi(struct wb_x64_buf *b, bool w, struct wb_x64_mem m, int32_t imm);

/* mov reg, reg. */
void wb_x64_mov_rr(struct wb_x64_buf *b, bool w, int dst, int src);
/* Load reg from [mem]: size 8 or 4 (4 zero-extends into the 64-bit register). */
void wb_x64_load(struct wb_x64_buf *b, int size, int reg, struct wb_x64_mem m);
/* Store the low size bytes (1, 2, 4 or 8) of reg to [mem]. */
void wb_x64_store(struct wb_x64_buf *b, int size, struct wb_x64_mem m, int reg);
/* Store imm to [mem], size 4 (mov dword) or 8 (mov qword, imm sign-extended). */
void wb_x64_store_i(struct wb_x64_buf *b, int size, struct wb_x64_mem m, int32_t imm);
/*
 * Load a zero- or sign-extended value of size 1, 2 or 4 bytes from [mem]
 * into reg as 32 (w false) or 64 bits (w true). Zero-extending 4 bytes is a
 * plain 32-bit load; sign-extending 4 bytes needs w (movsxd).
 */
void wb_x64_loadx(struct wb_x64_buf *b, bool sign, int size, bool w, int reg, struct wb_x64_mem m);
/* The same from a register's low size bytes (movzx / movsx / movsxd / mov r32). */
void wb_x64_extend_rr(struct wb_x64_buf *b, bool sign, int size, bool w, int dst, int src);
/*
 * reg = imm: the shortest of xor reg,reg (0), mov r32,imm32 (fits in 32
 * bits unsigned), mov r64,simm32 (fits signed), movabs r64,imm64.
 */
void wb_x64_mov_ri(struct wb_x64_buf *b, int reg, uint64_t imm);
/* lea reg, [mem]. */
void wb_x64_lea(struct wb_x64_buf *b, bool w, int reg, struct wb_x64_mem m);

/* Shifts and rotates by an immediate (masked to 31/63 by the caller) or by cl. */
void wb_x64_shift_ri(struct wb_x64_buf *b, enum wb_x64_shift op, bool w, int reg, uint8_t imm);
void wb_x64_shift_rcl(struct wb_x64_buf *b, enum wb_x64_shift op, bool w, int reg);

/* dst = dst * src, dst = dst * [mem], dst = src * imm. */
void wb_x64_imul_rr(struct wb_x64_buf *b, bool w, int dst, int src);
void wb_x64_imul_rm(struct wb_x64_buf *b, bool w, int dst, struct wb_x64_mem m);
void wb_x64_imul_rri(struct wb_x64_buf *b, bool w, int dst, int src, int32_t imm);
/* cdq / cqo; div / idiv reg (rdx:rax by reg). */
void wb_x64_cdq(struct wb_x64_buf *b, bool w);
void wb_x64_div(struct wb_x64_buf *b, bool sign, bool w, int reg);
void wb_x64_neg(struct wb_x64_buf *b, bool w, int reg);
void wb_x64_not(struct wb_x64_buf *b, bool w, int reg);
/* btr / btc reg, imm8 (clear / complement one bit). */
void wb_x64_btr_ri(struct wb_x64_buf *b, bool w, int reg, uint8_t bit);
void wb_x64_btc_ri(struct wb_x64_buf *b, bool w, int reg, uint8_t bit);

/* setcc reg8 (any register: uses a REX prefix for sil/dil/r8b..); movzx reg32, reg8. */
void wb_x64_setcc(struct wb_x64_buf *b, enum wb_x64_cc cc, int reg);
void wb_x64_movzx8_rr(struct wb_x64_buf *b, int dst, int src);
/* cmovcc dst, src. */
void wb_x64_cmov(struct wb_x64_buf *b, enum wb_x64_cc cc, bool w, int dst, int src);

/*
 * Jumps and calls with a rel32 field. Each returns the buffer offset of the
 * field (patch it with wb_x64_patch_rel32 once the target is known); a target
 * already known may be given right away with wb_x64_patch_rel32 too.
 */
size_t wb_x64_jmp(struct wb_x64_buf *b);
size_t wb_x64_jcc(struct wb_x64_buf *b, enum wb_x64_cc cc);
size_t wb_x64_call(struct wb_x64_buf *b);
/* Make the rel32 field at offset `at` point to buffer offset `target`. */
void wb_x64_patch_rel32(struct wb_x64_buf *b, size_t at, size_t target);
/* call reg / jmp reg. */
void wb_x64_call_r(struct wb_x64_buf *b, int reg);
void wb_x64_jmp_r(struct wb_x64_buf *b, int reg);
/* lea reg, [rip + rel32]; returns the offset of the rel32 field (patch as above). */
size_t wb_x64_lea_rip(struct wb_x64_buf *b, int reg);
void wb_x64_push(struct wb_x64_buf *b, int reg);
void wb_x64_pop(struct wb_x64_buf *b, int reg);
void wb_x64_ret(struct wb_x64_buf *b);
void wb_x64_ud2(struct wb_x64_buf *b);

/*
 * Scalar SSE. dbl selects f64 (the F2 prefix: ...sd) or f32 (F3: ...ss).
 * wb_x64_sse_rm: xmm op= [mem]; wb_x64_sse_rr: xmm op= xmm2. op is the second
 * opcode byte after 0F: 0x58 add, 0x59 mul, 0x5C sub, 0x5E div, 0x51 sqrt,
 * 0x5A convert sd<->ss (cvtsd2ss with dbl, cvtss2sd without).
 */
enum wb_x64_sse { X_SSE_ADD = 0x58, X_SSE_MUL = 0x59, X_SSE_SUB = 0x5c, X_SSE_DIV = 0x5e,
	       X_SSE_SQRT = 0x51, X_SSE_CVT = 0x5a };
void wb_x64_sse_rm(struct wb_x64_buf *b, enum wb_x64_sse op, bool dbl, int xmm, struct wb_x64_mem m);
void wb_x64_sse_rr(struct wb_x64_buf *b, enum wb_x64_sse op, bool dbl, int xmm, int xmm2);
/* movsd/movss xmm, [mem] and [mem], xmm. */
void wb_x64_movs_load(struct wb_x64_buf *b, bool dbl, int xmm, struct wb_x64_mem m);
void wb_x64_movs_store(struct wb_x64_buf *b, bool dbl, struct wb_x64_mem m, int xmm);
/* ucomisd/ucomiss xmm, [mem] and xmm, xmm2. */
void wb_x64_ucomis_rm(struct wb_x64_buf *b, bool dbl, int xmm, struct wb_x64_mem m);
void wb_x64_ucomis_rr(struct wb_x64_buf *b, bool dbl, int xmm, int xmm2);
/* cvtsi2sd/cvtsi2ss xmm, reg (w: the integer is 64 bits). */
void wb_x64_cvtsi2f(struct wb_x64_buf *b, bool dbl, bool w, int xmm, int reg);
/* movd/movq between xmm and a general register (w: 64 bits). */
void wb_x64_movq_xr(struct wb_x64_buf *b, bool w, int xmm, int reg);
void wb_x64_movq_rx(struct wb_x64_buf *b, bool w, int reg, int xmm);

#endif /* WB_ENGINE_JIT_X64_EMIT_H */
