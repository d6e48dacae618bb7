/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ballast world: C face, for a C kernel-API shim that runs the unmodified
 * upstream driver against the same World as the C++ core.
 *
 * Plain C; includes only ballast_env.h and world_page.h (no libc), so it can
 * be included from code built with the shim's include path.
 * `struct ballast_world` is opaque here; it is a world::World in C++
 * (ballast_world_from / ballast_world_of in world_c_cxx.h).
 *
 * ballast_world_<name>(w, ...) has the contract function's semantics,
 * `ballast_env_<name>(...)` of core/ballast_env.h, with the World first.
 */
#ifndef BALLAST_WORLD_C_H
#define BALLAST_WORLD_C_H

#include "ballast_env.h"
#include "world_page.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ballast_world;

#define BALLAST_WORLD_HZ 250UL

/* -- pages and the guest allocator -- */
struct ballast_page *ballast_world_alloc_page(struct ballast_world *w, enum ballast_gfp gfp);
void ballast_world_free_reserved_page(struct ballast_world *w, struct ballast_page *page);
void ballast_world_adjust_managed_page_count(struct ballast_world *w, struct ballast_page *page,
					     long delta);
void ballast_world_set_page_offline(struct ballast_world *w, struct ballast_page *page);
void ballast_world_clear_page_offline(struct ballast_world *w, struct ballast_page *page);
int ballast_world_page_is_highmem(struct ballast_world *w, struct ballast_page *page);
unsigned long ballast_world_page_to_pfn(struct ballast_world *w, struct ballast_page *page);
struct ballast_page *ballast_world_pfn_to_page(struct ballast_world *w, unsigned long pfn);
struct ballast_list *ballast_world_page_lru(struct ballast_world *w, struct ballast_page *page);
struct ballast_page *ballast_world_lru_to_page(struct ballast_world *w, struct ballast_list *node);
void ballast_world_scrub_page(struct ballast_world *w, struct ballast_page *page);
long ballast_world_mem_available(struct ballast_world *w);
unsigned long ballast_world_totalreserve_pages(struct ballast_world *w);

/* -- the hypervisor -- */
/* HYPERVISOR_memory_op: arg is a struct xen_memory_reservation* (layout of
 * Xen's public memory.h) or a domid_t* for current/maximum_reservation. */
long ballast_world_memory_op(struct ballast_world *w, unsigned int cmd, void *arg);
ballast_pfn_t ballast_world_page_to_xen_pfn(struct ballast_world *w, struct ballast_page *page);
ballast_pfn_t ballast_world_page_to_gfn(struct ballast_world *w, struct ballast_page *page);
int ballast_world_reservation_increase(struct ballast_world *w, int count, ballast_pfn_t *frames);
int ballast_world_reservation_decrease(struct ballast_world *w, int count, ballast_pfn_t *frames);
void ballast_world_va_mapping_update(struct ballast_world *w, struct ballast_page *page,
				     ballast_pfn_t frame);
void ballast_world_va_mapping_reset(struct ballast_world *w, struct ballast_page *page);
void ballast_world_kmap_flush_unused(struct ballast_world *w);
void ballast_world_flush_tlb_all(struct ballast_world *w);
int ballast_world_auto_translated_physmap(struct ballast_world *w);
int ballast_world_alloc_p2m_entry(struct ballast_world *w, unsigned long pfn);
/* PV p2m (set_phys_to_machine / __pfn_to_mfn); always succeeds. */
void ballast_world_set_p2m(struct ballast_world *w, unsigned long pfn, unsigned long mfn);
unsigned long ballast_world_get_p2m(struct ballast_world *w, unsigned long pfn);

/* -- memory hotplug -- */
unsigned long ballast_world_pages_per_section(struct ballast_world *w);
int ballast_world_allocate_resource(struct ballast_world *w, unsigned long long size,
				    unsigned long long align, struct ballast_resource *res);
void ballast_world_release_resource(struct ballast_world *w, struct ballast_resource *res);
unsigned long ballast_world_addressable_pfn_limit(struct ballast_world *w);
int ballast_world_memory_add_physaddr_to_nid(struct ballast_world *w, unsigned long long addr);
int ballast_world_set_phys_to_machine_invalid(struct ballast_world *w, unsigned long pfn);
int ballast_world_add_memory_resource(struct ballast_world *w, int nid,
				      struct ballast_resource *res);
void ballast_world_set_online_page_callback(struct ballast_world *w,
					    void (*fn)(void *ctx, struct ballast_page *page,
						       unsigned int order),
					    void *ctx);
void ballast_world_set_memory_notifier(struct ballast_world *w,
				       int (*fn)(void *ctx, unsigned long action), void *ctx);
unsigned long ballast_world_online_pending(struct ballast_world *w);

/* -- locking, waiting, scheduling, reporting -- */
void ballast_world_lock(struct ballast_world *w);
void ballast_world_unlock(struct ballast_world *w);
void ballast_world_wake_page_waiters(struct ballast_world *w);
int ballast_world_wait_pages(struct ballast_world *w, int (*cond)(void *), void *arg,
			     int interruptible, unsigned long timeout_secs);
void ballast_world_schedule_work(struct ballast_world *w, unsigned long delay_secs, int modify);
void ballast_world_wake_worker(struct ballast_world *w);
void ballast_world_cond_resched(struct ballast_world *w);
void ballast_world_event(struct ballast_world *w, enum ballast_event ev, long a, long b);

/* -- clock -- */
unsigned long long ballast_world_jiffies(struct ballast_world *w);
void ballast_world_set_work(struct ballast_world *w, void (*fn)(void *ctx), void *ctx);
int ballast_world_work_pending(struct ballast_world *w);
void ballast_world_cancel_work(struct ballast_world *w);
void ballast_world_start_kthread(struct ballast_world *w,
				 void (*prepare)(void *ctx, unsigned long *timeout_secs,
						 long *credit_snapshot),
				 int (*cond)(void *ctx, long credit_snapshot),
				 void (*step)(void *ctx), void *ctx);
void ballast_world_stop_kthread(struct ballast_world *w);
/* 0: ok, 1: hang (too many callbacks without virtual time passing) */
int ballast_world_run_until(struct ballast_world *w, unsigned long long jiffies);
int ballast_world_advance(struct ballast_world *w, unsigned long secs);

#ifdef __cplusplus
}
#endif

#endif /* BALLAST_WORLD_C_H */
