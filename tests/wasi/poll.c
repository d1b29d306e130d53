/* SPDX-License-Identifier: MIT */
/* poll(): timeouts that wait, a readable regular file, a writable stdout. */
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include "wt.h"

static long long ms_now(void)
{
	struct timespec ts;

	WT_CHECK(clock_gettime(CLOCK_MONOTONIC, &ts) == 0);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	struct pollfd p[2];
	long long t0, dt;
	int fd, rc;

	wt_init(argc, argv);
	t0 = ms_now();
	rc = poll(NULL, 0, 30);
	dt = ms_now() - t0;
	printf("poll(nothing, 30ms): rc %d waited %s\n", rc,
	       dt >= 29 && dt < 5000 ? "ok" : "wrong");

	fd = open(wt_path("data"), O_CREAT | O_RDWR, 0644);
	WT_CHECK(fd >= 0);
	WT_CHECK(write(fd, "abc", 3) == 3);
	WT_CHECK(lseek(fd, 0, SEEK_SET) == 0);
	p[0].fd = fd;
	p[0].events = POLLIN;
	p[0].revents = 0;
	p[1].fd = 1;
	p[1].events = POLLOUT;
	p[1].revents = 0;
	t0 = ms_now();
	rc = poll(p, 2, 5000);
	dt = ms_now() - t0;
	printf("poll(file in, stdout out): rc %d in %d out %d fast %d\n", rc,
	       !!(p[0].revents & POLLIN), !!(p[1].revents & POLLOUT), dt < 1000);
	close(fd);
	printf("sched_yield: %d\n", sched_yield());
	return 0;
}
