/* SPDX-License-Identifier: MIT */
/*
 * `make test-jit-diff`: the baseline JIT against the interpreter on given
 * .wasm files, deterministically (the libFuzzer target fuzz/fuzz_module.c
 * makes the same comparison on random inputs). Each module is loaded both
 * ways and every exported function is called in export order, for a few
 * rounds, with arguments picked by a seed from a few edge values per type
 * (tests/diff/jit_diff.c says what is compared).
 *
 *   jit_vs_interp [-s SEED] [-r ROUNDS] [-f FUEL] [-n] [-q] FILE.wasm...
 *
 * -s picks the arguments (default 1; 0 makes them all zero), -r how many
 * times each export is called (default 3), -f each store's fuel (default
 * 10,000,000; 0 unlimited), -n compares NaN results bit for bit. Prints one
 * line per module (-q: only those that differ) and "jit-vs-interp: N modules
 * agree, M differ (...)"; exits 1 if any differ, 2 on a usage or file error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jit_diff.h"

static int read_file(const char *path, uint8_t **buf, size_t *sz)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL, *q;
	size_t n = 0, cap = 0, got;

	if (!f)
		return -errno;
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			q = realloc(p, cap);
			if (!q) {
				free(p);
				fclose(f);
				return -ENOMEM;
			}
			p = q;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(p);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*buf = p;
	*sz = n;
	return 0;
}

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-s SEED] [-r ROUNDS] [-f FUEL] [-n] [-q] FILE.wasm...\n",
		prog);
}

int main(int argc, char **argv)
{
	struct jit_diff_opts opts = { .fuel = 10000000, .rounds = 3, .seed = 1 };
	struct jit_diff_stats st;
	uint64_t calls = 0, traps = 0, done = 0, declined = 0, nans = 0;
	uint32_t agree = 0, differ = 0, unloadable = 0, uninst = 0;
	bool quiet = false;
	char why[1024];
	uint8_t *buf = NULL;
	size_t sz = 0;
	int c, i, ret;

	while ((c = getopt(argc, argv, "s:r:f:nq")) != -1) {
		switch (c) {
		case 's':
			opts.seed = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			opts.rounds = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'f':
			opts.fuel = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			opts.exact_nan = 1;
			break;
		case 'q':
			quiet = true;
			break;
		default:
			usage(argv[0]);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(argv[0]);
		return 2;
	}
	for (i = optind; i < argc; i++) {
		ret = read_file(argv[i], &buf, &sz);
		if (ret) {
			fprintf(stderr, "jit-vs-interp: %s: %s\n", argv[i], strerror(-ret));
			return 2;
		}
		ret = jit_diff_run(buf, sz, &opts, &st, why, sizeof(why));
		free(buf);
		switch (ret) {
		case JIT_DIFF_DIFFER:
			differ++;
			printf("jit-vs-interp: %s: DIFFER: %s\n", argv[i], why);
			break;
		case JIT_DIFF_UNLOADABLE:
			agree++;
			unloadable++;
			if (!quiet)
				printf("jit-vs-interp: %s: agree (neither loads it)\n", argv[i]);
			break;
		default:
			agree++;
			uninst += !st.instantiated;
			if (!quiet)
				printf("jit-vs-interp: %s: agree (%" PRIu32 " calls, %" PRIu32
				       " traps; %" PRIu32 " functions compiled, %" PRIu32
				       " declined)%s\n", argv[i], st.calls, st.traps, st.jit_done,
				       st.jit_declined, st.instantiated ? "" : " not instantiated");
			break;
		}
		calls += st.calls;
		traps += st.traps;
		done += st.jit_done;
		declined += st.jit_declined;
		nans += st.nan_payloads;
	}
	printf("jit-vs-interp: %" PRIu32 " modules agree, %" PRIu32 " differ (%" PRIu64
	       " calls, %" PRIu64 " traps; the JIT compiled %" PRIu64 " functions, declined %"
	       PRIu64 "; %" PRIu32 " modules not loadable, %" PRIu32 " not instantiable; %"
	       PRIu64 " NaN results with other payloads)\n",
	       agree, differ, calls, traps, done, declined, unloadable, uninst, nans);
	return differ ? 1 : 0;
}
