/* SPDX-License-Identifier: MIT */
/*
 * `wasm-bpf gen types` and `wasm-bpf gen skeleton`: C headers for wasm32
 * guests from an eBPF object's BTF. The output is built in memory and only
 * written (to -o FILE, through a temporary file and a rename, or to stdout)
 * once the generator succeeded, so a failure never leaves half a header.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <wasm-bpf/gen.h>

#include "cli.h"
#include "gen.h"

#define MAX_TYPES 256

static void gen_usage(FILE *f)
{
	fprintf(f,
		"Usage: wasm-bpf gen types OBJ.bpf.o [--type NAME]... [-o FILE]\n"
		"       wasm-bpf gen types OBJ.bpf.o --layout-check HEADER [-o FILE]\n"
		"       wasm-bpf gen skeleton OBJ.bpf.o [--name NAME] [-o FILE]\n"
		"\n"
		"types     C definitions of the object's BTF types laid out for wasm32 as\n"
		"          the BPF target lays them out, with _Static_asserts on every\n"
		"          size and offset. Default: the maps' key and value types and the\n"
		"          named structs, unions and enums that are not kernel types.\n"
		"  -t, --type NAME         define NAME (\"foo\", \"struct foo\", \"enum foo\"...)\n"
		"      --kernel-btf FILE   kernel BTF for the default selection\n"
		"                          (default /sys/kernel/btf/vmlinux; \"\" for none)\n"
		"      --guard NAME        include guard\n"
		"      --layout-check HEADER  write a C program that includes HEADER and\n"
		"                          checks every field's place at run time instead\n"
		"skeleton  the libbpf-style skeleton of the object for the guest SDK\n"
		"  -n, --name NAME         skeleton struct and prefix (default: file name\n"
		"                          without .o, e.g. app.bpf.o: app_bpf)\n"
		"      --sdk-header FILE   SDK header to include (default libbpf-wasm.h)\n"
		"common\n"
		"  -o, --output FILE       write to FILE instead of stdout\n"
		"  -h, --help              show this help\n");
}

enum {
	OPT_KERNEL_BTF = 0x100,
	OPT_GUARD,
	OPT_LAYOUT_CHECK,
	OPT_SDK_HEADER,
};

static const struct option gen_long_opts[] = {
	{ "type", required_argument, NULL, 't' },
	{ "kernel-btf", required_argument, NULL, OPT_KERNEL_BTF },
	{ "guard", required_argument, NULL, OPT_GUARD },
	{ "layout-check", required_argument, NULL, OPT_LAYOUT_CHECK },
	{ "name", required_argument, NULL, 'n' },
	{ "sdk-header", required_argument, NULL, OPT_SDK_HEADER },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Write @len bytes of @buf to @path atomically, or to stdout if @path is NULL. */
static int write_output(const char *path, const char *buf, size_t len)
{
	char *tmp = NULL;
	FILE *f = NULL;
	int err = 0;

	if (!path) {
		if (fwrite(buf, 1, len, stdout) != len || fflush(stdout))
			return -EIO;
		return 0;
	}
	if (asprintf(&tmp, "%s.tmp.%d", path, (int)getpid()) < 0)
		return -ENOMEM;
	f = fopen(tmp, "w");
	if (!f) {
		err = -errno;
		goto out;
	}
	if (fwrite(buf, 1, len, f) != len)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
out:
	free(tmp);
	return err;
}

int wb_cli_gen(int argc, char **argv)
{
	const char *types[MAX_TYPES];
	const char *what, *output = NULL, *obj;
	struct wb_gen_types_opts topts = { .sz = sizeof(topts) };
	struct wb_gen_skeleton_opts sopts = { .sz = sizeof(sopts) };
	char errbuf[512] = "";
	char *buf = NULL;
	size_t len = 0, type_cnt = 0;
	bool is_types;
	FILE *mem;
	int c, err;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		gen_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? WB_EXIT_USAGE : 0;
	}
	what = argv[1];
	if (strcmp(what, "types") && strcmp(what, "skeleton")) {
		wb_cli_err("gen: unknown generator '%s' (expected types or skeleton)", what);
		return WB_EXIT_USAGE;
	}
	is_types = !strcmp(what, "types");
	argc--;
	argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "t:n:o:h", gen_long_opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (type_cnt == MAX_TYPES) {
				wb_cli_err("gen types: more than %d --type", MAX_TYPES);
				return WB_EXIT_USAGE;
			}
			types[type_cnt++] = optarg;
			break;
		case OPT_KERNEL_BTF:
			topts.kernel_btf = optarg;
			break;
		case OPT_GUARD:
			topts.guard = optarg;
			break;
		case OPT_LAYOUT_CHECK:
			topts.layout_check = optarg;
			break;
		case 'n':
			sopts.name = optarg;
			break;
		case OPT_SDK_HEADER:
			sopts.sdk_header = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			gen_usage(stdout);
			return 0;
		default:
			gen_usage(stderr);
			return WB_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		wb_cli_err("gen %s: expected exactly one object file; see 'wasm-bpf gen --help'",
			   what);
		return WB_EXIT_USAGE;
	}
	obj = argv[optind];
	if (is_types && (sopts.name || sopts.sdk_header)) {
		wb_cli_err("gen types: --name and --sdk-header are skeleton options");
		return WB_EXIT_USAGE;
	}
	if (!is_types && (type_cnt || topts.kernel_btf || topts.guard || topts.layout_check)) {
		wb_cli_err("gen skeleton: --type, --kernel-btf, --guard and --layout-check are types options");
		return WB_EXIT_USAGE;
	}

	mem = open_memstream(&buf, &len);
	if (!mem) {
		wb_cli_err("gen: %s", strerror(errno));
		return WB_EXIT_OSERR;
	}
	if (is_types) {
		topts.types = types;
		topts.type_cnt = type_cnt;
		topts.err_buf = errbuf;
		topts.err_buf_sz = sizeof(errbuf);
		err = wb_gen_types(obj, mem, &topts);
	} else {
		sopts.err_buf = errbuf;
		sopts.err_buf_sz = sizeof(errbuf);
		err = wb_gen_skeleton(obj, mem, &sopts);
	}
	if (fclose(mem) && !err)
		err = -EIO;
	if (err) {
		wb_cli_err("gen %s: %s", what, *errbuf ? errbuf : strerror(-err));
		free(buf);
		return err == -ENOMEM ? WB_EXIT_OSERR : WB_EXIT_LOAD;
	}
	err = write_output(output, buf, len);
	free(buf);
	if (err) {
		wb_cli_err("gen %s: cannot write %s: %s", what, output ? output : "stdout",
			   strerror(-err));
		return WB_EXIT_OSERR;
	}
	return 0;
}
