// SPDX-License-Identifier: GPL-2.0 OR MIT
// The counters oracle (oracle/counters.h): the core's own counters agree with
// what the world saw; a counter decremented instead of incremented is caught.
#include "run.h"

namespace oracle_test {
namespace {

using Core = ballast::Balloon<world::Env>;

// A rejected target reports REJECTED_INPUT; a partial decrease reports
// DECREASE_ROLLBACK.
const char *kEvents = "world frames=256 populated=256\n"
		      "target 281474976710656\n"
		      "xen decrease cap 3\n"
		      "target 200\n"
		      "run\n";

TEST(CountersOracle, CleanCoreAgrees)
{
	Scn<> r(kEvents);
	EXPECT_EQ(r.r.outcome, Outcome::Ok) << r.why();
	EXPECT_EQ(r.h.balloon().counters().events[BALLAST_EV_REJECTED_INPUT], 1u);
}

TEST(CountersOracle, PlantedDecrementedEventCounterIsAViolation)
{
	BasicCoreHarness<world::Env>::Plant p;
	p.after_op = [](void *, Core &core, world::World &w) {
		ballast_counters &c = const_cast<ballast_counters &>(core.counters());
		// events[ev]-- where the core meant ++: two below the world's count.
		if (w.event_count(BALLAST_EV_REJECTED_INPUT) &&
		    c.events[BALLAST_EV_REJECTED_INPUT] == w.event_count(BALLAST_EV_REJECTED_INPUT))
			c.events[BALLAST_EV_REJECTED_INPUT] -= 2;
	};
	Scn<> r(kEvents, p);
	EXPECT_TRUE(r.violation("counters: step 1: counters.events[REJECTED_INPUT] is "
				"18446744073709551615, but the core reported 1 such events"))
		<< r.why();
}

TEST(CountersOracle, PlantedLostPagesOutIsAViolation)
{
	BasicCoreHarness<world::Env>::Plant p;
	p.after_op = [](void *, Core &core, world::World &) {
		ballast_counters &c = const_cast<ballast_counters &>(core.counters());
		if (c.pages_out == 56)
			c.pages_out = 55;
	};
	Scn<> r("world frames=256 populated=256\ntarget 200\nrun\n", p);
	EXPECT_TRUE(r.violation("counters: step 2: current_pages is 200, but boot 256 + pages_in 0 "
				"- pages_out 55 make 201"))
		<< r.why();
}

} // namespace
} // namespace oracle_test
