// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// world::Env — the environment contract of core/ballast_env.h, implemented
// over a world::World. Every member has exactly the name and signature of
// `ballast_env_<name>`; instantiate the core as ballast::Balloon<world::Env>.
//
// Env is a copyable handle (one pointer); several Envs may refer to one World.
#ifndef BALLAST_WORLD_ENV_H
#define BALLAST_WORLD_ENV_H

#include "world.h"

namespace world {

class Env {
public:
	Env() = default;
	explicit Env(World &w)
		: w_(&w)
	{
	}
	explicit Env(World *w)
		: w_(w)
	{
	}
	World &world() const { return *w_; }

	// -- pages and the guest allocator --
	ballast_page *alloc_page(ballast_gfp gfp) { return w_->alloc_page(gfp); }
	void free_reserved_page(ballast_page *page) { w_->free_reserved_page(page); }
	void adjust_managed_page_count(ballast_page *page, long delta)
	{
		(void)page;
		w_->adjust_managed(delta);
	}
	void set_page_offline(ballast_page *page) { page->offline = 1; }
	void clear_page_offline(ballast_page *page) { page->offline = 0; }
	int page_is_highmem(ballast_page *page) { return page->highmem; }
	unsigned long page_to_pfn(ballast_page *page) { return page->pfn; }
	ballast_page *pfn_to_page(unsigned long pfn)
	{
		ballast_page *p = w_->frame(pfn);
		if (!p)
			w_->record_fault(Fault::BadPfn, pfn, 0);
		return p;
	}
	ballast_list *page_lru(ballast_page *page) { return &page->lru; }
	ballast_page *lru_to_page(ballast_list *node)
	{
		static_assert(offsetof(ballast_page, lru) == 0, "lru must be the first member");
		return reinterpret_cast<ballast_page *>(node);
	}
	void scrub_page(ballast_page *page)
	{
		(void)page;
		++w_->scrub_count;
	}
	long mem_available() { return w_->mem_available(); }
	unsigned long totalreserve_pages() { return w_->totalreserve_pages(); }
	ballast_page *alloc_block(ballast_gfp gfp, unsigned order)
	{
		return w_->alloc_block(gfp, order);
	}
	// PV: the guest's p2m must map the block to consecutive MFNs (Xen's
	// decrease_reservation releases an extent page by page from its first
	// MFN: consecutive, not necessarily aligned).
	int block_machine_contiguous(ballast_page *page, unsigned order)
	{
		if (w_->auto_translated())
			return 1;
		const unsigned long per = 1UL << order, mfn = page->p2m;
		if (mfn == INVALID_MFN)
			return 0;
		for (unsigned long j = 1; j < per; ++j) {
			const Frame *f = w_->frame(page->pfn + j);
			if (!f || f->p2m != mfn + j)
				return 0;
		}
		return 1;
	}

	// -- the hypervisor --
	ballast_pfn_t page_to_xen_pfn(ballast_page *page) { return page->pfn; }
	ballast_pfn_t page_to_gfn(ballast_page *page)
	{
		return w_->auto_translated() ? page->pfn : page->p2m;
	}
	// xenmem_reservation_increase / _decrease of drivers/xen/mem-reservation.c.
	int reservation_increase(int count, ballast_pfn_t *frames)
	{
		return reservation(XENMEM_populate_physmap, count, frames);
	}
	int reservation_decrease(int count, ballast_pfn_t *frames)
	{
		return reservation(XENMEM_decrease_reservation, count, frames);
	}
	int reservation_increase_order(unsigned order, int count, ballast_pfn_t *frames)
	{
		return reservation(XENMEM_populate_physmap, count, frames, order);
	}
	int reservation_decrease_order(unsigned order, int count, ballast_pfn_t *frames)
	{
		return reservation(XENMEM_decrease_reservation, count, frames, order);
	}
	// PV only (as xenmem_reservation_va_mapping_update/reset): the guest p2m.
	// The direct map follows (world/mmu.h).
	void va_mapping_update(ballast_page *page, ballast_pfn_t frame)
	{
		if (!w_->auto_translated()) {
			page->p2m = frame;
			w_->note_frame(page);
			w_->va_map(page);
		}
	}
	void va_mapping_reset(ballast_page *page)
	{
		if (!w_->auto_translated()) {
			page->p2m = INVALID_MFN;
			w_->note_frame(page);
			w_->va_unmap(page);
		}
	}
	void va_mapping_update_block(ballast_page *page, unsigned order, ballast_pfn_t frame)
	{
		for (unsigned long j = 0; j < 1UL << order; ++j)
			va_mapping_update(w_->frame(page->pfn + j), frame + j);
	}
	void va_mapping_reset_block(ballast_page *page, unsigned order)
	{
		for (unsigned long j = 0; j < 1UL << order; ++j)
			va_mapping_reset(w_->frame(page->pfn + j));
	}
	void kmap_flush_unused() { w_->kmap_flush_unused(); }
	void flush_tlb_all() { w_->flush_tlb_all(); }
	int auto_translated_physmap() { return w_->auto_translated() ? 1 : 0; }
	int alloc_p2m_entry(unsigned long pfn) { return w_->alloc_p2m_entry(pfn); }
	long current_reservation()
	{
		domid_t self = DOMID_SELF;
		return w_->memory_op(XENMEM_current_reservation, &self);
	}

	// -- memory hotplug --
	unsigned long pages_per_section() { return w_->pages_per_section(); }
	int allocate_resource(unsigned long long size, unsigned long long align,
			      ballast_resource *res)
	{
		return w_->allocate_resource(size, align, res);
	}
	void release_resource(ballast_resource *res) { w_->release_resource(res); }
	unsigned long addressable_pfn_limit() { return w_->addressable_pfn_limit(); }
	int memory_add_physaddr_to_nid(unsigned long long addr)
	{
		(void)addr;
		return 0;
	}
	int set_phys_to_machine_invalid(unsigned long pfn)
	{
		return w_->set_phys_to_machine_invalid(pfn);
	}
	int add_memory_resource(int nid, ballast_resource *res)
	{
		return w_->add_memory_resource(nid, res);
	}

	// -- locking, waiting, scheduling, reporting --
	void lock() { w_->lock(); }
	void unlock() { w_->unlock(); }
	void wake_page_waiters() { ++w_->wake_page_waiters_count; }
	int wait_pages(int (*cond)(void *), void *arg, int interruptible,
		       unsigned long timeout_secs)
	{
		return w_->wait_pages(cond, arg, interruptible, timeout_secs);
	}
	void schedule_work(unsigned long delay_secs, int modify)
	{
		w_->schedule_work(delay_secs, modify);
	}
	void wake_worker() { w_->wake_worker(); }
	void cond_resched() { ++w_->cond_resched_count; }
	void event(ballast_event ev, long a, long b) { w_->event(ev, a, b); }

private:
	int reservation(unsigned cmd, int count, ballast_pfn_t *frames, unsigned order = 0)
	{
		xen_memory_reservation r{};
		r.extent_order = order;
		r.mem_flags = 0;
		r.domid = DOMID_SELF;
		set_xen_guest_handle(r.extent_start, frames);
		r.nr_extents = static_cast<xen_ulong_t>(count);
		return static_cast<int>(w_->memory_op(cmd, &r));
	}

	World *w_ = nullptr;
};

} // namespace world

#endif // BALLAST_WORLD_ENV_H
