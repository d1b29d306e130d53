/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the minimized CO-RE target BTF (src/bpf/core_btf.c):
 * the input is an eBPF ELF image, as a guest would hand it over, minimized
 * against the running kernel's BTF. The function reads the image's ELF
 * headers, .BTF and .BTF.ext itself and promises to check every offset, so it
 * is fuzzed without the libbpf preflight that guards it in the host: nothing
 * may crash, leak, hit UB or write to the image, whatever the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "bpf/core_btf.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* btf__new() warns about every malformed .BTF on stderr otherwise. */
	libbpf_set_print(NULL);
	if (access(WB_BPF_CORE_BTF_KERNEL_PATH, R_OK))
		fprintf(stderr, "fuzz_core_btf: no kernel BTF at %s: only the object's parsing "
			"is fuzzed\n", WB_BPF_CORE_BTF_KERNEL_PATH);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wb_bpf_core_btf_stats st;
	int fd;

	fd = wb_bpf_core_btf_build(data, size, NULL, &st);
	if (fd >= 0)
		close(fd);
	return 0;
}
