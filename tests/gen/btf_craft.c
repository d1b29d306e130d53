/* SPDX-License-Identifier: MIT */
/*
 * Writes a raw BTF file with what clang 14 does not emit but other compilers
 * and libbpf may: 64-bit enums (signed and unsigned), bitfields that force a
 * packed struct, type chains through modifiers and typedefs, a union of
 * bitfields. tests/gen/run.sh feeds it to `gen types`.
 * usage: btf_craft OUT.btf
 */
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#define TRY(x)									\
	do {									\
		if ((x) < 0) {							\
			fprintf(stderr, "btf_craft: %s failed\n", #x);		\
			goto out;						\
		}								\
	} while (0)

int main(int argc, char **argv)
{
	int u8, u16, u32, s64, flt, fwd, ptr, e64s, e64u, e32, t1, t2, cv, anon, anon_t, alias;
	struct btf *btf;
	const void *raw;
	__u32 raw_sz;
	FILE *f;
	int rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: btf_craft OUT.btf\n");
		return 2;
	}
	btf = btf__new_empty();
	if (!btf)
		return 1;
	TRY(u8 = btf__add_int(btf, "unsigned char", 1, 0));
	TRY(u16 = btf__add_int(btf, "unsigned short", 2, 0));
	TRY(u32 = btf__add_int(btf, "unsigned int", 4, 0));
	TRY(s64 = btf__add_int(btf, "long", 8, BTF_INT_SIGNED));
	TRY(flt = btf__add_float(btf, "float", 4));
	TRY(fwd = btf__add_fwd(btf, "craft_opaque", BTF_FWD_STRUCT));
	TRY(ptr = btf__add_ptr(btf, fwd));

	TRY(e64s = btf__add_enum64(btf, "craft_s64e", 8, true));
	TRY(btf__add_enum64_value(btf, "CRAFT_NEG", (__u64)-5LL));
	TRY(btf__add_enum64_value(btf, "CRAFT_SMAX", 0x7fffffffffffffffULL));
	TRY(e64u = btf__add_enum64(btf, "craft_u64e", 8, false));
	TRY(btf__add_enum64_value(btf, "CRAFT_HUGE", 0xfedcba9876543210ULL));
	TRY(e32 = btf__add_enum(btf, "craft_e32", 4));
	TRY(btf__add_enum_value(btf, "CRAFT_MINUS", -1));
	TRY(btf__add_enum_value(btf, "CRAFT_ONE", 1));

	TRY(t1 = btf__add_typedef(btf, "craft_t1", u16));
	TRY(t2 = btf__add_typedef(btf, "craft_t2", t1));
	TRY(cv = btf__add_volatile(btf, u32));
	TRY(cv = btf__add_const(btf, cv));

	/* typedef struct { unsigned int x; } craft_anon_t; typedef craft_anon_t craft_alias_t; */
	TRY(anon = btf__add_struct(btf, NULL, 4));
	TRY(btf__add_field(btf, "x", u32, 0, 0));
	TRY(anon_t = btf__add_typedef(btf, "craft_anon_t", anon));
	TRY(alias = btf__add_typedef(btf, "craft_alias_t", anon_t));

	TRY(btf__add_struct(btf, "craft_rec", 56));
	TRY(btf__add_field(btf, "e64s", e64s, 0, 0));
	TRY(btf__add_field(btf, "e64u", e64u, 64, 0));
	TRY(btf__add_field(btf, "cv", cv, 128, 0));
	TRY(btf__add_field(btf, "chained", t2, 160, 0));
	TRY(btf__add_field(btf, "bf", u32, 176, 7));
	TRY(btf__add_field(btf, "after", u8, 184, 0));
	TRY(btf__add_field(btf, "f", flt, 192, 0));
	TRY(btf__add_field(btf, "e32", e32, 224, 0));
	TRY(btf__add_field(btf, "opaque", ptr, 256, 0));
	TRY(btf__add_field(btf, "alias", alias, 320, 0));
	TRY(btf__add_field(btf, "l", s64, 384, 0));

	/* Two 20-bit fields of unsigned int: the second straddles, so packed. */
	TRY(btf__add_struct(btf, "craft_straddle", 8));
	TRY(btf__add_field(btf, "a", u32, 0, 20));
	TRY(btf__add_field(btf, "b", u32, 20, 20));

	TRY(btf__add_union(btf, "craft_ubf", 4));
	TRY(btf__add_field(btf, "lo", u32, 0, 12));
	TRY(btf__add_field(btf, "b", u8, 0, 0));

	raw = btf__raw_data(btf, &raw_sz);
	if (!raw)
		goto out;
	f = fopen(argv[1], "wb");
	if (!f)
		goto out;
	if (fwrite(raw, 1, raw_sz, f) == raw_sz)
		rc = 0;
	if (fclose(f))
		rc = 1;
out:
	btf__free(btf);
	return rc;
}
