/* SPDX-License-Identifier: MIT */
/*
 * A bootstrap-like application for the start-up and footprint benchmarks,
 * built both as a wasm-bpf guest and as a native libbpf program: open and
 * load the object (min_duration_ns set in .rodata), attach both programs,
 * print ATTACHED at once, then optionally consume events for MS milliseconds,
 * formatting each as bootstrap does (into a buffer, not printed).
 *
 *   boot [MS]
 */
#include "compat.h"
#include "bench_common.h"
#include "boot.bpf.h"

static uint64_t n_events;
static uint64_t n_chars;

static int on_event(void *ctx, void *data, size_t size)
{
	const struct boot_event *e = data;
	char line[256];
	int n;

	if (size < sizeof(*e))
		return 0;
	if (e->exit_event)
		n = snprintf(line, sizeof(line), "%-5s %-16.16s %-7d %-7d [%u] (%llums)", "EXIT",
			     e->comm, e->pid, e->ppid, e->exit_code, e->duration_ns / 1000000);
	else
		n = snprintf(line, sizeof(line), "%-5s %-16.16s %-7d %-7d %.127s", "EXEC", e->comm,
			     e->pid, e->ppid, e->filename);
	n_events++;
	n_chars += (uint64_t)n;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long min_duration_ns = 0;
	struct bpf_link *exec_link = NULL, *exit_link = NULL;
	struct ring_buffer *rb = NULL;
	struct bpf_object *obj;
	uint64_t until;
	int err = 1;

	if (bench_elf_patch(boot_bpf_o, sizeof(boot_bpf_o), ".rodata", "min_duration_ns",
			    &min_duration_ns, sizeof(min_duration_ns)))
		return 1;
	obj = bpf_object__open_mem(boot_bpf_o, sizeof(boot_bpf_o), NULL);
	if (!obj)
		return 1;
	if (bpf_object__load(obj))
		goto out;
	exec_link = bpf_program__attach(bpf_object__find_program_by_name(obj, "boot_exec"));
	exit_link = bpf_program__attach(bpf_object__find_program_by_name(obj, "boot_exit"));
	if (!exec_link || !exit_link)
		goto out;
	printf("ATTACHED\n");
	fflush(stdout);
	rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj, "boot_rb")), on_event,
			      NULL, NULL);
	if (!rb)
		goto out;
	if (argc > 1) {
		until = bench_wall_ns() + strtoull(argv[1], NULL, 10) * 1000000ull;
		while (bench_wall_ns() < until)
			if (ring_buffer__poll(rb, 20) < 0)
				goto out;
	}
	printf("EVENTS %llu %llu\n", (unsigned long long)n_events, (unsigned long long)n_chars);
	err = 0;
out:
	ring_buffer__free(rb);
	bpf_link__destroy(exit_link);
	bpf_link__destroy(exec_link);
	bpf_object__close(obj);
	return err;
}
