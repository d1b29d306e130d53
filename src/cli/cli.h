/* SPDX-License-Identifier: MIT */
/*
 * Shared declarations of the wasm-bpf command: the subcommand functions, the
 * exit codes and the diagnostics helpers.
 */
#ifndef WB_CLI_H
#define WB_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Exit codes of wasm-bpf itself. A guest that exits (proc_exit, or returns
 * from _start: 0) gives its own code, modulo 256 as POSIX exit() does; the
 * values below are chosen from sysexits.h so that they are unlikely to be
 * confused with a guest's usual codes or with a death by signal (128+N),
 * except 130, the shell's convention for SIGINT.
 */
#define WB_EXIT_USAGE		2	/* bad flags, missing or unreadable module file, bad --dir */
#define WB_EXIT_LOAD		65	/* EX_DATAERR: malformed, invalid or unlinkable module */
#define WB_EXIT_TRAP		70	/* EX_SOFTWARE: the guest trapped */
#define WB_EXIT_OSERR		71	/* EX_OSERR: host failure (out of memory, ...) */
#define WB_EXIT_POLICY		77	/* EX_NOPERM: the guest failed after a policy refusal */
#define WB_EXIT_INTERRUPTED	130	/* SIGINT stopped the guest */

/* One subcommand: argv[0] is its name; returns the process exit status. */
struct wb_cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;	/* one line, for `wasm-bpf help` */
};

/* Verbosity: number of -v given. */
extern int wb_cli_verbose;

/* "wasm-bpf: " + message + newline, on stderr. */
void wb_cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, only when wb_cli_verbose >= level. */
void wb_cli_info(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One line of an options table in --help: "-x, --name ARG   help" (val < 0x100 has a short form). */
void wb_cli_print_opt(FILE *f, int width, int val, const char *name, const char *arg,
		      const char *help);

/*
 * Read a whole regular file into a new buffer (*buf, freed by the caller).
 * Returns 0 or -errno (-EISDIR for a directory, -EINVAL for another non-regular file).
 */
int wb_cli_read_file(const char *path, uint8_t **buf, size_t *sz);

/* `wasm-bpf run` (run.c). */
int wb_cli_run(int argc, char **argv);

#endif /* WB_CLI_H */
