/* SPDX-License-Identifier: MIT */
/*
 * `gen skeleton`: the libbpf-style skeleton of an eBPF object for wasm32
 * guests of the C SDK (sdk/c/libbpf-wasm.h): struct NAME with maps, progs,
 * links and typed views of .rodata/.data/.bss, the open/load/attach/...
 * functions, and the object embedded as bytes.
 *
 * The object is opened (not loaded) with libbpf to list maps and programs
 * and to get BTF whose DATASECs have their final sizes and variable offsets.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include <wasm-bpf/gen.h>

#include "gen_internal.h"

#define MAX_NAME 128

/* The global sections a skeleton exposes, in libbpf's order. */
static const char *const global_secs[] = { ".rodata", ".data", ".bss" };
#define GLOBAL_CNT (sizeof(global_secs) / sizeof(global_secs[0]))

struct skel {
	const char *name;	/* struct name, e.g. nasty_bpf */
	struct bpf_object *obj;
	const struct btf *btf;
	struct wb_ctypes *ct;
	FILE *out;
	/* Global sections: members sorted by offset; NULL if none. */
	struct wb_cmember *vars[GLOBAL_CNT];
	size_t var_cnt[GLOBAL_CNT];
	__u32 sec_sz[GLOBAL_CNT];
	bool has_sec[GLOBAL_CNT];
};

static int silent_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int cmp_off(const void *a, const void *b)
{
	const struct wb_cmember *x = a, *y = b;

	return x->bit_off < y->bit_off ? -1 : x->bit_off > y->bit_off;
}

/* Which of .rodata/.data/.bss an internal map holds, or -1. */
static int global_index(const struct bpf_map *map)
{
	const char *dot;
	size_t i;

	if (!bpf_map__is_internal(map))
		return -1;
	dot = strchr(bpf_map__name(map), '.');
	for (i = 0; dot && i < GLOBAL_CNT; i++)
		if (!strcmp(dot, global_secs[i]))
			return i;
	return -1;
}

/* Global variables of one DATASEC that are C identifiers, sorted by offset. */
static int collect_vars(struct skel *sk, size_t idx)
{
	const struct btf *btf = sk->btf;
	const struct btf_var_secinfo *vs;
	const struct btf_type *ds;
	struct wb_cmember *m;
	__s32 id;
	size_t n = 0;
	int i;

	id = btf__find_by_name_kind(btf, global_secs[idx], BTF_KIND_DATASEC);
	if (id <= 0)
		return 0;
	ds = btf__type_by_id(btf, id);
	sk->sec_sz[idx] = ds->size;
	if (!btf_vlen(ds))
		return 0;
	m = calloc(btf_vlen(ds), sizeof(*m));
	if (!m)
		return -ENOMEM;
	for (i = 0, vs = btf_var_secinfos(ds); i < btf_vlen(ds); i++, vs++) {
		const struct btf_type *v = btf__type_by_id(btf, vs->type);
		const char *name;

		if (!v || !btf_is_var(v))
			continue;
		/* As in libbpf skeletons, static variables stay private (padding). */
		if (btf_var(v)->linkage == BTF_VAR_STATIC)
			continue;
		name = btf__name_by_offset(btf, v->name_off);
		if (!wb_gen_is_ident(name))
			continue;
		m[n].name = name;
		m[n].type_id = v->type;
		m[n].bit_off = vs->offset * 8;
		n++;
	}
	qsort(m, n, sizeof(*m), cmp_off);
	sk->vars[idx] = m;
	sk->var_cnt[idx] = n;
	return 0;
}

static void write_fns(struct skel *sk)
{
	const char *n = sk->name;

	fprintf(sk->out,
		"static inline void %s__destroy(struct %s *obj)\n"
		"{\n"
		"\tif (!obj)\n"
		"\t\treturn;\n"
		"\tif (obj->skeleton)\n"
		"\t\tbpf_object__destroy_skeleton(obj->skeleton);\n"
		"\tfree(obj);\n"
		"}\n\n"
		"static inline int %s__create_skeleton(struct %s *obj);\n\n"
		"static inline struct %s *%s__open_opts(const struct bpf_object_open_opts *opts)\n"
		"{\n"
		"\tstruct %s *obj;\n"
		"\tint err;\n\n"
		"\tobj = (struct %s *)calloc(1, sizeof(*obj));\n"
		"\tif (!obj) {\n"
		"\t\terrno = ENOMEM;\n"
		"\t\treturn NULL;\n"
		"\t}\n"
		"\terr = %s__create_skeleton(obj);\n"
		"\tif (err)\n"
		"\t\tgoto err_out;\n"
		"\terr = bpf_object__open_skeleton(obj->skeleton, opts);\n"
		"\tif (err)\n"
		"\t\tgoto err_out;\n"
		"\treturn obj;\n"
		"err_out:\n"
		"\t%s__destroy(obj);\n"
		"\terrno = -err;\n"
		"\treturn NULL;\n"
		"}\n\n",
		n, n, n, n, n, n, n, n, n, n);
	fprintf(sk->out,
		"static inline struct %s *%s__open(void)\n"
		"{\n"
		"\treturn %s__open_opts(NULL);\n"
		"}\n\n"
		"static inline int %s__load(struct %s *obj)\n"
		"{\n"
		"\treturn bpf_object__load_skeleton(obj->skeleton);\n"
		"}\n\n"
		"static inline struct %s *%s__open_and_load(void)\n"
		"{\n"
		"\tstruct %s *obj;\n"
		"\tint err;\n\n"
		"\tobj = %s__open();\n"
		"\tif (!obj)\n"
		"\t\treturn NULL;\n"
		"\terr = %s__load(obj);\n"
		"\tif (err) {\n"
		"\t\t%s__destroy(obj);\n"
		"\t\terrno = -err;\n"
		"\t\treturn NULL;\n"
		"\t}\n"
		"\treturn obj;\n"
		"}\n\n"
		"static inline int %s__attach(struct %s *obj)\n"
		"{\n"
		"\treturn bpf_object__attach_skeleton(obj->skeleton);\n"
		"}\n\n"
		"static inline void %s__detach(struct %s *obj)\n"
		"{\n"
		"\tbpf_object__detach_skeleton(obj->skeleton);\n"
		"}\n\n",
		n, n, n, n, n, n, n, n, n, n, n, n, n, n, n);
}

static int write_elf_bytes(struct skel *sk, const char *path)
{
	unsigned char chunk[4096];
	size_t got, i, col = 0;
	FILE *f;
	int err = 0;

	f = fopen(path, "rb");
	if (!f)
		return -errno;
	fprintf(sk->out,
		"static inline const void *%s__elf_bytes(size_t *sz)\n"
		"{\n"
		"\tstatic const unsigned char data[] __attribute__((aligned(8))) = {\n",
		sk->name);
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		for (i = 0; i < got; i++) {
			fprintf(sk->out, "%s0x%02x,", col ? " " : "\t\t", chunk[i]);
			if (++col == 16) {
				fputc('\n', sk->out);
				col = 0;
			}
		}
	}
	if (ferror(f))
		err = -EIO;
	fclose(f);
	if (col)
		fputc('\n', sk->out);
	fprintf(sk->out,
		"\t};\n\n"
		"\t*sz = sizeof(data);\n"
		"\treturn data;\n"
		"}\n\n");
	return err;
}

static void write_create(struct skel *sk)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	int map_cnt = 0, prog_cnt = 0, i;
	FILE *o = sk->out;

	bpf_object__for_each_map(map, sk->obj)
		if (!bpf_map__is_internal(map) || global_index(map) >= 0)
			map_cnt++;
	bpf_object__for_each_program(prog, sk->obj)
		prog_cnt++;
	fprintf(o,
		"static inline int %s__create_skeleton(struct %s *obj)\n"
		"{\n"
		"\tstruct bpf_object_skeleton *s;\n\n"
		"\ts = (struct bpf_object_skeleton *)calloc(1, sizeof(*s));\n"
		"\tif (!s)\n"
		"\t\tgoto err;\n"
		"\ts->sz = sizeof(*s);\n"
		"\ts->name = \"%s\";\n"
		"\ts->obj = &obj->obj;\n\n",
		sk->name, sk->name, sk->name);
	if (map_cnt) {
		fprintf(o,
			"\ts->map_cnt = %d;\n"
			"\ts->map_skel_sz = sizeof(*s->maps);\n"
			"\ts->maps = (struct bpf_map_skeleton *)calloc(s->map_cnt, s->map_skel_sz);\n"
			"\tif (!s->maps)\n"
			"\t\tgoto err;\n",
			map_cnt);
		i = 0;
		bpf_object__for_each_map(map, sk->obj) {
			int g = global_index(map);

			if (bpf_map__is_internal(map) && g < 0)
				continue;
			fputc('\n', o);
			if (g < 0) {
				fprintf(o,
					"\ts->maps[%d].name = \"%s\";\n"
					"\ts->maps[%d].map = &obj->maps.%s;\n",
					i, bpf_map__name(map), i, bpf_map__name(map));
			} else {
				fprintf(o,
					"\ts->maps[%d].name = \"%s\";\n"
					"\ts->maps[%d].map = &obj->maps.%s;\n",
					i, global_secs[g], i, global_secs[g] + 1);
				if (sk->var_cnt[g])
					fprintf(o, "\ts->maps[%d].mmaped = (void **)&obj->%s;\n", i,
						global_secs[g] + 1);
			}
			i++;
		}
		fputc('\n', o);
	}
	if (prog_cnt) {
		fprintf(o,
			"\ts->prog_cnt = %d;\n"
			"\ts->prog_skel_sz = sizeof(*s->progs);\n"
			"\ts->progs = (struct bpf_prog_skeleton *)calloc(s->prog_cnt, s->prog_skel_sz);\n"
			"\tif (!s->progs)\n"
			"\t\tgoto err;\n",
			prog_cnt);
		i = 0;
		bpf_object__for_each_program(prog, sk->obj) {
			const char *pn = bpf_program__name(prog);

			fprintf(o,
				"\n"
				"\ts->progs[%d].name = \"%s\";\n"
				"\ts->progs[%d].prog = &obj->progs.%s;\n"
				"\ts->progs[%d].link = &obj->links.%s;\n",
				i, pn, i, pn, i, pn);
			i++;
		}
		fputc('\n', o);
	}
	fprintf(o,
		"\ts->data = %s__elf_bytes(&s->data_sz);\n\n"
		"\tobj->skeleton = s;\n"
		"\treturn 0;\n"
		"err:\n"
		"\tbpf_object__destroy_skeleton(s);\n"
		"\treturn -ENOMEM;\n"
		"}\n\n",
		sk->name);
}

static int write_struct(struct skel *sk)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	FILE *o = sk->out;
	size_t g;
	int err;

	fprintf(o,
		"struct %s {\n"
		"\tstruct bpf_object_skeleton *skeleton;\n"
		"\tstruct bpf_object *obj;\n"
		"\tstruct {\n",
		sk->name);
	bpf_object__for_each_map(map, sk->obj) {
		int gi = global_index(map);

		if (gi >= 0)
			fprintf(o, "\t\tstruct bpf_map *%s;\n", global_secs[gi] + 1);
		else if (!bpf_map__is_internal(map))
			fprintf(o, "\t\tstruct bpf_map *%s;\n", bpf_map__name(map));
	}
	fprintf(o, "\t} maps;\n\tstruct {\n");
	bpf_object__for_each_program(prog, sk->obj)
		fprintf(o, "\t\tstruct bpf_program *%s;\n", bpf_program__name(prog));
	fprintf(o, "\t} progs;\n\tstruct {\n");
	bpf_object__for_each_program(prog, sk->obj)
		fprintf(o, "\t\tstruct bpf_link *%s;\n", bpf_program__name(prog));
	fprintf(o, "\t} links;\n");
	for (g = 0; g < GLOBAL_CNT; g++) {
		const char *attr;

		if (!sk->var_cnt[g])
			continue;
		err = wb_ctypes__struct_body(sk->ct, sk->vars[g], sk->var_cnt[g], sk->sec_sz[g],
					     false, 1, true, &attr);
		if (err)
			return err;
		fprintf(o, "\tstruct %s%s__%s ", attr, sk->name, global_secs[g] + 1);
		err = wb_ctypes__struct_body(sk->ct, sk->vars[g], sk->var_cnt[g], sk->sec_sz[g],
					     false, 1, false, &attr);
		if (err)
			return err;
		fprintf(o, " *%s;\n", global_secs[g] + 1);
	}
	fprintf(o, "};\n\n");
	for (g = 0; g < GLOBAL_CNT; g++) {
		char texpr[MAX_NAME + 32];

		if (!sk->var_cnt[g])
			continue;
		snprintf(texpr, sizeof(texpr), "struct %s__%s", sk->name, global_secs[g] + 1);
		err = wb_ctypes__field_asserts(sk->ct, texpr, sk->vars[g], sk->var_cnt[g]);
		if (err)
			return err;
	}
	fputc('\n', o);
	return 0;
}

/* "dir/nasty.bpf.o" -> "nasty_bpf", as bpftool names skeletons. */
static void default_name(const char *path, char *buf, size_t sz)
{
	const char *b = strrchr(path, '/');
	size_t i, n = 0;

	b = b ? b + 1 : path;
	for (i = 0; b[i] && n + 1 < sz; i++) {
		if (!strcmp(b + i, ".o"))
			break;
		bool ok = (b[i] >= 'a' && b[i] <= 'z') || (b[i] >= 'A' && b[i] <= 'Z') ||
			  (b[i] >= '0' && b[i] <= '9' && n);

		buf[n++] = ok ? b[i] : '_';
	}
	buf[n] = 0;
}

int wb_gen_skeleton(const char *obj_path, FILE *out, const struct wb_gen_skeleton_opts *opts)
{
	const struct wb_gen_skeleton_opts def = { .sz = sizeof(def) };
	struct skel sk = { .out = out };
	libbpf_print_fn_t old_print;
	struct bpf_program *prog;
	struct bpf_map *map;
	char name[MAX_NAME], guard[MAX_NAME + 16];
	const char *base;
	size_t g, i;
	int err;

	if (!opts)
		opts = &def;
	if (!obj_path || !out)
		return -EINVAL;
	if (opts->name) {
		if (!wb_gen_is_ident(opts->name) || strlen(opts->name) >= MAX_NAME) {
			wb_gen_err(opts->err_buf, opts->err_buf_sz,
				   "'%s' is not a C identifier", opts->name);
			return -EINVAL;
		}
		snprintf(name, sizeof(name), "%s", opts->name);
	} else {
		default_name(obj_path, name, sizeof(name));
	}
	sk.name = name;

	/* libbpf would print its warnings; a library prints nothing. */
	old_print = libbpf_set_print(silent_print);
	sk.obj = bpf_object__open_file(obj_path, NULL);
	err = sk.obj ? 0 : -errno;
	libbpf_set_print(old_print);
	if (err) {
		wb_gen_err(opts->err_buf, opts->err_buf_sz, "%s: libbpf cannot open it: %s",
			   obj_path, strerror(-err));
		goto out;
	}
	sk.btf = bpf_object__btf(sk.obj);
	bpf_object__for_each_map(map, sk.obj) {
		int gi = global_index(map);

		if (gi >= 0)
			sk.has_sec[gi] = true;
		else if (!bpf_map__is_internal(map) && !wb_gen_is_ident(bpf_map__name(map))) {
			err = -EINVAL;
			wb_gen_err(opts->err_buf, opts->err_buf_sz,
				   "map '%s' is not a C identifier", bpf_map__name(map));
			goto out;
		}
	}
	bpf_object__for_each_program(prog, sk.obj) {
		if (!wb_gen_is_ident(bpf_program__name(prog))) {
			err = -EINVAL;
			wb_gen_err(opts->err_buf, opts->err_buf_sz,
				   "program '%s' is not a C identifier", bpf_program__name(prog));
			goto out;
		}
	}
	if (sk.btf) {
		for (g = 0; g < GLOBAL_CNT; g++) {
			if (!sk.has_sec[g])
				continue;
			err = collect_vars(&sk, g);
			if (err)
				goto out;
		}
		sk.ct = wb_ctypes__new(sk.btf, out, WB_CTYPES_DEFINE, opts->err_buf,
				       opts->err_buf_sz);
		if (!sk.ct) {
			err = -errno;
			goto out;
		}
	}

	base = strrchr(obj_path, '/');
	base = base ? base + 1 : obj_path;
	for (i = 0; name[i]; i++)
		guard[i] = (name[i] >= 'a' && name[i] <= 'z') ? name[i] - 'a' + 'A' : name[i];
	snprintf(guard + i, sizeof(guard) - i, "_SKEL_H");
	fprintf(out,
		"/* Generated by wasm-bpf gen skeleton from %s: do not edit. */\n"
		"/*\n"
		" * The skeleton of %s for wasm32 guests (sdk/c). Global variables are\n"
		" * laid out as on the BPF side: pointers and long are 64-bit integers,\n"
		" * enum-typed variables are integers of the enum's size. To use your own\n"
		" * definition of a type below, define its WB_DEF_ macro before including\n"
		" * this file: the _Static_asserts still check its layout.\n"
		" */\n"
		"#ifndef %s\n#define %s\n\n"
		"#include <assert.h>\n#include <errno.h>\n#include <stdbool.h>\n"
		"#include <stddef.h>\n#include <stdint.h>\n#include <stdlib.h>\n\n"
		"#include \"%s\"\n\n",
		base, base, guard, guard, opts->sdk_header ? opts->sdk_header : "libbpf-wasm.h");
	/* Types of the global variables, defined before the views that use them. */
	for (g = 0; g < GLOBAL_CNT; g++) {
		for (i = 0; i < sk.var_cnt[g]; i++) {
			err = wb_ctypes__define_deps(sk.ct, sk.vars[g][i].type_id);
			if (err)
				goto out;
		}
	}
	err = write_struct(&sk);
	if (err)
		goto out;
	write_fns(&sk);
	err = write_elf_bytes(&sk, obj_path);
	if (err) {
		wb_gen_err(opts->err_buf, opts->err_buf_sz, "%s: %s", obj_path, strerror(-err));
		goto out;
	}
	write_create(&sk);
	fprintf(out, "#endif /* %s */\n", guard);
	err = ferror(out) ? -EIO : 0;
out:
	for (g = 0; g < GLOBAL_CNT; g++)
		free(sk.vars[g]);
	wb_ctypes__free(sk.ct);
	bpf_object__close(sk.obj);
	return err;
}
