/* SPDX-License-Identifier: MIT */
/* Scatter/gather I/O: writev and readv with several and empty buffers, big writes. */
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>
#include "wt.h"

int main(int argc, char **argv)
{
	static unsigned char big[3 << 20], back[3 << 20];
	char a[6] = "", b[1] = "", c[20] = "";
	static struct iovec many[1025];
	volatile int minus_one = -1;
	struct iovec w[4], r[3];
	ssize_t n, got;
	int fd;

	wt_init(argc, argv);
	fd = open(wt_path("vec.txt"), O_CREAT | O_RDWR | O_TRUNC, 0644);
	WT_CHECK(fd >= 0);
	w[0].iov_base = "Hello";
	w[0].iov_len = 5;
	w[1].iov_base = "";
	w[1].iov_len = 0;
	w[2].iov_base = ", ";
	w[2].iov_len = 2;
	w[3].iov_base = "vectored world\n";
	w[3].iov_len = 15;
	n = writev(fd, w, 4);
	printf("writev %zd\n", n);
	WT_CHECK(lseek(fd, 0, SEEK_SET) == 0);
	r[0].iov_base = a;
	r[0].iov_len = 5;
	r[1].iov_base = b;
	r[1].iov_len = 0;
	r[2].iov_base = c;
	r[2].iov_len = sizeof(c) - 1;
	n = readv(fd, r, 3);
	printf("readv %zd [%s] [%s]", n, a, c);
	n = writev(fd, w, 0);
	printf("writev of nothing %zd\n", n);
	close(fd);

	/* One large write and read, which a host may split. */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)(i * 31 + (i >> 12));
	fd = open(wt_path("big.bin"), O_CREAT | O_RDWR | O_TRUNC, 0644);
	WT_CHECK(fd >= 0);
	for (got = 0; got < (ssize_t)sizeof(big); got += n) {
		n = write(fd, big + got, sizeof(big) - got);
		WT_CHECK(n > 0);
	}
	WT_CHECK(lseek(fd, 0, SEEK_SET) == 0);
	for (got = 0; got < (ssize_t)sizeof(back); got += n) {
		n = read(fd, back + got, sizeof(back) - got);
		WT_CHECK(n > 0);
	}
	printf("big round trip %zd equal %d\n", got, memcmp(big, back, sizeof(big)) == 0);
	close(fd);
	/* IOV_MAX is 1024 on both sides; one more is EINVAL. */
	fd = open(wt_path("many.txt"), O_CREAT | O_RDWR | O_TRUNC, 0644);
	WT_CHECK(fd >= 0);
	for (int i = 0; i < 1025; i++) {
		many[i].iov_base = (char *)"0123456789" + i % 10;
		many[i].iov_len = 1;
	}
	n = writev(fd, many, 1024);
	printf("writev 1024 iovecs: %zd\n", n);
	errno = 0;
	n = writev(fd, many, 1025);
	printf("writev 1025 iovecs: %zd %s\n", n, wt_errname(errno));
	errno = 0;
	n = writev(fd, many, minus_one);
	printf("writev -1 iovecs: %zd %s\n", n, wt_errname(errno));
	close(fd);
	/* pwrite on an O_APPEND descriptor appends on Linux, whatever the offset. */
	fd = open(wt_path("append.txt"), O_CREAT | O_RDWR | O_APPEND, 0644);
	WT_CHECK(fd >= 0);
	WT_CHECK(write(fd, "0123456789", 10) == 10);
	n = pwrite(fd, "XY", 2, 3);
	printf("pwrite on O_APPEND: %zd, now at %lld\n", n, (long long)lseek(fd, 0, SEEK_CUR));
	close(fd);
	/* stdout through writev too. */
	w[0].iov_base = "writev ";
	w[0].iov_len = 7;
	w[1].iov_base = "to ";
	w[1].iov_len = 3;
	w[2].iov_base = "stdout\n";
	w[2].iov_len = 7;
	fflush(stdout);
	printf("%zd\n", writev(1, w, 3));
	return 0;
}
