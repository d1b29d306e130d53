/* SPDX-License-Identifier: MIT */
/*
 * A minimized CO-RE target BTF, built at load time (a runtime "BTFGen").
 *
 * libbpf 1.1 resolves CO-RE relocations against the kernel's BTF, which it
 * reads whole and copies (11 MB of heap for a 5.5 MB /sys/kernel/btf/vmlinux).
 * Given btf_custom_path, it uses that file instead and never reads vmlinux
 * for CO-RE. This file writes such a file holding only what the object's
 * relocations can look at, and reads the kernel BTF in small pieces to do so.
 *
 * What libbpf looks at, for a relocation whose root is local type R:
 *   - candidates: every kernel type whose name equals R's with any
 *     "___flavor" suffix removed, and whose kind is R's (enum and enum64
 *     count as one kind);
 *   - for each candidate, the access path of the relocation: members by
 *     name (descending into anonymous members), array elements, sizes of the
 *     types reached (through typedefs, modifiers and arrays), kinds, int
 *     encodings and enum names of the field types met on the way, enumerator
 *     names and values;
 *   - for type-based relocations, the candidate compared with R recursively:
 *     kinds only for structs, unions and enums, through pointers, arrays and
 *     function prototypes;
 *   - the size of a pointer, from an int named like "long".
 * So a candidate is kept with every member ("full"), and so is every type it
 * reaches without going through a pointer. A type reached through a pointer
 * is kept with its kind: a struct or union reached only that way becomes a
 * stub with its name, kind and size but no members; other kinds are kept
 * whole and followed on. The types keep their relative order, so candidates
 * are met in the same order as in the kernel's BTF.
 *
 * What cannot be made identical is left to libbpf with the whole kernel BTF:
 * TYPE_ID_TARGET (the result is a kernel type id) and TYPE_MATCHES (deep
 * matching); FIELD_SIGNED of a field that is not an int or enum (libbpf reads
 * the word after such a type's header); roots that have no candidate in
 * vmlinux when module BTFs exist (libbpf would look there); anything
 * unexpected in the object or the kernel BTF.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <linux/bpf.h>
#include <linux/btf.h>

#include "core_btf.h"

/* Reads of the kernel BTF: windows for the sequential scans and for single records. */
#define SCAN_WIN (64 * 1024)
#define REC_WIN 4096
/* The largest record or string the reader buffers (a struct has at most 65535 members). */
#define MAX_READ (1024 * 1024)
/* Longest essential name of a root, and most roots; more is left to libbpf. */
#define MAX_NAME 255
#define MAX_ROOTS 1024
/* Access strings longer than this many components are left to libbpf. */
#define MAX_ACCESS 64
/* Modifier and typedef chains longer than this are treated as malformed. */
#define MAX_CHAIN 64

#define BTF_EXT_MAGIC 0xeB9F

/* How much of a type is kept. */
enum keep {
	KEEP_NONE = 0,
	KEEP_PTR = 1,		/* reached through a pointer: structs and unions as stubs */
	KEEP_FULL = 2,		/* every member */
};

/* A window on the kernel BTF file. */
struct reader {
	int fd;
	uint64_t file_sz;
	uint8_t *buf;
	size_t cap;
	uint64_t base;		/* file offset of buf[0], a multiple of 8 */
	size_t len;		/* bytes valid in buf */
	unsigned int reads;
};

/* A type libbpf searches candidates for (deduplicated by essential name and kind). */
struct root {
	const char *name;	/* the local name, in the local BTF (or a literal) */
	uint32_t ess_len;
	uint8_t kind;		/* BTF kind of the local type */
	bool pseudo;		/* not from a relocation: kept if present, never missed */
	bool found;
};

/* A kernel string whose essential name is a root's. */
struct match {
	uint32_t str_off;
	uint32_t root;
};

struct ctx {
	struct wb_bpf_core_btf_stats *st;
	struct reader rd;
	uint64_t type_start, type_len;	/* file offset and size of the type section */
	uint64_t str_start, str_len;	/* of the string section */
	struct root *roots;
	uint32_t root_cnt, root_cap;
	uint8_t *local_seen;		/* per local type id: its relocations' root is added */
	uint8_t prefix_seen[65536 / 8];	/* bit per first two bytes of a root's name */
	struct match *matches;
	uint32_t match_cnt, match_cap;
	uint32_t *cands;
	uint32_t cand_cnt, cand_cap;
	uint32_t *index;		/* per type id: record offset; after emit: new id */
	uint32_t index_cap;
	uint32_t type_cnt;		/* kernel type ids are 1..type_cnt */
	uint8_t *state;			/* per type id: enum keep */
	uint32_t *stack;
	uint32_t stack_cnt, stack_cap;
	uint8_t *out;			/* types written, then remapped in place */
	size_t out_len, out_cap;
	uint32_t *strs;			/* kernel string offsets used, sorted */
	uint32_t strs_cnt, strs_cap;
	uint32_t *new_strs;		/* their offsets in str_out */
	char *str_out;
	size_t str_out_len, str_out_cap;
};

/* ---------------------------------------------------------------- helpers */

static int fail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record why libbpf must see the whole kernel BTF; returns -EOPNOTSUPP. */
static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->st->reason, sizeof(c->st->reason), fmt, ap);
	va_end(ap);
	return -EOPNOTSUPP;
}

/* Make room for need elements of elem_sz bytes in *p (capacity *cap). */
static int grow(void **p, uint32_t *cap, uint64_t need, size_t elem_sz)
{
	uint64_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n += n / 2 + 16;
	if (n > UINT32_MAX || n > SIZE_MAX / elem_sz)
		return -ENOMEM;
	q = realloc(*p, (size_t)n * elem_sz);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = (uint32_t)n;
	return 0;
}

static int append(uint8_t **buf, size_t *len, size_t *cap, const void *src, size_t n)
{
	if (n > SIZE_MAX / 2 - *len)
		return -ENOMEM;
	if (*len + n > *cap) {
		size_t c = *cap ? *cap : 4096;
		uint8_t *q;

		while (c < *len + n)
			c *= 2;
		q = realloc(*buf, c);
		if (!q)
			return -ENOMEM;
		*buf = q;
		*cap = c;
	}
	memcpy(*buf + *len, src, n);
	*len += n;
	return 0;
}

/*
 * The length of name without its "___flavor" suffix: up to the last
 * "X___Y" where X and Y are not underscores (libbpf's rule, which ignores
 * names shorter than 5 bytes).
 */
static size_t essential_len(const char *name, size_t n)
{
	size_t i;

	if (n < 5)
		return n;
	for (i = n - 4; i-- > 0;) {
		if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' &&
		    name[i + 3] == '_' && name[i + 4] != '_')
			return i + 1;
	}
	return n;
}

/* Per BTF kind: bytes after the 12-byte header, fixed and per vlen item; 0xff unknown. */
static const uint8_t kind_fixed[NR_BTF_KINDS] = {
	[BTF_KIND_UNKN] = 0xff,
	[BTF_KIND_INT] = 4,
	[BTF_KIND_ARRAY] = sizeof(struct btf_array),
	[BTF_KIND_VAR] = sizeof(struct btf_var),
	[BTF_KIND_DECL_TAG] = sizeof(struct btf_decl_tag),
};
static const uint8_t kind_per_vlen[NR_BTF_KINDS] = {
	[BTF_KIND_STRUCT] = sizeof(struct btf_member),
	[BTF_KIND_UNION] = sizeof(struct btf_member),
	[BTF_KIND_ENUM] = sizeof(struct btf_enum),
	[BTF_KIND_FUNC_PROTO] = sizeof(struct btf_param),
	[BTF_KIND_DATASEC] = sizeof(struct btf_var_secinfo),
	[BTF_KIND_ENUM64] = sizeof(struct btf_enum64),
};

/* Bytes after a type's 12-byte header; -1 for a kind this file does not know. */
static inline int64_t type_extra(uint32_t info)
{
	unsigned int kind = BTF_INFO_KIND(info);

	if (kind >= NR_BTF_KINDS || kind_fixed[kind] == 0xff)
		return -1;
	return kind_fixed[kind] + (int64_t)kind_per_vlen[kind] * BTF_INFO_VLEN(info);
}

static bool is_enum_kind(unsigned int kind)
{
	return kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64;
}

/* libbpf's candidate rule: the same kind, or enum and enum64. */
static bool kinds_compat(unsigned int a, unsigned int b)
{
	return a == b || (is_enum_kind(a) && is_enum_kind(b));
}

/* Kinds whose "type" field is a type id (for the others it is a size). */
static bool has_type_ref(unsigned int kind)
{
	switch (kind) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* ---------------------------------------------------------------- the object */

/* The .BTF and .BTF.ext sections of the image (NULL if absent). */
static int find_sections(struct ctx *c, const void *elf, size_t elf_sz, const uint8_t **btf,
			 size_t *btf_sz, const uint8_t **ext, size_t *ext_sz)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *e;
	int err = 0;

	*btf = *ext = NULL;
	*btf_sz = *ext_sz = 0;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(c, "libelf: %s", elf_errmsg(-1));
	/* elf_memory() takes a non-const image; ELF_C_READ_MMAP never writes to it. */
	e = elf_memory((char *)elf, elf_sz);
	if (!e || elf_kind(e) != ELF_K_ELF || elf_getshdrstrndx(e, &shstrndx)) {
		err = fail(c, "not an ELF object: %s", elf_errmsg(-1));
		goto out;
	}
	while ((scn = elf_nextscn(e, scn))) {
		const char *name;
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh)) {
			err = fail(c, "malformed section header: %s", elf_errmsg(-1));
			goto out;
		}
		name = elf_strptr(e, shstrndx, sh.sh_name);
		if (!name || sh.sh_type == SHT_NOBITS)
			continue;
		if (strcmp(name, ".BTF") && strcmp(name, ".BTF.ext"))
			continue;
		d = elf_rawdata(scn, NULL);
		if (!d || (!d->d_buf && d->d_size)) {
			err = fail(c, "malformed section %s: %s", name, elf_errmsg(-1));
			goto out;
		}
		/* libelf checked that the data lies inside the image. */
		if (!strcmp(name, ".BTF")) {
			*btf = d->d_buf;
			*btf_sz = d->d_size;
		} else {
			*ext = d->d_buf;
			*ext_sz = d->d_size;
		}
	}
out:
	elf_end(e);
	return err;
}

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t id, uint32_t *res_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int n = 0;

	while (t && n++ < MAX_CHAIN) {
		unsigned int kind = btf_kind(t);

		if (kind != BTF_KIND_TYPEDEF && kind != BTF_KIND_VOLATILE &&
		    kind != BTF_KIND_CONST && kind != BTF_KIND_RESTRICT &&
		    kind != BTF_KIND_TYPE_TAG)
			break;
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (n > MAX_CHAIN)
		return NULL;
	*res_id = id;
	return t;
}

/*
 * FIELD_SIGNED: libbpf reads the encoding word after the header of the field's
 * type, meaningful only for ints and enums. Is the local field one of those?
 * (A compatible kernel field then is one too.) Follows the access string
 * "0:1:2" from the root through members and array elements.
 */
static bool signed_field_ok(const struct btf *btf, uint32_t root, const char *spec)
{
	const struct btf_type *t;
	uint32_t id = root;
	int n = 0;

	if (!spec || !*spec)
		return false;
	while (*spec) {
		unsigned long idx;
		char *end;

		if (*spec < '0' || *spec > '9' || ++n > MAX_ACCESS)
			return false;
		idx = strtoul(spec, &end, 10);
		spec = *end == ':' ? end + 1 : end;
		if (*end && *end != ':')
			return false;
		if (n == 1)
			continue;	/* the first index is into an array of the root */
		t = skip_mods(btf, id, &id);
		if (!t)
			return false;
		if (btf_is_composite(t)) {
			if (idx >= btf_vlen(t))
				return false;
			id = btf_members(t)[idx].type;
		} else if (btf_is_array(t)) {
			id = btf_array(t)->type;
		} else {
			return false;
		}
	}
	t = skip_mods(btf, id, &id);
	return t && (btf_is_int(t) || btf_is_any_enum(t));
}

/* The first two bytes of a NUL-terminated name (the second may be its NUL). */
static unsigned int prefix2(const char *s)
{
	return (uint8_t)s[0] | (s[0] ? (unsigned int)(uint8_t)s[1] << 8 : 0);
}

static int add_root(struct ctx *c, const char *name, unsigned int kind, bool pseudo)
{
	size_t len = strlen(name), ess = essential_len(name, len);
	struct root *r;
	uint32_t i;

	if (ess > MAX_NAME)
		return fail(c, "root type name of %zu bytes", ess);
	for (i = 0; i < c->root_cnt; i++) {
		r = &c->roots[i];
		if (r->ess_len == ess && !memcmp(r->name, name, ess) && kinds_compat(r->kind, kind)) {
			r->pseudo &= pseudo;
			return 0;
		}
	}
	if (c->root_cnt == MAX_ROOTS)
		return fail(c, "more than %d root types", MAX_ROOTS);
	if (grow((void **)&c->roots, &c->root_cap, c->root_cnt + 1, sizeof(*c->roots)))
		return -ENOMEM;
	r = &c->roots[c->root_cnt++];
	r->name = name;
	r->ess_len = (uint32_t)ess;
	r->kind = (uint8_t)kind;
	r->pseudo = pseudo;
	r->found = false;
	c->prefix_seen[prefix2(name) / 8] |= (uint8_t)(1u << (prefix2(name) % 8));
	return 0;
}

static const char *const relo_kind_names[] = {
	"field_byte_offset", "field_byte_size", "field_exists", "field_signed",
	"field_lshift_u64", "field_rshift_u64", "type_id_local", "type_id_target",
	"type_exists", "type_size", "enumval_exists", "enumval_value", "type_matches",
};

/* The root of one relocation record (16 bytes read, no alignment assumed). */
static int add_relo(struct ctx *c, const struct btf *local, const uint8_t *rec)
{
	struct bpf_core_relo r;
	const struct btf_type *t;
	const char *name;
	unsigned int kind;

	memcpy(&r, rec, sizeof(r));
	c->st->relo_cnt++;
	switch (r.kind) {
	case BPF_CORE_TYPE_ID_LOCAL:
		return 0;	/* resolved in the local BTF */
	case BPF_CORE_TYPE_ID_TARGET:
	case BPF_CORE_TYPE_MATCHES:
		return fail(c, "a %s relocation", relo_kind_names[r.kind]);
	case BPF_CORE_FIELD_BYTE_OFFSET:
	case BPF_CORE_FIELD_BYTE_SIZE:
	case BPF_CORE_FIELD_EXISTS:
	case BPF_CORE_FIELD_SIGNED:
	case BPF_CORE_FIELD_LSHIFT_U64:
	case BPF_CORE_FIELD_RSHIFT_U64:
	case BPF_CORE_TYPE_EXISTS:
	case BPF_CORE_TYPE_SIZE:
	case BPF_CORE_ENUMVAL_EXISTS:
	case BPF_CORE_ENUMVAL_VALUE:
		break;
	default:
		return fail(c, "a CO-RE relocation of unknown kind %u", r.kind);
	}
	t = btf__type_by_id(local, r.type_id);
	name = t ? btf__name_by_offset(local, t->name_off) : NULL;
	if (!t || !r.type_id || !name || !*name)
		return fail(c, "a relocation of an anonymous or invalid type [%u]", r.type_id);
	if (r.kind != BPF_CORE_FIELD_SIGNED && c->local_seen[r.type_id])
		return 0;	/* most relocations share a root: add it once */
	kind = btf_kind(t);
	switch (kind) {
	case BTF_KIND_INT:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_FLOAT:
		break;
	default:
		return fail(c, "a relocation of '%s', a type of kind %u", name, kind);
	}
	if (r.kind == BPF_CORE_FIELD_SIGNED &&
	    !signed_field_ok(local, r.type_id, btf__name_by_offset(local, r.access_str_off)))
		return fail(c, "a field_signed relocation on '%s' of a field that is not an int "
			    "or enum", name);
	c->local_seen[r.type_id] = 1;
	return add_root(c, name, kind, false);
}

/*
 * Collect the roots of the object's CO-RE relocations from .BTF.ext: its
 * header, then the core_relo part: u32 record size, then per ELF section
 * {u32 sec_name_off, u32 num_info, num_info records}.
 */
static int collect_roots(struct ctx *c, const struct btf *local, const uint8_t *ext,
			 size_t ext_sz)
{
	uint32_t magic_ver, hdr_len, relo_off, relo_len, rec_sz;
	const uint8_t *p, *end;

	if (ext_sz < 8)
		return fail(c, "a .BTF.ext section of %zu bytes", ext_sz);
	memcpy(&magic_ver, ext, 4);
	memcpy(&hdr_len, ext + 4, 4);
	if ((magic_ver & 0xffff) != BTF_EXT_MAGIC || ((magic_ver >> 16) & 0xff) != 1)
		return fail(c, ".BTF.ext: bad magic or version (byte order?)");
	if (hdr_len > ext_sz)
		return fail(c, ".BTF.ext: header of %u bytes", hdr_len);
	if (hdr_len < 32)
		return -ENODATA;	/* no core_relo part */
	memcpy(&relo_off, ext + 24, 4);
	memcpy(&relo_len, ext + 28, 4);
	if (!relo_len)
		return -ENODATA;
	c->local_seen = calloc(btf__type_cnt(local), 1);
	if (!c->local_seen)
		return -ENOMEM;
	if ((uint64_t)relo_off + relo_len > ext_sz - hdr_len || relo_len < 4)
		return fail(c, ".BTF.ext: core_relo at %u+%u outside the section", relo_off, relo_len);
	p = ext + hdr_len + relo_off;
	end = p + relo_len;
	memcpy(&rec_sz, p, 4);
	p += 4;
	if (rec_sz < sizeof(struct bpf_core_relo) || rec_sz % 4)
		return fail(c, ".BTF.ext: core_relo records of %u bytes", rec_sz);
	while (p < end) {
		uint32_t num, i;
		int err;

		if (end - p < 8)
			return fail(c, ".BTF.ext: truncated core_relo section header");
		memcpy(&num, p + 4, 4);
		p += 8;
		if (!num || (uint64_t)num * rec_sz > (uint64_t)(end - p))
			return fail(c, ".BTF.ext: %u core_relo records past the end", num);
		for (i = 0; i < num; i++, p += rec_sz) {
			err = add_relo(c, local, p);
			if (err)
				return err;
		}
	}
	if (!c->st->relo_cnt)
		return -ENODATA;
	return 0;
}

/* ---------------------------------------------------------------- the kernel BTF */

/*
 * At least len bytes of the file from off, valid until the next call. On a
 * miss, reads max(len, win) bytes from off rounded down to 8, so that the
 * pointer is as aligned as the file offset. *avail (may be NULL): bytes
 * readable from the pointer.
 */
static const void *rd_get(struct reader *r, uint64_t off, size_t len, size_t win,
			  size_t *avail)
{
	uint64_t base;
	size_t want, got = 0;

	if (off > r->file_sz || len > r->file_sz - off || len > MAX_READ) {
		errno = EINVAL;
		return NULL;
	}
	if (off < r->base || off + len > r->base + r->len) {
		base = off & ~(uint64_t)7;
		want = (size_t)(off - base) + (len > win ? len : win);
		if (want > r->file_sz - base)
			want = (size_t)(r->file_sz - base);
		if (want > r->cap) {
			uint8_t *q = realloc(r->buf, want);

			if (!q) {
				errno = ENOMEM;
				return NULL;
			}
			r->buf = q;
			r->cap = want;
		}
		r->len = 0;
		/* A sysfs file gives at most a page per call. */
		while (got < want) {
			ssize_t n = pread(r->fd, r->buf + got, want - got, (off_t)(base + got));

			r->reads++;
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				if (!n)
					errno = EIO;	/* the file shrank */
				return NULL;
			}
			got += (size_t)n;
		}
		r->base = base;
		r->len = got;
	}
	if (avail)
		*avail = (size_t)(r->base + r->len - off);
	return r->buf + (off - r->base);
}

static int read_header(struct ctx *c)
{
	struct btf_header h;
	const void *p;

	if (c->rd.file_sz < sizeof(h))
		return fail(c, "kernel BTF of %llu bytes", (unsigned long long)c->rd.file_sz);
	p = rd_get(&c->rd, 0, sizeof(h), REC_WIN, NULL);
	if (!p)
		return -errno;
	memcpy(&h, p, sizeof(h));
	if (h.magic != BTF_MAGIC || h.version != BTF_VERSION)
		return fail(c, "kernel BTF: bad magic or version (byte order?)");
	if (h.hdr_len < sizeof(h) || h.hdr_len % 4 || h.type_off % 4 ||
	    h.hdr_len > c->rd.file_sz ||
	    (uint64_t)h.type_off + h.type_len > c->rd.file_sz - h.hdr_len ||
	    (uint64_t)h.str_off + h.str_len > c->rd.file_sz - h.hdr_len ||
	    (uint64_t)h.type_off + h.type_len > h.str_off || !h.str_len)
		return fail(c, "kernel BTF: malformed header");
	c->type_start = (uint64_t)h.hdr_len + h.type_off;
	c->type_len = h.type_len;
	c->str_start = (uint64_t)h.hdr_len + h.str_off;
	c->str_len = h.str_len;
	/* Strings are NUL-terminated up to the section's end, as libbpf requires. */
	p = rd_get(&c->rd, c->str_start + c->str_len - 1, 1, 1, NULL);
	if (!p)
		return -errno;
	if (*(const char *)p)
		return fail(c, "kernel BTF: unterminated string section");
	return 0;
}

/*
 * One kernel string at str_off, of length n: does it name a root? Called
 * for each of some 100,000 strings: the essential name (a scan from the end)
 * is computed only for those starting with a root's two first bytes.
 */
static int match_string(struct ctx *c, uint32_t str_off, const char *s, size_t n)
{
	unsigned int key = prefix2(s);
	uint32_t i;

	if (!n || !(c->prefix_seen[key / 8] & (1u << (key % 8))))
		return 0;
	for (i = 0; i < c->root_cnt; i++) {
		const struct root *r = &c->roots[i];

		if (r->ess_len > n || memcmp(r->name, s, r->ess_len) ||
		    essential_len(s, n) != r->ess_len)
			continue;
		if (grow((void **)&c->matches, &c->match_cap, c->match_cnt + 1,
			 sizeof(*c->matches)))
			return -ENOMEM;
		c->matches[c->match_cnt].str_off = str_off;
		c->matches[c->match_cnt].root = i;
		c->match_cnt++;
	}
	return 0;
}

/* Pass 1: the string section, in windows, for the names of the roots. */
static int scan_strings(struct ctx *c)
{
	uint64_t pos = 0;
	bool skipping = false;	/* inside a string longer than a window: no root's */
	int err;

	while (pos < c->str_len) {
		size_t n = c->str_len - pos > SCAN_WIN ? SCAN_WIN : (size_t)(c->str_len - pos);
		const char *p = rd_get(&c->rd, c->str_start + pos, n, SCAN_WIN, NULL);
		size_t i = 0;

		if (!p)
			return -errno;
		while (i < n) {
			const char *z = memchr(p + i, 0, n - i);
			size_t len;

			if (!z)
				break;
			len = (size_t)(z - (p + i));
			if (!skipping) {
				err = match_string(c, (uint32_t)(pos + i), p + i, len);
				if (err)
					return err;
			}
			skipping = false;
			i += len + 1;
		}
		if (!i) {
			/* read_header() made sure the section ends with a NUL. */
			skipping = true;
			i = n;
		}
		/* A string cut by the window's end is read again from its start. */
		pos += i;
	}
	return 0;
}

static int cmp_match(const void *key, const void *elem)
{
	uint32_t k = *(const uint32_t *)key;
	const struct match *m = elem;

	return k < m->str_off ? -1 : k > m->str_off;
}

/* Is type id, named at str_off, of kind, a candidate of some root? */
static int check_candidate(struct ctx *c, uint32_t id, uint32_t str_off, unsigned int kind)
{
	const struct match *m;
	bool cand = false;

	m = bsearch(&str_off, c->matches, c->match_cnt, sizeof(*m), cmp_match);
	if (!m)
		return 0;
	while (m > c->matches && m[-1].str_off == str_off)
		m--;
	for (; m < c->matches + c->match_cnt && m->str_off == str_off; m++) {
		struct root *r = &c->roots[m->root];

		if (kinds_compat(r->kind, kind)) {
			r->found = true;
			cand = true;
		}
	}
	if (!cand)
		return 0;
	if (grow((void **)&c->cands, &c->cand_cap, c->cand_cnt + 1, sizeof(*c->cands)))
		return -ENOMEM;
	c->cands[c->cand_cnt++] = id;
	return 0;
}

/* Pass 2: the type section, in windows: the offset of every type, and the candidates. */
static int scan_types(struct ctx *c)
{
	uint64_t pos = 0;
	uint32_t id = 0;
	int err;

	/* Records average 25 bytes in vmlinux: one allocation there, no copy. */
	err = grow((void **)&c->index, &c->index_cap, c->type_len / 24 + 2, sizeof(*c->index));
	if (err)
		return err;
	c->index[0] = 0;
	while (pos < c->type_len) {
		const uint8_t *p;
		size_t avail;

		if (c->type_len - pos < sizeof(struct btf_type))
			return fail(c, "kernel BTF: truncated type at offset %llu",
				    (unsigned long long)pos);
		p = rd_get(&c->rd, c->type_start + pos, sizeof(struct btf_type), SCAN_WIN, &avail);
		if (!p)
			return -errno;
		if (avail > c->type_len - pos)
			avail = (size_t)(c->type_len - pos);
		/* Every header wholly in the window; the records may go on past it. */
		while (avail >= sizeof(struct btf_type)) {
			const struct btf_type *t = (const struct btf_type *)p;
			int64_t extra = type_extra(t->info);
			uint64_t rec;

			if (extra < 0)
				return fail(c, "kernel BTF: type [%u] of unknown kind %u", id + 1,
					    BTF_INFO_KIND(t->info));
			rec = sizeof(*t) + (uint64_t)extra;
			if (rec > c->type_len - pos)
				return fail(c, "kernel BTF: type [%u] past the type section",
					    id + 1);
			if (id == INT32_MAX - 1)
				return fail(c, "kernel BTF: too many types");
			id++;
			if (id >= c->index_cap &&
			    grow((void **)&c->index, &c->index_cap, (uint64_t)id + 1,
				 sizeof(*c->index)))
				return -ENOMEM;
			c->index[id] = (uint32_t)pos;
			if (t->name_off && c->match_cnt) {
				err = check_candidate(c, id, t->name_off, BTF_INFO_KIND(t->info));
				if (err)
					return err;
			}
			pos += rec;
			if (rec >= avail)
				break;
			p += rec;
			avail -= (size_t)rec;
		}
	}
	c->type_cnt = id;
	return 0;
}

/* Module BTFs are in the directory of vmlinux's, next to it. */
static bool have_module_btf(const char *kernel_btf_path)
{
	struct dirent *de;
	bool found = false;
	DIR *d;

	if (strcmp(kernel_btf_path, WB_BPF_CORE_BTF_KERNEL_PATH))
		return false;	/* a BTF file given for tests: no modules beside it */
	d = opendir("/sys/kernel/btf");
	if (!d)
		return true;	/* cannot tell: assume there are */
	while (!found && (de = readdir(d)))
		found = de->d_name[0] != '.' && strcmp(de->d_name, "vmlinux");
	closedir(d);
	return found;
}

/* The record of type id: its header pointer and total size. */
static const struct btf_type *fetch(struct ctx *c, uint32_t id, size_t win, size_t *size)
{
	uint64_t off = c->type_start + c->index[id];
	const struct btf_type *t;
	int64_t extra;

	t = rd_get(&c->rd, off, sizeof(*t), win, NULL);
	if (!t)
		return NULL;
	/* scan_types() checked the kind and that the record fits. */
	extra = type_extra(t->info);
	*size = sizeof(*t) + (size_t)extra;
	return rd_get(&c->rd, off, *size, win, NULL);
}

static int mark(struct ctx *c, uint32_t id, uint8_t keep)
{
	if (id > c->type_cnt)
		return fail(c, "kernel BTF: reference to type [%u] of %u", id, c->type_cnt);
	if (!id || c->state[id] >= keep)
		return 0;
	c->state[id] = keep;
	if (grow((void **)&c->stack, &c->stack_cap, c->stack_cnt + 1, sizeof(*c->stack)))
		return -ENOMEM;
	c->stack[c->stack_cnt++] = id;
	return 0;
}

/* Mark what type id refers to, as its own keep state requires. */
static int visit(struct ctx *c, uint32_t id)
{
	uint8_t keep = c->state[id];
	const struct btf_type *t;
	unsigned int kind, i, vlen;
	size_t size;
	int err = 0;

	t = fetch(c, id, REC_WIN, &size);
	if (!t)
		return -errno;
	kind = btf_kind(t);
	vlen = btf_vlen(t);
	switch (kind) {
	case BTF_KIND_PTR:
		return mark(c, t->type, KEEP_PTR);
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return mark(c, t->type, keep);
	case BTF_KIND_ARRAY:
		err = mark(c, btf_array(t)->type, keep);
		return err ? err : mark(c, btf_array(t)->index_type, keep);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (keep != KEEP_FULL)
			return 0;	/* a stub */
		for (i = 0; i < vlen && !err; i++)
			err = mark(c, btf_members(t)[i].type, KEEP_FULL);
		return err;
	case BTF_KIND_FUNC_PROTO:
		err = mark(c, t->type, keep);
		for (i = 0; i < vlen && !err; i++)
			err = mark(c, btf_params(t)[i].type, keep);
		return err;
	case BTF_KIND_DATASEC:
		for (i = 0; i < vlen && !err; i++)
			err = mark(c, btf_var_secinfos(t)[i].type, keep);
		return err;
	default:
		return 0;	/* int, float, fwd, enums: nothing further */
	}
}

/* Pass 3: from the candidates, everything libbpf can reach. */
static int closure(struct ctx *c)
{
	uint32_t i;
	int err;

	c->state = calloc((size_t)c->type_cnt + 1, 1);
	if (!c->state)
		return -ENOMEM;
	for (i = 0; i < c->cand_cnt; i++) {
		err = mark(c, c->cands[i], KEEP_FULL);
		if (err)
			return err;
	}
	while (c->stack_cnt) {
		err = visit(c, c->stack[--c->stack_cnt]);
		if (err)
			return err;
	}
	return 0;
}

static int use_str(struct ctx *c, uint32_t off)
{
	if (!off)
		return 0;
	if (off >= c->str_len)
		return fail(c, "kernel BTF: string offset %u past the string section", off);
	if (grow((void **)&c->strs, &c->strs_cap, c->strs_cnt + 1, sizeof(*c->strs)))
		return -ENOMEM;
	c->strs[c->strs_cnt++] = off;
	return 0;
}

/* Pass 4: copy the kept types in id order; ids and names are remapped later. */
static int copy_types(struct ctx *c)
{
	uint32_t id, new_id = 0;
	int err;

	for (id = 1; id <= c->type_cnt; id++) {
		const struct btf_type *t;
		struct btf_type stub;
		unsigned int kind, i, vlen;
		size_t size;

		if (!c->state[id])
			continue;
		t = fetch(c, id, REC_WIN, &size);
		if (!t)
			return -errno;
		kind = btf_kind(t);
		vlen = btf_vlen(t);
		if ((kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION) &&
		    c->state[id] != KEEP_FULL) {
			stub = *t;
			stub.info = t->info & ~0xffffu;
			t = &stub;
			size = sizeof(stub);
			vlen = 0;
			c->st->stub_cnt++;
		}
		err = use_str(c, t->name_off);
		switch (kind) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			for (i = 0; i < vlen && !err; i++)
				err = use_str(c, btf_members(t)[i].name_off);
			break;
		case BTF_KIND_ENUM:
			for (i = 0; i < vlen && !err; i++)
				err = use_str(c, btf_enum(t)[i].name_off);
			break;
		case BTF_KIND_ENUM64:
			for (i = 0; i < vlen && !err; i++)
				err = use_str(c, btf_enum64(t)[i].name_off);
			break;
		case BTF_KIND_FUNC_PROTO:
			for (i = 0; i < vlen && !err; i++)
				err = use_str(c, btf_params(t)[i].name_off);
			break;
		default:
			break;
		}
		if (!err)
			err = append(&c->out, &c->out_len, &c->out_cap, t, size);
		if (err)
			return err;
		/* The offset is not needed any more: the slot now holds the new id. */
		c->index[id] = ++new_id;
	}
	c->st->type_cnt = new_id;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Pass 5: the strings used, in offset order, into a new string section. */
static int copy_strings(struct ctx *c)
{
	uint32_t i, n = 0;
	int err;

	if (c->strs_cnt)
		qsort(c->strs, c->strs_cnt, sizeof(*c->strs), cmp_u32);
	for (i = 0; i < c->strs_cnt; i++)
		if (!n || c->strs[n - 1] != c->strs[i])
			c->strs[n++] = c->strs[i];
	c->strs_cnt = n;
	c->new_strs = malloc(((size_t)n + 1) * sizeof(*c->new_strs));
	if (!c->new_strs)
		return -ENOMEM;
	err = append((uint8_t **)&c->str_out, &c->str_out_len, &c->str_out_cap, "", 1);
	for (i = 0; i < n && !err; i++) {
		uint64_t off = c->str_start + c->strs[i];
		uint64_t left = c->str_len - c->strs[i];
		size_t want = REC_WIN / 16, avail;
		const char *s, *z;

		for (;;) {
			if (want > left)
				want = (size_t)left;
			s = rd_get(&c->rd, off, want, REC_WIN, &avail);
			if (!s)
				return -errno;
			if (avail > left)
				avail = (size_t)left;
			z = memchr(s, 0, avail);
			if (z)
				break;
			/* The section ends with a NUL, so the string does too. */
			if (avail >= MAX_READ / 2)
				return fail(c, "kernel BTF: a string of more than %d bytes",
					    MAX_READ / 2);
			want = avail * 2;
		}
		c->new_strs[i] = (uint32_t)c->str_out_len;
		err = append((uint8_t **)&c->str_out, &c->str_out_len, &c->str_out_cap, s,
			     (size_t)(z - s) + 1);
	}
	if (!err && c->str_out_len > UINT32_MAX / 2)
		err = -E2BIG;
	return err;
}

static int new_str(struct ctx *c, uint32_t *off)
{
	const uint32_t *p;

	if (!*off)
		return 0;
	p = bsearch(off, c->strs, c->strs_cnt, sizeof(*c->strs), cmp_u32);
	if (!p)
		return -EINVAL;	/* every name was collected by copy_types() */
	*off = c->new_strs[p - c->strs];
	return 0;
}

static int new_id(struct ctx *c, uint32_t *id)
{
	if (!*id)
		return 0;
	if (*id > c->type_cnt || !c->state[*id])
		return -EINVAL;	/* every reference of a kept record was marked */
	*id = c->index[*id];
	return 0;
}

/* Pass 6: rewrite type ids and string offsets of the copied records in place. */
static int remap(struct ctx *c)
{
	size_t pos = 0;

	while (pos < c->out_len) {
		struct btf_type *t = (struct btf_type *)(c->out + pos);
		unsigned int kind = btf_kind(t), vlen = btf_vlen(t), i;
		int err = new_str(c, &t->name_off);

		if (!err && has_type_ref(kind))
			err = new_id(c, &t->type);
		switch (kind) {
		case BTF_KIND_ARRAY: {
			struct btf_array *a = btf_array(t);

			if (!err)
				err = new_id(c, &a->type);
			if (!err)
				err = new_id(c, &a->index_type);
			break;
		}
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			for (i = 0; i < vlen && !err; i++) {
				err = new_str(c, &btf_members(t)[i].name_off);
				if (!err)
					err = new_id(c, &btf_members(t)[i].type);
			}
			break;
		case BTF_KIND_ENUM:
			for (i = 0; i < vlen && !err; i++)
				err = new_str(c, &btf_enum(t)[i].name_off);
			break;
		case BTF_KIND_ENUM64:
			for (i = 0; i < vlen && !err; i++)
				err = new_str(c, &btf_enum64(t)[i].name_off);
			break;
		case BTF_KIND_FUNC_PROTO:
			for (i = 0; i < vlen && !err; i++) {
				err = new_str(c, &btf_params(t)[i].name_off);
				if (!err)
					err = new_id(c, &btf_params(t)[i].type);
			}
			break;
		case BTF_KIND_DATASEC:
			for (i = 0; i < vlen && !err; i++)
				err = new_id(c, &btf_var_secinfos(t)[i].type);
			break;
		default:
			break;
		}
		if (err)
			return fail(c, "internal error: a kept type refers to a dropped one");
		pos += sizeof(*t) + (size_t)type_extra(t->info);
	}
	return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The raw BTF file: header, types, strings. Returns the memfd or -errno. */
static int write_btf(struct ctx *c)
{
	struct btf_header h = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(h),
		.type_off = 0,
		.type_len = (uint32_t)c->out_len,
		.str_off = (uint32_t)c->out_len,
		.str_len = (uint32_t)c->str_out_len,
	};
	int fd, err;

	if (c->out_len > UINT32_MAX / 2)
		return -E2BIG;
	fd = memfd_create("wasm-bpf-core-btf", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = write_all(fd, &h, sizeof(h));
	if (!err)
		err = write_all(fd, c->out, c->out_len);
	if (!err)
		err = write_all(fd, c->str_out, c->str_out_len);
	if (err) {
		close(fd);
		return err;
	}
	c->st->size = sizeof(h) + c->out_len + c->str_out_len;
	return fd;
}

/* libbpf finds the pointer size from an int named like "long". */
static const char *const long_names[] = {
	"long", "long int", "int long", "unsigned long", "long unsigned",
	"unsigned long int", "unsigned int long", "long unsigned int", "long int unsigned",
	"int unsigned long", "int long unsigned",
};

static int build(struct ctx *c, const void *elf, size_t elf_sz, const char *path)
{
	const uint8_t *btf_data, *ext;
	size_t btf_sz, ext_sz, i;
	struct btf *local = NULL;
	struct stat sb;
	int err;

	err = find_sections(c, elf, elf_sz, &btf_data, &btf_sz, &ext, &ext_sz);
	if (err)
		return err;
	/* Without .BTF, libbpf ignores .BTF.ext. */
	if (!btf_data || !ext)
		return -ENODATA;
	local = btf_sz <= UINT32_MAX ? btf__new(btf_data, (uint32_t)btf_sz) : NULL;
	if (!local) {
		err = fail(c, "the object's .BTF does not parse");
		goto out;
	}
	err = collect_roots(c, local, ext, ext_sz);
	c->st->root_cnt = c->root_cnt;
	for (i = 0; !err && i < sizeof(long_names) / sizeof(long_names[0]); i++)
		err = add_root(c, long_names[i], BTF_KIND_INT, true);
	if (err)
		goto out;

	c->rd.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (c->rd.fd < 0 || fstat(c->rd.fd, &sb)) {
		err = -errno;
		snprintf(c->st->reason, sizeof(c->st->reason), "cannot read %s: %s", path,
			 strerror(errno));
		goto out;
	}
	c->rd.file_sz = (uint64_t)sb.st_size;
	c->st->kernel_size = (size_t)sb.st_size;
	err = read_header(c);
	if (!err)
		err = scan_strings(c);
	if (!err)
		err = scan_types(c);
	if (err)
		goto out;
	c->st->kernel_type_cnt = c->type_cnt;
	c->st->cand_cnt = c->cand_cnt;
	for (i = 0; i < c->root_cnt; i++) {
		const struct root *r = &c->roots[i];

		if (!r->found && !r->pseudo && have_module_btf(path)) {
			err = fail(c, "no '%.*s' of kind %u in vmlinux: it may be in a module's BTF",
				   (int)r->ess_len, r->name, r->kind);
			goto out;
		}
	}
	/* Not needed any more: the candidates hold what they found. */
	free(c->matches);
	c->matches = NULL;
	err = closure(c);
	if (!err)
		err = copy_types(c);
	if (!err)
		err = copy_strings(c);
	if (!err)
		err = remap(c);
	if (!err)
		err = write_btf(c);
out:
	btf__free(local);
	return err;
}

int wb_bpf_core_btf_build(const void *elf, size_t elf_sz, const char *kernel_btf_path,
			  struct wb_bpf_core_btf_stats *stats)
{
	struct wb_bpf_core_btf_stats dummy;
	struct ctx c = { 0 };
	uint64_t t0 = now_usec();
	int ret;

	c.st = stats ? stats : &dummy;
	memset(c.st, 0, sizeof(*c.st));
	c.rd.fd = -1;
	ret = build(&c, elf, elf_sz, kernel_btf_path ? kernel_btf_path : WB_BPF_CORE_BTF_KERNEL_PATH);
	if (ret == -ENOMEM && !c.st->reason[0])
		snprintf(c.st->reason, sizeof(c.st->reason), "out of memory");
	c.st->read_cnt = c.rd.reads;
	if (c.rd.fd >= 0)
		close(c.rd.fd);
	free(c.rd.buf);
	free(c.roots);
	free(c.local_seen);
	free(c.matches);
	free(c.cands);
	free(c.index);
	free(c.state);
	free(c.stack);
	free(c.out);
	free(c.strs);
	free(c.new_strs);
	free(c.str_out);
	c.st->usec = now_usec() - t0;
	return ret;
}
