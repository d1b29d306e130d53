/* SPDX-License-Identifier: MIT */
/*
 * WASI proc_raise, sched_yield and the sock_* functions, which work on
 * sockets the guest inherited (stdio, or fds it accepted from them).
 * proc_exit is defined in wasi.c (it ends the call instead of returning).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_internal.h"

/* Raising a signal would act on the host process; unsupported. */
WASI_FN(proc_raise)
{
	return WASI_ENOSYS;
}

WASI_FN(sched_yield)
{
	sched_yield();
	return 0;
}

static int get_sock(struct wasi_ctx *c, uint32_t fd, uint64_t need, struct wasi_fd **out)
{
	int err = wasi_fd_get(c->w, fd, need, out);

	if (err)
		return err;
	if ((*out)->type != WASI_FILETYPE_SOCKET_STREAM &&
	    (*out)->type != WASI_FILETYPE_SOCKET_DGRAM)
		return WASI_ENOTSOCK;
	return 0;
}

WASI_FN(sock_accept)
{
	uint32_t flags = a[1].i32, gfd;
	struct wasi_fd *f, nf = { 0 };
	int err;

	err = get_sock(c, a[0].i32, WASI_R_SOCK_ACCEPT, &f);
	if (err)
		return err;
	if (flags & ~(uint32_t)WASI_FDFLAG_NONBLOCK)
		return WASI_EINVAL;
	if (!wasi_ptr(c, a[2].i32, 4))
		return WASI_EFAULT;
	nf.host_fd = accept4(f->host_fd, NULL, NULL,
			     SOCK_CLOEXEC | (flags & WASI_FDFLAG_NONBLOCK ? SOCK_NONBLOCK : 0));
	if (nf.host_fd < 0)
		return wasi_errno(errno);
	nf.owned = true;
	nf.type = WASI_FILETYPE_SOCKET_STREAM;
	nf.flags = flags;
	nf.rights = WASI_R_FD_READ | WASI_R_FD_WRITE | WASI_R_FD_FDSTAT_SET_FLAGS |
		    WASI_R_FD_FILESTAT_GET | WASI_R_POLL_FD_READWRITE | WASI_R_SOCK_SHUTDOWN;
	err = wasi_fd_install(c->w, &nf, &gfd);
	if (err) {
		close(nf.host_fd);
		return err;
	}
	return wasi_store_u32(c, a[2].i32, gfd);
}

WASI_FN(sock_recv)
{
	uint32_t riflags = a[3].i32;
	struct msghdr msg = { 0 };
	struct iovec small[WASI_SMALL_IOVS], *iov = NULL;
	struct wasi_fd *f;
	size_t total;
	ssize_t n;
	int err, fl = 0;

	err = get_sock(c, a[0].i32, WASI_R_FD_READ, &f);
	if (err)
		return err;
	if (riflags & ~3u)
		return WASI_EINVAL;
	if (!wasi_ptr(c, a[4].i32, 4) || !wasi_ptr(c, a[5].i32, 2))
		return WASI_EFAULT;
	err = wasi_iovecs(c, a[1].i32, a[2].i32, small, WASI_SMALL_IOVS, &iov, &total);
	if (err)
		return err;
	if (riflags & 1)
		fl |= MSG_PEEK;
	if (riflags & 2)
		fl |= MSG_WAITALL;
	msg.msg_iov = iov;
	msg.msg_iovlen = a[2].i32;
	n = recvmsg(f->host_fd, &msg, fl);
	if (n < 0) {
		err = wasi_errno(errno);
		goto out;
	}
	wasi_store_u32(c, a[4].i32, (uint32_t)n);
	wasi_put_u16(wasi_ptr(c, a[5].i32, 2), msg.msg_flags & MSG_TRUNC ? 1 : 0);
out:
	if (iov != small)
		free(iov);
	return err;
}

WASI_FN(sock_send)
{
	struct msghdr msg = { 0 };
	struct iovec small[WASI_SMALL_IOVS], *iov = NULL;
	struct wasi_fd *f;
	size_t total;
	ssize_t n;
	int err;

	err = get_sock(c, a[0].i32, WASI_R_FD_WRITE, &f);
	if (err)
		return err;
	if (a[3].i32)
		return WASI_EINVAL;	/* no send flags are defined */
	if (!wasi_ptr(c, a[4].i32, 4))
		return WASI_EFAULT;
	err = wasi_iovecs(c, a[1].i32, a[2].i32, small, WASI_SMALL_IOVS, &iov, &total);
	if (err)
		return err;
	msg.msg_iov = iov;
	msg.msg_iovlen = a[2].i32;
	n = sendmsg(f->host_fd, &msg, MSG_NOSIGNAL);
	if (n < 0)
		err = wasi_errno(errno);
	else
		err = wasi_store_u32(c, a[4].i32, (uint32_t)n);
	if (iov != small)
		free(iov);
	return err;
}

WASI_FN(sock_shutdown)
{
	static const int how[] = { -1, SHUT_RD, SHUT_WR, SHUT_RDWR };
	struct wasi_fd *f;
	uint32_t h = a[1].i32;
	int err;

	err = get_sock(c, a[0].i32, WASI_R_SOCK_SHUTDOWN, &f);
	if (err)
		return err;
	if (h == 0 || h > 3)
		return WASI_EINVAL;
	return shutdown(f->host_fd, how[h]) ? wasi_errno(errno) : 0;
}
