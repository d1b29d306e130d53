/* SPDX-License-Identifier: MIT */
/* String and memory functions, number parsing and sscanf. */
#include <ctype.h>
#include <limits.h>
#include <strings.h>
#include "wt.h"

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

int main(int argc, char **argv)
{
	char buf[256], *save, *tok, *end, *dup;
	static const char *nums[] = {"0",
				     "-17",
				     "  +42xyz",
				     "0x1F",
				     "077",
				     "9223372036854775807",
				     "9223372036854775808",
				     "-9223372036854775809",
				     "abc",
				     "",
				     "1e5",
				     "  -0"};
	long long ll;
	unsigned long long ull;
	double d;
	int i, n, a, b;
	char w[32];

	wt_init(argc, argv);
	printf("strlen %zu %zu\n", strlen(""), strlen("hello, world"));
	printf("strcmp %d %d %d %d\n", sign(strcmp("abc", "abd")), sign(strcmp("b", "a")),
	       strcmp("same", "same"), sign(strcmp("\xff", "a")));
	printf("strncmp %d memcmp %d strcasecmp %d strncasecmp %d\n", strncmp("abcX", "abcY", 3),
	       sign(memcmp("\x80", "\x7f", 1)), strcasecmp("HeLLo", "hello"),
	       sign(strncasecmp("ab", "AC", 2)));
	printf("strchr %s strrchr %s strstr %s strstr-miss %s\n", strchr("a.b.c", '.'),
	       strrchr("a.b.c", '.'), strstr("haystack needle hay", "needle"),
	       strstr("abc", "abd") ? "found" : "NULL");
	printf("strspn %zu strcspn %zu strpbrk %s\n", strspn("aabbcxa", "ab"),
	       strcspn("hello world", " o"), strpbrk("hello", "lo"));
	strcpy(buf, "one,two,,three;four");
	for (tok = strtok_r(buf, ",;", &save); tok; tok = strtok_r(NULL, ",;", &save))
		printf("tok [%s]\n", tok);
	strcpy(buf, "0123456789");
	memmove(buf + 2, buf, 6);
	printf("memmove up %s\n", buf);
	memmove(buf, buf + 3, 5);
	printf("memmove down %s\n", buf);
	memset(buf, 'z', 5);
	buf[5] = 0;
	strcat(buf, "-tail");
	/* argc + 1 == 3, hidden from the truncation warning. */
	strncat(buf, nums[5], (size_t)argc + 1);
	printf("memset+strcat %s\n", buf);
	dup = strndup("truncate me", 8);
	printf("strndup [%s]\n", dup);
	free(dup);
	dup = strdup("Mixed Case 123!");
	for (i = 0; dup[i]; i++)
		dup[i] = (char)(isupper((unsigned char)dup[i]) ? tolower((unsigned char)dup[i])
							       : toupper((unsigned char)dup[i]));
	printf("swapcase [%s] isdigit %d isspace %d isalpha %d\n", dup, !!isdigit('7'),
	       !!isspace('\t'), !!isalpha('_'));
	free(dup);
	for (i = 0; i < (int)(sizeof(nums) / sizeof(nums[0])); i++) {
		errno = 0;
		ll = strtoll(nums[i], &end, 0);
		/* Only ERANGE: musl also sets EINVAL when nothing parses. */
		printf("strtoll [%s] = %lld rest [%s] %s\n", nums[i], ll, end,
		       errno == ERANGE ? "ERANGE" : "-");
	}
	errno = 0;
	ull = strtoull("18446744073709551615", &end, 10);
	printf("strtoull max %llu %s\n", ull, wt_errname(errno));
	errno = 0;
	ull = strtoull("ff", &end, 16);
	printf("strtoull hex %llu, base 36 %lld, base 2 %lld\n", ull, strtoll("zz", NULL, 36),
	       strtoll("101101", NULL, 2));
	errno = 0;
	d = strtod("1e400", &end);
	printf("strtod overflow %g %s\n", d, wt_errname(errno));
	d = strtod("  -12.5e-1rest", &end);
	printf("strtod %.17g rest [%s]\n", d, end);
	d = strtod("0x1.8p3", &end);
	printf("strtod hex %g, inf %g, nan %d\n", d, strtod("-inf", NULL),
	       strtod("nan", NULL) != strtod("nan", NULL));
	printf("atoi %d atoll %lld\n", atoi(" 123abc"), atoll("-99999999999"));
	n = sscanf("key=42 value=-7 word rest", "key=%d value=%d %31s", &a, &b, w);
	printf("sscanf %d: %d %d [%s]\n", n, a, b, w);
	n = sscanf("3.25 0x10 077", "%lf %i %i", &d, &a, &b);
	printf("sscanf %d: %g %d %d\n", n, d, a, b);
	n = sscanf("", "%d", &a);
	printf("sscanf empty: %d\n", n);
	n = snprintf(buf, sizeof(buf), "%s|%5.2f|%-4d|%c", "mix", 3.14159, 7, 'Q');
	printf("snprintf %d [%s]\n", n, buf);
	printf("INT_MAX+1 unsigned %u, LLONG_MIN %lld\n", (unsigned)INT_MAX + 1u, LLONG_MIN);
	return 0;
}
