/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the inspection of eBPF objects (src/bpf/inspect.c),
 * which the host runs on the bytes a guest passes to wasm_load_bpf_object or
 * wasm_bpf_open_object before anything reaches the kernel: libbpf opens a
 * copy and the inspector reads programs, helpers, kfuncs and maps from the
 * image. Then the report is checked against the default policy and against
 * one that allows everything. Whatever the bytes, nothing may crash, leak or
 * hit UB in our code (libbpf itself is the system's, not instrumented, so a
 * fault in it shows as a crash only).
 */
#include <stddef.h>
#include <stdint.h>

#include "wasm-bpf/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct wb_bpf_policy *p, const struct wb_bpf_report *r)
{
	struct wb_bpf_verdict v = { 0 };

	if (p)
		wb_bpf_policy__check(p, r, &v);
	wb_bpf_verdict__clear(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wb_bpf_policy *def, *all;
	struct wb_bpf_report *r = NULL;
	char err[256];

	if (!def) {
		def = wb_bpf_policy__new();
		all = wb_bpf_policy__new();
		if (all) {
			wb_bpf_policy__add(all, WB_RULE_HELPER, true, "*", "fuzz", NULL, 0);
			wb_bpf_policy__add(all, WB_RULE_KFUNC, true, "*", "fuzz", NULL, 0);
			wb_bpf_policy__add(all, WB_RULE_PROG_TYPE, true, "*", "fuzz", NULL, 0);
			wb_bpf_policy__add(all, WB_RULE_PIN, true, "*", "fuzz", NULL, 0);
		}
	}
	if (wb_bpf_inspect(data, size, &r, err, sizeof(err)))
		return 0;
	check(def, r);
	check(all, r);
	wb_bpf_report__free(r);
	return 0;
}
