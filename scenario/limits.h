// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast scenario: the bounds of a fuzz input. They keep one execution of a
// fuzz target in the tens of microseconds (page moves, the per-step list walk
// and the first full check all grow with the world), small enough to be fast
// and large enough that a 512-entry batch and hotplug past it stay reachable
// (fuzz/README.md, Speed).
//
// They bound what the binary decoder produces (binary.h: every decoded input
// is within them), never what a person wrote: a text scenario outside them
// runs as written in every tool, and only turning it into a fuzz input
// (encode_input) refuses it, naming the limit.
#ifndef BALLAST_SCENARIO_LIMITS_H
#define BALLAST_SCENARIO_LIMITS_H

#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario.h"

namespace ballast {
namespace scenario {

struct FuzzLimits {
	uint64_t max_frames = 256;
	uint64_t max_host_pool = 512;
	uint64_t max_pps = 128;
	uint64_t max_iomem_pfn = 1536; // allocate_resource fails above: bounds hotplug growth
	uint64_t advance_runs = 64;    // every fuzz input's header says advance_runs=64
	size_t max_ops = 64;
	int64_t max_lend = 1024;
};

// Make a decoded scenario satisfy the limits (the decoder's last step).
void fit_to_limits(Scenario *s, const FuzzLimits &lim = FuzzLimits());
// True when `s` is within the limits; else false and the first limit it
// breaks, as "frames=1024 is above the fuzz limit 256".
bool within_limits(const Scenario &s, std::string *why, const FuzzLimits &lim = FuzzLimits());

} // namespace scenario
} // namespace ballast

#endif // BALLAST_SCENARIO_LIMITS_H
