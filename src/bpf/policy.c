/* SPDX-License-Identifier: MIT */
/*
 * The security policy over eBPF features: allow/deny rules by name or glob
 * for helpers, kfuncs, program types, map types, attach targets and pin
 * paths, a cap on map memory, their JSON file form, and the checks of an
 * inspected object and of an attach request (docs/policy.md). The last part
 * enforces the policy for a host, before each load and attach.
 */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <linux/bpf.h>

#include "bpf_internal.h"
#include "wasm-bpf/policy.h"

struct rule {
	enum wb_bpf_rule_kind kind;
	bool allow;
	char *pattern;
	char *origin;
};

struct wb_bpf_policy {
	struct rule *rules;
	size_t rule_cnt, rule_cap;
	uint64_t max_map_memory;	/* 0: no cap */
	char *max_origin;
};

static const char *const kind_names[WB_RULE_KIND_CNT] = {
	[WB_RULE_HELPER] = "helper",
	[WB_RULE_KFUNC] = "kfunc",
	[WB_RULE_PROG_TYPE] = "prog-type",
	[WB_RULE_MAP_TYPE] = "map-type",
	[WB_RULE_ATTACH] = "attach",
	[WB_RULE_PIN] = "pin",
};

/* What a name no rule matches gets. Attach is special: see attach_default(). */
static const bool kind_default_allow[WB_RULE_KIND_CNT] = {
	[WB_RULE_HELPER] = true,
	[WB_RULE_KFUNC] = false,
	[WB_RULE_PROG_TYPE] = true,
	[WB_RULE_MAP_TYPE] = true,
	[WB_RULE_ATTACH] = true,
	[WB_RULE_PIN] = false,
};

/* Attach target kinds, the part before ':' of an attach pattern. */
static const char *const attach_kinds[] = {
	"iface", "cgroup", "uprobe", "kprobe", "tracepoint", "raw_tracepoint",
};

#define ATTACH_KIND_CNT (sizeof(attach_kinds) / sizeof(attach_kinds[0]))

#define DEFAULT_ORIGIN "default policy"

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* ---------------------------------------------------------------- rules */

static bool type_name_known(enum wb_bpf_rule_kind kind, const char *name)
{
	unsigned int t;

	for (t = 0; t < 256; t++) {
		const char *n = kind == WB_RULE_PROG_TYPE ?
			libbpf_bpf_prog_type_str((enum bpf_prog_type)t) :
			libbpf_bpf_map_type_str((enum bpf_map_type)t);

		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}

static int validate(enum wb_bpf_rule_kind kind, const char *pattern, char *err, size_t err_sz)
{
	size_t i;

	if (!*pattern) {
		wb_bpf_msg(err, err_sz, "empty %s pattern", kind_names[kind]);
		return -EINVAL;
	}
	switch (kind) {
	case WB_RULE_HELPER:
		if (!has_glob(pattern) && wb_bpf_helper_id(pattern) < 0) {
			wb_bpf_msg(err, err_sz, "unknown helper '%s'", pattern);
			return -EINVAL;
		}
		break;
	case WB_RULE_PROG_TYPE:
	case WB_RULE_MAP_TYPE:
		if (!has_glob(pattern) && !type_name_known(kind, pattern)) {
			wb_bpf_msg(err, err_sz, "unknown %s type '%s' (libbpf's names, e.g. %s)",
				kind == WB_RULE_PROG_TYPE ? "program" : "map", pattern,
				kind == WB_RULE_PROG_TYPE ? "tracepoint, xdp, sched_cls, lsm" :
				"hash, array, ringbuf, perf_event_array");
			return -EINVAL;
		}
		break;
	case WB_RULE_ATTACH:
		for (i = 0; i < ATTACH_KIND_CNT; i++) {
			size_t n = strlen(attach_kinds[i]);

			if (!strncmp(pattern, attach_kinds[i], n) && pattern[n] == ':' &&
			    pattern[n + 1])
				return 0;
		}
		wb_bpf_msg(err, err_sz, "bad attach pattern '%s' (want KIND:PATTERN, KIND one of "
			"iface, cgroup, uprobe, kprobe, tracepoint, raw_tracepoint)", pattern);
		return -EINVAL;
	default:
		break;
	}
	return 0;
}

int wb_bpf_policy__add(struct wb_bpf_policy *p, enum wb_bpf_rule_kind kind, bool allow,
		       const char *pattern, const char *origin, char *err, size_t err_sz)
{
	struct rule *r;
	int ret;

	if (kind >= WB_RULE_KIND_CNT || !pattern) {
		wb_bpf_msg(err, err_sz, "bad rule");
		return -EINVAL;
	}
	ret = validate(kind, pattern, err, err_sz);
	if (ret)
		return ret;
	if (p->rule_cnt == p->rule_cap) {
		size_t cap = p->rule_cap ? p->rule_cap * 2 : 16;

		r = realloc(p->rules, cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		p->rules = r;
		p->rule_cap = cap;
	}
	r = &p->rules[p->rule_cnt];
	r->kind = kind;
	r->allow = allow;
	/* Helpers are matched without their "bpf_" prefix. */
	if (kind == WB_RULE_HELPER && !strncmp(pattern, "bpf_", 4))
		pattern += 4;
	r->pattern = strdup(pattern);
	r->origin = strdup(origin ? origin : "API");
	if (!r->pattern || !r->origin) {
		free(r->pattern);
		free(r->origin);
		return -ENOMEM;
	}
	p->rule_cnt++;
	return 0;
}

void wb_bpf_policy__set_max_map_memory(struct wb_bpf_policy *p, uint64_t bytes,
				       const char *origin)
{
	char *o = strdup(origin ? origin : "API");

	if (!o)
		return;
	free(p->max_origin);
	p->max_origin = o;
	p->max_map_memory = bytes;
}

void wb_bpf_policy__free(struct wb_bpf_policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->rule_cnt; i++) {
		free(p->rules[i].pattern);
		free(p->rules[i].origin);
	}
	free(p->rules);
	free(p->max_origin);
	free(p);
}

struct wb_bpf_policy *wb_bpf_policy__new(void)
{
	static const char *const helpers[] = {
		"probe_write_user", "override_return", "send_signal", "send_signal_thread",
	};
	static const char *const types[] = { "lsm", "struct_ops", "syscall", "ext" };
	struct wb_bpf_policy *p = calloc(1, sizeof(*p));
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++)
		if (wb_bpf_policy__add(p, WB_RULE_HELPER, false, helpers[i], DEFAULT_ORIGIN,
				       NULL, 0))
			goto oom;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (wb_bpf_policy__add(p, WB_RULE_PROG_TYPE, false, types[i], DEFAULT_ORIGIN,
				       NULL, 0))
			goto oom;
	return p;
oom:
	wb_bpf_policy__free(p);
	errno = ENOMEM;
	return NULL;
}

/*
 * The last rule of kind whose pattern matches name, or NULL. Attach rules
 * only count when their KIND prefix is the target's.
 */
static const struct rule *last_match(const struct wb_bpf_policy *p, enum wb_bpf_rule_kind kind,
				     const char *name)
{
	const struct rule *found = NULL;
	size_t i;

	if (kind == WB_RULE_HELPER && !strncmp(name, "bpf_", 4))
		name += 4;
	for (i = 0; i < p->rule_cnt; i++) {
		const struct rule *r = &p->rules[i];

		if (r->kind == kind && !fnmatch(r->pattern, name, 0))
			found = r;
	}
	return found;
}

/* Is name allowed? *rule is the deciding rule (NULL: the kind's default). */
static bool allowed(const struct wb_bpf_policy *p, enum wb_bpf_rule_kind kind, const char *name,
		    const struct rule **rule)
{
	*rule = last_match(p, kind, name);
	return *rule ? (*rule)->allow : kind_default_allow[kind];
}

/* ---------------------------------------------------------------- sizes */

int wb_bpf_parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: break;
	}
	if (shift && *end == 'i')
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return -EINVAL;
	*out = (uint64_t)v << shift;
	return 0;
}

static void fmt_size(char *buf, size_t sz, uint64_t v)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	double d = (double)v;
	int u = -1;

	if (v < 1024) {
		snprintf(buf, sz, "%" PRIu64 " B", v);
		return;
	}
	while (d >= 1024 && u < 3) {
		d /= 1024;
		u++;
	}
	snprintf(buf, sz, "%.1f %s", d, units[u]);
}

/* ---------------------------------------------------------------- format */

struct strbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void sb_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		{
			size_t cap = (b->cap + (size_t)n + 1) * 2;
			char *s = realloc(b->s, cap);

			if (!s) {
				b->oom = true;
				return;
			}
			b->s = s;
			b->cap = cap;
		}
	}
}

char *wb_bpf_policy__format(const struct wb_bpf_policy *p)
{
	static const char *const unmatched[WB_RULE_KIND_CNT] = {
		[WB_RULE_HELPER] = "allowed",
		[WB_RULE_KFUNC] = "denied (grant each with --allow-kfunc)",
		[WB_RULE_PROG_TYPE] = "allowed",
		[WB_RULE_MAP_TYPE] = "allowed",
		[WB_RULE_ATTACH] = "allowed, unless their KIND has allow rules",
		[WB_RULE_PIN] = "denied (grant with --allow-pin)",
	};
	struct strbuf b = { 0 };
	char size[32];
	unsigned int k;
	size_t i;

	sb_printf(&b, "# effective eBPF policy: for each name, the last rule that matches "
		  "decides\n");
	for (k = 0; k < WB_RULE_KIND_CNT; k++) {
		for (i = 0; i < p->rule_cnt; i++) {
			const struct rule *r = &p->rules[i];

			if (r->kind == k)
				sb_printf(&b, "%-10s %-6s %-28s # %s\n", kind_names[k],
					  r->allow ? "allow" : "deny", r->pattern, r->origin);
		}
		sb_printf(&b, "%-10s %-6s %-28s # not matched: %s\n", kind_names[k], "-", "-",
			  unmatched[k]);
	}
	if (p->max_map_memory) {
		fmt_size(size, sizeof(size), p->max_map_memory);
		sb_printf(&b, "max-map-memory %" PRIu64 " (%s) # %s\n", p->max_map_memory, size,
			  p->max_origin ? p->max_origin : "API");
	} else {
		sb_printf(&b, "max-map-memory unlimited\n");
	}
	if (b.oom) {
		free(b.s);
		errno = ENOMEM;
		return NULL;
	}
	return b.s;
}

/* ---------------------------------------------------------------- checks */

static int add_reason(struct wb_bpf_verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int add_reason(struct wb_bpf_verdict *v, const char *fmt, ...)
{
	char **n, *s;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (len < 0)
		return -ENOMEM;
	n = realloc(v->reasons, (v->reason_cnt + 1) * sizeof(*n));
	if (!n) {
		free(s);
		return -ENOMEM;
	}
	v->reasons = n;
	v->reasons[v->reason_cnt++] = s;
	return 0;
}

void wb_bpf_verdict__clear(struct wb_bpf_verdict *v)
{
	uint32_t i;

	if (!v)
		return;
	for (i = 0; i < v->reason_cnt; i++)
		free(v->reasons[i]);
	free(v->reasons);
	v->reasons = NULL;
	v->reason_cnt = 0;
}

static const char *by(const struct rule *r)
{
	return r ? r->origin : DEFAULT_ORIGIN;
}

int wb_bpf_policy__check(const struct wb_bpf_policy *p, const struct wb_bpf_report *rep,
			 struct wb_bpf_verdict *v)
{
	const struct rule *r;
	uint32_t i, j;
	int ret = 0;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < rep->prog_cnt && !ret; i++) {
		const struct wb_bpf_report_prog *pr = &rep->progs[i];

		if (!pr->autoload)
			continue;
		if (!allowed(p, WB_RULE_PROG_TYPE, pr->type_name, &r))
			ret = add_reason(v, "program '%s' (section '%s') has type %s, denied by %s; "
					 "allow with --allow-prog-type %s", pr->name, pr->section,
					 pr->type_name, by(r), pr->type_name);
		for (j = 0; j < pr->helper_cnt && !ret; j++) {
			const char *hn = wb_bpf_helper_name(pr->helpers[j]);
			char num[16];

			snprintf(num, sizeof(num), "%u", pr->helpers[j]);
			if (allowed(p, WB_RULE_HELPER, hn ? hn : num, &r))
				continue;
			if (hn)
				ret = add_reason(v, "program '%s' calls helper %s (%u), denied by %s; "
						 "allow with --allow-helper %s", pr->name, hn,
						 pr->helpers[j], by(r), hn + 4);
			else
				ret = add_reason(v, "program '%s' calls helper #%u, denied by %s; "
						 "allow with --allow-helper %u", pr->name,
						 pr->helpers[j], by(r), pr->helpers[j]);
		}
		for (j = 0; j < pr->kfunc_cnt && !ret; j++) {
			if (allowed(p, WB_RULE_KFUNC, pr->kfuncs[j], &r))
				continue;
			ret = add_reason(v, "program '%s' calls kfunc %s, denied by %s%s; allow with "
					 "--allow-kfunc %s", pr->name, pr->kfuncs[j], by(r),
					 r ? "" : " (kfuncs need a grant)", pr->kfuncs[j]);
		}
	}
	for (i = 0; i < rep->map_cnt && !ret; i++) {
		const struct wb_bpf_report_map *m = &rep->maps[i];

		if (!allowed(p, WB_RULE_MAP_TYPE, m->type_name, &r))
			ret = add_reason(v, "map '%s' has type %s, denied by %s; allow with "
					 "--allow-map-type %s", m->name, m->type_name, by(r),
					 m->type_name);
		if (!ret && m->pin_path && !allowed(p, WB_RULE_PIN, m->pin_path, &r))
			ret = add_reason(v, "map '%s' would be pinned at %s, denied by %s%s; allow "
					 "with --allow-pin %s", m->name, m->pin_path, by(r),
					 r ? "" : " (pinning needs a grant)", m->pin_path);
	}
	if (!ret && p->max_map_memory && rep->map_memory > p->max_map_memory) {
		const struct wb_bpf_report_map *big = NULL;
		char total[32], cap[32], bigsz[32] = "";

		for (i = 0; i < rep->map_cnt; i++)
			if (!big || rep->maps[i].memory > big->memory)
				big = &rep->maps[i];
		fmt_size(total, sizeof(total), rep->map_memory);
		fmt_size(cap, sizeof(cap), p->max_map_memory);
		if (big)
			fmt_size(bigsz, sizeof(bigsz), big->memory);
		ret = add_reason(v, "maps need about %s of kernel memory%s%s%s%s%s, over the limit "
				 "of %s set by %s; raise it with --max-map-memory SIZE", total,
				 big ? " (largest: '" : "", big ? big->name : "",
				 big ? "', " : "", bigsz, big ? ")" : "", cap,
				 p->max_origin ? p->max_origin : "API");
	}
	if (ret) {
		wb_bpf_verdict__clear(v);
		return ret;
	}
	return v->reason_cnt ? -EPERM : 0;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* A path as the kernel will see it, so that "..", "//" and symlinks cannot dodge a pattern. */
static void canonical(const char *path, char *out, size_t out_sz)
{
	char buf[PATH_MAX];

	if (realpath(path, buf))
		snprintf(out, out_sz, "%s", buf);
	else
		snprintf(out, out_sz, "%s", path);
}

/*
 * The target of an attach request as "KIND" + value, or false if the
 * policy has no say (targets outside the kinds of attach_kinds[]).
 */
static bool attach_target(uint32_t type, const char *sec, const char *target, const char **kind,
			  char *val, size_t val_sz)
{
	const char *s;
	size_t n;

	if (target && *target) {
		switch (type) {
		case BPF_PROG_TYPE_XDP:
		case BPF_PROG_TYPE_SCHED_CLS:
		case BPF_PROG_TYPE_SOCKET_FILTER:
			*kind = "iface";
			n = strcspn(target, ":");
			snprintf(val, val_sz, "%.*s", (int)n, target);
			return true;
		case BPF_PROG_TYPE_CGROUP_SKB:
		case BPF_PROG_TYPE_CGROUP_SOCK:
		case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
		case BPF_PROG_TYPE_SOCK_OPS:
		case BPF_PROG_TYPE_CGROUP_DEVICE:
		case BPF_PROG_TYPE_CGROUP_SYSCTL:
		case BPF_PROG_TYPE_CGROUP_SOCKOPT:
			*kind = "cgroup";
			canonical(target, val, val_sz);
			return true;
		case BPF_PROG_TYPE_KPROBE:
			if (has_prefix(sec, "uprobe") || has_prefix(sec, "uretprobe")) {
				char bin[PATH_MAX];

				s = strrchr(target, ':');
				n = s ? (size_t)(s - target) : strlen(target);
				snprintf(bin, sizeof(bin), "%.*s", (int)n, target);
				*kind = "uprobe";
				canonical(bin, val, val_sz);
			} else {
				*kind = "kprobe";
				n = strcspn(target, "+");
				snprintf(val, val_sz, "%.*s", (int)n, target);
			}
			return true;
		case BPF_PROG_TYPE_TRACEPOINT: {
			char *p;

			*kind = "tracepoint";
			snprintf(val, val_sz, "%s", target);
			p = strchr(val, '/');
			if (p)
				*p = ':';
			return true;
		}
		case BPF_PROG_TYPE_RAW_TRACEPOINT:
			*kind = "raw_tracepoint";
			snprintf(val, val_sz, "%s", target);
			return true;
		default:
			break;	/* the target is ignored: the section decides */
		}
	}
	/* From the section name, as libbpf attaches it. */
	s = strchr(sec, '/');
	if (!s || !s[1])
		return false;
	s++;
	if (has_prefix(sec, "uprobe") || has_prefix(sec, "uretprobe")) {
		char bin[PATH_MAX];
		const char *c = strrchr(s, ':');

		if (!c)
			return false;
		snprintf(bin, sizeof(bin), "%.*s", (int)(c - s), s);
		*kind = "uprobe";
		canonical(bin, val, val_sz);
		return true;
	}
	if (has_prefix(sec, "kprobe/") || has_prefix(sec, "kretprobe/")) {
		*kind = "kprobe";
		n = strcspn(s, "+");
		snprintf(val, val_sz, "%.*s", (int)n, s);
		return true;
	}
	if (has_prefix(sec, "tp/") || has_prefix(sec, "tracepoint/")) {
		char *p;

		*kind = "tracepoint";
		snprintf(val, val_sz, "%s", s);
		p = strchr(val, '/');
		if (p)
			*p = ':';
		return true;
	}
	if (has_prefix(sec, "raw_tp") || has_prefix(sec, "raw_tracepoint")) {
		*kind = "raw_tracepoint";
		snprintf(val, val_sz, "%s", s);
		return true;
	}
	return false;
}

int wb_bpf_policy__check_attach(const struct wb_bpf_policy *p, const char *prog,
				uint32_t prog_type, const char *section, const char *target,
				char *msg, size_t msg_sz)
{
	const struct rule *found = NULL;
	bool kind_has_allow = false;
	const char *kind = NULL;
	char val[PATH_MAX], full[PATH_MAX + 32];
	size_t i, klen;

	if (!attach_target(prog_type, section ? section : "", target, &kind, val, sizeof(val)))
		return 0;
	klen = strlen(kind);
	snprintf(full, sizeof(full), "%s:%s", kind, val);
	for (i = 0; i < p->rule_cnt; i++) {
		const struct rule *r = &p->rules[i];

		if (r->kind != WB_RULE_ATTACH || strncmp(r->pattern, kind, klen) ||
		    r->pattern[klen] != ':')
			continue;
		if (r->allow)
			kind_has_allow = true;
		if (!fnmatch(r->pattern + klen + 1, val, 0))
			found = r;
	}
	if (found ? found->allow : !kind_has_allow)
		return 0;
	if (found)
		wb_bpf_msg(msg, msg_sz, "program '%s' may not attach to %s, denied by %s; allow with "
			"--allow-attach %s", prog, full, found->origin, full);
	else
		wb_bpf_msg(msg, msg_sz, "program '%s' may not attach to %s: no --allow-attach %s:... "
			"pattern matches it; allow with --allow-attach %s", prog, full, kind, full);
	return -EPERM;
}

/* ---------------------------------------------------------------- JSON files */

/* Line and column (1-based) of byte offset off of text. */
static void line_col(const char *text, size_t len, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/*
 * json-c keeps no positions: the line of a key or string value is that of
 * its first occurrence as a JSON string in the text (good enough to point
 * at the culprit in a hand-written policy).
 */
static int line_of(const char *text, size_t len, const char *s)
{
	size_t n = strlen(s), i;
	int line = 1;

	for (i = 0; i + n + 2 <= len; i++) {
		if (text[i] == '\n')
			line++;
		if (text[i] == '"' && !memcmp(text + i + 1, s, n) && text[i + 1 + n] == '"')
			return line;
	}
	return 1;
}

struct json_ctx {
	struct wb_bpf_policy *p;
	const char *text;
	size_t len;
	const char *name;
	char *err;
	size_t err_sz;
};

static int json_fail(struct json_ctx *c, const char *anchor, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int json_fail(struct json_ctx *c, const char *anchor, const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	wb_bpf_msg(c->err, c->err_sz, "%s:%d: %s", c->name, line_of(c->text, c->len, anchor),
		reason);
	return -EINVAL;
}

static int json_rule(struct json_ctx *c, enum wb_bpf_rule_kind kind, bool allow,
		     const char *key, struct json_object *v)
{
	char origin[PATH_MAX + 32], reason[256];
	const char *s;
	int ret;

	if (!json_object_is_type(v, json_type_string))
		return json_fail(c, key, "\"%s\": expected strings (names or glob patterns)", key);
	s = json_object_get_string(v);
	snprintf(origin, sizeof(origin), "%s:%d", c->name, line_of(c->text, c->len, s));
	ret = wb_bpf_policy__add(c->p, kind, allow, s, origin, reason, sizeof(reason));
	if (ret == -EINVAL)
		return json_fail(c, s, "%s", reason);
	return ret;
}

static int json_rules(struct json_ctx *c, enum wb_bpf_rule_kind kind, const char *key,
		      struct json_object *v)
{
	/* Deny lists first, so that an allow list in the same file wins over them. */
	static const char *const order[] = { "deny", "allow" };
	struct json_object *list;
	unsigned int o;
	size_t i, n;
	int ret;

	if (!json_object_is_type(v, json_type_object))
		return json_fail(c, key, "\"%s\": expected an object {\"allow\": [...], "
				 "\"deny\": [...]}", key);
	json_object_object_foreach(v, k, val) {
		(void)val;
		if (strcmp(k, "allow") && strcmp(k, "deny"))
			return json_fail(c, k, "\"%s\": unknown key \"%s\" (want \"allow\" or "
					 "\"deny\")", key, k);
	}
	for (o = 0; o < 2; o++) {
		bool allow = o == 1;

		if (!json_object_object_get_ex(v, order[o], &list))
			continue;
		if (json_object_is_type(list, json_type_string)) {
			ret = json_rule(c, kind, allow, key, list);
			if (ret)
				return ret;
			continue;
		}
		if (!json_object_is_type(list, json_type_array))
			return json_fail(c, order[o], "\"%s\".\"%s\": expected an array of strings",
					 key, order[o]);
		n = json_object_array_length(list);
		for (i = 0; i < n; i++) {
			ret = json_rule(c, kind, allow, key,
					json_object_array_get_idx(list, i));
			if (ret)
				return ret;
		}
	}
	return 0;
}

static const struct {
	const char *key;
	enum wb_bpf_rule_kind kind;
} json_kinds[] = {
	{ "helpers", WB_RULE_HELPER },
	{ "kfuncs", WB_RULE_KFUNC },
	{ "prog_types", WB_RULE_PROG_TYPE },
	{ "map_types", WB_RULE_MAP_TYPE },
	{ "attach", WB_RULE_ATTACH },
	{ "pin", WB_RULE_PIN },
};

static int json_policy(struct json_ctx *c, struct json_object *root)
{
	size_t i;
	int ret;

	if (!json_object_is_type(root, json_type_object)) {
		wb_bpf_msg(c->err, c->err_sz, "%s:1:1: expected a JSON object", c->name);
		return -EINVAL;
	}
	json_object_object_foreach(root, key, val) {
		if (!strcmp(key, "max_map_memory")) {
			char origin[PATH_MAX + 32];
			uint64_t bytes;

			if (json_object_is_type(val, json_type_int) &&
			    json_object_get_int64(val) >= 0) {
				bytes = (uint64_t)json_object_get_int64(val);
			} else if (!json_object_is_type(val, json_type_string) ||
				   wb_bpf_parse_size(json_object_get_string(val), &bytes)) {
				return json_fail(c, key, "\"max_map_memory\": expected a size "
						 "(bytes, or a string such as \"64M\")");
			}
			snprintf(origin, sizeof(origin), "%s:%d", c->name,
				 line_of(c->text, c->len, key));
			wb_bpf_policy__set_max_map_memory(c->p, bytes, origin);
			continue;
		}
		if (!strcmp(key, "comment") || key[0] == '#')
			continue;
		for (i = 0; i < sizeof(json_kinds) / sizeof(json_kinds[0]); i++)
			if (!strcmp(key, json_kinds[i].key))
				break;
		if (i == sizeof(json_kinds) / sizeof(json_kinds[0]))
			return json_fail(c, key, "unknown key \"%s\" (want helpers, kfuncs, "
					 "prog_types, map_types, attach, pin, max_map_memory)", key);
		ret = json_rules(c, json_kinds[i].kind, key, val);
		if (ret)
			return ret;
	}
	return 0;
}

int wb_bpf_policy__load_json(struct wb_bpf_policy *p, const char *text, size_t len,
			     const char *name, char *err, size_t err_sz)
{
	struct json_ctx c = { .p = p, .text = text, .len = len, .name = name, .err = err,
			      .err_sz = err_sz };
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error jerr;
	size_t end;
	int line, col, ret;

	if (len > INT_MAX) {
		wb_bpf_msg(err, err_sz, "%s: too large", name);
		return -EINVAL;
	}
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (!root || jerr != json_tokener_success) {
		if (jerr == json_tokener_continue)
			end = len;
		line_col(text, len, end, &line, &col);
		wb_bpf_msg(err, err_sz, "%s:%d:%d: %s", name, line, col,
			jerr == json_tokener_continue ? "unexpected end of file (unclosed { or [?)"
						      : json_tokener_error_desc(jerr));
		json_object_put(root);
		json_tokener_free(tok);
		return -EINVAL;
	}
	while (end < len && strchr(" \t\r\n", text[end]))
		end++;
	if (end < len) {
		line_col(text, len, end, &line, &col);
		wb_bpf_msg(err, err_sz, "%s:%d:%d: unexpected text after the policy object", name,
			line, col);
		json_object_put(root);
		json_tokener_free(tok);
		return -EINVAL;
	}
	json_tokener_free(tok);
	ret = json_policy(&c, root);
	json_object_put(root);
	return ret;
}

int wb_bpf_policy__load_file(struct wb_bpf_policy *p, const char *path, char *err,
			     size_t err_sz)
{
	char *text = NULL, *n;
	size_t len = 0, cap = 0;
	FILE *f;
	int ret;

	f = fopen(path, "re");
	if (!f) {
		ret = -errno;
		wb_bpf_msg(err, err_sz, "%s: %s", path, strerror(errno));
		return ret;
	}
	for (;;) {
		size_t got;

		if (len + 4096 > cap) {
			cap = (cap + 4096) * 2;
			if (cap > (16u << 20)) {
				wb_bpf_msg(err, err_sz, "%s: too large for a policy file", path);
				ret = -EFBIG;
				goto out;
			}
			n = realloc(text, cap);
			if (!n) {
				ret = -ENOMEM;
				goto out;
			}
			text = n;
		}
		got = fread(text + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		ret = -EIO;
		wb_bpf_msg(err, err_sz, "%s: read error", path);
		goto out;
	}
	ret = wb_bpf_policy__load_json(p, text, len, path, err, err_sz);
out:
	free(text);
	fclose(f);
	return ret;
}

/* ---------------------------------------------------------------- host enforcement */

static struct wb_bpf_policy *default_policy;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void make_default(void)
{
	default_policy = wb_bpf_policy__new();
}

/* The host's policy: its own, or the default one (built once, kept for the process). */
static const struct wb_bpf_policy *host_policy(struct wb_bpf_host *h)
{
	/* wb_bpf_host__new zero-fills the options an older caller did not pass. */
	if (h->opts.policy)
		return h->opts.policy;
	pthread_once(&default_once, make_default);
	return default_policy;
}

int wb_bpf_policy_enforce_load(struct wb_bpf_host *h, struct wb_bpf_obj *o)
{
	const struct wb_bpf_policy *p = host_policy(h);
	struct wb_bpf_verdict v = { 0 };
	struct wb_bpf_report *rep = NULL;
	char err[256];
	uint32_t i;
	int ret;

	if (!p) {
		wb_bpf_set_error(h, "%s: no eBPF policy (out of memory)", h->module_name);
		return -ENOMEM;
	}
	ret = wb_bpf_inspect_object(o->obj, o->elf, o->elf_sz, &rep, err, sizeof(err));
	if (ret) {
		/* What cannot be inspected is not loaded. */
		wb_bpf_set_error(h, "%s: cannot inspect the eBPF object: %s", h->module_name, err);
		wb_bpf_log(h, WB_BPF_LOG_WARN, "%s\n", h->last_error);
		return ret == -ENOMEM ? ret : -EPERM;
	}
	ret = wb_bpf_policy__check(p, rep, &v);
	if (ret == -EPERM) {
		wb_bpf_set_error(h, "%s: %s", h->module_name, v.reasons[0]);
		wb_bpf_log(h, WB_BPF_LOG_WARN, "%s\n", h->last_error);
		for (i = 1; i < v.reason_cnt; i++)
			wb_bpf_log(h, WB_BPF_LOG_WARN, "%s: also: %s\n", h->module_name,
				   v.reasons[i]);
	} else if (ret) {
		wb_bpf_set_error(h, "%s: checking the eBPF policy: %s", h->module_name,
				 strerror(-ret));
	} else {
		wb_bpf_log(h, WB_BPF_LOG_INFO, "%s: eBPF object allowed by the policy: %u "
			   "programs, %u maps\n", h->module_name, rep->prog_cnt, rep->map_cnt);
	}
	wb_bpf_verdict__clear(&v);
	wb_bpf_report__free(rep);
	return ret;
}

int wb_bpf_policy_enforce_attach(struct wb_bpf_host *h, const struct bpf_program *prog,
				 const char *target)
{
	const struct wb_bpf_policy *p = host_policy(h);
	char msg[PATH_MAX + 256];
	int ret;

	if (!p)
		return -ENOMEM;
	ret = wb_bpf_policy__check_attach(p, bpf_program__name(prog), bpf_program__type(prog),
					  bpf_program__section_name(prog), target, msg,
					  sizeof(msg));
	if (ret) {
		wb_bpf_set_error(h, "%s: %s", h->module_name, msg);
		wb_bpf_log(h, WB_BPF_LOG_WARN, "%s\n", h->last_error);
	}
	return ret;
}
