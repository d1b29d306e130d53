/* SPDX-License-Identifier: MIT */
/*
 * WASI args_* and environ_*: hand the guest its argv and environment, as
 * copied by wb_wasi__new().
 */
#include "wasi_internal.h"

/* Write cnt pointers at vec and the strings, NUL-terminated, at buf. */
static int put_strings(struct wasi_ctx *c, char **strs, int cnt, size_t total,
		       uint32_t vec, uint32_t buf)
{
	uint8_t *pv = wasi_ptr(c, vec, (uint64_t)cnt * 4);
	uint8_t *pb = wasi_ptr(c, buf, total);
	size_t pos = 0;
	int i;

	if (!pv || !pb)
		return WASI_EFAULT;
	for (i = 0; i < cnt; i++) {
		size_t len = strlen(strs[i]) + 1;

		wasi_put_u32(pv + 4 * i, buf + (uint32_t)pos);
		memcpy(pb + pos, strs[i], len);
		pos += len;
	}
	return 0;
}

static int put_sizes(struct wasi_ctx *c, int cnt, size_t total, uint32_t cnt_out,
		     uint32_t sz_out)
{
	int err;

	if (total > UINT32_MAX)
		return WASI_EOVERFLOW;
	err = wasi_store_u32(c, cnt_out, cnt);
	if (!err)
		err = wasi_store_u32(c, sz_out, (uint32_t)total);
	return err;
}

WASI_FN(args_get)
{
	return put_strings(c, c->w->argv, c->w->argc, c->w->argv_sz, a[0].i32, a[1].i32);
}

WASI_FN(args_sizes_get)
{
	return put_sizes(c, c->w->argc, c->w->argv_sz, a[0].i32, a[1].i32);
}

WASI_FN(environ_get)
{
	return put_strings(c, c->w->envp, c->w->envc, c->w->envp_sz, a[0].i32, a[1].i32);
}

WASI_FN(environ_sizes_get)
{
	return put_sizes(c, c->w->envc, c->w->envp_sz, a[0].i32, a[1].i32);
}
