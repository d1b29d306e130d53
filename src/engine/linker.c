/* SPDX-License-Identifier: MIT */
/*
 * The linker: a hash map from (module name, field name) to an extern, used
 * to resolve the imports of a module at instantiation. Names are byte strings
 * that may contain NUL.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

struct link_entry {
	char *module;			/* module_len bytes + NUL, then name */
	char *name;			/* points into the same allocation */
	uint32_t module_len;
	uint32_t name_len;
	uint32_t hash;
	struct wb_extern ext;
	struct link_entry *next;
};

struct wb_linker {
	struct link_entry **buckets;
	uint32_t bucket_cnt;		/* power of two */
	uint32_t entry_cnt;
};

/* FNV-1a over both names, with the module length mixed in as a separator. */
static uint32_t name_hash(const char *module, uint32_t module_len, const char *name,
			  uint32_t name_len)
{
	uint32_t h = 2166136261u, i;

	for (i = 0; i < module_len; i++)
		h = (h ^ (uint8_t)module[i]) * 16777619u;
	h = (h ^ module_len) * 16777619u;
	for (i = 0; i < name_len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return h;
}

struct wb_linker *wb_linker__new(void)
{
	struct wb_linker *l;

	l = calloc(1, sizeof(*l));
	if (!l) {
		errno = ENOMEM;
		return NULL;
	}
	l->bucket_cnt = 64;
	l->buckets = calloc(l->bucket_cnt, sizeof(*l->buckets));
	if (!l->buckets) {
		free(l);
		errno = ENOMEM;
		return NULL;
	}
	return l;
}

void wb_linker__free(struct wb_linker *l)
{
	struct link_entry *e, *next;
	uint32_t i;

	if (!l)
		return;
	for (i = 0; i < l->bucket_cnt; i++) {
		for (e = l->buckets[i]; e; e = next) {
			next = e->next;
			free(e->module);
			free(e);
		}
	}
	free(l->buckets);
	free(l);
}

static bool bytes_eq(const char *a, const char *b, uint32_t n)
{
	return !n || !memcmp(a, b, n);
}

static struct link_entry *linker__find(const struct wb_linker *l, uint32_t hash,
				       const char *module, uint32_t module_len,
				       const char *name, uint32_t name_len)
{
	struct link_entry *e;

	for (e = l->buckets[hash & (l->bucket_cnt - 1)]; e; e = e->next) {
		if (e->hash == hash && e->module_len == module_len && e->name_len == name_len &&
		    bytes_eq(e->module, module, module_len) && bytes_eq(e->name, name, name_len))
			return e;
	}
	return NULL;
}

const struct wb_extern *wb_linker__lookup(const struct wb_linker *l, const char *module,
					  uint32_t module_len, const char *name,
					  uint32_t name_len)
{
	struct link_entry *e;

	if (!l)
		return NULL;
	e = linker__find(l, name_hash(module, module_len, name, name_len), module, module_len,
			 name, name_len);
	return e ? &e->ext : NULL;
}

static void linker__rehash(struct wb_linker *l)
{
	struct link_entry **buckets, *e, *next;
	uint32_t cnt = l->bucket_cnt * 2, i;

	buckets = calloc(cnt, sizeof(*buckets));
	if (!buckets)
		return;		/* keep the longer chains; lookups still work */
	for (i = 0; i < l->bucket_cnt; i++) {
		for (e = l->buckets[i]; e; e = next) {
			next = e->next;
			e->next = buckets[e->hash & (cnt - 1)];
			buckets[e->hash & (cnt - 1)] = e;
		}
	}
	free(l->buckets);
	l->buckets = buckets;
	l->bucket_cnt = cnt;
}

int wb_linker__define_n(struct wb_linker *l, const char *module, uint32_t module_len,
			const char *name, uint32_t name_len, const struct wb_extern *ext)
{
	struct link_entry *e;
	uint32_t hash;

	if (!l || !ext || (module_len && !module) || (name_len && !name))
		return -EINVAL;
	if ((unsigned int)ext->kind > WB_EXTERN_GLOBAL || !ext->func)
		return -EINVAL;

	hash = name_hash(module, module_len, name, name_len);
	e = linker__find(l, hash, module, module_len, name, name_len);
	if (e) {
		e->ext = *ext;
		return 0;
	}

	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->module = malloc((size_t)module_len + name_len + 2);
	if (!e->module) {
		free(e);
		return -ENOMEM;
	}
	if (module_len)
		memcpy(e->module, module, module_len);
	e->module[module_len] = '\0';
	e->name = e->module + module_len + 1;
	if (name_len)
		memcpy(e->name, name, name_len);
	e->name[name_len] = '\0';
	e->module_len = module_len;
	e->name_len = name_len;
	e->hash = hash;
	e->ext = *ext;
	e->next = l->buckets[hash & (l->bucket_cnt - 1)];
	l->buckets[hash & (l->bucket_cnt - 1)] = e;
	if (++l->entry_cnt > l->bucket_cnt && l->bucket_cnt < (1u << 30))
		linker__rehash(l);
	return 0;
}

int wb_linker__define(struct wb_linker *l, const char *module, const char *name,
		      const struct wb_extern *ext)
{
	size_t ml, nl;

	if (!module || !name)
		return -EINVAL;
	ml = strlen(module);
	nl = strlen(name);
	if (ml > UINT32_MAX || nl > UINT32_MAX)
		return -EINVAL;
	return wb_linker__define_n(l, module, (uint32_t)ml, name, (uint32_t)nl, ext);
}

int wb_linker__define_host(struct wb_linker *l, struct wb_store *store, const char *module,
			   const char *name, const struct wb_functype *type, wb_host_fn fn,
			   void *user)
{
	struct wb_extern ext = { .kind = WB_EXTERN_FUNC };

	if (!l)
		return -EINVAL;
	ext.func = wb_func__new_host(store, type, fn, user, name);
	if (!ext.func)
		return -errno;
	/* On failure the function stays in the store, which frees it. */
	return wb_linker__define(l, module, name, &ext);
}

int wb_linker__define_instance(struct wb_linker *l, const char *module,
			       struct wb_instance *inst)
{
	const struct wb_module *m;
	const struct wb_export *x;
	struct wb_extern ext;
	size_t ml;
	uint32_t i;
	int err;

	if (!l || !module || !inst)
		return -EINVAL;
	ml = strlen(module);
	if (ml > UINT32_MAX)
		return -EINVAL;
	m = inst->module;
	for (i = 0; i < m->export_cnt; i++) {
		x = &m->exports[i];
		ext.kind = x->kind;
		switch (x->kind) {
		case WB_EXTERN_FUNC:
			ext.func = inst->funcs[x->idx];
			break;
		case WB_EXTERN_TABLE:
			ext.table = inst->tables[x->idx];
			break;
		case WB_EXTERN_MEMORY:
			ext.memory = inst->mems[x->idx];
			break;
		case WB_EXTERN_GLOBAL:
			ext.global = inst->globals[x->idx];
			break;
		default:
			return -EINVAL;
		}
		err = wb_linker__define_n(l, module, (uint32_t)ml, x->name.str, x->name.len, &ext);
		if (err)
			return err;
	}
	return 0;
}
