// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast world: the guest allocator (allocator.h).
#include "world.h"

namespace world {

// `pages`: an allocation of that many frames at once (alloc_block) fails
// under pressure unless all of them are above the floor.
bool World::alloc_knob_fails(ballast_gfp gfp, unsigned long pages)
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
	if (k.pressure && free_count() < k.pressure_floor + pages)
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
	--alloc_.block_free[f->pfn >> alloc_.order];
	f->wstate = state;
	log_pfn(f->pfn);
	return f;
}

// The last frame of its stack takes its place: the stacks stay LIFO for
// every frame but the moved one.
void World::remove_free(Frame *f)
{
	std::vector<uint32_t> &list = f->highmem ? alloc_.free_high : alloc_.free_low;
	const uint32_t i = alloc_.pos[f->pfn], last = list.back();
	list[i] = last;
	alloc_.pos[last] = i;
	list.pop_back();
	--alloc_.block_free[f->pfn >> alloc_.order];
}

void World::grow_block_index(unsigned long pfn)
{
	alloc_.pos.resize(pfn + 1, 0);
	const size_t blocks = (pfn >> alloc_.order) + 1;
	if (alloc_.block_free.size() < blocks)
		alloc_.block_free.resize(blocks, 0);
}

bool World::find_free_block(unsigned long *block)
{
	const uint32_t per = 1u << alloc_.order;
	for (unsigned long b = alloc_.block_hint + 1; b-- > 0;) {
		if (b < alloc_.block_free.size() && alloc_.block_free[b] == per) {
			alloc_.block_hint = b;
			*block = b;
			return true;
		}
	}
	alloc_.block_hint = 0;
	return false;
}

unsigned long World::free_blocks() const
{
	const uint32_t per = 1u << alloc_.order;
	unsigned long n = 0;
	if (alloc_.order)
		for (uint32_t c : alloc_.block_free)
			n += c == per;
	return n;
}

Frame *World::alloc_block(ballast_gfp gfp, unsigned order)
{
	++alloc_.block_calls;
	const unsigned long per = 1UL << alloc_.order;
	unsigned long b;
	if (order == 0 || order != alloc_.order || gfp != BALLAST_GFP_BALLOON ||
	    alloc_knob_fails(gfp, per) || !find_free_block(&b)) {
		++alloc_.block_failures;
		return nullptr;
	}
	for (unsigned long pfn = b << order; pfn < (b + 1) << order; ++pfn) {
		Frame *f = frame(pfn);
		remove_free(f);
		f->wstate = BALLAST_WFS_CORE;
		log_pfn(pfn);
	}
	return frame(b << order);
}

Frame *World::kernel_fragment()
{
	unsigned long b;
	if (alloc_.order == 0 || !find_free_block(&b))
		return nullptr;
	Frame *f = frame((b << alloc_.order) + (1UL << (alloc_.order - 1)));
	remove_free(f);
	f->wstate = BALLAST_WFS_KERNEL;
	log_pfn(f->pfn);
	return kernel_use(f);
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
	return kernel_use(take_free(list, BALLAST_WFS_KERNEL));
}

Frame *World::kernel_use(Frame *f)
{
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
