// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ballast diff, shim runtime: memory (customised). A struct page per pfn tied
 * to the world's frame, the driver's kmalloc'd memory, and the guest
 * allocator and accounting, all backed by the world.
 */
#include "runtime.h"

/* ------------------------------------------------------------ mem_map */
struct page *bshim_page_of(unsigned long pfn, struct ballast_page *frame)
{
	unsigned long c = pfn >> CHUNK_SHIFT;
	struct page *base;

	if (c >= bshim_cur->n_chunks) {
		unsigned long n = bshim_cur->n_chunks ? bshim_cur->n_chunks : 64;
		struct page **t;
		unsigned long i;

		while (n <= c)
			n *= 2;
		t = bshim_host_zalloc(n * sizeof(*t));
		for (i = 0; i < bshim_cur->n_chunks; i++)
			t[i] = bshim_cur->chunks[i];
		bshim_host_free(bshim_cur->chunks);
		bshim_cur->chunks = t;
		bshim_cur->n_chunks = n;
	}
	base = bshim_cur->chunks[c];
	if (!base) {
		unsigned long i;

		base = bshim_host_zalloc(CHUNK * sizeof(*base));
		for (i = 0; i < CHUNK; i++) {
			base[i].bshim_pfn = (c << CHUNK_SHIFT) + i;
			base[i].lru.next = base[i].lru.prev = NULL;
		}
		bshim_cur->chunks[c] = base;
	}
	base += pfn & (CHUNK - 1);
	if (!base->bshim_frame)
		base->bshim_frame = frame ? frame : bshim_host_frame_quiet(bshim_cur->world, pfn);
	return base;
}

void bshim_free_mem_map(struct bshim_ctx *ctx)
{
	unsigned long i;

	for (i = 0; i < ctx->n_chunks; i++)
		bshim_host_free(ctx->chunks[i]);
	bshim_host_free(ctx->chunks);
	ctx->chunks = NULL;
	ctx->n_chunks = 0;
}

struct page *pfn_to_page(unsigned long pfn)
{
	/* As world::Env::pfn_to_page: a pfn without a frame is a recorded fault. */
	struct ballast_page *f = ballast_world_pfn_to_page(bshim_cur->world, pfn);

	return bshim_page_of(pfn, f);
}

/* ---------------------------------------------------------- allocation */
void *kmalloc(size_t size, gfp_t gfp)
{
	struct alloc_hdr *h = bshim_host_zalloc(sizeof(*h) + size);

	(void)gfp;
	h->size = size;
	h->next = bshim_cur->allocs.next;
	h->prev = &bshim_cur->allocs;
	bshim_cur->allocs.next->prev = h;
	bshim_cur->allocs.next = h;
	return h + 1;
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp); /* host memory is zeroed */
}

void kfree(const void *p)
{
	struct alloc_hdr *h;

	if (!p)
		return;
	h = (struct alloc_hdr *)p - 1;
	h->prev->next = h->next;
	h->next->prev = h->prev;
	bshim_host_free(h);
}

void bshim_free_allocs(struct bshim_ctx *ctx)
{
	struct alloc_hdr *h = ctx->allocs.next;

	while (h && h != &ctx->allocs) {
		struct alloc_hdr *n = h->next;

		bshim_host_free(h);
		h = n;
	}
	ctx->allocs.next = ctx->allocs.prev = &ctx->allocs;
}

/* -------------------------------------------------------------- pages */
struct page *alloc_page(gfp_t gfp)
{
	enum ballast_gfp g = (gfp & __GFP_HIGHMEM) ? BALLAST_GFP_BALLOON : BALLAST_GFP_USER;
	struct ballast_page *f = ballast_world_alloc_page(bshim_cur->world, g);

	return f ? bshim_page_of(f->pfn, f) : NULL;
}

void free_reserved_page(struct page *page)
{
	ballast_world_free_reserved_page(bshim_cur->world, frame_of(page));
}

void __free_page(struct page *page)
{
	free_reserved_page(page);
}

void adjust_managed_page_count(struct page *page, long count)
{
	ballast_world_adjust_managed_page_count(bshim_cur->world, frame_of(page), count);
}

int PageHighMem(const struct page *page)
{
	return ballast_world_page_is_highmem(bshim_cur->world, frame_of((struct page *)page));
}

void __SetPageOffline(struct page *page)
{
	ballast_world_set_page_offline(bshim_cur->world, frame_of(page));
}

void __ClearPageOffline(struct page *page)
{
	ballast_world_clear_page_offline(bshim_cur->world, frame_of(page));
}

int PageOffline(const struct page *page)
{
	return frame_of((struct page *)page)->offline;
}

long si_mem_available(void)
{
	return ballast_world_mem_available(bshim_cur->world);
}

unsigned long get_num_physpages(void)
{
	return bshim_cur->boot.num_physpages;
}

unsigned long bshim_totalreserve_pages(void)
{
	return ballast_world_totalreserve_pages(bshim_cur->world);
}

unsigned long bshim_max_pfn(void)
{
	return bshim_cur->boot.max_pfn;
}

void kmap_flush_unused(void)
{
	ballast_world_kmap_flush_unused(bshim_cur->world);
}

void flush_tlb_all(void)
{
	ballast_world_flush_tlb_all(bshim_cur->world);
}
