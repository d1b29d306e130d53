/* SPDX-License-Identifier: MIT */
/*
 * Shared declarations of the differential test's module generator: its
 * state, the memory layout it keeps to, the names of the locals, and the
 * functions that cross files: random choices and output (gen.c), expressions
 * (gen_expr.c), statements (gen_stmt.c).
 */
#ifndef WB_TESTS_DIFF_GEN_H
#define WB_TESTS_DIFF_GEN_H

#include <stdbool.h>
#include <stdint.h>

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

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define PICK(g, a) ((a)[gen_below(g, N(a))])

/*
 * Names that expressions and statements both pick from, defined in gen.c:
 * locals, then instructions. The sizes are in the declarations so that N()
 * and PICK() work in every file: change them with the definitions (a name
 * too many draws a warning, an error in CI; a name too few would be NULL).
 */
extern const char *const gen_free32[6];
extern const char *const gen_free64[2];
extern const char *const gen_ptrs[2];
extern const char *const gen_strides[2];
extern const char *const gen_read32[15];
extern const char *const gen_cmps[10];
extern const char *const gen_load32[5];
extern const char *const gen_load64[7];

/* gen.c: random choices (splitmix64, the same on every platform) and output. */
int gen_below(struct gen *g, int n);
bool gen_chance(struct gen *g, int pct);
int32_t gen_k32(struct gen *g);
int64_t gen_k64(struct gen *g);
unsigned int gen_offset(struct gen *g);
__attribute__((format(printf, 2, 3)))
void gen_op(struct gen *g, const char *fmt, ...);
void gen_mem(struct gen *g, const char *name, unsigned int off);
int gen_new_label(struct gen *g);

/*
 * A load or store picked from `names`, with an offset. The picks are made in
 * a fixed order (arguments of one call would be evaluated in any order), so
 * that a seed gives the same module whatever compiled the generator.
 */
#define gen_mem_any(g, names) gen_mem_pick(g, names, N(names))
void gen_mem_pick(struct gen *g, const char *const *names, int n);

/* gen_expr.c: values left on the stack; d is the expression nesting. */
void gen_e32(struct gen *g, int d);
void gen_e64(struct gen *g, int d);
void gen_ef64(struct gen *g, int d);
void gen_leaf32(struct gen *g);
void gen_leaf64(struct gen *g);
void gen_fused32(struct gen *g, int d);
void gen_to_ptr(struct gen *g);
int gen_walk_step(struct gen *g);
void gen_addr(struct gen *g, int d);
void gen_walk(struct gen *g, int d);

/* gen_stmt.c: statements, which leave the stack as they found it. */
void gen_stmt(struct gen *g, int d);
void gen_stmts(struct gen *g, int d, int n);
void gen_trap_stmt(struct gen *g, int d);
void gen_set_const(struct gen *g, const char *x, int v);

#endif /* WB_TESTS_DIFF_GEN_H */
