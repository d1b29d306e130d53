/* SPDX-License-Identifier: MIT */
/*
 * An eBPF object whose types are hard to lay out for wasm32: unions, nested
 * anonymous structs, arrays of structs, bitfields, long, pointers, enums of
 * 1/2/4/8 bytes, padding holes, packed and over-aligned structs, flexible
 * array members and char arrays. The generator's golden tests run on it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

enum __attribute__((packed)) nasty_e8 { E8_A = 1, E8_B = 200 };
enum __attribute__((packed)) nasty_e16 { E16_A = -1, E16_B = 1000 };
enum nasty_e32 { E32_A = 0, E32_B = 0x7fffffff };
enum nasty_e64 { E64_A = 1, E64_B = 0x100000000ULL };

struct nasty_point {
	short x;
	long long y;		/* 6-byte hole before */
};

typedef struct {
	unsigned int id;
	char tag[3];		/* 1-byte tail pad */
} nasty_tagged_t;

struct nasty_bits {
	unsigned int a : 3;
	unsigned int b : 30;	/* straddles: moves to the next int */
	signed char c : 2;
	unsigned long long d : 40;
	_Bool flag : 1;
	enum nasty_e8 kind : 4;
	int tail;
};

union nasty_u {
	__u64 raw;
	struct {
		__u32 lo;
		__u32 hi;
	};
	char bytes[8];
	struct nasty_point *p;
};

struct nasty_record {
	char comm[16];
	long l;
	unsigned long ul;
	void *ptr;
	struct task_struct *task;
	int (*fn)(int);
	enum nasty_e8 e8;
	enum nasty_e16 e16;
	enum nasty_e32 e32;
	enum nasty_e64 e64;
	struct nasty_point pts[2];
	nasty_tagged_t tagged;
	union nasty_u u;
	struct {
		__u8 k;
		union {
			__u16 s;
			__u32 w;
		};
		struct {
			__u8 deep;
		} named;
	};
	struct {
		__u16 a, b;
	} anon_arr[3];
	struct nasty_bits bits;
	__u64 matrix[2][3];
	int aligned __attribute__((aligned(16)));
	char last;
	__u8 flex[];
};

struct nasty_packed {
	__u8 a;
	__u32 b;
	__u64 c;
	__u16 d : 5;
} __attribute__((packed));

struct nasty_overaligned {
	int v;
} __attribute__((aligned(16)));

struct nasty_holder {
	__u8 x;
	struct nasty_packed pk;
	struct nasty_overaligned oa;
	long double_long;
};

/* A real flexible array member: nothing follows it. */
struct nasty_msg {
	__u32 len;
	__u16 kind;
	char data[];
};

typedef struct nasty_point nasty_point_t;

struct nasty_misc {
	unsigned __int128 big;	/* 16-byte alignment */
	double d;
	float f;
	enum nasty_e16 modes[3];
	void *ptrs[2];
	struct {
		union {
			struct {
				__u32 x : 4, y : 12;
			};
			__u16 z;
		};
		__u8 after;
	} nest[2];
	nasty_point_t aliased;
	struct nasty_packed packed_arr[2];
	enum { NASTY_ANON_A = 3, NASTY_ANON_B } anon_kind;	/* an anonymous enum */
};

struct nasty_key {
	__u32 pid;
	__u8 cpu;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, struct nasty_key);
	__type(value, struct nasty_record);
} nasty_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nasty_holder);
} holder_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} nasty_rb SEC(".maps");

/* Globals for the skeleton: .rodata, .data and .bss with holes. */
const volatile __u8 cfg_verbose = 0;
const volatile __u64 cfg_limit = 10;
const volatile enum nasty_e16 cfg_mode = E16_B;
char greeting[5] = "hi";
long counter = 1;
struct nasty_point last_point;
__u32 hits;
void *last_ptr;
/* A static variable: not in the skeleton, its bytes become padding. */
static struct nasty_point hidden_point;
struct nasty_misc misc;
struct nasty_msg *msg_ptr;

/* Fills one record and the holder so that the guest can check every field's place. */
SEC("tp/syscalls/sys_enter_sched_yield")
int nasty_yield(void *ctx)
{
	struct nasty_key k = { .pid = 42, .cpu = 3 };
	struct nasty_record r = {};
	struct nasty_holder *h;
	__u32 z = 0;

	__builtin_memcpy(r.comm, "nasty", 6);
	r.l = -2;
	r.ul = 0x8877665544332211ULL;
	r.ptr = (void *)0x1234;
	r.e8 = E8_B;
	r.e16 = E16_A;
	r.e32 = E32_B;
	r.e64 = E64_A;
	r.pts[1].x = -3;
	r.pts[1].y = 99;
	r.tagged.id = 0xabcd;
	r.tagged.tag[2] = 'z';
	r.u.hi = 0xdeadbeef;
	r.k = 5;
	r.w = 0x01020304;
	r.named.deep = 9;
	r.anon_arr[2].b = 77;
	r.bits.a = 5;
	r.bits.b = 12345;
	r.bits.c = -1;
	r.bits.d = 0xabcdef1234ULL;
	r.bits.flag = 1;
	r.bits.kind = E8_A;
	r.bits.tail = -7;
	r.matrix[1][2] = 66;
	r.aligned = 0x55;
	r.last = 'L';
	bpf_map_update_elem(&nasty_map, &k, &r, BPF_ANY);

	h = bpf_map_lookup_elem(&holder_map, &z);
	if (h) {
		h->x = 0xee;
		h->pk.b = 0x11223344;
		h->pk.c = 0x0102030405060708ULL;
		h->pk.d = 17;
		h->oa.v = 7;
		h->double_long = -5;
	}
	hits++;
	hidden_point.x++;
	last_point.y = cfg_limit;
	misc.nest[1].y = 0x321;
	misc.nest[1].after = 6;
	misc.anon_kind = NASTY_ANON_B;
	counter++;
	return 0;
}

/* Uses a kernel type, which `gen types` must leave out. */
SEC("tp/syscalls/sys_enter_getpid")
int nasty_getpid(struct trace_event_raw_sys_enter *ctx)
{
	if (cfg_verbose)
		last_ptr = (void *)ctx->id;
	return 0;
}
