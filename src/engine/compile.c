/* SPDX-License-Identifier: MIT */
/*
 * The compiler from validated Wasm function bodies to the internal
 * three-address instruction stream of code.h, in one pass that simulates the
 * operand stack: every operand gets a frame slot, local.get and constants
 * stay lazy references until a consumer needs them, branch targets are
 * resolved and the values they carry are moved by emitted copies.
 *
 * Peepholes, all on the instruction just emitted (never across a label):
 * local.set/tee retargets its producer's destination to the local; a
 * compare followed by br_if/if becomes one compare-and-branch; i32.eqz of a
 * compare becomes the inverse compare; an i32.add feeding a load or store
 * folds into its address. `local.get x; i32.const k; i32.add` stays lazy
 * too, so that it folds into a load or store address wherever it is used.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "dump.h"
#include "opcodes.h"
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

struct cc {
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
	struct ins {
		uint32_t at;
		uint32_t op;
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

	int err;
};

/* Order of WB_ICMP_LIST: EQ NE LT_S LT_U GT_S GT_U LE_S LE_U GE_S GE_U. */
static const uint8_t cmp_invert[10] = { 1, 0, 8, 9, 6, 7, 4, 5, 2, 3 };
static const uint8_t cmp_swap[10] = { 0, 1, 4, 5, 2, 3, 8, 9, 6, 7 };
static const uint16_t br_cmp_op[10] = {
#define WB_X(n) WB_I_BR_I32_##n,
	WB_ICMP_LIST(WB_X)
#undef WB_X
};

enum ibin_idx {
#define WB_X(n) IB_##n,
	WB_IBIN_LIST(WB_X)
#undef WB_X
	IB__COUNT
};
#define IB_CMP0 IB_EQ

/* The operations of WB_OPST_LIST, in order. */
static const uint16_t opst_src[] = {
#define WB_X(n) WB_I_I32_##n,
	WB_OPST_LIST(WB_X)
#undef WB_X
};

static const uint16_t ibin_op[IB__COUNT] = {
#define WB_X(n) WB_I_I32_##n,
	WB_IBIN_LIST(WB_X)
#undef WB_X
};

/* ---------------------------------------------------------------- reading */

static uint8_t rd_u8(struct cc *c)
{
	return c->p < c->end ? *c->p++ : 0;
}

static uint64_t rd_uleb(struct cc *c)
{
	uint64_t r = 0;
	unsigned int sh = 0;

	while (c->p < c->end) {
		uint8_t b = *c->p++;

		if (sh < 64)
			r |= (uint64_t)(b & 0x7f) << sh;
		sh += 7;
		if (!(b & 0x80))
			break;
	}
	return r;
}

static uint32_t rd_u32(struct cc *c)
{
	return (uint32_t)rd_uleb(c);
}

static int64_t rd_sleb(struct cc *c)
{
	uint64_t r = 0;
	unsigned int sh = 0;
	uint8_t b = 0;

	while (c->p < c->end) {
		b = *c->p++;
		if (sh < 64)
			r |= (uint64_t)(b & 0x7f) << sh;
		sh += 7;
		if (!(b & 0x80))
			break;
	}
	if (sh < 64 && (b & 0x40))
		r |= ~0ull << sh;
	return (int64_t)r;
}

static uint64_t rd_bytes(struct cc *c, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)rd_u8(c) << (8 * i);
	return v;
}

static void blocktype(struct cc *c, uint32_t *params, uint32_t *results)
{
	uint8_t b = c->p < c->end ? *c->p : WB_BLOCKTYPE_EMPTY;
	int64_t idx;

	*params = 0;
	*results = 0;
	if (b == WB_BLOCKTYPE_EMPTY) {
		c->p++;
		return;
	}
	if (b == WB_I32 || b == WB_I64 || b == WB_F32 || b == WB_F64 || b == WB_V128 ||
	    b == WB_FUNCREF || b == WB_EXTERNREF) {
		c->p++;
		*results = 1;
		return;
	}
	idx = rd_sleb(c);
	if (idx >= 0 && (uint64_t)idx < c->m->type_cnt) {
		*params = c->m->types[idx].param_cnt;
		*results = c->m->types[idx].result_cnt;
	}
}

/* Skip the immediates of an instruction inside unreachable code. */
static void skip_imm(struct cc *c, uint8_t op)
{
	uint32_t n, sub;

	switch (op) {
	case WB_OP_BR: case WB_OP_BR_IF: case WB_OP_CALL: case WB_OP_LOCAL_GET:
	case WB_OP_LOCAL_SET: case WB_OP_LOCAL_TEE: case WB_OP_GLOBAL_GET:
	case WB_OP_GLOBAL_SET: case WB_OP_TABLE_GET: case WB_OP_TABLE_SET:
	case WB_OP_REF_FUNC: case WB_OP_I32_CONST: case WB_OP_I64_CONST:
		rd_uleb(c);
		break;
	case WB_OP_BR_TABLE:
		n = rd_u32(c);
		while (n-- && c->p < c->end)
			rd_uleb(c);
		rd_uleb(c);
		break;
	case WB_OP_CALL_INDIRECT:
		rd_uleb(c);
		rd_uleb(c);
		break;
	case WB_OP_SELECT_T:
		n = rd_u32(c);
		while (n-- && c->p < c->end)
			rd_u8(c);
		break;
	case WB_OP_MEMORY_SIZE: case WB_OP_MEMORY_GROW: case WB_OP_REF_NULL:
		rd_u8(c);
		break;
	case WB_OP_F32_CONST:
		rd_bytes(c, 4);
		break;
	case WB_OP_F64_CONST:
		rd_bytes(c, 8);
		break;
	case WB_OP_PREFIX_FC:
		sub = rd_u32(c);
		switch (sub) {
		case WB_FC_MEMORY_INIT:
			rd_uleb(c);
			rd_u8(c);
			break;
		case WB_FC_MEMORY_COPY:
			rd_u8(c);
			rd_u8(c);
			break;
		case WB_FC_MEMORY_FILL:
			rd_u8(c);
			break;
		case WB_FC_TABLE_INIT: case WB_FC_TABLE_COPY:
			rd_uleb(c);
			rd_uleb(c);
			break;
		case WB_FC_DATA_DROP: case WB_FC_ELEM_DROP: case WB_FC_TABLE_GROW:
		case WB_FC_TABLE_SIZE: case WB_FC_TABLE_FILL:
			rd_uleb(c);
			break;
		default:
			break;
		}
		break;
	default:
		if (op >= WB_OP_I32_LOAD && op <= WB_OP_I64_STORE32) {
			rd_uleb(c);
			rd_uleb(c);
		}
		break;
	}
}

/* ---------------------------------------------------------------- emitting */

static bool grow(void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
	uint32_t ncap;
	void *n;

	if (need <= *cap)
		return true;
	ncap = *cap ? *cap : 64;
	while (ncap < need) {
		if (ncap > UINT32_MAX / 2)
			return false;
		ncap *= 2;
	}
	n = realloc(*arr, (size_t)ncap * elem);
	if (!n)
		return false;
	*arr = n;
	*cap = ncap;
	return true;
}

static void put(struct cc *c, uint64_t v)
{
	if (c->len >= c->cap && !grow((void **)&c->code, &c->cap, c->len + 1, sizeof(wb_cell))) {
		c->err = -ENOMEM;
		return;
	}
	c->code[c->len++] = v;
}

static uint32_t emit(struct cc *c, enum wb_iop op)
{
	uint32_t at = c->len;

	c->prev_ok = c->last_ok && c->last_end == at;
	c->prev_at = c->last_at;
	c->prev_dst = c->last_dst;
	c->prev_op = c->last_op;
	c->last_ok = false;
	c->cmp_ok = false;
	if (!c->pos_cnt || c->pos[c->pos_cnt - 1].offset != c->ins_off) {
		if (grow((void **)&c->pos, &c->pos_cap, c->pos_cnt + 1, sizeof(*c->pos))) {
			c->pos[c->pos_cnt].cell = at;
			c->pos[c->pos_cnt].offset = c->ins_off;
			c->pos_cnt++;
		} else {
			c->err = -ENOMEM;
		}
	}
	if (grow((void **)&c->ins, &c->ins_cap, c->ins_cnt + 1, sizeof(*c->ins))) {
		c->ins[c->ins_cnt].at = at;
		c->ins[c->ins_cnt].op = op;
		c->ins_cnt++;
	} else {
		c->err = -ENOMEM;
	}
	put(c, (uint64_t)(uintptr_t)c->h[op]);
	return at;
}

static void retract(struct cc *c, uint32_t at)
{
	c->len = at;
	while (c->pos_cnt && c->pos[c->pos_cnt - 1].cell >= at)
		c->pos_cnt--;
	while (c->ins_cnt && c->ins[c->ins_cnt - 1].at >= at)
		c->ins_cnt--;
	c->last_ok = false;
	c->cmp_ok = false;
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

/* Emit an instruction whose F0 is a fresh destination that local.set may retarget. */
static void emit_dst(struct cc *c, enum wb_iop op, uint64_t operands, uint32_t dst)
{
	uint32_t at = emit(c, op);

	put(c, operands);
	c->last_ok = true;
	c->last_at = at;
	c->last_end = c->len;
	c->last_dst = dst;
	c->last_op = op;
}

static void emit_const(struct cc *c, uint32_t dst, uint64_t k)
{
	if (k >> 32 == 0) {
		emit_dst(c, WB_I_CONST32, pkhi(dst, 0, (uint32_t)k), dst);
	} else {
		emit(c, WB_I_CONST64);
		put(c, pk(dst, 0, 0, 0));
		put(c, k);
	}
}

static void emit_mov(struct cc *c, uint32_t dst, uint32_t src)
{
	if (dst == src)
		return;
	if (c->last_ok && c->last_op == WB_I_MOV && c->len == c->last_end && c->ins_cnt &&
	    c->ins[c->ins_cnt - 1].at == c->last_at) {
		/* Two moves in a row: one MOV2. */
		uint64_t in = c->code[c->last_at + 1];

		c->code[c->last_at] = (uint64_t)(uintptr_t)c->h[WB_I_MOV2];
		c->code[c->last_at + 1] = pk(WB_F0(in), WB_F1(in), dst, src);
		c->ins[c->ins_cnt - 1].op = WB_I_MOV2;
		c->last_ok = false;
		c->cmp_ok = false;
		return;
	}
	emit_dst(c, WB_I_MOV, pk(dst, src, 0, 0), dst);
}

/* Copy operand o to slot dst. */
static void emit_move(struct cc *c, uint32_t dst, const struct opnd *o)
{
	if (o->kind == K_CONST)
		emit_const(c, dst, o->k);
	else if (o->kind == K_ADDK)
		emit_dst(c, WB_I_I32_ADD_I, pkhi(dst, o->slot, (uint32_t)o->k), dst);
	else
		emit_mov(c, dst, o->slot);
}

/* ---------------------------------------------------------------- the stack */

static inline uint32_t home(struct cc *c, uint32_t i)
{
	return c->base + i;
}

static void push(struct cc *c, uint8_t kind, uint32_t slot, uint64_t k)
{
	struct opnd *o;

	if (!grow((void **)&c->stk, &c->stk_cap, c->sp + 1, sizeof(*c->stk))) {
		c->err = -ENOMEM;
		return;
	}
	o = &c->stk[c->sp++];
	o->kind = kind;
	o->slot = slot;
	o->k = k;
	if (c->sp > c->max_sp)
		c->max_sp = c->sp;
}

static uint32_t push_slot(struct cc *c)
{
	uint32_t h = home(c, c->sp);

	push(c, K_SLOT, h, 0);
	return h;
}

/* Put stack entry i into its home slot. */
static void materialize(struct cc *c, uint32_t i)
{
	struct opnd *o = &c->stk[i];
	uint32_t h = home(c, i);

	if (o->kind == K_SLOT)
		return;
	emit_move(c, h, o);
	o->kind = K_SLOT;
	o->slot = h;
	o->k = 0;
}

/* Index of constant k in the pool, pool_cnt if it is not there. */
static uint32_t pool_find(struct cc *c, uint64_t k)
{
	uint32_t j;

	for (j = 0; j < c->pool_cnt && c->pool[j] != k; j++)
		;
	return j;
}

/* Can pop_slot read operand o without emitting anything? */
static bool readable(struct cc *c, const struct opnd *o)
{
	if (o->kind == K_CONST)
		return c->pool_on && pool_find(c, o->k) < c->pool_cnt;
	return o->kind != K_ADDK;
}

/* Pop the top operand as a readable slot (constants are materialised or pooled). */
static uint32_t pop_slot(struct cc *c)
{
	uint32_t i;

	if (!c->sp) {
		c->err = c->err ? c->err : -EINVAL;
		return 0;
	}
	i = c->sp - 1;
	if (c->stk[i].kind == K_CONST) {
		uint32_t j = pool_find(c, c->stk[i].k);

		if (c->pool_on && j < c->pool_cnt) {
			c->sp--;
			return c->pool_base + j;
		}
		if (!c->pool_on && j == c->pool_cnt && j < WB_POOL_MAX)
			c->pool[c->pool_cnt++] = c->stk[i].k;
	}
	if (c->stk[i].kind == K_CONST || c->stk[i].kind == K_ADDK)
		materialize(c, i);
	c->sp--;
	return c->stk[i].slot;
}

static struct opnd *top(struct cc *c, uint32_t depth)
{
	static struct opnd dummy;

	if (depth >= c->sp) {
		c->err = c->err ? c->err : -EINVAL;
		dummy.kind = K_SLOT;
		dummy.slot = 0;
		return &dummy;
	}
	return &c->stk[c->sp - 1 - depth];
}

/* Before a block: lazy locals must not outlive a local.set inside it. */
static void spill_locals(struct cc *c)
{
	uint32_t i;

	for (i = 0; i < c->sp; i++) {
		if (c->stk[i].kind == K_LOCAL || c->stk[i].kind == K_ADDK)
			materialize(c, i);
	}
}

/*
 * Copy the top n operands to slots dst .. dst + n - 1 without changing the
 * compile-time stack (the copies may run on one path only). Sources in home
 * slots are always above their destination, so ascending order is safe; a
 * local source inside the destination range (return) goes through its home
 * slot first.
 */
static void emit_result_moves(struct cc *c, uint32_t dst, uint32_t n)
{
	bool conflict = false;
	uint32_t j;

	if (n > c->sp) {
		c->err = c->err ? c->err : -EINVAL;
		return;
	}
	for (j = 0; j < n; j++) {
		const struct opnd *o = &c->stk[c->sp - n + j];

		if ((o->kind == K_LOCAL || o->kind == K_ADDK) && o->slot >= dst && o->slot < dst + j)
			conflict = true;
	}
	if (conflict) {
		for (j = 0; j < n; j++) {
			const struct opnd *o = &c->stk[c->sp - n + j];

			if (o->kind != K_SLOT)
				emit_move(c, home(c, c->sp - n + j), o);
		}
		for (j = 0; j < n; j++)
			emit_mov(c, dst + j, home(c, c->sp - n + j));
		return;
	}
	for (j = 0; j < n; j++)
		emit_move(c, dst + j, &c->stk[c->sp - n + j]);
}

/* ---------------------------------------------------------------- branches */

static void patch_chain(struct cc *c, int64_t head, uint32_t target)
{
	int64_t i = head, next;

	if (head >= 0 && target > c->label_at)
		c->label_at = target;
	while (i >= 0 && (uint64_t)i < c->len) {
		next = (int64_t)c->code[i];
		c->code[i] = (uint64_t)((int64_t)target - i);
		i = next;
	}
}

/* Put the offset cell of a branch to t. */
static void put_target(struct cc *c, struct ctl *t)
{
	uint32_t at = c->len;

	if (t->kind == C_LOOP) {
		put(c, (uint64_t)((int64_t)t->loop_pc - (int64_t)at));
	} else {
		put(c, (uint64_t)t->patch);
		t->patch = at;
	}
}

static uint32_t label_arity(const struct ctl *t)
{
	return t->kind == C_LOOP ? t->param_cnt : t->result_cnt;
}

/* Are the values a branch to t carries already where t wants them? */
static bool in_place(struct cc *c, const struct ctl *t)
{
	uint32_t n = label_arity(t), j;

	if (t->kind == C_FUNC)
		return false;
	if (c->sp < n || c->sp - n != t->height)
		return n == 0;
	for (j = 0; j < n; j++) {
		if (c->stk[t->height + j].kind != K_SLOT)
			return false;
	}
	return true;
}

static void emit_return(struct cc *c)
{
	const struct opnd *o;

	if (c->ctl[0].result_cnt == 1 && c->sp) {
		o = &c->stk[c->sp - 1];
		if ((o->kind == K_SLOT || o->kind == K_LOCAL) && o->slot != 0) {
			emit(c, WB_I_RETURN1);
			put(c, pk(o->slot, 0, 0, 0));
			return;
		}
	}
	emit_result_moves(c, 0, c->ctl[0].result_cnt);
	emit(c, WB_I_RETURN);
}

/* Unconditional branch to t (moves, then the jump). */
static void emit_branch(struct cc *c, struct ctl *t)
{
	if (t->kind == C_FUNC) {
		emit_return(c);
		return;
	}
	if (!in_place(c, t))
		emit_result_moves(c, home(c, t->height), label_arity(t));
	emit(c, WB_I_BR);
	put_target(c, t);
}

/* Pop a branch condition, fusing it with the compare that produced it. */
static void cond_pop(struct cc *c, struct cond *cd)
{
	struct opnd *o = top(c, 0);

	if (c->cmp_ok && o->kind == K_SLOT && o->slot == c->cmp_dst && c->len == c->cmp_end) {
		*cd = c->cmp;
		retract(c, c->cmp_at);
		c->sp--;
		return;
	}
	if (c->last_ok && c->last_op == WB_I_I32_AND_I && o->kind == K_SLOT &&
	    o->slot == c->last_dst && c->len == c->last_end) {
		/* br_if/if on x & k: test the bits in the branch. */
		uint64_t in = c->code[c->last_at + 1];

		cd->idx = 11;
		cd->is64 = false;
		cd->imm = true;
		cd->a = WB_F1(in);
		cd->b = WB_HI(in);
		retract(c, c->last_at);
		c->sp--;
		return;
	}
	cd->idx = -1;
	cd->is64 = false;
	cd->imm = false;
	cd->a = pop_slot(c);
	cd->b = 0;
}

/*
 * Is the last instruction emitted an i32 add (want_slot: I32_ADD; else
 * I32_ADD_I or I32_SUB_I) whose destination is x, with no label after its
 * start? Then *at is its first cell, and *ops its operands with a
 * subtraction's immediate negated.
 */
static bool last_add_to(struct cc *c, uint32_t x, bool want_slot, uint32_t *at, uint64_t *ops)
{
	const struct ins *in;

	if (!c->ins_cnt)
		return false;
	in = &c->ins[c->ins_cnt - 1];
	if (in->at + 2 != c->len || in->at < c->label_at)
		return false;
	if (want_slot ? in->op != WB_I_I32_ADD :
	    in->op != WB_I_I32_ADD_I && in->op != WB_I_I32_SUB_I)
		return false;
	*ops = c->code[in->at + 1];
	if (WB_F0(*ops) != x)
		return false;
	if (in->op == WB_I_I32_SUB_I)
		*ops = pkhi(WB_F0(*ops), WB_F1(*ops), (uint32_t)-WB_HI(*ops));
	*at = in->at;
	return true;
}

/*
 * A branch on an i32 compare whose first operand the add-immediate just
 * before wrote (a loop counter): one INCBR instruction. idx is the compare
 * to branch on (already inverted when the branch skips); b its right side.
 */
static bool incbr_emit(struct cc *c, int idx, uint32_t a, uint32_t b, bool imm, uint32_t *off_at)
{
	uint32_t at;
	uint64_t ops;
	bool slot = false;

	if (!imm && b == a) {
		/* a cmp a: nothing to gain; keep the plain forms. */
		return false;
	}

	if (last_add_to(c, a, false, &at, &ops)) {
		/* counter = counter + k */
	} else if (last_add_to(c, a, true, &at, &ops)) {
		slot = true;
	} else if (!imm && (last_add_to(c, b, false, &at, &ops) ||
			    (slot = last_add_to(c, b, true, &at, &ops)))) {
		/* The counter is on the right: swap the compare. */
		idx = cmp_swap[idx];
		b = a;
	} else {
		return false;
	}
	retract(c, at);
	emit(c, (slot ? WB_I_INCBRS_I32_EQ : WB_I_INCBR_I32_EQ) + 2 * idx + (imm ? 1 : 0));
	put(c, ops);
	put(c, b);
	*off_at = c->len;
	put(c, (uint64_t)-1);
	return true;
}

/* Emit a branch taken when the condition equals `when`; returns its offset cell. */
static uint32_t cond_emit(struct cc *c, const struct cond *cd, bool when)
{
	enum wb_iop op;
	uint32_t at;
	int idx;

	/* Branch on a counter just incremented: slot (!= 0), eqz (== 0), compare. */
	if (cd->idx < 0 || (cd->idx == 10 && !cd->is64)) {
		idx = (cd->idx < 0) == when ? 1 : 0;	/* NE : EQ */
		if (incbr_emit(c, idx, cd->a, 0, true, &at))
			return at;
	} else if (cd->idx < 10 && !cd->is64) {
		idx = when ? cd->idx : cmp_invert[cd->idx];
		if (incbr_emit(c, idx, cd->a, cd->b, cd->imm, &at))
			return at;
	}
	if (cd->idx < 0) {
		emit(c, when ? WB_I_BR_IF : WB_I_BR_IFZ);
		put(c, pk(cd->a, 0, 0, 0));
	} else if (cd->idx == 11) {
		emit(c, when ? WB_I_BR_AND_NZ : WB_I_BR_AND_Z);
		put(c, pkhi(cd->a, 0, cd->b));
	} else if (cd->idx == 10) {
		if (cd->is64)
			op = when ? WB_I_BR_I64_EQZ : WB_I_BR_I64_NEZ;
		else
			op = when ? WB_I_BR_IFZ : WB_I_BR_IF;
		emit(c, op);
		put(c, pk(cd->a, 0, 0, 0));
	} else {
		idx = when ? cd->idx : cmp_invert[cd->idx];
		op = br_cmp_op[idx] + (cd->imm ? 1 : 0) + (cd->is64 ? 2 : 0);
		emit(c, op);
		put(c, cd->imm ? pkhi(cd->a, 0, cd->b) : pk(cd->a, cd->b, 0, 0));
	}
	at = c->len;
	put(c, (uint64_t)-1);
	return at;
}

static void link_target(struct cc *c, uint32_t at, struct ctl *t)
{
	if (at >= c->len)
		return;
	if (t->kind == C_LOOP) {
		c->code[at] = (uint64_t)((int64_t)t->loop_pc - (int64_t)at);
	} else {
		c->code[at] = (uint64_t)t->patch;
		t->patch = at;
	}
}

static struct ctl *label(struct cc *c, uint32_t depth)
{
	if (depth >= c->csp) {
		c->err = c->err ? c->err : -EINVAL;
		return &c->ctl[0];
	}
	return &c->ctl[c->csp - 1 - depth];
}

static void set_unreachable(struct cc *c)
{
	struct ctl *f = &c->ctl[c->csp - 1];

	f->unreachable = true;
	c->sp = f->height;
}

static void compile_br_if(struct cc *c, uint32_t depth)
{
	struct ctl *t = label(c, depth);
	struct cond cd;
	uint32_t at, skip, n, j;

	cond_pop(c, &cd);
	/* Compute lazy sums in place, so that the branch needs no moves. */
	for (n = label_arity(t), j = 0; t->kind != C_FUNC && j < n && j < c->sp; j++) {
		if (c->stk[c->sp - 1 - j].kind == K_ADDK)
			materialize(c, c->sp - 1 - j);
	}
	if (in_place(c, t)) {
		at = cond_emit(c, &cd, true);
		link_target(c, at, t);
		return;
	}
	skip = cond_emit(c, &cd, false);
	emit_branch(c, t);
	if (skip < c->len)
		c->code[skip] = (uint64_t)((int64_t)c->len - skip);
	c->label_at = c->len;
}

static void compile_br_table(struct cc *c)
{
	uint32_t n = rd_u32(c), i, idx, at, first;
	const uint8_t *labels = c->p;
	int64_t *stubs = NULL;
	struct ctl *t;

	for (i = 0; i < n && c->p < c->end; i++)
		rd_uleb(c);
	rd_uleb(c);
	idx = pop_slot(c);
	emit(c, WB_I_BR_TABLE);
	put(c, pkhi(idx, 0, n));
	first = c->len;
	for (i = 0; i <= n; i++)
		put(c, (uint64_t)-1);
	if (c->err)
		return;
	stubs = malloc((size_t)c->csp * sizeof(*stubs));
	if (!stubs) {
		c->err = -ENOMEM;
		return;
	}
	for (i = 0; i < c->csp; i++)
		stubs[i] = -1;
	c->p = labels;
	for (i = 0; i <= n; i++) {
		uint32_t d = rd_u32(c);

		at = first + i;
		t = label(c, d);
		if (c->err)
			break;
		if (in_place(c, t)) {
			link_target(c, at, t);
			continue;
		}
		/* A stub per distinct label: moves, then the jump. */
		if (stubs[d] < 0) {
			stubs[d] = c->len;
			c->label_at = c->len;
			emit_branch(c, t);
		}
		if (at < c->len)
			c->code[at] = (uint64_t)(stubs[d] - (int64_t)at);
	}
	free(stubs);
}

/* ---------------------------------------------------------------- blocks */

static struct ctl *push_ctl(struct cc *c, uint8_t kind, uint32_t params, uint32_t results)
{
	struct ctl *f;

	if (!grow((void **)&c->ctl, &c->ctl_cap, c->csp + 1, sizeof(*c->ctl))) {
		c->err = -ENOMEM;
		return NULL;
	}
	f = &c->ctl[c->csp++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->param_cnt = params;
	f->result_cnt = results;
	f->height = c->sp >= params ? c->sp - params : 0;
	f->patch = -1;
	f->else_patch = -1;
	return f;
}

static void enter_block(struct cc *c, uint8_t kind)
{
	uint32_t params, results, i;
	struct cond cd = { .idx = -1 };
	struct ctl *f;

	blocktype(c, &params, &results);
	if (kind == C_IF)
		cond_pop(c, &cd);
	spill_locals(c);
	for (i = 0; i < params && i < c->sp; i++)
		materialize(c, c->sp - 1 - i);
	f = push_ctl(c, kind, params, results);
	if (!f)
		return;
	if (kind == C_LOOP) {
		/* No check here: every taken backward branch polls (interp.c). */
		f->loop_pc = c->len;
		c->label_at = c->len;
		c->last_ok = false;
		c->cmp_ok = false;
	} else if (kind == C_IF) {
		f->else_patch = cond_emit(c, &cd, false);
		c->code[f->else_patch] = (uint64_t)-1;
	}
}

/* Bring the results of the current block into their home slots. */
static void settle_results(struct cc *c, struct ctl *f)
{
	uint32_t j;

	for (j = 0; j < f->result_cnt && f->height + j < c->sp; j++)
		materialize(c, f->height + j);
}

static void reset_to(struct cc *c, struct ctl *f, uint32_t n)
{
	uint32_t j;

	c->sp = f->height;
	for (j = 0; j < n; j++)
		push_slot(c);
}

static void compile_else(struct cc *c)
{
	struct ctl *f = &c->ctl[c->csp - 1];

	if (!f->unreachable) {
		settle_results(c, f);
		emit(c, WB_I_BR);
		put_target(c, f);
	}
	if (f->else_patch >= 0) {
		patch_chain(c, f->else_patch, c->len);
		f->else_patch = -1;
	}
	c->last_ok = false;
	c->cmp_ok = false;
	reset_to(c, f, f->param_cnt);
	f->unreachable = false;
}

/* Returns true when the function's final end was compiled. */
static bool compile_end(struct cc *c)
{
	struct ctl *f = &c->ctl[c->csp - 1];

	if (f->kind == C_FUNC) {
		if (!f->unreachable)
			emit_return(c);
		c->csp--;
		return true;
	}
	if (!f->unreachable)
		settle_results(c, f);
	if (f->patch >= 0 || f->else_patch >= 0) {
		patch_chain(c, f->patch, c->len);
		patch_chain(c, f->else_patch, c->len);
		c->last_ok = false;
		c->cmp_ok = false;
	}
	reset_to(c, f, f->result_cnt);
	c->csp--;
	return false;
}

/* ---------------------------------------------------------------- operators */

static bool ibin_of(uint8_t op, int *idx, bool *is64)
{
	switch (op) {
#define WB_X(n)								\
	case WB_OP_I32_##n: *idx = IB_##n; *is64 = false; return true; \
	case WB_OP_I64_##n: *idx = IB_##n; *is64 = true; return true;
	WB_IBIN_LIST(WB_X)
#undef WB_X
	default:
		return false;
	}
}

static bool fits_imm(bool is64, uint64_t k)
{
	return !is64 || (int64_t)k == (int64_t)(int32_t)k;
}

/* Emit compare cd into dst, remembered for fusion with a following branch. */
static void emit_cmp(struct cc *c, const struct cond *cd, uint32_t dst)
{
	uint32_t at = c->len;

	if (cd->idx == 10) {
		emit_dst(c, cd->is64 ? WB_I_I64_EQZ : WB_I_I32_EQZ, pk(dst, cd->a, 0, 0), dst);
	} else {
		enum wb_iop op = ibin_op[IB_CMP0 + cd->idx] + (cd->imm ? 1 : 0) + (cd->is64 ? 2 : 0);

		emit_dst(c, op, cd->imm ? pkhi(dst, cd->a, cd->b) : pk(dst, cd->a, cd->b, 0), dst);
	}
	c->cmp_ok = true;
	c->cmp_at = at;
	c->cmp_end = c->len;
	c->cmp_dst = dst;
	c->cmp = *cd;
}

/*
 * An i32 operation on the result of the instruction just emitted (and, for
 * a funnel shift, of the one before), fused into one instruction. The inner
 * instructions wrote only their home slots, and the fused one reads all its
 * sources before it writes, so retracting them is safe.
 */
static bool fuse_ibin(struct cc *c, int idx, uint32_t sa, uint32_t sb, uint32_t dst)
{
	uint64_t in, pin;
	uint32_t x;
	enum wb_iop op;

	if (!c->last_ok || c->len != c->last_end || c->last_dst < c->base)
		return false;
	if (sb == c->last_dst)
		x = sa;
	else if (sa == c->last_dst)
		x = sb;
	else
		return false;
	in = c->code[c->last_at + 1];
	if (idx == IB_OR && c->prev_ok && c->prev_dst >= c->base &&
	    (x == c->prev_dst) && c->prev_at < c->last_at &&
	    ((c->last_op == WB_I_I32_SHR_U_I && c->prev_op == WB_I_I32_SHL_I) ||
	     (c->last_op == WB_I_I32_SHL_I && c->prev_op == WB_I_I32_SHR_U_I))) {
		/* (a << k1) | (b >> k2), in either order. */
		uint64_t shl, shr;

		pin = c->code[c->prev_at + 1];
		shl = c->last_op == WB_I_I32_SHL_I ? in : pin;
		shr = c->last_op == WB_I_I32_SHL_I ? pin : in;
		retract(c, c->prev_at);
		emit_dst(c, WB_I_I32_FSH, pk(dst, WB_F1(shl), WB_F1(shr),
					     (WB_HI(shl) & 31) | (WB_HI(shr) & 31) << 8), dst);
		return true;
	}
	if (idx == IB_ADD && c->last_op == WB_I_I32_MUL)
		op = WB_I_I32_MADD;
	else if (idx == IB_ADD && c->last_op == WB_I_I32_ADD)
		op = WB_I_I32_ADD3;
	else if (idx == IB_XOR && c->last_op == WB_I_I32_ROTL_I)
		op = WB_I_I32_XOR_ROTL;
	else
		return false;
	retract(c, c->last_at);
	if (op == WB_I_I32_XOR_ROTL)
		emit_dst(c, op, pk(dst, x, WB_F1(in), WB_HI(in) & 31), dst);
	else
		emit_dst(c, op, pk(dst, WB_F1(in), WB_F2(in), x), dst);
	return true;
}

static void compile_ibin(struct cc *c, int idx, bool is64)
{
	struct opnd *b = top(c, 0), *a = top(c, 1);
	bool commut = idx == IB_ADD || idx == IB_MUL || idx == IB_AND || idx == IB_OR ||
		      idx == IB_XOR || idx >= IB_CMP0;
	bool use_imm = false;
	uint32_t sa, sb = 0, dst;
	uint64_t imm = 0;

	if (!is64 && idx == IB_ADD && b->kind == K_CONST && a->kind == K_LOCAL) {
		/* local + k: lazy, for a load or store address to absorb. */
		uint32_t x = a->slot;

		imm = b->k;
		c->sp -= 2;
		push(c, K_ADDK, x, (uint32_t)imm);
		return;
	}
	if (b->kind == K_ADDK)
		materialize(c, c->sp - 1);
	if (b->kind == K_CONST && fits_imm(is64, b->k)) {
		use_imm = true;
		imm = b->k;
		c->sp--;
		sa = pop_slot(c);
	} else if (a->kind == K_CONST && b->kind != K_CONST && commut && fits_imm(is64, a->k)) {
		/* Constant on the left of a commutative op or a compare: swap. */
		use_imm = true;
		imm = a->k;
		sa = b->slot;
		c->sp -= 2;
		if (idx >= IB_CMP0)
			idx = IB_CMP0 + cmp_swap[idx - IB_CMP0];
	} else {
		sb = pop_slot(c);
		sa = pop_slot(c);
	}
	dst = push_slot(c);
	if (idx >= IB_CMP0) {
		struct cond cd = {
			.idx = idx - IB_CMP0, .is64 = is64, .imm = use_imm,
			.a = sa, .b = use_imm ? (uint32_t)imm : sb,
		};

		emit_cmp(c, &cd, dst);
	} else if (use_imm) {
		emit_dst(c, ibin_op[idx] + 1 + (is64 ? 2 : 0), pkhi(dst, sa, (uint32_t)imm), dst);
	} else if (is64 || !fuse_ibin(c, idx, sa, sb, dst)) {
		emit_dst(c, ibin_op[idx] + (is64 ? 2 : 0), pk(dst, sa, sb, 0), dst);
	}
}

static void compile_unop(struct cc *c, enum wb_iop op)
{
	struct opnd *o = top(c, 0);
	struct cond cd;
	uint32_t a, dst;

	if (op == WB_I_I32_EQZ && c->cmp_ok && o->kind == K_SLOT && o->slot == c->cmp_dst &&
	    c->len == c->cmp_end) {
		/* eqz of a compare: the inverse compare. */
		cd = c->cmp;
		retract(c, c->cmp_at);
		if (cd.idx == 10) {
			cd.idx = 1;		/* NE with immediate 0 */
			cd.imm = true;
			cd.b = 0;
		} else {
			cd.idx = cmp_invert[cd.idx];
		}
		emit_cmp(c, &cd, o->slot);
		return;
	}
	a = pop_slot(c);
	dst = push_slot(c);
	if (op == WB_I_I32_EQZ || op == WB_I_I64_EQZ) {
		cd.idx = 10;
		cd.is64 = op == WB_I_I64_EQZ;
		cd.imm = false;
		cd.a = a;
		cd.b = 0;
		emit_cmp(c, &cd, dst);
		return;
	}
	emit_dst(c, op, pk(dst, a, 0, 0), dst);
}

static void compile_binop(struct cc *c, enum wb_iop op)
{
	uint32_t b = pop_slot(c), a = pop_slot(c), dst = push_slot(c);

	if (op == WB_I_F64_ADD && c->last_ok && c->last_op == WB_I_F64_MUL &&
	    c->len == c->last_end && c->last_dst >= c->base && (a == c->last_dst) != (b == c->last_dst)) {
		/* f64 multiply, then add: one instruction (rounding twice, code.h). */
		uint64_t in = c->code[c->last_at + 1];
		uint32_t x = a == c->last_dst ? b : a;

		retract(c, c->last_at);
		emit_dst(c, WB_I_F64_MADD, pk(dst, WB_F1(in), WB_F2(in), x), dst);
		return;
	}
	emit_dst(c, op, pk(dst, a, b, 0), dst);
}

static void compile_local_set(struct cc *c, uint32_t x, bool tee)
{
	struct opnd *v = top(c, 0);
	bool refs = false;
	uint32_t i;

	if (v->kind == K_LOCAL && v->slot == x) {
		if (!tee)
			c->sp--;
		return;
	}
	for (i = 0; i + 1 < c->sp; i++) {
		if ((c->stk[i].kind == K_LOCAL || c->stk[i].kind == K_ADDK) && c->stk[i].slot == x)
			refs = true;
	}
	if (!refs && v->kind == K_SLOT && c->last_ok && v->slot == c->last_dst &&
	    c->len == c->last_end && c->last_at + 1 < c->len) {
		/* Make the producer write the local directly. */
		c->code[c->last_at + 1] = (c->code[c->last_at + 1] & ~0xffffull) | (x & 0xffff);
		c->last_ok = false;
		c->cmp_ok = false;
	} else {
		for (i = 0; i + 1 < c->sp; i++) {
			if ((c->stk[i].kind == K_LOCAL || c->stk[i].kind == K_ADDK) &&
			    c->stk[i].slot == x)
				materialize(c, i);
		}
		emit_move(c, x, v);
	}
	c->sp--;
	if (tee)
		push(c, K_LOCAL, x, 0);
}

static void compile_call(struct cc *c, uint32_t fidx, bool indirect, uint32_t table,
			 uint32_t typeidx)
{
	const struct wb_module *m = c->m;
	const struct wb_functype *ft;
	uint32_t n, r, i, base, idx = 0;

	if (indirect) {
		if (typeidx >= m->type_cnt) {
			c->err = -EINVAL;
			return;
		}
		ft = &m->types[typeidx];
		idx = pop_slot(c);
	} else {
		if (fidx >= m->func_cnt) {
			c->err = -EINVAL;
			return;
		}
		ft = &m->types[m->func_types[fidx]];
	}
	n = ft->param_cnt;
	r = ft->result_cnt;
	if (n > c->sp) {
		c->err = -EINVAL;
		return;
	}
	for (i = c->sp - n; i < c->sp; i++)
		materialize(c, i);
	base = home(c, c->sp - n);
	if (indirect) {
		emit(c, WB_I_CALL_INDIRECT);
		put(c, pkhi(base, idx, table));
		put(c, typeidx);
	} else if (fidx < m->func_import_cnt) {
		emit(c, WB_I_CALL_IMPORT);
		put(c, pkhi(base, 0, fidx));
	} else {
		emit(c, WB_I_CALL);
		put(c, pk(base, 0, 0, 0));
		put(c, (uint64_t)(uintptr_t)c->codes[fidx - m->func_import_cnt]);
	}
	c->sp -= n;
	for (i = 0; i < r; i++)
		push_slot(c);
}

static enum wb_iop pun_of(uint8_t op)
{
	switch (op) {
#define WB_X(n) case WB_OP_##n: return WB_I_##n;
	WB_PUN_LIST(WB_X)
#undef WB_X
	default:
		return WB_I__COUNT;
	}
}

static enum wb_iop pbin_of(uint8_t op)
{
	switch (op) {
#define WB_X(n) case WB_OP_##n: return WB_I_##n;
	WB_PBIN_LIST(WB_X)
#undef WB_X
	default:
		return WB_I__COUNT;
	}
}

static enum wb_iop load_of(uint8_t op)
{
	switch (op) {
#define WB_X(n) case WB_OP_##n: return WB_I_##n;
	WB_LOAD_LIST(WB_X)
	WB_STORE_LIST(WB_X)
#undef WB_X
	default:
		return WB_I__COUNT;
	}
}

static void compile_fc(struct cc *c)
{
	static const uint16_t sat[8] = {
#define WB_X(n) WB_I_##n,
		WB_SAT_LIST(WB_X)
#undef WB_X
	};
	uint32_t sub = rd_u32(c), x, y, d, s, n, v;

	if (sub < 8) {
		compile_unop(c, sat[sub]);
		return;
	}
	switch (sub) {
	case WB_FC_MEMORY_INIT:
		x = rd_u32(c);
		rd_u8(c);
		n = pop_slot(c);
		s = pop_slot(c);
		d = pop_slot(c);
		emit(c, WB_I_MEMORY_INIT);
		put(c, pk(d, s, n, 0));
		put(c, x);
		break;
	case WB_FC_DATA_DROP:
		x = rd_u32(c);
		emit(c, WB_I_DATA_DROP);
		put(c, pkhi(0, 0, x));
		break;
	case WB_FC_MEMORY_COPY:
		rd_u8(c);
		rd_u8(c);
		n = pop_slot(c);
		s = pop_slot(c);
		d = pop_slot(c);
		emit(c, WB_I_MEMORY_COPY);
		put(c, pk(d, s, n, 0));
		break;
	case WB_FC_MEMORY_FILL:
		rd_u8(c);
		n = pop_slot(c);
		v = pop_slot(c);
		d = pop_slot(c);
		emit(c, WB_I_MEMORY_FILL);
		put(c, pk(d, v, n, 0));
		break;
	case WB_FC_TABLE_INIT:
		x = rd_u32(c);
		y = rd_u32(c);
		n = pop_slot(c);
		s = pop_slot(c);
		d = pop_slot(c);
		emit(c, WB_I_TABLE_INIT);
		put(c, pk(d, s, n, 0));
		put(c, (uint64_t)x | (uint64_t)y << 32);
		break;
	case WB_FC_ELEM_DROP:
		x = rd_u32(c);
		emit(c, WB_I_ELEM_DROP);
		put(c, pkhi(0, 0, x));
		break;
	case WB_FC_TABLE_COPY:
		x = rd_u32(c);
		y = rd_u32(c);
		n = pop_slot(c);
		s = pop_slot(c);
		d = pop_slot(c);
		emit(c, WB_I_TABLE_COPY);
		put(c, pk(d, s, n, 0));
		put(c, (uint64_t)x | (uint64_t)y << 32);
		break;
	case WB_FC_TABLE_GROW:
		x = rd_u32(c);
		n = pop_slot(c);
		materialize(c, c->sp - 1);
		d = pop_slot(c);
		push_slot(c);
		emit(c, WB_I_TABLE_GROW);
		put(c, pkhi(d, n, x));
		break;
	case WB_FC_TABLE_SIZE:
		x = rd_u32(c);
		d = push_slot(c);
		emit_dst(c, WB_I_TABLE_SIZE, pkhi(d, 0, x), d);
		break;
	case WB_FC_TABLE_FILL:
		x = rd_u32(c);
		n = pop_slot(c);
		v = pop_slot(c);
		d = pop_slot(c);
		emit(c, WB_I_TABLE_FILL);
		put(c, pk(d, v, n, 0));
		put(c, x);
		break;
	default:
		c->err = -EINVAL;
		break;
	}
}

/* Is stack entry `depth` the result of the i32.add just emitted? */
static bool addr_fusable(struct cc *c, uint32_t depth, uint32_t off, uint64_t *ops)
{
	struct opnd *o = top(c, depth);

	if (!c->last_ok || o->kind != K_SLOT || o->slot != c->last_dst || c->len != c->last_end)
		return false;
	*ops = c->code[c->last_at + 1];
	if (c->last_op == WB_I_I32_ADD_I)
		return off == 0;
	return c->last_op == WB_I_I32_ADD && off <= 0xffff;
}

/*
 * A load or store whose address is a local that the i32.add just emitted
 * wrote (`local.tee x` then the access): one _XW/_KW instruction writes the
 * local and accesses memory at it.
 */
static bool compile_mem_wb(struct cc *c, enum wb_iop iop, bool load, uint32_t off)
{
	struct opnd *addr = top(c, load ? 0 : 1);
	uint32_t x, at, v = 0, d = 0;
	uint64_t ops;
	enum wb_iop op;
	bool k;

	if (addr->kind != K_LOCAL)
		return false;
	if (!load && (top(c, 0)->kind == K_SLOT || !readable(c, top(c, 0))))
		return false;
	x = addr->slot;
	if (last_add_to(c, x, true, &at, &ops))
		k = false;
	else if (last_add_to(c, x, false, &at, &ops))
		k = true;
	else
		return false;
	/* _XW and _KW follow each other, two per load/store, from WB_I_I32_LOAD_XW. */
	op = WB_I_I32_LOAD_XW + 2 * (iop - WB_I_I32_LOAD) + (k ? 1 : 0);
	retract(c, at);
	if (!load)
		v = pop_slot(c);
	c->sp--;
	if (load)
		v = d = push_slot(c);
	at = emit(c, op);
	put(c, k ? pk(v, WB_F1(ops), x, 0) : pk(v, WB_F1(ops), WB_F2(ops), x));
	put(c, k ? (uint64_t)WB_HI(ops) | (uint64_t)off << 32 : off);
	if (load) {
		c->last_ok = true;
		c->last_at = at;
		c->last_end = c->len;
		c->last_dst = d;
		c->last_op = op;
	}
	return true;
}

/*
 * An i32.store of the result of the i32 operation just emitted (into a
 * temporary, not a local): one _ST/_STK instruction computes and stores.
 */
static bool compile_op_store(struct cc *c, enum wb_iop iop, uint32_t off)
{
	struct opnd *v = top(c, 0), *addr = top(c, 1);
	uint64_t in;
	uint32_t a, k;
	bool addk;
	int f;

	if (iop != WB_I_I32_STORE || !c->last_ok || v->kind != K_SLOT || v->slot != c->last_dst ||
	    c->len != c->last_end || c->last_dst < c->base || c->last_at < c->label_at)
		return false;
	for (f = 0; f < (int)(sizeof(opst_src) / sizeof(opst_src[0])); f++) {
		if (c->last_op == opst_src[f])
			break;
	}
	if (f == (int)(sizeof(opst_src) / sizeof(opst_src[0])))
		return false;
	addk = addr->kind == K_ADDK;
	if ((addk && off) || (!addk && !readable(c, addr)))
		return false;
	in = c->code[c->last_at + 1];
	retract(c, c->last_at);
	c->sp--;
	if (addk) {
		a = addr->slot;
		k = (uint32_t)addr->k;
		c->sp--;
	} else {
		a = pop_slot(c);
		k = off;
	}
	emit(c, WB_I_I32_ADD_ST + 2 * f + (addk ? 1 : 0));
	put(c, pk(a, WB_F1(in), WB_F2(in), WB_F3(in)));
	put(c, k);
	return true;
}

/*
 * The i32.add just emitted (operands ops) adds an index shifted by a
 * constant: find that i32.shl, and an add-immediate base, among the two
 * instructions right before it. Gives the first cell of the sequence and
 * the operands of a scaled-index load (code.h, _SX).
 */
static bool scaled_index(struct cc *c, uint64_t ops, uint64_t *sx, uint64_t *k, uint32_t *first)
{
	uint32_t n = c->ins_cnt, p = WB_F1(ops), q = WB_F2(ops), j;
	uint64_t so = 0, ao = 0;
	bool shl = false, addk = false;

	if (p == q || n < 2)
		return false;
	for (j = 2; j <= 3 && j <= n; j++) {
		const struct ins *in = &c->ins[n - j];
		uint64_t o = c->code[in->at + 1];

		if (in->at < c->label_at || WB_F0(o) < c->base || (WB_F0(o) != p && WB_F0(o) != q))
			break;
		if (in->op == WB_I_I32_SHL_I && !shl)
			shl = true, so = o;
		else if (in->op == WB_I_I32_ADD_I && !addk)
			addk = true, ao = o;
		else
			break;
		*first = in->at;
	}
	if (!shl || (addk && (WB_F0(ao) == WB_F0(so) || WB_F1(ao) == WB_F0(so) ||
			      WB_F1(so) == WB_F0(ao))))
		return false;
	if (addk) {
		*sx = pk(0, WB_F1(ao), WB_F1(so), WB_HI(so) & 31);
		*k = WB_HI(ao);
	} else {
		*sx = pk(0, WB_F0(so) == p ? q : p, WB_F1(so), WB_HI(so) & 31);
		*k = 0;
	}
	return true;
}

/* A load or store; an address computed by the i32.add just before is folded in. */
static void compile_mem(struct cc *c, enum wb_iop iop, bool load, uint32_t off)
{
	uint32_t a, b, d;
	uint64_t ops;
	enum wb_iop fused;

	if (compile_mem_wb(c, iop, load, off) || (!load && compile_op_store(c, iop, off)))
		return;

	/* _K and _X follow each other, two per load/store, after WB_I_I32_LOAD_K. */
	fused = WB_I_I32_LOAD_K + 2 * (iop - WB_I_I32_LOAD);
	if (load && off == 0 && top(c, 0)->kind == K_ADDK) {
		struct opnd o = *top(c, 0);

		c->sp--;
		d = push_slot(c);
		emit_dst(c, fused, pkhi(d, o.slot, (uint32_t)o.k), d);
		return;
	}
	if (!load && off == 0 && top(c, 1)->kind == K_ADDK) {
		struct opnd o;

		b = pop_slot(c);
		o = *top(c, 0);
		c->sp--;
		emit(c, fused);
		put(c, pkhi(b, o.slot, (uint32_t)o.k));
		return;
	}
	if (load && addr_fusable(c, 0, off, &ops)) {
		bool k = c->last_op == WB_I_I32_ADD_I;
		uint64_t sx, sk;
		uint32_t first, at;

		if (!k && scaled_index(c, ops, &sx, &sk, &first)) {
			retract(c, first);
			c->sp--;
			d = push_slot(c);
			at = emit(c, WB_I_I32_LOAD_SX + (iop - WB_I_I32_LOAD));
			put(c, sx | d);
			put(c, sk | (uint64_t)off << 32);
			c->last_ok = true;
			c->last_at = at;
			c->last_end = c->len;
			c->last_dst = d;
			c->last_op = WB_I_I32_LOAD_SX + (iop - WB_I_I32_LOAD);
			return;
		}

		retract(c, c->last_at);
		c->sp--;
		d = push_slot(c);
		if (k)
			emit_dst(c, fused, pkhi(d, WB_F1(ops), WB_HI(ops)), d);
		else
			emit_dst(c, fused + 1, pk(d, WB_F1(ops), WB_F2(ops), off), d);
		return;
	}
	if (!load && top(c, 0)->kind != K_SLOT && readable(c, top(c, 0)) &&
	    addr_fusable(c, 1, off, &ops)) {
		bool k = c->last_op == WB_I_I32_ADD_I;

		retract(c, c->last_at);
		b = pop_slot(c);
		c->sp--;
		emit(c, k ? fused : fused + 1);
		put(c, k ? pkhi(b, WB_F1(ops), WB_HI(ops)) : pk(b, WB_F1(ops), WB_F2(ops), off));
		return;
	}
	if (load) {
		a = pop_slot(c);
		d = push_slot(c);
		emit_dst(c, iop, pkhi(d, a, off), d);
	} else {
		b = pop_slot(c);
		a = pop_slot(c);
		emit(c, iop);
		put(c, pkhi(b, a, off));
	}
}

/* Compile one instruction (reachable code). Returns true at the function's end. */
static bool compile_op(struct cc *c, uint8_t op)
{
	uint32_t x, y, a, b, d, i;
	enum wb_iop iop;
	bool is64;
	int idx;

	if (ibin_of(op, &idx, &is64)) {
		compile_ibin(c, idx, is64);
		return false;
	}
	iop = pun_of(op);
	if (iop != WB_I__COUNT) {
		compile_unop(c, iop);
		return false;
	}
	iop = pbin_of(op);
	if (iop != WB_I__COUNT) {
		compile_binop(c, iop);
		return false;
	}
	iop = load_of(op);
	if (iop != WB_I__COUNT) {
		rd_u32(c);		/* alignment */
		x = rd_u32(c);		/* offset */
		compile_mem(c, iop, op <= WB_OP_I64_LOAD32_U, x);
		return false;
	}

	switch (op) {
	case WB_OP_UNREACHABLE:
		emit(c, WB_I_UNREACHABLE);
		set_unreachable(c);
		break;
	case WB_OP_NOP:
		break;
	case WB_OP_BLOCK:
		enter_block(c, C_BLOCK);
		break;
	case WB_OP_LOOP:
		enter_block(c, C_LOOP);
		break;
	case WB_OP_IF:
		enter_block(c, C_IF);
		break;
	case WB_OP_ELSE:
		compile_else(c);
		break;
	case WB_OP_END:
		return compile_end(c);
	case WB_OP_BR:
		emit_branch(c, label(c, rd_u32(c)));
		set_unreachable(c);
		break;
	case WB_OP_BR_IF:
		compile_br_if(c, rd_u32(c));
		break;
	case WB_OP_BR_TABLE:
		compile_br_table(c);
		set_unreachable(c);
		break;
	case WB_OP_RETURN:
		emit_return(c);
		set_unreachable(c);
		break;
	case WB_OP_CALL:
		compile_call(c, rd_u32(c), false, 0, 0);
		break;
	case WB_OP_CALL_INDIRECT:
		y = rd_u32(c);
		x = rd_u32(c);
		compile_call(c, 0, true, x, y);
		break;
	case WB_OP_DROP:
		if (c->sp)
			c->sp--;
		break;
	case WB_OP_SELECT_T:
		x = rd_u32(c);
		for (i = 0; i < x && c->p < c->end; i++)
			rd_u8(c);
		/* fall through */
	case WB_OP_SELECT:
		x = pop_slot(c);
		b = pop_slot(c);
		a = pop_slot(c);
		d = push_slot(c);
		emit_dst(c, WB_I_SELECT, pk(d, x, a, b), d);
		break;
	case WB_OP_LOCAL_GET:
		x = rd_u32(c);
		push(c, K_LOCAL, x, 0);
		break;
	case WB_OP_LOCAL_SET:
		compile_local_set(c, rd_u32(c), false);
		break;
	case WB_OP_LOCAL_TEE:
		compile_local_set(c, rd_u32(c), true);
		break;
	case WB_OP_GLOBAL_GET:
		x = rd_u32(c);
		d = push_slot(c);
		emit_dst(c, WB_I_GLOBAL_GET, pkhi(d, 0, x), d);
		break;
	case WB_OP_GLOBAL_SET:
		x = rd_u32(c);
		a = pop_slot(c);
		emit(c, WB_I_GLOBAL_SET);
		put(c, pkhi(a, 0, x));
		break;
	case WB_OP_TABLE_GET:
		x = rd_u32(c);
		a = pop_slot(c);
		d = push_slot(c);
		emit_dst(c, WB_I_TABLE_GET, pkhi(d, a, x), d);
		break;
	case WB_OP_TABLE_SET:
		x = rd_u32(c);
		b = pop_slot(c);
		a = pop_slot(c);
		emit(c, WB_I_TABLE_SET);
		put(c, pkhi(a, b, x));
		break;
	case WB_OP_MEMORY_SIZE:
		rd_u8(c);
		d = push_slot(c);
		emit_dst(c, WB_I_MEMORY_SIZE, pk(d, 0, 0, 0), d);
		break;
	case WB_OP_MEMORY_GROW:
		rd_u8(c);
		a = pop_slot(c);
		d = push_slot(c);
		emit_dst(c, WB_I_MEMORY_GROW, pk(d, a, 0, 0), d);
		break;
	case WB_OP_I32_CONST:
		push(c, K_CONST, 0, (uint32_t)rd_sleb(c));
		break;
	case WB_OP_I64_CONST:
		push(c, K_CONST, 0, (uint64_t)rd_sleb(c));
		break;
	case WB_OP_F32_CONST:
		push(c, K_CONST, 0, rd_bytes(c, 4));
		break;
	case WB_OP_F64_CONST:
		push(c, K_CONST, 0, rd_bytes(c, 8));
		break;
	case WB_OP_I32_WRAP_I64:
	case WB_OP_I32_REINTERPRET_F32:
	case WB_OP_I64_REINTERPRET_F64:
	case WB_OP_F32_REINTERPRET_I32:
	case WB_OP_F64_REINTERPRET_I64:
		/* Same bits: i32/f32 readers only look at the low half. */
		break;
	case WB_OP_REF_NULL:
		rd_u8(c);
		push(c, K_CONST, 0, 0);
		break;
	case WB_OP_REF_FUNC:
		x = rd_u32(c);
		d = push_slot(c);
		emit_dst(c, WB_I_REF_FUNC, pkhi(d, 0, x), d);
		break;
	case WB_OP_PREFIX_FC:
		compile_fc(c);
		break;
	default:
		/* SIMD (0xfd) and anything else the validator let through. */
		c->err = -ENOTSUP;
		break;
	}
	return false;
}

/* The opcode that runs after instruction i: the next one, or an unconditional branch's target. */
static uint32_t successor(struct cc *c, uint32_t i)
{
	uint32_t at = c->ins[i].at, lo = 0, hi = c->ins_cnt;
	int64_t t;

	if (c->ins[i].op != WB_I_BR || at + 1 >= c->len)
		return i + 1 < c->ins_cnt ? c->ins[i + 1].op : 0;
	t = (int64_t)at + 1 + (int64_t)c->code[at + 1];
	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;

		if ((int64_t)c->ins[mid].at <= t)
			lo = mid;
		else
			hi = mid;
	}
	return (int64_t)c->ins[lo].at == t ? c->ins[lo].op : 0;
}

/* A (opcode, successor) pair of one function, how often it occurs, and its replica. */
struct succ_pair {
	uint32_t key;			/* opcode << 16 | successor, plus 1; 0 = empty */
	uint32_t cnt;
	uint32_t r;
};

static int cmp_succ_pair(const void *x, const void *y)
{
	const struct succ_pair *p = x, *q = y;

	if (p->key >> 16 != q->key >> 16)
		return p->key >> 16 < q->key >> 16 ? -1 : 1;
	if (p->cnt != q->cnt)
		return p->cnt > q->cnt ? -1 : 1;
	return p->key < q->key ? -1 : p->key > q->key;
}

static struct succ_pair *succ_find(struct succ_pair *tab, uint32_t cap, uint32_t key)
{
	uint32_t j = (key * 0x9e3779b1u) & (cap - 1);

	while (tab[j].key && tab[j].key != key)
		j = (j + 1) & (cap - 1);
	return &tab[j];
}

/*
 * Give every instruction the replica of its handler (code.h, WB_REPL) picked
 * by the opcode of its successor (the next instruction, or the target of an
 * unconditional branch). Within a function, the successors of each opcode
 * get distinct replicas, the most frequent first, so that each copy's jump
 * mostly sees one successor. Without memory for that, a hash of the
 * successor picks the replica.
 */
static void pick_replicas(struct cc *c)
{
	uint32_t n = c->ins_cnt, cap = 16, m = 0, i, rank = 0, prev = UINT32_MAX;
	struct succ_pair *tab = NULL, *list = NULL;

	while (WB_REPL_BITS && cap < 2 * n)
		cap *= 2;
	if (WB_REPL_BITS && n) {
		tab = calloc(cap, sizeof(*tab));
		list = malloc(n * sizeof(*list));
	}
	if (tab && list) {
		for (i = 0; i < n; i++) {
			uint32_t key = (c->ins[i].op << 16 | successor(c, i)) + 1;
			struct succ_pair *e = succ_find(tab, cap, key);

			e->key = key;
			e->cnt++;
		}
		for (i = 0; i < cap; i++) {
			if (tab[i].key)
				list[m++] = tab[i];
		}
		qsort(list, m, sizeof(*list), cmp_succ_pair);
		for (i = 0; i < m; i++) {
			rank = list[i].key >> 16 == prev ? rank + 1 : 0;
			prev = list[i].key >> 16;
			succ_find(tab, cap, list[i].key)->r = rank % WB_REPL;
		}
	}
	for (i = 0; i < n; i++) {
		uint32_t op = c->ins[i].op, next = successor(c, i), r = 0;

		if (tab && list)
			r = succ_find(tab, cap, (op << 16 | next) + 1)->r;
		else if (WB_REPL_BITS)
			r = ((next + 1) * 0x9e3779b1u) >> (32 - WB_REPL_BITS);
		c->code[c->ins[i].at] = (uint64_t)(uintptr_t)c->h[r * WB_I__COUNT + op];
	}
	free(tab);
	free(list);
}

static int compile_func(struct cc *c, const struct wb_func_def *def, struct wb_code *code,
			bool pool)
{
	const struct wb_functype *ft = &c->m->types[def->type_idx];
	const uint8_t *body = def->body;
	uint64_t base = (uint64_t)ft->param_cnt + def->local_cnt;
	bool done = false;
	uint8_t op;

	c->pool_on = pool;
	c->pool_base = (uint32_t)base;
	if (pool)
		base += c->pool_cnt;
	else
		c->pool_cnt = 0;
	if (base > WB_MAX_FRAME_SLOTS)
		return -E2BIG;
	c->base = (uint32_t)base;
	c->p = body;
	c->end = body + def->body_len;
	c->len = 0;
	c->pos_cnt = 0;
	c->ins_cnt = 0;
	c->sp = 0;
	c->max_sp = 0;
	c->csp = 0;
	c->dead = 0;
	c->last_ok = false;
	c->cmp_ok = false;
	c->label_at = 0;
	c->err = 0;
	c->code = NULL;
	c->cap = 0;
	c->pos = NULL;
	c->pos_cap = 0;
	if (!push_ctl(c, C_FUNC, 0, ft->result_cnt))
		return -ENOMEM;

	while (!done && c->p < c->end && !c->err) {
		c->ins_off = def->body_offset + (uint32_t)(c->p - body);
		op = *c->p++;
		if (c->ctl[c->csp - 1].unreachable) {
			if (op == WB_OP_BLOCK || op == WB_OP_LOOP || op == WB_OP_IF) {
				uint32_t pp, rr;

				blocktype(c, &pp, &rr);
				c->dead++;
				continue;
			}
			if (op == WB_OP_ELSE || op == WB_OP_END) {
				if (c->dead) {
					if (op == WB_OP_END)
						c->dead--;
					continue;
				}
			} else {
				skip_imm(c, op);
				continue;
			}
		}
		done = compile_op(c, op);
	}
	if (!c->err && (!done || c->csp))
		c->err = -EINVAL;
	if (!c->err && base + c->max_sp > WB_MAX_FRAME_SLOTS)
		c->err = -E2BIG;
	if (c->err)
		goto fail;

#ifdef WB_DUMP_CODE
	if ((pool || !c->pool_cnt) && wb_dump__wanted(c->func_idx)) {
		uint32_t *at = malloc(c->ins_cnt * sizeof(*at) + 1);
		uint32_t *op = malloc(c->ins_cnt * sizeof(*op) + 1);

		for (uint32_t i = 0; at && op && i < c->ins_cnt; i++) {
			at[i] = c->ins[i].at;
			op[i] = c->ins[i].op;
		}
		if (at && op)
			wb_dump__code(c->func_idx, c->code, c->len, at, op, c->ins_cnt, c->base);
		free(at);
		free(op);
	}
#endif
	pick_replicas(c);
	if (pool) {
		code->consts = malloc(c->pool_cnt * sizeof(uint64_t));
		if (!code->consts) {
			c->err = -ENOMEM;
			goto fail;
		}
		memcpy(code->consts, c->pool, c->pool_cnt * sizeof(uint64_t));
		code->const_cnt = c->pool_cnt;
	}
	code->cells = c->code;
	code->cell_cnt = c->len;
	code->pos = c->pos;
	code->pos_cnt = c->pos_cnt;
	code->param_cnt = ft->param_cnt;
	code->local_cnt = def->local_cnt;
	code->result_cnt = ft->result_cnt;
	code->frame_slots = (uint32_t)base + c->max_sp;
	if (code->frame_slots < code->result_cnt)
		code->frame_slots = code->result_cnt;
	code->module = c->m;
	return 0;
fail:
	free(c->code);
	free(c->pos);
	c->code = NULL;
	c->pos = NULL;
	return c->err;
}

void wb_code__free(struct wb_code *code)
{
	if (!code)
		return;
	free(code->cells);
	free(code->pos);
	free(code->consts);
	free(code);
}

int wb_compile(struct wb_module *m, struct wb_error *err)
{
	struct cc c;
	struct wb_code **codes = NULL;
	uint32_t i;
	int ret = 0;

	memset(&c, 0, sizeof(c));
	c.m = m;
	c.h = wb_interp__handlers();
	if (!m->code_cnt)
		return 0;
	codes = calloc(m->code_cnt, sizeof(*codes));
	if (!codes) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < m->code_cnt; i++) {
		codes[i] = calloc(1, sizeof(**codes));
		if (!codes[i]) {
			ret = -ENOMEM;
			goto out;
		}
		codes[i]->func_idx = m->func_import_cnt + i;
	}
	c.codes = codes;
	for (i = 0; i < m->code_cnt; i++) {
		c.func_idx = m->func_import_cnt + i;
		ret = compile_func(&c, &m->funcs[i], codes[i], false);
		if (!ret && c.pool_cnt &&
		    codes[i]->frame_slots + c.pool_cnt <= WB_MAX_FRAME_SLOTS) {
			free(codes[i]->cells);
			free(codes[i]->pos);
			codes[i]->cells = NULL;
			codes[i]->pos = NULL;
			ret = compile_func(&c, &m->funcs[i], codes[i], true);
		}
		if (ret) {
			const char *msg = ret == -ENOMEM ? "out of memory" :
					  ret == -E2BIG ? "function too large" :
					  ret == -ENOTSUP ? "unsupported instruction" :
					  "cannot compile function";

			if (err)
				wb_error__set(err, ret == -ENOTSUP || ret == -EINVAL ?
					      WB_ERR_INVALID : WB_ERR_RESOURCE, msg,
					      WB_SEC_CODE, c.func_idx, c.ins_off, "%s", msg);
			if (ret == -E2BIG || ret == -ENOTSUP)
				ret = -EINVAL;
			goto out;
		}
	}
	for (i = 0; i < m->code_cnt; i++)
		m->funcs[i].code = codes[i];
out:
	if (ret && codes) {
		for (i = 0; i < m->code_cnt; i++)
			wb_code__free(codes[i]);
	}
	free(codes);
	free(c.stk);
	free(c.ctl);
	free(c.ins);
	return ret;
}
