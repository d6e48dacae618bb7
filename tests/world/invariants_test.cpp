// SPDX-License-Identifier: GPL-2.0 OR MIT
// The invariant checker: clean on healthy states, catches planted faults.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "invariants.h"
#include "mini_balloon.h"
#include "world_env.h"

namespace {

using world::Check;
using world::Config;
using world::InvariantChecker;
using world::World;

Config cfg(bool pv)
{
	Config c;
	c.total_frames = 512;
	c.populated_frames = 448;
	c.kernel_frames = 32;
	c.highmem_start_pfn = 256;
	c.pv = pv;
	c.host_pool = 128;
	return c;
}

// Every case runs four ways: PV and HVM, and with the checker in full or in
// incremental mode. In incremental mode the fixture first passes one check,
// so the case's own checks take the incremental path (only what changed).
class Inv : public ::testing::TestWithParam<std::tuple<bool, bool>> {
protected:
	Inv()
		: w(cfg(pv()))
		, b(w)
	{
		opts.incremental = std::get<1>(GetParam());
		if (opts.incremental) {
			EXPECT_EQ(check(), 0u) << chk.report();
		}
	}
	bool pv() const { return std::get<0>(GetParam()); }
	size_t check() { return chk.check(w, &b.head, b.stats, lent, opts); }
	void TearDown() override
	{
		// The incremental cases must really have been incremental.
		if (opts.incremental) {
			EXPECT_GT(chk.incremental_scans() + chk.full_scans(), 1u);
		}
	}
	world::CheckOptions opts;
	World w;
	wtest::MiniBalloon b;
	InvariantChecker chk;
	std::vector<ballast_page *> lent;
};

TEST_P(Inv, CleanThroughARealisticSequence)
{
	EXPECT_EQ(check(), 0u) << chk.report();
	ASSERT_EQ(b.out(100), 100);
	EXPECT_EQ(check(), 0u) << chk.report();
	EXPECT_EQ(b.stats.balloon_high + b.stats.balloon_low, 100u);
	EXPECT_GT(b.stats.balloon_high, 0u);
	// lend 3 pages to a driver
	for (int i = 0; i < 3; ++i)
		lent.push_back(b.retrieve());
	EXPECT_EQ(check(), 0u) << chk.report();
	ASSERT_EQ(b.in(40), 40);
	EXPECT_EQ(check(), 0u) << chk.report();
	// the hypervisor gives only part: the mini balloon keeps the rest
	w.hv_knobs.populate.cap_extents = 5;
	EXPECT_EQ(b.in(20), 5);
	EXPECT_EQ(check(), 0u) << chk.report();
	// lent pages come back
	for (ballast_page *p : lent)
		b.append(p);
	lent.clear();
	EXPECT_EQ(check(), 0u) << chk.report();
	EXPECT_EQ(chk.list_length(), 55u);
}

TEST_P(Inv, LeakedPage)
{
	ASSERT_EQ(b.out(10), 10);
	ballast_page *p = b.retrieve(); // taken out of the list and forgotten
	EXPECT_GT(check(), 0u);
	EXPECT_TRUE(chk.has(Check::Leaked)) << chk.report();
	(void)p;
}

TEST_P(Inv, LeakedAllocatedButNeverBallooned)
{
	ballast_page *p = b.env.alloc_page(BALLAST_GFP_BALLOON);
	ASSERT_NE(p, nullptr);
	EXPECT_GT(check(), 0u);
	EXPECT_TRUE(chk.has(Check::Leaked)) << chk.report();
}

TEST_P(Inv, PageInBalloonAndFreeList)
{
	ASSERT_EQ(b.out(10), 10);
	ballast_page *p = w.frame(b.head.next == &b.head ? 0 : b.env.lru_to_page(b.head.next)->pfn);
	w.free_reserved_page(p); // freed while still in the balloon
	EXPECT_GT(check(), 0u);
	EXPECT_TRUE(chk.has(Check::TwoPlaces)) << chk.report();
}

TEST_P(Inv, PageInBalloonAndLent)
{
	ASSERT_EQ(b.out(4), 4);
	lent.push_back(b.env.lru_to_page(b.head.next));
	EXPECT_GT(check(), 0u);
	EXPECT_TRUE(chk.has(Check::TwoPlaces)) << chk.report();
}

TEST_P(Inv, KernelPageInBalloon)
{
	b.append(w.frame(3)); // a kernel-held page
	EXPECT_GT(check(), 0u);
	EXPECT_TRUE(chk.has(Check::TwoPlaces)) << chk.report();
}

TEST_P(Inv, DoubleGiveBack)
{
	ASSERT_EQ(b.out(4), 4);
	ballast_page *p = b.env.lru_to_page(b.head.next);
	ballast_pfn_t f = pv() ? world::MFN_BASE + p->pfn : p->pfn; // what it had
	EXPECT_EQ(b.env.reservation_decrease(1, &f), 0);
	EXPECT_GT(check(), 0u);
	EXPECT_TRUE(chk.has(Check::WorldFault)) << chk.report();
	EXPECT_EQ(check(), 0u) << "faults are cleared once reported";
}

TEST_P(Inv, StatsListMismatch)
{
	ASSERT_EQ(b.out(4), 4);
	b.stats.balloon_low += 1;
	EXPECT_EQ(check(), 1u);
	EXPECT_TRUE(chk.has(Check::StatsMismatch)) << chk.report();
}

TEST_P(Inv, CurrentPagesVsTotPagesWithSlip)
{
	ASSERT_EQ(b.out(4), 4);
	b.stats.current_pages += 2;
	EXPECT_EQ(check(), 1u);
	EXPECT_TRUE(chk.has(Check::TotPages)) << chk.report();
	world::CheckOptions o;
	o.current_pages_slip = 2;
	o.incremental = opts.incremental;
	EXPECT_EQ(chk.check(w, &b.head, b.stats, lent, o), 0u) << chk.report();
}

TEST_P(Inv, DuplicateAndCycleAreFoundWithoutLooping)
{
	ASSERT_EQ(b.out(6), 6);
	// make the 4th node point back to the 2nd: a cycle that avoids the head
	ballast_list *n2 = b.head.next->next;
	ballast_list *n4 = n2->next->next;
	n4->next = n2;
	EXPECT_GT(check(), 0u);
	EXPECT_TRUE(chk.has(Check::ListDuplicate)) << chk.report();
}

TEST_P(Inv, BrokenPrevLink)
{
	ASSERT_EQ(b.out(3), 3);
	b.head.next->next->prev = &b.head;
	EXPECT_GT(check(), 0u);
	EXPECT_TRUE(chk.has(Check::ListCorrupt)) << chk.report();
}

TEST_P(Inv, PopulatedPageInBalloon)
{
	// Put a page in the balloon without giving it back.
	ballast_page *p = b.env.alloc_page(BALLAST_GFP_BALLOON);
	b.append(p);
	EXPECT_GT(check(), 0u);
	EXPECT_TRUE(chk.has(Check::PopulatedWrong)) << chk.report();
}

TEST_P(Inv, FreedWithoutPopulating)
{
	ASSERT_EQ(b.out(3), 3);
	ballast_page *p = b.retrieve();
	b.env.free_reserved_page(p); // returned to the guest unpopulated
	EXPECT_GT(check(), 0u);
	EXPECT_TRUE(chk.has(Check::PopulatedWrong)) << chk.report();
}

TEST_P(Inv, LockHeldBetweenSteps)
{
	b.env.lock();
	EXPECT_EQ(check(), 1u);
	EXPECT_TRUE(chk.has(Check::Lock));
	b.env.unlock();
	EXPECT_EQ(check(), 0u) << chk.report();
}

INSTANTIATE_TEST_SUITE_P(PvAndHvm, Inv, ::testing::Combine(::testing::Bool(), ::testing::Bool()),
			 [](const ::testing::TestParamInfo<std::tuple<bool, bool>> &i) {
				 return std::string(std::get<0>(i.param) ? "pv" : "hvm") +
					(std::get<1>(i.param) ? "_incremental" : "_full");
			 });

TEST(InvPv, StaleP2mAfterGiveBack)
{
	World w(cfg(true));
	wtest::MiniBalloon b(w);
	// give a page back but "forget" va_mapping_reset
	ballast_page *p = b.env.alloc_page(BALLAST_GFP_BALLOON);
	ballast_pfn_t f = b.env.page_to_gfn(p);
	ASSERT_EQ(b.env.reservation_decrease(1, &f), 1);
	b.append(p);
	b.stats.current_pages -= 1;
	InvariantChecker chk;
	EXPECT_GT(chk.check(w, &b.head, b.stats, nullptr, 0), 0u);
	EXPECT_TRUE(chk.has(Check::PopulatedWrong)) << chk.report();
}

TEST(InvPv, PopulatedWithoutP2mUpdateLeaksMfn)
{
	World w(cfg(true));
	wtest::MiniBalloon b(w);
	ASSERT_EQ(b.out(2), 2);
	ballast_page *p = b.retrieve();
	ballast_pfn_t f = b.env.page_to_xen_pfn(p);
	ASSERT_EQ(b.env.reservation_increase(1, &f), 1);
	b.append(p); // forgot va_mapping_update and put it back
	InvariantChecker chk;
	EXPECT_GT(chk.check(w, &b.head, b.stats, nullptr, 0), 0u);
	EXPECT_TRUE(chk.has(Check::MfnLeak)) << chk.report();
}

TEST(InvPv, ExtraRegionFramesBecomeBalloonOwnedOnceSeen)
{
	World w(cfg(true));
	ballast_boot_info bi{};
	w.fill_boot_info(&bi);
	ASSERT_EQ(bi.n_regions, 1u);
	EXPECT_EQ(bi.regions[0].start_pfn, 448u);
	EXPECT_EQ(bi.regions[0].n_pfns, 64u);
	EXPECT_EQ(bi.num_physpages, 512u); // the memory map's RAM: the extra region too
	EXPECT_EQ(bi.start_info_nr_pages - bi.released_pages, 448u);
	EXPECT_EQ(bi.max_pfn, 512u);
	wtest::MiniBalloon b(w);
	for (unsigned long pfn = 448; pfn < 512; ++pfn)
		b.append(b.env.pfn_to_page(pfn));
	InvariantChecker chk;
	EXPECT_EQ(chk.check(w, &b.head, b.stats, nullptr, 0), 0u) << chk.report();
	// now losing one is a leak
	b.retrieve();
	EXPECT_GT(chk.check(w, &b.head, b.stats, nullptr, 0), 0u);
	EXPECT_TRUE(chk.has(Check::Leaked)) << chk.report();
}

TEST(InvBoot, HvmBootInfo)
{
	World w(cfg(false));
	ballast_boot_info bi{};
	w.fill_boot_info(&bi);
	EXPECT_EQ(bi.xen_domain, 1);
	EXPECT_EQ(bi.pv_domain, 0);
	EXPECT_EQ(bi.n_regions, 0u);
	EXPECT_EQ(bi.num_physpages, 448u);
}

TEST(InvReset, ResetReusesAndRestarts)
{
	World w(cfg(false));
	wtest::MiniBalloon b(w);
	ASSERT_EQ(b.out(10), 10);
	w.reset(cfg(false));
	EXPECT_EQ(w.tot_pages(), 448u);
	EXPECT_EQ(w.free_count(), 448u - 32u);
	ballast_list head{&head, &head};
	ballast_stats st{};
	st.current_pages = 448;
	InvariantChecker chk;
	EXPECT_EQ(chk.check(w, &head, st, nullptr, 0), 0u) << chk.report();
}

} // namespace
