/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ballast diff: the shim runtime's face to the harness (upstream_subject.cpp).
 * One bshim_ctx drives one upstream driver variant in one world::World. Every
 * call binds its ctx, runs the driver as a protected task (a task that hits
 * BUG, panic or a hang is aborted and reported, never the process) and
 * returns. Valid C and C++; no libc.
 */
#ifndef BALLAST_SHIM_API_H
#define BALLAST_SHIM_API_H

#include "ballast_env.h"
#include "upstream_ops.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bshim_ctx;
struct ballast_world; /* world/world_c.h */

struct bshim_ctx *bshim_ctx_new(void);
void bshim_ctx_delete(struct bshim_ctx *ctx);
/* A fresh boot of `ops` in world `w` (world_c.h): forget the previous
 * run (mem_map, allocations, tasks), re-initialise the driver's statics. */
void bshim_ctx_start(struct bshim_ctx *ctx, struct ballast_world *w,
		     const struct ballast_boot_info *boot, const struct bup_ops *ops);

/* Return codes of aborted calls. */
#define BSHIM_ABORTED_RC (-12) /* -ENOMEM, as the core's dead/hung lending paths */

int bshim_call_init(struct bshim_ctx *ctx);
/* 0; -ENODEV; -ENOSYS for the seed; BSHIM_PANICKED after panic(); -EDEADLK on a world hang */
#define BSHIM_PANICKED (-1000)
int bshim_call_wait_finish(struct bshim_ctx *ctx);
void bshim_call_set_target(struct bshim_ctx *ctx, unsigned long target);
int bshim_call_alloc(struct bshim_ctx *ctx, int nr_pages, struct ballast_page **pages);
void bshim_call_free(struct bshim_ctx *ctx, int nr_pages, struct ballast_page **pages);
/* Write the sysctl xen.balloon.<name>; 0, -ENOENT (not registered), -EINVAL (out of range). */
int bshim_sysctl_write(struct bshim_ctx *ctx, const char *name, int value);
/* sysfs store into balloon_stats (device_store_ulong): field index 0..9. */
void bshim_stats_store(struct bshim_ctx *ctx, unsigned field, unsigned long value);
void bshim_stats(struct bshim_ctx *ctx, unsigned long out[10]);
/* Calls fn(arg, pfn) for each ballooned page, head to tail (at most `limit`). */
void bshim_walk_balloon(struct bshim_ctx *ctx, void (*fn)(void *arg, unsigned long pfn), void *arg,
			unsigned long limit);
int bshim_dead(struct bshim_ctx *ctx);
/* The 6.1 thread: 0 none, 1 alive, 2 died (BUG), 3 blocked forever on the mutex. */
int bshim_thread_status(struct bshim_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif /* BALLAST_SHIM_API_H */
