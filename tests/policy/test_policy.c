/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the eBPF inspection and policy modules (no kernel needed):
 * the crafted objects of tests/policy/progs are inspected from their ELF
 * images, checked against policies built by the API and from JSON, and the
 * attach rules and the policy file errors are exercised.
 *
 * Usage: test_policy DIR (the built *.bpf.o). Prints "PASS name" or
 * "FAIL name: ..." per test; exit 1 if any failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wasm-bpf/policy.h>

static const char *dir;
static int failed_checks;

#define CHECK(cond, what)                                                              \
	do {                                                                           \
		if (!(cond)) {                                                         \
			printf("    line %d: %s: false\n", __LINE__, what);            \
			failed_checks++;                                               \
		}                                                                      \
	} while (0)

#define CHECK_EQ(got, want, what)                                                      \
	do {                                                                           \
		long long g_ = (long long)(got), w_ = (long long)(want);               \
		if (g_ != w_) {                                                        \
			printf("    line %d: %s: got %lld, want %lld\n", __LINE__, what,   \
			       g_, w_);                                                \
			failed_checks++;                                               \
		}                                                                      \
	} while (0)

#define CHECK_STR(got, want, what)                                                     \
	do {                                                                           \
		const char *g_ = (got), *w_ = (want);                                  \
		if (!g_ || strcmp(g_, w_)) {                                           \
			printf("    line %d: %s: got '%s', want '%s'\n", __LINE__, what,   \
			       g_ ? g_ : "(null)", w_);                                \
			failed_checks++;                                               \
		}                                                                      \
	} while (0)

#define CHECK_HAS(got, want, what)                                                     \
	do {                                                                           \
		const char *g_ = (got), *w_ = (want);                                  \
		if (!g_ || !strstr(g_, w_)) {                                          \
			printf("    line %d: %s: got '%s', want it to contain '%s'\n",     \
			       __LINE__, what, g_ ? g_ : "(null)", w_);                \
			failed_checks++;                                               \
		}                                                                      \
	} while (0)

static void *load_obj(const char *name, size_t *sz)
{
	char path[1024];
	FILE *f;
	void *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		printf("    cannot open %s\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*sz = (size_t)n;
	return buf;
}

static struct wb_bpf_report *inspect(const char *name)
{
	struct wb_bpf_report *r = NULL;
	char err[256] = "";
	size_t sz;
	void *buf = load_obj(name, &sz);
	int ret;

	if (!buf) {
		failed_checks++;
		return NULL;
	}
	ret = wb_bpf_inspect(buf, sz, &r, err, sizeof(err));
	free(buf);
	if (ret) {
		printf("    inspect %s: %d %s\n", name, ret, err);
		failed_checks++;
		return NULL;
	}
	return r;
}

static const struct wb_bpf_report_prog *prog_of(const struct wb_bpf_report *r, const char *n)
{
	uint32_t i;

	for (i = 0; r && i < r->prog_cnt; i++)
		if (!strcmp(r->progs[i].name, n))
			return &r->progs[i];
	return NULL;
}

static const struct wb_bpf_report_map *map_of(const struct wb_bpf_report *r, const char *n)
{
	uint32_t i;

	for (i = 0; r && i < r->map_cnt; i++)
		if (!strcmp(r->maps[i].name, n))
			return &r->maps[i];
	return NULL;
}

static bool has_helper(const struct wb_bpf_report_prog *p, const char *name)
{
	int id = wb_bpf_helper_id(name);
	uint32_t i;

	for (i = 0; p && i < p->helper_cnt; i++)
		if ((int)p->helpers[i] == id)
			return true;
	return false;
}

/* Check r against p; the first reason (or "") in first. */
static int verdict(const struct wb_bpf_policy *p, const struct wb_bpf_report *r, char *first,
		   size_t sz)
{
	struct wb_bpf_verdict v;
	int ret = wb_bpf_policy__check(p, r, &v);

	snprintf(first, sz, "%s", v.reason_cnt ? v.reasons[0] : "");
	wb_bpf_verdict__clear(&v);
	return ret;
}

/* ---------------------------------------------------------------- tests */

static void test_helper_names(void)
{
	CHECK_EQ(wb_bpf_helper_id("probe_write_user"), 36, "probe_write_user id");
	CHECK_EQ(wb_bpf_helper_id("bpf_override_return"), 58, "override_return id");
	CHECK_EQ(wb_bpf_helper_id("send_signal"), 109, "send_signal id");
	CHECK_EQ(wb_bpf_helper_id("send_signal_thread"), 117, "send_signal_thread id");
	CHECK_EQ(wb_bpf_helper_id("no_such_helper"), -ENOENT, "unknown helper");
	CHECK_STR(wb_bpf_helper_name(1), "bpf_map_lookup_elem", "helper 1");
	CHECK(wb_bpf_helper_name(0) == NULL, "helper 0 has no name");
	CHECK(wb_bpf_helper_name(100000) == NULL, "helper 100000 has no name");
}

static void test_denied_helpers(void)
{
	static const struct {
		const char *obj, *prog, *helper;
		int id;
	} cases[] = {
		{ "write_user", "wbp_write_user", "probe_write_user", 36 },
		{ "send_signal", "wbp_send_signal", "send_signal", 109 },
		{ "send_thread", "wbp_send_thread", "send_signal_thread", 117 },
		{ "override", "wbp_override", "override_return", 58 },
	};
	struct wb_bpf_policy *def = wb_bpf_policy__new(), *granted;
	char msg[512], want[512], err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wb_bpf_report *r = inspect(cases[i].obj);
		const struct wb_bpf_report_prog *p = prog_of(r, cases[i].prog);

		CHECK(p != NULL, cases[i].prog);
		CHECK(has_helper(p, cases[i].helper), "the denied helper is seen");
		CHECK_EQ(verdict(def, r, msg, sizeof(msg)), -EPERM, "default policy refuses");
		snprintf(want, sizeof(want), "program '%s' calls helper bpf_%s (%d), denied by "
			 "default policy; allow with --allow-helper %s", cases[i].prog,
			 cases[i].helper, cases[i].id, cases[i].helper);
		CHECK_STR(msg, want, "refusal message");

		granted = wb_bpf_policy__new();
		CHECK_EQ(wb_bpf_policy__add(granted, WB_RULE_HELPER, true, cases[i].helper,
					    "--allow-helper", err, sizeof(err)), 0, "grant");
		CHECK_EQ(verdict(granted, r, msg, sizeof(msg)), 0, "granted: allowed");
		wb_bpf_policy__free(granted);
		wb_bpf_report__free(r);
	}
	wb_bpf_policy__free(def);
}

static void test_mix(void)
{
	struct wb_bpf_report *r = inspect("mix");
	const struct wb_bpf_report_prog *p = prog_of(r, "wbp_trace");
	const struct wb_bpf_report_map *m;
	struct wb_bpf_policy *pol = wb_bpf_policy__new();
	char msg[512], err[256];

	CHECK(r && r->license && !strcmp(r->license, "Dual MIT/GPL"), "license");
	CHECK(p != NULL, "wbp_trace found");
	CHECK_STR(p ? p->type_name : NULL, "tracepoint", "wbp_trace type");
	CHECK(has_helper(p, "map_lookup_elem"), "direct helper");
	CHECK(has_helper(p, "get_current_comm"), "helper of a __noinline subprogram");
	CHECK(has_helper(p, "get_smp_processor_id"), "helper of a bpf_loop callback");
	CHECK(has_helper(p, "loop"), "bpf_loop");
	CHECK(!has_helper(p, "probe_write_user"), "no stray helper");
	CHECK(prog_of(r, "wbp_comm") == NULL, "subprograms are not programs");
	CHECK_STR(prog_of(r, "wbp_xdp") ? prog_of(r, "wbp_xdp")->type_name : NULL, "xdp",
		  "xdp type");
	CHECK_STR(prog_of(r, "wbp_sock") ? prog_of(r, "wbp_sock")->type_name : NULL,
		  "socket_filter", "socket type");
	m = map_of(r, "wbp_hash");
	CHECK(m && !strcmp(m->type_name, "hash") && m->key_size == 4 && m->value_size == 8 &&
	      m->max_entries == 1024, "wbp_hash definition");
	CHECK_EQ(m ? m->memory : 0, 1024 * (8 + 8 + 48), "wbp_hash memory estimate");
	m = map_of(r, "wbp_array");
	CHECK_EQ(m ? m->memory : 0, 256 * 16, "wbp_array memory");
	m = map_of(r, "wbp_ring");
	CHECK(m && !strcmp(m->type_name, "ringbuf"), "ringbuf type");
	CHECK_EQ(m ? m->memory : 0, 256 * 1024, "ringbuf memory");
	CHECK(map_of(r, "wbp_lru") && !strcmp(map_of(r, "wbp_lru")->type_name, "lru_hash"),
	      "lru type");
	CHECK(r && r->map_memory > 256 * 1024 && r->map_memory < 400 * 1024, "total memory");

	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), 0, "default policy allows mix");
	wb_bpf_policy__set_max_map_memory(pol, 64 * 1024, "--max-map-memory 64K");
	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), -EPERM, "64K cap refuses");
	CHECK_HAS(msg, "over the limit of 64.0 KiB set by --max-map-memory 64K", "cap message");
	CHECK_HAS(msg, "largest: 'wbp_ring'", "cap names the largest map");
	wb_bpf_policy__set_max_map_memory(pol, 1 << 20, "--max-map-memory 1M");
	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), 0, "1M cap allows");

	CHECK_EQ(wb_bpf_policy__add(pol, WB_RULE_MAP_TYPE, false, "ringbuf", "--deny-map-type ringbuf",
				    err, sizeof(err)), 0, "deny ringbuf");
	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), -EPERM, "ringbuf denied");
	CHECK_STR(msg, "map 'wbp_ring' has type ringbuf, denied by --deny-map-type ringbuf; "
		  "allow with --allow-map-type ringbuf", "map type message");

	/* An allow list: deny every helper, then allow the ones needed. */
	wb_bpf_policy__free(pol);
	pol = wb_bpf_policy__new();
	wb_bpf_policy__add(pol, WB_RULE_HELPER, false, "*", "--deny-helper *", err, sizeof(err));
	wb_bpf_policy__add(pol, WB_RULE_HELPER, true, "bpf_map_*", "x", err, sizeof(err));
	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), -EPERM, "allow list refuses the rest");
	CHECK_HAS(msg, "denied by --deny-helper *", "allow list message");
	wb_bpf_policy__add(pol, WB_RULE_HELPER, true, "get_*", "x", err, sizeof(err));
	wb_bpf_policy__add(pol, WB_RULE_HELPER, true, "loop", "x", err, sizeof(err));
	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), 0, "allow list complete");
	if (msg[0])
		printf("    (%s)\n", msg);

	/* Programs with autoload off are not checked. */
	wb_bpf_policy__add(pol, WB_RULE_PROG_TYPE, false, "xdp", "--deny-prog-type xdp", err,
			   sizeof(err));
	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), -EPERM, "xdp denied");
	CHECK_HAS(msg, "program 'wbp_xdp' (section 'xdp') has type xdp, denied by "
		  "--deny-prog-type xdp", "prog type message");
	if (r)
		((struct wb_bpf_report_prog *)prog_of(r, "wbp_xdp"))->autoload = false;
	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), 0, "autoload off: not checked");
	wb_bpf_policy__free(pol);
	wb_bpf_report__free(r);
}

/*
 * Object `type` holds one program, wbp_<type> in section `section`, of a
 * type the default policy denies: refused with the message that names the
 * grant, allowed once granted.
 */
static void check_denied_type(struct wb_bpf_policy *pol, const char *type, const char *section)
{
	struct wb_bpf_report *r = inspect(type);
	char msg[512], want[512], err[256];
	int before = failed_checks;

	snprintf(want, sizeof(want), "program 'wbp_%s' (section '%s') has type %s, denied by "
		 "default policy; allow with --allow-prog-type %s", type, section, type, type);
	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), -EPERM, "type denied");
	CHECK_STR(msg, want, "type message");
	CHECK_EQ(wb_bpf_policy__add(pol, WB_RULE_PROG_TYPE, true, type, "x", err, sizeof(err)),
		 0, "grant type");
	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), 0, "type granted");
	if (failed_checks != before)
		printf("    (in the checks of program type %s)\n", type);
	wb_bpf_report__free(r);
}

static void test_kfunc_lsm_pin(void)
{
	struct wb_bpf_policy *pol = wb_bpf_policy__new();
	struct wb_bpf_report *r = inspect("kfunc");
	const struct wb_bpf_report_prog *p = prog_of(r, "wbp_kfunc");
	char msg[512], err[256];

	CHECK(p && p->kfunc_cnt == 2, "two kfuncs");
	CHECK(p && p->kfunc_cnt == 2 && !strcmp(p->kfuncs[0], "bpf_task_from_pid") &&
	      !strcmp(p->kfuncs[1], "bpf_task_release"), "kfunc names");
	CHECK_STR(p ? p->type_name : NULL, "tracing", "tp_btf is tracing");
	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), -EPERM, "kfuncs need a grant");
	CHECK_STR(msg, "program 'wbp_kfunc' calls kfunc bpf_task_from_pid, denied by default "
		  "policy (kfuncs need a grant); allow with --allow-kfunc bpf_task_from_pid",
		  "kfunc message");
	wb_bpf_policy__add(pol, WB_RULE_KFUNC, true, "bpf_task_*", "x", err, sizeof(err));
	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), 0, "kfunc glob grant");
	wb_bpf_report__free(r);

	check_denied_type(pol, "lsm", "lsm/file_open");
	/* Programs that run bpf() themselves, or replace another program's code. */
	check_denied_type(pol, "syscall", "syscall");
	check_denied_type(pol, "ext", "freplace/handler");

	r = inspect("pinned");
	CHECK_STR(map_of(r, "wbp_pinned") ? map_of(r, "wbp_pinned")->pin_path : NULL,
		  "/sys/fs/bpf/wbp_pinned", "pin path");
	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), -EPERM, "pinning denied");
	CHECK_HAS(msg, "map 'wbp_pinned' would be pinned at /sys/fs/bpf/wbp_pinned, denied by "
		  "default policy", "pin message");
	wb_bpf_policy__add(pol, WB_RULE_PIN, true, "/sys/fs/bpf/wbp_*", "x", err, sizeof(err));
	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), 0, "pin granted");
	wb_bpf_report__free(r);
	wb_bpf_policy__free(pol);
}

static void test_bad_names(void)
{
	struct wb_bpf_policy *pol = wb_bpf_policy__new();
	char err[256];

	CHECK_EQ(wb_bpf_policy__add(pol, WB_RULE_HELPER, true, "probe_write_usr", "x", err,
				    sizeof(err)), -EINVAL, "misspelt helper");
	CHECK_HAS(err, "unknown helper 'probe_write_usr'", "helper error");
	CHECK_EQ(wb_bpf_policy__add(pol, WB_RULE_PROG_TYPE, true, "lsmm", "x", err, sizeof(err)),
		 -EINVAL, "misspelt type");
	CHECK_EQ(wb_bpf_policy__add(pol, WB_RULE_MAP_TYPE, true, "ringbuf", "x", err,
				    sizeof(err)), 0, "map type name");
	CHECK_EQ(wb_bpf_policy__add(pol, WB_RULE_ATTACH, true, "eth0", "x", err, sizeof(err)),
		 -EINVAL, "attach pattern without kind");
	CHECK_HAS(err, "want KIND:PATTERN", "attach error");
	wb_bpf_policy__free(pol);
}

static void test_attach(void)
{
	struct wb_bpf_policy *pol = wb_bpf_policy__new();
	char msg[512], err[256];

	/* No attach rules: anything goes. */
	CHECK_EQ(wb_bpf_policy__check_attach(pol, "p", 6 /* xdp */, "xdp", "lo", msg,
					     sizeof(msg)), 0, "unrestricted");
	wb_bpf_policy__add(pol, WB_RULE_ATTACH, true, "iface:veth*", "--allow-attach iface:veth*",
			   err, sizeof(err));
	CHECK_EQ(wb_bpf_policy__check_attach(pol, "p", 6, "xdp", "lo", msg, sizeof(msg)), -EPERM,
		 "lo not allowed");
	CHECK_STR(msg, "program 'p' may not attach to iface:lo: no --allow-attach iface:... "
		  "pattern matches it; allow with --allow-attach iface:lo", "attach message");
	CHECK_EQ(wb_bpf_policy__check_attach(pol, "p", 6, "xdp", "veth0:skb", msg, sizeof(msg)),
		 0, "veth0 allowed (mode suffix ignored)");
	CHECK_EQ(wb_bpf_policy__check_attach(pol, "p", 3 /* sched_cls */, "tc", "veth1:egress",
					     msg, sizeof(msg)), 0, "tc on veth1");
	/* Other kinds stay unrestricted. */
	CHECK_EQ(wb_bpf_policy__check_attach(pol, "p", 5 /* tracepoint */,
					     "tp/syscalls/sys_enter_getpid", NULL, msg,
					     sizeof(msg)), 0, "tracepoint unrestricted");
	wb_bpf_policy__add(pol, WB_RULE_ATTACH, true, "tracepoint:sched:*", "x", err, sizeof(err));
	CHECK_EQ(wb_bpf_policy__check_attach(pol, "p", 5, "tp/syscalls/sys_enter_getpid", NULL,
					     msg, sizeof(msg)), -EPERM, "section target checked");
	CHECK_EQ(wb_bpf_policy__check_attach(pol, "p", 5, "tp/syscalls/x", "sched:sched_switch",
					     msg, sizeof(msg)), 0, "explicit target allowed");
	/* Paths are canonical: ".." cannot leave an allowed directory. */
	wb_bpf_policy__add(pol, WB_RULE_ATTACH, true, "cgroup:/tmp/*", "x", err, sizeof(err));
	CHECK_EQ(wb_bpf_policy__check_attach(pol, "p", 8 /* cgroup_skb */, "cgroup_skb/ingress",
					     "/tmp/../etc", msg, sizeof(msg)), -EPERM,
		 "cgroup .. escape");
	wb_bpf_policy__add(pol, WB_RULE_ATTACH, true, "uprobe:/usr/bin/*", "x", err, sizeof(err));
	CHECK_EQ(wb_bpf_policy__check_attach(pol, "p", 2 /* kprobe */, "uprobe/x",
					     "/usr/bin/env:main", msg, sizeof(msg)), 0,
		 "uprobe binary allowed");
	CHECK_EQ(wb_bpf_policy__check_attach(pol, "p", 2, "uprobe/x", "/tmp/x:main", msg,
					     sizeof(msg)), -EPERM, "uprobe binary denied");
	CHECK_EQ(wb_bpf_policy__check_attach(pol, "p", 2, "uprobe//tmp/x:main", NULL, msg,
					     sizeof(msg)), -EPERM, "uprobe from section denied");
	/* A deny rule after an allow wins for what it matches. */
	wb_bpf_policy__add(pol, WB_RULE_ATTACH, false, "iface:veth9", "--deny-attach iface:veth9",
			   err, sizeof(err));
	CHECK_EQ(wb_bpf_policy__check_attach(pol, "p", 6, "xdp", "veth9", msg, sizeof(msg)),
		 -EPERM, "deny after allow");
	CHECK_HAS(msg, "denied by --deny-attach iface:veth9", "deny message");
	wb_bpf_policy__free(pol);
}

static void test_json(void)
{
	static const char good[] =
		"{\n"
		"  \"helpers\": { \"allow\": [\"probe_write_user\"], \"deny\": [\"trace_printk\"] },\n"
		"  \"kfuncs\": { \"allow\": \"bpf_task_*\" },\n"
		"  \"attach\": { \"allow\": [\"iface:veth*\"] },\n"
		"  \"max_map_memory\": \"64K\"\n"
		"}\n";
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "{\n  \"helpers\": {\n    \"allow\": [\"a\" \"b\"]\n  }\n}\n", "p.json:3:" },
		{ "{\n  \"helpers\": {},\n\n  \"helperz\": {}\n}\n", "p.json:4: unknown key \"helperz\"" },
		{ "{\n\"helpers\": {\n\"allow\": [\n\"probe_write_usr\"\n]}}\n",
		  "p.json:4: unknown helper 'probe_write_usr'" },
		{ "{\n  \"max_map_memory\": \"lots\"\n}\n", "p.json:2:" },
		{ "{\n  \"pin\": {\"allow\": [1]}\n}", "p.json:2:" },
		{ "{\n  \"helpers\": {\n", "p.json:3:1: unexpected end of file" },
		{ "[]", "p.json:1:1: expected a JSON object" },
		{ "{} x", "p.json:1:4: unexpected text" },
	};
	struct wb_bpf_policy *pol = wb_bpf_policy__new();
	struct wb_bpf_report *r = inspect("write_user");
	char msg[512], err[256];
	char *text;
	size_t i;

	CHECK_EQ(wb_bpf_policy__load_json(pol, good, strlen(good), "p.json", err, sizeof(err)), 0,
		 "good policy");
	if (err[0] && failed_checks)
		printf("    (%s)\n", err);
	CHECK_EQ(verdict(pol, r, msg, sizeof(msg)), 0, "file grant");
	CHECK_EQ(wb_bpf_policy__check_attach(pol, "p", 6, "xdp", "lo", msg, sizeof(msg)), -EPERM,
		 "file attach rule");
	CHECK_HAS(msg, "may not attach to iface:lo", "file attach message");
	text = wb_bpf_policy__format(pol);
	CHECK_HAS(text, "helper     allow  probe_write_user", "format: file rule");
	CHECK_HAS(text, "# p.json:2", "format: origin with line");
	CHECK_HAS(text, "max-map-memory 65536", "format: cap");
	free(text);
	wb_bpf_policy__free(pol);
	wb_bpf_report__free(r);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pol = wb_bpf_policy__new();
		err[0] = '\0';
		CHECK_EQ(wb_bpf_policy__load_json(pol, bad[i].text, strlen(bad[i].text), "p.json",
						  err, sizeof(err)), -EINVAL, bad[i].want);
		CHECK_HAS(err, bad[i].want, "error position");
		wb_bpf_policy__free(pol);
	}
}

static void test_sizes(void)
{
	uint64_t v = 0;

	CHECK(!wb_bpf_parse_size("4096", &v) && v == 4096, "plain");
	CHECK(!wb_bpf_parse_size("64K", &v) && v == 65536, "K");
	CHECK(!wb_bpf_parse_size("2MiB", &v) && v == 2 << 20, "MiB");
	CHECK(!wb_bpf_parse_size("1g", &v) && v == 1 << 30, "g");
	CHECK(wb_bpf_parse_size("-1", &v) == -EINVAL, "negative");
	CHECK(wb_bpf_parse_size("12Q", &v) == -EINVAL, "bad suffix");
	CHECK(wb_bpf_parse_size("99999999999T", &v) == -EINVAL, "overflow");
}

static void test_malformed(void)
{
	static const unsigned char junk[] = "\177ELF not really";
	struct wb_bpf_report *r = (void *)1;
	char err[256];
	size_t sz, cut;
	unsigned char *buf = load_obj("mix", &sz);

	CHECK_EQ(wb_bpf_inspect(junk, sizeof(junk), &r, err, sizeof(err)), -EINVAL, "junk");
	CHECK(r == NULL, "no report");
	CHECK(!wb_bpf_elf_probe(junk, sizeof(junk), NULL), "probe junk");
	if (!buf)
		return;
	CHECK(wb_bpf_elf_probe(buf, sz, &cut) && cut <= sz, "probe real object");
	/* Truncated images, and a corrupt section table: errors, never crashes. */
	for (cut = 64; cut < sz; cut += sz / 7) {
		r = NULL;
		if (!wb_bpf_inspect(buf, cut, &r, err, sizeof(err)))
			wb_bpf_report__free(r);
	}
	memset(buf + sz / 2, 0xff, sz / 4);
	r = NULL;
	if (!wb_bpf_inspect(buf, sz, &r, err, sizeof(err)))
		wb_bpf_report__free(r);
	free(buf);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "unit_helper_names", test_helper_names },
	{ "unit_denied_helpers", test_denied_helpers },
	{ "unit_mix", test_mix },
	{ "unit_kfunc_lsm_pin", test_kfunc_lsm_pin },
	{ "unit_bad_names", test_bad_names },
	{ "unit_attach", test_attach },
	{ "unit_json", test_json },
	{ "unit_sizes", test_sizes },
	{ "unit_malformed", test_malformed },
};

int main(int argc, char **argv)
{
	size_t i;
	int fails = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR_OF_BPF_OBJECTS\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	setvbuf(stdout, NULL, _IONBF, 0);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		failed_checks = 0;
		tests[i].fn();
		if (failed_checks) {
			printf("FAIL %s: %d checks failed\n", tests[i].name, failed_checks);
			fails++;
		} else {
			printf("PASS %s\n", tests[i].name);
		}
	}
	return fails ? 1 : 0;
}
