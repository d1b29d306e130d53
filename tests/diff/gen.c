/* SPDX-License-Identifier: MIT */
/*
 * The module generator of the differential test (tests/diff/run.sh): writes a
 * random but valid WebAssembly text module, always the same one for a seed,
 * whose functions are dense in the sequences the compiler fuses
 * (src/engine/compile*.c) and in the branch targets that must stop a fusion.
 * tests/diff/README.md says what it generates and why.
 *
 *   gen [-p] SEED [FUNCS]   the module on stdout (FUNCS functions, default 10);
 *                           -p also exports each function with its parameters
 *                           (for tests/diff/jit_vs_interp.c, which picks them)
 *
 * Every loop counts with a counter local that nothing else writes, so every
 * loop ends after a known number of trips; branches other than loop latches
 * only leave blocks. Pointer locals stay inside the page (see the layout in
 * gen.h), and traps happen only where a function was picked to trap.
 *
 * This file holds the random choices, the output, the functions around the
 * bodies and the module around the functions; gen_expr.c writes the
 * expressions and gen_stmt.c the statements of the bodies.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* ---------------------------------------------------------------- names */

/* The parameters are written too: slot 0 is special to a single-value return. */
const char *const gen_free32[] = { "$g0", "$g1", "$g2", "$g3", "$a", "$b" };
const char *const gen_free64[] = { "$w0", "$w1" };
const char *const gen_ptrs[] = { "$p0", "$p1" };
const char *const gen_strides[] = { "$s0", "$s1" };
const char *const gen_read32[] = {
	"$a", "$b", "$g0", "$g1", "$g2", "$g3", "$p0", "$p1", "$s0", "$s1",
	"$c0", "$c1", "$c2", "$n0", "$k1",
};

const char *const gen_cmps[] = {
	"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
};
const char *const gen_load32[] = {
	"i32.load", "i32.load8_s", "i32.load8_u", "i32.load16_s", "i32.load16_u",
};
const char *const gen_load64[] = {
	"i64.load", "i64.load8_s", "i64.load8_u", "i64.load16_s", "i64.load16_u",
	"i64.load32_s", "i64.load32_u",
};

/* ---------------------------------------------------------------- randomness */

/* splitmix64: small, and the same sequence on every platform. */
static uint64_t rnd(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int gen_below(struct gen *g, int n)
{
	return (int)(rnd(g) % (uint64_t)n);
}

bool gen_chance(struct gen *g, int pct)
{
	return gen_below(g, 100) < pct;
}

int32_t gen_k32(struct gen *g)
{
	static const int32_t edge[] = {
		0, 1, -1, 2, 31, 32, 33, 63, 64, 255, 0x7fff, 0x8000, 0xffff,
		INT32_MAX, INT32_MIN, -2, -31, -32,
	};

	switch (gen_below(g, 4)) {
	case 0:
		return PICK(g, edge);
	case 1:
		return (int32_t)rnd(g);
	default:
		return gen_below(g, 80) - 16;
	}
}

int64_t gen_k64(struct gen *g)
{
	static const int64_t edge[] = {
		0, 1, -1, 63, 64, 65, INT64_MAX, INT64_MIN, 0xffffffffll, 0x100000000ll,
		INT32_MIN, INT32_MAX,
	};

	switch (gen_below(g, 4)) {
	case 0:
		return PICK(g, edge);
	case 1:
		return (int64_t)rnd(g);
	default:
		return gen_below(g, 80) - 16;
	}
}

/* A memarg offset: mostly none or small. */
unsigned int gen_offset(struct gen *g)
{
	switch (gen_below(g, 4)) {
	case 0:
	case 1:
		return 0;
	case 2:
		return (unsigned int)gen_below(g, 17);
	default:
		return (unsigned int)gen_below(g, OFF_MAX);
	}
}

/* ---------------------------------------------------------------- output */

void gen_op(struct gen *g, const char *fmt, ...)
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

void gen_mem(struct gen *g, const char *name, unsigned int off)
{
	if (off)
		gen_op(g, "%s offset=%u", name, off);
	else
		gen_op(g, "%s", name);
}

/* gen_mem_any(): the name is picked before the offset (see gen.h). */
void gen_mem_pick(struct gen *g, const char *const *names, int n)
{
	const char *name = names[gen_below(g, n)];

	gen_mem(g, name, gen_offset(g));
}

int gen_new_label(struct gen *g)
{
	return g->label_cnt++;
}

/* ---------------------------------------------------------------- functions */

static void locals(struct gen *g)
{
	int i;

	gen_op(g, "(local $g0 i32) (local $g1 i32) (local $g2 i32) (local $g3 i32)");
	gen_op(g, "(local $w0 i64) (local $w1 i64) (local $f0 f64) (local $f1 f64) "
	       "(local $f2 f64)");
	gen_op(g, "(local $f3 f64)");
	gen_op(g, "(local $p0 i32) (local $p1 i32) (local $s0 i32) (local $s1 i32)");
	for (i = 0; i < MAX_LOOPS; i++)
		gen_op(g, "(local $c%d i32) (local $n%d i32) (local $k%d i32) (local $x%d i64)",
		       i, i, i, i);
}

/* Pointers and strides from the arguments; some free locals too. */
static void prologue(struct gen *g)
{
	gen_op(g, "local.get $a");
	gen_to_ptr(g);
	gen_op(g, "local.set $p0");
	gen_op(g, "local.get $b");
	gen_to_ptr(g);
	gen_op(g, "local.set $p1");
	gen_op(g, "local.get $b");
	gen_op(g, "i32.const 63");
	gen_op(g, "i32.and");
	gen_op(g, "local.set $s0");
	gen_set_const(g, "$s1", gen_below(g, 64));
	gen_op(g, "local.get $a");
	gen_op(g, "local.get $b");
	gen_op(g, "i32.xor");
	gen_op(g, "local.set $g0");
	gen_set_const(g, "$g1", gen_k32(g));
	gen_op(g, "local.get $a");
	gen_op(g, "i64.extend_i32_u");
	gen_op(g, "i64.const %" PRId64, gen_k64(g));
	gen_op(g, "i64.mul");
	gen_op(g, "local.set $w0");
}

/* The result: every free local, pointer and counter mixed, and a checksum of memory at $p0. */
static void epilogue(struct gen *g)
{
	static const char *const mix[] = {
		"$g1", "$g2", "$g3", "$p0", "$p1", "$s0", "$s1", "$c0", "$c1", "$c2", "$n0",
	};
	int i;

	gen_op(g, "local.get $g0");
	for (i = 0; i < N(mix); i++) {
		gen_op(g, "i32.const %d", 1 + i * 3);
		gen_op(g, "i32.rotl");
		gen_op(g, "local.get %s", mix[i]);
		gen_op(g, "i32.%s", i & 1 ? "add" : "xor");
	}
	gen_op(g, "local.get $w0");
	gen_op(g, "local.get $w1");
	gen_op(g, "i64.xor");
	gen_op(g, "local.get $x0");
	gen_op(g, "i64.add");
	gen_op(g, "local.get $f0");
	gen_op(g, "i64.reinterpret_f64");
	gen_op(g, "i64.xor");
	gen_op(g, "local.get $f1");
	gen_op(g, "i64.reinterpret_f64");
	gen_op(g, "i64.add");
	gen_op(g, "i64.const 32");
	gen_op(g, "i64.rotl");
	gen_op(g, "i32.wrap_i64");
	gen_op(g, "i32.xor");
	if (!g->helper) {
		gen_op(g, "local.get $p0");
		gen_op(g, "i32.const 64");
		gen_op(g, "call $win");
		gen_op(g, "i32.add");
	}
	if (gen_chance(g, 40)) {
		gen_e32(g, 1);
		gen_op(g, "i32.xor");
	}
	if (g->res64) {
		gen_op(g, "i64.extend_i32_u");
		gen_op(g, "local.get $w0");
		gen_op(g, "i64.const 32");
		gen_op(g, "i64.rotl");
		gen_op(g, "i64.xor");
		gen_op(g, "local.get $w1");
		gen_op(g, "i64.add");
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
	gen_op(g, "(func %s (param $a i32) (param $b i32) (result %s)", name,
	       res64 ? "i64" : "i32");
	g->ind++;
	locals(g);
	prologue(g);
	while (g->budget > 0)
		gen_stmt(g, 0);
	/* A planned trap not placed yet goes at the end. */
	if (g->traps)
		gen_trap_stmt(g, 0);
	epilogue(g);
	g->ind--;
	gen_op(g, ")");
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
		len = 64 + gen_below(g, 448);
		at = gen_below(g, (int)REGION - len);
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
	bool *res64, params = false;
	const char *prog = argv[0];

	if (argc > 1 && !strcmp(argv[1], "-p")) {
		params = true;
		argc--;
		argv++;
	}
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s [-p] SEED [FUNCS]\n", prog);
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
		fprintf(stderr, "%s: FUNCS must be 1..1000\n", prog);
		return 2;
	}
	res64 = calloc((size_t)funcs, sizeof(*res64));
	if (!res64)
		return 1;
	printf(";; gen %s%s %d\n(module\n  (memory (export \"mem\") 1)\n", params ? "-p " : "",
	       argv[1], funcs);
	data(&g);
	g.ind = 1;
	fixed_funcs();
	func(&g, "$h", true, false, 4 + gen_below(&g, 6), 0);
	for (i = 0; i < funcs; i++) {
		char name[16];

		snprintf(name, sizeof(name), "$f%d", i);
		res64[i] = gen_chance(&g, 25);
		budget = 15 + gen_below(&g, 30);
		traps = gen_chance(&g, 25);
		func(&g, name, false, res64[i], budget, traps);
	}
	/*
	 * wasm-interp --run-all-exports calls only functions without
	 * parameters, in export order: fN calls $fN with fixed arguments, mN
	 * returns the checksum of memory after it.
	 */
	for (i = 0; i < funcs; i++) {
		int32_t a = gen_k32(&g), b = gen_k32(&g);

		printf("  (func (export \"f%d\") (result %s) (call $f%d (i32.const %" PRId32
		       ") (i32.const %" PRId32 ")))\n", i, res64[i] ? "i64" : "i32", i, a, b);
		printf("  (func (export \"m%d\") (result i64) (call $csum))\n", i);
	}
	/* After the rest, so that the module is otherwise the one without -p. */
	for (i = 0; params && i < funcs; i++)
		printf("  (export \"p%d\" (func $f%d))\n", i, i);
	printf(")\n");
	free(res64);
	return 0;
}
