// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast oracle: the core's own counters (struct ballast_counters; the
// kernel module's sysfs counters/) tell what happened, as the world saw it:
//
//   events[e]            == the events of kind e the world received
//   worker_runs          == the delayed-work runs plus kthread steps it made
//   hypercalls_increase + hypercalls_decrease == the memory_op calls it served
//   alloc_failures       == the page allocations it refused
//   current_pages        == the boot pages + pages_in - pages_out
//
// Upstream has no such counters: this oracle is the core's alone.
#ifndef BALLAST_ORACLE_COUNTERS_H
#define BALLAST_ORACLE_COUNTERS_H

#include "ballast_core.h"
#include "findings.h"
#include "world.h"

namespace ballast {
namespace oracle {

class CountersOracle {
public:
	void init(const Switches &sw, const ballast_stats &st)
	{
		sw_ = sw;
		boot_current_ = st.current_pages;
	}
	// `dead`: after a crash the counters of the crashed step are not judged.
	void check(size_t step, const world::World &w, const ballast_counters &c,
		   const ballast_stats &st, bool dead, Findings *out) const;

private:
	Switches sw_{};
	unsigned long boot_current_ = 0;
};

} // namespace oracle
} // namespace ballast

#endif // BALLAST_ORACLE_COUNTERS_H
