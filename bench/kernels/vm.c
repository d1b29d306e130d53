/* SPDX-License-Identifier: MIT */
/* Kernel "vm": a small stack-bytecode interpreter (branchy switch dispatch) counting primes. */
#include "kernel.h"

enum op {
	OP_HALT,
	OP_PUSH, /* imm */
	OP_LOAD, /* slot */
	OP_STORE, /* slot */
	OP_INC, /* slot */
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_MOD,
	OP_LT,
	OP_LE,
	OP_JMP, /* target */
	OP_JZ, /* target */
	OP_JNZ, /* target */
	OP_DUP,
	OP_DROP,
};

enum { V_N, V_D, V_COUNT, V_LIMIT, V_PRIME, V_NSLOTS };

#define LIMIT 10000
/* The number of primes below 10,000. */
#define PRIMES_BELOW_LIMIT 1229

struct prog {
	int32_t code[128];
	int len;
};

static int emit(struct prog *p, int32_t op, int32_t arg, int has_arg)
{
	int at = p->len;

	p->code[p->len++] = op;
	if (has_arg)
		p->code[p->len++] = arg;
	return at;
}

#define E0(p, op) emit(p, op, 0, 0)
#define E1(p, op, a) emit(p, op, a, 1)

/*
 * Trial division:
 *   for (n = 2; n < limit; n++) {
 *     prime = 1;
 *     for (d = 2; d * d <= n; d++) if (n % d == 0) { prime = 0; break; }
 *     count += prime;
 *   }
 */
static void assemble(struct prog *p)
{
	int loop_n, loop_d, j_end, j_done_d, j_next_d, j_found, done_d, end;

	p->len = 0;
	E1(p, OP_PUSH, 2);
	E1(p, OP_STORE, V_N);
	loop_n = p->len;
	E1(p, OP_LOAD, V_N);
	E1(p, OP_LOAD, V_LIMIT);
	E0(p, OP_LT);
	j_end = E1(p, OP_JZ, 0);
	E1(p, OP_PUSH, 1);
	E1(p, OP_STORE, V_PRIME);
	E1(p, OP_PUSH, 2);
	E1(p, OP_STORE, V_D);
	loop_d = p->len;
	E1(p, OP_LOAD, V_D);
	E0(p, OP_DUP);
	E0(p, OP_MUL);
	E1(p, OP_LOAD, V_N);
	E0(p, OP_LE);
	j_done_d = E1(p, OP_JZ, 0);
	E1(p, OP_LOAD, V_N);
	E1(p, OP_LOAD, V_D);
	E0(p, OP_MOD);
	j_next_d = E1(p, OP_JNZ, 0);
	E1(p, OP_PUSH, 0);
	E1(p, OP_STORE, V_PRIME);
	j_found = E1(p, OP_JMP, 0);
	p->code[j_next_d + 1] = p->len;
	E1(p, OP_INC, V_D);
	E1(p, OP_JMP, loop_d);
	done_d = p->len;
	p->code[j_done_d + 1] = done_d;
	p->code[j_found + 1] = done_d;
	E1(p, OP_LOAD, V_COUNT);
	E1(p, OP_LOAD, V_PRIME);
	E0(p, OP_ADD);
	E1(p, OP_STORE, V_COUNT);
	E1(p, OP_INC, V_N);
	E1(p, OP_JMP, loop_n);
	end = p->len;
	p->code[j_end + 1] = end;
	E1(p, OP_LOAD, V_COUNT);
	E0(p, OP_HALT);
}

/* Returns the value on top of the stack at OP_HALT, or -1 on a bad program. */
static int32_t run(const struct prog *p, int32_t *slots)
{
	int32_t stack[16], a;
	int sp = 0, pc = 0;

	for (;;) {
		int32_t op = p->code[pc++];

		switch (op) {
		case OP_HALT:
			return sp > 0 ? stack[sp - 1] : -1;
		case OP_PUSH:
			stack[sp++] = p->code[pc++];
			break;
		case OP_LOAD:
			stack[sp++] = slots[p->code[pc++]];
			break;
		case OP_STORE:
			slots[p->code[pc++]] = stack[--sp];
			break;
		case OP_INC:
			slots[p->code[pc++]]++;
			break;
		case OP_ADD:
			a = stack[--sp];
			stack[sp - 1] += a;
			break;
		case OP_SUB:
			a = stack[--sp];
			stack[sp - 1] -= a;
			break;
		case OP_MUL:
			a = stack[--sp];
			stack[sp - 1] *= a;
			break;
		case OP_MOD:
			a = stack[--sp];
			if (a == 0)
				return -1;
			stack[sp - 1] %= a;
			break;
		case OP_LT:
			a = stack[--sp];
			stack[sp - 1] = stack[sp - 1] < a;
			break;
		case OP_LE:
			a = stack[--sp];
			stack[sp - 1] = stack[sp - 1] <= a;
			break;
		case OP_JMP:
			pc = p->code[pc];
			break;
		case OP_JZ:
			a = stack[--sp];
			pc = a ? pc + 1 : p->code[pc];
			break;
		case OP_JNZ:
			a = stack[--sp];
			pc = a ? p->code[pc] : pc + 1;
			break;
		case OP_DUP:
			stack[sp] = stack[sp - 1];
			sp++;
			break;
		case OP_DROP:
			sp--;
			break;
		default:
			return -1;
		}
		if (sp < 0 || sp >= 15 || pc < 0 || pc >= p->len)
			return -1;
	}
}

/* Keeps the limit opaque to the compiler, like input read from a file. */
static volatile int32_t limit = LIMIT;

uint32_t kernel_run(uint32_t units, int *bad)
{
	uint32_t sum = CHECKSUM_INIT;
	struct prog p;

	assemble(&p);
	for (uint32_t u = 0; u < units; u++) {
		int32_t slots[V_NSLOTS] = { 0 };
		int32_t count;

		slots[V_LIMIT] = limit - (int32_t)(u & 7);
		count = run(&p, slots);
		if ((u & 7) == 0 && count != PRIMES_BELOW_LIMIT)
			*bad = 1;
		sum = mix32(sum, (uint32_t)count);
	}
	return sum;
}
