// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "invariants.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace world {

const char *to_string(Check c)
{
	switch (c) {
	case Check::ListCorrupt:
		return "list-corrupt";
	case Check::ListDuplicate:
		return "list-duplicate";
	case Check::StatsMismatch:
		return "stats-mismatch";
	case Check::TwoPlaces:
		return "two-places";
	case Check::Leaked:
		return "leaked";
	case Check::PopulatedWrong:
		return "populated-wrong";
	case Check::MfnLeak:
		return "mfn-leak";
	case Check::TotPages:
		return "tot-pages";
	case Check::AllocatorCorrupt:
		return "allocator-corrupt";
	case Check::WorldFault:
		return "world-fault";
	case Check::Lock:
		return "lock";
	}
	return "?";
}

void InvariantChecker::add(Check c, unsigned long pfn, const char *fmt, ...)
{
	++count_;
	if (out_.size() >= max_reports_)
		return;
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	std::vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	out_.push_back(Violation{c, pfn, std::string(to_string(c)) + ": " + buf});
}

bool InvariantChecker::has(Check c) const
{
	for (const Violation &v : out_)
		if (v.kind == c)
			return true;
	return false;
}

std::string InvariantChecker::report() const
{
	std::string s;
	for (const Violation &v : out_) {
		s += v.message;
		s += '\n';
	}
	if (count_ > out_.size())
		s += "... and " + std::to_string(count_ - out_.size()) + " more\n";
	return s;
}

size_t InvariantChecker::check(World &w, const ballast_list *head, const ballast_stats &stats,
			       ballast_page *const *lent, size_t n_lent, const CheckOptions &opts)
{
	out_.clear();
	count_ = 0;
	max_reports_ = opts.max_reports;
	list_len_ = 0;
	const unsigned long NOPFN = ~0UL;
	epoch_ = w.next_mark_epoch();

	// 1. Faults the world recorded while the subject ran.
	if (opts.report_world_faults) {
		for (const FaultRecord &f : w.faults())
			add(Check::WorldFault, f.a, "%s (a=%#lx b=%#lx)", to_string(f.kind), f.a,
			    f.b);
		if (w.faults_total() > w.faults().size())
			add(Check::WorldFault, NOPFN, "%lu more faults recorded",
			    w.faults_total() - w.faults().size());
		if (opts.clear_world_faults)
			w.clear_faults();
	}
	if (opts.check_lock_free && w.lock_held())
		add(Check::Lock, NOPFN, "environment lock held between steps");

	// 2. The ballooned list: bounded walk, marks members with this epoch.
	// Incremental mode also collects the frames that entered it since the last
	// check (their shadow does not say "in list").
	const bool may_skip = opts.incremental && shadow_ok_ && last_world_ == &w &&
			      !w.dirty_overflow();
	entered_.clear();
	unsigned long low = 0, high = 0;
	bool walk_ok = true;
	if (head) {
		const unsigned long limit = w.frame_limit() + 1;
		const ballast_list *prev = head;
		const ballast_list *node = head->next;
		while (node != head) {
			if (!node) {
				add(Check::ListCorrupt, NOPFN, "NULL next pointer after %lu nodes",
				    list_len_);
				walk_ok = false;
				break;
			}
			if (++list_len_ > limit) {
				add(Check::ListCorrupt, NOPFN,
				    "list longer than the number of frames (cycle not through head)");
				walk_ok = false;
				break;
			}
			Frame *f = const_cast<Frame *>(reinterpret_cast<const Frame *>(node));
			if (!w.is_frame(f)) {
				add(Check::ListCorrupt, NOPFN,
				    "node %p (#%lu) is not a frame of this world",
				    static_cast<const void *>(node), list_len_);
				walk_ok = false;
				break;
			}
			if (marked(f, kInList)) {
				add(Check::ListDuplicate, f->pfn,
				    "pfn %#lx appears twice in the ballooned list (duplicate or cycle)",
				    f->pfn);
				walk_ok = false;
				break;
			}
			if (node->prev != prev)
				add(Check::ListCorrupt, f->pfn,
				    "pfn %#lx: prev link does not point to its predecessor",
				    f->pfn);
			set_mark(f, kInList);
			if (may_skip &&
			    (f->pfn >= fmember_.size() || !(fmember_[f->pfn] & kInList)))
				entered_.push_back(static_cast<uint32_t>(f->pfn));
			if (f->highmem)
				++high;
			else
				++low;
			prev = node;
			node = node->next;
		}
		if (walk_ok && head->prev != prev)
			add(Check::ListCorrupt, NOPFN, "head->prev is not the last node");
	}
	if (walk_ok && (stats.balloon_low != low || stats.balloon_high != high))
		add(Check::StatsMismatch, NOPFN,
		    "stats say balloon_low=%lu balloon_high=%lu, list holds low=%lu high=%lu",
		    stats.balloon_low, stats.balloon_high, low, high);

	// 3. Pages lent to drivers.
	cur_lent_.clear();
	for (size_t i = 0; i < n_lent; ++i) {
		Frame *f = lent[i];
		if (!w.is_frame(f)) {
			add(Check::ListCorrupt, NOPFN,
			    "lent page #%zu is not a frame of this world", i);
			continue;
		}
		if (marked(f, kLent))
			add(Check::TwoPlaces, f->pfn, "pfn %#lx lent twice", f->pfn);
		set_mark(f, kLent);
		cur_lent_.push_back(static_cast<uint32_t>(f->pfn));
		if (marked(f, kInList))
			add(Check::TwoPlaces, f->pfn,
			    "pfn %#lx is lent to a driver and in the ballooned list", f->pfn);
	}

	// 4-6. Every frame and MFN: all of them, or (incremental mode, after a
	// passing check of the same world) only those that can have changed.
	// A count of balloon-owned frames that is not list + lent means a frame
	// left both without being freed (a leak): the full scan names it.
	bool incremental_ok = false;
	if (may_skip && walk_ok && count_ == 0) {
		incremental_ok = dirty_scan(w) && n_core_ == list_len_ + cur_lent_.size();
		if (!incremental_ok) { // report from the full scan alone, complete and once
			out_.clear();
			count_ = 0;
		}
	}
	if (incremental_ok) {
		++incremental_scans_;
	} else {
		++full_scans_;
		full_scan(w);
	}
	if (opts.incremental)
		w.clear_dirty(); // the log is this mode's input; a full-mode audit leaves it
	cur_lent_.swap(prev_lent_);
	if (opts.check_current_pages) {
		const unsigned long t = w.reservation_with_pod(), c = stats.current_pages;
		const unsigned long d = t > c ? t - c : c - t;
		if (d > opts.current_pages_slip)
			add(Check::TotPages, NOPFN,
			    "hypervisor tot_pages=%lu (+ %lu PoD entries - %lu cache) but stats.current_pages=%lu (slip allowed %lu)",
			    w.tot_pages(), w.pod_entries(), w.pod_cache(), c,
			    opts.current_pages_slip);
	}
	// The shadow is only trusted after a check that passed and saw a walkable list.
	shadow_ok_ = opts.incremental && walk_ok && count_ == 0;
	last_world_ = &w;
	return count_;
}

// 4. One frame: in exactly one place, populated iff guest-owned. Returns its
// state after the check (an unpopulated boot frame in the list is adopted).
FrameState InvariantChecker::check_frame(World &w, Frame *f)
{
	const bool inl = marked(f, kInList);
	const bool isl = marked(f, kLent);
	const bool pop = w.populated(f);
	const unsigned long pfn = f->pfn;
	switch (state_of(f)) {
	case FrameState::Free: {
		const std::vector<uint32_t> &list = f->highmem ? w.free_high_list() :
								 w.free_low_list();
		const std::vector<uint32_t> &pos = w.free_positions();
		if (pfn >= pos.size() || pos[pfn] >= list.size() || list[pos[pfn]] != pfn)
			add(Check::AllocatorCorrupt, pfn,
			    "pfn %#lx is free but not at its recorded place in the free list", pfn);
		if (inl)
			add(Check::TwoPlaces, pfn,
			    "pfn %#lx is in the guest free list and in the ballooned list", pfn);
		if (isl)
			add(Check::TwoPlaces, pfn,
			    "pfn %#lx is in the guest free list and lent to a driver", pfn);
		if (!pop && f->p2m != POD_ENTRY)
			add(Check::PopulatedWrong, pfn,
			    "pfn %#lx is free in the guest but not populated (p2m %#lx)", pfn,
			    f->p2m);
		break;
	}
	case FrameState::Kernel:
		if (inl)
			add(Check::TwoPlaces, pfn,
			    "pfn %#lx is held by the kernel and in the ballooned list", pfn);
		if (isl)
			add(Check::TwoPlaces, pfn,
			    "pfn %#lx is held by the kernel and lent to a driver", pfn);
		if (!pop)
			add(Check::PopulatedWrong, pfn,
			    "pfn %#lx is held by the kernel but not populated (p2m %#lx)", pfn,
			    f->p2m);
		break;
	case FrameState::Core:
		if (!inl && !isl)
			add(Check::Leaked, pfn,
			    "pfn %#lx was handed to the balloon but is neither in the ballooned list, lent, nor freed (%s)",
			    pfn, pop ? "populated" : "unpopulated");
		else if (pop)
			add(Check::PopulatedWrong, pfn,
			    "pfn %#lx is %s but still populated (mfn %#lx)", pfn,
			    inl ? "in the ballooned list" : "lent", f->p2m);
		break;
	case FrameState::Unpopulated:
		if (inl || isl)
			f->wstate = BALLAST_WFS_CORE; // adopted by the balloon (boot extra region)
		if (pop)
			add(Check::PopulatedWrong, pfn,
			    "pfn %#lx is populated (mfn %#lx) but owned by nobody in the guest",
			    pfn, f->p2m);
		break;
	case FrameState::HotplugOffline:
		if (inl || isl)
			add(Check::TwoPlaces, pfn, "pfn %#lx is hotplugged-offline and %s", pfn,
			    inl ? "in the ballooned list" : "lent");
		if (pop)
			add(Check::PopulatedWrong, pfn,
			    "pfn %#lx is hotplugged-offline but populated", pfn);
		break;
	case FrameState::Absent:
		if (inl || isl)
			add(Check::TwoPlaces, pfn, "pfn %#lx is outside guest space but %s", pfn,
			    inl ? "in the ballooned list" : "lent");
		if (pop)
			add(Check::PopulatedWrong, pfn,
			    "pfn %#lx is outside guest space but populated", pfn);
		break;
	}
	if (!pop && f->p2m != INVALID_MFN && !w.auto_translated())
		add(Check::PopulatedWrong, pfn,
		    "pfn %#lx: stale p2m entry %#lx (MFN not owned / m2p disagrees)", pfn, f->p2m);
	return state_of(f);
}

// 6. One MFN index: if the domain owns it, the pfn it maps back to maps it.
// Returns whether the domain owns it.
bool InvariantChecker::check_mfn(World &w, unsigned long i)
{
	const unsigned long mfn = MFN_BASE + i;
	if (w.mfn_owner(mfn) == World::MfnOwner::Host) {
		const std::vector<uint32_t> &list = w.host_free_list(),
					    &pos = w.host_free_positions();
		if (i >= pos.size() || pos[i] >= list.size() || list[pos[i]] != i)
			add(Check::AllocatorCorrupt, ~0UL,
			    "MFN %#lx is host-free but not at its recorded place in the host pool",
			    mfn);
	}
	if (w.mfn_owner(mfn) != World::MfnOwner::Domain)
		return false;
	const unsigned long pfn = w.m2p(mfn);
	if (pfn == INVALID_MFN)
		return true; // XENMEM_increase_reservation: owned, not mapped
	const Frame *f = w.frame(pfn);
	if (!f || f->p2m != mfn)
		add(Check::MfnLeak, pfn,
		    "MFN %#lx owned by the domain for pfn %#lx, but that pfn maps %#lx (leaked in the hypervisor)",
		    mfn, pfn, f ? f->p2m : INVALID_MFN);
	return true;
}

void InvariantChecker::check_totals(World &w)
{
	const unsigned long NOPFN = ~0UL;
	// 5. Allocator consistency.
	const unsigned long listed = w.free_count();
	if (listed != n_free_)
		add(Check::AllocatorCorrupt, NOPFN,
		    "%lu frames in the free lists, %lu frames in state free", listed, n_free_);
	// 6. Hypervisor: tot_pages is the number of domain-owned MFNs.
	if (owned_ != w.tot_pages())
		add(Check::TotPages, NOPFN, "hypervisor tot_pages=%lu but the domain owns %lu MFNs",
		    w.tot_pages(), owned_);
	if (host_ != w.host_free_list().size())
		add(Check::AllocatorCorrupt, NOPFN, "%zu MFNs in the host pool, %lu MFNs host-free",
		    w.host_free_list().size(), host_);
}

// 7. Superpage blocks: the free frames (host-free MFNs) the world counts in
// each aligned block are the ones there are. `blocks` lists the blocks to
// recount (nullptr: all of them).
void InvariantChecker::check_blocks(World &w, const std::vector<uint32_t> *blocks,
				    const std::vector<uint32_t> *host_blocks)
{
	const unsigned order = w.superpage_order();
	const std::vector<uint32_t> &counted = w.block_free_counts();
	auto recount = [&](unsigned long b) {
		uint32_t n = 0;
		for (unsigned long pfn = b << order; pfn < (b + 1) << order; ++pfn) {
			const Frame *f = w.frame(pfn);
			n += f && state_of(f) == FrameState::Free;
		}
		const uint32_t c = b < counted.size() ? counted[b] : 0;
		if (c != n)
			add(Check::AllocatorCorrupt, b << order,
			    "block at pfn %#lx: %u frames free, the allocator counts %u",
			    b << order, n, c);
	};
	const std::vector<uint32_t> &hcounted = w.host_block_free_counts();
	auto host_recount = [&](unsigned long b) {
		uint32_t n = 0;
		for (unsigned long i = b << order; i < (b + 1) << order && i < w.mfn_count(); ++i)
			n += w.mfn_owner(MFN_BASE + i) == World::MfnOwner::Host;
		const uint32_t c = b < hcounted.size() ? hcounted[b] : 0;
		if (c != n)
			add(Check::AllocatorCorrupt, ~0UL,
			    "host block at MFN %#lx: %u MFNs host-free, the host counts %u",
			    MFN_BASE + (b << order), n, c);
	};
	if (blocks) {
		for (uint32_t b : *blocks)
			recount(b);
		for (uint32_t b : *host_blocks)
			host_recount(b);
		return;
	}
	const unsigned long nb = (w.frame_limit() >> order) + 1;
	for (unsigned long b = 0; b < nb || b < counted.size(); ++b)
		recount(b);
	const unsigned long nh = (w.mfn_count() >> order) + 1;
	for (unsigned long b = 0; b < nh; ++b)
		host_recount(b);
}

// Checks one frame and folds the verdict into the totals and its shadow.
// Returns the p2m its shadow held before (an MFN re-check may be due).
unsigned long InvariantChecker::recheck_frame(World &w, Frame *f)
{
	FrameShadow &sh = fshadow_[f->pfn];
	const FrameState st = check_frame(w, f);
	const FrameState was = static_cast<FrameState>(sh.state);
	n_free_ += (st == FrameState::Free) - (was == FrameState::Free);
	n_core_ += (st == FrameState::Core) - (was == FrameState::Core);
	const unsigned long old_p2m = sh.p2m;
	sh.p2m = f->p2m;
	sh.state = static_cast<uint8_t>(st);
	fmember_[f->pfn] = static_cast<uint8_t>((marked(f, kInList) ? kInList : 0) |
						(marked(f, kLent) ? kLent : 0));
	return old_p2m;
}

void InvariantChecker::recheck_mfn(World &w, unsigned long i)
{
	MfnShadow &sh = mshadow_[i];
	owned_ += check_mfn(w, i) -
		  (static_cast<World::MfnOwner>(sh.owner) == World::MfnOwner::Domain);
	host_ += (w.mfn_owner(MFN_BASE + i) == World::MfnOwner::Host) -
		 (static_cast<World::MfnOwner>(sh.owner) == World::MfnOwner::Host);
	sh.owner = static_cast<uint8_t>(w.mfn_owner(MFN_BASE + i));
	sh.m2p = w.m2p(MFN_BASE + i);
}

// Every frame and MFN, from an empty shadow (nothing free, owned or held).
void InvariantChecker::full_scan(World &w)
{
	fshadow_.assign(w.frame_limit(), FrameShadow{});
	fmember_.assign(w.frame_limit(), 0);
	mshadow_.assign(w.mfn_count(), MfnShadow{});
	n_free_ = n_core_ = owned_ = host_ = 0;
	w.for_each_frame([&](Frame *f) { recheck_frame(w, f); });
	for (unsigned long i = 0; i < mshadow_.size(); ++i)
		recheck_mfn(w, i);
	check_totals(w);
	check_blocks(w, nullptr, nullptr);
}

// Incremental mode. What a frame's verdict depends on: its wstate and p2m
// (logged by the world), its list/lent membership, and the owner/m2p of the
// MFN its p2m names (an MFN change re-checks the frames its old and new m2p
// name). Frames that entered the list or the lent array are re-checked;
// frames that left them were either freed (logged) or leaked, which the
// caller sees as n_core_ != list + lent. What an MFN's verdict depends on:
// its owner/m2p (logged) and the p2m of the pfn it maps back to (a frame whose
// p2m changed re-checks its old and new MFN). Anything not reached that way
// has the verdict of the last, passing, check. Returns false if it reported
// anything (the caller then scans everything, for complete messages).
bool InvariantChecker::dirty_scan(World &w)
{
	const size_t reported = count_;
	if (fshadow_.size() < w.frame_limit()) {
		fshadow_.resize(w.frame_limit(), FrameShadow{});
		fmember_.resize(w.frame_limit(), 0);
	}
	if (mshadow_.size() < w.mfn_count())
		mshadow_.resize(w.mfn_count(), MfnShadow{});
	if (++stamp_ == 0) { // wrapped: forget old stamps
		for (FrameShadow &sh : fshadow_)
			sh.stamp = 0;
		for (MfnShadow &sh : mshadow_)
			sh.stamp = 0;
		stamp_ = 1;
	}
	cand_pfns_.clear();
	cand_mfns_.clear();
	auto add_pfn = [&](unsigned long pfn) {
		if (pfn >= fshadow_.size() || fshadow_[pfn].stamp == stamp_)
			return;
		fshadow_[pfn].stamp = stamp_;
		cand_pfns_.push_back(static_cast<uint32_t>(pfn));
	};
	auto add_mfn = [&](unsigned long mfn) {
		if (!w.mfn_valid(mfn))
			return;
		const unsigned long i = mfn - MFN_BASE;
		if (i >= mshadow_.size() || mshadow_[i].stamp == stamp_)
			return;
		mshadow_[i].stamp = stamp_;
		cand_mfns_.push_back(static_cast<uint32_t>(i));
	};
	for (uint32_t pfn : w.dirty_pfns())
		add_pfn(pfn);
	for (uint32_t pfn : entered_)
		add_pfn(pfn);
	for (uint32_t pfn : cur_lent_)
		if (!(fmember_[pfn] & kLent))
			add_pfn(pfn);
	for (uint32_t pfn : prev_lent_) {
		const Frame *f = w.frame(pfn);
		if (!f || !marked(f, kLent))
			add_pfn(pfn);
	}
	for (uint32_t i : w.dirty_mfns()) {
		if (i >= mshadow_.size())
			continue; // beyond mfn_count(): never handed out
		add_mfn(MFN_BASE + i);
		add_pfn(mshadow_[i].m2p);
		add_pfn(w.m2p(MFN_BASE + i));
	}
	for (uint32_t pfn : cand_pfns_) {
		Frame *f = w.frame(pfn);
		if (!f)
			continue;
		const unsigned long old_p2m = recheck_frame(w, f);
		if (old_p2m != f->p2m) {
			add_mfn(old_p2m);
			add_mfn(f->p2m);
		}
	}
	for (uint32_t i : cand_mfns_)
		recheck_mfn(w, i);
	check_totals(w);
	// The blocks of everything re-checked, once each.
	const unsigned order = w.superpage_order();
	cand_blocks_.clear();
	cand_host_blocks_.clear();
	for (uint32_t pfn : cand_pfns_)
		if (cand_blocks_.empty() || cand_blocks_.back() != pfn >> order)
			cand_blocks_.push_back(pfn >> order);
	for (uint32_t i : cand_mfns_)
		if (cand_host_blocks_.empty() || cand_host_blocks_.back() != i >> order)
			cand_host_blocks_.push_back(i >> order);
	for (std::vector<uint32_t> *v : {&cand_blocks_, &cand_host_blocks_}) {
		std::sort(v->begin(), v->end());
		v->erase(std::unique(v->begin(), v->end()), v->end());
	}
	check_blocks(w, &cand_blocks_, &cand_host_blocks_);
	return count_ == reported;
}

} // namespace world
