# SPDX-License-Identifier: MIT
# The sockfilter example on one end of a veth pair between two network
# namespaces: it must print one line per IPv4 packet, with the right
# direction, protocol, addresses and ports; its protocol filter (a .rodata
# value set before load) must hold; nothing may stay in the kernel.
# shellcheck shell=bash

e2e_need_example sockfilter
e2e_need_cmd ip bpftool

NS_A=e2e_sf_a_$$
NS_B=e2e_sf_b_$$
DEV=e2esf1
e2e_defer ip netns del "$NS_A"
e2e_defer ip netns del "$NS_B"
ip netns add "$NS_A" && ip netns add "$NS_B" &&
	ip link add e2esf0 netns "$NS_A" type veth peer name "$DEV" netns "$NS_B" &&
	ip -n "$NS_A" addr add 10.213.0.1/24 dev e2esf0 &&
	ip -n "$NS_B" addr add 10.213.0.2/24 dev "$DEV" &&
	ip -n "$NS_A" link set e2esf0 up && ip -n "$NS_B" link set "$DEV" up ||
	e2e_skip "cannot create network namespaces with a veth pair"

# N datagrams of 3 bytes ("hi\n") from namespace A to B port 9999 (bash's /dev/udp).
send_udp()
{
	ip netns exec "$NS_A" bash -c \
		'for i in $(seq '"$1"'); do echo hi > /dev/udp/10.213.0.2/9999; done' 2>/dev/null
}

# N TCP connection attempts to a closed port of B: one SYN in, one RST out each.
send_syn()
{
	ip netns exec "$NS_A" bash -c \
		'for i in $(seq '"$1"'); do (exec 3<>/dev/tcp/10.213.0.2/80); done' 2>/dev/null
}

# ARP first, so that the datagrams flow at once.
send_udp 1
for _ in $(seq 50); do
	ip -n "$NS_A" neigh show dev e2esf0 | grep -q -E 'REACHABLE|STALE|DELAY' && break
	sleep 0.1
done

UDP_IN='^in  UDP +10\.213\.0\.1:[0-9]+ -> 10\.213\.0\.2:9999 +45 bytes$'

# ---- round 1: UDP only (-p udp), stops by itself after 3 packets.
e2e_start --wrap "ip netns exec $NS_B" sockfilter "$DEV" -p udp -c 3
e2e_wait_ready '^DIR +PROTO +SOURCE'
e2e_record_owned
send_udp 3
e2e_wait_exit 10
e2e_expect_status 0
[ "$(e2e_count_lines "$UDP_IN")" = 3 ] ||
	e2e_fail "round 1: $(e2e_count_lines "$UDP_IN") lines like /$UDP_IN/, want 3"
# The ICMP port unreachable replies went out too, but the filter drops them.
[ "$(e2e_count_lines ' ICMP ')" = 0 ] || e2e_fail "round 1: ICMP lines despite -p udp"
e2e_expect_line '^3 packets$' "round 1 count"
e2e_check_gone

# ---- round 2: everything, stopped with Ctrl-C.
e2e_start --wrap "ip netns exec $NS_B" sockfilter "$DEV"
e2e_wait_ready '^DIR +PROTO +SOURCE'
send_udp 2
send_syn 2
e2e_wait_line '^out TCP +10\.213\.0\.2:80 -> 10\.213\.0\.1:[0-9]+ ' 10 ||
	e2e_fail "round 2: no line for an outgoing TCP reset"
sleep 0.3
[ "$(e2e_count_lines "$UDP_IN")" = 2 ] ||
	e2e_fail "round 2: $(e2e_count_lines "$UDP_IN") incoming UDP lines, want 2"
n=$(e2e_count_lines '^in  TCP +10\.213\.0\.1:[0-9]+ -> 10\.213\.0\.2:80 +[0-9]+ bytes$')
[ "$n" = 2 ] || e2e_fail "round 2: $n incoming TCP (SYN) lines, want 2"
n=$(e2e_count_lines '^out TCP +10\.213\.0\.2:80 -> 10\.213\.0\.1:[0-9]+ +[0-9]+ bytes$')
[ "$n" = 2 ] || e2e_fail "round 2: $n outgoing TCP (RST) lines, want 2"
# Port unreachable: ICMP type 3 code 3, rate-limited by the kernel.
n=$(e2e_count_lines '^out ICMP +10\.213\.0\.2 -> 10\.213\.0\.1 +[0-9]+ bytes \(type 3 code 3\)$')
[ "$n" -ge 1 ] && [ "$n" -le 2 ] || e2e_fail "round 2: $n ICMP port unreachable lines, want 1..2"
e2e_stop
e2e_expect_status 130
e2e_check_gone
# The runtime may or may not let the guest print its count after Ctrl-C
# (docs/cli.md): when it does, it must match the lines.
if grep -q -E '^[0-9]+ packets$' "$E2E_OUT"; then
	want=$(e2e_count_lines '^(in|out) ')
	e2e_expect_line "^$want packets\$" "the count after Ctrl-C"
else
	echo "note: no count after Ctrl-C (the runtime stopped the guest)"
fi
e2e_pass
