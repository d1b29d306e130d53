/* SPDX-License-Identifier: MIT */
/*
 * The minimized CO-RE target BTF: the part of the kernel's BTF that libbpf's
 * CO-RE relocation of one eBPF object can look at, computed without reading
 * the whole kernel BTF into memory (src/bpf/core_btf.c).
 */
#ifndef WB_BPF_CORE_BTF_H
#define WB_BPF_CORE_BTF_H

#include <stddef.h>
#include <stdint.h>

/* The running kernel's BTF, the default source. */
#define WB_BPF_CORE_BTF_KERNEL_PATH "/sys/kernel/btf/vmlinux"

/* What one build did, for the log and for tests. */
struct wb_bpf_core_btf_stats {
	uint32_t relo_cnt;		/* CO-RE relocation records in the object */
	uint32_t root_cnt;		/* distinct root types libbpf searches candidates for */
	uint32_t cand_cnt;		/* kernel types that are candidates */
	uint32_t kernel_type_cnt;	/* types in the kernel BTF */
	uint32_t type_cnt;		/* types written */
	uint32_t stub_cnt;		/* of which structs/unions written without members */
	size_t kernel_size;		/* bytes of the kernel BTF file */
	size_t size;			/* bytes written */
	unsigned int read_cnt;		/* pread calls on the kernel BTF */
	uint64_t usec;			/* wall time of the whole build */
	char reason[192];		/* why not, with -EOPNOTSUPP */
};

/*
 * Build a raw BTF file holding every kernel type that libbpf 1.1's CO-RE
 * relocation of the ELF image [elf, elf + elf_sz) can look at: the
 * candidates of each relocation's root type with everything reachable from
 * them (structs and unions reached only through pointers as member-less
 * stubs), so that relocating against it gives the same instructions as
 * relocating against the whole kernel BTF. The kernel BTF is read from
 * kernel_btf_path (NULL = WB_BPF_CORE_BTF_KERNEL_PATH) in small pieces.
 *
 * The image is untrusted: every offset in it is checked. It is not
 * modified. stats may be NULL.
 *
 * Returns a memfd (close-on-exec, offset 0 not guaranteed) holding the BTF,
 * owned by the caller, usable as libbpf's btf_custom_path through
 * /proc/self/fd/N; -ENODATA if the object has no CO-RE relocation (nothing
 * to do); -EOPNOTSUPP if libbpf must see the whole kernel BTF (a relocation
 * kind whose result depends on kernel type ids, a root type the kernel
 * does not have while module BTFs exist, anything unexpected; the reason is
 * in stats->reason); another negative errno on failure.
 */
int wb_bpf_core_btf_build(const void *elf, size_t elf_sz, const char *kernel_btf_path,
		      struct wb_bpf_core_btf_stats *stats);

#endif /* WB_BPF_CORE_BTF_H */
