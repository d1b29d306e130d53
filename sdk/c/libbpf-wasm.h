/* SPDX-License-Identifier: MIT */
/*
 * The guest SDK: a libbpf-like API for WebAssembly guests of wasm-bpf, built
 * on the wasm_bpf imports (wasm-bpf-imports.h, docs/abi.md). Header-only: the
 * functions are static, so a module carries only what it uses.
 *
 * It keeps the names of libbpf (bpf_object__*, bpf_map__*, bpf_program__*,
 * bpf_map_lookup_elem, ring_buffer__*) and of the original wasm-bpf guest SDK
 * (bpf_buffer__*, bpf_set_prog_attach_target), so code written for either
 * compiles against it. Errors are negative errno values, as in libbpf (the
 * host returns WASI errno numbers, which are the guest's <errno.h> numbers).
 *
 * Skeletons made by `wasm-bpf gen skeleton` drive it through
 * bpf_object__{open,load,attach,detach,destroy}_skeleton. Global variables:
 * skel->rodata, ->data and ->bss point to guest buffers. Values written there
 * before load reach the kernel at load. After load, bpf_object__read_globals()
 * refreshes ->data and ->bss from the kernel and bpf_object__write_globals()
 * writes them back (see docs/sdk.md).
 */
#ifndef LIBBPF_WASM_H
#define LIBBPF_WASM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm-bpf-imports.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- constants */

enum {
	BPF_ANY = 0,		/* create new element or update existing */
	BPF_NOEXIST = 1,	/* create new element if it didn't exist */
	BPF_EXIST = 2,		/* update existing element */
	BPF_F_LOCK = 4,		/* spin_lock-ed map_lookup/map_update */
};

enum bpf_cmd {
	BPF_MAP_CREATE = 0,
	BPF_MAP_LOOKUP_ELEM = 1,
	BPF_MAP_UPDATE_ELEM = 2,
	BPF_MAP_DELETE_ELEM = 3,
	BPF_MAP_GET_NEXT_KEY = 4,
	BPF_MAP_LOOKUP_AND_DELETE_ELEM = 21,
};

enum bpf_map_type {
	BPF_MAP_TYPE_UNSPEC, BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_PROG_ARRAY,
	BPF_MAP_TYPE_PERF_EVENT_ARRAY, BPF_MAP_TYPE_PERCPU_HASH, BPF_MAP_TYPE_PERCPU_ARRAY,
	BPF_MAP_TYPE_STACK_TRACE, BPF_MAP_TYPE_CGROUP_ARRAY, BPF_MAP_TYPE_LRU_HASH,
	BPF_MAP_TYPE_LRU_PERCPU_HASH, BPF_MAP_TYPE_LPM_TRIE, BPF_MAP_TYPE_ARRAY_OF_MAPS,
	BPF_MAP_TYPE_HASH_OF_MAPS, BPF_MAP_TYPE_DEVMAP, BPF_MAP_TYPE_SOCKMAP, BPF_MAP_TYPE_CPUMAP,
	BPF_MAP_TYPE_XSKMAP, BPF_MAP_TYPE_SOCKHASH, BPF_MAP_TYPE_CGROUP_STORAGE,
	BPF_MAP_TYPE_REUSEPORT_SOCKARRAY, BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE, BPF_MAP_TYPE_QUEUE,
	BPF_MAP_TYPE_STACK, BPF_MAP_TYPE_SK_STORAGE, BPF_MAP_TYPE_DEVMAP_HASH,
	BPF_MAP_TYPE_STRUCT_OPS, BPF_MAP_TYPE_RINGBUF, BPF_MAP_TYPE_INODE_STORAGE,
	BPF_MAP_TYPE_TASK_STORAGE, BPF_MAP_TYPE_BLOOM_FILTER, BPF_MAP_TYPE_USER_RINGBUF,
};

enum bpf_prog_type {
	BPF_PROG_TYPE_UNSPEC, BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_KPROBE,
	BPF_PROG_TYPE_SCHED_CLS, BPF_PROG_TYPE_SCHED_ACT, BPF_PROG_TYPE_TRACEPOINT,
	BPF_PROG_TYPE_XDP, BPF_PROG_TYPE_PERF_EVENT, BPF_PROG_TYPE_CGROUP_SKB,
	BPF_PROG_TYPE_CGROUP_SOCK, BPF_PROG_TYPE_LWT_IN, BPF_PROG_TYPE_LWT_OUT,
	BPF_PROG_TYPE_LWT_XMIT, BPF_PROG_TYPE_SOCK_OPS, BPF_PROG_TYPE_SK_SKB,
	BPF_PROG_TYPE_CGROUP_DEVICE, BPF_PROG_TYPE_SK_MSG, BPF_PROG_TYPE_RAW_TRACEPOINT,
	BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_PROG_TYPE_LWT_SEG6LOCAL, BPF_PROG_TYPE_LIRC_MODE2,
	BPF_PROG_TYPE_SK_REUSEPORT, BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_PROG_TYPE_CGROUP_SYSCTL,
	BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_PROG_TYPE_TRACING,
	BPF_PROG_TYPE_STRUCT_OPS, BPF_PROG_TYPE_EXT, BPF_PROG_TYPE_LSM, BPF_PROG_TYPE_SK_LOOKUP,
	BPF_PROG_TYPE_SYSCALL,
};

/* Poll timeout of bpf_buffer__poll when given <= 0 (as the original SDK). */
#define BPF_BUFFER_DEFAULT_TIMEOUT_MS 100
/* Largest record buffer allocated by default for a perf event array. */
#define BPF_BUFFER_PERF_MAX_RECORD 65536
/* Cap on the default buffer of a ring buffer (its largest record otherwise). */
#define BPF_BUFFER_RING_MAX_DEFAULT (1u << 20)

/* ---------------------------------------------------------------- objects */

struct bpf_object;

struct bpf_map {
	struct bpf_object *obj;
	char name[64];
	int fd;				/* -1 until the object is loaded */
	int global;			/* WASM_BPF_RODATA/DATA/BSS, or -1 */
	void *global_buf;		/* guest copy of a global section */
	size_t global_sz;
	struct bpf_map *next;
};

struct bpf_program {
	struct bpf_object *obj;
	char name[64];
	char attach_target[128];
	bool autoload;
	bool autoattach;
	struct bpf_program *next;
};

struct bpf_link {
	struct bpf_program *prog;
};

struct bpf_object {
	bpf_object_skel handle;
	const void *data;		/* the ELF image (borrowed) */
	size_t data_sz;
	bool loaded;
	struct bpf_map *maps;
	struct bpf_program *progs;
	struct bpf_object *next_open;	/* list of open objects (ring_buffer__new) */
};

struct bpf_object_open_opts {
	size_t sz;
	const char *object_name;
};

/* ---- the ELF image: sizes and contents of the global sections ---- */

/* Find section `name` in the ELF64 image; returns 0 and its bounds, or -ENOENT. */
static inline int wasm_bpf__elf_section(const void *elf, size_t elf_sz, const char *name,
					size_t *off, size_t *sz, bool *nobits)
{
	const uint8_t *b = (const uint8_t *)elf;
	uint64_t shoff;
	uint16_t shentsize, shnum, shstrndx, i;
	const uint8_t *strtab_hdr;
	uint64_t stroff, strsz;

#define WB_RD(T, p) ({ T v_; memcpy(&v_, (p), sizeof(v_)); v_; })
	if (elf_sz < 64 || memcmp(b, "\177ELF", 4) || b[4] != 2 /* ELFCLASS64 */)
		return -EINVAL;
	shoff = WB_RD(uint64_t, b + 0x28);
	shentsize = WB_RD(uint16_t, b + 0x3a);
	shnum = WB_RD(uint16_t, b + 0x3c);
	shstrndx = WB_RD(uint16_t, b + 0x3e);
	if (shentsize < 64 || shstrndx >= shnum || shoff > elf_sz ||
	    (uint64_t)shnum * shentsize > elf_sz - shoff)
		return -EINVAL;
	strtab_hdr = b + shoff + (uint64_t)shstrndx * shentsize;
	stroff = WB_RD(uint64_t, strtab_hdr + 0x18);
	strsz = WB_RD(uint64_t, strtab_hdr + 0x20);
	if (stroff > elf_sz || strsz > elf_sz - stroff)
		return -EINVAL;
	for (i = 0; i < shnum; i++) {
		const uint8_t *sh = b + shoff + (uint64_t)i * shentsize;
		uint32_t nm = WB_RD(uint32_t, sh);
		uint32_t type = WB_RD(uint32_t, sh + 4);
		uint64_t so = WB_RD(uint64_t, sh + 0x18), ss = WB_RD(uint64_t, sh + 0x20);

		if (nm >= strsz || strnlen((const char *)b + stroff + nm, strsz - nm) == strsz - nm)
			continue;
		if (strcmp((const char *)b + stroff + nm, name))
			continue;
		*nobits = type == 8 /* SHT_NOBITS */;
		if (!*nobits && (so > elf_sz || ss > elf_sz - so))
			return -EINVAL;
		*off = (size_t)so;
		*sz = (size_t)ss;
		return 0;
	}
#undef WB_RD
	return -ENOENT;
}

/* Copy a string, truncated to fit (no printf: it would weigh ~20 KB in every module). */
static inline void wasm_bpf__strlcpy(char *dst, const char *src, size_t sz)
{
	size_t n = strnlen(src, sz - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static inline int wasm_bpf__global_index(const char *map_name)
{
	const char *dot = strchr(map_name, '.');

	if (!dot)
		return -1;
	if (!strcmp(dot, ".rodata"))
		return WASM_BPF_RODATA;
	if (!strcmp(dot, ".data"))
		return WASM_BPF_DATA;
	if (!strcmp(dot, ".bss"))
		return WASM_BPF_BSS;
	return -1;
}

static inline struct bpf_map *wasm_bpf__add_map(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m = (struct bpf_map *)calloc(1, sizeof(*m));
	static const char *const sections[] = { ".rodata", ".data", ".bss" };

	if (!m)
		return NULL;
	m->obj = obj;
	m->fd = -1;
	wasm_bpf__strlcpy(m->name, name, sizeof(m->name));
	m->global = wasm_bpf__global_index(name);
	if (m->global >= 0) {
		size_t off = 0, sz = 0;
		bool nobits = true;

		if (wasm_bpf__elf_section(obj->data, obj->data_sz, sections[m->global], &off, &sz,
					  &nobits) == 0 && sz) {
			/* Room for the skeleton's view, whose sizeof may round sz up. */
			m->global_buf = calloc(1, (sz + 63) & ~(size_t)63);
			if (!m->global_buf) {
				free(m);
				return NULL;
			}
			m->global_sz = sz;
			if (!nobits)
				memcpy(m->global_buf, (const uint8_t *)obj->data + off, sz);
		}
	}
	m->next = obj->maps;
	obj->maps = m;
	return m;
}

static inline struct bpf_program *wasm_bpf__add_prog(struct bpf_object *obj, const char *name)
{
	struct bpf_program *p = (struct bpf_program *)calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->obj = obj;
	p->autoload = true;
	p->autoattach = true;
	wasm_bpf__strlcpy(p->name, name, sizeof(p->name));
	p->next = obj->progs;
	obj->progs = p;
	return p;
}

/* The objects open in this module, newest first (ring_buffer__new needs one). */
static struct bpf_object *wasm_bpf__open_objects;

/* Open an ELF image held in guest memory (not copied: keep it alive). */
static inline struct bpf_object *bpf_object__open_mem(const void *obj_buf, size_t obj_buf_sz,
						       const struct bpf_object_open_opts *opts)
{
	struct bpf_object *obj = (struct bpf_object *)calloc(1, sizeof(*obj));

	(void)opts;
	if (!obj) {
		errno = ENOMEM;
		return NULL;
	}
	obj->data = obj_buf;
	obj->data_sz = obj_buf_sz;
	obj->handle = wasm_bpf_open_object(obj_buf, (int)obj_buf_sz);
	if (!obj->handle) {
		free(obj);
		errno = EINVAL;
		return NULL;
	}
	obj->next_open = wasm_bpf__open_objects;
	wasm_bpf__open_objects = obj;
	return obj;
}

static inline struct bpf_map *bpf_object__find_map_by_name(struct bpf_object *obj,
							   const char *name)
{
	struct bpf_map *m;

	for (m = obj->maps; m; m = m->next)
		if (!strcmp(m->name, name))
			return m;
	return wasm_bpf__add_map(obj, name);
}

static inline struct bpf_program *bpf_object__find_program_by_name(struct bpf_object *obj,
								   const char *name)
{
	struct bpf_program *p;

	for (p = obj->progs; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return wasm_bpf__add_prog(obj, name);
}

/* Send the guest copies of the global sections to the object (before load). */
static inline int wasm_bpf__push_globals(struct bpf_object *obj, bool include_rodata)
{
	struct bpf_map *m;
	int err;

	for (m = obj->maps; m; m = m->next) {
		if (m->global < 0 || !m->global_buf)
			continue;
		if (m->global == WASM_BPF_RODATA && !include_rodata)
			continue;
		err = wasm_bpf_global_write(obj->handle, m->global, 0, m->global_buf,
					    (uint32_t)m->global_sz);
		if (err < 0)
			return err;
	}
	return 0;
}

static inline int bpf_object__load(struct bpf_object *obj)
{
	struct bpf_map *m;
	int err;

	if (obj->loaded)
		return -EALREADY;
	err = wasm_bpf__push_globals(obj, true);
	if (err < 0)
		return err;
	err = wasm_bpf_load_object(obj->handle);
	if (err < 0)
		return err;
	obj->loaded = true;
	for (m = obj->maps; m; m = m->next)
		m->fd = wasm_bpf_map_fd_by_name(obj->handle, m->name);
	return 0;
}

/* Refresh the guest copies of .data and .bss from the kernel (after load). */
static inline int bpf_object__read_globals(struct bpf_object *obj)
{
	struct bpf_map *m;
	int err;

	if (!obj->loaded)
		return -EINVAL;
	for (m = obj->maps; m; m = m->next) {
		if (m->global <= WASM_BPF_RODATA || !m->global_buf)
			continue;
		err = wasm_bpf_global_read(obj->handle, m->global, 0, m->global_buf,
					   (uint32_t)m->global_sz);
		if (err < 0)
			return err;
	}
	return 0;
}

/* Write the guest copies of .data and .bss to the kernel (after load). */
static inline int bpf_object__write_globals(struct bpf_object *obj)
{
	if (!obj->loaded)
		return -EINVAL;
	return wasm_bpf__push_globals(obj, false);
}

static inline void bpf_object__close(struct bpf_object *obj)
{
	struct bpf_map *m, *mn;
	struct bpf_program *p, *pn;
	struct bpf_object **pp;

	if (!obj)
		return;
	for (pp = &wasm_bpf__open_objects; *pp; pp = &(*pp)->next_open) {
		if (*pp == obj) {
			*pp = obj->next_open;
			break;
		}
	}
	if (obj->handle)
		wasm_close_bpf_object(obj->handle);
	for (m = obj->maps; m; m = mn) {
		mn = m->next;
		free(m->global_buf);
		free(m);
	}
	for (p = obj->progs; p; p = pn) {
		pn = p->next;
		free(p);
	}
	free(obj);
}

/* ---------------------------------------------------------------- maps */

static inline int bpf_map__fd(const struct bpf_map *map)
{
	if (!map)
		return -EINVAL;
	if (map->fd >= 0)
		return map->fd;
	return wasm_bpf_map_fd_by_name(map->obj->handle, map->name);
}

static inline const char *bpf_map__name(const struct bpf_map *map)
{
	return map ? map->name : NULL;
}

static inline int bpf_map__set_max_entries(struct bpf_map *map, uint32_t max_entries)
{
	return wasm_bpf_map_set_max_entries(map->obj->handle, map->name, max_entries);
}

static inline int wasm_bpf__map_info(const struct bpf_map *map, struct wasm_bpf_map_info *info)
{
	int fd = bpf_map__fd(map);

	if (fd < 0)
		return fd;
	return wasm_bpf_map_info(fd, info);
}

static inline enum bpf_map_type bpf_map__type(const struct bpf_map *map)
{
	struct wasm_bpf_map_info info;

	return wasm_bpf__map_info(map, &info) < 0 ? BPF_MAP_TYPE_UNSPEC
						   : (enum bpf_map_type)info.type;
}

static inline uint32_t bpf_map__max_entries(const struct bpf_map *map)
{
	struct wasm_bpf_map_info info;

	return wasm_bpf__map_info(map, &info) < 0 ? 0 : info.max_entries;
}

static inline uint32_t bpf_map__key_size(const struct bpf_map *map)
{
	struct wasm_bpf_map_info info;

	return wasm_bpf__map_info(map, &info) < 0 ? 0 : info.key_size;
}

static inline uint32_t bpf_map__value_size(const struct bpf_map *map)
{
	struct wasm_bpf_map_info info;

	return wasm_bpf__map_info(map, &info) < 0 ? 0 : info.value_size;
}

/* fd-based operations (libbpf's bpf.h). */
static inline int bpf_map_lookup_elem(int fd, const void *key, void *value)
{
	return wasm_bpf_map_operate(fd, BPF_MAP_LOOKUP_ELEM, (void *)key, value, NULL, 0);
}

static inline int bpf_map_lookup_elem_flags(int fd, const void *key, void *value,
					    uint64_t flags)
{
	return wasm_bpf_map_operate(fd, BPF_MAP_LOOKUP_ELEM, (void *)key, value, NULL, flags);
}

static inline int bpf_map_update_elem(int fd, const void *key, const void *value,
				      uint64_t flags)
{
	return wasm_bpf_map_operate(fd, BPF_MAP_UPDATE_ELEM, (void *)key, (void *)value, NULL,
				    flags);
}

static inline int bpf_map_delete_elem(int fd, const void *key)
{
	return wasm_bpf_map_operate(fd, BPF_MAP_DELETE_ELEM, (void *)key, NULL, NULL, 0);
}

static inline int bpf_map_delete_elem_flags(int fd, const void *key, uint64_t flags)
{
	return wasm_bpf_map_operate(fd, BPF_MAP_DELETE_ELEM, (void *)key, NULL, NULL, flags);
}

/* key NULL: the first key. */
static inline int bpf_map_get_next_key(int fd, const void *key, void *next_key)
{
	return wasm_bpf_map_operate(fd, BPF_MAP_GET_NEXT_KEY, (void *)key, NULL, next_key, 0);
}

static inline int bpf_map_lookup_and_delete_elem(int fd, const void *key, void *value)
{
	return wasm_bpf_map_operate(fd, BPF_MAP_LOOKUP_AND_DELETE_ELEM, (void *)key, value,
				    NULL, 0);
}

/* map-based operations (libbpf 1.0); sizes are checked by the host. */
static inline int bpf_map__lookup_elem(const struct bpf_map *map, const void *key,
				       size_t key_sz, void *value, size_t value_sz,
				       uint64_t flags)
{
	(void)key_sz;
	(void)value_sz;
	return bpf_map_lookup_elem_flags(bpf_map__fd(map), key, value, flags);
}

static inline int bpf_map__update_elem(const struct bpf_map *map, const void *key,
				       size_t key_sz, const void *value, size_t value_sz,
				       uint64_t flags)
{
	(void)key_sz;
	(void)value_sz;
	return bpf_map_update_elem(bpf_map__fd(map), key, value, flags);
}

static inline int bpf_map__delete_elem(const struct bpf_map *map, const void *key,
				       size_t key_sz, uint64_t flags)
{
	(void)key_sz;
	return bpf_map_delete_elem_flags(bpf_map__fd(map), key, flags);
}

static inline int bpf_map__get_next_key(const struct bpf_map *map, const void *cur_key,
					void *next_key, size_t key_sz)
{
	(void)key_sz;
	return bpf_map_get_next_key(bpf_map__fd(map), cur_key, next_key);
}

static inline int bpf_map__lookup_and_delete_elem(const struct bpf_map *map, const void *key,
						  size_t key_sz, void *value, size_t value_sz,
						  uint64_t flags)
{
	(void)key_sz;
	(void)value_sz;
	(void)flags;
	return bpf_map_lookup_and_delete_elem(bpf_map__fd(map), key, value);
}

/* ---------------------------------------------------------------- programs */

static inline const char *bpf_program__name(const struct bpf_program *prog)
{
	return prog ? prog->name : NULL;
}

static inline int bpf_program__set_autoload(struct bpf_program *prog, bool autoload)
{
	int err;

	if (prog->obj->loaded)
		return -EBUSY;
	err = wasm_bpf_program_set_autoload(prog->obj->handle, prog->name, autoload);
	if (err < 0)
		return err;
	prog->autoload = autoload;
	return 0;
}

static inline bool bpf_program__autoload(const struct bpf_program *prog)
{
	return prog->autoload;
}

static inline void bpf_program__set_autoattach(struct bpf_program *prog, bool autoattach)
{
	prog->autoattach = autoattach;
}

/* The original SDK's way to give a program its attach target (docs/abi.md). */
static inline int bpf_set_prog_attach_target(struct bpf_program *prog, const char *target)
{
	if (!prog)
		return -EINVAL;
	wasm_bpf__strlcpy(prog->attach_target, target ? target : "", sizeof(prog->attach_target));
	return 0;
}

/* Attach to target (NULL or "": from the section name). NULL with errno on failure. */
static inline struct bpf_link *bpf_program__attach_target(struct bpf_program *prog,
							  const char *target)
{
	struct bpf_link *link;
	int err;

	err = wasm_attach_bpf_program(prog->obj->handle, prog->name,
				      target && *target ? target : NULL);
	if (err < 0) {
		errno = -err;
		return NULL;
	}
	link = (struct bpf_link *)calloc(1, sizeof(*link));
	if (!link) {
		wasm_bpf_detach_program(prog->obj->handle, prog->name);
		errno = ENOMEM;
		return NULL;
	}
	link->prog = prog;
	return link;
}

/* Attach using the target set by bpf_set_prog_attach_target(), if any. */
static inline struct bpf_link *bpf_program__attach(struct bpf_program *prog)
{
	return bpf_program__attach_target(prog, prog->attach_target);
}

static inline int bpf_link__destroy(struct bpf_link *link)
{
	int err;

	if (!link)
		return 0;
	err = wasm_bpf_detach_program(link->prog->obj->handle, link->prog->name);
	free(link);
	return err == -ENOENT ? 0 : err;
}

/* ---------------------------------------------------------------- skeletons */

struct bpf_map_skeleton {
	const char *name;
	struct bpf_map **map;
	void **mmaped;
};

struct bpf_prog_skeleton {
	const char *name;
	struct bpf_program **prog;
	struct bpf_link **link;
};

struct bpf_object_skeleton {
	size_t sz;
	const char *name;
	const void *data;
	size_t data_sz;
	struct bpf_object **obj;
	int map_cnt;
	int map_skel_sz;
	struct bpf_map_skeleton *maps;
	int prog_cnt;
	int prog_skel_sz;
	struct bpf_prog_skeleton *progs;
};

static inline int bpf_object__open_skeleton(struct bpf_object_skeleton *s,
					    const struct bpf_object_open_opts *opts)
{
	struct bpf_object *obj;
	int i;

	obj = bpf_object__open_mem(s->data, s->data_sz, opts);
	if (!obj)
		return -errno;
	*s->obj = obj;
	for (i = 0; i < s->map_cnt; i++) {
		struct bpf_map_skeleton *ms =
			(struct bpf_map_skeleton *)((char *)s->maps + i * s->map_skel_sz);
		struct bpf_map *m = bpf_object__find_map_by_name(obj, ms->name);

		if (!m)
			return -ENOMEM;
		*ms->map = m;
		if (ms->mmaped)
			*ms->mmaped = m->global_buf;
	}
	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *ps =
			(struct bpf_prog_skeleton *)((char *)s->progs + i * s->prog_skel_sz);
		struct bpf_program *p = bpf_object__find_program_by_name(obj, ps->name);

		if (!p)
			return -ENOMEM;
		*ps->prog = p;
	}
	return 0;
}

static inline int bpf_object__load_skeleton(struct bpf_object_skeleton *s)
{
	return bpf_object__load(*s->obj);
}

/*
 * Attach every loaded program marked for auto-attach. As in libbpf, programs
 * whose section names no target (e.g. "xdp" with no attach target set) are
 * skipped rather than failing the whole skeleton.
 */
static inline int bpf_object__attach_skeleton(struct bpf_object_skeleton *s)
{
	int i;

	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *ps =
			(struct bpf_prog_skeleton *)((char *)s->progs + i * s->prog_skel_sz);
		struct bpf_program *p = *ps->prog;
		struct bpf_link *link;

		if (!p->autoload || !p->autoattach)
			continue;
		if (ps->link && *ps->link)
			continue;
		link = bpf_program__attach(p);
		if (!link) {
			if (!p->attach_target[0] && (errno == ENOTSUP || errno == ESRCH))
				continue;
			return -errno;
		}
		if (ps->link)
			*ps->link = link;
		else
			free(link);
	}
	return 0;
}

static inline void bpf_object__detach_skeleton(struct bpf_object_skeleton *s)
{
	int i;

	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *ps =
			(struct bpf_prog_skeleton *)((char *)s->progs + i * s->prog_skel_sz);

		if (ps->link && *ps->link) {
			bpf_link__destroy(*ps->link);
			*ps->link = NULL;
		}
	}
}

static inline void bpf_object__destroy_skeleton(struct bpf_object_skeleton *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *ps =
			(struct bpf_prog_skeleton *)((char *)s->progs + i * s->prog_skel_sz);

		/* Closing the object detaches everything on the host side. */
		if (ps->link && *ps->link) {
			free(*ps->link);
			*ps->link = NULL;
		}
	}
	if (s->obj)
		bpf_object__close(*s->obj);
	free(s->maps);
	free(s->progs);
	free(s);
}

/* ---------------------------------------------------------------- buffers */

typedef int (*bpf_buffer_sample_fn)(void *ctx, void *data, size_t size);
typedef int (*ring_buffer_sample_fn)(void *ctx, void *data, size_t size);

/* A ring buffer or perf event array consumer (the original wasm-bpf SDK's API). */
struct bpf_buffer {
	struct bpf_map *events;
	int fd;
	void *ctx;
	bpf_buffer_sample_fn sample_fn;
	char *data;			/* record buffer in guest memory */
	size_t max_size;		/* 0 until the first poll (then sized from the map) */
};

static inline struct bpf_buffer *bpf_buffer__new(struct bpf_map *events)
{
	struct bpf_buffer *buf = (struct bpf_buffer *)calloc(1, sizeof(*buf));

	if (!buf) {
		errno = ENOMEM;
		return NULL;
	}
	buf->events = events;
	buf->fd = bpf_map__fd(events);
	return buf;
}

static inline struct bpf_buffer *bpf_buffer__open(struct bpf_map *events,
						  bpf_buffer_sample_fn sample_cb, void *ctx)
{
	struct bpf_buffer *buf = bpf_buffer__new(events);

	if (!buf)
		return NULL;
	buf->sample_fn = sample_cb;
	buf->ctx = ctx;
	return buf;
}

/* Set the largest record delivered (larger ones are truncated). */
static inline int bpf_buffer__set_max_size(struct bpf_buffer *buf, size_t max_size)
{
	char *d = (char *)realloc(buf->data, max_size ? max_size : 1);

	if (!d)
		return -ENOMEM;
	buf->data = d;
	buf->max_size = max_size;
	return 0;
}

/* Default record size: the largest record the map can carry, where known. */
static inline size_t wasm_bpf__default_record_size(int fd)
{
	struct wasm_bpf_map_info info;

	if (fd >= 0 && wasm_bpf_map_info(fd, &info) == 0 && info.type == BPF_MAP_TYPE_RINGBUF)
		return info.max_entries < BPF_BUFFER_RING_MAX_DEFAULT
			       ? info.max_entries : BPF_BUFFER_RING_MAX_DEFAULT;
	return BPF_BUFFER_PERF_MAX_RECORD;
}

/* Poll once; timeout <= 0 means 100 ms, as in the original SDK. Returns records or -errno. */
static inline int bpf_buffer__poll(struct bpf_buffer *buf, int timeout_ms)
{
	if (!buf || buf->fd < 0)
		return -EINVAL;
	if (!buf->data) {
		int err = bpf_buffer__set_max_size(buf, wasm_bpf__default_record_size(buf->fd));

		if (err)
			return err;
	}
	if (timeout_ms <= 0)
		timeout_ms = BPF_BUFFER_DEFAULT_TIMEOUT_MS;
	return wasm_bpf_buffer_poll(buf->events->obj->handle, buf->fd,
				    (int32_t)(uintptr_t)buf->sample_fn, (uint32_t)(uintptr_t)buf->ctx,
				    buf->data, (int)buf->max_size, timeout_ms);
}

static inline void bpf_buffer__free(struct bpf_buffer *buf)
{
	if (!buf)
		return;
	free(buf->data);
	free(buf);
}

/* libbpf's ring_buffer API over the same import (one map per ring_buffer). */
struct ring_buffer_opts {
	size_t sz;
};

struct ring_buffer {
	struct bpf_object *obj;
	struct bpf_buffer buf;
};


static inline struct ring_buffer *ring_buffer__new(int map_fd, ring_buffer_sample_fn sample_cb,
						   void *ctx, const struct ring_buffer_opts *opts)
{
	struct ring_buffer *rb;

	(void)opts;
	/* The host finds the map's object by fd; any open object's handle will do. */
	if (map_fd < 0 || !wasm_bpf__open_objects) {
		errno = EINVAL;
		return NULL;
	}
	rb = (struct ring_buffer *)calloc(1, sizeof(*rb));
	if (!rb) {
		errno = ENOMEM;
		return NULL;
	}
	rb->obj = wasm_bpf__open_objects;
	rb->buf.fd = map_fd;
	rb->buf.sample_fn = sample_cb;
	rb->buf.ctx = ctx;
	return rb;
}

static inline void ring_buffer__free(struct ring_buffer *rb)
{
	if (!rb)
		return;
	free(rb->buf.data);
	free(rb);
}

/* Poll once with libbpf's timeout semantics (0: no wait; < 0: wait forever). */
static inline int ring_buffer__poll(struct ring_buffer *rb, int timeout_ms)
{
	if (!rb->buf.data) {
		int err = bpf_buffer__set_max_size(&rb->buf,
						   wasm_bpf__default_record_size(rb->buf.fd));

		if (err)
			return err;
	}
	return wasm_bpf_buffer_poll(rb->obj->handle, rb->buf.fd,
				    (int32_t)(uintptr_t)rb->buf.sample_fn,
				    (uint32_t)(uintptr_t)rb->buf.ctx, rb->buf.data,
				    (int)rb->buf.max_size, timeout_ms);
}

static inline int ring_buffer__consume(struct ring_buffer *rb)
{
	return ring_buffer__poll(rb, 0);
}

/* ---------------------------------------------------------------- misc */

/* The host's text for the last failure (verifier log tail etc.), into buf. */
static inline int libbpf_get_error_text(char *buf, size_t len)
{
	return wasm_bpf_last_error(buf, (uint32_t)len);
}

static inline long libbpf_get_error(const void *ptr)
{
	return ptr ? 0 : -errno;
}

#ifdef __cplusplus
}
#endif

#endif /* LIBBPF_WASM_H */
