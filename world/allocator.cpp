// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast world: the guest allocator (allocator.h).
#include "world.h"

namespace world {

bool World::alloc_knob_fails(ballast_gfp gfp)
{
	const AllocKnobs &k = alloc_knobs;
	if (!(k.gfp_mask & (1u << static_cast<unsigned>(gfp))))
		return false;
	if (k.storm)
		return true;
	if (k.fail_next) {
		--alloc_knobs.fail_next;
		return true;
	}
	if (k.pressure && free_count() <= k.pressure_floor)
		return true;
	if (chance_permille(k.fail_permille))
		return true;
	return false;
}

Frame *World::alloc_page(ballast_gfp gfp)
{
	++alloc_.calls;
	if (alloc_knob_fails(gfp)) {
		++alloc_.failures;
		return nullptr;
	}
	// GFP_HIGHUSER prefers highmem; GFP_USER never gets it.
	std::vector<uint32_t> *list = nullptr;
	if (gfp == BALLAST_GFP_BALLOON && !alloc_.free_high.empty())
		list = &alloc_.free_high;
	else if (!alloc_.free_low.empty())
		list = &alloc_.free_low;
	if (!list) {
		++alloc_.failures;
		return nullptr;
	}
	Frame *f = take_free(list, BALLAST_WFS_CORE);
	mmu_handed_out(f);
	return f;
}

Frame *World::take_free(std::vector<uint32_t> *list, uint8_t state)
{
	Frame *f = frame(list->back());
	list->pop_back();
	f->wstate = state;
	log_pfn(f->pfn);
	return f;
}

bool World::may_free(Frame *page)
{
	if (!is_frame(page)) {
		record_fault(Fault::BadPage, 0, 0);
		return false;
	}
	if (state_of(page) == FrameState::Free) {
		record_fault(Fault::DoubleFree, page->pfn, 0);
		return false;
	}
	return true;
}

void World::free_reserved_page(Frame *page)
{
	if (!may_free(page))
		return;
	mmu_freed(page);
	page->reserved = 0;
	push_free(page);
	++alloc_.managed;
}

Frame *World::kernel_alloc()
{
	std::vector<uint32_t> *list = !alloc_.free_low.empty()	? &alloc_.free_low :
				      !alloc_.free_high.empty() ? &alloc_.free_high :
								  nullptr;
	if (!list)
		return nullptr;
	Frame *f = take_free(list, BALLAST_WFS_KERNEL);
	if (f->p2m == POD_ENTRY) {
		// The kernel uses the page: Xen backs the PoD entry from the cache,
		// or, with the cache empty, crashes the domain (out of PoD memory).
		if (hyp_.pod_cache.empty()) {
			record_fault(Fault::PodExhausted, f->pfn, hyp_.pod_entries);
			return f;
		}
		const uint32_t idx = hyp_.pod_cache.back();
		hyp_.pod_cache.pop_back();
		--hyp_.pod_entries;
		hyp_.m2p[idx] = f->pfn;
		log_mfn(idx);
		f->p2m = MFN_BASE + idx;
	}
	return f;
}

void World::kernel_free(Frame *page)
{
	if (!may_free(page))
		return;
	push_free(page);
}

} // namespace world
