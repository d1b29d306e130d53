/* SPDX-License-Identifier: MIT */
/*
 * hashmap: counts system calls per process in an eBPF hash map and, every
 * interval, prints the busiest processes (like bcc's syscount -P) and clears
 * the map: it walks the keys with bpf_map_get_next_key from NULL, reads each
 * value, sorts, prints, then deletes what it read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "hashmap.skel.h"
#include "hashmap.h"

#define MAX_ENTRIES 10240

struct row {
	unsigned int pid;
	struct proc_stat st;
};

static unsigned int keys[MAX_ENTRIES];
static struct row rows[MAX_ENTRIES];

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-T TOP] [-p PID] [-s NR] [INTERVAL [COUNT]]\n"
		"Count system calls per process; every INTERVAL seconds (default 1)\n"
		"print the TOP busiest processes and start again from zero, COUNT\n"
		"times (default: until Ctrl-C).\n"
		"\n"
		"  -T TOP  processes shown per interval (default 10)\n"
		"  -p PID  only this process (host pid)\n"
		"  -s NR   only system call number NR (x86_64: 0 read, 1 write ...)\n"
		"  -h      this help\n",
		prog);
}

static int by_count(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->st.syscalls != y->st.syscalls)
		return x->st.syscalls < y->st.syscalls ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Read every entry, print the top ones, delete what was read. */
static int print_and_clear(int fd, int top)
{
	unsigned int *prev = NULL, n = 0, got = 0, i;
	unsigned long long total = 0;
	int err;

	while (n < MAX_ENTRIES && (err = bpf_map_get_next_key(fd, prev, &keys[n])) == 0) {
		prev = &keys[n];
		n++;
	}
	if (err && err != -ENOENT)
		return err;
	for (i = 0; i < n; i++) {
		/* Gone since the walk (a delete elsewhere): skip it. */
		if (bpf_map_lookup_elem(fd, &keys[i], &rows[got].st))
			continue;
		rows[got].pid = keys[i];
		total += rows[got].st.syscalls;
		got++;
	}
	/*
	 * Delete what was read. Calls counted between the lookup and the delete
	 * are lost; bpf_map_lookup_and_delete_elem would close that gap on
	 * kernels that support it for hash maps (5.14+).
	 */
	for (i = 0; i < n; i++)
		bpf_map_delete_elem(fd, &keys[i]);
	qsort(rows, got, sizeof(rows[0]), by_count);
	printf("%-7s %-16s %10s\n", "PID", "COMM", "SYSCALLS");
	for (i = 0; i < got && (int)i < top; i++)
		printf("%-7u %-16.16s %10llu\n", rows[i].pid, rows[i].st.comm, rows[i].st.syscalls);
	printf("%u processes, %llu system calls\n", got, total);
	return 0;
}

static int parse_long(const char *s, long min, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return errno || *end || end == s || *v < min || *v > max ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct hashmap_bpf *skel;
	long top = 10, pid = 0, nr = -1, interval = 1, count = -1, done = 0;
	char msg[512], ts[16];
	int opt, err, fd;
	time_t t;

	while ((opt = getopt(argc, argv, "T:p:s:h")) != -1) {
		switch (opt) {
		case 'T':
			if (parse_long(optarg, 1, MAX_ENTRIES, &top))
				goto bad;
			break;
		case 'p':
			if (parse_long(optarg, 1, 0x7fffffff, &pid))
				goto bad;
			break;
		case 's':
			if (parse_long(optarg, 0, 4095, &nr))
				goto bad;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind < argc && parse_long(argv[optind++], 1, 86400, &interval))
		goto bad;
	if (optind < argc && parse_long(argv[optind++], 1, 0x7fffffff, &count))
		goto bad;
	if (optind < argc)
		goto bad;
	setvbuf(stdout, NULL, _IOLBF, 0);

	skel = hashmap_bpf__open();
	if (!skel) {
		fprintf(stderr, "hashmap: cannot open the eBPF object: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->targ_tgid = (uint32_t)pid;
	skel->rodata->targ_syscall = (int32_t)nr;
	err = hashmap_bpf__load(skel);
	if (!err)
		err = hashmap_bpf__attach(skel);
	if (err) {
		libbpf_get_error_text(msg, sizeof(msg));
		fprintf(stderr, "hashmap: cannot load and attach: %s\n%s\n", strerror(-err), msg);
		goto out;
	}
	fd = bpf_map__fd(skel->maps.counts);
	printf("Counting system calls per process... Hit Ctrl-C to end.\n");
	for (;;) {
		/* Ctrl-C ends the sleep early: print that last interval and stop. */
		bool stop = sleep((unsigned int)interval) != 0;

		t = time(NULL);
		strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&t));
		printf("\n[%s]\n", ts);
		err = print_and_clear(fd, (int)top);
		if (err) {
			fprintf(stderr, "hashmap: reading the map: %s\n", strerror(-err));
			break;
		}
		if (stop || (count > 0 && ++done >= count))
			break;
	}
out:
	hashmap_bpf__destroy(skel);
	return err < 0 ? 1 : 0;
bad:
	fprintf(stderr, "hashmap: invalid argument\n");
	usage(stderr, argv[0]);
	return 2;
}
