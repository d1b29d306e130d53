/* SPDX-License-Identifier: MIT */
/*
 * The eBPF host state: creation and teardown, the handle table of objects,
 * the map-ownership lookups, and the routing of libbpf's messages.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "bpf_internal.h"

/*
 * libbpf's print callback is process-global. While libbpf works for a host
 * (load, attach), `current` points at it; messages are routed to its log and,
 * during loads, also collected as the last error text.
 */
static struct wb_bpf_host *current;

/* fmt is libbpf's own format string: tell the compiler, which then checks it is one. */
__attribute__((format(printf, 2, 0)))
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	struct wb_bpf_host *h = current;
	enum wb_bpf_log_level lvl;
	va_list aq;

	if (!h)
		return 0;
	if (h->capture && level <= LIBBPF_INFO) {
		size_t room = sizeof(h->last_error) - h->last_error_len;
		int n;

		va_copy(aq, ap);
		if (room > 1) {
			n = vsnprintf(h->last_error + h->last_error_len, room, fmt, aq);
			if (n > 0)
				h->last_error_len += (size_t)n < room ? (size_t)n : room - 1;
		} else {
			/* Keep the tail: the verifier's last lines say why. */
			size_t half = sizeof(h->last_error) / 2;

			memmove(h->last_error, h->last_error + half, h->last_error_len - half);
			h->last_error_len -= half;
			room = sizeof(h->last_error) - h->last_error_len;
			n = vsnprintf(h->last_error + h->last_error_len, room, fmt, aq);
			if (n > 0)
				h->last_error_len += (size_t)n < room ? (size_t)n : room - 1;
		}
		va_end(aq);
	}
	switch (level) {
	case LIBBPF_WARN:
		lvl = WB_BPF_LOG_INFO;	/* shown with -v; failures are reported by us */
		break;
	case LIBBPF_INFO:
		lvl = WB_BPF_LOG_INFO;
		break;
	default:
		lvl = WB_BPF_LOG_DEBUG;
		break;
	}
	if (h->opts.log && lvl <= h->opts.log_level) {
		va_copy(aq, ap);
		h->opts.log(h->opts.log_ctx, lvl, fmt, aq);
		va_end(aq);
	}
	return 0;
}

void wb_bpf_libbpf_enter(struct wb_bpf_host *h, bool capture)
{
	current = h;
	h->capture = capture;
	if (capture) {
		h->last_error_len = 0;
		h->last_error[0] = '\0';
	}
	libbpf_set_print(libbpf_print);
}

void wb_bpf_libbpf_leave(struct wb_bpf_host *h)
{
	h->capture = false;
	current = NULL;
}

void wb_bpf_log(struct wb_bpf_host *h, enum wb_bpf_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (!h->opts.log || level > h->opts.log_level)
		return;
	va_start(ap, fmt);
	h->opts.log(h->opts.log_ctx, level, fmt, ap);
	va_end(ap);
}

void wb_bpf_msg(char *buf, size_t sz, const char *fmt, ...)
{
	va_list ap;

	if (!buf || !sz)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sz, fmt, ap);
	va_end(ap);
}

void wb_bpf_set_error(struct wb_bpf_host *h, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(h->last_error, sizeof(h->last_error), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	h->last_error_len = (size_t)n < sizeof(h->last_error) ? (size_t)n
							     : sizeof(h->last_error) - 1;
}

static char *dup_or(const char *s, const char *dflt)
{
	return strdup(s ? s : dflt);
}

struct wb_bpf_host *wb_bpf_host__new(const struct wb_bpf_host_opts *opts)
{
	struct wb_bpf_host *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	if (opts) {
		size_t n = opts->sz < sizeof(h->opts) ? opts->sz : sizeof(h->opts);

		memcpy(&h->opts, opts, n);
	}
	h->opts.sz = sizeof(h->opts);
	h->module_name = dup_or(h->opts.module_name, "module");
	h->wrapper_module = dup_or(h->opts.wrapper_module, "callback-wrapper");
	h->callback_export = dup_or(h->opts.callback_export, "go-callback");
	h->table_export = dup_or(h->opts.table_export, "__indirect_function_table");
	h->core_btf = h->opts.core_btf ? strdup(h->opts.core_btf) : NULL;
	if (!h->module_name || !h->wrapper_module || !h->callback_export || !h->table_export ||
	    (h->opts.core_btf && !h->core_btf)) {
		wb_bpf_host__free(h);
		errno = ENOMEM;
		return NULL;
	}
	h->opts.module_name = h->module_name;
	h->opts.wrapper_module = h->wrapper_module;
	h->opts.callback_export = h->callback_export;
	h->opts.table_export = h->table_export;
	h->opts.core_btf = h->core_btf;
	h->next_handle = 1;
	return h;
}

void wb_bpf_host__interrupt(struct wb_bpf_host *host)
{
	if (host)
		host->interrupted = 1;
}

unsigned int wb_bpf_host__object_cnt(const struct wb_bpf_host *host)
{
	return host ? host->obj_cnt : 0;
}

unsigned int wb_bpf_host__refusal_cnt(const struct wb_bpf_host *host)
{
	return host ? host->refusals : 0;
}

void wb_bpf_host__free(struct wb_bpf_host *host)
{
	if (!host)
		return;
	/* Newest first, so that an object's dependants go before it. */
	while (host->objs)
		wb_bpf_obj_close(host, host->objs);
	free(host->module_name);
	free(host->wrapper_module);
	free(host->callback_export);
	free(host->table_export);
	free(host->core_btf);
	free(host);
}

struct wb_bpf_obj *wb_bpf_obj_find(struct wb_bpf_host *h, uint64_t handle)
{
	struct wb_bpf_obj *o;

	if (!handle)
		return NULL;
	for (o = h->objs; o; o = o->next)
		if (o->handle == handle)
			return o;
	return NULL;
}

struct bpf_map *wb_bpf_map_by_fd(struct wb_bpf_host *h, int fd, struct wb_bpf_obj **obj)
{
	struct wb_bpf_obj *o;
	struct bpf_map *map;

	if (fd < 0)
		return NULL;
	for (o = h->objs; o; o = o->next) {
		if (!o->loaded)
			continue;
		bpf_object__for_each_map(map, o->obj) {
			if (bpf_map__fd(map) == fd) {
				if (obj)
					*obj = o;
				return map;
			}
		}
	}
	return NULL;
}

bool wb_bpf_fd_owned(struct wb_bpf_host *h, int fd)
{
	struct wb_bpf_obj *o;
	struct bpf_program *prog;

	if (wb_bpf_map_by_fd(h, fd, NULL))
		return true;
	for (o = h->objs; o; o = o->next) {
		if (!o->loaded)
			continue;
		bpf_object__for_each_program(prog, o->obj)
			if (bpf_program__fd(prog) == fd)
				return true;
	}
	return false;
}
