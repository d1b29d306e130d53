/* SPDX-License-Identifier: MIT */
/*
 * WASI clocks (clock_res_get, clock_time_get) and random_get.
 */
#include <errno.h>
#include <sys/random.h>
#include <time.h>

#include "wasi_internal.h"

static int host_clock(uint32_t id, clockid_t *out)
{
	switch (id) {
	case 0: *out = CLOCK_REALTIME; return 0;
	case 1: *out = CLOCK_MONOTONIC; return 0;
	case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return 0;
	case 3: *out = CLOCK_THREAD_CPUTIME_ID; return 0;
	default: return WASI_EINVAL;
	}
}

int wasi_clock_now(uint32_t id, uint64_t *ns)
{
	struct timespec ts;
	clockid_t cid;
	int err = host_clock(id, &cid);

	if (err)
		return err;
	if (clock_gettime(cid, &ts))
		return wasi_errno(errno);
	*ns = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
	return 0;
}

WASI_FN(clock_res_get)
{
	struct timespec ts;
	clockid_t cid;
	int err = host_clock(a[0].i32, &cid);

	if (err)
		return err;
	if (clock_getres(cid, &ts))
		return wasi_errno(errno);
	return wasi_store_u64(c, a[1].i32, (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec);
}

WASI_FN(clock_time_get)
{
	uint64_t ns = 0;
	int err = wasi_clock_now(a[0].i32, &ns);

	if (err)
		return err;
	return wasi_store_u64(c, a[2].i32, ns);
}

WASI_FN(random_get)
{
	uint8_t *p = wasi_ptr(c, a[0].i32, a[1].i32);
	size_t len = a[1].i32, done = 0;

	if (!p)
		return WASI_EFAULT;
	while (done < len) {
		ssize_t n = getrandom(p + done, len - done, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return wasi_errno(errno);
		}
		done += n;
	}
	return 0;
}
