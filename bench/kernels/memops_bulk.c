/* SPDX-License-Identifier: MIT */
/*
 * Kernel "memops_bulk": the memops kernel unchanged, but its wasm builds use
 * -mbulk-memory, so that clang turns memcpy/memmove/memset into the Wasm 2.0
 * instructions memory.copy and memory.fill (newer clang does so by default).
 * It shows what an engine's bulk-memory instructions save over interpreting
 * wasi-libc's C loops; it is not part of the geometric means.
 */
#include "memops.c"
