/* SPDX-License-Identifier: MIT */
/*
 * The baseline JIT's module half (docs/jit.md): the trampoline from C
 * into machine code, stand-ins for callees left to the interpreter, the
 * mapping (written, then made executable: never both), and entering a
 * function from the interpreter with a native stack guard. jit_x64.c makes
 * each function's code. On other machines every function stays interpreted.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exec.h"
#include "jit.h"

bool (*wb_jit__decline_hook)(uint32_t func_idx);

#if defined(__x86_64__) && defined(__linux__)

#include "jit_x64_internal.h"

/* ---------------------------------------------------------------- the module */

bool wb_jit__available(void)
{
	return true;
}

/*
 * The trampoline from C: enter(ex, store, inst, fp, target, mem0) saves the
 * callee-saved registers, loads the fixed ones and calls target.
 */
static void emit_enter(struct wb_x64_buf *b)
{
	static const int8_t saved[6] = { X_RBX, X_RBP, X_R12, X_R13, X_R14, X_R15 };
	size_t no_mem;
	int k;

	for (k = 0; k < 6; k++)
		wb_x64_push(b, saved[k]);
	wb_x64_alu_ri(b, X_SUB, true, X_RSP, 8);
	wb_x64_mov_rr(b, true, EX, X_RDI);
	wb_x64_mov_rr(b, true, ST, X_RSI);
	wb_x64_mov_rr(b, true, IN, X_RDX);
	wb_x64_mov_rr(b, true, FP, X_RCX);
	wb_x64_alu_rr(b, X_XOR, false, MB, MB);
	wb_x64_alu_rr(b, X_XOR, false, MS, MS);
	wb_x64_test_rr(b, true, X_R9, X_R9);
	no_mem = wb_x64_jcc(b, X_CC_E);
	wb_x64_load(b, 8, MB, wb_x64_m(X_R9, offsetof(struct wb_memory, data)));
	wb_x64_load(b, 8, MS, wb_x64_m(X_R9, offsetof(struct wb_memory, size)));
	wb_x64_patch_rel32(b, no_mem, b->len);
	wb_x64_call_r(b, X_R8);
	wb_x64_alu_ri(b, X_ADD, true, X_RSP, 8);
	for (k = 5; k >= 0; k--)
		wb_x64_pop(b, saved[k]);
	wb_x64_ret(b);
}

struct wb_jit *wb_jit__new(const struct wb_module *m)
{
	struct wb_jit *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->m = m;
	j->enter = 0;
	emit_enter(&j->b);
	if (j->b.oom) {
		free(j->b.p);
		free(j);
		return NULL;
	}
	return j;
}

/* A stand-in for a callee left to the interpreter: run it there. */
static size_t emit_thunk(struct wb_jit *j, const struct wb_code *callee)
{
	struct wb_x64_buf *b = &j->b;
	size_t at = b->len;

	wb_x64_alu_ri(b, X_SUB, true, X_RSP, 8);
	wb_x64_mov_rr(b, true, X_RDI, EX);
	wb_x64_mov_rr(b, true, X_RSI, IN);
	wb_x64_mov_ri(b, X_RDX, (uint64_t)(uintptr_t)callee);
	wb_x64_mov_rr(b, true, X_RCX, FP);
	wb_x64_mov_ri(b, X_RAX, (uint64_t)(uintptr_t)wb_interp__jit_run);
	wb_x64_call_r(b, X_RAX);
	wb_x64_alu_ri(b, X_ADD, true, X_RSP, 8);
	wb_x64_ret(b);
	return at;
}

/*
 * With WB_PERF_MAP set in the environment, name each function's code in
 * /tmp/perf-PID.map, the file `perf report` reads for JIT code.
 */
static void perf_map(const struct wb_jit *j, size_t code_end)
{
	char path[64];
	FILE *f;
	uint32_t k;

	if (!getenv("WB_PERF_MAP"))
		return;
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
	f = fopen(path, "a");
	if (!f)
		return;
	for (k = 0; k < j->func_cnt; k++) {
		const struct wb_code *code = j->funcs[k].code;
		size_t end = k + 1 < j->func_cnt ? j->funcs[k + 1].init : code_end;
		const char *name = wb_module__func_name(j->m, code->func_idx);

		fprintf(f, "%lx %zx wasm:%s[%u]\n", (unsigned long)((uintptr_t)j->map + j->funcs[k].init),
			end - j->funcs[k].init, name ? name : "", code->func_idx);
	}
	fclose(f);
}

static const struct jfunc *find(const struct wb_jit *j, const struct wb_code *code)
{
	uint32_t k;

	/* Functions are added in index order. */
	for (k = 0; k < j->func_cnt; k++) {
		if (j->funcs[k].code == code)
			return &j->funcs[k];
	}
	return NULL;
}

int wb_jit__finish(struct wb_jit *j)
{
	struct wb_x64_buf *b = &j->b;
	const struct wb_code **thunk_of = NULL;
	size_t *thunk_at = NULL, page, sz;
	uint32_t k, thunks = 0;
	size_t code_end = b->len;
	uint8_t *map;

	if (!j->func_cnt)
		return 0;
	thunk_of = calloc(j->call_cnt + 1, sizeof(*thunk_of));
	thunk_at = calloc(j->call_cnt + 1, sizeof(*thunk_at));
	if (!thunk_of || !thunk_at)
		goto nomem;
	for (k = 0; k < j->call_cnt; k++) {
		const struct jfunc *jf = find(j, j->calls[k].callee);
		size_t to;
		uint32_t t;

		if (jf) {
			to = jf->init;
		} else {
			for (t = 0; t < thunks && thunk_of[t] != j->calls[k].callee; t++)
				;
			if (t == thunks) {
				thunk_of[t] = j->calls[k].callee;
				thunk_at[t] = emit_thunk(j, j->calls[k].callee);
				thunks++;
			}
			to = thunk_at[t];
		}
		wb_x64_patch_rel32(b, j->calls[k].at, to);
	}
	if (b->oom)
		goto nomem;
	page = (size_t)sysconf(_SC_PAGESIZE);
	sz = (b->len + page - 1) / page * page;
	map = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		goto nomem;
	memcpy(map, b->p, b->len);
	if (mprotect(map, sz, PROT_READ | PROT_EXEC)) {
		munmap(map, sz);
		goto nomem;
	}
	j->map = map;
	j->map_sz = sz;
	for (k = 0; k < j->func_cnt; k++) {
		j->funcs[k].code->jit = map + j->funcs[k].body;
		j->funcs[k].code->jit_call = map + j->funcs[k].init;
	}
	perf_map(j, code_end);
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	free(thunk_of);
	free(thunk_at);
	return 0;
nomem:
	free(thunk_of);
	free(thunk_at);
	return -ENOMEM;
}

void wb_jit__free(struct wb_jit *j)
{
	if (!j)
		return;
	if (j->map)
		munmap(j->map, j->map_sz);
	free(j->b.p);
	free(j->funcs);
	free(j->calls);
	free(j);
}

void wb_jit__counts(const struct wb_jit *j, uint32_t *done, uint32_t *declined)
{
	*done = j ? j->func_cnt : 0;
	*declined = j ? j->declined : 0;
}

/* ---------------------------------------------------------------- entering */

typedef int (*enter_fn)(struct wb_exec *ex, struct wb_store *s, struct wb_instance *inst,
			uint64_t *fp, const void *target, struct wb_memory *mem0);

/*
 * Lowest native stack pointer machine code may use on this thread: a margin
 * above the bottom of the thread's stack is left for C code (host
 * functions, libbpf, traps), 256 KiB or half of what is left, whichever is
 * smaller. When the stack cannot be found, 1 MiB below the caller.
 */
static uintptr_t sp_limit(void)
{
	static __thread uintptr_t lo;
	static __thread bool tried;
	uintptr_t here = (uintptr_t)__builtin_frame_address(0), margin;

	if (!tried) {
		pthread_attr_t attr;
		void *addr;
		size_t sz;

		tried = true;
		if (!pthread_getattr_np(pthread_self(), &attr)) {
			if (!pthread_attr_getstack(&attr, &addr, &sz))
				lo = (uintptr_t)addr;
			pthread_attr_destroy(&attr);
		}
	}
	if (lo && lo < here) {
		margin = (here - lo) / 2;
		if (margin > (256u << 10))
			margin = 256u << 10;
		return lo + margin;
	}
	return here > (1u << 20) ? here - (1u << 20) : 0;
}

int wb_jit__enter(struct wb_exec *ex, struct wb_store *s, struct wb_instance *inst,
		  const struct wb_code *code, uint64_t *fp)
{
	const struct wb_jit *j = code->module->jit;
	struct wb_memory *mem0 = inst->module->mem_cnt ? inst->mems[0] : NULL;
	int ret;

	if (!ex->jit_nest++)
		ex->jit_sp_limit = sp_limit();
	ret = ((enter_fn)(uintptr_t)j->map)(ex, s, inst, fp, code->jit, mem0);
	ex->jit_nest--;
	return ret ? WB_TRAPPED : 0;
}

#else /* not x86-64 Linux: no JIT, every function stays interpreted */

bool wb_jit__available(void)
{
	return false;
}

struct wb_jit *wb_jit__new(const struct wb_module *m)
{
	return NULL;
}

bool wb_jit__add(struct wb_jit *j, struct wb_code *code, const uint32_t *at,
		 const uint16_t *op, uint32_t n)
{
	return false;
}

int wb_jit__finish(struct wb_jit *j)
{
	return 0;
}

void wb_jit__free(struct wb_jit *j)
{
}

void wb_jit__counts(const struct wb_jit *j, uint32_t *done, uint32_t *declined)
{
	*done = 0;
	*declined = 0;
}

int wb_jit__enter(struct wb_exec *ex, struct wb_store *s, struct wb_instance *inst,
		  const struct wb_code *code, uint64_t *fp)
{
	return wb_store__set_trap(s, WB_TRAP_HOST, "no JIT in this build");
}

#endif

