/* SPDX-License-Identifier: MIT */
/*
 * Uprobe and uretprobe on wbt_target_add() of a native test binary.
 * argv: HOST_PID BINARY TARGET_PID N. The guest attaches (the return probe
 * only for TARGET_PID), says READY; the runner lets the target call
 * wbt_target_add(i, 1000) for i < N and exit, then says go; the guest checks
 * N entry and N return records.
 */
#include "wasm_bpf.h"
#include "wbt_common.h"
#include "uprobe.bpf.h"

struct seen {
	uint32_t tgid;
	int entries, returns, bad;
	uint32_t a_mask, ret_mask;
};

static unsigned char data[256];

static int on_event(void *ctx, void *buf, uint32_t size)
{
	struct seen *s = ctx;
	const struct wbt_probe_event *e = buf;

	if (size != sizeof(*e) || e->tgid != s->tgid) {
		s->bad++;
		return 0;
	}
	if (e->kind == 1 && e->b == 1000 && e->a >= 0 && e->a < 32) {
		s->entries++;
		s->a_mask |= 1u << e->a;
	} else if (e->kind == 2 && e->ret >= 1000 && e->ret < 1032) {
		s->returns++;
		s->ret_mask |= 1u << (e->ret - 1000);
	} else {
		s->bad++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char target[512];
	struct seen s = { 0 };
	uint64_t obj;
	int fd, n, tries, r;

	wbt_init();
	wbt_pid_arg(argc, argv);
	if (argc < 5) {
		printf("usage: uprobe HOST_PID BINARY TARGET_PID N\n");
		return 2;
	}
	s.tgid = (uint32_t)strtoul(argv[3], NULL, 10);
	n = atoi(argv[4]);
	obj = wasm_bpf_open_object(uprobe_bpf_o, sizeof(uprobe_bpf_o));
	REQUIRE(obj != 0, "open uprobe.bpf.o");
	CHECK_EQ(wasm_bpf_global_write(obj, WB_RODATA, 0, &s.tgid, 4), 0, "target_tgid");
	REQUIRE(wasm_bpf_load_object(obj) == 0, "load");
	fd = wasm_bpf_map_fd_by_name(obj, "wbt_up_rb");
	REQUIRE(fd >= 0, "ring fd");

	printf("bad targets\n");
	CHECK_ERR(wasm_attach_bpf_program(obj, "wbt_up_entry", "no-colon"), EINVAL, "no colon");
	snprintf(target, sizeof(target), "%s:wbt_target_add@12ab", argv[2]);
	CHECK_ERR(wasm_attach_bpf_program(obj, "wbt_up_entry", target), EINVAL, "bad pid");
	snprintf(target, sizeof(target), "%s:wbt_target_add+zz", argv[2]);
	CHECK_ERR(wasm_attach_bpf_program(obj, "wbt_up_entry", target), EINVAL, "bad offset");
	CHECK_TRUE(wasm_attach_bpf_program(obj, "wbt_up_entry", "/no/such/binary:main") < 0,
		   "missing binary");
	snprintf(target, sizeof(target), "%s:no_such_function", argv[2]);
	CHECK_TRUE(wasm_attach_bpf_program(obj, "wbt_up_entry", target) < 0, "missing function");

	printf("attach entry (any pid) and return (pid %u) probes\n", s.tgid);
	snprintf(target, sizeof(target), "%s:wbt_target_add", argv[2]);
	REQUIRE(wasm_attach_bpf_program(obj, "wbt_up_entry", target) == 0, "attach uprobe");
	snprintf(target, sizeof(target), "%s:wbt_target_add@%u", argv[2], s.tgid);
	REQUIRE(wasm_attach_bpf_program(obj, "wbt_up_return", target) == 0, "attach uretprobe");
	wbt_handshake("attached");

	for (tries = 0; tries < 30 && s.entries + s.returns + s.bad < 2 * n; tries++) {
		r = wasm_bpf_buffer_poll(obj, fd, WB_FN(on_event), &s, data, sizeof(data),
					 100);
		if (r < 0) {
			printf("  poll: %d\n", r);
			break;
		}
	}
	wasm_bpf_buffer_poll(obj, fd, WB_FN(on_event), &s, data, sizeof(data), 0);
	CHECK_EQ(s.entries, n, "entry records");
	CHECK_EQ(s.returns, n, "return records");
	CHECK_EQ(s.bad, 0, "malformed records");
	CHECK_EQ(s.a_mask, (1u << n) - 1, "first arguments 0..n-1 (bit mask)");
	CHECK_EQ(s.ret_mask, (1u << n) - 1, "results 1000..1000+n-1 (bit mask)");

	CHECK_EQ(wasm_bpf_detach_program(obj, "wbt_up_entry"), 0, "detach the uprobe");
	CHECK_EQ(wasm_close_bpf_object(obj), 0, "close");
	return wbt_done("uprobe");
}
