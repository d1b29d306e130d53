/* SPDX-License-Identifier: MIT */
/* Engine-private: a listing of compiled code (dump.c; only with -DWB_DUMP_CODE). */
#ifndef WB_ENGINE_DUMP_H
#define WB_ENGINE_DUMP_H

#include <stdbool.h>
#include <stdint.h>

#include "code.h"

/* The name of an internal opcode (also built with -DWB_PROFILE_OPS). */
const char *wb_dump__op_name(uint32_t op);
bool wb_dump__wanted(uint32_t func_idx);
void wb_dump__code(uint32_t func_idx, const wb_cell *code, uint32_t len,
		   const uint32_t *at, const uint32_t *op, uint32_t cnt, uint32_t base);

#endif /* WB_ENGINE_DUMP_H */
