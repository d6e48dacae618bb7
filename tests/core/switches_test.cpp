// One test per behaviour switch of core/profile.h: the same scenario with the
// switch on and off (everything else as in the profile named) behaves
// differently, in the way core/SWITCHES.md says.
#include <string>

#include "harness.h"
#include "runtime.h"

namespace ballast_test {
namespace {

using ballast::Switches;
const Switches kSeed = ballast::profile_linux_2019();
const Switches kBallast = ballast::profile_ballast();

TEST(Switches, ProfilesDifferAsDocumented)
{
	for (unsigned i = 0; i < ballast::kSwitchCount; i++) {
		const ballast::SwitchInfo &s = ballast::kSwitchTable[i];
		SCOPED_TRACE(s.name);
		EXPECT_NE(std::string(s.rationale), "");
		// Every switch is off in the seed except the one check 6.1 removed.
		EXPECT_EQ(kSeed.*s.member, std::string(s.name) == "hotplug_addr_limit_check");
	}
	EXPECT_EQ(ballast::profile_switches(BALLAST_PROFILE_LINUX_6_1).kthread_worker, true);
	EXPECT_EQ(ballast::profile_switches(BALLAST_PROFILE_BALLAST).kthread_worker, false);
}

TEST(Switches, KthreadWorker)
{
	Harness dw(small_world(), with(kSeed, &Switches::kthread_worker, false));
	Harness kt(small_world(), with(kSeed, &Switches::kthread_worker, true));
	dw.core.set_target(4000);
	kt.core.set_target(4000);
	EXPECT_TRUE(dw.w.work_pending());
	EXPECT_FALSE(kt.w.work_pending());
	EXPECT_GT(kt.w.wakes(), 0u);
	dw.w.run_pending_now();
	kt.w.run_pending_now();
	EXPECT_EQ(dw.stats().current_pages, 4000u);
	EXPECT_EQ(kt.stats().current_pages, 4000u);
	EXPECT_EQ(dw.w.work_runs(), 1u);
	EXPECT_EQ(kt.w.work_runs(), 0u);
	EXPECT_GE(kt.w.kthread_steps(), 1u);
}

// Records the order of PageOffline changes relative to the p2m update.
struct OrderEnv : world::Env {
	using world::Env::Env;
	std::string log;
	void clear_page_offline(ballast_page *p)
	{
		log += "C";
		world::Env::clear_page_offline(p);
	}
	void va_mapping_update(ballast_page *p, ballast_pfn_t f)
	{
		log += "U";
		world::Env::va_mapping_update(p, f);
	}
};

TEST(Switches, OfflineInAppend)
{
	BasicHarness<OrderEnv> a(small_world(), with(kSeed, &Switches::offline_in_append, false));
	BasicHarness<OrderEnv> b(small_world(), with(kSeed, &Switches::offline_in_append, true));
	a.target(4095);
	b.target(4095);
	a.env.log.clear();
	b.env.log.clear();
	a.target(4096);
	b.target(4096);
	EXPECT_EQ(a.env.log, "UC"); // 2019: cleared by the caller after the remap
	EXPECT_EQ(b.env.log, "CU"); // 6.1: cleared by balloon_retrieve
	EXPECT_EQ(a.violations(), "");
	EXPECT_EQ(b.violations(), "");
}

world::Config manual_online()
{
	world::Config wc = small_world();
	wc.online_policy = world::OnlinePolicy::Manual;
	return wc;
}

TEST(Switches, InterruptibleLendingWait)
{
	Harness off(manual_online(), with(kSeed, &Switches::interruptible_lending_wait, false));
	Harness on(manual_online(), with(kSeed, &Switches::interruptible_lending_wait, true));
	for (Harness *h : {&off, &on}) {
		h->core.set_hotplug_unpopulated(true);
		h->w.wait_knobs.interrupt = true; // a signal is pending
	}
	EXPECT_EQ(off.lend(4), -12);
	EXPECT_EQ(off.w.event_count(BALLAST_EV_HANG_WAIT), 1u); // uninterruptible: hangs
	EXPECT_EQ(on.lend(4), -12);
	EXPECT_EQ(on.w.event_count(BALLAST_EV_HANG_WAIT), 0u); // the signal ends the wait
}

TEST(Switches, HotplugAddrLimitCheck)
{
	world::Config wc = small_world();
	wc.addressable_pfn_limit = 1000;
	Harness on(wc, with(kBallast, &Switches::hotplug_addr_limit_check, true));
	Harness off(wc, with(kBallast, &Switches::hotplug_addr_limit_check, false));
	on.target(4096 + 300);
	off.target(4096 + 300);
	EXPECT_EQ(on.stats().total_pages, 4096u);
	EXPECT_EQ(off.stats().total_pages, 4608u);
}

TEST(Switches, UndoUnpopulatedAccounting)
{
	world::Config wc = small_world();
	wc.pv = true;
	Harness seed(wc, with(kBallast, &Switches::undo_unpopulated_accounting, false));
	Harness fixed(wc, with(kBallast, &Switches::undo_unpopulated_accounting, true));
	for (Harness *h : {&seed, &fixed}) {
		h->target(4096 - 100);
		h->w.hp_knobs.alloc_p2m_result = -12;
		EXPECT_EQ(h->lend(5), -12);
	}
	EXPECT_EQ(seed.stats().target_unpopulated, 4u); // raised by 5, lowered by the 1 it got
	EXPECT_EQ(fixed.stats().target_unpopulated, 0u);
}

TEST(Switches, NohotplugTargetKeepsUnpopulated)
{
	ballast_config bc = full_config();
	bc.memory_hotplug = 0;
	Harness seed(small_world(),
		     with(kBallast, &Switches::nohotplug_target_keeps_unpopulated, false), bc);
	Harness fixed(small_world(),
		      with(kBallast, &Switches::nohotplug_target_keeps_unpopulated, true), bc);
	for (Harness *h : {&seed, &fixed}) {
		ASSERT_EQ(h->lend(10), 0); // current 4086, target_unpopulated 10
		h->target(4096 + 100);	   // empty balloon, no hotplug: target reset
	}
	EXPECT_EQ(seed.stats().target_pages, 4086u);
	EXPECT_EQ(fixed.stats().target_pages, 4096u);
}

TEST(Switches, ClampIncreaseReply)
{
	Harness seed(small_world(), with(kBallast, &Switches::clamp_increase_reply, false));
	Harness fixed(small_world(), with(kBallast, &Switches::clamp_increase_reply, true));
	for (Harness *h : {&seed, &fixed}) {
		h->target(4096 - 100);
		h->w.hv_knobs.populate.lie_extra = 5; // claims 5 more extents than it did
		h->w.set_mem_available_override(0);   // so no decrease follows the overshoot
		h->target(4096 - 90);
	}
	// The seed believes 15 pages came back, 5 of them with stale frames.
	EXPECT_EQ(seed.stats().current_pages, 4006u + 5u);
	EXPECT_NE(seed.violations(), "");
	EXPECT_EQ(fixed.stats().current_pages, 4006u);
	EXPECT_EQ(fixed.w.event_count(BALLAST_EV_HOSTILE_REPLY), 1u);
	EXPECT_EQ(fixed.violations(), "");
}

TEST(Switches, ClampIncreaseReplyBugWhenTheBalloonRunsDry)
{
	Harness seed(small_world(), with(kBallast, &Switches::clamp_increase_reply, false));
	seed.target(4096 - 3);
	seed.w.hv_knobs.populate.lie_extra = 5;
	seed.target(4096);
	EXPECT_EQ(seed.w.event_count(BALLAST_EV_BUG_INCREASE_NO_PAGE), 1u);
	EXPECT_TRUE(seed.core.dead());
	seed.target(4000); // the crashed worker holds the mutex forever
	EXPECT_EQ(seed.w.event_count(BALLAST_EV_HANG_LOCK), 1u);
}

TEST(Switches, RollbackPartialDecrease)
{
	Harness seed(small_world(), with(kBallast, &Switches::rollback_partial_decrease, false));
	Harness fixed(small_world(), with(kBallast, &Switches::rollback_partial_decrease, true));
	for (Harness *h : {&seed, &fixed}) {
		h->w.hv_knobs.decrease.cap_extents = 40;
		h->target(4096 - 100);
	}
	EXPECT_EQ(seed.w.event_count(BALLAST_EV_BUG_DECREASE_MISMATCH), 1u);
	EXPECT_TRUE(seed.core.dead());
	EXPECT_FALSE(fixed.core.dead());
	EXPECT_EQ(fixed.w.event_count(BALLAST_EV_DECREASE_ROLLBACK), 1u);
	EXPECT_EQ(fixed.stats().current_pages, 4056u); // Xen took 40
	EXPECT_EQ(fixed.ballooned(), 40u);
	EXPECT_EQ(fixed.violations(), "");
	fixed.advance(2 + 4); // backoff, then the rest in steps of 40
	EXPECT_EQ(fixed.stats().current_pages, 3996u);
	EXPECT_EQ(fixed.violations(), "");
}

TEST(Switches, RollbackPartialDecreaseOnError)
{
	Harness fixed(small_world(), kBallast);
	fixed.w.hv_knobs.decrease.fail_next = 1;
	fixed.target(4096 - 100);
	EXPECT_EQ(fixed.stats().current_pages, 4096u);
	EXPECT_EQ(fixed.ballooned(), 0u);
	EXPECT_EQ(fixed.w.free_count(), 4096u); // every page back in the allocator
	EXPECT_EQ(fixed.violations(), "");
}

TEST(Switches, BackoffOnEmptyDecrease)
{
	Harness seed(small_world(), with(kBallast, &Switches::backoff_on_empty_decrease, false));
	Harness fixed(small_world(), with(kBallast, &Switches::backoff_on_empty_decrease, true));
	for (Harness *h : {&seed, &fixed}) {
		h->w.set_mem_available_override(0);
		h->target(4096 - 10);
	}
	EXPECT_EQ(seed.w.event_count(BALLAST_EV_HANG_SPIN), 1u); // decrease(0) forever
	EXPECT_EQ(fixed.w.event_count(BALLAST_EV_HANG_SPIN), 0u);
	EXPECT_TRUE(fixed.w.work_pending());
	EXPECT_EQ(fixed.stats().retry_count, 2u);
}

TEST(Switches, BackoffOnEmptyDecreaseNegativeMemAvailable)
{
	Harness seed(small_world(), with(kBallast, &Switches::backoff_on_empty_decrease, false));
	Harness fixed(small_world(), with(kBallast, &Switches::backoff_on_empty_decrease, true));
	for (Harness *h : {&seed, &fixed}) {
		h->w.set_mem_available_override(-5);
		h->target(4096 - 10);
	}
	// min(10, -5) = -5 becomes a 512-page batch through the unsigned conversion.
	EXPECT_EQ(seed.w.trace_at(0).nr_extents, 512u);
	EXPECT_EQ(fixed.w.trace_size(), 0u);
	EXPECT_EQ(fixed.stats().current_pages, 4096u);
}

TEST(Switches, SkipRegionBeyondMaxPfn)
{
	world::Config wc = small_world();
	wc.pv = true;
	wc.populated_frames = 4096;
	wc.n_regions = 1;
	wc.regions[0] = ballast_region{5000, 100}; // above max_pfn 4096
	Harness seed(wc, with(kBallast, &Switches::skip_region_beyond_max_pfn, false));
	Harness fixed(wc, with(kBallast, &Switches::skip_region_beyond_max_pfn, true));
	EXPECT_EQ(seed.stats().total_pages, 4096u - 904u); // 4096 + (4096 - 5000) wraps
	EXPECT_EQ(fixed.stats().total_pages, 4096u);
	EXPECT_EQ(fixed.w.event_count(BALLAST_EV_REGION_SKIPPED), 1u);
}

TEST(Switches, NewTargetPreemptsBackoff)
{
	Harness seed(small_world(), with(kBallast, &Switches::new_target_preempts_backoff, false));
	Harness fixed(small_world(), with(kBallast, &Switches::new_target_preempts_backoff, true));
	for (Harness *h : {&seed, &fixed}) {
		h->w.set_pressure(10);
		h->target(4096 - 100); // EAGAIN: work due in 2 s
		ASSERT_TRUE(h->w.work_pending());
		h->core.set_target(4096 - 20);
	}
	EXPECT_EQ(seed.w.work_due(), seed.w.jiffies() + 2 * world::HZ);
	EXPECT_EQ(fixed.w.work_due(), fixed.w.jiffies());
}

TEST(Switches, BoundedLendingWait)
{
	Harness seed(manual_online(), with(kBallast, &Switches::bounded_lending_wait, false));
	Harness fixed(manual_online(), with(kBallast, &Switches::bounded_lending_wait, true));
	for (Harness *h : {&seed, &fixed})
		h->core.set_hotplug_unpopulated(true);
	EXPECT_EQ(seed.lend(4), -12);
	EXPECT_EQ(seed.w.event_count(BALLAST_EV_HANG_WAIT), 1u);
	EXPECT_EQ(fixed.lend(4), 0); // nobody onlines: take the pages from the guest
	EXPECT_EQ(fixed.w.event_count(BALLAST_EV_HANG_WAIT), 0u);
	EXPECT_EQ(fixed.lent.size(), 4u);
	EXPECT_EQ(fixed.violations(), "");
}

TEST(Switches, ValidateInputs)
{
	// unsigned_lending_count off too, so the seed's int API is what is validated
	Switches base = with(kBallast, &Switches::unsigned_lending_count, false);
	Harness seed(small_world(), with(base, &Switches::validate_inputs, false));
	Harness fixed(small_world(), with(base, &Switches::validate_inputs, true));
	EXPECT_EQ(seed.core.set_target(1UL << 50), 0);
	EXPECT_EQ(fixed.core.set_target(1UL << 50), -22);
	EXPECT_EQ(fixed.stats().target_pages, 4096u);
	EXPECT_EQ(seed.core.set_max_schedule_delay(0), 0);
	EXPECT_EQ(fixed.core.set_max_schedule_delay(0), -22);
	EXPECT_EQ(fixed.stats().max_schedule_delay, 32u);
	EXPECT_EQ(fixed.core.set_max_schedule_delay(86401), -22);
	EXPECT_EQ(seed.lend(-1), 0);
	EXPECT_EQ(seed.stats().target_unpopulated, ~0UL); // wrapped
	EXPECT_EQ(fixed.lend(-1), -22);
	EXPECT_EQ(fixed.stats().target_unpopulated, 0u);
	EXPECT_GE(fixed.w.event_count(BALLAST_EV_REJECTED_INPUT), 3u);
}

} // namespace
} // namespace ballast_test

namespace ballast_test {
namespace {

TEST(Switches, UnsignedLendingCount)
{
	using ballast::Switches;
	const Switches seed = ballast::profile_linux_2019();
	Harness off(small_world(), with(seed, &Switches::unsigned_lending_count, false));
	Harness on(small_world(), with(seed, &Switches::unsigned_lending_count, true));
	EXPECT_EQ(off.lend(-3), 0);
	EXPECT_EQ(off.stats().target_unpopulated, (unsigned long)-3);
	EXPECT_EQ(on.lend(-3), -22);
	EXPECT_EQ(on.stats().target_unpopulated, 0u);
	EXPECT_EQ(on.w.event_count(BALLAST_EV_REJECTED_INPUT),
		  0u); // not a validation, the API type
}

TEST(UndefinedUpstream, PopulateReplyBeyondOneBatchStopsInsteadOfOverrunning)
{
	// Upstream reads frame_list[512+] here; the core reports and plays dead.
	Harness seed(small_world(), ballast::profile_linux_2019());
	seed.target(4096 - 1000);
	seed.w.hv_knobs.populate.lie_extra = 600;
	seed.target(4096);
	EXPECT_EQ(seed.w.event_count(BALLAST_EV_UB_FRAME_OVERRUN), 1u);
	EXPECT_TRUE(seed.core.dead());
	// ballast clamps and carries on.
	Harness b(small_world(), ballast::profile_ballast());
	b.target(4096 - 1000);
	b.w.hv_knobs.populate.lie_extra = 600;
	b.target(4096);
	EXPECT_EQ(b.w.event_count(BALLAST_EV_UB_FRAME_OVERRUN), 0u);
	EXPECT_FALSE(b.core.dead());
	EXPECT_EQ(b.stats().current_pages, 4096u);
}

} // namespace
} // namespace ballast_test

namespace ballast_test {
namespace {

TEST(Switches, LendingWaitsForLowmem)
{
	// PV guest whose boot-time extra region is all highmem: the balloon holds
	// only pages a driver cannot be lent.
	world::Config wc = small_world();
	wc.pv = true;
	wc.populated_frames = 2048;
	wc.highmem_start_pfn = 2048;
	wc.online_policy = world::OnlinePolicy::Sync;
	wc.max_waits_same_jiffy = 1000; // the world calls a wait loop without time passing a hang
	using ballast::Switches;
	Harness off(wc,
		    with(ballast::profile_ballast(), &Switches::lending_waits_for_lowmem, false));
	Harness on(wc, with(ballast::profile_ballast(), &Switches::lending_waits_for_lowmem, true));
	for (Harness *h : {&off, &on}) {
		ASSERT_EQ(h->stats().balloon_high, 2048u);
		h->core.set_hotplug_unpopulated(true);
	}
	off.lend(4);
	EXPECT_GT(off.w.hangs(), 0u); // retried until the world called it a livelock
	EXPECT_EQ(on.lend(4), 0);     // waited for lowmem, then took it from the guest
	EXPECT_EQ(on.w.hangs(), 0u);
	for (ballast_page *p : on.lent)
		EXPECT_EQ(p->highmem, 0);
	EXPECT_EQ(on.violations(), "");
}

// ---- the initial figures (tests/core/boot_types_test.cpp has every version)
// 3000 pages populated, [3000, 4000) an extra region.
world::Config extra_world(bool pv)
{
	world::Config wc = small_world();
	wc.pv = pv;
	wc.pvh = !pv;
	wc.total_frames = 4000;
	wc.populated_frames = 3000;
	return wc;
}

TEST(Switches, ExtraRegionsInEveryBuild)
{
	ballast_config bc = full_config();
	bc.xen_pv = 0; // a PVH kernel built without CONFIG_XEN_PV
	Harness off(extra_world(false),
		    with(kBallast, &Switches::extra_regions_in_every_build, false), bc);
	Harness on(extra_world(false),
		   with(kBallast, &Switches::extra_regions_in_every_build, true), bc);
	EXPECT_EQ(off.ballooned(), 0u);
	EXPECT_EQ(off.stats().current_pages, 4000u); // the region, counted, never ballooned
	EXPECT_EQ(on.ballooned(), 1000u);
	EXPECT_EQ(on.stats().current_pages, 3000u);
}

TEST(Switches, InitialPagesFromPhyspages)
{
	// With the rest of the 6.15-7.3 switches on, only where the figure comes
	// from changes: the memory map (less the regions) or 6.1's formula.
	Harness off(extra_world(false),
		    with(kBallast, &Switches::initial_pages_from_physpages, false));
	Harness on(extra_world(false),
		   with(kBallast, &Switches::initial_pages_from_physpages, true));
	EXPECT_EQ(off.stats().current_pages, 4000u); // get_num_physpages(), region and all
	EXPECT_EQ(off.stats().total_pages, 5000u);
	EXPECT_EQ(on.stats().current_pages, 3000u);
	EXPECT_EQ(on.stats().total_pages, 4000u);
}

TEST(Switches, ExtraRegionsLowerTarget)
{
	// ballast's own initial figures would set the target anyway: upstream's here.
	const Switches base = with(kBallast, &Switches::initial_figures_from_reservation, false);
	Harness off(extra_world(false), with(base, &Switches::extra_regions_lower_target, false));
	Harness on(extra_world(false), with(base, &Switches::extra_regions_lower_target, true));
	EXPECT_EQ(off.stats().target_pages, 4000u); // a credit of the whole region at boot
	EXPECT_EQ(on.stats().target_pages, 3000u);
	EXPECT_EQ(off.stats().current_pages, on.stats().current_pages);
}

TEST(Switches, PvInitialPagesFromStartInfo)
{
	world::Config wc = extra_world(true);
	wc.firmware_pages = 97; // pfn 0 and the ISA hole: populated, not RAM in the map
	Harness off(wc, with(kBallast, &Switches::pv_initial_pages_from_start_info, false));
	Harness on(wc, with(kBallast, &Switches::pv_initial_pages_from_start_info, true));
	EXPECT_EQ(off.stats().current_pages, 3000u - 97u);
	EXPECT_EQ(on.stats().current_pages, 3000u);
	EXPECT_EQ(on.violations(), "");
}

TEST(Switches, Dom0InitialPagesFromReservation)
{
	world::Config wc = extra_world(true);
	wc.initial_domain = true;
	Harness off(wc, with(kBallast, &Switches::dom0_initial_pages_from_reservation, false));
	Harness on(wc, with(kBallast, &Switches::dom0_initial_pages_from_reservation, true));
	EXPECT_EQ(off.w.trace_size(), 0u);
	ASSERT_EQ(on.w.trace_size(), 1u); // balloon_init asks Xen
	EXPECT_EQ(on.w.trace_at(0).cmd, unsigned(XENMEM_current_reservation));
	EXPECT_EQ(on.stats().current_pages, 3000u);
	// Where Xen's figure and start_info's differ (pages the domain holds
	// beyond the memory map it booted with), only the former is Xen's.
	world::Config big = wc;
	big.max_pfn = 2500;
	big.n_regions = 0;
	big.auto_extra_region = false;
	Harness off2(big, with(kBallast, &Switches::dom0_initial_pages_from_reservation, false));
	Harness on2(big, with(kBallast, &Switches::dom0_initial_pages_from_reservation, true));
	EXPECT_EQ(off2.stats().current_pages, 2500u); // min(nr_pages - released, max_pfn)
	EXPECT_EQ(on2.stats().current_pages, 3000u);
}

TEST(Switches, ExtraRegionsAddedWhenCountedOut)
{
	Harness off(extra_world(true),
		    with(kBallast, &Switches::extra_regions_added_when_counted_out, false));
	Harness on(extra_world(true),
		   with(kBallast, &Switches::extra_regions_added_when_counted_out, true));
	EXPECT_EQ(off.stats().current_pages, 2000u); // start_info's 3000, less the region
	EXPECT_EQ(on.stats().current_pages, 3000u);
	EXPECT_EQ(on.stats().total_pages, 4000u);
}

// A populate-on-demand guest: 4000 pages in the map, 2000 touched, a cache
// of 1000; Xen backs 3000.
world::Config pod_world()
{
	world::Config wc = small_world();
	wc.total_frames = 4000;
	wc.populated_frames = 2000;
	wc.kernel_frames = 100;
	wc.pod_cache = 1000;
	return wc;
}

TEST(Switches, InitialTargetFromReservation)
{
	Harness off(pod_world(),
		    with(kBallast, &Switches::initial_figures_from_reservation, false));
	Harness on(pod_world(), with(kBallast, &Switches::initial_figures_from_reservation, true));
	EXPECT_EQ(off.stats().target_pages, 4000u);
	EXPECT_FALSE(off.w.work_pending());
	EXPECT_EQ(on.stats().target_pages, 3000u);
	EXPECT_TRUE(on.w.work_pending()); // starts giving the uncovered entries back
	on.w.run_pending_now();
	EXPECT_EQ(on.stats().current_pages, 3000u);
	EXPECT_EQ(on.violations(), "");
}

TEST(Switches, BootWaitsForBalloon)
{
	Harness off(pod_world(), with(kSeed, &Switches::boot_waits_for_balloon, false));
	Harness on(pod_world(), with(kSeed, &Switches::boot_waits_for_balloon, true));
	for (Harness *h : {&off, &on})
		h->core.set_target(3000); // the toolstack's first target
	EXPECT_EQ(ballast::scenario::boot_wait(off.w, off.core), 0);
	EXPECT_EQ(off.stats().current_pages, 4000u); // userspace starts now
	EXPECT_EQ(ballast::scenario::boot_wait(on.w, on.core), 0);
	EXPECT_EQ(on.stats().current_pages, 3000u);
}

TEST(Switches, BoundedBootWait)
{
	// Nothing can be given back (every allocation fails): upstream cancels
	// ballooning and panics after 180 s; ballast retries, then boots on.
	Harness off(pod_world(), with(kBallast, &Switches::bounded_boot_wait, false));
	Harness on(pod_world(), with(kBallast, &Switches::bounded_boot_wait, true));
	for (Harness *h : {&off, &on})
		h->w.alloc_knobs.storm = true;
	EXPECT_EQ(ballast::scenario::boot_wait(off.w, off.core), ballast::kBootPanicked);
	EXPECT_EQ(off.w.event_count(BALLAST_EV_PANIC_BOOT_TIMEOUT), 1u);
	EXPECT_EQ(ballast::scenario::boot_wait(on.w, on.core), -ballast::kETIMEDOUT);
	EXPECT_EQ(on.w.event_count(BALLAST_EV_PANIC_BOOT_TIMEOUT), 0u);
	EXPECT_EQ(on.w.event_count(BALLAST_EV_BOOT_WAIT_ABANDONED), 1u);
	EXPECT_GT(on.w.work_runs(), off.w.work_runs()); // it kept trying
	EXPECT_GE(on.w.jiffies(), 180u * world::HZ);
}

} // namespace
} // namespace ballast_test

namespace ballast_test {
namespace {

TEST(Switches, SuperpageExtents)
{
	// A guest whose memory is whole 2 MiB blocks: 4 MiB out and back.
	world::Config wc = small_world();
	wc.superpage_order = 9;
	ballast_config bc = full_config();
	bc.superpage_order = 9;
	Harness seed(wc, with(kBallast, &Switches::superpage_extents, false), bc);
	Harness fixed(wc, with(kBallast, &Switches::superpage_extents, true), bc);
	for (Harness *h : {&seed, &fixed}) {
		h->target(4096 - 1024);
		h->target(4096);
		EXPECT_EQ(h->violations(), "");
		EXPECT_EQ(h->stats().current_pages, 4096u);
	}
	EXPECT_EQ(seed.core.counters().hypercalls_decrease, 2u); // 512 extents of 4 KiB each
	EXPECT_EQ(seed.core.counters().hypercalls_increase, 2u);
	EXPECT_EQ(seed.w.trace_last().order, 0u);
	EXPECT_EQ(fixed.core.counters().hypercalls_decrease, 1u); // 2 extents of 2 MiB
	EXPECT_EQ(fixed.core.counters().hypercalls_increase, 1u);
	EXPECT_EQ(fixed.w.trace_last().order, 9u);
	EXPECT_EQ(fixed.core.counters().extents_in_super, 2u);
}

// The worker waiting for memory it hotplugged, with nobody onlining it:
// upstream waits forever and says nothing; ballast re-checks once after
// kHotplugWaitSecs, then reports and stops waiting. Onlining later still
// runs it at once (the notifier re-arms the pending re-check to now).
TEST(Switches, BoundedHotplugWait)
{
	Harness off(manual_online(), with(kBallast, &Switches::bounded_hotplug_wait, false));
	Harness on(manual_online(), with(kBallast, &Switches::bounded_hotplug_wait, true));
	for (Harness *h : {&off, &on})
		h->target(4096 + 100);
	EXPECT_FALSE(off.w.work_pending()); // waits for the notifier, and nothing else
	EXPECT_TRUE(on.w.work_pending());
	EXPECT_EQ(on.w.work_due(), ballast::kHotplugWaitSecs * world::HZ);
	for (Harness *h : {&off, &on})
		h->advance(3600);
	EXPECT_EQ(off.w.work_runs(), 1u);
	EXPECT_EQ(on.w.work_runs(), 2u); // the re-check, then nothing more
	EXPECT_EQ(off.w.event_count(BALLAST_EV_HOTPLUG_NOT_ONLINED), 0u);
	EXPECT_EQ(on.w.event_count(BALLAST_EV_HOTPLUG_NOT_ONLINED), 1u);
	EXPECT_FALSE(on.w.work_pending());
	// Onlined after all: both use it.
	for (Harness *h : {&off, &on}) {
		h->w.online_pending();
		h->w.run_pending_now();
		EXPECT_EQ(h->stats().current_pages, 4096u + 100u);
		EXPECT_EQ(h->violations(), "");
	}
	// A re-check pending when the memory comes: it runs now, not in 30 s.
	Harness early(manual_online(), with(kBallast, &Switches::bounded_hotplug_wait, true));
	early.target(4096 + 100);
	early.w.online_pending();
	early.w.run_pending_now();
	EXPECT_EQ(early.stats().current_pages, 4096u + 100u);
	EXPECT_EQ(early.w.event_count(BALLAST_EV_HOTPLUG_NOT_ONLINED), 0u);
}

// A decrease reply above the request, with every extent really released:
// ballast clamps it, reports it, and the step is done (nothing was rolled
// back, so nothing is retried or backed off). Found by the backoff oracle:
// the run reached its target yet counted a retry.
TEST(Switches, RollbackPartialDecreaseOverReplyIsDone)
{
	Harness h(small_world(), kBallast);
	h.w.hv_knobs.decrease.lie_extra = 3;
	h.target(4096 - 10);
	EXPECT_EQ(h.stats().current_pages, 4096u - 10u);
	EXPECT_EQ(h.w.event_count(BALLAST_EV_HOSTILE_REPLY), 1u);
	EXPECT_EQ(h.stats().retry_count, 1u);
	EXPECT_EQ(h.stats().schedule_delay, 1u);
	EXPECT_FALSE(h.w.work_pending());
	EXPECT_EQ(h.violations(), "");
}

} // namespace
} // namespace ballast_test
