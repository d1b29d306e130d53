/* SPDX-License-Identifier: MIT */
/*
 * Opcodes of the WebAssembly 2.0 binary format (without SIMD), as an X-macro
 * list so that the validator, the compiler and debugging aids share one table.
 * X(NAME, byte, "text name"). 0xFC-prefixed opcodes are in WB_FC_OPCODES with
 * their LEB128 sub-opcode.
 */
#ifndef WB_ENGINE_OPCODES_H
#define WB_ENGINE_OPCODES_H

#define WB_OPCODES(X) \
	X(UNREACHABLE, 0x00, "unreachable") \
	X(NOP, 0x01, "nop") \
	X(BLOCK, 0x02, "block") \
	X(LOOP, 0x03, "loop") \
	X(IF, 0x04, "if") \
	X(ELSE, 0x05, "else") \
	X(END, 0x0b, "end") \
	X(BR, 0x0c, "br") \
	X(BR_IF, 0x0d, "br_if") \
	X(BR_TABLE, 0x0e, "br_table") \
	X(RETURN, 0x0f, "return") \
	X(CALL, 0x10, "call") \
	X(CALL_INDIRECT, 0x11, "call_indirect") \
	X(DROP, 0x1a, "drop") \
	X(SELECT, 0x1b, "select") \
	X(SELECT_T, 0x1c, "select_t") \
	X(LOCAL_GET, 0x20, "local.get") \
	X(LOCAL_SET, 0x21, "local.set") \
	X(LOCAL_TEE, 0x22, "local.tee") \
	X(GLOBAL_GET, 0x23, "global.get") \
	X(GLOBAL_SET, 0x24, "global.set") \
	X(TABLE_GET, 0x25, "table.get") \
	X(TABLE_SET, 0x26, "table.set") \
	X(I32_LOAD, 0x28, "i32.load") \
	X(I64_LOAD, 0x29, "i64.load") \
	X(F32_LOAD, 0x2a, "f32.load") \
	X(F64_LOAD, 0x2b, "f64.load") \
	X(I32_LOAD8_S, 0x2c, "i32.load8_s") \
	X(I32_LOAD8_U, 0x2d, "i32.load8_u") \
	X(I32_LOAD16_S, 0x2e, "i32.load16_s") \
	X(I32_LOAD16_U, 0x2f, "i32.load16_u") \
	X(I64_LOAD8_S, 0x30, "i64.load8_s") \
	X(I64_LOAD8_U, 0x31, "i64.load8_u") \
	X(I64_LOAD16_S, 0x32, "i64.load16_s") \
	X(I64_LOAD16_U, 0x33, "i64.load16_u") \
	X(I64_LOAD32_S, 0x34, "i64.load32_s") \
	X(I64_LOAD32_U, 0x35, "i64.load32_u") \
	X(I32_STORE, 0x36, "i32.store") \
	X(I64_STORE, 0x37, "i64.store") \
	X(F32_STORE, 0x38, "f32.store") \
	X(F64_STORE, 0x39, "f64.store") \
	X(I32_STORE8, 0x3a, "i32.store8") \
	X(I32_STORE16, 0x3b, "i32.store16") \
	X(I64_STORE8, 0x3c, "i64.store8") \
	X(I64_STORE16, 0x3d, "i64.store16") \
	X(I64_STORE32, 0x3e, "i64.store32") \
	X(MEMORY_SIZE, 0x3f, "memory.size") \
	X(MEMORY_GROW, 0x40, "memory.grow") \
	X(I32_CONST, 0x41, "i32.const") \
	X(I64_CONST, 0x42, "i64.const") \
	X(F32_CONST, 0x43, "f32.const") \
	X(F64_CONST, 0x44, "f64.const") \
	X(I32_EQZ, 0x45, "i32.eqz") \
	X(I32_EQ, 0x46, "i32.eq") \
	X(I32_NE, 0x47, "i32.ne") \
	X(I32_LT_S, 0x48, "i32.lt_s") \
	X(I32_LT_U, 0x49, "i32.lt_u") \
	X(I32_GT_S, 0x4a, "i32.gt_s") \
	X(I32_GT_U, 0x4b, "i32.gt_u") \
	X(I32_LE_S, 0x4c, "i32.le_s") \
	X(I32_LE_U, 0x4d, "i32.le_u") \
	X(I32_GE_S, 0x4e, "i32.ge_s") \
	X(I32_GE_U, 0x4f, "i32.ge_u") \
	X(I64_EQZ, 0x50, "i64.eqz") \
	X(I64_EQ, 0x51, "i64.eq") \
	X(I64_NE, 0x52, "i64.ne") \
	X(I64_LT_S, 0x53, "i64.lt_s") \
	X(I64_LT_U, 0x54, "i64.lt_u") \
	X(I64_GT_S, 0x55, "i64.gt_s") \
	X(I64_GT_U, 0x56, "i64.gt_u") \
	X(I64_LE_S, 0x57, "i64.le_s") \
	X(I64_LE_U, 0x58, "i64.le_u") \
	X(I64_GE_S, 0x59, "i64.ge_s") \
	X(I64_GE_U, 0x5a, "i64.ge_u") \
	X(F32_EQ, 0x5b, "f32.eq") \
	X(F32_NE, 0x5c, "f32.ne") \
	X(F32_LT, 0x5d, "f32.lt") \
	X(F32_GT, 0x5e, "f32.gt") \
	X(F32_LE, 0x5f, "f32.le") \
	X(F32_GE, 0x60, "f32.ge") \
	X(F64_EQ, 0x61, "f64.eq") \
	X(F64_NE, 0x62, "f64.ne") \
	X(F64_LT, 0x63, "f64.lt") \
	X(F64_GT, 0x64, "f64.gt") \
	X(F64_LE, 0x65, "f64.le") \
	X(F64_GE, 0x66, "f64.ge") \
	X(I32_CLZ, 0x67, "i32.clz") \
	X(I32_CTZ, 0x68, "i32.ctz") \
	X(I32_POPCNT, 0x69, "i32.popcnt") \
	X(I32_ADD, 0x6a, "i32.add") \
	X(I32_SUB, 0x6b, "i32.sub") \
	X(I32_MUL, 0x6c, "i32.mul") \
	X(I32_DIV_S, 0x6d, "i32.div_s") \
	X(I32_DIV_U, 0x6e, "i32.div_u") \
	X(I32_REM_S, 0x6f, "i32.rem_s") \
	X(I32_REM_U, 0x70, "i32.rem_u") \
	X(I32_AND, 0x71, "i32.and") \
	X(I32_OR, 0x72, "i32.or") \
	X(I32_XOR, 0x73, "i32.xor") \
	X(I32_SHL, 0x74, "i32.shl") \
	X(I32_SHR_S, 0x75, "i32.shr_s") \
	X(I32_SHR_U, 0x76, "i32.shr_u") \
	X(I32_ROTL, 0x77, "i32.rotl") \
	X(I32_ROTR, 0x78, "i32.rotr") \
	X(I64_CLZ, 0x79, "i64.clz") \
	X(I64_CTZ, 0x7a, "i64.ctz") \
	X(I64_POPCNT, 0x7b, "i64.popcnt") \
	X(I64_ADD, 0x7c, "i64.add") \
	X(I64_SUB, 0x7d, "i64.sub") \
	X(I64_MUL, 0x7e, "i64.mul") \
	X(I64_DIV_S, 0x7f, "i64.div_s") \
	X(I64_DIV_U, 0x80, "i64.div_u") \
	X(I64_REM_S, 0x81, "i64.rem_s") \
	X(I64_REM_U, 0x82, "i64.rem_u") \
	X(I64_AND, 0x83, "i64.and") \
	X(I64_OR, 0x84, "i64.or") \
	X(I64_XOR, 0x85, "i64.xor") \
	X(I64_SHL, 0x86, "i64.shl") \
	X(I64_SHR_S, 0x87, "i64.shr_s") \
	X(I64_SHR_U, 0x88, "i64.shr_u") \
	X(I64_ROTL, 0x89, "i64.rotl") \
	X(I64_ROTR, 0x8a, "i64.rotr") \
	X(F32_ABS, 0x8b, "f32.abs") \
	X(F32_NEG, 0x8c, "f32.neg") \
	X(F32_CEIL, 0x8d, "f32.ceil") \
	X(F32_FLOOR, 0x8e, "f32.floor") \
	X(F32_TRUNC, 0x8f, "f32.trunc") \
	X(F32_NEAREST, 0x90, "f32.nearest") \
	X(F32_SQRT, 0x91, "f32.sqrt") \
	X(F32_ADD, 0x92, "f32.add") \
	X(F32_SUB, 0x93, "f32.sub") \
	X(F32_MUL, 0x94, "f32.mul") \
	X(F32_DIV, 0x95, "f32.div") \
	X(F32_MIN, 0x96, "f32.min") \
	X(F32_MAX, 0x97, "f32.max") \
	X(F32_COPYSIGN, 0x98, "f32.copysign") \
	X(F64_ABS, 0x99, "f64.abs") \
	X(F64_NEG, 0x9a, "f64.neg") \
	X(F64_CEIL, 0x9b, "f64.ceil") \
	X(F64_FLOOR, 0x9c, "f64.floor") \
	X(F64_TRUNC, 0x9d, "f64.trunc") \
	X(F64_NEAREST, 0x9e, "f64.nearest") \
	X(F64_SQRT, 0x9f, "f64.sqrt") \
	X(F64_ADD, 0xa0, "f64.add") \
	X(F64_SUB, 0xa1, "f64.sub") \
	X(F64_MUL, 0xa2, "f64.mul") \
	X(F64_DIV, 0xa3, "f64.div") \
	X(F64_MIN, 0xa4, "f64.min") \
	X(F64_MAX, 0xa5, "f64.max") \
	X(F64_COPYSIGN, 0xa6, "f64.copysign") \
	X(I32_WRAP_I64, 0xa7, "i32.wrap_i64") \
	X(I32_TRUNC_F32_S, 0xa8, "i32.trunc_f32_s") \
	X(I32_TRUNC_F32_U, 0xa9, "i32.trunc_f32_u") \
	X(I32_TRUNC_F64_S, 0xaa, "i32.trunc_f64_s") \
	X(I32_TRUNC_F64_U, 0xab, "i32.trunc_f64_u") \
	X(I64_EXTEND_I32_S, 0xac, "i64.extend_i32_s") \
	X(I64_EXTEND_I32_U, 0xad, "i64.extend_i32_u") \
	X(I64_TRUNC_F32_S, 0xae, "i64.trunc_f32_s") \
	X(I64_TRUNC_F32_U, 0xaf, "i64.trunc_f32_u") \
	X(I64_TRUNC_F64_S, 0xb0, "i64.trunc_f64_s") \
	X(I64_TRUNC_F64_U, 0xb1, "i64.trunc_f64_u") \
	X(F32_CONVERT_I32_S, 0xb2, "f32.convert_i32_s") \
	X(F32_CONVERT_I32_U, 0xb3, "f32.convert_i32_u") \
	X(F32_CONVERT_I64_S, 0xb4, "f32.convert_i64_s") \
	X(F32_CONVERT_I64_U, 0xb5, "f32.convert_i64_u") \
	X(F32_DEMOTE_F64, 0xb6, "f32.demote_f64") \
	X(F64_CONVERT_I32_S, 0xb7, "f64.convert_i32_s") \
	X(F64_CONVERT_I32_U, 0xb8, "f64.convert_i32_u") \
	X(F64_CONVERT_I64_S, 0xb9, "f64.convert_i64_s") \
	X(F64_CONVERT_I64_U, 0xba, "f64.convert_i64_u") \
	X(F64_PROMOTE_F32, 0xbb, "f64.promote_f32") \
	X(I32_REINTERPRET_F32, 0xbc, "i32.reinterpret_f32") \
	X(I64_REINTERPRET_F64, 0xbd, "i64.reinterpret_f64") \
	X(F32_REINTERPRET_I32, 0xbe, "f32.reinterpret_i32") \
	X(F64_REINTERPRET_I64, 0xbf, "f64.reinterpret_i64") \
	X(I32_EXTEND8_S, 0xc0, "i32.extend8_s") \
	X(I32_EXTEND16_S, 0xc1, "i32.extend16_s") \
	X(I64_EXTEND8_S, 0xc2, "i64.extend8_s") \
	X(I64_EXTEND16_S, 0xc3, "i64.extend16_s") \
	X(I64_EXTEND32_S, 0xc4, "i64.extend32_s") \
	X(REF_NULL, 0xd0, "ref.null") \
	X(REF_IS_NULL, 0xd1, "ref.is_null") \
	X(REF_FUNC, 0xd2, "ref.func") \

#define WB_FC_OPCODES(X) \
	X(I32_TRUNC_SAT_F32_S, 0x00, "i32.trunc_sat_f32_s") \
	X(I32_TRUNC_SAT_F32_U, 0x01, "i32.trunc_sat_f32_u") \
	X(I32_TRUNC_SAT_F64_S, 0x02, "i32.trunc_sat_f64_s") \
	X(I32_TRUNC_SAT_F64_U, 0x03, "i32.trunc_sat_f64_u") \
	X(I64_TRUNC_SAT_F32_S, 0x04, "i64.trunc_sat_f32_s") \
	X(I64_TRUNC_SAT_F32_U, 0x05, "i64.trunc_sat_f32_u") \
	X(I64_TRUNC_SAT_F64_S, 0x06, "i64.trunc_sat_f64_s") \
	X(I64_TRUNC_SAT_F64_U, 0x07, "i64.trunc_sat_f64_u") \
	X(MEMORY_INIT, 0x08, "memory.init") \
	X(DATA_DROP, 0x09, "data.drop") \
	X(MEMORY_COPY, 0x0a, "memory.copy") \
	X(MEMORY_FILL, 0x0b, "memory.fill") \
	X(TABLE_INIT, 0x0c, "table.init") \
	X(ELEM_DROP, 0x0d, "elem.drop") \
	X(TABLE_COPY, 0x0e, "table.copy") \
	X(TABLE_GROW, 0x0f, "table.grow") \
	X(TABLE_SIZE, 0x10, "table.size") \
	X(TABLE_FILL, 0x11, "table.fill") \

enum wb_opcode {
#define WB_X(name, byte, text) WB_OP_##name = byte,
	WB_OPCODES(WB_X)
#undef WB_X
	WB_OP_PREFIX_FC = 0xfc,
	WB_OP_PREFIX_SIMD = 0xfd,
};

enum wb_fc_opcode {
#define WB_X(name, byte, text) WB_FC_##name = byte,
	WB_FC_OPCODES(WB_X)
#undef WB_X
};

/* Block type byte meaning "no result" (0x40); other single bytes are valtypes,
 * anything else is a signed LEB128 type index. */
#define WB_BLOCKTYPE_EMPTY 0x40

#endif /* WB_ENGINE_OPCODES_H */
