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

#endif /* WB_ENGINE_NUMERIC_H */
