// Behaviour group b: the ballooned list. Lowmem at the head, highmem at the
// tail; retrieval from the head, with and without require_lowmem.
#include "harness.h"

namespace ballast_test {
namespace {

world::Config highmem_world()
{
	world::Config wc = small_world();
	wc.highmem_start_pfn = 4000; // 96 highmem frames
	return wc;
}

TEST(BalloonList, LowmemAtHeadHighmemAtTail)
{
	Harness h(highmem_world());
	h.target(4096 - 200); // GFP_HIGHUSER takes all 96 highmem frames, then 104 lowmem
	EXPECT_EQ(h.stats().balloon_high, 96u);
	EXPECT_EQ(h.stats().balloon_low, 104u);
	std::vector<unsigned long> pfns = h.list_pfns();
	ASSERT_EQ(pfns.size(), 200u);
	for (size_t i = 0; i < pfns.size(); i++)
		EXPECT_EQ(pfns[i] >= 4000, i >= 104) << "position " << i << " pfn " << pfns[i];
	EXPECT_EQ(h.violations(), "");
}

TEST(BalloonList, IncreaseHandsBackLowmemFirst)
{
	Harness h(highmem_world());
	h.target(4096 - 200);
	std::vector<unsigned long> before = h.list_pfns();
	h.target(4096 - 150);
	EXPECT_EQ(h.stats().balloon_low, 54u);
	EXPECT_EQ(h.stats().balloon_high, 96u);
	std::vector<unsigned long> after = h.list_pfns();
	// The 50 pages handed back are exactly the first 50 of the list.
	EXPECT_EQ(std::vector<unsigned long>(before.begin() + 50, before.end()), after);
	EXPECT_EQ(h.violations(), "");
}

TEST(BalloonList, LendingRequiresLowmem)
{
	Harness h(highmem_world());
	h.target(4096 - 50); // only highmem in the balloon
	ASSERT_EQ(h.stats().balloon_low, 0u);
	ASSERT_EQ(h.stats().balloon_high, 50u);
	ASSERT_EQ(h.lend(3), 0);
	ASSERT_EQ(h.lent.size(), 3u);
	for (ballast_page *p : h.lent)
		EXPECT_EQ(p->highmem, 0) << p->pfn; // never a highmem page to a driver
	EXPECT_EQ(h.stats().balloon_high, 50u);
	EXPECT_EQ(h.stats().target_unpopulated, 3u);
	EXPECT_EQ(h.violations(), "");
}

TEST(BalloonList, LendingTakesFromHead)
{
	Harness h;
	h.target(4096 - 20);
	std::vector<unsigned long> before = h.list_pfns();
	ASSERT_EQ(h.lend(5), 0);
	for (size_t i = 0; i < 5; i++)
		EXPECT_EQ(h.lent[i]->pfn, before[i]);
	EXPECT_EQ(h.stats().balloon_low, 15u);
	// Given back pages go to the head again.
	h.give_back(5);
	std::vector<unsigned long> again = h.list_pfns();
	EXPECT_EQ(again.size(), 20u);
	EXPECT_EQ(h.violations(), "");
}

TEST(BalloonList, PagesInTheBalloonAreOffline)
{
	Harness h;
	h.target(4096 - 8);
	for (unsigned long pfn : h.list_pfns())
		EXPECT_EQ(h.w.frame(pfn)->offline, 1) << pfn;
	h.target(4096);
	for (unsigned long pfn = 0; pfn < 4096; pfn++)
		ASSERT_EQ(h.w.frame(pfn)->offline, 0) << pfn;
}

} // namespace
} // namespace ballast_test
