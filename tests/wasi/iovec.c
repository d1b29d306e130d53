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
	printf("big round trip %zd equal %d\n", got,
	       memcmp(big, back, sizeof(big)) == 0);
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
