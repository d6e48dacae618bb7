// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast oracle: the accounting oracle. A small reference model of what the
// balloon statistics mean, written from that meaning and from what can be
// seen outside the driver (the world, the pages lent to drivers, the
// operations and their return codes), never by calling or copying the core:
//
//   target_pages        the last target the toolstack or user set and the
//                       driver accepted (at boot: the pages the domain has).
//                       The one change without a set_target: without memory
//                       hotplug a driver that cannot reach its target gives
//                       up and sets it to what the guest can reach, its
//                       current pages plus the pages lent to drivers.
//   target_unpopulated  pages lent to drivers and not given back, plus what
//                       an abandoned lending caller (hung, or crashed) asked for.
//   total_pages         current_pages + the ballooned pages + the pages lent +
//                       hotplugged pages not yet onlined; at boot the boot
//                       pages plus the accepted extra regions.
//   max_schedule_delay, max_retry_count
//                       32 and 4 at boot, then the last value the user stored
//                       and the driver accepted.
//   every statistic     never above 2^62 (a counter that went "negative").
//
// current_pages (Xen's count of the domain's pages) and balloon_low/high (the
// ballooned list) are the invariant checker's (world/invariants.h): one
// place each. schedule_delay and retry_count are the backoff oracle's.
//
// A mismatch is reported once, then the model takes the driver's value, so
// that one slip is not reported again at every later step.
#ifndef BALLAST_ORACLE_ACCOUNTING_H
#define BALLAST_ORACLE_ACCOUNTING_H

#include "ballast_core.h"
#include "findings.h"
#include "runtime.h"
#include "world.h"

#include <vector>

namespace ballast {
namespace oracle {

// The sysfs defaults of max_schedule_delay and max_retry_count.
constexpr unsigned long kDefaultMaxScheduleDelay = 32, kDefaultMaxRetryCount = 4;
// No statistic is ever this large (a counter decremented below zero).
constexpr unsigned long kWrapped = 1UL << 62;

class AccountingOracle {
public:
	// At boot, after the driver's init returned 0.
	void init(const world::World &w, const ballast_boot_info &boot, const ballast_config &cfg,
		  const Switches &sw, const ballast_stats &st, Findings *out);
	// After operation `step` (1-based) with its result; `dead`: the driver
	// crashed (nothing is checked from then on: its state is whatever BUG() left).
	void step(size_t step, const world::World &w, const ballast_stats &st,
		  const scenario::Holdings &h, const scenario::Op &op, const scenario::OpResult &r,
		  bool dead, Findings *out);
	// A step without an operation (time passing in the end-of-run phases).
	void check_now(size_t step, const world::World &w, const ballast_stats &st,
		       const scenario::Holdings &h, bool dead, Findings *out);

	// The target the toolstack or user last set and the driver accepted.
	unsigned long toolstack_target() const { return toolstack_target_; }
	// What target_unpopulated should be.
	unsigned long expected_unpopulated(const scenario::Holdings &h) const
	{
		return h.lent.size() + outstanding_ + unpop_offset_;
	}
	unsigned long max_schedule_delay() const { return max_delay_; }
	unsigned long max_retry_count() const { return max_retry_; }
	bool memory_hotplug() const { return cfg_.memory_hotplug != 0; }
	// A tolerated slip that left the driver's books wrong for good (its
	// target_unpopulated or total_pages off), or kNoSlip: what the driver
	// does from then on may follow from it (the progress oracle names it).
	int lasting_slip() const { return lasting_slip_; }
	// What the model carries from one step to the next (the explorer's
	// state key: two runs the model tells apart are two states).
	void model_state(std::vector<unsigned long> *out) const
	{
		out->insert(out->end(), {dead_, target_, toolstack_target_, outstanding_,
					 unpop_offset_, total_offset_, max_delay_, max_retry_,
					 (unsigned long)(long)lasting_slip_});
	}

private:
	void note_lasting(const Findings *out);
	void check(size_t step, const world::World &w, const ballast_stats &st,
		   const scenario::Holdings &h, const scenario::Op *op, const scenario::OpResult *r,
		   Findings *out);

	Switches sw_{};
	ballast_config cfg_{};
	bool dead_ = false;
	unsigned long target_ = 0;	     // what the driver must be chasing
	unsigned long toolstack_target_ = 0; // what the toolstack/user last set
	unsigned long outstanding_ = 0;	     // asked for by abandoned lending callers
	unsigned long unpop_offset_ = 0, total_offset_ = 0; // reported mismatches, taken over
	unsigned long max_delay_ = kDefaultMaxScheduleDelay, max_retry_ = kDefaultMaxRetryCount;
	unsigned long runs_seen_ = 0; // worker runs at the last check
	int lasting_slip_ = kNoSlip;
};

} // namespace oracle
} // namespace ballast

#endif // BALLAST_ORACLE_ACCOUNTING_H
