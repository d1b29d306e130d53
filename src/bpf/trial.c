/* SPDX-License-Identifier: MIT */
/*
 * Trial runs of libbpf on a guest's eBPF object, in a child process.
 *
 * libbpf 1.1 dereferences bad offsets in some corrupt ELF images, both when
 * it opens them and when it loads objects it opened without complaint
 * (found by fuzzing and by mutating test objects: a few changed bytes are
 * enough). The images come from guests, which must not be able to take the
 * host (or `wasm-bpf inspect`) down. So each step is tried first in a forked
 * child, and done here only when the child survived it.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf_internal.h"

/* The child's exit codes: the step ran and succeeded, or ran and failed. */
#define TRIAL_OK 42
#define TRIAL_FAILED 43

/*
 * In the child: a fault kills it quietly, whatever handlers the process
 * installed (a sanitizer's or a fuzzer's would report the crash as theirs),
 * and libbpf prints nothing.
 */
static void child_setup(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };

	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], SIG_DFL);
	libbpf_set_print(NULL);
}

/* Wait for the child of a trial of `what`: 0 if it survived, or -EINVAL. */
static int trial_wait(pid_t pid, const char *what, char *err, size_t err_sz)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			wb_bpf_msg(err, err_sz, "trial %s: %s", what, strerror(errno));
			return -errno;
		}
	}
	if (WIFEXITED(status) &&
	    (WEXITSTATUS(status) == TRIAL_OK || WEXITSTATUS(status) == TRIAL_FAILED))
		return 0;
	if (WIFSIGNALED(status))
		wb_bpf_msg(err, err_sz, "not a valid eBPF object: libbpf crashed in a trial %s "
			"(signal %d)", what, WTERMSIG(status));
	else
		wb_bpf_msg(err, err_sz, "not a valid eBPF object: a trial %s ended with status %d",
			what, WEXITSTATUS(status));
	return -EINVAL;
}

static pid_t trial_fork(const char *what, char *err, size_t err_sz)
{
	pid_t pid = fork();

	if (pid < 0)
		wb_bpf_msg(err, err_sz, "cannot fork for a trial %s: %s", what, strerror(errno));
	return pid;
}

int wb_bpf_trial_open(const void *elf, size_t sz, char *err, size_t err_sz)
{
	pid_t pid = trial_fork("open", err, err_sz);

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		LIBBPF_OPTS(bpf_object_open_opts, oopts, .object_name = "wasm_bpf");

		child_setup();
		_exit(bpf_object__open_mem(elf, sz, &oopts) ? TRIAL_OK : TRIAL_FAILED);
	}
	return trial_wait(pid, "open", err, err_sz);
}

/*
 * The child loads its copy of obj, with everything the guest set on it.
 * Pinning is turned off there, so that the trial leaves nothing behind: the
 * maps, programs and BTF it creates go away with the child. It costs one
 * more verifier run per object.
 */
int wb_bpf_trial_load(struct bpf_object *obj, char *err, size_t err_sz)
{
	pid_t pid = trial_fork("load", err, err_sz);

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		struct bpf_map *m;

		child_setup();
		bpf_object__for_each_map(m, obj)
			bpf_map__set_pin_path(m, NULL);
		_exit(bpf_object__load(obj) ? TRIAL_FAILED : TRIAL_OK);
	}
	return trial_wait(pid, "load", err, err_sz);
}
