/* SPDX-License-Identifier: MIT */
/*
 * The eBPF host interface: the "wasm_bpf" imports through which a guest
 * loads eBPF objects, attaches programs, operates on maps and polls ring and
 * perf buffers (see docs/abi.md), implemented over libbpf.
 *
 * One struct wb_bpf_host serves one guest instance: it owns the objects that
 * guest loaded (with their links and buffers), hands out opaque handles, and
 * checks that map operations only touch maps it owns. It uses the engine only
 * through include/wasm-bpf/engine.h.
 *
 * Opening and loading a guest's object each fork a short-lived child first
 * (libbpf 1.1 crashes on some corrupt objects; see docs/abi.md, "Corrupt
 * objects"). The child runs only libbpf, malloc and system calls, which
 * glibc keeps usable after fork() in a threaded process; an embedder's
 * SIGCHLD handler sees these children exit.
 */
#ifndef WASM_BPF_BPF_HOST_H
#define WASM_BPF_BPF_HOST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "wasm-bpf/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

struct wb_bpf_host;
struct wb_bpf_policy;

enum wb_bpf_log_level {
	WB_BPF_LOG_WARN = 0,	/* runtime warnings and load failures (verifier log) */
	WB_BPF_LOG_INFO = 1,	/* libbpf info messages, attach decisions (-v) */
	WB_BPF_LOG_DEBUG = 2,	/* libbpf debug messages (-vv) */
};

/* Log callback: level, then a printf-style message (no trailing newline needed). */
typedef void (*wb_bpf_log_fn)(void *ctx, enum wb_bpf_log_level level, const char *fmt,
			      va_list ap);

struct wb_bpf_host_opts {
	size_t sz;
	/* Where messages go; NULL = nowhere. The library itself never prints. */
	wb_bpf_log_fn log;
	void *log_ctx;
	/* Messages above this level are dropped (default WB_BPF_LOG_WARN). */
	enum wb_bpf_log_level log_level;
	/* TinyGo-style polling: import module and guest callback export names.
	 * NULL = "callback-wrapper" and "go-callback". */
	const char *wrapper_module;
	const char *callback_export;
	/* Name of the guest's exported function table (NULL = "__indirect_function_table"). */
	const char *table_export;
	/* Name of this module for messages (e.g. the .wasm path); copied. */
	const char *module_name;
	/*
	 * The eBPF policy every object and attach request is checked against
	 * (include/wasm-bpf/policy.h); borrowed, must outlive the host. NULL =
	 * the default policy (docs/policy.md).
	 */
	const struct wb_bpf_policy *policy;
	/*
	 * The BTF that libbpf resolves CO-RE relocations against; copied.
	 * NULL or "min": per object, a BTF holding only the kernel types its
	 * relocations can look at, built from /sys/kernel/btf/vmlinux without
	 * reading it whole (the same instructions as "full", with a fraction
	 * of the memory; objects that need more, e.g. with
	 * bpf_core_type_id_kernel(), get "full"). "full": libbpf's default,
	 * the whole kernel BTF (and module BTFs). Anything else: the path of a
	 * BTF file (raw or ELF, e.g. from BTFHub) used as the only target, as
	 * libbpf's btf_custom_path.
	 */
	const char *core_btf;
};

/* New host state; NULL with errno on failure. opts may be NULL. */
struct wb_bpf_host *wb_bpf_host__new(const struct wb_bpf_host_opts *opts);

/*
 * Define every wasm_bpf import (and the TinyGo wrapper import) in linker,
 * creating the host functions in store. Call before instantiating the guest.
 */
int wb_bpf_host__define(struct wb_bpf_host *host, struct wb_linker *linker,
			struct wb_store *store);

/*
 * Make blocked and future buffer polls return -EINTR to the guest (the first
 * Ctrl-C). Async-signal-safe.
 */
void wb_bpf_host__interrupt(struct wb_bpf_host *host);

/* Number of objects currently open (for tests and diagnostics). */
unsigned int wb_bpf_host__object_cnt(const struct wb_bpf_host *host);

/* Number of loads and attaches the policy refused so far (-EPERM to the guest). */
unsigned int wb_bpf_host__refusal_cnt(const struct wb_bpf_host *host);

/* Destroy every link, buffer and object, then free the host. NULL is a no-op. */
void wb_bpf_host__free(struct wb_bpf_host *host);

/* The interface version reported to guests by wasm_bpf_abi_version(). */
#define WB_BPF_ABI_VERSION 1

#ifdef __cplusplus
}
#endif

#endif /* WASM_BPF_BPF_HOST_H */
