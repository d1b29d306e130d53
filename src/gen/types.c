/* SPDX-License-Identifier: MIT */
/*
 * `gen types`: pick the BTF types of an eBPF object that a guest shares with
 * its eBPF programs (or the ones asked for by name) and write them as a
 * wasm32 header, or as a program that checks that header's layout at run
 * time.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <wasm-bpf/gen.h>

#include "gen_internal.h"

#define DEFAULT_KERNEL_BTF "/sys/kernel/btf/vmlinux"

struct roots {
	__u32 *ids;
	size_t cnt, cap;
};

static int roots_add(struct roots *r, __u32 id)
{
	size_t i;
	__u32 *n;

	for (i = 0; i < r->cnt; i++)
		if (r->ids[i] == id)
			return 0;
	if (r->cnt == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		n = realloc(r->ids, r->cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		r->ids = n;
	}
	r->ids[r->cnt++] = id;
	return 0;
}

static const char *name_of(const struct btf *btf, __u32 id)
{
	const char *s = btf__name_by_offset(btf, btf__type_by_id(btf, id)->name_off);

	return s ? s : "";
}

/* Types worth a definition of their own: named aggregates, enums, kept typedefs. */
static bool definable(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	if (!t || !*name_of(btf, id))
		return false;
	if (btf_is_composite(t) || btf_is_any_enum(t))
		return true;
	return wb_ctypes__keeps_typedef(btf, id);
}

/* Whether the kernel BTF has a type of the same kind, name and size. */
static bool is_kernel_type(const struct btf *kbtf, const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id), *kt;
	__s32 kid;

	if (!kbtf)
		return false;
	kid = btf__find_by_name_kind(kbtf, name_of(btf, id), btf_kind(t));
	if (kid < 0 && btf_is_any_enum(t))
		kid = btf__find_by_name_kind(kbtf, name_of(btf, id),
					     btf_is_enum(t) ? BTF_KIND_ENUM64 : BTF_KIND_ENUM);
	if (kid <= 0)
		return false;
	kt = btf__type_by_id(kbtf, kid);
	if (btf_is_typedef(t))
		return true;
	return kt->size == t->size;
}

/* The key and value types of the maps in ".maps", as far as they are definable. */
static int add_map_types(const struct btf *btf, struct roots *r)
{
	__s32 sec = btf__find_by_name_kind(btf, ".maps", BTF_KIND_DATASEC);
	const struct btf_var_secinfo *vs;
	const struct btf_type *ds;
	int i, j, err;

	if (sec <= 0)
		return 0;
	ds = btf__type_by_id(btf, sec);
	for (i = 0, vs = btf_var_secinfos(ds); i < btf_vlen(ds); i++, vs++) {
		const struct btf_type *v = btf__type_by_id(btf, vs->type);
		const struct btf_type *def;
		const struct btf_member *m;

		if (!v || !btf_is_var(v))
			continue;
		def = btf__type_by_id(btf, btf__resolve_type(btf, v->type));
		if (!def || !btf_is_struct(def))
			continue;
		for (j = 0, m = btf_members(def); j < btf_vlen(def); j++, m++) {
			const char *mn = btf__name_by_offset(btf, m->name_off);
			const struct btf_type *p = btf__type_by_id(btf, m->type);
			__u32 id;

			if (!mn || (strcmp(mn, "key") && strcmp(mn, "value")) || !p ||
			    !btf_is_ptr(p))
				continue;
			/* Skip modifiers; keep a typedef when it names the type. */
			id = p->type;
			for (;;) {
				const struct btf_type *x = btf__type_by_id(btf, id);

				if (!x || !(btf_is_mod(x) || btf_is_type_tag(x) ||
					    (btf_is_typedef(x) && !definable(btf, id))))
					break;
				id = x->type;
			}
			if (definable(btf, id)) {
				err = roots_add(r, id);
				if (err)
					return err;
			}
		}
	}
	return 0;
}

static int add_own_types(const struct btf *btf, const struct btf *kbtf, struct roots *r)
{
	__u32 id, n = btf__type_cnt(btf);
	int err;

	for (id = 1; id < n; id++) {
		if (!definable(btf, id) || is_kernel_type(kbtf, btf, id))
			continue;
		err = roots_add(r, id);
		if (err)
			return err;
	}
	return 0;
}

/* "foo", "struct foo", "union foo", "enum foo" or "typedef foo". */
static __s32 find_named(const struct btf *btf, const char *spec)
{
	static const struct {
		const char *kw;
		int kinds[2];
	} kws[] = {
		{ "struct ", { BTF_KIND_STRUCT, BTF_KIND_STRUCT } },
		{ "union ", { BTF_KIND_UNION, BTF_KIND_UNION } },
		{ "enum ", { BTF_KIND_ENUM, BTF_KIND_ENUM64 } },
		{ "typedef ", { BTF_KIND_TYPEDEF, BTF_KIND_TYPEDEF } },
	};
	/* A FWD last: defining it then fails with a clear reason. */
	static const int any[] = { BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_ENUM,
				   BTF_KIND_ENUM64, BTF_KIND_TYPEDEF, BTF_KIND_FWD };
	size_t i, j;
	__s32 id;

	for (i = 0; i < sizeof(kws) / sizeof(kws[0]); i++) {
		size_t n = strlen(kws[i].kw);

		if (strncmp(spec, kws[i].kw, n))
			continue;
		for (j = 0; j < 2; j++) {
			id = btf__find_by_name_kind(btf, spec + n, kws[i].kinds[j]);
			if (id > 0)
				return id;
		}
		return -ENOENT;
	}
	for (i = 0; i < sizeof(any) / sizeof(any[0]); i++) {
		id = btf__find_by_name_kind(btf, spec, any[i]);
		if (id > 0)
			return id;
	}
	return -ENOENT;
}

static const struct btf *sort_btf;

static int cmp_roots(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;
	int c = strcmp(name_of(sort_btf, x), name_of(sort_btf, y));

	if (c)
		return c;
	return (int)btf_kind(btf__type_by_id(sort_btf, x)) -
	       (int)btf_kind(btf__type_by_id(sort_btf, y));
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* NASTY_BPF_O -> include guard from the object's file name. */
static void make_guard(const char *obj_path, char *buf, size_t sz)
{
	const char *b = base_name(obj_path);
	size_t i, n = 0;

	if (sz < 16)
		return;
	if (isdigit((unsigned char)*b))
		buf[n++] = '_';
	for (i = 0; b[i] && n < sz - 16; i++) {
		if (!strcmp(b + i, ".o"))
			break;
		buf[n++] = isalnum((unsigned char)b[i]) ? toupper((unsigned char)b[i]) : '_';
	}
	snprintf(buf + n, sz - n, "_TYPES_H");
}

static const char check_prologue[] =
	"#include <stdio.h>\n"
	"#include <string.h>\n"
	"\n"
	"static volatile long long wb_ones = -1;\n"
	"static int wb_cnt, wb_bad;\n"
	"\n"
	"static void wb_field(const char *what, size_t off, size_t sz, size_t want_off,\n"
	"\t\t     size_t want_sz)\n"
	"{\n"
	"\twb_cnt++;\n"
	"\tif (off == want_off && sz == want_sz)\n"
	"\t\treturn;\n"
	"\twb_bad++;\n"
	"\tprintf(\"MISMATCH %s: offset %zu size %zu, BPF has offset %zu size %zu\\n\",\n"
	"\t       what, off, sz, want_off, want_sz);\n"
	"}\n"
	"\n"
	"/* A bitfield set to all ones in a zeroed struct: which bits did it set? */\n"
	"static void wb_bits(const char *what, const void *p, size_t n, unsigned int want_off,\n"
	"\t\t    unsigned int want_sz)\n"
	"{\n"
	"\tconst unsigned char *b = p;\n"
	"\tunsigned int i, first = ~0u, last = 0, cnt = 0;\n"
	"\n"
	"\tfor (i = 0; i < n * 8; i++) {\n"
	"\t\tif (!(b[i / 8] >> (i % 8) & 1))\n"
	"\t\t\tcontinue;\n"
	"\t\tif (first == ~0u)\n"
	"\t\t\tfirst = i;\n"
	"\t\tlast = i;\n"
	"\t\tcnt++;\n"
	"\t}\n"
	"\twb_cnt++;\n"
	"\tif (first == want_off && cnt == want_sz && last == want_off + want_sz - 1)\n"
	"\t\treturn;\n"
	"\twb_bad++;\n"
	"\tprintf(\"MISMATCH %s: bits %u..%u (%u set), BPF has bit %u width %u\\n\",\n"
	"\t       what, first, last, cnt, want_off, want_sz);\n"
	"}\n"
	"\n"
	"int main(void)\n"
	"{\n";

int wb_gen_types(const char *obj_path, FILE *out, const struct wb_gen_types_opts *opts)
{
	const struct wb_gen_types_opts def = { .sz = sizeof(def) };
	struct btf *btf = NULL, *kbtf = NULL;
	struct wb_ctypes *ct = NULL;
	struct roots r = { 0 };
	const char *kpath;
	char guard[256];
	size_t i;
	int err;

	if (!opts)
		opts = &def;
	if (!obj_path || !out)
		return -EINVAL;
	btf = btf__parse(obj_path, NULL);
	if (!btf) {
		err = -errno;
		wb_gen_err(opts->err_buf, opts->err_buf_sz, "%s: cannot read BTF: %s", obj_path,
			   strerror(errno));
		goto out;
	}
	if (opts->types && opts->type_cnt) {
		for (i = 0; i < opts->type_cnt; i++) {
			__s32 id = find_named(btf, opts->types[i]);

			if (id < 0) {
				err = -ENOENT;
				wb_gen_err(opts->err_buf, opts->err_buf_sz,
					   "%s: no type '%s' in the BTF", obj_path, opts->types[i]);
				goto out;
			}
			err = roots_add(&r, id);
			if (err)
				goto out;
		}
	} else {
		kpath = opts->kernel_btf ? opts->kernel_btf : DEFAULT_KERNEL_BTF;
		if (*kpath) {
			kbtf = btf__parse(kpath, NULL);
			if (!kbtf && opts->kernel_btf) {
				err = -errno;
				wb_gen_err(opts->err_buf, opts->err_buf_sz,
					   "%s: cannot read kernel BTF: %s", kpath,
					   strerror(errno));
				goto out;
			}
		}
		err = add_map_types(btf, &r);
		if (!err)
			err = add_own_types(btf, kbtf, &r);
		if (err)
			goto out;
		sort_btf = btf;
		if (r.cnt)
			qsort(r.ids, r.cnt, sizeof(*r.ids), cmp_roots);
	}

	ct = wb_ctypes__new(btf, out, opts->layout_check ? WB_CTYPES_CHECK : WB_CTYPES_DEFINE,
			    opts->err_buf, opts->err_buf_sz);
	if (!ct) {
		err = -errno;
		goto out;
	}
	if (opts->layout_check) {
		fprintf(out,
			"/* Generated by wasm-bpf gen types --layout-check from %s: do not edit. */\n"
			"#include \"%s\"\n\n%s",
			base_name(obj_path), opts->layout_check, check_prologue);
	} else {
		if (opts->guard)
			snprintf(guard, sizeof(guard), "%s", opts->guard);
		else
			make_guard(obj_path, guard, sizeof(guard));
		fprintf(out,
			"/* Generated by wasm-bpf gen types from %s: do not edit. */\n"
			"/*\n"
			" * BTF types laid out for wasm32 exactly as the BPF target lays them out:\n"
			" * pointers and long are 64-bit integers, enum fields are integers of the\n"
			" * enum's size, and every hole is an explicit padding field.\n"
			" */\n"
			"#ifndef %s\n#define %s\n\n"
			"#include <assert.h>\n#include <stdbool.h>\n#include <stddef.h>\n"
			"#include <stdint.h>\n\n",
			base_name(obj_path), guard, guard);
	}
	for (i = 0; i < r.cnt; i++) {
		err = wb_ctypes__define(ct, r.ids[i]);
		if (err)
			goto out;
	}
	if (opts->layout_check)
		fprintf(out,
			"\tprintf(\"layout: %%d checks, %%d mismatches\\n\", wb_cnt, wb_bad);\n"
			"\treturn wb_bad ? 1 : 0;\n}\n");
	else
		fprintf(out, "#endif /* %s */\n", guard);
	err = ferror(out) ? -EIO : 0;
out:
	wb_ctypes__free(ct);
	free(r.ids);
	btf__free(kbtf);
	btf__free(btf);
	return err;
}
