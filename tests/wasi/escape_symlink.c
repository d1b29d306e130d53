/* SPDX-License-Identifier: MIT */
/* Confinement: symlinks laid by run.sh that point out of the granted directory, and loops. */
#include "escape.h"

static void rl(const char *path)
{
	char buf[128];
	ssize_t n = readlinkat(esc_dfd, path, buf, sizeof(buf));

	if (n < 0)
		printf("readlink %s: %s\n", path, wt_errname(errno));
	else
		printf("readlink %s: [%.*s]\n", path, (int)n, buf);
}

int main(int argc, char **argv)
{
	struct stat st;

	esc_init(argc, argv);
	/* Links that stay inside work. */
	esc_openat("in_link", O_RDONLY);
	esc_openat("sub/up_ok", O_RDONLY);
	esc_openat("dir_link/inside2.txt", O_RDONLY);
	esc_openat("dir_link", O_RDONLY | O_DIRECTORY);
	esc_openat("dangling", O_RDONLY);
	/* Links that leave are refused, wherever they are in the path. */
	esc_openat("root_link", O_RDONLY | O_DIRECTORY);
	esc_openat("root_link/etc/passwd", O_RDONLY);
	esc_openat("up_link", O_RDONLY | O_DIRECTORY);
	esc_openat("up_link/secret.txt", O_RDONLY);
	esc_openat("up_link/granted/inside.txt", O_RDONLY);
	esc_openat("up2_link/outside.txt", O_RDONLY);
	esc_openat("abs_passwd", O_RDONLY);
	esc_openat("rel_secret", O_RDONLY);
	esc_openat("sub/deep_secret", O_RDONLY);
	esc_openat("dir_link/deep_secret", O_RDONLY);
	esc_openat("abs_passwd", O_WRONLY | O_APPEND);
	esc_openat("rel_secret", O_WRONLY | O_TRUNC);
	esc_open("/work/root_link/etc/passwd", O_RDONLY);
	esc_open("/work/rel_secret", O_RDONLY);
	/* Loops end in ELOOP, and O_NOFOLLOW refuses a final symlink. */
	esc_openat("loop_a", O_RDONLY);
	esc_openat("self_loop", O_RDONLY);
	esc_openat("loop_a/x", O_RDONLY);
	esc_openat("root_link", O_RDONLY | O_NOFOLLOW);
	esc_openat("in_link", O_RDONLY | O_NOFOLLOW);
	ESC_TRY("fstatat root_link", fstatat(esc_dfd, "root_link", &st, 0));
	ESC_TRY("fstatat up_link/secret.txt", fstatat(esc_dfd, "up_link/secret.txt", &st, 0));
	ESC_TRY("fstatat loop_a", fstatat(esc_dfd, "loop_a", &st, 0));
	errno = 0;
	printf("lstat root_link: %s\n", fstatat(esc_dfd, "root_link", &st, AT_SYMLINK_NOFOLLOW) < 0
					    ? wt_errname(errno)
					: S_ISLNK(st.st_mode) ? "symlink"
							      : "NOT A SYMLINK");
	rl("root_link");
	rl("up_link");
	rl("abs_passwd");
	rl("up_link/granted/in_link");
	ESC_TRY("chdir /work/up_link", chdir("/work/up_link"));
	ESC_TRY("chdir /work/root_link", chdir("/work/root_link"));
	ESC_TRY("utimensat through rel_secret", utimensat(esc_dfd, "rel_secret", NULL, 0));
	ESC_TRY("utimensat through up_link", utimensat(esc_dfd, "up_link/secret.txt", NULL, 0));
	return 0;
}
