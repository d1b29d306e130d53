/* SPDX-License-Identifier: MIT */
/* Confinement: reading outside the granted directory through "..", absolute paths. */
#include <dirent.h>
#include "escape.h"

int main(int argc, char **argv)
{
	struct stat st;
	DIR *d;

	esc_init(argc, argv);
	esc_list_preopens();
	/* Allowed: ".." that stays inside. */
	esc_openat("inside.txt", O_RDONLY);
	esc_openat("sub/../inside.txt", O_RDONLY);
	esc_openat("./sub/./inside2.txt", O_RDONLY);
	esc_openat("sub/..", O_RDONLY | O_DIRECTORY);
	esc_openat(".", O_RDONLY | O_DIRECTORY);
	esc_open("/work/sub/../inside.txt", O_RDONLY);
	/* Refused: everything that leaves it. */
	esc_openat("..", O_RDONLY | O_DIRECTORY);
	esc_openat("../secret.txt", O_RDONLY);
	esc_openat("../../outside.txt", O_RDONLY);
	esc_openat("sub/../../secret.txt", O_RDONLY);
	esc_openat("sub/../../granted/inside.txt", O_RDONLY);
	esc_openat("../other/file.txt", O_RDONLY);
	esc_openat("/etc/passwd", O_RDONLY);
	esc_openat("/", O_RDONLY | O_DIRECTORY);
	/* An absolute path ignores the dirfd (POSIX), so this one works. */
	esc_openat("/work/inside.txt", O_RDONLY);
	esc_open("/work/../secret.txt", O_RDONLY);
	esc_open("/etc/passwd", O_RDONLY);
	esc_open("/", O_RDONLY | O_DIRECTORY);
	esc_open("../secret.txt", O_RDONLY);
	ESC_TRY("stat /work/../secret.txt", stat("/work/../secret.txt", &st));
	ESC_TRY("fstatat ../secret.txt", fstatat(esc_dfd, "../secret.txt", &st, 0));
	ESC_TRY("fstatat ..", fstatat(esc_dfd, "..", &st, 0));
	ESC_TRY("fstatat /etc", fstatat(esc_dfd, "/etc", &st, 0));
	ESC_TRY("faccessat ../secret.txt", faccessat(esc_dfd, "../secret.txt", F_OK, 0));
	errno = 0;
	d = opendir("/work/..");
	printf("opendir /work/..: %s\n", d ? "OPENED" : wt_errname(errno));
	if (d)
		closedir(d);
	ESC_TRY("chdir /work/..", chdir("/work/.."));
	ESC_TRY("chdir /work/sub", chdir("/work/sub"));
	esc_open("../../secret.txt", O_RDONLY);
	esc_open("../inside.txt", O_RDONLY);
	return 0;
}
