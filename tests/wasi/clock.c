/* SPDX-License-Identifier: MIT */
/* Clocks: monotonicity, resolution, realtime sanity and sleeps that really wait. */
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "wt.h"

static long long ns(clockid_t id)
{
	struct timespec ts;

	WT_CHECK(clock_gettime(id, &ts) == 0);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long long prev, now, t0, deadline;
	struct timespec res, req, abs_ts;
	struct timeval tv;
	int i, rc, backwards = 0, bad_nsec = 0;
	volatile unsigned spin = 0;

	wt_init(argc, argv);
	prev = ns(CLOCK_MONOTONIC);
	for (i = 0; i < 20000; i++) {
		struct timespec ts;

		WT_CHECK(clock_gettime(CLOCK_MONOTONIC, &ts) == 0);
		if (ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
			bad_nsec++;
		now = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
		if (now < prev)
			backwards++;
		prev = now;
	}
	printf("monotonic: %s (backwards %d, bad nsec %d)\n", backwards || bad_nsec ? "FAIL" : "ok",
	       backwards, bad_nsec);

	WT_CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0);
	printf("monotonic res: %s\n",
	       res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000 ? "ok" : "implausible");
	WT_CHECK(clock_getres(CLOCK_REALTIME, &res) == 0);
	printf("realtime res: %s\n",
	       res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000 ? "ok" : "implausible");

	now = ns(CLOCK_REALTIME);
	printf("realtime after 2020: %s\n", now > 1577836800LL * 1000000000LL ? "ok" : "no");
	printf("time() agrees: %s\n",
	       llabs((long long)time(NULL) - now / 1000000000LL) <= 2 ? "ok" : "no");
	WT_CHECK(gettimeofday(&tv, NULL) == 0);
	printf("gettimeofday agrees: %s\n", llabs((long long)tv.tv_sec - now / 1000000000LL) <= 2 &&
						    tv.tv_usec >= 0 && tv.tv_usec < 1000000
						? "ok"
						: "no");

	t0 = ns(CLOCK_MONOTONIC);
	req.tv_sec = 0;
	req.tv_nsec = 20 * 1000000L;
	WT_CHECK(nanosleep(&req, NULL) == 0);
	now = ns(CLOCK_MONOTONIC);
	printf("nanosleep 20ms: %s\n",
	       now - t0 >= 20000000LL && now - t0 < 5000000000LL ? "ok" : "no");

	t0 = ns(CLOCK_MONOTONIC);
	WT_CHECK(usleep(15000) == 0);
	now = ns(CLOCK_MONOTONIC);
	printf("usleep 15ms: %s\n",
	       now - t0 >= 15000000LL && now - t0 < 5000000000LL ? "ok" : "no");

	deadline = ns(CLOCK_MONOTONIC) + 25000000LL;
	abs_ts.tv_sec = deadline / 1000000000LL;
	abs_ts.tv_nsec = deadline % 1000000000LL;
	WT_CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs_ts, NULL) == 0);
	printf("absolute sleep: %s\n", ns(CLOCK_MONOTONIC) >= deadline ? "ok" : "woke early");

	req.tv_sec = 0;
	req.tv_nsec = 0;
	printf("nanosleep 0: %d\n", nanosleep(&req, NULL));
	req.tv_nsec = 1000000000L;
	errno = 0;
	rc = nanosleep(&req, NULL);
	printf("nanosleep bad nsec: %d %s\n", rc, wt_errname(errno));

	t0 = ns(CLOCK_PROCESS_CPUTIME_ID);
	for (i = 0; i < 3000000; i++)
		spin += (unsigned)i;
	now = ns(CLOCK_PROCESS_CPUTIME_ID);
	printf("process cputime: %s\n", now >= t0 && t0 >= 0 && spin != 1 ? "ok" : "no");
	return 0;
}
