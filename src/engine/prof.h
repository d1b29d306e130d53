/* SPDX-License-Identifier: MIT */
/* Engine-private: the instruction profile (prof.c; only with -DWB_PROFILE_OPS). */
#ifndef WB_ENGINE_PROF_H
#define WB_ENGINE_PROF_H

void wb_prof__hit(const void *handler);

#endif /* WB_ENGINE_PROF_H */
