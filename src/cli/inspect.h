/* SPDX-License-Identifier: MIT */
/*
 * `wasm-bpf inspect` and the eBPF policy options it shares with `run`
 * (--policy, --allow-helper ...): one option list, one parser.
 */
#ifndef WB_CLI_INSPECT_H
#define WB_CLI_INSPECT_H

#include <getopt.h>
#include <stdbool.h>

struct wb_bpf_policy;

/* getopt values of the policy options (above those of run.c). */
enum {
	WB_OPT_POLICY_FIRST = 0x200,
	WB_OPT_POLICY = WB_OPT_POLICY_FIRST,
	WB_OPT_POLICY_PRINT,
	WB_OPT_ALLOW_HELPER,
	WB_OPT_DENY_HELPER,
	WB_OPT_ALLOW_KFUNC,
	WB_OPT_DENY_KFUNC,
	WB_OPT_ALLOW_PROG_TYPE,
	WB_OPT_DENY_PROG_TYPE,
	WB_OPT_ALLOW_MAP_TYPE,
	WB_OPT_DENY_MAP_TYPE,
	WB_OPT_MAX_MAP_MEMORY,
	WB_OPT_ALLOW_ATTACH,
	WB_OPT_DENY_ATTACH,
	WB_OPT_ALLOW_PIN,
	WB_OPT_POLICY_END,
};

/*
 * The policy options as initializers of { name, has_arg, val, arg, help },
 * the layout of run.c's option table, so that a command lists them in its
 * own table with one line.
 */
#define WB_CLI_POLICY_OPTIONS                                                                 \
	{ "policy", required_argument, WB_OPT_POLICY, "FILE",                                 \
	  "add the rules of a JSON policy file (docs/policy.md)" },                           \
	{ "policy-print", no_argument, WB_OPT_POLICY_PRINT, NULL,                             \
	  "print the effective eBPF policy (and exit if no module is given)" },              \
	{ "allow-helper", required_argument, WB_OPT_ALLOW_HELPER, "NAME",                     \
	  "allow eBPF helper NAME (glob; \"bpf_\" optional)" },                               \
	{ "deny-helper", required_argument, WB_OPT_DENY_HELPER, "NAME", "deny helper NAME" }, \
	{ "allow-kfunc", required_argument, WB_OPT_ALLOW_KFUNC, "NAME",                       \
	  "allow kfunc NAME (glob; none by default)" },                                       \
	{ "deny-kfunc", required_argument, WB_OPT_DENY_KFUNC, "NAME", "deny kfunc NAME" },    \
	{ "allow-prog-type", required_argument, WB_OPT_ALLOW_PROG_TYPE, "TYPE",               \
	  "allow program type TYPE (libbpf's names: lsm, struct_ops, xdp ...)" },             \
	{ "deny-prog-type", required_argument, WB_OPT_DENY_PROG_TYPE, "TYPE",                 \
	  "deny program type TYPE" },                                                          \
	{ "allow-map-type", required_argument, WB_OPT_ALLOW_MAP_TYPE, "TYPE",                 \
	  "allow map type TYPE (hash, ringbuf ...)" },                                        \
	{ "deny-map-type", required_argument, WB_OPT_DENY_MAP_TYPE, "TYPE",                   \
	  "deny map type TYPE" },                                                              \
	{ "max-map-memory", required_argument, WB_OPT_MAX_MAP_MEMORY, "SIZE",                 \
	  "cap the estimated map memory of each eBPF object (e.g. 64M; 0 = none)" },         \
	{ "allow-attach", required_argument, WB_OPT_ALLOW_ATTACH, "KIND:PATTERN",             \
	  "only allow attach targets of KIND matching (iface, cgroup, uprobe, ...)" },       \
	{ "deny-attach", required_argument, WB_OPT_DENY_ATTACH, "KIND:PATTERN",               \
	  "deny attach targets of KIND matching PATTERN" },                                    \
	{ "allow-pin", required_argument, WB_OPT_ALLOW_PIN, "PATH",                           \
	  "allow maps pinned at PATH (glob; none by default)" }

/* The policy the options build: the default policy plus the rules given, in order. */
struct wb_cli_policy {
	struct wb_bpf_policy *policy;	/* NULL until an option needs it */
	bool print;			/* --policy-print */
};

/* Is opt (a getopt value) one of the policy options? */
static inline bool wb_cli_policy_opt(int opt)
{
	return opt >= WB_OPT_POLICY_FIRST && opt < WB_OPT_POLICY_END;
}

/* Apply one policy option; 0, or -EINVAL / -ENOMEM after printing why. */
int wb_cli_policy_arg(struct wb_cli_policy *cp, int opt, const char *arg);

/* Print the effective policy on stdout; 0 or -ENOMEM. */
int wb_cli_policy_print(struct wb_cli_policy *cp);

/* The policy to use: the one built, or a new default one. NULL on ENOMEM. */
struct wb_bpf_policy *wb_cli_policy_get(struct wb_cli_policy *cp);

void wb_cli_policy_free(struct wb_cli_policy *cp);

/* `wasm-bpf inspect`. */
int wb_cli_inspect(int argc, char **argv);

#endif /* WB_CLI_INSPECT_H */
