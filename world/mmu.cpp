// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast world: kernel mappings, TLB and kmaps of the guest's frames (mmu.h).
#include "world.h"

namespace world {

uint8_t &World::vm_of(unsigned long pfn)
{
	if (pfn >= mmu_.vm.size())
		mmu_.vm.resize(frame_limit() > pfn ? frame_limit() : pfn + 1, 0);
	return mmu_.vm[pfn];
}

void World::va_unmap(Frame *f)
{
	if (auto_translated() || f->highmem)
		return;
	uint8_t &vm = vm_of(f->pfn);
	vm &= static_cast<uint8_t>(~MmuState::kMapped);
	if (!(vm & MmuState::kTlbStale)) {
		vm |= MmuState::kTlbStale;
		mmu_.stale.push_back(static_cast<uint32_t>(f->pfn));
	}
}

void World::va_map(Frame *f)
{
	if (!auto_translated() && !f->highmem)
		vm_of(f->pfn) |= MmuState::kMapped;
}

void World::flush_tlb_all()
{
	++tlb_flush_count;
	for (uint32_t pfn : mmu_.stale)
		vm_of(pfn) &= static_cast<uint8_t>(~MmuState::kTlbStale);
	mmu_.stale.clear();
}

void World::kmap_flush_unused()
{
	++kmap_flush_count;
	for (uint32_t pfn : mmu_.kmaps)
		vm_of(pfn) &= static_cast<uint8_t>(~MmuState::kLazyKmap);
	mmu_.kmaps.clear();
}

void World::mmu_handed_out(Frame *f)
{
	if (!f->highmem)
		return;
	uint8_t &vm = vm_of(f->pfn);
	if (!(vm & MmuState::kLazyKmap)) {
		vm |= MmuState::kLazyKmap;
		mmu_.kmaps.push_back(static_cast<uint32_t>(f->pfn));
	}
}

void World::mmu_given_away(unsigned long pfn)
{
	if (!frame(pfn))
		return;
	const uint8_t vm = vm_of(pfn);
	if (vm & MmuState::kMapped)
		record_fault(Fault::GiveAwayMapped, pfn, 0);
	if (vm & MmuState::kTlbStale)
		record_fault(Fault::GiveAwayTlbStale, pfn, 0);
	if (vm & MmuState::kLazyKmap)
		record_fault(Fault::GiveAwayKmapped, pfn, 0);
}

void World::mmu_freed(Frame *f)
{
	if (!auto_translated() && !f->highmem && !(vm_of(f->pfn) & MmuState::kMapped))
		record_fault(Fault::FreeUnmapped, f->pfn, 0);
}

} // namespace world
