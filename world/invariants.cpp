// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "invariants.h"

#include <cstdarg>
#include <cstdio>

namespace world {

const char* to_string(Check c) {
  switch (c) {
    case Check::ListCorrupt: return "list-corrupt";
    case Check::ListDuplicate: return "list-duplicate";
    case Check::StatsMismatch: return "stats-mismatch";
    case Check::TwoPlaces: return "two-places";
    case Check::Leaked: return "leaked";
    case Check::PopulatedWrong: return "populated-wrong";
    case Check::MfnLeak: return "mfn-leak";
    case Check::TotPages: return "tot-pages";
    case Check::AllocatorCorrupt: return "allocator-corrupt";
    case Check::WorldFault: return "world-fault";
    case Check::Lock: return "lock";
  }
  return "?";
}

void InvariantChecker::add(Check c, unsigned long pfn, const char* fmt, ...) {
  ++count_;
  if (out_.size() >= max_reports_) return;
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  out_.push_back(Violation{c, pfn, std::string(to_string(c)) + ": " + buf});
}

bool InvariantChecker::has(Check c) const {
  for (const Violation& v : out_)
    if (v.kind == c) return true;
  return false;
}

std::string InvariantChecker::report() const {
  std::string s;
  for (const Violation& v : out_) {
    s += v.message;
    s += '\n';
  }
  if (count_ > out_.size()) s += "... and " + std::to_string(count_ - out_.size()) + " more\n";
  return s;
}

size_t InvariantChecker::check(World& w, const ballast_list* head, const ballast_stats& stats,
                               ballast_page* const* lent, size_t n_lent, const CheckOptions& opts) {
  out_.clear();
  count_ = 0;
  max_reports_ = opts.max_reports;
  list_len_ = 0;
  const unsigned long NOPFN = ~0UL;
  const unsigned epoch = w.next_mark_epoch();
  const unsigned IN_LIST = 1, LENT = 2;
  auto marked = [epoch](const Frame* f, unsigned bit) { return (f->mark >> 2) == epoch && (f->mark & bit); };
  auto set_mark = [epoch](Frame* f, unsigned bit) {
    if ((f->mark >> 2) != epoch) f->mark = epoch << 2;
    f->mark |= bit;
  };

  // Multiset signature of the list and of the lent array (incremental mode).
  uint64_t sig[6] = {0, 0, 0, 0, 0, 0};
  auto mix1 = [](uint64_t x) {  // splitmix64
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
  };
  auto mix2 = [](uint64_t x) {  // murmur3 fmix64 of a different offset
    x ^= 0x632BE59BD9B4E019ULL;
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ULL;
    return x ^ (x >> 33);
  };

  // 1. Faults the world recorded while the subject ran.
  if (opts.report_world_faults) {
    for (const FaultRecord& f : w.faults())
      add(Check::WorldFault, f.a, "%s (a=%#lx b=%#lx)", to_string(f.kind), f.a, f.b);
    if (w.faults_total() > w.faults().size())
      add(Check::WorldFault, NOPFN, "%lu more faults recorded", w.faults_total() - w.faults().size());
    if (opts.clear_world_faults) w.clear_faults();
  }
  if (opts.check_lock_free && w.lock_held()) add(Check::Lock, NOPFN, "environment lock held between steps");

  // 2. The ballooned list: bounded walk, marks members with this epoch.
  unsigned long low = 0, high = 0;
  bool walk_ok = true;
  if (head) {
    const unsigned long limit = w.frame_limit() + 1;
    const ballast_list* prev = head;
    const ballast_list* node = head->next;
    while (node != head) {
      if (!node) {
        add(Check::ListCorrupt, NOPFN, "NULL next pointer after %lu nodes", list_len_);
        walk_ok = false;
        break;
      }
      if (++list_len_ > limit) {
        add(Check::ListCorrupt, NOPFN, "list longer than the number of frames (cycle not through head)");
        walk_ok = false;
        break;
      }
      Frame* f = const_cast<Frame*>(reinterpret_cast<const Frame*>(node));
      if (!w.is_frame(f)) {
        add(Check::ListCorrupt, NOPFN, "node %p (#%lu) is not a frame of this world",
            static_cast<const void*>(node), list_len_);
        walk_ok = false;
        break;
      }
      if (marked(f, IN_LIST)) {
        add(Check::ListDuplicate, f->pfn, "pfn %#lx appears twice in the ballooned list (duplicate or cycle)", f->pfn);
        walk_ok = false;
        break;
      }
      if (node->prev != prev)
        add(Check::ListCorrupt, f->pfn, "pfn %#lx: prev link does not point to its predecessor", f->pfn);
      set_mark(f, IN_LIST);
      sig[0] += mix1(f->pfn);
      sig[1] ^= mix2(f->pfn);
      if (f->highmem) ++high;
      else ++low;
      prev = node;
      node = node->next;
    }
    if (walk_ok && head->prev != prev) add(Check::ListCorrupt, NOPFN, "head->prev is not the last node");
  }
  if (walk_ok && (stats.balloon_low != low || stats.balloon_high != high))
    add(Check::StatsMismatch, NOPFN, "stats say balloon_low=%lu balloon_high=%lu, list holds low=%lu high=%lu",
        stats.balloon_low, stats.balloon_high, low, high);

  // 3. Pages lent to drivers.
  for (size_t i = 0; i < n_lent; ++i) {
    Frame* f = lent[i];
    if (!w.is_frame(f)) {
      add(Check::ListCorrupt, NOPFN, "lent page #%zu is not a frame of this world", i);
      continue;
    }
    if (marked(f, LENT)) add(Check::TwoPlaces, f->pfn, "pfn %#lx lent twice", f->pfn);
    set_mark(f, LENT);
    sig[2] += mix1(f->pfn);
    sig[3] ^= mix2(f->pfn);
    if (marked(f, IN_LIST)) add(Check::TwoPlaces, f->pfn, "pfn %#lx is lent to a driver and in the ballooned list", f->pfn);
  }

  sig[4] = list_len_;
  sig[5] = n_lent;
  const bool same = opts.incremental && walk_ok && last_ok_ && last_world_ == &w &&
                    last_mutations_ == w.mutation_count() && count_ == 0;
  bool sig_same = same;
  for (int i = 0; i < 6 && sig_same; ++i) sig_same = sig[i] == last_sig_[i];
  if (sig_same) {
    ++skipped_scans_;
  } else {
    ++full_scans_;
    full_scan(w, opts, marked, IN_LIST, LENT);
  }
  if (opts.check_current_pages) {
    const unsigned long t = w.tot_pages(), c = stats.current_pages;
    const unsigned long d = t > c ? t - c : c - t;
    if (d > opts.current_pages_slip)
      add(Check::TotPages, NOPFN, "hypervisor tot_pages=%lu but stats.current_pages=%lu (slip allowed %lu)", t, c,
          opts.current_pages_slip);
  }
  last_ok_ = count_ == 0;
  last_world_ = &w;
  last_mutations_ = w.mutation_count();
  for (int i = 0; i < 6; ++i) last_sig_[i] = sig[i];
  return count_;
}

template <class Marked>
void InvariantChecker::full_scan(World& w, const CheckOptions& opts, Marked marked, unsigned IN_LIST, unsigned LENT) {
  (void)opts;
  const unsigned long NOPFN = ~0UL;
  // 4. Every frame: one place, populated iff guest-owned.
  unsigned long n_free = 0;
  w.for_each_frame([&](Frame* f) {
    const bool inl = marked(f, IN_LIST);
    const bool isl = marked(f, LENT);
    const bool pop = w.populated(f);
    const unsigned long pfn = f->pfn;
    switch (state_of(f)) {
      case FrameState::Free:
        ++n_free;
        if (inl) add(Check::TwoPlaces, pfn, "pfn %#lx is in the guest free list and in the ballooned list", pfn);
        if (isl) add(Check::TwoPlaces, pfn, "pfn %#lx is in the guest free list and lent to a driver", pfn);
        if (!pop) add(Check::PopulatedWrong, pfn, "pfn %#lx is free in the guest but not populated (p2m %#lx)", pfn, f->p2m);
        break;
      case FrameState::Kernel:
        if (inl) add(Check::TwoPlaces, pfn, "pfn %#lx is held by the kernel and in the ballooned list", pfn);
        if (isl) add(Check::TwoPlaces, pfn, "pfn %#lx is held by the kernel and lent to a driver", pfn);
        if (!pop) add(Check::PopulatedWrong, pfn, "pfn %#lx is held by the kernel but not populated (p2m %#lx)", pfn, f->p2m);
        break;
      case FrameState::Core:
        if (!inl && !isl)
          add(Check::Leaked, pfn, "pfn %#lx was handed to the balloon but is neither in the ballooned list, lent, nor freed (%s)",
              pfn, pop ? "populated" : "unpopulated");
        else if (pop)
          add(Check::PopulatedWrong, pfn, "pfn %#lx is %s but still populated (mfn %#lx)", pfn,
              inl ? "in the ballooned list" : "lent", f->p2m);
        break;
      case FrameState::Unpopulated:
        if (inl || isl) f->wstate = BALLAST_WFS_CORE;  // adopted by the balloon (boot extra region)
        if (pop) add(Check::PopulatedWrong, pfn, "pfn %#lx is populated (mfn %#lx) but owned by nobody in the guest", pfn, f->p2m);
        break;
      case FrameState::HotplugOffline:
        if (inl || isl)
          add(Check::TwoPlaces, pfn, "pfn %#lx is hotplugged-offline and %s", pfn, inl ? "in the ballooned list" : "lent");
        if (pop) add(Check::PopulatedWrong, pfn, "pfn %#lx is hotplugged-offline but populated", pfn);
        break;
      case FrameState::Absent:
        if (inl || isl)
          add(Check::TwoPlaces, pfn, "pfn %#lx is outside guest space but %s", pfn, inl ? "in the ballooned list" : "lent");
        if (pop) add(Check::PopulatedWrong, pfn, "pfn %#lx is outside guest space but populated", pfn);
        break;
    }
    if (!pop && f->p2m != INVALID_MFN && !w.auto_translated())
      add(Check::PopulatedWrong, pfn, "pfn %#lx: stale p2m entry %#lx (MFN not owned / m2p disagrees)", pfn, f->p2m);
  });

  // 5. Allocator consistency.
  const unsigned long listed = w.free_count();
  if (listed != n_free)
    add(Check::AllocatorCorrupt, NOPFN, "%lu frames in the free lists, %lu frames in state free", listed, n_free);

  // 6. Hypervisor: owned MFNs, m2p/p2m agreement, tot_pages.
  unsigned long owned = 0;
  const unsigned long nmfn = w.mfn_count();
  for (unsigned long i = 0; i < nmfn; ++i) {
    const unsigned long mfn = MFN_BASE + i;
    if (w.mfn_owner(mfn) != World::MfnOwner::Domain) continue;
    ++owned;
    const unsigned long pfn = w.m2p(mfn);
    if (pfn == INVALID_MFN) continue;  // XENMEM_increase_reservation: owned, not mapped
    const Frame* f = w.frame(pfn);
    if (!f || f->p2m != mfn)
      add(Check::MfnLeak, pfn, "MFN %#lx owned by the domain for pfn %#lx, but that pfn maps %#lx (leaked in the hypervisor)",
          mfn, pfn, f ? f->p2m : INVALID_MFN);
  }
  if (owned != w.tot_pages())
    add(Check::TotPages, NOPFN, "hypervisor tot_pages=%lu but the domain owns %lu MFNs", w.tot_pages(), owned);
}

}  // namespace world
