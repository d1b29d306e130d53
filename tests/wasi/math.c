/* SPDX-License-Identifier: MIT */
/* Floating-point and integer arithmetic: exact operations in full, libm to 12 digits. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include "wt.h"

static volatile double vz = 0.0, vone = 1.0, vthree = 3.0;

int main(int argc, char **argv)
{
	static const double xs[] = {0.0,  0.5,	1.0,  2.0,   2.5,  -2.5,
				    3.75, 10.0, 1e10, -7.25, 1e-7, 123.456};
	volatile int64_t big = INT64_MAX, small = INT64_MIN;
	volatile uint32_t u = 0xffffffffu;
	volatile int32_t i32 = -7;
	volatile float f = 16777216.0f;
	double ip, fr;
	int e;
	size_t i;

	wt_init(argc, argv);
	for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
		double x = xs[i];

		printf("x=%g sqrt %.17g floor %g ceil %g round %g trunc %g rint %g fabs %g\n", x,
		       sqrt(fabs(x)), floor(x), ceil(x), round(x), trunc(x), rint(x), fabs(x));
		printf("  fmod3 %.17g remainder3 %.17g ldexp %.17g cbrt %.12g\n", fmod(x, 3.0),
		       remainder(x, 3.0), ldexp(x, -3), cbrt(x));
		printf("  exp %.12g log %.12g sin %.12g cos %.12g atan %.12g pow1.5 %.12g\n",
		       exp(x > 700 ? 1 : x), x > 0 ? log(x) : 0.0, sin(x), cos(x), atan(x),
		       pow(fabs(x), 1.5));
	}
	fr = frexp(48.0, &e);
	printf("frexp 48 = %g * 2^%d\n", fr, e);
	fr = modf(-3.25, &ip);
	printf("modf -3.25 = %g + %g\n", ip, fr);
	printf("hypot %g copysign %g nextafter %.17g fmin %g fmax %g\n", hypot(3, 4),
	       copysign(2.0, -0.0), nextafter(1.0, 2.0), fmin(-1.0, NAN), fmax(NAN, 4.0));
	printf("1/0 %g -1/0 %g 0/0 isnan %d signbit(-0.0) %d\n", vone / vz, -vone / vz,
	       isnan(vz / vz), signbit(-vz) != 0);
	printf("1/3 %.17g float(1/3) %.9g\n", vone / vthree, (double)(float)(vone / vthree));
	printf("DBL_EPSILON %g DBL_MAX %g DBL_MIN %g FLT_MAX %g\n", DBL_EPSILON, DBL_MAX, DBL_MIN,
	       (double)FLT_MAX);
	printf("float rounding %.1f %.1f\n", (double)(f + 1.0f), (double)(f + 2.0f));
	printf("int64 wrap %lld %lld\n", (long long)(int64_t)((uint64_t)big + 1),
	       (long long)(int64_t)((uint64_t)small - 1));
	printf("uint32 wrap %u %u\n", u + 1u, (uint32_t)(u * u));
	printf("div %d %d mod %d %d\n", i32 / 2, -i32 / 2, i32 % 3, -i32 % 3);
	printf("shifts %u %d %llu\n", u >> 31, i32 >> 1, (unsigned long long)1 << 63);
	printf("conversions %d %d %lld %u\n", (int)2.99, (int)-2.99, (long long)1e18,
	       (unsigned)(double)4000000000.0);
	printf("int64 to double %.17g %.17g\n", (double)(int64_t)9007199254740993LL,
	       (double)INT64_MAX);
	printf("lround %ld %ld llrint %lld\n", lround(2.5), lround(-2.5), llrint(2.5));
	return 0;
}
