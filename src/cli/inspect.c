/* SPDX-License-Identifier: MIT */
/*
 * `wasm-bpf inspect`: what a module would ask of the host and of the kernel,
 * without running it: its imports and exports, the wasm_bpf ABI it needs,
 * every eBPF object embedded in its data segments (programs, helpers,
 * kfuncs, maps, memory) and the verdict of the eBPF policy on each. Also the
 * policy options shared with `run`.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <wasm-bpf/engine.h>
#include <wasm-bpf/policy.h>

#include "cli.h"
#include "inspect.h"

/* ---------------------------------------------------------------- policy options */

static const struct {
	int opt;
	enum wb_bpf_rule_kind kind;
	bool allow;
	const char *flag;
} rule_opts[] = {
	{ WB_OPT_ALLOW_HELPER, WB_RULE_HELPER, true, "--allow-helper" },
	{ WB_OPT_DENY_HELPER, WB_RULE_HELPER, false, "--deny-helper" },
	{ WB_OPT_ALLOW_KFUNC, WB_RULE_KFUNC, true, "--allow-kfunc" },
	{ WB_OPT_DENY_KFUNC, WB_RULE_KFUNC, false, "--deny-kfunc" },
	{ WB_OPT_ALLOW_PROG_TYPE, WB_RULE_PROG_TYPE, true, "--allow-prog-type" },
	{ WB_OPT_DENY_PROG_TYPE, WB_RULE_PROG_TYPE, false, "--deny-prog-type" },
	{ WB_OPT_ALLOW_MAP_TYPE, WB_RULE_MAP_TYPE, true, "--allow-map-type" },
	{ WB_OPT_DENY_MAP_TYPE, WB_RULE_MAP_TYPE, false, "--deny-map-type" },
	{ WB_OPT_ALLOW_ATTACH, WB_RULE_ATTACH, true, "--allow-attach" },
	{ WB_OPT_DENY_ATTACH, WB_RULE_ATTACH, false, "--deny-attach" },
	{ WB_OPT_ALLOW_PIN, WB_RULE_PIN, true, "--allow-pin" },
};

struct wb_bpf_policy *wb_cli_policy_get(struct wb_cli_policy *cp)
{
	if (!cp->policy)
		cp->policy = wb_bpf_policy__new();
	return cp->policy;
}

int wb_cli_policy_arg(struct wb_cli_policy *cp, int opt, const char *arg)
{
	struct wb_bpf_policy *p;
	char err[512], origin[256];
	uint64_t bytes;
	size_t i;
	int ret;

	if (opt == WB_OPT_POLICY_PRINT) {
		cp->print = true;
		return 0;
	}
	p = wb_cli_policy_get(cp);
	if (!p)
		return -ENOMEM;
	switch (opt) {
	case WB_OPT_POLICY:
		ret = wb_bpf_policy__load_file(p, arg, err, sizeof(err));
		if (ret && ret != -ENOMEM)
			wb_cli_err("--policy: %s", err);
		return ret;
	case WB_OPT_MAX_MAP_MEMORY:
		if (wb_bpf_parse_size(arg, &bytes)) {
			wb_cli_err("--max-map-memory: expected a size such as 65536, 512K or 64M, "
				   "got '%s'", arg);
			return -EINVAL;
		}
		snprintf(origin, sizeof(origin), "--max-map-memory %s", arg);
		wb_bpf_policy__set_max_map_memory(p, bytes, origin);
		return 0;
	default:
		break;
	}
	for (i = 0; i < sizeof(rule_opts) / sizeof(rule_opts[0]); i++) {
		if (rule_opts[i].opt != opt)
			continue;
		snprintf(origin, sizeof(origin), "%s %s", rule_opts[i].flag, arg);
		ret = wb_bpf_policy__add(p, rule_opts[i].kind, rule_opts[i].allow, arg, origin,
					 err, sizeof(err));
		if (ret && ret != -ENOMEM)
			wb_cli_err("%s: %s", rule_opts[i].flag, err);
		return ret;
	}
	return -EINVAL;
}

int wb_cli_policy_print(struct wb_cli_policy *cp)
{
	struct wb_bpf_policy *p = wb_cli_policy_get(cp);
	char *text = p ? wb_bpf_policy__format(p) : NULL;

	if (!text)
		return -ENOMEM;
	fputs(text, stdout);
	fflush(stdout);
	free(text);
	return 0;
}

void wb_cli_policy_free(struct wb_cli_policy *cp)
{
	wb_bpf_policy__free(cp->policy);
	cp->policy = NULL;
}

/* ---------------------------------------------------------------- help */

struct insp_opt {
	const char *name;
	int has_arg;
	int val;
	const char *arg;
	const char *help;
};

static const struct insp_opt insp_opts[] = {
	{ "json", no_argument, 'j', NULL, "print JSON (one object; see docs/policy.md)" },
	WB_CLI_POLICY_OPTIONS,
	{ "help", no_argument, 'h', NULL, "show this help" },
};

#define INSP_OPT_CNT (sizeof(insp_opts) / sizeof(insp_opts[0]))

/* Exit status when an embedded object would be refused by the policy. */
#define INSPECT_DENIED 1

static void inspect_usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: wasm-bpf inspect [OPTIONS] MODULE.wasm\n"
		"\n"
		"Show what a module asks for without running it: its imports and exports,\n"
		"the wasm_bpf ABI version it needs, and every eBPF object embedded in its\n"
		"data segments (programs with their types, helpers and kfuncs; maps with\n"
		"their sizes and estimated kernel memory), with the verdict of the eBPF\n"
		"policy given by the same options as `run`.\n"
		"\n"
		"Options:\n");
	for (i = 0; i < INSP_OPT_CNT; i++)
		wb_cli_print_opt(f, 32, insp_opts[i].val, insp_opts[i].name, insp_opts[i].arg, insp_opts[i].help);
	fprintf(f,
		"\n"
		"Examples:\n"
		"  wasm-bpf inspect app.wasm\n"
		"  wasm-bpf inspect -j app.wasm | jq '.objects[].programs[].helpers'\n"
		"  wasm-bpf inspect --allow-helper send_signal --max-map-memory 16M app.wasm\n"
		"  wasm-bpf inspect --policy site.json app.wasm && wasm-bpf run --policy site.json "
		"app.wasm\n"
		"\n"
		"Exit status: 0 every embedded object is allowed by the policy; %d some object\n"
		"would be refused (or cannot be parsed); %d usage error; %d the module is\n"
		"malformed or invalid; %d host failure.\n",
		INSPECT_DENIED, WB_EXIT_USAGE, WB_EXIT_LOAD, WB_EXIT_OSERR);
}

/* ---------------------------------------------------------------- module facts */


/* The original wasm-bpf imports (docs/abi.md, "Compatibility imports"). */
static const char *const compat_imports[] = {
	"wasm_load_bpf_object", "wasm_attach_bpf_program", "wasm_bpf_buffer_poll",
	"wasm_bpf_map_fd_by_name", "wasm_bpf_map_operate", "wasm_close_bpf_object",
};

/* The extensions of ABI version 1. */
static const char *const v1_imports[] = {
	"wasm_bpf_abi_version", "wasm_bpf_open_object", "wasm_bpf_load_object",
	"wasm_bpf_program_set_autoload", "wasm_bpf_map_set_max_entries", "wasm_bpf_map_info",
	"wasm_bpf_global_read", "wasm_bpf_global_write", "wasm_bpf_detach_program",
	"wasm_bpf_buffer_read", "wasm_bpf_last_error",
};

static bool in_list(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

#define IN(list, s) in_list(list, sizeof(list) / sizeof(list[0]), s)

static const char *valtype_str(uint8_t t)
{
	switch (t) {
	case WB_I32: return "i32";
	case WB_I64: return "i64";
	case WB_F32: return "f32";
	case WB_F64: return "f64";
	case WB_V128: return "v128";
	case WB_FUNCREF: return "funcref";
	case WB_EXTERNREF: return "externref";
	default: return "?";
	}
}

static void functype_str(const struct wb_functype *t, char *buf, size_t sz)
{
	size_t len = 0;
	uint32_t i;

	len += (size_t)snprintf(buf + len, sz - len, "(");
	for (i = 0; i < t->param_cnt && len < sz; i++)
		len += (size_t)snprintf(buf + len, sz - len, "%s%s", i ? ", " : "",
					valtype_str(t->params[i]));
	if (len < sz)
		len += (size_t)snprintf(buf + len, sz - len, ") -> (");
	for (i = 0; i < t->result_cnt && len < sz; i++)
		len += (size_t)snprintf(buf + len, sz - len, "%s%s", i ? ", " : "",
					valtype_str(t->results[i]));
	if (len < sz)
		snprintf(buf + len, sz - len, ")");
}

static const char *extern_str(enum wb_extern_kind k)
{
	static const char *const kinds[] = { "func", "table", "memory", "global" };

	return (unsigned int)k < 4 ? kinds[k] : "?";
}

/* One eBPF object found in a data segment. */
struct found_obj {
	int64_t segment;		/* data segment, or -1: found in the memory image */
	uint64_t address;		/* offset in memory, or in the segment */
	size_t size;
	struct wb_bpf_report *report;	/* NULL: see error */
	char error[256];
	struct wb_bpf_verdict verdict;
	int check;			/* 0, -EPERM, or the inspection's error */
};

struct insp {
	const char *path;
	size_t size;
	struct wb_module *module;
	struct found_obj *objs;
	size_t obj_cnt;
	int abi_version;		/* -1 no wasm_bpf import, 0 compat only, 1 */
	bool unknown_imports;		/* wasm_bpf imports no host of ours provides */
	const char *scanned;		/* "memory" or "data segments" */
};

static void abi_of(struct insp *in)
{
	struct wb_import_desc d;
	uint32_t i, n = wb_module__import_cnt(in->module);

	in->abi_version = -1;
	for (i = 0; i < n; i++) {
		if (wb_module__import(in->module, i, &d) || strcmp(d.module, "wasm_bpf"))
			continue;
		if (IN(compat_imports, d.name)) {
			if (in->abi_version < 0)
				in->abi_version = 0;
		} else if (IN(v1_imports, d.name)) {
			in->abi_version = 1;
		} else {
			in->unknown_imports = true;
		}
	}
}

static const char *abi_str(const struct insp *in)
{
	switch (in->abi_version) {
	case -1: return "none (no wasm_bpf imports)";
	case 0: return "1 (compatibility subset)";
	default: return "1";
	}
}

/* Scan [bytes, bytes+len) for eBPF ELF objects; where says where it is. */
static int scan_bytes(struct insp *in, const uint8_t *bytes, size_t len, int64_t segment,
		      uint64_t base, const struct wb_bpf_policy *policy)
{
	size_t off = 0, objlen;

	while (off + 4 <= len) {
		struct found_obj *o, *grown;
		const uint8_t *p = memmem(bytes + off, len - off, "\177ELF", 4);

		if (!p)
			break;
		off = (size_t)(p - bytes);
		if (!wb_bpf_elf_probe(p, len - off, &objlen)) {
			off++;
			continue;
		}
		grown = realloc(in->objs, (in->obj_cnt + 1) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		in->objs = grown;
		o = &in->objs[in->obj_cnt++];
		memset(o, 0, sizeof(*o));
		o->segment = segment;
		o->address = base + off;
		o->size = objlen;
		o->check = wb_bpf_inspect(p, objlen, &o->report, o->error, sizeof(o->error));
		if (!o->check)
			o->check = wb_bpf_policy__check(policy, o->report, &o->verdict);
		if (o->check == -ENOMEM)
			return -ENOMEM;
		off += objlen;
	}
	return 0;
}

/* Every import of an inspected module traps: nothing of the guest runs for real. */
static int stub_import(const struct wb_hostcall *hc, const wb_value *args, wb_value *results)
{
	return wb_hostcall__trap(hc, "wasm-bpf inspect does not run imports");
}

/* Fuel for a start function, if the module has one: it must not run long. */
#define INSPECT_FUEL 10000000
/* Memory cap while building the initial image (64 MiB). */
#define INSPECT_MAX_PAGES 1024

/*
 * The initial linear memory of the module: the data segments as the guest
 * will see them. Segments alone are not enough: wasm-opt splits them at
 * runs of zeros, and an embedded object has many. NULL if the module cannot
 * be instantiated on its own (imports other than functions, a start
 * function that calls an import or runs out of fuel, no memory).
 */
static struct wb_instance *instantiate(struct insp *in, struct wb_store **storep,
				       struct wb_linker **linkerp)
{
	WB_OPTS(wb_store_opts, so, .fuel = INSPECT_FUEL, .max_memory_pages = INSPECT_MAX_PAGES);
	struct wb_store *store = wb_store__new(&so);
	struct wb_linker *linker = wb_linker__new();
	struct wb_instance *inst = NULL;
	struct wb_error err = { 0 };
	struct wb_import_desc d;
	uint32_t i, n = wb_module__import_cnt(in->module);

	*storep = store;
	*linkerp = linker;
	if (!store || !linker)
		return NULL;
	for (i = 0; i < n; i++) {
		struct wb_func *f;
		struct wb_extern ext = { .kind = WB_EXTERN_FUNC };

		if (wb_module__import(in->module, i, &d) || d.kind != WB_EXTERN_FUNC)
			return NULL;
		f = wb_func__new_host(store, &d.func, stub_import, NULL, d.name);
		if (!f)
			return NULL;
		ext.func = f;
		if (wb_linker__define_n(linker, d.module, d.module_len, d.name, d.name_len, &ext))
			return NULL;
	}
	inst = wb_instance__new(store, in->module, linker, &err);
	if (inst && !wb_instance__memory(inst))
		inst = NULL;
	return inst;
}

static int find_objects(struct insp *in, const struct wb_bpf_policy *policy)
{
	struct wb_store *store = NULL;
	struct wb_linker *linker = NULL;
	struct wb_instance *inst = instantiate(in, &store, &linker);
	uint32_t s, n;
	int ret = 0;

	if (inst) {
		struct wb_memory *mem = wb_instance__memory(inst);

		in->scanned = "memory";
		ret = scan_bytes(in, wb_memory__data(mem), (size_t)wb_memory__size(mem), -1, 0,
				 policy);
		goto out;
	}
	/* Fallback: each data segment on its own. */
	in->scanned = "data segments";
	n = wb_module__data_cnt(in->module);
	for (s = 0; s < n && !ret; s++) {
		const uint8_t *bytes;
		uint32_t len;

		if (!wb_module__data(in->module, s, &bytes, &len))
			ret = scan_bytes(in, bytes, len, s, 0, policy);
	}
out:
	wb_store__free(store);
	wb_linker__free(linker);
	return ret;
}

static void free_insp(struct insp *in)
{
	size_t i;

	for (i = 0; i < in->obj_cnt; i++) {
		wb_bpf_report__free(in->objs[i].report);
		wb_bpf_verdict__clear(&in->objs[i].verdict);
	}
	free(in->objs);
	wb_module__free(in->module);
}

/* ---------------------------------------------------------------- text output */

static void human_size(char *buf, size_t sz, uint64_t v)
{
	if (v < 1024)
		snprintf(buf, sz, "%" PRIu64 " B", v);
	else if (v < (1ULL << 20))
		snprintf(buf, sz, "%.1f KiB", v / 1024.0);
	else if (v < (1ULL << 30))
		snprintf(buf, sz, "%.1f MiB", v / 1048576.0);
	else
		snprintf(buf, sz, "%.1f GiB", v / 1073741824.0);
}

static void print_text(const struct insp *in)
{
	uint32_t i, n;
	size_t k;
	char sig[256], sz[32];

	printf("module: %s (%zu bytes)\n", in->path, in->size);
	printf("wasm_bpf ABI: %s%s\n", abi_str(in),
	       in->unknown_imports ? "; imports names this host does not provide" : "");
	n = wb_module__import_cnt(in->module);
	printf("imports (%u):\n", n);
	for (i = 0; i < n; i++) {
		struct wb_import_desc d;

		if (wb_module__import(in->module, i, &d))
			continue;
		if (d.kind == WB_EXTERN_FUNC) {
			functype_str(&d.func, sig, sizeof(sig));
			printf("  %s.%s: func %s\n", d.module, d.name, sig);
		} else {
			printf("  %s.%s: %s\n", d.module, d.name, extern_str(d.kind));
		}
	}
	n = wb_module__export_cnt(in->module);
	printf("exports (%u):\n", n);
	for (i = 0; i < n; i++) {
		struct wb_export_desc e;

		if (!wb_module__export(in->module, i, &e))
			printf("  %s: %s\n", e.name, extern_str(e.kind));
	}
	printf("eBPF objects: %zu (found in the module's initial %s)\n", in->obj_cnt,
	       in->scanned);
	for (k = 0; k < in->obj_cnt; k++) {
		const struct found_obj *o = &in->objs[k];
		const struct wb_bpf_report *r = o->report;

		if (o->segment < 0)
			printf("\nobject %zu: at memory address 0x%" PRIx64 ", %zu bytes\n", k,
			       o->address, o->size);
		else
			printf("\nobject %zu: data segment %" PRId64 ", offset %" PRIu64 ", %zu bytes\n",
			       k, o->segment, o->address, o->size);
		if (!r) {
			printf("  cannot inspect: %s\n  policy: DENIED (not inspectable)\n",
			       o->error);
			continue;
		}
		printf("  license: %s\n", r->license ? r->license : "(none)");
		printf("  programs (%u):\n", r->prog_cnt);
		for (i = 0; i < r->prog_cnt; i++) {
			const struct wb_bpf_report_prog *p = &r->progs[i];
			uint32_t j;

			printf("    %s: type %s, section %s, %u insns%s\n", p->name, p->type_name,
			       p->section, p->insn_cnt, p->autoload ? "" : ", autoload off");
			printf("      helpers:");
			for (j = 0; j < p->helper_cnt; j++) {
				const char *hn = wb_bpf_helper_name(p->helpers[j]);

				if (hn)
					printf(" %s(%u)", hn, p->helpers[j]);
				else
					printf(" #%u", p->helpers[j]);
			}
			printf("%s\n", p->helper_cnt ? "" : " none");
			if (p->kfunc_cnt) {
				printf("      kfuncs:");
				for (j = 0; j < p->kfunc_cnt; j++)
					printf(" %s", p->kfuncs[j]);
				printf("\n");
			}
		}
		printf("  maps (%u):\n", r->map_cnt);
		for (i = 0; i < r->map_cnt; i++) {
			const struct wb_bpf_report_map *m = &r->maps[i];

			human_size(sz, sizeof(sz), m->memory);
			printf("    %s: type %s, key %u, value %u, max_entries %u, ~%s%s%s\n",
			       m->name, m->type_name, m->key_size, m->value_size, m->max_entries,
			       sz, m->pin_path ? ", pinned at " : "",
			       m->pin_path ? m->pin_path : "");
		}
		human_size(sz, sizeof(sz), r->map_memory);
		printf("  map memory: ~%s (%" PRIu64 " bytes)\n", sz, r->map_memory);
		if (!o->check) {
			printf("  policy: allowed\n");
			continue;
		}
		printf("  policy: DENIED\n");
		for (i = 0; i < o->verdict.reason_cnt; i++)
			printf("    - %s\n", o->verdict.reasons[i]);
	}
}

/* ---------------------------------------------------------------- JSON output */

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : json_object_new_null();
}

static void jadd(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static struct json_object *json_report(const struct found_obj *fo)
{
	const struct wb_bpf_report *r = fo->report;
	struct json_object *o = json_object_new_object(), *arr, *v;
	uint32_t i, j;

	jadd(o, "segment", fo->segment < 0 ? json_object_new_null() :
					    json_object_new_int64(fo->segment));
	jadd(o, "address", json_object_new_int64((int64_t)fo->address));
	jadd(o, "size", json_object_new_int64((int64_t)fo->size));
	if (!r) {
		jadd(o, "error", jstr(fo->error));
		jadd(o, "allowed", json_object_new_boolean(0));
		arr = json_object_new_array();
		json_object_array_add(arr, jstr(fo->error));
		jadd(o, "denied_because", arr);
		return o;
	}
	jadd(o, "license", jstr(r->license));
	arr = json_object_new_array();
	for (i = 0; i < r->prog_cnt; i++) {
		const struct wb_bpf_report_prog *p = &r->progs[i];
		struct json_object *h = json_object_new_array(), *ids = json_object_new_array();
		struct json_object *kf = json_object_new_array();

		v = json_object_new_object();
		jadd(v, "name", jstr(p->name));
		jadd(v, "type", jstr(p->type_name));
		jadd(v, "section", jstr(p->section));
		jadd(v, "autoload", json_object_new_boolean(p->autoload));
		jadd(v, "insns", json_object_new_int64(p->insn_cnt));
		for (j = 0; j < p->helper_cnt; j++) {
			const char *hn = wb_bpf_helper_name(p->helpers[j]);
			char num[16];

			snprintf(num, sizeof(num), "#%u", p->helpers[j]);
			json_object_array_add(h, jstr(hn ? hn : num));
			json_object_array_add(ids, json_object_new_int64(p->helpers[j]));
		}
		for (j = 0; j < p->kfunc_cnt; j++)
			json_object_array_add(kf, jstr(p->kfuncs[j]));
		jadd(v, "helpers", h);
		jadd(v, "helper_ids", ids);
		jadd(v, "kfuncs", kf);
		json_object_array_add(arr, v);
	}
	jadd(o, "programs", arr);
	arr = json_object_new_array();
	for (i = 0; i < r->map_cnt; i++) {
		const struct wb_bpf_report_map *m = &r->maps[i];

		v = json_object_new_object();
		jadd(v, "name", jstr(m->name));
		jadd(v, "type", jstr(m->type_name));
		jadd(v, "key_size", json_object_new_int64(m->key_size));
		jadd(v, "value_size", json_object_new_int64(m->value_size));
		jadd(v, "max_entries", json_object_new_int64(m->max_entries));
		jadd(v, "flags", json_object_new_int64(m->map_flags));
		jadd(v, "memory", json_object_new_int64((int64_t)m->memory));
		jadd(v, "pin_path", jstr(m->pin_path));
		json_object_array_add(arr, v);
	}
	jadd(o, "maps", arr);
	jadd(o, "map_memory", json_object_new_int64((int64_t)r->map_memory));
	jadd(o, "allowed", json_object_new_boolean(fo->check == 0));
	arr = json_object_new_array();
	for (i = 0; i < fo->verdict.reason_cnt; i++)
		json_object_array_add(arr, jstr(fo->verdict.reasons[i]));
	jadd(o, "denied_because", arr);
	return o;
}

static int print_json(const struct insp *in, bool allowed)
{
	struct json_object *root = json_object_new_object(), *arr, *v;
	struct wb_import_desc d;
	struct wb_export_desc e;
	uint32_t i, n;
	size_t k;
	char sig[256];

	if (!root)
		return -ENOMEM;
	jadd(root, "module", jstr(in->path));
	jadd(root, "size", json_object_new_int64((int64_t)in->size));
	v = json_object_new_object();
	jadd(v, "version", in->abi_version < 0 ? json_object_new_null() :
					   json_object_new_int(1));
	jadd(v, "compat_only", json_object_new_boolean(in->abi_version == 0));
	jadd(v, "description", jstr(abi_str(in)));
	jadd(v, "unknown_imports", json_object_new_boolean(in->unknown_imports));
	jadd(root, "abi", v);
	arr = json_object_new_array();
	n = wb_module__import_cnt(in->module);
	for (i = 0; i < n; i++) {
		if (wb_module__import(in->module, i, &d))
			continue;
		v = json_object_new_object();
		jadd(v, "module", jstr(d.module));
		jadd(v, "name", jstr(d.name));
		jadd(v, "kind", jstr(extern_str(d.kind)));
		if (d.kind == WB_EXTERN_FUNC) {
			functype_str(&d.func, sig, sizeof(sig));
			jadd(v, "type", jstr(sig));
		}
		json_object_array_add(arr, v);
	}
	jadd(root, "imports", arr);
	arr = json_object_new_array();
	n = wb_module__export_cnt(in->module);
	for (i = 0; i < n; i++) {
		if (wb_module__export(in->module, i, &e))
			continue;
		v = json_object_new_object();
		jadd(v, "name", jstr(e.name));
		jadd(v, "kind", jstr(extern_str(e.kind)));
		json_object_array_add(arr, v);
	}
	jadd(root, "exports", arr);
	arr = json_object_new_array();
	for (k = 0; k < in->obj_cnt; k++)
		json_object_array_add(arr, json_report(&in->objs[k]));
	jadd(root, "objects", arr);
	jadd(root, "scanned", jstr(in->scanned));
	jadd(root, "allowed", json_object_new_boolean(allowed));
	puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return 0;
}

/* ---------------------------------------------------------------- the command */

int wb_cli_inspect(int argc, char **argv)
{
	struct option lopts[INSP_OPT_CNT + 1];
	struct wb_cli_policy cp = { 0 };
	struct wb_bpf_policy *policy;
	struct insp in = { 0 };
	struct wb_error err = { 0 };
	bool json = false, allowed = true;
	uint8_t *buf = NULL;
	char line[512];
	size_t i, sz = 0;
	int c, r, ret;

	for (i = 0; i < INSP_OPT_CNT; i++) {
		lopts[i].name = insp_opts[i].name;
		lopts[i].has_arg = insp_opts[i].has_arg;
		lopts[i].flag = NULL;
		lopts[i].val = insp_opts[i].val;
	}
	memset(&lopts[INSP_OPT_CNT], 0, sizeof(lopts[0]));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":jh", lopts, NULL)) != -1) {
		if (wb_cli_policy_opt(c)) {
			r = wb_cli_policy_arg(&cp, c, optarg);
			if (r) {
				ret = r == -ENOMEM ? WB_EXIT_OSERR : WB_EXIT_USAGE;
				goto out;
			}
			continue;
		}
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			inspect_usage(stdout);
			ret = 0;
			goto out;
		case ':':
			wb_cli_err("inspect: option '%s' expects an argument", argv[optind - 1]);
			ret = WB_EXIT_USAGE;
			goto out;
		default:
			wb_cli_err("inspect: unknown option '%s'; see 'wasm-bpf help inspect'",
				   argv[optind - 1]);
			ret = WB_EXIT_USAGE;
			goto out;
		}
	}
	if (cp.print) {
		if (wb_cli_policy_print(&cp)) {
			ret = WB_EXIT_OSERR;
			goto out;
		}
		if (optind >= argc) {
			ret = 0;
			goto out;
		}
	}
	if (optind >= argc) {
		wb_cli_err("inspect: expected a module file; see 'wasm-bpf help inspect'");
		ret = WB_EXIT_USAGE;
		goto out;
	}
	if (optind + 1 < argc) {
		wb_cli_err("inspect: unexpected argument '%s' (one module at a time)",
			   argv[optind + 1]);
		ret = WB_EXIT_USAGE;
		goto out;
	}
	in.path = argv[optind];
	policy = wb_cli_policy_get(&cp);
	if (!policy) {
		ret = WB_EXIT_OSERR;
		goto out;
	}
	r = wb_cli_read_file(in.path, &buf, &sz);
	if (r) {
		wb_cli_err("cannot read module '%s': %s", in.path, strerror(-r));
		ret = r == -ENOMEM ? WB_EXIT_OSERR : WB_EXIT_USAGE;
		goto out;
	}
	in.size = sz;
	in.module = wb_module__new(buf, sz, NULL, &err);
	if (!in.module) {
		wb_cli_err("%s: %s", in.path, wb_error__format(&err, line, sizeof(line)));
		ret = errno == ENOMEM && err.kind != WB_ERR_MALFORMED &&
		      err.kind != WB_ERR_INVALID ? WB_EXIT_OSERR : WB_EXIT_LOAD;
		goto out;
	}
	abi_of(&in);
	if (find_objects(&in, policy)) {
		wb_cli_err("out of memory");
		ret = WB_EXIT_OSERR;
		goto out;
	}
	for (i = 0; i < in.obj_cnt; i++)
		if (in.objs[i].check)
			allowed = false;
	if (json) {
		if (print_json(&in, allowed)) {
			wb_cli_err("out of memory");
			ret = WB_EXIT_OSERR;
			goto out;
		}
	} else {
		print_text(&in);
		printf("\nverdict: %s\n", allowed ? "allowed by the policy" :
			"some eBPF object would be refused by the policy");
	}
	ret = allowed ? 0 : INSPECT_DENIED;
out:
	free_insp(&in);
	free(buf);
	wb_cli_policy_free(&cp);
	return ret;
}
