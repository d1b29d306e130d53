/* SPDX-License-Identifier: MIT */
/* Calendar conversions of fixed timestamps with gmtime and strftime. */
#include <time.h>
#include "wt.h"

int main(int argc, char **argv)
{
	static const long long stamps[] = {0,	       86399,	   951782400,	1000000000,
					   1234567890, 2147483647, 4102444800LL};
	char buf[128];
	size_t i;

	wt_init(argc, argv);
	for (i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++) {
		time_t t = (time_t)stamps[i];
		struct tm tm;

		WT_CHECK(gmtime_r(&t, &tm) != NULL);
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %a %b %j %U %w %y %%", &tm);
		printf("%lld: %s wday %d yday %d\n", stamps[i], buf, tm.tm_wday, tm.tm_yday);
	}
	{
		struct tm tm = {.tm_year = 124, .tm_mon = 1, .tm_mday = 29, .tm_hour = 12};

		strftime(buf, sizeof(buf), "%A %B %d %e %I %p", &tm);
		printf("tm: %s\n", buf);
		printf("strftime tiny: %zu\n", strftime(buf, 4, "%Y-%m-%d", &tm));
	}
	printf("difftime %.1f\n", difftime((time_t)100, (time_t)40));
	return 0;
}
