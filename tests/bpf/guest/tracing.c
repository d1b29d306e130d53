/* SPDX-License-Identifier: MIT */
/*
 * Tracepoint, raw tracepoint and BTF tracepoint programs, attached from their
 * section names and with explicit targets, all counting the same sched_yield
 * calls of this process.
 */
#include <sched.h>

#include "wasm_bpf.h"
#include "tracing.bpf.h"

struct counts {
	uint64_t tp_auto, tp_target, raw_auto, raw_target, btf_auto;
};

int main(int argc, char **argv)
{
	struct counts c;
	uint32_t tgid;
	uint64_t obj;
	int i, r;

	wbt_init();
	tgid = wbt_pid_arg(argc, argv);
	obj = wasm_bpf_open_object(tracing_bpf_o, sizeof(tracing_bpf_o));
	REQUIRE(obj != 0, "open tracing.bpf.o");
	CHECK_EQ(wasm_bpf_global_write(obj, WB_RODATA, 0, &tgid, 4), 0, "target_tgid");
	CHECK_ERR(wasm_bpf_program_set_autoload(obj, "no_such_prog", 0), ENOENT,
		  "autoload of a missing program");
	REQUIRE(wasm_bpf_load_object(obj) == 0, "load");
	CHECK_ERR(wasm_bpf_program_set_autoload(obj, "wbt_tp_auto", 0), EBUSY,
		  "autoload after load");

	CHECK_EQ(wasm_attach_bpf_program(obj, "wbt_tp_auto", NULL), 0, "tp, from the section");
	CHECK_EQ(wasm_attach_bpf_program(obj, "wbt_tp_target", "syscalls:sys_enter_sched_yield"), 0,
		 "tp, target syscalls:sys_enter_sched_yield");
	CHECK_EQ(wasm_attach_bpf_program(obj, "wbt_raw_auto", NULL), 0, "raw_tp, from the section");
	CHECK_EQ(wasm_attach_bpf_program(obj, "wbt_raw_target", "sys_enter"), 0,
		 "raw_tp, target sys_enter");
	r = wasm_attach_bpf_program(obj, "wbt_btf_auto", NULL);
	CHECK_EQ(r, 0, "tp_btf, from the section");
	CHECK_ERR(wasm_attach_bpf_program(obj, "wbt_tp_auto", "nocolon"), EINVAL,
		  "tp, malformed target");
	CHECK_TRUE(wasm_attach_bpf_program(obj, "wbt_tp_auto", "no_such:tracepoint") < 0,
		   "tp, missing tracepoint");
	CHECK_ERR(wasm_attach_bpf_program(obj, "no_such_prog", NULL), ENOENT, "missing program");

	for (i = 0; i < 7; i++)
		sched_yield();
	memset(&c, 0, sizeof(c));
	CHECK_EQ(wasm_bpf_global_read(obj, WB_BSS, 0, &c, sizeof(c)), 0, "read counters");
	CHECK_EQ(c.tp_auto, 7, "tracepoint (auto)");
	CHECK_EQ(c.tp_target, 7, "tracepoint (explicit target)");
	CHECK_EQ(c.raw_auto, 7, "raw tracepoint (auto)");
	CHECK_EQ(c.raw_target, 7, "raw tracepoint (explicit target)");
	CHECK_EQ(c.btf_auto, 7, "tp_btf (auto)");

	printf("detach one program; the others go on\n");
	CHECK_EQ(wasm_bpf_detach_program(obj, "wbt_raw_auto"), 0, "detach raw_tp");
	sched_yield();
	CHECK_EQ(wasm_bpf_global_read(obj, WB_BSS, 0, &c, sizeof(c)), 0, "read counters");
	CHECK_EQ(c.raw_auto, 7, "detached raw tracepoint stopped");
	CHECK_EQ(c.tp_auto, 8, "tracepoint still counting");

	CHECK_EQ(wasm_close_bpf_object(obj), 0, "close");
	return wbt_done("tracing");
}
