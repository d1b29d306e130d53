/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the JIT's x86-64 encoder (src/engine/jit_x64_emit.c): every
 * form is emitted with a spread of registers, displacements and immediates
 * and disassembled by GNU objdump, the independent reference; a few
 * encodings are also checked byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/jit_x64_emit.h"

#define OBJDUMP "objdump -D -b binary -m i386:x86-64 -M intel --insn-width=16"

/* One emitted instruction: where it is, and what objdump must say of it. */
struct ecase {
	size_t start, end;
	size_t want_len; /* 0: any length objdump agrees with */
	int line;
	char want[128];
};

struct ecases {
	struct wb_x64_buf b;
	struct ecase c[512];
	size_t n;
};

__attribute__((format(printf, 5, 6))) static struct ecase *
add_case(struct ecases *t, size_t start, size_t want_len, int line, const char *fmt, ...)
{
	struct ecase *c;
	va_list ap;

	assert_true(t->n < sizeof(t->c) / sizeof(t->c[0]));
	c = &t->c[t->n++];
	c->start = start;
	c->end = t->b.len;
	c->want_len = want_len;
	c->line = line;
	va_start(ap, fmt);
	vsnprintf(c->want, sizeof(c->want), fmt, ap);
	va_end(ap);
	return c;
}

/* Emit with stmt, expect objdump's text (a printf format), and optionally a length. */
#define TL(n_, stmt, ...)                                                                          \
	do {                                                                                       \
		size_t s_ = b->len;                                                                \
		stmt;                                                                              \
		add_case(t, s_, n_, __LINE__, __VA_ARGS__);                                        \
	} while (0)
#define T(stmt, ...) TL(0, stmt, __VA_ARGS__)

static const char *const cc_name[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
					"s", "ns", "p", "np", "l", "ge", "le", "g"};

static const char *const r64[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
				    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
static const char *const r32[16] = {"eax", "ecx", "edx",  "ebx",  "esp",  "ebp",  "esi",  "edi",
				    "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
static const char *const r8n[16] = {"al",  "cl",  "dl",	  "bl",	  "spl",  "bpl",  "sil",  "dil",
				    "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};

#define M wb_x64_m
#define MX wb_x64_mx

static void emit_int_cases(struct ecases *t)
{
	struct wb_x64_buf *b = &t->b;

	/* Raw bytes. */
	T(wb_x64_bytes(b, "\x90", 1), "nop");
	T(wb_x64_u32(b, 0x00401f0f), "nop DWORD PTR [rax+0x0]");

	/* ALU reg, reg over all eight ops and both sizes. */
	T(wb_x64_alu_rr(b, X_ADD, false, X_RAX, X_RCX), "add eax,ecx");
	T(wb_x64_alu_rr(b, X_SUB, true, X_R8, X_R15), "sub r8,r15");
	T(wb_x64_alu_rr(b, X_XOR, false, X_R12, X_RSP), "xor r12d,esp");
	T(wb_x64_alu_rr(b, X_CMP, true, X_RDI, X_R9), "cmp rdi,r9");
	T(wb_x64_alu_rr(b, X_AND, false, X_R13, X_RBP), "and r13d,ebp");
	T(wb_x64_alu_rr(b, X_OR, true, X_RSI, X_RDX), "or rsi,rdx");
	T(wb_x64_alu_rr(b, X_ADC, false, X_RBX, X_R10), "adc ebx,r10d");
	T(wb_x64_alu_rr(b, X_SBB, true, X_R11, X_RAX), "sbb r11,rax");
	T(wb_x64_alu_rm(b, X_ADD, false, X_RAX, M(X_RBX, 8)), "add eax,DWORD PTR [rbx+0x8]");
	T(wb_x64_alu_rm(b, X_CMP, true, X_R15, M(X_R13, 0)), "cmp r15,QWORD PTR [r13+0x0]");
	TL(8, wb_x64_alu_rm(b, X_SUB, false, X_R9, MX(X_RSP, X_RCX, 8, 128)),
	   "sub r9d,DWORD PTR [rsp+rcx*8+0x80]");
	T(wb_x64_alu_mr(b, X_ADD, true, M(X_RBX, 16), X_RAX), "add QWORD PTR [rbx+0x10],rax");
	T(wb_x64_alu_mr(b, X_XOR, false, M(X_R12, 0), X_R10), "xor DWORD PTR [r12],r10d");
	T(wb_x64_alu_mr(b, X_AND, true, M(X_RBP, -128), X_RSI), "and QWORD PTR [rbp-0x80],rsi");

	/* ALU reg, imm: imm8 exactly when it fits. */
	TL(3, wb_x64_alu_ri(b, X_ADD, false, X_RAX, 0), "add eax,0x0");
	TL(3, wb_x64_alu_ri(b, X_ADD, false, X_RCX, 1), "add ecx,0x1");
	TL(4, wb_x64_alu_ri(b, X_SUB, true, X_RAX, -1), "sub rax,0xffffffffffffffff");
	TL(3, wb_x64_alu_ri(b, X_AND, false, X_RDX, -1), "and edx,0xffffffff");
	TL(4, wb_x64_alu_ri(b, X_CMP, true, X_R8, 127), "cmp r8,0x7f");
	TL(7, wb_x64_alu_ri(b, X_OR, false, X_R15, 128), "or r15d,0x80");
	TL(7, wb_x64_alu_ri(b, X_XOR, true, X_RSP, -129), "xor rsp,0xffffffffffffff7f");
	TL(6, wb_x64_alu_ri(b, X_ADD, false, X_RSI, 0x7fffffff), "add esi,0x7fffffff");
	TL(7, wb_x64_alu_ri(b, X_CMP, true, X_RDI, INT32_MIN), "cmp rdi,0xffffffff80000000");
	TL(4, wb_x64_alu_ri(b, X_SBB, false, X_R11, -128), "sbb r11d,0xffffff80");
	TL(4, wb_x64_alu_ri(b, X_ADC, true, X_R13, 5), "adc r13,0x5");
	TL(3, wb_x64_alu_mi(b, X_ADD, false, M(X_RAX, 0), 1), "add DWORD PTR [rax],0x1");
	TL(5, wb_x64_alu_mi(b, X_CMP, true, M(X_RBX, 8), -1),
	   "cmp QWORD PTR [rbx+0x8],0xffffffffffffffff");
	TL(12, wb_x64_alu_mi(b, X_SUB, false, M(X_R12, 128), 128), "sub DWORD PTR [r12+0x80],0x80");
	TL(8, wb_x64_alu_mi(b, X_AND, true, M(X_R13, 0), 0x7fffffff),
	   "and QWORD PTR [r13+0x0],0x7fffffff");
	TL(8, wb_x64_alu_mi(b, X_OR, false, MX(X_RBP, X_RCX, 4, -128), -129),
	   "or DWORD PTR [rbp+rcx*4-0x80],0xffffff7f");
	TL(5, wb_x64_alu_mi(b, X_XOR, false, MX(X_RBP, X_RAX, 1, 0), 127),
	   "xor DWORD PTR [rbp+rax*1+0x0],0x7f");

	/* test. */
	T(wb_x64_test_rr(b, false, X_RAX, X_RCX), "test eax,ecx");
	T(wb_x64_test_rr(b, true, X_R9, X_R14), "test r9,r14");
	T(wb_x64_test_ri(b, false, X_RAX, 1), "test eax,0x1");
	T(wb_x64_test_ri(b, true, X_R10, -1), "test r10,0xffffffffffffffff");
	T(wb_x64_test_ri(b, false, X_RDI, 128), "test edi,0x80");
	TL(7, wb_x64_test_mi(b, false, M(X_RSP, 0), 0xff), "test DWORD PTR [rsp],0xff");
	TL(8, wb_x64_test_mi(b, true, M(X_R14, 16), INT32_MIN),
	   "test QWORD PTR [r14+0x10],0xffffffff80000000");

	/* mov reg, reg and loads over the addressing forms. */
	T(wb_x64_mov_rr(b, false, X_RAX, X_RCX), "mov eax,ecx");
	T(wb_x64_mov_rr(b, true, X_R8, X_RSP), "mov r8,rsp");
	T(wb_x64_mov_rr(b, true, X_RBP, X_R15), "mov rbp,r15");
	T(wb_x64_mov_rr(b, false, X_R12, X_R13), "mov r12d,r13d");
	TL(2, wb_x64_load(b, 4, X_RAX, M(X_RAX, 0)), "mov eax,DWORD PTR [rax]");
	TL(4, wb_x64_load(b, 8, X_RCX, M(X_RCX, 8)), "mov rcx,QWORD PTR [rcx+0x8]");
	TL(3, wb_x64_load(b, 4, X_RAX, M(X_RSP, 0)), "mov eax,DWORD PTR [rsp]");
	TL(5, wb_x64_load(b, 8, X_RDX, M(X_RSP, 16)), "mov rdx,QWORD PTR [rsp+0x10]");
	TL(4, wb_x64_load(b, 4, X_RAX, M(X_R12, 0)), "mov eax,DWORD PTR [r12]");
	TL(5, wb_x64_load(b, 8, X_R9, M(X_R12, 127)), "mov r9,QWORD PTR [r12+0x7f]");
	TL(3, wb_x64_load(b, 4, X_RSI, M(X_RBP, 0)), "mov esi,DWORD PTR [rbp+0x0]");
	TL(4, wb_x64_load(b, 8, X_R13, M(X_R13, 0)), "mov r13,QWORD PTR [r13+0x0]");
	TL(4, wb_x64_load(b, 8, X_RAX, M(X_RBP, -128)), "mov rax,QWORD PTR [rbp-0x80]");
	TL(6, wb_x64_load(b, 4, X_RCX, M(X_RBX, 128)), "mov ecx,DWORD PTR [rbx+0x80]");
	TL(3, wb_x64_load(b, 4, X_RDX, M(X_RDX, 127)), "mov edx,DWORD PTR [rdx+0x7f]");
	TL(7, wb_x64_load(b, 8, X_RDI, M(X_RSI, -129)), "mov rdi,QWORD PTR [rsi-0x81]");
	TL(7, wb_x64_load(b, 4, X_R8, M(X_RDI, -0x12345678)), "mov r8d,DWORD PTR [rdi-0x12345678]");
	TL(7, wb_x64_load(b, 8, X_RAX, M(X_R8, 0x7fffffff)), "mov rax,QWORD PTR [r8+0x7fffffff]");
	TL(7, wb_x64_load(b, 8, X_R15, M(X_R15, INT32_MIN)), "mov r15,QWORD PTR [r15-0x80000000]");
	TL(3, wb_x64_load(b, 4, X_RAX, MX(X_RAX, X_RCX, 1, 0)), "mov eax,DWORD PTR [rax+rcx*1]");
	TL(5, wb_x64_load(b, 8, X_RDX, MX(X_RAX, X_RCX, 2, 8)),
	   "mov rdx,QWORD PTR [rax+rcx*2+0x8]");
	TL(5, wb_x64_load(b, 4, X_RBX, MX(X_RBX, X_R12, 4, -128)),
	   "mov ebx,DWORD PTR [rbx+r12*4-0x80]");
	TL(5, wb_x64_load(b, 8, X_R10, MX(X_R13, X_R14, 8, 0)),
	   "mov r10,QWORD PTR [r13+r14*8+0x0]");
	TL(4, wb_x64_load(b, 8, X_RAX, MX(X_RSP, X_RAX, 8, 0)), "mov rax,QWORD PTR [rsp+rax*8]");
	TL(8, wb_x64_load(b, 4, X_R11, MX(X_R12, X_R15, 1, 256)),
	   "mov r11d,DWORD PTR [r12+r15*1+0x100]");
	TL(4, wb_x64_load(b, 4, X_RAX, MX(X_RBP, X_RDX, 4, 0)),
	   "mov eax,DWORD PTR [rbp+rdx*4+0x0]");

	/* Stores of every size; 8-bit ones need REX for spl..dil. */
	TL(2, wb_x64_store(b, 1, M(X_RAX, 0), X_RCX), "mov BYTE PTR [rax],cl");
	TL(2, wb_x64_store(b, 1, M(X_RAX, 0), X_RBX), "mov BYTE PTR [rax],bl");
	TL(4, wb_x64_store(b, 1, M(X_RBX, 8), X_RSI), "mov BYTE PTR [rbx+0x8],sil");
	TL(3, wb_x64_store(b, 1, M(X_RCX, 0), X_RDI), "mov BYTE PTR [rcx],dil");
	TL(3, wb_x64_store(b, 1, M(X_RDX, 0), X_RSP), "mov BYTE PTR [rdx],spl");
	TL(3, wb_x64_store(b, 1, M(X_R8, 0), X_RBP), "mov BYTE PTR [r8],bpl");
	TL(4, wb_x64_store(b, 1, M(X_R12, 0), X_R9), "mov BYTE PTR [r12],r9b");
	TL(4, wb_x64_store(b, 2, M(X_RAX, 2), X_RCX), "mov WORD PTR [rax+0x2],cx");
	TL(5, wb_x64_store(b, 2, M(X_R13, 0), X_R11), "mov WORD PTR [r13+0x0],r11w");
	TL(4, wb_x64_store(b, 4, M(X_RSP, 8), X_RAX), "mov DWORD PTR [rsp+0x8],eax");
	TL(4, wb_x64_store(b, 8, M(X_RBP, -8), X_R15), "mov QWORD PTR [rbp-0x8],r15");
	TL(8, wb_x64_store(b, 8, MX(X_RBX, X_RDX, 8, 0x400), X_RDI),
	   "mov QWORD PTR [rbx+rdx*8+0x400],rdi");
	TL(6, wb_x64_store_i(b, 4, M(X_RAX, 0), 0), "mov DWORD PTR [rax],0x0");
	TL(7, wb_x64_store_i(b, 4, M(X_RBX, 16), -1), "mov DWORD PTR [rbx+0x10],0xffffffff");
	TL(9, wb_x64_store_i(b, 8, M(X_RSP, 8), -1), "mov QWORD PTR [rsp+0x8],0xffffffffffffffff");
	TL(8, wb_x64_store_i(b, 8, M(X_R13, 0), 0x7fffffff), "mov QWORD PTR [r13+0x0],0x7fffffff");
	TL(12, wb_x64_store_i(b, 8, MX(X_R12, X_R8, 2, -256), INT32_MIN),
	   "mov QWORD PTR [r12+r8*2-0x100],0xffffffff80000000");

	/* Extending loads: zero-extension always in the 32-bit form. */
	TL(3, wb_x64_loadx(b, false, 1, false, X_RAX, M(X_RAX, 0)), "movzx eax,BYTE PTR [rax]");
	TL(4, wb_x64_loadx(b, false, 1, true, X_RCX, M(X_RBX, 1)), "movzx ecx,BYTE PTR [rbx+0x1]");
	T(wb_x64_loadx(b, false, 2, false, X_R9, M(X_R12, 0)), "movzx r9d,WORD PTR [r12]");
	TL(4, wb_x64_loadx(b, false, 2, true, X_RAX, M(X_RBP, 0)), "movzx eax,WORD PTR [rbp+0x0]");
	TL(4, wb_x64_loadx(b, false, 4, true, X_RDX, MX(X_R14, X_R15, 1, 0)),
	   "mov edx,DWORD PTR [r14+r15*1]");
	T(wb_x64_loadx(b, true, 1, false, X_RAX, M(X_RAX, 0)), "movsx eax,BYTE PTR [rax]");
	T(wb_x64_loadx(b, true, 1, true, X_R10, M(X_RSP, 0)), "movsx r10,BYTE PTR [rsp]");
	T(wb_x64_loadx(b, true, 2, false, X_RSI, M(X_RDI, 127)), "movsx esi,WORD PTR [rdi+0x7f]");
	T(wb_x64_loadx(b, true, 2, true, X_R15, M(X_R13, 128)), "movsx r15,WORD PTR [r13+0x80]");
	T(wb_x64_loadx(b, true, 4, true, X_RAX, M(X_RCX, -128)), "movsxd rax,DWORD PTR [rcx-0x80]");

	/* Extensions from registers. */
	TL(3, wb_x64_extend_rr(b, false, 1, false, X_RAX, X_RCX), "movzx eax,cl");
	TL(3, wb_x64_extend_rr(b, false, 1, false, X_RSI, X_RBX), "movzx esi,bl");
	TL(4, wb_x64_extend_rr(b, false, 1, true, X_RAX, X_RSI), "movzx eax,sil");
	T(wb_x64_extend_rr(b, false, 1, false, X_R8, X_RDI), "movzx r8d,dil");
	T(wb_x64_extend_rr(b, false, 1, false, X_RAX, X_R12), "movzx eax,r12b");
	T(wb_x64_extend_rr(b, false, 2, false, X_RAX, X_R9), "movzx eax,r9w");
	TL(2, wb_x64_extend_rr(b, false, 4, true, X_RCX, X_RDX), "mov ecx,edx");
	T(wb_x64_extend_rr(b, false, 4, false, X_R11, X_R12), "mov r11d,r12d");
	T(wb_x64_extend_rr(b, true, 1, false, X_RAX, X_RBP), "movsx eax,bpl");
	T(wb_x64_extend_rr(b, true, 1, true, X_RDX, X_RSP), "movsx rdx,spl");
	T(wb_x64_extend_rr(b, true, 2, true, X_R14, X_RAX), "movsx r14,ax");
	T(wb_x64_extend_rr(b, true, 2, false, X_RCX, X_R15), "movsx ecx,r15w");
	T(wb_x64_extend_rr(b, true, 4, true, X_RAX, X_RCX), "movsxd rax,ecx");
	T(wb_x64_extend_rr(b, true, 4, true, X_R8, X_R9), "movsxd r8,r9d");

	/* mov reg, imm: the shortest of the four forms. */
	TL(2, wb_x64_mov_ri(b, X_RAX, 0), "xor eax,eax");
	TL(3, wb_x64_mov_ri(b, X_R9, 0), "xor r9d,r9d");
	TL(5, wb_x64_mov_ri(b, X_RCX, 1), "mov ecx,0x1");
	TL(6, wb_x64_mov_ri(b, X_R15, 0xffffffff), "mov r15d,0xffffffff");
	TL(5, wb_x64_mov_ri(b, X_RDX, 0x7fffffff), "mov edx,0x7fffffff");
	TL(5, wb_x64_mov_ri(b, X_RAX, 0x80000000), "mov eax,0x80000000");
	TL(7, wb_x64_mov_ri(b, X_RSI, UINT64_MAX), "mov rsi,0xffffffffffffffff");
	TL(7, wb_x64_mov_ri(b, X_R12, 0xffffffff80000000), "mov r12,0xffffffff80000000");
	TL(10, wb_x64_mov_ri(b, X_RAX, 0x100000000), "movabs rax,0x100000000");
	TL(10, wb_x64_mov_ri(b, X_R13, 0x123456789abcdef0), "movabs r13,0x123456789abcdef0");
	TL(10, wb_x64_mov_ri(b, X_RDI, 0xffffffff7fffffff), "movabs rdi,0xffffffff7fffffff");
	TL(10, wb_x64_mov_ri(b, X_RBX, 0x8000000000000000), "movabs rbx,0x8000000000000000");
	TL(10, wb_x64_mov_ri(b, X_RSP, 0x7fffffffffffffff), "movabs rsp,0x7fffffffffffffff");

	/* lea. */
	T(wb_x64_lea(b, false, X_RAX, MX(X_RAX, X_RCX, 1, 0)), "lea eax,[rax+rcx*1]");
	T(wb_x64_lea(b, true, X_RDX, M(X_RSP, 16)), "lea rdx,[rsp+0x10]");
	T(wb_x64_lea(b, true, X_R8, MX(X_R13, X_R12, 8, 0)), "lea r8,[r13+r12*8+0x0]");
	TL(7, wb_x64_lea(b, true, X_RAX, M(X_RBX, -0x12345678)), "lea rax,[rbx-0x12345678]");

	/* Shifts and rotates. */
	T(wb_x64_shift_ri(b, X_SHL, false, X_RAX, 3), "shl eax,0x3");
	T(wb_x64_shift_ri(b, X_SHR, true, X_R9, 63), "shr r9,0x3f");
	T(wb_x64_shift_ri(b, X_SAR, false, X_RSP, 31), "sar esp,0x1f");
	T(wb_x64_shift_ri(b, X_ROL, true, X_RDI, 1), "rol rdi,0x1");
	T(wb_x64_shift_ri(b, X_ROR, false, X_R12, 0), "ror r12d,0x0");
	T(wb_x64_shift_rcl(b, X_SHL, true, X_RAX), "shl rax,cl");
	T(wb_x64_shift_rcl(b, X_SHR, false, X_R15), "shr r15d,cl");
	T(wb_x64_shift_rcl(b, X_SAR, true, X_RDX), "sar rdx,cl");
	T(wb_x64_shift_rcl(b, X_ROL, false, X_RCX), "rol ecx,cl");
	T(wb_x64_shift_rcl(b, X_ROR, true, X_R8), "ror r8,cl");

	/* Multiply and divide. */
	T(wb_x64_imul_rr(b, false, X_RAX, X_RCX), "imul eax,ecx");
	T(wb_x64_imul_rr(b, true, X_R10, X_RSP), "imul r10,rsp");
	T(wb_x64_imul_rm(b, false, X_RDX, M(X_RBX, 8)), "imul edx,DWORD PTR [rbx+0x8]");
	T(wb_x64_imul_rm(b, true, X_R13, M(X_R12, 256)), "imul r13,QWORD PTR [r12+0x100]");
	TL(3, wb_x64_imul_rri(b, false, X_RAX, X_RCX, 127), "imul eax,ecx,0x7f");
	TL(4, wb_x64_imul_rri(b, true, X_R8, X_R9, -1), "imul r8,r9,0xffffffffffffffff");
	TL(6, wb_x64_imul_rri(b, false, X_RSI, X_RDI, 128), "imul esi,edi,0x80");
	TL(7, wb_x64_imul_rri(b, true, X_RAX, X_RBP, -129), "imul rax,rbp,0xffffffffffffff7f");
	TL(7, wb_x64_imul_rri(b, false, X_R15, X_R14, INT32_MIN), "imul r15d,r14d,0x80000000");
	TL(1, wb_x64_cdq(b, false), "cdq");
	TL(2, wb_x64_cdq(b, true), "cqo");
	T(wb_x64_div(b, false, false, X_RCX), "div ecx");
	T(wb_x64_div(b, true, true, X_R11), "idiv r11");
	T(wb_x64_div(b, false, true, X_RSP), "div rsp");
	T(wb_x64_div(b, true, false, X_R8), "idiv r8d");
	T(wb_x64_neg(b, false, X_RAX), "neg eax");
	T(wb_x64_neg(b, true, X_R12), "neg r12");
	T(wb_x64_not(b, true, X_RBX), "not rbx");
	T(wb_x64_not(b, false, X_R15), "not r15d");
	T(wb_x64_btr_ri(b, false, X_RAX, 31), "btr eax,0x1f");
	T(wb_x64_btr_ri(b, true, X_R9, 63), "btr r9,0x3f");
	T(wb_x64_btc_ri(b, true, X_RCX, 63), "btc rcx,0x3f");
	T(wb_x64_btc_ri(b, false, X_R14, 0), "btc r14d,0x0");

	/* setcc and cmovcc over every condition and every register. */
	for (int cc = 0; cc < 16; cc++) {
		int r = (cc * 7 + 3) % 16, s = (cc * 5 + 1) % 16;

		TL(r >= 4 ? 4 : 3, wb_x64_setcc(b, cc, r), "set%s %s", cc_name[cc], r8n[r]);
		TL(r < 8 && s < 8 && (cc & 1) ? 3 : 4, wb_x64_cmov(b, cc, !(cc & 1), r, s),
		   "cmov%s %s,%s", cc_name[cc], (cc & 1) ? r32[r] : r64[r],
		   (cc & 1) ? r32[s] : r64[s]);
	}
	for (int r = 0; r < 16; r++)
		TL(r >= 4 ? 4 : 3, wb_x64_setcc(b, X_CC_E, r), "sete %s", r8n[r]);
	TL(3, wb_x64_movzx8_rr(b, X_RAX, X_RAX), "movzx eax,al");
	TL(4, wb_x64_movzx8_rr(b, X_RCX, X_RSI), "movzx ecx,sil");
	T(wb_x64_movzx8_rr(b, X_R9, X_RDI), "movzx r9d,dil");
	T(wb_x64_movzx8_rr(b, X_RDI, X_R10), "movzx edi,r10b");
	TL(3, wb_x64_movzx8_rr(b, X_RSP, X_RBX), "movzx esp,bl");
	TL(4, wb_x64_movzx8_rr(b, X_RBX, X_RSP), "movzx ebx,spl");
}

static void emit_flow_cases(struct ecases *t)
{
	struct wb_x64_buf *b = &t->b;
	size_t tgt, fwd_at, fwd_case;

	/* Backward to 0, to itself, far forward, then one patched after the fact. */
	tgt = 0;
	TL(5, wb_x64_patch_rel32(b, wb_x64_jmp(b), tgt), "jmp 0x%zx", tgt);
	tgt = b->len;
	TL(5, wb_x64_patch_rel32(b, wb_x64_jmp(b), tgt), "jmp 0x%zx", tgt);
	tgt = 0x7fff0000;
	TL(5, wb_x64_patch_rel32(b, wb_x64_jmp(b), tgt), "jmp 0x%zx", tgt);
	for (int cc = 0; cc < 16; cc++) {
		tgt = (cc & 1) ? b->len + 0x100 * cc : (size_t)cc;
		TL(6, wb_x64_patch_rel32(b, wb_x64_jcc(b, cc), tgt), "j%s 0x%zx", cc_name[cc], tgt);
	}
	tgt = 0;
	TL(5, wb_x64_patch_rel32(b, wb_x64_call(b), tgt), "call 0x%zx", tgt);
	tgt = b->len + 5;
	TL(5, wb_x64_patch_rel32(b, wb_x64_call(b), tgt), "call 0x%zx", tgt);
	fwd_case = t->n;
	T(fwd_at = wb_x64_jcc(b, X_CC_NE), "(patched below)");

	T(wb_x64_call_r(b, X_RAX), "call rax");
	T(wb_x64_call_r(b, X_R11), "call r11");
	T(wb_x64_jmp_r(b, X_RCX), "jmp rcx");
	T(wb_x64_jmp_r(b, X_R15), "jmp r15");
	tgt = b->len + 7 + 0x10;
	TL(7, wb_x64_patch_rel32(b, wb_x64_lea_rip(b, X_RAX), tgt), "lea rax,[rip+0x10] # 0x%zx",
	   tgt);
	{
		size_t s = b->len;
		uint64_t rel = 0 - (uint64_t)(s + 7);

		TL(7, wb_x64_patch_rel32(b, wb_x64_lea_rip(b, X_R12), 0),
		   "lea r12,[rip+0x%llx] # 0x0", (unsigned long long)rel);
	}
	for (int r = 0; r < 16; r += 5) {
		TL(r >= 8 ? 2 : 1, wb_x64_push(b, r), "push %s", r64[r]);
		TL(15 - r >= 8 ? 2 : 1, wb_x64_pop(b, 15 - r), "pop %s", r64[15 - r]);
	}
	TL(1, wb_x64_ret(b), "ret");
	TL(2, wb_x64_ud2(b), "ud2");

	tgt = b->len;
	wb_x64_patch_rel32(b, fwd_at, tgt);
	snprintf(t->c[fwd_case].want, sizeof(t->c[fwd_case].want), "jne 0x%zx", tgt);
	TL(1, wb_x64_ret(b), "ret");
}

static void emit_sse_cases(struct ecases *t)
{
	struct wb_x64_buf *b = &t->b;

	T(wb_x64_sse_rm(b, X_SSE_ADD, true, 0, M(X_RAX, 0)), "addsd xmm0,QWORD PTR [rax]");
	T(wb_x64_sse_rm(b, X_SSE_MUL, false, 1, M(X_RBX, 8)), "mulss xmm1,DWORD PTR [rbx+0x8]");
	TL(6, wb_x64_sse_rm(b, X_SSE_SUB, true, 8, M(X_R12, 0)), "subsd xmm8,QWORD PTR [r12]");
	TL(7, wb_x64_sse_rm(b, X_SSE_DIV, false, 15, MX(X_R13, X_RAX, 8, 0)),
	   "divss xmm15,DWORD PTR [r13+rax*8+0x0]");
	T(wb_x64_sse_rm(b, X_SSE_SQRT, true, 2, M(X_RBP, -128)),
	  "sqrtsd xmm2,QWORD PTR [rbp-0x80]");
	T(wb_x64_sse_rm(b, X_SSE_CVT, true, 3, M(X_RSP, 0)), "cvtsd2ss xmm3,QWORD PTR [rsp]");
	T(wb_x64_sse_rm(b, X_SSE_CVT, false, 9, MX(X_RCX, X_R11, 4, 64)),
	  "cvtss2sd xmm9,DWORD PTR [rcx+r11*4+0x40]");
	TL(4, wb_x64_sse_rr(b, X_SSE_ADD, false, 0, 1), "addss xmm0,xmm1");
	TL(5, wb_x64_sse_rr(b, X_SSE_MUL, true, 9, 2), "mulsd xmm9,xmm2");
	T(wb_x64_sse_rr(b, X_SSE_SUB, false, 3, 10), "subss xmm3,xmm10");
	T(wb_x64_sse_rr(b, X_SSE_DIV, true, 11, 12), "divsd xmm11,xmm12");
	T(wb_x64_sse_rr(b, X_SSE_SQRT, false, 4, 4), "sqrtss xmm4,xmm4");
	T(wb_x64_sse_rr(b, X_SSE_CVT, true, 0, 1), "cvtsd2ss xmm0,xmm1");
	T(wb_x64_sse_rr(b, X_SSE_CVT, false, 14, 15), "cvtss2sd xmm14,xmm15");
	T(wb_x64_movs_load(b, true, 0, M(X_RAX, 0)), "movsd xmm0,QWORD PTR [rax]");
	T(wb_x64_movs_load(b, false, 9, M(X_RBX, 128)), "movss xmm9,DWORD PTR [rbx+0x80]");
	T(wb_x64_movs_store(b, true, M(X_RSP, 8), 15), "movsd QWORD PTR [rsp+0x8],xmm15");
	T(wb_x64_movs_store(b, false, M(X_R13, 0), 1), "movss DWORD PTR [r13+0x0],xmm1");
	T(wb_x64_ucomis_rm(b, true, 0, M(X_RCX, 0)), "ucomisd xmm0,QWORD PTR [rcx]");
	TL(5, wb_x64_ucomis_rm(b, false, 10, M(X_R8, 4)), "ucomiss xmm10,DWORD PTR [r8+0x4]");
	TL(4, wb_x64_ucomis_rr(b, true, 1, 2), "ucomisd xmm1,xmm2");
	TL(4, wb_x64_ucomis_rr(b, false, 8, 15), "ucomiss xmm8,xmm15");
	T(wb_x64_cvtsi2f(b, true, false, 0, X_RAX), "cvtsi2sd xmm0,eax");
	T(wb_x64_cvtsi2f(b, true, true, 1, X_R9), "cvtsi2sd xmm1,r9");
	T(wb_x64_cvtsi2f(b, false, false, 12, X_RSP), "cvtsi2ss xmm12,esp");
	T(wb_x64_cvtsi2f(b, false, true, 15, X_R15), "cvtsi2ss xmm15,r15");
	T(wb_x64_movq_xr(b, true, 0, X_RAX), "movq xmm0,rax");
	T(wb_x64_movq_xr(b, false, 9, X_RCX), "movd xmm9,ecx");
	T(wb_x64_movq_xr(b, true, 3, X_R12), "movq xmm3,r12");
	T(wb_x64_movq_rx(b, true, X_RAX, 0), "movq rax,xmm0");
	T(wb_x64_movq_rx(b, false, X_R10, 1), "movd r10d,xmm1");
	T(wb_x64_movq_rx(b, true, X_RDX, 14), "movq rdx,xmm14");
}

/* ---------------------------------------------------------------- objdump */

/* What objdump printed at one address. */
struct dis {
	size_t addr, len;
	char text[160];
};

/* Collapse runs of blanks into one space and trim both ends, in place. */
static void squeeze(char *s)
{
	char *o = s;
	bool blank = false;

	for (char *p = s; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			blank = o != s;
			continue;
		}
		if (blank)
			*o++ = ' ';
		blank = false;
		*o++ = *p;
	}
	*o = '\0';
}

/*
 * Parse "  addr:\tbb bb ..\tmnemonic operands" lines; returns how many, or
 * -1 (with the first unparsed output line in err) when there is none.
 */
static int run_objdump(const char *path, struct dis *d, int max, char *err, size_t err_sz)
{
	char cmd[512], line[512];
	int n = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), OBJDUMP " '%s' 2>&1", path);
	f = popen(cmd, "r");
	if (!f) {
		snprintf(err, err_sz, "popen failed");
		return -1;
	}
	err[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		char *bytes, *text, *end;
		unsigned long addr = strtoul(line, &end, 16);

		if (end == line || *end != ':' || end[1] != '\t') {
			if (!err[0] && strstr(line, "objdump"))
				snprintf(err, err_sz, "%s", line);
			continue;
		}
		bytes = end + 2;
		text = strchr(bytes, '\t');
		if (!text || n == max)
			continue;
		*text++ = '\0';
		d[n].addr = addr;
		d[n].len = 0;
		for (char *p = bytes; *p; p++)
			d[n].len += p[0] != ' ' && (p[1] == ' ' || p[1] == '\0');
		snprintf(d[n].text, sizeof(d[n].text), "%s", text);
		squeeze(d[n].text);
		n++;
	}
	pclose(f);
	return n ? n : -1;
}

static bool have_objdump(void)
{
	return system("objdump --version >/dev/null 2>&1") == 0;
}

static void test_against_objdump(void **state)
{
	static struct dis d[1024];
	static struct ecases t;
	char path[] = "/tmp/test_jit_emit.XXXXXX", err[512];
	int fd, nd, bad = 0;

	if (!have_objdump()) {
		printf("SKIP: objdump (GNU binutils) not found; encodings not checked\n");
		skip();
	}
	memset(&t, 0, sizeof(t));
	emit_int_cases(&t);
	emit_flow_cases(&t);
	emit_sse_cases(&t);
	assert_false(t.b.oom);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, t.b.p, t.b.len), (ssize_t)t.b.len);
	close(fd);
	nd = run_objdump(path, d, 1024, err, sizeof(err));
	unlink(path);
	if (nd < 0 && strstr(err, "can't use supplied machine")) {
		printf("SKIP: this objdump cannot disassemble x86-64: %s", err);
		skip();
	}
	if (nd < 0)
		fail_msg("objdump printed no instructions: %s", err);

	for (size_t i = 0, j = 0; i < t.n; i++) {
		const struct ecase *c = &t.c[i];

		while (j < (size_t)nd && d[j].addr < c->start)
			j++;
		if (j == (size_t)nd || d[j].addr != c->start) {
			print_error("line %d: no instruction decoded at 0x%zx (want \"%s\")\n",
				    c->line, c->start, c->want);
			bad++;
			continue;
		}
		if (strcmp(d[j].text, c->want) || d[j].len != c->end - c->start ||
		    (c->want_len && c->want_len != c->end - c->start)) {
			print_error(
			    "line %d at 0x%zx: want \"%s\" (%zu bytes), objdump says \"%s\" "
			    "(%zu of our %zu bytes)\n",
			    c->line, c->start, c->want,
			    c->want_len ? c->want_len : c->end - c->start, d[j].text, d[j].len,
			    c->end - c->start);
			bad++;
		}
	}
	printf("%zu encodings checked against objdump, %d wrong\n", t.n, bad);
	free(t.b.p);
	assert_int_equal(bad, 0);
}

/* ---------------------------------------------------------------- exact bytes */

#define BYTES(stmt, ...)                                                                           \
	do {                                                                                       \
		static const uint8_t want_[] = {__VA_ARGS__};                                      \
		struct wb_x64_buf buf_ = {0}, *b = &buf_;                                          \
		stmt;                                                                              \
		if (b->len != sizeof(want_) || memcmp(b->p, want_, sizeof(want_))) {               \
			print_error("line %d: %s: got", __LINE__, #stmt);                          \
			for (size_t k_ = 0; k_ < b->len; k_++)                                     \
				print_error(" %02x", b->p[k_]);                                    \
			print_error("\n");                                                         \
			bad++;                                                                     \
		}                                                                                  \
		free(b->p);                                                                        \
	} while (0)

static void test_exact_bytes(void **state)
{
	size_t at;
	int bad = 0;

	BYTES(wb_x64_load(b, 4, X_RAX, M(X_RBP, 0)), 0x8b, 0x45, 0x00);
	BYTES(wb_x64_load(b, 8, X_RAX, M(X_R13, 0)), 0x49, 0x8b, 0x45, 0x00);
	BYTES(wb_x64_load(b, 4, X_RAX, M(X_RSP, 0)), 0x8b, 0x04, 0x24);
	BYTES(wb_x64_load(b, 8, X_RCX, M(X_R12, 8)), 0x49, 0x8b, 0x4c, 0x24, 0x08);
	BYTES(wb_x64_load(b, 4, X_RDX, M(X_RBX, 128)), 0x8b, 0x93, 0x80, 0x00, 0x00, 0x00);
	BYTES(wb_x64_load(b, 4, X_RDX, MX(X_R13, X_R12, 2, 0)), 0x43, 0x8b, 0x54, 0x65, 0x00);
	BYTES(wb_x64_alu_mi(b, X_ADD, false, MX(X_RBP, X_RAX, 1, 0), 1), 0x83, 0x44, 0x05, 0x00,
	      0x01);
	BYTES(wb_x64_alu_ri(b, X_CMP, true, X_R9, 128), 0x49, 0x81, 0xf9, 0x80, 0x00, 0x00, 0x00);
	BYTES(wb_x64_store(b, 1, M(X_RAX, 0), X_RSI), 0x40, 0x88, 0x30);
	BYTES(wb_x64_store(b, 2, M(X_R8, 0), X_R9), 0x66, 0x45, 0x89, 0x08);
	BYTES(wb_x64_setcc(b, X_CC_E, X_RDI), 0x40, 0x0f, 0x94, 0xc7);
	BYTES(wb_x64_movzx8_rr(b, X_RAX, X_RSI), 0x40, 0x0f, 0xb6, 0xc6);
	BYTES(wb_x64_mov_ri(b, X_R8, 0), 0x45, 0x31, 0xc0);
	BYTES(wb_x64_mov_ri(b, X_RAX, 0x1122334455667788), 0x48, 0xb8, 0x88, 0x77, 0x66, 0x55, 0x44,
	      0x33, 0x22, 0x11);
	BYTES(wb_x64_mov_ri(b, X_R10, 0xfffffffffffffffe), 0x49, 0xc7, 0xc2, 0xfe, 0xff, 0xff,
	      0xff);
	BYTES(wb_x64_patch_rel32(b, wb_x64_jmp(b), 0), 0xe9, 0xfb, 0xff, 0xff, 0xff);
	BYTES(wb_x64_jcc(b, X_CC_L), 0x0f, 0x8c, 0x00, 0x00, 0x00, 0x00);
	BYTES(wb_x64_ud2(b); at = wb_x64_call(b);
	      wb_x64_patch_rel32(b, at, 0x1000), 0x0f, 0x0b, 0xe8, 0xf9, 0x0f, 0x00, 0x00);
	BYTES(wb_x64_patch_rel32(b, wb_x64_lea_rip(b, X_R9), 7), 0x4c, 0x8d, 0x0d, 0x00, 0x00, 0x00,
	      0x00);
	BYTES(wb_x64_movq_xr(b, true, 8, X_R9), 0x66, 0x4d, 0x0f, 0x6e, 0xc1);
	BYTES(wb_x64_cvtsi2f(b, true, true, 1, X_RAX), 0xf2, 0x48, 0x0f, 0x2a, 0xc8);
	BYTES(wb_x64_movs_load(b, false, 8, M(X_RAX, 0)), 0xf3, 0x44, 0x0f, 0x10, 0x00);
	BYTES(wb_x64_push(b, X_R12); wb_x64_pop(b, X_R15), 0x41, 0x54, 0x41, 0x5f);
	BYTES(wb_x64_cdq(b, true), 0x48, 0x99);
	BYTES(wb_x64_call_r(b, X_R11), 0x41, 0xff, 0xd3);
	assert_int_equal(bad, 0);
}

/* ---------------------------------------------------------------- the buffer */

static void test_growth(void **state)
{
	struct wb_x64_buf b = {0};
	uint8_t big[300];

	for (int i = 0; i < 100000; i++)
		wb_x64_ret(&b);
	assert_false(b.oom);
	assert_int_equal(b.len, 100000);
	assert_true(b.cap >= b.len);
	for (size_t i = 0; i < b.len; i++)
		if (b.p[i] != 0xc3)
			fail_msg("byte %zu is 0x%02x", i, b.p[i]);
	free(b.p);

	/* One write larger than the first allocation. */
	memset(&b, 0, sizeof(b));
	memset(big, 0x90, sizeof(big));
	wb_x64_bytes(&b, big, sizeof(big));
	wb_x64_ud2(&b);
	assert_int_equal(b.len, sizeof(big) + 2);
	assert_memory_equal(b.p, big, sizeof(big));
	free(b.p);
}

static void test_oom(void **state)
{
	struct wb_x64_buf b = {0};
	uint8_t keep[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	size_t at;

	/* Already out of memory: nothing is written, nothing allocated. */
	b.oom = true;
	wb_x64_alu_rr(&b, X_ADD, true, X_RAX, X_RCX);
	wb_x64_mov_ri(&b, X_RAX, 0x123456789);
	wb_x64_bytes(&b, keep, sizeof(keep));
	at = wb_x64_jmp(&b);
	wb_x64_patch_rel32(&b, at, 0);
	assert_int_equal(b.len, 0);
	assert_null(b.p);

	/* A buffer that cannot double any more turns oom and stays as it was. */
	memset(&b, 0, sizeof(b));
	b.p = keep;
	b.cap = b.len = SIZE_MAX / 2 + 1;
	wb_x64_ret(&b);
	assert_true(b.oom);
	assert_int_equal(b.len, SIZE_MAX / 2 + 1);
	assert_ptr_equal(b.p, keep);
	wb_x64_load(&b, 8, X_RAX, M(X_RBX, 0));
	assert_int_equal(b.len, SIZE_MAX / 2 + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_against_objdump),
	    cmocka_unit_test(test_exact_bytes),
	    cmocka_unit_test(test_growth),
	    cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
