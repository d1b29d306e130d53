/* SPDX-License-Identifier: MIT */
/* Seeking past the end, holes read as zeros, truncate() by path, big offsets. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wt.h"

static long long size_of(const char *name)
{
	struct stat st;

	if (stat(wt_path(name), &st) < 0)
		return -1;
	return (long long)st.st_size;
}

int main(int argc, char **argv)
{
	unsigned char buf[4096];
	int fd, zeros = 1;
	off_t off;
	ssize_t n, i;

	wt_init(argc, argv);
	fd = open(wt_path("holes.bin"), O_CREAT | O_RDWR | O_TRUNC, 0644);
	WT_CHECK(fd >= 0);
	off = lseek(fd, 100000, SEEK_SET);
	printf("seek past end: %lld, size still %lld\n", (long long)off, size_of("holes.bin"));
	WT_CHECK(write(fd, "END", 3) == 3);
	printf("after write size %lld\n", size_of("holes.bin"));
	WT_CHECK(lseek(fd, 50000, SEEK_SET) == 50000);
	n = read(fd, buf, sizeof(buf));
	for (i = 0; i < n; i++)
		zeros &= buf[i] == 0;
	printf("hole read %zd all zero %d\n", n, zeros);
	off = lseek(fd, -3, SEEK_END);
	n = read(fd, buf, 10);
	printf("end-3 at %lld reads %zd [%.3s]\n", (long long)off, n, buf);
	off = lseek(fd, 10, SEEK_CUR);
	printf("SEEK_CUR +10 past end: %lld, read %zd\n", (long long)off, read(fd, buf, 10));
	off = lseek(fd, 5LL << 30, SEEK_SET);
	printf("seek 5 GiB: %lld\n", (long long)off);
	WT_CHECK(write(fd, "G", 1) == 1);
	printf("size after write at 5 GiB: %lld\n", size_of("holes.bin"));
	WT_CHECK(pread(fd, buf, 1, 5LL << 30) == 1);
	printf("pread at 5 GiB: %c\n", buf[0]);
	close(fd);

	WT_TRY("truncate to 10", truncate(wt_path("holes.bin"), 10));
	printf("size %lld\n", size_of("holes.bin"));
	WT_TRY("truncate to 70000", truncate(wt_path("holes.bin"), 70000));
	printf("size %lld\n", size_of("holes.bin"));
	WT_TRY("truncate missing", truncate(wt_path("missing"), 0));
	WT_TRY("truncate a directory", truncate(wt_dir, 0));
	fd = open(wt_path("holes.bin"), O_RDONLY);
	close(fd);
	fd = open(wt_path("small.bin"), O_CREAT | O_WRONLY, 0644);
	WT_CHECK(fd >= 0);
	for (i = 0; i < 256; i++)
		buf[i] = (unsigned char)i;
	WT_CHECK(write(fd, buf, 256) == 256);
	WT_CHECK(ftruncate(fd, 200) == 0);
	WT_CHECK(lseek(fd, 0, SEEK_END) == 200);
	close(fd);
	printf("small.bin %lld\n", size_of("small.bin"));
	fd = open(wt_path("alloc.bin"), O_CREAT | O_RDWR, 0644);
	WT_CHECK(fd >= 0);
	printf("posix_fallocate: %d\n", posix_fallocate(fd, 0, 100000));
	printf("posix_fallocate inside: %d\n", posix_fallocate(fd, 10, 20));
	printf("posix_fadvise: %d\n", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
	close(fd);
	printf("alloc.bin %lld\n", size_of("alloc.bin"));
	return 0;
}
