/* SPDX-License-Identifier: MIT */
/* The `wasm-bpf gen` subcommand (types, skeleton): see gen.c. */
#ifndef WB_CLI_GEN_H
#define WB_CLI_GEN_H

/* `wasm-bpf gen SUBCOMMAND ...`: argv[0] is "gen"; returns the exit status. */
int wb_cli_gen(int argc, char **argv);

#endif /* WB_CLI_GEN_H */
