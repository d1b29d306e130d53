/* SPDX-License-Identifier: MIT */
/*
 * A listing of compiled code, for engine work: built only with
 * -DWB_DUMP_CODE (`make CFLAGS="-O2 -g -DWB_DUMP_CODE"`), then
 * WB_DUMP=FUNC_INDEX (or "all") prints each compiled function to stderr.
 * The opcode names are shared with the dispatch profile (prof.c).
 */
#if defined(WB_DUMP_CODE) || defined(WB_PROFILE_OPS)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "dump.h"


static const char *const names[WB_I__COUNT] = {
#define WB_X(n) #n,
	WB_MISC_LIST(WB_X)
	WB_SIMPLE_LIST(WB_X)
	WB_PBIN_LIST(WB_X)
	WB_PUN_LIST(WB_X)
	WB_SAT_LIST(WB_X)
	WB_LOAD_LIST(WB_X)
	WB_STORE_LIST(WB_X)
#undef WB_X
#define WB_X(n) "I32_" #n, "I32_" #n "_I", "I64_" #n, "I64_" #n "_I",
	WB_IBIN_LIST(WB_X)
#undef WB_X
#define WB_X(n) "BR_I32_" #n, "BR_I32_" #n "_I", "BR_I64_" #n, "BR_I64_" #n "_I",
	WB_ICMP_LIST(WB_X)
#undef WB_X
#define WB_X(n) #n "_K", #n "_X",
	WB_LOAD_LIST(WB_X)
	WB_STORE_LIST(WB_X)
#undef WB_X
#define WB_X(n) "INCBR_I32_" #n, "INCBR_I32_" #n "_I",
	WB_ICMP_LIST(WB_X)
#undef WB_X
#define WB_X(n) #n "_XW", #n "_KW",
	WB_LOAD_LIST(WB_X)
	WB_STORE_LIST(WB_X)
#undef WB_X
#define WB_X(n) "I32_" #n "_ST", "I32_" #n "_STK",
	WB_OPST_LIST(WB_X)
#undef WB_X
#define WB_X(n) #n "_SX",
	WB_LOAD_LIST(WB_X)
#undef WB_X
#define WB_X(n) "INCBRS_I32_" #n, "INCBRS_I32_" #n "_I",
	WB_ICMP_LIST(WB_X)
#undef WB_X
#define WB_X(n) "I32_" #n "_A", "I32_" #n "_IA",
	WB_ACC_LIST(WB_X)
#undef WB_X
#define WB_X(a, b, n, k) "P_" #a "+" #b,
	WB_PAIR_LIST(WB_X)
#undef WB_X
};

const char *wb_dump__op_name(uint32_t op)
{
	return op < WB_I__COUNT ? names[op] : "?";
}
#endif

#ifdef WB_DUMP_CODE
bool wb_dump__wanted(uint32_t func_idx)
{
	const char *s = getenv("WB_DUMP");

	if (!s)
		return false;
	return !strcmp(s, "all") || strtoul(s, NULL, 0) == func_idx;
}

void wb_dump__code(uint32_t func_idx, const wb_cell *code, uint32_t len,
		   const uint32_t *at, const uint32_t *op, uint32_t cnt, uint32_t base)
{
	uint32_t i, j;

	fprintf(stderr, "func %u: %u cells, %u instructions, operand base slot %u\n",
		func_idx, len, cnt, base);
	for (i = 0; i < cnt; i++) {
		uint32_t end = i + 1 < cnt ? at[i + 1] : len;
		uint64_t o = at[i] + 1 < end ? code[at[i] + 1] : 0;

		fprintf(stderr, "%6u  %-16s", at[i], wb_dump__op_name(op[i]));
		if (at[i] + 1 < end)
			fprintf(stderr, " f0=%u f1=%u f2=%u f3=%u hi=%d", WB_F0(o), WB_F1(o),
				WB_F2(o), WB_F3(o), (int32_t)WB_HI(o));
		for (j = at[i] + 2; j < end; j++)
			fprintf(stderr, " [%lld]", (long long)code[j]);
		fputc('\n', stderr);
	}
}
#endif
