/* SPDX-License-Identifier: MIT */
/*
 * Engine-private: the execution state of a store (s->exec), owned by
 * interp.c and shared with the JIT's machine code (jit_x64.c), which reads
 * the call depth, its limit, the value stack's end and the native stack
 * limit at fixed offsets; and the calls the machine code makes into the
 * interpreter.
 */
#ifndef WB_ENGINE_EXEC_H
#define WB_ENGINE_EXEC_H

#include <stdint.h>

#include "code.h"
#include "runtime.h"

/* What a call saves of its caller. */
struct wb_rec {
	const wb_cell *pc;
	uint64_t *fp;
	const struct wb_code *code;
	struct wb_instance *inst;
};

struct wb_exec {
	uint64_t *stack;		/* value stack (slots) */
	uint64_t *end;
	uint64_t *top;			/* first free slot for a new entry */
	struct wb_rec *recs;
	uint32_t depth;			/* calls in progress (records in use by the interpreter) */
	uint32_t max_depth;
	uint32_t nest;
	uint32_t jit_nest;		/* entries into machine code in progress */
	uintptr_t jit_sp_limit;		/* machine code traps below this native stack pointer */
};

/*
 * Calls from machine code (jit_x64.c) into the interpreter. They return 0,
 * a trap kind (> 0) for the caller to record at its call site, or -1 when
 * the callee trapped and recorded the trap with its own frames.
 */
/* Call cf (any function) with arguments at nfp; frame_end is the caller's frame end. */
int wb_interp__jit_call(struct wb_exec *ex, struct wb_instance *inst, struct wb_func *cf,
			uint64_t *nfp, uint64_t *frame_end);
/* call_indirect: tt is the table index | the type index << 32; i the element. */
int wb_interp__jit_call_indirect(struct wb_exec *ex, struct wb_instance *inst, uint64_t tt,
				 uint32_t i, uint64_t *nfp, uint64_t *frame_end);
/*
 * Run interpreted code on fp (arguments in place), for a direct call whose
 * call site has already counted the depth and checked the stack: sets the
 * locals and constants, then interprets. 0 or -1 as above.
 */
int wb_interp__jit_run(struct wb_exec *ex, struct wb_instance *inst, const struct wb_code *code,
		       uint64_t *fp);

#endif /* WB_ENGINE_EXEC_H */
