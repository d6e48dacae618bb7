// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// ballast world: invariant checker. Cheap enough to run after every fuzz
// step: O(frames) with small constants, no allocation when nothing is wrong.
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
//  * the hypervisor's tot_pages equals the number of domain-owned MFNs, and
//    stats.current_pages (within opts.current_pages_slip);
//  * faults the world recorded itself: double free, give-back of an MFN the
//    domain does not own (twice), double lock / unlock, bad pfn/page/resource.
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
  ListCorrupt,      // broken links, foreign node, too long
  ListDuplicate,    // a node twice (duplicate or cycle)
  StatsMismatch,    // balloon_low/high vs list contents
  TwoPlaces,        // a frame in two places at once
  Leaked,           // a balloon-owned frame in no place
  PopulatedWrong,   // populated but not guest-owned, or guest-owned but unpopulated
  MfnLeak,          // domain-owned MFN not mapped back by its pfn
  TotPages,         // hypervisor tot_pages vs owned MFNs / stats.current_pages
  AllocatorCorrupt, // free list and frame states disagree
  WorldFault,       // a fault recorded by the world (double free, double give-back, ...)
  Lock,             // lock held between steps
};
const char* to_string(Check c);

struct Violation {
  Check kind;
  unsigned long pfn;  // ~0UL if not about one frame
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
  // Incremental mode (fuzz harness): the O(frames) scans (every frame's place
  // and populated state, the free-list count, every MFN) are skipped when the
  // previous check of this world passed, the world has not mutated since
  // (World::mutation_count) and the ballooned list and the lent array hold the
  // same set of frames (exact count plus two independent 64-bit multiset
  // hashes of the pfns). Their result would be the same. Everything else runs
  // every time. Off by default: tests that corrupt frames by hand need it off.
  bool incremental = false;
};

class InvariantChecker {
 public:
  InvariantChecker() { out_.reserve(32); }
  // Returns the number of violations (0: all good).
  size_t check(World& w, const ballast_list* balloon_head, const ballast_stats& stats,
               ballast_page* const* lent, size_t n_lent, const CheckOptions& opts = CheckOptions());
  size_t check(World& w, const ballast_list* balloon_head, const ballast_stats& stats,
               const std::vector<ballast_page*>& lent, const CheckOptions& opts = CheckOptions()) {
    return check(w, balloon_head, stats, lent.data(), lent.size(), opts);
  }
  const std::vector<Violation>& violations() const { return out_; }
  size_t count() const { return count_; }
  bool has(Check c) const;
  // All messages, one per line.
  std::string report() const;
  // Walk results of the last check.
  unsigned long list_length() const { return list_len_; }

 private:
  void add(Check c, unsigned long pfn, const char* fmt, ...) __attribute__((format(printf, 4, 5)));
  template <class Marked>
  void full_scan(World& w, const CheckOptions& opts, Marked marked, unsigned in_list, unsigned lent);

  std::vector<Violation> out_;
  size_t count_ = 0;
  size_t max_reports_ = 32;
  unsigned long list_len_ = 0;
  // Incremental mode: what the last passing full scan saw.
  const World* last_world_ = nullptr;
  uint64_t last_mutations_ = 0;
  uint64_t last_sig_[6] = {0, 0, 0, 0, 0, 0};
  bool last_ok_ = false;
 public:
  unsigned long full_scans() const { return full_scans_; }
  unsigned long skipped_scans() const { return skipped_scans_; }
 private:
  unsigned long full_scans_ = 0, skipped_scans_ = 0;
};

}  // namespace world

#endif  // BALLAST_WORLD_INVARIANTS_H
