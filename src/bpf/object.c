/* SPDX-License-Identifier: MIT */
/*
 * eBPF objects of a host: open an ELF image taken from the guest (copied, so
 * the guest cannot change it under libbpf's feet) with the CO-RE target BTF
 * chosen by the host's options, load it with the verifier log routed to the
 * user, and close it with everything attached to it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bpf_internal.h"
#include "core_btf.h"

/* Print the last lines of the captured libbpf/verifier output as warnings. */
static void report_load_failure(struct wb_bpf_host *h, int err)
{
	const char *text = h->last_error;
	const char *p, *start;
	int lines = 0;

	/* Find the start of the last 20 lines. */
	start = text;
	for (p = text + h->last_error_len; p > text; p--) {
		if (p[-1] == '\n' && ++lines > 20) {
			start = p;
			break;
		}
	}
	char msg[128];

	libbpf_strerror(err, msg, sizeof(msg));
	wb_bpf_log(h, WB_BPF_LOG_WARN, "%s: loading eBPF object failed: %s\n", h->module_name,
		   msg);
	if (*start)
		wb_bpf_log(h, WB_BPF_LOG_WARN, "%s", start);
}

/*
 * The BTF libbpf resolves o's CO-RE relocations against (opts->core_btf):
 * sets oopts->btf_custom_path, or leaves libbpf's default (the whole kernel
 * BTF). In "min" mode, o->core_btf_fd holds the minimized BTF until load:
 * libbpf keeps the path and parses the file during bpf_object__load().
 */
static void choose_core_btf(struct wb_bpf_host *h, struct wb_bpf_obj *o,
			    struct bpf_object_open_opts *oopts)
{
	const char *mode = h->core_btf;
	struct wb_bpf_core_btf_stats st;
	int fd;

	if (mode && !strcmp(mode, "full"))
		return;
	if (mode && strcmp(mode, "min")) {
		oopts->btf_custom_path = mode;
		wb_bpf_log(h, WB_BPF_LOG_DEBUG, "%s: CO-RE target BTF: %s\n", h->module_name, mode);
		return;
	}
	fd = wb_bpf_core_btf_build(o->elf, o->elf_sz, NULL, &st);
	if (fd == -ENODATA)
		return;
	if (fd < 0) {
		wb_bpf_log(h, WB_BPF_LOG_DEBUG,
			   "%s: CO-RE target BTF: the whole kernel BTF (%s), after %llu us\n",
			   h->module_name, st.reason[0] ? st.reason : strerror(-fd),
			   (unsigned long long)st.usec);
		return;
	}
	o->core_btf_fd = fd;
	snprintf(o->core_btf_path, sizeof(o->core_btf_path), "/proc/self/fd/%d", fd);
	oopts->btf_custom_path = o->core_btf_path;
	wb_bpf_log(h, WB_BPF_LOG_DEBUG,
		   "%s: CO-RE target BTF: %u of %u kernel types (%u as stubs), %zu of %zu bytes, "
		   "for %u relocations of %u root types (%u candidates); %u reads, %llu us\n",
		   h->module_name, st.type_cnt, st.kernel_type_cnt, st.stub_cnt, st.size,
		   st.kernel_size, st.relo_cnt, st.root_cnt, st.cand_cnt, st.read_cnt,
		   (unsigned long long)st.usec);
}

static void close_core_btf(struct wb_bpf_obj *o)
{
	if (o->core_btf_fd >= 0)
		close(o->core_btf_fd);
	o->core_btf_fd = -1;
}

struct wb_bpf_obj *wb_bpf_obj_open(struct wb_bpf_host *h, const void *elf, size_t sz,
				   bool open_only, int *err)
{
	LIBBPF_OPTS(bpf_object_open_opts, oopts, .object_name = "wasm_bpf");
	struct wb_bpf_obj *o;
	char why[256];
	int ret;

	o = calloc(1, sizeof(*o));
	if (!o) {
		*err = -ENOMEM;
		return NULL;
	}
	o->elf = malloc(sz ? sz : 1);
	if (!o->elf) {
		free(o);
		*err = -ENOMEM;
		return NULL;
	}
	memcpy(o->elf, elf, sz);
	o->elf_sz = sz;
	o->core_btf_fd = -1;

	/* A corrupt image can crash libbpf 1.1: a child tries it first (trial.c). */
	ret = wb_bpf_trial_open(o->elf, sz, why, sizeof(why));
	if (ret) {
		wb_bpf_set_error(h, "%s", why);
		wb_bpf_log(h, WB_BPF_LOG_WARN, "%s: %s\n", h->module_name, h->last_error);
		free(o->elf);
		free(o);
		*err = ret;
		return NULL;
	}
	choose_core_btf(h, o, &oopts);
	wb_bpf_libbpf_enter(h, true);
	o->obj = bpf_object__open_mem(o->elf, sz, &oopts);
	ret = o->obj ? 0 : -errno;
	wb_bpf_libbpf_leave(h);
	if (ret) {
		char msg[128];

		close_core_btf(o);
		if (!h->last_error_len)
			wb_bpf_set_error(h, "not a valid eBPF object: %s", strerror(-ret));
		libbpf_strerror(ret, msg, sizeof(msg));
		wb_bpf_log(h, WB_BPF_LOG_WARN, "%s: opening eBPF object failed: %s\n",
			   h->module_name, msg);
		free(o->elf);
		free(o);
		*err = ret;
		return NULL;
	}

	o->handle = h->next_handle++;
	o->next = h->objs;
	h->objs = o;
	h->obj_cnt++;

	if (!open_only) {
		ret = wb_bpf_obj_load(h, o);
		if (ret) {
			wb_bpf_obj_close(h, o);
			*err = ret;
			return NULL;
		}
	}
	*err = 0;
	return o;
}

struct bpf_map *wb_bpf_obj_global_map(struct wb_bpf_obj *o, unsigned int which)
{
	static const char *const names[] = { ".rodata", ".data", ".bss" };
	struct bpf_map *map;

	if (which >= 3)
		return NULL;
	bpf_object__for_each_map(map, o->obj) {
		const char *n = bpf_map__name(map);
		const char *dot = n ? strchr(n, '.') : NULL;

		/* libbpf names internal maps "<object name prefix>.rodata" etc. */
		if (dot && !strcmp(dot, names[which]))
			return map;
	}
	return NULL;
}

/*
 * Map the kernel's copies of the global sections into the host, so that the
 * guest reads and writes the live values (libbpf 1.1 only does this for
 * skeletons). .rodata is frozen by the kernel, hence read-only.
 */
static void map_globals(struct wb_bpf_host *h, struct wb_bpf_obj *o)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct bpf_map *map = wb_bpf_obj_global_map(o, i);
		size_t sz, len;
		void *p;

		if (!map || bpf_map__fd(map) < 0 || !(bpf_map__map_flags(map) & BPF_F_MMAPABLE))
			continue;
		sz = bpf_map__value_size(map);
		len = (sz + (size_t)page - 1) & ~((size_t)page - 1);
		p = mmap(NULL, len, i == 0 ? PROT_READ : PROT_READ | PROT_WRITE, MAP_SHARED,
			 bpf_map__fd(map), 0);
		if (p == MAP_FAILED) {
			wb_bpf_log(h, WB_BPF_LOG_INFO, "%s: cannot map %s: %s\n", h->module_name,
				   bpf_map__name(map), strerror(errno));
			continue;
		}
		o->globals[i] = p;
		o->globals_sz[i] = sz;
	}
}

static void unmap_globals(struct wb_bpf_obj *o)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned int i;

	for (i = 0; i < 3; i++) {
		if (o->globals[i])
			munmap(o->globals[i], (o->globals_sz[i] + (size_t)page - 1) &
					      ~((size_t)page - 1));
		o->globals[i] = NULL;
	}
}

int wb_bpf_obj_load(struct wb_bpf_host *h, struct wb_bpf_obj *o)
{
	char why[256];
	int ret;

	if (o->loaded)
		return -EALREADY;
	/* The policy sees the object as it will be loaded (sizes, autoload set by the guest). */
	ret = wb_bpf_policy_enforce_load(h, o);
	if (ret) {
		h->refusals += ret == -EPERM;
		return ret;
	}
	/* libbpf 1.1 crashes loading some corrupt objects: a child tries first (trial.c). */
	ret = wb_bpf_trial_load(o->obj, why, sizeof(why));
	if (ret) {
		wb_bpf_set_error(h, "%s", why);
		wb_bpf_log(h, WB_BPF_LOG_WARN, "%s: %s\n", h->module_name, h->last_error);
		return ret;
	}
	wb_bpf_libbpf_enter(h, true);
	ret = bpf_object__load(o->obj);
	wb_bpf_libbpf_leave(h);
	/* libbpf has parsed it, and never loads an object twice. */
	close_core_btf(o);
	if (ret) {
		ret = ret < 0 ? ret : -EINVAL;
		report_load_failure(h, ret);
		return ret;
	}
	o->loaded = true;
	map_globals(h, o);
	return 0;
}

void wb_bpf_obj_close(struct wb_bpf_host *h, struct wb_bpf_obj *o)
{
	struct wb_bpf_obj **pp;
	uint32_t i;

	for (pp = &h->objs; *pp; pp = &(*pp)->next) {
		if (*pp == o) {
			*pp = o->next;
			h->obj_cnt--;
			break;
		}
	}
	/* Links first (newest first), then buffers, then the object. */
	for (i = o->link_cnt; i-- > 0;)
		wb_bpf_link_destroy(&o->links[i]);
	for (i = 0; i < o->buf_cnt; i++)
		wb_bpf_buffer_free(o->bufs[i]);
	unmap_globals(o);
	close_core_btf(o);
	bpf_object__close(o->obj);
	free(o->links);
	free(o->bufs);
	free(o->elf);
	free(o);
}
