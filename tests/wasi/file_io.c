/* SPDX-License-Identifier: MIT */
/* File descriptors: create, write, read, seek, pread/pwrite, append, truncate, errors. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wt.h"

static long long size_of(int fd)
{
	struct stat st;

	WT_CHECK(fstat(fd, &st) == 0);
	return (long long)st.st_size;
}

int main(int argc, char **argv)
{
	char buf[256];
	int fd, fd2;
	ssize_t n;
	off_t off;

	wt_init(argc, argv);
	fd = open(wt_path("data.txt"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
	WT_CHECK(fd >= 0);
	n = write(fd, "hello world\n", 12);
	printf("write %zd size %lld\n", n, size_of(fd));
	WT_TRY("read on O_WRONLY", read(fd, buf, 4));
	WT_CHECK(close(fd) == 0);
	WT_TRY("close again", close(fd));

	fd = open(wt_path("data.txt"), O_RDWR);
	WT_CHECK(fd >= 0);
	n = read(fd, buf, 5);
	printf("read %zd [%.5s]\n", n, buf);
	off = lseek(fd, 0, SEEK_CUR);
	printf("tell %lld\n", (long long)off);
	off = lseek(fd, -6, SEEK_END);
	n = read(fd, buf, sizeof(buf));
	printf("seek end-6 -> %lld, read %zd [%.*s]\n", (long long)off, n, (int)n - 1, buf);
	printf("read at EOF %zd\n", read(fd, buf, sizeof(buf)));
	off = lseek(fd, 6, SEEK_SET);
	WT_CHECK(write(fd, "WORLD", 5) == 5);
	printf("seek 6 %lld, now at %lld\n", (long long)off, (long long)lseek(fd, 0, SEEK_CUR));
	WT_TRY("lseek negative", lseek(fd, -100, SEEK_SET));
	WT_TRY("lseek bad whence", lseek(fd, 0, 42));
	n = pwrite(fd, "@100", 4, 100);
	printf("pwrite %zd size %lld pos %lld\n", n, size_of(fd),
	       (long long)lseek(fd, 0, SEEK_CUR));
	memset(buf, 'x', sizeof(buf));
	n = pread(fd, buf, 8, 96);
	printf("pread %zd: %02x %02x %02x %02x %.4s\n", n, buf[0], buf[1], buf[2], buf[3], buf + 4);
	WT_CHECK(ftruncate(fd, 8) == 0);
	printf("ftruncate 8 size %lld\n", size_of(fd));
	WT_CHECK(ftruncate(fd, 20) == 0);
	n = pread(fd, buf, 32, 0);
	printf("ftruncate 20 size %lld, pread %zd, byte 10 = %d\n", size_of(fd), n, buf[10]);
	WT_TRY("ftruncate negative", ftruncate(fd, -1));
	WT_CHECK(close(fd) == 0);

	fd = open(wt_path("append.txt"), O_CREAT | O_WRONLY | O_APPEND, 0644);
	WT_CHECK(fd >= 0);
	WT_CHECK(write(fd, "one\n", 4) == 4);
	lseek(fd, 0, SEEK_SET);
	WT_CHECK(write(fd, "two\n", 4) == 4);
	WT_CHECK(close(fd) == 0);
	fd = open(wt_path("append.txt"), O_WRONLY | O_APPEND);
	WT_CHECK(write(fd, "three\n", 6) == 6);
	printf("append size %lld\n", size_of(fd));
	WT_CHECK(close(fd) == 0);

	fd = open(wt_path("trunc.txt"), O_CREAT | O_WRONLY, 0644);
	WT_CHECK(write(fd, "long content here", 17) == 17);
	close(fd);
	fd = open(wt_path("trunc.txt"), O_WRONLY | O_TRUNC);
	printf("O_TRUNC size %lld\n", size_of(fd));
	WT_CHECK(write(fd, "short", 5) == 5);
	close(fd);

	WT_TRY("O_EXCL existing", open(wt_path("data.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644));
	fd = open(wt_path("excl.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644);
	printf("O_EXCL new: %s\n", fd >= 0 ? "ok" : wt_errname(errno));
	close(fd);
	WT_TRY("open missing", open(wt_path("missing.txt"), O_RDONLY));
	WT_TRY("create in missing dir", open(wt_path("nodir/x.txt"), O_CREAT | O_WRONLY, 0644));
	WT_TRY("file as dir", open(wt_path("data.txt/x"), O_RDONLY));
	WT_TRY("trailing slash on file", open(wt_path("data.txt/"), O_RDONLY));
	WT_TRY("O_DIRECTORY on file", open(wt_path("data.txt"), O_RDONLY | O_DIRECTORY));
	WT_TRY("open dir for writing", open(wt_dir, O_WRONLY));
	fd = open(wt_dir, O_RDONLY | O_DIRECTORY);
	printf("open dir read-only: %s\n", fd >= 0 ? "ok" : wt_errname(errno));
	close(fd);

	fd = open(wt_path("data.txt"), O_RDONLY);
	WT_TRY("write on O_RDONLY", write(fd, "x", 1));
	fd2 = open(wt_path("data.txt"), O_RDONLY);
	WT_CHECK(fd2 >= 0 && fd2 != fd);
	WT_CHECK(lseek(fd, 3, SEEK_SET) == 3);
	printf("independent offsets: %lld %lld\n", (long long)lseek(fd, 0, SEEK_CUR),
	       (long long)lseek(fd2, 0, SEEK_CUR));
	close(fd);
	close(fd2);
	WT_TRY("read bad fd", read(12345, buf, 1));
	WT_TRY("write bad fd", write(-1, buf, 1));
	return 0;
}
