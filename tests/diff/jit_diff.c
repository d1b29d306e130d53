/* SPDX-License-Identifier: MIT */
/*
 * The JIT against the interpreter on one module (jit_diff.h): two loads and
 * two stores, the same calls made on both in lockstep, and everything a
 * caller can observe compared after each step, so that the first difference
 * is the one reported.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "wasm-bpf/engine.h"
/* Only for the count of functions the JIT translated (not in the public API). */
#include "engine/jit.h"
#include "engine/module.h"

#include "jit_diff.h"

/* The most parameters or results of a function that is called. */
#define MAX_VALS 16

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* One mode: its module, store and instance. */
struct side {
	struct wb_module *m;
	struct wb_store *s;
	struct wb_linker *l;
	struct wb_instance *inst;
	struct wb_error err;
};

static const char *const mode[2] = { "interpreter", "JIT" };

struct run {
	const struct jit_diff_opts *o;
	struct side sd[2];		/* [0] interpreted, [1] with the JIT */
	uint64_t rng;
	struct jit_diff_stats *st;
	char *why;
	size_t why_sz;
};

static int differ(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int differ(struct run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (r->why_sz)
		vsnprintf(r->why, r->why_sz, fmt, ap);
	va_end(ap);
	return JIT_DIFF_DIFFER;
}

/* ---------------------------------------------------------------- arguments */

/* splitmix64, as tests/diff/gen.c: the same picks on every machine. */
static uint64_t rnd(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Edge values per type, as bit patterns: the ones conversions, shifts,
 * division and NaN handling tend to get wrong. */
static const uint32_t pick_i32[] = {
	0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 2, 31, 32, 0xff, 0x10000,
};
static const uint64_t pick_i64[] = {
	0, 1, ~0ull, 1ull << 63, INT64_MAX, 0x7fffffff, 0x80000000, 0xffffffff,
	0x100000000ull, 63, 64,
};
static const uint32_t pick_f32[] = {
	0x00000000, 0x80000000,		/* 0, -0 */
	0x3f800000, 0x3fc00000, 0xbfc00000,	/* 1, 1.5, -1.5 */
	0x7fc00000, 0xffc00000, 0x7fa00001,	/* NaN, -NaN, signalling NaN */
	0x7f800000, 0xff800000, 0x00000001,	/* inf, -inf, least denormal */
	0x4f000000, 0xcf000000, 0x5f000000,	/* 2^31, -2^31, 2^63 */
	0x3f000000,			/* 0.5 */
};
static const uint64_t pick_f64[] = {
	0x0000000000000000ull, 0x8000000000000000ull,
	0x3ff0000000000000ull, 0x3ff8000000000000ull, 0xbff8000000000000ull,
	0x7ff8000000000000ull, 0xfff8000000000000ull, 0x7ff4000000000001ull,
	0x7ff0000000000000ull, 0xfff0000000000000ull, 0x0000000000000001ull,
	0x41e0000000000000ull, 0xc1e0000000200000ull, 0x43e0000000000000ull,
	0x3fe0000000000000ull,
};

/* Arguments for one call: all zero without a seed, else one edge value each. */
static void pick_args(struct run *r, const struct wb_functype *t, wb_value *args)
{
	uint32_t i;
	uint64_t x;

	memset(args, 0, MAX_VALS * sizeof(*args));
	if (!r->o->seed)
		return;
	for (i = 0; i < t->param_cnt; i++) {
		x = rnd(&r->rng);
		switch (t->params[i]) {
		case WB_I32:
			args[i].i32 = pick_i32[x % N(pick_i32)];
			break;
		case WB_I64:
			args[i].i64 = pick_i64[x % N(pick_i64)];
			break;
		case WB_F32:
			args[i].i32 = pick_f32[x % N(pick_f32)];
			break;
		case WB_F64:
			args[i].i64 = pick_f64[x % N(pick_f64)];
			break;
		case WB_EXTERNREF:
			/* Any pointer-sized value: the same in both stores. */
			args[i].ref = (void *)(uintptr_t)(x % 3);
			break;
		default:
			/* A funcref from one store means nothing in the other. */
			break;
		}
	}
}

/* ---------------------------------------------------------------- output */

static const char *type_name(uint8_t t)
{
	switch (t) {
	case WB_I32: return "i32";
	case WB_I64: return "i64";
	case WB_F32: return "f32";
	case WB_F64: return "f64";
	case WB_V128: return "v128";
	case WB_FUNCREF: return "funcref";
	case WB_EXTERNREF: return "externref";
	}
	return "?";
}

static const char *fmt_val(char *buf, size_t sz, uint8_t t, wb_value v)
{
	switch (t) {
	case WB_I32:
		snprintf(buf, sz, "i32:0x%08" PRIx32 " (%" PRId32 ")", v.i32, (int32_t)v.i32);
		break;
	case WB_F32:
		snprintf(buf, sz, "f32:0x%08" PRIx32 " (%g)", v.i32, (double)v.f32);
		break;
	case WB_F64:
		snprintf(buf, sz, "f64:0x%016" PRIx64 " (%g)", v.i64, v.f64);
		break;
	case WB_FUNCREF:
		snprintf(buf, sz, "funcref:%s", v.ref ? "func" : "null");
		break;
	case WB_EXTERNREF:
		snprintf(buf, sz, "externref:%#" PRIxPTR, (uintptr_t)v.ref);
		break;
	default:
		snprintf(buf, sz, "%s:0x%016" PRIx64 " (%" PRId64 ")", type_name(t), v.i64,
			 (int64_t)v.i64);
		break;
	}
	return buf;
}

/* An export's name, quoted, with anything unprintable escaped. */
static const char *fmt_name(char *buf, size_t sz, const char *s, uint32_t len)
{
	size_t o = 0;
	uint32_t i;

	if (sz < 8)
		return "";
	buf[o++] = '"';
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';

		/* Room for this character, then "...", the quote and the NUL. */
		if (o + (plain ? 1 : 3) + 5 > sz)
			break;
		if (plain)
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, sz - o, "\\%02x", c);
	}
	if (i < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

static void fmt_args(char *buf, size_t sz, const struct wb_functype *t, const wb_value *args)
{
	size_t o = 0;
	uint32_t i;
	char v[64];

	buf[0] = '\0';
	for (i = 0; i < t->param_cnt && o < sz; i++)
		o += (size_t)snprintf(buf + o, sz - o, "%s%s", i ? ", " : "",
				      fmt_val(v, sizeof(v), t->params[i], args[i]));
}

/* ---------------------------------------------------------------- set-up */

/* Tight limits so that a looping or recursing module ends quickly. */
static struct wb_store *small_store(uint64_t fuel)
{
	WB_OPTS(wb_store_opts, opts,
		.max_memory_pages = 16,
		.max_call_depth = 200,
		.stack_bytes = 256 * 1024,
		.fuel = fuel,
		.max_table_elems = 10000);

	return wb_store__new(&opts);
}

/* A host function for any signature (user = result count): results are zero. */
static int zero_host(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	memset(results, 0, (uintptr_t)hc->user * sizeof(*results));
	return 0;
}

/*
 * Define an extern of exactly the declared type for every import, so that
 * modules with imports get past linking too. Failures just leave the import
 * undefined.
 */
static void define_imports(struct wb_store *s, struct wb_linker *l, const struct wb_module *m)
{
	struct wb_import_desc im;
	struct wb_extern ext;
	wb_value zero;
	uint32_t i;

	memset(&zero, 0, sizeof(zero));
	for (i = 0; i < wb_module__import_cnt(m); i++) {
		if (wb_module__import(m, i, &im))
			continue;
		ext.kind = im.kind;
		switch (im.kind) {
		case WB_EXTERN_FUNC:
			ext.func = wb_func__new_host(s, &im.func, zero_host,
						     (void *)(uintptr_t)im.func.result_cnt, "zero");
			break;
		case WB_EXTERN_TABLE:
			ext.table = wb_table__new(s, im.elem_type, &im.limits, NULL);
			break;
		case WB_EXTERN_MEMORY:
			ext.memory = wb_memory__new(s, &im.limits);
			break;
		case WB_EXTERN_GLOBAL:
			ext.global = wb_global__new(s, im.valtype, im.mutable_, zero);
			break;
		default:
			continue;
		}
		if (ext.func)
			wb_linker__define_n(l, im.module, im.module_len, im.name, im.name_len, &ext);
	}
}

/* Instantiate with an empty linker, or else with made-up imports. */
static void instantiate(struct side *sd, uint64_t fuel)
{
	char msg[512];

	sd->s = small_store(fuel);
	sd->l = wb_linker__new();
	if (!sd->s || !sd->l)
		return;
	sd->inst = wb_instance__new(sd->s, sd->m, sd->l, &sd->err);
	if (!sd->inst && sd->err.kind == WB_ERR_UNLINKABLE) {
		define_imports(sd->s, sd->l, sd->m);
		sd->inst = wb_instance__new(sd->s, sd->m, sd->l, &sd->err);
	}
	if (!sd->inst)
		wb_error__format(&sd->err, msg, sizeof(msg));
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static const char *str_or(const char *s)
{
	return s ? s : "(none)";
}

/*
 * Load and instantiate in both modes. JIT_DIFF_AGREE when they agree so far,
 * with stats->instantiated set if there are instances to call.
 */
static int set_up(struct run *r, const uint8_t *buf, size_t sz, struct jit_diff_stats *st)
{
	struct side *a = &r->sd[0], *b = &r->sd[1];
	char msg[512];
	int k;

	for (k = 0; k < 2; k++) {
		WB_OPTS(wb_module_opts, mo, .jit = k == 1);

		r->sd[k].m = wb_module__new(buf, sz, &mo, &r->sd[k].err);
	}
	if (!a->m != !b->m)
		return differ(r, "load: only the %s loads it (the other: %s)", mode[a->m ? 0 : 1],
			      wb_error__format(a->m ? &b->err : &a->err, msg, sizeof(msg)));
	if (!a->m) {
		wb_error__format(&a->err, msg, sizeof(msg));
		if (a->err.kind != b->err.kind || !str_eq(a->err.msg, b->err.msg))
			return differ(r, "load: the interpreter says \"%s\", the JIT \"%s\"",
				      str_or(a->err.msg), str_or(b->err.msg));
		return JIT_DIFF_UNLOADABLE;
	}
	wb_jit__counts(b->m->jit, &st->jit_done, &st->jit_declined);

	for (k = 0; k < 2; k++)
		instantiate(&r->sd[k], r->o->fuel);
	if (!a->s || !a->l || !b->s || !b->l)
		return JIT_DIFF_AGREE;	/* out of memory: nothing to compare */
	if (!a->inst != !b->inst)
		return differ(r, "instantiate: only the %s succeeds (the other: %s)",
			      mode[a->inst ? 0 : 1],
			      wb_error__format(a->inst ? &b->err : &a->err, msg, sizeof(msg)));
	if (!a->inst) {
		if (a->err.kind != b->err.kind || !str_eq(a->err.msg, b->err.msg) ||
		    strcmp(a->err.detail, b->err.detail))
			return differ(r, "instantiate: the interpreter says \"%s: %s\", "
				      "the JIT \"%s: %s\"", str_or(a->err.msg), a->err.detail,
				      str_or(b->err.msg), b->err.detail);
	}
	if (wb_store__fuel(a->s) != wb_store__fuel(b->s))
		return differ(r, "instantiate: fuel left %" PRIu64 " (interpreter) vs %" PRIu64
			      " (JIT)", wb_store__fuel(a->s), wb_store__fuel(b->s));
	if (!a->inst)
		return JIT_DIFF_AGREE;
	st->instantiated = 1;
	return JIT_DIFF_AGREE;
}

/* ---------------------------------------------------------------- calls */

/* The function export ex names in sd's instance, or NULL if it is not one to call. */
static struct wb_func *export_func(const struct side *sd, const struct wb_export_desc *ex)
{
	struct wb_extern ext;
	const struct wb_functype *t;

	/* Names may hold NUL; the lookup by C string may find another export,
	 * so call through the extern of the first match only when it is a
	 * function of the same arity. */
	if (wb_instance__export(sd->inst, ex->name, &ext) || ext.kind != WB_EXTERN_FUNC)
		return NULL;
	t = wb_func__type(ext.func);
	if (t->param_cnt != ex->func.param_cnt || t->result_cnt != ex->func.result_cnt)
		return NULL;
	return ext.func;
}

static bool same_functype(const struct wb_functype *x, const struct wb_functype *y)
{
	return x->param_cnt == y->param_cnt && x->result_cnt == y->result_cnt &&
	       !memcmp(x->params, y->params, x->param_cnt) &&
	       !memcmp(x->results, y->results, x->result_cnt);
}

static bool is_nan(uint8_t t, wb_value v)
{
	if (t == WB_F32)
		return (v.i32 & 0x7fffffff) > 0x7f800000;
	return (v.i64 & ~(1ull << 63)) > 0x7ff0000000000000ull;
}

/* Whether two values of type t are the same, bit for bit (or both NaN, see jit_diff.h). */
static bool same_val(struct run *r, uint8_t t, wb_value x, wb_value y)
{
	bool same;

	switch (t) {
	case WB_F32:
	case WB_F64:
		same = t == WB_F32 ? x.i32 == y.i32 : x.i64 == y.i64;
		if (!same && !r->o->exact_nan && is_nan(t, x) && is_nan(t, y)) {
			r->st->nan_payloads++;
			return true;
		}
		return same;
	case WB_I32:
		return x.i32 == y.i32;
	case WB_FUNCREF:
		/* Each store has its own functions: compare what can be. */
		if (!x.ref || !y.ref)
			return x.ref == y.ref;
		return same_functype(wb_func__type(x.ref), wb_func__type(y.ref));
	case WB_EXTERNREF:
		return x.ref == y.ref;
	default:
		return x.i64 == y.i64;
	}
}

/* Call export i in both modes and compare what came back. */
static int call_one(struct run *r, uint32_t round, uint32_t i, struct jit_diff_stats *st)
{
	struct side *a = &r->sd[0], *b = &r->sd[1];
	wb_value args[MAX_VALS], res[2][MAX_VALS];
	const struct wb_trap *ta, *tb;
	struct wb_export_desc ex;
	struct wb_func *fa, *fb;
	char name[96], as[512], what[256], va[64], vb[64];
	uint32_t k;
	int rc[2];

	if (wb_module__export(a->m, i, &ex) || ex.kind != WB_EXTERN_FUNC)
		return JIT_DIFF_AGREE;
	if (ex.func.param_cnt > MAX_VALS || ex.func.result_cnt > MAX_VALS)
		return JIT_DIFF_AGREE;
	fa = export_func(a, &ex);
	fb = export_func(b, &ex);
	if (!fa != !fb)
		return differ(r, "export %s is a function to call only for the %s",
			      fmt_name(name, sizeof(name), ex.name, ex.name_len), mode[fa ? 0 : 1]);
	if (!fa)
		return JIT_DIFF_AGREE;

	pick_args(r, &ex.func, args);
	memset(res, 0, sizeof(res));
	rc[0] = wb_func__call(a->s, fa, args, ex.func.param_cnt, res[0], ex.func.result_cnt);
	rc[1] = wb_func__call(b->s, fb, args, ex.func.param_cnt, res[1], ex.func.result_cnt);
	st->calls++;

	/* What differs, if anything; the call is described only then. */
	what[0] = '\0';
	if (rc[0] != rc[1]) {
		snprintf(what, sizeof(what), "returns %d (interpreter) vs %d (JIT)%s%s", rc[0], rc[1],
			 rc[0] == WB_TRAPPED || rc[1] == WB_TRAPPED ? ", trap: " : "",
			 rc[0] == WB_TRAPPED ? str_or(wb_store__trap(a->s)->msg) :
			 rc[1] == WB_TRAPPED ? str_or(wb_store__trap(b->s)->msg) : "");
	} else if (rc[0] == WB_TRAPPED) {
		st->traps++;
		ta = wb_store__trap(a->s);
		tb = wb_store__trap(b->s);
		if (ta->kind != tb->kind || !str_eq(ta->msg, tb->msg))
			snprintf(what, sizeof(what), "traps with \"%s\" (interpreter) vs \"%s\" (JIT)",
				 str_or(ta->msg), str_or(tb->msg));
	} else if (rc[0] == 0) {
		for (k = 0; k < ex.func.result_cnt && !what[0]; k++) {
			uint8_t t = ex.func.results[k];

			if (!same_val(r, t, res[0][k], res[1][k]))
				snprintf(what, sizeof(what), "result %" PRIu32 " is %s (interpreter) "
					 "vs %s (JIT)", k, fmt_val(va, sizeof(va), t, res[0][k]),
					 fmt_val(vb, sizeof(vb), t, res[1][k]));
		}
	}
	if (!what[0] && wb_store__fuel(a->s) != wb_store__fuel(b->s))
		snprintf(what, sizeof(what), "fuel left %" PRIu64 " (interpreter) vs %" PRIu64
			 " (JIT)", wb_store__fuel(a->s), wb_store__fuel(b->s));
	if (!what[0])
		return JIT_DIFF_AGREE;
	fmt_args(as, sizeof(as), &ex.func, args);
	return differ(r, "call %s(%s) round %" PRIu32 ": %s",
		      fmt_name(name, sizeof(name), ex.name, ex.name_len), as, round, what);
}

/* ---------------------------------------------------------------- final state */

static int same_memory(struct run *r, const char *name, const struct wb_memory *x,
		       const struct wb_memory *y)
{
	uint64_t sx = wb_memory__size(x), sy = wb_memory__size(y), o;
	const uint8_t *dx = wb_memory__data(x), *dy = wb_memory__data(y);

	if (sx != sy)
		return differ(r, "memory %s: %" PRIu64 " bytes (interpreter) vs %" PRIu64
			      " (JIT)", name, sx, sy);
	if (!sx || !memcmp(dx, dy, sx))
		return JIT_DIFF_AGREE;
	for (o = 0; dx[o] == dy[o]; o++)
		;
	return differ(r, "memory %s: byte 0x%" PRIx64 " is 0x%02x (interpreter) vs 0x%02x (JIT)",
		      name, o, dx[o], dy[o]);
}

static int same_table(struct run *r, const char *name, const struct wb_table *x,
		      const struct wb_table *y)
{
	uint32_t n = wb_table__size(x), i;
	wb_value vx, vy;
	uint8_t t = wb_table__elem_type(x);
	char sx[64], sy[64];

	if (n != wb_table__size(y))
		return differ(r, "table %s: %" PRIu32 " elements (interpreter) vs %" PRIu32
			      " (JIT)", name, n, wb_table__size(y));
	for (i = 0; i < n; i++) {
		if (wb_table__get(x, i, &vx.ref) || wb_table__get(y, i, &vy.ref))
			return differ(r, "table %s: element %" PRIu32 " cannot be read", name, i);
		if (!same_val(r, t, vx, vy))
			return differ(r, "table %s: element %" PRIu32 " is %s (interpreter) vs "
				      "%s (JIT)", name, i, fmt_val(sx, sizeof(sx), t, vx),
				      fmt_val(sy, sizeof(sy), t, vy));
	}
	return JIT_DIFF_AGREE;
}

/* Every exported memory, global and table, compared between the modes. */
static int same_state(struct run *r)
{
	struct side *a = &r->sd[0], *b = &r->sd[1];
	struct wb_export_desc ex;
	struct wb_extern x, y;
	char name[96], sx[64], sy[64];
	uint32_t i;
	wb_value vx, vy;
	uint8_t t;
	int ret = JIT_DIFF_AGREE;

	for (i = 0; i < wb_module__export_cnt(a->m) && ret == JIT_DIFF_AGREE; i++) {
		if (wb_module__export(a->m, i, &ex) || ex.kind == WB_EXTERN_FUNC)
			continue;
		if (wb_instance__export(a->inst, ex.name, &x) ||
		    wb_instance__export(b->inst, ex.name, &y) || x.kind != y.kind)
			continue;
		fmt_name(name, sizeof(name), ex.name, ex.name_len);
		switch (x.kind) {
		case WB_EXTERN_MEMORY:
			ret = same_memory(r, name, x.memory, y.memory);
			break;
		case WB_EXTERN_TABLE:
			ret = same_table(r, name, x.table, y.table);
			break;
		case WB_EXTERN_GLOBAL:
			t = wb_global__type(x.global);
			vx = wb_global__get(x.global);
			vy = wb_global__get(y.global);
			if (!same_val(r, t, vx, vy))
				ret = differ(r, "global %s is %s (interpreter) vs %s (JIT)", name,
					     fmt_val(sx, sizeof(sx), t, vx),
					     fmt_val(sy, sizeof(sy), t, vy));
			break;
		default:
			break;
		}
	}
	return ret;
}

/* ---------------------------------------------------------------- the run */

/* FNV-1a, to make the arguments depend on the module, not on its file name. */
static uint64_t hash(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

int jit_diff_run(const uint8_t *buf, size_t sz, const struct jit_diff_opts *opts,
		 struct jit_diff_stats *stats, char *why, size_t why_sz)
{
	struct jit_diff_stats local;
	struct run r;
	uint32_t round, rounds, i;
	int ret, k;

	memset(&r, 0, sizeof(r));
	r.o = opts;
	r.why = why;
	r.why_sz = why_sz;
	if (why_sz)
		why[0] = '\0';
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	r.st = stats;
	r.rng = opts->seed ^ hash(buf, sz);
	rounds = opts->rounds ? opts->rounds : 1;

	ret = set_up(&r, buf, sz, stats);
	if (ret != JIT_DIFF_AGREE || !stats->instantiated)
		goto out;
	for (round = 0; round < rounds && ret == JIT_DIFF_AGREE; round++)
		for (i = 0; i < wb_module__export_cnt(r.sd[0].m) && ret == JIT_DIFF_AGREE; i++)
			ret = call_one(&r, round, i, stats);
	if (ret == JIT_DIFF_AGREE)
		ret = same_state(&r);
out:
	for (k = 0; k < 2; k++) {
		wb_linker__free(r.sd[k].l);
		wb_store__free(r.sd[k].s);
		wb_module__free(r.sd[k].m);
	}
	return ret;
}
