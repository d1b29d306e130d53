/* SPDX-License-Identifier: MIT */
/*
 * uprobe: traces calls of functions in native programs, with uprobes at their
 * entry and uretprobes at their return, and prints each call with its
 * arguments, its return value and how long it took. The targets are
 * "BINARY:FUNCTION" strings resolved by the host; by default the two
 * functions of the native demo program build/target (built beside it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "uprobe.skel.h"
#include "uprobe.h"

#define DEFAULT_BINARY "./build/target"

static const char *func_names[MAX_PROBES];
static int n_args = 2;
static bool wide;
static unsigned long long n_calls;

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-p PID] [-a N] [-l] [TARGET...]\n"
		"Trace calls of user-space functions: arguments, return value, duration.\n"
		"\n"
		"  TARGET  BINARY:FUNCTION (up to %d), or BINARY alone for the demo\n"
		"          functions uprobe_add and uprobe_sub of that binary\n"
		"          (default: " DEFAULT_BINARY ", built by `make`)\n"
		"  -p PID  only calls made by this process (host pid)\n"
		"  -a N    print N arguments (0..%d, default 2)\n"
		"  -l      arguments and return value as 64-bit (default: 32-bit int)\n"
		"  -h      this help\n"
		"\n"
		"Paths are resolved by wasm-bpf, relative to its working directory.\n"
		"Example: wasm-bpf run uprobe.wasm /usr/lib/x86_64-linux-gnu/libc.so.6:getpid\n",
		prog, MAX_PROBES, MAX_ARGS);
}

static long long value(unsigned long long v)
{
	return wide ? (long long)v : (long long)(int)(unsigned int)v;
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct call_event *e = data;
	char call[256];
	size_t len;
	int i;

	if (size < sizeof(*e) || e->probe >= MAX_PROBES)
		return 0;
	n_calls++;
	len = (size_t)snprintf(call, sizeof(call), "%s(", func_names[e->probe]);
	for (i = 0; i < n_args && len < sizeof(call); i++)
		len += (size_t)snprintf(call + len, sizeof(call) - len, "%s%lld", i ? ", " : "",
					value(e->args[i]));
	if (len < sizeof(call))
		snprintf(call + len, sizeof(call) - len, ") = %lld", value(e->ret));
	printf("%-7u %-16.16s %-8.1f %s\n", e->pid, e->comm, e->duration_ns / 1000.0, call);
	return 0;
}

int main(int argc, char **argv)
{
	struct uprobe_bpf *skel;
	struct bpf_program *entry[MAX_PROBES], *ret[MAX_PROBES];
	char targets[MAX_PROBES][256], msg[512], *end;
	const char *defaults[2];
	char def_buf[2][256];
	struct bpf_buffer *buf = NULL;
	int opt, err, n = 0, i;
	long pid = 0;

	while ((opt = getopt(argc, argv, "p:a:lh")) != -1) {
		switch (opt) {
		case 'p':
			errno = 0;
			pid = strtol(optarg, &end, 10);
			if (errno || *end || pid <= 0 || pid > 0x7fffffff) {
				fprintf(stderr, "uprobe: invalid pid '%s'\n", optarg);
				return 2;
			}
			break;
		case 'a':
			n_args = atoi(optarg);
			if (n_args < 0 || n_args > MAX_ARGS) {
				fprintf(stderr, "uprobe: -a takes 0 to %d\n", MAX_ARGS);
				return 2;
			}
			break;
		case 'l':
			wide = true;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}

	/* The list of targets: BINARY:FUNCTION, or a binary for the demo pair. */
	if (optind == argc)
		argv[--optind] = DEFAULT_BINARY;
	for (; optind < argc; optind++) {
		const char *t = argv[optind];
		int k, cnt = 1;

		if (!strchr(t, ':')) {
			snprintf(def_buf[0], sizeof(def_buf[0]), "%s:uprobe_add", t);
			snprintf(def_buf[1], sizeof(def_buf[1]), "%s:uprobe_sub", t);
			defaults[0] = def_buf[0];
			defaults[1] = def_buf[1];
			cnt = 2;
		} else {
			defaults[0] = t;
		}
		for (k = 0; k < cnt; k++) {
			if (n == MAX_PROBES) {
				fprintf(stderr, "uprobe: at most %d functions\n", MAX_PROBES);
				return 2;
			}
			snprintf(targets[n], sizeof(targets[n]), "%s", defaults[k]);
			func_names[n] = strrchr(targets[n], ':') + 1;
			n++;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	skel = uprobe_bpf__open();
	if (!skel) {
		fprintf(stderr, "uprobe: cannot open the eBPF object: %s\n", strerror(errno));
		return 1;
	}
	entry[0] = skel->progs.probe0_entry;
	entry[1] = skel->progs.probe1_entry;
	entry[2] = skel->progs.probe2_entry;
	entry[3] = skel->progs.probe3_entry;
	ret[0] = skel->progs.probe0_return;
	ret[1] = skel->progs.probe1_return;
	ret[2] = skel->progs.probe2_return;
	ret[3] = skel->progs.probe3_return;
	for (i = n; i < MAX_PROBES; i++) {
		bpf_program__set_autoload(entry[i], false);
		bpf_program__set_autoload(ret[i], false);
	}
	err = uprobe_bpf__load(skel);
	if (err) {
		libbpf_get_error_text(msg, sizeof(msg));
		fprintf(stderr, "uprobe: cannot load the eBPF object: %s\n%s\n", strerror(-err),
			msg);
		goto out;
	}
	for (i = 0; i < n; i++) {
		char target[300];

		/* "@PID" restricts the probe to one process (docs/abi.md). */
		if (pid)
			snprintf(target, sizeof(target), "%s@%ld", targets[i], pid);
		else
			snprintf(target, sizeof(target), "%s", targets[i]);
		if (!bpf_program__attach_target(entry[i], target) ||
		    !bpf_program__attach_target(ret[i], target)) {
			err = -errno;
			libbpf_get_error_text(msg, sizeof(msg));
			fprintf(stderr, "uprobe: cannot attach to %s: %s\n%s\n", target,
				strerror(errno), msg);
			goto out;
		}
	}
	buf = bpf_buffer__open(skel->maps.events, handle_event, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "uprobe: cannot open the ring buffer: %s\n", strerror(errno));
		goto out;
	}
	bpf_buffer__set_max_size(buf, sizeof(struct call_event));

	for (i = 0; i < n; i++)
		fprintf(stderr, "uprobe: tracing %s\n", targets[i]);
	printf("%-7s %-16s %-8s %s\n", "PID", "COMM", "LAT(us)", "CALL");
	while ((err = bpf_buffer__poll(buf, 100)) >= 0)
		;
	if (err == -EINTR)
		err = 0;
	else
		fprintf(stderr, "uprobe: polling the ring buffer: %s\n", strerror(-err));
	printf("%llu calls\n", n_calls);
out:
	bpf_buffer__free(buf);
	uprobe_bpf__destroy(skel);
	return err < 0 ? 1 : 0;
}
