/* SPDX-License-Identifier: MIT */
/*
 * A guest that uses only the original wasm-bpf imports: `inspect` must
 * report "1 (compatibility subset)". It loads the mix object and closes it.
 */
#include <stdint.h>
#include <stdio.h>

#include "mix.bpf.h"

#define WB_IMPORT(name) __attribute__((import_module("wasm_bpf"), import_name(#name)))

WB_IMPORT(wasm_load_bpf_object)
uint64_t wasm_load_bpf_object(const void *obj_buf, int obj_buf_sz);
WB_IMPORT(wasm_close_bpf_object)
int wasm_close_bpf_object(uint64_t obj);

int main(void)
{
	uint64_t obj = wasm_load_bpf_object(mix_bpf_o, sizeof(mix_bpf_o));

	printf("load: %s\n", obj ? "ok" : "failed");
	if (!obj)
		return 4;
	return wasm_close_bpf_object(obj) ? 4 : 0;
}
