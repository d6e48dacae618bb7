// SPDX-License-Identifier: GPL-2.0
/*
 * ballast.ko: the environment of the core (core/ballast_env.h) over the Linux
 * kernel. Every function here is thin: the policy lives in the core.
 */
#define pr_fmt(fmt) "ballast: " fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/memory.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/sched.h>
#include <linux/build_bug.h>
#include <linux/ktime.h>

#include "ballast_glue.h"

/* The core's types must be the kernel's (ballast_pfn_t: ballast_xen.c). */
static_assert(sizeof(struct ballast_list) == sizeof(struct list_head));
static_assert(offsetof(struct ballast_list, next) == offsetof(struct list_head, next));
static_assert(offsetof(struct ballast_list, prev) == offsetof(struct list_head, prev));
/*
 * No memory notifier is registered (hotplugged pages reach the core through
 * the online-page callback, ballast_hotplug.c): the core's BALLAST_MEM_ONLINE
 * comes from the selftest only. A notifier would translate: MEM_ONLINE is
 * (1 << 0) in 6.1 and the first value of enum memory_block_state (0) in
 * Debian's 6.12.
 */

const struct ballast_hv_ops *ballast_hv = &ballast_xen_hv;
struct ballast_st_env *ballast_st;

static DEFINE_MUTEX(ballast_mutex);
static DECLARE_WAIT_QUEUE_HEAD(ballast_page_wq);

/*
 * The worker. The core is written for the work-item model (balloon_process()
 * of the seed: one bounded pass per call, the core itself asks for a re-run
 * with a delay through ballast_env_schedule_work()), so a delayed work item
 * is the natural fit; 6.1's kthread model would need a thread that sleeps
 * on ballast_env_wake_worker() and duplicates the delay logic in the glue.
 * A work item also guarantees a single instance, which the core relies on.
 * system_freezable_wq: the work item is frozen across suspend/hibernation,
 * so no page moves to or from the hypervisor while the system image is
 * being written or restored (upstream moved balloon_process there for the
 * same reason; the 2019 seed still used system_wq via schedule_delayed_work).
 */
static atomic64_t worker_ns = ATOMIC64_INIT(0);

static void ballast_worker_fn(struct work_struct *work)
{
	u64 t0 = ktime_get_ns();

	ballast_core_process();
	atomic64_add(ktime_get_ns() - t0, &worker_ns);
}

/* Wall time inside the worker: an upper bound of its CPU time (it may sleep in reclaim). */
unsigned long long ballast_worker_ns(void)
{
	return atomic64_read(&worker_ns);
}
static DECLARE_DELAYED_WORK(ballast_worker, ballast_worker_fn);
static bool ballast_worker_enabled; /* under ballast_mutex or before/after concurrency */

void ballast_env_start(void)
{
	WRITE_ONCE(ballast_worker_enabled, true);
}

void ballast_env_stop(void)
{
	WRITE_ONCE(ballast_worker_enabled, false);
	cancel_delayed_work_sync(&ballast_worker);
}

/* ---------------- pages and the guest allocator ---------------- */

static inline struct page *P(struct ballast_page *p)
{
	return (struct page *)p;
}

struct ballast_page *ballast_env_alloc_page(enum ballast_gfp gfp)
{
	gfp_t flags = gfp == BALLAST_GFP_BALLOON ?
			      (GFP_HIGHUSER | __GFP_NOWARN | __GFP_NORETRY | __GFP_NOMEMALLOC) :
			      GFP_USER;
	struct ballast_st_env *st = ballast_st;
	struct page *page;

	if (ballast_fault_alloc())
		return NULL;
	if (st && st->fail_alloc_after >= 0) {
		if (st->fail_alloc_after == 0)
			return NULL;
		st->fail_alloc_after--;
	}
	page = alloc_page(flags);
	if (page && st)
		atomic_long_inc(&st->allocated);
	return (struct ballast_page *)page;
}

/*
 * An aligned block for one superpage extent. No direct reclaim or
 * compaction (__GFP_DIRECT_RECLAIM off): a fragmented guest fails the try at
 * once and the core moves 4 KiB pages instead, never slower than without
 * superpages. No retry, no warning, no emergency reserves, as for the
 * balloon's single pages; split so the core frees each page alone.
 */
struct ballast_page *ballast_env_alloc_block(enum ballast_gfp gfp, unsigned int order)
{
	gfp_t flags = (GFP_HIGHUSER | __GFP_NOWARN | __GFP_NORETRY | __GFP_NOMEMALLOC) &
		      ~__GFP_DIRECT_RECLAIM;
	struct ballast_st_env *st = ballast_st;
	struct page *page;

	if (gfp != BALLAST_GFP_BALLOON || order == 0 || order > PMD_SHIFT - PAGE_SHIFT)
		return NULL;
	if (ballast_fault_alloc() || (st && st->fail_blocks))
		return NULL;
	page = alloc_pages(flags, order);
	if (!page)
		return NULL;
	split_page(page, order);
	if (st)
		atomic_long_add(1L << order, &st->allocated);
	return (struct ballast_page *)page;
}

void ballast_env_free_reserved_page(struct ballast_page *page)
{
	if (ballast_st)
		atomic_long_inc(&ballast_st->freed);
	free_reserved_page(P(page));
}

void ballast_env_adjust_managed_page_count(struct ballast_page *page, long delta)
{
	adjust_managed_page_count(P(page), delta);
}

void ballast_env_set_page_offline(struct ballast_page *page)
{
	__SetPageOffline(P(page));
}

void ballast_env_clear_page_offline(struct ballast_page *page)
{
	__ClearPageOffline(P(page));
}

int ballast_env_page_is_highmem(struct ballast_page *page)
{
	return PageHighMem(P(page));
}

unsigned long ballast_env_page_to_pfn(struct ballast_page *page)
{
	return page_to_pfn(P(page));
}

struct ballast_page *ballast_env_pfn_to_page(unsigned long pfn)
{
	return (struct ballast_page *)pfn_to_page(pfn);
}

struct ballast_list *ballast_env_page_lru(struct ballast_page *page)
{
	return (struct ballast_list *)&P(page)->lru;
}

struct ballast_page *ballast_env_lru_to_page(struct ballast_list *node)
{
	return (struct ballast_page *)container_of((struct list_head *)node, struct page, lru);
}

/*
 * xen_scrub_pages (and so xenmem_reservation_scrub_page()) is not exported.
 * ballast always scrubs: a page handed to the hypervisor must not carry the
 * guest's data to whoever gets that frame next.
 */
void ballast_env_scrub_page(struct ballast_page *page)
{
	clear_highpage(P(page));
}

/*
 * What the balloon may take: si_mem_available() minus a floor the guest
 * keeps (keep_free_kb). si_mem_available() counts reclaimable slab and page
 * cache and stops at the high watermarks; taking all of it leaves user
 * space at the min watermark, and the next page fault OOM-kills (seen on
 * a real dom0 with a target below what it can free: with init the only
 * task, "System is deadlocked on memory" panic). With the floor the core
 * sees nothing left before that point and backs off.
 */
static unsigned long keep_free_kb = 32768;
module_param(keep_free_kb, ulong, 0644);
MODULE_PARM_DESC(keep_free_kb,
		 "Memory (KiB) the balloon always leaves available to the guest (default 32768)");

long ballast_env_mem_available(void)
{
	struct ballast_st_env *st = ballast_st;
	long avail;

	if (st && st->mem_available_override >= 0)
		return st->mem_available_override;
	avail = si_mem_available();
	if (st)
		return avail;
	return avail - (long)(min(READ_ONCE(keep_free_kb), 1UL << 40) >> (PAGE_SHIFT - 10));
}

/*
 * totalreserve_pages is not exported. Substitute: recompute it the way the
 * page allocator defines it (per zone, the largest lowmem reserve that zone
 * keeps against higher zones plus its high watermark, capped at its managed
 * pages; summed over the zones of every online node), from exported data
 * (node_data, node_states). Like the original it is a snapshot; the core
 * only uses it as a "don't squeeze below the reserves" threshold.
 */
unsigned long ballast_env_totalreserve_pages(void)
{
	unsigned long total = 0;
	int nid, i, j;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			unsigned long managed = zone_managed_pages(zone);
			long reserve = 0;

			for (j = i; j < MAX_NR_ZONES; j++)
				reserve = max_t(long, reserve, zone->lowmem_reserve[j]);
			reserve += high_wmark_pages(zone);
			total += min_t(unsigned long, reserve, managed);
		}
	}
	return total;
}

/* ---------------- the hypervisor (ballast_hv: real Xen or the selftest's fake) ---------------- */

ballast_pfn_t ballast_env_page_to_xen_pfn(struct ballast_page *page)
{
	return ballast_hv->populate_frame(P(page));
}

ballast_pfn_t ballast_env_page_to_gfn(struct ballast_page *page)
{
	return ballast_hv->release_frame(P(page));
}

int ballast_env_reservation_increase(int count, ballast_pfn_t *frames)
{
	if (ballast_fault_hypercall(true, &count))
		return 0;
	return ballast_hv->increase(count, frames);
}

int ballast_env_reservation_decrease(int count, ballast_pfn_t *frames)
{
	if (ballast_fault_hypercall(false, &count))
		return 0;
	return ballast_hv->decrease(count, frames);
}

int ballast_env_reservation_increase_order(unsigned int order, int count, ballast_pfn_t *frames)
{
	if (ballast_fault_hypercall(true, &count))
		return 0;
	return ballast_hv->increase_order(order, count, frames);
}

int ballast_env_reservation_decrease_order(unsigned int order, int count, ballast_pfn_t *frames)
{
	if (ballast_fault_hypercall(false, &count))
		return 0;
	return ballast_hv->decrease_order(order, count, frames);
}

int ballast_env_block_machine_contiguous(struct ballast_page *page, unsigned int order)
{
	return ballast_hv->block_contiguous(P(page), order);
}

void ballast_env_va_mapping_update_block(struct ballast_page *page, unsigned int order,
					 ballast_pfn_t frame)
{
	ballast_hv->va_mapping_update_block(P(page), order, frame);
}

void ballast_env_va_mapping_reset_block(struct ballast_page *page, unsigned int order)
{
	ballast_hv->va_mapping_reset_block(P(page), order);
}

void ballast_env_va_mapping_update(struct ballast_page *page, ballast_pfn_t frame)
{
	ballast_hv->va_mapping_update(P(page), frame);
}

void ballast_env_va_mapping_reset(struct ballast_page *page)
{
	ballast_hv->va_mapping_reset(P(page));
}

void ballast_env_kmap_flush_unused(void)
{
	kmap_flush_unused(); /* no-op without CONFIG_HIGHMEM (x86-64) */
}

void ballast_env_flush_tlb_all(void)
{
	ballast_hv->flush_tlb_all();
}

int ballast_env_auto_translated_physmap(void)
{
	return ballast_hv->auto_translated();
}

int ballast_env_alloc_p2m_entry(unsigned long pfn)
{
	return ballast_hv->alloc_p2m_entry(pfn);
}

/* XENMEM_current_reservation of this domain (the fake hypervisor's in selftest mode). */
long ballast_env_current_reservation(void)
{
	return ballast_current_reservation();
}

/* ---------------- locking, waiting, scheduling, reporting ---------------- */

void ballast_env_lock(void)
{
	mutex_lock(&ballast_mutex);
}

void ballast_env_unlock(void)
{
	mutex_unlock(&ballast_mutex);
}

void ballast_env_wake_page_waiters(void)
{
	wake_up(&ballast_page_wq);
}

int ballast_env_wait_pages(int (*cond)(void *), void *arg, int interruptible,
			   unsigned long timeout_secs)
{
	long rc;

	if (ballast_st && !ballast_st->sched_real)
		return cond(arg) ? BALLAST_WAIT_OK : BALLAST_WAIT_NEVER;

	if (timeout_secs) {
		unsigned long t = timeout_secs * HZ;

		if (interruptible)
			rc = wait_event_interruptible_timeout(ballast_page_wq, cond(arg), t);
		else
			rc = wait_event_timeout(ballast_page_wq, cond(arg), t);
		if (rc == 0)
			return BALLAST_WAIT_TIMEOUT;
		return rc < 0 ? BALLAST_WAIT_INTERRUPTED : BALLAST_WAIT_OK;
	}
	if (interruptible)
		return wait_event_interruptible(ballast_page_wq, cond(arg)) ?
			       BALLAST_WAIT_INTERRUPTED :
			       BALLAST_WAIT_OK;
	wait_event(ballast_page_wq, cond(arg));
	return BALLAST_WAIT_OK;
}

void ballast_env_schedule_work(unsigned long delay_secs, int modify)
{
	unsigned long delay;

	struct ballast_st_env *st = ballast_st;

	if (st && !st->sched_real) {
		/* The selftest drives ballast_core_process() itself. */
		st->pending = true;
		st->pending_delay = delay_secs;
		st->sched_calls++;
		return;
	}
	if (!READ_ONCE(ballast_worker_enabled))
		return;
	delay = delay_secs > MAX_SCHEDULE_TIMEOUT / HZ ? MAX_SCHEDULE_TIMEOUT / HZ * HZ :
							 delay_secs * HZ;
	if (modify)
		mod_delayed_work(system_freezable_wq, &ballast_worker, delay);
	else
		queue_delayed_work(system_freezable_wq, &ballast_worker, delay);
}

void ballast_env_wake_worker(void)
{
	ballast_env_schedule_work(0, 1);
}

void ballast_env_cond_resched(void)
{
	cond_resched();
}

/* Report, never WARN/BUG: a misbehaving hypervisor must not take the guest down. */
void ballast_env_event(enum ballast_event ev, long a, long b)
{
	switch (ev) {
	case BALLAST_EV_HOSTILE_REPLY:
	case BALLAST_EV_DECREASE_ROLLBACK:
	case BALLAST_EV_REJECTED_INPUT:
	case BALLAST_EV_REGION_SKIPPED:
	case BALLAST_EV_HOTPLUG_NOT_ONLINED:
		pr_warn_ratelimited("event %d: %s (%ld, %ld)\n", ev, ballast_event_text(ev), a, b);
		break;
	default:
		pr_err_ratelimited("event %d: %s (%ld, %ld)\n", ev, ballast_event_text(ev), a, b);
		break;
	}
}
