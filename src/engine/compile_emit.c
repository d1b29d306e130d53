/* SPDX-License-Identifier: MIT */
/*
 * The compiler's emitter (compile_internal.h): appending instructions and
 * taking back the last ones, the simulated operand stack with its lazy
 * operands, and, once a function is compiled, the choice of a handler
 * replica for every instruction.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"

bool wb_cc__grow(void **arr, uint32_t *cap, uint32_t need, size_t elem)
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

void wb_cc__put_slow(struct wb_cc *c, uint64_t v)
{
	if (c->len >= c->cap && !wb_cc__grow((void **)&c->code, &c->cap, c->len + 1, sizeof(wb_cell))) {
		c->err = -ENOMEM;
		return;
	}
	c->code[c->len++] = v;
}

uint32_t wb_cc__emit(struct wb_cc *c, enum wb_iop op)
{
	uint32_t at = c->len;

	c->prev_ok = c->last_ok && c->last_end == at;
	c->prev_at = c->last_at;
	c->prev_dst = c->last_dst;
	c->prev_op = c->last_op;
	c->last_ok = false;
	c->cmp_ok = false;
	c->acc_live = false;
	if (!c->pos_cnt || c->pos[c->pos_cnt - 1].offset != c->ins_off) {
		if (wb_cc__grow((void **)&c->pos, &c->pos_cap, c->pos_cnt + 1, sizeof(*c->pos))) {
			c->pos[c->pos_cnt].cell = at;
			c->pos[c->pos_cnt].offset = c->ins_off;
			c->pos_cnt++;
		} else {
			c->err = -ENOMEM;
		}
	}
	if (wb_cc__grow((void **)&c->ins, &c->ins_cap, c->ins_cnt + 1, sizeof(*c->ins))) {
		c->ins[c->ins_cnt].at = at;
		c->ins[c->ins_cnt].op = (uint16_t)op;
		c->ins[c->ins_cnt].acc = false;
		c->ins_cnt++;
	} else {
		c->err = -ENOMEM;
	}
	wb_cc__put(c, (uint64_t)(uintptr_t)c->h[op]);
	return at;
}

void wb_cc__retract(struct wb_cc *c, uint32_t at)
{
	c->len = at;
	while (c->pos_cnt && c->pos[c->pos_cnt - 1].cell >= at)
		c->pos_cnt--;
	while (c->ins_cnt && c->ins[c->ins_cnt - 1].at >= at)
		c->ins_cnt--;
	c->last_ok = false;
	c->cmp_ok = false;
	c->acc_live = false;
}

void wb_cc__emit_dst(struct wb_cc *c, enum wb_iop op, uint64_t operands, uint32_t dst)
{
	uint32_t at = wb_cc__emit(c, op);

	wb_cc__put(c, operands);
	c->last_ok = true;
	c->last_at = at;
	c->last_end = c->len;
	c->last_dst = dst;
	c->last_op = op;
	if (wb_cc__sets_acc(op)) {
		c->acc_live = true;
		c->acc_at = at;
		c->acc_end = c->len;
		c->acc_slot = dst;
	}
}

void wb_cc__emit_const(struct wb_cc *c, uint32_t dst, uint64_t k)
{
	if (k >> 32 == 0) {
		wb_cc__emit_dst(c, WB_I_CONST32, pkhi(dst, 0, (uint32_t)k), dst);
	} else {
		wb_cc__emit(c, WB_I_CONST64);
		wb_cc__put(c, pk(dst, 0, 0, 0));
		wb_cc__put(c, k);
	}
}

void wb_cc__emit_mov(struct wb_cc *c, uint32_t dst, uint32_t src)
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
	wb_cc__emit_dst(c, WB_I_MOV, pk(dst, src, 0, 0), dst);
}

void wb_cc__emit_move(struct wb_cc *c, uint32_t dst, const struct opnd *o)
{
	if (o->kind == K_CONST)
		wb_cc__emit_const(c, dst, o->k);
	else if (o->kind == K_ADDK)
		wb_cc__emit_dst(c, WB_I_I32_ADD_I, pkhi(dst, o->slot, (uint32_t)o->k), dst);
	else
		wb_cc__emit_mov(c, dst, o->slot);
}

void wb_cc__push(struct wb_cc *c, uint8_t kind, uint32_t slot, uint64_t k)
{
	struct opnd *o;

	if (c->sp >= c->stk_cap &&
	    !wb_cc__grow((void **)&c->stk, &c->stk_cap, c->sp + 1, sizeof(*c->stk))) {
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

uint32_t wb_cc__push_slot(struct wb_cc *c)
{
	uint32_t h = home(c, c->sp);

	wb_cc__push(c, K_SLOT, h, 0);
	return h;
}

void wb_cc__materialize(struct wb_cc *c, uint32_t i)
{
	struct opnd *o = &c->stk[i];
	uint32_t h = home(c, i);

	if (o->kind == K_SLOT)
		return;
	wb_cc__emit_move(c, h, o);
	o->kind = K_SLOT;
	o->slot = h;
	o->k = 0;
}

uint32_t wb_cc__pool_find(struct wb_cc *c, uint64_t k)
{
	uint32_t j;

	for (j = 0; j < c->pool_cnt && c->pool[j] != k; j++)
		;
	return j;
}

bool wb_cc__readable(struct wb_cc *c, const struct opnd *o)
{
	if (o->kind == K_CONST)
		return c->pool_on && wb_cc__pool_find(c, o->k) < c->pool_cnt;
	return o->kind != K_ADDK;
}

uint32_t wb_cc__pop_slot(struct wb_cc *c)
{
	uint32_t i;

	if (!c->sp) {
		c->err = c->err ? c->err : -EINVAL;
		return 0;
	}
	i = c->sp - 1;
	if (c->stk[i].kind == K_CONST) {
		uint32_t j = wb_cc__pool_find(c, c->stk[i].k);

		if (c->pool_on && j < c->pool_cnt) {
			c->sp--;
			return c->pool_base + j;
		}
		if (!c->pool_on && j == c->pool_cnt && j < WB_POOL_MAX)
			c->pool[c->pool_cnt++] = c->stk[i].k;
	}
	if (c->stk[i].kind == K_CONST || c->stk[i].kind == K_ADDK)
		wb_cc__materialize(c, i);
	c->sp--;
	return c->stk[i].slot;
}

struct opnd *wb_cc__top(struct wb_cc *c, uint32_t depth)
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

void wb_cc__spill_locals(struct wb_cc *c)
{
	uint32_t i;

	for (i = 0; i < c->sp; i++) {
		if (c->stk[i].kind == K_LOCAL || c->stk[i].kind == K_ADDK)
			wb_cc__materialize(c, i);
	}
}

/*
 * Copy the top n operands to slots dst .. dst + n - 1 without changing the
 * compile-time stack (the copies may run on one path only). Sources in home
 * slots are always above their destination, so ascending order is safe; a
 * local source inside the destination range (return) goes through its home
 * slot first.
 */
void wb_cc__emit_result_moves(struct wb_cc *c, uint32_t dst, uint32_t n)
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
				wb_cc__emit_move(c, home(c, c->sp - n + j), o);
		}
		for (j = 0; j < n; j++)
			wb_cc__emit_mov(c, dst + j, home(c, c->sp - n + j));
		return;
	}
	for (j = 0; j < n; j++)
		wb_cc__emit_move(c, dst + j, &c->stk[c->sp - n + j]);
}

static uint32_t successor(struct wb_cc *c, uint32_t i)
{
	uint32_t at = c->ins[i].at, lo = 0, hi = c->ins_cnt, cell;
	int64_t t;

	if (!wb_cc__jump_cell(c->ins[i].op, &cell) || at + cell >= c->len)
		return i + 1 < c->ins_cnt ? c->ins[i + 1].op : 0;
	t = (int64_t)at + cell + (int64_t)c->code[at + cell];
	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;

		if ((int64_t)c->ins[mid].at <= t)
			lo = mid;
		else
			hi = mid;
	}
	return (int64_t)c->ins[lo].at == t ? c->ins[lo].op : 0;
}


static int cmp_succ_pair(const void *x, const void *y)
{
	const struct wb_cc_pair *p = x, *q = y;

	if (p->key >> 16 != q->key >> 16)
		return p->key >> 16 < q->key >> 16 ? -1 : 1;
	if (p->cnt != q->cnt)
		return p->cnt > q->cnt ? -1 : 1;
	return p->key < q->key ? -1 : p->key > q->key;
}

static struct wb_cc_pair *succ_find(struct wb_cc_pair *tab, uint32_t cap, uint32_t key)
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
void wb_cc__pick_replicas(struct wb_cc *c)
{
	uint32_t n = c->ins_cnt, cap = 16, m = 0, i, rank = 0, prev = UINT32_MAX;
	struct wb_cc_pair *tab = NULL, *list = NULL;

	while (WB_REPL_BITS && cap < 2 * n)
		cap *= 2;
	/* The tables live in c, reused from one function to the next. */
	if (WB_REPL_BITS && n && wb_cc__grow((void **)&c->pair_tab, &c->pair_tab_cap, cap,
					    sizeof(*tab)) &&
	    wb_cc__grow((void **)&c->pair_list, &c->pair_list_cap, n, sizeof(*list))) {
		tab = c->pair_tab;
		list = c->pair_list;
		memset(tab, 0, cap * sizeof(*tab));
	}
	if (tab && list) {
		for (i = 0; i < n; i++) {
			uint32_t key = (c->ins[i].op << 16 | successor(c, i)) + 1;
			struct wb_cc_pair *e = succ_find(tab, cap, key);

			e->key = key;
			e->cnt++;
		}
		for (i = 0; i < cap; i++) {
			if (tab[i].key)
				list[m++] = tab[i];
		}
		if (m > 64) {
			qsort(list, m, sizeof(*list), cmp_succ_pair);
		} else {
			/* Few pairs (most functions): an insertion sort, without qsort's allocation. */
			for (i = 1; i < m; i++) {
				struct wb_cc_pair x = list[i];
				uint32_t j = i;

				for (; j > 0 && cmp_succ_pair(&list[j - 1], &x) > 0; j--)
					list[j] = list[j - 1];
				list[j] = x;
			}
		}
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
			r = ((next + 1) * 0x9e3779b1u) >> (31 - WB_REPL_BITS) >> 1;
		c->code[c->ins[i].at] = (uint64_t)(uintptr_t)c->h[r * WB_I__COUNT + op];
	}
}
