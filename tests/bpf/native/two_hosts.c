/* SPDX-License-Identifier: MIT */
/*
 * Two instances of one module in one process, each with its own eBPF host
 * (as an embedder running several plug-ins would have): the map fd of one
 * instance's object must be refused to the other with -EBADF, while its
 * owner can use it. Usage: two_hosts two_instances.wasm
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <wasm-bpf/bpf_host.h>
#include <wasm-bpf/engine.h>
#include <wasm-bpf/wasi.h>

#define WASI_EBADF 8

static void *read_file(const char *path, size_t *sz)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*sz = (size_t)n;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	struct wb_instance *inst[2] = { 0 };
	struct wb_bpf_host *host[2] = { 0 };
	struct wb_linker *linker[2] = { 0 };
	struct wb_wasi *wasi[2] = { 0 };
	struct wb_module *module = NULL;
	struct wb_store *store = NULL;
	struct wb_error err;
	wb_value arg, res;
	int fd, ret = 1, i;
	size_t sz = 0;
	void *bytes;

	if (argc != 2 || !(bytes = read_file(argv[1], &sz))) {
		fprintf(stderr, "usage: two_hosts MODULE.wasm\n");
		return 2;
	}
	module = wb_module__new(bytes, sz, NULL, &err);
	free(bytes);
	store = wb_store__new(NULL);
	if (!module || !store) {
		printf("FAIL: module or store\n");
		goto out;
	}
	for (i = 0; i < 2; i++) {
		linker[i] = wb_linker__new();
		wasi[i] = wb_wasi__new(NULL);
		host[i] = wb_bpf_host__new(NULL);
		if (!linker[i] || !wasi[i] || !host[i] ||
		    wb_wasi__define(wasi[i], linker[i], store) ||
		    wb_bpf_host__define(host[i], linker[i], store)) {
			printf("FAIL: setting up instance %d\n", i);
			goto out;
		}
		inst[i] = wb_instance__new(store, module, linker[i], &err);
		if (!inst[i] || wb_instance__call(inst[i], "_initialize", NULL, 0, NULL, 0)) {
			printf("FAIL: instantiating %d\n", i);
			goto out;
		}
	}
	if (wb_instance__call(inst[0], "load_map_fd", NULL, 0, &res, 1) || (int)res.i32 < 0) {
		printf("FAIL: instance 0 loads its object: %d\n", (int)res.i32);
		goto out;
	}
	fd = (int)res.i32;
	arg.i64 = (uint32_t)fd;
	if (wb_instance__call(inst[1], "lookup", &arg, 1, &res, 1) ||
	    (int)res.i32 != -WASI_EBADF) {
		printf("FAIL: instance 1 on instance 0's map fd %d: got %d, want %d\n", fd,
		       (int)res.i32, -WASI_EBADF);
		goto out;
	}
	if (wb_instance__call(inst[0], "lookup", &arg, 1, &res, 1) || (int)res.i32 != 0) {
		printf("FAIL: instance 0 on its own map fd %d: got %d, want 0\n", fd, (int)res.i32);
		goto out;
	}
	printf("two_hosts: ok (fd %d refused to the other instance)\n", fd);
	ret = 0;
out:
	/* The store first (instances), then what their imports used. */
	wb_store__free(store);
	for (i = 0; i < 2; i++) {
		wb_bpf_host__free(host[i]);
		wb_wasi__free(wasi[i]);
		wb_linker__free(linker[i]);
	}
	wb_module__free(module);
	return ret;
}
