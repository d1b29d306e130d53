/* SPDX-License-Identifier: MIT */
/*
 * Statements for the differential test's generator (gen.c): accesses at
 * pointer walks, operations stored, increments then branches, fusion
 * candidates right after a branch target, counted loops in every spelling of
 * a latch, blocks and branches, and the statements that trap on purpose.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "gen.h"

static const char *const divs[] = { "div_s", "div_u", "rem_s", "rem_u" };
static const char *const store32[] = { "i32.store", "i32.store8", "i32.store16" };
static const char *const store64[] = { "i64.store", "i64.store8", "i64.store16", "i64.store32" };
/* The i32 operations that fuse with a following i32.store (code.h, WB_OPST_LIST). */
static const char *const opst[] = { "add", "sub", "and", "or", "xor" };

/* ---------------------------------------------------------------- branch targets */

/* Open `block $Ln`/`if $Ln` with no results: a target for br, br_if, br_table. */
static int open_target(struct gen *g, const char *kind)
{
	int l = gen_new_label(g);

	gen_op(g, "%s $L%d", kind, l);
	g->ind++;
	if (g->target_cnt < MAX_TARGETS)
		g->targets[g->target_cnt++] = l;
	return l;
}

static void close_target(struct gen *g)
{
	g->ind--;
	gen_op(g, "end");
	g->target_cnt--;
}

/* The name of an open target, -1 if there is none. */
static int some_target(struct gen *g)
{
	return g->target_cnt ? g->targets[gen_below(g, g->target_cnt)] : -1;
}

/* ---------------------------------------------------------------- statements */

static void remask(struct gen *g, const char *p)
{
	gen_op(g, "local.get %s", p);
	gen_to_ptr(g);
	gen_op(g, "local.set %s", p);
}

/* A value for a fused store: readable without code (a local or a constant), or not. */
static void store_value(struct gen *g, bool is64, const char *ptr, int d)
{
	int r = gen_below(g, 10);

	if (is64) {
		if (r < 7)
			gen_leaf64(g);
		else
			gen_e64(g, d + 1);
		return;
	}
	if (r < 3 && ptr)
		gen_op(g, "local.get %s", ptr);	/* the address local itself */
	else if (r < 8)
		gen_leaf32(g);
	else
		gen_e32(g, d + 1);
}

/* Accesses at a pointer walk (_KW/_XW): loads into a free local, a pointer, a stride, or a store. */
static void walk_stmt(struct gen *g, int d)
{
	const char *p;
	int w;

	gen_walk(g, d);
	switch (gen_below(g, 8)) {
	case 0:
		gen_mem_any(g, gen_load32);
		gen_op(g, "local.set %s", PICK(g, gen_free32));
		break;
	case 1:
		gen_mem_any(g, gen_load64);
		gen_op(g, "local.set %s", PICK(g, gen_free64));
		break;
	case 2:
		/* The loaded value replaces the address local (then is masked again). */
		p = PICK(g, gen_ptrs);
		gen_mem_any(g, gen_load32);
		gen_op(g, "local.set %s", p);
		remask(g, p);
		break;
	case 3:
		p = PICK(g, gen_strides);
		gen_mem_any(g, gen_load32);
		gen_op(g, "i32.const 63");
		gen_op(g, "i32.and");
		gen_op(g, "local.set %s", p);
		break;
	case 4:
		gen_mem_any(g, gen_load32);
		gen_op(g, "drop");
		break;
	case 5:
	case 6:
		/* Store; the value may be the address local just written. */
		w = gen_below(g, N(store32));
		store_value(g, false, PICK(g, gen_ptrs), d);
		gen_mem(g, store32[w], gen_offset(g));
		break;
	default:
		store_value(g, true, NULL, d);
		gen_mem_any(g, store64);
		break;
	}
}

/*
 * i32.store of a fresh add/sub/and/or/xor, multiply-add (also of a loaded
 * multiplicand) or funnel shift (_ST/_STK, I32_LMADD_ST).
 */
static void opstore_stmt(struct gen *g, int d)
{
	bool addk = gen_chance(g, 40);
	unsigned int off = addk && gen_chance(g, 70) ? 0 : gen_offset(g);

	if (addk) {
		gen_op(g, "local.get %s", PICK(g, gen_ptrs));
		gen_op(g, "i32.const %d", gen_below(g, 64));
		gen_op(g, "i32.add");
	} else {
		gen_addr(g, d);
	}
	switch (gen_below(g, 9)) {
	case 0:
	case 1:
		gen_fused32(g, d);
		break;
	case 2:
		gen_e32(g, d + 1);
		gen_e32(g, d + 1);
		gen_op(g, "i32.%s", PICK(g, opst));
		break;
	case 3: {
		/* y[i] += a * x[j]: a multiplicand loaded at p + k (I32_LMADD_ST). */
		bool swap = gen_chance(g, 50);

		if (swap)
			gen_leaf32(g);
		gen_op(g, "local.get %s", PICK(g, gen_ptrs));
		gen_op(g, "i32.const %d", 4 * gen_below(g, 16));
		gen_op(g, "i32.add");
		gen_op(g, "i32.load");
		if (!swap)
			gen_leaf32(g);
		gen_op(g, "i32.mul");
		gen_leaf32(g);
		gen_op(g, "i32.add");
		break;
	}
	default:
		gen_leaf32(g);
		if (gen_chance(g, 70))
			gen_leaf32(g);
		else
			gen_e32(g, d + 1);
		gen_op(g, "i32.%s", PICK(g, opst));
		break;
	}
	gen_mem(g, "i32.store", off);
}

static void cmp_against(struct gen *g, const char *x)
{
	switch (gen_below(g, 3)) {
	case 0:
		gen_op(g, "i32.const %" PRId32, gen_k32(g));
		break;
	case 1:
		gen_op(g, "i32.const %d", gen_below(g, 20));
		break;
	default:
		gen_op(g, "local.get %s", x);
		break;
	}
}

/*
 * Add-immediate (or sub, or add of a local) into a free local, then a branch
 * on it: compare, swapped compare, the local itself, eqz, eqz of a compare
 * (INCBR). The branch is a br_if to an open block or an if.
 */
static void incbr_stmt(struct gen *g, int d)
{
	const char *x = PICK(g, gen_free32), *y = PICK(g, gen_read32);
	bool right = gen_chance(g, 25);
	int t = some_target(g), form = gen_below(g, 5);

	if (right && form == 0)
		gen_op(g, "local.get %s", y);
	switch (gen_below(g, 4)) {
	case 0:
		gen_op(g, "local.get %s", x);
		gen_op(g, "i32.const %" PRId32,
		       gen_chance(g, 70) ? gen_below(g, 9) - 4 : gen_k32(g));
		gen_op(g, "i32.add");
		break;
	case 1:
		gen_op(g, "local.get %s", x);
		gen_op(g, "i32.const %" PRId32, gen_below(g, 9) - 4);
		gen_op(g, "i32.sub");
		break;
	case 2:
		gen_op(g, "i32.const %" PRId32, gen_below(g, 9) - 4);
		gen_op(g, "local.get %s", x);
		gen_op(g, "i32.add");
		break;
	default:
		gen_op(g, "local.get %s", x);
		gen_op(g, "local.get %s", PICK(g, gen_read32));
		gen_op(g, "i32.add");
		break;
	}
	if (gen_chance(g, 75)) {
		gen_op(g, "local.tee %s", x);
	} else {
		gen_op(g, "local.set %s", x);
		gen_op(g, "local.get %s", x);
	}
	switch (form) {
	case 0:
		if (!right)
			cmp_against(g, y);
		gen_op(g, "i32.%s", PICK(g, gen_cmps));
		break;
	case 1:
		break;
	case 2:
		gen_op(g, "i32.eqz");
		break;
	case 3:
		cmp_against(g, y);
		gen_op(g, "i32.%s", PICK(g, gen_cmps));
		gen_op(g, "i32.eqz");
		break;
	default:
		gen_op(g, "i32.const %d", gen_below(g, 8));
		gen_op(g, "i32.%s", PICK(g, gen_cmps));
		break;
	}
	if (t >= 0 && gen_chance(g, 60)) {
		gen_op(g, "br_if $L%d", t);
		return;
	}
	open_target(g, "if");
	gen_stmts(g, d + 1, 1);
	if (gen_chance(g, 40)) {
		g->ind--;
		gen_op(g, "else");
		g->ind++;
		gen_stmts(g, d + 1, 1);
	}
	close_target(g);
}

/*
 * Fusion candidates right after a branch target: the add (or operation)
 * before the target runs on one path only, so the instruction after the
 * target must not absorb it.
 */
static void label_stmt(struct gen *g, int d)
{
	const char *x = PICK(g, gen_free32), *p = PICK(g, gen_ptrs);
	int l, t;

	switch (gen_below(g, 5)) {
	case 0:
		/* block { br_if; x += k }  then a branch on x (INCBR). */
		l = open_target(g, "block");
		gen_e32(g, d + 1);
		gen_op(g, "br_if $L%d", l);
		gen_op(g, "local.get %s", x);
		gen_op(g, "i32.const %d", gen_below(g, 9) - 4);
		gen_op(g, "i32.add");
		gen_op(g, "local.set %s", x);
		close_target(g);
		gen_op(g, "local.get %s", x);
		if (gen_chance(g, 50)) {
			gen_op(g, "i32.const %d", gen_below(g, 9));
			gen_op(g, "i32.%s", PICK(g, gen_cmps));
		}
		t = some_target(g);
		if (t >= 0 && gen_chance(g, 50)) {
			gen_op(g, "br_if $L%d", t);
		} else {
			gen_op(g, "if");
			g->ind++;
			gen_op(g, "local.get %s", x);
			gen_op(g, "i32.const 3");
			gen_op(g, "i32.xor");
			gen_op(g, "local.set %s", x);
			g->ind--;
			gen_op(g, "end");
		}
		break;
	case 1:
		/* if { x += k }  then x used (the if's end is a target). */
		gen_e32(g, d + 1);
		gen_op(g, "if");
		g->ind++;
		gen_op(g, "local.get %s", x);
		gen_op(g, "i32.const %d", gen_below(g, 9) - 4);
		gen_op(g, "i32.add");
		gen_op(g, "local.set %s", x);
		g->ind--;
		gen_op(g, "end");
		gen_op(g, "local.get %s", x);
		gen_op(g, "i32.eqz");
		gen_op(g, "if");
		g->ind++;
		gen_op(g, "i32.const %" PRId32, gen_k32(g));
		gen_op(g, "local.set %s", x);
		g->ind--;
		gen_op(g, "end");
		break;
	case 2:
		/* block (result i32) { p; br_if; p + k }  local.tee p; access (_KW). */
		l = gen_new_label(g);
		gen_op(g, "block $L%d (result i32)", l);
		g->ind++;
		gen_op(g, "local.get %s", p);
		gen_e32(g, d + 1);
		gen_op(g, "br_if $L%d", l);
		gen_op(g, "drop");
		gen_op(g, "local.get %s", p);
		if (g->walk < 63 || gen_chance(g, 50)) {
			gen_op(g, "i32.const %d", gen_walk_step(g));
		} else {
			g->walk -= 63;
			gen_op(g, "local.get %s", PICK(g, gen_strides));
		}
		gen_op(g, "i32.add");
		g->ind--;
		gen_op(g, "end");
		gen_op(g, "local.tee %s", p);
		if (gen_chance(g, 50)) {
			gen_mem_any(g, gen_load32);
			gen_op(g, "local.set %s", x);
		} else {
			store_value(g, false, p, d);
			gen_mem_any(g, store32);
		}
		break;
	case 3:
		/* block (result i32) { a; br_if; b; op }  i32.store (_ST). */
		gen_addr(g, d);
		l = gen_new_label(g);
		gen_op(g, "block $L%d (result i32)", l);
		g->ind++;
		gen_leaf32(g);
		gen_e32(g, d + 1);
		gen_op(g, "br_if $L%d", l);
		gen_leaf32(g);
		gen_op(g, "i32.%s", PICK(g, opst));
		g->ind--;
		gen_op(g, "end");
		gen_mem(g, "i32.store", gen_offset(g));
		break;
	default:
		/* The same over an else and over a br_table. */
		if (gen_chance(g, 50)) {
			gen_e32(g, d + 1);
			gen_op(g, "if (result i32)");
			g->ind++;
			gen_op(g, "local.get %s", p);
			gen_op(g, "i32.const %d", gen_walk_step(g));
			gen_op(g, "i32.add");
			g->ind--;
			gen_op(g, "else");
			g->ind++;
			gen_op(g, "local.get %s", p);
			g->ind--;
			gen_op(g, "end");
			gen_op(g, "local.tee %s", p);
			gen_mem_any(g, gen_load32);
			gen_op(g, "local.set %s", x);
		} else {
			l = open_target(g, "block");
			open_target(g, "block");
			gen_e32(g, d + 1);
			gen_op(g, "br_table $L%d $L%d $L%d", l, l + 1, l);
			close_target(g);
			gen_op(g, "local.get %s", x);
			gen_op(g, "i32.const 1");
			gen_op(g, "i32.add");
			gen_op(g, "local.set %s", x);
			close_target(g);
			gen_op(g, "local.get %s", x);
			gen_op(g, "i32.const %d", gen_below(g, 4));
			gen_op(g, "i32.%s", PICK(g, gen_cmps));
			gen_op(g, "if");
			g->ind++;
			gen_stmts(g, d + 1, 1);
			g->ind--;
			gen_op(g, "end");
		}
		break;
	}
}

/* ---------------------------------------------------------------- loops */

/* The body of a loop: pointers masked again (bounding the walks), then statements. */
static void loop_body(struct gen *g, int d)
{
	int i;

	for (i = 0; i < N(gen_ptrs); i++)
		remask(g, gen_ptrs[i]);
	gen_stmts(g, d + 1, 1 + gen_below(g, 3));
}

/* `local.get c; i32.const k; i32.add` or an equivalent way of adding k. */
static void bump(struct gen *g, const char *c, int k)
{
	switch (gen_below(g, 4)) {
	case 0:
		gen_op(g, "i32.const %d", k);
		gen_op(g, "local.get %s", c);
		gen_op(g, "i32.add");
		break;
	case 1:
		gen_op(g, "local.get %s", c);
		gen_op(g, "i32.const %d", -k);
		gen_op(g, "i32.sub");
		break;
	default:
		gen_op(g, "local.get %s", c);
		gen_op(g, "i32.const %d", k);
		gen_op(g, "i32.add");
		break;
	}
}

/* local.tee c, or local.set c then local.get c. */
static void tee(struct gen *g, const char *c)
{
	if (gen_chance(g, 75)) {
		gen_op(g, "local.tee %s", c);
	} else {
		gen_op(g, "local.set %s", c);
		gen_op(g, "local.get %s", c);
	}
}

/* The latch compare of an up-counting loop: continue while c < lim, in one of four spellings. */
static void latch_up(struct gen *g, const char *c, int k, int lim, bool sgn)
{
	const char *s = sgn ? "s" : "u";

	switch (gen_below(g, 4)) {
	case 0:
		bump(g, c, k);
		tee(g, c);
		gen_op(g, "i32.const %d", lim);
		gen_op(g, "i32.lt_%s", s);
		break;
	case 1:
		bump(g, c, k);
		tee(g, c);
		gen_op(g, "i32.const %d", lim - 1);
		gen_op(g, "i32.le_%s", s);
		break;
	case 2:
		gen_op(g, "i32.const %d", lim);
		bump(g, c, k);
		tee(g, c);
		gen_op(g, "i32.gt_%s", s);
		break;
	default:
		gen_op(g, "i32.const %d", lim - 1);
		bump(g, c, k);
		tee(g, c);
		gen_op(g, "i32.ge_%s", s);
		break;
	}
}

void gen_set_const(struct gen *g, const char *x, int v)
{
	gen_op(g, "i32.const %d", v);
	gen_op(g, "local.set %s", x);
}

static void loop_open(struct gen *g, int l, int d)
{
	gen_op(g, "loop $L%d", l);
	g->ind++;
	loop_body(g, d);
}

static void loop_close(struct gen *g)
{
	g->ind--;
	gen_op(g, "end");
}

/*
 * A counted loop in one of the shapes of a loop latch. The counter $cI (and
 * the limit $nI, the step $kI, the i64 counter $xI) of nesting level I are
 * written only here, so the loop runs at most `trips` times.
 */
static void loop_stmt(struct gen *g, int d)
{
	static const int steps[] = { 1, 1, 1, 2, 3, 4, 8 };
	int i = g->loops, trips = 1 + gen_below(g, i == 0 ? 6 : i == 1 ? 4 : 3);
	int k = PICK(g, steps), start = gen_below(g, 6), lim, l = gen_new_label(g), b;
	bool sgn = gen_chance(g, 30), cfirst = gen_chance(g, 50);
	char c[16], n[16], s[16], x[16];
	const char *v;

	snprintf(c, sizeof(c), "$c%d", i);
	snprintf(n, sizeof(n), "$n%d", i);
	snprintf(s, sizeof(s), "$k%d", i);
	snprintf(x, sizeof(x), "$x%d", i);
	if (sgn)
		start -= 6;
	lim = start + k * trips;
	g->loops++;
	switch (gen_below(g, 13)) {
	case 0:
		/* c += k; c < lim in its spellings; the start may come from a parameter. */
		if (!sgn && gen_chance(g, 30)) {
			gen_op(g, "local.get $a");
			gen_op(g, "i32.const 3");
			gen_op(g, "i32.and");
			gen_op(g, "local.set %s", c);
		} else {
			gen_set_const(g, c, start);
		}
		loop_open(g, l, d);
		latch_up(g, c, k, lim, sgn);
		gen_op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	case 1:
		/* c += k; c != lim. */
		gen_set_const(g, c, start);
		loop_open(g, l, d);
		if (gen_chance(g, 30)) {
			gen_op(g, "i32.const %d", lim);
			bump(g, c, k);
			tee(g, c);
		} else {
			bump(g, c, k);
			tee(g, c);
			gen_op(g, "i32.const %d", lim);
		}
		gen_op(g, "i32.ne");
		gen_op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	case 2:
		/* c += k against the limit in a local, on either side. */
		gen_set_const(g, n, lim);
		gen_set_const(g, c, start);
		loop_open(g, l, d);
		if (cfirst) {
			bump(g, c, k);
			tee(g, c);
			gen_op(g, "local.get %s", n);
			gen_op(g, "i32.%s", gen_chance(g, 50) ? "ne" : sgn ? "lt_s" : "lt_u");
		} else {
			gen_op(g, "local.get %s", n);
			bump(g, c, k);
			tee(g, c);
			gen_op(g, "i32.%s", gen_chance(g, 50) ? "ne" : sgn ? "gt_s" : "gt_u");
		}
		gen_op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	case 3:
		/* c -= k; c > start (or !=). */
		gen_set_const(g, c, lim);
		loop_open(g, l, d);
		bump(g, c, -k);
		tee(g, c);
		gen_op(g, "i32.const %d", start);
		gen_op(g, "i32.%s", gen_chance(g, 40) ? "ne" : sgn ? "gt_s" : "gt_u");
		gen_op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	case 4:
		/* c -= k; br_if c. */
		gen_set_const(g, c, k * trips);
		loop_open(g, l, d);
		bump(g, c, -k);
		tee(g, c);
		gen_op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	case 5:
		/* block { loop { c -= k; eqz; br_if out; br loop } }. */
		b = open_target(g, "block");
		gen_set_const(g, c, k * trips);
		loop_open(g, l, d);
		bump(g, c, -k);
		tee(g, c);
		gen_op(g, "i32.eqz");
		gen_op(g, "br_if $L%d", b);
		gen_op(g, "br $L%d", l);
		loop_close(g);
		close_target(g);
		break;
	case 6:
		/* c += k; eqz(c >= lim). */
		gen_set_const(g, c, start);
		loop_open(g, l, d);
		bump(g, c, k);
		tee(g, c);
		gen_op(g, "i32.const %d", lim);
		gen_op(g, "i32.ge_%s", sgn ? "s" : "u");
		gen_op(g, "i32.eqz");
		gen_op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	case 7:
		/* c += step with the step in a local, either operand order. */
		switch (gen_below(g, 3)) {
		case 0:
			gen_set_const(g, s, k);
			gen_set_const(g, c, start);
			loop_open(g, l, d);
			gen_op(g, "local.get %s", cfirst ? c : s);
			gen_op(g, "local.get %s", cfirst ? s : c);
			gen_op(g, "i32.add");
			tee(g, c);
			gen_op(g, "i32.const %d", lim);
			gen_op(g, "i32.lt_%s", sgn ? "s" : "u");
			break;
		case 1:
			gen_set_const(g, s, k);
			gen_set_const(g, n, lim);
			gen_set_const(g, c, start);
			loop_open(g, l, d);
			if (gen_chance(g, 50)) {
				gen_op(g, "local.get %s", n);
				gen_op(g, "local.get %s", cfirst ? c : s);
				gen_op(g, "local.get %s", cfirst ? s : c);
				gen_op(g, "i32.add");
				tee(g, c);
			} else {
				gen_op(g, "local.get %s", cfirst ? c : s);
				gen_op(g, "local.get %s", cfirst ? s : c);
				gen_op(g, "i32.add");
				tee(g, c);
				gen_op(g, "local.get %s", n);
			}
			gen_op(g, "i32.ne");
			break;
		default:
			gen_set_const(g, s, -k);
			gen_set_const(g, c, k * trips);
			loop_open(g, l, d);
			gen_op(g, "local.get %s", cfirst ? c : s);
			gen_op(g, "local.get %s", cfirst ? s : c);
			gen_op(g, "i32.add");
			tee(g, c);
			if (gen_chance(g, 50)) {
				gen_op(g, "i32.eqz");
				gen_op(g, "i32.eqz");
			}
			break;
		}
		gen_op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	case 8:
		/*
		 * A while loop testing c at the top, with c's last update just
		 * before the loop: the test must not absorb that add.
		 */
		gen_set_const(g, c, start - k);
		bump(g, c, k);
		gen_op(g, "local.set %s", c);
		b = open_target(g, "block");
		gen_op(g, "loop $L%d", l);
		g->ind++;
		gen_op(g, "local.get %s", c);
		gen_op(g, "i32.const %d", lim);
		if (gen_chance(g, 50)) {
			gen_op(g, "i32.ge_%s", sgn ? "s" : "u");
		} else {
			gen_op(g, "i32.lt_%s", sgn ? "s" : "u");
			gen_op(g, "i32.eqz");
		}
		gen_op(g, "br_if $L%d", b);
		loop_body(g, d);
		bump(g, c, k);
		gen_op(g, "local.set %s", c);
		gen_op(g, "br $L%d", l);
		loop_close(g);
		close_target(g);
		break;
	case 9:
		/* The latch is an if around br. */
		gen_set_const(g, c, start);
		loop_open(g, l, d);
		latch_up(g, c, k, lim, sgn);
		gen_op(g, "if");
		g->ind++;
		gen_op(g, "br $L%d", l);
		g->ind--;
		gen_op(g, "end");
		loop_close(g);
		break;
	case 10:
		/* The exit is a br_if carrying a value (not in place: a skip branch). */
		v = gen_chance(g, 40) ? c : PICK(g, gen_read32);
		gen_set_const(g, c, start);
		b = gen_new_label(g);
		gen_op(g, "block $L%d (result i32)", b);
		g->ind++;
		loop_open(g, l, d);
		gen_op(g, "local.get %s", v);
		bump(g, c, k);
		tee(g, c);
		gen_op(g, "i32.const %d", lim);
		gen_op(g, "i32.ge_%s", sgn ? "s" : "u");
		gen_op(g, "br_if $L%d", b);
		gen_op(g, "drop");
		gen_op(g, "br $L%d", l);
		loop_close(g);
		gen_op(g, "i32.const %" PRId32, gen_k32(g));
		g->ind--;
		gen_op(g, "end");
		gen_op(g, "local.set %s", PICK(g, gen_free32));
		break;
	case 11:
		/* A loop with a parameter: each latch branch carries a sum to the next trip. */
		gen_set_const(g, c, start);
		gen_leaf32(g);
		gen_op(g, "loop $L%d (param i32) (result i32)", l);
		g->ind++;
		loop_body(g, d);
		gen_e32(g, d + 1);
		gen_op(g, "i32.%s", PICK(g, opst));
		latch_up(g, c, k, lim, sgn);
		gen_op(g, "br_if $L%d", l);
		loop_close(g);
		gen_op(g, "local.set %s", PICK(g, gen_free32));
		break;
	default:
		/* An i64 counter (compare-and-branch of i64). */
		gen_op(g, "i64.const %d", start);
		gen_op(g, "local.set %s", x);
		loop_open(g, l, d);
		gen_op(g, "local.get %s", x);
		gen_op(g, "i64.const %d", k);
		gen_op(g, "i64.add");
		gen_op(g, "local.tee %s", x);
		gen_op(g, "i64.const %d", lim);
		gen_op(g, "i64.%s", gen_chance(g, 30) ? "ne" : sgn ? "lt_s" : "lt_u");
		gen_op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	}
	g->loops--;
}

/* ---------------------------------------------------------------- traps, any statement */

/*
 * A statement that traps (out of bounds, through the fused forms too; divide
 * by zero; overflow; unreachable), maybe only for some arguments. Two of the
 * out-of-bounds accesses are in the pages $grow adds: they trap only until
 * memory has grown.
 */
void gen_trap_stmt(struct gen *g, int d)
{
	const char *p = PICK(g, gen_ptrs);
	bool guard = gen_chance(g, 50);

	g->traps--;
	if (guard) {
		gen_op(g, "local.get $%c", gen_chance(g, 50) ? 'a' : 'b');
		gen_op(g, "i32.const %d", 1 << gen_below(g, 3));
		gen_op(g, "i32.and");
		gen_op(g, "if");
		g->ind++;
	}
	switch (gen_below(g, 9)) {
	case 0:
		gen_op(g, "local.get %s", p);
		gen_op(g, "i32.const %d", 0xfff0 + gen_below(g, 16));
		gen_op(g, "i32.add");
		gen_op(g, "local.tee %s", p);
		gen_mem(g, PICK(g, gen_load32), 0x800);
		gen_op(g, "local.set %s", PICK(g, gen_free32));
		break;
	case 1:
		gen_op(g, "local.get %s", p);
		gen_op(g, "i32.const %d", 0x7000);
		gen_op(g, "i32.sub");
		gen_op(g, "local.tee %s", p);
		gen_leaf32(g);
		gen_mem_any(g, store32);
		break;
	case 2:
		gen_op(g, "i32.const %d", 0x3fffe - gen_below(g, 3));
		gen_leaf32(g);
		gen_leaf32(g);
		gen_op(g, "i32.%s", PICK(g, opst));
		gen_mem(g, "i32.store", gen_below(g, 2));
		break;
	case 3:
		gen_op(g, "local.get %s", p);
		gen_op(g, "local.get %s", PICK(g, gen_strides));
		gen_op(g, "i32.add");
		gen_op(g, "local.tee %s", p);
		gen_leaf64(g);
		gen_mem(g, PICK(g, store64), 0xffff);
		break;
	case 4:
		gen_op(g, "i32.const 0x%x", 0xfff8 + gen_below(g, 8));
		gen_op(g, "i32.const 0x10");
		gen_op(g, "i32.add");
		gen_mem_any(g, gen_load64);
		gen_op(g, "drop");
		break;
	case 5:
		gen_e32(g, d + 1);
		gen_op(g, "i32.const 0");
		gen_op(g, "i32.%s", PICK(g, divs));
		gen_op(g, "local.set %s", PICK(g, gen_free32));
		break;
	case 6:
		gen_e64(g, d + 1);
		gen_op(g, "i64.const 0");
		gen_op(g, "i64.%s", PICK(g, divs));
		gen_op(g, "local.set %s", PICK(g, gen_free64));
		break;
	case 7:
		gen_op(g, "i32.const %" PRId32, INT32_MIN);
		gen_op(g, "i32.const -1");
		gen_op(g, "i32.div_s");
		gen_op(g, "local.set %s", PICK(g, gen_free32));
		break;
	default:
		gen_op(g, "unreachable");
		break;
	}
	if (guard) {
		g->ind--;
		gen_op(g, "end");
	}
}

void gen_stmt(struct gen *g, int d)
{
	int t, l, i, ts[4];

	if (g->budget <= 0 || d > 6) {
		gen_leaf32(g);
		gen_op(g, "local.set %s", PICK(g, gen_free32));
		return;
	}
	g->budget--;
	if (g->traps && gen_chance(g, 8)) {
		gen_trap_stmt(g, d);
		return;
	}
	switch (gen_below(g, 25)) {
	case 0:
	case 1:
		gen_e32(g, d);
		gen_op(g, "local.set %s", PICK(g, gen_free32));
		break;
	case 2:
		if (gen_chance(g, 25)) {
			gen_ef64(g, 0);
			gen_op(g, "local.set $f%d", gen_below(g, 2));
			break;
		}
		gen_e64(g, d);
		gen_op(g, "local.set %s", PICK(g, gen_free64));
		break;
	case 3:
		gen_e32(g, d);
		gen_op(g, "i32.const 63");
		gen_op(g, "i32.and");
		gen_op(g, "local.set %s", PICK(g, gen_strides));
		break;
	case 4:
		gen_e32(g, d);
		gen_to_ptr(g);
		gen_op(g, "local.set %s", PICK(g, gen_ptrs));
		break;
	case 5:
		gen_addr(g, d);
		gen_e32(g, d + 1);
		gen_mem_any(g, store32);
		break;
	case 6:
		gen_addr(g, d);
		if (gen_chance(g, 30)) {
			gen_ef64(g, 0);
			gen_mem(g, "f64.store", gen_offset(g));
		} else {
			gen_e64(g, d + 1);
			gen_mem_any(g, store64);
		}
		break;
	case 7:
	case 8:
	case 9:
		walk_stmt(g, d);
		break;
	case 10:
	case 11:
		opstore_stmt(g, d);
		break;
	case 12:
	case 13:
		incbr_stmt(g, d);
		break;
	case 14:
	case 15:
		label_stmt(g, d);
		break;
	case 16:
	case 17:
		if (g->loops < MAX_LOOPS && g->budget > 2)
			loop_stmt(g, d);
		else
			walk_stmt(g, d);
		break;
	case 18:
		gen_e32(g, d);
		open_target(g, "if");
		gen_stmts(g, d + 1, 1 + gen_below(g, 2));
		if (gen_chance(g, 40)) {
			g->ind--;
			gen_op(g, "else");
			g->ind++;
			gen_stmts(g, d + 1, 1 + gen_below(g, 2));
		}
		close_target(g);
		break;
	case 19:
		t = some_target(g);
		if (t < 0) {
			open_target(g, "block");
			gen_stmts(g, d + 1, 1 + gen_below(g, 3));
			close_target(g);
			break;
		}
		gen_e32(g, d);
		if (gen_chance(g, 70)) {
			gen_op(g, "br_if $L%d", t);
		} else {
			gen_op(g, "if");
			g->ind++;
			gen_stmts(g, d + 1, 1);
			gen_op(g, "br $L%d", t);
			g->ind--;
			gen_op(g, "end");
		}
		break;
	case 20:
		/* br_table to three nested blocks, each followed by statements. */
		l = open_target(g, "block");
		open_target(g, "block");
		open_target(g, "block");
		gen_e32(g, d);
		for (i = 0; i < 4; i++)
			ts[i] = l + gen_below(g, 3);
		gen_op(g, "br_table $L%d $L%d $L%d $L%d", ts[0], ts[1], ts[2], ts[3]);
		close_target(g);
		gen_stmts(g, d + 1, 1);
		close_target(g);
		gen_stmts(g, d + 1, 1);
		close_target(g);
		break;
	case 21:
		if (g->helper) {
			walk_stmt(g, d);
			break;
		}
		gen_e32(g, d + 1);
		gen_e32(g, d + 1);
		gen_op(g, "call $h");
		if (gen_chance(g, 50))
			gen_op(g, "drop");
		else
			gen_op(g, "local.set %s", PICK(g, gen_free32));
		break;
	case 22:
		open_target(g, "block");
		gen_stmts(g, d + 1, 1 + gen_below(g, 3));
		close_target(g);
		break;
	case 23:
		if (gen_chance(g, 10)) {
			/* An early return, taken for some arguments. */
			gen_op(g, "local.get $%c", gen_chance(g, 50) ? 'a' : 'b');
			gen_op(g, "i32.const %d", 1 << gen_below(g, 4));
			gen_op(g, "i32.and");
			gen_op(g, "if");
			g->ind++;
			if (g->res64)
				gen_e64(g, d + 1);
			else
				gen_e32(g, d + 1);
			gen_op(g, "return");
			g->ind--;
			gen_op(g, "end");
			break;
		}
		/* fall through */
	default:
		walk_stmt(g, d);
		break;
	}
}

void gen_stmts(struct gen *g, int d, int n)
{
	while (n-- > 0)
		gen_stmt(g, d);
}

