// SPDX-License-Identifier: GPL-2.0 OR MIT
// Virtual clock: delayed work (schedule_delayed_work vs mod_delayed_work),
// the 6.1 kthread model, hang detection, wait_pages.
#include <gtest/gtest.h>

#include <vector>

#include "world_env.h"

namespace {

using world::HZ;
using world::RunResult;
using world::World;

struct WorkLog {
	WorkLog(World *world, int re = -1)
		: w(world)
		, rearm(re)
	{
	}
	World *w;
	std::vector<uint64_t> at;
	int rearm = -1; // if >= 0, re-schedule with this delay each run
	static void fn(void *ctx)
	{
		auto *l = static_cast<WorkLog *>(ctx);
		l->at.push_back(l->w->jiffies());
		if (l->rearm >= 0)
			l->w->schedule_work(static_cast<unsigned long>(l->rearm), 0);
	}
};

TEST(Clock, DelayedWorkRunsWhenDue)
{
	World w;
	WorkLog l(&w);
	w.set_work(&WorkLog::fn, &l);
	w.schedule_work(3, 0);
	EXPECT_EQ(w.advance(2), RunResult::Ok);
	EXPECT_TRUE(l.at.empty());
	EXPECT_EQ(w.advance(2), RunResult::Ok);
	ASSERT_EQ(l.at.size(), 1u);
	EXPECT_EQ(l.at[0], 3 * HZ);
	EXPECT_EQ(w.jiffies(), 4 * HZ);
	EXPECT_FALSE(w.work_pending());
}

TEST(Clock, ScheduleDelayedWorkOnPendingDoesNothing)
{
	World w;
	WorkLog l(&w);
	w.set_work(&WorkLog::fn, &l);
	w.schedule_work(32, 0);
	w.schedule_work(0, 0); // a new target does not shorten a pending backoff
	EXPECT_EQ(w.work_due(), 32 * HZ);
	w.run_pending_now();
	EXPECT_TRUE(l.at.empty());
	w.advance(32);
	EXPECT_EQ(l.at.size(), 1u);
}

TEST(Clock, ModDelayedWorkRearms)
{
	World w;
	WorkLog l(&w);
	w.set_work(&WorkLog::fn, &l);
	w.schedule_work(32, 0);
	w.schedule_work(1, 1); // shorter
	EXPECT_EQ(w.work_due(), 1 * HZ);
	w.schedule_work(5, 1); // longer
	EXPECT_EQ(w.work_due(), 5 * HZ);
	w.advance(4);
	EXPECT_TRUE(l.at.empty());
	w.advance(1);
	ASSERT_EQ(l.at.size(), 1u);
	EXPECT_EQ(l.at[0], 5 * HZ);
	w.schedule_work(0, 1); // not pending: queues
	w.run_pending_now();
	EXPECT_EQ(l.at.size(), 2u);
}

TEST(Clock, SelfReschedulingWorkRunsInTimeOrder)
{
	World w;
	WorkLog l(&w, 2);
	w.set_work(&WorkLog::fn, &l);
	w.schedule_work(0, 0);
	EXPECT_EQ(w.advance(7), RunResult::Ok);
	EXPECT_EQ(l.at, (std::vector<uint64_t>{0, 2 * HZ, 4 * HZ, 6 * HZ}));
	uint64_t due = 0;
	ASSERT_TRUE(w.next_due(&due));
	EXPECT_EQ(due, 8 * HZ);
}

TEST(Clock, ZeroDelayLoopIsReportedAsHang)
{
	world::Config c;
	c.max_runs_same_jiffy = 100;
	World w(c);
	WorkLog l(&w, 0);
	w.set_work(&WorkLog::fn, &l);
	w.schedule_work(0, 0);
	EXPECT_EQ(w.advance(1), RunResult::Hang);
	EXPECT_EQ(w.hangs(), 1u);
	EXPECT_LE(l.at.size(), 101u);
	EXPECT_EQ(w.jiffies(), 0u);
}

// The 6.1 kthread: a fake driver with a credit the test sets.
struct FakeThread {
	explicit FakeThread(World *world)
		: w(world)
	{
	}
	World *w;
	long credit = 0;
	bool done_state = true; // BP_DONE: the cond treats the snapshot as 0
	unsigned long timeout = 3600;
	std::vector<uint64_t> steps;
	bool consume = true; // a step makes the credit 0
	static void prepare(void *ctx, unsigned long *t, long *snap)
	{
		auto *f = static_cast<FakeThread *>(ctx);
		*t = f->timeout;
		*snap = f->credit;
	}
	static int cond(void *ctx, long snap)
	{
		auto *f = static_cast<FakeThread *>(ctx);
		if (f->done_state)
			snap = 0;
		return f->credit != snap;
	}
	static void step(void *ctx)
	{
		auto *f = static_cast<FakeThread *>(ctx);
		f->steps.push_back(f->w->jiffies());
		if (f->consume)
			f->credit = 0;
	}
	world::KthreadHooks hooks()
	{
		world::KthreadHooks h;
		h.prepare = &prepare;
		h.cond = &cond;
		h.step = &step;
		h.ctx = this;
		return h;
	}
};

TEST(WorldKthread, SleepsUntilWokenWithConditionTrue)
{
	World w;
	FakeThread t{&w};
	w.start_kthread(t.hooks());
	w.run_pending_now();
	EXPECT_TRUE(w.kthread_sleeping());
	EXPECT_TRUE(t.steps.empty());
	EXPECT_EQ(w.kthread_deadline(), 3600 * HZ);
	w.advance(10);
	t.credit = 5; // new target
	world::Env(w).wake_worker();
	EXPECT_TRUE(t.steps.empty()); // the wake-up only marks the thread
	w.run_pending_now();
	ASSERT_EQ(t.steps.size(), 1u);
	EXPECT_EQ(t.steps[0], 10 * HZ);
	EXPECT_TRUE(w.kthread_sleeping());
}

TEST(WorldKthread, WakeWithFalseConditionSleepsForTheRemainingTimeout)
{
	World w;
	FakeThread t{&w};
	t.done_state = false; // e.g. BP_EAGAIN: cond compares with the snapshot
	t.credit = 7;
	t.timeout = 4;
	t.consume = false;
	w.start_kthread(t.hooks());
	w.run_pending_now(); // prepare: snapshot 7, cond false, sleep 4 s
	EXPECT_TRUE(w.kthread_sleeping());
	w.advance(1);
	w.wake_worker(); // credit unchanged: cond still false
	w.run_pending_now();
	EXPECT_TRUE(t.steps.empty());
	EXPECT_EQ(w.kthread_deadline(), 4 * HZ);
	w.advance(3);
	ASSERT_EQ(t.steps.size(), 1u);
	EXPECT_EQ(t.steps[0], 4 * HZ); // the timeout, not the wake-up
}

TEST(WorldKthread, TimeoutStepsRepeatedly)
{
	World w;
	FakeThread t{&w};
	t.done_state = false;
	t.credit = 3;
	t.timeout = 1;
	t.consume = false;
	w.start_kthread(t.hooks());
	EXPECT_EQ(w.advance(5), RunResult::Ok);
	EXPECT_EQ(t.steps, (std::vector<uint64_t>{1 * HZ, 2 * HZ, 3 * HZ, 4 * HZ, 5 * HZ}));
}

TEST(WorldKthread, DoneWithCreditSpinsAndIsReportedAsHang)
{
	world::Config c;
	c.max_runs_same_jiffy = 50;
	World w(c);
	FakeThread t{&w};
	t.credit = 3; // BP_DONE with credit: cond true immediately, forever
	t.consume = false;
	w.start_kthread(t.hooks());
	EXPECT_EQ(w.run_pending_now(), RunResult::Hang);
	EXPECT_EQ(t.steps.size(), 50u);
}

TEST(WorldKthread, ZeroTimeoutNeverSleeps)
{
	world::Config c;
	c.max_runs_same_jiffy = 20;
	World w(c);
	FakeThread t{&w};
	t.done_state = false;
	t.credit = 3;
	t.timeout = 0; // schedule_delay 0: the wait returns at once, every time
	w.start_kthread(t.hooks());
	EXPECT_EQ(w.run_pending_now(), RunResult::Hang);
	EXPECT_EQ(t.steps.size(), 20u);
	EXPECT_EQ(t.steps.back(), 0u);
}

struct Cond {
	bool v = false;
	static int fn(void *a) { return static_cast<Cond *>(a)->v ? 1 : 0; }
};

TEST(Wait, NeverBlocks)
{
	World w;
	world::Env env(w);
	Cond c;
	EXPECT_EQ(env.wait_pages(&Cond::fn, &c, 0, 0), BALLAST_WAIT_NEVER);
	EXPECT_EQ(env.wait_pages(&Cond::fn, &c, 1, 0), BALLAST_WAIT_NEVER);
	EXPECT_EQ(env.wait_pages(&Cond::fn, &c, 0, 180), BALLAST_WAIT_TIMEOUT);
	w.wait_knobs.interrupt = true;
	EXPECT_EQ(env.wait_pages(&Cond::fn, &c, 1, 0), BALLAST_WAIT_INTERRUPTED);
	EXPECT_EQ(env.wait_pages(&Cond::fn, &c, 0, 0), BALLAST_WAIT_NEVER);
	c.v = true;
	EXPECT_EQ(env.wait_pages(&Cond::fn, &c, 1, 0), BALLAST_WAIT_OK);
	EXPECT_EQ(w.waits(), 6u);
}

TEST(Locking, DoubleLockAndUnlockAreFaults)
{
	World w;
	world::Env env(w);
	env.lock();
	EXPECT_TRUE(w.lock_held());
	env.unlock();
	EXPECT_TRUE(w.faults().empty());
	env.lock();
	env.lock();
	env.unlock();
	env.unlock();
	ASSERT_EQ(w.faults().size(), 2u);
	EXPECT_EQ(w.faults()[0].kind, world::Fault::DoubleLock);
	EXPECT_EQ(w.faults()[1].kind, world::Fault::UnlockNotHeld);
}

TEST(Events, LogAndCounts)
{
	World w;
	world::Env env(w);
	w.advance(2);
	env.event(BALLAST_EV_HANG_SPIN, 1, 2);
	env.event(BALLAST_EV_HANG_SPIN, 3, 4);
	env.cond_resched();
	ASSERT_EQ(w.events().size(), 2u);
	EXPECT_EQ(w.events()[1].a, 3);
	EXPECT_EQ(w.events()[0].jiffies, 2 * HZ);
	EXPECT_EQ(w.event_count(BALLAST_EV_HANG_SPIN), 2u);
	EXPECT_EQ(w.cond_resched_count, 1u);
	w.clear_events();
	EXPECT_EQ(w.event_count(BALLAST_EV_HANG_SPIN), 0u);
}

TEST(Worlds, SeveralInstancesAreIndependent)
{
	World a, b;
	a.alloc_page(BALLAST_GFP_BALLOON);
	a.advance(3);
	EXPECT_EQ(b.free_count(), 4096u);
	EXPECT_EQ(b.jiffies(), 0u);
}

} // namespace
