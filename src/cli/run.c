/* SPDX-License-Identifier: MIT */
/*
 * `wasm-bpf run`: load a WASI command module, link it against WASI, call
 * _start and turn the outcome (exit code, trap, interrupt) into the process
 * exit status. Options are table-driven so later issues can add their own.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <wasm-bpf/bpf_host.h>
#include <wasm-bpf/engine.h>
#include <wasm-bpf/wasi.h>

#include "cli.h"
#include "inspect.h"
#include "limits.h"

extern char **environ;

enum {
	OPT_DIR = 0x100,
	OPT_DIR_RO,
	OPT_ENV,
	OPT_ENV_INHERIT,
	OPT_WRAPPER_MODULE,
	OPT_CALLBACK_EXPORT,
	OPT_CORE_BTF,
	OPT_JIT,
	OPT_NO_JIT,
};

struct run_opt {
	const char *name;
	int has_arg;
	int val;		/* short option char, or OPT_* */
	const char *arg;	/* argument name for the help, or NULL */
	const char *help;
};

static const struct run_opt run_opts[] = {
	{ "dir", required_argument, OPT_DIR, "HOST[::GUEST]",
	  "grant the guest directory HOST, seen as GUEST (default: HOST)" },
	{ "dir-ro", required_argument, OPT_DIR_RO, "HOST[::GUEST]",
	  "same, read-only: any change below it fails with EROFS" },
	{ "env", required_argument, OPT_ENV, "KEY[=VALUE]",
	  "set a guest environment variable (KEY alone: copy the host's value)" },
	{ "env-inherit", no_argument, OPT_ENV_INHERIT, NULL,
	  "give the guest the whole host environment (--env entries override)" },
	{ "wrapper-module", required_argument, OPT_WRAPPER_MODULE, "NAME",
	  "import module of TinyGo-style buffer polls (default: callback-wrapper)" },
	{ "callback-export", required_argument, OPT_CALLBACK_EXPORT, "NAME",
	  "guest export those polls call per record (default: go-callback)" },
	{ "core-btf", required_argument, OPT_CORE_BTF, "MODE",
	  "BTF for CO-RE: min (default: the kernel types used), full, or a BTF file" },
	{ "jit", no_argument, OPT_JIT, NULL,
	  "compile the module to x86-64 machine code (the default; same results)" },
	{ "no-jit", no_argument, OPT_NO_JIT, NULL,
	  "interpret the module instead (no executable memory is mapped)" },
	WB_CLI_POLICY_OPTIONS,
	WB_CLI_LIMIT_OPTIONS,
	{ "verbose", no_argument, 'v', NULL, "say more on stderr (repeat for more)" },
	{ "help", no_argument, 'h', NULL, "show this help" },
};

#define RUN_OPT_CNT (sizeof(run_opts) / sizeof(run_opts[0]))

static void run_usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: wasm-bpf run [OPTIONS] MODULE.wasm [ARGS...]\n"
		"       wasm-bpf [OPTIONS] MODULE.wasm [ARGS...]\n"
		"\n"
		"Run a WASI command module (its _start export), with the wasm_bpf eBPF\n"
		"imports available (see docs/abi.md). ARGS go to the guest as\n"
		"argv[1..]; argv[0] is MODULE as given. The guest gets stdio, its arguments\n"
		"and nothing else unless granted: no directories, no environment.\n"
		"\n"
		"Options:\n");
	for (i = 0; i < RUN_OPT_CNT; i++)
		wb_cli_print_opt(f, 28, run_opts[i].val, run_opts[i].name, run_opts[i].arg, run_opts[i].help);
	fprintf(f,
		"\n"
		"Examples:\n"
		"  wasm-bpf hello.wasm\n"
		"  wasm-bpf run --dir . app.wasm input.txt\n"
		"  wasm-bpf run --dir-ro /srv/www::/www --env PORT=8080 server.wasm\n"
		"  wasm-bpf run --allow-helper send_signal --max-map-memory 64M --timeout 30s app.wasm\n"
		"  wasm-bpf run --env-inherit --env HOME=/ app.wasm --app-flag   (flags after\n"
		"      the module are the guest's; use -- before a module named like -x.wasm)\n"
		"\n"
		"Exit status: the guest's exit code (modulo 256); %d usage error; %d module\n"
		"cannot be loaded, validated or linked; %d guest trapped (message and\n"
		"backtrace on stderr); %d host failure; %d interrupted by SIGINT; %d\n"
		"--timeout expired; %d the guest failed after the policy refused one of\n"
		"its requests. A refused eBPF object or attach is not made: the guest gets\n"
		"EPERM and the reason is printed (docs/policy.md).\n",
		WB_EXIT_USAGE, WB_EXIT_LOAD, WB_EXIT_TRAP, WB_EXIT_OSERR,
		WB_EXIT_INTERRUPTED, WB_EXIT_TIMEOUT, WB_EXIT_POLICY);
}

/* ---------------------------------------------------------------- options */

struct run_cfg {
	struct wb_wasi_preopen *pre;
	size_t pre_cnt;
	const char **env;
	int env_cnt;
	bool env_inherit;
	const char *wrapper_module;
	const char *callback_export;
	const char *core_btf;	/* NULL: the host's default ("min") */
	bool jit;		/* wb_module_opts.jit: on unless --no-jit */
	char **owned;		/* strings built here, freed at the end */
	int owned_cnt;
	struct wb_cli_policy policy;	/* --policy, --allow-helper ... (inspect.h) */
	struct wb_cli_limits limits;	/* --max-memory, --timeout ... (limits.h) */
};

static int add_preopen(struct run_cfg *cfg, char *spec, bool ro)
{
	struct wb_wasi_preopen *p;
	char *sep = strstr(spec, "::");

	p = realloc(cfg->pre, (cfg->pre_cnt + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	cfg->pre = p;
	p = &cfg->pre[cfg->pre_cnt];
	p->host_path = spec;
	p->guest_path = NULL;
	p->read_only = ro;
	if (sep) {
		*sep = 0;
		p->guest_path = sep + 2;
	}
	if (!*p->host_path || (p->guest_path && !*p->guest_path)) {
		wb_cli_err("--%s: expected HOST[::GUEST] with non-empty names, got '%s'",
			   ro ? "dir-ro" : "dir", spec);
		return -EINVAL;
	}
	cfg->pre_cnt++;
	return 0;
}

/* Add "K=V" to the environment, replacing an earlier entry for K. */
static int env_set(struct run_cfg *cfg, const char *kv)
{
	size_t klen = strcspn(kv, "=");
	const char **e;
	int i;

	for (i = 0; i < cfg->env_cnt; i++) {
		if (!strncmp(cfg->env[i], kv, klen) && cfg->env[i][klen] == '=') {
			cfg->env[i] = kv;
			return 0;
		}
	}
	e = realloc(cfg->env, (cfg->env_cnt + 1) * sizeof(*e));
	if (!e)
		return -ENOMEM;
	cfg->env = e;
	cfg->env[cfg->env_cnt++] = kv;
	return 0;
}

static int parse_env(struct run_cfg *cfg, const char *arg)
{
	const char *val;
	char *kv, **own;
	size_t klen;

	if (!*arg || *arg == '=') {
		wb_cli_err("--env: expected KEY=VALUE or KEY, got '%s'", arg);
		return -EINVAL;
	}
	if (strchr(arg, '='))
		return env_set(cfg, arg);
	/* KEY alone: copy the host's value, if any. */
	val = getenv(arg);
	if (!val)
		return 0;
	klen = strlen(arg);
	own = realloc(cfg->owned, (cfg->owned_cnt + 1) * sizeof(*own));
	if (!own)
		return -ENOMEM;
	cfg->owned = own;
	kv = malloc(klen + strlen(val) + 2);
	if (!kv)
		return -ENOMEM;
	cfg->owned[cfg->owned_cnt++] = kv;
	sprintf(kv, "%s=%s", arg, val);
	return env_set(cfg, kv);
}

/* After a bad option: list the valid ones. */
static void expected_opts(void)
{
	size_t i;

	fprintf(stderr, "wasm-bpf: expected options before the module:");
	for (i = 0; i < RUN_OPT_CNT; i++)
		fprintf(stderr, " --%s%s%s", run_opts[i].name, run_opts[i].arg ? " " : "",
			run_opts[i].arg ? run_opts[i].arg : "");
	fprintf(stderr, "\nwasm-bpf: see 'wasm-bpf help run'\n");
}

/* Parse options; returns -1 to continue, else an exit status. */
static int parse_opts(int argc, char **argv, struct run_cfg *cfg)
{
	struct option lopts[RUN_OPT_CNT + 1];
	char sopts[2 * RUN_OPT_CNT + 3];
	size_t i, k = 0;
	int c;

	sopts[k++] = '+';	/* stop at the module path: the rest is the guest's */
	sopts[k++] = ':';	/* tell a missing argument from an unknown option */
	for (i = 0; i < RUN_OPT_CNT; i++) {
		lopts[i].name = run_opts[i].name;
		lopts[i].has_arg = run_opts[i].has_arg;
		lopts[i].flag = NULL;
		lopts[i].val = run_opts[i].val;
		if (run_opts[i].val < 0x100) {
			sopts[k++] = run_opts[i].val;
			if (run_opts[i].has_arg == required_argument)
				sopts[k++] = ':';
		}
	}
	memset(&lopts[RUN_OPT_CNT], 0, sizeof(lopts[0]));
	sopts[k] = 0;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, sopts, lopts, NULL)) != -1) {
		int err = 0;

		if (wb_cli_policy_opt(c) || wb_cli_limit_opt(c)) {
			err = wb_cli_policy_opt(c) ? wb_cli_policy_arg(&cfg->policy, c, optarg) :
						     wb_cli_limits_arg(&cfg->limits, c, optarg);
			if (err)
				return err == -ENOMEM ? WB_EXIT_OSERR : WB_EXIT_USAGE;
			continue;
		}
		switch (c) {
		case OPT_DIR:
		case OPT_DIR_RO:
			err = add_preopen(cfg, optarg, c == OPT_DIR_RO);
			break;
		case OPT_ENV:
			err = parse_env(cfg, optarg);
			break;
		case OPT_ENV_INHERIT:
			cfg->env_inherit = true;
			break;
		case OPT_WRAPPER_MODULE:
			cfg->wrapper_module = optarg;
			break;
		case OPT_CALLBACK_EXPORT:
			cfg->callback_export = optarg;
			break;
		case OPT_JIT:
			cfg->jit = true;
			break;
		case OPT_NO_JIT:
			cfg->jit = false;
			break;
		case OPT_CORE_BTF:
			if (!*optarg) {
				wb_cli_err("--core-btf: expected min, full or a BTF file");
				err = -EINVAL;
			}
			cfg->core_btf = optarg;
			break;
		case 'v':
			wb_cli_verbose++;
			break;
		case 'h':
			run_usage(stdout);
			return 0;
		case ':':
			wb_cli_err("option '%s' expects an argument; see 'wasm-bpf help run'",
				   argv[optind - 1]);
			return WB_EXIT_USAGE;
		default:
			if (optopt && optopt < 0x100)
				wb_cli_err("unknown option '-%c'", optopt);
			else
				wb_cli_err("unknown option '%s'", argv[optind - 1]);
			expected_opts();
			return WB_EXIT_USAGE;
		}
		if (err == -ENOMEM) {
			wb_cli_err("out of memory");
			return WB_EXIT_OSERR;
		}
		if (err)
			return WB_EXIT_USAGE;
	}
	return -1;
}

/* ---------------------------------------------------------------- running */

static struct wb_store *volatile sig_store;
static struct wb_bpf_host *volatile sig_bpf;
static volatile sig_atomic_t sig_cnt;

/* Seconds a guest has after the first Ctrl-C to finish on its own. */
#define SIGINT_GRACE_SEC 2

/*
 * Ctrl-C, in three steps. The first makes blocked buffer polls (and WASI
 * waits) return EINTR, so that the guest can print its summary, flush its
 * output and exit; if it has not done so after SIGINT_GRACE_SEC, the alarm
 * interrupts it (it traps at its next call or loop). A second Ctrl-C
 * interrupts it at once; a third exits the process. Each way the instance
 * is torn down and every kernel object released, except after the third.
 */
static void on_sigint(int sig)
{
	if (!sig_store || sig_cnt >= 2)
		_exit(WB_EXIT_INTERRUPTED);
	if (sig_cnt++ == 0) {
		if (sig_bpf)
			wb_bpf_host__interrupt(sig_bpf);
		alarm(SIGINT_GRACE_SEC);
		return;
	}
	wb_store__interrupt(sig_store);
}

static void on_sigalrm(int sig)
{
	if (sig_store && sig_cnt)
		wb_store__interrupt(sig_store);
}

/* Messages of the eBPF host interface (verifier logs, libbpf at -v/-vv). */
__attribute__((format(printf, 3, 0)))
static void bpf_log(void *ctx, enum wb_bpf_log_level level, const char *fmt, va_list ap)
{
	size_t n = strlen(fmt);

	fputs("wasm-bpf: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (!n || fmt[n - 1] != '\n')
		fputc('\n', stderr);
}


static double ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1e3 + (t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Name of a function: from the name section, else the name it is exported as. */
static const char *func_name(const struct wb_module *m, uint32_t idx)
{
	const char *name = wb_module__func_name(m, idx);
	struct wb_export_desc e;
	uint32_t i, n;

	if (name)
		return name;
	n = wb_module__export_cnt(m);
	for (i = 0; i < n; i++)
		if (!wb_module__export(m, i, &e) && e.kind == WB_EXTERN_FUNC && e.index == idx)
			return e.name;
	return NULL;
}

/* Print a trap and its backtrace; return the exit status it means. */
static int report_trap(const struct wb_store *store)
{
	const struct wb_trap *t = wb_store__trap(store);
	uint32_t i;

	if (!t) {
		wb_cli_err("trap: (no trap information)");
		return WB_EXIT_TRAP;
	}
	if (t->kind == WB_TRAP_EXIT) {
		wb_cli_info(1, "guest exited with code %d", t->exit_code);
		return (unsigned int)t->exit_code & 0xff;
	}
	if (t->kind == WB_TRAP_INTERRUPTED) {
		wb_cli_err("interrupted");
		return WB_EXIT_INTERRUPTED;
	}
	wb_cli_err("trap: %s", t->msg ? t->msg : wb_trap_kind__str(t->kind));
	if (t->frame_cnt)
		fprintf(stderr, "wasm backtrace:\n");
	for (i = 0; i < t->frame_cnt; i++) {
		const struct wb_trap_frame *f = &t->frames[i];
		const char *name = f->module ? func_name(f->module, f->func_idx) : NULL;

		if (!f->module)
			fprintf(stderr, "  #%-2u <host function>\n", i);
		else if (name)
			fprintf(stderr, "  #%-2u 0x%06x - %s (func %u)\n", i, f->code_offset, name,
				f->func_idx);
		else
			fprintf(stderr, "  #%-2u 0x%06x - func[%u]\n", i, f->code_offset,
				f->func_idx);
	}
	if (t->frame_cnt == WB_TRAP_MAX_FRAMES)
		fprintf(stderr, "  ... (outer frames not recorded)\n");
	return WB_EXIT_TRAP;
}

static bool is_start_type(const struct wb_functype *t)
{
	return t && t->param_cnt == 0 && t->result_cnt == 0;
}

int wb_cli_run(int argc, char **argv)
{
	struct run_cfg cfg = { .jit = true };
	struct wb_module *module = NULL;
	struct wb_store *store = NULL;
	struct wb_linker *linker = NULL;
	struct wb_instance *inst = NULL;
	struct wb_wasi *wasi = NULL;
	struct wb_bpf_host *bpf = NULL;
	struct wb_func *start;
	struct wb_error err = { 0 };
	struct sigaction sa = { 0 }, old_sa, old_alrm;
	struct timespec t0;
	const char *path;
	const char **envp = NULL;
	int envc = 0, ret, r, i;
	uint8_t *buf = NULL;
	size_t sz = 0;
	char line[512];

	ret = parse_opts(argc, argv, &cfg);
	if (ret >= 0)
		goto out;
	if (cfg.policy.print) {
		if (wb_cli_policy_print(&cfg.policy))
			goto oom;
		if (optind >= argc) {
			ret = 0;
			goto out;
		}
	}
	if (optind >= argc) {
		wb_cli_err("run: expected a module file; see 'wasm-bpf help run'");
		ret = WB_EXIT_USAGE;
		goto out;
	}
	path = argv[optind];

	/* Environment: inherited first, so that --env entries override. */
	if (cfg.env_inherit) {
		struct run_cfg tmp = { 0 };

		for (i = 0; environ && environ[i]; i++)
			if (strchr(environ[i], '=') && env_set(&tmp, environ[i]))
				break;
		for (r = 0; r < cfg.env_cnt && (!environ || !environ[i]); r++)
			if (env_set(&tmp, cfg.env[r]))
				break;
		if ((environ && environ[i]) || r < cfg.env_cnt) {
			free(tmp.env);
			goto oom;
		}
		free(cfg.env);
		cfg.env = tmp.env;
		cfg.env_cnt = tmp.env_cnt;
	}
	envp = cfg.env;
	envc = cfg.env_cnt;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = wb_cli_read_file(path, &buf, &sz);
	if (r) {
		wb_cli_err("cannot read module '%s': %s", path, strerror(-r));
		ret = r == -ENOMEM ? WB_EXIT_OSERR : WB_EXIT_USAGE;
		goto out;
	}
	{
		WB_OPTS(wb_module_opts, mo, .jit = cfg.jit);

		module = wb_module__new(buf, sz, &mo, &err);
	}
	if (!module) {
		if (errno == ENOMEM && err.kind != WB_ERR_MALFORMED && err.kind != WB_ERR_INVALID) {
			wb_cli_err("%s: out of memory", path);
			ret = WB_EXIT_OSERR;
		} else {
			wb_cli_err("%s: %s", path, wb_error__format(&err, line, sizeof(line)));
			ret = WB_EXIT_LOAD;
		}
		goto out;
	}
	wb_cli_info(1, "loaded %s (%zu bytes, %s) in %.2f ms", path, sz,
		    cfg.jit ? "JIT" : "interpreted", ms_since(&t0));
	if (wb_cli_verbose >= 2) {
		static const char *const kinds[] = { "func", "table", "memory", "global" };
		struct wb_import_desc d;
		uint32_t k, n = wb_module__import_cnt(module);

		for (k = 0; k < n; k++)
			if (!wb_module__import(module, k, &d))
				wb_cli_info(2, "import %s.%s (%s)", d.module, d.name,
					    d.kind <= WB_EXTERN_GLOBAL ? kinds[d.kind] : "?");
	}

	{
		WB_OPTS(wb_wasi_opts, wo,
			.argc = argc - optind,
			.argv = (const char *const *)argv + optind,
			.envc = envc,
			.envp = envp,
			.preopens = cfg.pre,
			.preopen_cnt = cfg.pre_cnt);

		wasi = wb_wasi__new(&wo);
	}
	if (!wasi) {
		int idx = wb_wasi__failed_preopen();

		if (idx >= 0) {
			wb_cli_err("--%s '%s': %s", cfg.pre[idx].read_only ? "dir-ro" : "dir",
				   cfg.pre[idx].host_path, strerror(errno));
			ret = WB_EXIT_USAGE;
		} else {
			wb_cli_err("cannot set up WASI: %s", strerror(errno));
			ret = WB_EXIT_OSERR;
		}
		goto out;
	}
	for (i = 0; (size_t)i < cfg.pre_cnt; i++)
		wb_cli_info(1, "preopen fd %d: %s -> %s%s", 3 + i, cfg.pre[i].host_path,
			    cfg.pre[i].guest_path ? cfg.pre[i].guest_path : cfg.pre[i].host_path,
			    cfg.pre[i].read_only ? " (read-only)" : "");

	{
		WB_OPTS(wb_store_opts, so);

		wb_cli_limits_store_opts(&cfg.limits, &so);
		store = wb_store__new(&so);
	}
	linker = wb_linker__new();
	if (!store || !linker) {
		wb_cli_err("cannot create the store: %s", strerror(errno));
		ret = WB_EXIT_OSERR;
		goto out;
	}
	r = wb_wasi__define(wasi, linker, store);
	if (r) {
		wb_cli_err("cannot define WASI: %s", strerror(-r));
		ret = WB_EXIT_OSERR;
		goto out;
	}
	{
		WB_OPTS(wb_bpf_host_opts, bo,
			.log = bpf_log,
			.log_level = wb_cli_verbose >= 2 ? WB_BPF_LOG_DEBUG :
				     wb_cli_verbose ? WB_BPF_LOG_INFO : WB_BPF_LOG_WARN,
			.wrapper_module = cfg.wrapper_module,
			.callback_export = cfg.callback_export,
			.module_name = path,
			.policy = cfg.policy.policy,
			.core_btf = cfg.core_btf);

		bpf = wb_bpf_host__new(&bo);
	}
	if (!bpf) {
		wb_cli_err("cannot set up the eBPF host interface: %s", strerror(errno));
		ret = WB_EXIT_OSERR;
		goto out;
	}
	r = wb_bpf_host__define(bpf, linker, store);
	if (r) {
		wb_cli_err("cannot define the wasm_bpf imports: %s", strerror(-r));
		ret = WB_EXIT_OSERR;
		goto out;
	}

	/* Ctrl-C: see on_sigint(). */
	sig_bpf = bpf;
	sig_store = store;
	sig_cnt = 0;
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_sa);
	sa.sa_handler = on_sigalrm;
	sigaction(SIGALRM, &sa, &old_alrm);
	r = wb_cli_timeout_arm(&cfg.limits, store, bpf);
	if (r) {
		wb_cli_err("--timeout: cannot start the clock: %s", strerror(-r));
		ret = WB_EXIT_OSERR;
		goto restore;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	inst = wb_instance__new(store, module, linker, &err);
	if (!inst) {
		if (err.kind == WB_ERR_TRAP) {
			ret = report_trap(store);
		} else if (err.kind == WB_ERR_RESOURCE) {
			wb_cli_err("%s: %s", path, wb_error__format(&err, line, sizeof(line)));
			ret = WB_EXIT_OSERR;
		} else {
			wb_cli_err("%s: %s", path, wb_error__format(&err, line, sizeof(line)));
			ret = WB_EXIT_LOAD;
		}
		goto restore;
	}
	start = wb_instance__func(inst, "_start");
	if (!start || !is_start_type(wb_func__type(start))) {
		wb_cli_err("%s: no _start function of type [] -> [] exported: not a WASI command",
			   path);
		ret = WB_EXIT_LOAD;
		goto restore;
	}
	wb_cli_info(1, "instantiated in %.2f ms; calling _start", ms_since(&t0));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = wb_func__call(store, start, NULL, 0, NULL, 0);
	if (r == 0) {
		wb_cli_info(1, "_start returned after %.2f ms", ms_since(&t0));
		ret = 0;
	} else if (r == WB_TRAPPED) {
		wb_cli_info(1, "_start ended after %.2f ms", ms_since(&t0));
		ret = wb_cli_timed_out() ? WB_EXIT_TIMEOUT : report_trap(store);
	} else {
		wb_cli_err("calling _start failed: %s", strerror(-r));
		ret = WB_EXIT_OSERR;
	}
	/*
	 * A guest that saw EINTR from a blocking call may have exited on its
	 * own before reaching a point where the interrupt traps: Ctrl-C still
	 * means "interrupted", as it would for a native program.
	 */
	if (sig_cnt && ret != WB_EXIT_INTERRUPTED) {
		wb_cli_err("interrupted");
		ret = WB_EXIT_INTERRUPTED;
	}
	if (wb_cli_timed_out()) {
		wb_cli_err("timed out after %s", cfg.limits.timeout_arg);
		ret = WB_EXIT_TIMEOUT;
	}
	/*
	 * A guest that fails after the policy refused one of its requests
	 * failed because of the policy (the refusal itself is printed): say so
	 * with a status of its own. A guest that coped with the refusal keeps
	 * its own success.
	 */
	if (ret != 0 && ret != WB_EXIT_INTERRUPTED && ret != WB_EXIT_TIMEOUT &&
	    wb_bpf_host__refusal_cnt(bpf)) {
		wb_cli_info(1, "the guest ended with status %d after a policy refusal", ret);
		ret = WB_EXIT_POLICY;
	}
restore:
	wb_cli_timeout_disarm();
	alarm(0);
	sigaction(SIGINT, &old_sa, NULL);
	sigaction(SIGALRM, &old_alrm, NULL);
	sig_store = NULL;
	sig_bpf = NULL;
	goto out;
oom:
	wb_cli_err("out of memory");
	ret = WB_EXIT_OSERR;
out:
	/* Instances first, then what their imports used: links, objects, fds. */
	wb_store__free(store);
	wb_linker__free(linker);
	wb_bpf_host__free(bpf);
	wb_wasi__free(wasi);
	wb_module__free(module);
	free(buf);
	free(cfg.pre);
	free(cfg.env);
	for (i = 0; i < cfg.owned_cnt; i++)
		free(cfg.owned[i]);
	free(cfg.owned);
	wb_cli_policy_free(&cfg.policy);
	return ret;
}
