// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast: the Xen balloon algorithm, once, freestanding.
//
// Balloon<Env> is the driver's state and logic; Env is the environment
// contract of core/ballast_env.h (members named like the ballast_env_*
// functions). No exceptions, RTTI, heap, libc or global constructors: the
// object is trivially constructible so the kernel can keep it in .bss, and
// init() brings it to life. Locking follows the upstream driver: the
// functions named like upstream's take env.lock() where upstream takes
// balloon_mutex.
#ifndef BALLAST_BALLOON_H
#define BALLAST_BALLOON_H

#include "ballast_core.h"
#include "profile.h"

namespace ballast {

constexpr unsigned kPageShift = 12;
constexpr unsigned long kPageSize = 1UL << kPageShift;
// One batch of frame numbers fills one page, as upstream's frame_list.
constexpr unsigned long kBatch = kPageSize / sizeof(ballast_pfn_t);
constexpr int kENOMEM = 12, kENODEV = 19, kEINVAL = 22, kERANGE = 34, kETIMEDOUT = 110;
// superpage_extents: after a superpage batch the allocator or the hypervisor
// refused, this many batches in that direction use 4 KiB extents before the
// next try, so fragmented memory costs one failed try per this many batches.
constexpr unsigned kSuperRetryBatches = 32;
// The largest superpage order the core uses (x86-64 PMD order; Xen's
// CONFIG_DOMU_MAX_ORDER): a larger configured order means 4 KiB only.
constexpr unsigned kMaxSuperOrder = 9;
constexpr int kHung = -100000; // internal: the caller would sleep forever upstream
// balloon_boot_timeout: seconds of cancelled ballooning before the boot wait gives up.
constexpr unsigned long kBootTimeoutSecs = 180;
// What the boot wait returns after upstream's panic("Initial ballooning failed!").
constexpr int kBootPanicked = -1000;

enum BpState { BP_DONE, BP_WAIT, BP_EAGAIN, BP_ECANCELED, BP_DEAD };

template <class T> constexpr T min_of(T a, T b)
{
	return a < b ? a : b;
}

template <class Env> class Balloon {
public:
	// ---------------------------------------------------------------- setup
	int init(Env *env, const ballast_boot_info &boot, const ballast_config &cfg,
		 const Switches &sw)
	{
		env_ = env;
		cfg_ = cfg;
		sw_ = sw;
		head_.next = head_.prev = &head_;
		state_ = BP_DONE;
		balloon_state_ = BP_DONE;
		dead_ = false;
		hotplug_unpopulated_ = false;
		draining_ = false;
		super_skip_in_ = super_skip_out_ = 0;
		may_hold_blocks_ = false;
		boot_pv_ = boot.pv_domain != 0;
		boot_last_credit_ = 0;
		boot_last_changed_ = 0;
		hotplug_wait_armed_ = false;
		// One memset each (allowed in the core: tests/freestanding): the
		// element loop was one sanitizer-checked store per entry, 3% of a
		// fuzz run, which re-inits the core for every input.
		__builtin_memset(frame_list_, 0, sizeof frame_list_);
		__builtin_memset(batch_, 0, sizeof batch_);
		counters_ = ballast_counters{};
		stats_ = ballast_stats{}; // all zero, as upstream's statics when init fails
		if (!boot.xen_domain)
			return -kENODEV;
		// The initial figures, as each upstream version computes them (a
		// switch per change, core/SWITCHES.md), and as ballast does.
		const bool pv = cfg.xen_pv && boot.pv_domain;
		long reservation = 0; // XENMEM_current_reservation; 0: not asked or refused
		if (sw.dom0_initial_pages_from_reservation && boot.initial_domain)
			reservation = env->current_reservation();
		unsigned long cur;
		bool counts_regions = false; // cur counts the extra regions already
		if (reservation > 0) {
			cur = (unsigned long)reservation;
		} else if (!sw.initial_pages_from_physpages) {
			cur = pv ? min_of(boot.start_info_nr_pages - boot.released_pages,
					  boot.max_pfn) :
				   boot.num_physpages;
		} else if (sw.pv_initial_pages_from_start_info && boot.pv_domain) {
			if (boot.released_pages >= boot.start_info_nr_pages)
				return -kERANGE; // upstream: WARN "Released pages underflow current target"
			cur = min_of(boot.start_info_nr_pages - boot.released_pages, boot.max_pfn);
		} else if (sw.pv_initial_pages_from_start_info) {
			if (boot.unpopulated_pages >= boot.num_physpages)
				return -kERANGE;
			cur = boot.num_physpages - boot.unpopulated_pages;
			counts_regions = true;
		} else {
			// Before PV went back to start_info, every guest counted from
			// the memory map, and xen_released_pages also held the pages
			// unpopulated-alloc took: PV guests came out short by pfn 0
			// and the ISA hole, which the memory map does not call RAM.
			const unsigned long gone = boot.released_pages + boot.unpopulated_pages;
			if (gone >= boot.num_physpages)
				return -kERANGE;
			cur = boot.num_physpages - gone;
			counts_regions = true;
		}
		stats_.current_pages = cur;
		stats_.target_pages = cur;
		stats_.total_pages = cur;
		stats_.schedule_delay = 1;
		stats_.max_schedule_delay = 32;
		stats_.retry_count = 1;
		stats_.max_retry_count = 4;
		// Extra regions (unpopulated RAM of the memory map) start in the
		// balloon. Where the initial figure counts them they come off it,
		// else they add to total_pages; before the initial figures were
		// reworked they always added, and after it (until "fix init of
		// balloon stats again") they always came off.
		const bool subtract = sw.initial_pages_from_physpages &&
				      (counts_regions || !sw.extra_regions_added_when_counted_out);
		if (cfg.xen_pv || sw.extra_regions_in_every_build) {
			unsigned n = boot.n_regions < BALLAST_MAX_EXTRA_REGIONS ?
					     boot.n_regions :
					     BALLAST_MAX_EXTRA_REGIONS;
			for (unsigned i = 0; i < n; i++) {
				if (!boot.regions[i].n_pfns)
					continue;
				int rc = add_region(boot.max_pfn, boot.regions[i].start_pfn,
						    boot.regions[i].n_pfns, subtract);
				if (rc)
					return rc;
			}
		}
		// ballast: an HVM/PVH guest holds what Xen reports, or more -- the
		// populate-on-demand entries its cache does not cover, which its
		// memory map counts. Its target is what Xen backs: upstream waits for
		// the toolstack's first target, and a seed kernel lets userspace
		// touch the difference first ("out of PoD memory"). The map alone
		// comes out short where a mem= limit cut it below pages unpopulated-
		// alloc was counted for (xen_unpopulated_pages counts whole regions).
		if (sw.initial_figures_from_reservation && !boot.pv_domain &&
		    boot.current_reservation > 0) {
			const unsigned long backed = (unsigned long)boot.current_reservation;
			if (backed > stats_.current_pages) {
				stats_.total_pages += backed - stats_.current_pages;
				stats_.current_pages = backed;
			}
			stats_.target_pages = backed;
			if (backed != stats_.current_pages)
				kick(false);
		}
		return 0;
	}

	// --------------------------------------------------------- boot wait
	// balloon_wait_finish() (late_initcall_sync), one poll at a time: the
	// environment sleeps HZ/10 between polls (scenario/runtime.h). An HVM or
	// PVH guest waits until it has ballooned down to its target; upstream
	// panics once ballooning is cancelled and the credit has not changed for
	// kBootTimeoutSecs. ballast (bounded_boot_wait) restarts cancelled
	// ballooning instead, and after kBootTimeoutSecs without progress gives
	// up the wait and boots on.
	enum BootWait { kBootDone, kBootSleep, kBootPanic, kBootGaveUp, kBootHung };
	BootWait boot_wait_poll(unsigned long now, unsigned long hz, bool first)
	{
		if (!sw_.boot_waits_for_balloon)
			return kBootDone;
		if (first) {
			if (boot_pv_ || !current_credit())
				return kBootDone;
			boot_last_credit_ = 0;
			boot_last_changed_ = 0;
		}
		const long credit = current_credit();
		if (credit >= 0)
			return kBootDone;
		if (credit != boot_last_credit_) {
			boot_last_changed_ = now;
			boot_last_credit_ = credit;
		}
		const bool expired = boot_last_changed_ + hz * kBootTimeoutSecs <= now;
		if (sw_.bounded_boot_wait) {
			if (expired) {
				report(BALLAST_EV_BOOT_WAIT_ABANDONED, credit, 0);
				return kBootGaveUp;
			}
			if (balloon_state_ == BP_ECANCELED && !dead_) {
				balloon_state_ = BP_DONE;
				kick(true);
			}
			return kBootSleep;
		}
		if (balloon_state_ == BP_ECANCELED && expired) {
			report(BALLAST_EV_PANIC_BOOT_TIMEOUT, credit, 0);
			dead_ = true; // the machine is gone
			return kBootPanic;
		}
		if (boot_last_changed_ + hz * BALLAST_BOOT_WAIT_HANG_SECS <= now) {
			report(BALLAST_EV_HANG_WAIT, credit, 0); // the boot never goes on
			return kBootHung;
		}
		return kBootSleep;
	}
	// The environment hung while the boot wait slept (upstream: the task
	// never wakes).
	void boot_wait_hung() { report(BALLAST_EV_HANG_SPIN, current_credit(), 1); }

	// ------------------------------------------------------------- read-outs
	const ballast_stats &stats() const { return stats_; }
	const ballast_counters &counters() const { return counters_; }
	const ballast_list *ballooned_head() const { return &head_; }
	const Switches &switches() const { return sw_; }
	// The last batch's frame numbers: a populate reply larger than the
	// request makes upstream (and the upstream profiles) read stale entries.
	const ballast_pfn_t *frame_list() const { return frame_list_; }
	BpState state() const { return state_; }
	bool dead() const { return dead_; }
	bool hotplug_unpopulated() const { return hotplug_unpopulated_; }
	long current_credit() const { return (long)(stats_.target_pages - stats_.current_pages); }

	// -------------------------------------------------------------- inputs
	// balloon_set_new_target(): no lock, as upstream (not read-modify-write).
	int set_target(unsigned long target)
	{
		if (sw_.validate_inputs && target > kMaxTargetPages) {
			report(BALLAST_EV_REJECTED_INPUT, (long)target, 0);
			return -kEINVAL;
		}
		if (draining_)
			return -kEINVAL;
		stats_.target_pages = target;
		hotplug_wait_armed_ = false; // a new target starts a new wait
		kick(sw_.new_target_preempts_backoff);
		return 0;
	}

	int set_max_schedule_delay(unsigned long secs)
	{
		if (sw_.validate_inputs && (secs == 0 || secs > kMaxScheduleDelaySecs)) {
			report(BALLAST_EV_REJECTED_INPUT, (long)secs, 1);
			return -kEINVAL;
		}
		stats_.max_schedule_delay = secs;
		return 0;
	}

	int set_max_retry_count(unsigned long n)
	{
		stats_.max_retry_count = n; // any value is sane; 0 means unlimited
		return 0;
	}

	void set_hotplug_unpopulated(bool on) { hotplug_unpopulated_ = on && cfg_.memory_hotplug; }

	// ---------------------------------------------------- the 2019 worker
	// balloon_process(): loop while there is credit and steps succeed, then
	// re-arm after the backoff delay on EAGAIN.
	void process()
	{
		counters_.worker_runs++;
		if (dead_) {
			report(BALLAST_EV_HANG_LOCK, 0, 0);
			return;
		}
		BpState state = BP_DONE;
		long credit;
		do {
			env_->lock();
			credit = current_credit();
			Progress before = progress();
			state = step(credit, state);
			if (state == BP_DEAD) {
				env_->unlock();
				return;
			}
			state = update_schedule(state);
			bool spin = state == BP_DONE && credit && before == progress();
			env_->unlock();
			env_->cond_resched();
			if (spin) {
				// Upstream would loop here forever: same state, same credit.
				report(BALLAST_EV_HANG_SPIN, credit, 0);
				return;
			}
		} while (credit && state == BP_DONE);
		balloon_state_ = state;
		if (state == BP_EAGAIN)
			env_->schedule_work(stats_.schedule_delay, 0);
		if (state == BP_WAIT && sw_.bounded_hotplug_wait)
			bound_hotplug_wait();
		else
			hotplug_wait_armed_ = false;
	}

	// ---------------------------------------------------- the 6.1 kthread
	// The environment runs: thread_prepare(); sleep until thread_cond() is
	// true after a wake-up, or the timeout passes; thread_step(); repeat.
	void thread_prepare(unsigned long *timeout_secs, long *credit) const
	{
		switch (state_) {
		case BP_EAGAIN:
			*timeout_secs = stats_.schedule_delay;
			break;
		case BP_WAIT:
			*timeout_secs = 1;
			break;
		default:
			*timeout_secs = 3600;
			break;
		}
		*credit = current_credit();
	}

	// balloon_thread_cond(): stop waiting if state is DONE and action is
	// needed, or if the credit changed while not DONE.
	bool thread_cond(long credit) const
	{
		if (state_ == BP_DONE)
			credit = 0;
		return current_credit() != credit;
	}

	void thread_step()
	{
		counters_.worker_runs++;
		if (dead_) {
			report(BALLAST_EV_HANG_LOCK, 0, 0);
			return;
		}
		env_->lock();
		long credit = current_credit();
		Progress before = progress();
		BpState st = step(credit, state_);
		if (st == BP_DEAD) {
			state_ = BP_DEAD;
			env_->unlock();
			return;
		}
		state_ = update_schedule(st);
		balloon_state_ = state_;
		bool spin = state_ == BP_DONE && credit && before == progress();
		env_->unlock();
		env_->cond_resched();
		if (spin)
			report(BALLAST_EV_HANG_SPIN, credit, 0);
	}

	// ------------------------------------------------------------ hotplug
	// xen_online_page(): the online-page callback.
	void online_page(ballast_page *page, unsigned order)
	{
		if (dead_) {
			report(BALLAST_EV_HANG_LOCK, 0, 0);
			return;
		}
		unsigned long size = 1UL << order;
		unsigned long start = env_->page_to_pfn(page);
		env_->lock();
		may_hold_blocks_ = true;
		for (unsigned long i = 0; i < size; i++) {
			ballast_page *p = env_->pfn_to_page(start + i);
			if (!sw_.offline_in_append)
				env_->set_page_offline(p);
			append(p);
		}
		env_->unlock();
	}

	// Not upstream: ballooned pages handed over by another balloon (the
	// module taking over the kernel's own balloon in a guest without the
	// built-in driver). Ballooned and counted in total_pages, as
	// balloon_add_regions() counts the boot-time extra memory, so that
	// reserve_additional_memory() hotplugs only what lies beyond them.
	void adopt_pages(int nr_pages, ballast_page **pages)
	{
		if (nr_pages <= 0)
			return;
		if (dead_) {
			report(BALLAST_EV_HANG_LOCK, 0, 0);
			return;
		}
		env_->lock();
		for (int i = 0; i < nr_pages; i++) {
			if (!sw_.offline_in_append)
				env_->set_page_offline(pages[i]);
			append(pages[i]);
		}
		stats_.total_pages += (unsigned long)nr_pages;
		env_->unlock();
	}

	// xen_memory_notifier()
	int memory_notify(unsigned long action)
	{
		// ballast: re-arm the work to now, so that a pending bound on the
		// wait for this memory (bounded_hotplug_wait) does not delay it.
		if (action == BALLAST_MEM_ONLINE)
			kick(sw_.bounded_hotplug_wait);
		return 0; // NOTIFY_OK
	}

	// ------------------------------------------------------------- lending
	// alloc_xenballooned_pages() / xen_alloc_ballooned_pages()
	int alloc_pages(int nr_pages, ballast_page **pages)
	{
		if (sw_.validate_inputs && nr_pages < 0) {
			report(BALLAST_EV_REJECTED_INPUT, nr_pages, 2);
			return -kEINVAL;
		}
		if (sw_.unsigned_lending_count && nr_pages < 0)
			return -kEINVAL; // not expressible in 6.1's unsigned API
		if (dead_) {
			report(BALLAST_EV_HANG_LOCK, 0, 0);
			return -kENOMEM;
		}
		int pgno = 0;
		int ret = 0;
		env_->lock();
		stats_.target_unpopulated += (unsigned long)(long)nr_pages;
		while (pgno < nr_pages) {
			ballast_page *page = retrieve(true);
			if (page) {
				if (!sw_.offline_in_append)
					env_->clear_page_offline(page);
				pages[pgno++] = page;
				if (cfg_.have_pvmmu && !env_->auto_translated_physmap()) {
					ret = env_->alloc_p2m_entry(env_->page_to_pfn(page));
					if (ret < 0)
						goto out_undo;
				}
			} else {
				ret = add_ballooned_pages(nr_pages - pgno);
				if (ret == kHung)
					goto out_dead;
				if (ret < 0)
					goto out_undo;
				if (dead_)
					goto out_dead;
			}
		}
		env_->unlock();
		return 0;
out_dead:
		// The task crashed or hangs upstream: nothing is undone. pages[0..pgno)
		// stay with the caller (the harness counts them as lent).
		env_->unlock();
		return -kENOMEM;
out_undo:
		env_->unlock();
		free_pages(pgno, pages);
		if (sw_.undo_unpopulated_accounting)
			stats_.target_unpopulated -= (unsigned long)(long)(nr_pages - pgno);
		return ret;
	}

	// free_xenballooned_pages() / xen_free_ballooned_pages()
	void free_pages(int nr_pages, ballast_page **pages)
	{
		if (sw_.validate_inputs && nr_pages < 0) {
			report(BALLAST_EV_REJECTED_INPUT, nr_pages, 3);
			return;
		}
		if (sw_.unsigned_lending_count && nr_pages < 0)
			return;
		if (dead_) {
			report(BALLAST_EV_HANG_LOCK, 0, 0);
			return;
		}
		env_->lock();
		for (int i = 0; i < nr_pages; i++) {
			if (pages[i]) {
				if (!sw_.offline_in_append)
					env_->set_page_offline(pages[i]);
				append(pages[i]);
			}
		}
		stats_.target_unpopulated -= (unsigned long)(long)nr_pages;
		if (current_credit())
			kick(false);
		env_->unlock();
	}

	// ---------------------------------------------------------- unloading
	// Give every ballooned page back to the guest; refuse new targets.
	unsigned long drain()
	{
		draining_ = true;
		unsigned failures = 0;
		while (!dead_ && (stats_.balloon_low || stats_.balloon_high) && failures < 8) {
			env_->lock();
			unsigned long before = stats_.balloon_low + stats_.balloon_high;
			BpState st = increase_reservation(before);
			unsigned long after = stats_.balloon_low + stats_.balloon_high;
			env_->unlock();
			env_->cond_resched();
			if (st == BP_DEAD)
				break;
			failures = after < before ? 0 : failures + 1;
		}
		stats_.target_pages = stats_.current_pages;
		return stats_.balloon_low + stats_.balloon_high;
	}

private:
	struct Progress {
		unsigned long current, low, high, total;
		bool operator==(const Progress &o) const
		{
			return current == o.current && low == o.low && high == o.high &&
			       total == o.total;
		}
	};
	Progress progress() const
	{
		return Progress{stats_.current_pages, stats_.balloon_low, stats_.balloon_high,
				stats_.total_pages};
	}

	void report(ballast_event ev, long a, long b)
	{
		if ((unsigned)ev < BALLAST_EV_COUNT)
			counters_.events[ev]++;
		env_->event(ev, a, b);
	}

	// Upstream crashed here (BUG_ON): the worker is gone, its mutex held.
	void crash(ballast_event ev, long a, long b)
	{
		report(ev, a, b);
		dead_ = true;
	}

	// ballast: the worker found the memory it hotplugged still offline
	// (BP_WAIT). Upstream's delayed work waits for the memory notifier and
	// nothing else: with nobody onlining the memory it waits forever, in
	// silence. Re-check once after kHotplugWaitSecs; still offline then, report
	// it and stop waiting (onlining later, or a new target, still kicks it).
	void bound_hotplug_wait()
	{
		if (!hotplug_wait_armed_) {
			hotplug_wait_armed_ = true;
			env_->schedule_work(kHotplugWaitSecs, 0);
		} else {
			hotplug_wait_armed_ = false;
			report(BALLAST_EV_HOTPLUG_NOT_ONLINED, current_credit(), 0);
		}
	}

	// schedule_delayed_work(&balloon_worker, 0) or wake_up(&balloon_thread_wq).
	void kick(bool modify)
	{
		if (sw_.kthread_worker)
			env_->wake_worker();
		else
			env_->schedule_work(0, modify ? 1 : 0);
	}

	// One pass of the credit loop's body (lock held).
	BpState step(long credit, BpState state)
	{
		counters_.steps++;
		if (credit > 0) {
			if (stats_.balloon_low || stats_.balloon_high)
				state = increase_reservation((unsigned long)credit);
			else
				state = reserve_additional_memory();
		}
		if (credit < 0) {
			long avail = env_->mem_available();
			if (sw_.backoff_on_empty_decrease && avail < 0)
				avail = 0;
			long n_pages = min_of(-credit, avail);
			if (sw_.backoff_on_empty_decrease && n_pages <= 0)
				return BP_EAGAIN;
			state = decrease_reservation((unsigned long)n_pages, BALLAST_GFP_BALLOON);
			if (state == BP_DONE && n_pages != -credit &&
			    (unsigned long)n_pages < env_->totalreserve_pages())
				state = BP_EAGAIN;
		}
		return state;
	}

	BpState update_schedule(BpState state)
	{
		if (state == BP_WAIT || state == BP_ECANCELED || state == BP_DEAD)
			return state;
		if (state == BP_DONE) {
			stats_.schedule_delay = 1;
			stats_.retry_count = 1;
			return BP_DONE;
		}
		++stats_.retry_count;
		if (stats_.max_retry_count != BALLAST_RETRY_UNLIMITED &&
		    stats_.retry_count > stats_.max_retry_count) {
			stats_.schedule_delay = 1;
			stats_.retry_count = 1;
			return BP_ECANCELED;
		}
		stats_.schedule_delay <<= 1;
		if (stats_.schedule_delay > stats_.max_schedule_delay)
			stats_.schedule_delay = stats_.max_schedule_delay;
		return BP_EAGAIN;
	}

	// --------------------------------------------------- the ballooned list
	// Lowmem is handed back first, so lowmem goes to the head, highmem to the tail.
	void append(ballast_page *page)
	{
		if (sw_.offline_in_append)
			env_->set_page_offline(page);
		ballast_list *node = env_->page_lru(page);
		if (env_->page_is_highmem(page)) {
			list_add_between(node, head_.prev, &head_);
			stats_.balloon_high++;
		} else {
			list_add_between(node, &head_, head_.next);
			stats_.balloon_low++;
		}
		env_->wake_page_waiters();
	}

	ballast_page *retrieve(bool require_lowmem)
	{
		if (head_.next == &head_)
			return nullptr;
		ballast_page *page = env_->lru_to_page(head_.next);
		bool high = env_->page_is_highmem(page);
		if (require_lowmem && high)
			return nullptr;
		list_del(head_.next);
		if (head_.next == &head_)
			may_hold_blocks_ = false;
		if (high)
			stats_.balloon_high--;
		else
			stats_.balloon_low--;
		if (sw_.offline_in_append)
			env_->clear_page_offline(page);
		return page;
	}

	static void list_add_between(ballast_list *n, ballast_list *prev, ballast_list *next)
	{
		next->prev = n;
		n->next = next;
		n->prev = prev;
		prev->next = n;
	}
	static void list_del(ballast_list *n)
	{
		n->prev->next = n->next;
		n->next->prev = n->prev;
		n->next = n->prev = nullptr;
	}

	// xenmem_reservation_va_mapping_update() is empty without CONFIG_XEN_HAVE_PVMMU.
	void va_mapping_update(ballast_page *page, ballast_pfn_t frame)
	{
		if (cfg_.have_pvmmu)
			env_->va_mapping_update(page, frame);
	}

	// Remove a page known to be in the balloon (rollback of a partial decrease).
	void unlink_ballooned(ballast_page *page)
	{
		list_del(env_->page_lru(page));
		if (env_->page_is_highmem(page))
			stats_.balloon_high--;
		else
			stats_.balloon_low--;
	}

	// ------------------------------------------------ increase / decrease
	BpState increase_reservation(unsigned long nr_pages)
	{
		BpState st;
		if (may_hold_blocks_ && use_super(&super_skip_in_, nr_pages) &&
		    increase_super(nr_pages, &st))
			return st;
		if (nr_pages > kBatch)
			nr_pages = kBatch;
		// superpage_extents: a 4 KiB batch of the loose pages before a whole
		// block ends there, so the block stays whole for a superpage batch;
		// only a batch that starts with one (the hypervisor refused it) takes it.
		const bool keep_blocks = super_on() && may_hold_blocks_ &&
					 !whole_block_at(head_.next);
		const unsigned long mask = (1UL << cfg_.superpage_order) - 1;
		ballast_list *node = head_.next;
		for (unsigned long i = 0; i < nr_pages; i++) {
			if (node == &head_) {
				nr_pages = i;
				break;
			}
			// (pfn + 1) & mask <= 1: the pfn may start a block, cheaply.
			if (keep_blocks && i &&
			    ((env_->page_to_pfn(env_->lru_to_page(node)) + 1) & mask) <= 1 &&
			    whole_block_at(node)) {
				nr_pages = i;
				break;
			}
			frame_list_[i] = env_->page_to_xen_pfn(env_->lru_to_page(node));
			node = node->next;
		}
		counters_.hypercalls_increase++;
		int rc = env_->reservation_increase((int)nr_pages, frame_list_);
		if (rc <= 0)
			return BP_EAGAIN;
		if (sw_.clamp_increase_reply && (unsigned long)rc > nr_pages) {
			// Xen cannot have populated extents it was never given.
			report(BALLAST_EV_HOSTILE_REPLY, rc, (long)nr_pages);
			rc = (int)nr_pages;
		}
		for (int i = 0; i < rc; i++) {
			ballast_page *page = retrieve(false);
			if (!page) {
				// Upstream dies here: pages 0..i-1 are back, current_pages is not.
				crash(BALLAST_EV_BUG_INCREASE_NO_PAGE, rc, i);
				return BP_DEAD;
			}
			if ((unsigned long)i >= kBatch) {
				// Upstream would read frame_list[i], past its end; there is
				// no defined behaviour to reproduce, so stop as if it crashed.
				crash(BALLAST_EV_UB_FRAME_OVERRUN, rc, i);
				return BP_DEAD;
			}
			va_mapping_update(page, frame_list_[i]);
			if (!sw_.offline_in_append)
				env_->clear_page_offline(page);
			env_->free_reserved_page(page);
		}
		stats_.current_pages += (unsigned long)rc;
		counters_.pages_in += (unsigned long)rc;
		counters_.extents_in_4k += (unsigned long)rc;
		return BP_DONE;
	}

	BpState decrease_reservation(unsigned long nr_pages, ballast_gfp gfp)
	{
		// Superpages for the balloon's own batches only: the lending path's
		// GFP_USER pages go to drivers one by one.
		BpState state;
		if (gfp == BALLAST_GFP_BALLOON && use_super(&super_skip_out_, nr_pages) &&
		    decrease_super(nr_pages, &state))
			return state;
		state = BP_DONE;
		ballast_list pages = {&pages, &pages};
		if (nr_pages > kBatch)
			nr_pages = kBatch;
		for (unsigned long i = 0; i < nr_pages; i++) {
			ballast_page *page = env_->alloc_page(gfp);
			if (!page) {
				nr_pages = i;
				state = BP_EAGAIN;
				counters_.alloc_failures++;
				break;
			}
			take_page(page, &pages);
		}
		return release_pages(&pages, nr_pages, state);
	}

	// A page allocated for the balloon: offline, not managed, scrubbed, on `pages`.
	void take_page(ballast_page *page, ballast_list *pages)
	{
		if (!sw_.offline_in_append)
			env_->set_page_offline(page);
		env_->adjust_managed_page_count(page, -1);
		env_->scrub_page(page);
		list_add_between(env_->page_lru(page), pages, pages->next);
	}

	// The rest of upstream's decrease_reservation(): the nr_pages pages on
	// `pages` go to Xen as 4 KiB extents.
	BpState release_pages(ballast_list *pages, unsigned long nr_pages, BpState state)
	{
		// Ensure ballooned highmem pages have no kmaps before the p2m changes.
		env_->kmap_flush_unused();
		unsigned long i = 0;
		while (pages->next != pages) {
			ballast_list *n = pages->next;
			ballast_page *page = env_->lru_to_page(n);
			frame_list_[i] = env_->page_to_gfn(page);
			batch_[i++] = page;
			if (cfg_.have_pvmmu)
				env_->va_mapping_reset(page);
			list_del(n);
			append(page);
		}
		env_->flush_tlb_all();
		counters_.hypercalls_decrease++;
		int ret = env_->reservation_decrease((int)nr_pages, frame_list_);
		if ((unsigned long)(long)ret != nr_pages) {
			if (!sw_.rollback_partial_decrease) {
				crash(BALLAST_EV_BUG_DECREASE_MISMATCH, ret, (long)nr_pages);
				return BP_DEAD;
			}
			unsigned long done = rollback_from(ret, nr_pages);
			// Xen released extents in order up to the first failure; the
			// rest are still ours: remap them and hand them back.
			for (unsigned long j = done; j < nr_pages; j++)
				give_back(batch_[j], frame_list_[j]);
			stats_.current_pages -= done;
			counters_.pages_out += done;
			counters_.extents_out_4k += done;
			// A reply above the request was taken as all done: nothing
			// is left to retry (a real partial reply backs off).
			return done == nr_pages ? state : BP_EAGAIN;
		}
		stats_.current_pages -= nr_pages;
		counters_.pages_out += nr_pages;
		counters_.extents_out_4k += nr_pages;
		return state;
	}

	// A decrease reply that is not the request: how many extents Xen took
	// (reported as a hostile reply, or a rollback of the rest).
	unsigned long rollback_from(int ret, unsigned long nr)
	{
		unsigned long done = ret < 0 ? 0 : (unsigned long)ret;
		if (done > nr) {
			report(BALLAST_EV_HOSTILE_REPLY, ret, (long)nr);
			return nr;
		}
		report(BALLAST_EV_DECREASE_ROLLBACK, ret, (long)nr);
		return done;
	}

	// A ballooned page Xen did not take: out of the list, mapped again, freed.
	void give_back(ballast_page *page, ballast_pfn_t frame)
	{
		unlink_ballooned(page);
		va_mapping_update(page, frame);
		env_->clear_page_offline(page);
		env_->free_reserved_page(page);
	}

	// ------------------------------------------ superpages (ballast only)
	// superpage_extents: whole aligned blocks of 2^superpage_order pages move
	// as one extent each, up to one batch of extents (a GiB of 2 MiB blocks)
	// per hypercall; the accounting stays in pages and every page of a block
	// sits in the ballooned list like any other. Where the allocator has no
	// block, the hypervisor refuses, or the list holds no whole block, a
	// 4 KiB batch moves instead, in the same call. None of this has an
	// upstream to follow: it always clamps hostile replies and rolls back
	// what Xen did not take, whatever the other switches say.
	bool super_on() const
	{
		return sw_.superpage_extents && cfg_.superpage_order > 0 &&
		       cfg_.superpage_order <= kMaxSuperOrder;
	}

	// A batch of at least one block, unless a refusal asked this direction to wait.
	bool use_super(unsigned *skip, unsigned long nr_pages)
	{
		if (!super_on() || nr_pages < (1UL << cfg_.superpage_order))
			return false;
		if (*skip) {
			--*skip;
			return false;
		}
		return true;
	}

	void super_refused(unsigned *skip)
	{
		*skip = kSuperRetryBatches;
		counters_.super_fallbacks++;
	}

	// append() puts the pages of a block at the head (or the tail) one after
	// another, so a whole block lies in the list as a run of consecutive
	// pfns. The run of nodes from `node` that holds the pages of one aligned
	// block in pfn order, up to the block's end or down to its base: its
	// length (0: none) and the node after it.
	unsigned long block_run(ballast_list *node, ballast_list **after) const
	{
		if (node == &head_)
			return 0;
		const unsigned long per = 1UL << cfg_.superpage_order;
		const unsigned long first = env_->page_to_pfn(env_->lru_to_page(node));
		const unsigned long base = first & ~(per - 1);
		const unsigned long up = base + per - first, down = first - base + 1;
		if (up >= down)
			return run_of(node, 1, up, after)    ? up :
			       run_of(node, -1, down, after) ? down :
							       0;
		return run_of(node, -1, down, after) ? down : run_of(node, 1, up, after) ? up : 0;
	}

	bool run_of(ballast_list *node, long step, unsigned long len, ballast_list **after) const
	{
		const unsigned long first = env_->page_to_pfn(env_->lru_to_page(node));
		for (unsigned long i = 1; i < len; i++) {
			node = node->next;
			if (node == &head_ || env_->page_to_pfn(env_->lru_to_page(node)) !=
						      first + (unsigned long)step * i)
				return false;
		}
		*after = node->next;
		return true;
	}

	// Whether a whole block starts at `node` (its first page in list order
	// is the block's base or its last page).
	bool whole_block_at(ballast_list *node) const
	{
		if (node == &head_)
			return false;
		const unsigned long per = 1UL << cfg_.superpage_order;
		const unsigned long pfn = env_->page_to_pfn(env_->lru_to_page(node));
		ballast_list *after;
		return ((pfn + 1) & (per - 1)) <= 1 && block_run(node, &after) == per;
	}

	// Populate the whole blocks at the head of the list. False when there is
	// none or the hypervisor refused them all (then 4 KiB extents, now).
	bool increase_super(unsigned long nr_pages, BpState *st)
	{
		const unsigned order = cfg_.superpage_order;
		const unsigned long per = 1UL << order;
		const unsigned long want = min_of(nr_pages >> order, kBatch);
		unsigned long n = 0;
		ballast_list *node = head_.next, *after = nullptr;
		while (n < want && block_run(node, &after) == per) {
			const unsigned long first = env_->page_to_pfn(env_->lru_to_page(node));
			batch_[n] = env_->pfn_to_page(first & ~(per - 1));
			frame_list_[n] = env_->page_to_xen_pfn(batch_[n]);
			n++;
			node = after;
		}
		if (n == 0)
			return false;
		counters_.hypercalls_increase++;
		int rc = env_->reservation_increase_order(order, (int)n, frame_list_);
		if (rc <= 0) {
			super_refused(&super_skip_in_);
			return false;
		}
		if ((unsigned long)rc > n) {
			// Xen cannot have populated extents it was never given.
			report(BALLAST_EV_HOSTILE_REPLY, rc, (long)n);
			rc = (int)n;
		} else if ((unsigned long)rc < n) {
			super_refused(&super_skip_in_); // the host ran out of contiguous blocks
		}
		// The blocks lie at the head in the order they were walked. On PV,
		// Xen wrote each extent's first machine frame into frame_list_:
		// the whole block is mapped at once (one batch of mapping updates
		// where the guest needs them), then its pages go back one by one.
		for (int i = 0; i < rc; i++) {
			if (cfg_.have_pvmmu)
				env_->va_mapping_update_block(batch_[i], order, frame_list_[i]);
			for (unsigned long j = 0; j < per; j++) {
				ballast_page *page = retrieve(false);
				if (!sw_.offline_in_append)
					env_->clear_page_offline(page);
				env_->free_reserved_page(page);
			}
		}
		const unsigned long pages = (unsigned long)rc << order;
		stats_.current_pages += pages;
		counters_.pages_in += pages;
		counters_.extents_in_super += (unsigned long)rc;
		*st = BP_DONE;
		return true;
	}

	// Give Xen aligned blocks, one extent each. A PV block whose machine
	// frames are not consecutive cannot be one extent: it ends the
	// batch and goes after it as 4 KiB extents. False when no block could be
	// allocated, or the hypervisor refused them all and nothing else went
	// (then 4 KiB extents, now).
	bool decrease_super(unsigned long nr_pages, BpState *st)
	{
		const unsigned order = cfg_.superpage_order;
		const unsigned long per = 1UL << order;
		const unsigned long want = min_of(nr_pages >> order, kBatch);
		unsigned long n = 0;
		ballast_page *stray = nullptr;
		while (n < want) {
			ballast_page *block = env_->alloc_block(BALLAST_GFP_BALLOON, order);
			if (!block) {
				super_refused(&super_skip_out_);
				break;
			}
			if (!env_->block_machine_contiguous(block, order)) {
				stray = block;
				break;
			}
			const unsigned long base = env_->page_to_pfn(block);
			for (unsigned long j = 0; j < per; j++) {
				ballast_page *page = env_->pfn_to_page(base + j);
				if (!sw_.offline_in_append)
					env_->set_page_offline(page);
				env_->scrub_page(page);
			}
			env_->adjust_managed_page_count(block, -(long)per);
			batch_[n++] = block;
		}
		BpState state = BP_DONE;
		bool moved = n && release_blocks(n, &state);
		if (stray) {
			ballast_list pages = {&pages, &pages};
			const unsigned long base = env_->page_to_pfn(stray);
			for (unsigned long j = 0; j < per; j++)
				take_page(env_->pfn_to_page(base + j), &pages);
			BpState s = release_pages(&pages, per, BP_DONE);
			if (s != BP_DONE)
				state = s;
			moved = true;
		}
		*st = state;
		return moved;
	}

	// The n blocks of batch_ to Xen. False if it took none (all rolled back).
	bool release_blocks(unsigned long n, BpState *state)
	{
		const unsigned order = cfg_.superpage_order;
		const unsigned long per = 1UL << order;
		env_->kmap_flush_unused();
		may_hold_blocks_ = true;
		for (unsigned long i = 0; i < n; i++) {
			const unsigned long base = env_->page_to_pfn(batch_[i]);
			frame_list_[i] = env_->page_to_gfn(batch_[i]);
			if (cfg_.have_pvmmu)
				env_->va_mapping_reset_block(batch_[i], order);
			for (unsigned long j = 0; j < per; j++)
				append(env_->pfn_to_page(base + j));
		}
		env_->flush_tlb_all();
		counters_.hypercalls_decrease++;
		int ret = env_->reservation_decrease_order(order, (int)n, frame_list_);
		unsigned long done = n;
		if ((unsigned long)(long)ret != n) {
			done = rollback_from(ret, n);
			for (unsigned long i = done; i < n; i++) {
				const unsigned long base = env_->page_to_pfn(batch_[i]);
				if (cfg_.have_pvmmu)
					env_->va_mapping_update_block(batch_[i], order,
								      frame_list_[i]);
				for (unsigned long j = 0; j < per; j++) {
					ballast_page *page = env_->pfn_to_page(base + j);
					unlink_ballooned(page);
					env_->clear_page_offline(page);
					env_->free_reserved_page(page);
				}
			}
			// A reply above the request was taken as all done: nothing is
			// left to retry and Xen refused nothing (as on the 4 KiB path).
			if (done < n) {
				super_refused(&super_skip_out_);
				if (done)
					*state = BP_EAGAIN;
			}
		}
		const unsigned long pages = done << order;
		stats_.current_pages -= pages;
		counters_.pages_out += pages;
		counters_.extents_out_super += done;
		return done > 0;
	}

	// ------------------------------------------------------------ hotplug
	BpState reserve_additional_memory()
	{
		if (!cfg_.memory_hotplug) {
			stats_.target_pages = stats_.current_pages;
			if (sw_.nohotplug_target_keeps_unpopulated)
				stats_.target_pages += stats_.target_unpopulated;
			return BP_ECANCELED;
		}
		long credit = (long)(stats_.target_pages + stats_.target_unpopulated -
				     stats_.total_pages);
		// Already hotplugged enough pages? Wait for them to be onlined.
		if (credit <= 0)
			return BP_WAIT;
		unsigned long pps = env_->pages_per_section();
		long mask = (long)pps - 1;
		unsigned long balloon_hotplug = (unsigned long)((((credit - 1) | mask)) + 1);
		ballast_resource res{};
		if (env_->allocate_resource((unsigned long long)balloon_hotplug << kPageShift,
					    (unsigned long long)pps << kPageShift, &res) < 0)
			return BP_ECANCELED;
		if (cfg_.sparsemem && sw_.hotplug_addr_limit_check) {
			unsigned long limit = env_->addressable_pfn_limit();
			unsigned long pfn = (unsigned long)(res.start >> kPageShift);
			if (pfn > limit) {
				env_->release_resource(&res);
				return BP_ECANCELED;
			}
		}
		int nid = env_->memory_add_physaddr_to_nid(res.start);
		if (cfg_.have_pvmmu && !env_->auto_translated_physmap()) {
			// add_memory() builds page tables: the p2m must hold invalid entries.
			unsigned long pfn = (unsigned long)(res.start >> kPageShift);
			for (unsigned long i = 0; i < balloon_hotplug; i++) {
				if (!env_->set_phys_to_machine_invalid(pfn + i)) {
					env_->release_resource(&res);
					return BP_ECANCELED;
				}
			}
		}
		// Onlining calls back into online_page(), which takes the lock.
		env_->unlock();
		int rc = env_->add_memory_resource(nid, &res);
		env_->lock();
		if (rc) {
			env_->release_resource(&res);
			return BP_ECANCELED;
		}
		stats_.total_pages += balloon_hotplug;
		return BP_WAIT;
	}

	static int list_nonempty(void *arg)
	{
		const ballast_list *h = static_cast<const ballast_list *>(arg);
		return h->next != h;
	}

	// alloc_pages() can only take a lowmem page from the head: waiting for
	// "list not empty" on a list of highmem pages returns at once, forever.
	static int head_is_lowmem(void *arg)
	{
		Balloon *b = static_cast<Balloon *>(arg);
		ballast_list *first = b->head_.next;
		return first != &b->head_ && !b->env_->page_is_highmem(b->env_->lru_to_page(first));
	}

	// add_ballooned_pages(): lock held on entry and exit.
	int add_ballooned_pages(int nr_pages)
	{
		if (hotplug_unpopulated_ && cfg_.memory_hotplug) {
			BpState st = reserve_additional_memory();
			if (st != BP_ECANCELED) {
				env_->unlock();
				bool intr = sw_.interruptible_lending_wait;
				unsigned long timeout =
					sw_.bounded_lending_wait ? kLendingWaitSecs : 0;
				int w = sw_.lending_waits_for_lowmem ?
						env_->wait_pages(head_is_lowmem, this, intr ? 1 : 0,
								 timeout) :
						env_->wait_pages(list_nonempty, &head_,
								 intr ? 1 : 0, timeout);
				env_->lock();
				if (w == BALLAST_WAIT_OK)
					return 0;
				if (w == BALLAST_WAIT_INTERRUPTED && intr)
					return -kENOMEM;
				if (!sw_.bounded_lending_wait) {
					if (w == BALLAST_WAIT_NEVER) {
						// Upstream sleeps here forever: the caller never
						// returns, keeps the pages it got, and
						// target_unpopulated stays raised.
						report(BALLAST_EV_HANG_WAIT, nr_pages, 0);
						return kHung;
					}
					return intr ? -kENOMEM : 0;
				}
				// ballast: nobody onlined the memory in time; take the
				// pages from the guest instead.
			}
		}
		if (env_->mem_available() < (long)nr_pages)
			return -kENOMEM;
		BpState st = decrease_reservation((unsigned long)(long)nr_pages, BALLAST_GFP_USER);
		if (st == BP_DEAD)
			return 0; // caller checks dead_
		if (st != BP_DONE)
			return -kENOMEM;
		return 0;
	}

	// ------------------------------------------------------------- boot
	// balloon_add_region(): boot-time extra memory starts in the balloon,
	// adding to total_pages, or (subtract) coming off current_pages (and,
	// with extra_regions_lower_target, target_pages), -ERANGE where that
	// would underflow.
	int add_region(unsigned long max_pfn, unsigned long start_pfn, unsigned long pages,
		       bool subtract)
	{
		unsigned long end = min_of(max_pfn, start_pfn + pages);
		if (sw_.skip_region_beyond_max_pfn && end <= start_pfn) {
			if (end < start_pfn)
				report(BALLAST_EV_REGION_SKIPPED, (long)start_pfn, (long)max_pfn);
			return 0;
		}
		may_hold_blocks_ = true;
		for (unsigned long pfn = start_pfn; pfn < end; pfn++) {
			ballast_page *page = env_->pfn_to_page(pfn);
			if (!sw_.offline_in_append)
				env_->set_page_offline(page);
			append(page);
		}
		const unsigned long n = end - start_pfn; // wraps upstream when end < start_pfn
		if (!subtract) {
			stats_.total_pages += n;
			return 0;
		}
		const bool lower_target = sw_.extra_regions_lower_target;
		if (n >= stats_.current_pages || (lower_target && n >= stats_.target_pages))
			return -kERANGE; // upstream: WARN "Extra pages underflow current target"
		stats_.current_pages -= n;
		if (lower_target)
			stats_.target_pages -= n;
		return 0;
	}

	Env *env_;
	ballast_config cfg_;
	Switches sw_;
	ballast_stats stats_;
	ballast_counters counters_;
	ballast_list head_;
	BpState state_; // balloon_state of the kthread model (BP_DEAD once it crashed)
	// What upstream's balloon_state holds, the last state a worker pass
	// (either model) ended in: a crash does not change it. The boot wait reads it.
	BpState balloon_state_;
	bool dead_;
	bool hotplug_unpopulated_;
	bool draining_;
	unsigned super_skip_in_, super_skip_out_; // 4 KiB batches before the next superpage try
	// Whole blocks may lie in the list: superpage extents went out, or boot
	// regions or hotplug appended pages, since it was last empty. Without,
	// deflating does not look for blocks (a fragmented guest pays nothing).
	bool may_hold_blocks_;
	bool boot_pv_;			  // xen_pv_domain() at init: PV guests do not wait at boot
	long boot_last_credit_;		  // the boot wait's last_credit
	unsigned long boot_last_changed_; // ... and last_changed (jiffies)
	bool hotplug_wait_armed_;	  // bounded_hotplug_wait: the re-check is scheduled
	ballast_pfn_t frame_list_[kBatch];
	ballast_page *batch_[kBatch];
};

} // namespace ballast

#endif // BALLAST_BALLOON_H
