/* SPDX-License-Identifier: MIT */
/*
 * opensnoop: prints every open(), openat() and openat2() with the process,
 * the resulting file descriptor or error, and the path, in the format of
 * bcc's opensnoop. Records arrive through a perf event array.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "opensnoop.skel.h"
#include "opensnoop.h"

static const char *name_filter;
static bool print_uid;
static unsigned long long n_shown, n_failed;

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-p PID] [-u UID] [-n NAME] [-x] [-U] [-d SECONDS]\n"
		"Trace open(), openat() and openat2(): process, fd or error, path.\n"
		"\n"
		"  -p PID      only this process (host pid; filtered in the kernel)\n"
		"  -u UID      only this user id (filtered in the kernel)\n"
		"  -n NAME     only processes whose comm contains NAME\n"
		"  -x          only failed opens\n"
		"  -U          print the user id column\n"
		"  -d SECONDS  stop after SECONDS and print a summary\n"
		"  -h          this help\n"
		"\n"
		"Example: sudo wasm-bpf run opensnoop.wasm -x -n cat\n",
		prog);
}

static int parse_num(const char *s, const char *what, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *end || end == s || *v > max) {
		fprintf(stderr, "opensnoop: invalid %s '%s'\n", what, s);
		return -1;
	}
	return 0;
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct open_event *e = data;
	int fd, err;

	if (size < sizeof(*e))
		return 0;
	if (name_filter && !strstr(e->comm, name_filter))
		return 0;
	fd = e->ret >= 0 ? e->ret : -1;
	err = e->ret >= 0 ? 0 : -e->ret;
	n_shown++;
	if (err)
		n_failed++;
	if (print_uid)
		printf("%-6u ", e->uid);
	printf("%-6u %-16.16s %3d %3d %.*s\n", e->pid, e->comm, fd, err, (int)sizeof(e->fname),
	       e->fname);
	return 0;
}

/*
 * Attach the enter/exit pair of one system call. An optional pair whose
 * tracepoints this kernel lacks (open() on arm64, openat2() before 5.6) is
 * skipped; the pair is attached both or neither.
 */
static int attach_pair(struct bpf_program *enter, struct bpf_program *exit_, bool optional,
		       const char *what)
{
	struct bpf_link *l1, *l2;
	char msg[256];

	l1 = bpf_program__attach(enter);
	if (!l1)
		goto fail;
	l2 = bpf_program__attach(exit_);
	if (!l2) {
		int e = errno;

		bpf_link__destroy(l1);
		errno = e;
		goto fail;
	}
	return 1;
fail:
	if (optional)
		return 0;
	libbpf_get_error_text(msg, sizeof(msg));
	fprintf(stderr, "opensnoop: cannot trace %s: %s\n%s\n", what, strerror(errno), msg);
	return -1;
}

int main(int argc, char **argv)
{
	struct opensnoop_bpf *skel;
	struct bpf_buffer *buf = NULL;
	unsigned long pid = 0, uid = (unsigned long)-1, duration = 0, v;
	bool failed = false;
	char msg[512];
	time_t end = 0;
	int opt, err, n;

	while ((opt = getopt(argc, argv, "p:u:n:xUd:h")) != -1) {
		switch (opt) {
		case 'p':
			if (parse_num(optarg, "pid", 0x7fffffff, &pid))
				return 2;
			break;
		case 'u':
			if (parse_num(optarg, "uid", 0xfffffffe, &uid))
				return 2;
			break;
		case 'n':
			name_filter = optarg;
			break;
		case 'x':
			failed = true;
			break;
		case 'U':
			print_uid = true;
			break;
		case 'd':
			if (parse_num(optarg, "duration", 86400 * 365, &v))
				return 2;
			duration = v;
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
		fprintf(stderr, "opensnoop: unexpected argument '%s'\n", argv[optind]);
		usage(stderr, argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	skel = opensnoop_bpf__open();
	if (!skel) {
		fprintf(stderr, "opensnoop: cannot open the eBPF object: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->targ_tgid = (uint32_t)pid;
	skel->rodata->targ_uid = (uint32_t)uid;
	skel->rodata->targ_failed = failed;
	err = opensnoop_bpf__load(skel);
	if (err) {
		libbpf_get_error_text(msg, sizeof(msg));
		fprintf(stderr, "opensnoop: cannot load the eBPF object: %s\n%s\n", strerror(-err),
			msg);
		goto out;
	}
	err = -1;
	if (attach_pair(skel->progs.enter_openat, skel->progs.exit_openat, false, "openat") < 0)
		goto out;
	n = attach_pair(skel->progs.enter_open, skel->progs.exit_open, true, "open");
	n += attach_pair(skel->progs.enter_openat2, skel->progs.exit_openat2, true, "openat2");
	if (n < 2)
		fprintf(stderr, "opensnoop: note: open() or openat2() not traced on this kernel\n");

	buf = bpf_buffer__open(skel->maps.events, handle_event, NULL);
	if (!buf) {
		fprintf(stderr, "opensnoop: cannot open the perf buffer: %s\n", strerror(errno));
		goto out;
	}
	bpf_buffer__set_max_size(buf, sizeof(struct open_event));

	if (print_uid)
		printf("%-6s ", "UID");
	printf("%-6s %-16s %3s %3s %s\n", "PID", "COMM", "FD", "ERR", "PATH");
	if (duration)
		end = time(NULL) + (time_t)duration;
	for (;;) {
		err = bpf_buffer__poll(buf, 100);
		if (err == -EINTR || (end && time(NULL) >= end)) {
			err = 0;
			break;
		}
		if (err < 0) {
			fprintf(stderr, "opensnoop: polling the perf buffer: %s\n", strerror(-err));
			break;
		}
	}
	printf("%llu opens shown, %llu failed\n", n_shown, n_failed);
out:
	bpf_buffer__free(buf);
	opensnoop_bpf__destroy(skel);
	return err < 0 ? 1 : 0;
}
