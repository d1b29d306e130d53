/* SPDX-License-Identifier: MIT */
/*
 * Ring and perf buffers: one libbpf consumer per map (any number per object),
 * created on the first poll of that map. Each record is copied into the
 * guest's buffer and handed to the guest's callback synchronously; in pull
 * mode the poll stops after one record instead.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "bpf_internal.h"

/* Perf buffer size per CPU, in pages (as the original runtime). */
#define PERF_BUFFER_PAGES 64
/* A negative value no libbpf path produces, used to stop a ring consumer. */
#define STOP_PULL (-ECANCELED)
/* Records kept for pull-mode perf polling. */
#define PULL_QUEUE_MAX 4096

static int ring_sample(void *ctx, void *data, size_t size)
{
	struct wb_bpf_buffer *buf = ctx;
	struct wb_bpf_poll *p = buf->cur;
	int ret;

	if (!p)
		return 0;
	ret = wb_bpf_deliver(p, data, size);
	if (ret < 0)
		return ret;
	if (p->pull)
		return STOP_PULL;
	return 0;
}

static int queue_push(struct wb_bpf_buffer *buf, const void *data, uint32_t size)
{
	uint32_t slot;
	uint8_t *copy;

	if (buf->queue_cnt >= PULL_QUEUE_MAX) {
		buf->lost++;
		return -ENOSPC;
	}
	if (buf->queue_cnt == buf->queue_cap) {
		uint32_t cap = buf->queue_cap ? buf->queue_cap * 2 : 64, i;
		uint8_t **q = malloc(cap * sizeof(*q));
		uint32_t *qs = malloc(cap * sizeof(*qs));

		if (!q || !qs) {
			free(q);
			free(qs);
			buf->lost++;
			return -ENOMEM;
		}
		for (i = 0; i < buf->queue_cnt; i++) {
			uint32_t from = (buf->queue_head + i) % (buf->queue_cap ? buf->queue_cap : 1);

			q[i] = buf->queue[from];
			qs[i] = buf->queue_sz[from];
		}
		free(buf->queue);
		free(buf->queue_sz);
		buf->queue = q;
		buf->queue_sz = qs;
		buf->queue_cap = cap;
		buf->queue_head = 0;
	}
	copy = malloc(size ? size : 1);
	if (!copy) {
		buf->lost++;
		return -ENOMEM;
	}
	memcpy(copy, data, size);
	slot = (buf->queue_head + buf->queue_cnt) % buf->queue_cap;
	buf->queue[slot] = copy;
	buf->queue_sz[slot] = size;
	buf->queue_cnt++;
	return 0;
}

static void perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct wb_bpf_buffer *buf = ctx;
	struct wb_bpf_poll *p = buf->cur;
	int ret;

	if (!p || p->result < 0)
		return;
	/* Pull mode takes one record per call; the rest wait in the queue. */
	if (p->pull && p->records > 0) {
		queue_push(buf, data, size);
		return;
	}
	ret = wb_bpf_deliver(p, data, size);
	if (ret < 0)
		p->result = ret;
}

static void perf_lost(void *ctx, int cpu, __u64 cnt)
{
	struct wb_bpf_buffer *buf = ctx;

	buf->lost += cnt;
}

struct wb_bpf_buffer *wb_bpf_buffer_get(struct wb_bpf_host *h, struct wb_bpf_obj *o,
					int map_fd, int *err)
{
	struct wb_bpf_obj *owner = NULL;
	struct wb_bpf_buffer *buf, **bufs;
	struct bpf_map *map;
	uint32_t i;

	for (i = 0; i < o->buf_cnt; i++)
		if (o->bufs[i]->map_fd == map_fd)
			return o->bufs[i];

	map = wb_bpf_map_by_fd(h, map_fd, &owner);
	if (!map || owner != o) {
		wb_bpf_set_error(h, "fd %d is not a map of this object", map_fd);
		*err = -EBADF;
		return NULL;
	}
	buf = calloc(1, sizeof(*buf));
	if (!buf) {
		*err = -ENOMEM;
		return NULL;
	}
	buf->map_fd = map_fd;
	wb_bpf_libbpf_enter(h, true);
	switch (bpf_map__type(map)) {
	case BPF_MAP_TYPE_RINGBUF:
		buf->kind = WB_BUF_RING;
		buf->rb = ring_buffer__new(map_fd, ring_sample, buf, NULL);
		*err = buf->rb ? 0 : -errno;
		break;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		buf->kind = WB_BUF_PERF;
		buf->pb = perf_buffer__new(map_fd, PERF_BUFFER_PAGES, perf_sample, perf_lost, buf,
					   NULL);
		*err = buf->pb ? 0 : -errno;
		break;
	default:
		wb_bpf_set_error(h, "map '%s' is neither a ring buffer nor a perf event array",
				 bpf_map__name(map));
		*err = -EINVAL;
		break;
	}
	wb_bpf_libbpf_leave(h);
	if (*err)
		goto fail;
	if (o->buf_cnt == o->buf_cap) {
		uint32_t cap = o->buf_cap ? o->buf_cap * 2 : 4;

		bufs = realloc(o->bufs, cap * sizeof(*bufs));
		if (!bufs) {
			*err = -ENOMEM;
			goto fail;
		}
		o->bufs = bufs;
		o->buf_cap = cap;
	}
	o->bufs[o->buf_cnt++] = buf;
	return buf;
fail:
	wb_bpf_buffer_free(buf);
	return NULL;
}

int wb_bpf_buffer_poll(struct wb_bpf_buffer *buf, struct wb_bpf_poll *p, int timeout_ms)
{
	int ret;

	/* libbpf cannot consume a buffer from inside its own callback. */
	if (buf->cur)
		return -EBUSY;
	/* Records queued by an earlier pull of a perf buffer come first. */
	if (p->pull && buf->queue_cnt) {
		uint32_t slot = buf->queue_head;

		ret = wb_bpf_deliver(p, buf->queue[slot], buf->queue_sz[slot]);
		free(buf->queue[slot]);
		buf->queue_head = (buf->queue_head + 1) % buf->queue_cap;
		buf->queue_cnt--;
		return ret < 0 ? ret : 1;
	}

	buf->cur = p;
	if (buf->kind == WB_BUF_RING)
		ret = ring_buffer__poll(buf->rb, timeout_ms);
	else
		ret = perf_buffer__poll(buf->pb, timeout_ms);
	buf->cur = NULL;

	if (p->trapped)
		return 0;	/* the caller reports the trap */
	if (ret == STOP_PULL)
		return p->records;
	if (p->result < 0)
		return p->result;
	if (ret < 0)
		return ret;
	return buf->kind == WB_BUF_RING ? ret : p->records;
}

void wb_bpf_buffer_free(struct wb_bpf_buffer *buf)
{
	if (!buf)
		return;
	ring_buffer__free(buf->rb);
	perf_buffer__free(buf->pb);
	while (buf->queue_cnt) {
		free(buf->queue[buf->queue_head]);
		buf->queue_head = (buf->queue_head + 1) % buf->queue_cap;
		buf->queue_cnt--;
	}
	free(buf->queue);
	free(buf->queue_sz);
	free(buf);
}
