/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ballast diff: what the kernel side of the shim (kernel/, kernel types, no
 * libc) asks of the host side (runtime_host.cpp, libc and the C++ world's
 * Xen ABI structs): memory, printing, protected calls (setjmp/longjmp),
 * fibers, and the world itself. Valid C and C++; includes only libc-free
 * headers.
 */
#ifndef BALLAST_SHIM_HOST_H
#define BALLAST_SHIM_HOST_H

#include "ballast_env.h"
#include "world_page.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- memory and printing */
void *bshim_host_zalloc(unsigned long size);
void bshim_host_free(void *p);
void bshim_host_vlog(int level, const char *fmt, __builtin_va_list ap);

/* ---- protected calls: a task that dies (BUG, hang) longjmps out */
typedef void (*bshim_fn)(void *arg);
/* Runs fn(arg) on the current stack; 0 if it returned, 1 if it was aborted. */
int bshim_host_protect(bshim_fn fn, void *arg);
/* Unwinds to the innermost bshim_host_protect of the current stack. */
void bshim_host_abort(void) __attribute__((noreturn));

/* ---- fibers (x86-64 context switch, ASan-annotated) */
struct bshim_fiber;
struct bshim_fiber *bshim_fiber_new(void);
void bshim_fiber_delete(struct bshim_fiber *f);
/* Arms f to run fn(arg) (protected) on its own stack at the next resume. */
void bshim_fiber_arm(struct bshim_fiber *f, bshim_fn fn, void *arg);
/* Runs f until it yields or ends; returns 1 if it has ended (returned or died). */
int bshim_fiber_resume(struct bshim_fiber *f);
/* From inside a fiber: back to whoever resumed it. */
void bshim_fiber_yield(void);
int bshim_in_fiber(void);

/* ---- the world (world/world_c.h has the rest) */
struct ballast_world;
/* World::frame(pfn) without recording a fault; NULL if there is no frame. */
struct ballast_page *bshim_host_frame_quiet(struct ballast_world *w, unsigned long pfn);
/* drivers/xen/mem-reservation.c: HYPERVISOR_memory_op(cmd, &reservation) with
 * Xen's real struct xen_memory_reservation (extent_order 0, DOMID_SELF). */
int bshim_host_reservation(struct ballast_world *w, unsigned int cmd, int count,
			   unsigned long *frames);
/* HYPERVISOR_memory_op(cmd, &domid): XENMEM_current_reservation, _maximum_reservation. */
long bshim_host_memory_op_domid(struct ballast_world *w, unsigned int cmd, unsigned short domid);

#ifdef __cplusplus
}
#endif

#endif /* BALLAST_SHIM_HOST_H */
