/* SPDX-License-Identifier: MIT */
/*
 * The WebAssembly spec-test runner: executes the JSON commands that wast2json
 * makes of the core suite's .wast files against the engine's public API, and
 * reports passes, failures and skips per file.
 *
 * Each file runs in a child process by default, so that an engine crash or
 * hang costs one file, not the run; the counters live in shared memory so the
 * parent can still report them.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spec.h"

/*
 * Files that Debian's wabt 1.0.32 cannot convert although they are valid 2.0
 * tests. Their failure to convert is reported but does not fail the run.
 */
static const struct {
	const char *wast;
	const char *why;
} known_unconvertible[] = {
	/* Only tests the text format's comment syntax; see the suite README. */
	{ "comments.wast", "crashes the parser of wabt 1.0.32" },
};

struct options {
	bool verbose;
	bool fork;
	bool simd;
	bool jit;		/* every module loads with .jit = true */
	const char *filter;
	unsigned int timeout;
};

/* Per-file counters, in memory shared with the child that runs the file. */
struct file_result {
	uint64_t passed;
	uint64_t failed;
	uint64_t skipped;
	uint64_t total;		/* commands in the file */
	uint64_t done;		/* commands finished */
	uint64_t msg_mismatch;	/* right error kind, different message */
	uint64_t cascade;	/* failures only because a module failed to load */
	uint32_t line;		/* line of the command being run */
	char cmd[32];		/* its type */
	bool finished;
	char note[96];		/* appended to the summary line */
};

struct named_instance {
	char *name;			/* "$M1" */
	struct wb_instance *inst;	/* NULL if it failed to instantiate */
};

/* The state of one .wast file. */
struct runner {
	const struct options *opts;
	const char *wast;		/* "address.wast", for messages */
	char *dir;			/* directory of the JSON (module files are there) */
	FILE *out;			/* failure and verbose lines */
	struct file_result *res;
	struct wb_store *store;
	struct wb_linker *linker;
	struct wb_instance *current;	/* the last module instantiated */
	bool current_failed;		/* the last module failed to load */
	struct named_instance *named;
	size_t named_cnt;
	struct wb_module **modules;
	size_t module_cnt;
};

struct totals {
	uint64_t passed, failed, skipped;
	uint64_t files_failed;
	char **unconvertible;
	size_t unconvertible_cnt;
	bool fatal;			/* an unconvertible file that is not known */
};

/* ---------------------------------------------------------------- reporting */

static void report_fail(struct runner *r, uint32_t line, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void report_fail(struct runner *r, uint32_t line, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	r->res->failed++;
	fprintf(r->out, "  FAIL %s:%" PRIu32 ": %s ", r->wast, line, cmd);
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->out);
	fflush(r->out);
}

/*
 * A command on a module that failed to load fails too, but its line would
 * only repeat the module's failure: it is listed with -v only.
 */
static void report_cascade(struct runner *r, uint32_t line, const char *cmd, const char *why)
{
	r->res->failed++;
	r->res->cascade++;
	if (r->opts->verbose) {
		fprintf(r->out, "  FAIL %s:%" PRIu32 ": %s %s\n", r->wast, line, cmd, why);
		fflush(r->out);
	}
}

static void report_skip(struct runner *r, uint32_t line, const char *cmd, const char *why)
{
	r->res->skipped++;
	if (r->opts->verbose)
		fprintf(r->out, "  skip %s:%" PRIu32 ": %s: %s\n", r->wast, line, cmd, why);
}

static void report_pass(struct runner *r)
{
	r->res->passed++;
}

/*
 * Does an engine message say what the test expects? It must contain the
 * expected text; an expected text that only adds a number to the message
 * ("uninitialized element 2", "unknown memory 1") also matches, since the
 * number is a detail the reference interpreter prints and the engine's static
 * message does not.
 */
static bool msg_matches(const char *got, const char *expected)
{
	size_t n = strlen(got);
	const char *p;

	if (strstr(got, expected))
		return true;
	if (!n || strncmp(expected, got, n) || expected[n] != ' ' || !expected[n + 1])
		return false;
	for (p = expected + n + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* For malformed/invalid/unlinkable/uninstantiable: the kind decides, the text is informative. */
static void report_message(struct runner *r, uint32_t line, const char *cmd,
			   const char *expected, const char *got)
{
	if (!expected || (got && msg_matches(got, expected)))
		return;
	r->res->msg_mismatch++;
	if (r->opts->verbose)
		fprintf(r->out,
			"  note %s:%" PRIu32 ": %s message mismatch: expected \"%s\", got \"%s\"\n",
			r->wast, line, cmd, expected, got ? got : "(none)");
}

static const char *error_kind_str(enum wb_error_kind kind)
{
	switch (kind) {
	case WB_ERR_NONE:
		return "no error";
	case WB_ERR_MALFORMED:
		return "malformed";
	case WB_ERR_INVALID:
		return "invalid";
	case WB_ERR_UNLINKABLE:
		return "unlinkable";
	case WB_ERR_TRAP:
		return "trap";
	case WB_ERR_RESOURCE:
		return "resource";
	}
	return "unknown error kind";
}

static const char *error_str(const struct wb_error *err, char *buf, size_t buf_sz)
{
	snprintf(buf, buf_sz, "%s: \"%s\"%s%s", error_kind_str(err->kind),
		 err->msg ? err->msg : "(no message)", err->detail[0] ? " " : "",
		 err->detail[0] ? err->detail : "");
	return buf;
}

static const char *trap_msg(const struct wb_store *store)
{
	const struct wb_trap *trap = wb_store__trap(store);

	if (!trap)
		return "(no trap recorded)";
	if (trap->msg)
		return trap->msg;
	return "(trap without message)";
}

/* ---------------------------------------------------------------- JSON helpers */

static const char *jstr(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *jget(struct json_object *obj, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(obj, key, &v) ? v : NULL;
}

/* ---------------------------------------------------------------- modules */

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	long sz;
	int err = 0;

	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		err = -errno;
		goto out;
	}
	data = malloc(sz ? (size_t)sz : 1);
	if (!data) {
		err = -ENOMEM;
		goto out;
	}
	if (fread(data, 1, (size_t)sz, f) != (size_t)sz) {
		err = -EIO;
		goto out;
	}
	*buf = data;
	*len = (size_t)sz;
	data = NULL;
out:
	free(data);
	fclose(f);
	return err;
}

/*
 * Load the module file of cmd. Returns the module, or NULL with *err filled
 * (kind WB_ERR_NONE and a message when the file could not be read).
 */
static struct wb_module *load_module(struct runner *r, struct json_object *cmd,
				     struct wb_error *err, char *why, size_t why_sz)
{
	const char *file = jstr(cmd, "filename");
	WB_OPTS(wb_module_opts, mopts, .jit = r->opts->jit);
	struct wb_module *mod;
	char *path = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	memset(err, 0, sizeof(*err));
	why[0] = 0;
	if (!file) {
		snprintf(why, why_sz, "command has no filename");
		return NULL;
	}
	if (asprintf(&path, "%s/%s", r->dir, file) < 0) {
		snprintf(why, why_sz, "out of memory");
		return NULL;
	}
	rc = read_file(path, &buf, &len);
	if (rc) {
		snprintf(why, why_sz, "cannot read %s: %s", path, strerror(-rc));
		free(path);
		return NULL;
	}
	free(path);
	mod = wb_module__new(buf, len, &mopts, err);
	free(buf);
	if (!mod) {
		if (err->kind == WB_ERR_NONE)
			snprintf(why, why_sz, "wb_module__new failed without an error kind (%s)",
				 strerror(errno));
		else
			error_str(err, why, why_sz);
		return NULL;
	}
	return mod;
}

/* Keep mod until the end of the file (instances need their module). */
static int keep_module(struct runner *r, struct wb_module *mod)
{
	struct wb_module **m = realloc(r->modules, (r->module_cnt + 1) * sizeof(*m));

	if (!m) {
		wb_module__free(mod);
		return -ENOMEM;
	}
	r->modules = m;
	r->modules[r->module_cnt++] = mod;
	return 0;
}

static void set_named(struct runner *r, const char *name, struct wb_instance *inst)
{
	struct named_instance *n;
	size_t i;

	for (i = 0; i < r->named_cnt; i++) {
		if (!strcmp(r->named[i].name, name)) {
			r->named[i].inst = inst;
			return;
		}
	}
	n = realloc(r->named, (r->named_cnt + 1) * sizeof(*n));
	if (!n)
		return;
	r->named = n;
	n[r->named_cnt].name = strdup(name);
	if (!n[r->named_cnt].name)
		return;
	n[r->named_cnt++].inst = inst;
}

/*
 * The instance a command refers to: the named one, or the last module.
 * Reports a failure and returns NULL when there is none.
 */
static struct wb_instance *find_instance(struct runner *r, const char *name, uint32_t line,
					 const char *cmd)
{
	size_t i;

	if (!name) {
		if (!r->current && r->current_failed)
			report_cascade(r, line, cmd, "the last module failed to load");
		else if (!r->current)
			report_fail(r, line, cmd, "no module loaded");
		return r->current;
	}
	for (i = 0; i < r->named_cnt; i++) {
		if (!strcmp(r->named[i].name, name)) {
			if (!r->named[i].inst)
				report_cascade(r, line, cmd, "its module failed to load");
			return r->named[i].inst;
		}
	}
	report_fail(r, line, cmd, "unknown module %s", name);
	return NULL;
}

/* ---------------------------------------------------------------- actions */

enum action_status {
	ACTION_OK,		/* returned; results filled */
	ACTION_TRAP,		/* trapped; see wb_store__trap */
	ACTION_DONE,		/* failure or skip already reported */
};

struct action_result {
	uint32_t cnt;
	const uint8_t *types;
	uint8_t get_type;	/* the type array of a "get" */
	wb_value *vals;
};

/* Run the "action" object of a command: invoke a function or get a global. */
static enum action_status run_action(struct runner *r, struct json_object *action, uint32_t line,
				     const char *cmd, struct action_result *res)
{
	const char *type = jstr(action, "type");
	const char *field = jstr(action, "field");
	struct json_object *jfield = jget(action, "field");
	struct json_object *jargs;
	const struct wb_functype *ft;
	struct wb_instance *inst;
	struct wb_extern ext;
	struct wb_func *func;
	struct spec_value sv;
	wb_value *args = NULL;
	const char *why;
	size_t n, i;
	int rc;

	memset(res, 0, sizeof(*res));
	if (!type || !field) {
		report_fail(r, line, cmd, "action without type or field");
		return ACTION_DONE;
	}
	/* The API looks exports up by C string: a name with a NUL byte cannot be reached. */
	if ((size_t)json_object_get_string_len(jfield) != strlen(field)) {
		report_skip(r, line, cmd, "export name with a NUL byte");
		return ACTION_DONE;
	}
	inst = find_instance(r, jstr(action, "module"), line, cmd);
	if (!inst)
		return ACTION_DONE;

	if (!strcmp(type, "get")) {
		if (wb_instance__export(inst, field, &ext)) {
			report_fail(r, line, cmd, "get: no export \"%s\"", field);
			return ACTION_DONE;
		}
		if (ext.kind != WB_EXTERN_GLOBAL || !ext.global) {
			report_fail(r, line, cmd, "get: export \"%s\" is not a global", field);
			return ACTION_DONE;
		}
		res->vals = calloc(1, sizeof(*res->vals));
		if (!res->vals) {
			report_fail(r, line, cmd, "out of memory");
			return ACTION_DONE;
		}
		res->get_type = wb_global__type(ext.global);
		res->types = &res->get_type;
		res->cnt = 1;
		res->vals[0] = wb_global__get(ext.global);
		return ACTION_OK;
	}
	if (strcmp(type, "invoke")) {
		report_skip(r, line, cmd, "unknown action type");
		return ACTION_DONE;
	}

	func = wb_instance__func(inst, field);
	if (!func) {
		report_fail(r, line, cmd, "no exported function \"%s\" (%s)", field,
			    strerror(errno));
		return ACTION_DONE;
	}
	ft = wb_func__type(func);
	if (!ft) {
		report_fail(r, line, cmd, "wb_func__type(\"%s\") returned NULL", field);
		return ACTION_DONE;
	}
	jargs = jget(action, "args");
	n = 0;
	if (jargs && json_object_is_type(jargs, json_type_array))
		n = json_object_array_length(jargs);
	if (n != ft->param_cnt) {
		report_fail(r, line, cmd, "\"%s\" takes %" PRIu32 " arguments, the test passes %zu",
			    field, ft->param_cnt, n);
		return ACTION_DONE;
	}
	/* One spare element so that nothing is ever allocated with size 0. */
	args = calloc(n + 1, sizeof(*args));
	res->vals = calloc((size_t)ft->result_cnt + 1, sizeof(*res->vals));
	if (!args || !res->vals) {
		report_fail(r, line, cmd, "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		switch (spec_value__parse(json_object_array_get_idx(jargs, i), true, &sv, &why)) {
		case SPEC_PARSE_OK:
			break;
		case SPEC_PARSE_UNSUPPORTED:
			report_skip(r, line, cmd, why);
			goto done;
		case SPEC_PARSE_BAD:
			report_fail(r, line, cmd, "argument %zu: %s", i, why);
			goto done;
		}
		if (sv.type != ft->params[i]) {
			report_fail(r, line, cmd, "argument %zu of \"%s\": the test passes %s, "
				    "the function takes %s", i, field, spec_valtype__str(sv.type),
				    spec_valtype__str(ft->params[i]));
			goto done;
		}
		args[i] = sv.val;
	}
	rc = wb_func__call(r->store, func, args, (uint32_t)n, res->vals, ft->result_cnt);
	free(args);
	if (rc == WB_TRAPPED)
		return ACTION_TRAP;
	if (rc) {
		report_fail(r, line, cmd, "wb_func__call(\"%s\") failed: %s", field,
			    rc < 0 ? strerror(-rc) : "unexpected return value");
		return ACTION_DONE;
	}
	res->cnt = ft->result_cnt;
	res->types = ft->results;
	return ACTION_OK;

done:
	free(args);
	return ACTION_DONE;
}

static void free_action_result(struct action_result *res)
{
	free(res->vals);
	res->vals = NULL;
}

/* ---------------------------------------------------------------- commands */

static void cmd_module(struct runner *r, struct json_object *cmd, uint32_t line, const char *type)
{
	const char *name = jstr(cmd, "name");
	struct wb_instance *inst = NULL;
	struct wb_module *mod;
	struct wb_error err;
	char why[512];

	r->current = NULL;
	r->current_failed = true;
	mod = load_module(r, cmd, &err, why, sizeof(why));
	if (!mod) {
		report_fail(r, line, type, "load failed: %s", why);
		goto out;
	}
	if (keep_module(r, mod)) {
		report_fail(r, line, type, "out of memory");
		goto out;
	}
	memset(&err, 0, sizeof(err));
	inst = wb_instance__new(r->store, mod, r->linker, &err);
	if (!inst) {
		report_fail(r, line, type, "instantiation failed: %s",
			    error_str(&err, why, sizeof(why)));
		goto out;
	}
	r->current = inst;
	r->current_failed = false;
	report_pass(r);
out:
	if (name)
		set_named(r, name, inst);
}

static void cmd_register(struct runner *r, struct json_object *cmd, uint32_t line, const char *type)
{
	const char *as = jstr(cmd, "as");
	struct wb_instance *inst;
	int rc;

	if (!as) {
		report_fail(r, line, type, "register without \"as\"");
		return;
	}
	inst = find_instance(r, jstr(cmd, "name"), line, type);
	if (!inst)
		return;
	rc = wb_linker__define_instance(r->linker, as, inst);
	if (rc) {
		report_fail(r, line, type, "wb_linker__define_instance(\"%s\") failed: %s", as,
			    rc < 0 ? strerror(-rc) : "?");
		return;
	}
	report_pass(r);
}

static void cmd_action(struct runner *r, struct json_object *cmd, uint32_t line, const char *type)
{
	struct action_result res;

	switch (run_action(r, jget(cmd, "action"), line, type, &res)) {
	case ACTION_OK:
		report_pass(r);
		break;
	case ACTION_TRAP:
		report_fail(r, line, type, "trapped: %s", trap_msg(r->store));
		break;
	case ACTION_DONE:
		break;
	}
	free_action_result(&res);
}

static void cmd_assert_return(struct runner *r, struct json_object *cmd, uint32_t line,
			      const char *type)
{
	struct json_object *jexp = jget(cmd, "expected");
	char want[128], got[128];
	struct action_result res;
	struct spec_value sv;
	const char *why;
	size_t n, i;

	switch (run_action(r, jget(cmd, "action"), line, type, &res)) {
	case ACTION_OK:
		break;
	case ACTION_TRAP:
		report_fail(r, line, type, "expected a return, got a trap: %s", trap_msg(r->store));
		goto out;
	case ACTION_DONE:
		goto out;
	}
	n = jexp && json_object_is_type(jexp, json_type_array) ? json_object_array_length(jexp) : 0;
	if (n != res.cnt) {
		report_fail(r, line, type, "expected %zu results, the function returns %" PRIu32,
			    n, res.cnt);
		goto out;
	}
	for (i = 0; i < n; i++) {
		switch (spec_value__parse(json_object_array_get_idx(jexp, i), false, &sv, &why)) {
		case SPEC_PARSE_OK:
			break;
		case SPEC_PARSE_UNSUPPORTED:
			report_skip(r, line, type, why);
			goto out;
		case SPEC_PARSE_BAD:
			report_fail(r, line, type, "expected result %zu: %s", i, why);
			goto out;
		}
		if (!spec_value__matches(&sv, res.types[i], res.vals[i])) {
			spec_value__format_expected(&sv, want, sizeof(want));
			spec_value__format(res.types[i], res.vals[i], got, sizeof(got));
			report_fail(r, line, type, "result %zu: expected %s, got %s", i, want, got);
			goto out;
		}
	}
	report_pass(r);
out:
	free_action_result(&res);
}

/* Instantiate the module of cmd and expect it to fail with kind `want`. */
static void expect_instantiation_error(struct runner *r, struct json_object *cmd, uint32_t line,
				       const char *type, enum wb_error_kind want)
{
	struct wb_instance *inst;
	struct wb_module *mod;
	struct wb_error err;
	char why[512];

	mod = load_module(r, cmd, &err, why, sizeof(why));
	if (!mod) {
		report_fail(r, line, type, "expected %s, but loading failed: %s",
			    error_kind_str(want), why);
		return;
	}
	if (keep_module(r, mod)) {
		report_fail(r, line, type, "out of memory");
		return;
	}
	memset(&err, 0, sizeof(err));
	inst = wb_instance__new(r->store, mod, r->linker, &err);
	if (inst) {
		report_fail(r, line, type, "expected %s, but it instantiated",
			    error_kind_str(want));
		return;
	}
	if (err.kind != want) {
		report_fail(r, line, type, "expected %s, got %s", error_kind_str(want),
			    error_str(&err, why, sizeof(why)));
		return;
	}
	report_message(r, line, type, jstr(cmd, "text"), err.msg);
	report_pass(r);
}

static void cmd_assert_trap(struct runner *r, struct json_object *cmd, uint32_t line,
			    const char *type)
{
	const char *text = jstr(cmd, "text");
	struct action_result res;
	const struct wb_trap *trap;
	const char *msg;

	if (!jget(cmd, "action")) {
		/* (assert_trap (module ...)): a trap during instantiation. */
		expect_instantiation_error(r, cmd, line, type, WB_ERR_TRAP);
		return;
	}
	switch (run_action(r, jget(cmd, "action"), line, type, &res)) {
	case ACTION_OK:
		report_fail(r, line, type, "expected trap \"%s\", but it returned",
			    text ? text : "");
		break;
	case ACTION_TRAP:
		trap = wb_store__trap(r->store);
		msg = trap_msg(r->store);
		if (!strcmp(type, "assert_exhaustion") &&
		    (!trap || trap->kind != WB_TRAP_STACK_EXHAUSTED)) {
			report_fail(r, line, type,
				    "expected call stack exhaustion, got trap \"%s\"", msg);
			break;
		}
		if (text && !msg_matches(msg, text)) {
			report_fail(r, line, type, "expected trap \"%s\", got trap \"%s\"", text,
				    msg);
			break;
		}
		report_pass(r);
		break;
	case ACTION_DONE:
		break;
	}
	free_action_result(&res);
}

/* assert_invalid / assert_malformed: loading must fail with the right kind. */
static void expect_load_error(struct runner *r, struct json_object *cmd, uint32_t line,
			      const char *type, enum wb_error_kind want)
{
	const char *mtype = jstr(cmd, "module_type");
	struct wb_module *mod;
	struct wb_error err;
	char why[512];

	if (mtype && strcmp(mtype, "binary")) {
		report_skip(r, line, type, "text format");
		return;
	}
	mod = load_module(r, cmd, &err, why, sizeof(why));
	if (mod) {
		wb_module__free(mod);
		report_fail(r, line, type, "expected %s, but the module loaded",
			    error_kind_str(want));
		return;
	}
	if (err.kind != want) {
		report_fail(r, line, type, "expected %s (\"%s\"), got %s", error_kind_str(want),
			    jstr(cmd, "text") ? jstr(cmd, "text") : "", why);
		return;
	}
	report_message(r, line, type, jstr(cmd, "text"), err.msg);
	report_pass(r);
}

static void cmd_assert_invalid(struct runner *r, struct json_object *cmd, uint32_t line,
			       const char *type)
{
	expect_load_error(r, cmd, line, type, WB_ERR_INVALID);
}

static void cmd_assert_malformed(struct runner *r, struct json_object *cmd, uint32_t line,
				 const char *type)
{
	expect_load_error(r, cmd, line, type, WB_ERR_MALFORMED);
}

static void cmd_assert_unlinkable(struct runner *r, struct json_object *cmd, uint32_t line,
				  const char *type)
{
	expect_instantiation_error(r, cmd, line, type, WB_ERR_UNLINKABLE);
}

static void cmd_assert_uninstantiable(struct runner *r, struct json_object *cmd, uint32_t line,
				      const char *type)
{
	expect_instantiation_error(r, cmd, line, type, WB_ERR_TRAP);
}

static const struct {
	const char *type;
	void (*fn)(struct runner *r, struct json_object *cmd, uint32_t line, const char *type);
} commands[] = {
	{ "module", cmd_module },
	{ "register", cmd_register },
	{ "action", cmd_action },
	{ "assert_return", cmd_assert_return },
	{ "assert_trap", cmd_assert_trap },
	{ "assert_exhaustion", cmd_assert_trap },
	{ "assert_invalid", cmd_assert_invalid },
	{ "assert_malformed", cmd_assert_malformed },
	{ "assert_unlinkable", cmd_assert_unlinkable },
	{ "assert_uninstantiable", cmd_assert_uninstantiable },
};

static void run_command(struct runner *r, struct json_object *cmd)
{
	const char *type = jstr(cmd, "type");
	struct json_object *jline = jget(cmd, "line");
	uint32_t line = jline ? (uint32_t)json_object_get_int(jline) : 0;
	size_t i;

	if (!type)
		type = "(no type)";
	r->res->line = line;
	snprintf(r->res->cmd, sizeof(r->res->cmd), "%s", type);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(commands[i].type, type)) {
			commands[i].fn(r, cmd, line, type);
			return;
		}
	}
	report_skip(r, line, type, "unknown command");
}

/* ---------------------------------------------------------------- files */

static bool is_simd(const char *wast)
{
	return !strncmp(wast, "simd_", 5);
}

/* Run every command of one JSON file; results go to r->res and r->out. */
static void run_json(struct runner *r, struct json_object *root)
{
	struct json_object *cmds = jget(root, "commands");
	size_t n, i;
	int rc;

	if (!cmds || !json_object_is_type(cmds, json_type_array)) {
		report_fail(r, 0, "file", "no \"commands\" array");
		return;
	}
	n = json_object_array_length(cmds);
	r->res->total = n;
	if (is_simd(r->wast) && !r->opts->simd) {
		r->res->skipped = n;
		r->res->done = n;
		snprintf(r->res->note, sizeof(r->res->note), " (SIMD not supported yet)");
		return;
	}

	r->store = wb_store__new(NULL);
	r->linker = wb_linker__new();
	if (!r->store || !r->linker) {
		report_fail(r, 0, "file", "cannot create the store or the linker: %s",
			    strerror(errno));
		goto unrun;
	}
	rc = spectest__define(r->linker, r->store, r->opts->verbose ? r->out : NULL);
	if (rc) {
		report_fail(r, 0, "file", "cannot define the spectest module: %s", strerror(-rc));
		goto unrun;
	}
	for (i = 0; i < n; i++) {
		run_command(r, json_object_array_get_idx(cmds, i));
		r->res->done = i + 1;
	}
	return;

unrun:
	/* Commands that could not run are failures, so the totals add up. */
	if (n > 1)
		r->res->failed += n - 1;
	r->res->done = n;
}

static void free_runner(struct runner *r)
{
	size_t i;

	wb_linker__free(r->linker);
	wb_store__free(r->store);
	for (i = 0; i < r->module_cnt; i++)
		wb_module__free(r->modules[i]);
	free(r->modules);
	for (i = 0; i < r->named_cnt; i++)
		free(r->named[i].name);
	free(r->named);
	free(r->dir);
}

/* Load and run one JSON file (in the child, or in-process with --no-fork). */
static void run_file(const struct options *opts, const char *path, const char *wast,
		     struct file_result *res, FILE *out)
{
	struct runner r = { .opts = opts, .wast = wast, .out = out, .res = res };
	struct json_object *root;
	const char *slash;

	slash = strrchr(path, '/');
	r.dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
	root = json_object_from_file(path);
	if (!r.dir || !root) {
		report_fail(&r, 0, "file", "cannot parse %s: %s", path, json_util_get_last_err());
	} else {
		run_json(&r, root);
	}
	json_object_put(root);
	free_runner(&r);
	fflush(out);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* "dir/name.json" -> "name.wast" */
static char *wast_name(const char *path)
{
	const char *b = base_name(path);
	size_t n = strlen(b);
	char *s;

	if (n > 5 && !strcmp(b + n - 5, ".json"))
		n -= 5;
	if (asprintf(&s, "%.*s.wast", (int)n, b) < 0)
		return NULL;
	return s;
}

/* Copy the detail lines of a file to stdout. */
static void copy_out(FILE *out)
{
	char buf[4096];
	size_t n;

	fflush(out);
	rewind(out);
	while ((n = fread(buf, 1, sizeof(buf), out)) > 0)
		fwrite(buf, 1, n, stdout);
}

/*
 * wast2json's message for a file it could not convert: the make rule leaves
 * it in <name>.err beside where the JSON would be. Returns a malloc'ed
 * one-line message, or NULL if there is no such file.
 */
static char *unconvertible_msg(const char *path)
{
	size_t n = strlen(path);
	char *err_path, *msg = NULL, *p, *q;
	uint8_t *buf = NULL;
	size_t len = 0;

	if (n < 5 || strcmp(path + n - 5, ".json"))
		return NULL;
	if (asprintf(&err_path, "%.*s.err", (int)(n - 5), path) < 0)
		return NULL;
	if (read_file(err_path, &buf, &len)) {
		free(err_path);
		return NULL;
	}
	free(err_path);
	if (len > 400)
		len = 400;
	msg = strndup((const char *)buf, len);
	free(buf);
	if (!msg)
		return NULL;
	/* One line: every run of white space becomes one space. */
	for (p = q = msg; *p; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ') {
			if (q > msg && q[-1] != ' ')
				*q++ = ' ';
		} else {
			*q++ = *p;
		}
	}
	while (q > msg && q[-1] == ' ')
		q--;
	*q = 0;
	return msg;
}

static void add_unconvertible(struct totals *t, const char *wast)
{
	char **u = realloc(t->unconvertible, (t->unconvertible_cnt + 1) * sizeof(*u));

	if (!u)
		return;
	t->unconvertible = u;
	u[t->unconvertible_cnt] = strdup(wast);
	if (u[t->unconvertible_cnt])
		t->unconvertible_cnt++;
}

static const char *known_unconvertible_why(const char *wast)
{
	size_t i;

	for (i = 0; i < sizeof(known_unconvertible) / sizeof(known_unconvertible[0]); i++)
		if (!strcmp(known_unconvertible[i].wast, wast))
			return known_unconvertible[i].why;
	return NULL;
}

/*
 * A child that did not finish cleanly: count what did not run as failed, so
 * that the totals still add up, and describe it in line.
 */
static void abnormal_end(const char *wast, struct file_result *res, int status,
			 char *line, size_t line_sz)
{
	uint64_t unrun = res->total > res->done ? res->total - res->done : 0;
	char how[96];

	if (WIFSIGNALED(status))
		snprintf(how, sizeof(how), "crashed: signal %d (%s)", WTERMSIG(status),
			 WTERMSIG(status) == SIGALRM ? "timeout" : strsignal(WTERMSIG(status)));
	else
		snprintf(how, sizeof(how), "child exited with status %d (see stderr)",
			 WEXITSTATUS(status));

	if (!res->finished) {
		/* The command that was running counts too. */
		res->failed += unrun ? unrun : 1;
		snprintf(line, line_sz,
			 "  FAIL %s:%" PRIu32 ": %s %s; %" PRIu64 " commands not run\n", wast,
			 res->line, res->cmd[0] ? res->cmd : "file", how, unrun ? unrun - 1 : 0);
	} else {
		/* Finished, then failed (a sanitizer's leak report, for instance). */
		res->failed++;
		snprintf(line, line_sz, "  FAIL %s:0: file %s\n", wast, how);
	}
}

static void run_path(const struct options *opts, const char *path, struct totals *t)
{
	struct file_result *res = MAP_FAILED;
	char *wast = wast_name(path), *msg;
	char abnormal[512];
	const char *known;
	FILE *out = NULL;
	int status = 0;
	pid_t pid;

	if (!wast)
		return;
	if (opts->filter && !strstr(wast, opts->filter))
		goto out;

	if (access(path, F_OK)) {
		msg = unconvertible_msg(path);
		if (!msg) {
			printf("%s: cannot open %s: %s\n", wast, path, strerror(errno));
			t->files_failed++;
			t->fatal = true;
			goto out;
		}
		known = known_unconvertible_why(wast);
		printf("%s: unconvertible%s%s%s: %s\n", wast, known ? " (known: " : "",
		       known ? known : "", known ? ")" : "", msg);
		free(msg);
		add_unconvertible(t, wast);
		if (!known)
			t->fatal = true;
		goto out;
	}

	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	out = tmpfile();
	if (res == MAP_FAILED || !out) {
		printf("%s: cannot set up: %s\n", wast, strerror(errno));
		t->files_failed++;
		t->fatal = true;
		goto out;
	}
	memset(res, 0, sizeof(*res));

	if (opts->fork) {
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			printf("%s: fork: %s\n", wast, strerror(errno));
			t->fatal = true;
			goto out;
		}
		if (pid == 0) {
			/* Line-buffered, so that a crash loses as little as possible. */
			setvbuf(out, NULL, _IOLBF, 0);
			alarm(opts->timeout);
			run_file(opts, path, wast, res, out);
			res->finished = true;
			exit(0);
		}
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	} else {
		run_file(opts, path, wast, res, out);
		res->finished = true;
	}

	abnormal[0] = 0;
	if (!(res->finished && WIFEXITED(status) && !WEXITSTATUS(status)))
		abnormal_end(wast, res, status, abnormal, sizeof(abnormal));
	printf("%s: %" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64 " skipped%s", wast,
	       res->passed, res->failed, res->skipped, res->note);
	if (res->msg_mismatch)
		printf(" (%" PRIu64 " message mismatch%s%s)", res->msg_mismatch,
		       res->msg_mismatch == 1 ? "" : "es", opts->verbose ? "" : ", see -v");
	printf("\n");
	copy_out(out);
	if (res->cascade && !opts->verbose)
		printf("  ... and %" PRIu64 " failures of commands on modules that failed to load"
		       " (-v lists them)\n", res->cascade);
	fputs(abnormal, stdout);

	t->passed += res->passed;
	t->failed += res->failed;
	t->skipped += res->skipped;
	if (res->failed)
		t->files_failed++;
out:
	if (out)
		fclose(out);
	if (res != MAP_FAILED)
		munmap(res, sizeof(*res));
	free(wast);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A directory holds either JSON files, or one directory per .wast file
 * (<name>/<name>.json, as the make rule lays them out). A directory entry
 * without its JSON is still run, so that run_path() reports it unconvertible.
 */
static void run_dir(const struct options *opts, const char *dir, struct totals *t)
{
	char **paths = NULL, **p;
	size_t cnt = 0, i;
	struct dirent *de;
	struct stat st;
	char *path;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		printf("%s: %s\n", dir, strerror(errno));
		t->fatal = true;
		return;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0)
			break;
		if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
			free(path);
			if (asprintf(&path, "%s/%s/%s.json", dir, de->d_name, de->d_name) < 0)
				break;
		} else if (n <= 5 || strcmp(de->d_name + n - 5, ".json")) {
			free(path);
			continue;
		}
		p = realloc(paths, (cnt + 1) * sizeof(*p));
		if (!p) {
			free(path);
			break;
		}
		paths = p;
		paths[cnt++] = path;
	}
	closedir(d);
	if (cnt)
		qsort(paths, cnt, sizeof(*paths), cmp_str);
	for (i = 0; i < cnt; i++) {
		run_path(opts, paths[i], t);
		free(paths[i]);
	}
	free(paths);
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-v] [--filter NAME] [--no-fork] [--simd] [--jit] [--timeout SECONDS]\n"
		"       JSON|DIR...\n"
		"  Run WebAssembly spec tests converted by wast2json.\n"
		"  -v             print skipped commands, message mismatches and spectest prints\n"
		"  --filter NAME  only files whose name contains NAME\n"
		"  --no-fork      run files in-process (for debuggers); a crash ends the run\n"
		"  --simd         run simd_*.wast too (v128 commands are still skipped)\n"
		"  --jit          load every module with the JIT (wb_module_opts.jit); the\n"
		"                 summary line then reads 'spec (jit): ...'\n"
		"  --timeout S    seconds per file before it counts as hung (default 120)\n",
		prog);
}

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "filter", required_argument, NULL, 'f' },
		{ "no-fork", no_argument, NULL, 'F' },
		{ "simd", no_argument, NULL, 's' },
		{ "jit", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct options opts = { .fork = true, .timeout = 120 };
	struct totals t = { 0 };
	struct stat st;
	size_t i;
	int c;

	while ((c = getopt_long(argc, argv, "vf:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			opts.verbose = true;
			break;
		case 'f':
			opts.filter = optarg;
			break;
		case 'F':
			opts.fork = false;
			break;
		case 's':
			opts.simd = true;
			break;
		case 'j':
			opts.jit = true;
			break;
		case 't':
			opts.timeout = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'h':
			usage(argv[0]);
			return 0;
		default:
			usage(argv[0]);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(argv[0]);
		return 2;
	}

	for (; optind < argc; optind++) {
		if (!stat(argv[optind], &st) && S_ISDIR(st.st_mode))
			run_dir(&opts, argv[optind], &t);
		else
			run_path(&opts, argv[optind], &t);
	}

	if (t.unconvertible_cnt) {
		printf("unconvertible: %zu (", t.unconvertible_cnt);
		for (i = 0; i < t.unconvertible_cnt; i++) {
			printf("%s%s", i ? ", " : "", t.unconvertible[i]);
			free(t.unconvertible[i]);
		}
		printf(")\n");
	}
	free(t.unconvertible);
	/* Labelled, so that make test's output tells the two runs apart. */
	printf("spec%s: %" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64 " skipped\n",
	       opts.jit ? " (jit)" : "", t.passed, t.failed, t.skipped);
	return t.failed || t.fatal ? 1 : 0;
}
