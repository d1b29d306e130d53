/* SPDX-License-Identifier: MIT */
/*
 * Internal structures of the eBPF host interface, shared by the files of
 * src/bpf: objects and their handles, links, buffers, and the map table.
 */
#ifndef WB_BPF_INTERNAL_H
#define WB_BPF_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpf/libbpf.h>

#include "wasm-bpf/bpf_host.h"

/* How a program was attached, so that it can be detached the same way. */
enum wb_bpf_link_kind {
	WB_LINK_BPF,		/* a struct bpf_link (libbpf) */
	WB_LINK_XDP_NETLINK,	/* bpf_xdp_attach() with explicit mode flags */
	WB_LINK_TC,		/* bpf_tc_attach() on a clsact hook */
	WB_LINK_SOCKET,		/* SO_ATTACH_BPF on a raw packet socket we own */
};

struct wb_bpf_link {
	enum wb_bpf_link_kind kind;
	struct bpf_program *prog;
	struct bpf_link *link;		/* WB_LINK_BPF */
	int ifindex;			/* XDP netlink, TC */
	uint32_t xdp_flags;		/* XDP netlink */
	int tc_attach_point;		/* TC: BPF_TC_INGRESS / BPF_TC_EGRESS */
	uint32_t tc_handle, tc_priority;
	bool tc_hook_created;		/* we created clsact: remove it on detach */
	int sock_fd;			/* WB_LINK_SOCKET */
};

/* The state of one poll call, seen by the libbpf sample callbacks. */
struct wb_bpf_poll {
	const struct wb_hostcall *hc;
	struct wb_bpf_host *host;
	bool pull;			/* pull mode: copy one record, then stop */
	bool wrapper;			/* call the callback export, not a table entry */
	uint32_t sample_func;		/* table index of the guest callback */
	uint32_t table_idx;		/* the guest's exported function table */
	uint32_t ctx;			/* guest ctx pointer */
	uint32_t data;			/* guest buffer offset */
	uint32_t max_size;
	int records;			/* records handled */
	int result;			/* what the poll returns if nonzero */
	bool trapped;			/* the guest callback trapped */
	bool guest_stop;		/* the guest callback returned result < 0 */
	uint32_t pulled_size;		/* pull mode: size of the copied record */
};

enum wb_bpf_buf_kind {
	WB_BUF_RING,
	WB_BUF_PERF,
};

struct wb_bpf_buffer {
	enum wb_bpf_buf_kind kind;
	int map_fd;
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	struct wb_bpf_poll *cur;	/* the poll in progress, if any */
	uint64_t lost;			/* perf buffer: records lost */
	/* perf buffer pull mode: records received beyond the first are queued */
	uint8_t **queue;
	uint32_t *queue_sz;
	uint32_t queue_head, queue_cnt, queue_cap;
};

struct wb_bpf_obj {
	uint64_t handle;
	struct bpf_object *obj;
	void *elf;			/* our copy of the ELF image, kept until load */
	size_t elf_sz;
	/* The minimized CO-RE target BTF (a memfd, -1 if none), kept until load. */
	int core_btf_fd;
	char core_btf_path[32];		/* /proc/self/fd/N, libbpf's btf_custom_path */
	bool loaded;
	unsigned int polling;		/* buffer polls in progress (close must wait) */
	/* After load: .rodata, .data, .bss mapped from the kernel (NULL if absent). */
	void *globals[3];
	size_t globals_sz[3];
	struct wb_bpf_link *links;
	uint32_t link_cnt, link_cap;
	struct wb_bpf_buffer **bufs;
	uint32_t buf_cnt, buf_cap;
	struct wb_bpf_obj *next;
};

struct wb_bpf_host {
	struct wb_bpf_host_opts opts;
	char *module_name;
	char *wrapper_module;
	char *callback_export;
	char *table_export;
	char *core_btf;			/* NULL: "min" */
	struct wb_bpf_obj *objs;
	unsigned int obj_cnt;
	uint64_t next_handle;
	volatile sig_atomic_t interrupted;
	/* Last error text for wasm_bpf_last_error (libbpf / verifier messages). */
	char last_error[4096];
	size_t last_error_len;
	bool capture;			/* collect libbpf messages into last_error */
	unsigned int refusals;		/* loads and attaches the policy refused */
};

/* host.c */
void wb_bpf_log(struct wb_bpf_host *h, enum wb_bpf_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Route libbpf's global print callback to h while it works for h. */
void wb_bpf_libbpf_enter(struct wb_bpf_host *h, bool capture);
void wb_bpf_libbpf_leave(struct wb_bpf_host *h);
void wb_bpf_set_error(struct wb_bpf_host *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* vsnprintf into buf (a reason for the caller's err), if buf is not NULL. */
void wb_bpf_msg(char *buf, size_t sz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
struct wb_bpf_obj *wb_bpf_obj_find(struct wb_bpf_host *h, uint64_t handle);
/* The object and map owning map fd, or NULL. */
struct bpf_map *wb_bpf_map_by_fd(struct wb_bpf_host *h, int fd, struct wb_bpf_obj **obj);
/* Does fd belong to a map or program of one of h's objects? */
bool wb_bpf_fd_owned(struct wb_bpf_host *h, int fd);

/* object.c */
/* Open (and unless open_only, load) an ELF image; the bytes are copied. */
/*
 * trial.c: run a libbpf step on a guest's object in a child first. 0 if the
 * child survived it (whether the step succeeded or not), -EINVAL with the
 * reason in err if libbpf crashed, another negative errno if no child ran.
 */
int wb_bpf_trial_open(const void *elf, size_t sz, char *err, size_t err_sz);
int wb_bpf_trial_load(struct bpf_object *obj, char *err, size_t err_sz);

struct wb_bpf_obj *wb_bpf_obj_open(struct wb_bpf_host *h, const void *elf, size_t sz,
				   bool open_only, int *err);
int wb_bpf_obj_load(struct wb_bpf_host *h, struct wb_bpf_obj *o);
void wb_bpf_obj_close(struct wb_bpf_host *h, struct wb_bpf_obj *o);
/* The internal map of global section which (0 .rodata, 1 .data, 2 .bss), or NULL. */
struct bpf_map *wb_bpf_obj_global_map(struct wb_bpf_obj *o, unsigned int which);

/* attach.c */
int wb_bpf_attach(struct wb_bpf_host *h, struct wb_bpf_obj *o, const char *prog_name,
		  const char *target);
int wb_bpf_detach(struct wb_bpf_host *h, struct wb_bpf_obj *o, const char *prog_name);
void wb_bpf_link_destroy(struct wb_bpf_link *l);

/* policy.c */
/* Check object o against the host's policy before it is loaded: 0 or -EPERM (message set). */
int wb_bpf_policy_enforce_load(struct wb_bpf_host *h, struct wb_bpf_obj *o);
/* Check an attach request: 0 or -EPERM (message set). */
int wb_bpf_policy_enforce_attach(struct wb_bpf_host *h, const struct bpf_program *prog,
				 const char *target);

/* maps.c */
/* Bytes the kernel reads or writes for one value of map (per-CPU aware). */
uint32_t wb_bpf_map_value_bytes(const struct bpf_map *map);
bool wb_bpf_map_type_percpu(enum bpf_map_type type);

/* buffers.c */
struct wb_bpf_buffer *wb_bpf_buffer_get(struct wb_bpf_host *h, struct wb_bpf_obj *o,
					int map_fd, int *err);
/* Poll buf once; calls back into the guest per record. Returns records or -errno. */
int wb_bpf_buffer_poll(struct wb_bpf_buffer *buf, struct wb_bpf_poll *p, int timeout_ms);
void wb_bpf_buffer_free(struct wb_bpf_buffer *buf);
/* Deliver one record to the guest (shared by ring and perf paths). */
int wb_bpf_deliver(struct wb_bpf_poll *p, const void *data, size_t size);

#endif /* WB_BPF_INTERNAL_H */
