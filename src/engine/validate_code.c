/* SPDX-License-Identifier: MIT */
/*
 * Validation of function bodies: the algorithm of the spec's validation
 * appendix (an operand stack of value types with "unknown" for the
 * polymorphic stack, and a stack of control frames), over every WebAssembly
 * 2.0 instruction except SIMD. Instructions are decoded here, so malformed
 * bodies (illegal opcodes, bad immediates, missing `end`) are reported too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "leb.h"
#include "opcodes.h"
#include "validate.h"

#define T_UNKNOWN 0

enum frame_kind {
	FR_FUNC,
	FR_BLOCK,
	FR_LOOP,
	FR_IF,
	FR_ELSE,
};

struct frame {
	uint8_t kind;
	bool unreachable;
	uint32_t height;
	uint32_t param_cnt, result_cnt;
	const uint8_t *params, *results;
};

struct vctx {
	const struct wb_module *m;
	struct wb_vstate *vs;
	struct wb_reader r;
	int64_t func_idx;
	const uint8_t *insn; /* start of the current instruction */
	bool skip;	     /* decode only: an error was recorded */
	bool scan_only;	     /* wb_scan_bodies(): sections still unread */
	bool oom;

	uint8_t *stack;
	uint32_t sp, stack_cap;
	struct frame *frames;
	uint32_t depth, frame_cap;
	uint8_t *locals;
	uint32_t local_cnt, locals_cap;
};

/* One-byte arrays for single-result block types: &valtypes[t] is [t]. */
static const uint8_t valtypes[256] = {
    [WB_I32] = WB_I32,
    [WB_I64] = WB_I64,
    [WB_F32] = WB_F32,
    [WB_F64] = WB_F64,
    [WB_V128] = WB_V128,
    [WB_FUNCREF] = WB_FUNCREF,
    [WB_EXTERNREF] = WB_EXTERNREF,
};

/* Operand and result types of the plain numeric instructions. */
struct sig {
	uint8_t a, b, r; /* b == 0 for unary operators */
};

#define I32 WB_I32
#define I64 WB_I64
#define F32 WB_F32
#define F64 WB_F64

static const struct sig numeric[256] = {
    [0x45] = {I32, 0, I32},
    [0x46 ... 0x4f] = {I32, I32, I32},
    [0x50] = {I64, 0, I32},
    [0x51 ... 0x5a] = {I64, I64, I32},
    [0x5b ... 0x60] = {F32, F32, I32},
    [0x61 ... 0x66] = {F64, F64, I32},
    [0x67 ... 0x69] = {I32, 0, I32},
    [0x6a ... 0x78] = {I32, I32, I32},
    [0x79 ... 0x7b] = {I64, 0, I64},
    [0x7c ... 0x8a] = {I64, I64, I64},
    [0x8b ... 0x91] = {F32, 0, F32},
    [0x92 ... 0x98] = {F32, F32, F32},
    [0x99 ... 0x9f] = {F64, 0, F64},
    [0xa0 ... 0xa6] = {F64, F64, F64},
    [0xa7] = {I64, 0, I32},
    [0xa8 ... 0xa9] = {F32, 0, I32},
    [0xaa ... 0xab] = {F64, 0, I32},
    [0xac ... 0xad] = {I32, 0, I64},
    [0xae ... 0xaf] = {F32, 0, I64},
    [0xb0 ... 0xb1] = {F64, 0, I64},
    [0xb2 ... 0xb3] = {I32, 0, F32},
    [0xb4 ... 0xb5] = {I64, 0, F32},
    [0xb6] = {F64, 0, F32},
    [0xb7 ... 0xb8] = {I32, 0, F64},
    [0xb9 ... 0xba] = {I64, 0, F64},
    [0xbb] = {F32, 0, F64},
    [0xbc] = {F32, 0, I32},
    [0xbd] = {F64, 0, I64},
    [0xbe] = {I32, 0, F32},
    [0xbf] = {I64, 0, F64},
    [0xc0 ... 0xc1] = {I32, 0, I32},
    [0xc2 ... 0xc4] = {I64, 0, I64},
};

/* 0xFC 0x00..0x07: the saturating truncations. */
static const struct sig trunc_sat[8] = {
    {F32, 0, I32}, {F32, 0, I32}, {F64, 0, I32}, {F64, 0, I32},
    {F32, 0, I64}, {F32, 0, I64}, {F64, 0, I64}, {F64, 0, I64},
};

/* Loads and stores 0x28..0x3e: value type and natural alignment (log2). */
/* clang-format off */
static const struct {
	uint8_t type, align;
	bool store;
} memops[0x3f - 0x28] = {
	{ I32, 2, false }, { I64, 3, false }, { F32, 2, false }, { F64, 3, false },	/* load */
	{ I32, 0, false }, { I32, 0, false }, { I32, 1, false }, { I32, 1, false },	/* i32.load8/16 */
	{ I64, 0, false }, { I64, 0, false }, { I64, 1, false }, { I64, 1, false },	/* i64.load8/16 */
	{ I64, 2, false }, { I64, 2, false },						/* i64.load32 */
	{ I32, 2, true }, { I64, 3, true }, { F32, 2, true }, { F64, 3, true },		/* store */
	{ I32, 0, true }, { I32, 1, true },						/* i32.store8/16 */
	{ I64, 0, true }, { I64, 1, true }, { I64, 2, true },				/* i64.store8/16/32 */
};
/* clang-format on */

/* ---------------------------------------------------------------- errors */

/* Record a validation error about index idx (an "unknown ..." message). */
static void invalid_idx(struct vctx *v, const char *msg, uint32_t idx)
{
	wb_vstate__invalid(v->vs, msg, WB_SEC_CODE, v->func_idx, (size_t)(v->insn - v->r.base),
			   "index %u", idx);
	v->skip = true;
}

static void invalid(struct vctx *v, const char *msg)
{
	wb_vstate__invalid(v->vs, msg, WB_SEC_CODE, v->func_idx, (size_t)(v->insn - v->r.base),
			   "%s", "");
	v->skip = true;
}

static int malformed_at(struct vctx *v, const char *msg, const uint8_t *at)
{
	wb_error__set(v->vs->err, WB_ERR_MALFORMED, msg, WB_SEC_CODE, v->func_idx,
		      (size_t)(at - v->r.base), "%s", "");
	return -EINVAL;
}

static int rfail(struct vctx *v)
{
	return malformed_at(v, v->r.msg ? v->r.msg : WB_MSG_UNEXPECTED_END, v->r.err_pos);
}

#define RD(call)                                                                                   \
	do {                                                                                       \
		if (call)                                                                          \
			return rfail(v);                                                           \
	} while (0)

/* ------------------------------------------------------ operand stack */

static bool grow(void **buf, uint32_t *cap, uint32_t need, size_t elem)
{
	uint32_t n = *cap ? *cap : 64;
	void *p;

	while (n < need) {
		if (n > UINT32_MAX / 2)
			return false;
		n *= 2;
	}
	p = realloc(*buf, (size_t)n * elem);
	if (!p)
		return false;
	*buf = p;
	*cap = n;
	return true;
}

static void push(struct vctx *v, uint8_t t)
{
	if (v->skip)
		return;
	if (v->sp == v->stack_cap && !grow((void **)&v->stack, &v->stack_cap, v->sp + 1, 1)) {
		v->oom = true;
		v->skip = true;
		return;
	}
	v->stack[v->sp++] = t;
}

static void push_vals(struct vctx *v, const uint8_t *ts, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		push(v, ts[i]);
}

static uint8_t pop_any(struct vctx *v)
{
	struct frame *f;

	if (v->skip)
		return T_UNKNOWN;
	f = &v->frames[v->depth - 1];
	if (v->sp == f->height) {
		if (!f->unreachable)
			invalid(v, "type mismatch");
		return T_UNKNOWN;
	}
	return v->stack[--v->sp];
}

static uint8_t pop_expect(struct vctx *v, uint8_t want)
{
	uint8_t got = pop_any(v);

	if (got != want && got != T_UNKNOWN && want != T_UNKNOWN)
		invalid(v, "type mismatch");
	return got;
}

static void pop_vals(struct vctx *v, const uint8_t *ts, uint32_t n)
{
	while (n-- > 0)
		pop_expect(v, ts[n]);
}

/* Check that the top of the stack matches ts without popping it. */
static void peek_vals(struct vctx *v, const uint8_t *ts, uint32_t n)
{
	struct frame *f = &v->frames[v->depth - 1];
	uint32_t i;

	if (v->skip)
		return;
	for (i = 0; i < n; i++) {
		uint8_t want = ts[n - 1 - i];

		if (v->sp - f->height > i) {
			uint8_t got = v->stack[v->sp - 1 - i];

			if (got != want && got != T_UNKNOWN) {
				invalid(v, "type mismatch");
				return;
			}
		} else if (!f->unreachable) {
			invalid(v, "type mismatch");
			return;
		}
	}
}

static void set_unreachable(struct vctx *v)
{
	struct frame *f;

	if (v->skip)
		return;
	f = &v->frames[v->depth - 1];
	v->sp = f->height;
	f->unreachable = true;
}

/* ------------------------------------------------------- control stack */

static int push_ctrl(struct vctx *v, uint8_t kind, const uint8_t *params, uint32_t pcnt,
		     const uint8_t *results, uint32_t rcnt)
{
	struct frame *f;

	if (v->depth == v->frame_cap &&
	    !grow((void **)&v->frames, &v->frame_cap, v->depth + 1, sizeof(*v->frames))) {
		v->oom = true;
		return -ENOMEM;
	}
	f = &v->frames[v->depth++];
	f->kind = kind;
	f->unreachable = false;
	f->height = v->sp;
	f->params = params;
	f->param_cnt = pcnt;
	f->results = results;
	f->result_cnt = rcnt;
	push_vals(v, params, pcnt);
	return 0;
}

static struct frame pop_ctrl(struct vctx *v)
{
	struct frame f = v->frames[v->depth - 1];

	if (!v->skip) {
		pop_vals(v, f.results, f.result_cnt);
		if (!v->skip && v->sp != f.height)
			invalid(v, "type mismatch");
		v->sp = f.height;
	}
	v->depth--;
	return f;
}

static void label_types(const struct frame *f, const uint8_t **ts, uint32_t *n)
{
	if (f->kind == FR_LOOP) {
		*ts = f->params;
		*n = f->param_cnt;
	} else {
		*ts = f->results;
		*n = f->result_cnt;
	}
}

/* --------------------------------------------------------- immediates */

static bool is_valtype(int t)
{
	return t == WB_I32 || t == WB_I64 || t == WB_F32 || t == WB_F64 || t == WB_V128 ||
	       t == WB_FUNCREF || t == WB_EXTERNREF;
}

/* A block type: empty, one value type, or a type index (s33). */
static int read_blocktype(struct vctx *v, const uint8_t **params, uint32_t *pcnt,
			  const uint8_t **results, uint32_t *rcnt)
{
	const uint8_t *at = v->r.pos;
	int b = wb_reader__peek(&v->r);
	int64_t idx;

	*params = *results = NULL;
	*pcnt = *rcnt = 0;
	if (b == WB_BLOCKTYPE_EMPTY) {
		v->r.pos++;
		return 0;
	}
	if (b >= 0 && (b & 0xc0) == 0x40) {
		if (!is_valtype(b))
			return malformed_at(v, "malformed value type", at);
		v->r.pos++;
		*results = &valtypes[b];
		*rcnt = 1;
		return 0;
	}
	RD(wb_reader__s33(&v->r, &idx));
	if (v->skip)
		return 0;
	if (idx < 0 || idx >= v->m->type_cnt) {
		invalid_idx(v, "unknown type", (uint32_t)idx);
		return 0;
	}
	*params = v->m->types[idx].params;
	*pcnt = v->m->types[idx].param_cnt;
	*results = v->m->types[idx].results;
	*rcnt = v->m->types[idx].result_cnt;
	return 0;
}

static int read_zero(struct vctx *v)
{
	const uint8_t *at = v->r.pos;
	uint8_t b;

	RD(wb_reader__u8(&v->r, &b));
	if (b != 0)
		return malformed_at(v, "zero byte expected", at);
	return 0;
}

static bool need_memory(struct vctx *v)
{
	if (v->skip)
		return false;
	if (v->m->mem_cnt == 0) {
		invalid_idx(v, "unknown memory", 0);
		return false;
	}
	return true;
}

static bool need_table(struct vctx *v, uint32_t x)
{
	if (v->skip)
		return false;
	if (x >= v->m->table_cnt) {
		invalid_idx(v, "unknown table", x);
		return false;
	}
	return true;
}

/*
 * memory.init and data.drop need the datacount section (a decoding rule).
 * Without data segments the index is unknown anyway: that is reported as the
 * validation error the test suite expects of modules whose text has no data
 * (wabt then omits the datacount section).
 */
static int need_datacount(struct vctx *v)
{
	if (!v->m->has_data_cnt && v->m->data_cnt > 0 && !v->scan_only)
		return malformed_at(v, "data count section required", v->insn);
	return 0;
}

/* ------------------------------------------------------ instructions */

static int op_br_table(struct vctx *v)
{
	const uint8_t *labels, *dts, *ts;
	uint32_t cnt, i, l, dl, dn, n;

	RD(wb_reader__len(&v->r, &cnt));
	labels = v->r.pos;
	for (i = 0; i < cnt; i++)
		RD(wb_reader__u32(&v->r, &l));
	RD(wb_reader__u32(&v->r, &dl));
	if (v->skip)
		return 0;
	pop_expect(v, I32);
	if (dl >= v->depth) {
		invalid_idx(v, "unknown label", dl);
		return 0;
	}
	label_types(&v->frames[v->depth - 1 - dl], &dts, &dn);
	/* Second pass over the (already decoded) label indices. */
	{
		struct wb_reader lr = v->r;

		lr.pos = labels;
		for (i = 0; i < cnt && !v->skip; i++) {
			if (wb_reader__u32(&lr, &l))
				return rfail(v);
			if (l >= v->depth) {
				invalid_idx(v, "unknown label", l);
				return 0;
			}
			label_types(&v->frames[v->depth - 1 - l], &ts, &n);
			if (n != dn) {
				invalid(v, "type mismatch");
				return 0;
			}
			peek_vals(v, ts, n);
		}
	}
	pop_vals(v, dts, dn);
	set_unreachable(v);
	return 0;
}

static int op_memarg(struct vctx *v, uint8_t op)
{
	const uint8_t *at = v->r.pos;
	uint32_t align, offset;
	int i = op - 0x28;

	RD(wb_reader__u32(&v->r, &align));
	if (align >= 32)
		return malformed_at(v, "malformed memop flags", at);
	RD(wb_reader__u32(&v->r, &offset));
	if (!need_memory(v))
		return 0;
	if (align > memops[i].align) {
		invalid(v, "alignment must not be larger than natural");
		return 0;
	}
	if (memops[i].store) {
		pop_expect(v, memops[i].type);
		pop_expect(v, I32);
	} else {
		pop_expect(v, I32);
		push(v, memops[i].type);
	}
	return 0;
}

static void op_call(struct vctx *v, const struct wb_functype *ft)
{
	pop_vals(v, ft->params, ft->param_cnt);
	push_vals(v, ft->results, ft->result_cnt);
}

static int op_fc(struct vctx *v)
{
	const struct wb_module *m = v->m;
	const uint8_t *at = v->r.pos;
	uint32_t sub, x, y;
	int ret;

	RD(wb_reader__u32(&v->r, &sub));
	if (sub < 8) {
		pop_expect(v, trunc_sat[sub].a);
		push(v, trunc_sat[sub].r);
		return 0;
	}
	switch (sub) {
	case WB_FC_MEMORY_INIT:
		RD(wb_reader__u32(&v->r, &x));
		ret = read_zero(v);
		if (!ret)
			ret = need_datacount(v);
		if (ret || !need_memory(v))
			return ret;
		if (x >= m->data_cnt) {
			invalid_idx(v, "unknown data segment", x);
			return 0;
		}
		pop_expect(v, I32);
		pop_expect(v, I32);
		pop_expect(v, I32);
		return 0;
	case WB_FC_DATA_DROP:
		RD(wb_reader__u32(&v->r, &x));
		ret = need_datacount(v);
		if (ret || v->skip)
			return ret;
		if (x >= m->data_cnt)
			invalid_idx(v, "unknown data segment", x);
		return 0;
	case WB_FC_MEMORY_COPY:
		ret = read_zero(v);
		if (!ret)
			ret = read_zero(v);
		if (ret || !need_memory(v))
			return ret;
		pop_expect(v, I32);
		pop_expect(v, I32);
		pop_expect(v, I32);
		return 0;
	case WB_FC_MEMORY_FILL:
		ret = read_zero(v);
		if (ret || !need_memory(v))
			return ret;
		pop_expect(v, I32);
		pop_expect(v, I32);
		pop_expect(v, I32);
		return 0;
	case WB_FC_TABLE_INIT:
		RD(wb_reader__u32(&v->r, &y)); /* element segment */
		RD(wb_reader__u32(&v->r, &x)); /* table */
		if (!need_table(v, x))
			return 0;
		if (y >= m->elem_cnt) {
			invalid_idx(v, "unknown elem segment", y);
			return 0;
		}
		if (m->tables[x].elem_type != m->elems[y].elem_type) {
			invalid(v, "type mismatch");
			return 0;
		}
		pop_expect(v, I32);
		pop_expect(v, I32);
		pop_expect(v, I32);
		return 0;
	case WB_FC_ELEM_DROP:
		RD(wb_reader__u32(&v->r, &x));
		if (!v->skip && x >= m->elem_cnt)
			invalid_idx(v, "unknown elem segment", x);
		return 0;
	case WB_FC_TABLE_COPY:
		RD(wb_reader__u32(&v->r, &x)); /* destination */
		RD(wb_reader__u32(&v->r, &y)); /* source */
		if (!need_table(v, x) || !need_table(v, y))
			return 0;
		if (m->tables[x].elem_type != m->tables[y].elem_type) {
			invalid(v, "type mismatch");
			return 0;
		}
		pop_expect(v, I32);
		pop_expect(v, I32);
		pop_expect(v, I32);
		return 0;
	case WB_FC_TABLE_GROW:
		RD(wb_reader__u32(&v->r, &x));
		if (!need_table(v, x))
			return 0;
		pop_expect(v, I32);
		pop_expect(v, m->tables[x].elem_type);
		push(v, I32);
		return 0;
	case WB_FC_TABLE_SIZE:
		RD(wb_reader__u32(&v->r, &x));
		if (!need_table(v, x))
			return 0;
		push(v, I32);
		return 0;
	case WB_FC_TABLE_FILL:
		RD(wb_reader__u32(&v->r, &x));
		if (!need_table(v, x))
			return 0;
		pop_expect(v, I32);
		pop_expect(v, m->tables[x].elem_type);
		pop_expect(v, I32);
		return 0;
	}
	return malformed_at(v, "illegal opcode", at - 1);
}

/* The instruction at v->r.pos. Sets *done when the function's end is read. */
static int step(struct vctx *v, const struct wb_functype *fty, const uint8_t *body_end, bool *done)
{
	const struct wb_module *m = v->m;
	const uint8_t *ps, *rs;
	uint32_t pn, rn, x, y;
	struct frame f;
	uint8_t op, t, t1, t2;
	int ret;

	v->insn = v->r.pos;
	RD(wb_reader__u8(&v->r, &op));

	if (op >= 0x45 && op <= 0xc4) {
		const struct sig *s = &numeric[op];

		if (s->b)
			pop_expect(v, s->b);
		pop_expect(v, s->a);
		push(v, s->r);
		return 0;
	}

	switch (op) {
	case WB_OP_UNREACHABLE:
		set_unreachable(v);
		return 0;
	case WB_OP_NOP:
		return 0;
	case WB_OP_BLOCK:
	case WB_OP_LOOP:
	case WB_OP_IF:
		ret = read_blocktype(v, &ps, &pn, &rs, &rn);
		if (ret)
			return ret;
		if (op == WB_OP_IF)
			pop_expect(v, I32);
		pop_vals(v, ps, pn);
		return push_ctrl(v,
				 op == WB_OP_BLOCK  ? FR_BLOCK
				 : op == WB_OP_LOOP ? FR_LOOP
						    : FR_IF,
				 ps, pn, rs, rn);
	case WB_OP_ELSE:
		if (v->frames[v->depth - 1].kind != FR_IF)
			return malformed_at(v, "END opcode expected", v->insn);
		f = pop_ctrl(v);
		return push_ctrl(v, FR_ELSE, f.params, f.param_cnt, f.results, f.result_cnt);
	case WB_OP_END:
		f = pop_ctrl(v);
		if (f.kind == FR_IF && !v->skip &&
		    (f.param_cnt != f.result_cnt ||
		     (f.param_cnt && memcmp(f.params, f.results, f.param_cnt)))) {
			/* No else: the params must pass through as results. */
			invalid(v, "type mismatch");
		}
		if (v->depth == 0) {
			if (v->r.pos != body_end)
				return malformed_at(v, "section size mismatch", v->r.pos);
			*done = true;
			return 0;
		}
		push_vals(v, f.results, f.result_cnt);
		return 0;
	case WB_OP_BR:
	case WB_OP_BR_IF:
		RD(wb_reader__u32(&v->r, &x));
		if (v->skip)
			return 0;
		if (x >= v->depth) {
			invalid_idx(v, "unknown label", x);
			return 0;
		}
		label_types(&v->frames[v->depth - 1 - x], &ps, &pn);
		if (op == WB_OP_BR) {
			pop_vals(v, ps, pn);
			set_unreachable(v);
		} else {
			pop_expect(v, I32);
			pop_vals(v, ps, pn);
			push_vals(v, ps, pn);
		}
		return 0;
	case WB_OP_BR_TABLE:
		return op_br_table(v);
	case WB_OP_RETURN:
		pop_vals(v, fty->results, fty->result_cnt);
		set_unreachable(v);
		return 0;
	case WB_OP_CALL:
		RD(wb_reader__u32(&v->r, &x));
		if (v->skip)
			return 0;
		if (x >= m->func_cnt) {
			invalid_idx(v, "unknown function", x);
			return 0;
		}
		op_call(v, &m->types[m->func_types[x]]);
		return 0;
	case WB_OP_CALL_INDIRECT:
		RD(wb_reader__u32(&v->r, &y)); /* type */
		RD(wb_reader__u32(&v->r, &x)); /* table */
		if (!need_table(v, x))
			return 0;
		if (y >= m->type_cnt) {
			invalid_idx(v, "unknown type", y);
			return 0;
		}
		if (m->tables[x].elem_type != WB_FUNCREF) {
			invalid(v, "type mismatch");
			return 0;
		}
		pop_expect(v, I32);
		op_call(v, &m->types[y]);
		return 0;
	case WB_OP_DROP:
		pop_any(v);
		return 0;
	case WB_OP_SELECT:
		pop_expect(v, I32);
		t1 = pop_any(v);
		t2 = pop_any(v);
		if (v->skip)
			return 0;
		if (t1 == WB_FUNCREF || t1 == WB_EXTERNREF || t2 == WB_FUNCREF ||
		    t2 == WB_EXTERNREF || (t1 != t2 && t1 != T_UNKNOWN && t2 != T_UNKNOWN)) {
			invalid(v, "type mismatch");
			return 0;
		}
		push(v, t1 == T_UNKNOWN ? t2 : t1);
		return 0;
	case WB_OP_SELECT_T: {
		const uint8_t *at;

		RD(wb_reader__len(&v->r, &x));
		t = 0;
		for (y = 0; y < x; y++) {
			at = v->r.pos;
			RD(wb_reader__u8(&v->r, &t));
			if (!is_valtype(t))
				return malformed_at(v, "malformed value type", at);
		}
		if (v->skip)
			return 0;
		if (x != 1) {
			invalid(v, "invalid result arity");
			return 0;
		}
		pop_expect(v, I32);
		pop_expect(v, t);
		pop_expect(v, t);
		push(v, t);
		return 0;
	}
	case WB_OP_LOCAL_GET:
	case WB_OP_LOCAL_SET:
	case WB_OP_LOCAL_TEE:
		RD(wb_reader__u32(&v->r, &x));
		if (v->skip)
			return 0;
		if (x >= v->local_cnt) {
			invalid_idx(v, "unknown local", x);
			return 0;
		}
		t = v->locals[x];
		if (op != WB_OP_LOCAL_GET)
			pop_expect(v, t);
		if (op != WB_OP_LOCAL_SET)
			push(v, t);
		return 0;
	case WB_OP_GLOBAL_GET:
	case WB_OP_GLOBAL_SET:
		RD(wb_reader__u32(&v->r, &x));
		if (v->skip)
			return 0;
		if (x >= m->global_cnt) {
			invalid_idx(v, "unknown global", x);
			return 0;
		}
		t = m->global_types[x].valtype;
		if (op == WB_OP_GLOBAL_GET) {
			push(v, t);
		} else if (!m->global_types[x].mutable_) {
			invalid(v, "global is immutable");
		} else {
			pop_expect(v, t);
		}
		return 0;
	case WB_OP_TABLE_GET:
	case WB_OP_TABLE_SET:
		RD(wb_reader__u32(&v->r, &x));
		if (!need_table(v, x))
			return 0;
		t = m->tables[x].elem_type;
		if (op == WB_OP_TABLE_GET) {
			pop_expect(v, I32);
			push(v, t);
		} else {
			pop_expect(v, t);
			pop_expect(v, I32);
		}
		return 0;
	case 0x28 ... 0x3e:
		return op_memarg(v, op);
	case WB_OP_MEMORY_SIZE:
	case WB_OP_MEMORY_GROW:
		ret = read_zero(v);
		if (ret || !need_memory(v))
			return ret;
		if (op == WB_OP_MEMORY_GROW)
			pop_expect(v, I32);
		push(v, I32);
		return 0;
	case WB_OP_I32_CONST: {
		int32_t c;

		RD(wb_reader__s32(&v->r, &c));
		push(v, I32);
		return 0;
	}
	case WB_OP_I64_CONST: {
		int64_t c;

		RD(wb_reader__s64(&v->r, &c));
		push(v, I64);
		return 0;
	}
	case WB_OP_F32_CONST: {
		uint32_t c;

		RD(wb_reader__f32(&v->r, &c));
		push(v, F32);
		return 0;
	}
	case WB_OP_F64_CONST: {
		uint64_t c;

		RD(wb_reader__f64(&v->r, &c));
		push(v, F64);
		return 0;
	}
	case WB_OP_REF_NULL: {
		const uint8_t *at = v->r.pos;

		RD(wb_reader__u8(&v->r, &t));
		if (t != WB_FUNCREF && t != WB_EXTERNREF)
			return malformed_at(v, "malformed reference type", at);
		push(v, t);
		return 0;
	}
	case WB_OP_REF_IS_NULL:
		t = pop_any(v);
		if (!v->skip && t != T_UNKNOWN && t != WB_FUNCREF && t != WB_EXTERNREF) {
			invalid(v, "type mismatch");
			return 0;
		}
		push(v, I32);
		return 0;
	case WB_OP_REF_FUNC:
		RD(wb_reader__u32(&v->r, &x));
		if (v->skip)
			return 0;
		if (x >= m->func_cnt) {
			invalid_idx(v, "unknown function", x);
			return 0;
		}
		if (!m->declared_refs || !m->declared_refs[x]) {
			invalid(v, "undeclared function reference");
			return 0;
		}
		push(v, WB_FUNCREF);
		return 0;
	case WB_OP_PREFIX_FC:
		return op_fc(v);
	case WB_OP_PREFIX_SIMD:
		/* Not decoded yet, so nothing after it can be checked either. */
		return -EOPNOTSUPP;
	}
	return malformed_at(v, "illegal opcode", v->insn);
}

static int check_body(struct vctx *v, uint32_t i)
{
	static const struct wb_functype no_type;
	const struct wb_module *m = v->m;
	const struct wb_func_def *fd = &m->funcs[i];
	const struct wb_functype *fty = &no_type;
	bool done = false;
	uint32_t n;
	int ret;

	v->func_idx = (int64_t)m->func_import_cnt + i;
	v->skip = v->vs->failed;
	v->sp = 0;
	v->depth = 0;
	v->local_cnt = 0;
	/* Read up to the end of the module, as the reference decoder does. */
	wb_reader__init(&v->r, m->bytes, fd->body, m->bytes + m->size);
	v->insn = fd->body;

	if (fd->type_idx < m->type_cnt)
		fty = &m->types[fd->type_idx];
	if (!v->skip) {
		n = fty->param_cnt + fd->local_cnt;
		if (n > v->locals_cap && !grow((void **)&v->locals, &v->locals_cap, n, 1))
			return -ENOMEM;
		if (fty->param_cnt)
			memcpy(v->locals, fty->params, fty->param_cnt);
		if (fd->local_cnt)
			memcpy(v->locals + fty->param_cnt, fd->local_types, fd->local_cnt);
		v->local_cnt = n;
	}
	ret = push_ctrl(v, FR_FUNC, NULL, 0, fty->results, fty->result_cnt);
	if (ret)
		return ret;

	while (!done) {
		ret = step(v, fty, fd->body + fd->body_len, &done);
		if (ret)
			return ret;
		if (v->oom)
			return -ENOMEM;
	}
	return 0;
}

static void vctx_free(struct vctx *v)
{
	free(v->stack);
	free(v->frames);
	free(v->locals);
}

int wb_validate_code(struct wb_vstate *vs)
{
	struct vctx v = {.m = vs->m, .vs = vs};
	uint32_t i;
	int ret = 0;

	for (i = 0; i < vs->m->code_cnt; i++) {
		ret = check_body(&v, i);
		if (ret)
			break;
	}
	if (ret == -EOPNOTSUPP) {
		if (!vs->failed)
			wb_error__set(vs->err, WB_ERR_INVALID,
				      "SIMD instructions are not supported", WB_SEC_CODE,
				      v.func_idx, (size_t)(v.insn - v.r.base), "%s", "");
		ret = -EINVAL;
	} else if (ret == -ENOMEM) {
		wb_error__set(vs->err, WB_ERR_RESOURCE, "out of memory", WB_SEC_CODE, v.func_idx, 0,
			      "%s", "");
	}
	vctx_free(&v);
	return ret;
}

int wb_scan_bodies(const struct wb_module *m, uint32_t cnt, struct wb_error *err)
{
	struct wb_vstate vs = {.m = m, .err = err, .failed = true};
	struct vctx v = {.m = m, .vs = &vs, .scan_only = true};
	uint32_t i;
	int ret = 0;

	for (i = 0; i < cnt && i < m->code_cnt; i++) {
		ret = check_body(&v, i);
		if (ret)
			break;
	}
	vctx_free(&v);
	return ret == -EINVAL ? ret : 0;
}
