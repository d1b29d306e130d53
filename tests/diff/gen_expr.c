/* SPDX-License-Identifier: MIT */
/*
 * Expressions for the differential test's generator (gen.c): i32, i64 and
 * f64 values built around the sequences the compiler fuses, in-bounds
 * addresses in the shapes it folds into an access, and pointer walks.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "gen.h"

#define MAX_DEPTH 4		/* expression nesting */

static const char *const bin32[] = {
	"add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr",
};
static const char *const fcmps[] = { "eq", "ne", "lt", "gt", "le", "ge" };
static const char *const un32[] = { "clz", "ctz", "popcnt", "extend8_s", "extend16_s" };
static const char *const un64[] = {
	"clz", "ctz", "popcnt", "extend8_s", "extend16_s", "extend32_s",
};

/*
 * An f64 expression that is never NaN or infinite: leaves are integers
 * converted or small constants, and only add, sub, mul (at most F64_DEPTH
 * levels of them: below 2^512), min, max, copysign, rounding, abs, neg and
 * sqrt of abs. Wasm leaves the bits of a NaN result open; everything else is
 * exact, so results can be compared bit for bit (i64.reinterpret_f64).
 */
#define F64_DEPTH 3

void gen_ef64(struct gen *g, int d)
{
	static const char *const cst[] = { "0", "-0", "1", "-1", "0.5", "0x1p-30", "3.75", "1e15" };
	static const char *const bin[] = { "add", "sub", "mul", "min", "max", "copysign" };
	static const char *const un[] = { "abs", "neg", "ceil", "floor", "trunc", "nearest" };

	if (d >= F64_DEPTH || gen_chance(g, 25)) {
		switch (gen_below(g, 4)) {
		case 0:
			gen_op(g, "f64.const %s", PICK(g, cst));
			break;
		case 1:
			gen_op(g, "local.get $f%d", gen_below(g, 2));
			break;
		case 2:
			gen_e32(g, MAX_DEPTH - 1);
			gen_op(g, "f64.convert_i32_%s", gen_chance(g, 50) ? "s" : "u");
			break;
		default:
			gen_e64(g, MAX_DEPTH - 1);
			gen_op(g, "f64.convert_i64_%s", gen_chance(g, 50) ? "s" : "u");
			break;
		}
		return;
	}
	switch (gen_below(g, 7)) {
	case 0:
	case 1:
		gen_ef64(g, d + 1);
		gen_ef64(g, d + 1);
		gen_op(g, "f64.%s", PICK(g, bin));
		break;
	case 6:
		/*
		 * -(a * b) + a * b: 0 when the product is rounded before the add,
		 * as Wasm wants, but the product's rounding error in a fused
		 * multiply-add (fma).
		 */
		gen_ef64(g, d + 1);
		gen_op(g, "local.set $f2");
		gen_ef64(g, d + 1);
		gen_op(g, "local.set $f3");
		gen_op(g, "local.get $f2");
		gen_op(g, "local.get $f3");
		gen_op(g, "f64.mul");
		gen_op(g, "f64.neg");
		gen_op(g, "local.get $f2");
		gen_op(g, "local.get $f3");
		gen_op(g, "f64.mul");
		gen_op(g, "f64.add");
		break;
	case 2:
		/* Multiply-add, the product on either side (F64_MADD). */
		if (gen_chance(g, 50)) {
			gen_ef64(g, d + 1);
			gen_ef64(g, d + 1);
			gen_op(g, "f64.mul");
			gen_op(g, "local.get $f%d", gen_below(g, 2));
		} else {
			gen_op(g, "f64.const %s", PICK(g, cst));
			gen_ef64(g, d + 1);
			gen_ef64(g, d + 1);
			gen_op(g, "f64.mul");
		}
		gen_op(g, "f64.add");
		break;
	case 3:
		gen_ef64(g, d + 1);
		gen_op(g, "f64.%s", PICK(g, un));
		break;
	case 4:
		gen_ef64(g, d + 1);
		gen_op(g, "f64.abs");
		gen_op(g, "f64.sqrt");
		break;
	default:
		gen_ef64(g, d + 1);
		gen_op(g, "local.tee $f%d", gen_below(g, 2));
		break;
	}
}

void gen_leaf32(struct gen *g)
{
	if (gen_chance(g, 30))
		gen_op(g, "i32.const %" PRId32, gen_k32(g));
	else
		gen_op(g, "local.get %s", PICK(g, gen_read32));
}

void gen_leaf64(struct gen *g)
{
	if (gen_chance(g, 40))
		gen_op(g, "i64.const %" PRId64, gen_k64(g));
	else
		gen_op(g, "local.get %s", PICK(g, gen_free64));
}

/* Mask the i32 on the stack into a pointer local's range. */
void gen_to_ptr(struct gen *g)
{
	gen_op(g, "i32.const %u", PTR_MASK);
	gen_op(g, "i32.and");
	gen_op(g, "i32.const %u", PTR_BASE);
	gen_op(g, "i32.add");
}

/* A step for a pointer walk, charged to the function's walk budget. */
int gen_walk_step(struct gen *g)
{
	int k = gen_below(g, 65) - 16;

	if (abs(k) > g->walk)
		k = 0;
	g->walk -= abs(k);
	return k;
}

/*
 * An in-bounds address for an access with an offset below OFF_MAX, in one of
 * the shapes the compiler folds: p, p + k (lazy), p + s, s + p, a counter
 * scaled and added, or any expression masked.
 */
void gen_addr(struct gen *g, int d)
{
	switch (gen_below(g, 7)) {
	case 0:
		gen_op(g, "local.get %s", PICK(g, gen_ptrs));
		break;
	case 1:
		gen_op(g, "local.get %s", PICK(g, gen_ptrs));
		gen_op(g, "i32.const %d", gen_below(g, 64));
		gen_op(g, "i32.add");
		break;
	case 2:
		gen_op(g, "local.get %s", PICK(g, gen_ptrs));
		gen_op(g, "local.get %s", PICK(g, gen_strides));
		gen_op(g, "i32.add");
		break;
	case 3:
		gen_op(g, "local.get %s", PICK(g, gen_strides));
		gen_op(g, "local.get %s", PICK(g, gen_ptrs));
		gen_op(g, "i32.add");
		break;
	case 4:
		gen_op(g, "local.get $c%d", gen_below(g, MAX_LOOPS));
		gen_op(g, "i32.const 63");
		gen_op(g, "i32.and");
		gen_op(g, "i32.const 3");
		gen_op(g, "i32.shl");
		gen_op(g, "local.get %s", PICK(g, gen_ptrs));
		gen_op(g, "i32.add");
		break;
	case 5:
		gen_op(g, "i32.const %d", gen_below(g, 64));
		gen_op(g, "local.get %s", PICK(g, gen_ptrs));
		gen_op(g, "i32.add");
		break;
	default:
		gen_e32(g, d + 1);
		gen_op(g, "i32.const %u", ANY_MASK);
		gen_op(g, "i32.and");
		break;
	}
}

/*
 * A pointer walk: `p (+|-) k` or `p + stride` written back to a pointer local
 * with local.tee (or local.set then local.get), the address of the access
 * that follows (the _KW/_XW fusions).
 */
void gen_walk(struct gen *g, int d)
{
	const char *p = PICK(g, gen_ptrs), *q = gen_chance(g, 80) ? p : PICK(g, gen_ptrs);
	int k;

	switch (g->walk >= 63 ? gen_below(g, 6) : gen_below(g, 3)) {
	case 0:
		gen_op(g, "local.get %s", q);
		gen_op(g, "i32.const %d", gen_walk_step(g));
		gen_op(g, "i32.add");
		break;
	case 1:
		gen_op(g, "local.get %s", q);
		gen_op(g, "i32.const %d", gen_walk_step(g));
		gen_op(g, "i32.sub");
		break;
	case 2:
		k = gen_walk_step(g);
		gen_op(g, "i32.const %d", k);
		gen_op(g, "local.get %s", q);
		gen_op(g, "i32.add");
		break;
	case 3:
		g->walk -= 63;
		gen_op(g, "local.get %s", q);
		gen_op(g, "local.get %s", PICK(g, gen_strides));
		gen_op(g, "i32.add");
		break;
	case 4:
		g->walk -= 63;
		gen_op(g, "local.get %s", PICK(g, gen_strides));
		gen_op(g, "local.get %s", q);
		gen_op(g, "i32.add");
		break;
	default:
		g->walk -= 63;
		gen_op(g, "local.get %s", q);
		gen_e32(g, d + 1);
		gen_op(g, "i32.const 63");
		gen_op(g, "i32.and");
		gen_op(g, "i32.add");
		break;
	}
	if (gen_chance(g, 80)) {
		gen_op(g, "local.tee %s", p);
	} else {
		gen_op(g, "local.set %s", p);
		gen_op(g, "local.get %s", p);
	}
}

/* i32 operations that the compiler fuses: multiply-add, 3-way add, xor-rotate, funnel shift. */
void gen_fused32(struct gen *g, int d)
{
	bool l;

	switch (gen_below(g, 5)) {
	case 0:
		gen_e32(g, d + 1);
		gen_leaf32(g);
		gen_op(g, "i32.mul");
		gen_leaf32(g);
		gen_op(g, "i32.add");
		break;
	case 1:
		gen_leaf32(g);
		gen_e32(g, d + 1);
		gen_leaf32(g);
		gen_op(g, "i32.mul");
		gen_op(g, "i32.add");
		break;
	case 2:
		gen_e32(g, d + 1);
		gen_leaf32(g);
		gen_op(g, "i32.add");
		gen_leaf32(g);
		gen_op(g, "i32.add");
		break;
	case 3:
		gen_leaf32(g);
		gen_e32(g, d + 1);
		gen_op(g, "i32.const %d", gen_below(g, 40));
		gen_op(g, "i32.rotl");
		gen_op(g, "i32.xor");
		break;
	default:
		/* The two shifts in either order; mostly opposite (a funnel shift). */
		l = gen_chance(g, 50);
		gen_e32(g, d + 1);
		gen_op(g, "i32.const %d", gen_below(g, 40));
		gen_op(g, "i32.%s", l ? "shl" : "shr_u");
		gen_leaf32(g);
		gen_op(g, "i32.const %d", gen_below(g, 40));
		gen_op(g, "i32.%s", l == gen_chance(g, 85) ? "shr_u" : "shl");
		gen_op(g, "i32.or");
		break;
	}
}

/* An i32 division or remainder that cannot trap. */
static void divrem32(struct gen *g, int d)
{
	gen_e32(g, d + 1);
	gen_e32(g, d + 1);
	if (gen_chance(g, 50)) {
		gen_op(g, "i32.const 1");
		gen_op(g, "i32.or");
		gen_op(g, "i32.%s",
		       gen_chance(g, 50) ? "div_u" : gen_chance(g, 50) ? "rem_u" : "rem_s");
	} else {
		gen_op(g, "i32.const 0x7fff");
		gen_op(g, "i32.and");
		gen_op(g, "i32.const 1");
		gen_op(g, "i32.add");
		gen_op(g, "i32.div_s");
	}
}

void gen_e32(struct gen *g, int d)
{
	int l, t[3];

	if (d >= MAX_DEPTH || gen_chance(g, 25)) {
		gen_leaf32(g);
		return;
	}
	switch (gen_below(g, 26)) {
	case 0:
	case 1:
		gen_e32(g, d + 1);
		gen_e32(g, d + 1);
		gen_op(g, "i32.%s", PICK(g, bin32));
		break;
	case 2:
		gen_e32(g, d + 1);
		gen_op(g, "i32.const %" PRId32, gen_k32(g));
		gen_op(g, "i32.%s", PICK(g, bin32));
		break;
	case 3:
		gen_e32(g, d + 1);
		gen_e32(g, d + 1);
		gen_op(g, "i32.%s", PICK(g, gen_cmps));
		break;
	case 4:
		gen_e32(g, d + 1);
		gen_op(g, "i32.const %" PRId32, gen_k32(g));
		gen_op(g, "i32.%s", PICK(g, gen_cmps));
		break;
	case 5:
		gen_e64(g, d + 1);
		gen_e64(g, d + 1);
		gen_op(g, "i64.%s", PICK(g, gen_cmps));
		break;
	case 6:
		switch (gen_below(g, 3)) {
		case 0:
			gen_e32(g, d + 1);
			gen_op(g, "i32.eqz");
			break;
		case 1:
			gen_e64(g, d + 1);
			gen_op(g, "i64.eqz");
			break;
		default:
			gen_e32(g, d + 1);
			gen_e32(g, d + 1);
			gen_op(g, "i32.%s", PICK(g, gen_cmps));
			gen_op(g, "i32.eqz");
			break;
		}
		break;
	case 7:
		gen_e32(g, d + 1);
		gen_op(g, "local.tee %s", PICK(g, gen_free32));
		break;
	case 8:
		gen_e32(g, d + 1);
		gen_e32(g, d + 1);
		gen_e32(g, d + 1);
		gen_op(g, "select");
		break;
	case 9:
		gen_e64(g, d + 1);
		gen_op(g, "i32.wrap_i64");
		break;
	case 10:
		gen_e32(g, d + 1);
		gen_op(g, "i32.%s", PICK(g, un32));
		break;
	case 11:
		divrem32(g, d);
		break;
	case 12:
		gen_addr(g, d);
		gen_mem_any(g, gen_load32);
		break;
	case 13:
		gen_walk(g, d);
		gen_mem_any(g, gen_load32);
		break;
	case 14:
		/* A block whose end is a branch target, with a value. */
		l = gen_new_label(g);
		gen_op(g, "block $L%d (result i32)", l);
		g->ind++;
		if (gen_chance(g, 40))
			gen_stmts(g, d + 1, 1);
		gen_e32(g, d + 1);
		gen_e32(g, d + 1);
		gen_op(g, "br_if $L%d", l);
		if (gen_chance(g, 50)) {
			gen_e32(g, d + 1);
			gen_op(g, "i32.%s", PICK(g, bin32));
		}
		g->ind--;
		gen_op(g, "end");
		break;
	case 15:
		gen_e32(g, d + 1);
		gen_op(g, "if (result i32)");
		g->ind++;
		if (gen_chance(g, 30))
			gen_stmts(g, d + 1, 1);
		gen_e32(g, d + 1);
		g->ind--;
		gen_op(g, "else");
		g->ind++;
		if (gen_chance(g, 30))
			gen_stmts(g, d + 1, 1);
		gen_e32(g, d + 1);
		g->ind--;
		gen_op(g, "end");
		break;
	case 16:
		if (g->helper) {
			gen_leaf32(g);
			break;
		}
		gen_e32(g, d + 1);
		gen_e32(g, d + 1);
		if (gen_chance(g, 70)) {
			gen_op(g, "call $h");
		} else {
			/* $h or $grow; memory may grow under the caller. */
			gen_e32(g, d + 1);
			gen_op(g, "i32.const 1");
			gen_op(g, "i32.and");
			gen_op(g, "call_indirect (type $hf)");
		}
		break;
	case 17:
	case 18:
		gen_fused32(g, d);
		break;
	case 19:
		/* br_table carrying a value to two blocks. */
		l = gen_new_label(g);
		gen_op(g, "block $L%d (result i32)", l);
		g->ind++;
		gen_op(g, "block $L%d (result i32)", l + 1);
		gen_new_label(g);
		g->ind++;
		gen_e32(g, d + 1);
		gen_e32(g, d + 1);
		t[0] = l + gen_below(g, 2);
		t[1] = l + gen_below(g, 2);
		t[2] = l + gen_below(g, 2);
		gen_op(g, "br_table $L%d $L%d $L%d", t[0], t[1], t[2]);
		g->ind--;
		gen_op(g, "end");
		gen_op(g, "i32.const %" PRId32, gen_k32(g));
		gen_op(g, "i32.add");
		g->ind--;
		gen_op(g, "end");
		break;
	case 20:
		/* A lazy local read, then the same local written before the read is used. */
		l = gen_below(g, N(gen_free32));
		gen_op(g, "local.get %s", gen_free32[l]);
		if (gen_chance(g, 50)) {
			gen_e32(g, d + 1);
			gen_op(g, "local.tee %s", gen_free32[l]);
		} else {
			gen_op(g, "block (result i32)");
			g->ind++;
			gen_e32(g, d + 1);
			gen_op(g, "local.set %s", gen_free32[l]);
			gen_e32(g, d + 1);
			g->ind--;
			gen_op(g, "end");
		}
		gen_op(g, "i32.%s", PICK(g, bin32));
		break;
	case 21:
		/* local + k used as a plain value. */
		gen_op(g, "local.get %s", PICK(g, gen_read32));
		gen_op(g, "i32.const %" PRId32, gen_k32(g));
		gen_op(g, "i32.add");
		break;
	case 22:
		gen_op(g, "i64.const %" PRId64, gen_k64(g));
		gen_e64(g, d + 1);
		gen_op(g, "i64.%s", PICK(g, gen_cmps));
		break;
	case 23:
		/* A block with a parameter; typed select; memory.size. */
		gen_e32(g, d + 1);
		l = gen_new_label(g);
		gen_op(g, "block $L%d (param i32) (result i32)", l);
		g->ind++;
		gen_e32(g, d + 1);
		gen_op(g, "i32.%s", PICK(g, bin32));
		gen_e32(g, d + 1);
		gen_op(g, "br_if $L%d", l);
		gen_e32(g, d + 1);
		gen_op(g, "memory.size");
		gen_op(g, "select (result i32)");
		g->ind--;
		gen_op(g, "end");
		break;
	case 24:
		gen_ef64(g, 0);
		if (gen_chance(g, 50)) {
			gen_ef64(g, 0);
			gen_op(g, "f64.%s", PICK(g, fcmps));
		} else {
			gen_op(g, "i32.trunc_sat_f64_%s", gen_chance(g, 50) ? "s" : "u");
		}
		break;
	default:
		gen_addr(g, d);
		gen_mem_any(g, gen_load64);
		gen_op(g, "i32.wrap_i64");
		break;
	}
}

void gen_e64(struct gen *g, int d)
{
	static const char *const bin64[] = {
		"add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr",
	};

	if (d >= MAX_DEPTH || gen_chance(g, 30)) {
		gen_leaf64(g);
		return;
	}
	switch (gen_below(g, 13)) {
	case 0:
	case 1:
		gen_e64(g, d + 1);
		gen_e64(g, d + 1);
		gen_op(g, "i64.%s", PICK(g, bin64));
		break;
	case 2:
		gen_e64(g, d + 1);
		gen_op(g, "i64.const %" PRId64, gen_k64(g));
		gen_op(g, "i64.%s", PICK(g, bin64));
		break;
	case 3:
		gen_e32(g, d + 1);
		gen_op(g, "i64.extend_i32_%s", gen_chance(g, 50) ? "s" : "u");
		break;
	case 4:
		gen_addr(g, d);
		gen_mem_any(g, gen_load64);
		break;
	case 5:
		gen_walk(g, d);
		gen_mem_any(g, gen_load64);
		break;
	case 6:
		gen_e64(g, d + 1);
		gen_op(g, "local.tee %s", PICK(g, gen_free64));
		break;
	case 7:
		gen_e64(g, d + 1);
		gen_e64(g, d + 1);
		gen_e32(g, d + 1);
		gen_op(g, "select");
		break;
	case 8:
		gen_e64(g, d + 1);
		gen_op(g, "i64.%s", PICK(g, un64));
		break;
	case 9:
		gen_e64(g, d + 1);
		gen_e64(g, d + 1);
		gen_op(g, "i64.const 1");
		gen_op(g, "i64.or");
		gen_op(g, "i64.%s",
		       gen_chance(g, 50) ? "div_u" : gen_chance(g, 50) ? "rem_u" : "rem_s");
		break;
	case 10:
		gen_e64(g, d + 1);
		gen_e64(g, d + 1);
		gen_op(g, "i64.mul");
		gen_leaf64(g);
		gen_op(g, "i64.add");
		break;
	case 11:
		gen_ef64(g, 0);
		gen_op(g, "i64.reinterpret_f64");
		break;
	default:
		gen_e32(g, d + 1);
		gen_op(g, "if (result i64)");
		g->ind++;
		gen_e64(g, d + 1);
		g->ind--;
		gen_op(g, "else");
		g->ind++;
		gen_e64(g, d + 1);
		g->ind--;
		gen_op(g, "end");
		break;
	}
}

