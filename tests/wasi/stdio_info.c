/* SPDX-License-Identifier: MIT */
/* What the standard descriptors are when redirected to files: type, tty, seekability. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wt.h"

static const char *kind(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return wt_errname(errno);
	if (S_ISREG(st.st_mode))
		return "regular file";
	if (S_ISCHR(st.st_mode))
		return "character device";
	if (S_ISFIFO(st.st_mode))
		return "fifo";
	return "other";
}

int main(int argc, char **argv)
{
	char buf[16] = "";
	int fd;

	wt_init(argc, argv);
	/* The runner redirects all three to regular files. */
	for (fd = 0; fd < 3; fd++) {
		errno = 0;
		printf("fd %d: %s, isatty %d\n", fd, kind(fd), isatty(fd));
	}
	printf("stdin read: %zd [%.5s]\n", read(0, buf, 5), buf);
	printf("stdin lseek to 0: %lld\n", (long long)lseek(0, 0, SEEK_SET));
	printf("stdin reread: %zd [%.5s]\n", read(0, buf, 5), buf);
	fd = open(wt_path("f"), O_CREAT | O_WRONLY, 0644);
	printf("new file isatty %d\n", isatty(fd));
	close(fd);
	return 0;
}
