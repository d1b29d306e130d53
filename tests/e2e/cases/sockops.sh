# SPDX-License-Identifier: MIT
# The sockops example on a cgroup of its own: TCP connections made over
# loopback by processes of that cgroup must be counted on both sides (active
# and passive) per port, those of other cgroups not; with no argument it
# watches the root of the cgroup v2 hierarchy. Nothing may stay attached.
# shellcheck shell=bash

e2e_need_example sockops
e2e_need_cmd bpftool
CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || CC=gcc
e2e_need_cmd "$CC"

CG_ROOT=/sys/fs/cgroup/unified
[ "$(stat -f -c %T "$CG_ROOT" 2>/dev/null)" = cgroup2fs ] ||
	e2e_skip "no cgroup v2 hierarchy at $CG_ROOT"
CG=$CG_ROOT/e2e_sockops_$$
mkdir "$CG" || e2e_fail "cannot create cgroup $CG"
e2e_defer rmdir "$CG"

# A native helper that makes N TCP connections to itself: it listens on
# ADDR:PORT, then connects, accepts and closes N times. Client and server
# sides are both in the helper's cgroup.
cat > tcpconn.c <<'EOF'
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int fam, n, i, l, one = 1;

	if (argc != 4)
		return 2;
	fam = strchr(argv[1], ':') ? AF_INET6 : AF_INET;
	n = atoi(argv[3]);
	if (fam == AF_INET) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(atoi(argv[2]));
		len = sizeof(*in4);
		if (inet_pton(AF_INET, argv[1], &in4->sin_addr) != 1)
			return 2;
	} else {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(atoi(argv[2]));
		len = sizeof(*in6);
		if (inet_pton(AF_INET6, argv[1], &in6->sin6_addr) != 1)
			return 2;
	}
	l = socket(fam, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l < 0 || bind(l, (struct sockaddr *)&ss, len) || listen(l, 16)) {
		perror("tcpconn: listen");
		return 1;
	}
	for (i = 0; i < n; i++) {
		int c = socket(fam, SOCK_STREAM, 0), a;

		if (c < 0 || connect(c, (struct sockaddr *)&ss, len)) {
			perror("tcpconn: connect");
			return 1;
		}
		a = accept(l, NULL, NULL);
		if (a < 0) {
			perror("tcpconn: accept");
			return 1;
		}
		close(c);
		close(a);
	}
	close(l);
	return 0;
}
EOF
"$CC" -O2 -Wall -o tcpconn tcpconn.c || e2e_fail "cannot build the TCP helper"

# Ports unlikely to be in use, different per run.
P4=$((20000 + $$ % 10000))
P6=$((P4 + 10000))
P_OUT=$((P4 + 20000))
HAVE_V6=0
[ -e /proc/net/if_inet6 ] && ip addr show dev lo | grep -q 'inet6 ::1' && HAVE_V6=1

# "COUNT" of the last line for SIDE FAMILY PORT (the summary, if printed).
count_of()
{
	grep -E "^  $1 +$2 +$3 +[0-9]+$" "$E2E_OUT" | tail -n 1 | awk '{ print $NF }'
}

# Run CMD... in a shell that moved itself into cgroup $CG first.
in_cgroup()
{
	bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' bash "$CG" "$@"
}

# ---- round 1: our cgroup, stops by itself after 3 intervals with a summary.
e2e_start sockops "$CG" -i 1 -n 3
e2e_wait_ready '^Counting TCP connections established in cgroup '"$CG"' '
e2e_record_owned
bpftool cgroup show "$CG" 2>/dev/null | grep -q sock_ops ||
	e2e_fail "round 1: bpftool cgroup show $CG lists no sock_ops program"
in_cgroup ./tcpconn 127.0.0.1 "$P4" 5 || e2e_fail "round 1: IPv4 connections failed"
if [ "$HAVE_V6" = 1 ]; then
	in_cgroup ./tcpconn ::1 "$P6" 3 || e2e_fail "round 1: IPv6 connections failed"
fi
# Not in the cgroup: must not be counted.
./tcpconn 127.0.0.1 "$P_OUT" 2 || e2e_fail "round 1: connections outside the cgroup failed"
e2e_wait_exit 15
e2e_expect_status 0
e2e_expect_line '^Summary for cgroup '"$CG"' \(3 s\):' "round 1 summary"
[ "$(count_of active ipv4 "$P4")" = 5 ] ||
	e2e_fail "round 1: active ipv4 $P4: '$(count_of active ipv4 "$P4")', want 5"
[ "$(count_of passive ipv4 "$P4")" = 5 ] ||
	e2e_fail "round 1: passive ipv4 $P4: '$(count_of passive ipv4 "$P4")', want 5"
if [ "$HAVE_V6" = 1 ]; then
	[ "$(count_of active ipv6 "$P6")" = 3 ] && [ "$(count_of passive ipv6 "$P6")" = 3 ] ||
		e2e_fail "round 1: ipv6 $P6: active '$(count_of active ipv6 "$P6")'," \
			"passive '$(count_of passive ipv6 "$P6")', want 3 and 3"
fi
grep -q -E " $P_OUT +[0-9]+$" "$E2E_OUT" &&
	e2e_fail "round 1: counted connections from outside the cgroup"
e2e_check_gone
[ -z "$(bpftool cgroup show "$CG" 2>/dev/null | grep sock_ops)" ] ||
	e2e_fail "round 1: sock_ops program left on $CG"

# ---- round 2: the default cgroup (the hierarchy's root), stopped with Ctrl-C.
e2e_start sockops -i 1
e2e_wait_ready '^Counting TCP connections established in cgroup '"$CG_ROOT"' '
in_cgroup ./tcpconn 127.0.0.1 "$P4" 2 || e2e_fail "round 2: IPv4 connections failed"
e2e_wait_line "^  active +ipv4 +$P4 +2$" 10 ||
	e2e_fail "round 2: no line with 2 active connections to $P4"
e2e_wait_line "^  passive +ipv4 +$P4 +2$" 3 ||
	e2e_fail "round 2: no line with 2 passive connections on $P4"
e2e_stop
e2e_expect_status 130
e2e_check_gone
if grep -q '^Summary' "$E2E_OUT"; then
	[ "$(count_of active ipv4 "$P4")" = 2 ] ||
		e2e_fail "round 2: summary: active ipv4 $P4:" \
			"'$(count_of active ipv4 "$P4")', want 2"
else
	echo "note: no summary after Ctrl-C (the runtime stopped the guest)"
fi
[ -z "$(bpftool cgroup show "$CG_ROOT" 2>/dev/null | grep count_establ)" ] ||
	e2e_fail "round 2: our sock_ops program left on $CG_ROOT"
e2e_pass
