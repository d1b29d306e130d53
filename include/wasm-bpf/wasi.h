/* SPDX-License-Identifier: MIT */
/*
 * The public API of the WASI component: wasi_snapshot_preview1 host functions
 * for the wasm-bpf engine, with capability confinement of the file system to
 * explicitly granted ("preopened") directories.
 *
 * Typical use:
 *
 *	WB_OPTS(wb_wasi_opts, o, .argc = argc, .argv = argv);
 *	struct wb_wasi *w = wb_wasi__new(&o);
 *	wb_wasi__define(w, linker, store);
 *	inst = wb_instance__new(store, module, linker, &err);
 *	wb_instance__call(inst, "_start", NULL, 0, NULL, 0);
 *	...
 *	wb_store__free(store);
 *	wb_wasi__free(w);
 *
 * The struct wb_wasi must outlive every call into instances linked against it.
 */
#ifndef WASM_BPF_WASI_H
#define WASM_BPF_WASI_H

#include <stdbool.h>
#include <stddef.h>

#include <wasm-bpf/engine.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Name of the import module the functions are registered under. */
#define WB_WASI_MODULE "wasi_snapshot_preview1"

/* One directory granted to the guest. */
struct wb_wasi_preopen {
	const char *host_path;	/* directory on the host (opened by wb_wasi__new) */
	const char *guest_path;	/* name the guest sees (fd_prestat_dir_name); NULL = host_path */
	bool read_only;		/* every mutation below it fails with EROFS */
};

struct wb_wasi_opts {
	size_t sz;
	/* Guest argv (argv[0] is conventionally the module path). Copied. */
	int argc;
	const char *const *argv;
	/* Guest environment, "KEY=VALUE" strings. Copied. */
	int envc;
	const char *const *envp;
	/* Directories granted to the guest; they become guest fds 3, 4, ... in
	 * order. The array and strings are copied. */
	const struct wb_wasi_preopen *preopens;
	size_t preopen_cnt;
	/*
	 * When false (the default), guest fds 0, 1, 2 are the host's 0, 1, 2.
	 * When true, they are stdin_fd, stdout_fd and stderr_fd (-1 leaves that
	 * guest fd closed). Borrowed: WASI never closes these host fds, even
	 * when the guest closes its fd.
	 */
	bool custom_stdio;
	int stdin_fd;
	int stdout_fd;
	int stderr_fd;
};

struct wb_wasi;

/*
 * Create the WASI state: copy argv and environment, open every preopen
 * (O_DIRECTORY; a failure is reported, not skipped) and set up the guest fd
 * table. opts may be NULL (no arguments, no environment, no preopens, stdio
 * inherited). Returns NULL with errno set on failure (e.g. ENOENT or ENOTDIR
 * for a preopen; use wb_wasi__failed_preopen() to learn which).
 */
struct wb_wasi *wb_wasi__new(const struct wb_wasi_opts *opts);

/*
 * Index into opts->preopens of the preopen whose opening made the last
 * wb_wasi__new() of this thread fail, or -1. For error messages.
 */
int wb_wasi__failed_preopen(void);

/*
 * Define every wasi_snapshot_preview1 function in linker, as host functions
 * created in store. wasi is borrowed and must outlive the store's use of
 * them. Returns 0 or a negative errno (-ENOMEM, or an engine error).
 */
int wb_wasi__define(struct wb_wasi *wasi, struct wb_linker *linker, struct wb_store *store);

/*
 * Free the WASI state, closing every host fd it owns (preopens and files the
 * guest opened; never the borrowed stdio fds). NULL is a no-op.
 */
void wb_wasi__free(struct wb_wasi *wasi);

/*
 * Convert a Linux errno value (positive) to the WASI preview1 errno number
 * (positive; 0 stays 0). Unknown values map to WASI EIO (29). The one place
 * where this conversion happens; the eBPF host interface uses it too.
 */
int wb_wasi_errno(int linux_errno);

#ifdef __cplusplus
}
#endif

#endif /* WASM_BPF_WASI_H */
