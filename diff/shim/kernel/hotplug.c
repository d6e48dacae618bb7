// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ballast diff, shim runtime: memory hotplug (customised). Resources and
 * add_memory_resource() are the world's; the world calls the driver's online
 * callback and memory notifier back, each as a protected task.
 */
#include "runtime.h"

struct resource iomem_resource;

/* ---------------------------------------------------- resources, adding */
int allocate_resource(struct resource *root, struct resource *new, resource_size_t size,
		      resource_size_t min, resource_size_t max, resource_size_t align,
		      resource_alignf alignf, void *alignf_data)
{
	int rc;

	(void)root;
	(void)min;
	(void)max;
	(void)alignf;
	(void)alignf_data;
	rc = ballast_world_allocate_resource(bshim_cur->world, size, align, &new->bshim_res);
	if (rc < 0)
		return rc;
	new->start = new->bshim_res.start;
	new->end = new->bshim_res.start + size - 1;
	return rc;
}

int release_resource(struct resource *old)
{
	ballast_world_release_resource(bshim_cur->world, &old->bshim_res);
	return 0;
}

unsigned long bshim_pages_per_section(void)
{
	return ballast_world_pages_per_section(bshim_cur->world);
}

int bshim_max_physmem_bits(void)
{
	unsigned long limit = ballast_world_addressable_pfn_limit(bshim_cur->world);

	return limit ? 63 - __builtin_clzl(limit) + PAGE_SHIFT : PAGE_SHIFT;
}

int bshim_add_memory_resource(int nid, struct resource *res, mhp_t flags)
{
	(void)flags;
	return ballast_world_add_memory_resource(bshim_cur->world, nid, &res->bshim_res);
}

/* ------------------------------------------ online callback, notifier */
struct online_args {
	struct page *page;
	unsigned int order;
};

static void online_task(void *arg)
{
	struct online_args *a = arg;

	bshim_cur->online_cb(a->page, a->order);
}

static void online_entry(void *ctx, struct ballast_page *frame, unsigned order)
{
	struct bshim_ctx *saved = bshim_cur;
	struct online_args a;

	bshim_cur = ctx;
	a.page = bshim_page_of(frame->pfn, frame);
	a.order = order;
	bshim_cur->nest++;
	(void)bshim_host_protect(online_task, &a);
	bshim_cur->nest--;
	bshim_cur = saved;
}

int set_online_page_callback(online_page_callback_t callback)
{
	bshim_cur->online_cb = callback;
	ballast_world_set_online_page_callback(bshim_cur->world, online_entry, bshim_cur);
	return 0;
}

struct notify_args {
	unsigned long action;
	int ret;
};

static void notify_task(void *arg)
{
	struct notify_args *a = arg;

	a->ret = bshim_cur->mem_nb->notifier_call(bshim_cur->mem_nb, a->action, NULL);
}

static int notify_entry(void *ctx, unsigned long action)
{
	struct bshim_ctx *saved = bshim_cur;
	struct notify_args a = {action, NOTIFY_DONE};

	bshim_cur = ctx;
	bshim_cur->nest++;
	(void)bshim_host_protect(notify_task, &a);
	bshim_cur->nest--;
	bshim_cur = saved;
	return a.ret;
}

int register_memory_notifier(struct notifier_block *nb)
{
	bshim_cur->mem_nb = nb;
	ballast_world_set_memory_notifier(bshim_cur->world, notify_entry, bshim_cur);
	return 0;
}
