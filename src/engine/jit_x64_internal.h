/* SPDX-License-Identifier: MIT */
/*
 * Engine-private, shared by the two halves of the x86-64 JIT: jit_x64.c
 * (one function's machine code from its instructions) and jit_module.c (a
 * module's code: the mapping, calls between functions, entering from C).
 */
#ifndef WB_ENGINE_JIT_X64_INTERNAL_H
#define WB_ENGINE_JIT_X64_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "code.h"
#include "jit_x64_emit.h"
#include "module.h"

/* Registers with a fixed role in machine code (jit_x64.c's header comment). */
#define FP X_RBX
#define IN X_RBP
#define EX X_R12
#define ST X_R13
#define MB X_R14
#define MS X_R15

/* A call from one function to another defined in the module. */
struct call_fix {
	size_t at;			/* rel32 field */
	const struct wb_code *callee;
};

/* A function added: its code and where its two entry points are. */
struct jfunc {
	struct wb_code *code;
	size_t init;			/* sets locals and constants, then the body */
	size_t body;
};

struct wb_jit {
	const struct wb_module *m;
	struct wb_x64_buf b;
	size_t enter;			/* the C-to-machine-code trampoline */
	struct jfunc *funcs;
	uint32_t func_cnt, func_cap;
	struct call_fix *calls;
	uint32_t call_cnt, call_cap;
	uint32_t declined;
	void *map;
	size_t map_sz;
};

#endif /* WB_ENGINE_JIT_X64_INTERNAL_H */
