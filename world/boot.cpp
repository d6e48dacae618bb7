// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast world: a fresh world from a Config -- the boot state of every part
// (reset), and the boot information the guest kernel would hand the driver.
#include "world.h"

namespace world {

World::World(const Config &cfg)
{
	reset(cfg);
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
	rec_.dirty_overflow = true; // every frame changed: the next check scans them all
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
	if (cfg_.superpage_order > 20) // beyond any x86 page-table level
		cfg_.superpage_order = 20;
	if (!cfg_.pv)
		cfg_.firmware_pages = 0;
	if (cfg_.initial_domain && !cfg_.pv)
		cfg_.pvh = true; // there is no HVM dom0
	if (cfg_.initial_domain || cfg_.pvh)
		cfg_.pod_cache = 0; // populate-on-demand is for HVM guests
	if (cfg_.firmware_pages > cfg_.populated_frames)
		cfg_.firmware_pages = cfg_.populated_frames;
	if (cfg_.kernel_frames < cfg_.firmware_pages)
		cfg_.kernel_frames = cfg_.firmware_pages; // populated, held, not RAM to the guest
	// PoD entries: HVM RAM above the populated pages, within the memory map.
	const unsigned long pod_end = cfg_.pv || cfg_.pvh || !cfg_.pod_cache ?
					      cfg_.populated_frames :
				      cfg_.max_pfn < cfg_.total_frames ? cfg_.max_pfn :
									 cfg_.total_frames;
	const unsigned long n_pod =
		pod_end > cfg_.populated_frames ? pod_end - cfg_.populated_frames : 0;
	if (cfg_.pod_cache > n_pod)
		cfg_.pod_cache = n_pod; // Xen keeps no more cache than entries
	rng_ = cfg_.seed ? cfg_.seed : 0x9E3779B97F4A7C15ULL;

	// Frames: one boot block, reused when big enough.
	using Block = FrameTable::Block;
	constexpr unsigned kChunkShift = FrameTable::kChunkShift;
	unsigned long nframes = cfg_.total_frames > cfg_.max_pfn ? cfg_.total_frames : cfg_.max_pfn;
	unsigned long nchunks = (nframes + FrameTable::kChunkMask) >> kChunkShift;
	if (nchunks == 0)
		nchunks = 1;
	size_t cap = nchunks << kChunkShift;
	std::vector<Block> &blocks = frames_.blocks;
	Block boot;
	if (!blocks.empty() && blocks[0].size >= cap)
		boot = std::move(blocks[0]);
	else
		boot = Block{std::unique_ptr<Frame[]>(new Frame[cap]), cap};
	for (size_t i = 1; i < blocks.size(); ++i) { // hotplug blocks: kept for reuse (bounded)
		if (frames_.spare_blocks.size() >= 64)
			break;
		frames_.spare_blocks.push_back(std::move(blocks[i]));
	}
	blocks.clear();
	frames_.chunks.assign(nchunks, nullptr);
	for (unsigned long c = 0; c < nchunks; ++c)
		frames_.chunks[c] = boot.frames.get() + (c << kChunkShift);
	blocks.push_back(std::move(boot));
	frames_.top_pfn = cfg_.total_frames;

	// Hypervisor MFN space: the domain's boot pages and PoD cache, then the
	// host pool (initialised lazily as MFNs are handed out).
	size_t nmfn = cfg_.populated_frames + cfg_.pod_cache + cfg_.host_pool;
	if (hyp_.mfn_owner.size() < nmfn) {
		hyp_.mfn_owner.resize(nmfn);
		hyp_.m2p.resize(nmfn);
	}
	hyp_.mfn_hw = cfg_.populated_frames + cfg_.pod_cache;
	hyp_.mfn_limit = nmfn;
	hyp_.host_free.clear();
	hyp_.order = cfg_.superpage_order;
	if (hyp_.host_pos.size() < nmfn)
		hyp_.host_pos.resize(nmfn);
	hyp_.host_block_free.assign((nmfn >> hyp_.order) + 1, 0);
	hyp_.host_hint = 0;
	hyp_.calls.fill(0);
	hyp_.pages.fill(0);
	hyp_.tot_pages = cfg_.populated_frames + cfg_.pod_cache;
	hyp_.max_pages = cfg_.max_pages;
	hyp_.pod_entries = n_pod;
	hyp_.pod_cache.clear();
	hyp_.hiding_replies = 0;
	hyp_.queries = 0;

	// Guest frames: one tight pass over the (contiguous) boot block.
	const unsigned long pop = cfg_.populated_frames, kern = cfg_.kernel_frames,
			    tot = cfg_.total_frames;
	const unsigned long hm = cfg_.highmem_start_pfn;
	init_boot_frames(blocks[0].frames.get(), cap, pop, kern, tot, hm);
	uint8_t *own = hyp_.mfn_owner.data();
	unsigned long *m2p = hyp_.m2p.data();
	for (unsigned long i = 0; i < pop; ++i) {
		own[i] = static_cast<uint8_t>(MfnOwner::Domain);
		m2p[i] = i;
	}
	// Free lists are LIFO stacks, low pfns on top: the populated pages, and
	// under them the PoD entries (touched last). Every free frame's place in
	// its stack, and the free frames of each aligned block.
	alloc_.order = cfg_.superpage_order;
	alloc_.pos.resize(cap);
	alloc_.block_free.assign((cap >> alloc_.order) + 1, 0);
	// Mappings (mmu.h): a PV guest's populated lowmem is in its direct map.
	mmu_.vm.assign(cap, 0);
	mmu_.stale.clear();
	mmu_.kmaps.clear();
	if (cfg_.pv) {
		const unsigned long mapped_end = hm < pop ? hm : pop;
		for (unsigned long pfn = 0; pfn < mapped_end; ++pfn)
			mmu_.vm[pfn] = MmuState::kMapped;
	}
	for (unsigned long i = pop; i < pop + cfg_.pod_cache; ++i) {
		own[i] = static_cast<uint8_t>(MfnOwner::Domain); // the PoD cache: mapped by no gfn
		m2p[i] = INVALID_MFN;
		hyp_.pod_cache.push_back(static_cast<uint32_t>(i));
	}
	alloc_.free_high.clear();
	alloc_.free_low.clear();
	for (unsigned long pfn = pod_end; pfn-- > pop;) {
		Frame *f = frame(pfn);
		f->wstate = BALLAST_WFS_FREE;
		f->reserved = 0;
		f->p2m = POD_ENTRY;
		(f->highmem ? alloc_.free_high : alloc_.free_low)
			.push_back(static_cast<uint32_t>(pfn));
	}
	for (unsigned long pfn = pop; pfn-- > kern;)
		(pfn >= hm ? alloc_.free_high : alloc_.free_low)
			.push_back(static_cast<uint32_t>(pfn));
	uint32_t *pos = alloc_.pos.data(), *bf = alloc_.block_free.data();
	for (const std::vector<uint32_t> *list : {&alloc_.free_high, &alloc_.free_low})
		for (size_t i = 0; i < list->size(); ++i) {
			pos[(*list)[i]] = static_cast<uint32_t>(i);
			++bf[(*list)[i] >> alloc_.order];
		}
	alloc_.block_hint = alloc_.block_free.size() - 1;
	alloc_.block_calls = alloc_.block_failures = 0;

	alloc_.mem_available_override = 0;
	alloc_.mem_available_override_set = false;
	alloc_.totalreserve = cfg_.totalreserve_pages;
	alloc_.managed = static_cast<long>(cfg_.populated_frames + n_pod);
	alloc_.calls = alloc_.failures = 0;
	alloc_knobs = AllocKnobs();
	hv_knobs = HypervisorKnobs();
	hp_knobs = HotplugKnobs();
	wait_knobs = WaitKnobs();
	hyp_.trace_total = 0;

	hotplug_.ranges.clear();
	hotplug_.ranges.reserve(16);
	hotplug_.online_fn = nullptr;
	hotplug_.online_ctx = nullptr;
	hotplug_.notify_fn = nullptr;
	hotplug_.notify_ctx = nullptr;
	hotplug_.deferred_online = false;

	clock_ = ClockState();

	rec_.lock_held = false;
	rec_.lock_count = 0;
	rec_.events.clear();
	rec_.events.reserve(256);
	rec_.events_dropped = 0;
	rec_.event_counts.fill(0);
	rec_.faults.clear();
	rec_.faults.reserve(kMaxFaults);
	rec_.faults_total = 0;
	rec_.mark_epoch = 0;
	cond_resched_count = scrub_count = kmap_flush_count = tlb_flush_count =
		wake_page_waiters_count = 0;
}

void World::fill_boot_info(ballast_boot_info *out) const
{
	*out = ballast_boot_info();
	out->xen_domain = cfg_.xen_domain ? 1 : 0;
	out->pv_domain = cfg_.pv ? 1 : 0;
	out->initial_domain = cfg_.initial_domain ? 1 : 0;
	out->start_info_nr_pages = cfg_.populated_frames + cfg_.released_pages;
	out->released_pages = cfg_.released_pages;
	out->max_pfn = cfg_.max_pfn;
	out->current_reservation = static_cast<long>(hyp_.tot_pages);
	// get_num_physpages(): RAM in the memory map below max_pfn -- the
	// populated pages but those the map does not call RAM, the extra regions
	// (unpopulated RAM), and an HVM guest's PoD entries.
	out->num_physpages = cfg_.populated_frames - cfg_.firmware_pages + hyp_.pod_entries;
	// The extra regions: PV (arch/x86/xen/setup.c), and PVH's unusable
	// ranges the kernel turns into RAM for the balloon (enlighten_pvh.c).
	if (!cfg_.pv && !cfg_.pvh)
		return;
	ballast_region regions[8];
	unsigned n = 0;
	if (cfg_.n_regions > 0) {
		for (; n < cfg_.n_regions; ++n)
			regions[n] = cfg_.regions[n];
	} else if (cfg_.auto_extra_region && cfg_.populated_frames < cfg_.total_frames) {
		regions[0].start_pfn = cfg_.populated_frames;
		regions[0].n_pfns = cfg_.total_frames - cfg_.populated_frames;
		n = 1;
	}
	for (unsigned i = 0; i < n; ++i) {
		const unsigned long s = regions[i].start_pfn, e = s + regions[i].n_pfns;
		const unsigned long end = e < cfg_.max_pfn ? e : cfg_.max_pfn;
		if (end > s)
			out->num_physpages += end - s;
	}
	if (cfg_.unpopulated_alloc) {
		// arch_xen_unpopulated_init(): every region to unpopulated-alloc.
		for (unsigned i = 0; i < n; ++i)
			out->unpopulated_pages += regions[i].n_pfns;
		return;
	}
	out->n_regions = n;
	for (unsigned i = 0; i < n; ++i)
		out->regions[i] = regions[i];
}

} // namespace world
