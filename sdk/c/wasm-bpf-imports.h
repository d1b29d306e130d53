/* SPDX-License-Identifier: MIT */
/*
 * Guest side of the wasm_bpf host interface: the imported functions, exactly
 * as docs/abi.md specifies them (ABI version 1). Include libbpf-wasm.h for
 * the libbpf-like API built on top of them.
 */
#ifndef WASM_BPF_IMPORTS_H
#define WASM_BPF_IMPORTS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WASM_BPF_IMPORT(name) __attribute__((import_module("wasm_bpf"), import_name(#name)))

/* An object handle; 0 means "none" or failure. */
typedef uint64_t bpf_object_skel;

/* ---- the compatibility surface (the original wasm-bpf ABI) ---- */

WASM_BPF_IMPORT(wasm_load_bpf_object)
bpf_object_skel wasm_load_bpf_object(const void *obj_buf, int obj_buf_sz);
WASM_BPF_IMPORT(wasm_attach_bpf_program)
int wasm_attach_bpf_program(bpf_object_skel obj, const char *name, const char *attach_target);
WASM_BPF_IMPORT(wasm_bpf_buffer_poll)
int wasm_bpf_buffer_poll(bpf_object_skel program, int fd, int32_t sample_func, uint32_t ctx,
			 char *data, int max_size, int timeout_ms);
WASM_BPF_IMPORT(wasm_bpf_map_fd_by_name)
int wasm_bpf_map_fd_by_name(bpf_object_skel obj, const char *name);
WASM_BPF_IMPORT(wasm_bpf_map_operate)
int wasm_bpf_map_operate(int fd, int cmd, void *key, void *value, void *next_key,
			 uint64_t flags);
WASM_BPF_IMPORT(wasm_close_bpf_object)
int wasm_close_bpf_object(bpf_object_skel obj);

/* ---- extensions, ABI version 1 ---- */

WASM_BPF_IMPORT(wasm_bpf_abi_version)
int wasm_bpf_abi_version(void);
WASM_BPF_IMPORT(wasm_bpf_open_object)
bpf_object_skel wasm_bpf_open_object(const void *obj_buf, int obj_buf_sz);
WASM_BPF_IMPORT(wasm_bpf_load_object)
int wasm_bpf_load_object(bpf_object_skel obj);
WASM_BPF_IMPORT(wasm_bpf_program_set_autoload)
int wasm_bpf_program_set_autoload(bpf_object_skel obj, const char *name, int autoload);
WASM_BPF_IMPORT(wasm_bpf_map_set_max_entries)
int wasm_bpf_map_set_max_entries(bpf_object_skel obj, const char *name, uint32_t max_entries);
WASM_BPF_IMPORT(wasm_bpf_map_info)
int wasm_bpf_map_info(int fd, void *info);
WASM_BPF_IMPORT(wasm_bpf_global_read)
int wasm_bpf_global_read(bpf_object_skel obj, int section, uint32_t off, void *buf,
			 uint32_t len);
WASM_BPF_IMPORT(wasm_bpf_global_write)
int wasm_bpf_global_write(bpf_object_skel obj, int section, uint32_t off, const void *buf,
			  uint32_t len);
WASM_BPF_IMPORT(wasm_bpf_detach_program)
int wasm_bpf_detach_program(bpf_object_skel obj, const char *name);
WASM_BPF_IMPORT(wasm_bpf_buffer_read)
int wasm_bpf_buffer_read(bpf_object_skel obj, int fd, void *data, int max_size, int timeout_ms);
WASM_BPF_IMPORT(wasm_bpf_last_error)
int wasm_bpf_last_error(char *buf, uint32_t len);

/* Sections for wasm_bpf_global_read/write. */
#define WASM_BPF_RODATA 0
#define WASM_BPF_DATA 1
#define WASM_BPF_BSS 2

/* What wasm_bpf_map_info writes. */
struct wasm_bpf_map_info {
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t value_bytes;	/* bytes one lookup writes (per-CPU aware) */
	uint32_t map_flags;
	uint32_t reserved[6];
};

#ifdef __cplusplus
}
#endif

#endif /* WASM_BPF_IMPORTS_H */
