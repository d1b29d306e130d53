/* SPDX-License-Identifier: MIT */
/*
 * What an eBPF object would do to the kernel, and whether we let it: the
 * inspection of an object before it is loaded (program types, helper and
 * kfunc calls, maps and their memory, pinning) and the security policy it is
 * checked against (docs/policy.md).
 *
 * The inspection needs no guest: it takes an ELF image in memory. The policy
 * is a list of allow/deny rules by name or glob pattern, built from flags and
 * policy files; for a name, the last rule that matches it decides.
 */
#ifndef WASM_BPF_POLICY_H
#define WASM_BPF_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bpf_object;

/* ---------------------------------------------------------------- inspection */

/* One program of an object. Strings are owned by the report. */
struct wb_bpf_report_prog {
	char *name;
	char *section;
	uint32_t type;			/* enum bpf_prog_type, as libbpf guessed it */
	const char *type_name;		/* libbpf's name ("tracepoint", "xdp"); static */
	bool autoload;			/* false: it will not be loaded */
	uint32_t insn_cnt;		/* instructions, with the subprograms it reaches */
	uint32_t *helpers;		/* sorted helper ids (enum bpf_func_id) */
	uint32_t helper_cnt;
	char **kfuncs;			/* kfunc names (from the object's symbols) */
	uint32_t kfunc_cnt;
};

/* One map of an object (also the internal .rodata/.data/.bss arrays). */
struct wb_bpf_report_map {
	char *name;
	uint32_t type;			/* enum bpf_map_type */
	const char *type_name;		/* libbpf's name ("hash", "ringbuf"); static */
	uint32_t key_size, value_size, max_entries, map_flags;
	uint64_t memory;		/* estimated kernel memory in bytes */
	char *pin_path;			/* where it would be pinned, or NULL */
};

struct wb_bpf_report {
	char *license;			/* the "license" section, or NULL */
	struct wb_bpf_report_prog *progs;
	uint32_t prog_cnt;
	struct wb_bpf_report_map *maps;
	uint32_t map_cnt;
	uint64_t map_memory;		/* sum of the maps' estimates */
};

/*
 * Inspect the ELF image [elf, elf+sz): libbpf opens a copy (nothing reaches
 * the kernel; a child process tries it first, since libbpf 1.1 crashes on
 * some corrupt images) and the instructions are read from the image. On
 * success *out is a new report (free with wb_bpf_report__free). On failure
 * returns a negative errno and, when err is not NULL, a one-line reason in err.
 */
int wb_bpf_inspect(const void *elf, size_t sz, struct wb_bpf_report **out, char *err,
		   size_t err_sz);

/*
 * The same for an object libbpf already opened (not loaded) from the image
 * elf: map sizes and autoload flags are taken as they are now.
 */
int wb_bpf_inspect_object(struct bpf_object *obj, const void *elf, size_t sz,
			  struct wb_bpf_report **out, char *err, size_t err_sz);

/* Free a report. NULL is a no-op. */
void wb_bpf_report__free(struct wb_bpf_report *report);

/* "bpf_probe_write_user" for 36; NULL for an id this build does not know. Static. */
const char *wb_bpf_helper_name(uint32_t id);
/* The id of a helper named with or without "bpf_"; -ENOENT if unknown. */
int wb_bpf_helper_id(const char *name);

/* Is this (possibly big) image an eBPF ELF object? Its length in *len if so. */
bool wb_bpf_elf_probe(const uint8_t *p, size_t avail, size_t *len);

/* ---------------------------------------------------------------- policy */

struct wb_bpf_policy;

enum wb_bpf_rule_kind {
	WB_RULE_HELPER,		/* helper names, "bpf_" optional */
	WB_RULE_KFUNC,		/* kfunc names; none allowed by default */
	WB_RULE_PROG_TYPE,	/* libbpf program type names */
	WB_RULE_MAP_TYPE,	/* libbpf map type names */
	WB_RULE_ATTACH,		/* KIND:PATTERN attach targets */
	WB_RULE_PIN,		/* pin paths; none allowed by default */
	WB_RULE_KIND_CNT,
};

/* The default policy (docs/policy.md); NULL with errno on failure. */
struct wb_bpf_policy *wb_bpf_policy__new(void);
/* NULL is a no-op. */
void wb_bpf_policy__free(struct wb_bpf_policy *policy);

/*
 * Append a rule: allow or deny the names matching pattern (a glob). origin
 * says where the rule came from, for messages (e.g. "--deny-helper",
 * "p.json:4"); both strings are copied. -EINVAL (with a reason in err) for a
 * name no kind of its sort has (a helper or type misspelt) or a malformed
 * attach pattern.
 */
int wb_bpf_policy__add(struct wb_bpf_policy *policy, enum wb_bpf_rule_kind kind, bool allow,
		       const char *pattern, const char *origin, char *err, size_t err_sz);

/* Cap the total estimated map memory of one object (0: no cap). */
void wb_bpf_policy__set_max_map_memory(struct wb_bpf_policy *policy, uint64_t bytes,
				       const char *origin);

/*
 * Parse a size: a number with an optional K, M, G or T suffix (powers of
 * 1024, an optional trailing "B" or "iB"). 0 or -EINVAL.
 */
int wb_bpf_parse_size(const char *s, uint64_t *out);

/*
 * Add the rules of a JSON policy document (docs/policy.md) named name. On a
 * syntax or schema error returns -EINVAL with "name:LINE:COL: reason" in err
 * (the line of the offending key when the error is not a syntax error).
 */
int wb_bpf_policy__load_json(struct wb_bpf_policy *policy, const char *text, size_t len,
			     const char *name, char *err, size_t err_sz);
/* The same from a file; -errno if it cannot be read. */
int wb_bpf_policy__load_file(struct wb_bpf_policy *policy, const char *path, char *err,
			     size_t err_sz);

/* The effective policy as text (one rule a line, in order), malloc'd; NULL on ENOMEM. */
char *wb_bpf_policy__format(const struct wb_bpf_policy *policy);

/* The refusals of one check: one line each, naming the program or map and the rule. */
struct wb_bpf_verdict {
	char **reasons;
	uint32_t reason_cnt;
};

/*
 * Check a report: 0 if the object may be loaded, -EPERM if not (the reasons
 * in *verdict; free them with wb_bpf_verdict__clear), -ENOMEM.
 * Programs with autoload off are not checked: they never reach the kernel.
 */
int wb_bpf_policy__check(const struct wb_bpf_policy *policy, const struct wb_bpf_report *report,
			 struct wb_bpf_verdict *verdict);
void wb_bpf_verdict__clear(struct wb_bpf_verdict *verdict);

/*
 * May program prog (of type prog_type, enum bpf_prog_type, from section)
 * be attached to target (NULL or "": from the section name)? 0, or -EPERM
 * with a one-line reason in msg.
 */
int wb_bpf_policy__check_attach(const struct wb_bpf_policy *policy, const char *prog,
				uint32_t prog_type, const char *section, const char *target,
				char *msg, size_t msg_sz);

#ifdef __cplusplus
}
#endif

#endif /* WASM_BPF_POLICY_H */
