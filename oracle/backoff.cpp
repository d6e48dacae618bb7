// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "backoff.h"

namespace ballast {
namespace oracle {

void BackoffOracle::attach(world::World &w, const Switches &sw, StatsFn stats, const void *driver,
			   Findings *out)
{
	w_ = &w;
	sw_ = sw;
	stats_ = stats;
	driver_ = driver;
	out_ = out;
	step_ = 0;
	runs_ = idle_runs_ = 0;
	gave_up_ = false;
	const ballast_stats st = stats(driver);
	if (st.schedule_delay != 1 || st.retry_count != 1)
		out->add("backoff", 0, kNoSlip, sw,
			 "boots with schedule_delay %lu, retry_count %lu "
			 "(the spec: 1 and 1)",
			 st.schedule_delay, st.retry_count);
	last_d_ = st.schedule_delay;
	last_r_ = st.retry_count;
	after_ = st;
	w.set_worker_observer(observer());
}

void BackoffOracle::before(void *ctx, bool)
{
	BackoffOracle *b = static_cast<BackoffOracle *>(ctx);
	b->before_ = b->stats_(b->driver_);
	b->giveups_before_ = b->w_->event_count(BALLAST_EV_HOTPLUG_NOT_ONLINED);
	b->mem_available_before_ = b->w_->mem_available();
	if (b->before_.schedule_delay != b->last_d_ || b->before_.retry_count != b->last_r_)
		b->out_->add("backoff", b->step_, kNoSlip, b->sw_,
			     "schedule_delay/retry_count changed from (%lu, %lu) to (%lu, %lu) "
			     "outside a worker run",
			     b->last_d_, b->last_r_, b->before_.schedule_delay,
			     b->before_.retry_count);
}

void BackoffOracle::after(void *ctx, bool kthread)
{
	static_cast<BackoffOracle *>(ctx)->check_run(kthread);
}

void BackoffOracle::check_run(bool kthread)
{
	const ballast_stats a = after_ = stats_(driver_);
	const ballast_stats &b = before_;
	runs_++;
	if (a.current_pages == b.current_pages && a.balloon_low == b.balloon_low &&
	    a.balloon_high == b.balloon_high && a.total_pages == b.total_pages)
		idle_runs_++;
	gave_up_ = w_->event_count(BALLAST_EV_HOTPLUG_NOT_ONLINED) != giveups_before_;
	last_d_ = a.schedule_delay;
	last_r_ = a.retry_count;

	const unsigned long d0 = b.schedule_delay, r0 = b.retry_count, d1 = a.schedule_delay,
			    r1 = a.retry_count, D = a.max_schedule_delay, R = a.max_retry_count;
	auto grow = [D](unsigned long d) { return 2 * d > D ? D : 2 * d; };
	// A run that met a negative si_mem_available() may have asked for a
	// 512-page batch through the unsigned conversion (a documented slip):
	// what it then does is named after it.
	const int cause = mem_available_before_ < 0 ? kNegativeMemAvailable : kNoSlip;
	auto is = [&](unsigned long d, unsigned long r) { return d1 == d && r1 == r; };
	const bool retry_ok = R == 0 || r0 + 1 <= R;
	const bool failed = retry_ok && is(grow(d0), r0 + 1);
	const bool reset_then_failed = !kthread && (R == 0 || R >= 2) && is(grow(1), 2);
	const char *model = kthread ? "kthread step" : "worker run";
	if (!is(1, 1) && !is(d0, r0) && !failed && !reset_then_failed) {
		out_->add(
			"backoff", step_, kNoSlip, sw_,
			"a %s took (schedule_delay, retry_count) from (%lu, %lu) to (%lu, %lu) "
			"with max_schedule_delay %lu, max_retry_count %lu: the spec allows (1, 1), "
			"(%lu, %lu)%s",
			model, d0, r0, d1, r1, D, R, d0, r0,
			retry_ok ? " or a failure counted" :
				   "; a failure now must cancel and reset");
		return;
	}
	// (A run that reached its target only by lowering it -- the give-up
	// without hotplug -- took a step that leaves (d, r) alone, S4.)
	if (a.target_pages == a.current_pages && a.target_pages == b.target_pages && !is(1, 1))
		out_->add("backoff", step_, kthread ? kKthreadBacksOffWithoutWork : cause, sw_,
			  "a %s ended with the balloon at its target (%lu pages) but left "
			  "(schedule_delay, retry_count) at (%lu, %lu), not reset to (1, 1)",
			  model, a.current_pages, d1, r1);
	if (d1 == 0)
		out_->add("backoff", step_, D == 0 ? kZeroScheduleDelay : kNoSlip, sw_,
			  "schedule_delay is 0 after a %s: the worker retries without waiting",
			  model);
	const bool counted = (failed || reset_then_failed) && !is(d0, r0);
	if (kthread || !counted)
		return;
	// The delayed work after a counted failure: it must come back in d seconds
	// (or sooner, when something kicked it during the run).
	const uint64_t now = w_->jiffies();
	if (!w_->work_pending())
		out_->add("backoff", step_, kNoSlip, sw_,
			  "a worker run counted a failure (retry %lu) but did not re-arm the "
			  "work: nothing will ever retry",
			  r1);
	else if (w_->work_due() > now && w_->work_due() != now + d1 * world::HZ)
		out_->add("backoff", step_, kNoSlip, sw_,
			  "a worker run counted a failure and re-armed the work in %llu jiffies, "
			  "not schedule_delay = %lu s",
			  (unsigned long long)(w_->work_due() - now), d1);
}

} // namespace oracle
} // namespace ballast
