/* SPDX-License-Identifier: MIT */
/*
 * kprobe: prints every file deletion (unlink, unlinkat, rm) with the process,
 * the file name and the result, from a kprobe and a kretprobe on the kernel
 * function do_unlinkat(). Kernels without kprobes refuse it: it then exits
 * with status 1 and a message naming the reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "kprobe.skel.h"
#include "kprobe.h"

static unsigned long long n_events;

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct unlink_event *e = data;

	if (size < sizeof(*e))
		return 0;
	n_events++;
	printf("%-7u %-16.16s %4d %.*s\n", e->pid, e->comm, e->ret, (int)sizeof(e->filename),
	       e->filename);
	return 0;
}

/* Say why the kernel refused, in words a user can act on. */
static void explain(const char *what, int err)
{
	char msg[512];

	size_t len;

	libbpf_get_error_text(msg, sizeof(msg));
	len = strlen(msg);
	while (len && msg[len - 1] == '\n')
		msg[--len] = '\0';
	fprintf(stderr, "kprobe: cannot %s: %s\n", what, strerror(-err));
	if (len)
		fprintf(stderr, "%s\n", msg);
	if (strstr(msg, "policy"))
		fprintf(stderr, "kprobe: wasm-bpf's policy refused the kprobe programs\n");
	else if (err == -ENOENT || err == -EOPNOTSUPP || err == -EINVAL || err == -ENOTSUP)
		fprintf(stderr, "kprobe: this kernel does not provide kprobes on do_unlinkat "
				"(CONFIG_KPROBES not set, or the function is not probeable)\n");
	else if (err == -EPERM || err == -EACCES)
		fprintf(stderr, "kprobe: the kernel refused kprobe programs (not root, or kernel "
				"lockdown)\n");
}

int main(int argc, char **argv)
{
	struct kprobe_bpf *skel;
	struct bpf_buffer *buf = NULL;
	int err;

	if (argc > 1) {
		fprintf(argc == 2 && !strcmp(argv[1], "-h") ? stdout : stderr,
			"Usage: %s\nTrace file deletions (kprobe/kretprobe on do_unlinkat).\n",
			argv[0]);
		return argc == 2 && !strcmp(argv[1], "-h") ? 0 : 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	skel = kprobe_bpf__open();
	if (!skel) {
		fprintf(stderr, "kprobe: cannot open the eBPF object: %s\n", strerror(errno));
		return 1;
	}
	err = kprobe_bpf__load(skel);
	if (err) {
		explain("load the kprobe programs", err);
		goto out;
	}
	err = kprobe_bpf__attach(skel);
	if (err) {
		explain("attach to do_unlinkat", err);
		goto out;
	}
	buf = bpf_buffer__open(skel->maps.events, handle_event, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "kprobe: cannot open the ring buffer: %s\n", strerror(errno));
		goto out;
	}
	bpf_buffer__set_max_size(buf, sizeof(struct unlink_event));
	printf("%-7s %-16s %4s %s\n", "PID", "COMM", "RET", "FILENAME");
	while ((err = bpf_buffer__poll(buf, 100)) >= 0)
		;
	if (err == -EINTR)
		err = 0;
	else
		fprintf(stderr, "kprobe: polling the ring buffer: %s\n", strerror(-err));
	printf("%llu unlinks\n", n_events);
out:
	bpf_buffer__free(buf);
	kprobe_bpf__destroy(skel);
	return err < 0 ? 1 : 0;
}
