// Behaviour groups a (statistics and their initial values) and h (PV extra
// regions at init, initial current_pages).
#include "harness.h"

namespace ballast_test {
namespace {

TEST(StatsInit, HvmGuestStartsBalancedWithUpstreamDefaults)
{
	Harness h;
	ASSERT_EQ(h.init_rc, 0);
	const ballast_stats &s = h.stats();
	EXPECT_EQ(s.current_pages, 4096u); // get_num_physpages()
	EXPECT_EQ(s.target_pages, 4096u);
	EXPECT_EQ(s.total_pages, 4096u);
	EXPECT_EQ(s.target_unpopulated, 0u);
	EXPECT_EQ(s.balloon_low, 0u);
	EXPECT_EQ(s.balloon_high, 0u);
	EXPECT_EQ(s.schedule_delay, 1u);
	EXPECT_EQ(s.max_schedule_delay, 32u);
	EXPECT_EQ(s.retry_count, 1u);
	EXPECT_EQ(s.max_retry_count, 4u);
	EXPECT_EQ(h.violations(), "");
}

TEST(StatsInit, NotXenDomainRefuses)
{
	world::Config wc = small_world();
	wc.xen_domain = false;
	Harness h(wc);
	EXPECT_EQ(h.init_rc, -19); // -ENODEV
}

world::Config pv_world(unsigned long populated, unsigned long total)
{
	world::Config wc = small_world();
	wc.pv = true;
	wc.total_frames = total;
	wc.populated_frames = populated;
	return wc;
}

TEST(BootRegions, PvExtraRegionStartsInTheBalloon)
{
	Harness h(pv_world(3072, 4096));
	ASSERT_EQ(h.init_rc, 0);
	const ballast_stats &s = h.stats();
	EXPECT_EQ(s.current_pages, 3072u); // xen_start_info->nr_pages - released
	EXPECT_EQ(s.target_pages, 3072u);
	EXPECT_EQ(s.balloon_low, 1024u); // [3072, 4096) ballooned at boot
	EXPECT_EQ(s.balloon_high, 0u);
	EXPECT_EQ(s.total_pages, 4096u);
	EXPECT_EQ(h.list_pfns().size(), 1024u);
	EXPECT_EQ(h.violations(), "");
	// Boot-ballooned pages can be populated: raise the target into them.
	h.target(3072 + 600);
	EXPECT_EQ(h.stats().current_pages, 3672u);
	EXPECT_EQ(h.w.tot_pages(), 3672u);
	EXPECT_EQ(h.violations(), "");
}

TEST(BootRegions, ReleasedPagesAreSubtracted)
{
	world::Config wc = pv_world(3072, 4096);
	wc.released_pages = 100; // nr_pages in start_info includes them
	Harness h(wc);
	EXPECT_EQ(h.stats().current_pages, 3072u);
}

TEST(BootRegions, RegionIsClippedAtMaxPfn)
{
	world::Config wc = pv_world(3072, 4096);
	wc.max_pfn = 3500; // mem= limit
	Harness h(wc);
	EXPECT_EQ(h.stats().current_pages, 3072u); // min(nr_pages, max_pfn)
	EXPECT_EQ(h.stats().balloon_low, 428u);	   // [3072, 3500)
	EXPECT_EQ(h.stats().total_pages, 3500u);
}

TEST(BootRegions, CurrentPagesCappedByMaxPfn)
{
	world::Config wc = pv_world(3072, 4096);
	wc.max_pfn = 2000;
	wc.n_regions = 0;
	wc.auto_extra_region = false;
	Harness h(wc);
	EXPECT_EQ(h.stats().current_pages, 2000u);
}

TEST(BootRegions, WithoutConfigXenPv)
{
	// Until 6.9 a kernel without CONFIG_XEN_PV counts get_num_physpages()
	// (the memory map's RAM, which counts the extra region) and ignores the
	// region; since, the region goes to the balloon in every build and comes
	// off a figure that counts it (6.15).
	ballast_config bc = full_config();
	bc.xen_pv = 0;
	struct {
		ballast::Switches sw;
		unsigned long current, target, ballooned, total;
	} const want[] = {
		{ballast::profile_linux_2019(), 4096, 4096, 0, 4096},
		{ballast::profile_linux_6_12(), 3072, 3072, 1024, 4096},
	};
	for (const auto &w : want) {
		Harness h(pv_world(3072, 4096), w.sw, bc);
		EXPECT_EQ(h.stats().current_pages, w.current);
		EXPECT_EQ(h.stats().target_pages, w.target);
		EXPECT_EQ(h.stats().balloon_low, w.ballooned);
		EXPECT_EQ(h.stats().total_pages, w.total);
	}
}

TEST(BootRegions, SeveralRegions)
{
	world::Config wc = pv_world(2048, 4096);
	wc.n_regions = 2;
	wc.regions[0] = ballast_region{2048, 100};
	wc.regions[1] = ballast_region{3000, 50};
	Harness h(wc);
	EXPECT_EQ(h.stats().balloon_low, 150u);
	EXPECT_EQ(h.stats().total_pages, 2048u + 150u);
}

} // namespace
} // namespace ballast_test
