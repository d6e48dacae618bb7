// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// ballast world: invariant checker. Cheap enough to run after every fuzz
// step: O(frames) with small constants, or in incremental mode O(list + lent
// + frames changed since the last check); no allocation when nothing is wrong.
//
//   world::InvariantChecker chk;                 // keep one per harness, reuse it
//   size_t n = chk.check(w, balloon_head, stats, lent.data(), lent.size());
//   for (auto& v : chk.violations()) puts(v.message.c_str());
//
// What is checked:
//  * the ballooned list: well-formed (next/prev agree), every node a frame of
//    this world, no duplicates or cycles (bounded walk);
//  * balloon_low / balloon_high equal the list contents by highmem;
//  * every frame is in exactly one place: guest free list, held by the
//    kernel, in the balloon list, lent to a driver, hotplugged-offline, or
//    not populated and not in guest space;
//  * a frame is populated (p2m valid, MFN owned by the domain, m2p agrees)
//    iff it is guest-owned (free or held); no domain-owned MFN is leaked
//    (m2p names a pfn whose p2m does not point back);
//  * the hypervisor's tot_pages equals the number of domain-owned MFNs (the
//    PoD cache included), and stats.current_pages equals tot_pages plus the
//    PoD entries the cache does not cover (within opts.current_pages_slip);
//  * faults the world recorded itself: double free, give-back of an MFN the
//    domain does not own (twice), double lock / unlock, bad pfn/page/resource;
//  * the allocator and the host pool: every free frame (host-free MFN) at its
//    recorded place in its stack, and the free frames (MFNs) the world counts
//    in each aligned superpage block the ones there are -- what alloc_block()
//    and superpage extents rely on.
//
// Frames handed to the balloon (alloc_page, online callback) must be in the
// list or lent; an unpopulated boot frame (PV extra region) becomes
// balloon-owned once a check sees it in the list. So a leak is seen even when
// a page leaves the list without being freed.
#ifndef BALLAST_WORLD_INVARIANTS_H
#define BALLAST_WORLD_INVARIANTS_H

#include <cstddef>
#include <string>
#include <vector>

#include "ballast_core.h"
#include "world.h"

namespace world {

enum class Check : uint8_t {
	ListCorrupt,	  // broken links, foreign node, too long
	ListDuplicate,	  // a node twice (duplicate or cycle)
	StatsMismatch,	  // balloon_low/high vs list contents
	TwoPlaces,	  // a frame in two places at once
	Leaked,		  // a balloon-owned frame in no place
	PopulatedWrong,	  // populated but not guest-owned, or guest-owned but unpopulated
	MfnLeak,	  // domain-owned MFN not mapped back by its pfn
	TotPages,	  // hypervisor tot_pages vs owned MFNs / stats.current_pages
	AllocatorCorrupt, // free list and frame states disagree
	WorldFault,	  // a fault recorded by the world (double free, double give-back, ...)
	Lock,		  // lock held between steps
};
const char *to_string(Check c);

struct Violation {
	Check kind;
	unsigned long pfn; // ~0UL if not about one frame
	std::string message;
};

struct CheckOptions {
	// |tot_pages - stats.current_pages| allowed (profiles known to slip).
	unsigned long current_pages_slip = 0;
	bool check_current_pages = true;
	// Expect the environment lock to be free (between steps).
	bool check_lock_free = true;
	// Report at most this many violations per check (the count goes on).
	size_t max_reports = 32;
	// Include the world's recorded faults; clear them after reporting.
	bool report_world_faults = true;
	bool clear_world_faults = true;
	// Incremental mode (fuzz harness): after a passing check of the same world,
	// only frames and MFNs that can have changed are checked again: those the
	// world logged as written (World::dirty_pfns/dirty_mfns), frames that
	// entered the ballooned list or entered or left the lent array, and the
	// frames and MFNs those point at. The free, balloon-owned and owned-MFN
	// totals are kept by difference; a leak shows as balloon-owned frames !=
	// list + lent, and then (as after any violation) everything is scanned. The list walk and everything else run every time. Off by
	// default: tests that corrupt frames by hand without World::note_frame()
	// need it off.
	bool incremental = false;
};

class InvariantChecker {
public:
	InvariantChecker() { out_.reserve(32); }
	// Returns the number of violations (0: all good).
	size_t check(World &w, const ballast_list *balloon_head, const ballast_stats &stats,
		     ballast_page *const *lent, size_t n_lent,
		     const CheckOptions &opts = CheckOptions());
	size_t check(World &w, const ballast_list *balloon_head, const ballast_stats &stats,
		     const std::vector<ballast_page *> &lent,
		     const CheckOptions &opts = CheckOptions())
	{
		return check(w, balloon_head, stats, lent.data(), lent.size(), opts);
	}
	const std::vector<Violation> &violations() const { return out_; }
	size_t count() const { return count_; }
	bool has(Check c) const;
	// All messages, one per line.
	std::string report() const;
	// Walk results of the last check.
	unsigned long list_length() const { return list_len_; }

private:
	static constexpr unsigned kInList = 1, kLent = 2;
	struct FrameShadow { // what the last check saw of one frame
		unsigned long p2m = INVALID_MFN;
		uint32_t stamp = 0;
		uint8_t state = BALLAST_WFS_ABSENT;
	};
	struct MfnShadow {
		unsigned long m2p = INVALID_MFN;
		uint32_t stamp = 0;
		uint8_t owner = 0xff; // not a World::MfnOwner: not seen yet
	};
	void add(Check c, unsigned long pfn, const char *fmt, ...)
		__attribute__((format(printf, 4, 5)));
	bool marked(const Frame *f, unsigned bit) const
	{
		return (f->mark >> 2) == epoch_ && (f->mark & bit);
	}
	void set_mark(Frame *f, unsigned bit) const
	{
		if ((f->mark >> 2) != epoch_)
			f->mark = epoch_ << 2;
		f->mark |= bit;
	}
	FrameState check_frame(World &w, Frame *f);
	bool check_mfn(World &w, unsigned long mfn_index);
	void check_totals(World &w);
	void check_blocks(World &w, const std::vector<uint32_t> *blocks,
			  const std::vector<uint32_t> *host_blocks);
	unsigned long recheck_frame(World &w, Frame *f);
	void recheck_mfn(World &w, unsigned long mfn_index);
	void full_scan(World &w);
	bool dirty_scan(World &w);

	std::vector<Violation> out_;
	size_t count_ = 0;
	size_t max_reports_ = 32;
	unsigned long list_len_ = 0;
	unsigned epoch_ = 0;
	// Incremental mode: the shadow of the last check, and this check's candidates.
	const World *last_world_ = nullptr;
	bool shadow_ok_ = false;
	std::vector<FrameShadow> fshadow_;
	// kInList | kLent per pfn at the last check that re-checked it. Apart from
	// the shadow: the list walk reads it for every node, and 1 byte per frame
	// stays in L1 where the 16-byte shadow did not (15% of the walk).
	std::vector<uint8_t> fmember_;
	std::vector<MfnShadow> mshadow_;
	std::vector<uint32_t> entered_, cur_lent_, prev_lent_, cand_pfns_, cand_mfns_, cand_blocks_,
		cand_host_blocks_;
	uint32_t stamp_ = 0;
	unsigned long n_free_ = 0, n_core_ = 0, owned_ = 0,
		      host_ = 0; // frames free / balloon-owned, MFNs the domain / the host owns

public:
	// Checks that scanned every frame / only the changed ones (incremental mode).
	unsigned long full_scans() const { return full_scans_; }
	unsigned long incremental_scans() const { return incremental_scans_; }

private:
	unsigned long full_scans_ = 0, incremental_scans_ = 0;
};

} // namespace world

#endif // BALLAST_WORLD_INVARIANTS_H
