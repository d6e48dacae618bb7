// The linux-6.1 worker model: a kthread taking one step per wake-up, with a
// persistent state (balloon_thread() in Linux 6.1 drivers/xen/balloon.c).
#include "harness.h"

namespace ballast_test {
namespace {

const ballast::Switches k61 = ballast::profile_linux_6_1();

TEST(Kthread, NewTargetWakesTheThread)
{
	Harness h(small_world(), k61);
	h.w.run_pending_now(); // thread starts and sleeps
	EXPECT_TRUE(h.w.kthread_sleeping());
	h.target(4096 - 600);
	EXPECT_EQ(h.stats().current_pages, 4096u - 600u);
	EXPECT_EQ(h.w.kthread_steps(), 2u); // 512, then 88: one step per batch
	EXPECT_TRUE(h.w.kthread_sleeping());
	EXPECT_EQ(h.violations(), "");
}

TEST(Kthread, WaitStateProgressesOnlyAfterOneSecond)
{
	Harness h(small_world(), k61);
	h.target(4096 + 300); // hotplug: BP_WAIT
	EXPECT_EQ(h.core.state(), ballast::BP_WAIT);
	h.w.online_pending(); // MEM_ONLINE wakes the thread, but the credit is unchanged
	h.w.run_pending_now();
	EXPECT_EQ(h.stats().current_pages, 4096u);
	h.advance(1); // BP_WAIT sleeps HZ
	EXPECT_EQ(h.stats().current_pages, 4396u);
	EXPECT_EQ(h.violations(), "");
}

TEST(Kthread, CanceledSameTargetDoesNotRetry)
{
	Harness h(small_world(), k61);
	h.target(4096 - 100);
	h.w.hv_knobs.populate.fail_next = 4;
	h.target(4096);
	h.advance(2 + 4 + 8);
	EXPECT_EQ(h.core.state(), ballast::BP_ECANCELED);
	unsigned long steps = h.w.kthread_steps();
	h.target(4096); // same target: credit unchanged, the thread sleeps on
	h.advance(60);
	EXPECT_EQ(h.w.kthread_steps(), steps);
	EXPECT_EQ(h.stats().current_pages, 3996u);
	h.target(4095); // a different target retries
	EXPECT_EQ(h.stats().current_pages, 4095u);
}

TEST(Kthread, BackoffTimeoutFollowsScheduleDelay)
{
	Harness h(small_world(), k61);
	h.target(4096 - 100);
	h.w.hv_knobs.populate.fail_next = 1;
	h.target(4096);
	EXPECT_EQ(h.core.state(), ballast::BP_EAGAIN);
	EXPECT_EQ(h.w.kthread_deadline() - h.w.jiffies(), 2 * world::HZ);
	h.advance(2);
	EXPECT_EQ(h.stats().current_pages, 4096u);
}

} // namespace
} // namespace ballast_test
