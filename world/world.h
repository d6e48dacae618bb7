// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// ballast world: a deterministic, single-threaded simulation of everything the
// balloon driver touches — the guest's page frames and allocator, the Xen
// hypervisor that owns the reservation (real XENMEM_* ABI structs), memory
// hotplug, a virtual clock with delayed work and a kthread model, and a log
// of events and hypercalls.
//
// No globals, no wall clock, no I/O; several Worlds may coexist. Randomness
// comes from a seeded xorshift generator owned by the World.
//
// Pointers to frames (struct ballast_page*) stay valid for the World's
// lifetime (until reset()), also across hotplug growth.
//
// World is the one face callers use. Each part has a header with its types
// and state and a source file with its code: frames, allocator, hypervisor,
// hotplug, clock, record (faults, events, dirty log); boot.cpp builds a fresh
// world from a Config (config.h).
#ifndef BALLAST_WORLD_WORLD_H
#define BALLAST_WORLD_WORLD_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "allocator.h"
#include "ballast_env.h"
#include "clock.h"
#include "config.h"
#include "frames.h"
#include "hotplug.h"
#include "hypervisor.h"
#include "mmu.h"
#include "record.h"
#include "world_page.h"

namespace world {

// xorshift64*: the world's PRNG, and the one tests and harnesses use for
// reproducible choices of their own. Advances *state (never 0 if seeded non-zero).
inline uint64_t xorshift64star(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545F4914F6CDD1DULL;
}

class World {
public:
	explicit World(const Config &cfg = Config());
	World(const World &) = delete;
	World &operator=(const World &) = delete;

	// Re-initialise for a new scenario, reusing buffers. Invalidates all page
	// pointers handed out before, and all registrations.
	void reset(const Config &cfg);

	const Config &config() const { return cfg_; }
	void fill_boot_info(ballast_boot_info *out) const;

	// ---- frames (frames.h) ----------------------------------------------------
	Frame *frame(unsigned long pfn) const { return frames_.frame(pfn); }
	// True if p is a frame of this world (O(1): reads p->pfn).
	bool is_frame(const Frame *p) const { return p != nullptr && frame(p->pfn) == p; }
	unsigned long frame_limit() const
	{
		return frames_.chunks.size() << FrameTable::kChunkShift;
	} // pfns < this may exist
	unsigned long guest_top_pfn() const { return frames_.top_pfn; }
	// p2m valid, MFN owned by the domain, m2p agrees.
	bool populated(const Frame *f) const
	{
		unsigned long mfn = f->p2m;
		if (!mfn_valid(mfn))
			return false; // also INVALID_MFN
		unsigned long i = mfn - MFN_BASE;
		return hyp_.mfn_owner[i] == static_cast<uint8_t>(MfnOwner::Domain) &&
		       hyp_.m2p[i] == f->pfn;
	}
	// Iterate all existing frames (ascending pfn).
	template <class F> void for_each_frame(F &&fn)
	{
		for (size_t c = 0; c < frames_.chunks.size(); ++c) {
			Frame *base = frames_.chunks[c];
			if (!base)
				continue;
			for (unsigned i = 0; i < FrameTable::kChunk; ++i)
				fn(base + i);
		}
	}

	// ---- guest allocator (allocator.h) -----------------------------------------
	Frame *alloc_page(ballast_gfp gfp);
	void free_reserved_page(Frame *page);
	unsigned long free_count() const
	{
		return alloc_.free_low.size() + alloc_.free_high.size();
	}
	long mem_available() const
	{
		if (alloc_.mem_available_override_set)
			return alloc_.mem_available_override;
		return static_cast<long>(free_count()) - cfg_.mem_available_reserve;
	}
	void set_mem_available_override(long v)
	{
		alloc_.mem_available_override = v;
		alloc_.mem_available_override_set = true;
	}
	void clear_mem_available_override() { alloc_.mem_available_override_set = false; }
	unsigned long totalreserve_pages() const { return alloc_.totalreserve; }
	void set_totalreserve_pages(unsigned long v) { alloc_.totalreserve = v; }
	long managed_pages() const { return alloc_.managed; }
	void adjust_managed(long delta) { alloc_.managed += delta; }
	// The rest of the guest kernel: take/return populated frames (not via the balloon).
	Frame *kernel_alloc();
	void kernel_free(Frame *page);
	// An aligned block of 2^order free frames for the balloon (GFP_HIGHUSER,
	// __GFP_NORETRY: no retry), highest first: the frames become
	// balloon-owned one by one. nullptr if order is not the world's
	// superpage order, gfp is not BALLAST_GFP_BALLOON (the driver asks for
	// nothing else), an allocator knob fails it, or no block is wholly free.
	Frame *alloc_block(ballast_gfp gfp, unsigned order);
	// Fragmentation: the rest of the kernel takes the middle frame of the
	// highest wholly free block (nullptr if there is none).
	Frame *kernel_fragment();
	// Wholly free blocks in the guest (O(blocks)).
	unsigned long free_blocks() const;
	unsigned long block_calls() const { return alloc_.block_calls; }
	unsigned long block_failures() const { return alloc_.block_failures; }
	// Frames free in each block, by block (the invariant checker recounts them).
	const std::vector<uint32_t> &block_free_counts() const { return alloc_.block_free; }
	const std::vector<uint32_t> &free_positions() const { return alloc_.pos; }
	// Knob: only n more frames allocatable (until frames are freed).
	void set_pressure(unsigned long n)
	{
		alloc_knobs.pressure = true;
		unsigned long fc = free_count();
		alloc_knobs.pressure_floor = n >= fc ? 0 : fc - n;
	}
	AllocKnobs alloc_knobs;
	unsigned long alloc_calls() const { return alloc_.calls; }
	unsigned long alloc_failures() const { return alloc_.failures; }
	const std::vector<uint32_t> &free_low_list() const { return alloc_.free_low; }
	const std::vector<uint32_t> &free_high_list() const { return alloc_.free_high; }

	// ---- hypervisor (hypervisor.h) ---------------------------------------------
	// HYPERVISOR_memory_op with the real ABI structs.
	long memory_op(unsigned cmd, void *arg);
	bool auto_translated() const { return !cfg_.pv; }
	unsigned long tot_pages() const { return hyp_.tot_pages; }
	// Populate-on-demand entries and cache pages (HVM; 0 otherwise).
	unsigned long pod_entries() const { return hyp_.pod_entries; }
	unsigned long pod_cache() const { return hyp_.pod_cache.size(); }
	// The pages the domain holds in Xen's accounting, counting the PoD
	// entries its cache does not cover: what a balloon's current_pages must be.
	unsigned long reservation_with_pod() const
	{
		return hyp_.tot_pages + hyp_.pod_entries - hyp_.pod_cache.size();
	}
	unsigned long max_pages() const { return hyp_.max_pages; }
	void set_max_pages(unsigned long v) { hyp_.max_pages = v; }
	unsigned long host_free() const
	{
		return hyp_.host_free.size() + (hyp_.mfn_limit - hyp_.mfn_hw);
	}
	// Host pool exhaustion: keep at most n MFNs free in the host (the rest go to "other domains").
	void limit_host_pool(unsigned long n);
	// Host fragmentation: another domain takes the middle MFN of a wholly free
	// aligned block of the superpage order. False if there is none.
	bool host_fragment();
	// Wholly free superpage blocks in the host, returned ones and fresh ones.
	unsigned long host_free_blocks() const;
	const std::vector<uint32_t> &host_free_list() const { return hyp_.host_free; }
	const std::vector<uint32_t> &host_block_free_counts() const { return hyp_.host_block_free; }
	const std::vector<uint32_t> &host_free_positions() const { return hyp_.host_pos; }
	// memory_op calls by command (XENMEM_*), and the pages their extents moved.
	uint64_t memory_op_calls(unsigned cmd) const { return hyp_.calls[cmd % 32]; }
	uint64_t memory_op_pages(unsigned cmd) const { return hyp_.pages[cmd % 32]; }
	unsigned superpage_order() const { return cfg_.superpage_order; }
	HypervisorKnobs hv_knobs;
	// MFN bookkeeping (m2p and ownership).
	using MfnOwner = world::MfnOwner;
	// MFNs ever handed out (MFN_BASE + [0, mfn_count())); the rest of the host pool is implicit.
	bool mfn_valid(unsigned long mfn) const
	{
		return mfn >= MFN_BASE && mfn - MFN_BASE < hyp_.mfn_hw;
	}
	MfnOwner mfn_owner(unsigned long mfn) const
	{
		return static_cast<MfnOwner>(hyp_.mfn_owner[mfn - MFN_BASE]);
	}
	unsigned long m2p(unsigned long mfn) const { return hyp_.m2p[mfn - MFN_BASE]; }
	unsigned long mfn_count() const { return hyp_.mfn_hw; }
	// Guest-side p2m (PV): set_phys_to_machine.
	void set_p2m(unsigned long pfn, unsigned long mfn)
	{
		if (Frame *f = frame(pfn)) {
			f->p2m = mfn;
			log_pfn(pfn);
		}
	}
	unsigned long get_p2m(unsigned long pfn) const
	{
		const Frame *f = frame(pfn);
		return f ? f->p2m : INVALID_MFN;
	}

	// Hypercall trace: the last kTraceSize calls.
	static constexpr unsigned kTraceSize = HypervisorState::kTraceSize;
	uint64_t trace_total() const { return hyp_.trace_total; }
	unsigned trace_size() const
	{
		return hyp_.trace_total < kTraceSize ? static_cast<unsigned>(hyp_.trace_total) :
						       kTraceSize;
	}
	// i-th of the retained records, oldest first.
	const HypercallRecord &trace_at(unsigned i) const
	{
		uint64_t first = hyp_.trace_total - trace_size();
		return hyp_.trace[(first + i) % kTraceSize];
	}
	const HypercallRecord &trace_last() const
	{
		return hyp_.trace[(hyp_.trace_total - 1) % kTraceSize];
	}
	void clear_trace() { hyp_.trace_total = hyp_.queries = 0; }
	// Replies so far that hid what Xen did (HypercallRecord::hides_work).
	uint64_t hiding_replies() const { return hyp_.hiding_replies; }
	// Calls that only read the reservation (the rest of the trace changes it).
	uint64_t reservation_queries() const { return hyp_.queries; }

	// ---- hotplug (hotplug.h) ---------------------------------------------------
	unsigned long pages_per_section() const { return cfg_.pages_per_section; }
	unsigned long addressable_pfn_limit() const { return cfg_.addressable_pfn_limit; }
	int allocate_resource(unsigned long long size, unsigned long long align,
			      ballast_resource *res);
	void release_resource(ballast_resource *res);
	int set_phys_to_machine_invalid(unsigned long pfn);
	int add_memory_resource(int nid, ballast_resource *res);
	int alloc_p2m_entry(unsigned long pfn)
	{
		(void)pfn;
		return hp_knobs.alloc_p2m_result;
	}
	HotplugKnobs hp_knobs;
	void set_online_page_callback(OnlinePageFn fn, void *ctx)
	{
		hotplug_.online_fn = fn;
		hotplug_.online_ctx = ctx;
	}
	void set_memory_notifier(MemNotifyFn fn, void *ctx)
	{
		hotplug_.notify_fn = fn;
		hotplug_.notify_ctx = ctx;
	}
	// Online every added-but-offline range: the online-page callback for each
	// page (order 0), then the memory notifier with BALLAST_MEM_ONLINE. Without
	// an online callback pages go to the guest allocator (generic_online_page).
	// Returns the number of pages onlined.
	unsigned long online_pending();
	// When hotplugged memory gets onlined from now on (config.h OnlinePolicy).
	void set_online_policy(OnlinePolicy p) { cfg_.online_policy = p; }
	bool has_offline_ranges() const;
	// Pages of the ranges added and not onlined yet.
	unsigned long offline_pages() const;
	const std::vector<HotplugRange> &hotplug_ranges() const { return hotplug_.ranges; }

	// ---- clock and scheduler (clock.h) -----------------------------------------
	uint64_t jiffies() const { return clock_.now; }
	void set_work(WorkFn fn, void *ctx)
	{
		clock_.work_fn = fn;
		clock_.work_ctx = ctx;
	}
	// schedule_delayed_work (modify == 0) / mod_delayed_work (modify != 0).
	void schedule_work(unsigned long delay_secs, int modify);
	// Observe every worker run (clock.h); reset() forgets the observer.
	void set_worker_observer(const WorkerObserver &o) { clock_.observer = o; }
	bool work_pending() const { return clock_.work_pending; }
	uint64_t work_due() const { return clock_.work_due; }
	void cancel_work() { clock_.work_pending = false; }
	// Kthread model: start() makes the thread runnable; it prepares at the
	// next scheduler run.
	void start_kthread(const KthreadHooks &hooks);
	void stop_kthread() { clock_.kt_active = false; }
	void wake_worker()
	{
		++clock_.wakes;
		if (clock_.kt_active && clock_.kt_phase == KthreadPhase::Sleeping)
			clock_.kt_woken = true;
	}
	bool kthread_sleeping() const
	{
		return clock_.kt_active && clock_.kt_phase == KthreadPhase::Sleeping &&
		       !clock_.kt_woken;
	}
	uint64_t kthread_deadline() const { return clock_.kt_deadline; }
	// Run everything due up to time t (jiffies), in time order, then set the
	// clock to t. Hang: too many callbacks without time passing; the clock
	// stays at the hang time.
	RunResult run_until(uint64_t t);
	RunResult advance(unsigned long secs) { return run_until(clock_.now + secs * HZ); }
	RunResult advance_jiffies(uint64_t j) { return run_until(clock_.now + j); }
	RunResult run_pending_now() { return run_until(clock_.now); }
	// Earliest time something is due (work or kthread); false if nothing.
	bool next_due(uint64_t *when) const;
	unsigned long hangs() const { return clock_.hangs; }
	unsigned long work_runs() const { return clock_.work_runs; }
	unsigned long kthread_steps() const { return clock_.kt_steps; }
	unsigned long wakes() const { return clock_.wakes; }

	int wait_pages(WaitCondFn cond, void *arg, int interruptible, unsigned long timeout_secs);
	WaitKnobs wait_knobs;
	unsigned long waits() const { return clock_.waits; }
	// Start a new count for max_waits_same_jiffy (a harness calls it per step).
	void reset_wait_guard() { clock_.waits_same = 0; }

	// ---- locking, reporting (record.h) -----------------------------------------
	void lock()
	{
		if (rec_.lock_held)
			record_fault(Fault::DoubleLock, 0, 0);
		rec_.lock_held = true;
		++rec_.lock_count;
	}
	void unlock()
	{
		if (!rec_.lock_held)
			record_fault(Fault::UnlockNotHeld, 0, 0);
		rec_.lock_held = false;
	}
	bool lock_held() const { return rec_.lock_held; }
	unsigned long lock_count() const { return rec_.lock_count; }

	void event(ballast_event ev, long a, long b)
	{
		unsigned idx = static_cast<unsigned>(ev);
		if (idx < BALLAST_EV_COUNT)
			++rec_.event_counts[idx];
		if (rec_.events.size() < kMaxEvents)
			rec_.events.push_back(EventRecord{ev, a, b, clock_.now});
		else
			++rec_.events_dropped;
	}
	static constexpr size_t kMaxEvents = RecordState::kMaxEvents;
	const std::vector<EventRecord> &events() const { return rec_.events; }
	unsigned long event_count(ballast_event ev) const
	{
		unsigned idx = static_cast<unsigned>(ev);
		return idx < BALLAST_EV_COUNT ? rec_.event_counts[idx] : 0;
	}
	void clear_events()
	{
		rec_.events.clear();
		rec_.events_dropped = 0;
		for (auto &c : rec_.event_counts)
			c = 0;
	}

	// Faults recorded by the world itself (double free, give-back of a
	// not-owned MFN, double lock, ...). Checked by the invariant checker.
	static constexpr size_t kMaxFaults = RecordState::kMaxFaults;
	void record_fault(Fault f, unsigned long a, unsigned long b)
	{
		++rec_.faults_total;
		if (rec_.faults.size() < kMaxFaults)
			rec_.faults.push_back(FaultRecord{f, a, b});
	}
	const std::vector<FaultRecord> &faults() const { return rec_.faults; }
	unsigned long faults_total() const { return rec_.faults_total; }
	void clear_faults()
	{
		rec_.faults.clear();
		rec_.faults_total = 0;
	}

	// ---- kernel mappings, TLB, kmaps (mmu.h) ----------------------------------
	// xenmem_reservation_va_mapping_reset / _update of one frame (PV lowmem).
	void va_unmap(Frame *f);
	void va_map(Frame *f);
	void flush_tlb_all();
	void kmap_flush_unused();
	bool va_mapped(unsigned long pfn) { return vm_of(pfn) & MmuState::kMapped; }
	bool tlb_stale(unsigned long pfn) { return vm_of(pfn) & MmuState::kTlbStale; }
	bool lazy_kmap(unsigned long pfn) { return vm_of(pfn) & MmuState::kLazyKmap; }

	// Counters of the no-op-ish primitives.
	unsigned long cond_resched_count = 0;
	unsigned long scrub_count = 0;
	unsigned long kmap_flush_count = 0;
	unsigned long tlb_flush_count = 0;
	unsigned long wake_page_waiters_count = 0;

	uint64_t rand() { return xorshift64star(&rng_); }
	bool chance_permille(uint32_t p) { return p != 0 && (p >= 1000 || rand() % 1000 < p); }

	// Dirty log for the checker's incremental mode: every pfn whose wstate or
	// p2m changed and every MFN index whose owner or m2p changed since the last
	// clear_dirty() (duplicates allowed). World operations log what they write;
	// code that writes a frame's wstate/p2m itself must call note_frame(f).
	// Past kDirtyCap entries, or after reset(), dirty_overflow() is true and the
	// checker falls back to a full scan.
	void note_frame(const Frame *f) { log_pfn(f->pfn); }
	static constexpr size_t kDirtyCap = RecordState::kDirtyCap;
	using DirtyLog = world::DirtyLog;
	DirtyLog dirty_pfns() const { return DirtyLog{rec_.dirty_pfns.get(), rec_.n_dirty_pfns}; }
	DirtyLog dirty_mfns() const { return DirtyLog{rec_.dirty_mfns.get(), rec_.n_dirty_mfns}; }
	bool dirty_overflow() const { return rec_.dirty_overflow; }
	void clear_dirty()
	{
		rec_.n_dirty_pfns = rec_.n_dirty_mfns = 0;
		rec_.dirty_overflow = false;
	}
	// Invariant-checker scratch epoch (30 bits; never 0).
	unsigned next_mark_epoch()
	{
		rec_.mark_epoch = (rec_.mark_epoch + 1) & 0x3fffffffu;
		if (rec_.mark_epoch == 0)
			rec_.mark_epoch = 1;
		return rec_.mark_epoch;
	}

private:
	// The kernel uses a frame it took: a PoD entry is backed from the cache
	// (or, with the cache empty, the domain crashes: out of PoD memory).
	Frame *kernel_use(Frame *f);
	// record.h
	void log_pfn(unsigned long pfn)
	{
		if (rec_.n_dirty_pfns < kDirtyCap)
			rec_.dirty_pfns[rec_.n_dirty_pfns++] = static_cast<uint32_t>(pfn);
		else
			rec_.dirty_overflow = true;
	}
	void log_mfn(unsigned long idx)
	{
		if (rec_.n_dirty_mfns < kDirtyCap)
			rec_.dirty_mfns[rec_.n_dirty_mfns++] = static_cast<uint32_t>(idx);
		else
			rec_.dirty_overflow = true;
	}
	// frames.cpp
	void ensure_frames(unsigned long start_pfn, unsigned long end_pfn);
	void init_frame(Frame *f, unsigned long pfn);
	// allocator.cpp (push_free here: hotplug onlines page by page through it)
	void push_free(Frame *f)
	{
		f->wstate = BALLAST_WFS_FREE;
		log_pfn(f->pfn);
		std::vector<uint32_t> &list = f->highmem ? alloc_.free_high : alloc_.free_low;
		if (f->pfn >= alloc_.pos.size())
			grow_block_index(f->pfn);
		alloc_.pos[f->pfn] = static_cast<uint32_t>(list.size());
		list.push_back(static_cast<uint32_t>(f->pfn));
		const unsigned long b = f->pfn >> alloc_.order;
		if (++alloc_.block_free[b] == (1u << alloc_.order) && b > alloc_.block_hint)
			alloc_.block_hint = b;
	}
	Frame *take_free(std::vector<uint32_t> *list,
			 uint8_t state); // top of a free list, to `state`
	void remove_free(Frame *f);	 // out of the middle of its free list
	void grow_block_index(unsigned long pfn);
	bool find_free_block(unsigned long *block); // a wholly free one, highest first
	bool may_free(Frame *page); // a frame of this world, not free already (else a fault)
	bool alloc_knob_fails(ballast_gfp gfp, unsigned long pages = 1);
	// hypervisor.cpp
	unsigned long do_populate(xen_pfn_t *ext, unsigned long n, unsigned order);
	unsigned long do_increase(xen_pfn_t *ext, unsigned long n, unsigned order);
	unsigned long do_decrease(xen_pfn_t *ext, unsigned long n, unsigned order);
	bool release_mfn(xen_pfn_t g); // one page of a decrease (else a fault)
	void trace(unsigned cmd, unsigned long nr, unsigned long done, long result,
		   unsigned order = 0);
	unsigned long take_host_mfn();		       // index or ~0UL
	unsigned long take_host_block(unsigned order); // first index or ~0UL
	bool find_host_block(unsigned long *first); // a whole one, made from fresh MFNs if need be
	void push_host(unsigned long idx);	    // host-free, on top of host_free
	void remove_host(unsigned long idx);	    // out of the middle of host_free
	// hotplug.cpp
	HotplugRange *range_of(const ballast_resource *res);
	void online_range(HotplugRange &r);

	Config cfg_;
	uint64_t rng_ = 1;
	FrameTable frames_;
	AllocatorState alloc_;
	HypervisorState hyp_;
	HotplugState hotplug_;
	ClockState clock_;
	RecordState rec_;
	MmuState mmu_;
	// mmu.cpp
	uint8_t &vm_of(unsigned long pfn);
	void mmu_handed_out(Frame *f);		// alloc_page: may carry a lazy kmap
	void mmu_given_away(unsigned long pfn); // decrease_reservation: nothing may reach it
	void mmu_freed(Frame *f);		// free_reserved_page: mapped again?
};

} // namespace world

#endif // BALLAST_WORLD_WORLD_H
