# SPDX-License-Identifier: MIT
# The xdp example on one end of a veth pair between two network namespaces:
# known UDP (IPv4, IPv6) and TCP traffic must show up in its per-protocol
# counters, in generic and in default mode, and nothing may stay attached.
# shellcheck shell=bash

e2e_need_example xdp
e2e_need_cmd ip bpftool

NS_A=e2e_xdp_a_$$
NS_B=e2e_xdp_b_$$
DEV=e2exdp1
e2e_defer ip netns del "$NS_A"
e2e_defer ip netns del "$NS_B"
ip netns add "$NS_A" && ip netns add "$NS_B" &&
	ip link add e2exdp0 netns "$NS_A" type veth peer name "$DEV" netns "$NS_B" &&
	ip -n "$NS_A" addr add 10.213.0.1/24 dev e2exdp0 &&
	ip -n "$NS_B" addr add 10.213.0.2/24 dev "$DEV" &&
	ip -n "$NS_A" addr add fd00:213::1/64 dev e2exdp0 nodad &&
	ip -n "$NS_B" addr add fd00:213::2/64 dev "$DEV" nodad &&
	ip -n "$NS_A" link set e2exdp0 up && ip -n "$NS_B" link set "$DEV" up ||
	e2e_skip "cannot create network namespaces with a veth pair"

# N datagrams of 3 bytes ("hi\n") from namespace A to ADDR port 9999 (bash's /dev/udp).
send_udp()
{
	ip netns exec "$NS_A" bash -c \
		'for i in $(seq '"$2"'); do echo hi > /dev/udp/'"$1"'/9999; done' 2>/dev/null
}

# N TCP connection attempts to a closed port of B: one SYN in, one RST out each.
send_syn()
{
	ip netns exec "$NS_A" bash -c \
		'for i in $(seq '"$1"'); do (exec 3<>/dev/tcp/10.213.0.2/80); done' 2>/dev/null
}

# The summary row "NAME PACKETS BYTES" for a protocol, e.g. summary_row "ipv4  udp".
summary_row()
{
	sed -n '/^Summary/,$p' "$E2E_OUT" | grep -E "^  $1 +[0-9]" | awk '{ print $(NF - 1), $NF }'
}

xdp_flag()
{
	ip -n "$NS_B" link show dev "$DEV" | head -n 1 | grep -o -E ' xdp[a-z]*' | tr -d ' '
}

# Neighbour discovery first (ARP, IPv6 ND), so that only the counted traffic
# reaches B while the example runs: the first datagrams wait for it.
send_udp 10.213.0.2 1
send_udp fd00:213::2 1
for _ in $(seq 50); do
	n=$(ip -n "$NS_A" neigh show dev e2exdp0 | grep -c -E 'REACHABLE|STALE|DELAY')
	[ "$n" -ge 2 ] && break
	sleep 0.1
done
sleep 0.2

# ---- round 1: generic mode, stops by itself after 3 intervals with a summary.
e2e_start --wrap "ip netns exec $NS_B" xdp "$DEV" -g -i 1 -n 3
e2e_wait_ready '^Counting packets received on '"$DEV"' with XDP \(generic mode\)'
[ "$(xdp_flag)" = xdpgeneric ] ||
	e2e_fail "generic mode: ip link shows '$(xdp_flag)', want xdpgeneric"
e2e_record_owned
send_udp 10.213.0.2 10
send_udp fd00:213::2 5
send_syn 3
e2e_wait_exit 15
e2e_expect_status 0
e2e_expect_line '^Summary for '"$DEV"' \(3 s\):' "round 1 summary"
[ "$(summary_row 'ipv4  udp')" = "10 450" ] ||
	e2e_fail "round 1: ipv4 udp '$(summary_row 'ipv4  udp')', want '10 450'" \
		"(10 datagrams of 45 bytes)"
[ "$(summary_row 'ipv6  udp')" = "5 325" ] ||
	e2e_fail "round 1: ipv6 udp '$(summary_row 'ipv6  udp')', want '5 325'"
row=$(summary_row 'ipv4  tcp')
[ "${row% *}" = 3 ] || e2e_fail "round 1: ipv4 tcp '$row', want 3 packets (SYNs)"
row=$(summary_row 'ipv4  icmp')
[ "$row" = "0 0" ] ||
	e2e_fail "round 1: ipv4 icmp '$row', want none (the replies leave: XDP sees ingress only)"
e2e_expect_line '^  ipv4  udp +10 pkts +450 bytes' "an interval line with the UDP count"
e2e_check_gone
[ -z "$(xdp_flag)" ] || e2e_fail "round 1: still attached after exit: $(xdp_flag)"

# ---- round 2: default mode (native on veth), stopped with Ctrl-C.
e2e_start --wrap "ip netns exec $NS_B" xdp "$DEV" -i 1
e2e_wait_ready '^Counting packets received on '"$DEV"' with XDP \(default mode\)'
[ -n "$(xdp_flag)" ] || e2e_fail "default mode: ip link shows no XDP program"
send_udp 10.213.0.2 4
e2e_wait_line '^  ipv4  udp +4 pkts +180 bytes' 10 ||
	e2e_fail "round 2: no interval line with 4 UDP packets"
e2e_stop
e2e_expect_status 130
e2e_check_gone
[ -z "$(xdp_flag)" ] || e2e_fail "round 2: still attached after Ctrl-C: $(xdp_flag)"
# The runtime may or may not let the guest print its summary after Ctrl-C
# (docs/cli.md): when it does, the numbers must be right.
if grep -q '^Summary' "$E2E_OUT"; then
	[ "$(summary_row 'ipv4  udp')" = "4 180" ] ||
		e2e_fail "round 2: summary ipv4 udp '$(summary_row 'ipv4  udp')', want '4 180'"
else
	echo "note: no summary after Ctrl-C (the runtime stopped the guest)"
fi
e2e_pass
