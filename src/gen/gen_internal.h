/* SPDX-License-Identifier: MIT */
/*
 * Internal interface of the generators: the BTF-to-C emitter that lays types
 * out for wasm32 exactly as the BPF target does (ctypes.c), shared by
 * `gen types` (types.c) and `gen skeleton` (skeleton.c).
 */
#ifndef WB_GEN_INTERNAL_H
#define WB_GEN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <bpf/btf.h>

/* One member of a struct to lay out: from a BTF struct or a DATASEC. */
struct wb_cmember {
	const char *name;	/* "" for an anonymous struct/union member */
	__u32 type_id;
	__u32 bit_off;		/* from the start of the struct */
	__u32 bit_sz;		/* bitfield width, 0 if not a bitfield */
};

enum wb_ctypes_mode {
	WB_CTYPES_DEFINE,	/* C definitions followed by _Static_asserts */
	WB_CTYPES_CHECK,	/* statements of the run-time layout check program */
};

struct wb_ctypes;

/* A new emitter writing to @out; @btf is borrowed. NULL with errno on failure. */
struct wb_ctypes *wb_ctypes__new(const struct btf *btf, FILE *out, enum wb_ctypes_mode mode,
				 char *err_buf, size_t err_buf_sz);
/* NULL is a no-op. */
void wb_ctypes__free(struct wb_ctypes *ct);

/*
 * Define type @id (struct, union, enum or typedef), after everything it
 * contains by value, unless it already was. 0 or -errno.
 */
int wb_ctypes__define(struct wb_ctypes *ct, __u32 id);

/* Define everything a field of type @type_id needs (nothing for pointers). */
int wb_ctypes__define_deps(struct wb_ctypes *ct, __u32 type_id);

/*
 * The members and closing brace of a struct of @size bytes whose members
 * are @m (sorted by offset), as wb_ctypes__define lays them out, written
 * at @indent tabs; the caller wrote "struct NAME " before. With @tail_pad,
 * padding is added up to @size, otherwise the struct ends after its last
 * member (DATASEC views). Sets *@packed_attr to the attribute the caller must
 * put after "struct" (a static string, "" if none): call with @dry_run
 * first to learn it, then again to write.
 */
int wb_ctypes__struct_body(struct wb_ctypes *ct, const struct wb_cmember *m, size_t cnt,
			   __u32 size, bool tail_pad, int indent, bool dry_run,
			   const char **packed_attr);

/* _Static_asserts on the offset and size of every named field of @m. */
int wb_ctypes__field_asserts(struct wb_ctypes *ct, const char *texpr,
			     const struct wb_cmember *m, size_t cnt);

/* Whether @id is a typedef the emitter keeps (it names a struct or union). */
bool wb_ctypes__keeps_typedef(const struct btf *btf, __u32 id);

/* Whether @s is a C identifier. */
bool wb_gen_is_ident(const char *s);

/* printf into a caller's error buffer (NULL is fine). */
void wb_gen_err(char *buf, size_t sz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif /* WB_GEN_INTERNAL_H */
