/* SPDX-License-Identifier: MIT */
/* The record compat_trace's eBPF side sends to its guest (same layout on both sides). */
#ifndef COMPAT_TRACE_H
#define COMPAT_TRACE_H

struct event {
	unsigned int pid;
	unsigned int cpu;
};

#endif
