// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ballast diff, shim runtime: the harness's face (bshim_api.h). Starts a
 * driver variant in a world and runs each call into it as a protected task.
 */
#include "runtime.h"

struct bshim_ctx *bshim_cur;

struct bshim_ctx *bshim_ctx_new(void)
{
	struct bshim_ctx *ctx = bshim_host_zalloc(sizeof(*ctx));

	ctx->allocs.next = ctx->allocs.prev = &ctx->allocs;
	return ctx;
}

void bshim_ctx_delete(struct bshim_ctx *ctx)
{
	if (!ctx)
		return;
	if (bshim_cur == ctx)
		bshim_cur = NULL;
	bshim_free_mem_map(ctx);
	bshim_free_allocs(ctx);
	bshim_fiber_delete(ctx->fiber);
	bshim_host_free(ctx->scratch);
	bshim_host_free(ctx);
}

void bshim_ctx_start(struct bshim_ctx *ctx, struct ballast_world *w,
		     const struct ballast_boot_info *boot, const struct bup_ops *ops)
{
	unsigned i, n;
	struct bshim_fiber *fiber = ctx->fiber;
	struct page **scratch = ctx->scratch;
	unsigned long scratch_n = ctx->scratch_n;

	bshim_free_mem_map(ctx);
	bshim_free_allocs(ctx);
	{
		/* zero everything but the reusable buffers */
		unsigned char *p = (unsigned char *)ctx;
		unsigned long k;

		for (k = 0; k < sizeof(*ctx); k++)
			p[k] = 0;
	}
	ctx->allocs.next = ctx->allocs.prev = &ctx->allocs;
	ctx->fiber = fiber;
	ctx->scratch = scratch;
	ctx->scratch_n = scratch_n;
	ctx->world = w;
	ctx->ops = ops;
	ctx->boot = *boot;
	ctx->start_info.nr_pages = boot->start_info_nr_pages;
	n = boot->n_regions < XEN_EXTRA_MEM_MAX_REGIONS ? boot->n_regions :
							  XEN_EXTRA_MEM_MAX_REGIONS;
	for (i = 0; i < n; i++) {
		ctx->extra[i].start_pfn = boot->regions[i].start_pfn;
		ctx->extra[i].n_pfns = boot->regions[i].n_pfns;
	}
	bshim_cur = ctx;
	ops->reset();
}

static void init_task(void *arg)
{
	*(int *)arg = bshim_cur->ops->init();
}

int bshim_call_init(struct bshim_ctx *ctx)
{
	int rc = 0;

	bshim_cur = ctx;
	if (bshim_host_protect(init_task, &rc))
		rc = BSHIM_ABORTED_RC;
	return rc;
}

static void wait_finish_task(void *arg)
{
	*(int *)arg = bshim_cur->ops->wait_finish();
}

int bshim_call_wait_finish(struct bshim_ctx *ctx)
{
	int rc = 0;

	bshim_cur = ctx;
	if (!ctx->ops->wait_finish)
		return -38; /* -ENOSYS */
	ctx->bw_credit = 0; /* as the driver's last_credit: its first sleep notes the time */
	ctx->bw_since = bshim_jiffies();
	if (bshim_host_protect(wait_finish_task, &rc))
		rc = ctx->panicked ? BSHIM_PANICKED : -EDEADLK;
	return rc;
}

static void set_target_task(void *arg)
{
	bshim_cur->ops->set_target(*(unsigned long *)arg);
}

void bshim_call_set_target(struct bshim_ctx *ctx, unsigned long target)
{
	bshim_cur = ctx;
	(void)bshim_host_protect(set_target_task, &target);
}

struct lend_args {
	int nr;
	int rc;
};

static void alloc_task(void *arg)
{
	struct lend_args *a = arg;

	a->rc = bshim_cur->ops->alloc(a->nr, bshim_cur->scratch);
}

static void free_task(void *arg)
{
	struct lend_args *a = arg;

	bshim_cur->ops->free(a->nr, bshim_cur->scratch);
}

static void ensure_scratch(struct bshim_ctx *ctx, unsigned long n)
{
	if (n <= ctx->scratch_n && ctx->scratch)
		return;
	bshim_host_free(ctx->scratch);
	ctx->scratch_n = n < 64 ? 64 : n;
	ctx->scratch = bshim_host_zalloc(ctx->scratch_n * sizeof(struct page *));
}

int bshim_call_alloc(struct bshim_ctx *ctx, int nr_pages, struct ballast_page **pages)
{
	struct lend_args a = {nr_pages, 0};
	int i;

	bshim_cur = ctx;
	if (nr_pages < 0 && ctx->ops->version != BUP_VERSION_SEED)
		return -EINVAL; /* unsigned since 6.1: would overrun the caller's array */
	ensure_scratch(ctx, nr_pages > 0 ? (unsigned long)nr_pages : 1);
	for (i = 0; i < nr_pages; i++)
		ctx->scratch[i] = NULL;
	if (bshim_host_protect(alloc_task, &a)) {
		/* The task hung (HANG_WAIT) or crashed inside the call: it never
		 * returns and keeps what it already put in its array, as the
		 * core's dead/hung lending path does. Hand those pages out so the
		 * engine can count them as held by the abandoned caller. */
		for (i = 0; i < nr_pages; i++)
			pages[i] = ctx->scratch[i] ? frame_of(ctx->scratch[i]) : NULL;
		return BSHIM_ABORTED_RC;
	}
	if (a.rc == 0)
		for (i = 0; i < nr_pages; i++)
			pages[i] = ctx->scratch[i] ? frame_of(ctx->scratch[i]) : NULL;
	return a.rc;
}

void bshim_call_free(struct bshim_ctx *ctx, int nr_pages, struct ballast_page **pages)
{
	struct lend_args a = {nr_pages, 0};
	int i;

	bshim_cur = ctx;
	if (nr_pages < 0 && ctx->ops->version != BUP_VERSION_SEED)
		return;
	ensure_scratch(ctx, nr_pages > 0 ? (unsigned long)nr_pages : 1);
	for (i = 0; i < nr_pages; i++)
		ctx->scratch[i] = pages[i] ? bshim_page_of(pages[i]->pfn, pages[i]) : NULL;
	(void)bshim_host_protect(free_task, &a);
}

void bshim_stats_store(struct bshim_ctx *ctx, unsigned field, unsigned long value)
{
	if (field < 10)
		ctx->ops->stats[field] = value;
}

void bshim_stats(struct bshim_ctx *ctx, unsigned long out[10])
{
	unsigned i;

	for (i = 0; i < 10; i++)
		out[i] = ctx->ops->stats[i];
}

void bshim_walk_balloon(struct bshim_ctx *ctx, void (*fn)(void *arg, unsigned long pfn), void *arg,
			unsigned long limit)
{
	struct list_head *head = ctx->ops->ballooned_pages;
	struct list_head *n;
	unsigned long k = 0;

	for (n = head->next; n && n != head && k < limit; n = n->next, k++)
		fn(arg, list_entry(n, struct page, lru)->bshim_pfn);
}

int bshim_dead(struct bshim_ctx *ctx)
{
	return ctx->dead;
}

int bshim_thread_status(struct bshim_ctx *ctx)
{
	return ctx->thread_status;
}
