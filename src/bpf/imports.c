/* SPDX-License-Identifier: MIT */
/*
 * The "wasm_bpf" imports: each one checks the guest's handles, pointers and
 * strings, calls into the host state (objects, attach, maps, buffers), and
 * returns negative WASI errno values. This is the only file of src/bpf that
 * touches the engine.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "bpf_internal.h"
#include "wasm-bpf/wasi.h"

/* Longest C string accepted from a guest (names, targets). */
#define MAX_GUEST_STR 4096
/* Largest ELF image accepted from a guest. */
#define MAX_OBJECT_SZ (256u << 20)

/* Commands of wasm_bpf_map_operate (the kernel's enum bpf_cmd numbers). */
enum {
	CMD_LOOKUP = 1,
	CMD_UPDATE = 2,
	CMD_DELETE = 3,
	CMD_GET_NEXT_KEY = 4,
	CMD_LOOKUP_AND_DELETE = 21,
};

/* Global data sections reachable through wasm_bpf_global_read/write. */
enum {
	GLOBAL_RODATA = 0,
	GLOBAL_DATA = 1,
	GLOBAL_BSS = 2,
};

static int32_t werr(int neg_linux_errno)
{
	if (neg_linux_errno >= 0)
		return neg_linux_errno;
	return -wb_wasi_errno(-neg_linux_errno);
}

static struct wb_memory *guest_mem(const struct wb_hostcall *hc)
{
	return hc->caller ? wb_instance__memory(hc->caller) : NULL;
}

static void *guest_ptr(const struct wb_hostcall *hc, uint32_t off, uint64_t len)
{
	struct wb_memory *mem = guest_mem(hc);

	return mem ? wb_memory__ptr(mem, off, len) : NULL;
}

/* A NUL-terminated guest string at off, or NULL if it is not inside memory. */
static const char *guest_str(const struct wb_hostcall *hc, uint32_t off)
{
	struct wb_memory *mem = guest_mem(hc);

	return mem ? wb_memory__str(mem, off, MAX_GUEST_STR) : NULL;
}

static struct wb_bpf_host *host_of(const struct wb_hostcall *hc)
{
	return hc->user;
}

/* ---------------------------------------------------------------- objects */

/*
 * The object of handle a[0] and the guest string at a[1], as most imports take
 * them: 0, -EBADF for a handle this guest does not hold, -EFAULT for a string
 * not inside guest memory.
 */
static int obj_and_name(const struct wb_hostcall *hc, const wb_value *a, struct wb_bpf_obj **o,
			const char **name)
{
	*o = wb_bpf_obj_find(host_of(hc), a[0].i64);
	if (!*o)
		return -EBADF;
	*name = guest_str(hc, a[1].i32);
	return *name ? 0 : -EFAULT;
}


static int64_t load_object(const struct wb_hostcall *hc, uint32_t buf, uint32_t sz,
			   bool open_only)
{
	struct wb_bpf_host *h = host_of(hc);
	struct wb_bpf_obj *o;
	const void *elf;
	int err;

	if (!sz || sz > MAX_OBJECT_SZ) {
		wb_bpf_set_error(h, "bad object size %u", sz);
		return 0;
	}
	elf = guest_ptr(hc, buf, sz);
	if (!elf) {
		wb_bpf_set_error(h, "object buffer [%u, +%u) is outside guest memory", buf, sz);
		return 0;
	}
	o = wb_bpf_obj_open(h, elf, sz, open_only, &err);
	return o ? (int64_t)o->handle : 0;
}

static int imp_load_bpf_object(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	r[0].i64 = (uint64_t)load_object(hc, a[0].i32, a[1].i32, false);
	return 0;
}

static int imp_open_bpf_object(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	r[0].i64 = (uint64_t)load_object(hc, a[0].i32, a[1].i32, true);
	return 0;
}

static int imp_load_opened_object(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	struct wb_bpf_host *h = host_of(hc);
	struct wb_bpf_obj *o = wb_bpf_obj_find(h, a[0].i64);

	r[0].i32 = (uint32_t)(o ? werr(wb_bpf_obj_load(h, o)) : werr(-EBADF));
	return 0;
}

static int imp_close_bpf_object(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	struct wb_bpf_host *h = host_of(hc);
	struct wb_bpf_obj *o = wb_bpf_obj_find(h, a[0].i64);

	if (!o) {
		r[0].i32 = (uint32_t)werr(-EBADF);
		return 0;
	}
	if (o->polling) {
		/* Called from a poll callback of this object: its buffers are in use. */
		r[0].i32 = (uint32_t)werr(-EBUSY);
		return 0;
	}
	wb_bpf_obj_close(h, o);
	r[0].i32 = 0;
	return 0;
}

/* ---------------------------------------------------------------- programs */

static int imp_attach_bpf_program(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	const char *name, *target = NULL;
	struct wb_bpf_obj *o;
	int err = obj_and_name(hc, a, &o, &name);

	/* Target offset 0 is the guest's NULL: attach from the section name. */
	if (!err && a[2].i32) {
		target = guest_str(hc, a[2].i32);
		if (!target)
			err = -EFAULT;
	}
	r[0].i32 = (uint32_t)werr(err ? err : wb_bpf_attach(host_of(hc), o, name, target));
	return 0;
}

static int imp_detach_bpf_program(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	struct wb_bpf_obj *o;
	const char *name;
	int err = obj_and_name(hc, a, &o, &name);

	r[0].i32 = (uint32_t)werr(err ? err : wb_bpf_detach(host_of(hc), o, name));
	return 0;
}

static int imp_program_set_autoload(const struct wb_hostcall *hc, const wb_value *a,
				    wb_value *r)
{
	struct bpf_program *prog;
	struct wb_bpf_obj *o;
	const char *name;
	int err = obj_and_name(hc, a, &o, &name);

	if (!err) {
		prog = bpf_object__find_program_by_name(o->obj, name);
		if (!prog)
			err = -ENOENT;
		else if (o->loaded)
			err = -EBUSY;
		else
			err = bpf_program__set_autoload(prog, a[2].i32 != 0);
	}
	r[0].i32 = (uint32_t)werr(err);
	return 0;
}

/* ---------------------------------------------------------------- maps */

static int imp_map_fd_by_name(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	struct bpf_map *map;
	struct wb_bpf_obj *o;
	const char *name;
	int ret = obj_and_name(hc, a, &o, &name);

	if (!ret) {
		map = bpf_object__find_map_by_name(o->obj, name);
		if (!map)
			ret = -ENOENT;
		else if (bpf_map__fd(map) < 0)
			ret = -EAGAIN;	/* not created yet (open, not loaded) */
		else
			ret = bpf_map__fd(map);
	}
	r[0].i32 = (uint32_t)werr(ret);
	return 0;
}

/* Is the map's value a file descriptor the guest could smuggle in? */
static bool map_holds_fds(enum bpf_map_type t)
{
	switch (t) {
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_SOCKMAP:
	case BPF_MAP_TYPE_SOCKHASH:
	case BPF_MAP_TYPE_REUSEPORT_SOCKARRAY:
		return true;
	default:
		return false;
	}
}

static int map_operate(const struct wb_hostcall *hc, int fd, int cmd, uint32_t key_off,
		       uint32_t value_off, uint32_t next_off, uint64_t flags)
{
	struct wb_bpf_host *h = host_of(hc);
	struct bpf_map *map = wb_bpf_map_by_fd(h, fd, NULL);
	uint32_t ksz, vsz;
	void *key = NULL, *value = NULL, *next = NULL;
	int ret;

	if (!map)
		return -EBADF;
	ksz = bpf_map__key_size(map);
	vsz = wb_bpf_map_value_bytes(map);

	/* Offset 0 is the guest's NULL where libbpf accepts NULL (first key). */
	if (ksz && (key_off || cmd != CMD_GET_NEXT_KEY)) {
		key = guest_ptr(hc, key_off, ksz);
		if (!key)
			return -EFAULT;
	}
	switch (cmd) {
	case CMD_LOOKUP:
	case CMD_LOOKUP_AND_DELETE:
		value = guest_ptr(hc, value_off, vsz);
		if (!value)
			return -EFAULT;
		if (cmd == CMD_LOOKUP)
			ret = bpf_map_lookup_elem_flags(fd, key, value, flags);
		else
			ret = bpf_map_lookup_and_delete_elem(fd, key, value);
		break;
	case CMD_UPDATE:
		value = guest_ptr(hc, value_off, vsz);
		if (!value)
			return -EFAULT;
		if (map_holds_fds(bpf_map__type(map)) && vsz >= sizeof(int)) {
			int vfd;

			memcpy(&vfd, value, sizeof(vfd));
			if (!wb_bpf_fd_owned(h, vfd))
				return -EBADF;
		}
		ret = bpf_map_update_elem(fd, key, value, flags);
		break;
	case CMD_DELETE:
		ret = bpf_map_delete_elem(fd, key);
		break;
	case CMD_GET_NEXT_KEY:
		next = guest_ptr(hc, next_off, ksz);
		if (!next)
			return -EFAULT;
		ret = bpf_map_get_next_key(fd, key, next);
		break;
	default:
		return -EINVAL;
	}
	return ret < 0 ? ret : 0;
}

static int imp_map_operate(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	r[0].i32 = (uint32_t)werr(map_operate(hc, (int)a[0].i32, (int)a[1].i32, a[2].i32,
					      a[3].i32, a[4].i32, a[5].i64));
	return 0;
}

/* Map description written for wasm_bpf_map_info (12 x u32, docs/abi.md). */
struct guest_map_info {
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t value_bytes;	/* bytes a lookup writes: per-CPU aware */
	uint32_t map_flags;
	uint32_t reserved[6];
};

static int imp_map_info(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	struct wb_bpf_host *h = host_of(hc);
	struct bpf_map *map = wb_bpf_map_by_fd(h, (int)a[0].i32, NULL);
	struct guest_map_info info = { 0 };
	void *dst;

	if (!map) {
		r[0].i32 = (uint32_t)werr(-EBADF);
		return 0;
	}
	dst = guest_ptr(hc, a[1].i32, sizeof(info));
	if (!dst) {
		r[0].i32 = (uint32_t)werr(-EFAULT);
		return 0;
	}
	info.type = bpf_map__type(map);
	info.key_size = bpf_map__key_size(map);
	info.value_size = bpf_map__value_size(map);
	info.max_entries = bpf_map__max_entries(map);
	info.value_bytes = wb_bpf_map_value_bytes(map);
	info.map_flags = bpf_map__map_flags(map);
	memcpy(dst, &info, sizeof(info));
	r[0].i32 = 0;
	return 0;
}

static int imp_map_set_max_entries(const struct wb_hostcall *hc, const wb_value *a,
				   wb_value *r)
{
	struct bpf_map *map;
	struct wb_bpf_obj *o;
	const char *name;
	int err = obj_and_name(hc, a, &o, &name);

	if (!err) {
		map = bpf_object__find_map_by_name(o->obj, name);
		if (!map)
			err = -ENOENT;
		else if (o->loaded)
			err = -EBUSY;
		else
			err = bpf_map__set_max_entries(map, a[2].i32);
	}
	r[0].i32 = (uint32_t)werr(err);
	return 0;
}

/* ---------------------------------------------------------------- global data */

/*
 * Read or write [off, off+len) of a global data section. Before load this is
 * the initial image libbpf will create the map from; after load .data and .bss
 * are the live, kernel-shared mapping and .rodata is frozen (read-only).
 */
static int global_access(const struct wb_hostcall *hc, const wb_value *a, bool write)
{
	struct wb_bpf_host *h = host_of(hc);
	struct wb_bpf_obj *o = wb_bpf_obj_find(h, a[0].i64);
	uint32_t which = a[1].i32, off = a[2].i32, len = a[4].i32;
	struct bpf_map *map;
	size_t size = 0;
	void *data, *buf;

	if (!o)
		return -EBADF;
	map = wb_bpf_obj_global_map(o, which);
	if (!map)
		return -ENOENT;
	if (write && o->loaded && which == GLOBAL_RODATA)
		return -EPERM;
	if (o->loaded) {
		data = o->globals[which];
		size = o->globals_sz[which];
	} else {
		data = (void *)bpf_map__initial_value(map, &size);
	}
	if (!data)
		return -ENODATA;
	if (off > size || len > size - off)
		return -ERANGE;
	buf = guest_ptr(hc, a[3].i32, len);
	if (!buf)
		return -EFAULT;
	if (write)
		memcpy((char *)data + off, buf, len);
	else
		memcpy(buf, (char *)data + off, len);
	return 0;
}

static int imp_global_read(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	r[0].i32 = (uint32_t)werr(global_access(hc, a, false));
	return 0;
}

static int imp_global_write(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	r[0].i32 = (uint32_t)werr(global_access(hc, a, true));
	return 0;
}

/* ---------------------------------------------------------------- buffers */

/* Index of the guest's exported function table (or 0 if it exports none). */
static uint32_t guest_table(const struct wb_bpf_host *h, struct wb_instance *inst)
{
	const struct wb_module *m = wb_instance__module(inst);
	struct wb_export_desc d;
	uint32_t i, n = wb_module__export_cnt(m);

	for (i = 0; i < n; i++) {
		if (wb_module__export(m, i, &d) == 0 && d.kind == WB_EXTERN_TABLE &&
		    !strcmp(d.name, h->table_export))
			return d.index;
	}
	return 0;
}

static bool same_type(const struct wb_functype *a, const struct wb_functype *b)
{
	return a->param_cnt == b->param_cnt && a->result_cnt == b->result_cnt &&
	       !memcmp(a->params, b->params, a->param_cnt) &&
	       !memcmp(a->results, b->results, a->result_cnt);
}

int wb_bpf_deliver(struct wb_bpf_poll *p, const void *data, size_t size)
{
	static const uint8_t cb_params[] = { WB_I32, WB_I32, WB_I32 };
	static const uint8_t cb_results[] = { WB_I32 };
	static const struct wb_functype cb_type = {
		.param_cnt = 3, .result_cnt = 1, .params = cb_params, .results = cb_results,
	};
	uint32_t n = size < p->max_size ? (uint32_t)size : p->max_size;
	wb_value args[3], res;
	void *dst;
	int ret;

	dst = guest_ptr(p->hc, p->data, n);
	if (!dst) {
		p->result = -EFAULT;
		return -EFAULT;
	}
	memcpy(dst, data, n);
	p->records++;
	if (p->pull) {
		p->pulled_size = n;
		return 0;
	}
	args[0].i64 = p->ctx;
	args[1].i64 = p->data;
	args[2].i64 = n;
	res.i64 = 0;
	if (p->wrapper) {
		struct wb_func *f = wb_instance__func(p->hc->caller, p->host->callback_export);

		if (!f)
			ret = -ENOENT;
		else if (!same_type(wb_func__type(f), &cb_type))
			ret = -EINVAL;
		else
			ret = wb_func__call(p->hc->store, f, args, 3, &res, 1);
	} else {
		ret = wb_instance__call_table(p->hc->caller, p->table_idx, p->sample_func,
					      &cb_type, args, 3, &res, 1);
	}
	if (ret == WB_TRAPPED) {
		p->trapped = true;
		return -EINTR;
	}
	if (ret < 0) {
		p->result = ret;
		return ret;
	}
	if ((int32_t)res.i32 < 0) {
		p->guest_stop = true;
		p->result = (int32_t)res.i32;
		return (int32_t)res.i32;
	}
	return 0;
}

static int do_poll(const struct wb_hostcall *hc, struct wb_bpf_poll *p, uint64_t handle,
		   int fd, int timeout_ms, wb_value *r)
{
	struct wb_bpf_host *h = host_of(hc);
	struct wb_bpf_obj *o = wb_bpf_obj_find(h, handle), *owner = NULL;
	struct wb_bpf_buffer *buf;
	int ret;

	if (!o) {
		r[0].i32 = (uint32_t)werr(-EBADF);
		return 0;
	}
	if (h->interrupted) {
		r[0].i32 = (uint32_t)werr(-EINTR);
		return 0;
	}
	if (!guest_ptr(hc, p->data, p->max_size)) {
		r[0].i32 = (uint32_t)werr(-EFAULT);
		return 0;
	}
	/*
	 * The map may belong to another object of this guest (libbpf's
	 * ring_buffer API knows only the fd): its owner keeps the buffer.
	 */
	if (!wb_bpf_map_by_fd(h, fd, &owner)) {
		wb_bpf_set_error(h, "fd %d is not a map of this module's objects", fd);
		r[0].i32 = (uint32_t)werr(-EBADF);
		return 0;
	}
	buf = wb_bpf_buffer_get(h, owner, fd, &ret);
	if (!buf) {
		r[0].i32 = (uint32_t)werr(ret);
		return 0;
	}
	p->hc = hc;
	p->host = h;
	/* Found once per poll, not per record: the export list does not change. */
	if (!p->wrapper && !p->pull)
		p->table_idx = guest_table(h, hc->caller);
	owner->polling++;
	ret = wb_bpf_buffer_poll(buf, p, timeout_ms);
	owner->polling--;
	if (p->trapped)
		return WB_TRAPPED;	/* the guest callback's trap ends the guest */
	if (h->interrupted && ret == -EINTR)
		ret = -EINTR;
	if (p->guest_stop)
		r[0].i32 = (uint32_t)p->result;	/* the guest's own value, unconverted */
	else
		r[0].i32 = (uint32_t)werr(ret);
	return 0;
}

static int imp_buffer_poll(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	struct wb_bpf_poll p = {
		.sample_func = a[2].i32, .ctx = a[3].i32, .data = a[4].i32,
		.max_size = a[5].i32,
	};

	return do_poll(hc, &p, a[0].i64, (int)a[1].i32, (int)a[6].i32, r);
}

/* TinyGo form: no table index; the callback is the guest's export. */
static int imp_wrapper_buffer_poll(const struct wb_hostcall *hc, const wb_value *a,
				   wb_value *r)
{
	struct wb_bpf_poll p = {
		.wrapper = true, .ctx = a[2].i32, .data = a[3].i32, .max_size = a[4].i32,
	};

	return do_poll(hc, &p, a[0].i64, (int)a[1].i32, (int)a[5].i32, r);
}

/* Pull mode: copy at most one record; returns its size, 0 if none, or -errno. */
static int imp_buffer_read(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	struct wb_bpf_poll p = { .pull = true, .data = a[2].i32, .max_size = a[3].i32 };
	int ret = do_poll(hc, &p, a[0].i64, (int)a[1].i32, (int)a[4].i32, r);

	if (ret == 0 && (int32_t)r[0].i32 >= 0)
		r[0].i32 = p.records ? p.pulled_size : 0;
	return ret;
}

/* ---------------------------------------------------------------- misc */

static int imp_abi_version(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	r[0].i32 = WB_BPF_ABI_VERSION;
	return 0;
}

/* Copy the last error text (NUL-terminated, truncated to len); returns its full length. */
static int imp_last_error(const struct wb_hostcall *hc, const wb_value *a, wb_value *r)
{
	struct wb_bpf_host *h = host_of(hc);
	uint32_t len = a[1].i32;
	char *dst;

	if (len) {
		dst = guest_ptr(hc, a[0].i32, len);
		if (!dst) {
			r[0].i32 = (uint32_t)werr(-EFAULT);
			return 0;
		}
		if (h->last_error_len < len) {
			memcpy(dst, h->last_error, h->last_error_len + 1);
		} else {
			memcpy(dst, h->last_error, len - 1);
			dst[len - 1] = '\0';
		}
	}
	r[0].i32 = (uint32_t)h->last_error_len;
	return 0;
}

/* ---------------------------------------------------------------- registration */

struct import_def {
	const char *name;
	const char *params;	/* 'i' i32, 'I' i64 */
	const char *results;
	wb_host_fn fn;
};

static const struct import_def imports[] = {
	/* The compatibility surface (DESIGN.md 5.1): exact signatures. */
	{ "wasm_load_bpf_object", "ii", "I", imp_load_bpf_object },
	{ "wasm_attach_bpf_program", "Iii", "i", imp_attach_bpf_program },
	{ "wasm_bpf_buffer_poll", "Iiiiiii", "i", imp_buffer_poll },
	{ "wasm_bpf_map_fd_by_name", "Ii", "i", imp_map_fd_by_name },
	{ "wasm_bpf_map_operate", "iiiiiI", "i", imp_map_operate },
	{ "wasm_close_bpf_object", "I", "i", imp_close_bpf_object },
	/* Extensions, ABI version 1 (docs/abi.md). */
	{ "wasm_bpf_abi_version", "", "i", imp_abi_version },
	{ "wasm_bpf_open_object", "ii", "I", imp_open_bpf_object },
	{ "wasm_bpf_load_object", "I", "i", imp_load_opened_object },
	{ "wasm_bpf_program_set_autoload", "Iii", "i", imp_program_set_autoload },
	{ "wasm_bpf_map_set_max_entries", "Iii", "i", imp_map_set_max_entries },
	{ "wasm_bpf_map_info", "ii", "i", imp_map_info },
	{ "wasm_bpf_global_read", "Iiiii", "i", imp_global_read },
	{ "wasm_bpf_global_write", "Iiiii", "i", imp_global_write },
	{ "wasm_bpf_detach_program", "Ii", "i", imp_detach_bpf_program },
	{ "wasm_bpf_buffer_read", "Iiiii", "i", imp_buffer_read },
	{ "wasm_bpf_last_error", "ii", "i", imp_last_error },
};

static void sig_types(const char *s, uint8_t *out)
{
	for (; *s; s++)
		*out++ = *s == 'I' ? WB_I64 : WB_I32;
}

static int define_one(struct wb_linker *l, struct wb_store *s, const char *module,
		      const struct import_def *d, void *user)
{
	uint8_t params[8], results[1];
	struct wb_functype t = {
		.param_cnt = (uint32_t)strlen(d->params),
		.result_cnt = (uint32_t)strlen(d->results),
		.params = params,
		.results = results,
	};

	sig_types(d->params, params);
	sig_types(d->results, results);
	return wb_linker__define_host(l, s, module, d->name, &t, d->fn, user);
}

int wb_bpf_host__define(struct wb_bpf_host *host, struct wb_linker *linker,
			struct wb_store *store)
{
	static const struct import_def wrapper = {
		"wasm_bpf_buffer_poll", "Iiiiii", "i", imp_wrapper_buffer_poll,
	};
	size_t i;
	int ret;

	for (i = 0; i < sizeof(imports) / sizeof(imports[0]); i++) {
		ret = define_one(linker, store, "wasm_bpf", &imports[i], host);
		if (ret)
			return ret;
	}
	return define_one(linker, store, host->wrapper_module, &wrapper, host);
}
