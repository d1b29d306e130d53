# SPDX-License-Identifier: MIT
# The tc example on one end of a veth pair between two network namespaces:
# known UDP (IPv4, IPv6) and TCP traffic must show up in its ingress and
# egress counters; the clsact qdisc it needed must go when it ends, and a
# clsact qdisc that was there before must stay (without our filters).
# shellcheck shell=bash

e2e_need_example tc
e2e_need_cmd ip tc bpftool

NS_A=e2e_tc_a_$$
NS_B=e2e_tc_b_$$
DEV=e2etc1
e2e_defer ip netns del "$NS_A"
e2e_defer ip netns del "$NS_B"
ip netns add "$NS_A" && ip netns add "$NS_B" &&
	ip link add e2etc0 netns "$NS_A" type veth peer name "$DEV" netns "$NS_B" &&
	ip -n "$NS_A" addr add 10.213.0.1/24 dev e2etc0 &&
	ip -n "$NS_B" addr add 10.213.0.2/24 dev "$DEV" &&
	ip -n "$NS_A" addr add fd00:213::1/64 dev e2etc0 nodad &&
	ip -n "$NS_B" addr add fd00:213::2/64 dev "$DEV" nodad &&
	ip -n "$NS_A" link set e2etc0 up && ip -n "$NS_B" link set "$DEV" up ||
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

# The summary row of a protocol: "IN_PKTS IN_BYTES OUT_PKTS OUT_BYTES".
summary_row()
{
	sed -n '/^Summary/,$p' "$E2E_OUT" | grep -E "^  $1 +[0-9]" |
		awk '{ print $(NF - 3), $(NF - 2), $(NF - 1), $NF }'
}

qdiscs()
{
	tc -n "$NS_B" qdisc show dev "$DEV" | grep -o -E '^qdisc [a-z_]+' | awk '{ print $2 }' |
		grep -v -x -E 'noqueue' | tr '\n' ' '
}

filters()
{
	tc -n "$NS_B" filter show dev "$DEV" "$1" 2>/dev/null
}

# Neighbour discovery first (ARP, IPv6 ND), so that only the counted traffic
# crosses the link while the example runs: the first datagrams wait for it.
send_udp 10.213.0.2 1
send_udp fd00:213::2 1
for _ in $(seq 50); do
	n=$(ip -n "$NS_A" neigh show dev e2etc0 | grep -c -E 'REACHABLE|STALE|DELAY')
	[ "$n" -ge 2 ] && break
	sleep 0.1
done
sleep 0.2
[ -z "$(qdiscs)" ] || e2e_fail "unexpected qdisc on a new veth: $(qdiscs)"

# ---- round 1: both hooks, stops by itself after 3 intervals with a summary.
e2e_start --wrap "ip netns exec $NS_B" tc "$DEV" -i 1 -n 3
e2e_wait_ready '^Counting packets on '"$DEV"' at TC ingress and egress'
[ "$(qdiscs)" = "clsact " ] || e2e_fail "round 1: qdiscs '$(qdiscs)' while attached, want clsact"
[ -n "$(filters ingress)" ] && [ -n "$(filters egress)" ] ||
	e2e_fail "round 1: no ingress or egress filter while attached"
e2e_record_owned
send_udp 10.213.0.2 10
send_udp fd00:213::2 5
send_syn 3
e2e_wait_exit 15
e2e_expect_status 0
e2e_expect_line '^Summary for '"$DEV"' \(3 s\):' "round 1 summary"
[ "$(summary_row 'ipv4  udp')" = "10 450 0 0" ] ||
	e2e_fail "round 1: ipv4 udp '$(summary_row 'ipv4  udp')', want '10 450 0 0'" \
		"(10 datagrams of 45 bytes in)"
[ "$(summary_row 'ipv6  udp')" = "5 325 0 0" ] ||
	e2e_fail "round 1: ipv6 udp '$(summary_row 'ipv6  udp')', want '5 325 0 0'"
read -r in_p _ out_p _ <<< "$(summary_row 'ipv4  tcp')"
[ "$in_p" = 3 ] && [ "$out_p" = 3 ] ||
	e2e_fail "round 1: ipv4 tcp: $in_p in, $out_p out, want 3 in (SYN) and 3 out (RST)"
# Each datagram to a closed port is answered by an ICMP port unreachable,
# which the kernel rate-limits: at least one, at most one per datagram.
read -r in_p _ out_p _ <<< "$(summary_row 'ipv4  icmp')"
[ "$in_p" = 0 ] && [ "${out_p:-0}" -ge 1 ] && [ "${out_p:-0}" -le 10 ] ||
	e2e_fail "round 1: ipv4 icmp: $in_p in, $out_p out, want 0 in and 1..10 out"
e2e_expect_line '^  ingress  ipv4  udp +10 pkts +450 bytes' "an interval line with the UDP count"
e2e_check_gone
[ -z "$(qdiscs)" ] || e2e_fail "round 1: qdisc left after exit: $(qdiscs)"

# ---- round 2: ingress only, on an existing clsact qdisc, stopped with Ctrl-C.
tc -n "$NS_B" qdisc add dev "$DEV" clsact || e2e_fail "cannot add a clsact qdisc"
e2e_start --wrap "ip netns exec $NS_B" tc "$DEV" -d ingress -i 1
e2e_wait_ready '^Counting packets on '"$DEV"' at TC ingress, '
[ -n "$(filters ingress)" ] || e2e_fail "round 2: no ingress filter while attached"
[ -z "$(filters egress)" ] || e2e_fail "round 2: an egress filter with -d ingress"
send_udp 10.213.0.2 4
e2e_wait_line '^  ingress  ipv4  udp +4 pkts +180 bytes' 10 ||
	e2e_fail "round 2: no interval line with 4 UDP packets in"
# The replies (ICMP) leave the interface, but nothing watches egress.
grep -q '^  egress' "$E2E_OUT" && e2e_fail "round 2: egress counted with -d ingress"
e2e_stop
e2e_expect_status 130
e2e_check_gone
[ "$(qdiscs)" = "clsact " ] ||
	e2e_fail "round 2: the clsact qdisc that was there is gone: '$(qdiscs)'"
[ -z "$(filters ingress)" ] || e2e_fail "round 2: ingress filter left: $(filters ingress)"
if grep -q '^Summary' "$E2E_OUT"; then
	[ "$(summary_row 'ipv4  udp')" = "4 180 0 0" ] ||
		e2e_fail "round 2: summary ipv4 udp '$(summary_row 'ipv4  udp')', want '4 180 0 0'"
else
	echo "note: no summary after Ctrl-C (the runtime stopped the guest)"
fi
e2e_pass
