/* SPDX-License-Identifier: MIT */
/*
 * Engine-private: the state of the compiler from Wasm bodies to the slot
 * code of code.h, shared by its files: compile.c (the one pass over a body:
 * operand stack, blocks, branches, operators), compile_emit.c (emitting
 * instructions, the simulated operand stack, choosing handler replicas) and
 * compile_fuse.c (the peepholes that fuse instruction sequences).
 */
#ifndef WB_ENGINE_COMPILE_INTERNAL_H
#define WB_ENGINE_COMPILE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "code.h"
#include "runtime.h"

/* Kinds of compile-time operand. */
enum {
	K_SLOT,		/* the value is in its home slot (base + stack position) */
	K_LOCAL,	/* the value is local `slot`, not yet copied */
	K_CONST,	/* the value is the constant k, not yet materialised */
	K_ADDK,		/* the value is (u32)(local `slot` + k), not yet computed */
};

struct opnd {
	uint8_t kind;
	uint32_t slot;
	uint64_t k;
};

enum { C_BLOCK, C_LOOP, C_IF, C_FUNC };

/* Most constants a function keeps in frame slots (copied at every call). */
#define WB_POOL_MAX 24

struct ctl {
	uint8_t kind;
	bool unreachable;
	uint32_t height;		/* operand stack height below the params */
	uint32_t param_cnt;
	uint32_t result_cnt;
	int64_t patch;			/* chain of forward offset cells, -1 = none */
	int64_t else_patch;		/* if: offset cell of the jump to else */
	uint32_t loop_pc;		/* loop: first cell of the body */
};

/* A branch condition: a slot, or a compare (or and-immediate) that was fused away. */
struct cond {
	int idx;			/* -1 slot; 0..9 WB_ICMP_LIST; 10 eqz; 11 a & b (imm) */
	bool is64, imm;
	uint32_t a, b;
};

/* A (opcode, successor) pair of one function, how often it occurs, and its replica. */
struct wb_cc_pair {
	uint32_t key;			/* opcode << 16 | successor, plus 1; 0 = empty */
	uint32_t cnt;
	uint32_t r;
};

struct wb_cc {
	const struct wb_module *m;
	uint32_t func_idx;
	const void *const *h;
	struct wb_code **codes;		/* all defined functions' code objects */

	const uint8_t *p, *end;
	uint32_t ins_off;

	wb_cell *code;
	uint32_t len, cap;
	struct wb_code_pos *pos;
	uint32_t pos_cnt, pos_cap;
	/* First cell and opcode of every instruction, for choosing replicas. */
	struct wb_cc_ins {
		uint32_t at;
		uint16_t op;
		bool acc;	/* its first operand is the result just before it (code.h, _A) */
	} *ins;
	uint32_t ins_cnt, ins_cap;

	struct opnd *stk;
	uint32_t sp, stk_cap, max_sp;
	struct ctl *ctl;
	uint32_t csp, ctl_cap;
	uint32_t base;
	uint32_t dead;			/* blocks opened inside unreachable code */

	/* Last instruction, when its F0 destination may be retargeted. */
	bool last_ok;
	uint32_t last_at, last_end, last_dst;
	enum wb_iop last_op;
	/* The instruction before it, when both came from emit_dst back to back. */
	bool prev_ok;
	uint32_t prev_at, prev_dst;
	enum wb_iop prev_op;
	/* Highest cell a branch may land on so far: no fusion reaches back across it. */
	uint32_t label_at;
	/*
	 * The last instruction, when it left its result (slot acc_slot, which a
	 * local.set may have retargeted) in the accumulator (code.h, _A).
	 */
	bool acc_live;
	uint32_t acc_at, acc_end, acc_slot;
	/* Last compare, when it may be fused with a following branch. */
	bool cmp_ok;
	uint32_t cmp_at, cmp_end, cmp_dst;
	struct cond cmp;

	/*
	 * Constants read as operands. A first pass collects them; when there
	 * are any, a second pass gives each a frame slot after the locals,
	 * filled at entry, instead of materialising it at every use.
	 */
	bool pool_on;
	uint32_t pool_base, pool_cnt;
	uint64_t pool[WB_POOL_MAX];

	/* Pairs by first opcode (compile_fuse.c, wb_cc__pair_init). */
	uint8_t pair_at[WB_I__COUNT], pair_cnt[WB_I__COUNT];
	uint8_t pair_by_a[WB_PAIR_CNT];

	/* wb_cc__pick_replicas's tables, kept for the next function. */
	struct wb_cc_pair *pair_tab, *pair_list;
	uint32_t pair_tab_cap, pair_list_cap;

	int err;
};

enum ibin_idx {
#define WB_X(n) IB_##n,
	WB_IBIN_LIST(WB_X)
#undef WB_X
	IB__COUNT
};
#define IB_CMP0 IB_EQ

/* The compare with its operands swapped (order of WB_ICMP_LIST). */
static inline int wb_cc_cmp_swap(int idx)
{
	static const uint8_t swap[10] = { 0, 1, 4, 5, 2, 3, 8, 9, 6, 7 };

	return swap[idx];
}

static inline uint64_t pk(uint32_t f0, uint32_t f1, uint32_t f2, uint32_t f3)
{
	return (uint64_t)(f0 & 0xffff) | (uint64_t)(f1 & 0xffff) << 16 |
	       (uint64_t)(f2 & 0xffff) << 32 | (uint64_t)(f3 & 0xffff) << 48;
}

static inline uint64_t pkhi(uint32_t f0, uint32_t f1, uint32_t hi)
{
	return (uint64_t)(f0 & 0xffff) | (uint64_t)(f1 & 0xffff) << 16 | (uint64_t)hi << 32;
}

static inline uint32_t home(struct wb_cc *c, uint32_t i)
{
	return c->base + i;
}

/* compile_emit.c */
bool wb_cc__grow(void **arr, uint32_t *cap, uint32_t need, size_t elem);
void wb_cc__put_slow(struct wb_cc *c, uint64_t v);
uint32_t wb_cc__emit(struct wb_cc *c, enum wb_iop op);
void wb_cc__retract(struct wb_cc *c, uint32_t at);
void wb_cc__emit_dst(struct wb_cc *c, enum wb_iop op, uint64_t operands, uint32_t dst);
void wb_cc__emit_const(struct wb_cc *c, uint32_t dst, uint64_t k);
void wb_cc__emit_mov(struct wb_cc *c, uint32_t dst, uint32_t src);
void wb_cc__emit_move(struct wb_cc *c, uint32_t dst, const struct opnd *o);
void wb_cc__push(struct wb_cc *c, uint8_t kind, uint32_t slot, uint64_t k);
uint32_t wb_cc__push_slot(struct wb_cc *c);
void wb_cc__materialize(struct wb_cc *c, uint32_t i);
uint32_t wb_cc__pool_find(struct wb_cc *c, uint64_t k);
bool wb_cc__readable(struct wb_cc *c, const struct opnd *o);
uint32_t wb_cc__pop_slot(struct wb_cc *c);
struct opnd *wb_cc__top(struct wb_cc *c, uint32_t depth);
void wb_cc__spill_locals(struct wb_cc *c);
void wb_cc__emit_result_moves(struct wb_cc *c, uint32_t dst, uint32_t n);
void wb_cc__pick_replicas(struct wb_cc *c);

/* compile_fuse.c: pairs (code.h, WB_PAIR_LIST) */
void wb_cc__pair_init(struct wb_cc *c);
void wb_cc__pair_up(struct wb_cc *c);
bool wb_cc__sets_acc(uint32_t op);
bool wb_cc__acc_ok(const struct wb_cc *c, uint32_t sa);
void wb_cc__acc_mark(struct wb_cc *c);
void wb_cc__acc_up(struct wb_cc *c);
bool wb_cc__jump_cell(uint32_t op, uint32_t *cell);

/* Append one cell to the code (the slow path grows the buffer). */
static inline void wb_cc__put(struct wb_cc *c, uint64_t v)
{
	if (__builtin_expect(c->len < c->cap, 1))
		c->code[c->len++] = v;
	else
		wb_cc__put_slow(c, v);
}

/* compile_fuse.c */
bool wb_cc__incbr_emit(struct wb_cc *c, int idx, uint32_t a, uint32_t b, bool imm, uint32_t *off_at);
bool wb_cc__fuse_ibin(struct wb_cc *c, int idx, uint32_t sa, uint32_t sb, uint32_t dst);
void wb_cc__compile_mem(struct wb_cc *c, enum wb_iop iop, bool load, uint32_t off);

#endif /* WB_ENGINE_COMPILE_INTERNAL_H */
