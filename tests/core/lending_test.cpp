// Behaviour group g: set_new_target; lending pages to other drivers
// (alloc/free_xenballooned_pages) with target_unpopulated accounting,
// hotplug_unpopulated and the wait for pages, the undo path, p2m entries.
#include "harness.h"

namespace ballast_test {
namespace {

TEST(SetTarget, StoresAndKicksTheWorker)
{
	Harness h;
	EXPECT_EQ(h.core.set_target(4000), 0);
	EXPECT_EQ(h.stats().target_pages, 4000u);
	EXPECT_TRUE(h.w.work_pending());
	EXPECT_EQ(h.w.work_due(), h.w.jiffies()); // delay 0
	h.w.run_pending_now();
	EXPECT_EQ(h.stats().current_pages, 4000u);
}

TEST(Lending, FromTheBalloonAndBack)
{
	Harness h;
	h.target(4096 - 100);
	ASSERT_EQ(h.lend(10), 0);
	EXPECT_EQ(h.stats().target_unpopulated, 10u);
	EXPECT_EQ(h.ballooned(), 90u);
	EXPECT_EQ(h.w.tot_pages(), 3996u); // lent pages stay unpopulated
	for (ballast_page *p : h.lent)
		EXPECT_EQ(p->offline, 0);
	EXPECT_EQ(h.violations(), "");
	h.give_back(10);
	EXPECT_EQ(h.stats().target_unpopulated, 0u);
	EXPECT_EQ(h.ballooned(), 100u);
	EXPECT_FALSE(h.w.work_pending()); // credit 0: nothing to do
	EXPECT_EQ(h.violations(), "");
}

TEST(Lending, EmptyBalloonTakesPagesFromTheGuest)
{
	Harness h;
	ASSERT_EQ(h.lend(10), 0);
	EXPECT_EQ(h.stats().target_unpopulated, 10u);
	EXPECT_EQ(h.stats().current_pages, 4086u);
	EXPECT_EQ(h.w.tot_pages(), 4086u);
	EXPECT_EQ(h.ballooned(), 0u);
	EXPECT_EQ(h.w.trace_last().cmd, (unsigned)XENMEM_decrease_reservation);
	EXPECT_EQ(h.violations(), "");
}

TEST(Lending, NotEnoughMemoryFails)
{
	Harness h;
	h.w.set_mem_available_override(5);
	EXPECT_EQ(h.lend(10), -12);
	EXPECT_EQ(h.stats().target_unpopulated, 0u); // undone
	EXPECT_EQ(h.violations(), "");
}

TEST(Lending, GivingBackWithCreditKicksTheWorker)
{
	Harness h;
	h.target(4096 - 100);
	ASSERT_EQ(h.lend(10), 0);
	ASSERT_EQ(h.core.set_target(4096 - 200), 0);
	h.w.cancel_work();
	h.give_back(10);
	EXPECT_TRUE(h.w.work_pending());
}

TEST(Lending, P2mEntryFailureUndoes)
{
	world::Config wc = small_world();
	wc.pv = true;
	Harness h(wc);
	h.target(4096 - 100);
	h.w.hp_knobs.alloc_p2m_result = -12;
	EXPECT_EQ(h.lend(5), -12);
	EXPECT_TRUE(h.lent.empty());
	EXPECT_EQ(h.ballooned(), 100u); // the page it got went back
	EXPECT_EQ(h.stats().target_unpopulated, 0u);
	EXPECT_EQ(h.violations(), "");
}

TEST(Lending, HotplugUnpopulatedUsesHotpluggedMemory)
{
	world::Config wc = small_world();
	wc.online_policy = world::OnlinePolicy::Sync;
	Harness h(wc);
	h.core.set_hotplug_unpopulated(true);
	ASSERT_EQ(h.lend(10), 0);
	EXPECT_EQ(h.stats().current_pages, 4096u); // nothing taken from the guest
	EXPECT_EQ(h.w.tot_pages(), 4096u);
	EXPECT_GE(h.lent[0]->pfn, 4096u); // a hotplugged frame
	EXPECT_EQ(h.stats().target_unpopulated, 10u);
	EXPECT_EQ(h.violations(), "");
}

TEST(Lending, HotplugUnpopulatedIgnoredWithoutHotplug)
{
	ballast_config bc = full_config();
	bc.memory_hotplug = 0;
	Harness h(small_world(), ballast::profile_ballast(), bc);
	h.core.set_hotplug_unpopulated(true);
	EXPECT_FALSE(h.core.hotplug_unpopulated());
	ASSERT_EQ(h.lend(4), 0);
	EXPECT_EQ(h.stats().current_pages, 4092u);
}

TEST(Lending, ZeroPagesIsANoOp)
{
	Harness h;
	EXPECT_EQ(h.lend(0), 0);
	EXPECT_EQ(h.stats().target_unpopulated, 0u);
	EXPECT_EQ(h.w.trace_size(), 0u);
}

} // namespace
} // namespace ballast_test
