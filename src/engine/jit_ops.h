/* SPDX-License-Identifier: MIT */
/*
 * Engine-private: internal instructions run by C functions for the JIT.
 *
 * The baseline JIT (jit_x64.c) emits machine code for the hot instructions
 * and calls one of these functions for the others: each runs one internal
 * instruction of code.h, with the same semantics as the interpreter's
 * handler, on the frame fp, reading its operands from its cells (pc[0] is
 * the instruction's first cell, pc[1] its operand cell, pc[2].. the extra
 * cells, laid out exactly as code.h says). Linear memory is
 * inst->mems[0]; tables, globals, segments are the instance's.
 *
 * A function returns 0, or the trap kind (enum wb_trap_kind) to raise; it
 * never records the trap itself. Control flow (branches, calls, returns,
 * br_table, loop checks, unreachable) and the pairs have no function: the
 * JIT emits those itself.
 */
#ifndef WB_ENGINE_JIT_OPS_H
#define WB_ENGINE_JIT_OPS_H

#include <stdint.h>

#include "code.h"
#include "runtime.h"

typedef int (*wb_jit_op_fn)(struct wb_instance *inst, uint64_t *fp, const wb_cell *pc);

/* The function that runs internal opcode op, or NULL when there is none. */
wb_jit_op_fn wb_jit_op__fn(uint32_t op);

#endif /* WB_ENGINE_JIT_OPS_H */
