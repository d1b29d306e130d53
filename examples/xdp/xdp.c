/* SPDX-License-Identifier: MIT */
/*
 * The xdp example's user-space half: attaches xdp.bpf.c to an interface,
 * sums the per-CPU counters every interval and prints packets and bytes per
 * IP family and protocol, then a final summary.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libbpf-wasm.h"
#include "xdp.skel.h"
#include "xdp.h"

static const char *const slot_names[SLOT_CNT] = {
	"ipv4  tcp", "ipv4  udp", "ipv4  icmp", "ipv4  other",
	"ipv6  tcp", "ipv6  udp", "ipv6  icmp", "ipv6  other",
	"non-IP",
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: xdp IFNAME [-g] [-i SECONDS] [-n COUNT]\n"
		"Count the packets received on IFNAME per IP family and protocol with XDP.\n"
		"  -g          generic (skb) mode instead of the driver's choice\n"
		"  -i SECONDS  print the counters every SECONDS (default 1)\n"
		"  -n COUNT    stop after COUNT intervals and print the summary\n"
		"Ctrl-C stops.\n");
}

/* A positive integer option value, or -1. */
static long positive(const char *s)
{
	char *end;
	long v;

	if (!s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0)
		return -1;
	return v;
}

/*
 * Sum slot by slot over the CPUs. A per-CPU lookup writes one value per
 * possible CPU, each rounded up to 8 bytes: value_bytes from the host says
 * how much in all, so the guest never assumes a CPU count.
 */
static int read_counters(int fd, void *percpu, size_t stride, unsigned int ncpu,
			 struct counter *sum)
{
	uint32_t key;
	unsigned int cpu;
	int err;

	for (key = 0; key < SLOT_CNT; key++) {
		err = bpf_map_lookup_elem(fd, &key, percpu);
		if (err < 0)
			return err;
		sum[key].packets = 0;
		sum[key].bytes = 0;
		for (cpu = 0; cpu < ncpu; cpu++) {
			struct counter c;

			memcpy(&c, (char *)percpu + cpu * stride, sizeof(c));
			sum[key].packets += c.packets;
			sum[key].bytes += c.bytes;
		}
	}
	return 0;
}

/* One interval: the slots that saw packets, totals so far and this interval's change. */
static void print_interval(const struct counter *now, const struct counter *before)
{
	char ts[16];
	time_t t = time(NULL);
	int slot, shown = 0;

	strftime(ts, sizeof(ts), "%H:%M:%S", gmtime(&t));
	printf("%s\n", ts);
	for (slot = 0; slot < SLOT_CNT; slot++) {
		if (!now[slot].packets)
			continue;
		printf("  %-12s %10llu pkts %12llu bytes  (+%llu pkts)\n", slot_names[slot],
		       (unsigned long long)now[slot].packets,
		       (unsigned long long)now[slot].bytes,
		       (unsigned long long)(now[slot].packets - before[slot].packets));
		shown++;
	}
	if (!shown)
		printf("  no packets yet\n");
	fflush(stdout);
}

static void print_summary(const char *ifname, const struct counter *sum, long seconds)
{
	unsigned long long packets = 0, bytes = 0;
	int slot;

	printf("\nSummary for %s (%ld s):\n", ifname, seconds);
	printf("  %-12s %10s %12s\n", "PROTOCOL", "PACKETS", "BYTES");
	for (slot = 0; slot < SLOT_CNT; slot++) {
		printf("  %-12s %10llu %12llu\n", slot_names[slot],
		       (unsigned long long)sum[slot].packets, (unsigned long long)sum[slot].bytes);
		packets += sum[slot].packets;
		bytes += sum[slot].bytes;
	}
	printf("  %-12s %10llu %12llu\n", "total", packets, bytes);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct counter sum[SLOT_CNT], prev[SLOT_CNT];
	struct wasm_bpf_map_info info;
	const char *ifname = NULL;
	struct xdp_bpf *skel = NULL;
	long interval = 1, count = 0, ticks = 0;
	unsigned int ncpu;
	bool generic = false;
	char target[64], err_text[256];
	void *percpu = NULL;
	size_t stride;
	int i, fd, err = 1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-g")) {
			generic = true;
		} else if (!strcmp(argv[i], "-i") && (interval = positive(argv[i + 1])) > 0) {
			i++;
		} else if (!strcmp(argv[i], "-n") && (count = positive(argv[i + 1])) > 0) {
			i++;
		} else if (argv[i][0] != '-' && !ifname) {
			ifname = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!ifname) {
		usage(stderr);
		return 2;
	}

	skel = xdp_bpf__open_and_load();
	if (!skel) {
		libbpf_get_error_text(err_text, sizeof(err_text));
		fprintf(stderr, "xdp: cannot load the eBPF object: %s\n", err_text);
		return 1;
	}
	/* "IFNAME:skb" asks the host for generic mode; "IFNAME" lets the kernel choose. */
	snprintf(target, sizeof(target), "%s%s", ifname, generic ? ":skb" : "");
	bpf_set_prog_attach_target(skel->progs.xdp_count, target);
	err = xdp_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "xdp: cannot attach to %s: %s\n", ifname, strerror(-err));
		err = 1;
		goto out;
	}

	fd = bpf_map__fd(skel->maps.counters);
	err = wasm_bpf__map_info(skel->maps.counters, &info);
	if (err < 0) {
		fprintf(stderr, "xdp: map info: %s\n", strerror(-err));
		err = 1;
		goto out;
	}
	stride = (info.value_size + 7) & ~7u;
	ncpu = info.value_bytes / stride;
	percpu = calloc(1, info.value_bytes);
	if (!percpu) {
		err = 1;
		goto out;
	}

	printf("Counting packets received on %s with XDP (%s mode), %u CPUs, every %ld s. "
	       "Ctrl-C to stop.\n", ifname, generic ? "generic" : "default", ncpu, interval);
	fflush(stdout);
	memset(prev, 0, sizeof(prev));
	memset(sum, 0, sizeof(sum));
	for (;;) {
		struct timespec ts = { .tv_sec = interval };

		/*
		 * Ctrl-C interrupts the sleep: stop and print what was counted.
		 * (wasi-libc reports any failed sleep as ENOTSUP, not EINTR.)
		 */
		if (nanosleep(&ts, NULL))
			break;
		ticks++;
		err = read_counters(fd, percpu, stride, ncpu, sum);
		if (err < 0) {
			fprintf(stderr, "xdp: reading the counters: %s\n", strerror(-err));
			err = 1;
			goto out;
		}
		print_interval(sum, prev);
		memcpy(prev, sum, sizeof(prev));
		if (count && ticks >= count)
			break;
	}
	if (read_counters(fd, percpu, stride, ncpu, sum) == 0)
		print_summary(ifname, sum, ticks * interval);
	err = 0;
out:
	free(percpu);
	xdp_bpf__destroy(skel);
	return err;
}
