/* SPDX-License-Identifier: MIT */
/*
 * The policy test guest: every test object embedded, and one action per
 * run chosen by its arguments, so that the runner can try each object under
 * different policies:
 *
 *   pguest OBJ load                    compatibility load (wasm_load_bpf_object)
 *   pguest OBJ open                    wasm_bpf_open_object + wasm_bpf_load_object
 *   pguest OBJ shrink MAP N [MAP N]    open, set max_entries, load
 *   pguest OBJ noload PROG             open, turn autoload of PROG off, load
 *   pguest OBJ retry PROG              open, load (refused), turn PROG off, load
 *   pguest OBJ attach PROG [TARGET]    load, then attach PROG (TARGET "" = auto)
 *
 * Exit status: 0 done, 3 refused with EPERM (the last error is printed as
 * "LAST_ERROR: ..."), 4 failed otherwise, 2 usage.
 */
#include "wasm_bpf.h"

#include "write_user.bpf.h"
#include "send_signal.bpf.h"
#include "send_thread.bpf.h"
#include "override.bpf.h"
#include "kfunc.bpf.h"
#include "lsm.bpf.h"
#include "pinned.bpf.h"
#include "mix.bpf.h"
#include "syscall.bpf.h"
#include "ext.bpf.h"

#define OBJ(n) { #n, n##_bpf_o, sizeof(n##_bpf_o) }

static const struct {
	const char *name;
	unsigned char *buf;
	size_t sz;
} objs[] = {
	OBJ(write_user), OBJ(send_signal), OBJ(send_thread), OBJ(override),
	OBJ(kfunc), OBJ(lsm), OBJ(pinned), OBJ(mix), OBJ(syscall), OBJ(ext),
};

/* WASI's EPERM. */
#define WASI_EPERM 63

static int last_error(int status)
{
	char e[1024];

	wasm_bpf_last_error(e, sizeof(e));
	printf("LAST_ERROR: %s\n", e);
	return status;
}

int main(int argc, char **argv)
{
	const char *mode;
	uint64_t obj = 0;
	size_t i;
	int r;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc < 3) {
		printf("usage: %s OBJ load|open|shrink|attach ...\n", argv[0]);
		return 2;
	}
	for (i = 0; i < sizeof(objs) / sizeof(objs[0]); i++)
		if (!strcmp(objs[i].name, argv[1]))
			break;
	if (i == sizeof(objs) / sizeof(objs[0])) {
		printf("no object '%s'\n", argv[1]);
		return 2;
	}
	mode = argv[2];
	if (!strcmp(mode, "load")) {
		obj = wasm_load_bpf_object(objs[i].buf, (int)objs[i].sz);
		if (!obj) {
			printf("load: refused or failed\n");
			/* The compatibility call has no errno: tell EPERM by the message. */
			char e[1024];

			wasm_bpf_last_error(e, sizeof(e));
			printf("LAST_ERROR: %s\n", e);
			return strstr(e, "denied by") || strstr(e, "may not") ||
			       strstr(e, "over the limit") ? 3 : 4;
		}
		printf("load: ok\n");
		wasm_close_bpf_object(obj);
		return 0;
	}
	obj = wasm_bpf_open_object(objs[i].buf, (int)objs[i].sz);
	if (!obj) {
		printf("open: failed\n");
		return last_error(4);
	}
	if (!strcmp(mode, "retry") && argc > 3) {
		/* A refused object stays open: turn the offending program off and retry. */
		r = wasm_bpf_load_object(obj);
		printf("first load: %d\n", r);
		if (r != -WASI_EPERM)
			return last_error(4);
		mode = "noload";
	}
	if (!strcmp(mode, "noload") && argc > 3) {
		r = wasm_bpf_program_set_autoload(obj, argv[3], 0);
		printf("autoload %s off: %d\n", argv[3], r);
		if (r)
			return last_error(4);
	}
	if (!strcmp(mode, "shrink")) {
		int a;

		for (a = 3; a + 1 < argc; a += 2) {
			r = wasm_bpf_map_set_max_entries(obj, argv[a],
							 (uint32_t)strtoul(argv[a + 1], NULL, 0));
			printf("set_max_entries %s %s: %d\n", argv[a], argv[a + 1], r);
			if (r)
				return last_error(4);
		}
	}
	r = wasm_bpf_load_object(obj);
	printf("load: %d\n", r);
	if (r == -WASI_EPERM)
		return last_error(3);
	if (r)
		return last_error(4);
	if (!strcmp(mode, "attach")) {
		if (argc < 4)
			return 2;
		r = wasm_attach_bpf_program(obj, argv[3], argc > 4 ? argv[4] : NULL);
		printf("attach %s %s: %d\n", argv[3], argc > 4 ? argv[4] : "(auto)", r);
		if (r == -WASI_EPERM)
			return last_error(3);
		if (r)
			return last_error(4);
	}
	r = wasm_close_bpf_object(obj);
	printf("close: %d\n", r);
	return r ? 4 : 0;
}
