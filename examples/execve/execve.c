/* SPDX-License-Identifier: MIT */
/*
 * execve: prints every execve() system call with the calling process and the
 * new program's arguments, in the manner of bcc's execsnoop. The record's
 * wasm32 layout comes from execve.wasm.h (generated from the object's BTF).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "execve.skel.h"
#include "execve.wasm.h"

#define MAX_ARGS 8

static const char *name_filter;
static unsigned long long n_events, n_shown;

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-u UID] [-n NAME]\n"
		"Trace execve() system calls: the caller (comm, pid, parent) and the\n"
		"first %d arguments of the program it starts.\n"
		"\n"
		"  -u UID    only calls made by this user id (filtered in the kernel)\n"
		"  -n NAME   only calls whose arguments contain NAME\n"
		"  -h        this help\n",
		prog, MAX_ARGS);
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct execve_event *e = data;
	char args[MAX_ARGS * 66 + 8];
	size_t len = 0;
	unsigned int i;

	if (size < sizeof(*e))
		return 0;
	n_events++;
	args[0] = '\0';
	for (i = 0; i < e->argc && i < MAX_ARGS; i++)
		len += snprintf(args + len, sizeof(args) - len, "%s%.*s", i ? " " : "",
				(int)sizeof(e->argv[i]), e->argv[i]);
	if (e->truncated)
		snprintf(args + len, sizeof(args) - len, " ...");
	if (name_filter && !strstr(args, name_filter))
		return 0;
	n_shown++;
	printf("%-16.16s %-7u %-7u %-6u %s\n", e->comm, e->pid, e->ppid, e->uid, args);
	return 0;
}

int main(int argc, char **argv)
{
	struct execve_bpf *skel;
	struct bpf_buffer *buf = NULL;
	long uid = -1;
	char msg[512], *end;
	int opt, err;

	while ((opt = getopt(argc, argv, "u:n:h")) != -1) {
		switch (opt) {
		case 'u':
			errno = 0;
			uid = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || uid < 0 || uid >= 0xffffffffL) {
				fprintf(stderr, "execve: invalid uid '%s'\n", optarg);
				return 2;
			}
			break;
		case 'n':
			name_filter = optarg;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "execve: unexpected argument '%s'\n", argv[optind]);
		usage(stderr, argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	skel = execve_bpf__open();
	if (!skel) {
		fprintf(stderr, "execve: cannot open the eBPF object: %s\n", strerror(errno));
		return 1;
	}
	if (uid >= 0)
		skel->rodata->targ_uid = (uint32_t)uid;
	err = execve_bpf__load(skel);
	if (!err)
		err = execve_bpf__attach(skel);
	if (err) {
		libbpf_get_error_text(msg, sizeof(msg));
		fprintf(stderr, "execve: cannot load and attach: %s\n%s\n", strerror(-err), msg);
		goto out;
	}
	buf = bpf_buffer__open(skel->maps.events, handle_event, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "execve: cannot open the ring buffer: %s\n", strerror(errno));
		goto out;
	}
	bpf_buffer__set_max_size(buf, sizeof(struct execve_event));

	printf("%-16s %-7s %-7s %-6s %s\n", "PCOMM", "PID", "PPID", "UID", "ARGS");
	while ((err = bpf_buffer__poll(buf, 100)) >= 0)
		;
	if (err == -EINTR)
		err = 0;
	else
		fprintf(stderr, "execve: polling the ring buffer: %s\n", strerror(-err));
	printf("%llu execve calls, %llu shown\n", n_events, n_shown);
out:
	bpf_buffer__free(buf);
	execve_bpf__destroy(skel);
	return err < 0 ? 1 : 0;
}
