/* SPDX-License-Identifier: MIT */
/*
 * A guest of the generated headers: opens nasty.bpf.o through its skeleton,
 * patches .rodata, loads and attaches it, makes the eBPF program write a
 * record of every awkward type, and checks each field where the kernel put
 * it. Prints "ok"/"FAIL" lines; exits 0 if all checks passed, 3 when the
 * skeleton works but the kernel refused the object (SKIP for the runner).
 */
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "nasty.types.h"
#include "nasty.skel.h"
#include "nasty.types.h"	/* twice, and after the skeleton: the guards hold */

static int fails;

#define CHECK(cond)								\
	do {									\
		if (!(cond)) {							\
			printf("FAIL line %d: %s\n", __LINE__, #cond);		\
			fails++;						\
		}								\
	} while (0)

int main(void)
{
	struct nasty_key k = { .pid = 42, .cpu = 3 };
	struct nasty_record r;
	struct nasty_holder h;
	struct nasty_bpf *skel;
	uint32_t z = 0;
	int err, i;

	skel = nasty_bpf__open();
	if (!skel) {
		printf("FAIL open: errno %d\n", errno);
		return 1;
	}
	/* Initial values come from the embedded object. */
	CHECK(skel->rodata && skel->data && skel->bss);
	CHECK(skel->rodata->cfg_limit == 10);
	CHECK(skel->rodata->cfg_mode == E16_B);
	CHECK(!strcmp(skel->data->greeting, "hi"));
	CHECK(skel->data->counter == 1);
	CHECK(skel->maps.nasty_map && skel->maps.holder_map && skel->maps.nasty_rb);
	CHECK(skel->progs.nasty_yield && skel->progs.nasty_getpid);
	skel->rodata->cfg_limit = 4242;
	skel->data->counter = 1000;

	err = nasty_bpf__load(skel);
	if (err) {
		printf("SKIP load: %d\n", err);
		nasty_bpf__destroy(skel);
		return 3;
	}
	err = nasty_bpf__attach(skel);
	CHECK(err == 0);
	CHECK(skel->links.nasty_yield != NULL);
	for (i = 0; i < 5; i++)
		sched_yield();

	memset(&r, 0, sizeof(r));
	err = bpf_map_lookup_elem(bpf_map__fd(skel->maps.nasty_map), &k, &r);
	CHECK(err == 0);
	CHECK(!strcmp(r.comm, "nasty"));
	CHECK(r.l == -2);
	CHECK(r.ul == 0x8877665544332211ULL);
	CHECK(r.ptr == 0x1234);
	CHECK(r.e8 == E8_B);
	CHECK(r.e16 == E16_A);
	CHECK(r.e32 == E32_B);
	CHECK(r.e64 == E64_A);
	CHECK(r.pts[1].x == -3 && r.pts[1].y == 99);
	CHECK(r.tagged.id == 0xabcd && r.tagged.tag[2] == 'z');
	CHECK(r.u.hi == 0xdeadbeef && r.u.lo == 0);
	CHECK(r.k == 5);
	CHECK(r.w == 0x01020304);
	CHECK(r.named.deep == 9);
	CHECK(r.anon_arr[2].b == 77 && r.anon_arr[2].a == 0);
	CHECK(r.bits.a == 5);
	CHECK(r.bits.b == 12345);
	CHECK(r.bits.c == -1);
	CHECK(r.bits.d == 0xabcdef1234ULL);
	CHECK(r.bits.flag == 1);
	CHECK(r.bits.kind == E8_A);
	CHECK(r.bits.tail == -7);
	CHECK(r.matrix[1][2] == 66 && r.matrix[1][1] == 0);
	CHECK(r.aligned == 0x55);
	CHECK(r.last == 'L');

	memset(&h, 0, sizeof(h));
	err = bpf_map_lookup_elem(bpf_map__fd(skel->maps.holder_map), &z, &h);
	CHECK(err == 0);
	CHECK(h.x == 0xee);
	CHECK(h.pk.b == 0x11223344);
	CHECK(h.pk.c == 0x0102030405060708ULL);
	CHECK(h.pk.d == 17);
	CHECK(h.oa.v == 7);
	CHECK(h.double_long == -5);

	/* Globals: the kernel's copies of .data and .bss. */
	err = bpf_object__read_globals(skel->obj);
	CHECK(err == 0);
	CHECK(skel->bss->hits >= 1);
	CHECK(skel->bss->last_point.y == 4242);
	CHECK(skel->bss->misc.nest[1].y == 0x321 && skel->bss->misc.nest[1].after == 6);
	CHECK(skel->bss->misc.anon_kind == NASTY_ANON_B);
	CHECK(skel->data->counter > 1000);

	nasty_bpf__detach(skel);
	CHECK(skel->links.nasty_yield == NULL);
	nasty_bpf__destroy(skel);
	printf("skel_nasty: %s\n", fails ? "FAIL" : "ok");
	return fails ? 1 : 0;
}
