/* SPDX-License-Identifier: MIT */
/*
 * Interface between the module-level validator (validate.c) and the
 * function-body validator (validate_code.c). Engine-private.
 */
#ifndef WB_ENGINE_VALIDATE_H
#define WB_ENGINE_VALIDATE_H

#include <stdbool.h>

#include "module.h"

/*
 * Validation state shared by both halves. The first validation error is
 * recorded in err and `failed` is set; checking goes on in a decode-only mode
 * so that a malformed function body (which the spec reports in preference to
 * any validation error) still replaces it.
 */
struct wb_vstate {
	const struct wb_module *m;
	struct wb_error *err;
	bool failed;
};

/* Record a validation error (only the first one is kept); fmt fills the
 * error's detail. */
void wb_vstate__invalid(struct wb_vstate *vs, const char *msg, int section, int64_t func_idx,
			size_t offset, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/*
 * Validate (or, once vs->failed, only decode) every function body.
 * Returns 0 (vs->failed tells whether a validation error was recorded),
 * -EINVAL for a malformed body (err overwritten) or -ENOMEM.
 */
int wb_validate_code(struct wb_vstate *vs);

/*
 * Decode (without validating) the first cnt function bodies, as the reference
 * decoder does while it reads the code section. The decoder calls this when
 * it fails after the code section, because a malformed body comes first in
 * the spec's order. Returns -EINVAL with err set for a malformed body, else 0.
 */
int wb_scan_bodies(const struct wb_module *m, uint32_t cnt, struct wb_error *err);

#endif /* WB_ENGINE_VALIDATE_H */
