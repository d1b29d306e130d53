/* SPDX-License-Identifier: MIT */
/*
 * The sockfilter example's user-space half: attaches sockfilter.bpf.c as a
 * socket filter on an interface (the host opens the packet socket) and prints
 * one line per IPv4 packet from the ring buffer: direction, protocol,
 * source and destination.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libbpf-wasm.h"
#include "sockfilter.skel.h"
#include "sockfilter.h"

struct state {
	unsigned long seen;
	unsigned long limit;		/* stop after this many packets; 0: never */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: sockfilter IFNAME [-p tcp|udp|icmp|NUMBER] [-c COUNT]\n"
		"Print the IPv4 packets IFNAME receives and sends, one line each,\n"
		"from a socket filter on the interface ('*': all interfaces).\n"
		"  -p PROTO  only this IP protocol (the filter drops the rest)\n"
		"  -c COUNT  stop after COUNT packets\n"
		"Ctrl-C stops.\n");
}

/* A positive integer option value, or -1. */
static long positive(const char *s)
{
	char *end;
	long v;

	if (!s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0)
		return -1;
	return v;
}

/* An IP protocol by name or number, or -1. */
static int parse_proto(const char *s)
{
	char *end;
	long v;

	if (!s)
		return -1;
	if (!strcmp(s, "tcp"))
		return 6;
	if (!strcmp(s, "udp"))
		return 17;
	if (!strcmp(s, "icmp"))
		return 1;
	v = strtol(s, &end, 10);
	return *end || v <= 0 || v > 255 ? -1 : (int)v;
}

static const char *proto_name(uint8_t proto, char *buf, size_t len)
{
	switch (proto) {
	case 1:
		return "ICMP";
	case 6:
		return "TCP";
	case 17:
		return "UDP";
	default:
		snprintf(buf, len, "IP%u", proto);
		return buf;
	}
}

/* a.b.c.d of an address in network order (its bytes are in wire order in memory). */
static const char *ipv4(uint32_t addr, char *buf, size_t len)
{
	const uint8_t *b = (const uint8_t *)&addr;

	snprintf(buf, len, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

/* Called by the host for each record during bpf_buffer__poll. */
static int handle_packet(void *ctx, void *data, size_t size)
{
	struct state *st = ctx;
	struct packet p;
	char src[40], dst[40], name[8];

	if (size < sizeof(p))
		return 0;
	memcpy(&p, data, sizeof(p));
	ipv4(p.saddr, src, sizeof(src));
	ipv4(p.daddr, dst, sizeof(dst));
	if (p.proto == 6 || p.proto == 17) {
		size_t n = strlen(src), m = strlen(dst);

		snprintf(src + n, sizeof(src) - n, ":%u", p.sport);
		snprintf(dst + m, sizeof(dst) - m, ":%u", p.dport);
	}
	printf("%-3s %-5s %21s -> %-21s %5u bytes", p.outgoing ? "out" : "in",
	       proto_name(p.proto, name, sizeof(name)), src, dst, p.len);
	if (p.proto == 1)
		printf(" (type %u code %u)", p.sport, p.dport);
	printf("\n");
	fflush(stdout);
	st->seen++;
	/* A negative return ends the poll: the main loop sees the limit. */
	return st->limit && st->seen >= st->limit ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct state st = { 0 };
	struct sockfilter_bpf *skel = NULL;
	struct bpf_buffer *buf = NULL;
	const char *ifname = NULL;
	char err_text[256];
	long limit;
	int i, proto = 0, err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-p") && (proto = parse_proto(argv[i + 1])) > 0) {
			i++;
		} else if (!strcmp(argv[i], "-c") && (limit = positive(argv[i + 1])) > 0) {
			st.limit = (unsigned long)limit;
			i++;
		} else if (argv[i][0] != '-' && !ifname) {
			ifname = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!ifname) {
		usage(stderr);
		return 2;
	}

	skel = sockfilter_bpf__open();
	if (!skel) {
		fprintf(stderr, "sockfilter: cannot open the eBPF object: %s\n", strerror(errno));
		return 1;
	}
	/* Read-only data is fixed at load: set the filter before. */
	skel->rodata->filter_proto = (uint8_t)proto;
	err = sockfilter_bpf__load(skel);
	if (err) {
		libbpf_get_error_text(err_text, sizeof(err_text));
		fprintf(stderr, "sockfilter: cannot load the eBPF object: %s\n", err_text);
		err = 1;
		goto out;
	}
	/* For a socket filter the target is the interface of the host's packet socket. */
	bpf_set_prog_attach_target(skel->progs.socket_handler, ifname);
	err = sockfilter_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "sockfilter: cannot attach to %s: %s\n", ifname, strerror(-err));
		err = 1;
		goto out;
	}
	buf = bpf_buffer__open(skel->maps.packets, handle_packet, &st);
	if (!buf) {
		fprintf(stderr, "sockfilter: %s\n", strerror(errno));
		err = 1;
		goto out;
	}

	printf("Watching IPv4 packets on %s. Ctrl-C to stop.\n", ifname);
	printf("%-3s %-5s %21s    %-21s %5s\n", "DIR", "PROTO", "SOURCE", "DESTINATION", "SIZE");
	fflush(stdout);
	for (;;) {
		err = bpf_buffer__poll(buf, 100);
		if (err == -EINTR)
			break;		/* Ctrl-C */
		if (err < 0 && !(st.limit && st.seen >= st.limit)) {
			fprintf(stderr, "sockfilter: polling: %s\n", strerror(-err));
			err = 1;
			goto out;
		}
		if (st.limit && st.seen >= st.limit)
			break;
	}
	printf("%lu packets\n", st.seen);
	err = 0;
out:
	bpf_buffer__free(buf);
	sockfilter_bpf__destroy(skel);
	return err;
}
