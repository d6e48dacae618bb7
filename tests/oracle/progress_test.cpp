// SPDX-License-Identifier: GPL-2.0 OR MIT
// The progress oracle (oracle/progress.h): waits that cannot end, wake-ups
// per virtual hour with a target out of reach, and settling in an honest world.
#include "run.h"

#include "progress.h"

namespace oracle_test {
namespace {

// The worker hotplugs a section for a target above the guest's memory; no
// udev rule onlines it.
const char *kNobodyOnlines = "world frames=256 populated=256 max_pages=512 pps=128\n"
			     "target 300\n"
			     "run\n";

TEST(ProgressOracle, SeedWaitsForeverForMemoryNobodyOnlines)
{
	Scn<> seed(std::string("# profile: linux-2019\n") + kNobodyOnlines);
	EXPECT_EQ(slip_names(seed.r), "hotplug_wait_unbounded") << seed.why();
	EXPECT_EQ(seed.h.world().event_count(BALLAST_EV_HOTPLUG_NOT_ONLINED), 0u);
}

TEST(ProgressOracle, BallastBoundsTheWaitAndSaysSo)
{
	// Ends before the bound: the re-check is pending, the wait has an end.
	Scn<> early(kNobodyOnlines);
	EXPECT_EQ(early.r.outcome, Outcome::Ok) << early.why();
	// After the bound: reported, and no longer waiting.
	Scn<> late(std::string(kNobodyOnlines) + "advance 40\n");
	EXPECT_EQ(late.r.outcome, Outcome::Ok) << late.why();
	EXPECT_EQ(late.h.world().event_count(BALLAST_EV_HOTPLUG_NOT_ONLINED), 1u);
	// Onlined later, the memory is used at once (the notifier re-arms the work).
	Scn<> online(std::string(kNobodyOnlines) + "advance 5\nonline\nrun\n");
	EXPECT_EQ(online.h.balloon().stats().current_pages, 300u) << online.why();
}

// Planted: a ballast core whose bound on the wait is lost.
struct NoBoundEnv : world::Env {
	using world::Env::Env;
	void schedule_work(unsigned long delay_secs, int modify)
	{
		if (delay_secs != ballast::kHotplugWaitSecs)
			world::Env::schedule_work(delay_secs, modify);
	}
};

TEST(ProgressOracle, PlantedWaitWithoutEndIsAViolation)
{
	Scn<NoBoundEnv> planted(kNobodyOnlines);
	EXPECT_TRUE(planted.violation("progress: step 3: slip its switches should prevent: "
				      "hotplug_wait_unbounded"))
		<< planted.why();
}

// Planted: a core whose kicks are lost (a new target never runs the worker):
// nothing else notices, settling does.
struct LostKickEnv : world::Env {
	using world::Env::Env;
	void schedule_work(unsigned long delay_secs, int modify)
	{
		if (delay_secs)
			world::Env::schedule_work(delay_secs, modify);
	}
};

TEST(ProgressOracle, PlantedTargetNeverActedOnFailsToSettle)
{
	const char *text = "world frames=256 populated=256\n"
			   "target 200\n";
	EXPECT_EQ(Scn<>(text).r.outcome, Outcome::Ok);
	Scn<LostKickEnv> planted(text);
	EXPECT_TRUE(planted.violation("did not reach it within 184 virtual seconds: current 256, "
				      "target_pages 200, 0 worker runs"))
		<< planted.why();
}

// Settling: the world made honest after a hostile scenario; the balloon
// reaches its target, or the world says why not.
TEST(ProgressOracle, SettlesOrTheWorldSaysWhy)
{
	Scn<> honest("world frames=256 populated=256\n"
		     "target 200\n"
		     "xen decrease fail 1000 -12\n"
		     "alloc storm 1\n"
		     "run\n");
	EXPECT_EQ(honest.r.progress.settle, "reached 200 pages") << honest.why();
	Scn<> pool("world frames=256 populated=256 host_pool=0\n"
		   "target 200\n"
		   "run\n"
		   "xen host_pool 0\n"
		   "target 256\n");
	EXPECT_EQ(pool.r.outcome, Outcome::Ok) << pool.why();
	EXPECT_NE(pool.r.progress.settle.find("the host pool is empty"), std::string::npos)
		<< pool.r.progress.settle;
	Scn<> nohp("world frames=256 populated=256 hotplug=0\n"
		   "target 300\n"
		   "run\n");
	EXPECT_EQ(nohp.r.progress.settle, "reached 256 pages") << nohp.why(); // the give-up
}

// Wake-ups in a virtual hour with the target out of reach, for each profile
// (the whole hour counted); bounded in ballast. Two ways to miss the target:
// the host refuses to populate (with unlimited retries), and hotplugged
// memory nobody onlines.
TEST(ProgressOracle, WakeupsPerHourAreBoundedAndReported)
{
	const std::string refused = "world frames=256 populated=256 pps=128\n"
				    "max_retry_count 0\n"
				    "target 200\n"
				    "run\n"
				    "xen populate fail 65536 -12\n"
				    "target 256\n"
				    "run\n";
	for (const char *profile : {"ballast", "linux-2019", "linux-6.1"}) {
		const std::string p = std::string("# profile: ") + profile + "\n";
		Scn<> r(p + refused, {}, true);
		Scn<> w(p + kNobodyOnlines, {}, true);
		ASSERT_TRUE(r.r.progress.hour_measured && w.r.progress.hour_measured) << profile;
		printf("[ wake-ups ] %-10s populate refused: %4lu runs/h (%lu idle); memory nobody "
		       "onlines: %4lu runs/h (%lu idle); bound %lu\n",
		       profile, r.r.progress.hour_runs, r.r.progress.hour_idle_runs,
		       w.r.progress.hour_runs, w.r.progress.hour_idle_runs,
		       r.r.progress.hour_bound);
		EXPECT_NE(r.r.outcome, Outcome::Violation) << profile << r.why();
		EXPECT_NE(w.r.outcome, Outcome::Violation) << profile << w.why();
		if (std::string(profile) == "ballast") {
			EXPECT_LE(r.r.progress.hour_idle_runs, r.r.progress.hour_bound);
			EXPECT_LE(w.r.progress.hour_idle_runs, 2u);
		}
		if (std::string(profile) == "linux-6.1") { // polls every second
			EXPECT_GE(w.r.progress.hour_idle_runs, 3599u) << w.why();
			EXPECT_NE(slip_names(w.r).find("kthread_polls_hotplug_wait"),
				  std::string::npos)
				<< w.why();
		}
	}
	// Not counting the whole hour (the fuzz harness), the poll is judged
	// once it passes the bound.
	Scn<> cut("# profile: linux-6.1\n" + std::string(kNobodyOnlines));
	EXPECT_EQ(cut.r.progress.hour_idle_runs, cut.r.progress.hour_bound + 1);
}

// The bound itself, as the oracle applies it to the counts.
TEST(ProgressOracle, HourBoundIsAViolationOnlyWhereNoSlipExplainsIt)
{
	ballast::oracle::ProgressOracle po;
	ballast_config cfg{};
	po.init(ballast::profile_ballast(), cfg);
	ballast::oracle::Findings f;
	ballast::oracle::Progress p;
	po.check_hour(7, 3600, 3600, 32, ballast::oracle::kNoSlip, &p, &f);
	EXPECT_EQ(p.hour_bound, 3600u / 32 + 64);
	ASSERT_EQ(f.violations(), 1u);
	po.init(ballast::profile_linux_6_1(), cfg);
	f.clear();
	po.check_hour(7, 3600, 3600, 32, ballast::oracle::kNoSlip, &p, &f);
	EXPECT_EQ(f.violations(), 0u);
	ASSERT_EQ(f.all().size(), 1u);
	EXPECT_EQ(f.all()[0].slip, ballast::oracle::kKthreadPollsHotplugWait);
	f.clear();
	po.check_hour(7, 100, 100, 32, ballast::oracle::kNoSlip, &p, &f);
	EXPECT_TRUE(f.empty());
}

} // namespace
} // namespace oracle_test
