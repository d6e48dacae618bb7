// Behaviour groups d (the process loop) and e (increase and decrease in
// batches of 512 frames, partial hypervisor results, allocation failures).
#include "harness.h"

namespace ballast_test {
namespace {

unsigned count_calls(const world::World &w, unsigned cmd)
{
	unsigned n = 0;
	for (unsigned i = 0; i < w.trace_size(); i++)
		n += w.trace_at(i).cmd == cmd;
	return n;
}

TEST(ProcessLoop, NegativeCreditDecreases)
{
	Harness h;
	h.target(4096 - 100);
	EXPECT_EQ(h.stats().current_pages, 3996u);
	EXPECT_EQ(h.w.tot_pages(), 3996u);
	EXPECT_EQ(h.ballooned(), 100u);
	ASSERT_EQ(h.w.trace_size(), 1u);
	EXPECT_EQ(h.w.trace_at(0).cmd, (unsigned)XENMEM_decrease_reservation);
	EXPECT_EQ(h.w.trace_at(0).nr_extents, 100u);
	EXPECT_FALSE(h.w.work_pending());
	EXPECT_EQ(h.violations(), "");
}

TEST(ProcessLoop, PositiveCreditWithInflatedBalloonIncreases)
{
	Harness h;
	h.target(4096 - 100);
	h.target(4096 - 30);
	EXPECT_EQ(h.stats().current_pages, 4066u);
	EXPECT_EQ(h.ballooned(), 30u);
	EXPECT_EQ(h.w.trace_last().cmd, (unsigned)XENMEM_populate_physmap);
	EXPECT_EQ(h.w.trace_last().nr_extents, 70u);
	EXPECT_EQ(h.violations(), "");
}

TEST(ProcessLoop, ZeroCreditDoesNothing)
{
	Harness h;
	h.target(4096);
	EXPECT_EQ(h.w.trace_size(), 0u);
	EXPECT_EQ(h.w.work_runs(), 1u);
}

TEST(ProcessLoop, DecreaseLimitedByMemAvailableLoops)
{
	Harness h;
	h.w.set_mem_available_override(50);
	h.target(4096 - 120);
	// min(-credit, 50) per pass; totalreserve 0 keeps the state DONE: 50, 50, 20.
	EXPECT_EQ(h.stats().current_pages, 3976u);
	EXPECT_EQ(count_calls(h.w, XENMEM_decrease_reservation), 3u);
	EXPECT_FALSE(h.w.work_pending());
}

TEST(ProcessLoop, BelowTotalreserveBacksOff)
{
	Harness h;
	h.w.set_mem_available_override(50);
	h.w.set_totalreserve_pages(60);
	h.target(4096 - 120);
	// 50 < totalreserve_pages: EAGAIN after the first pass.
	EXPECT_EQ(h.stats().current_pages, 4046u);
	EXPECT_EQ(count_calls(h.w, XENMEM_decrease_reservation), 1u);
	EXPECT_TRUE(h.w.work_pending());
	EXPECT_EQ(h.stats().retry_count, 2u);
	h.advance(2);
	EXPECT_EQ(h.stats().current_pages, 3996u);
}

TEST(ProcessLoop, PositiveCreditWithEmptyBalloonReservesHotplug)
{
	Harness h;
	h.target(4096 + 300);
	// 300 rounded up to sections of 256: 512 pages hotplugged, not online yet.
	EXPECT_EQ(h.stats().total_pages, 4096u + 512u);
	EXPECT_EQ(h.stats().current_pages, 4096u);
	// BP_WAIT: upstream does not reschedule; ballast re-checks once after
	// kHotplugWaitSecs (bounded_hotplug_wait, tests/core/switches_test.cpp).
	EXPECT_TRUE(h.w.work_pending());
	EXPECT_EQ(h.w.work_due(), ballast::kHotplugWaitSecs * world::HZ);
	EXPECT_EQ(h.violations(), "");
	Harness seed(small_world(), ballast::profile_linux_2019());
	seed.target(4096 + 300);
	EXPECT_EQ(seed.stats().total_pages, 4096u + 512u);
	EXPECT_FALSE(seed.w.work_pending());
}

TEST(ProcessLoop, ReschedulesAfterDelayOnEagain)
{
	Harness h;
	h.w.set_pressure(30); // only 30 frames can be allocated
	h.target(4096 - 100);
	EXPECT_EQ(h.stats().current_pages, 4066u);
	ASSERT_TRUE(h.w.work_pending());
	EXPECT_EQ(h.w.work_due() - h.w.jiffies(), 2 * world::HZ);
	EXPECT_EQ(h.violations(), "");
}

TEST(Batches, DecreaseInBatchesOf512)
{
	Harness h;
	h.target(4096 - 1300);
	EXPECT_EQ(h.stats().current_pages, 2796u);
	ASSERT_EQ(h.w.trace_size(), 3u);
	EXPECT_EQ(h.w.trace_at(0).nr_extents, 512u);
	EXPECT_EQ(h.w.trace_at(1).nr_extents, 512u);
	EXPECT_EQ(h.w.trace_at(2).nr_extents, 276u);
	EXPECT_EQ(h.w.work_runs(), 1u); // one run of the worker loops over all three
	EXPECT_EQ(h.violations(), "");
}

TEST(Batches, IncreaseInBatchesOf512)
{
	Harness h;
	h.target(4096 - 1300);
	h.w.clear_trace();
	h.target(4096);
	ASSERT_EQ(h.w.trace_size(), 3u);
	EXPECT_EQ(h.w.trace_at(0).nr_extents, 512u);
	EXPECT_EQ(h.w.trace_at(2).nr_extents, 276u);
	EXPECT_EQ(h.stats().current_pages, 4096u);
	EXPECT_EQ(h.ballooned(), 0u);
	EXPECT_EQ(h.violations(), "");
}

TEST(Batches, PartialIncreaseProgressesInOneRun)
{
	Harness h;
	h.target(4096 - 1000);
	h.w.clear_trace();
	h.w.hv_knobs.populate.cap_extents = 100;
	h.target(4096);
	EXPECT_EQ(h.stats().current_pages, 4096u);
	EXPECT_EQ(h.w.trace_size(), 10u);
	EXPECT_EQ(h.w.trace_at(0).nr_extents, 512u);
	EXPECT_EQ(h.w.trace_at(0).result, 100);
	EXPECT_EQ(h.violations(), "");
}

TEST(Batches, IncreaseStopsAtMaxPages)
{
	world::Config wc = small_world();
	wc.max_pages = 4096;
	Harness h(wc);
	h.target(4096 - 100);
	h.w.set_max_pages(4046); // the toolstack lowered the limit
	h.target(4096);
	EXPECT_EQ(h.stats().current_pages, 4046u);
	EXPECT_EQ(h.ballooned(), 50u);
	EXPECT_TRUE(h.w.work_pending()); // Xen refuses the rest: back off
	EXPECT_EQ(h.violations(), "");
}

TEST(Batches, AllocationFailureStopsTheBatch)
{
	Harness h;
	h.w.alloc_knobs.fail_next = 1;
	h.target(4096 - 10);
	EXPECT_EQ(h.stats().current_pages, 4096u); // first allocation failed: nothing out
	EXPECT_TRUE(h.w.work_pending());
	h.advance(2);
	EXPECT_EQ(h.stats().current_pages, 4086u);
	EXPECT_EQ(h.violations(), "");
}

} // namespace
} // namespace ballast_test
