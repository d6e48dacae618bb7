// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// ballast world: the guest allocator. Free frames sit on two LIFO stacks of
// pfns (lowmem, highmem); alloc_page() hands them to the balloon, the rest of
// the guest kernel takes and returns them with kernel_alloc()/kernel_free().
// AllocKnobs make it fail the way a guest under memory pressure does.
#ifndef BALLAST_WORLD_ALLOCATOR_H
#define BALLAST_WORLD_ALLOCATOR_H

#include <cstdint>
#include <vector>

namespace world {

// Guest allocator failure modes (alloc_page, alloc_block).
struct AllocKnobs {
	unsigned long fail_next = 0; // fail the next K allocations
	uint32_t fail_permille = 0;  // fail each with this probability (seeded)
	bool storm = false;	     // fail everything
	bool pressure = false;	     // keep at least pressure_floor frames free
	unsigned long pressure_floor = 0;
	unsigned gfp_mask = 3; // bit (1 << gfp): which flavours the knobs affect
};

// The allocator's state (World::alloc_).
struct AllocatorState {
	std::vector<uint32_t> free_low, free_high; // pfns; the top is the back
	// Aligned blocks of 2^order frames (Config::superpage_order): how many
	// frames of each are free, and where each free frame sits in its stack,
	// so that a whole block leaves the stacks in O(block) (alloc_block) and
	// one frame can be taken from the middle of one (kernel_fragment).
	unsigned order = 0;
	std::vector<uint32_t> pos;	  // pfn -> index in free_low/free_high, if free
	std::vector<uint32_t> block_free; // block -> free frames in it
	unsigned long block_hint = 0;	  // no whole free block above this one
	unsigned long block_calls = 0, block_failures = 0;
	long mem_available_override = 0;
	bool mem_available_override_set = false;
	unsigned long totalreserve = 0;
	long managed = 0;
	unsigned long calls = 0, failures = 0;
};

} // namespace world

#endif // BALLAST_WORLD_ALLOCATOR_H
