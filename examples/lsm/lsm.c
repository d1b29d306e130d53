/* SPDX-License-Identifier: MIT */
/*
 * lsm: a BPF LSM policy from a WebAssembly guest. While it runs, no process
 * can remove a directory with the chosen name (default "can_not_rm"): rmdir
 * fails with EPERM and the refusal is printed. Kernels without BPF LSM, or
 * whose lockdown forbids it, refuse the program: it then exits with status 1
 * and a message naming the reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "lsm.skel.h"
#include "lsm.h"

static unsigned long long n_denied;

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [NAME]\n"
		"Refuse (EPERM) the removal of every directory named NAME (default\n"
		"can_not_rm) while running, and print each refusal. Needs BPF LSM.\n",
		prog);
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct deny_event *e = data;
	char ts[16];
	time_t t = time(NULL);

	if (size < sizeof(*e))
		return 0;
	n_denied++;
	strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&t));
	printf("%-8s %-7u %-6u %-16.16s %.*s\n", ts, e->pid, e->uid, e->comm, (int)sizeof(e->name),
	       e->name);
	return 0;
}

static void explain(const char *what, int err)
{
	char msg[512];
	size_t len;

	libbpf_get_error_text(msg, sizeof(msg));
	len = strlen(msg);
	while (len && msg[len - 1] == '\n')
		msg[--len] = '\0';
	fprintf(stderr, "lsm: cannot %s: %s\n", what, strerror(-err));
	if (len)
		fprintf(stderr, "%s\n", msg);
	if (strstr(msg, "policy"))
		fprintf(stderr, "lsm: wasm-bpf's policy refused the LSM program: run it with "
				"--allow-prog-type lsm\n");
	else if (err == -EPERM || err == -EACCES)
		fprintf(stderr, "lsm: the kernel refused the BPF LSM program: kernel lockdown, "
				"or not root\n");
	else if (err == -EINVAL || err == -EOPNOTSUPP || err == -ENOTSUP || err == -ENOENT)
		fprintf(stderr, "lsm: this kernel has no BPF LSM (CONFIG_BPF_LSM, and \"bpf\" "
				"in the lsm= boot parameter)\n");
}

int main(int argc, char **argv)
{
	const char *name = "can_not_rm";
	struct bpf_buffer *buf = NULL;
	struct lsm_bpf *skel;
	int err;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		bool help = argc == 2 && !strcmp(argv[1], "-h");

		usage(help ? stdout : stderr, argv[0]);
		return help ? 0 : 2;
	}
	if (argc == 2)
		name = argv[1];
	if (!*name || strlen(name) >= DIR_NAME_LEN || strchr(name, '/')) {
		fprintf(stderr, "lsm: NAME must be a file name of 1 to %d bytes\n",
			DIR_NAME_LEN - 1);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	skel = lsm_bpf__open();
	if (!skel) {
		fprintf(stderr, "lsm: cannot open the eBPF object: %s\n", strerror(errno));
		return 1;
	}
	memset(skel->rodata->protected_name, 0, sizeof(skel->rodata->protected_name));
	memcpy(skel->rodata->protected_name, name, strlen(name));
	err = lsm_bpf__load(skel);
	if (err) {
		explain("load the LSM program", err);
		goto out;
	}
	err = lsm_bpf__attach(skel);
	if (err) {
		explain("attach to the path_rmdir hook", err);
		goto out;
	}
	buf = bpf_buffer__open(skel->maps.events, handle_event, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "lsm: cannot open the ring buffer: %s\n", strerror(errno));
		goto out;
	}
	bpf_buffer__set_max_size(buf, sizeof(struct deny_event));
	fprintf(stderr, "lsm: directories named '%s' cannot be removed; Ctrl-C to stop\n", name);
	printf("%-8s %-7s %-6s %-16s %s\n", "TIME", "PID", "UID", "COMM", "DENIED RMDIR");
	while ((err = bpf_buffer__poll(buf, 100)) >= 0)
		;
	if (err == -EINTR)
		err = 0;
	else
		fprintf(stderr, "lsm: polling the ring buffer: %s\n", strerror(-err));
	printf("%llu removals denied\n", n_denied);
out:
	bpf_buffer__free(buf);
	lsm_bpf__destroy(skel);
	return err < 0 ? 1 : 0;
}
