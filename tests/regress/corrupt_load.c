/* SPDX-License-Identifier: MIT */
/*
 * Regression: a corrupt eBPF object that libbpf 1.1 opens without complaint
 * but crashes on while loading it (a test object with a few bytes changed,
 * found by mutating objects and loading them in child processes). Opening it
 * may succeed; loading it must fail with an explanation, and the host must
 * go on serving the guest: it loads a second time with the same result.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wasm_bpf.h"
#include "libbpf_load_crash.h"

static int load_fails(const char *what)
{
	char msg[512];
	uint64_t h;
	int n;

	h = wasm_load_bpf_object(libbpf_load_crash_o, sizeof(libbpf_load_crash_o));
	if (h) {
		printf("FAIL: %s: the corrupt object loaded (handle %llu)\n", what,
		       (unsigned long long)h);
		return 0;
	}
	n = wasm_bpf_last_error(msg, sizeof(msg));
	if (n <= 0 || !strstr(msg, "trial load")) {
		printf("FAIL: %s: last error: '%s'\n", what, n > 0 ? msg : "");
		return 0;
	}
	printf("%s: %s\n", what, msg);
	return 1;
}

int main(void)
{
	if (!load_fails("first load") || !load_fails("second load"))
		return 1;
	printf("corrupt_load: ok\n");
	return 0;
}
