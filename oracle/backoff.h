// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast oracle: the retry and delay state machine of the balloon's worker,
// checked around every worker run (world::WorkerObserver) against this spec:
//
//   (d, r) = (schedule_delay, retry_count); D = max_schedule_delay,
//   R = max_retry_count (0: unlimited).
//   S1  At boot (d, r) = (1, 1). Only worker runs change them.
//   S2  A step that succeeds resets (d, r) to (1, 1).
//   S3  A step that fails counts a retry and doubles the delay up to the
//       maximum: (min(2d, D), r + 1) -- unless r + 1 > R (R != 0): then the
//       attempt is cancelled and (d, r) reset to (1, 1).
//   S4  Any other step (waiting for hotplugged memory, giving up without
//       hotplug) leaves (d, r) alone.
//   So a run ends in one of (1, 1), (d, r), (min(2d, D), r + 1), and for the
//   delayed work, which takes several steps in one run, (min(2, D), 2) (a
//   success, then a failure).
//   S5  A run that ends with the balloon at its target (a target it did
//       not lower itself, S4) leaves (1, 1).
//   S6  The delayed work re-arms itself after a failure that was not
//       cancelled, with the new delay: due in d seconds (else nothing would
//       ever retry).
//   S7  d never reaches 0 (a busy loop).
//
// It also counts the worker's runs, and those that moved no page, for the
// progress oracle (oracle/progress.h).
#ifndef BALLAST_ORACLE_BACKOFF_H
#define BALLAST_ORACLE_BACKOFF_H

#include "ballast_core.h"
#include "findings.h"
#include "world.h"

#include <vector>

namespace ballast {
namespace oracle {

class BackoffOracle {
public:
	// How to read the driver's statistics.
	using StatsFn = ballast_stats (*)(const void *driver);
	// Register with `w` as its worker observer; `st` is the driver's state at boot.
	void attach(world::World &w, const Switches &sw, StatsFn stats, const void *driver,
		    Findings *out);
	// What attach() registers (a harness that wraps it calls these).
	world::WorkerObserver observer()
	{
		world::WorkerObserver o;
		o.before = before;
		o.after = after;
		o.ctx = this;
		return o;
	}
	// The step findings are filed under (the harness sets it before each operation).
	void set_step(size_t step) { step_ = step; }

	unsigned long runs() const { return runs_; }
	unsigned long idle_runs() const { return idle_runs_; } // runs that moved no page
	// The last run reported that it stopped waiting for memory nobody onlined.
	bool last_run_gave_up() const { return gave_up_; }
	// The driver's statistics when the last run ended (boot: at attach).
	const ballast_stats &after_last_run() const { return after_; }
	// What the oracle carries from one run to the next (the explorer's key).
	void model_state(std::vector<unsigned long> *out) const
	{
		out->insert(out->end(), {last_d_, last_r_, gave_up_});
	}

private:
	static void before(void *ctx, bool kthread);
	static void after(void *ctx, bool kthread);
	void check_run(bool kthread);

	world::World *w_ = nullptr;
	Switches sw_{};
	StatsFn stats_ = nullptr;
	const void *driver_ = nullptr;
	Findings *out_ = nullptr;
	size_t step_ = 0;
	ballast_stats before_{}, after_{};
	unsigned long last_d_ = 1, last_r_ = 1; // after the last run
	unsigned long giveups_before_ = 0;
	long mem_available_before_ = 0;
	unsigned long runs_ = 0, idle_runs_ = 0;
	bool gave_up_ = false;
};

} // namespace oracle
} // namespace ballast

#endif // BALLAST_ORACLE_BACKOFF_H
