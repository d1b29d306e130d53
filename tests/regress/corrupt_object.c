/* SPDX-License-Identifier: MIT */
/*
 * Regression: a corrupt eBPF object (a valid one with a few bytes flipped,
 * found by fuzzing libbpf 1.1) crashed the host inside bpf_object__open_mem.
 * Loading it must fail with handle 0 and an explanation, and the host must
 * go on serving the guest.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wasm_bpf.h"
#include "libbpf_open_crash.h"

int main(void)
{
	char msg[512];
	uint64_t h;
	int n;

	h = wasm_load_bpf_object(libbpf_open_crash_o, sizeof(libbpf_open_crash_o));
	if (h) {
		printf("FAIL: the corrupt object loaded (handle %llu)\n", (unsigned long long)h);
		return 1;
	}
	n = wasm_bpf_last_error(msg, sizeof(msg));
	if (n <= 0 || !strstr(msg, "not a valid eBPF object")) {
		printf("FAIL: last error: '%s'\n", n > 0 ? msg : "");
		return 1;
	}
	h = wasm_bpf_open_object(libbpf_open_crash_o, sizeof(libbpf_open_crash_o));
	if (h) {
		printf("FAIL: the corrupt object opened\n");
		return 1;
	}
	printf("corrupt_object: ok (%s)\n", msg);
	return 0;
}
