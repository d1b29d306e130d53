/* SPDX-License-Identifier: MIT */
/*
 * Program types this machine may refuse: a kprobe (attach fails without
 * kprobe support) and an fentry program (load fails under lockdown). Each one
 * (argv[2]: kprobe or fentry) must count this process's sched_yield calls
 * when it works; when the kernel refuses, the guest exits 77 (skip) with the
 * kernel's reason.
 */
#include <sched.h>

#include "wasm_bpf.h"
#include "unavail.bpf.h"

static char reasons[1024];

static void note(const char *what)
{
	static char err[4096];
	size_t n = strlen(reasons);
	char *line, *pick = NULL;

	wasm_bpf_last_error(err, sizeof(err));
	/* The first line saying "failed" is the kernel's verdict. */
	for (line = strtok(err, "\n"); line; line = strtok(NULL, "\n")) {
		if (strstr(line, "failed")) {
			pick = line;
			break;
		}
	}
	snprintf(reasons + n, sizeof(reasons) - n, "%s%s", n ? "; " : "", pick ? pick : err);
}

/* 1 if prog `keep` could be loaded, attached and counted, 0 if refused. */
static int try_one(uint32_t tgid, const char *keep, const char *drop, uint32_t bss_off,
		   const char *what)
{
	uint64_t obj = wasm_bpf_open_object(unavail_bpf_o, sizeof(unavail_bpf_o)), hits = 0;
	int r;

	REQUIRE(obj != 0, "open unavail.bpf.o");
	wasm_bpf_global_write(obj, WB_RODATA, 0, &tgid, 4);
	CHECK_EQ(wasm_bpf_program_set_autoload(obj, drop, 0), 0, "autoload off for the other");
	r = wasm_bpf_load_object(obj);
	if (r) {
		note(what);
		printf("  %s: load refused: %d\n", what, r);
		wasm_close_bpf_object(obj);
		return 0;
	}
	CHECK_ERR(wasm_attach_bpf_program(obj, drop, NULL), EINVAL,
		  "attach of a program not loaded");
	r = wasm_attach_bpf_program(obj, keep, NULL);
	if (r) {
		note(what);
		printf("  %s: attach refused: %d\n", what, r);
		wasm_close_bpf_object(obj);
		return 0;
	}
	sched_yield();
	sched_yield();
	wasm_bpf_global_read(obj, WB_BSS, bss_off, &hits, 8);
	CHECK_EQ(hits, 2, what);
	CHECK_EQ(wasm_close_bpf_object(obj), 0, "close");
	return 1;
}

int main(int argc, char **argv)
{
	const char *which = argc > 2 ? argv[2] : "kprobe";
	uint32_t tgid;
	int worked;

	wbt_init();
	tgid = wbt_pid_arg(argc, argv);
	if (!strcmp(which, "kprobe"))
		worked = try_one(tgid, "wbt_kprobe", "wbt_fentry", 0, "kprobe");
	else
		worked = try_one(tgid, "wbt_fentry", "wbt_kprobe", 8, "fentry");
	if (!worked && !wbt_failures) {
		printf("SKIP: %s refused by this kernel: %s\n", which, reasons);
		return 77;
	}
	return wbt_done(which);
}
