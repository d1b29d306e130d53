/* SPDX-License-Identifier: MIT */
/*
 * What lsm shares between its eBPF side and the guest: the name length and
 * the record of a denied rmdir (fixed-size members only).
 */
#ifndef LSM_H
#define LSM_H

#define TASK_COMM_LEN 16
#define DIR_NAME_LEN 64

struct deny_event {
	unsigned int pid;
	unsigned int uid;
	char comm[TASK_COMM_LEN];
	char name[DIR_NAME_LEN];
};

#endif /* LSM_H */
