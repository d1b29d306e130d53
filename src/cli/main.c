/* SPDX-License-Identifier: MIT */
/*
 * The wasm-bpf command: the subcommand table and dispatch. A first argument
 * that is not a subcommand but names a module (or is an option) means `run`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "gen.h"
#include "inspect.h"

#ifndef WB_VERSION
#define WB_VERSION "unknown"
#endif

int wb_cli_verbose;

void wb_cli_err(const char *fmt, ...)
{
	va_list ap;

	fputs("wasm-bpf: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int wb_cli_read_file(const char *path, uint8_t **buf, size_t *sz)
{
	struct stat st;
	size_t done = 0;
	uint8_t *b = NULL;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto out;
	}
	b = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!b) {
		err = -ENOMEM;
		goto out;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, b + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			goto out;
		}
		done += (size_t)n;
	}
	*buf = b;
	*sz = done;
	b = NULL;
out:
	free(b);
	close(fd);
	return err;
}

void wb_cli_print_opt(FILE *f, int width, int val, const char *name, const char *arg,
		      const char *help)
{
	char left[64];

	if (val < 0x100)
		snprintf(left, sizeof(left), "-%c, --%s%s%s", val, name, arg ? " " : "",
			 arg ? arg : "");
	else
		snprintf(left, sizeof(left), "    --%s%s%s", name, arg ? " " : "", arg ? arg : "");
	fprintf(f, "  %-*s %s\n", width, left, help);
}

void wb_cli_info(int level, const char *fmt, ...)
{
	va_list ap;

	if (wb_cli_verbose < level)
		return;
	fputs("wasm-bpf: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct wb_cli_cmd cmds[] = {
	{ "run", wb_cli_run, "run a WASI command module (the default command)" },
	{ "gen", wb_cli_gen, "generate guest C headers from an eBPF object (types, skeleton)" },
	{ "inspect", wb_cli_inspect,
	  "show a module's imports, eBPF objects and the policy's verdict (no run)" },
	{ "version", cmd_version, "print the version" },
	{ "help", cmd_help, "show this help, or `help COMMAND` for a command's help" },
};

#define CMD_CNT (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: wasm-bpf COMMAND [OPTIONS] [ARGS...]\n"
		"       wasm-bpf [RUN-OPTIONS] MODULE.wasm [ARGS...]   (same as `run`)\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < CMD_CNT; i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f,
		"\n"
		"Examples:\n"
		"  wasm-bpf app.wasm arg1 arg2\n"
		"  wasm-bpf run --dir ./data::/data --env HOME=/data app.wasm\n"
		"  wasm-bpf inspect -j app.wasm\n"
		"  wasm-bpf gen skeleton app.bpf.o -o app.skel.h\n"
		"  wasm-bpf help run\n"
		"\n"
		"Exit status: the guest's exit code; %d usage error; %d module cannot be\n"
		"loaded or linked; %d guest trapped; %d host failure; %d interrupted.\n",
		WB_EXIT_USAGE, WB_EXIT_LOAD, WB_EXIT_TRAP, WB_EXIT_OSERR,
		WB_EXIT_INTERRUPTED);
}

static const struct wb_cli_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < CMD_CNT; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static int cmd_version(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: wasm-bpf version\n\nPrint the version of wasm-bpf.\n");
		return 0;
	}
	if (argc > 1) {
		wb_cli_err("version: unexpected argument '%s' (expected none)", argv[1]);
		return WB_EXIT_USAGE;
	}
	printf("wasm-bpf %s\n", WB_VERSION);
	return 0;
}

static int cmd_help(int argc, char **argv)
{
	const struct wb_cli_cmd *cmd;
	char *sub[3];

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	cmd = find_cmd(argv[1]);
	if (!cmd) {
		wb_cli_err("help: unknown command '%s'; try 'wasm-bpf help'", argv[1]);
		return WB_EXIT_USAGE;
	}
	if (cmd->fn == cmd_help) {
		usage(stdout);
		return 0;
	}
	sub[0] = argv[1];
	sub[1] = "--help";
	sub[2] = NULL;
	return cmd->fn(2, sub);
}

static bool looks_like_module(const char *arg)
{
	size_t n = strlen(arg);

	return access(arg, F_OK) == 0 || strchr(arg, '/') ||
	       (n > 5 && !strcmp(arg + n - 5, ".wasm"));
}

int main(int argc, char **argv)
{
	const struct wb_cli_cmd *cmd;
	const char *a;

	if (argc < 2) {
		usage(stderr);
		return WB_EXIT_USAGE;
	}
	a = argv[1];
	if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(a, "-V") || !strcmp(a, "--version"))
		return cmd_version(1, argv);
	cmd = find_cmd(a);
	if (cmd)
		return cmd->fn(argc - 1, argv + 1);
	/* Short form: options or a module path first means `run`. */
	if (a[0] == '-' || looks_like_module(a))
		return wb_cli_run(argc, argv);
	wb_cli_err("'%s' is neither a command nor a module file; see 'wasm-bpf help'", a);
	return WB_EXIT_USAGE;
}
