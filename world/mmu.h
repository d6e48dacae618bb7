// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// ballast world: the guest's kernel mappings of its frames, and the TLB.
// Giving a frame to the hypervisor is only safe once nothing in the guest
// can still reach it, and a frame handed back to the allocator must be
// mapped again first:
//
//  * direct map (PV, lowmem): a populated lowmem frame is mapped at boot;
//    xenmem_reservation_va_mapping_reset() unmaps it (a PTE of 0, no flush)
//    and _update() maps it again with its new MFN. Highmem has no direct map.
//    Auto-translated guests keep their mappings (Xen changes its p2m and
//    flushes itself), so nothing here applies to them.
//  * TLB (PV): a PTE taken away may still be cached: the frame is "stale"
//    until flush_tlb_all().
//  * kmaps (highmem, any guest): a highmem page the allocator hands out may
//    still have a lazy kmap of its last user until kmap_flush_unused().
//
// Faults the world records (record.h) and the invariant checker reports:
// a frame given back to Xen (decrease_reservation) while mapped, stale in
// the TLB or kmapped; a PV lowmem page freed to the allocator unmapped.
#ifndef BALLAST_WORLD_MMU_H
#define BALLAST_WORLD_MMU_H

#include <cstdint>
#include <vector>

namespace world {

// The mappings' state (World::mmu_).
struct MmuState {
	static constexpr uint8_t kMapped = 1, kTlbStale = 2, kLazyKmap = 4;
	std::vector<uint8_t> vm;	    // per pfn: kMapped | kTlbStale | kLazyKmap
	std::vector<uint32_t> stale, kmaps; // pfns with kTlbStale / kLazyKmap set
};

} // namespace world

#endif // BALLAST_WORLD_MMU_H
