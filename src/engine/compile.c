/* SPDX-License-Identifier: MIT */
/*
 * The compiler from validated Wasm function bodies to the internal
 * three-address instruction stream of code.h, in one pass that simulates the
 * operand stack: every operand gets a frame slot, local.get and constants
 * stay lazy references until a consumer needs them, branch targets are
 * resolved and the values they carry are moved by emitted copies.
 *
 * Peepholes here, all on the instruction just emitted (never across a
 * label): local.set/tee retargets its producer's destination to the local;
 * a compare followed by br_if/if becomes one compare-and-branch; i32.eqz of
 * a compare becomes the inverse compare. `local.get x; i32.const k;
 * i32.add` stays lazy, so that it folds into a load or store address
 * wherever it is used. The other fusions are in compile_fuse.c, emitting
 * and the operand stack in compile_emit.c (compile_internal.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "dump.h"
#include "jit.h"
#include "opcodes.h"

/* Order of WB_ICMP_LIST: EQ NE LT_S LT_U GT_S GT_U LE_S LE_U GE_S GE_U. */
static const uint8_t cmp_invert[10] = { 1, 0, 8, 9, 6, 7, 4, 5, 2, 3 };
static const uint16_t br_cmp_op[10] = {
#define WB_X(n) WB_I_BR_I32_##n,
	WB_ICMP_LIST(WB_X)
#undef WB_X
};



static const uint16_t ibin_op[IB__COUNT] = {
#define WB_X(n) WB_I_I32_##n,
	WB_IBIN_LIST(WB_X)
#undef WB_X
};

/* ---------------------------------------------------------------- reading */

static uint8_t rd_u8(struct wb_cc *c)
{
	return c->p < c->end ? *c->p++ : 0;
}

static uint64_t rd_uleb(struct wb_cc *c)
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

static uint32_t rd_u32(struct wb_cc *c)
{
	return (uint32_t)rd_uleb(c);
}

static int64_t rd_sleb(struct wb_cc *c)
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

static uint64_t rd_bytes(struct wb_cc *c, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)rd_u8(c) << (8 * i);
	return v;
}

static void blocktype(struct wb_cc *c, uint32_t *params, uint32_t *results)
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
static void skip_imm(struct wb_cc *c, uint8_t op)
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

/* Emit an instruction whose F0 is a fresh destination that local.set may retarget. */

/* Copy operand o to slot dst. */

/* ---------------------------------------------------------------- the stack */

/* Put stack entry i into its home slot. */

/* Index of constant k in the pool, pool_cnt if it is not there. */

/* Can pop_slot read operand o without emitting anything? */

/* Pop the top operand as a readable slot (constants are materialised or pooled). */

/* Before a block: lazy locals must not outlive a local.set inside it. */

/* ---------------------------------------------------------------- branches */

static void patch_chain(struct wb_cc *c, int64_t head, uint32_t target)
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
static void put_target(struct wb_cc *c, struct ctl *t)
{
	uint32_t at = c->len;

	if (t->kind == C_LOOP) {
		wb_cc__put(c, (uint64_t)((int64_t)t->loop_pc - (int64_t)at));
	} else {
		wb_cc__put(c, (uint64_t)t->patch);
		t->patch = at;
	}
}

static uint32_t label_arity(const struct ctl *t)
{
	return t->kind == C_LOOP ? t->param_cnt : t->result_cnt;
}

/* Are the values a branch to t carries already where t wants them? */
static bool in_place(struct wb_cc *c, const struct ctl *t)
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

static void emit_return(struct wb_cc *c)
{
	const struct opnd *o;

	if (c->ctl[0].result_cnt == 1 && c->sp) {
		o = &c->stk[c->sp - 1];
		if ((o->kind == K_SLOT || o->kind == K_LOCAL) && o->slot != 0) {
			wb_cc__emit(c, WB_I_RETURN1);
			wb_cc__put(c, pk(o->slot, 0, 0, 0));
			return;
		}
	}
	wb_cc__emit_result_moves(c, 0, c->ctl[0].result_cnt);
	wb_cc__emit(c, WB_I_RETURN);
}

/* Unconditional branch to t (moves, then the jump). */
static void emit_branch(struct wb_cc *c, struct ctl *t)
{
	if (t->kind == C_FUNC) {
		emit_return(c);
		return;
	}
	if (!in_place(c, t))
		wb_cc__emit_result_moves(c, home(c, t->height), label_arity(t));
	wb_cc__emit(c, WB_I_BR);
	put_target(c, t);
}

/* Pop a branch condition, fusing it with the compare that produced it. */
static void cond_pop(struct wb_cc *c, struct cond *cd)
{
	struct opnd *o = wb_cc__top(c, 0);

	if (c->cmp_ok && o->kind == K_SLOT && o->slot == c->cmp_dst && c->len == c->cmp_end) {
		*cd = c->cmp;
		wb_cc__retract(c, c->cmp_at);
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
		wb_cc__retract(c, c->last_at);
		c->sp--;
		return;
	}
	cd->idx = -1;
	cd->is64 = false;
	cd->imm = false;
	cd->a = wb_cc__pop_slot(c);
	cd->b = 0;
}

/* Emit a branch taken when the condition equals `when`; returns its offset cell. */
static uint32_t cond_emit(struct wb_cc *c, const struct cond *cd, bool when)
{
	enum wb_iop op;
	uint32_t at;
	int idx;

	/* Branch on a counter just incremented: slot (!= 0), eqz (== 0), compare. */
	if (cd->idx < 0 || (cd->idx == 10 && !cd->is64)) {
		idx = (cd->idx < 0) == when ? 1 : 0;	/* NE : EQ */
		if (wb_cc__incbr_emit(c, idx, cd->a, 0, true, &at))
			return at;
	} else if (cd->idx < 10 && !cd->is64) {
		idx = when ? cd->idx : cmp_invert[cd->idx];
		if (wb_cc__incbr_emit(c, idx, cd->a, cd->b, cd->imm, &at))
			return at;
	}
	if (cd->idx < 0) {
		wb_cc__emit(c, when ? WB_I_BR_IF : WB_I_BR_IFZ);
		wb_cc__put(c, pk(cd->a, 0, 0, 0));
	} else if (cd->idx == 11) {
		wb_cc__emit(c, when ? WB_I_BR_AND_NZ : WB_I_BR_AND_Z);
		wb_cc__put(c, pkhi(cd->a, 0, cd->b));
	} else if (cd->idx == 10) {
		if (cd->is64)
			op = when ? WB_I_BR_I64_EQZ : WB_I_BR_I64_NEZ;
		else
			op = when ? WB_I_BR_IFZ : WB_I_BR_IF;
		wb_cc__emit(c, op);
		wb_cc__put(c, pk(cd->a, 0, 0, 0));
	} else {
		idx = when ? cd->idx : cmp_invert[cd->idx];
		op = br_cmp_op[idx] + (cd->imm ? 1 : 0) + (cd->is64 ? 2 : 0);
		wb_cc__emit(c, op);
		wb_cc__put(c, cd->imm ? pkhi(cd->a, 0, cd->b) : pk(cd->a, cd->b, 0, 0));
	}
	at = c->len;
	wb_cc__put(c, (uint64_t)-1);
	return at;
}

static void link_target(struct wb_cc *c, uint32_t at, struct ctl *t)
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

static struct ctl *label(struct wb_cc *c, uint32_t depth)
{
	if (depth >= c->csp) {
		c->err = c->err ? c->err : -EINVAL;
		return &c->ctl[0];
	}
	return &c->ctl[c->csp - 1 - depth];
}

static void set_unreachable(struct wb_cc *c)
{
	struct ctl *f = &c->ctl[c->csp - 1];

	f->unreachable = true;
	c->sp = f->height;
}

static void compile_br_if(struct wb_cc *c, uint32_t depth)
{
	struct ctl *t = label(c, depth);
	struct cond cd;
	uint32_t at, skip, n, j;

	cond_pop(c, &cd);
	/* Compute lazy sums in place, so that the branch needs no moves. */
	for (n = label_arity(t), j = 0; t->kind != C_FUNC && j < n && j < c->sp; j++) {
		if (c->stk[c->sp - 1 - j].kind == K_ADDK)
			wb_cc__materialize(c, c->sp - 1 - j);
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

static void compile_br_table(struct wb_cc *c)
{
	uint32_t n = rd_u32(c), i, idx, at, first;
	const uint8_t *labels = c->p;
	int64_t *stubs = NULL;
	struct ctl *t;

	for (i = 0; i < n && c->p < c->end; i++)
		rd_uleb(c);
	rd_uleb(c);
	idx = wb_cc__pop_slot(c);
	wb_cc__emit(c, WB_I_BR_TABLE);
	wb_cc__put(c, pkhi(idx, 0, n));
	first = c->len;
	for (i = 0; i <= n; i++)
		wb_cc__put(c, (uint64_t)-1);
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

static struct ctl *push_ctl(struct wb_cc *c, uint8_t kind, uint32_t params, uint32_t results)
{
	struct ctl *f;

	if (!wb_cc__grow((void **)&c->ctl, &c->ctl_cap, c->csp + 1, sizeof(*c->ctl))) {
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

static void enter_block(struct wb_cc *c, uint8_t kind)
{
	uint32_t params, results, i;
	struct cond cd = { .idx = -1 };
	struct ctl *f;

	blocktype(c, &params, &results);
	if (kind == C_IF)
		cond_pop(c, &cd);
	wb_cc__spill_locals(c);
	for (i = 0; i < params && i < c->sp; i++)
		wb_cc__materialize(c, c->sp - 1 - i);
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
static void settle_results(struct wb_cc *c, struct ctl *f)
{
	uint32_t j;

	for (j = 0; j < f->result_cnt && f->height + j < c->sp; j++)
		wb_cc__materialize(c, f->height + j);
}

static void reset_to(struct wb_cc *c, struct ctl *f, uint32_t n)
{
	uint32_t j;

	c->sp = f->height;
	for (j = 0; j < n; j++)
		wb_cc__push_slot(c);
}

static void compile_else(struct wb_cc *c)
{
	struct ctl *f = &c->ctl[c->csp - 1];

	if (!f->unreachable) {
		settle_results(c, f);
		wb_cc__emit(c, WB_I_BR);
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
static bool compile_end(struct wb_cc *c)
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
static void emit_cmp(struct wb_cc *c, const struct cond *cd, uint32_t dst)
{
	uint32_t at = c->len;

	if (cd->idx == 10) {
		wb_cc__emit_dst(c, cd->is64 ? WB_I_I64_EQZ : WB_I_I32_EQZ, pk(dst, cd->a, 0, 0), dst);
	} else {
		enum wb_iop op = ibin_op[IB_CMP0 + cd->idx] + (cd->imm ? 1 : 0) + (cd->is64 ? 2 : 0);

		wb_cc__emit_dst(c, op, cd->imm ? pkhi(dst, cd->a, cd->b) : pk(dst, cd->a, cd->b, 0), dst);
	}
	c->cmp_ok = true;
	c->cmp_at = at;
	c->cmp_end = c->len;
	c->cmp_dst = dst;
	c->cmp = *cd;
}

static void compile_ibin(struct wb_cc *c, int idx, bool is64)
{
	struct opnd *b = wb_cc__top(c, 0), *a = wb_cc__top(c, 1);
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
		wb_cc__push(c, K_ADDK, x, (uint32_t)imm);
		return;
	}
	if (b->kind == K_ADDK)
		wb_cc__materialize(c, c->sp - 1);
	if (b->kind == K_CONST && fits_imm(is64, b->k)) {
		use_imm = true;
		imm = b->k;
		c->sp--;
		sa = wb_cc__pop_slot(c);
	} else if (a->kind == K_CONST && b->kind != K_CONST && commut && fits_imm(is64, a->k)) {
		/* Constant on the left of a commutative op or a compare: swap. */
		use_imm = true;
		imm = a->k;
		sa = b->slot;
		c->sp -= 2;
		if (idx >= IB_CMP0)
			idx = IB_CMP0 + wb_cc_cmp_swap(idx - IB_CMP0);
	} else {
		sb = wb_cc__pop_slot(c);
		sa = wb_cc__pop_slot(c);
	}
	dst = wb_cc__push_slot(c);
	if (idx >= IB_CMP0) {
		struct cond cd = {
			.idx = idx - IB_CMP0, .is64 = is64, .imm = use_imm,
			.a = sa, .b = use_imm ? (uint32_t)imm : sb,
		};

		emit_cmp(c, &cd, dst);
	} else if (use_imm) {
		bool acc = !is64 && wb_cc__acc_ok(c, sa);

		wb_cc__emit_dst(c, ibin_op[idx] + 1 + (is64 ? 2 : 0), pkhi(dst, sa, (uint32_t)imm), dst);
		if (acc)
			wb_cc__acc_mark(c);
	} else if (is64 || !wb_cc__fuse_ibin(c, idx, sa, sb, dst)) {
		bool acc;

		if (!is64 && commut && !wb_cc__acc_ok(c, sa) && wb_cc__acc_ok(c, sb)) {
			uint32_t t = sa;

			sa = sb;
			sb = t;
		}
		acc = !is64 && wb_cc__acc_ok(c, sa);
		wb_cc__emit_dst(c, ibin_op[idx] + (is64 ? 2 : 0), pk(dst, sa, sb, 0), dst);
		if (acc)
			wb_cc__acc_mark(c);
	}
}

static void compile_unop(struct wb_cc *c, enum wb_iop op)
{
	struct opnd *o = wb_cc__top(c, 0);
	struct cond cd;
	uint32_t a, dst;

	if (op == WB_I_I32_EQZ && c->cmp_ok && o->kind == K_SLOT && o->slot == c->cmp_dst &&
	    c->len == c->cmp_end) {
		/* eqz of a compare: the inverse compare. */
		cd = c->cmp;
		wb_cc__retract(c, c->cmp_at);
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
	a = wb_cc__pop_slot(c);
	dst = wb_cc__push_slot(c);
	if (op == WB_I_I32_EQZ || op == WB_I_I64_EQZ) {
		cd.idx = 10;
		cd.is64 = op == WB_I_I64_EQZ;
		cd.imm = false;
		cd.a = a;
		cd.b = 0;
		emit_cmp(c, &cd, dst);
		return;
	}
	wb_cc__emit_dst(c, op, pk(dst, a, 0, 0), dst);
}

static void compile_binop(struct wb_cc *c, enum wb_iop op)
{
	uint32_t b = wb_cc__pop_slot(c), a = wb_cc__pop_slot(c), dst = wb_cc__push_slot(c);

	if (op == WB_I_F64_ADD && c->last_ok && c->last_op == WB_I_F64_MUL &&
	    c->len == c->last_end && c->last_dst >= c->base && (a == c->last_dst) != (b == c->last_dst)) {
		/* f64 multiply, then add: one instruction (rounding twice, code.h). */
		uint64_t in = c->code[c->last_at + 1];
		uint32_t x = a == c->last_dst ? b : a;

		wb_cc__retract(c, c->last_at);
		wb_cc__emit_dst(c, WB_I_F64_MADD, pk(dst, WB_F1(in), WB_F2(in), x), dst);
		return;
	}
	wb_cc__emit_dst(c, op, pk(dst, a, b, 0), dst);
}

static void compile_local_set(struct wb_cc *c, uint32_t x, bool tee)
{
	struct opnd *v = wb_cc__top(c, 0);
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
		if (c->acc_live && c->acc_at == c->last_at)
			c->acc_slot = x;
		c->last_ok = false;
		c->cmp_ok = false;
	} else {
		for (i = 0; i + 1 < c->sp; i++) {
			if ((c->stk[i].kind == K_LOCAL || c->stk[i].kind == K_ADDK) &&
			    c->stk[i].slot == x)
				wb_cc__materialize(c, i);
		}
		wb_cc__emit_move(c, x, v);
	}
	c->sp--;
	if (tee)
		wb_cc__push(c, K_LOCAL, x, 0);
}

static void compile_call(struct wb_cc *c, uint32_t fidx, bool indirect, uint32_t table,
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
		idx = wb_cc__pop_slot(c);
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
		wb_cc__materialize(c, i);
	base = home(c, c->sp - n);
	if (indirect) {
		wb_cc__emit(c, WB_I_CALL_INDIRECT);
		wb_cc__put(c, pkhi(base, idx, table));
		wb_cc__put(c, typeidx);
	} else if (fidx < m->func_import_cnt) {
		wb_cc__emit(c, WB_I_CALL_IMPORT);
		wb_cc__put(c, pkhi(base, 0, fidx));
	} else {
		wb_cc__emit(c, WB_I_CALL);
		wb_cc__put(c, pk(base, 0, 0, 0));
		wb_cc__put(c, (uint64_t)(uintptr_t)c->codes[fidx - m->func_import_cnt]);
	}
	c->sp -= n;
	for (i = 0; i < r; i++)
		wb_cc__push_slot(c);
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

static void compile_fc(struct wb_cc *c)
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
		n = wb_cc__pop_slot(c);
		s = wb_cc__pop_slot(c);
		d = wb_cc__pop_slot(c);
		wb_cc__emit(c, WB_I_MEMORY_INIT);
		wb_cc__put(c, pk(d, s, n, 0));
		wb_cc__put(c, x);
		break;
	case WB_FC_DATA_DROP:
		x = rd_u32(c);
		wb_cc__emit(c, WB_I_DATA_DROP);
		wb_cc__put(c, pkhi(0, 0, x));
		break;
	case WB_FC_MEMORY_COPY:
		rd_u8(c);
		rd_u8(c);
		n = wb_cc__pop_slot(c);
		s = wb_cc__pop_slot(c);
		d = wb_cc__pop_slot(c);
		wb_cc__emit(c, WB_I_MEMORY_COPY);
		wb_cc__put(c, pk(d, s, n, 0));
		break;
	case WB_FC_MEMORY_FILL:
		rd_u8(c);
		n = wb_cc__pop_slot(c);
		v = wb_cc__pop_slot(c);
		d = wb_cc__pop_slot(c);
		wb_cc__emit(c, WB_I_MEMORY_FILL);
		wb_cc__put(c, pk(d, v, n, 0));
		break;
	case WB_FC_TABLE_INIT:
		x = rd_u32(c);
		y = rd_u32(c);
		n = wb_cc__pop_slot(c);
		s = wb_cc__pop_slot(c);
		d = wb_cc__pop_slot(c);
		wb_cc__emit(c, WB_I_TABLE_INIT);
		wb_cc__put(c, pk(d, s, n, 0));
		wb_cc__put(c, (uint64_t)x | (uint64_t)y << 32);
		break;
	case WB_FC_ELEM_DROP:
		x = rd_u32(c);
		wb_cc__emit(c, WB_I_ELEM_DROP);
		wb_cc__put(c, pkhi(0, 0, x));
		break;
	case WB_FC_TABLE_COPY:
		x = rd_u32(c);
		y = rd_u32(c);
		n = wb_cc__pop_slot(c);
		s = wb_cc__pop_slot(c);
		d = wb_cc__pop_slot(c);
		wb_cc__emit(c, WB_I_TABLE_COPY);
		wb_cc__put(c, pk(d, s, n, 0));
		wb_cc__put(c, (uint64_t)x | (uint64_t)y << 32);
		break;
	case WB_FC_TABLE_GROW:
		x = rd_u32(c);
		n = wb_cc__pop_slot(c);
		wb_cc__materialize(c, c->sp - 1);
		d = wb_cc__pop_slot(c);
		wb_cc__push_slot(c);
		wb_cc__emit(c, WB_I_TABLE_GROW);
		wb_cc__put(c, pkhi(d, n, x));
		break;
	case WB_FC_TABLE_SIZE:
		x = rd_u32(c);
		d = wb_cc__push_slot(c);
		wb_cc__emit_dst(c, WB_I_TABLE_SIZE, pkhi(d, 0, x), d);
		break;
	case WB_FC_TABLE_FILL:
		x = rd_u32(c);
		n = wb_cc__pop_slot(c);
		v = wb_cc__pop_slot(c);
		d = wb_cc__pop_slot(c);
		wb_cc__emit(c, WB_I_TABLE_FILL);
		wb_cc__put(c, pk(d, v, n, 0));
		wb_cc__put(c, x);
		break;
	default:
		c->err = -EINVAL;
		break;
	}
}

/* Is stack entry `depth` the result of the i32.add just emitted? */

/* A load or store; an address computed by the i32.add just before is folded in. */

/* Compile one instruction (reachable code). Returns true at the function's end. */
static bool compile_op(struct wb_cc *c, uint8_t op)
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
		wb_cc__compile_mem(c, iop, op <= WB_OP_I64_LOAD32_U, x);
		return false;
	}

	switch (op) {
	case WB_OP_UNREACHABLE:
		wb_cc__emit(c, WB_I_UNREACHABLE);
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
		x = wb_cc__pop_slot(c);
		b = wb_cc__pop_slot(c);
		a = wb_cc__pop_slot(c);
		d = wb_cc__push_slot(c);
		wb_cc__emit_dst(c, WB_I_SELECT, pk(d, x, a, b), d);
		break;
	case WB_OP_LOCAL_GET:
		x = rd_u32(c);
		wb_cc__push(c, K_LOCAL, x, 0);
		break;
	case WB_OP_LOCAL_SET:
		compile_local_set(c, rd_u32(c), false);
		break;
	case WB_OP_LOCAL_TEE:
		compile_local_set(c, rd_u32(c), true);
		break;
	case WB_OP_GLOBAL_GET:
		x = rd_u32(c);
		d = wb_cc__push_slot(c);
		wb_cc__emit_dst(c, WB_I_GLOBAL_GET, pkhi(d, 0, x), d);
		break;
	case WB_OP_GLOBAL_SET:
		x = rd_u32(c);
		a = wb_cc__pop_slot(c);
		wb_cc__emit(c, WB_I_GLOBAL_SET);
		wb_cc__put(c, pkhi(a, 0, x));
		break;
	case WB_OP_TABLE_GET:
		x = rd_u32(c);
		a = wb_cc__pop_slot(c);
		d = wb_cc__push_slot(c);
		wb_cc__emit_dst(c, WB_I_TABLE_GET, pkhi(d, a, x), d);
		break;
	case WB_OP_TABLE_SET:
		x = rd_u32(c);
		b = wb_cc__pop_slot(c);
		a = wb_cc__pop_slot(c);
		wb_cc__emit(c, WB_I_TABLE_SET);
		wb_cc__put(c, pkhi(a, b, x));
		break;
	case WB_OP_MEMORY_SIZE:
		rd_u8(c);
		d = wb_cc__push_slot(c);
		wb_cc__emit_dst(c, WB_I_MEMORY_SIZE, pk(d, 0, 0, 0), d);
		break;
	case WB_OP_MEMORY_GROW:
		rd_u8(c);
		a = wb_cc__pop_slot(c);
		d = wb_cc__push_slot(c);
		wb_cc__emit_dst(c, WB_I_MEMORY_GROW, pk(d, a, 0, 0), d);
		break;
	case WB_OP_I32_CONST:
		wb_cc__push(c, K_CONST, 0, (uint32_t)rd_sleb(c));
		break;
	case WB_OP_I64_CONST:
		wb_cc__push(c, K_CONST, 0, (uint64_t)rd_sleb(c));
		break;
	case WB_OP_F32_CONST:
		wb_cc__push(c, K_CONST, 0, rd_bytes(c, 4));
		break;
	case WB_OP_F64_CONST:
		wb_cc__push(c, K_CONST, 0, rd_bytes(c, 8));
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
		wb_cc__push(c, K_CONST, 0, 0);
		break;
	case WB_OP_REF_FUNC:
		x = rd_u32(c);
		d = wb_cc__push_slot(c);
		wb_cc__emit_dst(c, WB_I_REF_FUNC, pkhi(d, 0, x), d);
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

static int compile_func(struct wb_cc *c, const struct wb_func_def *def, struct wb_code *code,
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

/*
 * The last steps, for the code kept (c still holds its cells and instruction
 * list): pairs, the accumulator's _A forms, the listing of a debug build, the
 * handler replicas.
 */
static void finish_code(struct wb_cc *c)
{
	wb_cc__pair_up(c);
	wb_cc__acc_up(c);
#ifdef WB_DUMP_CODE
	if (wb_dump__wanted(c->func_idx)) {
		uint32_t *ats = malloc(c->ins_cnt * sizeof(*ats) + 1);
		uint32_t *ops = malloc(c->ins_cnt * sizeof(*ops) + 1);

		for (uint32_t i = 0; ats && ops && i < c->ins_cnt; i++) {
			ats[i] = c->ins[i].at;
			ops[i] = c->ins[i].op;
		}
		if (ats && ops)
			wb_dump__code(c->func_idx, c->code, c->len, ats, ops, c->ins_cnt, c->base);
		free(ats);
		free(ops);
	}
#endif
	wb_cc__pick_replicas(c);
}

/*
 * Hand the function just compiled to the JIT, with its instruction list as
 * it is before pairs (the JIT reads operands from the cells, not handlers).
 */
static void jit_add(struct wb_cc *c, struct wb_jit *j, struct wb_code *code)
{
	uint32_t *at = malloc((c->ins_cnt + 1) * sizeof(*at));
	uint16_t *op = malloc((c->ins_cnt + 1) * sizeof(*op));

	if (at && op) {
		for (uint32_t i = 0; i < c->ins_cnt; i++) {
			at[i] = c->ins[i].at;
			op[i] = c->ins[i].op;
		}
		wb_jit__add(j, code, at, op, c->ins_cnt);
	}
	free(at);
	free(op);
}

int wb_compile(struct wb_module *m, bool jit, struct wb_error *err)
{
	struct wb_cc c;
	struct wb_code **codes = NULL;
	struct wb_jit *j = NULL;
	uint32_t i;
	int ret = 0;

	memset(&c, 0, sizeof(c));
	c.m = m;
	c.h = wb_interp__handlers();
	wb_cc__pair_init(&c);
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
	if (jit && wb_jit__available()) {
		j = wb_jit__new(m);
		if (!j) {
			ret = -ENOMEM;
			goto out;
		}
	}
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
		if (!ret && j)
			jit_add(&c, j, codes[i]);
		if (!ret)
			finish_code(&c);
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
	/*
	 * Without an executable mapping (a policy may forbid one, or memory is
	 * short) every function stays interpreted: the same results, slower.
	 */
	if (j && !wb_jit__finish(j)) {
		m->jit = j;
		j = NULL;
	}
	for (i = 0; i < m->code_cnt; i++)
		m->funcs[i].code = codes[i];
out:
	wb_jit__free(j);
	if (ret && codes) {
		for (i = 0; i < m->code_cnt; i++)
			wb_code__free(codes[i]);
	}
	free(codes);
	free(c.stk);
	free(c.ctl);
	free(c.ins);
	free(c.pair_tab);
	free(c.pair_list);
	return ret;
}
