/* SPDX-License-Identifier: MIT */
/*
 * The inspection of an eBPF object before it is loaded: its programs (types
 * from libbpf, helper and kfunc calls from the instructions of each program
 * and of every subprogram and callback it reaches), its maps with an
 * estimate of their kernel memory, pinning and license. Instructions and
 * relocations are read from the ELF image with libelf, because libbpf only
 * resolves kfunc calls and subprogram calls at load time.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "bpf_internal.h"
#include "wasm-bpf/policy.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

/* ---------------------------------------------------------------- helper names */

/*
 * Helper names by id, from the UAPI header's X-macro (one-argument FN in
 * every header version, commas included): what this build knows; newer ids print as numbers.
 */
#define WB_HELPER_NAME(x) [BPF_FUNC_##x] = "bpf_" #x
static const char *const helper_names[] = {
	__BPF_FUNC_MAPPER(WB_HELPER_NAME)
};
#undef WB_HELPER_NAME

#define HELPER_CNT (sizeof(helper_names) / sizeof(helper_names[0]))

const char *wb_bpf_helper_name(uint32_t id)
{
	if (id == 0 || id >= HELPER_CNT)
		return NULL;
	return helper_names[id];
}

int wb_bpf_helper_id(const char *name)
{
	size_t i;

	if (!strncmp(name, "bpf_", 4))
		name += 4;
	for (i = 1; i < HELPER_CNT; i++)
		if (helper_names[i] && !strcmp(helper_names[i] + 4, name))
			return (int)i;
	return -ENOENT;
}

/* ---------------------------------------------------------------- messages */

/* ---------------------------------------------------------------- ELF probe */

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

bool wb_bpf_elf_probe(const uint8_t *p, size_t avail, size_t *len)
{
	uint64_t shoff, end;
	uint16_t shnum, shentsize;

	/* 64-bit little-endian ELF for EM_BPF: what clang -target bpf makes here. */
	if (avail < 64 || memcmp(p, "\177ELF", 4) || p[4] != 2 || p[5] != 1 ||
	    rd16(p + 18) != EM_BPF)
		return false;
	shoff = rd64(p + 0x28);
	shentsize = rd16(p + 0x3a);
	shnum = rd16(p + 0x3c);
	if (shentsize != 64 || !shnum || shoff > avail)
		return false;
	end = shoff + (uint64_t)shnum * shentsize;
	if (end > avail)
		return false;
	if (len)
		*len = (size_t)end;
	return true;
}

/* ---------------------------------------------------------------- ELF model */

struct elf_sec {
	const char *name;
	GElf_Shdr sh;
	const uint8_t *data;		/* NULL for SHT_NOBITS */
	size_t size;
	int rel;			/* index of its SHT_REL section, or 0 */
};

struct elf_img {
	Elf *elf;
	struct elf_sec *secs;
	size_t sec_cnt;
	int symtab;			/* section index, or 0 */
	size_t sym_cnt;
};

static void img_close(struct elf_img *m)
{
	free(m->secs);
	if (m->elf)
		elf_end(m->elf);
	memset(m, 0, sizeof(*m));
}

static int img_open(struct elf_img *m, void *buf, size_t sz, char *err, size_t err_sz)
{
	size_t shstrndx, i;
	Elf_Scn *scn;

	memset(m, 0, sizeof(*m));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EINVAL;
	m->elf = elf_memory(buf, sz);
	if (!m->elf || elf_kind(m->elf) != ELF_K_ELF ||
	    elf_getshdrnum(m->elf, &m->sec_cnt) || elf_getshdrstrndx(m->elf, &shstrndx)) {
		wb_bpf_msg(err, err_sz, "not an ELF object: %s", elf_errmsg(-1));
		img_close(m);
		return -EINVAL;
	}
	m->secs = calloc(m->sec_cnt ? m->sec_cnt : 1, sizeof(*m->secs));
	if (!m->secs) {
		img_close(m);
		return -ENOMEM;
	}
	for (i = 1; i < m->sec_cnt; i++) {
		struct elf_sec *s = &m->secs[i];
		Elf_Data *d;

		scn = elf_getscn(m->elf, i);
		if (!scn || !gelf_getshdr(scn, &s->sh))
			goto bad;
		s->name = elf_strptr(m->elf, shstrndx, s->sh.sh_name);
		if (!s->name)
			s->name = "";
		if (s->sh.sh_type == SHT_NOBITS)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d)
			goto bad;
		s->data = d->d_buf;
		s->size = d->d_size;
		if (s->sh.sh_type == SHT_SYMTAB && s->sh.sh_entsize) {
			m->symtab = (int)i;
			m->sym_cnt = s->size / sizeof(Elf64_Sym);
		}
	}
	for (i = 1; i < m->sec_cnt; i++) {
		struct elf_sec *s = &m->secs[i];

		if (s->sh.sh_type == SHT_REL && s->sh.sh_info < m->sec_cnt)
			m->secs[s->sh.sh_info].rel = (int)i;
	}
	return 0;
bad:
	wb_bpf_msg(err, err_sz, "malformed ELF section %zu: %s", i, elf_errmsg(-1));
	img_close(m);
	return -EINVAL;
}

static bool img_sym(const struct elf_img *m, size_t i, GElf_Sym *sym)
{
	Elf_Scn *scn;
	Elf_Data *d;

	if (!m->symtab || i >= m->sym_cnt)
		return false;
	scn = elf_getscn(m->elf, m->symtab);
	d = scn ? elf_getdata(scn, NULL) : NULL;
	return d && gelf_getsym(d, (int)i, sym);
}

static const char *img_sym_name(const struct elf_img *m, const GElf_Sym *sym)
{
	const char *n = elf_strptr(m->elf, m->secs[m->symtab].sh.sh_link, sym->st_name);

	return n ? n : "";
}

static bool sec_is_code(const struct elf_img *m, size_t idx)
{
	return idx > 0 && idx < m->sec_cnt && m->secs[idx].data &&
	       (m->secs[idx].sh.sh_flags & SHF_EXECINSTR);
}

/* The symbol of the relocation at byte offset off of section sec, if any. */
static bool img_reloc_at(const struct elf_img *m, size_t sec, uint64_t off, GElf_Sym *sym)
{
	int rel = m->secs[sec].rel;
	Elf_Scn *scn;
	Elf_Data *d;
	size_t i, n;

	if (!rel || !m->secs[rel].sh.sh_entsize)
		return false;
	scn = elf_getscn(m->elf, rel);
	d = scn ? elf_getdata(scn, NULL) : NULL;
	if (!d)
		return false;
	n = d->d_size / m->secs[rel].sh.sh_entsize;
	for (i = 0; i < n; i++) {
		GElf_Rel r;

		if (!gelf_getrel(d, (int)i, &r))
			return false;
		if (r.r_offset == off)
			return img_sym(m, GELF_R_SYM(r.r_info), sym);
	}
	return false;
}

/* ---------------------------------------------------------------- the walk */

/* A function to scan: [start, end) instruction indexes of section sec. */
struct func_ref {
	size_t sec;
	size_t start, end;
};

struct walk {
	const struct elf_img *m;
	const struct btf *btf;
	struct func_ref *todo;		/* every function found; [done, cnt) to scan */
	size_t cnt, cap, done;
	uint32_t *helpers;
	uint32_t helper_cnt, helper_cap;
	char **kfuncs;
	uint32_t kfunc_cnt, kfunc_cap;
	uint32_t insn_cnt;
};

/* The end of the function starting at insn start of sec: its symbol's size, or the section end. */
static size_t func_end(const struct elf_img *m, size_t sec, size_t start)
{
	size_t i, end = m->secs[sec].size / sizeof(struct bpf_insn);

	for (i = 1; i < m->sym_cnt; i++) {
		GElf_Sym s;

		if (!img_sym(m, i, &s) || s.st_shndx != sec || GELF_ST_TYPE(s.st_info) != STT_FUNC)
			continue;
		if (s.st_value / 8 <= start && s.st_size && (s.st_value + s.st_size) / 8 > start)
			return (s.st_value + s.st_size) / 8 < end ? (s.st_value + s.st_size) / 8
								  : end;
	}
	return end;
}

static int walk_add_func(struct walk *w, size_t sec, size_t start)
{
	size_t i;

	if (!sec_is_code(w->m, sec) || start >= w->m->secs[sec].size / sizeof(struct bpf_insn))
		return 0;	/* the verifier refuses it; nothing to run */
	for (i = 0; i < w->cnt; i++)
		if (w->todo[i].sec == sec && w->todo[i].start == start)
			return 0;
	if (w->cnt == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		struct func_ref *n = realloc(w->todo, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		w->todo = n;
		w->cap = cap;
	}
	w->todo[w->cnt].sec = sec;
	w->todo[w->cnt].start = start;
	w->todo[w->cnt].end = func_end(w->m, sec, start);
	w->cnt++;
	return 0;
}

static int walk_helper(struct walk *w, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < w->helper_cnt; i++)
		if (w->helpers[i] == id)
			return 0;
	if (w->helper_cnt == w->helper_cap) {
		uint32_t cap = w->helper_cap ? w->helper_cap * 2 : 16;
		uint32_t *n = realloc(w->helpers, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		w->helpers = n;
		w->helper_cap = cap;
	}
	w->helpers[w->helper_cnt++] = id;
	return 0;
}

static int walk_kfunc(struct walk *w, const char *name)
{
	uint32_t i;
	char *dup;

	for (i = 0; i < w->kfunc_cnt; i++)
		if (!strcmp(w->kfuncs[i], name))
			return 0;
	if (w->kfunc_cnt == w->kfunc_cap) {
		uint32_t cap = w->kfunc_cap ? w->kfunc_cap * 2 : 4;
		char **n = realloc(w->kfuncs, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		w->kfuncs = n;
		w->kfunc_cap = cap;
	}
	dup = strdup(name);
	if (!dup)
		return -ENOMEM;
	w->kfuncs[w->kfunc_cnt++] = dup;
	return 0;
}

/* Code referenced by a relocation: a subprogram call or a callback address. */
static int walk_code_ref(struct walk *w, const GElf_Sym *sym, int64_t insn_delta)
{
	int64_t start = (int64_t)(sym->st_value / 8) + insn_delta;

	if (start < 0)
		return 0;
	return walk_add_func(w, sym->st_shndx, (size_t)start);
}

static int walk_func(struct walk *w, const struct func_ref *f)
{
	const struct elf_img *m = w->m;
	/* Section data may sit at any offset of the image: copy each instruction out. */
	const uint8_t *code = m->secs[f->sec].data;
	size_t i;
	int ret = 0;

	for (i = f->start; i < f->end && !ret; i++) {
		struct bpf_insn insn;
		const struct bpf_insn *in = &insn;
		uint64_t off = i * sizeof(insn);
		GElf_Sym sym;
		bool has_rel;

		memcpy(&insn, code + off, sizeof(insn));
		w->insn_cnt++;
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			/* A callback's address (bpf_loop, timers, for_each_map_elem). */
			if (img_reloc_at(m, f->sec, off, &sym) && sec_is_code(m, sym.st_shndx))
				ret = walk_code_ref(w, &sym, in->imm / 8);
			else if (in->src_reg == BPF_PSEUDO_FUNC)
				ret = walk_add_func(w, f->sec, i + in->imm + 1);
			i++;
			w->insn_cnt++;
			continue;
		}
		if (in->code != (BPF_JMP | BPF_CALL))
			continue;
		if (in->src_reg == 0) {
			ret = walk_helper(w, (uint32_t)in->imm);
			continue;
		}
		has_rel = img_reloc_at(m, f->sec, off, &sym);
		if (in->src_reg == BPF_PSEUDO_KFUNC_CALL) {
			/* Already resolved to a BTF id of the object (hand-made objects). */
			const struct btf_type *t = w->btf ? btf__type_by_id(w->btf, in->imm) : NULL;
			const char *n = t ? btf__name_by_offset(w->btf, t->name_off) : NULL;
			char buf[32];

			if (!n || !*n) {
				snprintf(buf, sizeof(buf), "btf_id_%d", in->imm);
				n = buf;
			}
			ret = walk_kfunc(w, n);
		} else if (in->src_reg == BPF_PSEUDO_CALL) {
			if (has_rel && sym.st_shndx == SHN_UNDEF)
				ret = walk_kfunc(w, img_sym_name(m, &sym));	/* extern __ksym */
			else if (has_rel)
				ret = walk_code_ref(w, &sym, (int64_t)in->imm + 1);
			else
				ret = walk_add_func(w, f->sec, i + in->imm + 1);
		}
	}
	return ret;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Find the program's own function and everything it reaches. */
static int inspect_prog(const struct elf_img *m, const struct btf *btf,
			const struct bpf_program *prog, struct wb_bpf_report_prog *out)
{
	const char *name = bpf_program__name(prog);
	const char *secname = bpf_program__section_name(prog);
	struct walk w = { .m = m, .btf = btf };
	size_t i;
	int ret = 0;

	for (i = 1; i < m->sym_cnt; i++) {
		GElf_Sym s;

		if (!img_sym(m, i, &s) || GELF_ST_TYPE(s.st_info) != STT_FUNC ||
		    !sec_is_code(m, s.st_shndx) || strcmp(m->secs[s.st_shndx].name, secname) ||
		    strcmp(img_sym_name(m, &s), name))
			continue;
		ret = walk_add_func(&w, s.st_shndx, s.st_value / 8);
		break;
	}
	/* No code to read means nothing to vouch for: fail closed. */
	if (!ret && !w.cnt)
		ret = -ENOEXEC;
	while (!ret && w.done < w.cnt) {
		struct func_ref f = w.todo[w.done++];

		ret = walk_func(&w, &f);
	}
	free(w.todo);
	if (ret) {
		free(w.helpers);
		for (i = 0; i < w.kfunc_cnt; i++)
			free(w.kfuncs[i]);
		free(w.kfuncs);
		return ret;
	}
	if (w.helper_cnt)
		qsort(w.helpers, w.helper_cnt, sizeof(*w.helpers), cmp_u32);
	out->helpers = w.helpers;
	out->helper_cnt = w.helper_cnt;
	out->kfuncs = w.kfuncs;
	out->kfunc_cnt = w.kfunc_cnt;
	out->insn_cnt = w.insn_cnt;
	return 0;
}

/* ---------------------------------------------------------------- maps */

/* Rough per-element cost of the kernel's hash tables (element header, bucket). */
#define HTAB_ELEM_OVERHEAD 48

static uint64_t round8(uint64_t v)
{
	return (v + 7) & ~7ULL;
}

/*
 * An estimate of the kernel memory of a map, from its definition: what the
 * operator compares with --max-map-memory. Storage maps (per task, socket,
 * inode, cgroup) grow with their owners: one value is counted.
 */
static uint64_t map_memory(uint32_t type, uint64_t key, uint64_t value, uint64_t n,
			   uint64_t ncpus)
{
	uint64_t k = round8(key), v = round8(value);

	switch (type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return n * v;
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return n * v * ncpus;
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LPM_TRIE:
		return n * (k + v + HTAB_ELEM_OVERHEAD);
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		return n * (k + 8 + HTAB_ELEM_OVERHEAD + v * ncpus);
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_SOCKHASH:
		return n * (k + 8 + HTAB_ELEM_OVERHEAD);
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_USER_RINGBUF:
		return n;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		return (n ? n : ncpus) * 8;
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_CPUMAP:
	case BPF_MAP_TYPE_XSKMAP:
	case BPF_MAP_TYPE_SOCKMAP:
	case BPF_MAP_TYPE_REUSEPORT_SOCKARRAY:
		return n * 8;
	case BPF_MAP_TYPE_STACK_TRACE:
		return n * (v + 32);
	case BPF_MAP_TYPE_BLOOM_FILTER:
		return n;	/* about 7 bits per element with 5 hashes */
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
	case 32:	/* BPF_MAP_TYPE_CGRP_STORAGE, newer than some headers */
		return v;
	default:
		return n * (k + v);
	}
}

/* ---------------------------------------------------------------- reports */

void wb_bpf_report__free(struct wb_bpf_report *r)
{
	uint32_t i, j;

	if (!r)
		return;
	for (i = 0; i < r->prog_cnt; i++) {
		struct wb_bpf_report_prog *p = &r->progs[i];

		free(p->name);
		free(p->section);
		free(p->helpers);
		for (j = 0; j < p->kfunc_cnt; j++)
			free(p->kfuncs[j]);
		free(p->kfuncs);
	}
	for (i = 0; i < r->map_cnt; i++) {
		free(r->maps[i].name);
		free(r->maps[i].pin_path);
	}
	free(r->progs);
	free(r->maps);
	free(r->license);
	free(r);
}

static char *license_of(const struct elf_img *m)
{
	size_t i;

	for (i = 1; i < m->sec_cnt; i++) {
		const struct elf_sec *s = &m->secs[i];

		if (!strcmp(s->name, "license") && s->data && s->size)
			return strndup((const char *)s->data, s->size);
	}
	return NULL;
}

int wb_bpf_inspect_object(struct bpf_object *obj, const void *elf, size_t sz,
			  struct wb_bpf_report **out, char *err, size_t err_sz)
{
	struct wb_bpf_report *r = NULL;
	struct bpf_program *prog;
	struct bpf_map *map;
	struct elf_img m;
	void *copy;
	uint32_t n;
	int ncpus, ret;

	*out = NULL;
	/* libelf may touch the buffer it reads: give it our own, aligned. */
	copy = malloc(sz ? sz : 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, elf, sz);
	ret = img_open(&m, copy, sz, err, err_sz);
	if (ret) {
		free(copy);
		return ret;
	}
	ncpus = libbpf_num_possible_cpus();
	if (ncpus < 1)
		ncpus = 1;
	r = calloc(1, sizeof(*r));
	if (!r)
		goto oom;
	r->license = license_of(&m);

	n = 0;
	bpf_object__for_each_program(prog, obj)
		n++;
	r->progs = calloc(n ? n : 1, sizeof(*r->progs));
	if (!r->progs)
		goto oom;
	bpf_object__for_each_program(prog, obj) {
		struct wb_bpf_report_prog *p = &r->progs[r->prog_cnt];
		const char *tn = libbpf_bpf_prog_type_str(bpf_program__type(prog));

		p->name = strdup(bpf_program__name(prog));
		p->section = strdup(bpf_program__section_name(prog));
		r->prog_cnt++;
		if (!p->name || !p->section)
			goto oom;
		p->type = bpf_program__type(prog);
		p->type_name = tn ? tn : "unknown";
		p->autoload = bpf_program__autoload(prog);
		ret = inspect_prog(&m, bpf_object__btf(obj), prog, p);
		if (ret == -ENOEXEC) {
			wb_bpf_msg(err, err_sz, "program '%s': its code is not in the ELF image",
				p->name);
			ret = -EINVAL;
		}
		if (ret)
			goto out;
	}

	n = 0;
	bpf_object__for_each_map(map, obj)
		n++;
	r->maps = calloc(n ? n : 1, sizeof(*r->maps));
	if (!r->maps)
		goto oom;
	bpf_object__for_each_map(map, obj) {
		struct wb_bpf_report_map *mp = &r->maps[r->map_cnt++];
		const char *tn = libbpf_bpf_map_type_str(bpf_map__type(map));
		const char *pin = bpf_map__pin_path(map);

		mp->name = strdup(bpf_map__name(map));
		if (!mp->name)
			goto oom;
		if (pin) {
			mp->pin_path = strdup(pin);
			if (!mp->pin_path)
				goto oom;
		}
		mp->type = bpf_map__type(map);
		mp->type_name = tn ? tn : "unknown";
		mp->key_size = bpf_map__key_size(map);
		mp->value_size = bpf_map__value_size(map);
		mp->max_entries = bpf_map__max_entries(map);
		mp->map_flags = bpf_map__map_flags(map);
		mp->memory = map_memory(mp->type, mp->key_size, mp->value_size, mp->max_entries,
					(uint64_t)ncpus);
		r->map_memory += mp->memory;
	}
	ret = 0;
	goto out;
oom:
	ret = -ENOMEM;
out:
	img_close(&m);
	free(copy);
	if (ret) {
		if (ret == -ENOMEM)
			wb_bpf_msg(err, err_sz, "out of memory");
		wb_bpf_report__free(r);
		return ret;
	}
	*out = r;
	return 0;
}

/*
 * libbpf's print callback is process-wide: while we open an object on our
 * own, its messages are kept (the last one is the reason of a failure)
 * instead of reaching stderr.
 */
static char open_msg[256];

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN) {
		size_t n;

		vsnprintf(open_msg, sizeof(open_msg), fmt, ap);
		n = strlen(open_msg);
		while (n && open_msg[n - 1] == '\n')
			open_msg[--n] = '\0';
	}
	return 0;
}

int wb_bpf_inspect(const void *elf, size_t sz, struct wb_bpf_report **out, char *err,
		   size_t err_sz)
{
	LIBBPF_OPTS(bpf_object_open_opts, oopts, .object_name = "wasm_bpf");
	libbpf_print_fn_t old;
	struct bpf_object *obj;
	void *copy;
	int ret;

	*out = NULL;
	if (!wb_bpf_elf_probe(elf, sz, NULL)) {
		wb_bpf_msg(err, err_sz, "not a 64-bit little-endian eBPF ELF object");
		return -EINVAL;
	}
	/* libbpf 1.1 crashes on some corrupt images: a child tries first (trial.c). */
	ret = wb_bpf_trial_open(elf, sz, err, err_sz);
	if (ret)
		return ret;
	/* libbpf keeps using the buffer it opened until the object is closed. */
	copy = malloc(sz);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, elf, sz);
	open_msg[0] = '\0';
	old = libbpf_set_print(quiet_print);
	obj = bpf_object__open_mem(copy, sz, &oopts);
	ret = obj ? 0 : -errno;
	libbpf_set_print(old);
	if (ret) {
		char msg[128];

		libbpf_strerror(ret, msg, sizeof(msg));
		wb_bpf_msg(err, err_sz, "libbpf cannot open the object: %s%s%s", msg,
			open_msg[0] ? ": " : "", open_msg);
		free(copy);
		return ret;
	}
	ret = wb_bpf_inspect_object(obj, elf, sz, out, err, err_sz);
	bpf_object__close(obj);
	free(copy);
	return ret;
}
