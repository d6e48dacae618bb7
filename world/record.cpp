// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast world: the names of the faults the world records.
#include "record.h"

namespace world {

const char *to_string(Fault f)
{
	switch (f) {
	case Fault::DoubleFree:
		return "double free of a page (free_reserved_page of a free frame)";
	case Fault::BadPage:
		return "page pointer that is not a frame of this world";
	case Fault::BadPfn:
		return "pfn_to_page of a pfn without a frame";
	case Fault::DecreaseNotOwned:
		return "decrease_reservation of a frame the domain does not own (page given back twice / not owned)";
	case Fault::PopulateOverPopulated:
		return "populate_physmap of an already populated gfn";
	case Fault::DoubleLock:
		return "lock taken while held (self-deadlock)";
	case Fault::UnlockNotHeld:
		return "unlock of a lock not held";
	case Fault::ReleaseAddedResource:
		return "release_resource of a range that was added as memory";
	case Fault::PodExhausted:
		return "out of PoD memory: the guest touched a populate-on-demand page with the cache empty (Xen crashes the domain)";
	case Fault::BadResource:
		return "resource not allocated by this world";
	case Fault::GiveAwayMapped:
		return "frame given to the hypervisor while the kernel still maps it";
	case Fault::GiveAwayTlbStale:
		return "frame given to the hypervisor while a stale TLB entry may still point to it "
		       "(no flush_tlb_all after its mapping was reset)";
	case Fault::GiveAwayKmapped:
		return "highmem frame given to the hypervisor while a lazy kmap may still point to it "
		       "(no kmap_flush_unused)";
	case Fault::FreeUnmapped:
		return "page given back to the allocator before it is mapped again";
	}
	return "?";
}

} // namespace world
