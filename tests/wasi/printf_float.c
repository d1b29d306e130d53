/* SPDX-License-Identifier: MIT */
/* printf of doubles: %f/%e/%g edge cases, rounding, infinities and NaN. */
#include <float.h>
#include <math.h>
#include "wt.h"

static const double vals[] = {
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.1,
    0.5,
    1.5,
    2.5,
    0.125,
    1e-5,
    1e-4,
    9.9999e-5,
    0.00012345,
    123456.0,
    999999.5,
    1234567.0,
    1e15,
    1e16,
    1e21,
    1e100,
    -1e-100,
    3.141592653589793,
    2.718281828459045,
    1.0 / 3.0,
    2.0 / 3.0,
    100.0,
    1e-300,
    DBL_MAX,
    DBL_MIN,
    4.9406564584124654e-324,
    9007199254740993.0,
    0.3,
    5e-324 * 3,
};

int main(int argc, char **argv)
{
	size_t i;
	double r;

	wt_init(argc, argv);
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		double v = vals[i];

		printf("%zu: [%f] [%e] [%g] [%G] [%E]\n", i, v, v, v, v, v);
		printf("%zu: [%.0f] [%.1f] [%.3e] [%.0e] [%.17g] [%.1g] [%#.0f]\n", i, v, v, v, v,
		       v, v, v);
		printf("%zu: [%12.4f] [%-12.3g|] [%+e] [% g] [%012.3f] [%.20e]\n", i, v, v, v, v, v,
		       v);
	}
	printf("[%f] [%e] [%g] [%F] [%5.1f] [%-6g|] [%+g]\n", INFINITY, -INFINITY, INFINITY,
	       INFINITY, -INFINITY, INFINITY, INFINITY);
	printf("[%f] [%g] [%e] [%F]\n", NAN, NAN, NAN, NAN);
	printf("[%.0f] [%.0f] [%.0f] [%.0f] [%.1f] [%.2f]\n", 0.5, 1.5, 2.5, -0.5, 0.05, 0.125);
	/* Not 999999.5: glibc drops the zeros of %#g when rounding bumps the exponent. */
	printf("[%#g] [%#g] [%#g] [%#g] [%#.3g]\n", 1.0, 0.5, 123456.0, 1e-5, 2.0);
	printf("[%.30f]\n", 0.1);
	printf("[%.60f]\n", DBL_MIN);
	printf("[%.0f]\n", DBL_MAX);
	printf("[%a] [%a] [%a] [%A]\n", 1.0, 0.5, -3.75, 1024.0);
	printf("[%.3g] [%.3g] [%.3g] [%.3g]\n", 99.95, 999.5, 0.0009995, 1e-4);
	printf("[%g] [%g] [%g]\n", 1e-5, 123456789.0, 0.0001);
	/* float arguments are promoted to double. */
	printf("[%f] [%g]\n", (float)0.1, (float)16777217.0);
	r = 0.0;
	for (i = 0; i < 1000; i++)
		r += 0.001;
	printf("sum %.17g\n", r);
	printf("strtod %.17g %.17g %.17g\n", strtod("0.1", NULL), strtod("1e-320", NULL),
	       strtod("-2.5e+10", NULL));
	return 0;
}
