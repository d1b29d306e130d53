/* SPDX-License-Identifier: MIT */
/*
 * Resource limits of `wasm-bpf run`: guest memory, stack, fuel and wall
 * time (--max-memory, --max-stack, --max-call-depth, --fuel, --timeout).
 */
#ifndef WB_CLI_LIMITS_H
#define WB_CLI_LIMITS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wb_store;
struct wb_store_opts;
struct wb_bpf_host;

/* Exit status when --timeout stopped the guest (as timeout(1)). */
#define WB_EXIT_TIMEOUT 124

enum {
	WB_OPT_LIMIT_FIRST = 0x300,
	WB_OPT_MAX_MEMORY = WB_OPT_LIMIT_FIRST,
	WB_OPT_MAX_STACK,
	WB_OPT_MAX_CALL_DEPTH,
	WB_OPT_FUEL,
	WB_OPT_TIMEOUT,
	WB_OPT_LIMIT_END,
};

/* Initializers of { name, has_arg, val, arg, help } for a command's option table. */
#define WB_CLI_LIMIT_OPTIONS                                                                  \
	{ "max-memory", required_argument, WB_OPT_MAX_MEMORY, "SIZE",                         \
	  "cap the guest's linear memory (e.g. 256M; rounded down to 64 KiB pages)" },        \
	{ "max-stack", required_argument, WB_OPT_MAX_STACK, "SIZE",                           \
	  "size of the guest's value stack (e.g. 1M)" },                                      \
	{ "max-call-depth", required_argument, WB_OPT_MAX_CALL_DEPTH, "N",                    \
	  "cap nested guest calls (deeper: trap \"call stack exhausted\")" },                  \
	{ "fuel", required_argument, WB_OPT_FUEL, "N",                                        \
	  "stop the guest after about N calls and loop iterations (trap \"out of fuel\")" },   \
	{ "timeout", required_argument, WB_OPT_TIMEOUT, "DURATION",                           \
	  "stop the guest after DURATION of wall time (30s, 500ms, 2m); exit 124" }

struct wb_cli_limits {
	uint32_t max_memory_pages;	/* 0: the engine's default */
	size_t stack_bytes;
	uint32_t max_call_depth;
	uint64_t fuel;
	uint64_t timeout_ms;		/* 0: none */
	const char *timeout_arg;	/* as given, for messages */
};

static inline bool wb_cli_limit_opt(int opt)
{
	return opt >= WB_OPT_LIMIT_FIRST && opt < WB_OPT_LIMIT_END;
}

/* Apply one limit option; 0, or -EINVAL after printing why. */
int wb_cli_limits_arg(struct wb_cli_limits *l, int opt, const char *arg);

/* Fill the store options the limits set. */
void wb_cli_limits_store_opts(const struct wb_cli_limits *l, struct wb_store_opts *so);

/*
 * Start the --timeout clock (no-op without one): when it expires, the guest
 * is interrupted as by Ctrl-C (store and buffer polls); 2 s later, if it is
 * still running, the process exits with WB_EXIT_TIMEOUT. 0 or -errno.
 */
int wb_cli_timeout_arm(const struct wb_cli_limits *l, struct wb_store *store,
		       struct wb_bpf_host *bpf);
/* Stop the clock. */
void wb_cli_timeout_disarm(void);
/* Did the clock expire? */
bool wb_cli_timed_out(void);

#endif /* WB_CLI_LIMITS_H */
