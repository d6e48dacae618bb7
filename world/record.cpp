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
	}
	return "?";
}

} // namespace world
