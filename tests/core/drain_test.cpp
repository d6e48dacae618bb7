// Module unload: drain() gives every ballooned page back to the guest --
// lowmem and highmem alike, on guests with and without highmem -- refuses new
// targets from then on, leaves the target at what the guest has, and stops
// when the hypervisor refuses, saying how many pages are left.
#include "harness.h"

namespace ballast_test {
namespace {

TEST(Drain, GivesEveryPageBackOnAGuestWithoutHighmem)
{
	Harness h;
	h.target(4096 - 100);
	ASSERT_EQ(h.stats().balloon_low, 100u);
	ASSERT_EQ(h.stats().balloon_high, 0u);
	EXPECT_EQ(h.core.drain(), 0u);
	EXPECT_EQ(h.stats().current_pages, 4096u);
	EXPECT_EQ(h.stats().target_pages, 4096u);
	EXPECT_EQ(h.ballooned(), 0u);
	EXPECT_EQ(h.violations(), "");
}

TEST(Drain, GivesEveryPageBackOnAGuestWithHighmem)
{
	world::Config wc = small_world();
	wc.highmem_start_pfn = 2048;
	Harness h(wc);
	h.target(4096 - 3000); // takes highmem first, then lowmem
	ASSERT_GT(h.stats().balloon_high, 0u);
	ASSERT_GT(h.stats().balloon_low, 0u);
	EXPECT_EQ(h.core.drain(), 0u);
	EXPECT_EQ(h.stats().current_pages, 4096u);
	EXPECT_EQ(h.ballooned(), 0u);
	EXPECT_EQ(h.violations(), "");
}

TEST(Drain, RefusesNewTargets)
{
	Harness h;
	h.target(4000);
	h.core.drain();
	EXPECT_EQ(h.core.set_target(3000), -22);
	EXPECT_EQ(h.stats().target_pages, 4096u);
	h.w.run_pending_now();
	EXPECT_EQ(h.stats().current_pages, 4096u);
}

TEST(Drain, StopsWhenTheHypervisorRefuses)
{
	Harness h;
	h.target(4096 - 50);
	h.w.hv_knobs.populate.fail_next = 1000;
	EXPECT_EQ(h.core.drain(), 50u);
	EXPECT_EQ(h.stats().current_pages, 4096u - 50u);
	EXPECT_EQ(h.stats().target_pages, 4096u - 50u); // what the guest has
	EXPECT_EQ(h.violations(), "");
}

} // namespace
} // namespace ballast_test
