// Behaviour group c: the backoff. Delay doubling up to the maximum, the retry
// limit and unlimited retries, reset on success.
#include "harness.h"

namespace ballast_test {
namespace {

// A guest with 100 pages ballooned, whose hypervisor then refuses to populate.
struct Refusing : Harness {
	Refusing()
	{
		target(4096 - 100);
		w.hv_knobs.populate.fail_next = 1000;
		w.hv_knobs.populate.fail_result = -12;
	}
	unsigned long due_in_secs() const { return (w.work_due() - w.jiffies()) / world::HZ; }
};

TEST(Backoff, DelayDoublesAndRetryLimitCancels)
{
	Refusing h;
	h.target(4096); // increase fails: EAGAIN
	EXPECT_EQ(h.stats().retry_count, 2u);
	EXPECT_EQ(h.stats().schedule_delay, 2u);
	ASSERT_TRUE(h.w.work_pending());
	EXPECT_EQ(h.due_in_secs(), 2u);
	h.advance(2);
	EXPECT_EQ(h.stats().retry_count, 3u);
	EXPECT_EQ(h.stats().schedule_delay, 4u);
	EXPECT_EQ(h.due_in_secs(), 4u);
	h.advance(4);
	EXPECT_EQ(h.stats().retry_count, 4u);
	EXPECT_EQ(h.stats().schedule_delay, 8u);
	h.advance(8); // 5 > max_retry_count 4: ECANCELED, counters reset, nothing scheduled
	EXPECT_EQ(h.stats().retry_count, 1u);
	EXPECT_EQ(h.stats().schedule_delay, 1u);
	EXPECT_FALSE(h.w.work_pending());
	EXPECT_EQ(h.stats().current_pages, 3996u);
	h.advance(3600);
	EXPECT_EQ(h.w.work_runs(), 1u + 4u); // the inflate, then four tries
	EXPECT_EQ(h.violations(), "");
}

TEST(Backoff, DelayCappedAtMaxScheduleDelay)
{
	Refusing h;
	h.core.set_max_retry_count(BALLAST_RETRY_UNLIMITED);
	h.target(4096);
	unsigned long expect[] = {2, 4, 8, 16, 32, 32, 32};
	for (unsigned long d : expect) {
		EXPECT_EQ(h.stats().schedule_delay, d);
		EXPECT_EQ(h.due_in_secs(), d);
		h.advance(d);
	}
	EXPECT_EQ(h.stats().retry_count, 9u);
	EXPECT_TRUE(h.w.work_pending()); // unlimited: it never gives up
}

TEST(Backoff, LowerMaxScheduleDelay)
{
	Refusing h;
	ASSERT_EQ(h.core.set_max_schedule_delay(3), 0);
	h.core.set_max_retry_count(10);
	h.target(4096);
	EXPECT_EQ(h.stats().schedule_delay, 2u);
	h.advance(2);
	EXPECT_EQ(h.stats().schedule_delay, 3u);
	h.advance(3);
	EXPECT_EQ(h.stats().schedule_delay, 3u);
}

TEST(Backoff, ResetOnSuccess)
{
	Refusing h;
	h.w.hv_knobs.populate.fail_next = 2;
	h.target(4096);
	h.advance(2);
	EXPECT_EQ(h.stats().retry_count, 3u);
	h.advance(4); // third try succeeds
	EXPECT_EQ(h.stats().current_pages, 4096u);
	EXPECT_EQ(h.stats().retry_count, 1u);
	EXPECT_EQ(h.stats().schedule_delay, 1u);
	EXPECT_FALSE(h.w.work_pending());
	EXPECT_EQ(h.violations(), "");
}

} // namespace
} // namespace ballast_test
