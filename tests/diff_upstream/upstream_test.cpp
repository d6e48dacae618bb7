// SPDX-License-Identifier: GPL-2.0 OR MIT
// The upstream drivers (seed, Linux 6.1 and 6.12, unmodified, on the
// kernel-API shim) running scenarios in the ballast world.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <vector>

#include "upstream_subject.h"
#include "world.h"

using ballast::diff::UpstreamSubject;
using ballast::diff::UpstreamVersion;
using ballast::diff::make_upstream_subject;

namespace {

constexpr int kENOMEM = 12;

struct Rig {
	world::Config wcfg;
	ballast_config cfg{};
	std::unique_ptr<world::World> w;
	std::unique_ptr<UpstreamSubject> s;

	explicit Rig(UpstreamVersion v)
		: s(make_upstream_subject(v))
	{
		wcfg.total_frames = 4096;
		wcfg.populated_frames = 4096;
		wcfg.kernel_frames = 512;
		wcfg.host_pool = 4096;
	}
	int boot()
	{
		if (!w)
			w.reset(new world::World(wcfg));
		else
			w->reset(wcfg);
		ballast_boot_info bi;
		w->fill_boot_info(&bi);
		int rc = s->init(*w, bi, cfg);
		w->run_pending_now();
		return rc;
	}
	ballast_stats st() const { return s->stats(); }
	unsigned long events(ballast_event e) const { return w->event_count(e); }
	// 6.1 and 6.12: the balloon kthread (the seed: delayed work)
	bool kthread() const { return s->version() != UpstreamVersion::Seed2019; }
};

class BothVersions : public ::testing::TestWithParam<UpstreamVersion> {};

INSTANTIATE_TEST_SUITE_P(Upstream, BothVersions,
			 ::testing::Values(UpstreamVersion::Seed2019, UpstreamVersion::Linux61,
					   UpstreamVersion::Linux612),
			 [](const ::testing::TestParamInfo<UpstreamVersion> &i) {
				 return i.param == UpstreamVersion::Seed2019 ?
						std::string("seed") :
					i.param == UpstreamVersion::Linux61 ?
						std::string("linux61") :
						std::string("linux612");
			 });

TEST_P(BothVersions, InitReadsBootInfo)
{
	Rig r(GetParam());
	ASSERT_EQ(r.boot(), 0);
	ballast_stats s = r.st();
	EXPECT_EQ(s.current_pages, 4096u);
	EXPECT_EQ(s.target_pages, 4096u);
	EXPECT_EQ(s.total_pages, 4096u);
	EXPECT_EQ(s.schedule_delay, 1u);
	EXPECT_EQ(s.max_schedule_delay, 32u);
	EXPECT_EQ(s.retry_count, 1u);
	EXPECT_EQ(s.max_retry_count, 4u);
	EXPECT_FALSE(r.s->dead());
	EXPECT_EQ(r.s->thread_status(), r.kthread() ? 1 : 0);
}

TEST_P(BothVersions, NotXenIsENODEV)
{
	Rig r(GetParam());
	r.wcfg.xen_domain = false;
	EXPECT_EQ(r.boot(), -19);
}

TEST_P(BothVersions, InflateDeflateReachTargetWithRightHypercalls)
{
	Rig r(GetParam());
	ASSERT_EQ(r.boot(), 0);
	uint64_t t0 = r.w->trace_total();
	r.s->set_target(4096 - 100);
	ASSERT_EQ(r.w->run_pending_now(), world::RunResult::Ok);
	ballast_stats s = r.st();
	EXPECT_EQ(s.current_pages, 3996u);
	EXPECT_EQ(s.balloon_low, 100u);
	ASSERT_EQ(r.w->trace_total(), t0 + 1);
	EXPECT_EQ(r.w->trace_last().cmd, unsigned(XENMEM_decrease_reservation));
	EXPECT_EQ(r.w->trace_last().nr_extents, 100u);
	EXPECT_EQ(r.w->trace_last().result, 100);
	std::vector<unsigned long> pfns;
	r.s->balloon_pfns(pfns);
	ASSERT_EQ(pfns.size(), 100u);
	for (unsigned long p : pfns) {
		EXPECT_EQ(r.w->frame(p)->offline, 1);
		EXPECT_FALSE(r.w->populated(r.w->frame(p)));
	}

	r.s->set_target(4096);
	ASSERT_EQ(r.w->run_pending_now(), world::RunResult::Ok);
	s = r.st();
	EXPECT_EQ(s.current_pages, 4096u);
	EXPECT_EQ(s.balloon_low, 0u);
	EXPECT_EQ(r.w->trace_last().cmd, unsigned(XENMEM_populate_physmap));
	EXPECT_EQ(r.w->trace_last().nr_extents, 100u);
	r.s->balloon_pfns(pfns);
	EXPECT_TRUE(pfns.empty());
	EXPECT_EQ(r.w->faults_total(), 0u);
	EXPECT_FALSE(r.w->lock_held());
}

TEST_P(BothVersions, LargeInflateTakesSeveralBatches)
{
	Rig r(GetParam());
	ASSERT_EQ(r.boot(), 0);
	r.s->set_target(4096 - 1500);
	ASSERT_EQ(r.w->run_pending_now(), world::RunResult::Ok);
	EXPECT_EQ(r.st().current_pages, 4096u - 1500u);
	EXPECT_EQ(r.w->trace_total(), 3u); // 512 + 512 + 476
	EXPECT_EQ(r.w->trace_last().nr_extents, 476u);
}

TEST_P(BothVersions, BackoffDoublesThenCancels)
{
	Rig r(GetParam());
	ASSERT_EQ(r.boot(), 0);
	r.s->set_target(4096 - 64);
	r.w->run_pending_now();
	ASSERT_EQ(r.st().balloon_low, 64u);
	r.w->hv_knobs.populate.fail_next = 1000; // populate_physmap returns -ENOMEM
	r.s->set_target(4096);
	r.w->run_pending_now();
	EXPECT_EQ(r.st().schedule_delay, 2u);
	EXPECT_EQ(r.st().retry_count, 2u);
	r.w->advance(2);
	EXPECT_EQ(r.st().schedule_delay, 4u);
	r.w->advance(4);
	EXPECT_EQ(r.st().schedule_delay, 8u);
	EXPECT_EQ(r.st().retry_count, 4u);
	uint64_t calls = r.w->trace_total();
	r.w->advance(7);
	EXPECT_EQ(r.w->trace_total(), calls); // not before 8 s
	r.w->advance(1);
	EXPECT_EQ(r.w->trace_total(), calls + 1);
	// retry_count 5 > max_retry_count 4: BP_ECANCELED, reset to 1/1
	EXPECT_EQ(r.st().schedule_delay, 1u);
	EXPECT_EQ(r.st().retry_count, 1u);
	r.w->advance(100);
	EXPECT_EQ(r.w->trace_total(), calls + 1); // gave up
	EXPECT_EQ(r.st().current_pages, 4096u - 64u);
	if (!r.kthread()) {
		EXPECT_FALSE(r.w->work_pending());
	}
}

TEST_P(BothVersions, TunablesAsSysfsWrites)
{
	Rig r(GetParam());
	ASSERT_EQ(r.boot(), 0);
	EXPECT_EQ(r.s->set_max_schedule_delay(4), 0);
	EXPECT_EQ(r.s->set_max_retry_count(0), 0); // unlimited
	r.s->set_target(4096 - 64);
	r.w->run_pending_now();
	r.w->hv_knobs.populate.fail_next = 1000;
	r.s->set_target(4096);
	r.w->run_pending_now();
	for (int i = 0; i < 10; i++)
		r.w->advance(4);
	EXPECT_EQ(r.st().schedule_delay, 4u); // capped
	EXPECT_GT(r.st().retry_count, 5u);    // never cancelled
	EXPECT_EQ(r.st().max_schedule_delay, 4u);
	EXPECT_EQ(r.st().max_retry_count, 0u);
}

TEST_P(BothVersions, PartialDecreaseIsBugAndDeadTask)
{
	Rig r(GetParam());
	ASSERT_EQ(r.boot(), 0);
	r.w->hv_knobs.decrease.cap_extents = 10;
	r.s->set_target(4096 - 100);
	r.w->run_pending_now();
	ASSERT_EQ(r.events(BALLAST_EV_BUG_DECREASE_MISMATCH), 1u);
	EXPECT_EQ(r.w->events().back().a, 10);
	EXPECT_EQ(r.w->events().back().b, 100);
	EXPECT_TRUE(r.s->dead());
	// upstream died before current_pages -= nr_pages; the pages are in the balloon
	EXPECT_EQ(r.st().current_pages, 4096u);
	EXPECT_EQ(r.st().balloon_low, 100u);
	if (r.kthread()) {
		EXPECT_EQ(r.s->thread_status(), 2);
	}
	EXPECT_FALSE(r.w->lock_held());
	// Later callers block on the dead task's mutex: reported, not hung.
	ballast_page *pages[4] = {};
	EXPECT_EQ(r.s->alloc_pages(4, pages), -kENOMEM);
	EXPECT_EQ(r.events(BALLAST_EV_HANG_LOCK), 1u);
	r.s->set_target(4096);
	EXPECT_EQ(r.w->run_pending_now(), world::RunResult::Ok);
	EXPECT_EQ(r.events(BALLAST_EV_HANG_LOCK), 2u);
}

TEST_P(BothVersions, OverlongIncreaseReplyIsBug)
{
	Rig r(GetParam());
	ASSERT_EQ(r.boot(), 0);
	r.s->set_target(4096 - 100);
	r.w->run_pending_now();
	r.w->hv_knobs.populate.lie_extra = 5;
	r.s->set_target(4096);
	r.w->run_pending_now();
	ASSERT_EQ(r.events(BALLAST_EV_BUG_INCREASE_NO_PAGE), 1u);
	EXPECT_EQ(r.w->events().back().a, 105);
	EXPECT_EQ(r.w->events().back().b, 100);
	EXPECT_TRUE(r.s->dead());
	EXPECT_EQ(r.st().balloon_low, 0u);
	EXPECT_EQ(r.st().current_pages, 3996u); // never updated
}

TEST_P(BothVersions, LendingFromTheBalloonAndBack)
{
	Rig r(GetParam());
	ASSERT_EQ(r.boot(), 0);
	r.s->set_target(4096 - 16);
	r.w->run_pending_now();
	std::vector<unsigned long> before;
	r.s->balloon_pfns(before);
	ballast_page *pages[8] = {};
	ASSERT_EQ(r.s->alloc_pages(8, pages), 0);
	for (int i = 0; i < 8; i++) {
		ASSERT_NE(pages[i], nullptr);
		EXPECT_EQ(pages[i]->pfn, before[i]); // from the head
		EXPECT_EQ(pages[i]->offline, 0);
	}
	EXPECT_EQ(r.st().target_unpopulated, 8u);
	EXPECT_EQ(r.st().balloon_low, 8u);
	r.s->free_pages(8, pages);
	EXPECT_EQ(r.st().target_unpopulated, 0u);
	EXPECT_EQ(r.st().balloon_low, 16u);
	// more than the balloon holds: decrease_reservation(GFP_USER) for the rest
	ballast_page *more[24] = {};
	ASSERT_EQ(r.s->alloc_pages(24, more), 0);
	EXPECT_EQ(r.st().current_pages, 4096u - 24u);
	EXPECT_EQ(r.w->trace_last().cmd, unsigned(XENMEM_decrease_reservation));
	EXPECT_EQ(r.w->trace_last().nr_extents, 8u);
}

TEST(UpstreamSeed, SpinWithNothingAvailableIsHangSpin)
{
	Rig r(UpstreamVersion::Seed2019);
	ASSERT_EQ(r.boot(), 0);
	r.w->set_mem_available_override(0);
	r.w->set_totalreserve_pages(0);
	r.s->set_target(4096 - 10);
	EXPECT_EQ(r.w->run_pending_now(), world::RunResult::Ok);
	ASSERT_EQ(r.events(BALLAST_EV_HANG_SPIN), 1u);
	EXPECT_EQ(r.w->events().back().a, -10);
	EXPECT_FALSE(r.s->dead());
	EXPECT_FALSE(r.w->work_pending());
	EXPECT_FALSE(r.w->lock_held());
	EXPECT_EQ(r.w->trace_total(), 1u); // one decrease_reservation(0)
	EXPECT_EQ(r.w->trace_last().nr_extents, 0u);
	// Memory comes back: a new target makes progress again.
	r.w->clear_mem_available_override();
	r.s->set_target(4096 - 10);
	r.w->run_pending_now();
	EXPECT_EQ(r.st().current_pages, 4086u);
}

TEST(UpstreamSeed, ProgressThenDoneIsNoSpin)
{
	Rig r(UpstreamVersion::Seed2019);
	ASSERT_EQ(r.boot(), 0);
	r.s->set_target(4096 - 2000);
	r.w->run_pending_now();
	EXPECT_EQ(r.events(BALLAST_EV_HANG_SPIN), 0u);
}

TEST(Upstream61, SpinIsReportedPerStep)
{
	Rig r(UpstreamVersion::Linux61);
	r.wcfg.max_runs_same_jiffy = 50;
	ASSERT_EQ(r.boot(), 0);
	r.w->set_mem_available_override(0);
	r.s->set_target(4096 - 10);
	EXPECT_EQ(r.w->run_pending_now(), world::RunResult::Hang); // the thread really spins
	EXPECT_GE(r.events(BALLAST_EV_HANG_SPIN), 50u);
	EXPECT_FALSE(r.s->dead());
}

// Hotplug configurations.
struct HotplugRig : Rig {
	explicit HotplugRig(UpstreamVersion v)
		: Rig(v)
	{
		cfg.memory_hotplug = 1;
		wcfg.pages_per_section = 256;
	}
};

TEST_P(BothVersions, SysctlOnlyWithHotplug)
{
	Rig r(GetParam());
	ASSERT_EQ(r.boot(), 0);
	EXPECT_EQ(r.s->sysctl_hotplug_unpopulated(1), -2);
	HotplugRig h(GetParam());
	ASSERT_EQ(h.boot(), 0);
	EXPECT_EQ(h.s->sysctl_hotplug_unpopulated(2), -22); // proc_dointvec_minmax [0, 1]
	EXPECT_EQ(h.s->sysctl_hotplug_unpopulated(1), 0);
}

TEST_P(BothVersions, LendingWaitNobodyOnlinesIsHangWait)
{
	HotplugRig r(GetParam());
	ASSERT_EQ(r.boot(), 0);
	r.s->set_hotplug_unpopulated(true);
	ballast_page *pages[5] = {};
	EXPECT_EQ(r.s->alloc_pages(5, pages), -kENOMEM);
	ASSERT_EQ(r.events(BALLAST_EV_HANG_WAIT), 1u);
	EXPECT_EQ(r.w->events().back().a, 5);
	EXPECT_FALSE(r.s->dead());
	EXPECT_FALSE(r.w->lock_held());
	// the hung caller keeps target_unpopulated raised (it never returned)
	EXPECT_EQ(r.st().target_unpopulated, 5u);
	EXPECT_EQ(r.st().total_pages, 4096u + 256u);
	ASSERT_EQ(r.w->hotplug_ranges().size(), 1u);
}

TEST_P(BothVersions, LendingWaitEndsWhenMemoryIsOnlined)
{
	HotplugRig r(GetParam());
	r.wcfg.online_policy = world::OnlinePolicy::Deferred;
	ASSERT_EQ(r.boot(), 0);
	r.s->set_hotplug_unpopulated(true);
	ballast_page *pages[5] = {};
	ASSERT_EQ(r.s->alloc_pages(5, pages), 0);
	EXPECT_EQ(r.events(BALLAST_EV_HANG_WAIT), 0u);
	for (ballast_page *p : pages) {
		ASSERT_NE(p, nullptr);
		EXPECT_GE(p->pfn, 4096u);
	}
	EXPECT_EQ(r.st().balloon_low, 256u - 5u);
}

TEST(Upstream61, InterruptedLendingWaitIsENOMEM)
{
	HotplugRig r(UpstreamVersion::Linux61);
	ASSERT_EQ(r.boot(), 0);
	r.s->set_hotplug_unpopulated(true);
	r.w->wait_knobs.interrupt = true;
	ballast_page *pages[3] = {};
	EXPECT_EQ(r.s->alloc_pages(3, pages), -kENOMEM);
	EXPECT_EQ(r.events(BALLAST_EV_HANG_WAIT), 0u);
	EXPECT_EQ(r.st().target_unpopulated, 0u); // 6.1's fixed undo
}

TEST(Upstream61, ThreadStepsOnTheVirtualClock)
{
	HotplugRig r(UpstreamVersion::Linux61);
	r.wcfg.max_pages = 8192; // Xen lets the domain grow
	ASSERT_EQ(r.boot(), 0);
	EXPECT_TRUE(r.w->kthread_sleeping());
	EXPECT_EQ(r.w->kthread_deadline(), 3600u * world::HZ); // BP_DONE: 1 h
	// a new target wakes it
	r.s->set_target(4096 - 32);
	r.w->run_pending_now();
	EXPECT_EQ(r.st().current_pages, 4096u - 32u);
	unsigned long steps = r.w->kthread_steps();
	EXPECT_GE(steps, 1u);
	// above what is populated with an empty balloon: hotplug, BP_WAIT (1 s)
	r.s->set_target(4096 - 32 + 32 + 100); // 32 from the balloon, 100 hotplugged
	r.w->run_pending_now();
	EXPECT_EQ(r.st().current_pages, 4096u);
	r.w->run_pending_now();
	uint64_t now = r.w->jiffies();
	EXPECT_EQ(r.st().total_pages, 4096u + 256u);
	EXPECT_TRUE(r.w->kthread_sleeping());
	EXPECT_EQ(r.w->kthread_deadline(), now + world::HZ);
	// onlining wakes it, but in BP_WAIT with unchanged credit it sleeps on
	unsigned long before = r.w->kthread_steps();
	r.w->online_pending();
	r.w->run_pending_now();
	EXPECT_EQ(r.w->kthread_steps(), before);
	EXPECT_EQ(r.st().balloon_low, 256u);
	// the 1 s timeout makes progress
	r.w->advance(1);
	EXPECT_GT(r.w->kthread_steps(), before);
	EXPECT_EQ(r.st().current_pages, 4096u + 100u);
	EXPECT_EQ(r.st().balloon_low, 156u);
}

TEST(Upstream61, CancelledThenSameTargetDoesNotRetry)
{
	Rig r(UpstreamVersion::Linux61);
	ASSERT_EQ(r.boot(), 0);
	r.s->set_target(4096 - 64);
	r.w->run_pending_now();
	r.w->hv_knobs.populate.fail_next = 1000;
	r.s->set_target(4096);
	r.w->advance(2 + 4 + 8 + 10);
	EXPECT_EQ(r.st().retry_count, 1u); // cancelled
	uint64_t calls = r.w->trace_total();
	r.s->set_target(4096); // same target: credit unchanged, no retry
	r.w->advance(60);
	EXPECT_EQ(r.w->trace_total(), calls);
	r.w->hv_knobs.populate.fail_next = 0;
	r.s->set_target(4096 - 1); // different credit: it acts
	r.w->run_pending_now();
	EXPECT_EQ(r.w->trace_total(), calls + 1);
	EXPECT_EQ(r.st().current_pages, 4096u - 1u);
}

TEST(Upstream61, WaitFinishPanicsAfterBootTimeout)
{
	Rig r(UpstreamVersion::Linux61);
	ASSERT_EQ(r.boot(), 0);
	r.w->alloc_knobs.storm = true;
	r.s->set_target(4096 - 10);
	int rc = r.s->wait_finish();
	EXPECT_EQ(rc, UpstreamSubject::kPanicked);
	EXPECT_EQ(r.events(BALLAST_EV_PANIC_BOOT_TIMEOUT), 1u);
	EXPECT_TRUE(r.s->dead());
	EXPECT_GE(r.w->jiffies(), 180u * world::HZ);
}

TEST(Upstream61, WaitFinishReturnsWhenBallooningSucceeds)
{
	Rig r(UpstreamVersion::Linux61);
	ASSERT_EQ(r.boot(), 0);
	r.s->set_target(4096 - 10);
	EXPECT_EQ(r.s->wait_finish(), 0);
	EXPECT_EQ(r.st().current_pages, 4086u);
	EXPECT_LE(r.w->jiffies(), uint64_t(world::HZ));
}

TEST(UpstreamSeed, NoWaitFinish)
{
	Rig r(UpstreamVersion::Seed2019);
	ASSERT_EQ(r.boot(), 0);
	EXPECT_EQ(r.s->wait_finish(), -38);
}

// PV: the boot-time extra region starts in the balloon.
TEST_P(BothVersions, PvExtraRegionStartsBallooned)
{
	Rig r(GetParam());
	r.wcfg.pv = true;
	r.wcfg.populated_frames = 3072;
	r.cfg.xen_pv = 1;
	r.cfg.have_pvmmu = 1;
	ASSERT_EQ(r.boot(), 0);
	EXPECT_EQ(r.st().current_pages, 3072u);
	EXPECT_EQ(r.st().total_pages, 4096u);
	EXPECT_EQ(r.st().balloon_low, 1024u);
	r.s->set_target(3072 + 100);
	r.w->run_pending_now();
	EXPECT_EQ(r.st().current_pages, 3172u);
	EXPECT_EQ(r.w->faults_total(), 0u);
}

// Observations of one scenario, for the reset test.
struct Obs {
	std::vector<unsigned long> v;
	bool operator==(const Obs &o) const { return v == o.v; }
};

Obs run_scenario(Rig &r)
{
	Obs o;
	EXPECT_EQ(r.boot(), 0);
	auto snap = [&] {
		ballast_stats s = r.st();
		const unsigned long *f = &s.current_pages;
		o.v.insert(o.v.end(), f, f + 10);
		std::vector<unsigned long> pfns;
		r.s->balloon_pfns(pfns);
		o.v.insert(o.v.end(), pfns.begin(), pfns.end());
		o.v.push_back(r.w->trace_total());
		o.v.push_back(r.w->events().size());
		o.v.push_back(r.s->dead());
	};
	r.s->set_target(4096 - 300);
	r.w->run_pending_now();
	snap();
	ballast_page *pages[10] = {};
	o.v.push_back(static_cast<unsigned long>(r.s->alloc_pages(10, pages)));
	snap();
	r.w->hv_knobs.populate.cap_extents = 50;
	r.s->set_target(4096);
	r.w->advance(3);
	snap();
	r.w->hv_knobs.decrease.cap_extents = 5;
	r.s->set_target(100);
	r.w->advance(40);
	snap();
	return o;
}

TEST_P(BothVersions, ResetLeavesNoState)
{
	Rig r(GetParam());
	Obs a = run_scenario(r);
	Obs b = run_scenario(r);
	EXPECT_TRUE(a == b);
	EXPECT_TRUE(r.s->dead()); // the scenario ends in a BUG
	Obs c = run_scenario(r);
	EXPECT_TRUE(a == c);
}

TEST_P(BothVersions, AllConfigurationsBoot)
{
	for (unsigned bits = 0; bits < 16; bits++) {
		Rig r(GetParam());
		r.cfg.memory_hotplug = bits & 1;
		r.cfg.xen_pv = (bits >> 1) & 1;
		r.cfg.have_pvmmu = (bits >> 2) & 1;
		r.cfg.sparsemem = (bits >> 3) & 1;
		r.wcfg.pv = r.cfg.xen_pv;
		ASSERT_EQ(r.boot(), 0) << bits;
		r.s->set_target(4096 - 77);
		r.w->run_pending_now();
		EXPECT_EQ(r.st().current_pages, 4096u - 77u) << r.s->variant();
		r.s->set_target(4096);
		r.w->run_pending_now();
		EXPECT_EQ(r.st().current_pages, 4096u) << r.s->variant();
	}
}

TEST_P(BothVersions, MicroBenchmark)
{
	Rig r(GetParam());
	const int kRounds = 2000;
	auto t0 = std::chrono::steady_clock::now();
	for (int i = 0; i < kRounds; i++) {
		r.boot();
		r.s->set_target(4096 - 128);
		r.w->run_pending_now();
	}
	double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
	EXPECT_EQ(r.st().current_pages, 4096u - 128u);
	std::printf(
		"[ bench    ] %s: %.0f scenarios/s (reset+init, set target, run to completion, 128 pages)\n",
		r.s->name(), kRounds / secs);
}

// ---- Linux 6.12's balloon_init and what changed around it
TEST(Upstream612, Dom0AsksXenForItsReservation)
{
	Rig r(UpstreamVersion::Linux612);
	r.wcfg.pv = true;
	r.wcfg.initial_domain = true;
	r.wcfg.populated_frames = 3072; // dom0_mem=3072 pages, max: 4096
	r.cfg.xen_pv = 1;
	r.cfg.have_pvmmu = 1;
	ASSERT_EQ(r.boot(), 0);
	ASSERT_GE(r.w->trace_size(), 1u);
	EXPECT_EQ(r.w->trace_at(0).cmd, unsigned(XENMEM_current_reservation));
	EXPECT_EQ(r.w->trace_at(0).result, 3072);
	EXPECT_EQ(r.st().current_pages, 3072u);
	EXPECT_EQ(r.st().total_pages, 4096u); // the region adds to it
}

TEST(Upstream612, PvhRegionComesOffCurrentAndTarget)
{
	Rig r(UpstreamVersion::Linux612);
	r.wcfg.pvh = true;
	r.wcfg.populated_frames = 3072;
	ASSERT_EQ(r.boot(), 0);
	EXPECT_EQ(r.st().current_pages, 3072u);
	EXPECT_EQ(r.st().target_pages, 3072u);
	EXPECT_EQ(r.st().balloon_low, 1024u);
	EXPECT_EQ(r.st().total_pages, 4096u);
}

TEST(Upstream612, UnderflowRefusesToLoad)
{
	Rig r(UpstreamVersion::Linux612);
	r.wcfg.pv = true;
	r.wcfg.populated_frames = 0; // released >= nr_pages
	r.cfg.xen_pv = 1;
	EXPECT_EQ(r.boot(), -34); // -ERANGE, "Released pages underflow current target"
}

TEST(Upstream612, SysctlFromRegisterSysctlInit)
{
	Rig r(UpstreamVersion::Linux612);
	r.cfg.memory_hotplug = 1;
	ASSERT_EQ(r.boot(), 0);
	EXPECT_EQ(r.s->sysctl_hotplug_unpopulated(1), 0);
	EXPECT_EQ(r.s->sysctl_hotplug_unpopulated(2), -22); // proc_dointvec_minmax's range
}

TEST(Upstream612, UnpopulatedPagesComeOffTheMap)
{
	Rig r(UpstreamVersion::Linux612);
	r.wcfg.pvh = true;
	r.wcfg.unpopulated_alloc = true;
	r.wcfg.populated_frames = 3072;
	ASSERT_EQ(r.boot(), 0);
	EXPECT_EQ(r.st().current_pages, 3072u); // 4096 in the map, 1024 to unpopulated-alloc
	EXPECT_EQ(r.st().balloon_low, 0u);
}

// The boot wait on a balloon whose thread died: nothing ever changes the
// credit, the wait is reported as a hang after BALLAST_BOOT_WAIT_HANG_SECS.
TEST(Upstream61, WaitFinishOnADeadThreadHangs)
{
	for (UpstreamVersion v : {UpstreamVersion::Linux61, UpstreamVersion::Linux612}) {
		Rig r(v);
		ASSERT_EQ(r.boot(), 0);
		r.w->hv_knobs.decrease.lie_extra = 3; // BUG_ON(ret != nr_pages)
		r.s->set_target(4096 - 10);
		r.w->run_pending_now();
		ASSERT_TRUE(r.s->dead());
		EXPECT_EQ(r.s->wait_finish(), -35); // -EDEADLK: the task never returns
		EXPECT_EQ(r.events(BALLAST_EV_HANG_WAIT), 1u);
		EXPECT_GE(r.w->jiffies(), BALLAST_BOOT_WAIT_HANG_SECS * world::HZ);
	}
}

} // namespace
