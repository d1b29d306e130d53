/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the module pipeline and a differential test of the
 * baseline JIT against the interpreter. Every input is loaded twice, once
 * interpreted and once with wb_module_opts.jit (decode, validate, compile,
 * and machine code for the second). Each module that loads is instantiated in
 * a small store of its own with an empty linker (and, if that fails to link,
 * again with a made-up extern of the right type for every import), and every
 * exported function is called with zero arguments, in export order.
 *
 * tests/diff/jit_diff.c runs both modes and compares, step by step: whether
 * the module loads and instantiates (and the error), each call's return code,
 * trap kind and results bit for bit, the fuel left after it, and in the end
 * every exported memory, global and table. A difference aborts with a line
 * saying what differed, so libFuzzer keeps the input. Whatever the input,
 * nothing may crash, leak or hit UB either.
 *
 * `make fuzz` seeds the corpus with valid modules rich in code from the
 * differential test's generator too (fuzz/fuzz.mk, `fuzz-jit-seeds`).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "jit_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The limits of the small store: fuel ends a looping module quickly. */
	static const struct jit_diff_opts opts = { .fuel = 100000, .rounds = 1, .seed = 0 };
	char why[1024];

	if (jit_diff_run(data, size, &opts, NULL, why, sizeof(why)) == JIT_DIFF_DIFFER) {
		fprintf(stderr, "fuzz_module: the JIT and the interpreter differ: %s\n", why);
		abort();
	}
	return 0;
}
