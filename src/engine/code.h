/* SPDX-License-Identifier: MIT */
/*
 * The compiled form of a function body (engine-private): the list of
 * internal instructions shared by the compiler (compile.c) and the threaded
 * interpreter (interp.c), the operand encoding, and struct wb_code.
 *
 * An instruction is a run of 8-byte cells. Cell 0 holds the address of its
 * handler in the interpreter (computed goto). Most instructions have one
 * more cell packing their operands as 16-bit frame slot indices:
 *
 *   bits  0..15  F0   destination slot (when the instruction has one)
 *   bits 16..31  F1   first source slot
 *   bits 32..47  F2   second source slot       } or bits 32..63: HI,
 *   bits 48..63  F3   third source slot        } a 32-bit immediate
 *
 * Branch offsets live in a cell of their own and are relative to that cell:
 * target = &cell + (int64_t)cell.
 */
#ifndef WB_ENGINE_CODE_H
#define WB_ENGINE_CODE_H

#include <stdint.h>

#include "module.h"

typedef uint64_t wb_cell;

/* Largest frame (params + locals + operand stack) a 16-bit slot index reaches. */
#define WB_MAX_FRAME_SLOTS 65535u

#define WB_F0(c) ((uint32_t)(c) & 0xffffu)
#define WB_F1(c) ((uint32_t)((c) >> 16) & 0xffffu)
#define WB_F2(c) ((uint32_t)((c) >> 32) & 0xffffu)
#define WB_F3(c) ((uint32_t)((c) >> 48))
#define WB_HI(c) ((uint32_t)((c) >> 32))

/*
 * Integer binary operations that have both a slot form (dst, a, b) and an
 * immediate form (dst, a, HI = 32-bit immediate, sign-extended for i64).
 */
#define WB_IBIN_LIST(X) \
	X(ADD) X(SUB) X(MUL) X(AND) X(OR) X(XOR) X(SHL) X(SHR_S) X(SHR_U) \
	X(ROTL) X(ROTR) X(EQ) X(NE) X(LT_S) X(LT_U) X(GT_S) X(GT_U) \
	X(LE_S) X(LE_U) X(GE_S) X(GE_U)

/* Those that also have forms reading their first operand from the accumulator (_A). */
#define WB_ACC_LIST(X) \
	X(ADD) X(SUB) X(MUL) X(AND) X(OR) X(XOR) X(SHL) X(SHR_S) X(SHR_U) X(ROTL) X(ROTR)

/* i32 operations (slot forms) that fuse with a following i32.store of their result. */
#define WB_OPST_LIST(X) X(ADD) X(SUB) X(AND) X(OR) X(XOR) X(MADD) X(FSH)

/* Integer comparisons that fuse with a following br_if/if. */
#define WB_ICMP_LIST(X) \
	X(EQ) X(NE) X(LT_S) X(LT_U) X(GT_S) X(GT_U) X(LE_S) X(LE_U) X(GE_S) X(GE_U)

/* Plain binary operations (dst, a, b), named after their Wasm opcode. */
#define WB_PBIN_LIST(X) \
	X(I32_DIV_S) X(I32_DIV_U) X(I32_REM_S) X(I32_REM_U) \
	X(I64_DIV_S) X(I64_DIV_U) X(I64_REM_S) X(I64_REM_U) \
	X(F32_ADD) X(F32_SUB) X(F32_MUL) X(F32_DIV) X(F32_MIN) X(F32_MAX) \
	X(F32_COPYSIGN) X(F32_EQ) X(F32_NE) X(F32_LT) X(F32_GT) X(F32_LE) X(F32_GE) \
	X(F64_ADD) X(F64_SUB) X(F64_MUL) X(F64_DIV) X(F64_MIN) X(F64_MAX) \
	X(F64_COPYSIGN) X(F64_EQ) X(F64_NE) X(F64_LT) X(F64_GT) X(F64_LE) X(F64_GE)

/* Plain unary operations (dst, a), named after their Wasm opcode. */
#define WB_PUN_LIST(X) \
	X(I32_EQZ) X(I32_CLZ) X(I32_CTZ) X(I32_POPCNT) \
	X(I64_EQZ) X(I64_CLZ) X(I64_CTZ) X(I64_POPCNT) \
	X(F32_ABS) X(F32_NEG) X(F32_CEIL) X(F32_FLOOR) X(F32_TRUNC) X(F32_NEAREST) X(F32_SQRT) \
	X(F64_ABS) X(F64_NEG) X(F64_CEIL) X(F64_FLOOR) X(F64_TRUNC) X(F64_NEAREST) X(F64_SQRT) \
	X(I32_TRUNC_F32_S) X(I32_TRUNC_F32_U) X(I32_TRUNC_F64_S) X(I32_TRUNC_F64_U) \
	X(I64_EXTEND_I32_S) X(I64_EXTEND_I32_U) \
	X(I64_TRUNC_F32_S) X(I64_TRUNC_F32_U) X(I64_TRUNC_F64_S) X(I64_TRUNC_F64_U) \
	X(F32_CONVERT_I32_S) X(F32_CONVERT_I32_U) X(F32_CONVERT_I64_S) X(F32_CONVERT_I64_U) \
	X(F32_DEMOTE_F64) \
	X(F64_CONVERT_I32_S) X(F64_CONVERT_I32_U) X(F64_CONVERT_I64_S) X(F64_CONVERT_I64_U) \
	X(F64_PROMOTE_F32) \
	X(I32_EXTEND8_S) X(I32_EXTEND16_S) X(I64_EXTEND8_S) X(I64_EXTEND16_S) X(I64_EXTEND32_S) \
	X(REF_IS_NULL)

/* Saturating truncations (0xFC 0..7), unary. */
#define WB_SAT_LIST(X) \
	X(I32_TRUNC_SAT_F32_S) X(I32_TRUNC_SAT_F32_U) X(I32_TRUNC_SAT_F64_S) \
	X(I32_TRUNC_SAT_F64_U) X(I64_TRUNC_SAT_F32_S) X(I64_TRUNC_SAT_F32_U) \
	X(I64_TRUNC_SAT_F64_S) X(I64_TRUNC_SAT_F64_U)

/* Loads (dst, F1 = address, HI = offset) and stores (F0 = value, F1 = address, HI = offset). */
#define WB_LOAD_LIST(X) \
	X(I32_LOAD) X(I64_LOAD) X(F32_LOAD) X(F64_LOAD) X(I32_LOAD8_S) X(I32_LOAD8_U) \
	X(I32_LOAD16_S) X(I32_LOAD16_U) X(I64_LOAD8_S) X(I64_LOAD8_U) X(I64_LOAD16_S) \
	X(I64_LOAD16_U) X(I64_LOAD32_S) X(I64_LOAD32_U)
#define WB_STORE_LIST(X) \
	X(I32_STORE) X(I64_STORE) X(F32_STORE) X(F64_STORE) X(I32_STORE8) X(I32_STORE16) \
	X(I64_STORE8) X(I64_STORE16) X(I64_STORE32)

/*
 * Everything else. Operands:
 *   UNREACHABLE                       -
 *   MOV         F0 dst, F1 src
 *   MOV2        F0 dst, F1 src, then F2 dst, F3 src (two MOVs in order)
 *   CONST32     F0 dst, HI value (zero-extended)
 *   CONST64     F0 dst; cell 2 value
 *   BR          cell 1 offset
 *   BR_IF/BR_IFZ F0 cond; cell 2 offset
 *   BR_TABLE    F0 index, HI count; count + 1 offset cells
 *   RETURN      -
 *   CALL        F0 base slot of the arguments; cell 2 struct wb_code *
 *   CALL_IMPORT F0 base, HI function index
 *   CALL_INDIRECT F0 base, F1 index slot, HI table; cell 2 type index
 *   CHECK       - (loop header: interrupt and fuel)
 *   SELECT      F0 dst, F1 cond, F2 a, F3 b
 *   GLOBAL_GET  F0 dst, HI global;  GLOBAL_SET F0 src, HI global
 *   MEMORY_SIZE F0 dst;  MEMORY_GROW F0 dst, F1 delta
 *   MEMORY_INIT F0 d, F1 s, F2 n; cell 2 segment;  DATA_DROP HI segment
 *   MEMORY_COPY F0 d, F1 s, F2 n;  MEMORY_FILL F0 d, F1 value, F2 n
 *   TABLE_GET   F0 dst, F1 index, HI table;  TABLE_SET F0 index, F1 value, HI table
 *   TABLE_SIZE  F0 dst, HI table;  TABLE_GROW F0 dst/init, F1 n, HI table
 *   TABLE_FILL  F0 i, F1 value, F2 n; cell 2 table
 *   TABLE_COPY  F0 d, F1 s, F2 n; cell 2 dst table | src table << 32
 *   TABLE_INIT  F0 d, F1 s, F2 n; cell 2 segment | table << 32;  ELEM_DROP HI segment
 *   REF_FUNC    F0 dst, HI function index
 *   BR_I64_EQZ/BR_I64_NEZ  F0 a; cell 2 offset
 *   RETURN1     F0 src: copy one result to slot 0, then RETURN
 *
 * Fused i32 operations, made by the compiler's peepholes:
 *   I32_MADD     F0 dst = F1 * F2 + F3
 *   I32_ADD3     F0 dst = F1 + F2 + F3
 *   I32_XOR_ROTL F0 dst = F1 ^ rotl(F2, F3)
 *   I32_FSH      F0 dst = (F1 << (F3 & 31)) | (F2 >> (F3 >> 8)), both shift counts in 0..31
 *   BR_AND_NZ/BR_AND_Z  F0 a, HI k; cell 2 offset: branch if (a & k) != 0 / == 0
 *   F64_MADD     F0 dst = F1 * F2 + F3, rounded after the multiply and after the add
 *   I32_LMADD_ST (u32 at (u32)(F1 + k)) * F2 + F3 stored at (u32)F0 + offset;
 *                cell 2 k | offset << 32 (the multiply-accumulate y[i] += a * x[j])
 */
#define WB_MISC_LIST(X) \
	X(UNREACHABLE) X(BR_TABLE) X(RETURN) X(CALL) X(CALL_IMPORT) X(CALL_INDIRECT) \
	X(CHECK) X(MEMORY_SIZE) X(MEMORY_GROW) X(MEMORY_INIT) \
	X(DATA_DROP) X(MEMORY_COPY) X(MEMORY_FILL) X(TABLE_GET) X(TABLE_SET) \
	X(TABLE_SIZE) X(TABLE_GROW) X(TABLE_FILL) X(TABLE_COPY) X(TABLE_INIT) \
	X(ELEM_DROP) X(REF_FUNC) X(RETURN1)
/* The same, for the simple ones the interpreter replicates (see WB_REPL). */
#define WB_SIMPLE_LIST(X) \
	X(MOV) X(MOV2) X(CONST32) X(CONST64) X(BR) X(BR_IF) X(BR_IFZ) X(SELECT) \
	X(GLOBAL_GET) X(GLOBAL_SET) X(BR_I64_EQZ) X(BR_I64_NEZ) \
	X(I32_MADD) X(I32_ADD3) X(I32_XOR_ROTL) X(I32_FSH) X(BR_AND_NZ) X(BR_AND_Z) \
	X(F64_MADD) X(I32_LMADD_ST)

/*
 * Pairs (static superinstructions): an instruction A and the instruction B
 * right after it, run by one handler that does A's work and then jumps
 * straight into B's handler, saving one dispatch. A is a simple instruction
 * or a conditional branch (taken, it dispatches as usual). Both keep
 * their cells, so a branch to B still runs B alone. The compiler pairs them
 * after a function is compiled (compile_fuse.c); the list comes from the
 * dispatch profiles (-DWB_PROFILE_OPS) of the benchmark kernels, the first
 * entries take precedence when pairs overlap.
 * X(A, B, cells of A, R if B is replicated / M if not)
 */
#define WB_PAIR_LIST(X) \
	/* memcpy's unaligned loop, memcmp, memset */ \
	X(I32_LOAD_K, I32_FSH_STK, 2, R) \
	X(I32_LOAD_K, I32_FSH_ST, 2, R) \
	X(I32_ADD_I, INCBR_I32_GT_U_I, 2, R) \
	X(I32_ADD_I, INCBR_I32_NE_I, 2, R) \
	X(I32_ADD, I32_ADD, 2, R) \
	X(I32_LOAD8_U, I32_LOAD8_U, 2, R) \
	X(BR_I32_NE, I32_ADD_I, 3, R) \
	X(I64_LOAD_K, I64_STORE_K, 2, R) \
	X(I64_STORE_K, I64_STORE_K, 2, R) \
	X(I32_LOAD8_U_K, I32_STORE8_K, 2, R) \
	/* array loops (matmul, sieve) */ \
	X(I32_LOAD_XW, I32_LOAD_XW, 3, R) \
	X(I32_MADD_ST, I32_LOAD_KW, 3, R) \
	X(I32_LMADD_ST, INCBR_I32_NE_I, 3, R) \
	X(I32_STORE8_X, INCBRS_I32_LT_U_I, 2, R) \
	X(I32_ADD, INCBR_I32_GT_U_I, 2, R) \
	/* calls and returns */ \
	X(I32_ADD, RETURN1, 2, M) \
	X(I32_SUB_I, CALL, 2, M) \
	X(MOV2, CALL, 2, M) \
	X(MOV, CALL, 2, M) \
	X(SELECT, RETURN1, 2, M) \
	/* flag tests, pointer bumps, copies, block results */ \
	X(I32_AND_I, BR_IFZ, 2, R) \
	X(I32_AND_I, BR_IF, 2, R) \
	X(I32_ADD_I, I32_ADD_I, 2, R) \
	X(I32_LOAD, I32_LOAD, 2, R) \
	X(I64_LOAD, I64_STORE, 2, R) \
	X(I32_LOAD, BR_I32_EQ, 2, R) \
	X(I32_LT_U, SELECT, 2, R) \
	X(MOV, BR, 2, R) \
	X(MOV, BR_IFZ, 2, R) \
	X(MOV, BR_IF, 2, R) \
	X(MOV2, MOV, 2, R) \
	X(BR_IFZ, I32_LOAD8_U, 3, R) \
	X(I32_SUB, BR_I32_GT_S, 2, R) \
	X(I32_MUL_I, I32_SUB, 2, R) \
	X(I32_OR_I, I32_STORE8, 2, R) \
	X(I32_GT_U_I, MOV, 2, R) \
	X(I32_LOAD, I32_SUB, 2, R) \
	/* bytecode dispatch (vm) */ \
	X(CONST32, I32_LOAD_SX, 2, R) \
	X(I32_LOAD_SX, BR_TABLE, 3, M) \
	X(MOV, BR_I32_LE_U_I, 2, R) \
	X(BR_I32_GE_S_I, CONST32, 3, R) \
	X(BR_I32_LT_U_I, I32_ADD_I, 3, R) \
	/* hashing: rotates, xors, adds (sha256) */ \
	X(I32_ROTL_I, I32_XOR_ROTL, 2, R) \
	X(I32_SHR_U_I, I32_XOR, 2, R) \
	X(I32_XOR_ROTL, I32_ADD, 2, R) \
	X(I32_ADD3, I32_ADD, 2, R) \
	X(I32_AND, I32_ADD3, 2, R) \
	X(I32_AND, I32_XOR, 2, R) \
	X(MOV2, I32_AND, 2, R) \
	X(MOV2, I32_LOAD_K, 2, R) \
	/* counting and indexing (sieve, vm, malloc) */ \
	X(I32_ADD_I, I32_LOAD8_U_K, 2, R) \
	X(SELECT, I32_EQZ, 2, M) \
	X(I32_EQZ, I32_ADD3, 2, R) \
	X(MOV, BR_I32_NE_I, 2, R) \
	X(BR_I32_NE_I, I32_ADD_I, 3, R) \
	X(CONST32, BR_I32_LT_U_I, 2, R) \
	X(I32_SHL_I, I32_ADD_I, 2, R) \
	X(I32_ADD_I, I32_ADD, 2, R) \
	X(I32_STORE, BR, 2, R) \
	X(I32_SUB_I, I32_LOAD_SX, 2, R) \
	/* floating point (mandel) */ \
	X(F64_MUL, F64_ADD, 2, M) \
	X(F64_GT, BR_IFZ, 2, R) \
	X(F64_GT, BR_IF, 2, R) \
	X(F64_SUB, F64_ADD, 2, M) \
	X(F64_ADD, F64_MADD, 2, R) \
	X(F64_ADD, F64_ADD, 2, M) \
	X(F64_MADD, CONST32, 2, R)

/*
 * Internal opcodes. The interpreter's label table is built from the same
 * lists in the same order, so the two cannot disagree.
 */
enum wb_iop {
#define WB_X(n) WB_I_##n,
	WB_MISC_LIST(WB_X)
	WB_SIMPLE_LIST(WB_X)
	WB_PBIN_LIST(WB_X)
	WB_PUN_LIST(WB_X)
	WB_SAT_LIST(WB_X)
	WB_LOAD_LIST(WB_X)
	WB_STORE_LIST(WB_X)
#undef WB_X
#define WB_X(n) WB_I_I32_##n, WB_I_I32_##n##_I, WB_I_I64_##n, WB_I_I64_##n##_I,
	WB_IBIN_LIST(WB_X)
#undef WB_X
	/* Fused compare + branch-if-true: F0 a, F1 b (or HI immediate); cell 2 offset. */
#define WB_X(n) WB_I_BR_I32_##n, WB_I_BR_I32_##n##_I, WB_I_BR_I64_##n, WB_I_BR_I64_##n##_I,
	WB_ICMP_LIST(WB_X)
#undef WB_X
	/*
	 * Loads and stores whose address is an i32.add folded in:
	 * _K  F0 dst/value, F1 a, HI k:               address (u32)(a + k), offset 0
	 * _X  F0 dst/value, F1 a, F2 b, F3 offset:    address (u32)(a + b) + offset
	 */
#define WB_X(n) WB_I_##n##_K, WB_I_##n##_X,
	WB_LOAD_LIST(WB_X)
	WB_STORE_LIST(WB_X)
#undef WB_X
	/*
	 * An i32 add-immediate fused with the compare-and-branch that tests its
	 * result (a loop counter):
	 * INCBR_I32_cmp    F0 x, F1 src, HI k; cell 2 slot b; cell 3 offset
	 * INCBR_I32_cmp_I  F0 x, F1 src, HI k; cell 2 immediate b; cell 3 offset
	 * x = (u32)(src + k), then branch if x cmp b.
	 */
#define WB_X(n) WB_I_INCBR_I32_##n, WB_I_INCBR_I32_##n##_I,
	WB_ICMP_LIST(WB_X)
#undef WB_X
	/*
	 * Loads and stores whose address is an i32.add just written to a local
	 * (local.tee): the local is written, then used as the address.
	 * _XW  F0 dst/value, F1 a, F2 b, F3 x;  cell 2 offset:   x = (u32)(a + b)
	 * _KW  F0 dst/value, F1 a, F2 x;  cell 2 k | offset << 32: x = (u32)(a + k)
	 * then the access at address x + offset.
	 */
#define WB_X(n) WB_I_##n##_XW, WB_I_##n##_KW,
	WB_LOAD_LIST(WB_X)
	WB_STORE_LIST(WB_X)
#undef WB_X
	/*
	 * An i32 operation whose result goes straight to an i32.store; its
	 * sources are F1, F2 and F3 as in the plain form (I32_MADD, I32_FSH):
	 * I32_op_ST   F0 address slot; cell 2 offset:  at (u32)F0 + offset
	 * I32_op_STK  F0 address slot; cell 2 k:       at (u32)(F0 + k)
	 */
#define WB_X(n) WB_I_I32_##n##_ST, WB_I_I32_##n##_STK,
	WB_OPST_LIST(WB_X)
#undef WB_X
	/*
	 * Loads from a scaled index: F0 dst, F1 base, F2 index, F3 shift; cell
	 * 2 k | offset << 32: address (u32)(base + k + (index << shift)) + offset.
	 */
#define WB_X(n) WB_I_##n##_SX,
	WB_LOAD_LIST(WB_X)
#undef WB_X
	/* As INCBR, with the increment in a slot: F0 x, F1 src, F2 slot; x = (u32)(src + F2). */
#define WB_X(n) WB_I_INCBRS_I32_##n, WB_I_INCBRS_I32_##n##_I,
	WB_ICMP_LIST(WB_X)
#undef WB_X
	/*
	 * i32 operations (WB_ACC_LIST) whose first operand is the result of the
	 * instruction right before them, taken from the interpreter's
	 * accumulator register instead of its frame slot (F1 still names it):
	 * I32_op_A  F0 dst = acc op F2;  I32_op_IA  F0 dst = acc op HI.
	 * Every i32 operation of WB_IBIN_LIST (plain, _I, _A and _IA forms)
	 * leaves its result in the accumulator as well as in F0; the compiler
	 * uses an _A form only right after one of them, never at a branch target
	 * (compile_fuse.c).
	 */
#define WB_X(n) WB_I_I32_##n##_A, WB_I_I32_##n##_IA,
	WB_ACC_LIST(WB_X)
#undef WB_X
	/* Pairs (WB_PAIR_LIST). */
#define WB_X(a, b, n, k) WB_I_P_##a##__##b,
	WB_PAIR_LIST(WB_X)
#undef WB_X
	WB_I__COUNT
};

/* The pairs are the last opcodes, in list order. */
#define WB_PAIR_ONE(a, b, n, k) + 1
#define WB_PAIR_CNT (0 WB_PAIR_LIST(WB_PAIR_ONE))
#define WB_I__PAIR_FIRST (WB_I__COUNT - WB_PAIR_CNT)

/* Map from an instruction's first cell to the byte offset of its Wasm instruction. */
struct wb_code_pos {
	uint32_t cell;
	uint32_t offset;
};

/* One compiled function. */
struct wb_code {
	wb_cell *cells;
	const void *jit;		/* machine code (jit.h), or NULL: interpreted */
	const void *jit_call;		/* its entry from machine code (sets locals first) */
	uint32_t cell_cnt;
	uint32_t param_cnt;
	uint32_t local_cnt;		/* declared locals (zeroed at entry) */
	uint32_t const_cnt;		/* constants, copied after the locals at entry */
	uint64_t *consts;
	uint32_t result_cnt;
	uint32_t frame_slots;		/* params + locals + operand stack */
	uint32_t func_idx;		/* in the module's function space */
	const struct wb_module *module;
	struct wb_code_pos *pos;	/* sorted by cell */
	uint32_t pos_cnt;
};

/*
 * The interpreter keeps WB_REPL copies of the handlers of simple instructions
 * (WB_SIMPLE_LIST, integer operations, compare-and-branch, loads and stores).
 * Each copy ends in its own indirect jump, and the branch predictor does much
 * better when one jump site sees one successor than when every instance of an
 * opcode shares one site. The compiler picks a copy per instruction from the
 * instruction that follows it.
 */
#ifndef WB_REPL_BITS
#if defined(__clang__)
/* clang 14 needs minutes (and more with sanitizers) for the 8-copy loop: 1 copy. */
#define WB_REPL_BITS 0
#else
#define WB_REPL_BITS 3
#endif
#endif
#define WB_REPL (1 << WB_REPL_BITS)

/*
 * interp.c: the handler addresses, WB_REPL rows of WB_I__COUNT entries (one
 * per enum wb_iop); row r holds replica r, or the only copy.
 */
const void *const *wb_interp__handlers(void);

/* interp.c: byte offset in the module of the instruction at pc (0 if unknown). */
uint32_t wb_code__offset(const struct wb_code *code, const wb_cell *pc);

#endif /* WB_ENGINE_CODE_H */
