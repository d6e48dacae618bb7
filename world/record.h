// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// ballast world: what the world records about the code under test, for tests
// and the invariant checker: the balloon lock's use, the events the code
// reports, the faults the world itself catches (double free, give-back of a
// not-owned MFN, ...), and the dirty log of what changed since the last check.
#ifndef BALLAST_WORLD_RECORD_H
#define BALLAST_WORLD_RECORD_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "ballast_env.h"

namespace world {

// World-recorded misbehaviour of the code under test (reported by the checker).
enum class Fault : uint8_t {
	DoubleFree, // free_reserved_page of a frame already free
	BadPage,    // a page pointer that is not a frame of this world
	BadPfn,	    // pfn_to_page of a pfn without a frame
	DecreaseNotOwned, // decrease_reservation of an MFN/GFN the domain does not own (given back twice?)
	PopulateOverPopulated, // populate_physmap of an already-populated gfn (auto-translated)
	DoubleLock,
	UnlockNotHeld,
	ReleaseAddedResource,
	BadResource,
	PodExhausted,	  // the guest touched a populate-on-demand page with the PoD cache empty
	GiveAwayMapped,	  // decrease_reservation of a frame the kernel still maps (mmu.h)
	GiveAwayTlbStale, // ... of a frame a stale TLB entry may still reach
	GiveAwayKmapped,  // ... of a highmem frame that may still have a lazy kmap
	FreeUnmapped,	  // free_reserved_page of a PV lowmem page not mapped again
};
const char *to_string(Fault f);

struct FaultRecord {
	Fault kind;
	unsigned long a, b;
};

struct EventRecord {
	ballast_event ev;
	long a, b;
	uint64_t jiffies;
};

// A view of one dirty log (World::dirty_pfns/dirty_mfns).
struct DirtyLog {
	const uint32_t *begin_;
	size_t n_;
	const uint32_t *begin() const { return begin_; }
	const uint32_t *end() const { return begin_ + n_; }
	size_t size() const { return n_; }
};

// The records (World::rec_).
struct RecordState {
	static constexpr size_t kMaxEvents = 4096;
	static constexpr size_t kMaxFaults = 64;
	static constexpr size_t kDirtyCap = 8192;

	bool lock_held = false;
	unsigned long lock_count = 0;
	std::vector<EventRecord> events;
	unsigned long events_dropped = 0;
	std::array<unsigned long, BALLAST_EV_COUNT> event_counts{};
	std::vector<FaultRecord> faults;
	unsigned long faults_total = 0;
	unsigned mark_epoch = 0;
	// Fixed arrays, not vectors: these run for every page a step touches.
	std::unique_ptr<uint32_t[]> dirty_pfns{new uint32_t[kDirtyCap]},
		dirty_mfns{new uint32_t[kDirtyCap]};
	size_t n_dirty_pfns = 0, n_dirty_mfns = 0;
	bool dirty_overflow = true;
};

} // namespace world

#endif // BALLAST_WORLD_RECORD_H
