/* SPDX-License-Identifier: MIT */
/*
 * A small JSON checker for the policy tests (no python or jq needed): parse
 * the JSON on stdin with json-c, fail (exit 1) if it does not parse, else
 * print every leaf as "path=value", e.g. "objects[0].programs[1].name=x",
 * so that a shell test can grep for what it expects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

static void flat(struct json_object *o, char *path, size_t len, size_t cap)
{
	size_t n, i;

	switch (json_object_get_type(o)) {
	case json_type_object: {
		json_object_object_foreach(o, k, v) {
			n = (size_t)snprintf(path + len, cap - len, "%s%s", len ? "." : "", k);
			flat(v, path, len + n < cap ? len + n : cap - 1, cap);
		}
		path[len] = '\0';
		break;
	}
	case json_type_array:
		for (i = 0; i < json_object_array_length(o); i++) {
			n = (size_t)snprintf(path + len, cap - len, "[%zu]", i);
			flat(json_object_array_get_idx(o, i), path,
			     len + n < cap ? len + n : cap - 1, cap);
		}
		path[len] = '\0';
		printf("%s#=%zu\n", path, json_object_array_length(o));
		path[len] = '\0';
		break;
	case json_type_null:
		printf("%s=null\n", path);
		break;
	default:
		printf("%s=%s\n", path, json_object_get_string(o));
		break;
	}
}

int main(void)
{
	static char buf[1 << 22], path[4096];
	size_t len = fread(buf, 1, sizeof(buf) - 1, stdin);
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root;

	root = json_tokener_parse_ex(tok, buf, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		fprintf(stderr, "jflat: invalid JSON at offset %zu: %s\n",
			json_tokener_get_parse_end(tok),
			json_tokener_error_desc(json_tokener_get_error(tok)));
		return 1;
	}
	path[0] = '\0';
	flat(root, path, 0, sizeof(path));
	json_object_put(root);
	json_tokener_free(tok);
	return 0;
}
