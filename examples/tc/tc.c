/* SPDX-License-Identifier: MIT */
/*
 * The tc example's user-space half: attaches tc.bpf.c at the TC ingress
 * and/or egress hook of an interface, sums the per-CPU counters every
 * interval and prints packets and bytes per direction, IP family and
 * protocol, then a final summary.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libbpf-wasm.h"
#include "tc.skel.h"
#include "tc.h"

static const char *const slot_names[SLOT_CNT] = {
	"ipv4  tcp", "ipv4  udp", "ipv4  icmp", "ipv4  other",
	"ipv6  tcp", "ipv6  udp", "ipv6  icmp", "ipv6  other",
	"non-IP",
};

static const char *const dir_names[DIR_CNT] = { "ingress", "egress" };

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: tc IFNAME [-d ingress|egress|both] [-i SECONDS] [-n COUNT]\n"
		"Count the packets IFNAME receives and sends per IP family and protocol,\n"
		"with eBPF programs at the TC hooks (a clsact qdisc is added if needed).\n"
		"  -d DIR      which hooks (default both)\n"
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
 * Sum key by key over the CPUs. A per-CPU lookup writes one value per
 * possible CPU, each rounded up to 8 bytes; value_bytes from the host says
 * how much in all, so the guest never assumes a CPU count.
 */
static int read_counters(int fd, void *percpu, size_t stride, unsigned int ncpu,
			 struct counter *sum)
{
	uint32_t key;
	unsigned int cpu;
	int err;

	for (key = 0; key < COUNTER_CNT; key++) {
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

/* One interval: the counters that moved at all, totals so far and this interval's change. */
static void print_interval(const struct counter *now, const struct counter *before)
{
	char ts[16];
	time_t t = time(NULL);
	int key, shown = 0;

	strftime(ts, sizeof(ts), "%H:%M:%S", gmtime(&t));
	printf("%s\n", ts);
	for (key = 0; key < COUNTER_CNT; key++) {
		if (!now[key].packets)
			continue;
		printf("  %-8s %-12s %10llu pkts %12llu bytes  (+%llu pkts)\n",
		       dir_names[key / SLOT_CNT], slot_names[key % SLOT_CNT],
		       (unsigned long long)now[key].packets, (unsigned long long)now[key].bytes,
		       (unsigned long long)(now[key].packets - before[key].packets));
		shown++;
	}
	if (!shown)
		printf("  no packets yet\n");
	fflush(stdout);
}

static void print_summary(const char *ifname, const struct counter *sum, long seconds)
{
	unsigned long long tot[DIR_CNT][2] = { { 0 } };
	int slot, dir;

	printf("\nSummary for %s (%ld s):\n", ifname, seconds);
	printf("  %-12s %10s %12s %10s %12s\n", "PROTOCOL", "IN PKTS", "IN BYTES", "OUT PKTS",
	       "OUT BYTES");
	for (slot = 0; slot < SLOT_CNT; slot++) {
		const struct counter *in = &sum[COUNTER_KEY(DIR_INGRESS, slot)];
		const struct counter *out = &sum[COUNTER_KEY(DIR_EGRESS, slot)];

		printf("  %-12s %10llu %12llu %10llu %12llu\n", slot_names[slot],
		       (unsigned long long)in->packets, (unsigned long long)in->bytes,
		       (unsigned long long)out->packets, (unsigned long long)out->bytes);
		for (dir = 0; dir < DIR_CNT; dir++) {
			tot[dir][0] += sum[COUNTER_KEY(dir, slot)].packets;
			tot[dir][1] += sum[COUNTER_KEY(dir, slot)].bytes;
		}
	}
	printf("  %-12s %10llu %12llu %10llu %12llu\n", "total", tot[0][0], tot[0][1], tot[1][0],
	       tot[1][1]);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct counter sum[COUNTER_CNT], prev[COUNTER_CNT];
	struct wasm_bpf_map_info info;
	const char *ifname = NULL, *dirs = "both";
	struct tc_bpf *skel = NULL;
	long interval = 1, count = 0, ticks = 0;
	bool in, out;
	unsigned int ncpu;
	char target[64], err_text[256];
	void *percpu = NULL;
	size_t stride;
	int i, fd, err = 1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-d") && argv[i + 1]) {
			dirs = argv[++i];
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
	in = !strcmp(dirs, "ingress") || !strcmp(dirs, "both");
	out = !strcmp(dirs, "egress") || !strcmp(dirs, "both");
	if (!ifname || (!in && !out)) {
		usage(stderr);
		return 2;
	}

	skel = tc_bpf__open();
	if (!skel) {
		fprintf(stderr, "tc: cannot open the eBPF object: %s\n", strerror(errno));
		return 1;
	}
	/* A hook we do not watch gets no program: not even loaded. */
	if (!in)
		bpf_program__set_autoload(skel->progs.tc_ingress, false);
	if (!out)
		bpf_program__set_autoload(skel->progs.tc_egress, false);
	err = tc_bpf__load(skel);
	if (err) {
		libbpf_get_error_text(err_text, sizeof(err_text));
		fprintf(stderr, "tc: cannot load the eBPF object: %s\n", err_text);
		err = 1;
		goto out;
	}
	snprintf(target, sizeof(target), "%s:ingress", ifname);
	bpf_set_prog_attach_target(skel->progs.tc_ingress, target);
	snprintf(target, sizeof(target), "%s:egress", ifname);
	bpf_set_prog_attach_target(skel->progs.tc_egress, target);
	err = tc_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "tc: cannot attach to %s: %s\n", ifname, strerror(-err));
		err = 1;
		goto out;
	}

	fd = bpf_map__fd(skel->maps.counters);
	err = wasm_bpf__map_info(skel->maps.counters, &info);
	if (err < 0) {
		fprintf(stderr, "tc: map info: %s\n", strerror(-err));
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

	printf("Counting packets on %s at TC %s, %u CPUs, every %ld s. Ctrl-C to stop.\n",
	       ifname, in && out ? "ingress and egress" : in ? "ingress" : "egress", ncpu,
	       interval);
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
			fprintf(stderr, "tc: reading the counters: %s\n", strerror(-err));
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
	tc_bpf__destroy(skel);
	return err;
}
