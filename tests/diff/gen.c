/* SPDX-License-Identifier: MIT */
/*
 * The module generator of the differential test (tests/diff/run.sh): writes a
 * random but valid WebAssembly text module, always the same one for a seed,
 * whose functions are dense in the sequences the compiler fuses
 * (src/engine/compile*.c) and in the branch targets that must stop a fusion.
 * tests/diff/README.md says what it generates and why.
 *
 *   gen SEED [FUNCS]     the module on stdout (FUNCS functions, default 10)
 *
 * Every loop counts with a counter local that nothing else writes, so every
 * loop ends after a known number of trips; branches other than loop latches
 * only leave blocks. Pointer locals stay inside the page (see the layout
 * below), and traps happen only where a function was picked to trap.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * Memory layout. Pointer locals hold PTR_BASE + (x & PTR_MASK), give or take
 * the steps of the pointer walks since (at most WALK_MAX in a function, as
 * each loop body masks the pointers again). Addresses add at most 63 (a
 * stride local, an immediate) or (c & 63) * 8 (a counter) and an offset below
 * OFF_MAX; other addresses are expressions masked with ANY_MASK. So every
 * access the generator means to be in bounds lies in [0, REGION), which the
 * checksum reads after each function.
 */
#define REGION 0x6800u
#define PTR_MASK 0x3ff0u
#define PTR_BASE 0x1000u
#define WALK_MAX 0xc00
#define ANY_MASK 0x3ff8u
#define OFF_MAX 0x400u

#define MAX_LOOPS 3		/* loop nesting; each level has its own counter locals */
#define MAX_DEPTH 4		/* expression nesting */
#define MAX_TARGETS 64

struct gen {
	uint64_t rng;
	int ind;
	int label_cnt;
	/* The function being written. */
	bool helper;		/* $h: calls nothing */
	bool res64;
	int loops;		/* loops around the current point */
	int budget;		/* statements left */
	int walk;		/* pointer-walk steps left, in bytes */
	int traps;		/* trapping statements still to place */
	int targets[MAX_TARGETS];	/* open blocks without results: br targets */
	int target_cnt;
};

/* The parameters are written too: slot 0 is special to a single-value return. */
static const char *const free32[] = { "$g0", "$g1", "$g2", "$g3", "$a", "$b" };
static const char *const free64[] = { "$w0", "$w1" };
static const char *const ptrs[] = { "$p0", "$p1" };
static const char *const strides[] = { "$s0", "$s1" };
static const char *const read32[] = {
	"$a", "$b", "$g0", "$g1", "$g2", "$g3", "$p0", "$p1", "$s0", "$s1",
	"$c0", "$c1", "$c2", "$n0", "$k1",
};

static const char *const bin32[] = {
	"add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr",
};
static const char *const cmps[] = {
	"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
};
static const char *const fcmps[] = { "eq", "ne", "lt", "gt", "le", "ge" };
static const char *const un32[] = { "clz", "ctz", "popcnt", "extend8_s", "extend16_s" };
static const char *const un64[] = {
	"clz", "ctz", "popcnt", "extend8_s", "extend16_s", "extend32_s",
};
static const char *const divs[] = { "div_s", "div_u", "rem_s", "rem_u" };
static const char *const load32[] = {
	"i32.load", "i32.load8_s", "i32.load8_u", "i32.load16_s", "i32.load16_u",
};
static const char *const load64[] = {
	"i64.load", "i64.load8_s", "i64.load8_u", "i64.load16_s", "i64.load16_u",
	"i64.load32_s", "i64.load32_u",
};
static const char *const store32[] = { "i32.store", "i32.store8", "i32.store16" };
static const char *const store64[] = { "i64.store", "i64.store8", "i64.store16", "i64.store32" };
/* The i32 operations that fuse with a following i32.store (code.h, WB_OPST_LIST). */
static const char *const opst[] = { "add", "sub", "and", "or", "xor" };

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---------------------------------------------------------------- randomness */

/* splitmix64: small, and the same sequence on every platform. */
static uint64_t rnd(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int below(struct gen *g, int n)
{
	return (int)(rnd(g) % (uint64_t)n);
}

static bool chance(struct gen *g, int pct)
{
	return below(g, 100) < pct;
}

#define PICK(g, a) ((a)[below(g, N(a))])

static int32_t k32(struct gen *g)
{
	static const int32_t edge[] = {
		0, 1, -1, 2, 31, 32, 33, 63, 64, 255, 0x7fff, 0x8000, 0xffff,
		INT32_MAX, INT32_MIN, -2, -31, -32,
	};

	switch (below(g, 4)) {
	case 0:
		return PICK(g, edge);
	case 1:
		return (int32_t)rnd(g);
	default:
		return below(g, 80) - 16;
	}
}

static int64_t k64(struct gen *g)
{
	static const int64_t edge[] = {
		0, 1, -1, 63, 64, 65, INT64_MAX, INT64_MIN, 0xffffffffll, 0x100000000ll,
		INT32_MIN, INT32_MAX,
	};

	switch (below(g, 4)) {
	case 0:
		return PICK(g, edge);
	case 1:
		return (int64_t)rnd(g);
	default:
		return below(g, 80) - 16;
	}
}

/* A memarg offset: mostly none or small. */
static unsigned int offset(struct gen *g)
{
	switch (below(g, 4)) {
	case 0:
	case 1:
		return 0;
	case 2:
		return (unsigned int)below(g, 17);
	default:
		return (unsigned int)below(g, OFF_MAX);
	}
}

/* ---------------------------------------------------------------- output */

__attribute__((format(printf, 2, 3)))
static void op(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int i;

	for (i = 0; i < g->ind; i++)
		fputs("  ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void mem(struct gen *g, const char *name, unsigned int off)
{
	if (off)
		op(g, "%s offset=%u", name, off);
	else
		op(g, "%s", name);
}

/*
 * A load or store picked from `names`, with an offset. The picks are made in
 * a fixed order (arguments of one call would be evaluated in any order), so
 * that a seed gives the same module whatever compiled the generator.
 */
#define mem_any(g, names) mem_pick(g, names, N(names))

static void mem_pick(struct gen *g, const char *const *names, int n)
{
	const char *name = names[below(g, n)];

	mem(g, name, offset(g));
}

static int new_label(struct gen *g)
{
	return g->label_cnt++;
}

/* Open `block $Ln`/`if $Ln` with no results: a target for br, br_if, br_table. */
static int open_target(struct gen *g, const char *kind)
{
	int l = new_label(g);

	op(g, "%s $L%d", kind, l);
	g->ind++;
	if (g->target_cnt < MAX_TARGETS)
		g->targets[g->target_cnt++] = l;
	return l;
}

static void close_target(struct gen *g)
{
	g->ind--;
	op(g, "end");
	g->target_cnt--;
}

/* The name of an open target, -1 if there is none. */
static int some_target(struct gen *g)
{
	return g->target_cnt ? g->targets[below(g, g->target_cnt)] : -1;
}

/* ---------------------------------------------------------------- expressions */

static void e32(struct gen *g, int d);
static void e64(struct gen *g, int d);
static void ef64(struct gen *g, int d);
static void stmts(struct gen *g, int d, int n);

/*
 * An f64 expression that is never NaN or infinite: leaves are integers
 * converted or small constants, and only add, sub, mul (at most F64_DEPTH
 * levels of them: below 2^512), min, max, copysign, rounding, abs, neg and
 * sqrt of abs. Wasm leaves the bits of a NaN result open; everything else is
 * exact, so results can be compared bit for bit (i64.reinterpret_f64).
 */
#define F64_DEPTH 3

static void ef64(struct gen *g, int d)
{
	static const char *const cst[] = { "0", "-0", "1", "-1", "0.5", "0x1p-30", "3.75", "1e15" };
	static const char *const bin[] = { "add", "sub", "mul", "min", "max", "copysign" };
	static const char *const un[] = { "abs", "neg", "ceil", "floor", "trunc", "nearest" };

	if (d >= F64_DEPTH || chance(g, 25)) {
		switch (below(g, 4)) {
		case 0:
			op(g, "f64.const %s", PICK(g, cst));
			break;
		case 1:
			op(g, "local.get $f%d", below(g, 2));
			break;
		case 2:
			e32(g, MAX_DEPTH - 1);
			op(g, "f64.convert_i32_%s", chance(g, 50) ? "s" : "u");
			break;
		default:
			e64(g, MAX_DEPTH - 1);
			op(g, "f64.convert_i64_%s", chance(g, 50) ? "s" : "u");
			break;
		}
		return;
	}
	switch (below(g, 7)) {
	case 0:
	case 1:
		ef64(g, d + 1);
		ef64(g, d + 1);
		op(g, "f64.%s", PICK(g, bin));
		break;
	case 6:
		/*
		 * -(a * b) + a * b: 0 when the product is rounded before the add,
		 * as Wasm wants, but the product's rounding error in a fused
		 * multiply-add (fma).
		 */
		ef64(g, d + 1);
		op(g, "local.set $f2");
		ef64(g, d + 1);
		op(g, "local.set $f3");
		op(g, "local.get $f2");
		op(g, "local.get $f3");
		op(g, "f64.mul");
		op(g, "f64.neg");
		op(g, "local.get $f2");
		op(g, "local.get $f3");
		op(g, "f64.mul");
		op(g, "f64.add");
		break;
	case 2:
		/* Multiply-add, the product on either side (F64_MADD). */
		if (chance(g, 50)) {
			ef64(g, d + 1);
			ef64(g, d + 1);
			op(g, "f64.mul");
			op(g, "local.get $f%d", below(g, 2));
		} else {
			op(g, "f64.const %s", PICK(g, cst));
			ef64(g, d + 1);
			ef64(g, d + 1);
			op(g, "f64.mul");
		}
		op(g, "f64.add");
		break;
	case 3:
		ef64(g, d + 1);
		op(g, "f64.%s", PICK(g, un));
		break;
	case 4:
		ef64(g, d + 1);
		op(g, "f64.abs");
		op(g, "f64.sqrt");
		break;
	default:
		ef64(g, d + 1);
		op(g, "local.tee $f%d", below(g, 2));
		break;
	}
}

static void leaf32(struct gen *g)
{
	if (chance(g, 30))
		op(g, "i32.const %" PRId32, k32(g));
	else
		op(g, "local.get %s", PICK(g, read32));
}

static void leaf64(struct gen *g)
{
	if (chance(g, 40))
		op(g, "i64.const %" PRId64, k64(g));
	else
		op(g, "local.get %s", PICK(g, free64));
}

/* Mask the i32 on the stack into a pointer local's range. */
static void to_ptr(struct gen *g)
{
	op(g, "i32.const %u", PTR_MASK);
	op(g, "i32.and");
	op(g, "i32.const %u", PTR_BASE);
	op(g, "i32.add");
}

static void remask(struct gen *g, const char *p)
{
	op(g, "local.get %s", p);
	to_ptr(g);
	op(g, "local.set %s", p);
}

/* A step for a pointer walk, charged to the function's walk budget. */
static int walk_step(struct gen *g)
{
	int k = below(g, 65) - 16;

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
static void addr(struct gen *g, int d)
{
	switch (below(g, 7)) {
	case 0:
		op(g, "local.get %s", PICK(g, ptrs));
		break;
	case 1:
		op(g, "local.get %s", PICK(g, ptrs));
		op(g, "i32.const %d", below(g, 64));
		op(g, "i32.add");
		break;
	case 2:
		op(g, "local.get %s", PICK(g, ptrs));
		op(g, "local.get %s", PICK(g, strides));
		op(g, "i32.add");
		break;
	case 3:
		op(g, "local.get %s", PICK(g, strides));
		op(g, "local.get %s", PICK(g, ptrs));
		op(g, "i32.add");
		break;
	case 4:
		op(g, "local.get $c%d", below(g, MAX_LOOPS));
		op(g, "i32.const 63");
		op(g, "i32.and");
		op(g, "i32.const 3");
		op(g, "i32.shl");
		op(g, "local.get %s", PICK(g, ptrs));
		op(g, "i32.add");
		break;
	case 5:
		op(g, "i32.const %d", below(g, 64));
		op(g, "local.get %s", PICK(g, ptrs));
		op(g, "i32.add");
		break;
	default:
		e32(g, d + 1);
		op(g, "i32.const %u", ANY_MASK);
		op(g, "i32.and");
		break;
	}
}

/*
 * A pointer walk: `p (+|-) k` or `p + stride` written back to a pointer local
 * with local.tee (or local.set then local.get), the address of the access
 * that follows (the _KW/_XW fusions).
 */
static void walk(struct gen *g, int d)
{
	const char *p = PICK(g, ptrs), *q = chance(g, 80) ? p : PICK(g, ptrs);
	int k;

	switch (g->walk >= 63 ? below(g, 6) : below(g, 3)) {
	case 0:
		op(g, "local.get %s", q);
		op(g, "i32.const %d", walk_step(g));
		op(g, "i32.add");
		break;
	case 1:
		op(g, "local.get %s", q);
		op(g, "i32.const %d", walk_step(g));
		op(g, "i32.sub");
		break;
	case 2:
		k = walk_step(g);
		op(g, "i32.const %d", k);
		op(g, "local.get %s", q);
		op(g, "i32.add");
		break;
	case 3:
		g->walk -= 63;
		op(g, "local.get %s", q);
		op(g, "local.get %s", PICK(g, strides));
		op(g, "i32.add");
		break;
	case 4:
		g->walk -= 63;
		op(g, "local.get %s", PICK(g, strides));
		op(g, "local.get %s", q);
		op(g, "i32.add");
		break;
	default:
		g->walk -= 63;
		op(g, "local.get %s", q);
		e32(g, d + 1);
		op(g, "i32.const 63");
		op(g, "i32.and");
		op(g, "i32.add");
		break;
	}
	if (chance(g, 80)) {
		op(g, "local.tee %s", p);
	} else {
		op(g, "local.set %s", p);
		op(g, "local.get %s", p);
	}
}

/* A value for a fused store: readable without code (a local or a constant), or not. */
static void store_value(struct gen *g, bool is64, const char *ptr, int d)
{
	int r = below(g, 10);

	if (is64) {
		if (r < 7)
			leaf64(g);
		else
			e64(g, d + 1);
		return;
	}
	if (r < 3 && ptr)
		op(g, "local.get %s", ptr);	/* the address local itself */
	else if (r < 8)
		leaf32(g);
	else
		e32(g, d + 1);
}

/* i32 operations that the compiler fuses: multiply-add, 3-way add, xor-rotate, funnel shift. */
static void fused32(struct gen *g, int d)
{
	bool l;

	switch (below(g, 5)) {
	case 0:
		e32(g, d + 1);
		leaf32(g);
		op(g, "i32.mul");
		leaf32(g);
		op(g, "i32.add");
		break;
	case 1:
		leaf32(g);
		e32(g, d + 1);
		leaf32(g);
		op(g, "i32.mul");
		op(g, "i32.add");
		break;
	case 2:
		e32(g, d + 1);
		leaf32(g);
		op(g, "i32.add");
		leaf32(g);
		op(g, "i32.add");
		break;
	case 3:
		leaf32(g);
		e32(g, d + 1);
		op(g, "i32.const %d", below(g, 40));
		op(g, "i32.rotl");
		op(g, "i32.xor");
		break;
	default:
		/* The two shifts in either order; mostly opposite (a funnel shift). */
		l = chance(g, 50);
		e32(g, d + 1);
		op(g, "i32.const %d", below(g, 40));
		op(g, "i32.%s", l ? "shl" : "shr_u");
		leaf32(g);
		op(g, "i32.const %d", below(g, 40));
		op(g, "i32.%s", l == chance(g, 85) ? "shr_u" : "shl");
		op(g, "i32.or");
		break;
	}
}

/* An i32 division or remainder that cannot trap. */
static void divrem32(struct gen *g, int d)
{
	e32(g, d + 1);
	e32(g, d + 1);
	if (chance(g, 50)) {
		op(g, "i32.const 1");
		op(g, "i32.or");
		op(g, "i32.%s", chance(g, 50) ? "div_u" : chance(g, 50) ? "rem_u" : "rem_s");
	} else {
		op(g, "i32.const 0x7fff");
		op(g, "i32.and");
		op(g, "i32.const 1");
		op(g, "i32.add");
		op(g, "i32.div_s");
	}
}

static void e32(struct gen *g, int d)
{
	int l, t[3];

	if (d >= MAX_DEPTH || chance(g, 25)) {
		leaf32(g);
		return;
	}
	switch (below(g, 26)) {
	case 0:
	case 1:
		e32(g, d + 1);
		e32(g, d + 1);
		op(g, "i32.%s", PICK(g, bin32));
		break;
	case 2:
		e32(g, d + 1);
		op(g, "i32.const %" PRId32, k32(g));
		op(g, "i32.%s", PICK(g, bin32));
		break;
	case 3:
		e32(g, d + 1);
		e32(g, d + 1);
		op(g, "i32.%s", PICK(g, cmps));
		break;
	case 4:
		e32(g, d + 1);
		op(g, "i32.const %" PRId32, k32(g));
		op(g, "i32.%s", PICK(g, cmps));
		break;
	case 5:
		e64(g, d + 1);
		e64(g, d + 1);
		op(g, "i64.%s", PICK(g, cmps));
		break;
	case 6:
		switch (below(g, 3)) {
		case 0:
			e32(g, d + 1);
			op(g, "i32.eqz");
			break;
		case 1:
			e64(g, d + 1);
			op(g, "i64.eqz");
			break;
		default:
			e32(g, d + 1);
			e32(g, d + 1);
			op(g, "i32.%s", PICK(g, cmps));
			op(g, "i32.eqz");
			break;
		}
		break;
	case 7:
		e32(g, d + 1);
		op(g, "local.tee %s", PICK(g, free32));
		break;
	case 8:
		e32(g, d + 1);
		e32(g, d + 1);
		e32(g, d + 1);
		op(g, "select");
		break;
	case 9:
		e64(g, d + 1);
		op(g, "i32.wrap_i64");
		break;
	case 10:
		e32(g, d + 1);
		op(g, "i32.%s", PICK(g, un32));
		break;
	case 11:
		divrem32(g, d);
		break;
	case 12:
		addr(g, d);
		mem_any(g, load32);
		break;
	case 13:
		walk(g, d);
		mem_any(g, load32);
		break;
	case 14:
		/* A block whose end is a branch target, with a value. */
		l = new_label(g);
		op(g, "block $L%d (result i32)", l);
		g->ind++;
		if (chance(g, 40))
			stmts(g, d + 1, 1);
		e32(g, d + 1);
		e32(g, d + 1);
		op(g, "br_if $L%d", l);
		if (chance(g, 50)) {
			e32(g, d + 1);
			op(g, "i32.%s", PICK(g, bin32));
		}
		g->ind--;
		op(g, "end");
		break;
	case 15:
		e32(g, d + 1);
		op(g, "if (result i32)");
		g->ind++;
		if (chance(g, 30))
			stmts(g, d + 1, 1);
		e32(g, d + 1);
		g->ind--;
		op(g, "else");
		g->ind++;
		if (chance(g, 30))
			stmts(g, d + 1, 1);
		e32(g, d + 1);
		g->ind--;
		op(g, "end");
		break;
	case 16:
		if (g->helper) {
			leaf32(g);
			break;
		}
		e32(g, d + 1);
		e32(g, d + 1);
		if (chance(g, 70)) {
			op(g, "call $h");
		} else {
			/* $h or $grow; memory may grow under the caller. */
			e32(g, d + 1);
			op(g, "i32.const 1");
			op(g, "i32.and");
			op(g, "call_indirect (type $hf)");
		}
		break;
	case 17:
	case 18:
		fused32(g, d);
		break;
	case 19:
		/* br_table carrying a value to two blocks. */
		l = new_label(g);
		op(g, "block $L%d (result i32)", l);
		g->ind++;
		op(g, "block $L%d (result i32)", l + 1);
		new_label(g);
		g->ind++;
		e32(g, d + 1);
		e32(g, d + 1);
		t[0] = l + below(g, 2);
		t[1] = l + below(g, 2);
		t[2] = l + below(g, 2);
		op(g, "br_table $L%d $L%d $L%d", t[0], t[1], t[2]);
		g->ind--;
		op(g, "end");
		op(g, "i32.const %" PRId32, k32(g));
		op(g, "i32.add");
		g->ind--;
		op(g, "end");
		break;
	case 20:
		/* A lazy local read, then the same local written before the read is used. */
		l = below(g, N(free32));
		op(g, "local.get %s", free32[l]);
		if (chance(g, 50)) {
			e32(g, d + 1);
			op(g, "local.tee %s", free32[l]);
		} else {
			op(g, "block (result i32)");
			g->ind++;
			e32(g, d + 1);
			op(g, "local.set %s", free32[l]);
			e32(g, d + 1);
			g->ind--;
			op(g, "end");
		}
		op(g, "i32.%s", PICK(g, bin32));
		break;
	case 21:
		/* local + k used as a plain value. */
		op(g, "local.get %s", PICK(g, read32));
		op(g, "i32.const %" PRId32, k32(g));
		op(g, "i32.add");
		break;
	case 22:
		op(g, "i64.const %" PRId64, k64(g));
		e64(g, d + 1);
		op(g, "i64.%s", PICK(g, cmps));
		break;
	case 23:
		/* A block with a parameter; typed select; memory.size. */
		e32(g, d + 1);
		l = new_label(g);
		op(g, "block $L%d (param i32) (result i32)", l);
		g->ind++;
		e32(g, d + 1);
		op(g, "i32.%s", PICK(g, bin32));
		e32(g, d + 1);
		op(g, "br_if $L%d", l);
		e32(g, d + 1);
		op(g, "memory.size");
		op(g, "select (result i32)");
		g->ind--;
		op(g, "end");
		break;
	case 24:
		ef64(g, 0);
		if (chance(g, 50)) {
			ef64(g, 0);
			op(g, "f64.%s", PICK(g, fcmps));
		} else {
			op(g, "i32.trunc_sat_f64_%s", chance(g, 50) ? "s" : "u");
		}
		break;
	default:
		addr(g, d);
		mem_any(g, load64);
		op(g, "i32.wrap_i64");
		break;
	}
}

static void e64(struct gen *g, int d)
{
	static const char *const bin64[] = {
		"add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr",
	};

	if (d >= MAX_DEPTH || chance(g, 30)) {
		leaf64(g);
		return;
	}
	switch (below(g, 13)) {
	case 0:
	case 1:
		e64(g, d + 1);
		e64(g, d + 1);
		op(g, "i64.%s", PICK(g, bin64));
		break;
	case 2:
		e64(g, d + 1);
		op(g, "i64.const %" PRId64, k64(g));
		op(g, "i64.%s", PICK(g, bin64));
		break;
	case 3:
		e32(g, d + 1);
		op(g, "i64.extend_i32_%s", chance(g, 50) ? "s" : "u");
		break;
	case 4:
		addr(g, d);
		mem_any(g, load64);
		break;
	case 5:
		walk(g, d);
		mem_any(g, load64);
		break;
	case 6:
		e64(g, d + 1);
		op(g, "local.tee %s", PICK(g, free64));
		break;
	case 7:
		e64(g, d + 1);
		e64(g, d + 1);
		e32(g, d + 1);
		op(g, "select");
		break;
	case 8:
		e64(g, d + 1);
		op(g, "i64.%s", PICK(g, un64));
		break;
	case 9:
		e64(g, d + 1);
		e64(g, d + 1);
		op(g, "i64.const 1");
		op(g, "i64.or");
		op(g, "i64.%s", chance(g, 50) ? "div_u" : chance(g, 50) ? "rem_u" : "rem_s");
		break;
	case 10:
		e64(g, d + 1);
		e64(g, d + 1);
		op(g, "i64.mul");
		leaf64(g);
		op(g, "i64.add");
		break;
	case 11:
		ef64(g, 0);
		op(g, "i64.reinterpret_f64");
		break;
	default:
		e32(g, d + 1);
		op(g, "if (result i64)");
		g->ind++;
		e64(g, d + 1);
		g->ind--;
		op(g, "else");
		g->ind++;
		e64(g, d + 1);
		g->ind--;
		op(g, "end");
		break;
	}
}

/* ---------------------------------------------------------------- statements */

static void stmt(struct gen *g, int d);

/* Accesses at a pointer walk (_KW/_XW): loads into a free local, a pointer, a stride, or a store. */
static void walk_stmt(struct gen *g, int d)
{
	const char *p;
	int w;

	walk(g, d);
	switch (below(g, 8)) {
	case 0:
		mem_any(g, load32);
		op(g, "local.set %s", PICK(g, free32));
		break;
	case 1:
		mem_any(g, load64);
		op(g, "local.set %s", PICK(g, free64));
		break;
	case 2:
		/* The loaded value replaces the address local (then is masked again). */
		p = PICK(g, ptrs);
		mem_any(g, load32);
		op(g, "local.set %s", p);
		remask(g, p);
		break;
	case 3:
		p = PICK(g, strides);
		mem_any(g, load32);
		op(g, "i32.const 63");
		op(g, "i32.and");
		op(g, "local.set %s", p);
		break;
	case 4:
		mem_any(g, load32);
		op(g, "drop");
		break;
	case 5:
	case 6:
		/* Store; the value may be the address local just written. */
		w = below(g, N(store32));
		store_value(g, false, PICK(g, ptrs), d);
		mem(g, store32[w], offset(g));
		break;
	default:
		store_value(g, true, NULL, d);
		mem_any(g, store64);
		break;
	}
}

/* i32.store of a fresh add/sub/and/or/xor, multiply-add or funnel shift (_ST/_STK). */
static void opstore_stmt(struct gen *g, int d)
{
	bool addk = chance(g, 40);
	unsigned int off = addk && chance(g, 70) ? 0 : offset(g);

	if (addk) {
		op(g, "local.get %s", PICK(g, ptrs));
		op(g, "i32.const %d", below(g, 64));
		op(g, "i32.add");
	} else {
		addr(g, d);
	}
	switch (below(g, 8)) {
	case 0:
	case 1:
		fused32(g, d);
		break;
	case 2:
		e32(g, d + 1);
		e32(g, d + 1);
		op(g, "i32.%s", PICK(g, opst));
		break;
	default:
		leaf32(g);
		if (chance(g, 70))
			leaf32(g);
		else
			e32(g, d + 1);
		op(g, "i32.%s", PICK(g, opst));
		break;
	}
	mem(g, "i32.store", off);
}

static void cmp_against(struct gen *g, const char *x)
{
	switch (below(g, 3)) {
	case 0:
		op(g, "i32.const %" PRId32, k32(g));
		break;
	case 1:
		op(g, "i32.const %d", below(g, 20));
		break;
	default:
		op(g, "local.get %s", x);
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
	const char *x = PICK(g, free32), *y = PICK(g, read32);
	bool right = chance(g, 25);
	int t = some_target(g), form = below(g, 5);

	if (right && form == 0)
		op(g, "local.get %s", y);
	switch (below(g, 4)) {
	case 0:
		op(g, "local.get %s", x);
		op(g, "i32.const %" PRId32, chance(g, 70) ? below(g, 9) - 4 : k32(g));
		op(g, "i32.add");
		break;
	case 1:
		op(g, "local.get %s", x);
		op(g, "i32.const %" PRId32, below(g, 9) - 4);
		op(g, "i32.sub");
		break;
	case 2:
		op(g, "i32.const %" PRId32, below(g, 9) - 4);
		op(g, "local.get %s", x);
		op(g, "i32.add");
		break;
	default:
		op(g, "local.get %s", x);
		op(g, "local.get %s", PICK(g, read32));
		op(g, "i32.add");
		break;
	}
	if (chance(g, 75)) {
		op(g, "local.tee %s", x);
	} else {
		op(g, "local.set %s", x);
		op(g, "local.get %s", x);
	}
	switch (form) {
	case 0:
		if (!right)
			cmp_against(g, y);
		op(g, "i32.%s", PICK(g, cmps));
		break;
	case 1:
		break;
	case 2:
		op(g, "i32.eqz");
		break;
	case 3:
		cmp_against(g, y);
		op(g, "i32.%s", PICK(g, cmps));
		op(g, "i32.eqz");
		break;
	default:
		op(g, "i32.const %d", below(g, 8));
		op(g, "i32.%s", PICK(g, cmps));
		break;
	}
	if (t >= 0 && chance(g, 60)) {
		op(g, "br_if $L%d", t);
		return;
	}
	open_target(g, "if");
	stmts(g, d + 1, 1);
	if (chance(g, 40)) {
		g->ind--;
		op(g, "else");
		g->ind++;
		stmts(g, d + 1, 1);
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
	const char *x = PICK(g, free32), *p = PICK(g, ptrs);
	int l, t;

	switch (below(g, 5)) {
	case 0:
		/* block { br_if; x += k }  then a branch on x (INCBR). */
		l = open_target(g, "block");
		e32(g, d + 1);
		op(g, "br_if $L%d", l);
		op(g, "local.get %s", x);
		op(g, "i32.const %d", below(g, 9) - 4);
		op(g, "i32.add");
		op(g, "local.set %s", x);
		close_target(g);
		op(g, "local.get %s", x);
		if (chance(g, 50)) {
			op(g, "i32.const %d", below(g, 9));
			op(g, "i32.%s", PICK(g, cmps));
		}
		t = some_target(g);
		if (t >= 0 && chance(g, 50)) {
			op(g, "br_if $L%d", t);
		} else {
			op(g, "if");
			g->ind++;
			op(g, "local.get %s", x);
			op(g, "i32.const 3");
			op(g, "i32.xor");
			op(g, "local.set %s", x);
			g->ind--;
			op(g, "end");
		}
		break;
	case 1:
		/* if { x += k }  then x used (the if's end is a target). */
		e32(g, d + 1);
		op(g, "if");
		g->ind++;
		op(g, "local.get %s", x);
		op(g, "i32.const %d", below(g, 9) - 4);
		op(g, "i32.add");
		op(g, "local.set %s", x);
		g->ind--;
		op(g, "end");
		op(g, "local.get %s", x);
		op(g, "i32.eqz");
		op(g, "if");
		g->ind++;
		op(g, "i32.const %" PRId32, k32(g));
		op(g, "local.set %s", x);
		g->ind--;
		op(g, "end");
		break;
	case 2:
		/* block (result i32) { p; br_if; p + k }  local.tee p; access (_KW). */
		l = new_label(g);
		op(g, "block $L%d (result i32)", l);
		g->ind++;
		op(g, "local.get %s", p);
		e32(g, d + 1);
		op(g, "br_if $L%d", l);
		op(g, "drop");
		op(g, "local.get %s", p);
		if (g->walk < 63 || chance(g, 50)) {
			op(g, "i32.const %d", walk_step(g));
		} else {
			g->walk -= 63;
			op(g, "local.get %s", PICK(g, strides));
		}
		op(g, "i32.add");
		g->ind--;
		op(g, "end");
		op(g, "local.tee %s", p);
		if (chance(g, 50)) {
			mem_any(g, load32);
			op(g, "local.set %s", x);
		} else {
			store_value(g, false, p, d);
			mem_any(g, store32);
		}
		break;
	case 3:
		/* block (result i32) { a; br_if; b; op }  i32.store (_ST). */
		addr(g, d);
		l = new_label(g);
		op(g, "block $L%d (result i32)", l);
		g->ind++;
		leaf32(g);
		e32(g, d + 1);
		op(g, "br_if $L%d", l);
		leaf32(g);
		op(g, "i32.%s", PICK(g, opst));
		g->ind--;
		op(g, "end");
		mem(g, "i32.store", offset(g));
		break;
	default:
		/* The same over an else and over a br_table. */
		if (chance(g, 50)) {
			e32(g, d + 1);
			op(g, "if (result i32)");
			g->ind++;
			op(g, "local.get %s", p);
			op(g, "i32.const %d", walk_step(g));
			op(g, "i32.add");
			g->ind--;
			op(g, "else");
			g->ind++;
			op(g, "local.get %s", p);
			g->ind--;
			op(g, "end");
			op(g, "local.tee %s", p);
			mem_any(g, load32);
			op(g, "local.set %s", x);
		} else {
			l = open_target(g, "block");
			open_target(g, "block");
			e32(g, d + 1);
			op(g, "br_table $L%d $L%d $L%d", l, l + 1, l);
			close_target(g);
			op(g, "local.get %s", x);
			op(g, "i32.const 1");
			op(g, "i32.add");
			op(g, "local.set %s", x);
			close_target(g);
			op(g, "local.get %s", x);
			op(g, "i32.const %d", below(g, 4));
			op(g, "i32.%s", PICK(g, cmps));
			op(g, "if");
			g->ind++;
			stmts(g, d + 1, 1);
			g->ind--;
			op(g, "end");
		}
		break;
	}
}

/* The body of a loop: pointers masked again (bounding the walks), then statements. */
static void loop_body(struct gen *g, int d)
{
	int i;

	for (i = 0; i < N(ptrs); i++)
		remask(g, ptrs[i]);
	stmts(g, d + 1, 1 + below(g, 3));
}

/* `local.get c; i32.const k; i32.add` or an equivalent way of adding k. */
static void bump(struct gen *g, const char *c, int k)
{
	switch (below(g, 4)) {
	case 0:
		op(g, "i32.const %d", k);
		op(g, "local.get %s", c);
		op(g, "i32.add");
		break;
	case 1:
		op(g, "local.get %s", c);
		op(g, "i32.const %d", -k);
		op(g, "i32.sub");
		break;
	default:
		op(g, "local.get %s", c);
		op(g, "i32.const %d", k);
		op(g, "i32.add");
		break;
	}
}

/* local.tee c, or local.set c then local.get c. */
static void tee(struct gen *g, const char *c)
{
	if (chance(g, 75)) {
		op(g, "local.tee %s", c);
	} else {
		op(g, "local.set %s", c);
		op(g, "local.get %s", c);
	}
}

/* The latch compare of an up-counting loop: continue while c < lim, in one of four spellings. */
static void latch_up(struct gen *g, const char *c, int k, int lim, bool sgn)
{
	const char *s = sgn ? "s" : "u";

	switch (below(g, 4)) {
	case 0:
		bump(g, c, k);
		tee(g, c);
		op(g, "i32.const %d", lim);
		op(g, "i32.lt_%s", s);
		break;
	case 1:
		bump(g, c, k);
		tee(g, c);
		op(g, "i32.const %d", lim - 1);
		op(g, "i32.le_%s", s);
		break;
	case 2:
		op(g, "i32.const %d", lim);
		bump(g, c, k);
		tee(g, c);
		op(g, "i32.gt_%s", s);
		break;
	default:
		op(g, "i32.const %d", lim - 1);
		bump(g, c, k);
		tee(g, c);
		op(g, "i32.ge_%s", s);
		break;
	}
}

static void set_const(struct gen *g, const char *x, int v)
{
	op(g, "i32.const %d", v);
	op(g, "local.set %s", x);
}

static void loop_open(struct gen *g, int l, int d)
{
	op(g, "loop $L%d", l);
	g->ind++;
	loop_body(g, d);
}

static void loop_close(struct gen *g)
{
	g->ind--;
	op(g, "end");
}

/*
 * A counted loop in one of the shapes of a loop latch. The counter $cI (and
 * the limit $nI, the step $kI, the i64 counter $xI) of nesting level I are
 * written only here, so the loop runs at most `trips` times.
 */
static void loop_stmt(struct gen *g, int d)
{
	static const int steps[] = { 1, 1, 1, 2, 3, 4, 8 };
	int i = g->loops, trips = 1 + below(g, i == 0 ? 6 : i == 1 ? 4 : 3);
	int k = PICK(g, steps), start = below(g, 6), lim, l = new_label(g), b;
	bool sgn = chance(g, 30), cfirst = chance(g, 50);
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
	switch (below(g, 13)) {
	case 0:
		/* c += k; c < lim in its spellings; the start may come from a parameter. */
		if (!sgn && chance(g, 30)) {
			op(g, "local.get $a");
			op(g, "i32.const 3");
			op(g, "i32.and");
			op(g, "local.set %s", c);
		} else {
			set_const(g, c, start);
		}
		loop_open(g, l, d);
		latch_up(g, c, k, lim, sgn);
		op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	case 1:
		/* c += k; c != lim. */
		set_const(g, c, start);
		loop_open(g, l, d);
		if (chance(g, 30)) {
			op(g, "i32.const %d", lim);
			bump(g, c, k);
			tee(g, c);
		} else {
			bump(g, c, k);
			tee(g, c);
			op(g, "i32.const %d", lim);
		}
		op(g, "i32.ne");
		op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	case 2:
		/* c += k against the limit in a local, on either side. */
		set_const(g, n, lim);
		set_const(g, c, start);
		loop_open(g, l, d);
		if (cfirst) {
			bump(g, c, k);
			tee(g, c);
			op(g, "local.get %s", n);
			op(g, "i32.%s", chance(g, 50) ? "ne" : sgn ? "lt_s" : "lt_u");
		} else {
			op(g, "local.get %s", n);
			bump(g, c, k);
			tee(g, c);
			op(g, "i32.%s", chance(g, 50) ? "ne" : sgn ? "gt_s" : "gt_u");
		}
		op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	case 3:
		/* c -= k; c > start (or !=). */
		set_const(g, c, lim);
		loop_open(g, l, d);
		bump(g, c, -k);
		tee(g, c);
		op(g, "i32.const %d", start);
		op(g, "i32.%s", chance(g, 40) ? "ne" : sgn ? "gt_s" : "gt_u");
		op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	case 4:
		/* c -= k; br_if c. */
		set_const(g, c, k * trips);
		loop_open(g, l, d);
		bump(g, c, -k);
		tee(g, c);
		op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	case 5:
		/* block { loop { c -= k; eqz; br_if out; br loop } }. */
		b = open_target(g, "block");
		set_const(g, c, k * trips);
		loop_open(g, l, d);
		bump(g, c, -k);
		tee(g, c);
		op(g, "i32.eqz");
		op(g, "br_if $L%d", b);
		op(g, "br $L%d", l);
		loop_close(g);
		close_target(g);
		break;
	case 6:
		/* c += k; eqz(c >= lim). */
		set_const(g, c, start);
		loop_open(g, l, d);
		bump(g, c, k);
		tee(g, c);
		op(g, "i32.const %d", lim);
		op(g, "i32.ge_%s", sgn ? "s" : "u");
		op(g, "i32.eqz");
		op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	case 7:
		/* c += step with the step in a local, either operand order. */
		switch (below(g, 3)) {
		case 0:
			set_const(g, s, k);
			set_const(g, c, start);
			loop_open(g, l, d);
			op(g, "local.get %s", cfirst ? c : s);
			op(g, "local.get %s", cfirst ? s : c);
			op(g, "i32.add");
			tee(g, c);
			op(g, "i32.const %d", lim);
			op(g, "i32.lt_%s", sgn ? "s" : "u");
			break;
		case 1:
			set_const(g, s, k);
			set_const(g, n, lim);
			set_const(g, c, start);
			loop_open(g, l, d);
			if (chance(g, 50)) {
				op(g, "local.get %s", n);
				op(g, "local.get %s", cfirst ? c : s);
				op(g, "local.get %s", cfirst ? s : c);
				op(g, "i32.add");
				tee(g, c);
			} else {
				op(g, "local.get %s", cfirst ? c : s);
				op(g, "local.get %s", cfirst ? s : c);
				op(g, "i32.add");
				tee(g, c);
				op(g, "local.get %s", n);
			}
			op(g, "i32.ne");
			break;
		default:
			set_const(g, s, -k);
			set_const(g, c, k * trips);
			loop_open(g, l, d);
			op(g, "local.get %s", cfirst ? c : s);
			op(g, "local.get %s", cfirst ? s : c);
			op(g, "i32.add");
			tee(g, c);
			if (chance(g, 50)) {
				op(g, "i32.eqz");
				op(g, "i32.eqz");
			}
			break;
		}
		op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	case 8:
		/*
		 * A while loop testing c at the top, with c's last update just
		 * before the loop: the test must not absorb that add.
		 */
		set_const(g, c, start - k);
		bump(g, c, k);
		op(g, "local.set %s", c);
		b = open_target(g, "block");
		op(g, "loop $L%d", l);
		g->ind++;
		op(g, "local.get %s", c);
		op(g, "i32.const %d", lim);
		if (chance(g, 50)) {
			op(g, "i32.ge_%s", sgn ? "s" : "u");
		} else {
			op(g, "i32.lt_%s", sgn ? "s" : "u");
			op(g, "i32.eqz");
		}
		op(g, "br_if $L%d", b);
		loop_body(g, d);
		bump(g, c, k);
		op(g, "local.set %s", c);
		op(g, "br $L%d", l);
		loop_close(g);
		close_target(g);
		break;
	case 9:
		/* The latch is an if around br. */
		set_const(g, c, start);
		loop_open(g, l, d);
		latch_up(g, c, k, lim, sgn);
		op(g, "if");
		g->ind++;
		op(g, "br $L%d", l);
		g->ind--;
		op(g, "end");
		loop_close(g);
		break;
	case 10:
		/* The exit is a br_if carrying a value (not in place: a skip branch). */
		v = chance(g, 40) ? c : PICK(g, read32);
		set_const(g, c, start);
		b = new_label(g);
		op(g, "block $L%d (result i32)", b);
		g->ind++;
		loop_open(g, l, d);
		op(g, "local.get %s", v);
		bump(g, c, k);
		tee(g, c);
		op(g, "i32.const %d", lim);
		op(g, "i32.ge_%s", sgn ? "s" : "u");
		op(g, "br_if $L%d", b);
		op(g, "drop");
		op(g, "br $L%d", l);
		loop_close(g);
		op(g, "i32.const %" PRId32, k32(g));
		g->ind--;
		op(g, "end");
		op(g, "local.set %s", PICK(g, free32));
		break;
	case 11:
		/* A loop with a parameter: each latch branch carries a sum to the next trip. */
		set_const(g, c, start);
		leaf32(g);
		op(g, "loop $L%d (param i32) (result i32)", l);
		g->ind++;
		loop_body(g, d);
		e32(g, d + 1);
		op(g, "i32.%s", PICK(g, opst));
		latch_up(g, c, k, lim, sgn);
		op(g, "br_if $L%d", l);
		loop_close(g);
		op(g, "local.set %s", PICK(g, free32));
		break;
	default:
		/* An i64 counter (compare-and-branch of i64). */
		op(g, "i64.const %d", start);
		op(g, "local.set %s", x);
		loop_open(g, l, d);
		op(g, "local.get %s", x);
		op(g, "i64.const %d", k);
		op(g, "i64.add");
		op(g, "local.tee %s", x);
		op(g, "i64.const %d", lim);
		op(g, "i64.%s", chance(g, 30) ? "ne" : sgn ? "lt_s" : "lt_u");
		op(g, "br_if $L%d", l);
		loop_close(g);
		break;
	}
	g->loops--;
}

/*
 * A statement that traps (out of bounds, through the fused forms too; divide
 * by zero; overflow; unreachable), maybe only for some arguments. Two of the
 * out-of-bounds accesses are in the pages $grow adds: they trap only until
 * memory has grown.
 */
static void trap_stmt(struct gen *g, int d)
{
	const char *p = PICK(g, ptrs);
	bool guard = chance(g, 50);

	g->traps--;
	if (guard) {
		op(g, "local.get $%c", chance(g, 50) ? 'a' : 'b');
		op(g, "i32.const %d", 1 << below(g, 3));
		op(g, "i32.and");
		op(g, "if");
		g->ind++;
	}
	switch (below(g, 9)) {
	case 0:
		op(g, "local.get %s", p);
		op(g, "i32.const %d", 0xfff0 + below(g, 16));
		op(g, "i32.add");
		op(g, "local.tee %s", p);
		mem(g, PICK(g, load32), 0x800);
		op(g, "local.set %s", PICK(g, free32));
		break;
	case 1:
		op(g, "local.get %s", p);
		op(g, "i32.const %d", 0x7000);
		op(g, "i32.sub");
		op(g, "local.tee %s", p);
		leaf32(g);
		mem_any(g, store32);
		break;
	case 2:
		op(g, "i32.const %d", 0x3fffe - below(g, 3));
		leaf32(g);
		leaf32(g);
		op(g, "i32.%s", PICK(g, opst));
		mem(g, "i32.store", below(g, 2));
		break;
	case 3:
		op(g, "local.get %s", p);
		op(g, "local.get %s", PICK(g, strides));
		op(g, "i32.add");
		op(g, "local.tee %s", p);
		leaf64(g);
		mem(g, PICK(g, store64), 0xffff);
		break;
	case 4:
		op(g, "i32.const 0x%x", 0xfff8 + below(g, 8));
		op(g, "i32.const 0x10");
		op(g, "i32.add");
		mem_any(g, load64);
		op(g, "drop");
		break;
	case 5:
		e32(g, d + 1);
		op(g, "i32.const 0");
		op(g, "i32.%s", PICK(g, divs));
		op(g, "local.set %s", PICK(g, free32));
		break;
	case 6:
		e64(g, d + 1);
		op(g, "i64.const 0");
		op(g, "i64.%s", PICK(g, divs));
		op(g, "local.set %s", PICK(g, free64));
		break;
	case 7:
		op(g, "i32.const %" PRId32, INT32_MIN);
		op(g, "i32.const -1");
		op(g, "i32.div_s");
		op(g, "local.set %s", PICK(g, free32));
		break;
	default:
		op(g, "unreachable");
		break;
	}
	if (guard) {
		g->ind--;
		op(g, "end");
	}
}

static void stmt(struct gen *g, int d)
{
	int t, l, i, ts[4];

	if (g->budget <= 0 || d > 6) {
		leaf32(g);
		op(g, "local.set %s", PICK(g, free32));
		return;
	}
	g->budget--;
	if (g->traps && chance(g, 8)) {
		trap_stmt(g, d);
		return;
	}
	switch (below(g, 25)) {
	case 0:
	case 1:
		e32(g, d);
		op(g, "local.set %s", PICK(g, free32));
		break;
	case 2:
		if (chance(g, 25)) {
			ef64(g, 0);
			op(g, "local.set $f%d", below(g, 2));
			break;
		}
		e64(g, d);
		op(g, "local.set %s", PICK(g, free64));
		break;
	case 3:
		e32(g, d);
		op(g, "i32.const 63");
		op(g, "i32.and");
		op(g, "local.set %s", PICK(g, strides));
		break;
	case 4:
		e32(g, d);
		to_ptr(g);
		op(g, "local.set %s", PICK(g, ptrs));
		break;
	case 5:
		addr(g, d);
		e32(g, d + 1);
		mem_any(g, store32);
		break;
	case 6:
		addr(g, d);
		if (chance(g, 30)) {
			ef64(g, 0);
			mem(g, "f64.store", offset(g));
		} else {
			e64(g, d + 1);
			mem_any(g, store64);
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
		e32(g, d);
		open_target(g, "if");
		stmts(g, d + 1, 1 + below(g, 2));
		if (chance(g, 40)) {
			g->ind--;
			op(g, "else");
			g->ind++;
			stmts(g, d + 1, 1 + below(g, 2));
		}
		close_target(g);
		break;
	case 19:
		t = some_target(g);
		if (t < 0) {
			open_target(g, "block");
			stmts(g, d + 1, 1 + below(g, 3));
			close_target(g);
			break;
		}
		e32(g, d);
		if (chance(g, 70)) {
			op(g, "br_if $L%d", t);
		} else {
			op(g, "if");
			g->ind++;
			stmts(g, d + 1, 1);
			op(g, "br $L%d", t);
			g->ind--;
			op(g, "end");
		}
		break;
	case 20:
		/* br_table to three nested blocks, each followed by statements. */
		l = open_target(g, "block");
		open_target(g, "block");
		open_target(g, "block");
		e32(g, d);
		for (i = 0; i < 4; i++)
			ts[i] = l + below(g, 3);
		op(g, "br_table $L%d $L%d $L%d $L%d", ts[0], ts[1], ts[2], ts[3]);
		close_target(g);
		stmts(g, d + 1, 1);
		close_target(g);
		stmts(g, d + 1, 1);
		close_target(g);
		break;
	case 21:
		if (g->helper) {
			walk_stmt(g, d);
			break;
		}
		e32(g, d + 1);
		e32(g, d + 1);
		op(g, "call $h");
		if (chance(g, 50))
			op(g, "drop");
		else
			op(g, "local.set %s", PICK(g, free32));
		break;
	case 22:
		open_target(g, "block");
		stmts(g, d + 1, 1 + below(g, 3));
		close_target(g);
		break;
	case 23:
		if (chance(g, 10)) {
			/* An early return, taken for some arguments. */
			op(g, "local.get $%c", chance(g, 50) ? 'a' : 'b');
			op(g, "i32.const %d", 1 << below(g, 4));
			op(g, "i32.and");
			op(g, "if");
			g->ind++;
			if (g->res64)
				e64(g, d + 1);
			else
				e32(g, d + 1);
			op(g, "return");
			g->ind--;
			op(g, "end");
			break;
		}
		/* fall through */
	default:
		walk_stmt(g, d);
		break;
	}
}

static void stmts(struct gen *g, int d, int n)
{
	while (n-- > 0)
		stmt(g, d);
}

/* ---------------------------------------------------------------- functions */

static void locals(struct gen *g)
{
	int i;

	op(g, "(local $g0 i32) (local $g1 i32) (local $g2 i32) (local $g3 i32)");
	op(g, "(local $w0 i64) (local $w1 i64) (local $f0 f64) (local $f1 f64) (local $f2 f64)");
	op(g, "(local $f3 f64)");
	op(g, "(local $p0 i32) (local $p1 i32) (local $s0 i32) (local $s1 i32)");
	for (i = 0; i < MAX_LOOPS; i++)
		op(g, "(local $c%d i32) (local $n%d i32) (local $k%d i32) (local $x%d i64)", i, i, i, i);
}

/* Pointers and strides from the arguments; some free locals too. */
static void prologue(struct gen *g)
{
	op(g, "local.get $a");
	to_ptr(g);
	op(g, "local.set $p0");
	op(g, "local.get $b");
	to_ptr(g);
	op(g, "local.set $p1");
	op(g, "local.get $b");
	op(g, "i32.const 63");
	op(g, "i32.and");
	op(g, "local.set $s0");
	set_const(g, "$s1", below(g, 64));
	op(g, "local.get $a");
	op(g, "local.get $b");
	op(g, "i32.xor");
	op(g, "local.set $g0");
	set_const(g, "$g1", k32(g));
	op(g, "local.get $a");
	op(g, "i64.extend_i32_u");
	op(g, "i64.const %" PRId64, k64(g));
	op(g, "i64.mul");
	op(g, "local.set $w0");
}

/* The result: every free local, pointer and counter mixed, and a checksum of memory at $p0. */
static void epilogue(struct gen *g)
{
	static const char *const mix[] = {
		"$g1", "$g2", "$g3", "$p0", "$p1", "$s0", "$s1", "$c0", "$c1", "$c2", "$n0",
	};
	int i;

	op(g, "local.get $g0");
	for (i = 0; i < N(mix); i++) {
		op(g, "i32.const %d", 1 + i * 3);
		op(g, "i32.rotl");
		op(g, "local.get %s", mix[i]);
		op(g, "i32.%s", i & 1 ? "add" : "xor");
	}
	op(g, "local.get $w0");
	op(g, "local.get $w1");
	op(g, "i64.xor");
	op(g, "local.get $x0");
	op(g, "i64.add");
	op(g, "local.get $f0");
	op(g, "i64.reinterpret_f64");
	op(g, "i64.xor");
	op(g, "local.get $f1");
	op(g, "i64.reinterpret_f64");
	op(g, "i64.add");
	op(g, "i64.const 32");
	op(g, "i64.rotl");
	op(g, "i32.wrap_i64");
	op(g, "i32.xor");
	if (!g->helper) {
		op(g, "local.get $p0");
		op(g, "i32.const 64");
		op(g, "call $win");
		op(g, "i32.add");
	}
	if (chance(g, 40)) {
		e32(g, 1);
		op(g, "i32.xor");
	}
	if (g->res64) {
		op(g, "i64.extend_i32_u");
		op(g, "local.get $w0");
		op(g, "i64.const 32");
		op(g, "i64.rotl");
		op(g, "i64.xor");
		op(g, "local.get $w1");
		op(g, "i64.add");
	}
}

static void func(struct gen *g, const char *name, bool helper, bool res64, int budget, int traps)
{
	g->helper = helper;
	g->res64 = res64;
	g->loops = 0;
	g->budget = budget;
	g->walk = WALK_MAX;
	g->traps = traps;
	g->target_cnt = 0;
	op(g, "(func %s (param $a i32) (param $b i32) (result %s)", name, res64 ? "i64" : "i32");
	g->ind++;
	locals(g);
	prologue(g);
	while (g->budget > 0)
		stmt(g, 0);
	/* A planned trap not placed yet goes at the end. */
	if (g->traps)
		trap_stmt(g, 0);
	epilogue(g);
	g->ind--;
	op(g, ")");
}

/* ---------------------------------------------------------------- the module */

/*
 * Fixed helpers: the checksum of [0, REGION) and of a window at p, and a
 * function that grows memory (up to 4 pages), called through the table.
 */
static void fixed_funcs(void)
{
	static const char *const csum[] = {
		"(func $csum (result i64) (local $i i32) (local $x i64)",
		"  i64.const 0x243f6a8885a308d3",
		"  local.set $x",
		"  loop $l",
		"    local.get $x",
		"    i64.const 7",
		"    i64.rotl",
		"    local.get $i",
		"    i64.load",
		"    i64.add",
		"    local.get $i",
		"    i64.extend_i32_u",
		"    i64.xor",
		"    local.set $x",
		"    local.get $i",
		"    i32.const 8",
		"    i32.add",
		"    local.tee $i",
		NULL,		/* i32.const REGION */
		"    i32.lt_u",
		"    br_if $l",
		"  end",
		"  local.get $x)",
		"(func $win (param $p i32) (param $n i32) (result i32) (local $x i32)",
		"  loop $l",
		"    local.get $x",
		"    i32.const 5",
		"    i32.rotl",
		"    local.get $p",
		"    i32.const 4",
		"    i32.add",
		"    local.tee $p",
		"    i32.load",
		"    i32.xor",
		"    local.set $x",
		"    local.get $n",
		"    i32.const 4",
		"    i32.sub",
		"    local.tee $n",
		"    i32.const 0",
		"    i32.gt_s",
		"    br_if $l",
		"  end",
		"  local.get $x)",
		"(func $grow (param $a i32) (param $b i32) (result i32)",
		"  memory.size",
		"  i32.const 4",
		"  i32.lt_u",
		"  if",
		"    i32.const 1",
		"    memory.grow",
		"    drop",
		"  end",
		"  local.get $a",
		"  local.get $b",
		"  i32.xor",
		"  memory.size",
		"  i32.add)",
		"(type $hf (func (param i32 i32) (result i32)))",
		"(table 2 funcref)",
		"(elem (i32.const 0) $h $grow)",
	};
	int i;

	for (i = 0; i < N(csum); i++) {
		if (csum[i])
			printf("  %s\n", csum[i]);
		else
			printf("      i32.const %u\n", REGION);
	}
}

static void data(struct gen *g)
{
	int i, j, len, at;

	for (i = 0; i < 4; i++) {
		len = 64 + below(g, 448);
		at = below(g, (int)REGION - len);
		printf("  (data (i32.const %d) \"", at);
		for (j = 0; j < len; j++)
			printf("\\%02x", (unsigned int)(rnd(g) & 0xff));
		printf("\")\n");
	}
}

int main(int argc, char **argv)
{
	struct gen g = { 0 };
	int funcs = 10, budget, traps, i;
	bool *res64;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s SEED [FUNCS]\n", argv[0]);
		return 2;
	}
	/*
	 * splitmix64 steps its state by a constant: start from a hash of the
	 * seed, or seed N + 1 would be seed N one number later.
	 */
	g.rng = strtoull(argv[1], NULL, 0);
	g.rng = rnd(&g) ^ 0x5851f42d4c957f2dull;
	if (argc == 3)
		funcs = atoi(argv[2]);
	if (funcs < 1 || funcs > 1000) {
		fprintf(stderr, "%s: FUNCS must be 1..1000\n", argv[0]);
		return 2;
	}
	res64 = calloc((size_t)funcs, sizeof(*res64));
	if (!res64)
		return 1;
	printf(";; gen %s %d\n(module\n  (memory (export \"mem\") 1)\n", argv[1], funcs);
	data(&g);
	g.ind = 1;
	fixed_funcs();
	func(&g, "$h", true, false, 4 + below(&g, 6), 0);
	for (i = 0; i < funcs; i++) {
		char name[16];

		snprintf(name, sizeof(name), "$f%d", i);
		res64[i] = chance(&g, 25);
		budget = 15 + below(&g, 30);
		traps = chance(&g, 25);
		func(&g, name, false, res64[i], budget, traps);
	}
	/*
	 * wasm-interp --run-all-exports calls only functions without
	 * parameters, in export order: fN calls $fN with fixed arguments, mN
	 * returns the checksum of memory after it.
	 */
	for (i = 0; i < funcs; i++) {
		int32_t a = k32(&g), b = k32(&g);

		printf("  (func (export \"f%d\") (result %s) (call $f%d (i32.const %" PRId32
		       ") (i32.const %" PRId32 ")))\n", i, res64[i] ? "i64" : "i32", i, a, b);
		printf("  (func (export \"m%d\") (result i64) (call $csum))\n", i);
	}
	printf(")\n");
	free(res64);
	return 0;
}
