// SPDX-License-Identifier: GPL-2.0 OR MIT
// The hypervisor: XENMEM_* on the real ABI structs, and its misbehaviour knobs.
#include <gtest/gtest.h>

#include <cerrno>
#include <vector>

#include "invariants.h"
#include "mini_balloon.h"
#include "world_env.h"

namespace {

using world::Config;
using world::World;

Config small(bool pv, unsigned long n = 256, unsigned long pop = 256)
{
	Config c;
	c.total_frames = n;
	c.populated_frames = pop;
	c.host_pool = 64;
	c.pv = pv;
	return c;
}

long op(World &w, unsigned cmd, std::vector<xen_pfn_t> &frames, domid_t dom = DOMID_SELF)
{
	xen_memory_reservation r{};
	set_xen_guest_handle(r.extent_start, frames.data());
	r.nr_extents = frames.size();
	r.extent_order = 0;
	r.domid = dom;
	return w.memory_op(cmd, &r);
}

TEST(Hypercall, ReservationQueries)
{
	World w(small(false));
	domid_t self = DOMID_SELF;
	EXPECT_EQ(w.memory_op(XENMEM_current_reservation, &self), 256);
	EXPECT_EQ(w.memory_op(XENMEM_maximum_reservation, &self), 256);
	w.set_max_pages(300);
	EXPECT_EQ(w.memory_op(XENMEM_maximum_reservation, &self), 300);
	domid_t other = 7;
	EXPECT_EQ(w.memory_op(XENMEM_current_reservation, &other), -ESRCH);
	EXPECT_EQ(w.memory_op(XENMEM_current_reservation, nullptr), -EFAULT);
	EXPECT_EQ(w.memory_op(12345, &self), -ENOSYS);
}

TEST(Hypercall, AutoTranslatedDecreaseThenPopulate)
{
	World w(small(false));
	std::vector<xen_pfn_t> f{10, 11, 12};
	EXPECT_EQ(op(w, XENMEM_decrease_reservation, f), 3);
	EXPECT_EQ(w.tot_pages(), 253u);
	EXPECT_FALSE(w.populated(w.frame(11)));
	EXPECT_EQ(w.frame(11)->p2m, world::INVALID_MFN);
	EXPECT_EQ(w.host_free(), 67u);
	// populate: gfn in, the hypervisor maps; the array is not rewritten
	EXPECT_EQ(op(w, XENMEM_populate_physmap, f), 3);
	EXPECT_EQ(f[1], 11u);
	EXPECT_TRUE(w.populated(w.frame(11)));
	EXPECT_EQ(w.tot_pages(), 256u);
}

TEST(Hypercall, PvPopulateWritesMfnsBack)
{
	World w(small(true));
	unsigned long mfn = w.frame(5)->p2m;
	EXPECT_GE(mfn, world::MFN_BASE);
	std::vector<xen_pfn_t> f{mfn};
	EXPECT_EQ(op(w, XENMEM_decrease_reservation, f), 1);
	EXPECT_EQ(w.mfn_owner(mfn), World::MfnOwner::Host);
	// the guest's p2m is the guest's business in PV: still stale
	EXPECT_EQ(w.frame(5)->p2m, mfn);
	EXPECT_FALSE(w.populated(w.frame(5)));
	std::vector<xen_pfn_t> g{5};
	EXPECT_EQ(op(w, XENMEM_populate_physmap, g), 1);
	EXPECT_NE(g[0], 5u);
	EXPECT_TRUE(w.mfn_valid(g[0]));
	EXPECT_EQ(w.m2p(g[0]), 5u);
	w.set_p2m(5, g[0]);
	EXPECT_TRUE(w.populated(w.frame(5)));
}

TEST(Hypercall, PvDecreaseOfPfnInsteadOfMfnFails)
{
	World w(small(true));
	std::vector<xen_pfn_t> f{5}; // a pfn, not an MFN: not owned
	EXPECT_EQ(op(w, XENMEM_decrease_reservation, f), 0);
	ASSERT_EQ(w.faults().size(), 1u);
	EXPECT_EQ(w.faults()[0].kind, world::Fault::DecreaseNotOwned);
	EXPECT_EQ(w.tot_pages(), 256u);
}

TEST(Hypercall, StopsAtFirstFailureAndCountsDone)
{
	World w(small(false));
	// give back 4, then populate 4 with max_pages allowing only 2
	std::vector<xen_pfn_t> f{20, 21, 22, 23};
	ASSERT_EQ(op(w, XENMEM_decrease_reservation, f), 4);
	w.set_max_pages(254);
	EXPECT_EQ(op(w, XENMEM_populate_physmap, f), 2);
	EXPECT_TRUE(w.populated(w.frame(20)));
	EXPECT_TRUE(w.populated(w.frame(21)));
	EXPECT_FALSE(w.populated(w.frame(22)));
	EXPECT_EQ(w.tot_pages(), 254u);
	EXPECT_EQ(w.trace_last().done, 2u);
	EXPECT_EQ(w.trace_last().nr_extents, 4u);
	// nothing possible: real Xen returns 0
	std::vector<xen_pfn_t> g{22, 23};
	EXPECT_EQ(op(w, XENMEM_populate_physmap, g), 0);
	w.hv_knobs.populate.result_when_none = -ENOMEM;
	EXPECT_EQ(op(w, XENMEM_populate_physmap, g), -ENOMEM);
	// decrease: stops at the first gfn not populated
	std::vector<xen_pfn_t> d{30, 22, 31};
	EXPECT_EQ(op(w, XENMEM_decrease_reservation, d), 1);
	EXPECT_TRUE(w.populated(w.frame(31)));
}

TEST(Hypercall, HostPoolExhaustion)
{
	World w(small(false, 256, 200));
	w.set_max_pages(1000);
	w.limit_host_pool(3);
	std::vector<xen_pfn_t> f{200, 201, 202, 203, 204};
	EXPECT_EQ(op(w, XENMEM_populate_physmap, f), 3);
	EXPECT_EQ(w.host_free(), 0u);
	EXPECT_EQ(w.tot_pages(), 203u);
}

TEST(Hypercall, PartialSuccessCap)
{
	World w(small(false));
	w.hv_knobs.decrease.cap_extents = 2;
	std::vector<xen_pfn_t> f{1, 2, 3, 4, 5};
	EXPECT_EQ(op(w, XENMEM_decrease_reservation, f), 2);
	EXPECT_FALSE(w.populated(w.frame(2)));
	EXPECT_TRUE(w.populated(w.frame(3)));
}

TEST(Hypercall, FailNextErrorsAndNegativeResults)
{
	World w(small(false));
	w.hv_knobs.decrease.fail_next = 2;
	w.hv_knobs.decrease.fail_result = -EFAULT;
	std::vector<xen_pfn_t> f{1, 2};
	EXPECT_EQ(op(w, XENMEM_decrease_reservation, f), -EFAULT);
	w.hv_knobs.decrease.fail_result = -1000000;
	EXPECT_EQ(op(w, XENMEM_decrease_reservation, f), -1000000);
	EXPECT_TRUE(w.populated(w.frame(1)));
	EXPECT_EQ(op(w, XENMEM_decrease_reservation, f), 2);
	EXPECT_EQ(w.trace_size(), 3u);
	EXPECT_EQ(w.trace_at(0).result, -EFAULT);
	EXPECT_EQ(w.trace_at(2).result, 2);
}

TEST(Hypercall, LyingResultLargerThanRequested)
{
	World w(small(false));
	w.hv_knobs.populate.lie_extra = 5;
	std::vector<xen_pfn_t> f{1, 2};
	ASSERT_EQ(op(w, XENMEM_decrease_reservation, f), 2);
	EXPECT_EQ(op(w, XENMEM_populate_physmap, f), 7);
	EXPECT_EQ(w.trace_last().done, 2u); // it did only what was asked
	EXPECT_EQ(w.tot_pages(), 256u);
}

TEST(Hypercall, FailProbabilityIsSeededAndDeterministic)
{
	auto run = [](uint64_t seed) {
		Config c = small(false);
		c.seed = seed;
		World w(c);
		w.hv_knobs.decrease.fail_permille = 500;
		std::vector<long> results;
		for (xen_pfn_t p = 0; p < 40; ++p) {
			std::vector<xen_pfn_t> f{p};
			results.push_back(op(w, XENMEM_decrease_reservation, f));
		}
		return results;
	};
	auto a = run(42), b = run(42), c = run(43);
	EXPECT_EQ(a, b);
	EXPECT_NE(a, c);
	int fails = 0;
	for (long r : a)
		fails += r < 0;
	EXPECT_GT(fails, 5);
	EXPECT_LT(fails, 35);
}

TEST(Hypercall, BadArguments)
{
	World w(small(false));
	std::vector<xen_pfn_t> f{1};
	EXPECT_EQ(op(w, XENMEM_decrease_reservation, f, 9), -ESRCH);
	xen_memory_reservation r{};
	set_xen_guest_handle(r.extent_start, f.data());
	r.nr_extents = 1;
	r.extent_order = 10; // above max_order: Xen returns before the first extent
	r.domid = DOMID_SELF;
	EXPECT_EQ(w.memory_op(XENMEM_decrease_reservation, &r), 0);
	EXPECT_EQ(w.trace_last().done, 0u);
	r.extent_order = 0;
	set_xen_guest_handle(r.extent_start, static_cast<xen_pfn_t *>(nullptr));
	EXPECT_EQ(w.memory_op(XENMEM_populate_physmap, &r), -EFAULT);
	EXPECT_EQ(w.memory_op(XENMEM_populate_physmap, nullptr), -EFAULT);
	EXPECT_EQ(w.tot_pages(), 256u);
}

TEST(Hypercall, IncreaseReservationHandsOutUnmappedMfns)
{
	World w(small(false));
	std::vector<xen_pfn_t> f{1, 2};
	ASSERT_EQ(op(w, XENMEM_decrease_reservation, f), 2);
	std::vector<xen_pfn_t> out(2, 0);
	EXPECT_EQ(op(w, XENMEM_increase_reservation, out), 2);
	EXPECT_TRUE(w.mfn_valid(out[0]));
	EXPECT_EQ(w.mfn_owner(out[0]), World::MfnOwner::Domain);
	EXPECT_EQ(w.tot_pages(), 256u);
}

TEST(Hypercall, DoubleGiveBackIsRecorded)
{
	World w(small(false));
	std::vector<xen_pfn_t> f{9};
	ASSERT_EQ(op(w, XENMEM_decrease_reservation, f), 1);
	EXPECT_EQ(op(w, XENMEM_decrease_reservation, f), 0);
	ASSERT_EQ(w.faults().size(), 1u);
	EXPECT_EQ(w.faults()[0].kind, world::Fault::DecreaseNotOwned);
}

TEST(Hypercall, TraceRingKeepsTheLastCalls)
{
	World w(small(false));
	domid_t self = DOMID_SELF;
	for (int i = 0; i < 300; ++i)
		w.memory_op(XENMEM_current_reservation, &self);
	EXPECT_EQ(w.trace_total(), 300u);
	EXPECT_EQ(w.trace_size(), World::kTraceSize);
	EXPECT_EQ(w.trace_at(0).cmd, static_cast<unsigned>(XENMEM_current_reservation));
	w.clear_trace();
	EXPECT_EQ(w.trace_size(), 0u);
}

// Env: the reservation calls as Linux's mem-reservation.c makes them.
TEST(EnvReservation, PvRoundTripThroughEnv)
{
	World w(small(true, 256, 192));
	wtest::MiniBalloon b(w);
	world::InvariantChecker chk;
	EXPECT_EQ(b.out(10), 10);
	EXPECT_EQ(w.tot_pages(), 182u);
	EXPECT_EQ(w.trace_last().cmd, static_cast<unsigned>(XENMEM_decrease_reservation));
	EXPECT_EQ(chk.check(w, &b.head, b.stats, nullptr, 0), 0u) << chk.report();
	EXPECT_EQ(b.in(4), 4);
	EXPECT_EQ(w.trace_last().cmd, static_cast<unsigned>(XENMEM_populate_physmap));
	EXPECT_EQ(chk.check(w, &b.head, b.stats, nullptr, 0), 0u) << chk.report();
	EXPECT_EQ(w.tot_pages(), 186u);
	EXPECT_EQ(b.stats.current_pages, 186u);
}

TEST(EnvReservation, AutoTranslatedGfnIsPfn)
{
	World w(small(false));
	world::Env env(w);
	ballast_page *p = env.alloc_page(BALLAST_GFP_BALLOON);
	ASSERT_NE(p, nullptr);
	EXPECT_EQ(env.page_to_gfn(p), env.page_to_pfn(p));
	EXPECT_EQ(env.auto_translated_physmap(), 1);
	World pv(small(true));
	world::Env penv(pv);
	ballast_page *q = penv.alloc_page(BALLAST_GFP_BALLOON);
	EXPECT_EQ(penv.page_to_gfn(q), q->p2m);
	EXPECT_NE(penv.page_to_gfn(q), penv.page_to_xen_pfn(q));
	EXPECT_EQ(penv.auto_translated_physmap(), 0);
}

} // namespace
