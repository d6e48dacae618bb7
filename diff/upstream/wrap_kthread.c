// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ballast diff: a drivers/xen/balloon.c with the balloon kthread (Linux 6.1
 * and 6.12, from Debian's linux-source-6.1 and linux-source-6.12), unmodified,
 * compiled against the kernel-API shim. BUP_DRIVER (a -D) names the file and
 * BUP_VERSION_ID (a -D) its version (upstream_ops.h); this translation unit
 * adds accessors and a reset of every static, which both versions share.
 */
#include "bup_names.h"
#include "upstream_ops.h"

#include BUP_DRIVER

/* --- everything below is ballast's, not upstream's --- */

static void bup_reset(void)
{
	unsigned long i;

	balloon_boot_timeout = 180;
#ifdef CONFIG_XEN_BALLOON_MEMORY_HOTPLUG
	xen_hotplug_unpopulated = 0;
	xen_memory_nb.notifier_call = xen_memory_notifier;
	xen_memory_nb.next = NULL;
#endif
	balloon_state = BP_DONE;
	balloon_thread_wq.wakes = 0;
	balloon_thread_wq.kind = BSHIM_WQ_THREAD;
	mutex_init(&balloon_mutex);
	balloon_stats = (struct balloon_stats){0};
	for (i = 0; i < ARRAY_SIZE(frame_list); i++)
		frame_list[i] = 0;
	INIT_LIST_HEAD(&ballooned_pages);
	balloon_wq.wakes = 0;
	balloon_wq.kind = BSHIM_WQ_PAGES;
}

static int bup_init(void)
{
	return bshim_subsys_initcall();
}

static int bup_wait_finish(void)
{
	return bshim_late_initcall_sync();
}

static void bup_set_target(unsigned long target)
{
	balloon_set_new_target(target);
}

static int bup_alloc(int nr_pages, struct page **pages)
{
	return xen_alloc_ballooned_pages((unsigned int)nr_pages, pages);
}

static void bup_free(int nr_pages, struct page **pages)
{
	xen_free_ballooned_pages((unsigned int)nr_pages, pages);
}

static int bup_thread_state(void)
{
	return (int)balloon_state;
}

static int bup_thread_cond(long credit)
{
	return balloon_thread_cond(credit);
}

/* The timeout balloon_thread computes for its current state, in seconds. */
static unsigned long bup_thread_timeout_secs(void)
{
	switch (balloon_state) {
	case BP_EAGAIN:
		return balloon_stats.schedule_delay;
	case BP_WAIT:
		return 1;
	default:
		return 3600;
	}
}

const struct bup_ops BUP_OPS = {
	.name = BUP_STR(BUP_VARIANT),
	.version = BUP_VERSION_ID,
	.cfg = BUP_CFG_BITS,
	.reset = bup_reset,
	.init = bup_init,
	.wait_finish = bup_wait_finish,
	.set_target = bup_set_target,
	.alloc = bup_alloc,
	.free = bup_free,
	.stats = (unsigned long *)&balloon_stats,
	.ballooned_pages = &ballooned_pages,
	.balloon_mutex = &balloon_mutex,
	.thread_state = bup_thread_state,
	.thread_cond = bup_thread_cond,
	.thread_timeout_secs = bup_thread_timeout_secs,
};
