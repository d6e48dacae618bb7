// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast world: the virtual clock, its scheduler and waits (clock.h).
#include "world.h"

namespace world {

void World::schedule_work(unsigned long delay_secs, int modify)
{
	if (clock_.work_pending && !modify)
		return; // schedule_delayed_work on pending work: no-op
	clock_.work_pending = true;
	clock_.work_due = clock_.now + static_cast<uint64_t>(delay_secs) * HZ;
}

void World::start_kthread(const KthreadHooks &hooks)
{
	clock_.kt = hooks;
	clock_.kt_active = hooks.step != nullptr;
	clock_.kt_phase = KthreadPhase::NeedPrepare;
	clock_.kt_woken = false;
}

bool World::next_due(uint64_t *when) const
{
	const ClockState &c = clock_;
	bool have = false;
	uint64_t best = 0;
	if (c.kt_active) {
		if (c.kt_phase != KthreadPhase::Sleeping || c.kt_woken)
			best = c.now;
		else
			best = c.kt_deadline;
		have = true;
	}
	if (c.work_pending) {
		uint64_t d = c.work_due < c.now ? c.now : c.work_due;
		if (!have || d < best)
			best = d;
		have = true;
	}
	if (have && when)
		*when = best;
	return have;
}

RunResult World::run_until(uint64_t t)
{
	ClockState &c = clock_;
	if (t < c.now)
		t = c.now;
	unsigned long same = 0, total = 0;
	for (;;) {
		if (hotplug_.deferred_online)
			online_pending();
		enum { None, KtPrepare, KtWoken, KtStep, Work } which = None;
		uint64_t at = 0;
		if (c.kt_active) {
			switch (c.kt_phase) {
			case KthreadPhase::NeedPrepare:
				which = KtPrepare;
				at = c.now;
				break;
			case KthreadPhase::Runnable:
				which = KtStep;
				at = c.now;
				break;
			case KthreadPhase::Sleeping:
				if (c.kt_woken) {
					which = KtWoken;
					at = c.now;
				} else if (c.kt_deadline <= t) {
					which = KtStep;
					at = c.kt_deadline < c.now ? c.now : c.kt_deadline;
				}
				break;
			}
		}
		if (c.work_pending && c.work_due <= t) {
			uint64_t d = c.work_due < c.now ? c.now : c.work_due;
			if (which == None || d < at) {
				which = Work;
				at = d;
			}
		}
		if (which == None)
			break;
		if (which == KtStep || which == Work) {
			if (at == c.now)
				++same;
			else
				same = 0;
			if (same > cfg_.max_runs_same_jiffy || ++total > cfg_.max_runs_per_call) {
				++c.hangs;
				return RunResult::Hang;
			}
		}
		c.now = at;
		switch (which) {
		case KtPrepare: {
			unsigned long timeout = 0;
			long snap = 0;
			if (c.kt.prepare)
				c.kt.prepare(c.kt.ctx, &timeout, &snap);
			c.kt_snapshot = snap;
			c.kt_woken = false;
			// wait_event_*_timeout checks the condition before sleeping.
			if (c.kt.cond && c.kt.cond(c.kt.ctx, snap)) {
				c.kt_phase = KthreadPhase::Runnable;
			} else {
				c.kt_phase = KthreadPhase::Sleeping;
				c.kt_deadline = c.now + static_cast<uint64_t>(timeout) * HZ;
			}
			break;
		}
		case KtWoken:
			c.kt_woken = false;
			// A wake-up with the condition still false sleeps on (same deadline).
			if (c.kt.cond && c.kt.cond(c.kt.ctx, c.kt_snapshot))
				c.kt_phase = KthreadPhase::Runnable;
			break;
		case KtStep:
			c.kt_phase = KthreadPhase::NeedPrepare;
			c.kt_woken = false;
			++c.kt_steps;
			if (c.observer.before)
				c.observer.before(c.observer.ctx, true);
			c.kt.step(c.kt.ctx);
			if (c.observer.after)
				c.observer.after(c.observer.ctx, true);
			break;
		case Work:
			c.work_pending = false;
			++c.work_runs;
			if (c.observer.before)
				c.observer.before(c.observer.ctx, false);
			if (c.work_fn)
				c.work_fn(c.work_ctx);
			if (c.observer.after)
				c.observer.after(c.observer.ctx, false);
			break;
		case None:
			break;
		}
	}
	c.now = t;
	return RunResult::Ok;
}

int World::wait_pages(WaitCondFn cond, void *arg, int interruptible, unsigned long timeout_secs)
{
	ClockState &c = clock_;
	++c.waits;
	if (cfg_.max_waits_same_jiffy) {
		if (c.wait_jiffy != c.now) {
			c.wait_jiffy = c.now;
			c.waits_same = 0;
		}
		if (++c.waits_same > cfg_.max_waits_same_jiffy) {
			++c.hangs;
			return BALLAST_WAIT_NEVER;
		}
	}
	if (cond && cond(arg))
		return BALLAST_WAIT_OK;
	if (has_offline_ranges() && cfg_.online_policy != OnlinePolicy::Manual) {
		online_pending();
		if (cond && cond(arg))
			return BALLAST_WAIT_OK;
	}
	if (interruptible && wait_knobs.interrupt)
		return BALLAST_WAIT_INTERRUPTED;
	if (timeout_secs > 0)
		return BALLAST_WAIT_TIMEOUT;
	return BALLAST_WAIT_NEVER;
}

} // namespace world
