// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// ballast world: the initial-target oracle. Right after balloon_init, what a
// balloon's figures must be, from what Xen reports for the domain and what
// the toolstack asked for -- never from a driver's formula:
//
//   current_pages == XENMEM_current_reservation (tot_pages), plus the
//                    populate-on-demand entries the PoD cache does not cover
//                    (RAM the guest holds that Xen has not backed yet);
//   target_pages  == XENMEM_current_reservation: the toolstack built the
//                    domain with that many pages (for a PoD guest, the PoD
//                    target), and nobody has asked for another figure yet.
//
// Per boot type (scenario/FORMAT.md) the kernel hands the driver different
// figures (start_info, the memory map, extra regions, unpopulated-alloc, the
// reservation); the oracle does not care which a driver uses, only that it
// arrives at these. tests/core/boot_types_test.cpp shows, for every boot
// type, which upstream version is off and by how many pages.
#ifndef BALLAST_WORLD_INITIAL_TARGET_H
#define BALLAST_WORLD_INITIAL_TARGET_H

#include <string>

#include "ballast_core.h"
#include "world.h"

namespace world {

struct InitialFigures {
	unsigned long current_pages = 0;
	unsigned long target_pages = 0;
};

// The figures a balloon must start from in `w`, read before anything has run
// since balloon_init (init itself changes no reservation).
InitialFigures initial_truth(const World &w);

// How far `st` is from the truth: current and target, signed (st - truth).
struct InitialSlip {
	long current = 0, target = 0;
	bool exact() const { return current == 0 && target == 0; }
	std::string describe() const; // "current_pages +64, target_pages -32"
};
InitialSlip initial_slip(const World &w, const ballast_stats &st);

} // namespace world

#endif // BALLAST_WORLD_INITIAL_TARGET_H
