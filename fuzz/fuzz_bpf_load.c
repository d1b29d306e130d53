/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the host's handling of a guest's eBPF object: open it
 * (a trial open in a child, the CO-RE target BTF, libbpf's open), check it
 * against an allow-everything policy but pinning, load it (a trial load in a
 * child, then the kernel's verifier) and close it. This is the path of
 * wasm_load_bpf_object. Whatever the bytes, the host process must go on:
 * libbpf 1.1's crashes on corrupt objects must stay in the trial children.
 * Needs root, since objects reach the kernel.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bpf/bpf_internal.h"
#include "wasm-bpf/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct wb_bpf_host *host(void)
{
	static struct wb_bpf_host *h;
	static struct wb_bpf_policy *all;

	if (h)
		return h;
	all = wb_bpf_policy__new();
	if (!all)
		abort();
	wb_bpf_policy__add(all, WB_RULE_HELPER, true, "*", "fuzz", NULL, 0);
	wb_bpf_policy__add(all, WB_RULE_KFUNC, true, "*", "fuzz", NULL, 0);
	wb_bpf_policy__add(all, WB_RULE_PROG_TYPE, true, "*", "fuzz", NULL, 0);
	{
		struct wb_bpf_host_opts opts = { .sz = sizeof(opts), .policy = all };

		h = wb_bpf_host__new(&opts);
	}
	if (!h)
		abort();
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wb_bpf_host *h = host();
	struct wb_bpf_obj *o;
	int err = 0;

	o = wb_bpf_obj_open(h, data, size, true, &err);
	if (!o)
		return 0;
	wb_bpf_obj_load(h, o);
	wb_bpf_obj_close(h, o);
	return 0;
}
