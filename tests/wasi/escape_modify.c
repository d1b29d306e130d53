/* SPDX-License-Identifier: MIT */
/* Confinement: creating, renaming, linking and removing across the boundary all fail. */
#include "escape.h"

int main(int argc, char **argv)
{
	struct timespec ts[2] = {{1, 0}, {1, 0}};
	int fd, rc;

	esc_init(argc, argv);
	esc_openat("../created.txt", O_CREAT | O_WRONLY);
	esc_openat("up_link/created.txt", O_CREAT | O_WRONLY);
	esc_openat("../secret.txt", O_WRONLY | O_TRUNC);
	esc_openat("/tmp/wasi-escape-created.txt", O_CREAT | O_WRONLY);
	ESC_TRY("mkdirat ../newdir", mkdirat(esc_dfd, "../newdir", 0755));
	ESC_TRY("mkdirat up_link/newdir", mkdirat(esc_dfd, "up_link/newdir", 0755));
	ESC_TRY("mkdirat /tmp/x", mkdirat(esc_dfd, "/tmp/wasi-escape-dir", 0755));
	ESC_TRY("rename inside.txt -> ../moved.txt",
		renameat(esc_dfd, "inside.txt", esc_dfd, "../moved.txt"));
	ESC_TRY("rename sub -> ../sub_moved", renameat(esc_dfd, "sub", esc_dfd, "../sub_moved"));
	ESC_TRY("rename ../secret.txt -> stolen.txt",
		renameat(esc_dfd, "../secret.txt", esc_dfd, "stolen.txt"));
	ESC_TRY("rename up_link/secret.txt -> stolen.txt",
		renameat(esc_dfd, "up_link/secret.txt", esc_dfd, "stolen.txt"));
	ESC_TRY("rename inside.txt -> root_link/tmp/x",
		renameat(esc_dfd, "inside.txt", esc_dfd, "root_link/tmp/wasi-escape-x"));
	ESC_TRY("rename inside.txt -> /tmp/x", rename("/work/inside.txt", "/tmp/wasi-escape-x"));
	ESC_TRY("link inside.txt -> ../hard.txt",
		linkat(esc_dfd, "inside.txt", esc_dfd, "../hard.txt", 0));
	ESC_TRY("link ../secret.txt -> hard_in.txt",
		linkat(esc_dfd, "../secret.txt", esc_dfd, "hard_in.txt", 0));
	ESC_TRY("link up_link/secret.txt -> hard_in2.txt",
		linkat(esc_dfd, "up_link/secret.txt", esc_dfd, "hard_in2.txt", 0));
	ESC_TRY("link /etc/passwd -> passwd", linkat(esc_dfd, "/etc/passwd", esc_dfd, "passwd", 0));
	ESC_TRY("symlink at ../evil_link", symlinkat("inside.txt", esc_dfd, "../evil_link"));
	ESC_TRY("symlink at up_link/evil_link",
		symlinkat("inside.txt", esc_dfd, "up_link/evil_link"));
	/*
	 * A new link whose text points outside may be refused or created; if
	 * created it must not lead anywhere. Either way nothing is left.
	 */
	errno = 0;
	rc = symlinkat("/etc/passwd", esc_dfd, "new_abs");
	if (rc < 0) {
		printf("symlink to /etc/passwd: safe\n");
		fprintf(stderr, "symlink to /etc/passwd refused: %s\n", wt_errname(errno));
	} else {
		fd = openat(esc_dfd, "new_abs", O_RDONLY);
		printf("symlink to /etc/passwd: %s\n",
		       fd < 0 && errno == ENOTCAPABLE ? "safe" : "ESCAPED");
		fprintf(stderr, "symlink to /etc/passwd created, not followed\n");
		if (fd >= 0)
			close(fd);
		unlinkat(esc_dfd, "new_abs", 0);
	}
	errno = 0;
	rc = symlinkat("../secret.txt", esc_dfd, "new_rel");
	if (rc < 0) {
		printf("symlink to ../secret.txt: safe\n");
		fprintf(stderr, "symlink to ../secret.txt refused: %s\n", wt_errname(errno));
	} else {
		fd = openat(esc_dfd, "new_rel", O_RDONLY);
		printf("symlink to ../secret.txt: %s\n",
		       fd < 0 && errno == ENOTCAPABLE ? "safe" : "ESCAPED");
		fprintf(stderr, "symlink to ../secret.txt created, not followed\n");
		if (fd >= 0)
			close(fd);
		unlinkat(esc_dfd, "new_rel", 0);
	}
	ESC_TRY("unlink ../secret.txt", unlinkat(esc_dfd, "../secret.txt", 0));
	ESC_TRY("unlink up_link/secret.txt", unlinkat(esc_dfd, "up_link/secret.txt", 0));
	ESC_TRY("unlink /work/../secret.txt", unlink("/work/../secret.txt"));
	ESC_TRY("rmdir ../empty_dir", unlinkat(esc_dfd, "../empty_dir", AT_REMOVEDIR));
	ESC_TRY("rmdir up_link/empty_dir", unlinkat(esc_dfd, "up_link/empty_dir", AT_REMOVEDIR));
	ESC_TRY("rmdir ..", unlinkat(esc_dfd, "..", AT_REMOVEDIR));
	ESC_TRY("truncate /work/../secret.txt", truncate("/work/../secret.txt", 0));
	ESC_TRY("utimensat ../secret.txt", utimensat(esc_dfd, "../secret.txt", ts, 0));
	ESC_TRY("utimensat ..", utimensat(esc_dfd, "..", ts, 0));
	ESC_TRY("utimensat up_link", utimensat(esc_dfd, "up_link", ts, 0));
	/* The granted directory itself is still intact and usable. */
	esc_openat("inside.txt", O_RDONLY);
	return 0;
}
