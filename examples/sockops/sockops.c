/* SPDX-License-Identifier: MIT */
/*
 * The sockops example's user-space half: attaches sockops.bpf.c to a cgroup
 * and prints, every interval, how many TCP connections the processes of that
 * cgroup established, per side (active: connect, passive: accept) and
 * service port, then a final summary.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libbpf-wasm.h"
#include "sockops.skel.h"
#include "sockops.h"

#define DEFAULT_CGROUP "/sys/fs/cgroup/unified"
#define MAX_ENTRIES 1024	/* the map's max_entries */

struct entry {
	struct conn_key key;
	uint64_t count;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: sockops [CGROUP] [-i SECONDS] [-n COUNT]\n"
		"Count the TCP connections established by the processes of CGROUP\n"
		"(a cgroup v2 directory, default " DEFAULT_CGROUP "), per side and port.\n"
		"  -i SECONDS  print the counts every SECONDS (default 1)\n"
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

/* Active before passive, IPv4 before IPv6, then by port. */
static int cmp_entry(const void *a, const void *b)
{
	const struct conn_key *x = &((const struct entry *)a)->key;
	const struct conn_key *y = &((const struct entry *)b)->key;

	if (x->passive != y->passive)
		return x->passive - y->passive;
	if (x->ipv6 != y->ipv6)
		return x->ipv6 - y->ipv6;
	return (int)x->port - (int)y->port;
}

/* Walk the hash map (get_next_key from "no key", then lookups); returns entries or -errno. */
static int read_entries(int fd, struct entry *out, int max)
{
	struct conn_key key, next;
	const struct conn_key *cur = NULL;
	int n = 0, err = 0;

	while (n < max && (err = bpf_map_get_next_key(fd, cur, &next)) == 0) {
		out[n].key = next;
		/* An entry can only vanish if someone deletes it: skip it then. */
		if (bpf_map_lookup_elem(fd, &next, &out[n].count) == 0)
			n++;
		key = next;
		cur = &key;
	}
	if (n < max && err != -ENOENT)
		return err;
	qsort(out, n, sizeof(*out), cmp_entry);
	return n;
}

static void print_entries(const struct entry *e, int n)
{
	int i;

	if (!n) {
		printf("  no connections yet\n");
		return;
	}
	printf("  %-8s %-6s %6s %12s\n", "SIDE", "FAMILY", "PORT", "CONNECTIONS");
	for (i = 0; i < n; i++)
		printf("  %-8s %-6s %6u %12llu\n", e[i].key.passive ? "passive" : "active",
		       e[i].key.ipv6 ? "ipv6" : "ipv4", e[i].key.port,
		       (unsigned long long)e[i].count);
}

int main(int argc, char **argv)
{
	static struct entry entries[MAX_ENTRIES];
	const char *cgroup = NULL;
	struct sockops_bpf *skel = NULL;
	long interval = 1, count = 0, ticks = 0;
	char err_text[256], ts[16];
	int i, n, fd, err = 1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-i") && (interval = positive(argv[i + 1])) > 0) {
			i++;
		} else if (!strcmp(argv[i], "-n") && (count = positive(argv[i + 1])) > 0) {
			i++;
		} else if (argv[i][0] != '-' && !cgroup) {
			cgroup = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!cgroup)
		cgroup = DEFAULT_CGROUP;

	skel = sockops_bpf__open_and_load();
	if (!skel) {
		libbpf_get_error_text(err_text, sizeof(err_text));
		fprintf(stderr, "sockops: cannot load the eBPF object: %s\n", err_text);
		return 1;
	}
	/* The host opens the cgroup directory: the guest needs no access to it. */
	bpf_set_prog_attach_target(skel->progs.count_established, cgroup);
	err = sockops_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "sockops: cannot attach to cgroup %s: %s\n", cgroup,
			strerror(-err));
		err = 1;
		goto out;
	}
	fd = bpf_map__fd(skel->maps.connections);

	printf("Counting TCP connections established in cgroup %s every %ld s. "
	       "Ctrl-C to stop.\n", cgroup, interval);
	fflush(stdout);
	for (;;) {
		struct timespec sl = { .tv_sec = interval };
		time_t t;

		/*
		 * Ctrl-C interrupts the sleep: stop and print what was counted.
		 * (wasi-libc reports any failed sleep as ENOTSUP, not EINTR.)
		 */
		if (nanosleep(&sl, NULL))
			break;
		ticks++;
		n = read_entries(fd, entries, MAX_ENTRIES);
		if (n < 0) {
			fprintf(stderr, "sockops: reading the counts: %s\n", strerror(-n));
			err = 1;
			goto out;
		}
		t = time(NULL);
		strftime(ts, sizeof(ts), "%H:%M:%S", gmtime(&t));
		printf("%s\n", ts);
		print_entries(entries, n);
		fflush(stdout);
		if (count && ticks >= count)
			break;
	}
	n = read_entries(fd, entries, MAX_ENTRIES);
	if (n >= 0) {
		printf("\nSummary for cgroup %s (%ld s):\n", cgroup, ticks * interval);
		print_entries(entries, n);
		fflush(stdout);
	}
	err = 0;
out:
	sockops_bpf__destroy(skel);
	return err;
}
