// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "progress.h"

#include <cstdio>

namespace ballast {
namespace oracle {

namespace {
std::string fmt(const char *f, unsigned long a, unsigned long b = 0)
{
	char buf[160];
	snprintf(buf, sizeof buf, f, a, b);
	return buf;
}
} // namespace

void ProgressOracle::check_waits(size_t step, const world::World &w, const ballast_stats &st,
				 const BackoffOracle &b, int inherited, Findings *out) const
{
	// Only the delayed work can wait without a timer: the kthread always
	// sleeps with a timeout (its wake-ups are the hour's business).
	if (sw_.kthread_worker || st.target_pages <= st.current_pages)
		return;
	// Waiting: the memory hotplugged and not onlined covers what the target
	// needs (with less, the driver tried to add more, failed and gave up
	// until the next target: a cancel, which settling judges).
	if (st.balloon_low + st.balloon_high || !w.offline_pages() ||
	    st.target_pages + st.target_unpopulated > st.total_pages)
		return;
	if (w.config().online_policy != world::OnlinePolicy::Manual || w.work_pending())
		return;
	// ... and the worker saw this very state when it last ran (else it is
	// not waiting: it has not been told yet, and the next target tells it).
	const ballast_stats &seen = b.after_last_run();
	if (seen.target_pages != st.target_pages || seen.current_pages != st.current_pages ||
	    seen.total_pages != st.total_pages || seen.target_unpopulated != st.target_unpopulated)
		return;
	if (b.last_run_gave_up())
		return; // it said so, and stopped waiting
	out->add("progress", step, slips(sw_, inherited) ? inherited : kHotplugWaitUnbounded, sw_,
		 "the worker waits for %lu hotplugged pages to be onlined, nobody onlines "
		 "them, and no timer will run it again: a wait without an end (current %lu, "
		 "target %lu)",
		 w.offline_pages(), st.current_pages, st.target_pages);
}

void ProgressOracle::check_hour(size_t step, unsigned long runs, unsigned long idle_runs,
				unsigned long max_schedule_delay, int inherited, Progress *p,
				Findings *out) const
{
	const unsigned long d = max_schedule_delay ? max_schedule_delay : 1;
	p->hour_measured = true;
	p->hour_runs = runs;
	p->hour_idle_runs = idle_runs;
	p->hour_bound = hour_bound(d);
	if (idle_runs > p->hour_bound)
		out->add("progress", step,
			 sw_.kthread_worker ? kKthreadPollsHotplugWait : inherited, sw_,
			 "with its target out of reach the worker woke %lu times in a virtual hour "
			 "without moving a page (bound: 3600 / max_schedule_delay %lu + 64 = %lu)",
			 idle_runs, d, p->hour_bound);
}

void ProgressOracle::make_honest(world::World &w)
{
	w.hv_knobs = world::HypervisorKnobs();
	w.alloc_knobs = world::AllocKnobs();
	w.hp_knobs = world::HotplugKnobs();
	w.wait_knobs = world::WaitKnobs();
	w.clear_mem_available_override();
	w.set_online_policy(world::OnlinePolicy::Deferred); // as a udev rule would
}

std::string ProgressOracle::world_reason(world::World &w, const ballast_stats &st,
					 unsigned long target) const
{
	if (target < st.current_pages) {
		if (w.mem_available() <= (long)w.totalreserve_pages())
			return fmt(
				"the guest has no memory to give (mem_available %lu, totalreserve "
				"%lu)",
				(unsigned long)w.mem_available(), w.totalreserve_pages());
		return "";
	}
	if (w.host_free() == 0)
		return "the host pool is empty";
	if (w.hv_knobs.enforce_max_pages && w.tot_pages() >= w.max_pages())
		return fmt("Xen's maximum is reached (max_pages %lu)", w.max_pages());
	if (st.balloon_low + st.balloon_high)
		return "";
	if (!cfg_.memory_hotplug)
		return "the balloon is empty and the kernel has no memory hotplug";
	const long need = (long)(target + st.target_unpopulated - st.total_pages);
	if (need <= 0)
		return "";
	const unsigned long pps = w.pages_per_section();
	const unsigned long pages = ((unsigned long)need + pps - 1) / pps * pps;
	ballast_resource res{};
	if (w.allocate_resource((unsigned long long)pages << world::PAGE_SHIFT,
				(unsigned long long)pps << world::PAGE_SHIFT, &res) < 0)
		return fmt("no room below iomem_limit to hotplug %lu pages", pages);
	const unsigned long start = (unsigned long)(res.start >> world::PAGE_SHIFT);
	w.release_resource(&res);
	if (cfg_.sparsemem && sw_.hotplug_addr_limit_check && start > w.addressable_pfn_limit())
		return fmt("hotplugged memory would start at pfn %#lx, beyond MAX_PHYSMEM_BITS",
			   start);
	return "";
}

void ProgressOracle::check_settled(size_t step, world::World &w, const ballast_stats &st,
				   unsigned long target, unsigned long runs, int inherited,
				   Progress *p, Findings *out) const
{
	p->settle_run = true;
	if (st.current_pages == st.target_pages) {
		p->settle = fmt("reached %lu pages", st.current_pages);
		return;
	}
	const std::string why = world_reason(w, st, st.target_pages);
	if (!why.empty()) {
		p->settle = "not reached (" +
			    fmt("current %lu, target %lu", st.current_pages, st.target_pages) +
			    "): " + why;
		return;
	}
	int slip = kNoSlip;
	if (sw_.kthread_worker && runs == 0)
		slip = kKthreadIgnoresRewrittenTarget;
	else if (!sw_.kthread_worker && w.work_pending() && w.work_due() > w.jiffies())
		slip = kNewTargetWaitsForBackoff;
	else if (w.mem_available() < 0)
		slip = kNegativeMemAvailable; // a 512-page batch overshoots the target
	else if (inherited != kNoSlip)
		slip = inherited;
	p->settle = "not reached";
	out->add("progress", step, slip, sw_,
		 "in an honest world, with the target %lu written again, the balloon did not "
		 "reach it within %llu virtual seconds: current %lu, target_pages %lu, %lu worker "
		 "runs",
		 target, (unsigned long long)settle_seconds(st.max_schedule_delay),
		 st.current_pages, st.target_pages, runs);
}

} // namespace oracle
} // namespace ballast
