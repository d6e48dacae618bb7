// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast oracle: progress. After the last operation of a scenario the
// harness runs three checks, each in virtual time (the world's clock):
//
//  1. waits: the driver is not waiting for something no event will ever
//     bring, without a bound. The case a balloon meets: its worker waits for
//     hotplugged memory to be onlined while nobody onlines it (no udev rule,
//     no auto-online: the world's online policy is manual) and no timer will
//     ever run it again.
//  2. wake-ups: with the target not reached in the world as the scenario
//     left it, the worker's runs that move no page in one virtual hour
//     (`advance 3600`) stay below 3600 / max_schedule_delay + 64: a balloon
//     that cannot progress must not keep the CPU busy (idle CPU of the
//     balloon thread is the first complaint of Xen desktop users). The count
//     is reported for every profile; counting stops once it is past the bound.
//  3. settle: make the world honest (hypervisor, allocator, hotplug and wait
//     knobs back to normal, mem_available automatic, hotplugged memory onlined
//     as udev would), write the toolstack's last target again (as its next
//     write would), run for 2 * max_schedule_delay (at most a day) + 120
//     virtual seconds: then
//     current == target, or the world gives the reason it cannot be reached:
//     the guest has no memory to give, the host pool is empty, Xen's maximum
//     is reached, or the balloon is empty and memory cannot be hotplugged.
#ifndef BALLAST_ORACLE_PROGRESS_H
#define BALLAST_ORACLE_PROGRESS_H

#include <cstdint>
#include <string>

#include "backoff.h"
#include "findings.h"
#include "world.h"

namespace ballast {
namespace oracle {

// What the end-of-run checks measured.
struct Progress {
	bool hour_measured = false;			 // the target was unreached at the end
	unsigned long hour_runs = 0, hour_idle_runs = 0; // worker runs in that hour
	unsigned long hour_bound = 0;
	bool settle_run = false;
	std::string settle; // "reached 200 pages" / "not reached: host pool empty" / ...
};

class ProgressOracle {
public:
	void init(const Switches &sw, const ballast_config &cfg)
	{
		sw_ = sw;
		cfg_ = cfg;
	}
	// 1.
	// `inherited`: a lasting slip of the accounting (AccountingOracle::
	// lasting_slip): a finding nothing else explains is named after it.
	void check_waits(size_t step, const world::World &w, const ballast_stats &st,
			 const BackoffOracle &b, int inherited, Findings *out) const;
	// 2. Whether to measure the hour, and the verdict on what was measured.
	static bool target_unreached(const ballast_stats &st)
	{
		return st.target_pages != st.current_pages;
	}
	static constexpr uint64_t kHourSeconds = 3600;
	// The most idle runs in an hour a driver may take.
	static unsigned long hour_bound(unsigned long max_schedule_delay)
	{
		return kHourSeconds / (max_schedule_delay ? max_schedule_delay : 1) + 64;
	}
	void check_hour(size_t step, unsigned long runs, unsigned long idle_runs,
			unsigned long max_schedule_delay, int inherited, Progress *p,
			Findings *out) const;
	// 3. The world made honest (before the target is written again).
	static void make_honest(world::World &w);
	// (A max_schedule_delay above a day is an insane input some drivers
	// accept: waiting for it says nothing more.)
	static uint64_t settle_seconds(unsigned long max_schedule_delay)
	{
		unsigned long d = max_schedule_delay ? max_schedule_delay : 1;
		if (d > kMaxScheduleDelaySecs)
			d = kMaxScheduleDelaySecs;
		return 2 * (uint64_t)d + 120;
	}
	// `target`: the toolstack's target written again; `runs`: worker runs
	// while settling.
	void check_settled(size_t step, world::World &w, const ballast_stats &st,
			   unsigned long target, unsigned long runs, int inherited, Progress *p,
			   Findings *out) const;

private:
	// Why the world cannot give the driver its target, or "" if it can.
	std::string world_reason(world::World &w, const ballast_stats &st,
				 unsigned long target) const;
	Switches sw_{};
	ballast_config cfg_{};
};

} // namespace oracle
} // namespace ballast

#endif // BALLAST_ORACLE_PROGRESS_H
