/* SPDX-License-Identifier: MIT */
/*
 * runqlat: how long tasks wait in the CPU run queue, as log2 histograms
 * printed every interval (for all tasks, per process or per thread), in the
 * format of bcc's runqlat. The histograms live in a hash map that the guest
 * reads and clears with get_next_key / lookup / delete.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "runqlat.skel.h"
#include "runqlat.h"

#define MAX_KEYS 10240

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-m] [-P | -L] [-p PID] [-T] [INTERVAL [COUNT]]\n"
		"Summarize run queue (scheduler) latency as a histogram.\n"
		"\n"
		"  INTERVAL  print and clear the histograms every INTERVAL seconds\n"
		"            (default: once, at Ctrl-C)\n"
		"  COUNT     stop after COUNT intervals\n"
		"  -m        milliseconds instead of microseconds\n"
		"  -P        one histogram per process\n"
		"  -L        one histogram per thread\n"
		"  -p PID    only this process (host pid)\n"
		"  -T        print a timestamp with each interval\n"
		"  -h        this help\n"
		"\n"
		"Examples: wasm-bpf run runqlat.wasm 1 10     10 one-second summaries\n"
		"          wasm-bpf run runqlat.wasm -P 5 1   per process, 5 seconds\n",
		prog);
}

/* One histogram in the classic bcc layout: a row per power of two, stars. */
static void print_log2_hist(const unsigned int *slots, int n, const char *unit)
{
	unsigned int max = 0;
	int i, last = -1, stars_max, width;

	for (i = 0; i < n; i++) {
		if (slots[i])
			last = i;
		if (slots[i] > max)
			max = slots[i];
	}
	if (last < 0)
		return;
	/* Narrow columns while the ranges fit in 10 digits (bcc's choice). */
	width = last <= 32 ? 10 : 20;
	stars_max = last <= 32 ? 40 : 20;
	printf("%*s%-*s : count    distribution\n", width == 10 ? 5 : 15, "", width == 10 ? 19 : 29,
	       unit);
	for (i = 0; i <= last; i++) {
		unsigned long long low = (1ULL << (i + 1)) >> 1, high = (1ULL << (i + 1)) - 1;
		int stars = max ? (int)((unsigned long long)slots[i] * stars_max / max) : 0, j;

		if (low == high)
			low--;
		printf("%*llu -> %-*llu : %-8u |", width, low, width, high, slots[i]);
		for (j = 0; j < stars_max; j++)
			putchar(j < stars ? '*' : ' ');
		printf("|\n");
	}
}

static unsigned int keys[MAX_KEYS];

/* Print every histogram of the map, then delete them (the next interval starts empty). */
static int print_and_clear(int fd, bool per_process, bool per_thread, const char *unit)
{
	unsigned int *prev = NULL, n = 0, i;
	struct hist h;
	int err;

	/* Collect the keys first: deleting while walking would restart the walk. */
	while (n < MAX_KEYS && (err = bpf_map_get_next_key(fd, prev, &keys[n])) == 0) {
		prev = &keys[n];
		n++;
	}
	if (err && err != -ENOENT)
		return err;
	for (i = 0; i < n; i++) {
		err = bpf_map_lookup_elem(fd, &keys[i], &h);
		if (err)
			continue;
		if (per_process)
			printf("\npid = %u %.*s\n", keys[i], (int)sizeof(h.comm), h.comm);
		else if (per_thread)
			printf("\ntid = %u %.*s\n", keys[i], (int)sizeof(h.comm), h.comm);
		print_log2_hist(h.slots, MAX_SLOTS, unit);
		bpf_map_delete_elem(fd, &keys[i]);
	}
	return (int)n;
}

int main(int argc, char **argv)
{
	struct runqlat_bpf *skel;
	bool per_process = false, per_thread = false, ms = false, timestamp = false;
	long interval = 0, count = -1, pid = 0, done = 0;
	char msg[512], *end;
	int opt, err, fd;

	while ((opt = getopt(argc, argv, "mPLp:Th")) != -1) {
		switch (opt) {
		case 'm':
			ms = true;
			break;
		case 'P':
			per_process = true;
			break;
		case 'L':
			per_thread = true;
			break;
		case 'p':
			errno = 0;
			pid = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || pid <= 0 || pid > 0x7fffffff) {
				fprintf(stderr, "runqlat: invalid pid '%s'\n", optarg);
				return 2;
			}
			break;
		case 'T':
			timestamp = true;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (per_process && per_thread) {
		fprintf(stderr, "runqlat: -P and -L are exclusive\n");
		return 2;
	}
	if (optind < argc) {
		errno = 0;
		interval = strtol(argv[optind], &end, 10);
		if (errno || *end || interval <= 0 || interval > 86400) {
			fprintf(stderr, "runqlat: invalid interval '%s'\n", argv[optind]);
			return 2;
		}
		optind++;
	}
	if (optind < argc) {
		errno = 0;
		count = strtol(argv[optind], &end, 10);
		if (errno || *end || count <= 0) {
			fprintf(stderr, "runqlat: invalid count '%s'\n", argv[optind]);
			return 2;
		}
		optind++;
	}
	if (optind < argc) {
		fprintf(stderr, "runqlat: unexpected argument '%s'\n", argv[optind]);
		usage(stderr, argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	skel = runqlat_bpf__open();
	if (!skel) {
		fprintf(stderr, "runqlat: cannot open the eBPF object: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->targ_per_process = per_process;
	skel->rodata->targ_per_thread = per_thread;
	skel->rodata->targ_ms = ms;
	skel->rodata->targ_tgid = (int32_t)pid;
	err = runqlat_bpf__load(skel);
	if (!err)
		err = runqlat_bpf__attach(skel);
	if (err) {
		libbpf_get_error_text(msg, sizeof(msg));
		fprintf(stderr, "runqlat: cannot load and attach: %s\n%s\n", strerror(-err), msg);
		goto out;
	}
	fd = bpf_map__fd(skel->maps.hists);

	printf("Tracing run queue latency... Hit Ctrl-C to end.\n");
	for (;;) {
		/*
		 * Without an interval: until Ctrl-C. Ctrl-C ends the sleep early:
		 * print what was collected so far and stop.
		 */
		bool stop = sleep(interval ? (unsigned int)interval : 99999999) != 0;

		printf("\n");
		if (timestamp) {
			char ts[16];
			time_t t = time(NULL);

			strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&t));
			printf("%-8s\n", ts);
		}
		err = print_and_clear(fd, per_process, per_thread, ms ? "msecs" : "usecs");
		if (err < 0) {
			fprintf(stderr, "runqlat: reading the histograms: %s\n", strerror(-err));
			break;
		}
		err = 0;
		if (stop || !interval || (count > 0 && ++done >= count))
			break;
	}
out:
	runqlat_bpf__destroy(skel);
	return err < 0 ? 1 : 0;
}
