/* SPDX-License-Identifier: MIT */
/*
 * bootstrap: prints every process exec (with its parent and file name) and
 * exit (with its exit code and lifetime), as libbpf-bootstrap's example does,
 * from a WebAssembly guest. -d MS reports only exits of processes that lived
 * at least MS milliseconds (the filter runs in the kernel, set via .rodata).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "bootstrap.skel.h"
#include "bootstrap.h"

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-d MS] [-v]\n"
		"Trace process start and exit: exec (file name, parent) and exit\n"
		"(exit code, lifetime).\n"
		"\n"
		"  -d MS   report only exits of processes that lived at least MS ms\n"
		"          (execs are then not shown)\n"
		"  -v      print the summary of events on exit\n"
		"  -h      this help\n"
		"\n"
		"Example: sudo wasm-bpf run bootstrap.wasm -d 100\n",
		prog);
}

static unsigned long long n_exec, n_exit;

/*
 * Reads a decimal number of milliseconds into *ms; -1 if s is not one, or is
 * above ULONG_MAX. A loop rather than strtoul(), whose parser (signs, bases,
 * white space) would add 2 KB to the module.
 */
static int parse_ms(const char *s, unsigned long *ms)
{
	unsigned long long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > ULONG_MAX)
			return -1;
	}
	*ms = (unsigned long)v;
	return 0;
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct event *e = data;
	unsigned int t;

	if (size < sizeof(*e))
		return 0;
	/*
	 * The time of day, HH:MM:SS. WASI has no time zones (localtime() gives
	 * UTC too), so it is computed here: strftime() and localtime() would
	 * bring 4 KB of calendar and locale code into the module.
	 */
	t = (unsigned int)(time(NULL) % 86400);
	printf("%02u:%02u:%02u %-5s %-16.16s %-7d %-7d ", t / 3600, t / 60 % 60, t % 60,
	       e->exit_event ? "EXIT" : "EXEC", e->comm, e->pid, e->ppid);
	if (e->exit_event) {
		n_exit++;
		printf("[%u]", e->exit_code);
		if (e->duration_ns)
			printf(" (%llums)", e->duration_ns / 1000000);
		printf("\n");
	} else {
		n_exec++;
		printf("%.*s\n", (int)sizeof(e->filename), e->filename);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct bootstrap_bpf *skel = NULL;
	struct bpf_buffer *rb = NULL;
	unsigned long min_ms = 0;
	char msg[512];
	int opt, err;
	bool verbose = false;

	while ((opt = getopt(argc, argv, "d:vh")) != -1) {
		switch (opt) {
		case 'd':
			if (parse_ms(optarg, &min_ms)) {
				fprintf(stderr, "bootstrap: invalid duration '%s'\n", optarg);
				return 2;
			}
			break;
		case 'v':
			verbose = true;
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
		fprintf(stderr, "bootstrap: unexpected argument '%s'\n", argv[optind]);
		usage(stderr, argv[0]);
		return 2;
	}
	/* One line per event even when stdout is a pipe or a file. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	skel = bootstrap_bpf__open();
	if (!skel) {
		fprintf(stderr, "bootstrap: cannot open the eBPF object: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->min_duration_ns = min_ms * 1000000ULL;

	err = bootstrap_bpf__load(skel);
	if (err) {
		libbpf_get_error_text(msg, sizeof(msg));
		fprintf(stderr, "bootstrap: cannot load the eBPF object: %s\n%s\n", strerror(-err),
			msg);
		goto out;
	}
	err = bootstrap_bpf__attach(skel);
	if (err) {
		libbpf_get_error_text(msg, sizeof(msg));
		fprintf(stderr, "bootstrap: cannot attach: %s\n%s\n", strerror(-err), msg);
		goto out;
	}
	rb = bpf_buffer__open(skel->maps.rb, handle_event, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "bootstrap: cannot open the ring buffer: %s\n", strerror(errno));
		goto out;
	}

	printf("%-8s %-5s %-16s %-7s %-7s %s\n", "TIME", "EVENT", "COMM", "PID", "PPID",
	       "FILENAME/EXIT CODE");
	for (;;) {
		err = bpf_buffer__poll(rb, 100);
		if (err == -EINTR) {
			err = 0;
			break;
		}
		if (err < 0) {
			fprintf(stderr, "bootstrap: polling the ring buffer: %s\n", strerror(-err));
			break;
		}
	}
	if (verbose)
		fprintf(stderr, "bootstrap: %llu execs, %llu exits\n", n_exec, n_exit);
out:
	bpf_buffer__free(rb);
	bootstrap_bpf__destroy(skel);
	return err < 0 ? 1 : 0;
}
