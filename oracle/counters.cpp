// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "counters.h"

namespace ballast {
namespace oracle {

void CountersOracle::check(size_t step, const world::World &w, const ballast_counters &c,
			   const ballast_stats &st, bool dead, Findings *out) const
{
	for (unsigned e = 1; e < BALLAST_EV_COUNT; e++)
		if (c.events[e] != w.event_count(static_cast<ballast_event>(e)))
			out->add(
				"counters", step, kNoSlip, sw_,
				"counters.events[%s] is %lu, but the core reported %lu such events",
				ballast_event_id(e), c.events[e],
				w.event_count(static_cast<ballast_event>(e)));
	if (c.worker_runs != w.work_runs() + w.kthread_steps())
		out->add("counters", step, kNoSlip, sw_,
			 "counters.worker_runs is %lu, but the worker ran %lu times", c.worker_runs,
			 w.work_runs() + w.kthread_steps());
	const uint64_t changes = w.trace_total() - w.reservation_queries();
	if (c.hypercalls_increase + c.hypercalls_decrease != changes)
		out->add("counters", step, kNoSlip, sw_,
			 "counters.hypercalls_increase %lu + hypercalls_decrease %lu, but the "
			 "hypervisor served %llu calls that change the reservation",
			 c.hypercalls_increase, c.hypercalls_decrease, (unsigned long long)changes);
	if (c.alloc_failures != w.alloc_failures())
		out->add("counters", step, kNoSlip, sw_,
			 "counters.alloc_failures is %lu, but the allocator refused %lu pages",
			 c.alloc_failures, w.alloc_failures());
	if (!dead && st.current_pages != boot_current_ + c.pages_in - c.pages_out)
		out->add(
			"counters", step, kNoSlip, sw_,
			"current_pages is %lu, but boot %lu + pages_in %lu - pages_out %lu make %lu",
			st.current_pages, boot_current_, c.pages_in, c.pages_out,
			boot_current_ + c.pages_in - c.pages_out);
}

} // namespace oracle
} // namespace ballast
