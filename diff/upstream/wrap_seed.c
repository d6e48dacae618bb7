// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ballast diff: the seed drivers/xen/balloon.c (late 2019), unmodified,
 * compiled against the kernel-API shim. BUP_DRIVER (a -D) names the file;
 * this translation unit adds accessors and a reset of every static.
 */
#include "bup_names.h"
#include "upstream_ops.h"

#include BUP_DRIVER

/* --- everything below is ballast's, not upstream's --- */

static void bup_reset(void)
{
	unsigned long i;

	xen_hotplug_unpopulated = 0;
	mutex_init(&balloon_mutex);
	balloon_stats = (struct balloon_stats){0};
	for (i = 0; i < ARRAY_SIZE(frame_list); i++)
		frame_list[i] = 0;
	INIT_LIST_HEAD(&ballooned_pages);
	balloon_wq.wakes = 0;
	balloon_wq.kind = BSHIM_WQ_PAGES;
	balloon_worker.work.func = balloon_process;
#ifdef CONFIG_XEN_BALLOON_MEMORY_HOTPLUG
	xen_memory_nb.notifier_call = xen_memory_notifier;
	xen_memory_nb.next = NULL;
#endif
}

static int bup_init(void)
{
	return bshim_subsys_initcall();
}

static void bup_set_target(unsigned long target)
{
	balloon_set_new_target(target);
}

static int bup_alloc(int nr_pages, struct page **pages)
{
	return alloc_xenballooned_pages(nr_pages, pages);
}

static void bup_free(int nr_pages, struct page **pages)
{
	free_xenballooned_pages(nr_pages, pages);
}

const struct bup_ops BUP_OPS = {
	.name = BUP_STR(BUP_VARIANT),
	.version = BUP_VERSION_SEED,
	.cfg = BUP_CFG_BITS,
	.reset = bup_reset,
	.init = bup_init,
	.wait_finish = NULL,
	.set_target = bup_set_target,
	.alloc = bup_alloc,
	.free = bup_free,
	.stats = (unsigned long *)&balloon_stats,
	.ballooned_pages = &ballooned_pages,
	.balloon_mutex = &balloon_mutex,
	.thread_state = NULL,
	.thread_cond = NULL,
	.thread_timeout_secs = NULL,
};
