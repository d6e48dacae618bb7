// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// ballast world: the Xen hypervisor as the balloon driver meets it. It owns
// the reservation: which MFNs the domain holds (tot_pages against max_pages),
// the m2p, and a host pool of free MFNs, initialised lazily as MFNs are
// handed out. The guest reaches it through HYPERVISOR_memory_op
// (World::memory_op) with Xen's real XENMEM_* ABI structs; HypervisorKnobs
// make it cap, fail or lie the way a hostile or overloaded host may. Every
// call is kept in a ring of HypercallRecords.
#ifndef BALLAST_WORLD_HYPERVISOR_H
#define BALLAST_WORLD_HYPERVISOR_H

#include <stdint.h> // before the Xen headers, which are not self-contained

#include <array>
#include <cstdint>
#include <vector>

#include "ballast_env.h"

extern "C" {
#include <xen/xen.h>
#include <xen/memory.h>
}

static_assert(sizeof(ballast_pfn_t) == sizeof(xen_pfn_t), "ballast_pfn_t must be xen_pfn_t");
static_assert(static_cast<ballast_pfn_t>(-1) == static_cast<xen_pfn_t>(-1),
	      "ballast_pfn_t signedness");

namespace world {

// One direction of the reservation hypercalls.
struct HypercallKnobs {
	unsigned long cap_extents = 0; // process at most this many extents per call (0: all)
	unsigned long fail_next = 0;   // the next K calls do nothing and return fail_result
	long fail_result = -12;	       // -ENOMEM
	uint32_t fail_permille = 0;    // each call fails like fail_next with this probability
	long lie_extra = 0;	   // added to the count returned (results larger than requested)
	long result_when_none = 0; // returned when no extent was done (real Xen: 0)
};

struct HypervisorKnobs {
	HypercallKnobs populate;       // XENMEM_populate_physmap and XENMEM_increase_reservation
	HypercallKnobs decrease;       // XENMEM_decrease_reservation
	bool enforce_max_pages = true; // real Xen refuses above max_pages
	// Xen's memop-max-order for this domain (x86 domU default: 9): a call
	// with a larger extent_order does nothing and returns 0.
	unsigned max_order = 9;
};

struct HypercallRecord {
	unsigned cmd;
	unsigned long nr_extents; // requested
	unsigned long done;	  // actually processed
	long result;		  // returned
	unsigned order;		  // extent_order (0: 4 KiB extents)
	// A reply the guest cannot tell from the truth: fewer or more extents
	// than Xen processed but within the request, or an error after doing
	// work. Honest: result == done, or an error after doing nothing.
	// Detectable, so not hiding: all done and more than requested claimed
	// (clamping gives the truth). A reply above the request after partial
	// work hides it: the guest can only guess.
	bool hides_work() const
	{
		const bool honest = result >= 0 ? (unsigned long)result == done : done == 0;
		const bool clampable = result >= 0 && (unsigned long)result > nr_extents &&
				       done == nr_extents;
		return !honest && !clampable;
	}
};

// Who owns an MFN (World::MfnOwner).
enum class MfnOwner : uint8_t { Host = 0, Domain = 1, Other = 2 };

// The hypervisor's state (World::hyp_). MFN index i is MFN_BASE + i.
struct HypervisorState {
	static constexpr unsigned kTraceSize = 256;

	unsigned long tot_pages = 0, max_pages = 0;
	std::vector<uint8_t> mfn_owner; // MfnOwner per index
	std::vector<unsigned long> m2p;
	std::vector<uint32_t> host_free; // returned MFN indices (LIFO)
	unsigned long mfn_hw = 0;	 // indices [0, mfn_hw) initialised
	unsigned long mfn_limit = 0;	 // indices [mfn_hw, mfn_limit) are implicitly host-free
	// Aligned blocks of 2^order MFNs (the guest's superpage order), as Xen's
	// buddy allocator hands them out for an extent of that order: how many
	// initialised MFNs of each are host-free, and where each host-free MFN
	// sits in host_free. A block is whole when all of them are.
	unsigned order = 0;
	std::vector<uint32_t> host_pos;	       // MFN index -> index in host_free, if host-free
	std::vector<uint32_t> host_block_free; // block -> host-free MFNs in it
	unsigned long host_hint = 0;	       // no whole block above this one
	// Populate-on-demand: gfns marked POD_ENTRY (counted here), and the cache
	// that backs them (domain-owned MFNs mapped by no gfn, counted in tot_pages).
	unsigned long pod_entries = 0;
	std::vector<uint32_t> pod_cache;
	std::array<HypercallRecord, kTraceSize> trace{};
	uint64_t trace_total = 0;
	// Every memory_op by command (XENMEM_* < 32), and the pages it moved.
	std::array<uint64_t, 32> calls{}, pages{};
	// Replies that hide what Xen did (HypercallRecord::hides_work), counted
	// here because a long advance can push them out of the trace ring.
	uint64_t hiding_replies = 0;
	uint64_t queries = 0; // XENMEM_current/maximum_reservation calls (in the trace too)
};

} // namespace world

#endif // BALLAST_WORLD_HYPERVISOR_H
