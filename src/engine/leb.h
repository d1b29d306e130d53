/* SPDX-License-Identifier: MIT */
/*
 * A bounded byte reader for the WebAssembly binary format: bytes, LEB128
 * integers with the spec's overlong/overflow rules, raw float bits and
 * UTF-8-checked names. Shared by the decoder and the validator.
 *
 * Every reader function returns 0 on success or -1 on failure, in which case
 * r->msg holds the spec's wording of the problem and r->err_pos the byte it
 * concerns. The reader never reads at or past r->end.
 */
#ifndef WB_ENGINE_LEB_H
#define WB_ENGINE_LEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define WB_MSG_UNEXPECTED_END "unexpected end of section or function"
#define WB_MSG_TOO_LONG "integer representation too long"
#define WB_MSG_TOO_LARGE "integer too large"
#define WB_MSG_LENGTH "length out of bounds"
#define WB_MSG_UTF8 "malformed UTF-8 encoding"

struct wb_reader {
	const uint8_t *base; /* start of the module: offsets are relative to it */
	const uint8_t *pos;
	const uint8_t *end;
	const char *msg;	/* static message of the last failure */
	const uint8_t *err_pos; /* where the last failure was detected */
};

static inline void wb_reader__init(struct wb_reader *r, const uint8_t *base, const uint8_t *pos,
				   const uint8_t *end)
{
	r->base = base;
	r->pos = pos;
	r->end = end;
	r->msg = NULL;
	r->err_pos = pos;
}

static inline size_t wb_reader__offset(const struct wb_reader *r)
{
	return (size_t)(r->pos - r->base);
}

static inline size_t wb_reader__left(const struct wb_reader *r)
{
	return r->pos < r->end ? (size_t)(r->end - r->pos) : 0;
}

static inline bool wb_reader__eof(const struct wb_reader *r)
{
	return r->pos >= r->end;
}

static inline int wb_reader__fail(struct wb_reader *r, const uint8_t *at, const char *msg)
{
	r->msg = msg;
	r->err_pos = at;
	return -1;
}

static inline int wb_reader__u8(struct wb_reader *r, uint8_t *out)
{
	if (r->pos >= r->end)
		return wb_reader__fail(r, r->pos, WB_MSG_UNEXPECTED_END);
	*out = *r->pos++;
	return 0;
}

/* Peek the next byte without consuming it; -1 at the end. */
static inline int wb_reader__peek(const struct wb_reader *r)
{
	return r->pos < r->end ? *r->pos : -1;
}

/*
 * Unsigned LEB128 of at most `bits` bits (1..64). Each byte may carry 7 bits;
 * the last allowed byte must not set bits beyond `bits` ("integer too
 * large") and must not continue ("integer representation too long").
 */
static inline int wb_reader__uN(struct wb_reader *r, int bits, uint64_t *out)
{
	uint64_t val = 0;
	int shift = 0;
	int n = bits;

	for (;;) {
		uint8_t b;

		if (n <= 0)
			return wb_reader__fail(r, r->pos, WB_MSG_TOO_LONG);
		if (wb_reader__u8(r, &b))
			return -1;
		if (n < 7 && (b & 0x7f) >= (1u << n))
			return wb_reader__fail(r, r->pos - 1, WB_MSG_TOO_LARGE);
		val |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			break;
		shift += 7;
		n -= 7;
	}
	*out = val;
	return 0;
}

static inline int wb_reader__u32(struct wb_reader *r, uint32_t *out)
{
	uint64_t v;

	/* Fast path: one-byte values are by far the most common. */
	if (r->pos < r->end && *r->pos < 0x80) {
		*out = *r->pos++;
		return 0;
	}
	if (wb_reader__uN(r, 32, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/*
 * Signed LEB128 of at most `bits` bits (1..64). In the last allowed byte the
 * bits beyond `bits` must all equal the sign bit.
 */
static inline int wb_reader__sN(struct wb_reader *r, int bits, int64_t *out)
{
	uint64_t val = 0;
	int shift = 0;
	int n = bits;

	for (;;) {
		uint8_t b;

		if (n <= 0)
			return wb_reader__fail(r, r->pos, WB_MSG_TOO_LONG);
		if (wb_reader__u8(r, &b))
			return -1;
		if (n < 7) {
			uint8_t mask = (uint8_t)((0xff << (n - 1)) & 0x7f);

			if ((b & mask) != 0 && (b & mask) != mask)
				return wb_reader__fail(r, r->pos - 1, WB_MSG_TOO_LARGE);
		}
		val |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			if (shift < 64 && (b & 0x40))
				val |= ~(uint64_t)0 << shift;
			break;
		}
		n -= 7;
	}
	*out = (int64_t)val;
	return 0;
}

static inline int wb_reader__s32(struct wb_reader *r, int32_t *out)
{
	int64_t v;

	if (wb_reader__sN(r, 32, &v))
		return -1;
	*out = (int32_t)v;
	return 0;
}

static inline int wb_reader__s33(struct wb_reader *r, int64_t *out)
{
	return wb_reader__sN(r, 33, out);
}

static inline int wb_reader__s64(struct wb_reader *r, int64_t *out)
{
	return wb_reader__sN(r, 64, out);
}

/* Raw little-endian bits of an f32 / f64. */
static inline int wb_reader__f32(struct wb_reader *r, uint32_t *bits)
{
	if (wb_reader__left(r) < 4) {
		r->pos = r->end;
		return wb_reader__fail(r, r->end, WB_MSG_UNEXPECTED_END);
	}
	*bits = (uint32_t)r->pos[0] | (uint32_t)r->pos[1] << 8 | (uint32_t)r->pos[2] << 16 |
		(uint32_t)r->pos[3] << 24;
	r->pos += 4;
	return 0;
}

static inline int wb_reader__f64(struct wb_reader *r, uint64_t *bits)
{
	uint64_t v = 0;
	int i;

	if (wb_reader__left(r) < 8) {
		r->pos = r->end;
		return wb_reader__fail(r, r->end, WB_MSG_UNEXPECTED_END);
	}
	for (i = 7; i >= 0; i--)
		v = v << 8 | r->pos[i];
	r->pos += 8;
	*bits = v;
	return 0;
}

/*
 * A u32 length or count. Like the reference decoder, it must not exceed the
 * bytes left counted from the start of the length itself.
 */
static inline int wb_reader__len(struct wb_reader *r, uint32_t *out)
{
	const uint8_t *at = r->pos;

	if (wb_reader__u32(r, out))
		return -1;
	if (*out > (size_t)(r->end - at))
		return wb_reader__fail(r, at, WB_MSG_LENGTH);
	return 0;
}

/* Consume n bytes, returning a pointer to them. */
static inline int wb_reader__bytes(struct wb_reader *r, uint32_t n, const uint8_t **out)
{
	if (n > wb_reader__left(r)) {
		r->pos = r->end;
		return wb_reader__fail(r, r->end, WB_MSG_UNEXPECTED_END);
	}
	*out = r->pos;
	r->pos += n;
	return 0;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static inline bool wb_utf8_valid(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t c = s[i];
		uint32_t cp;
		size_t n, k;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i - 1 < n)
			return false;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000))
			return false;
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

/* A name: u32 length, then that many bytes of valid UTF-8. */
static inline int wb_reader__name(struct wb_reader *r, const uint8_t **str, uint32_t *len)
{
	const uint8_t *at = r->pos;

	if (wb_reader__len(r, len) || wb_reader__bytes(r, *len, str))
		return -1;
	if (!wb_utf8_valid(*str, *len))
		return wb_reader__fail(r, at, WB_MSG_UTF8);
	return 0;
}

#endif /* WB_ENGINE_LEB_H */
