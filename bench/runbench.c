/* SPDX-License-Identifier: MIT */
/*
 * The driver of `make bench`: runs every compute kernel under every runner
 * (native, native-ref, our engine interpreted and with --jit, node, wabt's
 * wasm-interp), alternating the
 * runners within each repetition, checks the checksums, and reports medians
 * and ratios to native as a markdown table and as JSON.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPS 100
#define MAX_ARGS 16

struct kernel {
	const char *name;
	uint32_t full, quick, interp, interp_quick;
	bool geomean;
	const char *what;
	bool selected;
};

static struct kernel kernels[] = {
#define KERNEL(name, full, quick, interp, interp_quick, geomean, what) \
	{ #name, full, quick, interp, interp_quick, geomean, what, true },
#include "kernels.def"
#undef KERNEL
};

#define NKERNELS (sizeof(kernels) / sizeof(kernels[0]))

/*
 * native-ref is native built scalar against musl: not a target, but the
 * baseline that leaves libc (wasi-libc is musl) and SIMD out of ours' ratio.
 * Its binaries live in DIR/<name>/ like native's. ours-jit is our engine with
 * `wasm-bpf run --jit`; it sits next to ours so that the interpreter's numbers
 * stay visible, and is probed, reported and checked against the targets the
 * same way.
 */
enum runner_id { R_NATIVE, R_NATIVE_REF, R_OURS, R_OURS_JIT, R_NODE, R_WABT, NRUNNERS };

/* Our engine's runners, in the order of the report's per-engine lines. */
static const enum runner_id ours_runners[] = { R_OURS, R_OURS_JIT };

#define NOURS (sizeof(ours_runners) / sizeof(ours_runners[0]))

static bool is_ours(enum runner_id r)
{
	return r == R_OURS || r == R_OURS_JIT;
}

struct runner {
	const char *name;
	const char *title;	/* column header */
	bool selected;
	bool available;
	char why[512];		/* why it is not available */
	char version[128];
};

static struct runner runners[NRUNNERS] = {
	[R_NATIVE] = { .name = "native", .title = "native (clang -O2)", .selected = true },
	[R_NATIVE_REF] = { .name = "native-ref", .title = "native-ref (musl, scalar)",
			   .selected = true },
	[R_OURS] = { .name = "ours", .title = "ours (wasm-bpf --no-jit)", .selected = true },
	[R_OURS_JIT] = { .name = "ours-jit", .title = "ours-jit (wasm-bpf --jit)",
			 .selected = true },
	[R_NODE] = { .name = "node", .title = "node 20 (V8)", .selected = true },
	[R_WABT] = { .name = "wasm-interp", .title = "wasm-interp (wabt)", .selected = true },
};

struct sample {
	double wall_ms, user_ms, sys_ms;
	long maxrss_kib;
};

struct cell {
	struct sample s[MAX_REPS];
	int n;			/* samples taken */
	bool invalid;		/* a run failed or its checksum differed */
	bool ran;
	uint32_t units;		/* units the runner actually ran */
	double scale;		/* reported time = measured time * scale */
	uint32_t checksum;	/* last checksum seen */
	uint32_t want;		/* the native reference at the same units */
	char note[256];
	/* medians, filled by summarize() */
	double wall, user, sys;
	long maxrss;
};

static struct cell cells[NKERNELS][NRUNNERS];

static struct {
	int reps;
	bool quick;
	int timeout_s;
	const char *dir;
	const char *json;
	const char *markdown;
	const char *ours;
	const char *node;
	const char *wabt;
	const char *runner_js;
	const char *compiler;
	const char *ref_compiler;
	const char *ref_skip;	/* why native-ref was not built, from make */
	const char *command;
} opt = {
	.reps = 5,
	.timeout_s = 600,
	.dir = "build/bench",
	.ours = "build/wasm-bpf",
	.node = "node",
	.wabt = "wasm-interp",
	.runner_js = "bench/run-wasi.mjs",
	.compiler = "clang -O2",
	.ref_compiler = "clang -O2 -fno-tree-vectorize -fno-tree-slp-vectorize, static musl",
	.command = "make bench",
};

static char out_path[512], err_path[512];

/* ------------------------------------------------------------ running */

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	timed_out = 1;
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1e3 + (b->tv_nsec - a->tv_nsec) / 1e6;
}

static double tv_ms(const struct timeval *tv)
{
	return tv->tv_sec * 1e3 + tv->tv_usec / 1e3;
}

/*
 * Runs argv with stdout and stderr sent to files (never a pipe: node's WASI
 * loses output on non-blocking pipes). Returns the exit status as from wait4,
 * or -1 when the process could not be run or timed out.
 */
static int run_timed(char *const argv[], struct sample *s)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct timespec t0, t1;
	struct rusage ru;
	int status = -1;
	pid_t pid, got;

	fflush(stdout);
	fflush(stderr);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("runbench: fork");
		return -1;
	}
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (in < 0 || out < 0 || err < 0)
			_exit(126);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		execvp(argv[0], argv);
		dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	timed_out = 0;
	sigaction(SIGALRM, &sa, NULL);
	alarm(opt.timeout_s);
	for (;;) {
		got = wait4(pid, &status, 0, &ru);
		if (got == pid)
			break;
		if (got < 0 && errno == EINTR && timed_out) {
			kill(pid, SIGKILL);
			continue;
		}
		if (got < 0 && errno != EINTR) {
			perror("runbench: wait4");
			alarm(0);
			return -1;
		}
	}
	alarm(0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s->wall_ms = ms_between(&t0, &t1);
	s->user_ms = tv_ms(&ru.ru_utime);
	s->sys_ms = tv_ms(&ru.ru_stime);
	s->maxrss_kib = ru.ru_maxrss;
	return timed_out ? -1 : status;
}

static size_t slurp(const char *path, char *buf, size_t buf_sz)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, buf_sz - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	return n;
}

/* Finds the checksum in a kernel's output: "checksum=0x..." or wasm-interp's "bench() => i32:N". */
static bool parse_checksum(const char *out, uint32_t *sum)
{
	const char *p;

	p = strstr(out, "checksum=0x");
	if (p) {
		*sum = (uint32_t)strtoul(p + 11, NULL, 16);
		return true;
	}
	p = strstr(out, "bench() => i32:");
	if (p) {
		*sum = (uint32_t)strtoul(p + 15, NULL, 10);
		return true;
	}
	return false;
}

/* First line of the child's stderr, for messages. */
static const char *first_err_line(void)
{
	static char buf[4096];
	char *nl;

	slurp(err_path, buf, sizeof(buf));
	nl = strchr(buf, '\n');
	if (nl)
		*nl = 0;
	return buf[0] ? buf : "(no stderr)";
}

static void path_of(char *buf, size_t sz, const char *sub, const char *name, const char *ext)
{
	snprintf(buf, sz, "%s/%s/%s%s", opt.dir, sub, name, ext);
}

/* Builds the argv of one run; the strings live in @store. */
static void build_argv(enum runner_id r, const struct kernel *k, uint32_t units,
		       char *argv[MAX_ARGS], char store[4][512])
{
	int n = 0;

	snprintf(store[0], sizeof(store[0]), "%u", units);
	switch (r) {
	case R_NATIVE:
	case R_NATIVE_REF:
		path_of(store[1], sizeof(store[1]), runners[r].name, k->name, "");
		argv[n++] = store[1];
		argv[n++] = store[0];
		break;
	case R_OURS:
	case R_OURS_JIT:
		path_of(store[1], sizeof(store[1]), "wasi", k->name, ".wasm");
		argv[n++] = (char *)opt.ours;
		argv[n++] = "run";
		argv[n++] = r == R_OURS_JIT ? "--jit" : "--no-jit";
		argv[n++] = store[1];
		argv[n++] = store[0];
		break;
	case R_NODE:
		path_of(store[1], sizeof(store[1]), "wasi", k->name, ".wasm");
		argv[n++] = (char *)opt.node;
		argv[n++] = "--no-warnings";
		argv[n++] = (char *)opt.runner_js;
		argv[n++] = store[1];
		argv[n++] = store[0];
		break;
	case R_WABT:
		path_of(store[1], sizeof(store[1]), opt.quick ? "export-quick" : "export", k->name,
			".wasm");
		argv[n++] = (char *)opt.wabt;
		argv[n++] = "--dummy-import-func";
		argv[n++] = "--run-all-exports";
		argv[n++] = store[1];
		break;
	default:
		break;
	}
	argv[n] = NULL;
}

/*
 * One run of kernel @k under runner @r at @units; returns true and the
 * checksum when the run exited 0 and printed one.
 */
static bool run_one(enum runner_id r, const struct kernel *k, uint32_t units, struct sample *s,
		    uint32_t *sum, char *why, size_t why_sz)
{
	char store[4][512], *argv[MAX_ARGS], out[4096];
	int status;

	build_argv(r, k, units, argv, store);
	status = run_timed(argv, s);
	if (status == -1) {
		snprintf(why, why_sz, "%s", timed_out ? "timed out" : "could not run");
		return false;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFSIGNALED(status))
			snprintf(why, why_sz, "killed by signal %d: %s", WTERMSIG(status),
				 first_err_line());
		else
			snprintf(why, why_sz, "exit %d: %s", WEXITSTATUS(status), first_err_line());
		return false;
	}
	slurp(out_path, out, sizeof(out));
	if (!parse_checksum(out, sum)) {
		snprintf(why, why_sz, "no checksum in output: %.60s", out[0] ? out : first_err_line());
		return false;
	}
	return true;
}

/* ------------------------------------------------------------ probing */

/* Runs a command and keeps the first line of its stdout in @buf. */
static bool probe_version(const char *const cmd[], char *buf, size_t buf_sz)
{
	char *argv[MAX_ARGS];
	struct sample s;
	int i, status;

	for (i = 0; cmd[i] && i < MAX_ARGS - 1; i++)
		argv[i] = (char *)cmd[i];
	argv[i] = NULL;
	status = run_timed(argv, &s);
	buf[0] = 0;
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return false;
	slurp(out_path, buf, buf_sz);
	buf[strcspn(buf, "\n")] = 0;
	return true;
}

static bool file_exists(const char *path, bool exec)
{
	return access(path, exec ? X_OK : R_OK) == 0;
}

static bool any_selected(void)
{
	for (size_t i = 0; i < NKERNELS; i++)
		if (kernels[i].selected)
			return true;
	return false;
}

/*
 * Why our engine (runner R_OURS or R_OURS_JIT) failed the one-unit probe of a
 * kernel; empty when it passed.
 */
static char probe_fail[NRUNNERS][NKERNELS][256];

/*
 * Our engine's CLI is probed with one unit of every selected kernel, so that a
 * missing `wasm-bpf` is skipped with a message, and a kernel it cannot run yet
 * is reported (and marked invalid) without costing the other kernels' numbers.
 * Once for ours and once for ours-jit: a CLI without --jit skips only ours-jit.
 */
static void probe_ours(enum runner_id r)
{
	struct runner *ro = &runners[r];
	const char *cmd[] = { opt.ours, "--version", NULL };
	char (*fail)[256] = probe_fail[r];
	int passed = 0, failed = 0;

	if (!ro->selected)
		return;
	if (!file_exists(opt.ours, true)) {
		snprintf(ro->why, sizeof(ro->why), "%s does not exist (the CLI did not build)",
			 opt.ours);
		return;
	}
	for (size_t k = 0; k < NKERNELS; k++) {
		uint32_t want = 0, got = 0;
		char why[256];
		struct sample s;

		if (!kernels[k].selected)
			continue;
		if (!run_one(R_NATIVE, &kernels[k], 1, &s, &want, why, sizeof(why))) {
			fprintf(stderr, "runbench: native %s does not run (%s); build with `make bench`\n",
				kernels[k].name, why);
			exit(1);
		}
		if (!run_one(r, &kernels[k], 1, &s, &got, why, sizeof(why)))
			snprintf(fail[k], sizeof(fail[k]), "probe (1 unit) failed: %.200s", why);
		else if (got != want)
			snprintf(fail[k], sizeof(fail[k]),
				 "probe (1 unit): checksum mismatch: 0x%08x, native 0x%08x", got, want);
		if (fail[k][0]) {
			if (!failed++)
				snprintf(ro->why, sizeof(ro->why), "`%.200s run%s %s.wasm 1`: %.230s",
					 opt.ours, r == R_OURS_JIT ? " --jit" : " --no-jit", kernels[k].name,
					 fail[k]);
		} else {
			passed++;
		}
	}
	if (!passed)
		return;
	ro->available = true;
	ro->why[0] = 0;
	if (!probe_version(cmd, ro->version, sizeof(ro->version)))
		snprintf(ro->version, sizeof(ro->version), "%s", opt.ours);
}

/*
 * native-ref runs when make built it (it says why not, usually a missing
 * musl-dev) and every selected kernel's binary is there; a wrong checksum is
 * caught per kernel by the timed runs, as for every other runner.
 */
static void probe_native_ref(void)
{
	struct runner *rr = &runners[R_NATIVE_REF];
	char path[512];

	if (!rr->selected)
		return;
	if (opt.ref_skip) {
		snprintf(rr->why, sizeof(rr->why), "%s", opt.ref_skip);
		return;
	}
	for (size_t k = 0; k < NKERNELS; k++) {
		if (!kernels[k].selected)
			continue;
		path_of(path, sizeof(path), rr->name, kernels[k].name, "");
		if (!file_exists(path, true)) {
			snprintf(rr->why, sizeof(rr->why),
				 "%.440s does not exist (make bench-build)", path);
			return;
		}
	}
	rr->available = true;
	snprintf(rr->version, sizeof(rr->version), "%s", opt.ref_compiler);
}

/* Decides which runners can run, and says why the others are skipped. */
static void probe_runners(void)
{
	runners[R_NATIVE].available = true;
	snprintf(runners[R_NATIVE].version, sizeof(runners[R_NATIVE].version), "%s", opt.compiler);
	probe_native_ref();
	for (size_t i = 0; i < NOURS; i++)
		probe_ours(ours_runners[i]);

	{
		const char *cmd[] = { opt.node, "--version", NULL };

		if (probe_version(cmd, runners[R_NODE].version, sizeof(runners[R_NODE].version)))
			runners[R_NODE].available = true;
		else
			snprintf(runners[R_NODE].why, sizeof(runners[R_NODE].why),
				 "`%s --version` failed", opt.node);
	}
	{
		const char *cmd[] = { opt.wabt, "--version", NULL };

		if (probe_version(cmd, runners[R_WABT].version, sizeof(runners[R_WABT].version)))
			runners[R_WABT].available = true;
		else
			snprintf(runners[R_WABT].why, sizeof(runners[R_WABT].why),
				 "`%s --version` failed", opt.wabt);
	}
	for (int r = 0; r < NRUNNERS; r++) {
		if (!runners[r].selected)
			continue;
		if (runners[r].available)
			fprintf(stderr, "runbench: %-12s %s\n", runners[r].name, runners[r].version);
		else
			fprintf(stderr, "runbench: %-12s SKIPPED: %s\n", runners[r].name,
				runners[r].why);
	}
}

/* ------------------------------------------------------------ statistics */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void summarize(struct cell *c)
{
	double w[MAX_REPS], u[MAX_REPS], s[MAX_REPS];

	c->maxrss = 0;
	for (int i = 0; i < c->n; i++) {
		w[i] = c->s[i].wall_ms * c->scale;
		u[i] = c->s[i].user_ms * c->scale;
		s[i] = c->s[i].sys_ms * c->scale;
		if (c->s[i].maxrss_kib > c->maxrss)
			c->maxrss = c->s[i].maxrss_kib;
	}
	if (c->n) {
		c->wall = median(w, c->n);
		c->user = median(u, c->n);
		c->sys = median(s, c->n);
	}
}

static bool usable(const struct cell *c)
{
	return c->ran && !c->invalid && c->n > 0;
}

/* Geometric mean of a/b over kernels where both runners have valid results. */
static double geomean_ratio(enum runner_id a, enum runner_id b, bool user, int *count)
{
	double logsum = 0;
	int n = 0;

	for (size_t k = 0; k < NKERNELS; k++) {
		const struct cell *ca = &cells[k][a], *cb = &cells[k][b];

		if (!kernels[k].selected || !kernels[k].geomean || !usable(ca) || !usable(cb))
			continue;
		logsum += log(user ? ca->user / cb->user : ca->wall / cb->wall);
		n++;
	}
	*count = n;
	return n ? exp(logsum / n) : NAN;
}

/* ------------------------------------------------------------ machine */

struct machine {
	long nproc;
	char cpu[160];
	char kernel[256];
	char date[64];
	double load_before[3], load_after[3];
	double load_max;	/* highest 1-minute load seen at a repetition's start */
};

static struct machine machine;

static void read_loadavg(double load[3])
{
	FILE *f = fopen("/proc/loadavg", "r");

	load[0] = load[1] = load[2] = NAN;
	if (f) {
		if (fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
			load[0] = load[1] = load[2] = NAN;
		fclose(f);
	}
}

static void describe_machine(void)
{
	struct utsname u;
	char line[512];
	FILE *f;
	time_t now = time(NULL);

	machine.nproc = sysconf(_SC_NPROCESSORS_ONLN);
	snprintf(machine.cpu, sizeof(machine.cpu), "unknown");
	f = fopen("/proc/cpuinfo", "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char *colon = strchr(line, ':');

			if (!strncmp(line, "model name", 10) && colon) {
				colon += 1 + strspn(colon + 1, " \t");
				colon[strcspn(colon, "\n")] = 0;
				snprintf(machine.cpu, sizeof(machine.cpu), "%s", colon);
				break;
			}
		}
		fclose(f);
	}
	if (uname(&u) == 0)
		snprintf(machine.kernel, sizeof(machine.kernel), "%s %s %s", u.sysname, u.release,
			 u.machine);
	strftime(machine.date, sizeof(machine.date), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	read_loadavg(machine.load_before);
}

/* ------------------------------------------------------------ reports */

static void fmt_ms(char *buf, size_t sz, double ms)
{
	if (ms >= 10000)
		snprintf(buf, sz, "%.1f s", ms / 1000);
	else if (ms >= 1000)
		snprintf(buf, sz, "%.2f s", ms / 1000);
	else
		snprintf(buf, sz, "%.1f ms", ms);
}

/* The text of one table cell for runner @r: time and ratio to native. */
static void fmt_cell(char *buf, size_t sz, size_t k, enum runner_id r, bool user)
{
	const struct cell *c = &cells[k][r], *nat = &cells[k][R_NATIVE];
	char t[32];

	if (!runners[r].selected) {
		snprintf(buf, sz, "–");
		return;
	}
	if (!runners[r].available) {
		snprintf(buf, sz, "%s", is_ours(r) ? "pending" : "skipped");
		return;
	}
	if (!c->ran) {
		snprintf(buf, sz, "n/a");
		return;
	}
	if (!usable(c)) {
		snprintf(buf, sz, "**INVALID**");
		return;
	}
	fmt_ms(t, sizeof(t), user ? c->user : c->wall);
	if (r == R_NATIVE || !usable(nat))
		snprintf(buf, sz, "%s%s", t, c->scale != 1 ? " *" : "");
	else
		snprintf(buf, sz, "%s%s (%.1fx)", t, c->scale != 1 ? " *" : "",
			 user ? c->user / nat->user : c->wall / nat->wall);
}

static void print_table(FILE *f, bool user)
{
	char buf[96];
	int n;
	double g;

	fprintf(f, "| kernel");
	for (int r = 0; r < NRUNNERS; r++)
		fprintf(f, " | %s", runners[r].title);
	for (size_t i = 0; i < NOURS; i++)
		fprintf(f, " | %s vs wasm-interp", runners[ours_runners[i]].name);
	fprintf(f, " |\n|---");
	for (size_t i = 0; i < NRUNNERS + NOURS; i++)
		fprintf(f, "|---:");
	fprintf(f, "|\n");
	for (size_t k = 0; k < NKERNELS; k++) {
		const struct cell *w = &cells[k][R_WABT];

		if (!kernels[k].selected)
			continue;
		fprintf(f, "| %s%s", kernels[k].name, kernels[k].geomean ? "" : " †");
		for (int r = 0; r < NRUNNERS; r++) {
			fmt_cell(buf, sizeof(buf), k, r, user);
			fprintf(f, " | %s", buf);
		}
		for (size_t i = 0; i < NOURS; i++) {
			const struct cell *o = &cells[k][ours_runners[i]];

			if (usable(o) && usable(w))
				fprintf(f, " | %.1fx faster",
					user ? w->user / o->user : w->wall / o->wall);
			else
				fprintf(f, " | –");
		}
		fprintf(f, " |\n");
	}
	fprintf(f, "| **geomean ratio to native** | 1.0x");
	for (int r = R_NATIVE + 1; r < NRUNNERS; r++) {
		g = geomean_ratio(r, R_NATIVE, user, &n);
		if (n)
			fprintf(f, " | **%.1fx** (%d kernels)", g, n);
		else
			fprintf(f, " | %s",
				is_ours(r) && runners[r].selected && !runners[r].available ? "pending" :
											     "–");
	}
	for (size_t i = 0; i < NOURS; i++) {
		g = geomean_ratio(R_WABT, ours_runners[i], user, &n);
		if (n)
			fprintf(f, " | **%.1fx faster** (%d)", g, n);
		else
			fprintf(f, " | –");
	}
	fprintf(f, " |\n");
}

/* Lists the results that are invalid, with the reason. */
static void print_invalid(FILE *f)
{
	bool any = false;

	for (size_t k = 0; k < NKERNELS; k++) {
		for (int r = 0; r < NRUNNERS; r++) {
			const struct cell *c = &cells[k][r];

			if (!kernels[k].selected || !c->ran || usable(c))
				continue;
			if (!any)
				fprintf(f, "**Invalid results:**\n\n");
			any = true;
			fprintf(f, "- %s under %s: %s\n", kernels[k].name, runners[r].name,
				c->note[0] ? c->note : "no successful run");
		}
	}
	if (any)
		fprintf(f, "\n");
}

/*
 * Checks the targets of the benchmark issue against the results of our
 * engine under runner @r (ours or ours-jit).
 */
static void print_targets(FILE *f, enum runner_id r)
{
	const char *name = runners[r].name;
	double worst = 0, g, gw;
	const char *worst_name = "-";
	int n, nw, invalid = 0;

	if (!runners[r].selected) {
		fprintf(f, "Targets for %s: not measured, %s not selected.\n", name, name);
		return;
	}
	if (!runners[r].available) {
		fprintf(f, "Targets (%s: geomean <= 10x native, every kernel <= 25x, >= 20x faster "
			   "than wasm-interp): pending, %s.\n", name, runners[r].why);
		return;
	}
	g = geomean_ratio(r, R_NATIVE, false, &n);
	gw = geomean_ratio(R_WABT, r, false, &nw);
	for (size_t k = 0; k < NKERNELS; k++) {
		const struct cell *o = &cells[k][r], *nat = &cells[k][R_NATIVE];

		if (kernels[k].selected && kernels[k].geomean && usable(o) && usable(nat) &&
		    o->wall / nat->wall > worst) {
			worst = o->wall / nat->wall;
			worst_name = kernels[k].name;
		}
	}
	for (size_t k = 0; k < NKERNELS; k++)
		if (kernels[k].selected && cells[k][r].ran && !usable(&cells[k][r]))
			invalid++;
	fprintf(f, "Targets for %s:\n\n", name);
	if (invalid)
		fprintf(f, "- NOT MET: %d kernel(s) did not run correctly (see above)\n", invalid);
	if (!n) {
		fprintf(f, "- geomean and worst kernel: not measured\n");
	} else {
		fprintf(f, "- geomean within 10x native: %.1fx, %s\n", g, g <= 10 ? "met" : "NOT MET");
		fprintf(f, "- no kernel worse than 25x: worst %.1fx (%s), %s\n", worst, worst_name,
			worst <= 25 ? "met" : "NOT MET");
	}
	if (nw)
		fprintf(f, "- at least 20x faster than wasm-interp: %.1fx (geomean of %d), %s\n", gw,
			nw, gw >= 20 ? "met" : "NOT MET");
	else
		fprintf(f, "- at least 20x faster than wasm-interp: not measured\n");
}

/*
 * ours (or ours-jit, @r) against native-ref: the engine's own distance from
 * native code once both sides have the same libc family and no SIMD.
 * Informative only: the targets above stay against native.
 */
static void print_reference(FILE *f, enum runner_id r)
{
	const struct runner *rr = &runners[R_NATIVE_REF];
	double g, gu;
	int n, nu;

	g = geomean_ratio(r, R_NATIVE_REF, false, &n);
	gu = geomean_ratio(r, R_NATIVE_REF, true, &nu);
	fprintf(f, "%s vs native-ref (same libc family, no SIMD): ", runners[r].name);
	if (n)
		fprintf(f, "geomean %.1fx by wall time (%d kernels), %.1fx by user CPU time (%d)\n",
			g, n, gu, nu);
	else if (!runners[r].selected)
		fprintf(f, "not measured, %s not selected\n", runners[r].name);
	else if (!rr->selected)
		fprintf(f, "not measured, native-ref not selected\n");
	else if (!rr->available)
		fprintf(f, "not measured, native-ref skipped: %s\n", rr->why);
	else
		fprintf(f, "not measured\n");
}

static void print_markdown(FILE *f)
{
	fprintf(f, "Machine: %ld CPUs, %s, %s. 1-minute load average %.2f before, "
		   "up to %.2f during, %.2f after (this benchmark itself adds about 1).\n\n",
		machine.nproc, machine.cpu, machine.kernel, machine.load_before[0], machine.load_max,
		machine.load_after[0]);
	fprintf(f, "Run: %s, `%s`, %d repetitions%s, runners alternating in each repetition; "
		   "median wall time, ratio to native in brackets.\n\n",
		machine.date, opt.command, opt.reps, opt.quick ? " (BENCH_QUICK sizes)" : "");
	print_table(f, false);
	fprintf(f, "\n\\* wasm-interp runs a smaller size of the same kernel; its time is "
		   "scaled to the full size (work is linear in the size). "
		   "† a variant of another kernel, left out of the geometric means. "
		   "native-ref is the native kernel built statically against musl (the libc "
		   "wasi-libc comes from) and without auto-vectorization: a reference that "
		   "attributes part of ours' ratio to libc and SIMD, not a target; the targets "
		   "are against native. ours is the interpreter (`wasm-bpf run --no-jit`); "
		   "ours-jit is the baseline JIT (`wasm-bpf run --jit`), what `wasm-bpf run` "
		   "uses by default on x86-64.\n\n");
	fprintf(f, "Median user CPU time (less disturbed by other load than wall time):\n\n");
	print_table(f, true);
	fprintf(f, "\n");
	print_invalid(f);
	for (size_t i = 0; i < NOURS; i++) {
		if (i)
			fprintf(f, "\n");
		print_targets(f, ours_runners[i]);
	}
	fprintf(f, "\n");
	for (size_t i = 0; i < NOURS; i++)
		print_reference(f, ours_runners[i]);
	fprintf(f, "\nVersions:");
	for (int r = 0; r < NRUNNERS; r++)
		if (runners[r].selected && runners[r].available)
			fprintf(f, " %s: %s;", runners[r].name, runners[r].version);
	fprintf(f, "\n");
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void json_num(FILE *f, double v)
{
	if (isnan(v) || isinf(v))
		fprintf(f, "null");
	else
		fprintf(f, "%.3f", v);
}

/* @a's time over @b's for one kernel, or NaN (null) unless both are valid. */
static double cell_ratio(const struct cell *a, const struct cell *b, bool user)
{
	if (!usable(a) || !usable(b))
		return NAN;
	return user ? a->user / b->user : a->wall / b->wall;
}

/* Geometric mean of @a's wall time over @b's, or null when no kernel has both. */
static void json_geomean(FILE *f, enum runner_id a, enum runner_id b)
{
	int n;
	double g = geomean_ratio(a, b, false, &n);

	json_num(f, n ? g : NAN);
}

static void write_json(FILE *f)
{
	bool first = true;

	fprintf(f, "{\n  \"date\": ");
	json_str(f, machine.date);
	fprintf(f, ",\n  \"command\": ");
	json_str(f, opt.command);
	fprintf(f, ",\n  \"quick\": %s,\n  \"reps\": %d,\n", opt.quick ? "true" : "false", opt.reps);
	fprintf(f, "  \"machine\": { \"nproc\": %ld, \"cpu\": ", machine.nproc);
	json_str(f, machine.cpu);
	fprintf(f, ", \"kernel\": ");
	json_str(f, machine.kernel);
	fprintf(f, ", \"loadavg_before\": ");
	json_num(f, machine.load_before[0]);
	fprintf(f, ", \"loadavg_max\": ");
	json_num(f, machine.load_max);
	fprintf(f, ", \"loadavg_after\": ");
	json_num(f, machine.load_after[0]);
	fprintf(f, " },\n  \"runners\": [\n");
	for (int r = 0; r < NRUNNERS; r++) {
		fprintf(f, "    { \"runner\": ");
		json_str(f, runners[r].name);
		fprintf(f, ", \"selected\": %s, \"available\": %s, \"version\": ",
			runners[r].selected ? "true" : "false",
			runners[r].available ? "true" : "false");
		json_str(f, runners[r].version);
		fprintf(f, ", \"skipped_because\": ");
		json_str(f, runners[r].why);
		fprintf(f, " }%s\n", r + 1 < NRUNNERS ? "," : "");
	}
	fprintf(f, "  ],\n  \"results\": [\n");
	for (size_t k = 0; k < NKERNELS; k++) {
		for (int r = 0; r < NRUNNERS; r++) {
			const struct cell *c = &cells[k][r], *nat = &cells[k][R_NATIVE];
			const struct cell *ref = &cells[k][R_NATIVE_REF];

			if (!kernels[k].selected || !c->ran)
				continue;
			fprintf(f, "%s    { \"kernel\": ", first ? "" : ",\n");
			first = false;
			json_str(f, kernels[k].name);
			fprintf(f, ", \"runner\": ");
			json_str(f, runners[r].name);
			fprintf(f, ", \"units\": %u, \"scale\": ", c->units);
			json_num(f, c->scale);
			fprintf(f, ", \"median_wall_ms\": ");
			json_num(f, c->n ? c->wall : NAN);
			fprintf(f, ", \"median_user_ms\": ");
			json_num(f, c->n ? c->user : NAN);
			fprintf(f, ", \"median_sys_ms\": ");
			json_num(f, c->n ? c->sys : NAN);
			fprintf(f, ", \"max_rss_kib\": %ld, \"ratio_to_native\": ", c->maxrss);
			json_num(f, cell_ratio(c, nat, false));
			fprintf(f, ", \"user_ratio_to_native\": ");
			json_num(f, cell_ratio(c, nat, true));
			fprintf(f, ", \"ratio_to_ref\": ");
			json_num(f, cell_ratio(c, ref, false));
			fprintf(f, ", \"reps\": %d, \"checksum\": \"0x%08x\", \"expected\": \"0x%08x\", "
				   "\"checksum_ok\": %s, \"note\": ",
				c->n, c->checksum, c->want, usable(c) ? "true" : "false");
			json_str(f, c->note);
			fprintf(f, " }");
		}
	}
	fprintf(f, "\n  ],\n  \"geomean_ratio_to_native\": {");
	for (int r = R_NATIVE + 1; r < NRUNNERS; r++) {
		fprintf(f, "%s ", r > R_NATIVE + 1 ? "," : "");
		json_str(f, runners[r].name);
		fprintf(f, ": ");
		json_geomean(f, r, R_NATIVE);
	}
	fprintf(f, " },\n  \"ours_speedup_over_wasm_interp\": ");
	json_geomean(f, R_WABT, R_OURS);
	fprintf(f, ",\n  \"ours_geomean_ratio_to_ref\": ");
	json_geomean(f, R_OURS, R_NATIVE_REF);
	fprintf(f, ",\n  \"ours_jit_speedup_over_wasm_interp\": ");
	json_geomean(f, R_WABT, R_OURS_JIT);
	fprintf(f, ",\n  \"ours_jit_geomean_ratio_to_ref\": ");
	json_geomean(f, R_OURS_JIT, R_NATIVE_REF);
	fprintf(f, "\n}\n");
}

/* ------------------------------------------------------------ main */

static void select_list(const char *list, bool kernel_list)
{
	char *copy = strdup(list), *save = NULL, *tok;

	if (kernel_list)
		for (size_t i = 0; i < NKERNELS; i++)
			kernels[i].selected = false;
	else
		for (int r = 0; r < NRUNNERS; r++)
			runners[r].selected = false;
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		bool found = false;

		if (kernel_list) {
			for (size_t i = 0; i < NKERNELS; i++)
				if (!strcmp(kernels[i].name, tok))
					kernels[i].selected = found = true;
		} else {
			for (int r = 0; r < NRUNNERS; r++)
				if (!strcmp(runners[r].name, tok))
					runners[r].selected = found = true;
		}
		if (!found) {
			fprintf(stderr, "runbench: unknown %s '%s'\n", kernel_list ? "kernel" : "runner",
				tok);
			exit(2);
		}
	}
	free(copy);
	/* Ratios need the native baseline. */
	runners[R_NATIVE].selected = true;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: runbench [options]\n"
		"  -r, --reps N          repetitions (default 5)\n"
		"  -q, --quick           quick sizes\n"
		"  -k, --kernels LIST    comma-separated kernels (default all)\n"
		"  -R, --runners LIST    comma-separated runners (default all; native always):\n"
		"                        native, native-ref, ours, ours-jit, node, wasm-interp\n"
		"  -d, --dir DIR         build directory of the kernels (default build/bench)\n"
		"  -o, --json FILE       JSON output (default DIR/results.json)\n"
		"  -m, --markdown FILE   markdown output (default DIR/results.md)\n"
		"  -t, --timeout S       seconds before a run is killed (default 600)\n"
		"      --ours PATH       our engine's CLI (default build/wasm-bpf); ours-jit\n"
		"                        runs it as `PATH run --jit`\n"
		"      --node PATH       node (default node)\n"
		"      --wasm-interp PATH  wabt's interpreter (default wasm-interp)\n"
		"      --runner-js PATH  node's WASI runner (default bench/run-wasi.mjs)\n"
		"      --compiler STR    how the native kernels were compiled, for the report\n"
		"      --ref-compiler STR  the same for native-ref (DIR/native-ref/)\n"
		"      --ref-skip WHY    native-ref was not built, because WHY\n"
		"      --command STR     the command to record in the report (default make bench)\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "reps", required_argument, NULL, 'r' },
		{ "quick", no_argument, NULL, 'q' },
		{ "kernels", required_argument, NULL, 'k' },
		{ "runners", required_argument, NULL, 'R' },
		{ "dir", required_argument, NULL, 'd' },
		{ "json", required_argument, NULL, 'o' },
		{ "markdown", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "ours", required_argument, NULL, 1 },
		{ "node", required_argument, NULL, 2 },
		{ "wasm-interp", required_argument, NULL, 3 },
		{ "runner-js", required_argument, NULL, 4 },
		{ "compiler", required_argument, NULL, 5 },
		{ "command", required_argument, NULL, 6 },
		{ "ref-compiler", required_argument, NULL, 7 },
		{ "ref-skip", required_argument, NULL, 8 },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char json_default[512], md_default[512];
	int c, mismatches = 0, failures = 0;
	FILE *f;

	while ((c = getopt_long(argc, argv, "r:qk:R:d:o:m:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			opt.reps = atoi(optarg);
			if (opt.reps < 1 || opt.reps > MAX_REPS) {
				fprintf(stderr, "runbench: reps must be 1..%d\n", MAX_REPS);
				return 2;
			}
			break;
		case 'q':
			opt.quick = true;
			break;
		case 'k':
			select_list(optarg, true);
			break;
		case 'R':
			select_list(optarg, false);
			break;
		case 'd':
			opt.dir = optarg;
			break;
		case 'o':
			opt.json = optarg;
			break;
		case 'm':
			opt.markdown = optarg;
			break;
		case 't':
			opt.timeout_s = atoi(optarg);
			break;
		case 1:
			opt.ours = optarg;
			break;
		case 2:
			opt.node = optarg;
			break;
		case 3:
			opt.wabt = optarg;
			break;
		case 4:
			opt.runner_js = optarg;
			break;
		case 5:
			opt.compiler = optarg;
			break;
		case 6:
			opt.command = optarg;
			break;
		case 7:
			opt.ref_compiler = optarg;
			break;
		case 8:
			opt.ref_skip = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!any_selected()) {
		fprintf(stderr, "runbench: no kernel selected\n");
		return 2;
	}
	snprintf(out_path, sizeof(out_path), "%s/run.out", opt.dir);
	snprintf(err_path, sizeof(err_path), "%s/run.err", opt.dir);
	snprintf(json_default, sizeof(json_default), "%s/results.json", opt.dir);
	snprintf(md_default, sizeof(md_default), "%s/results.md", opt.dir);
	if (!opt.json)
		opt.json = json_default;
	if (!opt.markdown)
		opt.markdown = md_default;

	describe_machine();
	probe_runners();

	/*
	 * Reference checksums: native at every size another runner will use.
	 * These untimed runs also warm the page cache for the timed ones.
	 */
	for (size_t k = 0; k < NKERNELS; k++) {
		struct kernel *kn = &kernels[k];
		uint32_t full = opt.quick ? kn->quick : kn->full;
		uint32_t small = opt.quick ? kn->interp_quick : kn->interp;
		uint32_t want_full, want_small;
		struct sample s;
		char why[256];

		if (!kn->selected)
			continue;
		if (!run_one(R_NATIVE, kn, full, &s, &want_full, why, sizeof(why)) ||
		    !run_one(R_NATIVE, kn, small, &s, &want_small, why, sizeof(why))) {
			fprintf(stderr, "runbench: %s: native reference run failed: %s\n", kn->name,
				why);
			return 1;
		}
		for (int r = 0; r < NRUNNERS; r++) {
			struct cell *cl = &cells[k][r];

			cl->ran = runners[r].selected && runners[r].available;
			cl->units = r == R_WABT ? small : full;
			cl->scale = r == R_WABT ? (double)full / small : 1.0;
			cl->want = r == R_WABT ? want_small : want_full;
		}
		for (size_t i = 0; i < NOURS; i++) {
			enum runner_id r = ours_runners[i];
			struct cell *cl = &cells[k][r];

			if (!cl->ran || !probe_fail[r][k][0])
				continue;
			fprintf(stderr, "runbench: *** %s under %s: %s; result invalid\n", kn->name,
				runners[r].name, probe_fail[r][k]);
			snprintf(cl->note, sizeof(cl->note), "%.240s", probe_fail[r][k]);
			cl->invalid = true;
			failures++;
		}
	}

	for (int rep = 0; rep < opt.reps; rep++) {
		double load[3];

		read_loadavg(load);
		if (!(load[0] <= machine.load_max))
			machine.load_max = load[0];
		fprintf(stderr, "runbench: repetition %d/%d (load %.2f)\n", rep + 1, opt.reps,
			load[0]);
		for (size_t k = 0; k < NKERNELS; k++) {
			if (!kernels[k].selected)
				continue;
			/* Rotate the runners' order, so none always runs first. */
			for (int i = 0; i < NRUNNERS; i++) {
				enum runner_id r = (enum runner_id)((i + rep) % NRUNNERS);
				struct cell *cl = &cells[k][r];
				struct sample s;
				uint32_t sum;
				char why[256];

				if (!cl->ran || cl->invalid)
					continue;
				if (!run_one(r, &kernels[k], cl->units, &s, &sum, why, sizeof(why))) {
					fprintf(stderr, "runbench: %s under %s FAILED: %s\n",
						kernels[k].name, runners[r].name, why);
					snprintf(cl->note, sizeof(cl->note), "%.240s", why);
					cl->invalid = true;
					failures++;
					continue;
				}
				cl->checksum = sum;
				if (sum != cl->want) {
					fprintf(stderr,
						"runbench: *** CHECKSUM MISMATCH *** %s under %s: "
						"0x%08x, native 0x%08x at %u units; result invalid\n",
						kernels[k].name, runners[r].name, sum, cl->want,
						cl->units);
					snprintf(cl->note, sizeof(cl->note),
						 "checksum mismatch: 0x%08x, native 0x%08x", sum,
						 cl->want);
					cl->invalid = true;
					mismatches++;
					continue;
				}
				cl->s[cl->n++] = s;
			}
		}
	}
	read_loadavg(machine.load_after);
	for (size_t k = 0; k < NKERNELS; k++)
		for (int r = 0; r < NRUNNERS; r++)
			summarize(&cells[k][r]);

	print_markdown(stdout);
	f = fopen(opt.markdown, "w");
	if (f) {
		print_markdown(f);
		fclose(f);
	}
	f = fopen(opt.json, "w");
	if (!f) {
		fprintf(stderr, "runbench: %s: %s\n", opt.json, strerror(errno));
		return 1;
	}
	write_json(f);
	fclose(f);
	fprintf(stderr, "runbench: wrote %s and %s\n", opt.json, opt.markdown);
	unlink(out_path);
	unlink(err_path);
	if (mismatches || failures) {
		fprintf(stderr, "runbench: %d checksum mismatch(es), %d failed run(s)\n", mismatches,
			failures);
		return 1;
	}
	return 0;
}
