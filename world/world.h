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
#ifndef BALLAST_WORLD_WORLD_H
#define BALLAST_WORLD_WORLD_H

#include <stdint.h> // before the Xen headers, which are not self-contained

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "ballast_env.h"
#include "world_page.h"

extern "C" {
#include <xen/xen.h>
#include <xen/memory.h>
}

static_assert(sizeof(ballast_pfn_t) == sizeof(xen_pfn_t), "ballast_pfn_t must be xen_pfn_t");
static_assert(static_cast<ballast_pfn_t>(-1) == static_cast<xen_pfn_t>(-1),
	      "ballast_pfn_t signedness");

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

using Frame = ::ballast_page;

constexpr unsigned long HZ = 250; // Debian's CONFIG_HZ
constexpr unsigned PAGE_SHIFT = 12;
constexpr unsigned long INVALID_MFN = BALLAST_WORLD_INVALID_MFN;
// MFNs are numbered from here so that a PV core confusing pfn and mfn fails.
constexpr unsigned long MFN_BASE = 0x100000UL;

enum class FrameState : uint8_t {
	Absent = BALLAST_WFS_ABSENT,
	Free = BALLAST_WFS_FREE,
	Kernel = BALLAST_WFS_KERNEL,
	Core = BALLAST_WFS_CORE,
	Unpopulated = BALLAST_WFS_UNPOPULATED,
	HotplugOffline = BALLAST_WFS_HOTPLUG_OFFLINE,
};
inline FrameState state_of(const Frame *f)
{
	return static_cast<FrameState>(f->wstate);
}
const char *to_string(FrameState s);

// When hotplugged memory gets onlined.
enum class OnlinePolicy : uint8_t {
	Manual,	  // only when the harness calls World::online_pending()
	Sync,	  // inside add_memory_resource (like memhp auto-online)
	Deferred, // at the next scheduler run or wait_pages (like udev onlining)
};

struct Config {
	unsigned long total_frames = 4096;     // guest space at boot: pfns [0, total_frames)
	unsigned long populated_frames = 4096; // pfns [0, populated_frames) populated at boot
	unsigned long kernel_frames =
		0; // of those, [0, kernel_frames) held by the kernel (not free)
	unsigned long highmem_start_pfn = ~0UL; // frames at or above are highmem (x86-64: none)
	unsigned long max_pages = 0;		// domain max_pages; 0: total_frames
	unsigned long host_pool = 4096;		// free MFNs in the host at boot
	bool pv = false;			// false: auto-translated (HVM/PVH)
	bool xen_domain = true;
	unsigned long max_pfn = 0;	  // 0: total_frames
	unsigned long released_pages = 0; // xen_released_pages (boot info only)
	// PV extra regions (boot info). If n_regions == 0 and auto_extra_region,
	// a PV world reports [populated_frames, total_frames) as one region.
	bool auto_extra_region = true;
	unsigned n_regions = 0;
	std::array<ballast_region, 8> regions{};
	// hotplug
	unsigned long pages_per_section = 32768;
	unsigned long addressable_pfn_limit = 1UL << (46 - PAGE_SHIFT); // MAX_PHYSMEM_BITS 46
	unsigned long iomem_limit_pfn = 1UL << 28; // allocate_resource fails above
	OnlinePolicy online_policy = OnlinePolicy::Manual;
	// guest memory accounting
	long mem_available_reserve = 0; // mem_available = free frames - this
	unsigned long totalreserve_pages = 0;
	uint16_t domid = 1;
	uint64_t seed = 1;
	// scheduler: callbacks run at one jiffy before a hang is reported
	unsigned long max_runs_same_jiffy = 10000;
	unsigned long max_runs_per_call = 1000000;
	// wait_pages: more than this many waits at one jiffy (since the last
	// reset_wait_guard()) is a livelock -- the caller retries without time
	// passing, e.g. waiting for a non-empty list that holds only pages it
	// cannot take: counted in hangs() and answered BALLAST_WAIT_NEVER. 0: off.
	unsigned long max_waits_same_jiffy = 0;
};

// Guest allocator failure modes (alloc_page).
struct AllocKnobs {
	unsigned long fail_next = 0; // fail the next K allocations
	uint32_t fail_permille = 0;  // fail each with this probability (seeded)
	bool storm = false;	     // fail everything
	bool pressure = false;	     // keep at least pressure_floor frames free
	unsigned long pressure_floor = 0;
	unsigned gfp_mask = 3; // bit (1 << gfp): which flavours the knobs affect
};

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
};

struct HotplugKnobs {
	int allocate_resource_result = 0; // non-zero: allocate_resource fails with it
	int add_memory_result = 0;	  // non-zero: add_memory_resource fails with it
	long set_p2m_fail_after =
		-1; // set_phys_to_machine_invalid fails after N more successes (-1 never)
	int alloc_p2m_result = 0; // xen_alloc_p2m_entry result
};

struct WaitKnobs {
	bool interrupt = false; // interruptible waits return INTERRUPTED
};

// World-recorded misbehaviour of the code under test (reported by the checker).
enum class Fault : uint8_t {
	DoubleFree, // free_reserved_page of a frame already free
	BadPage,    // a page pointer that is not a frame of this world
	BadPfn,	    // pfn_to_page of a pfn without a frame
	DecreaseNotOwned, // decrease_reservation of an MFN/GFN the domain does not own (given back twice?)
	PopulateOverPopulated, // populate_physmap of an already-populated gfn (auto-translated)
	DoubleLock,
	UnlockNotHeld,
	ReleaseAddedResource,
	BadResource,
};
const char *to_string(Fault f);

struct FaultRecord {
	Fault kind;
	unsigned long a, b;
};

struct HypercallRecord {
	unsigned cmd;
	unsigned long nr_extents; // requested
	unsigned long done;	  // actually processed
	long result;		  // returned
};

struct EventRecord {
	ballast_event ev;
	long a, b;
	uint64_t jiffies;
};

using WorkFn = void (*)(void *ctx);
using OnlinePageFn = void (*)(void *ctx, ballast_page *page, unsigned order);
using MemNotifyFn = int (*)(void *ctx, unsigned long action);
using WaitCondFn = int (*)(void *arg);

// Linux 6.1 balloon_thread, as hooks: before each wait the thread calls
// prepare (timeout and credit snapshot), then waits until woken with
// cond(snapshot) true or the timeout passes, then calls step.
struct KthreadHooks {
	void (*prepare)(void *ctx, unsigned long *timeout_secs, long *credit_snapshot) = nullptr;
	int (*cond)(void *ctx, long credit_snapshot) = nullptr;
	void (*step)(void *ctx) = nullptr;
	void *ctx = nullptr;
};

enum class RunResult : uint8_t { Ok, Hang };

struct HotplugRange {
	enum State : uint8_t { Allocated, AddedOffline, Online, Released };
	unsigned long start_pfn;
	unsigned long n_pages;
	unsigned long size_bytes;
	State state;
};

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

	// ---- frames -------------------------------------------------------------
	Frame *frame(unsigned long pfn) const
	{
		unsigned long c = pfn >> kChunkShift;
		if (c >= chunks_.size() || chunks_[c] == nullptr)
			return nullptr;
		return chunks_[c] + (pfn & kChunkMask);
	}
	// True if p is a frame of this world (O(1): reads p->pfn).
	bool is_frame(const Frame *p) const { return p != nullptr && frame(p->pfn) == p; }
	unsigned long frame_limit() const
	{
		return chunks_.size() << kChunkShift;
	} // pfns < this may exist
	unsigned long guest_top_pfn() const { return top_pfn_; }
	// p2m valid, MFN owned by the domain, m2p agrees.
	bool populated(const Frame *f) const
	{
		unsigned long mfn = f->p2m;
		if (!mfn_valid(mfn))
			return false; // also INVALID_MFN
		unsigned long i = mfn - MFN_BASE;
		return mfn_owner_[i] == static_cast<uint8_t>(MfnOwner::Domain) && m2p_[i] == f->pfn;
	}

	// ---- guest allocator ----------------------------------------------------
	Frame *alloc_page(ballast_gfp gfp);
	void free_reserved_page(Frame *page);
	unsigned long free_count() const { return free_low_.size() + free_high_.size(); }
	long mem_available() const
	{
		if (mem_available_override_set_)
			return mem_available_override_;
		return static_cast<long>(free_count()) - cfg_.mem_available_reserve;
	}
	void set_mem_available_override(long v)
	{
		mem_available_override_ = v;
		mem_available_override_set_ = true;
	}
	void clear_mem_available_override() { mem_available_override_set_ = false; }
	unsigned long totalreserve_pages() const { return totalreserve_; }
	void set_totalreserve_pages(unsigned long v) { totalreserve_ = v; }
	long managed_pages() const { return managed_; }
	void adjust_managed(long delta) { managed_ += delta; }
	// The rest of the guest kernel: take/return populated frames (not via the balloon).
	Frame *kernel_alloc();
	void kernel_free(Frame *page);
	// Knob: only n more frames allocatable (until frames are freed).
	void set_pressure(unsigned long n)
	{
		alloc_knobs.pressure = true;
		unsigned long fc = free_count();
		alloc_knobs.pressure_floor = n >= fc ? 0 : fc - n;
	}
	AllocKnobs alloc_knobs;
	unsigned long alloc_calls() const { return alloc_calls_; }
	unsigned long alloc_failures() const { return alloc_failures_; }

	// ---- hypervisor ---------------------------------------------------------
	// HYPERVISOR_memory_op with the real ABI structs.
	long memory_op(unsigned cmd, void *arg);
	bool auto_translated() const { return !cfg_.pv; }
	unsigned long tot_pages() const { return tot_pages_; }
	unsigned long max_pages() const { return max_pages_; }
	void set_max_pages(unsigned long v) { max_pages_ = v; }
	unsigned long host_free() const { return host_free_.size() + (mfn_limit_ - mfn_hw_); }
	// Host pool exhaustion: keep at most n MFNs free in the host (the rest go to "other domains").
	void limit_host_pool(unsigned long n);
	HypervisorKnobs hv_knobs;
	// MFN bookkeeping (m2p and ownership).
	enum class MfnOwner : uint8_t { Host = 0, Domain = 1, Other = 2 };
	// MFNs ever handed out (MFN_BASE + [0, mfn_count())); the rest of the host pool is implicit.
	bool mfn_valid(unsigned long mfn) const
	{
		return mfn >= MFN_BASE && mfn - MFN_BASE < mfn_hw_;
	}
	MfnOwner mfn_owner(unsigned long mfn) const
	{
		return static_cast<MfnOwner>(mfn_owner_[mfn - MFN_BASE]);
	}
	unsigned long m2p(unsigned long mfn) const { return m2p_[mfn - MFN_BASE]; }
	unsigned long mfn_count() const { return mfn_hw_; }
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
	static constexpr unsigned kTraceSize = 256;
	uint64_t trace_total() const { return trace_total_; }
	unsigned trace_size() const
	{
		return trace_total_ < kTraceSize ? static_cast<unsigned>(trace_total_) : kTraceSize;
	}
	// i-th of the retained records, oldest first.
	const HypercallRecord &trace_at(unsigned i) const
	{
		uint64_t first = trace_total_ - trace_size();
		return trace_[(first + i) % kTraceSize];
	}
	const HypercallRecord &trace_last() const
	{
		return trace_[(trace_total_ - 1) % kTraceSize];
	}
	void clear_trace() { trace_total_ = 0; }

	// ---- hotplug ------------------------------------------------------------
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
		online_fn_ = fn;
		online_ctx_ = ctx;
	}
	void set_memory_notifier(MemNotifyFn fn, void *ctx)
	{
		notify_fn_ = fn;
		notify_ctx_ = ctx;
	}
	// Online every added-but-offline range: the online-page callback for each
	// page (order 0), then the memory notifier with BALLAST_MEM_ONLINE. Without
	// an online callback pages go to the guest allocator (generic_online_page).
	// Returns the number of pages onlined.
	unsigned long online_pending();
	bool has_offline_ranges() const;
	const std::vector<HotplugRange> &hotplug_ranges() const { return ranges_; }

	// ---- clock and scheduler ------------------------------------------------
	uint64_t jiffies() const { return now_; }
	void set_work(WorkFn fn, void *ctx)
	{
		work_fn_ = fn;
		work_ctx_ = ctx;
	}
	// schedule_delayed_work (modify == 0) / mod_delayed_work (modify != 0).
	void schedule_work(unsigned long delay_secs, int modify);
	bool work_pending() const { return work_pending_; }
	uint64_t work_due() const { return work_due_; }
	void cancel_work() { work_pending_ = false; }
	// Kthread model: start() makes the thread runnable; it prepares at the
	// next scheduler run.
	void start_kthread(const KthreadHooks &hooks);
	void stop_kthread() { kt_active_ = false; }
	void wake_worker()
	{
		++wakes_;
		if (kt_active_ && kt_phase_ == KtPhase::Sleeping)
			kt_woken_ = true;
	}
	bool kthread_sleeping() const
	{
		return kt_active_ && kt_phase_ == KtPhase::Sleeping && !kt_woken_;
	}
	uint64_t kthread_deadline() const { return kt_deadline_; }
	// Run everything due up to time t (jiffies), in time order, then set the
	// clock to t. Hang: too many callbacks without time passing; the clock
	// stays at the hang time.
	RunResult run_until(uint64_t t);
	RunResult advance(unsigned long secs) { return run_until(now_ + secs * HZ); }
	RunResult advance_jiffies(uint64_t j) { return run_until(now_ + j); }
	RunResult run_pending_now() { return run_until(now_); }
	// Earliest time something is due (work or kthread); false if nothing.
	bool next_due(uint64_t *when) const;
	unsigned long hangs() const { return hangs_; }
	unsigned long work_runs() const { return work_runs_; }
	unsigned long kthread_steps() const { return kt_steps_; }
	unsigned long wakes() const { return wakes_; }

	int wait_pages(WaitCondFn cond, void *arg, int interruptible, unsigned long timeout_secs);
	WaitKnobs wait_knobs;
	unsigned long waits() const { return waits_; }
	// Start a new count for max_waits_same_jiffy (a harness calls it per step).
	void reset_wait_guard() { waits_same_ = 0; }

	// ---- locking, reporting -------------------------------------------------
	void lock()
	{
		if (lock_held_)
			record_fault(Fault::DoubleLock, 0, 0);
		lock_held_ = true;
		++lock_count_;
	}
	void unlock()
	{
		if (!lock_held_)
			record_fault(Fault::UnlockNotHeld, 0, 0);
		lock_held_ = false;
	}
	bool lock_held() const { return lock_held_; }
	unsigned long lock_count() const { return lock_count_; }

	void event(ballast_event ev, long a, long b)
	{
		unsigned idx = static_cast<unsigned>(ev);
		if (idx < BALLAST_EV_COUNT)
			++event_counts_[idx];
		if (events_.size() < kMaxEvents)
			events_.push_back(EventRecord{ev, a, b, now_});
		else
			++events_dropped_;
	}
	static constexpr size_t kMaxEvents = 4096;
	const std::vector<EventRecord> &events() const { return events_; }
	unsigned long event_count(ballast_event ev) const
	{
		unsigned idx = static_cast<unsigned>(ev);
		return idx < BALLAST_EV_COUNT ? event_counts_[idx] : 0;
	}
	void clear_events()
	{
		events_.clear();
		events_dropped_ = 0;
		for (auto &c : event_counts_)
			c = 0;
	}

	// Faults recorded by the world itself (double free, give-back of a
	// not-owned MFN, double lock, ...). Checked by the invariant checker.
	static constexpr size_t kMaxFaults = 64;
	void record_fault(Fault f, unsigned long a, unsigned long b)
	{
		++faults_total_;
		if (faults_.size() < kMaxFaults)
			faults_.push_back(FaultRecord{f, a, b});
	}
	const std::vector<FaultRecord> &faults() const { return faults_; }
	unsigned long faults_total() const { return faults_total_; }
	void clear_faults()
	{
		faults_.clear();
		faults_total_ = 0;
	}

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
	static constexpr size_t kDirtyCap = 8192;
	struct DirtyLog {
		const uint32_t *begin_;
		size_t n_;
		const uint32_t *begin() const { return begin_; }
		const uint32_t *end() const { return begin_ + n_; }
		size_t size() const { return n_; }
	};
	DirtyLog dirty_pfns() const { return DirtyLog{dirty_pfns_.get(), n_dirty_pfns_}; }
	DirtyLog dirty_mfns() const { return DirtyLog{dirty_mfns_.get(), n_dirty_mfns_}; }
	bool dirty_overflow() const { return dirty_overflow_; }
	void clear_dirty()
	{
		n_dirty_pfns_ = n_dirty_mfns_ = 0;
		dirty_overflow_ = false;
	}
	// Invariant-checker scratch epoch (30 bits; never 0).
	unsigned next_mark_epoch()
	{
		mark_epoch_ = (mark_epoch_ + 1) & 0x3fffffffu;
		if (mark_epoch_ == 0)
			mark_epoch_ = 1;
		return mark_epoch_;
	}
	// Iterate all existing frames (ascending pfn).
	template <class F> void for_each_frame(F &&fn)
	{
		for (size_t c = 0; c < chunks_.size(); ++c) {
			Frame *base = chunks_[c];
			if (!base)
				continue;
			for (unsigned i = 0; i < kChunk; ++i)
				fn(base + i);
		}
	}
	const std::vector<uint32_t> &free_low_list() const { return free_low_; }
	const std::vector<uint32_t> &free_high_list() const { return free_high_; }

private:
	static constexpr unsigned kChunkShift = 6;
	static constexpr unsigned long kChunk = 1UL << kChunkShift;
	static constexpr unsigned long kChunkMask = kChunk - 1;

	// Fixed arrays, not vectors: these run for every page a step touches.
	void log_pfn(unsigned long pfn)
	{
		if (n_dirty_pfns_ < kDirtyCap)
			dirty_pfns_[n_dirty_pfns_++] = static_cast<uint32_t>(pfn);
		else
			dirty_overflow_ = true;
	}
	void log_mfn(unsigned long idx)
	{
		if (n_dirty_mfns_ < kDirtyCap)
			dirty_mfns_[n_dirty_mfns_++] = static_cast<uint32_t>(idx);
		else
			dirty_overflow_ = true;
	}
	void ensure_frames(unsigned long start_pfn, unsigned long end_pfn);
	void init_frame(Frame *f, unsigned long pfn);
	void push_free(Frame *f);
	Frame *take_free(std::vector<uint32_t> *list,
			 uint8_t state); // top of a free list, to `state`
	bool may_free(Frame *page);	 // a frame of this world, not free already (else a fault)
	bool alloc_knob_fails(ballast_gfp gfp);
	unsigned long do_populate(xen_pfn_t *ext, unsigned long n);
	unsigned long do_increase(xen_pfn_t *ext, unsigned long n);
	unsigned long do_decrease(xen_pfn_t *ext, unsigned long n);
	void trace(unsigned cmd, unsigned long nr, unsigned long done, long result);
	unsigned long take_host_mfn(); // index or ~0UL
	HotplugRange *range_of(const ballast_resource *res);
	void online_range(HotplugRange &r);

	enum class KtPhase : uint8_t { NeedPrepare, Sleeping, Runnable };

	Config cfg_;
	uint64_t rng_ = 1;

	// frames
	std::vector<Frame *> chunks_;
	struct Block {
		std::unique_ptr<Frame[]> frames;
		unsigned long size = 0; // frames allocated (may exceed those in use)
	};
	std::vector<Block> blocks_; // [0]: the boot block; then hotplug blocks
	// Hotplug blocks of earlier scenarios, kept for reuse by ensure_frames():
	// a fuzz target resets the world per input; replaying a fixed corpus ran
	// 12-17% faster with the reuse than with a fresh allocation per hotplug.
	std::vector<Block> spare_blocks_;
	unsigned long top_pfn_ = 0;

	// allocator
	std::vector<uint32_t> free_low_, free_high_;
	long mem_available_override_ = 0;
	bool mem_available_override_set_ = false;
	unsigned long totalreserve_ = 0;
	long managed_ = 0;
	unsigned long alloc_calls_ = 0, alloc_failures_ = 0;

	// hypervisor
	unsigned long tot_pages_ = 0, max_pages_ = 0;
	std::vector<uint8_t> mfn_owner_;
	std::vector<unsigned long> m2p_;
	std::vector<uint32_t> host_free_; // returned MFN indices (LIFO)
	unsigned long mfn_hw_ = 0;	  // indices [0, mfn_hw_) initialised
	unsigned long mfn_limit_ = 0;	  // indices [mfn_hw_, mfn_limit_) are implicitly host-free
	std::array<HypercallRecord, kTraceSize> trace_{};
	uint64_t trace_total_ = 0;

	// hotplug
	std::vector<HotplugRange> ranges_;
	OnlinePageFn online_fn_ = nullptr;
	void *online_ctx_ = nullptr;
	MemNotifyFn notify_fn_ = nullptr;
	void *notify_ctx_ = nullptr;
	bool deferred_online_ = false;

	// clock
	uint64_t now_ = 0;
	WorkFn work_fn_ = nullptr;
	void *work_ctx_ = nullptr;
	bool work_pending_ = false;
	uint64_t work_due_ = 0;
	KthreadHooks kt_{};
	bool kt_active_ = false;
	KtPhase kt_phase_ = KtPhase::NeedPrepare;
	bool kt_woken_ = false;
	uint64_t kt_deadline_ = 0;
	long kt_snapshot_ = 0;
	unsigned long hangs_ = 0, work_runs_ = 0, kt_steps_ = 0, wakes_ = 0, waits_ = 0;
	unsigned long waits_same_ = 0; // consecutive unsatisfied waits at wait_jiffy_
	uint64_t wait_jiffy_ = 0;

	// locking / reporting
	bool lock_held_ = false;
	unsigned long lock_count_ = 0;
	std::vector<EventRecord> events_;
	unsigned long events_dropped_ = 0;
	std::array<unsigned long, BALLAST_EV_COUNT> event_counts_{};
	std::vector<FaultRecord> faults_;
	unsigned long faults_total_ = 0;
	unsigned mark_epoch_ = 0;
	std::unique_ptr<uint32_t[]> dirty_pfns_{new uint32_t[kDirtyCap]},
		dirty_mfns_{new uint32_t[kDirtyCap]};
	size_t n_dirty_pfns_ = 0, n_dirty_mfns_ = 0;
	bool dirty_overflow_ = true;
};

} // namespace world

#endif // BALLAST_WORLD_WORLD_H
