/* SPDX-License-Identifier: MIT */
/*
 * The driver of `make bench-ebpf`: parts 2-5 of the benchmark issue (event
 * pipeline, map operations, start-up, footprint), each run with our wasm-bpf
 * and with a native libbpf build of the same source, alternating sides from
 * one repetition to the next. Prints a markdown table and writes
 * DIR/ebpf.json and DIR/ebpf.md.
 *
 * Children are fork/exec'd with stdout on a pipe, which the driver reads for
 * the READY / ATTACHED / DONE / MAPS lines of bench/ebpf/{pipe,boot}.c;
 * stderr goes to DIR/logs/. Peak RSS and CPU come from wait4()'s rusage.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPS 64

enum side { NATIVE, WASM, SIDE_CNT };
static const char *const side_names[SIDE_CNT] = {"native", "wasm-bpf"};

static struct {
	const char *dir;      /* build/bench/ebpf */
	const char *cli;      /* our wasm-bpf (a copy) */
	const char *cli_src;  /* the build's wasm-bpf, for the footprint */
	const char *examples; /* examples/ */
	int reps;
	unsigned long long events;
	unsigned long long map_ops;
	const char *command;
} cfg = {
    .dir = "build/bench/ebpf",
    .cli = "build/bench/wasm-bpf",
    .cli_src = "build/wasm-bpf",
    .examples = "examples",
    .reps = 5,
    .events = 1000000,
    .map_ops = 1000000,
    .command = "make bench-ebpf",
};

static int failures;
static double load_max;

/* ---------------------------------------------------------------- helpers */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double loadavg1(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	if (l > load_max)
		load_max = l;
	return l;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of n values (-1 if none); the array is sorted in place. */
static double median(double *v, int n)
{
	if (n <= 0)
		return -1;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static char *path_of(const char *fmt, ...)
{
	static char bufs[8][1024];
	static int next;
	char *b = bufs[next++ % 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(bufs[0]), fmt, ap);
	va_end(ap);
	return b;
}

/* Value of `key=` in a line of key=value words, or def. */
static double field(const char *line, const char *key, double def)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	return p ? strtod(p + strlen(pat), NULL) : def;
}

static long long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long long)st.st_size;
}

/* ---------------------------------------------------------------- children */

struct child {
	pid_t pid;
	int out; /* read end of its stdout */
	char buf[4096];
	size_t len;
	uint64_t start_ns;
};

/* Start argv with stdout on a pipe, stderr appended to log, stdin from in (-1: /dev/null). */
static int child_start(struct child *c, char *const argv[], const char *log, int in)
{
	int p[2];

	memset(c, 0, sizeof(*c));
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	c->start_ns = now_ns();
	c->pid = fork();
	if (c->pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (c->pid == 0) {
		int e = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (in < 0)
			in = open("/dev/null", O_RDONLY);

		dup2(p[1], 1);
		if (e >= 0)
			dup2(e, 2);
		if (in >= 0)
			dup2(in, 0);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	c->out = p[0];
	return 0;
}

/*
 * Read stdout until a line starting with `prefix` comes; copy it to line.
 * Returns 0, or -1 on EOF or after timeout_ms.
 */
static int child_expect(struct child *c, const char *prefix, char *line, size_t line_sz,
			int timeout_ms)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000ull;

	for (;;) {
		char *nl;

		while ((nl = memchr(c->buf, '\n', c->len))) {
			size_t n = (size_t)(nl - c->buf);
			bool match = !strncmp(c->buf, prefix, strlen(prefix));

			if (match) {
				snprintf(line, line_sz, "%.*s", (int)n, c->buf);
			}
			memmove(c->buf, nl + 1, c->len - n - 1);
			c->len -= n + 1;
			if (match)
				return 0;
		}
		{
			struct pollfd pfd = {.fd = c->out, .events = POLLIN};
			int64_t left = (int64_t)(deadline - now_ns()) / 1000000;
			ssize_t r;

			if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
				return -1;
			if (c->len == sizeof(c->buf))
				c->len = 0;
			r = read(c->out, c->buf + c->len, sizeof(c->buf) - c->len);
			if (r <= 0)
				return -1;
			c->len += (size_t)r;
		}
	}
}

/* Wait for the child (killing it after timeout_ms); returns its wait status. */
static int child_wait(struct child *c, struct rusage *ru, int timeout_ms, uint64_t *end_ns)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000ull;
	int status = 0;
	pid_t r;

	while ((r = wait4(c->pid, &status, WNOHANG, ru)) == 0) {
		if (now_ns() > deadline) {
			kill(c->pid, SIGKILL);
			r = wait4(c->pid, &status, 0, ru);
			break;
		}
		usleep(200);
	}
	if (end_ns)
		*end_ns = now_ns();
	close(c->out);
	return status;
}

static double ru_cpu_ms(const struct rusage *ru)
{
	return (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e3 +
	       (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e3;
}

/* ---------------------------------------------------------------- part 2: pipeline */

struct pipe_res {
	double evps[MAX_REPS], cpu_ns_per_ev[MAX_REPS], evps_cpu[MAX_REPS], drops[MAX_REPS];
	double gen_evps[MAX_REPS];
	int n;
	unsigned long long sum;
};

/*
 * Live runs consume while the generator runs (a 4 MiB ring, as a busy tool
 * might use: a slow consumer drops); drain runs start consuming once the
 * generator is done, from a ring that holds every record: the consumer's own
 * top speed.
 */
#define PIPE_CFG_CNT 4
static struct pipe_res pipe_res[PIPE_CFG_CNT][SIDE_CNT];
static const char *const pipe_modes[PIPE_CFG_CNT] = {"count", "fmt", "count", "fmt"};
static const char *const pipe_cfg_names[PIPE_CFG_CNT] = {"count, live", "fmt, live", "count, drain",
							 "fmt, drain"};
#define PIPE_LIVE_RING (4u << 20)

/* A ring (power of two) that holds n 64-byte records with their 8-byte headers. */
static unsigned int drain_ring_bytes(unsigned long long n)
{
	unsigned long long want = n * 72, r = PIPE_LIVE_RING;

	while (r < want && r < (1ull << 30))
		r <<= 1;
	return (unsigned int)r;
}

/* A load generator: blocks until a byte comes on `go`, then calls getppid() n times. */
static pid_t start_generator(int go, unsigned long long n)
{
	pid_t pid = fork();

	if (pid == 0) {
		char b;

		if (read(go, &b, 1) != 1)
			_exit(1);
		while (n--)
			syscall(SYS_getppid);
		_exit(0);
	}
	return pid;
}

static void run_pipe(int mode, enum side s)
{
	struct pipe_res *r = &pipe_res[mode][s];
	bool drain = mode >= 2;
	char pid_s[16], n_s[32], ring_s[32], line[512];
	char *argv[12];
	struct child c;
	struct rusage ru;
	int go[2], in[2] = {-1, -1}, status, i = 0;
	uint64_t gen_t0, gen_t1;
	pid_t gen;

	if (pipe2(go, O_CLOEXEC) || (drain && pipe2(in, O_CLOEXEC)))
		return;
	gen = start_generator(go[0], cfg.events);
	close(go[0]);
	snprintf(pid_s, sizeof(pid_s), "%d", (int)gen);
	snprintf(n_s, sizeof(n_s), "%llu", cfg.events);
	snprintf(ring_s, sizeof(ring_s), "%u",
		 drain ? drain_ring_bytes(cfg.events) : PIPE_LIVE_RING);
	if (s == WASM) {
		argv[i++] = (char *)cfg.cli;
		argv[i++] = "run";
		argv[i++] = path_of("%s/wasm/pipe.wasm", cfg.dir);
	} else {
		argv[i++] = path_of("%s/native/pipe", cfg.dir);
	}
	argv[i++] = "pipe";
	argv[i++] = (char *)pipe_modes[mode];
	argv[i++] = pid_s;
	argv[i++] = n_s;
	argv[i++] = ring_s;
	if (drain)
		argv[i++] = "drain";
	argv[i] = NULL;
	i = child_start(&c, argv, path_of("%s/logs/pipe-%s.log", cfg.dir, side_names[s]), in[0]);
	if (drain)
		close(in[0]);
	if (i) {
		if (drain)
			close(in[1]);
		close(go[1]);
		kill(gen, SIGKILL);
		waitpid(gen, NULL, 0);
		failures++;
		return;
	}
	if (child_expect(&c, "READY", line, sizeof(line), 30000)) {
		fprintf(stderr, "  pipe %s %s: no READY (see %s/logs)\n", pipe_cfg_names[mode],
			side_names[s], cfg.dir);
		close(go[1]);
		if (drain)
			close(in[1]);
		kill(gen, SIGKILL);
		waitpid(gen, NULL, 0);
		kill(c.pid, SIGKILL);
		child_wait(&c, &ru, 5000, NULL);
		failures++;
		return;
	}
	gen_t0 = now_ns();
	if (write(go[1], "g", 1) != 1)
		failures++;
	close(go[1]);
	waitpid(gen, NULL, 0);
	gen_t1 = now_ns();
	if (drain) {
		if (write(in[1], "go\n", 3) != 3)
			failures++;
		close(in[1]);
	}
	if (child_expect(&c, "DONE", line, sizeof(line), 120000)) {
		fprintf(stderr, "  pipe %s %s: no DONE line\n", pipe_cfg_names[mode],
			side_names[s]);
		kill(c.pid, SIGKILL);
		child_wait(&c, &ru, 5000, NULL);
		failures++;
		return;
	}
	status = child_wait(&c, &ru, 30000, NULL);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		failures++;
		return;
	}
	{
		double got = field(line, "got", 0), wall = field(line, "wall_ns", 1);
		double cpu = field(line, "cpu_ns", 0);

		if (got <= 0) {
			failures++;
			return;
		}
		r->evps[r->n] = got / (wall / 1e9);
		r->cpu_ns_per_ev[r->n] = cpu / got;
		r->evps_cpu[r->n] = cpu > 0 ? got / (cpu / 1e9) : 0;
		r->drops[r->n] = field(line, "drops", 0);
		r->gen_evps[r->n] = (double)cfg.events / ((gen_t1 - gen_t0) / 1e9);
		r->sum = (unsigned long long)field(line, "sum", 0);
		r->n++;
	}
}

/* ---------------------------------------------------------------- part 3: maps */

struct map_res {
	double lookup[MAX_REPS], update[MAX_REPS];	     /* ops per CPU-second */
	double lookup_wall[MAX_REPS], update_wall[MAX_REPS]; /* ops per second */
	int n;
	double sum;
};

static struct map_res map_res[2][SIDE_CNT];
static const char *const map_kinds[2] = {"hash", "array"};

static void run_maps(int kind, enum side s)
{
	struct map_res *r = &map_res[kind][s];
	char n_s[32], line[512];
	char *argv[8];
	struct child c;
	struct rusage ru;
	int i = 0, status;

	snprintf(n_s, sizeof(n_s), "%llu", cfg.map_ops);
	if (s == WASM) {
		argv[i++] = (char *)cfg.cli;
		argv[i++] = "run";
		argv[i++] = path_of("%s/wasm/pipe.wasm", cfg.dir);
	} else {
		argv[i++] = path_of("%s/native/pipe", cfg.dir);
	}
	argv[i++] = "maps";
	argv[i++] = (char *)map_kinds[kind];
	argv[i++] = n_s;
	argv[i] = NULL;
	if (child_start(&c, argv, path_of("%s/logs/maps-%s.log", cfg.dir, side_names[s]), -1)) {
		failures++;
		return;
	}
	if (child_expect(&c, "MAPS", line, sizeof(line), 120000)) {
		kill(c.pid, SIGKILL);
		child_wait(&c, &ru, 5000, NULL);
		fprintf(stderr, "  maps %s %s: no MAPS line\n", map_kinds[kind], side_names[s]);
		failures++;
		return;
	}
	status = child_wait(&c, &ru, 30000, NULL);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		failures++;
		return;
	}
	{
		double ops = field(line, "ops", 0);

		r->lookup[r->n] = ops / (field(line, "lookup_cpu_ns", 1) / 1e9);
		r->update[r->n] = ops / (field(line, "update_cpu_ns", 1) / 1e9);
		r->lookup_wall[r->n] = ops / (field(line, "lookup_wall_ns", 1) / 1e9);
		r->update_wall[r->n] = ops / (field(line, "update_wall_ns", 1) / 1e9);
		r->sum = field(line, "sum", 0);
		r->n++;
	}
}

/* ---------------------------------------------------------------- part 4+5: start-up */

struct start_res {
	double attach_ms[MAX_REPS]; /* exec -> ATTACHED */
	double total_ms[MAX_REPS];  /* exec -> exit */
	double cpu_ms[MAX_REPS];
	double rss_kib[MAX_REPS];     /* peak (ru_maxrss) */
	double cur_rss_kib[MAX_REPS]; /* VmRSS after attach and 20 execs */
	int n;
};

/* The current resident set of a process, from /proc/PID/status (KiB), or -1. */
static double vm_rss_kib(pid_t pid)
{
	char line[256];
	double v = -1;
	FILE *f = fopen(path_of("/proc/%d/status", (int)pid), "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			v = strtod(line + 6, NULL);
	fclose(f);
	return v;
}

static struct start_res boot_res[SIDE_CNT];	/* bench/ebpf/boot.c, exits after attach */
static struct start_res boot_run_res[SIDE_CNT]; /* the same, consuming events for 300 ms */
static struct start_res example_res;		/* examples/bootstrap, to its header line */
static struct start_res hello_res[SIDE_CNT];
static struct start_res big_res; /* wasm-bpf run big.wasm */
static char module_line[512];

/* Run argv to completion; `marker` (or NULL) is the line whose arrival is timed. */
static int run_timed(struct start_res *r, char *const argv[], const char *marker, bool sigint,
		     bool spawn_load)
{
	char line[512];
	struct child c;
	struct rusage ru;
	uint64_t t_mark = 0, t_end;
	double cur_rss = -1;
	int status;

	if (child_start(&c, argv, path_of("%s/logs/start.log", cfg.dir), -1))
		return -1;
	if (marker) {
		if (child_expect(&c, marker, line, sizeof(line), 30000)) {
			kill(c.pid, SIGKILL);
			child_wait(&c, &ru, 5000, NULL);
			return -1;
		}
		t_mark = now_ns();
	}
	if (spawn_load) {
		/* Give a running bootstrap something to report: 20 short processes. */
		for (int i = 0; i < 20; i++) {
			pid_t p = fork();

			if (p == 0) {
				execl("/bin/true", "true", (char *)NULL);
				_exit(127);
			}
			waitpid(p, NULL, 0);
		}
		cur_rss = vm_rss_kib(c.pid);
	}
	if (sigint)
		kill(c.pid, SIGINT);
	{
		char drain[4096];

		while (read(c.out, drain, sizeof(drain)) > 0)
			;
	}
	status = child_wait(&c, &ru, 30000, &t_end);
	if (!WIFEXITED(status) || (WEXITSTATUS(status) && !(sigint && WEXITSTATUS(status) == 130)))
		return -1;
	if (marker)
		r->attach_ms[r->n] = (t_mark - c.start_ns) / 1e6;
	r->total_ms[r->n] = (t_end - c.start_ns) / 1e6;
	r->cpu_ms[r->n] = ru_cpu_ms(&ru);
	r->rss_kib[r->n] = (double)ru.ru_maxrss;
	r->cur_rss_kib[r->n] = cur_rss;
	r->n++;
	return 0;
}

static void run_start(int rep, enum side s)
{
	char *argv[8];
	int i = 0;

	/* bootstrap-like, exiting right after attach */
	if (s == WASM) {
		argv[i++] = (char *)cfg.cli;
		argv[i++] = "run";
		argv[i++] = path_of("%s/wasm/boot.wasm", cfg.dir);
	} else {
		argv[i++] = path_of("%s/native/boot", cfg.dir);
	}
	argv[i] = NULL;
	if (run_timed(&boot_res[s], argv, "ATTACHED", false, false))
		failures++;
	/* the same, running for 300 ms with execs to report: peak RSS */
	argv[i++] = "300";
	argv[i] = NULL;
	if (run_timed(&boot_run_res[s], argv, "ATTACHED", false, true))
		failures++;
	/* hello world, 5 runs per repetition */
	for (int k = 0; k < 5; k++) {
		i = 0;
		if (s == WASM) {
			argv[i++] = (char *)cfg.cli;
			argv[i++] = "run";
			argv[i++] = path_of("%s/wasm/hello.wasm", cfg.dir);
		} else {
			argv[i++] = path_of("%s/native/hello", cfg.dir);
		}
		argv[i] = NULL;
		if (run_timed(&hello_res[s], argv, NULL, false, false))
			failures++;
	}
	if (s != WASM)
		return;
	/* examples/bootstrap, if built: exec -> its header line (printed after attach) */
	{
		const char *ex = path_of("%s/bootstrap/build/bootstrap.wasm", cfg.examples);

		if (file_size(ex) > 0) {
			argv[0] = (char *)cfg.cli;
			argv[1] = "run";
			argv[2] = (char *)ex;
			argv[3] = NULL;
			if (run_timed(&example_res, argv, "TIME", true, false))
				fprintf(stderr, "  examples/bootstrap did not run (rep %d)\n", rep);
		}
	}
	/* a 1 MB module whose _start returns at once */
	argv[0] = (char *)cfg.cli;
	argv[1] = "run";
	argv[2] = path_of("%s/wasm/big.wasm", cfg.dir);
	argv[3] = NULL;
	if (run_timed(&big_res, argv, NULL, false, false))
		failures++;
}

static void run_modload(void)
{
	char *argv[] = {path_of("%s/native/modload", cfg.dir), path_of("%s/wasm/big.wasm", cfg.dir),
			"21", NULL};
	struct child c;
	struct rusage ru;

	if (child_start(&c, argv, path_of("%s/logs/modload.log", cfg.dir), -1) ||
	    child_expect(&c, "MODULE", module_line, sizeof(module_line), 120000)) {
		failures++;
		module_line[0] = 0;
	}
	child_wait(&c, &ru, 30000, NULL);
}

/* ---------------------------------------------------------------- part 5: footprint */

struct size_entry {
	char name[256];
	long long bytes;
};

static struct size_entry example_sizes[64];
static int example_cnt;
static long long cli_bytes, cli_stripped_bytes;
static char ldd_out[4096];

static void measure_footprint(void)
{
	char cmd[1024];
	glob_t g;
	FILE *p;
	size_t n;

	cli_bytes = file_size(cfg.cli_src);
	snprintf(cmd, sizeof(cmd), "strip -o '%s/wasm-bpf.stripped' '%s'", cfg.dir, cfg.cli_src);
	if (system(cmd) == 0)
		cli_stripped_bytes = file_size(path_of("%s/wasm-bpf.stripped", cfg.dir));
	snprintf(cmd, sizeof(cmd), "ldd '%s' 2>&1", cfg.cli_src);
	p = popen(cmd, "r");
	if (p) {
		n = fread(ldd_out, 1, sizeof(ldd_out) - 1, p);
		ldd_out[n] = 0;
		pclose(p);
	}
	if (glob(path_of("%s/*/build/*.wasm", cfg.examples), 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc && example_cnt < 64; i++) {
			snprintf(example_sizes[example_cnt].name, sizeof(example_sizes[0].name),
				 "%s", g.gl_pathv[i]);
			example_sizes[example_cnt++].bytes = file_size(g.gl_pathv[i]);
		}
		globfree(&g);
	}
}

/* ---------------------------------------------------------------- report */

static FILE *md, *js;

/* Print to stdout and to the markdown file. */
static void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	vfprintf(md, fmt, ap);
	va_end(ap);
}

static const char *fmt_rate(double v)
{
	static char bufs[8][32];
	static int next;
	char *b = bufs[next++ % 8];

	if (v < 0)
		snprintf(b, 32, "n/a");
	else if (v >= 1e6)
		snprintf(b, 32, "%.2f M", v / 1e6);
	else
		snprintf(b, 32, "%.0f k", v / 1e3);
	return b;
}

static void json_num(const char *key, double v, bool comma)
{
	if (v < 0)
		fprintf(js, "\"%s\": null%s", key, comma ? ", " : "");
	else
		fprintf(js, "\"%s\": %.6g%s", key, v, comma ? ", " : "");
}

static const char *verdict(bool met)
{
	return met ? "met" : "NOT MET";
}

static void report(double load_before, double load_after)
{
	char host[256] = "?", cpu[256] = "?", date[64];
	struct utsname u;
	time_t t = time(NULL);
	double pn[PIPE_CFG_CNT][SIDE_CNT][4]; /* pipeline: evps, ns/ev, evps_cpu, drops */
	double mn[2][SIDE_CNT][4]; /* maps: lookup, update (cpu), lookup, update (wall) */
	double gen_evps[PIPE_CFG_CNT];
	FILE *f;

	uname(&u);
	snprintf(host, sizeof(host), "%s %s %s", u.sysname, u.release, u.machine);
	f = fopen("/proc/cpuinfo", "r");
	if (f) {
		char line[512];

		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "model name", 10)) {
				char *c = strchr(line, ':');

				snprintf(cpu, sizeof(cpu), "%.200s", c ? c + 2 : line);
				cpu[strcspn(cpu, "\n")] = 0;
				break;
			}
		fclose(f);
	}
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", gmtime(&t));

	for (int m = 0; m < 2; m++)
		for (int s = 0; s < SIDE_CNT; s++) {
			struct map_res *q = &map_res[m][s];

			mn[m][s][0] = median(q->lookup, q->n);
			mn[m][s][1] = median(q->update, q->n);
			mn[m][s][2] = median(q->lookup_wall, q->n);
			mn[m][s][3] = median(q->update_wall, q->n);
		}
	for (int m = 0; m < PIPE_CFG_CNT; m++) {
		for (int s = 0; s < SIDE_CNT; s++) {
			struct pipe_res *r = &pipe_res[m][s];

			pn[m][s][0] = median(r->evps, r->n);
			pn[m][s][1] = median(r->cpu_ns_per_ev, r->n);
			pn[m][s][2] = median(r->evps_cpu, r->n);
			pn[m][s][3] = median(r->drops, r->n);
		}
		{
			double all[2 * MAX_REPS];
			int k = 0;

			for (int s = 0; s < SIDE_CNT; s++)
				for (int i = 0; i < pipe_res[m][s].n; i++)
					all[k++] = pipe_res[m][s].gen_evps[i];
			gen_evps[m] = median(all, k);
		}
	}

	out("### eBPF results (parts 2-5)\n\n");
	out("Run on %s with `%s`: %s, %s, 2 cores; load average %.2f before, %.2f after, "
	    "max %.2f. %d repetitions, sides alternating; medians.\n\n",
	    date, cfg.command, cpu, host, load_before, load_after, load_max, cfg.reps);

	out("**Event pipeline** (%llu getppid() calls by a native load generator, one 64-byte "
	    "ring buffer record each; CPU is the consumer's user+sys over the consume phase; "
	    "live: a %u MiB ring consumed while the generator runs; drain: a %u MiB ring "
	    "emptied after it is done):\n\n",
	    cfg.events, PIPE_LIVE_RING >> 20, drain_ring_bytes(cfg.events) >> 20);
	out("| callback | side | events/s (wall) | CPU per event | events per CPU-second | drops | "
	    "ratio to native (events/s) | ratio (CPU per event) |\n");
	out("|---|---|---:|---:|---:|---:|---:|---:|\n");
	for (int m = 0; m < PIPE_CFG_CNT; m++)
		for (int s = 0; s < SIDE_CNT; s++)
			out("| %s | %s | %s | %.0f ns | %s | %.0f | %.2f | %.2fx |\n",
			    pipe_cfg_names[m], side_names[s], fmt_rate(pn[m][s][0]), pn[m][s][1],
			    fmt_rate(pn[m][s][2]), pn[m][s][3], pn[m][s][0] / pn[m][NATIVE][0],
			    pn[m][s][1] / pn[m][NATIVE][1]);
	out("\nIn the live runs the load generator made %s (count) and %s (fmt) getppid()/s "
	    "including the BPF program's cost, so events/s there is capped by it whenever the "
	    "consumer keeps up. The drain runs give the consumer's own top speed.\n\n",
	    fmt_rate(gen_evps[0]), fmt_rate(gen_evps[1]));

	out("**Map operations** (%llu operations each, keys spread over 10,000 entries, u32 -> "
	    "u64; "
	    "per CPU-second of the process):\n\n",
	    cfg.map_ops);
	out("| map | operation | native | wasm-bpf | ratio | native (wall) | wasm-bpf (wall) |\n");
	out("|---|---|---:|---:|---:|---:|---:|\n");
	for (int k = 0; k < 2; k++)
		for (int o = 0; o < 2; o++)
			out("| %s | %s | %s/s | %s/s | %.0f%% | %s/s | %s/s |\n", map_kinds[k],
			    o ? "update" : "lookup", fmt_rate(mn[k][NATIVE][o]),
			    fmt_rate(mn[k][WASM][o]), 100 * mn[k][WASM][o] / mn[k][NATIVE][o],
			    fmt_rate(mn[k][NATIVE][o + 2]), fmt_rate(mn[k][WASM][o + 2]));

	{
		double b_att[SIDE_CNT], b_tot[SIDE_CNT], h_tot[SIDE_CNT], h_cpu[SIDE_CNT];
		double rss[SIDE_CNT], rss_boot[SIDE_CNT], rss_cur[SIDE_CNT], ex_att, ex_rss,
		    big_tot, hello_wasm_med;
		double mod_ms = field(module_line, "median_wall_ns", -1e6) / 1e6;
		double mod_jit_ms = field(module_line, "jit_median_wall_ns", -1e6) / 1e6;
		double mod_bytes = field(module_line, "bytes", -1);
		long long boot_wasm = file_size(path_of("%s/wasm/boot.wasm", cfg.dir));
		long long boot_obj = file_size(path_of("%s/boot.bpf.o", cfg.dir));
		long long ex_boot =
		    file_size(path_of("%s/bootstrap/build/bootstrap.wasm", cfg.examples));
		long long ex_boot_obj =
		    file_size(path_of("%s/bootstrap/build/bootstrap.bpf.o", cfg.examples));

		for (int s = 0; s < SIDE_CNT; s++) {
			b_att[s] = median(boot_res[s].attach_ms, boot_res[s].n);
			b_tot[s] = median(boot_res[s].total_ms, boot_res[s].n);
			rss_boot[s] = median(boot_res[s].rss_kib, boot_res[s].n);
			rss[s] = median(boot_run_res[s].rss_kib, boot_run_res[s].n);
			rss_cur[s] = median(boot_run_res[s].cur_rss_kib, boot_run_res[s].n);
			h_tot[s] = median(hello_res[s].total_ms, hello_res[s].n);
			h_cpu[s] = median(hello_res[s].cpu_ms, hello_res[s].n);
		}
		ex_att = median(example_res.attach_ms, example_res.n);
		ex_rss = median(example_res.rss_kib, example_res.n);
		big_tot = median(big_res.total_ms, big_res.n);
		hello_wasm_med = h_tot[WASM];

		out("\n**Start-up** (wall time from fork+exec):\n\n");
		out("| what | native | wasm-bpf | target |\n|---|---:|---:|---|\n");
		out("| bootstrap-like (bench/ebpf/boot.c): exec -> both programs attached | %.1f "
		    "ms | %.1f ms | < 50 ms: %s |\n",
		    b_att[NATIVE], b_att[WASM], verdict(b_att[WASM] < 50));
		out("| the same, exec -> exit (detach and close included) | %.1f ms | %.1f ms | "
		    "|\n",
		    b_tot[NATIVE], b_tot[WASM]);
		if (example_res.n)
			out("| examples/bootstrap: exec -> header line (printed after attach) | | "
			    "%.1f ms | < 50 ms: %s |\n",
			    ex_att, verdict(ex_att < 50));
		out("| WASI hello world: exec -> exit | %.2f ms | %.2f ms | < 5 ms: %s |\n",
		    h_tot[NATIVE], hello_wasm_med, verdict(hello_wasm_med < 5));
		out("| hello world, CPU (user+sys) | %.2f ms | %.2f ms | |\n", h_cpu[NATIVE],
		    h_cpu[WASM]);
		out("| decode+validate+compile of a %.2f MB module (wb_module__new, median of 21) "
		    "| | %.1f ms | |\n",
		    mod_bytes / 1e6, mod_ms);
		out("| the same with the JIT as well (wb_module_opts.jit, median of 21) | | %.1f ms | |\n",
		    mod_jit_ms);
		out("| `wasm-bpf run` of that module (its _start returns at once): exec -> exit | "
		    "| %.1f ms | |\n",
		    big_tot);

		out("\n**Footprint:**\n\n");
		out("| what | size | target |\n|---|---:|---|\n");
		out("| build/wasm-bpf, unstripped | %lld bytes (%.0f KiB) | |\n", cli_bytes,
		    cli_bytes / 1024.0);
		out("| build/wasm-bpf, stripped | %lld bytes (%.0f KiB) | < 1 MB: %s |\n",
		    cli_stripped_bytes, cli_stripped_bytes / 1024.0,
		    verdict(cli_stripped_bytes > 0 && cli_stripped_bytes < 1000000));
		out("| bench/ebpf boot.wasm (its .bpf.o: %lld bytes) | %lld bytes | |\n", boot_obj,
		    boot_wasm);
		if (ex_boot > 0)
			out("| examples/bootstrap/build/bootstrap.wasm (its .bpf.o: %lld bytes) | "
			    "%lld bytes | < 30 KB: %s |\n",
			    ex_boot_obj, ex_boot, verdict(ex_boot < 30000));
		out("| peak RSS, bootstrap-like running 300 ms (20 execs to report) | native %.1f "
		    "MiB, wasm-bpf %.1f MiB | < 10 MB: %s |\n",
		    rss[NATIVE] / 1024, rss[WASM] / 1024, verdict(rss[WASM] * 1024 < 10e6));
		out("| RSS after attach and 20 execs (VmRSS, while running) | native %.1f MiB, "
		    "wasm-bpf %.1f MiB | |\n",
		    rss_cur[NATIVE] / 1024, rss_cur[WASM] / 1024);
		out("| peak RSS, bootstrap-like exiting after attach | native %.1f MiB, wasm-bpf "
		    "%.1f MiB | |\n",
		    rss_boot[NATIVE] / 1024, rss_boot[WASM] / 1024);
		if (example_res.n)
			out("| peak RSS, examples/bootstrap until SIGINT | wasm-bpf %.1f MiB | |\n",
			    ex_rss / 1024);
		out("\nExample modules present: ");
		for (int i = 0; i < example_cnt; i++)
			out("%s%s %lld", i ? ", " : "", example_sizes[i].name,
			    example_sizes[i].bytes);
		out("%s.\n\nDynamic dependencies of build/wasm-bpf (ldd):\n\n```\n%s```\n",
		    example_cnt ? "" : "none", ldd_out);

		/* JSON */
		fprintf(js,
			"{\n  \"date\": \"%s\", \"command\": \"%s\", \"machine\": \"%s; %s\",\n",
			date, cfg.command, cpu, host);
		fprintf(js,
			"  \"load_before\": %.2f, \"load_after\": %.2f, \"load_max\": %.2f, "
			"\"reps\": %d,\n",
			load_before, load_after, load_max, cfg.reps);
		fprintf(js,
			"  \"pipeline\": { \"events\": %llu, \"live_ring_bytes\": %u, "
			"\"drain_ring_bytes\": %u, \"generator_events_per_s_live\": [%.6g, %.6g], "
			"\"results\": [\n",
			cfg.events, PIPE_LIVE_RING, drain_ring_bytes(cfg.events), gen_evps[0],
			gen_evps[1]);
		for (int m = 0; m < PIPE_CFG_CNT; m++)
			for (int s = 0; s < SIDE_CNT; s++) {
				fprintf(js,
					"    { \"callback\": \"%s\", \"run\": \"%s\", \"side\": "
					"\"%s\", ",
					pipe_modes[m], m >= 2 ? "drain" : "live", side_names[s]);
				json_num("median_events_per_s", pn[m][s][0], true);
				json_num("median_cpu_ns_per_event", pn[m][s][1], true);
				json_num("median_events_per_cpu_s", pn[m][s][2], true);
				json_num("median_drops", pn[m][s][3], true);
				json_num("ratio_events_per_s", pn[m][s][0] / pn[m][NATIVE][0],
					 true);
				fprintf(js, "\"reps\": %d, \"sum\": %llu }%s\n", pipe_res[m][s].n,
					pipe_res[m][s].sum,
					m == PIPE_CFG_CNT - 1 && s == SIDE_CNT - 1 ? "" : ",");
			}
		fprintf(js,
			"  ], \"target\": \"count callback >= 50%% of native events/s\", "
			"\"target_met_live\": %s, \"target_met_drain\": %s },\n",
			pn[0][WASM][0] >= 0.5 * pn[0][NATIVE][0] ? "true" : "false",
			pn[2][WASM][0] >= 0.5 * pn[2][NATIVE][0] ? "true" : "false");
		fprintf(js, "  \"maps\": { \"ops\": %llu, \"entries\": 10000, \"results\": [\n",
			cfg.map_ops);
		for (int k = 0; k < 2; k++)
			for (int o = 0; o < 2; o++) {
				fprintf(js, "    { \"map\": \"%s\", \"op\": \"%s\", ", map_kinds[k],
					o ? "update" : "lookup");
				json_num("native_ops_per_cpu_s", mn[k][NATIVE][o], true);
				json_num("wasm_ops_per_cpu_s", mn[k][WASM][o], true);
				json_num("native_ops_per_s", mn[k][NATIVE][o + 2], true);
				json_num("wasm_ops_per_s", mn[k][WASM][o + 2], true);
				json_num("ratio", mn[k][WASM][o] / mn[k][NATIVE][o], false);
				fprintf(js, " }%s\n", k == 1 && o == 1 ? "" : ",");
			}
		fprintf(js, "  ], \"target\": \"wasm >= 80%% of native\" },\n");
		fprintf(js, "  \"startup\": { ");
		json_num("boot_attach_ms_native", b_att[NATIVE], true);
		json_num("boot_attach_ms_wasm", b_att[WASM], true);
		json_num("boot_exit_ms_native", b_tot[NATIVE], true);
		json_num("boot_exit_ms_wasm", b_tot[WASM], true);
		json_num("example_bootstrap_attach_ms", example_res.n ? ex_att : -1, true);
		json_num("hello_ms_native", h_tot[NATIVE], true);
		json_num("hello_ms_wasm", h_tot[WASM], true);
		json_num("hello_cpu_ms_native", h_cpu[NATIVE], true);
		json_num("hello_cpu_ms_wasm", h_cpu[WASM], true);
		json_num("module_bytes", mod_bytes, true);
		json_num("module_new_ms", mod_ms, true);
		json_num("module_new_jit_ms", mod_jit_ms, true);
		json_num("module_run_ms", big_tot, false);
		fprintf(js,
			",\n    \"targets\": { \"hello_lt_5ms\": %s, "
			"\"bootstrap_attached_lt_50ms\": %s } },\n",
			hello_wasm_med < 5 ? "true" : "false", b_att[WASM] < 50 ? "true" : "false");
		fprintf(js,
			"  \"footprint\": { \"cli_bytes\": %lld, \"cli_stripped_bytes\": %lld, "
			"\"boot_wasm_bytes\": %lld, \"boot_bpf_o_bytes\": %lld, "
			"\"example_bootstrap_wasm_bytes\": %lld, ",
			cli_bytes, cli_stripped_bytes, boot_wasm, boot_obj, ex_boot);
		json_num("rss_kib_running_native", rss[NATIVE], true);
		json_num("rss_kib_running_wasm", rss[WASM], true);
		json_num("vmrss_kib_running_native", rss_cur[NATIVE], true);
		json_num("vmrss_kib_running_wasm", rss_cur[WASM], true);
		json_num("rss_kib_attach_exit_native", rss_boot[NATIVE], true);
		json_num("rss_kib_attach_exit_wasm", rss_boot[WASM], true);
		json_num("rss_kib_example_bootstrap", example_res.n ? ex_rss : -1, false);
		fprintf(js, ",\n    \"ldd\": \"");
		for (const char *p = ldd_out; *p; p++) {
			if (*p == '\n')
				fputs("\\n", js);
			else if (*p == '\t')
				fputs("\\t", js);
			else if (*p == '"' || *p == '\\')
				fprintf(js, "\\%c", *p);
			else
				fputc(*p, js);
		}
		fprintf(js, "\",\n    \"examples\": [");
		for (int i = 0; i < example_cnt; i++)
			fprintf(js, "%s{ \"path\": \"%s\", \"bytes\": %lld }", i ? ", " : "",
				example_sizes[i].name, example_sizes[i].bytes);
		fprintf(js, "] },\n  \"failures\": %d\n}\n", failures);
	}
}

/* ---------------------------------------------------------------- main */

static void usage(void)
{
	fprintf(stderr,
		"usage: ebpfbench [--dir DIR] [--cli WASM_BPF] [--cli-src PATH] [--examples DIR]\n"
		"                 [--reps N] [--events N] [--map-ops N] [--command TEXT]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	double load_before, load_after;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			usage();
		if (!strcmp(a, "--dir"))
			cfg.dir = v;
		else if (!strcmp(a, "--cli"))
			cfg.cli = v;
		else if (!strcmp(a, "--cli-src"))
			cfg.cli_src = v;
		else if (!strcmp(a, "--examples"))
			cfg.examples = v;
		else if (!strcmp(a, "--reps"))
			cfg.reps = atoi(v);
		else if (!strcmp(a, "--events"))
			cfg.events = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--map-ops"))
			cfg.map_ops = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--command"))
			cfg.command = v;
		else
			usage();
		i++;
	}
	if (cfg.reps < 1 || cfg.reps > MAX_REPS / 5)
		usage();
	if (geteuid() != 0) {
		printf("SKIP: bench-ebpf needs root (loading eBPF programs)\n");
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	mkdir(path_of("%s/logs", cfg.dir), 0755);
	for (int k = 0; k < SIDE_CNT; k++) {
		unlink(path_of("%s/logs/pipe-%s.log", cfg.dir, side_names[k]));
		unlink(path_of("%s/logs/maps-%s.log", cfg.dir, side_names[k]));
	}
	unlink(path_of("%s/logs/start.log", cfg.dir));
	unlink(path_of("%s/logs/modload.log", cfg.dir));
	md = fopen(path_of("%s/ebpf.md", cfg.dir), "w");
	js = fopen(path_of("%s/../ebpf.json", cfg.dir), "w");
	if (!md || !js) {
		perror("ebpfbench: output files");
		return 1;
	}
	load_before = loadavg1();
	measure_footprint();
	run_modload();
	for (int rep = 0; rep < cfg.reps; rep++) {
		loadavg1();
		fprintf(stderr, "  EBPF   repetition %d/%d (load %.2f)\n", rep + 1, cfg.reps,
			loadavg1());
		for (int k = 0; k < SIDE_CNT; k++) {
			/* native first on even repetitions, wasm-bpf first on odd ones */
			enum side s = (enum side)((k + rep) % SIDE_CNT);

			for (int m = 0; m < PIPE_CFG_CNT; m++)
				run_pipe(m, s);
			run_maps(0, s);
			run_maps(1, s);
			run_start(rep, s);
		}
	}
	load_after = loadavg1();
	report(load_before, load_after);
	fclose(md);
	fclose(js);
	if (failures)
		fprintf(stderr, "ebpfbench: %d runs failed (logs in %s/logs)\n", failures, cfg.dir);
	return failures ? 1 : 0;
}
