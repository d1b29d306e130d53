/* SPDX-License-Identifier: MIT */
/*
 * The compiler's peepholes that fuse a sequence into one instruction
 * (compile_internal.h, code.h): an i32 operation on the result of the one
 * before it, loop-counter branches, loads and stores with their address
 * computation (folded adds, local.tee'd addresses, scaled indexes), and
 * stores of a fresh i32 result. Each acts on the instructions just emitted,
 * never across a branch target (c->label_at).
 */
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"

/* The operations of WB_OPST_LIST, in order. */
static const uint16_t opst_src[] = {
#define WB_X(n) WB_I_I32_##n,
	WB_OPST_LIST(WB_X)
#undef WB_X
};

/*
 * Is the last instruction emitted an i32 add (want_slot: I32_ADD; else
 * I32_ADD_I or I32_SUB_I) whose destination is x, with no label after its
 * start? Then *at is its first cell, and *ops its operands with a
 * subtraction's immediate negated.
 */
static bool last_add_to(struct wb_cc *c, uint32_t x, bool want_slot, uint32_t *at, uint64_t *ops)
{
	const struct wb_cc_ins *in;

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
bool wb_cc__incbr_emit(struct wb_cc *c, int idx, uint32_t a, uint32_t b, bool imm, uint32_t *off_at)
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
		idx = wb_cc_cmp_swap(idx);
		b = a;
	} else {
		return false;
	}
	wb_cc__retract(c, at);
	wb_cc__emit(c, (slot ? WB_I_INCBRS_I32_EQ : WB_I_INCBR_I32_EQ) + 2 * idx + (imm ? 1 : 0));
	wb_cc__put(c, ops);
	wb_cc__put(c, b);
	*off_at = c->len;
	wb_cc__put(c, (uint64_t)-1);
	return true;
}

/*
 * An i32 operation on the result of the instruction just emitted (and, for
 * a funnel shift, of the one before), fused into one instruction. The inner
 * instructions wrote only their home slots, and the fused one reads all its
 * sources before it writes, so retracting them is safe.
 */
bool wb_cc__fuse_ibin(struct wb_cc *c, int idx, uint32_t sa, uint32_t sb, uint32_t dst)
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
		wb_cc__retract(c, c->prev_at);
		wb_cc__emit_dst(c, WB_I_I32_FSH, pk(dst, WB_F1(shl), WB_F1(shr),
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
	wb_cc__retract(c, c->last_at);
	if (op == WB_I_I32_XOR_ROTL)
		wb_cc__emit_dst(c, op, pk(dst, x, WB_F1(in), WB_HI(in) & 31), dst);
	else
		wb_cc__emit_dst(c, op, pk(dst, WB_F1(in), WB_F2(in), x), dst);
	return true;
}

static bool addr_fusable(struct wb_cc *c, uint32_t depth, uint32_t off, uint64_t *ops)
{
	struct opnd *o = wb_cc__top(c, depth);

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
static bool compile_mem_wb(struct wb_cc *c, enum wb_iop iop, bool load, uint32_t off)
{
	struct opnd *addr = wb_cc__top(c, load ? 0 : 1);
	uint32_t x, at, v = 0, d = 0;
	uint64_t ops;
	enum wb_iop op;
	bool k;

	if (addr->kind != K_LOCAL)
		return false;
	if (!load && (wb_cc__top(c, 0)->kind == K_SLOT || !wb_cc__readable(c, wb_cc__top(c, 0))))
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
	wb_cc__retract(c, at);
	if (!load)
		v = wb_cc__pop_slot(c);
	c->sp--;
	if (load)
		v = d = wb_cc__push_slot(c);
	at = wb_cc__emit(c, op);
	wb_cc__put(c, k ? pk(v, WB_F1(ops), x, 0) : pk(v, WB_F1(ops), WB_F2(ops), x));
	wb_cc__put(c, k ? (uint64_t)WB_HI(ops) | (uint64_t)off << 32 : off);
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
static bool compile_op_store(struct wb_cc *c, enum wb_iop iop, uint32_t off)
{
	struct opnd *v = wb_cc__top(c, 0), *addr = wb_cc__top(c, 1);
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
	if ((addk && off) || (!addk && !wb_cc__readable(c, addr)))
		return false;
	in = c->code[c->last_at + 1];
	if (c->last_op == WB_I_I32_MADD && !addk && c->ins_cnt >= 2) {
		/* The multiply-add's multiplicand was loaded (LOAD_K) just before it: y[i] += a * x[j]. */
		const struct wb_cc_ins *ld = &c->ins[c->ins_cnt - 2];
		uint64_t lo = c->code[ld->at + 1];
		uint32_t t = WB_F0(lo);

		if (ld->op == WB_I_I32_LOAD_K && ld->at + 2 == c->last_at && ld->at >= c->label_at &&
		    t >= c->base && (WB_F1(in) == t) != (WB_F2(in) == t) && WB_F3(in) != t) {
			uint32_t b = WB_F1(in) == t ? WB_F2(in) : WB_F1(in);

			wb_cc__retract(c, ld->at);
			c->sp--;
			a = wb_cc__pop_slot(c);
			wb_cc__emit(c, WB_I_I32_LMADD_ST);
			wb_cc__put(c, pk(a, WB_F1(lo), b, WB_F3(in)));
			wb_cc__put(c, (uint64_t)WB_HI(lo) | (uint64_t)off << 32);
			return true;
		}
	}
	wb_cc__retract(c, c->last_at);
	c->sp--;
	if (addk) {
		a = addr->slot;
		k = (uint32_t)addr->k;
		c->sp--;
	} else {
		a = wb_cc__pop_slot(c);
		k = off;
	}
	wb_cc__emit(c, WB_I_I32_ADD_ST + 2 * f + (addk ? 1 : 0));
	wb_cc__put(c, pk(a, WB_F1(in), WB_F2(in), WB_F3(in)));
	wb_cc__put(c, k);
	return true;
}

/*
 * The i32.add just emitted (operands ops) adds an index shifted by a
 * constant: find that i32.shl, and an add-immediate base, among the two
 * instructions right before it. Gives the first cell of the sequence and
 * the operands of a scaled-index load (code.h, _SX).
 */
static bool scaled_index(struct wb_cc *c, uint64_t ops, uint64_t *sx, uint64_t *k, uint32_t *first)
{
	uint32_t n = c->ins_cnt, p = WB_F1(ops), q = WB_F2(ops), j;
	uint64_t so = 0, ao = 0;
	bool shl = false, addk = false;

	if (p == q || n < 2)
		return false;
	for (j = 2; j <= 3 && j <= n; j++) {
		const struct wb_cc_ins *in = &c->ins[n - j];
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

void wb_cc__compile_mem(struct wb_cc *c, enum wb_iop iop, bool load, uint32_t off)
{
	uint32_t a, b, d;
	uint64_t ops;
	enum wb_iop fused;

	if (compile_mem_wb(c, iop, load, off) || (!load && compile_op_store(c, iop, off)))
		return;

	/* _K and _X follow each other, two per load/store, after WB_I_I32_LOAD_K. */
	fused = WB_I_I32_LOAD_K + 2 * (iop - WB_I_I32_LOAD);
	if (load && off == 0 && wb_cc__top(c, 0)->kind == K_ADDK) {
		struct opnd o = *wb_cc__top(c, 0);

		c->sp--;
		d = wb_cc__push_slot(c);
		wb_cc__emit_dst(c, fused, pkhi(d, o.slot, (uint32_t)o.k), d);
		return;
	}
	if (!load && off == 0 && wb_cc__top(c, 1)->kind == K_ADDK) {
		struct opnd o;

		b = wb_cc__pop_slot(c);
		o = *wb_cc__top(c, 0);
		c->sp--;
		wb_cc__emit(c, fused);
		wb_cc__put(c, pkhi(b, o.slot, (uint32_t)o.k));
		return;
	}
	if (load && addr_fusable(c, 0, off, &ops)) {
		bool k = c->last_op == WB_I_I32_ADD_I;
		uint64_t sx, sk;
		uint32_t first, at;

		if (!k && scaled_index(c, ops, &sx, &sk, &first)) {
			wb_cc__retract(c, first);
			c->sp--;
			d = wb_cc__push_slot(c);
			at = wb_cc__emit(c, WB_I_I32_LOAD_SX + (iop - WB_I_I32_LOAD));
			wb_cc__put(c, sx | d);
			wb_cc__put(c, sk | (uint64_t)off << 32);
			c->last_ok = true;
			c->last_at = at;
			c->last_end = c->len;
			c->last_dst = d;
			c->last_op = WB_I_I32_LOAD_SX + (iop - WB_I_I32_LOAD);
			return;
		}

		wb_cc__retract(c, c->last_at);
		c->sp--;
		d = wb_cc__push_slot(c);
		if (k)
			wb_cc__emit_dst(c, fused, pkhi(d, WB_F1(ops), WB_HI(ops)), d);
		else
			wb_cc__emit_dst(c, fused + 1, pk(d, WB_F1(ops), WB_F2(ops), off), d);
		return;
	}
	if (!load && wb_cc__top(c, 0)->kind != K_SLOT && wb_cc__readable(c, wb_cc__top(c, 0)) &&
	    addr_fusable(c, 1, off, &ops)) {
		bool k = c->last_op == WB_I_I32_ADD_I;

		wb_cc__retract(c, c->last_at);
		b = wb_cc__pop_slot(c);
		c->sp--;
		wb_cc__emit(c, k ? fused : fused + 1);
		wb_cc__put(c, k ? pkhi(b, WB_F1(ops), WB_HI(ops)) : pk(b, WB_F1(ops), WB_F2(ops), off));
		return;
	}
	if (load) {
		a = wb_cc__pop_slot(c);
		d = wb_cc__push_slot(c);
		wb_cc__emit_dst(c, iop, pkhi(d, a, off), d);
	} else {
		b = wb_cc__pop_slot(c);
		a = wb_cc__pop_slot(c);
		wb_cc__emit(c, iop);
		wb_cc__put(c, pkhi(b, a, off));
	}
}

/* ---------------------------------------------------------------- pairs */

struct pair_def {
	uint16_t a, b, op;
	uint8_t cells;
};

/* WB_PAIR_LIST, in its order (which is also the order of the pair opcodes). */
static const struct pair_def pair_defs[] = {
#define WB_X(a, b, n, k) { WB_I_##a, WB_I_##b, WB_I_P_##a##__##b, n },
	WB_PAIR_LIST(WB_X)
#undef WB_X
};
#define PAIR_CNT (sizeof(pair_defs) / sizeof(pair_defs[0]))

/*
 * Index pair_defs by first opcode: pair_by_a lists the pairs ordered by first
 * opcode (in list order within one), those of opcode op from pair_at[op],
 * pair_cnt[op] of them.
 */
void wb_cc__pair_init(struct wb_cc *c)
{
	uint8_t done[WB_I__COUNT] = { 0 };
	uint32_t i, j, n = 0;

	_Static_assert(PAIR_CNT < 256, "pair index fits a byte");
	_Static_assert(WB_I__COUNT <= 65536, "an opcode fits struct wb_cc_ins's op");
	memset(c->pair_cnt, 0, sizeof(c->pair_cnt));
	for (i = 0; i < PAIR_CNT; i++)
		c->pair_cnt[pair_defs[i].a]++;
	for (i = 0; i < PAIR_CNT; i++) {
		uint16_t a = pair_defs[i].a;

		if (!done[a]) {
			done[a] = 1;
			c->pair_at[a] = (uint8_t)n;
			for (j = i; j < PAIR_CNT; j++) {
				if (pair_defs[j].a == a)
					c->pair_by_a[n++] = (uint8_t)j;
			}
		}
	}
}

/*
 * The pair (index in pair_defs) that instructions i and i + 1 make, or -1.
 * The second instruction must start right where the pair's handler expects
 * it.
 */
static int pair_find(const struct wb_cc *c, uint32_t i)
{
	uint32_t a = c->ins[i].op, b, n, j;

	if (i + 1 >= c->ins_cnt || !c->pair_cnt[a])
		return -1;
	b = c->ins[i + 1].op;
	n = c->ins[i + 1].at - c->ins[i].at;
	for (j = c->pair_at[a]; j < c->pair_at[a] + c->pair_cnt[a]; j++) {
		const struct pair_def *d = &pair_defs[c->pair_by_a[j]];

		if (d->b == b && d->cells == n)
			return c->pair_by_a[j];
	}
	return -1;
}

/*
 * Turn adjacent instructions into pairs, left to right. When the second
 * instruction of a pair would rather pair with the one after it (its pair
 * comes first in WB_PAIR_LIST), it is left for that. Only the instruction
 * list changes: the pair's opcode replaces the first one's, whose handler
 * wb_cc__pick_replicas writes; the second keeps its cells and handler.
 */
void wb_cc__pair_up(struct wb_cc *c)
{
	uint32_t i, j = 0, n = c->ins_cnt;

	for (i = 0; i < n; i++) {
		int p = pair_find(c, i), q;

		if (p >= 0 && (q = pair_find(c, i + 1)) >= 0 && q < p)
			p = -1;
		c->ins[j] = c->ins[i];
		if (p >= 0) {
			c->ins[j].op = pair_defs[p].op;
			i++;
		}
		j++;
	}
	c->ins_cnt = j;
}

/* Where an instruction that ends in an unconditional jump keeps its offset. */
bool wb_cc__jump_cell(uint32_t op, uint32_t *cell)
{
	uint32_t i;

	if (op == WB_I_BR) {
		*cell = 1;
		return true;
	}
	if (op < WB_I__PAIR_FIRST || op >= WB_I__COUNT)
		return false;
	i = op - WB_I__PAIR_FIRST;
	if (pair_defs[i].b != WB_I_BR)
		return false;
	*cell = pair_defs[i].cells + 1u;
	return true;
}

/* ---------------------------------------------------------------- the accumulator */

/* Does op leave its result in the interpreter's accumulator (code.h, _A)? */
bool wb_cc__sets_acc(uint32_t op)
{
	if (op >= WB_I_I32_ADD && op < WB_I_BR_I32_EQ)
		return (op - WB_I_I32_ADD) % 4 < 2;	/* the i32 forms, not the i64 ones */
	return op >= WB_I_I32_ADD_A && op < WB_I__PAIR_FIRST;
}

/*
 * May the i32 operation about to be emitted take its first operand, slot
 * sa, from the accumulator? Only if the instruction just emitted wrote sa
 * (itself or through a local.set that took its result) and sets the
 * accumulator, and no branch lands between them.
 */
bool wb_cc__acc_ok(const struct wb_cc *c, uint32_t sa)
{
	return c->acc_live && c->len == c->acc_end && c->acc_at >= c->label_at &&
	       c->acc_slot == sa;
}

/* Mark the instruction just emitted as one that may read the accumulator. */
void wb_cc__acc_mark(struct wb_cc *c)
{
	if (c->ins_cnt)
		c->ins[c->ins_cnt - 1].acc = true;
}

/*
 * After pairing: turn the marked instructions that are still single i32
 * operations, right after an instruction (or a pair whose second one) that
 * sets the accumulator with the same slot, into their _A forms. An
 * instruction that fused away or went into a pair keeps reading its slot.
 */
void wb_cc__acc_up(struct wb_cc *c)
{
	uint32_t k;

	_Static_assert((WB_I_I32_EQ - WB_I_I32_ADD) / 4 == (WB_I__PAIR_FIRST - WB_I_I32_ADD_A) / 2,
		       "WB_ACC_LIST is the start of WB_IBIN_LIST, up to EQ");
	for (k = 1; k < c->ins_cnt; k++) {
		const struct wb_cc_ins *p = &c->ins[k - 1];
		struct wb_cc_ins *in = &c->ins[k];
		uint32_t op = in->op, prod = p->op, pat = p->at, idx;

		if (!in->acc || op < WB_I_I32_ADD || op >= WB_I_I32_EQ ||
		    (op - WB_I_I32_ADD) % 4 >= 2)
			continue;
		if (prod >= WB_I__PAIR_FIRST) {
			pat += pair_defs[prod - WB_I__PAIR_FIRST].cells;
			prod = pair_defs[prod - WB_I__PAIR_FIRST].b;
		}
		if (!wb_cc__sets_acc(prod) || pat + 2 != in->at ||
		    WB_F0(c->code[pat + 1]) != WB_F1(c->code[in->at + 1]))
			continue;
		idx = (op - WB_I_I32_ADD) / 4;
		in->op = (uint16_t)(WB_I_I32_ADD_A + 2 * idx + (op - WB_I_I32_ADD) % 4);
	}
}
