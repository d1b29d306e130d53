/* SPDX-License-Identifier: MIT */
/*
 * Attaching programs: automatic (from the section name, as libbpf does) or to
 * an explicit target whose meaning depends on the program type (docs/abi.md,
 * "Attach targets"). Every attachment is recorded on its object so that it is
 * undone on detach, on close, and when the instance ends.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "bpf_internal.h"

#ifndef SO_ATTACH_BPF
#define SO_ATTACH_BPF 50
#endif

static int add_link(struct wb_bpf_obj *o, const struct wb_bpf_link *l)
{
	if (o->link_cnt == o->link_cap) {
		uint32_t cap = o->link_cap ? o->link_cap * 2 : 8;
		struct wb_bpf_link *n = realloc(o->links, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		o->links = n;
		o->link_cap = cap;
	}
	o->links[o->link_cnt++] = *l;
	return 0;
}

/* Filters (with a handle) on one clsact hook of ifindex, or -errno. */
static int tc_filter_count(int ifindex, uint32_t parent)
{
	struct {
		struct nlmsghdr nh;
		struct tcmsg tc;
	} req = {
		.nh = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(struct tcmsg)),
			.nlmsg_type = RTM_GETTFILTER,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1,
		},
		.tc = { .tcm_family = AF_UNSPEC, .tcm_ifindex = ifindex, .tcm_parent = parent },
	};
	char buf[8192] __attribute__((aligned(4)));
	int fd, cnt = 0, ret = 0;
	bool done = false;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0) {
		ret = -errno;
		goto out;
	}
	while (!done) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nh;

		if (n < 0) {
			ret = -errno;
			goto out;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (nh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nh);

				ret = e->error ? e->error : -EIO;
				goto out;
			}
			if (nh->nlmsg_type == RTM_NEWTFILTER &&
			    ((struct tcmsg *)NLMSG_DATA(nh))->tcm_handle)
				cnt++;
		}
		if (n == 0)
			break;
	}
	ret = cnt;
out:
	close(fd);
	return ret;
}

/*
 * Remove a clsact qdisc we created, unless someone else (another tool or
 * guest) has put filters on it meanwhile: removing it would detach theirs.
 */
static void tc_hook_release(int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);

	if (tc_filter_count(ifindex, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)) != 0 ||
	    tc_filter_count(ifindex, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)) != 0)
		return;
	bpf_tc_hook_destroy(&hook);
}

void wb_bpf_link_destroy(struct wb_bpf_link *l)
{
	switch (l->kind) {
	case WB_LINK_BPF:
		bpf_link__destroy(l->link);
		break;
	case WB_LINK_XDP_NETLINK: {
		LIBBPF_OPTS(bpf_xdp_attach_opts, xopts,
			    .old_prog_fd = bpf_program__fd(l->prog));

		bpf_xdp_detach(l->ifindex, l->xdp_flags | XDP_FLAGS_REPLACE, &xopts);
		break;
	}
	case WB_LINK_TC: {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = l->ifindex,
			    .attach_point = l->tc_attach_point);
		LIBBPF_OPTS(bpf_tc_opts, topts, .handle = l->tc_handle,
			    .priority = l->tc_priority);

		bpf_tc_detach(&hook, &topts);
		if (l->tc_hook_created)
			tc_hook_release(l->ifindex);
		break;
	}
	case WB_LINK_SOCKET:
		close(l->sock_fd);
		break;
	}
	memset(l, 0, sizeof(*l));
	l->sock_fd = -1;
}

static int ifindex_of(struct wb_bpf_host *h, const char *ifname, size_t len)
{
	char name[IF_NAMESIZE];
	unsigned int idx;

	if (!len || len >= sizeof(name)) {
		wb_bpf_set_error(h, "bad interface name '%.*s'", (int)len, ifname);
		return -EINVAL;
	}
	memcpy(name, ifname, len);
	name[len] = '\0';
	idx = if_nametoindex(name);
	if (!idx) {
		wb_bpf_set_error(h, "no network interface '%s'", name);
		return -ENODEV;
	}
	return (int)idx;
}

/* "IFNAME" (kernel picks the mode, bpf_link) or "IFNAME:skb|generic|drv|native|hw". */
static int attach_xdp(struct wb_bpf_host *h, struct wb_bpf_obj *o, struct bpf_program *prog,
		      const char *target)
{
	const char *colon = strchr(target, ':');
	struct wb_bpf_link l = { .prog = prog, .sock_fd = -1 };
	int ifindex, ret;

	ifindex = ifindex_of(h, target, colon ? (size_t)(colon - target) : strlen(target));
	if (ifindex < 0)
		return ifindex;
	if (!colon) {
		l.kind = WB_LINK_BPF;
		l.link = bpf_program__attach_xdp(prog, ifindex);
		if (!l.link)
			return -errno;
		return add_link(o, &l);
	}
	if (!strcmp(colon + 1, "skb") || !strcmp(colon + 1, "generic"))
		l.xdp_flags = XDP_FLAGS_SKB_MODE;
	else if (!strcmp(colon + 1, "drv") || !strcmp(colon + 1, "native"))
		l.xdp_flags = XDP_FLAGS_DRV_MODE;
	else if (!strcmp(colon + 1, "hw"))
		l.xdp_flags = XDP_FLAGS_HW_MODE;
	else {
		wb_bpf_set_error(h, "bad XDP mode '%s' (want skb, drv or hw)", colon + 1);
		return -EINVAL;
	}
	l.kind = WB_LINK_XDP_NETLINK;
	l.ifindex = ifindex;
	ret = bpf_xdp_attach(ifindex, bpf_program__fd(prog),
			     l.xdp_flags | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
	if (ret)
		return ret;
	ret = add_link(o, &l);
	if (ret)
		wb_bpf_link_destroy(&l);
	return ret;
}

/* "IFNAME:ingress" or "IFNAME:egress" (default ingress); clsact made as needed. */
static int attach_tc(struct wb_bpf_host *h, struct wb_bpf_obj *o, struct bpf_program *prog,
		     const char *target)
{
	const char *colon = strchr(target, ':');
	struct wb_bpf_link l = { .kind = WB_LINK_TC, .prog = prog, .sock_fd = -1 };
	int ifindex, ret;

	ifindex = ifindex_of(h, target, colon ? (size_t)(colon - target) : strlen(target));
	if (ifindex < 0)
		return ifindex;
	if (!colon || !strcmp(colon + 1, "ingress")) {
		l.tc_attach_point = BPF_TC_INGRESS;
	} else if (!strcmp(colon + 1, "egress")) {
		l.tc_attach_point = BPF_TC_EGRESS;
	} else {
		wb_bpf_set_error(h, "bad TC direction '%s' (want ingress or egress)", colon + 1);
		return -EINVAL;
	}
	l.ifindex = ifindex;

	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = l.tc_attach_point);
	LIBBPF_OPTS(bpf_tc_opts, topts, .prog_fd = bpf_program__fd(prog));

	ret = bpf_tc_hook_create(&hook);
	if (ret == 0)
		l.tc_hook_created = true;
	else if (ret != -EEXIST)
		return ret;
	ret = bpf_tc_attach(&hook, &topts);
	if (ret) {
		if (l.tc_hook_created)
			tc_hook_release(ifindex);
		return ret;
	}
	l.tc_handle = topts.handle;
	l.tc_priority = topts.priority;
	ret = add_link(o, &l);
	if (ret)
		wb_bpf_link_destroy(&l);
	return ret;
}

/* A raw packet socket bound to IFNAME (or every interface for "*") with the filter. */
static int attach_socket(struct wb_bpf_host *h, struct wb_bpf_obj *o, struct bpf_program *prog,
			 const char *target)
{
	struct wb_bpf_link l = { .kind = WB_LINK_SOCKET, .prog = prog };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int fd, ret, prog_fd = bpf_program__fd(prog);

	if (strcmp(target, "*")) {
		ret = ifindex_of(h, target, strlen(target));
		if (ret < 0)
			return ret;
		sll.sll_ifindex = ret;
	}
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) ||
	    setsockopt(fd, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof(prog_fd))) {
		ret = -errno;
		close(fd);
		return ret;
	}
	l.sock_fd = fd;
	ret = add_link(o, &l);
	if (ret)
		close(fd);
	return ret;
}

static int attach_cgroup(struct wb_bpf_host *h, struct wb_bpf_obj *o, struct bpf_program *prog,
			 const char *path)
{
	struct wb_bpf_link l = { .kind = WB_LINK_BPF, .prog = prog, .sock_fd = -1 };
	int fd, ret;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		wb_bpf_set_error(h, "cannot open cgroup '%s': %s", path, strerror(errno));
		return ret;
	}
	l.link = bpf_program__attach_cgroup(prog, fd);
	ret = l.link ? 0 : -errno;
	close(fd);
	if (ret)
		return ret;
	ret = add_link(o, &l);
	if (ret)
		bpf_link__destroy(l.link);
	return ret;
}

/* "BINARY:FUNCTION[+OFFSET][@PID]" or "BINARY:+OFFSET[@PID]". */
static int attach_uprobe(struct wb_bpf_host *h, struct wb_bpf_obj *o, struct bpf_program *prog,
			 const char *target, bool retprobe)
{
	struct wb_bpf_link l = { .kind = WB_LINK_BPF, .prog = prog, .sock_fd = -1 };
	char *spec = strdup(target), *colon, *at, *plus, *func;
	unsigned long offset = 0;
	long pid = -1;
	int ret = 0;

	if (!spec)
		return -ENOMEM;
	colon = strrchr(spec, ':');
	if (!colon || colon == spec) {
		wb_bpf_set_error(h, "bad uprobe target '%s' (want BINARY:FUNCTION[+OFFSET][@PID])",
				 target);
		ret = -EINVAL;
		goto out;
	}
	*colon = '\0';
	func = colon + 1;
	at = strchr(func, '@');
	if (at) {
		char *end;

		*at = '\0';
		errno = 0;
		pid = strtol(at + 1, &end, 10);
		if (errno || *end || pid <= 0 || pid > INT_MAX) {
			wb_bpf_set_error(h, "bad pid in uprobe target '%s'", target);
			ret = -EINVAL;
			goto out;
		}
	}
	plus = strchr(func, '+');
	if (plus) {
		char *end;

		*plus = '\0';
		errno = 0;
		offset = strtoul(plus + 1, &end, 0);
		if (errno || *end) {
			wb_bpf_set_error(h, "bad offset in uprobe target '%s'", target);
			ret = -EINVAL;
			goto out;
		}
	}

	LIBBPF_OPTS(bpf_uprobe_opts, uopts, .retprobe = retprobe,
		    .func_name = *func ? func : NULL);

	l.link = bpf_program__attach_uprobe_opts(prog, (pid_t)pid, spec, offset, &uopts);
	if (!l.link) {
		ret = -errno;
		goto out;
	}
	ret = add_link(o, &l);
	if (ret)
		bpf_link__destroy(l.link);
out:
	free(spec);
	return ret;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int attach_auto(struct wb_bpf_host *h, struct wb_bpf_obj *o, struct bpf_program *prog)
{
	struct wb_bpf_link l = { .kind = WB_LINK_BPF, .prog = prog, .sock_fd = -1 };
	int ret;

	l.link = bpf_program__attach(prog);
	if (!l.link) {
		ret = -errno;
		if (ret == -EOPNOTSUPP || ret == -ESRCH)
			wb_bpf_set_error(h, "program '%s' (section '%s') cannot be attached "
				"without a target", bpf_program__name(prog),
				bpf_program__section_name(prog));
		return ret;
	}
	ret = add_link(o, &l);
	if (ret)
		bpf_link__destroy(l.link);
	return ret;
}

/* Tracepoint "CATEGORY:NAME" or "CATEGORY/NAME"; raw tracepoint "NAME". */
static int attach_tracepoint(struct wb_bpf_host *h, struct wb_bpf_obj *o,
			     struct bpf_program *prog, const char *target, bool raw)
{
	struct wb_bpf_link l = { .kind = WB_LINK_BPF, .prog = prog, .sock_fd = -1 };
	int ret;

	if (raw) {
		l.link = bpf_program__attach_raw_tracepoint(prog, target);
	} else {
		char *spec = strdup(target), *sep;

		if (!spec)
			return -ENOMEM;
		sep = strpbrk(spec, ":/");
		if (!sep) {
			free(spec);
			wb_bpf_set_error(h, "bad tracepoint target '%s' (want CATEGORY:NAME)",
					 target);
			return -EINVAL;
		}
		*sep = '\0';
		l.link = bpf_program__attach_tracepoint(prog, spec, sep + 1);
		free(spec);
	}
	if (!l.link)
		return -errno;
	ret = add_link(o, &l);
	if (ret)
		bpf_link__destroy(l.link);
	return ret;
}

int wb_bpf_attach(struct wb_bpf_host *h, struct wb_bpf_obj *o, const char *prog_name,
		  const char *target)
{
	struct bpf_program *prog;
	const char *sec;
	int ret;

	if (!o->loaded) {
		wb_bpf_set_error(h, "object is not loaded");
		return -EINVAL;
	}
	prog = bpf_object__find_program_by_name(o->obj, prog_name);
	if (!prog) {
		wb_bpf_set_error(h, "no program named '%s' in the object", prog_name);
		return -ENOENT;
	}
	if (bpf_program__fd(prog) < 0) {
		wb_bpf_set_error(h, "program '%s' was not loaded (autoload off)", prog_name);
		return -EINVAL;
	}
	sec = bpf_program__section_name(prog);
	ret = wb_bpf_policy_enforce_attach(h, prog, target);
	if (ret) {
		h->refusals += ret == -EPERM;
		return ret;
	}

	wb_bpf_libbpf_enter(h, true);
	if (!target || !*target) {
		ret = attach_auto(h, o, prog);
		goto out;
	}
	switch (bpf_program__type(prog)) {
	case BPF_PROG_TYPE_XDP:
		ret = attach_xdp(h, o, prog, target);
		break;
	case BPF_PROG_TYPE_SCHED_CLS:
		ret = attach_tc(h, o, prog, target);
		break;
	case BPF_PROG_TYPE_SOCKET_FILTER:
		ret = attach_socket(h, o, prog, target);
		break;
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
	case BPF_PROG_TYPE_SOCK_OPS:
	case BPF_PROG_TYPE_CGROUP_DEVICE:
	case BPF_PROG_TYPE_CGROUP_SYSCTL:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
		ret = attach_cgroup(h, o, prog, target);
		break;
	case BPF_PROG_TYPE_KPROBE:
		if (has_prefix(sec, "uprobe") || has_prefix(sec, "uretprobe")) {
			ret = attach_uprobe(h, o, prog, target, has_prefix(sec, "uretprobe"));
		} else {
			LIBBPF_OPTS(bpf_kprobe_opts, kopts,
				    .retprobe = has_prefix(sec, "kretprobe"));
			struct wb_bpf_link l = { .kind = WB_LINK_BPF, .prog = prog,
						 .sock_fd = -1 };

			l.link = bpf_program__attach_kprobe_opts(prog, target, &kopts);
			ret = l.link ? add_link(o, &l) : -errno;
		}
		break;
	case BPF_PROG_TYPE_TRACEPOINT:
		ret = attach_tracepoint(h, o, prog, target, false);
		break;
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		ret = attach_tracepoint(h, o, prog, target, true);
		break;
	default:
		/* Other types take their target from the section name. */
		ret = attach_auto(h, o, prog);
		break;
	}
out:
	wb_bpf_libbpf_leave(h);
	if (ret)
		wb_bpf_log(h, WB_BPF_LOG_WARN, "%s: attaching program '%s' (section '%s'%s%s) "
			   "failed: %s\n", h->module_name, prog_name, sec,
			   target && *target ? ", target " : "", target ? target : "",
			   strerror(-ret));
	return ret;
}

int wb_bpf_detach(struct wb_bpf_host *h, struct wb_bpf_obj *o, const char *prog_name)
{
	struct bpf_program *prog;
	uint32_t i, kept = 0;
	int found = 0;

	prog = bpf_object__find_program_by_name(o->obj, prog_name);
	if (!prog)
		return -ENOENT;
	for (i = 0; i < o->link_cnt; i++) {
		if (o->links[i].prog == prog) {
			wb_bpf_link_destroy(&o->links[i]);
			found++;
		} else {
			o->links[kept++] = o->links[i];
		}
	}
	o->link_cnt = kept;
	return found ? 0 : -ENOENT;
}
