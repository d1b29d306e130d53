/* SPDX-License-Identifier: MIT */
/* Without --dir a program sees no directory at all: nothing opens, no fd is a preopen. */
#include <dirent.h>
#include "escape.h"

int main(int argc, char **argv)
{
	struct stat st;
	int ebadf = 0;
	DIR *d;

	wt_init(argc, argv);
	esc_list_preopens();
	esc_open("/etc/passwd", O_RDONLY);
	esc_open("/work/inside.txt", O_RDONLY);
	esc_open("relative.txt", O_RDONLY);
	esc_open("/tmp/wasi-nogrant.txt", O_CREAT | O_WRONLY);
	ESC_TRY("stat /", stat("/", &st));
	ESC_TRY("mkdir /tmp/x", mkdir("/tmp/wasi-nogrant-dir", 0755));
	errno = 0;
	d = opendir("/");
	printf("opendir /: %s\n", d ? "OPENED" : wt_errname(errno));
	/* Raw path_open on every small fd beyond stdio. */
	for (__wasi_fd_t fd = 3; fd < 32; fd++) {
		__wasi_fd_t out;
		__wasi_errno_t e =
		    __wasi_path_open(fd, 0, "etc/passwd", 0, __WASI_RIGHTS_FD_READ, 0, 0, &out);

		ebadf += e == __WASI_ERRNO_BADF;
	}
	printf("path_open on fds 3..31: %d of 29 EBADF\n", ebadf);
	printf("stdout still works\n");
	return 0;
}
