// Behaviour group f: hotplug of extra memory. reserve_additional_memory
// (section rounding, resource failure, the address-limit check, PV p2m
// invalidation, dropping the lock around adding memory, total_pages), the
// online-page callback and the memory-online notifier; the variant built
// without hotplug.
#include "harness.h"

namespace ballast_test {
namespace {

TEST(Hotplug, OnlineFillsTheBalloonAndTheNotifierRunsTheWorker)
{
	Harness h;
	h.target(4096 + 300);
	ASSERT_EQ(h.stats().total_pages, 4608u);
	EXPECT_EQ(h.ballooned(), 0u);
	EXPECT_EQ(h.w.online_pending(), 512u);
	EXPECT_EQ(h.ballooned(), 512u);	 // online callback: into the balloon
	EXPECT_TRUE(h.w.work_pending()); // MEM_ONLINE notifier scheduled the worker
	h.w.run_pending_now();
	EXPECT_EQ(h.stats().current_pages, 4396u);
	EXPECT_EQ(h.w.tot_pages(), 4396u);
	EXPECT_EQ(h.ballooned(), 212u);
	for (unsigned long pfn : h.list_pfns())
		EXPECT_EQ(h.w.frame(pfn)->offline, 1);
	EXPECT_EQ(h.violations(), "");
}

TEST(Hotplug, AlreadyHotpluggedEnoughWaits)
{
	Harness h;
	h.target(4096 + 300);
	h.w.clear_trace();
	size_t ranges = h.w.hotplug_ranges().size();
	h.target(4096 + 400); // 400 <= 512 already added: BP_WAIT, nothing new
	EXPECT_EQ(h.w.hotplug_ranges().size(), ranges);
	EXPECT_EQ(h.stats().total_pages, 4608u);
}

TEST(Hotplug, SectionRounding)
{
	world::Config wc = small_world();
	wc.pages_per_section = 1024;
	Harness h(wc);
	h.target(4096 + 1);
	EXPECT_EQ(h.stats().total_pages, 4096u + 1024u);
	ASSERT_EQ(h.w.hotplug_ranges().size(), 1u);
	EXPECT_EQ(h.w.hotplug_ranges()[0].start_pfn % 1024, 0u); // section-aligned
}

TEST(Hotplug, ResourceFailureCancels)
{
	Harness h;
	h.w.hp_knobs.allocate_resource_result = -16;
	h.target(4096 + 300);
	EXPECT_EQ(h.stats().total_pages, 4096u);
	EXPECT_FALSE(h.w.work_pending()); // BP_ECANCELED: no retry
	EXPECT_EQ(h.stats().retry_count, 1u);
	EXPECT_EQ(h.violations(), "");
}

TEST(Hotplug, AddMemoryFailureReleasesTheResource)
{
	Harness h;
	h.w.hp_knobs.add_memory_result = -12;
	h.target(4096 + 300);
	EXPECT_EQ(h.stats().total_pages, 4096u);
	ASSERT_EQ(h.w.hotplug_ranges().size(), 1u);
	EXPECT_EQ(h.w.hotplug_ranges()[0].state, world::HotplugRange::Released);
	EXPECT_EQ(h.violations(), "");
}

TEST(Hotplug, AddressLimitCheck)
{
	world::Config wc = small_world();
	wc.addressable_pfn_limit = 1000; // the new range would start at pfn 4096
	Harness h(wc);
	h.target(4096 + 300);
	EXPECT_EQ(h.stats().total_pages, 4096u);
	ASSERT_EQ(h.w.hotplug_ranges().size(), 1u);
	EXPECT_EQ(h.w.hotplug_ranges()[0].state, world::HotplugRange::Released);
	// Without CONFIG_SPARSEMEM there is no check.
	ballast_config bc = full_config();
	bc.sparsemem = 0;
	Harness h2(wc, ballast::profile_ballast(), bc);
	h2.target(4096 + 300);
	EXPECT_EQ(h2.stats().total_pages, 4608u);
}

TEST(Hotplug, PvInvalidatesP2mAndFailureCancels)
{
	world::Config wc = small_world();
	wc.pv = true;
	Harness h(wc);
	h.target(4096 + 300);
	EXPECT_EQ(h.stats().total_pages, 4608u);
	for (unsigned long pfn = 4096; pfn < 4608; pfn++)
		EXPECT_EQ(h.w.get_p2m(pfn), world::INVALID_MFN);

	Harness f(wc);
	f.w.hp_knobs.set_p2m_fail_after = 3;
	f.target(4096 + 300);
	EXPECT_EQ(f.stats().total_pages, 4096u);
	EXPECT_EQ(f.w.hotplug_ranges()[0].state, world::HotplugRange::Released);
	EXPECT_EQ(f.violations(), "");
}

TEST(Hotplug, LockIsDroppedAroundAddMemory)
{
	// Auto-onlining calls the online callback from inside add_memory_resource;
	// it takes the balloon lock, so the core must not hold it there.
	world::Config wc = small_world();
	wc.online_policy = world::OnlinePolicy::Sync;
	Harness h(wc);
	h.target(4096 + 300);
	EXPECT_EQ(h.ballooned(), 512u - 300u); // onlined, and the notifier's run used 300
	EXPECT_EQ(h.stats().current_pages, 4396u);
	EXPECT_TRUE(h.w.faults().empty());
	EXPECT_EQ(h.violations(), "");
}

TEST(Hotplug, WithoutHotplugTargetResetsToCurrent)
{
	ballast_config bc = full_config();
	bc.memory_hotplug = 0;
	Harness h(small_world(), ballast::profile_ballast(), bc);
	h.target(4096 + 300);
	EXPECT_EQ(h.stats().target_pages, 4096u); // reserve_additional_memory gave up
	EXPECT_EQ(h.stats().total_pages, 4096u);
	EXPECT_TRUE(h.w.hotplug_ranges().empty());
	EXPECT_FALSE(h.w.work_pending());
}

TEST(Hotplug, OnlineCallbackWithOrder)
{
	Harness h;
	h.target(4096 + 300);
	// Online one order-2 block by hand: four pages appended.
	ballast_page *p = h.w.frame(h.w.hotplug_ranges()[0].start_pfn);
	h.core.online_page(p, 2);
	EXPECT_EQ(h.ballooned(), 4u);
	// ballast's bounded wait for this memory is pending (bounded_hotplug_wait).
	EXPECT_EQ(h.w.work_due(), ballast::kHotplugWaitSecs * world::HZ);
	EXPECT_EQ(h.core.memory_notify(0), 0); // not MEM_ONLINE: nothing scheduled
	EXPECT_EQ(h.w.work_due(), ballast::kHotplugWaitSecs * world::HZ);
	EXPECT_EQ(h.core.memory_notify(BALLAST_MEM_ONLINE), 0); // re-armed to now
	EXPECT_TRUE(h.w.work_pending());
	EXPECT_EQ(h.w.work_due(), 0u);
}

} // namespace
} // namespace ballast_test
