/* SPDX-License-Identifier: MIT */
/*
 * twoobj: one WebAssembly module that loads two independent eBPF objects,
 * each from its own skeleton: an exec counter (live .bss globals) and an exit
 * counter by exit code (an array map). Every interval it prints both.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "twoobj.skel.h"
#include "exits.skel.h"

#define N_CODES 257
#define SIGNALED 256

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-u UID] [INTERVAL [COUNT]]\n"
		"Count process execs (object 1) and exits by exit code (object 2), and\n"
		"print the counts of each INTERVAL seconds (default 1), COUNT times\n"
		"(default: until Ctrl-C).\n"
		"\n"
		"  -u UID  also count the execs of this user (default 0)\n"
		"  -h      this help\n",
		prog);
}

static unsigned long long prev_codes[N_CODES];

/* "0:12 1:3 sig:1": the exit codes seen since the last call. */
static int format_codes(int fd, char *buf, size_t sz, unsigned long long *total)
{
	size_t len = 0;
	unsigned int code;

	buf[0] = '\0';
	*total = 0;
	for (code = 0; code < N_CODES; code++) {
		unsigned long long n = 0, d;
		int err = bpf_map_lookup_elem(fd, &code, &n);

		if (err)
			return err;
		d = n - prev_codes[code];
		prev_codes[code] = n;
		if (!d)
			continue;
		*total += d;
		if (len < sz)
			len += (size_t)snprintf(buf + len, sz - len, "%s%s%u:%llu", len ? " " : "",
						code == SIGNALED ? "sig" : "",
						code == SIGNALED ? 0 : code, d);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct twoobj_bpf *execs = NULL;
	struct exits_bpf *exits = NULL;
	unsigned long long last_execs = 0, last_uid = 0, n_exits;
	long interval = 1, count = -1, uid = 0, done = 0;
	char codes[1024], ts[16], msg[512], *end;
	int opt, err, fd;
	time_t t;

	while ((opt = getopt(argc, argv, "u:h")) != -1) {
		switch (opt) {
		case 'u':
			errno = 0;
			uid = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || uid < 0 || uid > 0x7fffffff) {
				fprintf(stderr, "twoobj: invalid uid '%s'\n", optarg);
				return 2;
			}
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
		interval = strtol(argv[optind++], &end, 10);
		if (*end || interval <= 0 || interval > 86400) {
			fprintf(stderr, "twoobj: invalid interval\n");
			return 2;
		}
	}
	if (optind < argc) {
		count = strtol(argv[optind++], &end, 10);
		if (*end || count <= 0) {
			fprintf(stderr, "twoobj: invalid count\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* Two objects, two handles: opened, configured, loaded, attached apart. */
	execs = twoobj_bpf__open();
	exits = exits_bpf__open();
	if (!execs || !exits) {
		err = -errno;
		fprintf(stderr, "twoobj: cannot open the eBPF objects: %s\n", strerror(errno));
		goto out;
	}
	execs->rodata->watched_uid = (uint32_t)uid;
	err = twoobj_bpf__load(execs);
	if (!err)
		err = twoobj_bpf__attach(execs);
	if (!err)
		err = exits_bpf__load(exits);
	if (!err)
		err = exits_bpf__attach(exits);
	if (err) {
		libbpf_get_error_text(msg, sizeof(msg));
		fprintf(stderr, "twoobj: cannot load and attach: %s\n%s\n", strerror(-err), msg);
		goto out;
	}
	fd = bpf_map__fd(exits->maps.exit_codes);
	/* Count from now: what happened before attaching is zero anyway. */
	format_codes(fd, codes, sizeof(codes), &n_exits);

	printf("%-8s %8s %8s %8s  %s\n", "TIME", "EXECS", "UID", "EXITS",
	       "EXIT CODES (code:count)");
	for (;;) {
		/* Ctrl-C ends the sleep early: print that last interval and stop. */
		bool stop = sleep((unsigned int)interval) != 0;

		/* Object 1: its .bss, read live from the kernel. */
		err = bpf_object__read_globals(execs->obj);
		if (err) {
			fprintf(stderr, "twoobj: reading .bss: %s\n", strerror(-err));
			break;
		}
		/* Object 2: its array map. */
		err = format_codes(fd, codes, sizeof(codes), &n_exits);
		if (err) {
			fprintf(stderr, "twoobj: reading exit_codes: %s\n", strerror(-err));
			break;
		}
		t = time(NULL);
		strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&t));
		printf("%-8s %8llu %8llu %8llu  %s\n", ts,
		       (unsigned long long)(execs->bss->exec_count - last_execs),
		       (unsigned long long)(execs->bss->exec_count_uid - last_uid), n_exits, codes);
		last_execs = execs->bss->exec_count;
		last_uid = execs->bss->exec_count_uid;
		if (stop || (count > 0 && ++done >= count))
			break;
	}
out:
	exits_bpf__destroy(exits);
	twoobj_bpf__destroy(execs);
	return err < 0 ? 1 : 0;
}
