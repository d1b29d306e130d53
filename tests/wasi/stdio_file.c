/* SPDX-License-Identifier: MIT */
/* stdio streams on files: fprintf, fgets, fseek/ftell, fread/fwrite, modes, ungetc. */
#include "wt.h"

struct record {
	int32_t id;
	double value;
	char tag[8];
};

int main(int argc, char **argv)
{
	struct record out[10], in[10];
	char line[128], *lp = NULL;
	size_t cap = 0, n;
	ssize_t len;
	FILE *f;
	int i, c, x;
	long pos = 0;

	wt_init(argc, argv);
	f = fopen(wt_path("lines.txt"), "w");
	WT_CHECK(f);
	for (i = 0; i < 100; i++)
		fprintf(f, "line %03d value %d\n", i, i * i);
	fputs("last line without newline", f);
	printf("ftell after write %ld\n", ftell(f));
	WT_CHECK(fclose(f) == 0);

	f = fopen(wt_path("lines.txt"), "r");
	WT_CHECK(f);
	for (i = 0;; i++) {
		if (i == 10)
			pos = ftell(f);
		if (!fgets(line, sizeof(line), f))
			break;
		if (i % 25 == 0 || !strchr(line, '\n'))
			printf("got: %s%s", line, strchr(line, '\n') ? "" : "\n");
	}
	printf("lines %d feof %d line 10 at %ld\n", i, feof(f) != 0, pos);
	WT_CHECK(fseek(f, 0, SEEK_END) == 0);
	printf("size %ld\n", ftell(f));
	WT_CHECK(fseek(f, pos, SEEK_SET) == 0);
	WT_CHECK(fscanf(f, "line %d value %d", &i, &x) == 2);
	printf("fscanf line %d value %d\n", i, x);
	rewind(f);
	c = fgetc(f);
	ungetc('X', f);
	WT_CHECK(fgets(line, sizeof(line), f));
	printf("first char %c, after ungetc: %s", c, line);
	while ((len = getline(&lp, &cap, f)) > 0)
		pos = len;
	printf("getline last length %ld\n", pos);
	free(lp);
	fclose(f);

	f = fopen(wt_path("lines.txt"), "a");
	fprintf(f, "\nappended\n");
	fclose(f);
	f = fopen(wt_path("lines.txt"), "r+");
	WT_CHECK(fseek(f, 5, SEEK_SET) == 0);
	fputs("###", f);
	WT_CHECK(fseek(f, 0, SEEK_SET) == 0);
	WT_CHECK(fgets(line, sizeof(line), f));
	printf("r+ overwrite: %s", line);
	fclose(f);

	for (i = 0; i < 10; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].id = i * 1000 - 3;
		out[i].value = i / 7.0;
		snprintf(out[i].tag, sizeof(out[i].tag), "t%u", (unsigned)i % 10);
	}
	f = fopen(wt_path("records.bin"), "wb");
	printf("fwrite %zu\n", fwrite(out, sizeof(out[0]), 10, f));
	fclose(f);
	f = fopen(wt_path("records.bin"), "rb");
	printf("fread %zu\n", fread(in, sizeof(in[0]), 10, f));
	printf("records equal %d\n", memcmp(in, out, sizeof(in)) == 0);
	n = fread(in, sizeof(in[0]), 1, f);
	printf("fread past end %zu feof %d\n", n, feof(f) != 0);
	clearerr(f);
	printf("after clearerr feof %d\n", feof(f) != 0);
	fclose(f);

	f = fopen(wt_path("w_plus.txt"), "w+");
	fprintf(f, "%s %d %.3f", "w+", 77, 2.5);
	rewind(f);
	WT_CHECK(fgets(line, sizeof(line), f));
	printf("w+ read back [%s]\n", line);
	fclose(f);

	errno = 0;
	f = fopen(wt_path("missing/file.txt"), "r");
	printf("fopen missing: %s %s\n", f ? "opened" : "NULL", wt_errname(errno));
	errno = 0;
	f = fopen(wt_path("nothere.txt"), "r");
	printf("fopen nothere: %s %s\n", f ? "opened" : "NULL", wt_errname(errno));
	f = fopen(wt_path("lines.txt"), "r");
	c = fputs("x", f);
	printf("fputs on read stream: %d ferror %d\n", c == EOF, ferror(f) != 0);
	fclose(f);
	return 0;
}
