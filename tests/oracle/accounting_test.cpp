// SPDX-License-Identifier: GPL-2.0 OR MIT
// The accounting oracle (oracle/accounting.h): the wrong end states upstream
// profiles reach are named slips, the ballast profile reaches none of them,
// and a core that writes a wrong target or wraps a counter is a violation.
#include "run.h"

namespace oracle_test {
namespace {

using Core = ballast::Balloon<world::Env>;

// Lending without hotplug, then the toolstack's target: the seed's give-up
// sets the target to current_pages, 5 pages too low.
const char *kLentWithoutHotplug = "world frames=256 populated=256 hotplug=0\n"
				  "lend 5\n"
				  "target 256\n"
				  "run\n";
// An extra region starting above max_pfn: the seed's total_pages wraps.
const char *kRegionBeyondMaxPfn = "world frames=256 populated=128 max_pfn=200 pv=1 auto_region=0 "
				  "region=210+20\n"
				  "run\n";
// A negative lending count: the seed's target_unpopulated wraps to 2^64-1.
const char *kNegativeLend = "world frames=256 populated=256\n"
			    "lend -1\n";

TEST(AccountingOracle, SeedSlipsAreNamed)
{
	struct {
		const char *text, *slip;
	} cases[] = {
		{kLentWithoutHotplug, "nohotplug_target_forgets_lent"},
		{kRegionBeyondMaxPfn, "region_wraps_total"},
		{kNegativeLend, "negative_lending_count"},
	};
	for (const auto &c : cases) {
		Scn<> seed(std::string("# profile: linux-2019\n") + c.text);
		EXPECT_EQ(seed.r.outcome, Outcome::Tolerated) << seed.why();
		EXPECT_TRUE(seed.r.completed) << seed.why();
		EXPECT_NE(slip_names(seed.r).find(c.slip), std::string::npos) << seed.why();
		Scn<> ballast(c.text);
		EXPECT_EQ(ballast.r.outcome, Outcome::Ok) << ballast.why();
		EXPECT_EQ(slip_names(ballast.r), "") << ballast.why();
	}
}

// The seed's end states the issue listed: each is now told, with its value.
TEST(AccountingOracle, SeedEndStatesAreTheOnesDescribed)
{
	Scn<> lent("# profile: linux-2019\n" + std::string(kLentWithoutHotplug));
	EXPECT_EQ(lent.h.balloon().stats().target_pages, 251u); // 5 pages too low
	Scn<> region("# profile: linux-2019\n" + std::string(kRegionBeyondMaxPfn));
	EXPECT_LT(region.h.balloon().stats().total_pages, 128u); // below current_pages
	Scn<> neg("# profile: linux-2019\n" + std::string(kNegativeLend));
	EXPECT_EQ(neg.h.balloon().stats().target_unpopulated, ~0UL); // wrapped
}

// A failed lending call in the seed leaves target_unpopulated raised.
TEST(AccountingOracle, FailedLendIsNamedInTheSeedOnly)
{
	const std::string text = "world frames=256 populated=256\n"
				 "alloc mask 2\n"
				 "alloc fail 1\n"
				 "lend 8\n";
	Scn<> seed("# profile: linux-2019\n" + text);
	EXPECT_EQ(slip_names(seed.r), "unpopulated_not_undone") << seed.why();
	Scn<> fixed("# profile: linux-6.1\n" + text);
	EXPECT_EQ(fixed.r.outcome, Outcome::Ok) << fixed.why();
}

// Planted: a core that lowers its own target by 5 pages once it reached it.
TEST(AccountingOracle, PlantedWrongTargetIsAViolation)
{
	struct State {
		bool done = false;
	} st;
	BasicCoreHarness<world::Env>::Plant p;
	p.ctx = &st;
	p.after_op = [](void *ctx, Core &core, world::World &) {
		State *s = static_cast<State *>(ctx);
		ballast_stats &stats = const_cast<ballast_stats &>(core.stats());
		if (!s->done && stats.target_pages == 200 && stats.current_pages == 200) {
			stats.target_pages -= 5;
			s->done = true;
		}
	};
	const char *text = "world frames=256 populated=256\n"
			   "target 200\n"
			   "run\n"
			   "advance 5\n";
	EXPECT_EQ(Scn<>(text).r.outcome, Outcome::Ok);
	Scn<> planted(text, p);
	EXPECT_TRUE(
		planted.violation("accounting: step 2: target_pages is 195, but the last target "
				  "set was 200"))
		<< planted.why();
}

// Planted: a core that subtracts one page too many when lent pages come
// back: target_unpopulated wraps below zero.
TEST(AccountingOracle, PlantedWrappedCounterIsAViolation)
{
	BasicCoreHarness<world::Env>::Plant p;
	p.after_op = [](void *, Core &core, world::World &) {
		ballast_stats &stats = const_cast<ballast_stats &>(core.stats());
		if (stats.target_unpopulated == 0 && stats.balloon_low == 4)
			stats.target_unpopulated -= 1;
	};
	const char *text = "world frames=256 populated=256\n"
			   "lend 4\n"
			   "giveback all\n";
	EXPECT_EQ(Scn<>(text).r.outcome, Outcome::Ok);
	Scn<> planted(text, p);
	EXPECT_TRUE(planted.violation("target_unpopulated is 18446744073709551615 (wrapped below "
				      "zero)"))
		<< planted.why();
}

// Planted: total_pages that forgets a hotplugged section once it is onlined.
TEST(AccountingOracle, PlantedTotalIsAViolation)
{
	BasicCoreHarness<world::Env>::Plant p;
	p.after_op = [](void *, Core &core, world::World &w) {
		ballast_stats &stats = const_cast<ballast_stats &>(core.stats());
		if (!w.has_offline_ranges() && stats.total_pages == 256 + 128)
			stats.total_pages -= 128;
	};
	const char *text = "world frames=256 populated=256 pps=128\n"
			   "target 300\n"
			   "run\n"
			   "online\n";
	EXPECT_EQ(Scn<>(text).r.outcome, Outcome::Ok);
	Scn<> planted(text, p);
	EXPECT_TRUE(planted.violation("accounting: step 3: total_pages is 256")) << planted.why();
}

} // namespace
} // namespace oracle_test
