// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast scenario: random scenarios for the differential campaigns
// (`ballast-diff random|campaign`): small worlds, operations weighted toward
// the interesting (batch boundaries, lending, hostile replies).
#ifndef BALLAST_SCENARIO_GENERATE_H
#define BALLAST_SCENARIO_GENERATE_H

#include <cstdint>

#include "scenario.h"

namespace ballast {
namespace scenario {

struct GenOptions {
	unsigned min_ops = 12, max_ops = 28;
	bool negative_lending = true; // lend with negative counts (1 lend in 10)
	bool hostile = true;	      // hypervisor/allocator misbehaviour ops
	bool pv = true;		      // PV worlds too
};
// Deterministic in `seed`; the profile is left at ballast (the pair decides).
void generate_scenario(uint64_t seed, const GenOptions &opt, Scenario *out);

} // namespace scenario
} // namespace ballast

#endif // BALLAST_SCENARIO_GENERATE_H
