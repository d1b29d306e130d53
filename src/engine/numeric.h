/* SPDX-License-Identifier: MIT */
/*
 * Engine-private: the numeric helpers of the interpreter (interp.c). Values
 * live in 64-bit slots as bit patterns; these convert them to and from
 * floats, and give Wasm's semantics where C's differ: min/max with NaN and
 * signed zeros, rotates by any count, and saturating float-to-int truncation.
 */
#ifndef WB_ENGINE_NUMERIC_H
#define WB_ENGINE_NUMERIC_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline float f32_of(uint64_t v)
{
	uint32_t u = (uint32_t)v;
	float f;

	memcpy(&f, &u, 4);
	return f;
}

static inline uint64_t of_f32(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

static inline double f64_of(uint64_t v)
{
	double d;

	memcpy(&d, &v, 8);
	return d;
}

static inline uint64_t of_f64(double d)
{
	uint64_t u;

	memcpy(&u, &d, 8);
	return u;
}

static inline uint64_t f32_min(uint64_t x, uint64_t y)
{
	float a = f32_of(x), b = f32_of(y);

	if (a != a || b != b)
		return of_f32(a + b);
	if (a == b)
		return (uint32_t)(x | y);
	return a < b ? (uint32_t)x : (uint32_t)y;
}

static inline uint64_t f32_max(uint64_t x, uint64_t y)
{
	float a = f32_of(x), b = f32_of(y);

	if (a != a || b != b)
		return of_f32(a + b);
	if (a == b)
		return (uint32_t)(x & y);
	return a > b ? (uint32_t)x : (uint32_t)y;
}

static inline uint64_t f64_min(uint64_t x, uint64_t y)
{
	double a = f64_of(x), b = f64_of(y);

	if (a != a || b != b)
		return of_f64(a + b);
	if (a == b)
		return x | y;
	return a < b ? x : y;
}

static inline uint64_t f64_max(uint64_t x, uint64_t y)
{
	double a = f64_of(x), b = f64_of(y);

	if (a != a || b != b)
		return of_f64(a + b);
	if (a == b)
		return x & y;
	return a > b ? x : y;
}

static inline uint32_t rotl32(uint32_t x, uint32_t k)
{
	k &= 31;
	return (x << k) | (x >> ((32 - k) & 31));
}

static inline uint32_t rotr32(uint32_t x, uint32_t k)
{
	k &= 31;
	return (x >> k) | (x << ((32 - k) & 31));
}

static inline uint64_t rotl64(uint64_t x, uint64_t k)
{
	k &= 63;
	return (x << k) | (x >> ((64 - k) & 63));
}

static inline uint64_t rotr64(uint64_t x, uint64_t k)
{
	k &= 63;
	return (x >> k) | (x << ((64 - k) & 63));
}

/* Saturating truncations. */
static inline uint64_t sat_i32_s(double d)
{
	if (d != d)
		return 0;
	if (d <= -2147483649.0)
		return (uint32_t)INT32_MIN;
	if (d >= 2147483648.0)
		return (uint32_t)INT32_MAX;
	return (uint32_t)(int32_t)d;
}

static inline uint64_t sat_i32_u(double d)
{
	if (d != d || d <= -1.0)
		return 0;
	if (d >= 4294967296.0)
		return UINT32_MAX;
	return (uint32_t)d;
}

static inline uint64_t sat_i64_s(double d)
{
	if (d != d)
		return 0;
	if (d < -9223372036854775808.0)
		return (uint64_t)INT64_MIN;
	if (d >= 9223372036854775808.0)
		return (uint64_t)INT64_MAX;
	return (uint64_t)(int64_t)d;
}

static inline uint64_t sat_i64_u(double d)
{
	if (d != d || d <= -1.0)
		return 0;
	if (d >= 18446744073709551616.0)
		return UINT64_MAX;
	return (uint64_t)d;
}

/*
 * Unary operations (WB_PUN_LIST and WB_SAT_LIST) as X(name, T, get, expr): the operand
 * a is get(slot) of type T, expr the slot value of the result. The interpreter
 * (interp.c) and the JIT's C functions (jit_ops.c) expand the same list, each
 * defining U32 and U64 as plain casts.
 */
#define WB_PUN_OPS(X) \
	X(I32_EQZ, uint32_t, U32, a == 0) \
	X(I32_CLZ, uint32_t, U32, a ? (uint32_t)__builtin_clz(a) : 32) \
	X(I32_CTZ, uint32_t, U32, a ? (uint32_t)__builtin_ctz(a) : 32) \
	X(I32_POPCNT, uint32_t, U32, (uint32_t)__builtin_popcount(a)) \
	X(I64_EQZ, uint64_t, U64, a == 0) \
	X(I64_CLZ, uint64_t, U64, a ? (uint64_t)__builtin_clzll(a) : 64) \
	X(I64_CTZ, uint64_t, U64, a ? (uint64_t)__builtin_ctzll(a) : 64) \
	X(I64_POPCNT, uint64_t, U64, (uint64_t)__builtin_popcountll(a)) \
	X(F32_ABS, uint32_t, U32, a & 0x7fffffffu) \
	X(F32_NEG, uint32_t, U32, a ^ 0x80000000u) \
	X(F32_CEIL, float, f32_of, of_f32(a != a ? a + a : ceilf(a))) \
	X(F32_FLOOR, float, f32_of, of_f32(a != a ? a + a : floorf(a))) \
	X(F32_TRUNC, float, f32_of, of_f32(a != a ? a + a : truncf(a))) \
	X(F32_NEAREST, float, f32_of, of_f32(a != a ? a + a : nearbyintf(a))) \
	X(F32_SQRT, float, f32_of, of_f32(sqrtf(a))) \
	X(F64_ABS, uint64_t, U64, a & 0x7fffffffffffffffull) \
	X(F64_NEG, uint64_t, U64, a ^ 0x8000000000000000ull) \
	X(F64_CEIL, double, f64_of, of_f64(a != a ? a + a : ceil(a))) \
	X(F64_FLOOR, double, f64_of, of_f64(a != a ? a + a : floor(a))) \
	X(F64_TRUNC, double, f64_of, of_f64(a != a ? a + a : trunc(a))) \
	X(F64_NEAREST, double, f64_of, of_f64(a != a ? a + a : nearbyint(a))) \
	X(F64_SQRT, double, f64_of, of_f64(sqrt(a))) \
	X(I64_EXTEND_I32_S, uint64_t, U64, (uint64_t)(int64_t)(int32_t)a) \
	X(I64_EXTEND_I32_U, uint64_t, U64, (uint32_t)a) \
	X(F32_CONVERT_I32_S, uint64_t, U64, of_f32((float)(int32_t)a)) \
	X(F32_CONVERT_I32_U, uint64_t, U64, of_f32((float)(uint32_t)a)) \
	X(F32_CONVERT_I64_S, uint64_t, U64, of_f32((float)(int64_t)a)) \
	X(F32_CONVERT_I64_U, uint64_t, U64, of_f32((float)a)) \
	X(F32_DEMOTE_F64, double, f64_of, of_f32((float)a)) \
	X(F64_CONVERT_I32_S, uint64_t, U64, of_f64((double)(int32_t)a)) \
	X(F64_CONVERT_I32_U, uint64_t, U64, of_f64((double)(uint32_t)a)) \
	X(F64_CONVERT_I64_S, uint64_t, U64, of_f64((double)(int64_t)a)) \
	X(F64_CONVERT_I64_U, uint64_t, U64, of_f64((double)a)) \
	X(F64_PROMOTE_F32, float, f32_of, of_f64((double)a)) \
	X(I32_EXTEND8_S, uint64_t, U64, (uint32_t)(int32_t)(int8_t)a) \
	X(I32_EXTEND16_S, uint64_t, U64, (uint32_t)(int32_t)(int16_t)a) \
	X(I64_EXTEND8_S, uint64_t, U64, (uint64_t)(int64_t)(int8_t)a) \
	X(I64_EXTEND16_S, uint64_t, U64, (uint64_t)(int64_t)(int16_t)a) \
	X(I64_EXTEND32_S, uint64_t, U64, (uint64_t)(int64_t)(int32_t)a) \
	X(REF_IS_NULL, uint64_t, U64, a == 0) \
	X(I32_TRUNC_SAT_F32_S, float, f32_of, sat_i32_s(a)) \
	X(I32_TRUNC_SAT_F32_U, float, f32_of, sat_i32_u(a)) \
	X(I32_TRUNC_SAT_F64_S, double, f64_of, sat_i32_s(a)) \
	X(I32_TRUNC_SAT_F64_U, double, f64_of, sat_i32_u(a)) \
	X(I64_TRUNC_SAT_F32_S, float, f32_of, sat_i64_s(a)) \
	X(I64_TRUNC_SAT_F32_U, float, f32_of, sat_i64_u(a)) \
	X(I64_TRUNC_SAT_F64_S, double, f64_of, sat_i64_s(a)) \
	X(I64_TRUNC_SAT_F64_U, double, f64_of, sat_i64_u(a))

/*
 * Trapping truncations as X(name, T, get, lo_ok, hi_ok, R, conv): NaN is an
 * invalid conversion, a outside lo_ok/hi_ok an overflow, else the result is
 * (R)(conv)a. Shared like WB_PUN_OPS.
 */
#define WB_TRUNC_OPS(X) \
	X(I32_TRUNC_F32_S, float, f32_of, a >= -2147483648.0f, a < 2147483648.0f, uint32_t, int32_t) \
	X(I32_TRUNC_F32_U, float, f32_of, a > -1.0f, a < 4294967296.0f, uint32_t, uint32_t) \
	X(I32_TRUNC_F64_S, double, f64_of, a > -2147483649.0, a < 2147483648.0, uint32_t, int32_t) \
	X(I32_TRUNC_F64_U, double, f64_of, a > -1.0, a < 4294967296.0, uint32_t, uint32_t) \
	X(I64_TRUNC_F32_S, float, f32_of, a >= -9223372036854775808.0f, a < 9223372036854775808.0f, uint64_t, int64_t) \
	X(I64_TRUNC_F32_U, float, f32_of, a > -1.0f, a < 18446744073709551616.0f, uint64_t, uint64_t) \
	X(I64_TRUNC_F64_S, double, f64_of, a >= -9223372036854775808.0, a < 9223372036854775808.0, uint64_t, int64_t) \
	X(I64_TRUNC_F64_U, double, f64_of, a > -1.0, a < 18446744073709551616.0, uint64_t, uint64_t)

#endif /* WB_ENGINE_NUMERIC_H */
