/* SPDX-License-Identifier: MIT */
/*
 * The minimized CO-RE target BTF (src/bpf/core_btf.c) against the whole
 * kernel BTF. Every object given that has CO-RE relocations is opened and
 * loaded twice with libbpf, once with btf_custom_path set to the minimized
 * BTF and once as libbpf does by default; the load results and every
 * program's instructions after load must be identical, byte for byte. Also
 * checked: the minimized BTF is much smaller than the kernel's; objects that
 * need the whole kernel BTF are recognised (core_kid.bpf.o, relocation kinds
 * patched into copies of core.bpf.o); a BTF file given by path works, and
 * minimizing the minimized BTF gives it back; corrupted objects are refused
 * without harm (each in a child that libbpf's open survived first, as the
 * host's preflight does).
 *
 * Usage: core_btf [--min-objects N] OBJ.bpf.o...   (as root, kernel BTF needed)
 * Output: "ok ..." or "FAIL ..." lines, then "core_btf: N passed, N failed".
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "bpf/core_btf.h"

static int passed, failed;

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

static uint8_t *read_file(const char *path, size_t *sz)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t done = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !st.st_size || !(buf = malloc((size_t)st.st_size)))
		goto out;
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);

		if (n <= 0) {
			free(buf);
			buf = NULL;
			goto out;
		}
		done += (size_t)n;
	}
	*sz = done;
out:
	close(fd);
	return buf;
}

/* The whole content of fd (a memfd or file), from offset 0. */
static uint8_t *read_fd(int fd, size_t *sz)
{
	struct stat st;
	uint8_t *buf;

	if (fstat(fd, &st) || !st.st_size || !(buf = malloc((size_t)st.st_size)))
		return NULL;
	if (pread(fd, buf, (size_t)st.st_size, 0) != st.st_size) {
		free(buf);
		return NULL;
	}
	*sz = (size_t)st.st_size;
	return buf;
}

/* ---------------------------------------------------------------- loading */

/* One load: its result and, per program, name and instructions after load. */
struct prog_snap {
	char *name;
	size_t insn_cnt;
	struct bpf_insn *insns;
};

struct load_snap {
	int open_err, load_err;
	size_t prog_cnt;
	struct prog_snap progs[64];
};

static void snap_free(struct load_snap *s)
{
	size_t i;

	for (i = 0; i < s->prog_cnt; i++) {
		free(s->progs[i].name);
		free(s->progs[i].insns);
	}
	memset(s, 0, sizeof(*s));
}

/* Open and load the image with libbpf; custom: btf_custom_path or NULL (default). */
static void load(const uint8_t *img, size_t sz, const char *custom, struct load_snap *s)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "wasm_bpf",
		    .btf_custom_path = custom);
	struct bpf_program *prog;
	struct bpf_object *obj;

	memset(s, 0, sizeof(*s));
	obj = bpf_object__open_mem(img, sz, &opts);
	if (!obj) {
		s->open_err = -errno;
		return;
	}
	s->load_err = bpf_object__load(obj);
	/*
	 * After a failed load too: libbpf relocates every program (CO-RE
	 * included) before the kernel sees the first one, and keeps the
	 * instructions until close.
	 */
	bpf_object__for_each_program(prog, obj) {
		struct prog_snap *p;
		size_t n = bpf_program__insn_cnt(prog);

		if (s->prog_cnt == sizeof(s->progs) / sizeof(s->progs[0]))
			break;
		p = &s->progs[s->prog_cnt++];
		p->name = strdup(bpf_program__name(prog));
		p->insn_cnt = n;
		p->insns = malloc(n ? n * sizeof(*p->insns) : 1);
		if (p->insns && n)
			memcpy(p->insns, bpf_program__insns(prog), n * sizeof(*p->insns));
	}
	bpf_object__close(obj);
}

/* Are two loads identical? Prints the first difference. */
static bool same_loads(const char *what, const struct load_snap *a, const struct load_snap *b,
		       size_t *insn_total)
{
	size_t i, j;

	*insn_total = 0;
	if (a->open_err != b->open_err || a->load_err != b->load_err) {
		printf("  %s: open %d load %d, want open %d load %d\n", what, a->open_err,
		       a->load_err, b->open_err, b->load_err);
		return false;
	}
	if (a->prog_cnt != b->prog_cnt) {
		printf("  %s: %zu programs, want %zu\n", what, a->prog_cnt, b->prog_cnt);
		return false;
	}
	for (i = 0; i < a->prog_cnt; i++) {
		const struct prog_snap *p = &a->progs[i], *q = &b->progs[i];

		if (!p->name || !q->name || !p->insns || !q->insns || strcmp(p->name, q->name) ||
		    p->insn_cnt != q->insn_cnt) {
			printf("  %s: program %zu '%s' has %zu instructions, want '%s' with %zu\n",
			       what, i, p->name ? p->name : "?", p->insn_cnt,
			       q->name ? q->name : "?", q->insn_cnt);
			return false;
		}
		for (j = 0; j < p->insn_cnt; j++) {
			if (memcmp(&p->insns[j], &q->insns[j], sizeof(p->insns[j]))) {
				printf("  %s: program '%s' instruction %zu: code 0x%02x off %d imm %d, "
				       "want code 0x%02x off %d imm %d\n", what, p->name, j,
				       p->insns[j].code, p->insns[j].off, p->insns[j].imm,
				       q->insns[j].code, q->insns[j].off, q->insns[j].imm);
				return false;
			}
		}
		*insn_total += p->insn_cnt;
	}
	return true;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* ---------------------------------------------------------------- ELF helpers */

/* File offset and size of section name in the image, or -1. */
static int section_range(const uint8_t *img, size_t sz, const char *name, size_t *off,
			 size_t *len)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int ret = -1;
	Elf *e;

	elf_version(EV_CURRENT);
	e = elf_memory((char *)img, sz);
	if (!e || elf_getshdrstrndx(e, &shstrndx))
		goto out;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (!gelf_getshdr(scn, &sh))
			break;
		n = elf_strptr(e, shstrndx, sh.sh_name);
		if (n && !strcmp(n, name) && sh.sh_offset + sh.sh_size <= sz) {
			*off = sh.sh_offset;
			*len = sh.sh_size;
			ret = 0;
			break;
		}
	}
out:
	elf_end(e);
	return ret;
}

/* The idx-th CO-RE relocation record of the image, or NULL. */
static struct bpf_core_relo *relo_at(uint8_t *img, size_t sz, unsigned int idx)
{
	uint32_t hdr_len, relo_off, relo_len, rec_sz, num;
	size_t off, len;
	uint8_t *p, *end;

	if (section_range(img, sz, ".BTF.ext", &off, &len) || len < 32)
		return NULL;
	memcpy(&hdr_len, img + off + 4, 4);
	memcpy(&relo_off, img + off + 24, 4);
	memcpy(&relo_len, img + off + 28, 4);
	if (hdr_len < 32 || (uint64_t)hdr_len + relo_off + relo_len > len)
		return NULL;
	p = img + off + hdr_len + relo_off;
	end = p + relo_len;
	memcpy(&rec_sz, p, 4);
	for (p += 4; p + 8 <= end;) {
		memcpy(&num, p + 4, 4);
		p += 8;
		if (idx < num)
			return p + (size_t)idx * rec_sz + rec_sz <= end ?
				       (struct bpf_core_relo *)(void *)(p + (size_t)idx * rec_sz) :
				       NULL;
		idx -= num;
		p += (size_t)num * rec_sz;
	}
	return NULL;
}

/* ---------------------------------------------------------------- tests */

/* Minimized vs whole kernel BTF for one object; returns true if it was compared. */
static bool compare_object(const char *path, bool *is_core)
{
	const char *name = base_name(path);
	struct wb_bpf_core_btf_stats st;
	struct load_snap a, b;
	bool ok, want_fallback = !strcmp(name, "core_kid.bpf.o");
	size_t sz, insns;
	uint8_t *img;
	char custom[64];
	int fd;

	*is_core = false;
	img = read_file(path, &sz);
	if (!img) {
		check(false, "%s: cannot read it", path);
		return false;
	}
	fd = wb_bpf_core_btf_build(img, sz, NULL, &st);
	if (fd == -ENODATA) {
		printf("  (%s: no CO-RE relocations)\n", name);
		free(img);
		return false;
	}
	*is_core = true;
	if (want_fallback) {
		check(fd == -EOPNOTSUPP && strstr(st.reason, "type_id_target"),
		      "%s: needs the whole kernel BTF (got %d: %s)", name, fd, st.reason);
		if (fd >= 0)
			close(fd);
		free(img);
		return false;
	}
	if (fd < 0) {
		check(false, "%s: minimized BTF: %s (%s)", name, strerror(-fd), st.reason);
		free(img);
		return false;
	}
	snprintf(custom, sizeof(custom), "/proc/self/fd/%d", fd);
	load(img, sz, custom, &a);
	load(img, sz, NULL, &b);
	ok = same_loads(name, &a, &b, &insns);
	check(ok, "%s: %zu programs, %zu instructions identical (load %d); %u relocations, "
	      "%u roots, %u candidates", name, a.prog_cnt, insns, b.load_err, st.relo_cnt,
	      st.root_cnt, st.cand_cnt);
	check(st.size * 20 < st.kernel_size,
	      "%s: minimized BTF %zu bytes (%u types, %u stubs), kernel BTF %zu bytes (%u types); "
	      "%u reads, %llu us", name, st.size, st.type_cnt, st.stub_cnt, st.kernel_size,
	      st.kernel_type_cnt, st.read_cnt, (unsigned long long)st.usec);
	snap_free(&a);
	snap_free(&b);
	close(fd);
	free(img);
	return ok;
}

/* A BTF file by path (as --core-btf=FILE passes it), and minimizing that file. */
static void test_path(const char *path)
{
	struct wb_bpf_core_btf_stats st, st2;
	char tmp[] = "/tmp/wbt-core-btf-XXXXXX";
	uint8_t *img, *btf1 = NULL, *btf2 = NULL;
	size_t sz, sz1 = 0, sz2 = 0, insns;
	struct load_snap a, b;
	int fd, fd2, tfd;
	bool same;

	img = read_file(path, &sz);
	fd = img ? wb_bpf_core_btf_build(img, sz, NULL, &st) : -ENOENT;
	if (fd < 0) {
		check(false, "path: no minimized BTF for %s: %d", path, fd);
		free(img);
		return;
	}
	btf1 = read_fd(fd, &sz1);
	tfd = mkstemp(tmp);
	if (!btf1 || tfd < 0 || write(tfd, btf1, sz1) != (ssize_t)sz1) {
		check(false, "path: cannot write %s", tmp);
		goto out;
	}
	load(img, sz, tmp, &a);
	load(img, sz, NULL, &b);
	same = same_loads("path", &a, &b, &insns);
	check(same, "path: %s with btf_custom_path=%s (a file of %zu bytes): %zu instructions "
	      "identical", base_name(path), tmp, sz1, insns);
	snap_free(&a);
	snap_free(&b);

	/* Every type of the minimized BTF is needed again: a fixed point. */
	fd2 = wb_bpf_core_btf_build(img, sz, tmp, &st2);
	btf2 = fd2 >= 0 ? read_fd(fd2, &sz2) : NULL;
	check(btf2 && sz2 == sz1 && !memcmp(btf1, btf2, sz1),
	      "path: minimizing the minimized BTF gives it back (%zu bytes, want %zu; %s)", sz2,
	      sz1, fd2 < 0 ? st2.reason : "built");
	if (fd2 >= 0)
		close(fd2);
out:
	if (tfd >= 0) {
		close(tfd);
		unlink(tmp);
	}
	free(btf1);
	free(btf2);
	close(fd);
	free(img);
}

/* Relocation kinds patched into a copy of core.bpf.o. */
static void test_patched(const char *path)
{
	int signed_fallback = 0, signed_ok = 0;
	struct wb_bpf_core_btf_stats st;
	struct bpf_core_relo *r;
	uint8_t *img;
	unsigned int i;
	size_t sz;
	int fd;

	img = read_file(path, &sz);
	r = img ? relo_at(img, sz, 0) : NULL;
	if (!r) {
		check(false, "patched: no relocation in %s", path);
		free(img);
		return;
	}
	r->kind = BPF_CORE_TYPE_MATCHES;
	fd = wb_bpf_core_btf_build(img, sz, NULL, &st);
	check(fd == -EOPNOTSUPP && strstr(st.reason, "type_matches"),
	      "patched: a type_matches relocation needs the whole kernel BTF (%d: %s)", fd,
	      st.reason);
	r->kind = 13;
	fd = wb_bpf_core_btf_build(img, sz, NULL, &st);
	check(fd == -EOPNOTSUPP && strstr(st.reason, "unknown kind"),
	      "patched: a relocation of unknown kind needs the whole kernel BTF (%d: %s)", fd,
	      st.reason);
	r->kind = BPF_CORE_FIELD_BYTE_OFFSET;
	r->type_id = 0x7fffffff;
	fd = wb_bpf_core_btf_build(img, sz, NULL, &st);
	check(fd == -EOPNOTSUPP, "patched: a relocation of a type id the object does not have "
	      "is left to libbpf (%d: %s)", fd, st.reason);
	free(img);

	/* FIELD_SIGNED in place of each field offset: fine on ints, not on pointers. */
	for (i = 0;; i++) {
		img = read_file(path, &sz);
		r = img ? relo_at(img, sz, i) : NULL;
		if (!r) {
			free(img);
			break;
		}
		if (r->kind == BPF_CORE_FIELD_BYTE_OFFSET) {
			r->kind = BPF_CORE_FIELD_SIGNED;
			fd = wb_bpf_core_btf_build(img, sz, NULL, &st);
			if (fd >= 0) {
				signed_ok++;
				close(fd);
			} else if (fd == -EOPNOTSUPP && strstr(st.reason, "field_signed")) {
				signed_fallback++;
			}
		}
		free(img);
	}
	check(signed_ok > 0 && signed_fallback > 0,
	      "patched: field_signed on int fields kept (%d), on other fields left to libbpf (%d)",
	      signed_ok, signed_fallback);
}

/*
 * Corrupted copies of an object, each in a child: libbpf's open first (a
 * crash there is libbpf's, which the host's preflight catches; the child
 * says in a shared page when it got past it), then ours, which must not
 * crash whatever libbpf accepted.
 */
static void test_corrupt(const char *path)
{
	static const char *const secs[] = { ".BTF.ext", ".BTF" };
	int ours = 0, libbpf_crashes = 0, runs = 0, built = 0, refused = 0, libbpf_refused = 0;
	volatile uint8_t *stage;
	unsigned int seed = 1;
	uint8_t *img, *copy;
	size_t sz, s;
	int i;

	img = read_file(path, &sz);
	copy = img ? malloc(sz) : NULL;
	stage = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!copy || stage == MAP_FAILED) {
		check(false, "corrupt: cannot read %s", path);
		free(copy);
		free(img);
		return;
	}
	for (s = 0; s < 2; s++) {
		size_t off, len;

		if (section_range(img, sz, secs[s], &off, &len) || !len)
			continue;
		for (i = 0; i < 150; i++) {
			int flips = 1 + (int)(rand_r(&seed) % 4), k, status;
			pid_t pid;

			memcpy(copy, img, sz);
			for (k = 0; k < flips; k++) {
				/* Every other copy: headers and first records, where offsets live. */
				size_t span = (i % 2 && len > 256) ? 256 : len;

				copy[off + (size_t)rand_r(&seed) % span] ^=
					(uint8_t)(1u << (rand_r(&seed) % 8));
			}
			*stage = 0;
			pid = fork();
			if (pid < 0)
				break;
			if (pid == 0) {
				struct wb_bpf_core_btf_stats st;
				struct bpf_object *obj;
				int fd;

				obj = bpf_object__open_mem(copy, sz, NULL);
				if (!obj)
					_exit(3);
				bpf_object__close(obj);
				*stage = 1;
				fd = wb_bpf_core_btf_build(copy, sz, NULL, &st);
				_exit(fd >= 0 ? 0 : 2);
			}
			if (waitpid(pid, &status, 0) != pid)
				break;
			runs++;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				built++;
			else if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
				refused++;
			else if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
				libbpf_refused++;
			else if (*stage)
				ours++;		/* a signal or a sanitizer's report in our code */
			else
				libbpf_crashes++;
		}
	}
	check(runs > 0 && !ours,
	      "corrupt: %d corrupted copies of %s: %d built, %d left to libbpf, %d refused by "
	      "libbpf's open, %d crashed libbpf's open, %d crashed ours", runs, base_name(path),
	      built, refused, libbpf_refused, libbpf_crashes, ours);
	/* Truncated images: never a crash, never a BTF. */
	for (s = 0; s < sz; s += sz / 16 + 1) {
		struct wb_bpf_core_btf_stats st;
		int fd = wb_bpf_core_btf_build(img, s, NULL, &st);

		if (fd >= 0) {
			close(fd);
			break;
		}
	}
	check(s >= sz, "corrupt: truncated copies of %s are refused", base_name(path));
	munmap((void *)stage, 4096);
	free(copy);
	free(img);
}

int main(int argc, char **argv)
{
	const char *core_obj = NULL;
	int i = 1, min_objects = 5, compared = 0, core_cnt = 0;

	if (argc > 2 && !strcmp(argv[1], "--min-objects")) {
		min_objects = atoi(argv[2]);
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: core_btf [--min-objects N] OBJ.bpf.o...\n");
		return 2;
	}
	if (access(WB_BPF_CORE_BTF_KERNEL_PATH, R_OK)) {
		printf("SKIP: no kernel BTF at %s\n", WB_BPF_CORE_BTF_KERNEL_PATH);
		return 77;
	}
	if (!getenv("WBT_LIBBPF_LOG"))
		libbpf_set_print(NULL);
	for (; i < argc; i++) {
		bool is_core;

		if (compare_object(argv[i], &is_core))
			compared++;
		core_cnt += is_core;
		if (!strcmp(base_name(argv[i]), "core.bpf.o"))
			core_obj = argv[i];
	}
	check(compared >= min_objects, "%d objects with CO-RE relocations compared (%d with CO-RE "
	      "given), want at least %d", compared, core_cnt, min_objects);
	if (core_obj) {
		test_path(core_obj);
		test_patched(core_obj);
		test_corrupt(core_obj);
	} else {
		check(false, "core.bpf.o not among the objects");
	}
	printf("core_btf: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
