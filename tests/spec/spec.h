/* SPDX-License-Identifier: MIT */
/*
 * Shared declarations of the spec-test runner: value parsing and matching
 * (values.c) and the "spectest" host module (spectest.c).
 */
#ifndef WB_TESTS_SPEC_H
#define WB_TESTS_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>
#include <wasm-bpf/engine.h>

/* How an expected value is compared with the value that came. */
enum spec_match {
	SPEC_EXACT,		/* same bits (numbers) or same reference */
	SPEC_NAN_CANONICAL,	/* "nan:canonical": the canonical NaN, either sign */
	SPEC_NAN_ARITHMETIC,	/* "nan:arithmetic": any NaN with the quiet bit set */
	SPEC_NULL,		/* a null reference */
	SPEC_NONNULL,		/* any non-null reference (funcref N, or no value) */
};

/* One value of a JSON command: an argument, or an expected result. */
struct spec_value {
	uint8_t type;		/* enum wb_valtype */
	enum spec_match match;
	wb_value val;
};

/* What spec_value__parse() made of a JSON value. */
enum spec_parse {
	SPEC_PARSE_OK = 0,
	SPEC_PARSE_UNSUPPORTED,	/* well-formed but not representable (v128, a funcref
				 * number as an argument) */
	SPEC_PARSE_BAD,		/* not a value the runner understands */
};

/*
 * Parse one {"type": ..., "value": ...} object. as_arg selects the argument
 * meaning (externref N becomes the host pointer N + 1; a funcref number is
 * unsupported) over the expected-result meaning. *why names the problem
 * when the result is not SPEC_PARSE_OK.
 */
enum spec_parse spec_value__parse(struct json_object *obj, bool as_arg,
				  struct spec_value *out, const char **why);

/* Does the value got of type got_type satisfy exp? */
bool spec_value__matches(const struct spec_value *exp, uint8_t got_type, wb_value got);

/* "i32:42", "f32:0x3f800000 (1)", "externref:3", "funcref:null", ... into buf. */
const char *spec_value__format(uint8_t type, wb_value val, char *buf, size_t buf_sz);
/* The same for an expected value ("f64:nan:canonical", "funcref:non-null"). */
const char *spec_value__format_expected(const struct spec_value *exp, char *buf, size_t buf_sz);
/* "i32", "f64", "externref", ... or "?". */
const char *spec_valtype__str(uint8_t type);

/*
 * Define the "spectest" host module in linker, creating its functions,
 * globals, table and memory in store. The print functions write their
 * arguments to log when log is not NULL. Returns 0 or a negative errno.
 */
int spectest__define(struct wb_linker *linker, struct wb_store *store, FILE *log);

#endif /* WB_TESTS_SPEC_H */
