// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "world.h"

#include <cerrno>

namespace world {

const char *to_string(FrameState s)
{
	switch (s) {
	case FrameState::Absent:
		return "absent";
	case FrameState::Free:
		return "free";
	case FrameState::Kernel:
		return "kernel-held";
	case FrameState::Core:
		return "balloon-owned";
	case FrameState::Unpopulated:
		return "unpopulated";
	case FrameState::HotplugOffline:
		return "hotplug-offline";
	}
	return "?";
}

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
	case Fault::BadResource:
		return "resource not allocated by this world";
	}
	return "?";
}

World::World(const Config &cfg)
{
	reset(cfg);
}

void World::init_frame(Frame *f, unsigned long pfn)
{
	f->lru.next = nullptr;
	f->lru.prev = nullptr;
	f->pfn = pfn;
	f->p2m = INVALID_MFN;
	f->highmem = pfn >= cfg_.highmem_start_pfn ? 1 : 0;
	f->offline = 0;
	f->reserved = 0;
	f->wstate = BALLAST_WFS_ABSENT;
	f->mark = 0;
	log_pfn(pfn);
}

namespace {
// Every fuzz input starts here: with one ASan/UBSan-checked store per field
// this loop was 7% of a core_invariants run. It writes [0, cap) of a block
// reset() has just made sure holds cap frames, and nothing else, so it is
// left uninstrumented (the frames it writes are checked on every later use).
__attribute__((no_sanitize("address", "undefined"))) void
init_boot_frames(Frame *fr, unsigned long cap, unsigned long pop, unsigned long kern,
		 unsigned long tot, unsigned long hm)
{
	for (unsigned long pfn = 0; pfn < cap; ++pfn) {
		Frame *f = fr + pfn;
		f->lru.next = nullptr;
		f->lru.prev = nullptr;
		f->pfn = pfn;
		f->highmem = pfn >= hm;
		f->offline = 0;
		f->mark = 0;
		if (pfn < pop) {
			f->p2m = MFN_BASE + pfn;
			f->reserved = 0;
			f->wstate = pfn < kern ? BALLAST_WFS_KERNEL : BALLAST_WFS_FREE;
		} else {
			f->p2m = INVALID_MFN;
			f->reserved = pfn < tot;
			f->wstate = pfn < tot ? BALLAST_WFS_UNPOPULATED : BALLAST_WFS_ABSENT;
		}
	}
}
} // namespace

void World::reset(const Config &cfg)
{
	clear_dirty();
	dirty_overflow_ = true; // every frame changed: the next check scans them all
	cfg_ = cfg;
	if (cfg_.populated_frames > cfg_.total_frames)
		cfg_.populated_frames = cfg_.total_frames;
	if (cfg_.kernel_frames > cfg_.populated_frames)
		cfg_.kernel_frames = cfg_.populated_frames;
	if (cfg_.max_pages == 0)
		cfg_.max_pages = cfg_.total_frames;
	if (cfg_.max_pfn == 0)
		cfg_.max_pfn = cfg_.total_frames;
	if (cfg_.n_regions > cfg_.regions.size())
		cfg_.n_regions = static_cast<unsigned>(cfg_.regions.size());
	if (cfg_.pages_per_section == 0)
		cfg_.pages_per_section = 1;
	rng_ = cfg_.seed ? cfg_.seed : 0x9E3779B97F4A7C15ULL;

	// Frames: one boot block, reused when big enough.
	unsigned long nframes = cfg_.total_frames > cfg_.max_pfn ? cfg_.total_frames : cfg_.max_pfn;
	unsigned long nchunks = (nframes + kChunkMask) >> kChunkShift;
	if (nchunks == 0)
		nchunks = 1;
	size_t cap = nchunks << kChunkShift;
	Block boot;
	if (!blocks_.empty() && blocks_[0].size >= cap)
		boot = std::move(blocks_[0]);
	else
		boot = Block{std::unique_ptr<Frame[]>(new Frame[cap]), cap};
	for (size_t i = 1; i < blocks_.size(); ++i) { // hotplug blocks: kept for reuse (bounded)
		if (spare_blocks_.size() >= 64)
			break;
		spare_blocks_.push_back(std::move(blocks_[i]));
	}
	blocks_.clear();
	chunks_.assign(nchunks, nullptr);
	for (unsigned long c = 0; c < nchunks; ++c)
		chunks_[c] = boot.frames.get() + (c << kChunkShift);
	blocks_.push_back(std::move(boot));
	top_pfn_ = cfg_.total_frames;

	// Hypervisor MFN space: the domain's boot pages, then the host pool
	// (initialised lazily as MFNs are handed out).
	size_t nmfn = cfg_.populated_frames + cfg_.host_pool;
	if (mfn_owner_.size() < nmfn) {
		mfn_owner_.resize(nmfn);
		m2p_.resize(nmfn);
	}
	mfn_hw_ = cfg_.populated_frames;
	mfn_limit_ = nmfn;
	host_free_.clear();
	tot_pages_ = cfg_.populated_frames;
	max_pages_ = cfg_.max_pages;

	// Guest frames: one tight pass over the (contiguous) boot block.
	const unsigned long pop = cfg_.populated_frames, kern = cfg_.kernel_frames,
			    tot = cfg_.total_frames;
	const unsigned long hm = cfg_.highmem_start_pfn;
	init_boot_frames(blocks_[0].frames.get(), cap, pop, kern, tot, hm);
	uint8_t *own = mfn_owner_.data();
	unsigned long *m2p = m2p_.data();
	for (unsigned long i = 0; i < pop; ++i) {
		own[i] = static_cast<uint8_t>(MfnOwner::Domain);
		m2p[i] = i;
	}
	// Free lists are LIFO stacks, low pfns on top.
	const unsigned long high_from = hm < pop ? (hm > kern ? hm : kern) :
						   pop; // [high_from, pop) highmem
	free_high_.resize(pop - high_from);
	for (unsigned long i = 0; i < pop - high_from; ++i)
		free_high_[i] = static_cast<uint32_t>(pop - 1 - i);
	free_low_.resize(high_from - kern);
	for (unsigned long i = 0; i < high_from - kern; ++i)
		free_low_[i] = static_cast<uint32_t>(high_from - 1 - i);

	mem_available_override_ = 0;
	mem_available_override_set_ = false;
	totalreserve_ = cfg_.totalreserve_pages;
	managed_ = static_cast<long>(cfg_.populated_frames);
	alloc_calls_ = alloc_failures_ = 0;
	alloc_knobs = AllocKnobs();
	hv_knobs = HypervisorKnobs();
	hp_knobs = HotplugKnobs();
	wait_knobs = WaitKnobs();
	trace_total_ = 0;

	ranges_.clear();
	ranges_.reserve(16);
	online_fn_ = nullptr;
	online_ctx_ = nullptr;
	notify_fn_ = nullptr;
	notify_ctx_ = nullptr;
	deferred_online_ = false;

	now_ = 0;
	work_fn_ = nullptr;
	work_ctx_ = nullptr;
	work_pending_ = false;
	work_due_ = 0;
	kt_ = KthreadHooks();
	kt_active_ = false;
	kt_phase_ = KtPhase::NeedPrepare;
	kt_woken_ = false;
	kt_deadline_ = 0;
	kt_snapshot_ = 0;
	hangs_ = work_runs_ = kt_steps_ = wakes_ = waits_ = 0;
	waits_same_ = 0;
	wait_jiffy_ = 0;

	lock_held_ = false;
	lock_count_ = 0;
	events_.clear();
	events_.reserve(256);
	events_dropped_ = 0;
	event_counts_.fill(0);
	faults_.clear();
	faults_.reserve(kMaxFaults);
	faults_total_ = 0;
	mark_epoch_ = 0;
	cond_resched_count = scrub_count = kmap_flush_count = tlb_flush_count =
		wake_page_waiters_count = 0;
}

void World::fill_boot_info(ballast_boot_info *out) const
{
	*out = ballast_boot_info();
	out->xen_domain = cfg_.xen_domain ? 1 : 0;
	out->pv_domain = cfg_.pv ? 1 : 0;
	out->start_info_nr_pages = cfg_.populated_frames + cfg_.released_pages;
	out->released_pages = cfg_.released_pages;
	out->max_pfn = cfg_.max_pfn;
	out->num_physpages = cfg_.populated_frames;
	if (!cfg_.pv)
		return;
	if (cfg_.n_regions > 0) {
		out->n_regions = cfg_.n_regions;
		for (unsigned i = 0; i < cfg_.n_regions; ++i)
			out->regions[i] = cfg_.regions[i];
	} else if (cfg_.auto_extra_region && cfg_.populated_frames < cfg_.total_frames) {
		out->n_regions = 1;
		out->regions[0].start_pfn = cfg_.populated_frames;
		out->regions[0].n_pfns = cfg_.total_frames - cfg_.populated_frames;
	}
}

// ---- allocator ---------------------------------------------------------------

bool World::alloc_knob_fails(ballast_gfp gfp)
{
	const AllocKnobs &k = alloc_knobs;
	if (!(k.gfp_mask & (1u << static_cast<unsigned>(gfp))))
		return false;
	if (k.storm)
		return true;
	if (k.fail_next) {
		--alloc_knobs.fail_next;
		return true;
	}
	if (k.pressure && free_count() <= k.pressure_floor)
		return true;
	if (chance_permille(k.fail_permille))
		return true;
	return false;
}

Frame *World::alloc_page(ballast_gfp gfp)
{
	++alloc_calls_;
	if (alloc_knob_fails(gfp)) {
		++alloc_failures_;
		return nullptr;
	}
	// GFP_HIGHUSER prefers highmem; GFP_USER never gets it.
	std::vector<uint32_t> *list = nullptr;
	if (gfp == BALLAST_GFP_BALLOON && !free_high_.empty())
		list = &free_high_;
	else if (!free_low_.empty())
		list = &free_low_;
	if (!list) {
		++alloc_failures_;
		return nullptr;
	}
	return take_free(list, BALLAST_WFS_CORE);
}

Frame *World::take_free(std::vector<uint32_t> *list, uint8_t state)
{
	Frame *f = frame(list->back());
	list->pop_back();
	f->wstate = state;
	log_pfn(f->pfn);
	return f;
}

bool World::may_free(Frame *page)
{
	if (!is_frame(page)) {
		record_fault(Fault::BadPage, 0, 0);
		return false;
	}
	if (state_of(page) == FrameState::Free) {
		record_fault(Fault::DoubleFree, page->pfn, 0);
		return false;
	}
	return true;
}

void World::push_free(Frame *f)
{
	f->wstate = BALLAST_WFS_FREE;
	log_pfn(f->pfn);
	(f->highmem ? free_high_ : free_low_).push_back(static_cast<uint32_t>(f->pfn));
}

void World::free_reserved_page(Frame *page)
{
	if (!may_free(page))
		return;
	page->reserved = 0;
	push_free(page);
	++managed_;
}

Frame *World::kernel_alloc()
{
	std::vector<uint32_t> *list = !free_low_.empty()  ? &free_low_ :
				      !free_high_.empty() ? &free_high_ :
							    nullptr;
	if (!list)
		return nullptr;
	return take_free(list, BALLAST_WFS_KERNEL);
}

void World::kernel_free(Frame *page)
{
	if (!may_free(page))
		return;
	push_free(page);
}

// ---- hypervisor ----------------------------------------------------------------

void World::limit_host_pool(unsigned long n)
{
	unsigned long fresh = mfn_limit_ - mfn_hw_;
	unsigned long total = host_free_.size() + fresh;
	if (total > n)
		mfn_limit_ -= (total - n < fresh ? total - n : fresh);
	while (host_free_.size() > n) {
		uint32_t idx = host_free_.back();
		host_free_.pop_back();
		mfn_owner_[idx] = static_cast<uint8_t>(MfnOwner::Other);
		log_mfn(idx);
	}
}

unsigned long World::take_host_mfn()
{
	if (!host_free_.empty()) {
		uint32_t idx = host_free_.back();
		host_free_.pop_back();
		return idx;
	}
	if (mfn_hw_ >= mfn_limit_)
		return ~0UL;
	return mfn_hw_++;
}

void World::trace(unsigned cmd, unsigned long nr, unsigned long done, long result)
{
	trace_[trace_total_ % kTraceSize] = HypercallRecord{cmd, nr, done, result};
	++trace_total_;
}

unsigned long World::do_populate(xen_pfn_t *ext, unsigned long n)
{
	unsigned long i = 0;
	for (; i < n; ++i) {
		if (hv_knobs.enforce_max_pages && tot_pages_ + 1 > max_pages_)
			break;
		xen_pfn_t gpfn = ext[i];
		Frame *f = nullptr;
		if (auto_translated()) {
			f = frame(gpfn);
			if (!f)
				break;
			if (f->p2m != INVALID_MFN) {
				record_fault(Fault::PopulateOverPopulated, gpfn, f->p2m);
				break;
			}
		}
		unsigned long idx = take_host_mfn();
		if (idx == ~0UL)
			break;
		mfn_owner_[idx] = static_cast<uint8_t>(MfnOwner::Domain);
		m2p_[idx] = gpfn;
		log_mfn(idx);
		++tot_pages_;
		if (f) {
			f->p2m = MFN_BASE + idx;
			log_pfn(f->pfn);
		} else
			ext[i] = MFN_BASE + idx; // PV: the new MFN goes back to the guest
	}
	return i;
}

unsigned long World::do_increase(xen_pfn_t *ext, unsigned long n)
{
	unsigned long i = 0;
	for (; i < n; ++i) {
		if (hv_knobs.enforce_max_pages && tot_pages_ + 1 > max_pages_)
			break;
		unsigned long idx = take_host_mfn();
		if (idx == ~0UL)
			break;
		mfn_owner_[idx] = static_cast<uint8_t>(MfnOwner::Domain);
		m2p_[idx] = INVALID_MFN;
		log_mfn(idx);
		++tot_pages_;
		if (ext)
			ext[i] = MFN_BASE + idx;
	}
	return i;
}

unsigned long World::do_decrease(xen_pfn_t *ext, unsigned long n)
{
	unsigned long i = 0;
	for (; i < n; ++i) {
		xen_pfn_t g = ext[i];
		unsigned long mfn = g;
		Frame *f = nullptr;
		if (auto_translated()) {
			f = frame(g);
			if (!f || f->p2m == INVALID_MFN) {
				record_fault(Fault::DecreaseNotOwned, g, INVALID_MFN);
				break;
			}
			mfn = f->p2m;
		}
		if (!mfn_valid(mfn) || mfn_owner(mfn) != MfnOwner::Domain) {
			record_fault(Fault::DecreaseNotOwned, g, mfn);
			break;
		}
		unsigned long idx = mfn - MFN_BASE;
		mfn_owner_[idx] = static_cast<uint8_t>(MfnOwner::Host);
		m2p_[idx] = INVALID_MFN;
		log_mfn(idx);
		host_free_.push_back(static_cast<uint32_t>(idx));
		--tot_pages_;
		if (f) {
			f->p2m = INVALID_MFN;
			log_pfn(f->pfn);
		}
	}
	return i;
}

long World::memory_op(unsigned cmd, void *arg)
{
	switch (cmd) {
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation: {
		long r;
		const domid_t *d = static_cast<const domid_t *>(arg);
		if (!d)
			r = -EFAULT;
		else if (*d != DOMID_SELF && *d != cfg_.domid)
			r = -ESRCH;
		else
			r = static_cast<long>(cmd == XENMEM_current_reservation ? tot_pages_ :
										  max_pages_);
		trace(cmd, 0, 0, r);
		return r;
	}
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		break;
	default:
		trace(cmd, 0, 0, -ENOSYS);
		return -ENOSYS;
	}
	auto *r = static_cast<xen_memory_reservation *>(arg);
	if (!r) {
		trace(cmd, 0, 0, -EFAULT);
		return -EFAULT;
	}
	unsigned long nr = r->nr_extents;
	long bad = 0;
	xen_pfn_t *ext = nullptr;
	ext = r->extent_start.p; // the guest handle (x86: a struct holding the pointer)
	if (r->domid != DOMID_SELF && r->domid != cfg_.domid)
		bad = -ESRCH;
	else if (r->extent_order != 0)
		bad = -EINVAL; // this world models 4 KiB extents only
	else if (!ext && cmd != XENMEM_increase_reservation && nr != 0)
		bad = -EFAULT;
	else if (nr > 0x7fffffffUL)
		bad = -EFAULT; // Xen would fault walking the guest array
	if (bad) {
		trace(cmd, nr, 0, bad);
		return bad;
	}
	HypercallKnobs &k = cmd == XENMEM_decrease_reservation ? hv_knobs.decrease :
								 hv_knobs.populate;
	if (k.fail_next || chance_permille(k.fail_permille)) {
		if (k.fail_next)
			--k.fail_next;
		trace(cmd, nr, 0, k.fail_result);
		return k.fail_result;
	}
	unsigned long todo = nr;
	if (k.cap_extents && todo > k.cap_extents)
		todo = k.cap_extents;
	unsigned long done = 0;
	switch (cmd) {
	case XENMEM_populate_physmap:
		done = do_populate(ext, todo);
		break;
	case XENMEM_increase_reservation:
		done = do_increase(ext, todo);
		break;
	default:
		done = do_decrease(ext, todo);
		break;
	}
	long result = static_cast<long>(done);
	if (done == 0 && nr != 0)
		result = k.result_when_none;
	if (k.lie_extra && result >= 0)
		result += k.lie_extra;
	trace(cmd, nr, done, result);
	return result;
}

// ---- hotplug -------------------------------------------------------------------

void World::ensure_frames(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long c0 = start_pfn >> kChunkShift;
	unsigned long c1 = (end_pfn + kChunkMask) >> kChunkShift;
	if (c1 > chunks_.size())
		chunks_.resize(c1, nullptr);
	unsigned long c = c0;
	while (c < c1) {
		if (chunks_[c]) {
			++c;
			continue;
		}
		unsigned long run_end = c;
		while (run_end < c1 && !chunks_[run_end])
			++run_end;
		unsigned long n = (run_end - c) << kChunkShift;
		// The smallest spare block that fits, else a new one.
		size_t best = spare_blocks_.size();
		for (size_t i = 0; i < spare_blocks_.size(); ++i)
			if (spare_blocks_[i].size >= n &&
			    (best == spare_blocks_.size() ||
			     spare_blocks_[i].size < spare_blocks_[best].size))
				best = i;
		Block block;
		if (best < spare_blocks_.size()) {
			block = std::move(spare_blocks_[best]);
			spare_blocks_[best] = std::move(spare_blocks_.back());
			spare_blocks_.pop_back();
		} else {
			block = Block{std::unique_ptr<Frame[]>(new Frame[n]), n};
		}
		Frame *fr = block.frames.get();
		for (unsigned long i = 0; i < n; ++i)
			init_frame(&fr[i], (c << kChunkShift) + i);
		for (unsigned long j = c; j < run_end; ++j)
			chunks_[j] = fr + ((j - c) << kChunkShift);
		blocks_.push_back(std::move(block));
		c = run_end;
	}
}

HotplugRange *World::range_of(const ballast_resource *res)
{
	if (!res)
		return nullptr;
	uintptr_t h = reinterpret_cast<uintptr_t>(res->handle);
	if (h == 0 || h > ranges_.size())
		return nullptr;
	HotplugRange &r = ranges_[h - 1];
	if (r.state == HotplugRange::Released)
		return nullptr;
	return &r;
}

int World::allocate_resource(unsigned long long size, unsigned long long align,
			     ballast_resource *res)
{
	if (hp_knobs.allocate_resource_result)
		return hp_knobs.allocate_resource_result;
	if (!res || size == 0)
		return -EINVAL;
	unsigned long npages =
		static_cast<unsigned long>((size + (1ULL << PAGE_SHIFT) - 1) >> PAGE_SHIFT);
	unsigned long a = static_cast<unsigned long>(align >> PAGE_SHIFT);
	if (a < cfg_.pages_per_section)
		a = cfg_.pages_per_section;
	unsigned long base = top_pfn_;
	for (const HotplugRange &r : ranges_)
		if (r.state != HotplugRange::Released && r.start_pfn + r.n_pages > base)
			base = r.start_pfn + r.n_pages;
	unsigned long start = (base + a - 1) / a * a;
	if (start < base || start + npages < start || start + npages > cfg_.iomem_limit_pfn)
		return -EBUSY;
	ranges_.push_back(HotplugRange{start, npages, static_cast<unsigned long>(size),
				       HotplugRange::Allocated});
	res->start = static_cast<unsigned long long>(start) << PAGE_SHIFT;
	res->size = size;
	res->handle = reinterpret_cast<void *>(static_cast<uintptr_t>(ranges_.size()));
	return 0;
}

void World::release_resource(ballast_resource *res)
{
	HotplugRange *r = range_of(res);
	if (!r) {
		record_fault(Fault::BadResource,
			     res ? static_cast<unsigned long>(res->start >> PAGE_SHIFT) : 0, 0);
		return;
	}
	if (r->state != HotplugRange::Allocated)
		record_fault(Fault::ReleaseAddedResource, r->start_pfn, r->n_pages);
	r->state = HotplugRange::Released;
	res->handle = nullptr;
}

int World::set_phys_to_machine_invalid(unsigned long pfn)
{
	if (hp_knobs.set_p2m_fail_after == 0)
		return 0;
	if (hp_knobs.set_p2m_fail_after > 0)
		--hp_knobs.set_p2m_fail_after;
	if (!auto_translated())
		set_p2m(pfn, INVALID_MFN);
	return 1;
}

int World::add_memory_resource(int nid, ballast_resource *res)
{
	(void)nid;
	HotplugRange *r = range_of(res);
	if (!r || r->state != HotplugRange::Allocated) {
		record_fault(Fault::BadResource,
			     res ? static_cast<unsigned long>(res->start >> PAGE_SHIFT) : 0, 1);
		return -EINVAL;
	}
	if (hp_knobs.add_memory_result)
		return hp_knobs.add_memory_result;
	unsigned long start = r->start_pfn, end = r->start_pfn + r->n_pages;
	size_t idx = static_cast<size_t>(r - ranges_.data());
	ensure_frames(start, end); // may not touch ranges_
	for (unsigned long pfn = start; pfn < end; ++pfn) {
		Frame *f = frame(pfn);
		f->wstate = BALLAST_WFS_HOTPLUG_OFFLINE;
		f->offline = 1;
		f->reserved = 1;
		f->p2m = INVALID_MFN;
		log_pfn(pfn);
	}
	if (end > top_pfn_)
		top_pfn_ = end;
	ranges_[idx].state = HotplugRange::AddedOffline;
	switch (cfg_.online_policy) {
	case OnlinePolicy::Sync:
		online_range(ranges_[idx]);
		break;
	case OnlinePolicy::Deferred:
		deferred_online_ = true;
		break;
	case OnlinePolicy::Manual:
		break;
	}
	return 0;
}

void World::online_range(HotplugRange &r)
{
	r.state = HotplugRange::Online;
	unsigned long start = r.start_pfn, end = r.start_pfn + r.n_pages;
	for (unsigned long pfn = start; pfn < end; ++pfn) {
		Frame *f = frame(pfn);
		if (online_fn_) {
			f->wstate = BALLAST_WFS_CORE;
			log_pfn(pfn);
			online_fn_(online_ctx_, f, 0);
		} else {
			// generic_online_page: straight to the allocator, populated or not.
			f->offline = 0;
			f->reserved = 0;
			push_free(f);
			++managed_;
		}
	}
	if (notify_fn_)
		notify_fn_(notify_ctx_, BALLAST_MEM_ONLINE);
}

bool World::has_offline_ranges() const
{
	for (const HotplugRange &r : ranges_)
		if (r.state == HotplugRange::AddedOffline)
			return true;
	return false;
}

unsigned long World::online_pending()
{
	deferred_online_ = false;
	unsigned long n = 0;
	// Index loop: callbacks may add memory (ranges_ may grow).
	for (size_t i = 0; i < ranges_.size(); ++i) {
		if (ranges_[i].state != HotplugRange::AddedOffline)
			continue;
		n += ranges_[i].n_pages;
		HotplugRange copy = ranges_[i];
		ranges_[i].state = HotplugRange::Online;
		copy.state = HotplugRange::Online;
		online_range(copy);
	}
	return n;
}

// ---- clock -----------------------------------------------------------------------

void World::schedule_work(unsigned long delay_secs, int modify)
{
	if (work_pending_ && !modify)
		return; // schedule_delayed_work on pending work: no-op
	work_pending_ = true;
	work_due_ = now_ + static_cast<uint64_t>(delay_secs) * HZ;
}

void World::start_kthread(const KthreadHooks &hooks)
{
	kt_ = hooks;
	kt_active_ = hooks.step != nullptr;
	kt_phase_ = KtPhase::NeedPrepare;
	kt_woken_ = false;
}

bool World::next_due(uint64_t *when) const
{
	bool have = false;
	uint64_t best = 0;
	if (kt_active_) {
		if (kt_phase_ != KtPhase::Sleeping || kt_woken_)
			best = now_;
		else
			best = kt_deadline_;
		have = true;
	}
	if (work_pending_) {
		uint64_t d = work_due_ < now_ ? now_ : work_due_;
		if (!have || d < best)
			best = d;
		have = true;
	}
	if (have && when)
		*when = best;
	return have;
}

RunResult World::run_until(uint64_t t)
{
	if (t < now_)
		t = now_;
	unsigned long same = 0, total = 0;
	for (;;) {
		if (deferred_online_)
			online_pending();
		enum { None, KtPrepare, KtWoken, KtStep, Work } which = None;
		uint64_t at = 0;
		if (kt_active_) {
			switch (kt_phase_) {
			case KtPhase::NeedPrepare:
				which = KtPrepare;
				at = now_;
				break;
			case KtPhase::Runnable:
				which = KtStep;
				at = now_;
				break;
			case KtPhase::Sleeping:
				if (kt_woken_) {
					which = KtWoken;
					at = now_;
				} else if (kt_deadline_ <= t) {
					which = KtStep;
					at = kt_deadline_ < now_ ? now_ : kt_deadline_;
				}
				break;
			}
		}
		if (work_pending_ && work_due_ <= t) {
			uint64_t d = work_due_ < now_ ? now_ : work_due_;
			if (which == None || d < at) {
				which = Work;
				at = d;
			}
		}
		if (which == None)
			break;
		if (which == KtStep || which == Work) {
			if (at == now_)
				++same;
			else
				same = 0;
			if (same > cfg_.max_runs_same_jiffy || ++total > cfg_.max_runs_per_call) {
				++hangs_;
				return RunResult::Hang;
			}
		}
		now_ = at;
		switch (which) {
		case KtPrepare: {
			unsigned long timeout = 0;
			long snap = 0;
			if (kt_.prepare)
				kt_.prepare(kt_.ctx, &timeout, &snap);
			kt_snapshot_ = snap;
			kt_woken_ = false;
			// wait_event_*_timeout checks the condition before sleeping.
			if (kt_.cond && kt_.cond(kt_.ctx, snap)) {
				kt_phase_ = KtPhase::Runnable;
			} else {
				kt_phase_ = KtPhase::Sleeping;
				kt_deadline_ = now_ + static_cast<uint64_t>(timeout) * HZ;
			}
			break;
		}
		case KtWoken:
			kt_woken_ = false;
			// A wake-up with the condition still false sleeps on (same deadline).
			if (kt_.cond && kt_.cond(kt_.ctx, kt_snapshot_))
				kt_phase_ = KtPhase::Runnable;
			break;
		case KtStep:
			kt_phase_ = KtPhase::NeedPrepare;
			kt_woken_ = false;
			++kt_steps_;
			kt_.step(kt_.ctx);
			break;
		case Work:
			work_pending_ = false;
			++work_runs_;
			if (work_fn_)
				work_fn_(work_ctx_);
			break;
		case None:
			break;
		}
	}
	now_ = t;
	return RunResult::Ok;
}

int World::wait_pages(WaitCondFn cond, void *arg, int interruptible, unsigned long timeout_secs)
{
	++waits_;
	if (cfg_.max_waits_same_jiffy) {
		if (wait_jiffy_ != now_) {
			wait_jiffy_ = now_;
			waits_same_ = 0;
		}
		if (++waits_same_ > cfg_.max_waits_same_jiffy) {
			++hangs_;
			return BALLAST_WAIT_NEVER;
		}
	}
	if (cond && cond(arg))
		return BALLAST_WAIT_OK;
	if (has_offline_ranges() && cfg_.online_policy != OnlinePolicy::Manual) {
		online_pending();
		if (cond && cond(arg))
			return BALLAST_WAIT_OK;
	}
	if (interruptible && wait_knobs.interrupt)
		return BALLAST_WAIT_INTERRUPTED;
	if (timeout_secs > 0)
		return BALLAST_WAIT_TIMEOUT;
	return BALLAST_WAIT_NEVER;
}

} // namespace world
