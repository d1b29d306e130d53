/* SPDX-License-Identifier: MIT */
/*
 * Code generators that turn an eBPF object's BTF into C for wasm32 guests:
 * type definitions laid out exactly as the BPF target lays them out
 * (wb_gen_types) and the libbpf-style skeleton of the guest SDK
 * (wb_gen_skeleton).
 *
 * Both write C text into a FILE * given by the caller and never print
 * anything else; on failure they return a negative errno and, if the caller
 * gave a buffer, a one-line reason in it. The FILE may then hold a partial
 * output, which the caller should discard.
 */
#ifndef WASM_BPF_GEN_H
#define WASM_BPF_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct wb_gen_types_opts {
	size_t sz;
	/*
	 * Names of the types to define (borrowed): "foo", or "struct foo",
	 * "union foo", "enum foo", "typedef foo" to pick one kind. Everything a
	 * named type contains by value is defined too. NULL or type_cnt 0: the
	 * default selection, see wb_gen_types().
	 */
	const char *const *types;
	size_t type_cnt;
	/*
	 * Kernel BTF used by the default selection to leave out kernel types;
	 * NULL: /sys/kernel/btf/vmlinux; "": none (every named type is taken).
	 * A missing default file is not an error: nothing is left out then.
	 */
	const char *kernel_btf;
	/* Include guard; NULL: derived from the object's file name. */
	const char *guard;
	/*
	 * Non-NULL: write, instead of the header, a C program that includes
	 * the header under this name and checks at run time the offset and size
	 * of every field, and the bit position of every bitfield, of the same
	 * selection of types; it prints one line per mismatch and a summary,
	 * and exits with 1 if anything is off.
	 */
	const char *layout_check;
	/* Where a one-line reason for a failure goes (may be NULL). */
	char *err_buf;
	size_t err_buf_sz;
};

/*
 * wb_gen_types - write C definitions of BTF types for a wasm32 guest
 * @obj_path: the eBPF object (.bpf.o) whose BTF is read (borrowed)
 * @out: where the header goes (borrowed)
 * @opts: options, NULL for defaults
 *
 * The header defines the types with the layout the BPF target gives them:
 * integers become fixed-width types, pointers and `long` become 64-bit
 * integers (the original type in a comment), enum-typed fields become the
 * integer of the enum's size (the enumerators are still defined as an enum),
 * and every hole gets an explicit padding field. A struct is packed (and
 * given its BPF alignment back) only when its layout cannot be reproduced
 * otherwise. Each type is followed by _Static_asserts on its size and
 * alignment and on the offset and size of each named field, so that a
 * wasm32 compile of the header proves the layout.
 *
 * Each named definition is wrapped in `#ifndef WB_DEF_<kind>_<name>` (e.g.
 * WB_DEF_struct_event), so the types header and the skeleton of one object
 * can be included together; defining that macro first keeps a definition of
 * one's own instead (the asserts after it still apply). A name BTF uses
 * twice gets a ___2 suffix the second time.
 *
 * The default selection is the key and value types of the object's maps
 * plus every named struct, union, enum or typedef of an anonymous struct
 * or union in the object's BTF that is not also a kernel type (same kind,
 * name and size in the kernel BTF), i.e. the types the application itself
 * declared. A type that only appears in local variables (a ring buffer
 * record, typically) has no BTF: give it a global, e.g.
 * `struct event __event_unused = {};`, or a map.
 *
 * Return: 0, or a negative errno (-ENOENT: no such type or file, -EINVAL:
 * no BTF or a layout that cannot be expressed, -ENOMEM).
 */
int wb_gen_types(const char *obj_path, FILE *out, const struct wb_gen_types_opts *opts);

struct wb_gen_skeleton_opts {
	size_t sz;
	/*
	 * Name of the skeleton struct and prefix of its functions (a C
	 * identifier); NULL: the file name without ".o", other characters than
	 * letters and digits replaced by '_' (nasty.bpf.o: nasty_bpf), as
	 * bpftool names skeletons.
	 */
	const char *name;
	/* The guest SDK header the skeleton includes; NULL: "libbpf-wasm.h". */
	const char *sdk_header;
	/* Where a one-line reason for a failure goes (may be NULL). */
	char *err_buf;
	size_t err_buf_sz;
};

/*
 * wb_gen_skeleton - write the guest skeleton header of an eBPF object
 * @obj_path: the eBPF object (.bpf.o), opened with libbpf but not loaded
 * @out: where the header goes (borrowed)
 * @opts: options, NULL for defaults
 *
 * The skeleton is the libbpf one, for the guest SDK: struct NAME with
 * its maps, progs and links, typed .rodata/.data/.bss views laid out for
 * wasm32 as wb_gen_types() does (with _Static_asserts on every variable's
 * offset and size; static variables are left out, as libbpf does), the
 * definitions of the named types those variables use (guarded as in
 * wb_gen_types()), NAME__open(), __open_opts(), __load(), __open_and_load(),
 * __attach(), __detach(), __destroy(), __elf_bytes() (the object, embedded
 * as a static const array) and __create_skeleton(), which fills the SDK's
 * struct bpf_object_skeleton (global sections are named ".rodata", ".data"
 * and ".bss"; the SDK sets the views to its buffers).
 *
 * Return: 0, or a negative errno.
 */
int wb_gen_skeleton(const char *obj_path, FILE *out, const struct wb_gen_skeleton_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* WASM_BPF_GEN_H */
