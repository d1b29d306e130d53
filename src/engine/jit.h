/* SPDX-License-Identifier: MIT */
/*
 * Engine-private: the baseline JIT's entry points (docs/jit.md).
 *
 * compile.c hands every compiled function's three-address code to the JIT
 * (wb_jit__add) before pairs and handler replicas are chosen, then
 * wb_jit__finish maps the module's machine code executable and sets each
 * accepted function's wb_code.jit. The interpreter calls a function whose
 * jit is set through wb_jit__enter; the machine code calls back into C for
 * instructions it leaves to jit_ops.c, for functions that stayed
 * interpreted, for host functions and for traps.
 */
#ifndef WB_ENGINE_JIT_H
#define WB_ENGINE_JIT_H

#include <stdbool.h>
#include <stdint.h>

#include "code.h"
#include "runtime.h"

struct wb_jit;
struct wb_exec;

/* True when this build has a JIT for this machine. */
bool wb_jit__available(void);

/* A new, empty module's worth of machine code; NULL on allocation failure. */
struct wb_jit *wb_jit__new(const struct wb_module *m);
/*
 * Translate one function: its code (cells, frame layout) and its
 * instruction list, n entries of first cell and internal opcode, without
 * pairs. False when the JIT declines it (it stays interpreted).
 */
bool wb_jit__add(struct wb_jit *j, struct wb_code *code, const uint32_t *at,
		 const uint16_t *op, uint32_t n);
/*
 * Make the added functions runnable: copy them to a fresh mapping, resolve
 * calls, make it executable, and set code->jit for each. 0 or -errno.
 */
int wb_jit__finish(struct wb_jit *j);
/* Unmap the code and free j. NULL is a no-op. */
void wb_jit__free(struct wb_jit *j);
/*
 * For tests of the paths between machine code and the interpreter: when
 * set, the JIT declines every function for which it returns true.
 */
extern bool (*wb_jit__decline_hook)(uint32_t func_idx);

/* Functions translated and declined so far (for tests). */
void wb_jit__counts(const struct wb_jit *j, uint32_t *done, uint32_t *declined);

/*
 * Run compiled function code on frame fp (arguments in place, locals and
 * constants already set, as for the interpreter). Returns 0 or WB_TRAPPED
 * (the trap recorded in the store with the compiled frames; the caller adds
 * its own). The caller counts the call in ex->depth, as the interpreter does.
 */
int wb_jit__enter(struct wb_exec *ex, struct wb_store *s, struct wb_instance *inst,
		  const struct wb_code *code, uint64_t *fp);

#endif /* WB_ENGINE_JIT_H */
