/* SPDX-License-Identifier: MIT */
/*
 * Resource limits of `wasm-bpf run`: parsing --max-memory, --max-stack,
 * --max-call-depth, --fuel and --timeout, the store options they set, and
 * the wall clock that interrupts a guest running too long: a POSIX timer on
 * CLOCK_MONOTONIC whose own real-time signal (not SIGALRM, which run.c uses
 * for the Ctrl-C grace period) makes blocking calls return EINTR as Ctrl-C
 * does.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <wasm-bpf/bpf_host.h>
#include <wasm-bpf/engine.h>
#include <wasm-bpf/policy.h>

#include "cli.h"
#include "limits.h"

#define WASM_PAGE 65536
/* After the interrupt, how long the guest has to unwind before we exit. */
#define GRACE_MS 2000

static int parse_count(const char *arg, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!*arg || *arg == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "30", "30s", "500ms", "2m", "1h", "1.5s": milliseconds. */
static int parse_duration(const char *arg, uint64_t *ms)
{
	double v, mult = 1000;
	char *end;

	if (!*arg || *arg == '-')
		return -EINVAL;
	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || v < 0)
		return -EINVAL;
	if (!strcmp(end, "ms"))
		mult = 1;
	else if (!*end || !strcmp(end, "s"))
		mult = 1000;
	else if (!strcmp(end, "m"))
		mult = 60000;
	else if (!strcmp(end, "h"))
		mult = 3600000;
	else
		return -EINVAL;
	v *= mult;
	if (v > 1e12 || v < 1)
		return -EINVAL;
	*ms = (uint64_t)v;
	return 0;
}

int wb_cli_limits_arg(struct wb_cli_limits *l, int opt, const char *arg)
{
	uint64_t v;

	switch (opt) {
	case WB_OPT_MAX_MEMORY:
		if (wb_bpf_parse_size(arg, &v) || v < WASM_PAGE ||
		    v / WASM_PAGE > 65536) {
			wb_cli_err("--max-memory: expected a size from 64K to 4G (e.g. 256M), "
				   "got '%s'", arg);
			return -EINVAL;
		}
		l->max_memory_pages = (uint32_t)(v / WASM_PAGE);
		return 0;
	case WB_OPT_MAX_STACK:
		if (wb_bpf_parse_size(arg, &v) || v < 4096 || v > (1ULL << 32)) {
			wb_cli_err("--max-stack: expected a size from 4K to 4G (e.g. 1M), got '%s'",
				   arg);
			return -EINVAL;
		}
		l->stack_bytes = (size_t)v;
		return 0;
	case WB_OPT_MAX_CALL_DEPTH:
		if (parse_count(arg, &v) || !v || v > UINT32_MAX) {
			wb_cli_err("--max-call-depth: expected a positive number, got '%s'", arg);
			return -EINVAL;
		}
		l->max_call_depth = (uint32_t)v;
		return 0;
	case WB_OPT_FUEL:
		if (parse_count(arg, &v) || !v) {
			wb_cli_err("--fuel: expected a positive number, got '%s'", arg);
			return -EINVAL;
		}
		l->fuel = v;
		return 0;
	case WB_OPT_TIMEOUT:
		if (parse_duration(arg, &v)) {
			wb_cli_err("--timeout: expected a duration such as 30s, 500ms or 2m, "
				   "got '%s'", arg);
			return -EINVAL;
		}
		l->timeout_ms = v;
		l->timeout_arg = arg;
		return 0;
	default:
		return -EINVAL;
	}
}

void wb_cli_limits_store_opts(const struct wb_cli_limits *l, struct wb_store_opts *so)
{
	so->max_memory_pages = l->max_memory_pages;
	so->stack_bytes = l->stack_bytes;
	so->max_call_depth = l->max_call_depth;
	so->fuel = l->fuel;
}

/* ---------------------------------------------------------------- the clock */

static struct wb_store *volatile alarm_store;
static struct wb_bpf_host *volatile alarm_bpf;
static volatile sig_atomic_t alarm_cnt;
static struct sigaction old_alarm;
static timer_t timer;
static bool armed;

/* The timer's signal: a real-time one nobody else here uses. */
#define TIMEOUT_SIGNAL (SIGRTMIN + 2)

static void on_alarm(int sig)
{
	if (alarm_cnt++) {
		static const char msg[] = "wasm-bpf: timed out; the guest did not stop\n";
		ssize_t n = write(STDERR_FILENO, msg, sizeof(msg) - 1);

		(void)n;
		_exit(WB_EXIT_TIMEOUT);
	}
	if (alarm_bpf)
		wb_bpf_host__interrupt(alarm_bpf);
	if (alarm_store)
		wb_store__interrupt(alarm_store);
}

static struct timespec ts_of_ms(uint64_t ms)
{
	struct timespec ts = { .tv_sec = (time_t)(ms / 1000),
			       .tv_nsec = (long)(ms % 1000) * 1000000 };

	return ts;
}

int wb_cli_timeout_arm(const struct wb_cli_limits *l, struct wb_store *store,
		       struct wb_bpf_host *bpf)
{
	struct sigaction sa = { 0 };
	struct sigevent sev = { 0 };
	struct itimerspec it = { 0 };
	int err;

	if (!l->timeout_ms)
		return 0;
	alarm_store = store;
	alarm_bpf = bpf;
	alarm_cnt = 0;
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	if (sigaction(TIMEOUT_SIGNAL, &sa, &old_alarm))
		return -errno;
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = TIMEOUT_SIGNAL;
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer)) {
		err = -errno;
		sigaction(TIMEOUT_SIGNAL, &old_alarm, NULL);
		return err;
	}
	it.it_value = ts_of_ms(l->timeout_ms);
	it.it_interval = ts_of_ms(GRACE_MS);
	if (timer_settime(timer, 0, &it, NULL)) {
		err = -errno;
		timer_delete(timer);
		sigaction(TIMEOUT_SIGNAL, &old_alarm, NULL);
		return err;
	}
	armed = true;
	return 0;
}

void wb_cli_timeout_disarm(void)
{
	if (!armed)
		return;
	timer_delete(timer);
	sigaction(TIMEOUT_SIGNAL, &old_alarm, NULL);
	alarm_store = NULL;
	alarm_bpf = NULL;
	armed = false;
}

bool wb_cli_timed_out(void)
{
	return alarm_cnt > 0;
}
