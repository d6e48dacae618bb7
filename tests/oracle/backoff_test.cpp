// SPDX-License-Identifier: GPL-2.0 OR MIT
// The backoff oracle (oracle/backoff.h): the retry and delay state machine of
// every worker run against its written spec. A core that forgets to reset the
// retry counter after a cancel, or re-arms with the wrong delay, is caught;
// the 6.1 kthread's documented slip is named.
#include "run.h"

namespace oracle_test {
namespace {

using Core = ballast::Balloon<world::Env>;

// Deflating fails at every attempt: two retries are allowed, the third
// attempt cancels.
const char *kCancel = "world frames=256 populated=256\n"
		      "max_retry_count 2\n"
		      "target 200\n"
		      "run\n"
		      "xen populate fail 1000 -12\n"
		      "target 256\n"
		      "advance 60\n";

TEST(BackoffOracle, CleanRunsPassInEveryProfile)
{
	for (const char *profile : {"ballast", "linux-2019", "linux-6.1"}) {
		Scn<> r(std::string("# profile: ") + profile + "\n" + kCancel);
		EXPECT_NE(r.r.outcome, Outcome::Violation) << profile << ": " << r.why();
		EXPECT_EQ(r.r.message.find("backoff"), std::string::npos) << profile << r.why();
	}
}

// Planted: the cancel path forgets to reset the retry counter.
TEST(BackoffOracle, PlantedMissedRetryResetIsAViolation)
{
	BasicCoreHarness<world::Env>::Plant p;
	p.after_run = [](void *, Core &core, world::World &) {
		ballast_stats &st = const_cast<ballast_stats &>(core.stats());
		// (1, 1) with the target out of reach: the run cancelled.
		if (st.retry_count == 1 && st.schedule_delay == 1 &&
		    st.current_pages != st.target_pages)
			st.retry_count = st.max_retry_count + 1;
	};
	Scn<> planted(kCancel, p);
	EXPECT_TRUE(planted.violation("backoff: step 6: a worker run took (schedule_delay, "
				      "retry_count) from (2, 2) to (1, 3)"))
		<< planted.why();
}

// Planted: the delayed work re-armed one second late after a failure.
struct LateRearmEnv : world::Env {
	using world::Env::Env;
	void schedule_work(unsigned long delay_secs, int modify)
	{
		world::Env::schedule_work(delay_secs ? delay_secs + 1 : 0, modify);
	}
};

TEST(BackoffOracle, PlantedWrongDelayIsAViolation)
{
	Scn<LateRearmEnv> planted(kCancel);
	EXPECT_TRUE(planted.violation("re-armed the work in 750 jiffies, not schedule_delay = 2 s"))
		<< planted.why();
}

// Planted: the delayed work is not re-armed after a failure at all.
struct NoRearmEnv : world::Env {
	using world::Env::Env;
	void schedule_work(unsigned long delay_secs, int modify)
	{
		if (!delay_secs)
			world::Env::schedule_work(0, modify);
	}
};

TEST(BackoffOracle, PlantedMissingRearmIsAViolation)
{
	Scn<NoRearmEnv> planted(kCancel);
	EXPECT_TRUE(planted.violation("counted a failure (retry 2) but did not re-arm the work"))
		<< planted.why();
}

// The 6.1 kthread keeps the state of its failed step: a wake-up with the
// balloon back at its target counts one more retry. Named, in 6.1 only.
TEST(BackoffOracle, KthreadBacksOffWithoutWorkIsA61Slip)
{
	const std::string text = "world frames=256 populated=256\n"
				 "target 200\n"
				 "run\n"
				 "xen populate fail 1000 -12\n"
				 "target 256\n"
				 "run\n"
				 "target 200\n"
				 "advance 5\n";
	Scn<> k61("# profile: linux-6.1\n" + text);
	EXPECT_NE(slip_names(k61.r).find("kthread_backs_off_without_work"), std::string::npos)
		<< k61.why();
	EXPECT_NE(k61.r.outcome, Outcome::Violation) << k61.why();
	Scn<> ballast(text);
	EXPECT_EQ(ballast.r.outcome, Outcome::Ok) << ballast.why();
}

} // namespace
} // namespace oracle_test
