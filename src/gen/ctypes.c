/* SPDX-License-Identifier: MIT */
/*
 * The BTF-to-C emitter of the generators: C definitions of BTF types that a
 * wasm32 compiler lays out exactly as the BPF target did, their
 * _Static_asserts, and the statements of a run-time layout check.
 *
 * The layout is reproduced, not hoped for: every field gets a type of the
 * same size and alignment on both targets (fixed-width integers; pointers and
 * long as 64-bit integers), every hole an explicit padding field, and the
 * emitter simulates the compiler's placement of each field (the SysV rules
 * that clang applies to both BPF and wasm32, bitfields included). Where the
 * simulation cannot put a field where BTF says it is, the struct is declared
 * packed, with its BPF alignment given back by aligned(N); with all holes
 * explicit, a packed struct places every field exactly.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gen_internal.h"

#define MAX_DIMS	8
#define MAX_PATH	512
/* Bound on chains of modifiers, typedefs and nested anonymous types: BTF from a file may loop. */
#define MAX_DEPTH	64

enum { DEF_NONE, DEF_BUSY, DEF_DONE };

/* How a struct or union is declared for wasm32. */
struct lay {
	bool done;
	bool busy;		/* being laid out: a cycle means broken BTF */
	bool packed;
	unsigned int align;	/* alignment of the declaration on wasm32 */
	unsigned int attr_align;	/* aligned(N) to add when packed, 0 none */
};

/*
 * C names already used, so that two BTF types of one name (a kernel BTF has
 * several `struct port`) get distinct ones: the second is name___2, as
 * bpftool's vmlinux.h does. Open addressing; the strings are owned.
 */
struct nameset {
	char **slots;
	size_t cap, cnt;
};

static size_t name_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static bool nameset_has(const struct nameset *ns, const char *name)
{
	size_t i;

	if (!ns->cap)
		return false;
	for (i = name_hash(name) & (ns->cap - 1); ns->slots[i]; i = (i + 1) & (ns->cap - 1))
		if (!strcmp(ns->slots[i], name))
			return true;
	return false;
}

/* Add @name (copied); 0 or -ENOMEM. */
static int nameset_add(struct nameset *ns, const char *name)
{
	size_t i;

	if (2 * (ns->cnt + 1) > ns->cap) {
		struct nameset bigger = { .cap = ns->cap ? ns->cap * 2 : 256 };

		bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
		if (!bigger.slots)
			return -ENOMEM;
		for (i = 0; i < ns->cap; i++) {
			size_t j;

			if (!ns->slots[i])
				continue;
			for (j = name_hash(ns->slots[i]) & (bigger.cap - 1); bigger.slots[j];
			     j = (j + 1) & (bigger.cap - 1))
				;
			bigger.slots[j] = ns->slots[i];
		}
		free(ns->slots);
		ns->slots = bigger.slots;
		ns->cap = bigger.cap;
	}
	for (i = name_hash(name) & (ns->cap - 1); ns->slots[i]; i = (i + 1) & (ns->cap - 1))
		;
	ns->slots[i] = strdup(name);
	if (!ns->slots[i])
		return -ENOMEM;
	ns->cnt++;
	return 0;
}

static void nameset_free(struct nameset *ns)
{
	size_t i;

	for (i = 0; i < ns->cap; i++)
		free(ns->slots[i]);
	free(ns->slots);
}

/*
 * A name not yet in @ns, based on @base: @base itself or base___N.
 * Returns a malloc'd string, added to @ns, or NULL.
 */
static char *unique_name(struct nameset *ns, const char *base)
{
	char *name = NULL;
	int n;

	for (n = 1; n < 10000; n++) {
		free(name);
		if (n == 1)
			name = strdup(base);
		else if (asprintf(&name, "%s___%d", base, n) < 0)
			name = NULL;
		if (!name)
			return NULL;
		if (nameset_has(ns, name))
			continue;
		if (nameset_add(ns, name)) {
			free(name);
			return NULL;
		}
		return name;
	}
	free(name);
	return NULL;
}

struct wb_ctypes {
	const struct btf *btf;
	FILE *out;
	enum wb_ctypes_mode mode;
	char *err;
	size_t err_sz;
	__u32 nr;		/* number of type ids, including void */
	unsigned char *state;
	struct lay *lay;
	unsigned int pad_idx;	/* padding fields of the current definition */
	char **names;		/* per type id: its C name once defined */
	struct nameset tags;	/* struct, union and enum tags in use */
	struct nameset idents;	/* typedef names and enumerators in use */
};

void wb_gen_err(char *buf, size_t sz, const char *fmt, ...)
{
	va_list ap;

	if (!buf || !sz)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sz, fmt, ap);
	va_end(ap);
}

bool wb_gen_is_ident(const char *s)
{
	const char *p;

	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return false;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

static const char *tname(const struct btf *btf, const struct btf_type *t)
{
	const char *s = btf__name_by_offset(btf, t->name_off);

	return s ? s : "";
}

/* The C name of a defined type (its BTF name unless that was taken). */
static const char *cname(const struct wb_ctypes *ct, __u32 id)
{
	if (id < ct->nr && ct->names[id])
		return ct->names[id];
	return tname(ct->btf, btf__type_by_id(ct->btf, id));
}

/* Skip const, volatile, restrict and type tags (not typedefs). */
static __u32 skip_mods(const struct btf *btf, __u32 id)
{
	const struct btf_type *t;
	int n = 0;

	while ((t = btf__type_by_id(btf, id)) &&
	       (btf_is_mod(t) || btf_is_type_tag(t))) {
		if (++n > MAX_DEPTH)
			return 0;
		id = t->type;
	}
	return id;
}

static __u32 strip(const struct btf *btf, __u32 id);

/* The element type under any arrays (stripped), 0 if the chain does not end. */
static __u32 array_base(const struct btf *btf, __u32 id)
{
	const struct btf_type *t;
	int n;

	id = strip(btf, id);
	for (n = 0; n < MAX_DEPTH; n++) {
		t = btf__type_by_id(btf, id);
		if (!t || !btf_is_array(t))
			return id;
		id = strip(btf, btf_array(t)->type);
	}
	return 0;
}

/* Skip modifiers and typedefs. */
static __u32 skip_typedefs(const struct btf *btf, __u32 id)
{
	const struct btf_type *t;
	int n;

	for (n = 0; n < MAX_DEPTH; n++) {
		id = skip_mods(btf, id);
		t = btf__type_by_id(btf, id);
		if (!t || !btf_is_typedef(t))
			return id;
		id = t->type;
	}
	return 0;
}

bool wb_ctypes__keeps_typedef(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	if (!t || !btf_is_typedef(t) || !*tname(btf, t))
		return false;
	t = btf__type_by_id(btf, skip_typedefs(btf, id));
	return t && btf_is_composite(t);
}

/*
 * Skip modifiers and the typedefs the emitter does not keep: typedefs of
 * integers, enums, pointers and arrays are replaced by what they name, so
 * that the header needs no kernel typedef and no 32-bit `long`.
 */
static __u32 strip(const struct btf *btf, __u32 id)
{
	const struct btf_type *t;
	int n;

	for (n = 0; n < MAX_DEPTH; n++) {
		id = skip_mods(btf, id);
		t = btf__type_by_id(btf, id);
		if (!t || !btf_is_typedef(t) || wb_ctypes__keeps_typedef(btf, id))
			return id;
		id = t->type;
	}
	return 0;
}

static int ct_fail(struct wb_ctypes *ct, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int ct_fail(struct wb_ctypes *ct, int err, const char *fmt, ...)
{
	va_list ap;

	if (ct->err && ct->err_sz) {
		va_start(ap, fmt);
		vsnprintf(ct->err, ct->err_sz, fmt, ap);
		va_end(ap);
	}
	return err;
}

static void indent(struct wb_ctypes *ct, int n)
{
	while (n-- > 0)
		fputc('\t', ct->out);
}

static bool enum_signed(const struct btf_type *t)
{
	const struct btf_enum *e;
	int i;

	if (btf_kflag(t))
		return true;
	if (!btf_is_enum(t))
		return false;
	/* Older compilers do not flag signed enums; a negative value tells. */
	for (i = 0, e = btf_enum(t); i < btf_vlen(t); i++, e++)
		if (e->val < 0)
			return true;
	return false;
}

static const char *fixed_int(unsigned int size, bool is_signed)
{
	switch (size) {
	case 1:
		return is_signed ? "int8_t" : "uint8_t";
	case 2:
		return is_signed ? "int16_t" : "uint16_t";
	case 4:
		return is_signed ? "int32_t" : "uint32_t";
	case 8:
		return is_signed ? "int64_t" : "uint64_t";
	case 16:
		return is_signed ? "__int128" : "unsigned __int128";
	default:
		return NULL;
	}
}

/* The C type of a BTF integer; *is_long when the original type was `long`. */
static const char *int_type(const struct btf *btf, const struct btf_type *t, bool *is_long)
{
	const char *name = tname(btf, t);
	__u8 enc = btf_int_encoding(t);

	*is_long = strstr(name, "long") && !strstr(name, "long long");
	if (enc & BTF_INT_BOOL)
		return t->size == 1 ? "_Bool" : fixed_int(t->size, false);
	if (t->size == 1 && !strcmp(name, "char"))
		return "char";
	return fixed_int(t->size, enc & BTF_INT_SIGNED);
}

/* A short description of a type for comments: "struct task_struct *". */
static void describe(const struct btf *btf, __u32 id, char *buf, size_t sz, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	char sub[128];

	if (!id || !t) {
		snprintf(buf, sz, "void");
		return;
	}
	if (depth > 4) {
		snprintf(buf, sz, "...");
		return;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		describe(btf, t->type, buf, sz, depth);
		return;
	case BTF_KIND_PTR:
		describe(btf, t->type, sub, sizeof(sub), depth + 1);
		snprintf(buf, sz, "%.100s *", sub);
		return;
	case BTF_KIND_ARRAY:
		describe(btf, btf_array(t)->type, sub, sizeof(sub), depth + 1);
		snprintf(buf, sz, "%.100s[%u]", sub, btf_array(t)->nelems);
		return;
	case BTF_KIND_FUNC_PROTO:
		snprintf(buf, sz, "function");
		return;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD: {
		const char *kw = btf_is_union(t) ? "union" : btf_is_any_enum(t) ? "enum" : "struct";

		if (btf_is_fwd(t) && btf_kflag(t))
			kw = "union";
		snprintf(buf, sz, "%s %s", kw, *tname(btf, t) ? tname(btf, t) : "(anon)");
		return;
	}
	default:
		snprintf(buf, sz, "%s", *tname(btf, t) ? tname(btf, t) : "?");
		return;
	}
}

static int type_align(struct wb_ctypes *ct, __u32 id);
static int layout(struct wb_ctypes *ct, __u32 id);

/* Collect the members of a struct or union; *out is malloc'd (NULL if none). */
static int get_members(struct wb_ctypes *ct, __u32 id, struct wb_cmember **out, size_t *cnt)
{
	const struct btf_type *t = btf__type_by_id(ct->btf, id);
	const struct btf_member *bm;
	struct wb_cmember *m;
	int i, n = btf_vlen(t);

	*out = NULL;
	*cnt = 0;
	if (!n)
		return 0;
	m = calloc(n, sizeof(*m));
	if (!m)
		return -ENOMEM;
	for (i = 0, bm = btf_members(t); i < n; i++, bm++) {
		const struct btf_type *mt;

		m[i].name = btf__name_by_offset(ct->btf, bm->name_off);
		if (!m[i].name)
			m[i].name = "";
		m[i].type_id = bm->type;
		m[i].bit_off = btf_member_bit_offset(t, i);
		m[i].bit_sz = btf_member_bitfield_size(t, i);
		/* Old-style bitfields: the width is in the integer type. */
		mt = btf__type_by_id(ct->btf, skip_typedefs(ct->btf, bm->type));
		if (!m[i].bit_sz && mt && btf_is_int(mt) &&
		    btf_int_bits(mt) != mt->size * 8) {
			m[i].bit_sz = btf_int_bits(mt);
			m[i].bit_off += btf_int_offset(mt);
		}
	}
	*out = m;
	*cnt = n;
	return 0;
}

/* Size in bytes of a field's type on both targets. */
static long long type_size(struct wb_ctypes *ct, __u32 id)
{
	return btf__resolve_size(ct->btf, id);
}

/* Alignment of the emitted C type of a field on wasm32 (also bitfields). */
static int type_align(struct wb_ctypes *ct, __u32 id)
{
	const struct btf_type *t;
	int err;

	id = skip_typedefs(ct->btf, array_base(ct->btf, id));
	t = btf__type_by_id(ct->btf, id);
	if (!t || !id)
		return ct_fail(ct, -EINVAL, "bad BTF type id %u", id);
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		if (!fixed_int(t->size, false))
			return ct_fail(ct, -EINVAL, "integer '%s' of %u bytes", tname(ct->btf, t),
				       t->size);
		return t->size;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (!fixed_int(t->size, false))
			return ct_fail(ct, -EINVAL, "enum '%s' of %u bytes", tname(ct->btf, t),
				       t->size);
		return t->size;
	case BTF_KIND_PTR:
		return 8;
	case BTF_KIND_FLOAT:
		return (t->size == 4 || t->size == 8) ? (int)t->size : 1;
	case BTF_KIND_ARRAY:
		return type_align(ct, btf_array(t)->type);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		err = layout(ct, id);
		return err ? err : (int)ct->lay[id].align;
	default:
		return ct_fail(ct, -EINVAL, "type %u (kind %u) cannot be a field", id,
			       btf_kind(t));
	}
}

/* Name of the integer type used for a field of enum or int type @id. */
static const char *scalar_type(struct wb_ctypes *ct, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(ct->btf, skip_typedefs(ct->btf, id));
	bool is_long;

	if (btf_is_int(t))
		return int_type(ct->btf, t, &is_long);
	if (btf_is_any_enum(t))
		return fixed_int(t->size, enum_signed(t));
	return NULL;
}

/*
 * Decide how a struct (or union) of @size bytes with members @m is declared
 * on wasm32: simulate the compiler placing each field after explicit padding
 * and see whether any lands elsewhere than BTF says.
 *
 * type_align() gives the same alignment on both targets for every field
 * type, so the BPF alignment of the struct is the natural one (the largest
 * of its fields) unless the BPF struct was packed. That shows as a field off
 * its alignment or a size that is not a multiple of it (the struct's own
 * alignment was 1 then, as libbpf also concludes), or as a bitfield that
 * straddles its unit (packed, but the alignment may still be natural).
 * libbpf's btf__align_of() is not used: it caps integers at the size of a
 * pointer, while BPF aligns __int128 to 16 bytes.
 */
static int plan(struct wb_ctypes *ct, bool is_union, const struct wb_cmember *m, size_t cnt,
		__u32 size, bool tail_pad, struct lay *l)
{
	bool misaligned = false, straddles = false;
	unsigned int align = 1;
	size_t i;

	for (i = 0; i < cnt; i++) {
		long long msz = type_size(ct, m[i].type_id);
		int a = type_align(ct, m[i].type_id);

		if (a < 0)
			return a;
		if (msz < 0)
			return ct_fail(ct, -EINVAL, "field '%s': size unknown", m[i].name);
		if ((unsigned int)a > align)
			align = a;
		if (m[i].bit_sz) {
			unsigned int unit = 8 * msz;

			if (!scalar_type(ct, m[i].type_id))
				return ct_fail(ct, -EINVAL, "bitfield '%s' of a non-integer type",
					       m[i].name);
			/* A bitfield may not straddle its type's unit unless packed. */
			if (m[i].bit_off % unit + m[i].bit_sz > unit)
				straddles = true;
			continue;
		}
		if (m[i].bit_off % 8)
			return ct_fail(ct, -EINVAL, "field '%s' at bit %u is not byte-aligned",
				       m[i].name, m[i].bit_off);
		if (m[i].bit_off % (8 * a))
			misaligned = true;
		if (is_union && m[i].bit_off)
			return ct_fail(ct, -EINVAL, "union field '%s' at bit %u", m[i].name,
				       m[i].bit_off);
	}
	if (tail_pad && size % align)
		misaligned = true;
	l->packed = misaligned || straddles;
	l->align = misaligned ? 1 : align;
	l->attr_align = l->packed && l->align > 1 ? l->align : 0;
	l->done = true;
	return 0;
}

static int layout(struct wb_ctypes *ct, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(ct->btf, id);
	struct wb_cmember *m = NULL;
	size_t cnt;
	int err;

	if (ct->lay[id].done)
		return 0;
	if (ct->lay[id].busy)
		return ct_fail(ct, -ELOOP, "type %u contains itself", id);
	err = get_members(ct, id, &m, &cnt);
	if (err)
		return err;
	ct->lay[id].busy = true;
	err = plan(ct, btf_is_union(t), m, cnt, t->size, true, &ct->lay[id]);
	ct->lay[id].busy = false;
	free(m);
	return err;
}

static const char *attr_str(const struct lay *l)
{
	static char buf[64];

	if (!l->packed)
		return "";
	if (!l->attr_align)
		return "__attribute__((packed)) ";
	snprintf(buf, sizeof(buf), "__attribute__((packed, aligned(%u))) ", l->attr_align);
	return buf;
}

/* Padding from bit @from to bit @to: unnamed bitfields and a byte array. */
static void pad_bits(struct wb_ctypes *ct, __u32 from, __u32 to, int ind)
{
	__u32 k;

	if (from % 8 && to > from) {
		k = 8 - from % 8;
		if (k > to - from)
			k = to - from;
		indent(ct, ind);
		fprintf(ct->out, "uint8_t : %u;\n", k);
		from += k;
	}
	if (to - from >= 8) {
		indent(ct, ind);
		fprintf(ct->out, "uint8_t __pad_%u[%u];\n", ct->pad_idx++, (to - from) / 8);
		from += (to - from) / 8 * 8;
	}
	if (to > from) {
		indent(ct, ind);
		fprintf(ct->out, "uint8_t : %u;\n", to - from);
	}
}

static int emit_body(struct wb_ctypes *ct, bool is_union, const struct wb_cmember *m, size_t cnt,
		     __u32 size, bool tail_pad, const struct lay *l, int ind);

/* "{ members }" of anonymous struct/union @id, opened on the current line. */
static int emit_inline(struct wb_ctypes *ct, __u32 id, int ind)
{
	const struct btf_type *t = btf__type_by_id(ct->btf, id);
	struct wb_cmember *m = NULL;
	size_t cnt;
	int err;

	err = layout(ct, id);
	if (err)
		return err;
	err = get_members(ct, id, &m, &cnt);
	if (err)
		return err;
	fprintf(ct->out, "%s %s{\n", btf_is_union(t) ? "union" : "struct",
		attr_str(&ct->lay[id]));
	err = emit_body(ct, btf_is_union(t), m, cnt, t->size, true, &ct->lay[id], ind + 1);
	free(m);
	if (err)
		return err;
	indent(ct, ind);
	fputc('}', ct->out);
	return 0;
}

/*
 * One field: "TYPE name[dims] : bits; comment". @flex: a zero-length array
 * here may be written as a flexible array member.
 */
static int emit_field(struct wb_ctypes *ct, const struct wb_cmember *fm, bool flex, int ind)
{
	const struct btf *btf = ct->btf;
	__u32 dims[MAX_DIMS], id = strip(btf, fm->type_id);
	const struct btf_type *t = btf__type_by_id(btf, id);
	char comment[160] = "";
	int nd = 0, i, err;
	bool is_long;

	while (t && btf_is_array(t)) {
		if (nd == MAX_DIMS)
			return ct_fail(ct, -EINVAL, "field '%s': too many dimensions", fm->name);
		dims[nd++] = btf_array(t)->nelems;
		id = strip(btf, btf_array(t)->type);
		t = btf__type_by_id(btf, id);
	}
	if (!t)
		return ct_fail(ct, -EINVAL, "field '%s': bad type", fm->name);
	indent(ct, ind);
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		fputs(int_type(btf, t, &is_long), ct->out);
		if (is_long)
			snprintf(comment, sizeof(comment), " /* %s */", tname(btf, t));
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		fputs(fixed_int(t->size, enum_signed(t)), ct->out);
		snprintf(comment, sizeof(comment), " /* enum %s */",
			 *tname(btf, t) ? tname(btf, t) : "(anon)");
		break;
	case BTF_KIND_PTR: {
		char d[128];

		describe(btf, id, d, sizeof(d), 0);
		fputs("uint64_t", ct->out);
		snprintf(comment, sizeof(comment), " /* %s */", d);
		break;
	}
	case BTF_KIND_FLOAT:
		if (t->size == 4 || t->size == 8) {
			fputs(t->size == 4 ? "float" : "double", ct->out);
		} else {
			if (nd == MAX_DIMS)
				return ct_fail(ct, -EINVAL, "field '%s': too many dimensions",
					       fm->name);
			dims[nd++] = t->size;
			fputs("uint8_t", ct->out);
			snprintf(comment, sizeof(comment), " /* %s */", tname(btf, t));
		}
		break;
	case BTF_KIND_TYPEDEF:
		fputs(cname(ct, id), ct->out);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (*tname(btf, t)) {
			fprintf(ct->out, "%s %s", btf_is_union(t) ? "union" : "struct",
				cname(ct, id));
			break;
		}
		err = emit_inline(ct, id, ind);
		if (err)
			return err;
		break;
	default:
		return ct_fail(ct, -EINVAL, "field '%s': type %u (kind %u) cannot be a field",
			       fm->name, id, btf_kind(t));
	}
	if (*fm->name)
		fprintf(ct->out, " %s", fm->name);
	for (i = 0; i < nd; i++) {
		if (i == 0 && !dims[0] && flex)
			fputs("[]", ct->out);
		else
			fprintf(ct->out, "[%u]", dims[i]);
	}
	if (fm->bit_sz)
		fprintf(ct->out, " : %u", fm->bit_sz);
	fprintf(ct->out, ";%s\n", comment);
	return 0;
}

static bool is_zero_array(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, strip(btf, id));

	return t && btf_is_array(t) && btf_array(t)->nelems == 0;
}

/* Members of a struct or union laid out per @l, then padding to @size. */
static int emit_body(struct wb_ctypes *ct, bool is_union, const struct wb_cmember *m, size_t cnt,
		     __u32 size, bool tail_pad, const struct lay *l, int ind)
{
	__u32 p = 0, end, max_sz = 0;
	size_t i;
	int err;

	for (i = 0; i < cnt; i++) {
		long long msz = type_size(ct, m[i].type_id);
		bool flex = false;

		if (!is_union) {
			if (m[i].bit_off < p)
				return ct_fail(ct, -EINVAL, "field '%s' overlaps the one before",
					       m[i].name);
			pad_bits(ct, p, m[i].bit_off, ind);
			p = m[i].bit_off;
			end = m[i].bit_sz ? p + m[i].bit_sz : p + 8 * msz;
			/*
			 * A trailing zero-length array is a flexible array member
			 * unless explicit tail padding must follow it, or nothing
			 * precedes it (C wants a member before one).
			 */
			if (i == cnt - 1 && p > 0 && is_zero_array(ct->btf, m[i].type_id)) {
				__u32 al = l->align;
				__u32 natural = (p / 8 + al - 1) / al * al;

				flex = !tail_pad || natural == size;
				if (flex)
					tail_pad = false;
			}
			p = end;
		} else if (msz > max_sz) {
			max_sz = msz;
		}
		err = emit_field(ct, &m[i], flex, ind);
		if (err)
			return err;
	}
	if (!tail_pad)
		return 0;
	if (is_union) {
		if (max_sz < size) {
			indent(ct, ind);
			fprintf(ct->out, "uint8_t __pad_%u[%u];\n", ct->pad_idx++, size);
		}
		return 0;
	}
	if (p > 8 * size)
		return ct_fail(ct, -EINVAL, "fields end past the size %u", size);
	pad_bits(ct, p, 8 * size, ind);
	return 0;
}

int wb_ctypes__struct_body(struct wb_ctypes *ct, const struct wb_cmember *m, size_t cnt,
			   __u32 size, bool tail_pad, int ind, bool dry_run,
			   const char **packed_attr)
{
	struct lay l = { 0 };
	int err;

	err = plan(ct, false, m, cnt, size, tail_pad, &l);
	if (err)
		return err;
	*packed_attr = attr_str(&l);
	if (dry_run)
		return 0;
	ct->pad_idx = 0;
	fputs("{\n", ct->out);
	err = emit_body(ct, false, m, cnt, size, tail_pad, &l, ind + 1);
	if (err)
		return err;
	indent(ct, ind);
	fputc('}', ct->out);
	return 0;
}

/* ---------------------------------------------------------------- fields walk */

enum walk_mode { WALK_ASSERT, WALK_CHECK };

/*
 * Visit every field reachable by name from a struct: asserts (non-bitfield
 * fields) or run-time checks (all fields), descending into anonymous
 * members and into fields whose type is an anonymous struct or union
 * (through element [0] of arrays). @path holds "a.b[0]." so far.
 */
static int walk(struct wb_ctypes *ct, enum walk_mode mode, const char *texpr,
		const struct wb_cmember *m, size_t cnt, char *path, size_t plen, __u32 base)
{
	const struct btf *btf = ct->btf;
	size_t i;
	int err = 0;

	for (i = 0; i < cnt; i++) {
		__u32 id = array_base(btf, m[i].type_id), off = base + m[i].bit_off;
		const struct btf_type *t = btf__type_by_id(btf, id);
		long long msz = type_size(ct, m[i].type_id);
		bool zero = is_zero_array(btf, m[i].type_id);
		char sub[MAX_PATH];
		size_t slen;

		if (!t || !id)
			return ct_fail(ct, -EINVAL, "field '%s': bad type", m[i].name);
		slen = snprintf(sub, sizeof(sub), "%.*s%s", (int)plen, path, m[i].name);
		if (slen >= sizeof(sub) - 32)
			return ct_fail(ct, -ENAMETOOLONG, "field path too long");
		if (*m[i].name) {
			if (m[i].bit_sz && mode == WALK_CHECK) {
				fprintf(ct->out,
					"\t\tmemset(&s, 0, sizeof(s));\n"
					"\t\ts.%s = wb_ones;\n"
					"\t\twb_bits(\"%s.%s\", &s, sizeof(s), %u, %u);\n",
					sub, texpr, sub, off, m[i].bit_sz);
			} else if (m[i].bit_sz) {
				/* offsetof() cannot name a bitfield. */
			} else if (mode == WALK_CHECK && zero) {
				fprintf(ct->out,
					"\t\twb_field(\"%s.%s\", (size_t)((char *)&s.%s - (char *)&s), 0, %u, 0);\n",
					texpr, sub, sub, off / 8);
			} else if (mode == WALK_CHECK) {
				fprintf(ct->out,
					"\t\twb_field(\"%s.%s\", (size_t)((char *)&s.%s - (char *)&s), sizeof(s.%s), %u, %lld);\n",
					texpr, sub, sub, sub, off / 8, msz);
			} else if (zero) {
				fprintf(ct->out,
					"_Static_assert(offsetof(%s, %s) == %u, \"%s.%s: offset\");\n",
					texpr, sub, off / 8, texpr, sub);
			} else {
				fprintf(ct->out,
					"_Static_assert(offsetof(%s, %s) == %u && sizeof(((%s *)0)->%s) == %lld, \"%s.%s: offset and size\");\n",
					texpr, sub, off / 8, texpr, sub, msz, texpr, sub);
			}
		}
		/* Descend into anonymous aggregates, named or not. */
		if (btf_is_composite(t) && !*tname(btf, t)) {
			struct wb_cmember *sm = NULL;
			size_t scnt;
			const struct btf_type *at = btf__type_by_id(btf, strip(btf, m[i].type_id));

			if (*m[i].name) {
				while (at && btf_is_array(at)) {
					if (slen + 8 >= sizeof(sub))
						return ct_fail(ct, -ENAMETOOLONG, "field path too long");
					slen += snprintf(sub + slen, sizeof(sub) - slen, "[0]");
					at = btf__type_by_id(btf, strip(btf, btf_array(at)->type));
				}
				if (slen + 2 >= sizeof(sub))
					return ct_fail(ct, -ENAMETOOLONG, "field path too long");
				sub[slen++] = '.';
				sub[slen] = 0;
			}
			err = get_members(ct, id, &sm, &scnt);
			if (!err)
				err = walk(ct, mode, texpr, sm, scnt, sub, slen, off);
			free(sm);
			if (err)
				return err;
		}
	}
	return 0;
}

int wb_ctypes__field_asserts(struct wb_ctypes *ct, const char *texpr,
			     const struct wb_cmember *m, size_t cnt)
{
	char path[MAX_PATH] = "";

	return walk(ct, WALK_ASSERT, texpr, m, cnt, path, 0, 0);
}

/* ---------------------------------------------------------------- definitions */

/*
 * Named definitions (not their asserts) are wrapped in #ifndef
 * WB_DEF_<kind>_<name>, so that the headers generated from one object
 * (types and skeleton) can be included together, in any order, and a user
 * can keep a definition of their own, still checked by the asserts.
 */
/* An anonymous enum is named by its first enumerator, unique in C. */
static const char *guard_name(struct wb_ctypes *ct, __u32 id, const struct btf_type *t)
{
	const char *name = cname(ct, id);

	if (*name || !btf_is_any_enum(t) || !btf_vlen(t))
		return name;
	name = btf__name_by_offset(ct->btf, btf_is_enum(t) ? btf_enum(t)->name_off :
				   btf_enum64(t)->name_off);
	return name ? name : "";
}

static void guard_open(struct wb_ctypes *ct, __u32 id, const struct btf_type *t)
{
	const char *name = guard_name(ct, id, t);
	const char *kind = btf_is_typedef(t) ? "typedef" : btf_is_union(t) ? "union" :
			   !btf_is_any_enum(t) ? "struct" : *tname(ct->btf, t) ? "enum" : "enumval";

	if (ct->mode != WB_CTYPES_DEFINE || !*name)
		return;
	fprintf(ct->out, "#ifndef WB_DEF_%s_%s\n#define WB_DEF_%s_%s\n", kind, name, kind, name);
}

static void guard_close(struct wb_ctypes *ct, __u32 id, const struct btf_type *t)
{
	if (ct->mode == WB_CTYPES_DEFINE && *guard_name(ct, id, t))
		fputs("#endif\n", ct->out);
}

static int emit_enum(struct wb_ctypes *ct, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(ct->btf, id);
	const char *name = cname(ct, id);
	bool sgn = enum_signed(t);
	int i;

	guard_open(ct, id, t);
	if (btf_is_enum(t) && t->size > 4)
		fprintf(ct->out,
			"/* BTF kept only the low 32 bits of these values (a compiler without ENUM64). */\n");
	fprintf(ct->out, "enum %s%s{\n", name, *name ? " " : "");
	for (i = 0; i < btf_vlen(t); i++) {
		const char *en;
		char *un;
		long long sv;
		unsigned long long uv;

		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t) + i;

			en = btf__name_by_offset(ct->btf, e->name_off);
			sv = e->val;
			uv = (__u32)e->val;
		} else {
			const struct btf_enum64 *e = btf_enum64(t) + i;

			en = btf__name_by_offset(ct->btf, e->name_off);
			uv = btf_enum64_value(e);
			sv = (long long)uv;
		}
		/* Enumerators share the namespace of typedefs, across enums. */
		un = unique_name(&ct->idents, en ? en : "");
		if (!un)
			return ct_fail(ct, -ENOMEM, "out of memory");
		if (sgn && (sv < INT32_MIN || sv > INT32_MAX))
			fprintf(ct->out, "\t%s = %lldLL,\n", un, sv);
		else if (sgn)
			fprintf(ct->out, "\t%s = %lld,\n", un, sv);
		else if (uv > INT32_MAX)
			fprintf(ct->out, "\t%s = %lluULL,\n", un, uv);
		else
			fprintf(ct->out, "\t%s = %llu,\n", un, uv);
		free(un);
	}
	fprintf(ct->out, "};\n");
	guard_close(ct, id, t);
	fputc('\n', ct->out);
	return 0;
}

/* The expression naming aggregate or kept typedef @id: "struct foo", "foo_t". */
static void texpr_of(const struct wb_ctypes *ct, __u32 id, char *buf, size_t sz)
{
	const struct btf_type *t = btf__type_by_id(ct->btf, id);

	if (btf_is_typedef(t))
		snprintf(buf, sz, "%s", cname(ct, id));
	else
		snprintf(buf, sz, "%s %s", btf_is_union(t) ? "union" : "struct", cname(ct, id));
}

/*
 * The alignment our definition has (the BPF one unless BPF over-aligned the
 * type, which BTF does not record). Inside the WB_DEF_ guard: a definition of
 * the user's own may legitimately differ (a packed copy), its layout is what
 * the other asserts check.
 */
static void emit_align_assert(struct wb_ctypes *ct, __u32 agg, const char *texpr)
{
	fprintf(ct->out, "_Static_assert(_Alignof(%s) == %u, \"%s: alignment\");\n", texpr,
		ct->lay[agg].align, texpr);
}

static int emit_asserts(struct wb_ctypes *ct, __u32 agg, const char *texpr)
{
	const struct btf_type *t = btf__type_by_id(ct->btf, agg);
	struct wb_cmember *m = NULL;
	char path[MAX_PATH] = "";
	size_t cnt;
	int err;

	fprintf(ct->out, "_Static_assert(sizeof(%s) == %u, \"%s: size\");\n", texpr, t->size,
		texpr);
	err = get_members(ct, agg, &m, &cnt);
	if (!err)
		err = walk(ct, WALK_ASSERT, texpr, m, cnt, path, 0, 0);
	free(m);
	fputc('\n', ct->out);
	return err;
}

static int emit_check(struct wb_ctypes *ct, __u32 agg, const char *texpr)
{
	const struct btf_type *t = btf__type_by_id(ct->btf, agg);
	struct wb_cmember *m = NULL;
	char path[MAX_PATH] = "";
	size_t cnt;
	int err;

	fprintf(ct->out,
		"\t{\n"
		"\t\tstatic %s s;\n\n"
		"\t\twb_field(\"sizeof(%s)\", 0, sizeof(s), 0, %u);\n",
		texpr, texpr, t->size);
	err = get_members(ct, agg, &m, &cnt);
	if (!err)
		err = walk(ct, WALK_CHECK, texpr, m, cnt, path, 0, 0);
	free(m);
	fprintf(ct->out, "\t}\n");
	return err;
}

/* struct/union NAME, or the body of a typedef'd anonymous one. */
static int emit_agg(struct wb_ctypes *ct, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(ct->btf, id);
	struct wb_cmember *m = NULL;
	char texpr[300];
	size_t cnt;
	int err;

	err = layout(ct, id);
	if (err)
		return err;
	texpr_of(ct, id, texpr, sizeof(texpr));
	if (ct->mode == WB_CTYPES_CHECK)
		return emit_check(ct, id, texpr);
	err = get_members(ct, id, &m, &cnt);
	if (err)
		return err;
	ct->pad_idx = 0;
	guard_open(ct, id, t);
	fprintf(ct->out, "%s %s%s {\n", btf_is_union(t) ? "union" : "struct",
		attr_str(&ct->lay[id]), cname(ct, id));
	err = emit_body(ct, btf_is_union(t), m, cnt, t->size, true, &ct->lay[id], 1);
	free(m);
	if (err)
		return err;
	fprintf(ct->out, "};\n");
	emit_align_assert(ct, id, texpr);
	guard_close(ct, id, t);
	return emit_asserts(ct, id, texpr);
}

static int emit_typedef(struct wb_ctypes *ct, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(ct->btf, id);
	__u32 target = skip_mods(ct->btf, t->type);
	const struct btf_type *tt = btf__type_by_id(ct->btf, target);
	struct wb_cmember fm = { .name = cname(ct, id), .type_id = target };
	char texpr[300];
	int err;

	if (!wb_ctypes__keeps_typedef(ct->btf, id)) {
		/* Asked for by name: a typedef of the wasm32 equivalent type. */
		if (ct->mode == WB_CTYPES_CHECK)
			return 0;
		guard_open(ct, id, t);
		fputs("typedef ", ct->out);
		err = emit_field(ct, &fm, false, 0);
		guard_close(ct, id, t);
		fputc('\n', ct->out);
		return err;
	}
	if (btf_is_typedef(tt) || *tname(ct->btf, tt)) {
		if (ct->mode == WB_CTYPES_CHECK)
			return 0;
		guard_open(ct, id, t);
		fprintf(ct->out, "typedef ");
		err = emit_field(ct, &fm, false, 0);
		guard_close(ct, id, t);
		fputc('\n', ct->out);
		return err;
	}
	/* typedef struct { ... } NAME; */
	err = layout(ct, target);
	if (err)
		return err;
	ct->lay[id] = ct->lay[target];
	snprintf(texpr, sizeof(texpr), "%s", cname(ct, id));
	if (ct->mode == WB_CTYPES_CHECK)
		return emit_check(ct, target, texpr);
	ct->pad_idx = 0;
	guard_open(ct, id, t);
	fputs("typedef ", ct->out);
	err = emit_inline(ct, target, 0);
	if (err)
		return err;
	fprintf(ct->out, " %s;\n", texpr);
	emit_align_assert(ct, target, texpr);
	guard_close(ct, id, t);
	return emit_asserts(ct, target, texpr);
}

static int define_deps(struct wb_ctypes *ct, __u32 type_id, int depth)
{
	__u32 id = array_base(ct->btf, type_id);
	const struct btf_type *t = btf__type_by_id(ct->btf, id);
	int i, err;

	if (depth > MAX_DEPTH)
		return ct_fail(ct, -ELOOP, "types nested too deep at type %u", type_id);
	if (!t || !id)
		return ct_fail(ct, -EINVAL, "bad BTF type id %u", type_id);
	if (btf_is_typedef(t) || btf_is_any_enum(t) ||
	    (btf_is_composite(t) && *tname(ct->btf, t)))
		return wb_ctypes__define(ct, id);
	if (!btf_is_composite(t))
		return 0;
	for (i = 0; i < btf_vlen(t); i++) {
		err = define_deps(ct, btf_members(t)[i].type, depth + 1);
		if (err)
			return err;
	}
	return 0;
}

int wb_ctypes__define_deps(struct wb_ctypes *ct, __u32 type_id)
{
	return define_deps(ct, type_id, 0);
}

/* Give named type @id its C name; only types that get a definition need one. */
static int assign_name(struct wb_ctypes *ct, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(ct->btf, id);
	struct nameset *ns;

	if (ct->names[id] || !*tname(ct->btf, t))
		return 0;
	if (btf_is_typedef(t))
		ns = &ct->idents;
	else if (btf_is_composite(t) || btf_is_any_enum(t))
		ns = &ct->tags;
	else
		return 0;
	ct->names[id] = unique_name(ns, tname(ct->btf, t));
	return ct->names[id] ? 0 : ct_fail(ct, -ENOMEM, "out of memory");
}

int wb_ctypes__define(struct wb_ctypes *ct, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(ct->btf, id);
	int i, err = 0;

	if (!t || id >= ct->nr)
		return ct_fail(ct, -EINVAL, "bad BTF type id %u", id);
	if (ct->state[id] == DEF_DONE)
		return 0;
	if (ct->state[id] == DEF_BUSY)
		return ct_fail(ct, -ELOOP, "type '%s' contains itself", tname(ct->btf, t));
	ct->state[id] = DEF_BUSY;
	err = assign_name(ct, id);
	if (err)
		goto out;
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (i = 0; i < btf_vlen(t) && !err; i++)
			err = wb_ctypes__define_deps(ct, btf_members(t)[i].type);
		if (!err)
			err = emit_agg(ct, id);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (ct->mode == WB_CTYPES_DEFINE)
			err = emit_enum(ct, id);
		break;
	case BTF_KIND_TYPEDEF:
		err = wb_ctypes__define_deps(ct, t->type);
		if (!err)
			err = emit_typedef(ct, id);
		break;
	case BTF_KIND_FWD:
		err = ct_fail(ct, -EINVAL, "'%s' is only declared, not defined, in this BTF",
			      tname(ct->btf, t));
		break;
	default:
		err = ct_fail(ct, -EINVAL, "type %u (kind %u) is not a struct, union, enum or typedef",
			      id, btf_kind(t));
		break;
	}
out:
	ct->state[id] = err ? DEF_NONE : DEF_DONE;
	return err;
}

struct wb_ctypes *wb_ctypes__new(const struct btf *btf, FILE *out, enum wb_ctypes_mode mode,
				 char *err_buf, size_t err_buf_sz)
{
	struct wb_ctypes *ct;

	ct = calloc(1, sizeof(*ct));
	if (!ct)
		goto err;
	ct->btf = btf;
	ct->out = out;
	ct->mode = mode;
	ct->err = err_buf;
	ct->err_sz = err_buf_sz;
	ct->nr = btf__type_cnt(btf);
	ct->state = calloc(ct->nr, sizeof(*ct->state));
	ct->lay = calloc(ct->nr, sizeof(*ct->lay));
	ct->names = calloc(ct->nr, sizeof(*ct->names));
	if (!ct->state || !ct->lay || !ct->names)
		goto err;
	return ct;
err:
	wb_ctypes__free(ct);
	errno = ENOMEM;
	return NULL;
}

void wb_ctypes__free(struct wb_ctypes *ct)
{
	__u32 i;

	if (!ct)
		return;
	if (ct->names)
		for (i = 0; i < ct->nr; i++)
			free(ct->names[i]);
	free(ct->names);
	nameset_free(&ct->tags);
	nameset_free(&ct->idents);
	free(ct->state);
	free(ct->lay);
	free(ct);
}
