/* SPDX-License-Identifier: MIT */
/*
 * WASI poll_oneoff: wait for clock deadlines and fd readiness with ppoll(2).
 * Subscriptions are 48 bytes (userdata, tag, then the clock or fd body at
 * offset 16); events are 32 bytes (userdata, error, type, nbytes, flags).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_internal.h"

#define SUB_SZ 48
#define EVENT_SZ 32
#define MAX_SUBS 65536

enum { EV_CLOCK = 0, EV_FD_READ = 1, EV_FD_WRITE = 2 };

struct sub {
	uint64_t userdata;
	uint8_t tag;
	uint16_t error;		/* set: report now with this error */
	int pfd;		/* index in the pollfd array, or -1 */
	uint64_t deadline;	/* clock: absolute, on clock `clock` */
	uint32_t clock;
	struct wasi_fd *f;
};

static void put_event(uint8_t *ev, const struct sub *s, uint16_t error, uint64_t nbytes,
		      uint16_t flags)
{
	memset(ev, 0, EVENT_SZ);
	wasi_put_u64(ev, s->userdata);
	wasi_put_u16(ev + 8, error);
	ev[10] = s->tag;
	wasi_put_u64(ev + 16, nbytes);
	wasi_put_u16(ev + 24, flags);
}

/* Bytes available for reading on a ready fd (best effort). */
static uint64_t readable_bytes(struct wasi_fd *f)
{
	struct stat st;
	int n = 0;
	off_t pos;

	if (f->type == WASI_FILETYPE_REGULAR_FILE && fstat(f->host_fd, &st) == 0) {
		pos = lseek(f->host_fd, 0, SEEK_CUR);
		return pos >= 0 && st.st_size > pos ? (uint64_t)(st.st_size - pos) : 0;
	}
	if (ioctl(f->host_fd, FIONREAD, &n) == 0 && n > 0)
		return n;
	return 0;
}

WASI_FN(poll_oneoff)
{
	uint32_t in = a[0].i32, outp = a[1].i32, nsubs = a[2].i32, nev = 0, i;
	struct pollfd *pfds = NULL;
	struct sub *subs = NULL;
	const uint8_t *gin;
	uint8_t *gout;
	uint32_t npfd = 0;
	bool have_timeout = false, ready_now = false;
	uint64_t wait_ns = 0;
	int err = 0;

	if (nsubs == 0)
		return WASI_EINVAL;
	if (nsubs > MAX_SUBS)
		return WASI_ENOTSUP;
	gin = wasi_ptr(c, in, (uint64_t)nsubs * SUB_SZ);
	gout = wasi_ptr(c, outp, (uint64_t)nsubs * EVENT_SZ);
	if (!gin || !gout || !wasi_ptr(c, a[3].i32, 4))
		return WASI_EFAULT;
	subs = calloc(nsubs, sizeof(*subs));
	pfds = calloc(nsubs, sizeof(*pfds));
	if (!subs || !pfds) {
		err = WASI_ENOMEM;
		goto out;
	}

	for (i = 0; i < nsubs; i++) {
		const uint8_t *g = gin + (size_t)i * SUB_SZ;
		struct sub *s = &subs[i];

		s->userdata = wasi_get_u64(g);
		s->tag = g[8];
		s->pfd = -1;
		if (s->tag == EV_CLOCK) {
			uint64_t timeout = wasi_get_u64(g + 24), now;
			uint16_t flags = wasi_get_u16(g + 40);
			int e;

			s->clock = wasi_get_u32(g + 16);
			e = wasi_clock_now(s->clock, &now);
			if (e) {
				s->error = e;
				ready_now = true;
				continue;
			}
			if (flags & 1)
				s->deadline = timeout;
			else
				s->deadline = now + timeout < now ? UINT64_MAX : now + timeout;
			if (s->deadline <= now) {
				ready_now = true;
			} else if (!have_timeout || s->deadline - now < wait_ns) {
				wait_ns = s->deadline - now;
			}
			have_timeout = true;
		} else if (s->tag == EV_FD_READ || s->tag == EV_FD_WRITE) {
			int e = wasi_fd_get(c->w, wasi_get_u32(g + 16), WASI_R_POLL_FD_READWRITE,
					    &s->f);

			if (e) {
				s->error = e;
				ready_now = true;
				continue;
			}
			s->pfd = npfd;
			pfds[npfd].fd = s->f->host_fd;
			pfds[npfd].events = s->tag == EV_FD_READ ? POLLIN : POLLOUT;
			npfd++;
		} else {
			err = WASI_EINVAL;
			goto out;
		}
	}

	for (;;) {
		struct timespec ts, *tsp = NULL;
		int r;

		if (ready_now) {
			ts.tv_sec = 0;
			ts.tv_nsec = 0;
			tsp = &ts;
		} else if (have_timeout) {
			ts.tv_sec = wait_ns / 1000000000ull;
			ts.tv_nsec = wait_ns % 1000000000ull;
			tsp = &ts;
		}
		r = ppoll(pfds, npfd, tsp, NULL);
		if (r < 0) {
			err = wasi_errno(errno);
			goto out;
		}
		/* Collect events. */
		for (i = 0; i < nsubs; i++) {
			struct sub *s = &subs[i];
			uint8_t *ev = gout + (size_t)nev * EVENT_SZ;

			if (s->error) {
				put_event(ev, s, s->error, 0, 0);
				nev++;
			} else if (s->tag == EV_CLOCK) {
				uint64_t now = 0;

				if (!wasi_clock_now(s->clock, &now) && now >= s->deadline) {
					put_event(ev, s, 0, 0, 0);
					nev++;
				}
			} else {
				short re = pfds[s->pfd].revents;
				uint16_t fl = re & POLLHUP ? 1 : 0;

				if (!re)
					continue;
				if (re & POLLNVAL)
					put_event(ev, s, WASI_EBADF, 0, 0);
				else if ((re & POLLERR) && !(re & (POLLIN | POLLOUT)))
					put_event(ev, s, WASI_EIO, 0, fl);
				else
					put_event(ev, s, 0, s->tag == EV_FD_READ ?
						  readable_bytes(s->f) : 0, fl);
				nev++;
			}
		}
		if (nev)
			break;
		/* Woken early by a clock not yet due (coarse timers): wait again. */
		if (!have_timeout)
			continue;
		wait_ns = UINT64_MAX;
		for (i = 0; i < nsubs; i++) {
			uint64_t now = 0;

			if (subs[i].tag != EV_CLOCK)
				continue;
			wasi_clock_now(subs[i].clock, &now);
			if (subs[i].deadline <= now)
				wait_ns = 0;
			else if (subs[i].deadline - now < wait_ns)
				wait_ns = subs[i].deadline - now;
		}
	}
	err = wasi_store_u32(c, a[3].i32, nev);
out:
	free(subs);
	free(pfds);
	return err;
}
