/* SPDX-License-Identifier: MIT */
/*
 * Values of the spec-test JSON (as written by wast2json): parsing arguments
 * and expected results, comparing results, and printing both.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

static const struct {
	const char *name;
	uint8_t type;
} valtypes[] = {
	{ "i32", WB_I32 },
	{ "i64", WB_I64 },
	{ "f32", WB_F32 },
	{ "f64", WB_F64 },
	{ "v128", WB_V128 },
	{ "funcref", WB_FUNCREF },
	{ "externref", WB_EXTERNREF },
};

const char *spec_valtype__str(uint8_t type)
{
	size_t i;

	for (i = 0; i < sizeof(valtypes) / sizeof(valtypes[0]); i++)
		if (valtypes[i].type == type)
			return valtypes[i].name;
	return "?";
}

static int valtype_from_str(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(valtypes) / sizeof(valtypes[0]); i++)
		if (!strcmp(valtypes[i].name, s))
			return valtypes[i].type;
	return -1;
}

/*
 * wast2json writes every number as a decimal string: integers unsigned (two's
 * complement), floats as their bit pattern. A leading '-' is accepted anyway.
 */
static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	uint64_t v;

	if (!*s)
		return false;
	errno = 0;
	if (*s == '-') {
		int64_t sv = strtoll(s, &end, 10);

		v = (uint64_t)sv & max;
	} else {
		v = strtoull(s, &end, 10);
		if (v > max)
			return false;
	}
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

enum spec_parse spec_value__parse(struct json_object *obj, bool as_arg,
				  struct spec_value *out, const char **why)
{
	struct json_object *jtype, *jval;
	const char *s;
	uint64_t v;
	int type;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (!json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, "type", &jtype)) {
		*why = "value without a type";
		return SPEC_PARSE_BAD;
	}
	type = valtype_from_str(json_object_get_string(jtype));
	if (type < 0) {
		*why = "unknown value type";
		return SPEC_PARSE_BAD;
	}
	out->type = (uint8_t)type;
	out->match = SPEC_EXACT;
	if (type == WB_V128) {
		*why = "v128 values are not supported";
		return SPEC_PARSE_UNSUPPORTED;
	}
	if (!json_object_object_get_ex(obj, "value", &jval)) {
		/* (ref.func) or (ref.extern) without an index: any non-null reference. */
		if ((type == WB_FUNCREF || type == WB_EXTERNREF) && !as_arg) {
			out->match = SPEC_NONNULL;
			return SPEC_PARSE_OK;
		}
		*why = "value missing";
		return SPEC_PARSE_BAD;
	}
	if (!json_object_is_type(jval, json_type_string)) {
		*why = "value is not a string";
		return SPEC_PARSE_BAD;
	}
	s = json_object_get_string(jval);

	switch (type) {
	case WB_I32:
		if (!parse_u64(s, UINT32_MAX, &v))
			break;
		out->val.i32 = (uint32_t)v;
		return SPEC_PARSE_OK;
	case WB_I64:
		if (!parse_u64(s, UINT64_MAX, &v))
			break;
		out->val.i64 = v;
		return SPEC_PARSE_OK;
	case WB_F32:
	case WB_F64:
		if (!as_arg && !strcmp(s, "nan:canonical")) {
			out->match = SPEC_NAN_CANONICAL;
			return SPEC_PARSE_OK;
		}
		if (!as_arg && !strcmp(s, "nan:arithmetic")) {
			out->match = SPEC_NAN_ARITHMETIC;
			return SPEC_PARSE_OK;
		}
		if (!parse_u64(s, type == WB_F32 ? UINT32_MAX : UINT64_MAX, &v))
			break;
		/* Floats travel as bits: never through a C float, which could quiet a NaN. */
		if (type == WB_F32)
			out->val.i32 = (uint32_t)v;
		else
			out->val.i64 = v;
		return SPEC_PARSE_OK;
	case WB_FUNCREF:
	case WB_EXTERNREF:
		if (!strcmp(s, "null")) {
			out->match = as_arg ? SPEC_EXACT : SPEC_NULL;
			out->val.ref = NULL;
			return SPEC_PARSE_OK;
		}
		if (!parse_u64(s, UINTPTR_MAX - 1, &v))
			break;
		if (type == WB_FUNCREF) {
			/* A host cannot name a function by number; as a result
			 * only null versus non-null is checked. */
			if (as_arg) {
				*why = "funcref arguments other than null are not supported";
				return SPEC_PARSE_UNSUPPORTED;
			}
			out->match = SPEC_NONNULL;
			return SPEC_PARSE_OK;
		}
		/* externref N is the host pointer N + 1, so that ref.extern 0 is not null. */
		out->val.ref = (void *)(uintptr_t)(v + 1);
		return SPEC_PARSE_OK;
	}
	*why = "bad number";
	return SPEC_PARSE_BAD;
}

static bool f32_is_nan(uint32_t bits)
{
	return (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu);
}

static bool f64_is_nan(uint64_t bits)
{
	return (bits & 0x7ff0000000000000ull) == 0x7ff0000000000000ull &&
	       (bits & 0x000fffffffffffffull);
}

bool spec_value__matches(const struct spec_value *exp, uint8_t got_type, wb_value got)
{
	if (exp->type != got_type)
		return false;

	switch (exp->match) {
	case SPEC_NAN_CANONICAL:
		if (got_type == WB_F32)
			return (got.i32 & 0x7fffffffu) == 0x7fc00000u;
		return (got.i64 & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
	case SPEC_NAN_ARITHMETIC:
		if (got_type == WB_F32)
			return (got.i32 & 0x7fc00000u) == 0x7fc00000u;
		return (got.i64 & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
	case SPEC_NULL:
		return got.ref == NULL;
	case SPEC_NONNULL:
		return got.ref != NULL;
	case SPEC_EXACT:
		break;
	}

	switch (got_type) {
	case WB_I32:
	case WB_F32:
		return exp->val.i32 == got.i32;
	case WB_I64:
	case WB_F64:
		return exp->val.i64 == got.i64;
	case WB_FUNCREF:
	case WB_EXTERNREF:
		return exp->val.ref == got.ref;
	}
	return false;
}

const char *spec_value__format(uint8_t type, wb_value val, char *buf, size_t buf_sz)
{
	const char *t = spec_valtype__str(type);
	union {
		uint32_t u;
		float f;
	} f32;
	union {
		uint64_t u;
		double f;
	} f64;

	switch (type) {
	case WB_I32:
		snprintf(buf, buf_sz, "%s:%" PRIu32 " (0x%" PRIx32 ")", t, val.i32, val.i32);
		break;
	case WB_I64:
		snprintf(buf, buf_sz, "%s:%" PRIu64 " (0x%" PRIx64 ")", t, val.i64, val.i64);
		break;
	case WB_F32:
		f32.u = val.i32;
		snprintf(buf, buf_sz, "%s:0x%08" PRIx32 " (%s%.9g)", t, val.i32,
			 f32_is_nan(val.i32) ? "nan " : "", (double)f32.f);
		break;
	case WB_F64:
		f64.u = val.i64;
		snprintf(buf, buf_sz, "%s:0x%016" PRIx64 " (%s%.17g)", t, val.i64,
			 f64_is_nan(val.i64) ? "nan " : "", f64.f);
		break;
	case WB_EXTERNREF:
		if (val.ref)
			snprintf(buf, buf_sz, "%s:%ju", t, (uintmax_t)((uintptr_t)val.ref - 1));
		else
			snprintf(buf, buf_sz, "%s:null", t);
		break;
	case WB_FUNCREF:
		snprintf(buf, buf_sz, "%s:%s", t, val.ref ? "non-null" : "null");
		break;
	default:
		snprintf(buf, buf_sz, "%s(0x%02x):0x%" PRIx64, t, type, val.i64);
		break;
	}
	return buf;
}

const char *spec_value__format_expected(const struct spec_value *exp, char *buf, size_t buf_sz)
{
	const char *t = spec_valtype__str(exp->type);

	switch (exp->match) {
	case SPEC_NAN_CANONICAL:
		snprintf(buf, buf_sz, "%s:nan:canonical", t);
		return buf;
	case SPEC_NAN_ARITHMETIC:
		snprintf(buf, buf_sz, "%s:nan:arithmetic", t);
		return buf;
	case SPEC_NULL:
		snprintf(buf, buf_sz, "%s:null", t);
		return buf;
	case SPEC_NONNULL:
		snprintf(buf, buf_sz, "%s:non-null", t);
		return buf;
	case SPEC_EXACT:
		break;
	}
	return spec_value__format(exp->type, exp->val, buf, buf_sz);
}
