/* SPDX-License-Identifier: MIT */
/*
 * The baseline JIT against the interpreter on one module, shared by the
 * differential fuzz target (fuzz/fuzz_module.c) and the deterministic check
 * of `make test-jit-diff` (tests/diff/jit_vs_interp.c).
 */
#ifndef TESTS_DIFF_JIT_DIFF_H
#define TESTS_DIFF_JIT_DIFF_H

#include <stddef.h>
#include <stdint.h>

struct jit_diff_opts {
	uint64_t fuel;		/* each store's fuel (0 = unlimited) */
	uint32_t rounds;	/* calls of every exported function (0 = 1) */
	uint64_t seed;		/* picks the arguments; 0: every argument is zero */
	int exact_nan;		/* compare float NaNs bit for bit too (see below) */
};

/* What one run did, the same in both modes when they agree. */
struct jit_diff_stats {
	uint32_t calls;		/* export calls made in each mode */
	uint32_t traps;		/* of which trapped */
	uint32_t jit_done;	/* functions the JIT translated */
	uint32_t jit_declined;	/* functions it left to the interpreter */
	uint32_t nan_payloads;	/* float results and globals both NaN, bits differing */
	int instantiated;	/* 1 if the module was instantiated */
};

enum {
	JIT_DIFF_UNLOADABLE = -1,	/* neither mode loads the module (same error) */
	JIT_DIFF_AGREE = 0,
	JIT_DIFF_DIFFER = 1,		/* what differs is in why */
};

/*
 * Load buf twice, interpreted and with wb_module_opts.jit, and run the same
 * procedure on each in a store of its own with small limits: instantiate
 * (with a made-up extern of the declared type for every import if an empty
 * linker does not do), then call every exported function opts->rounds times,
 * in export order, with the same arguments in both modes. Compares the load
 * and instantiation outcome, each call's return code, trap kind, results
 * (bit for bit) and the fuel left, then every exported memory, global and
 * table. Returns JIT_DIFF_*; on JIT_DIFF_DIFFER why holds one line saying
 * what differed. stats may be NULL.
 *
 * Two float results or globals that are both NaN count as the same unless
 * opts->exact_nan is set (stats->nan_payloads counts them): when both
 * operands of an f32/f64 add, mul, min or max are NaN, which payload comes
 * out depends on the order gcc gave the operands in an interpreter handler
 * (some pairs and replicas swap them), which Wasm allows. NaN bits that
 * reach memory or an integer (reinterpret) are still compared exactly.
 */
int jit_diff_run(const uint8_t *buf, size_t sz, const struct jit_diff_opts *opts,
		 struct jit_diff_stats *stats, char *why, size_t why_sz);

#endif /* TESTS_DIFF_JIT_DIFF_H */
