// SPDX-License-Identifier: GPL-2.0 OR MIT
// superpage_extents: 2 MiB extents where memory allows, 4 KiB where it does
// not, and no page lost on the way (the invariant checker after every move).
#include "harness.h"

namespace ballast_test {
namespace {

constexpr unsigned kOrder = 9;
constexpr unsigned long kBlock = 1UL << kOrder;

world::Config sp_world(unsigned long frames = 16 * kBlock, bool pv = false)
{
	world::Config c;
	c.total_frames = frames;
	c.populated_frames = frames;
	c.max_pages = 2 * frames;
	c.host_pool = 2 * frames;
	c.pages_per_section = 256;
	c.superpage_order = kOrder;
	c.pv = pv;
	return c;
}

ballast_config sp_config(unsigned order = kOrder)
{
	ballast_config c = full_config();
	c.superpage_order = order;
	return c;
}

struct Sp : Harness {
	explicit Sp(const world::Config &wc = sp_world(),
		    const ballast::Switches &sw = ballast::profile_ballast(),
		    const ballast_config &bc = sp_config())
		: Harness(wc, sw, bc)
	{
	}
	// The reservation hypercalls since the last call: (cmd, order, nr, done).
	struct Call {
		unsigned cmd, order;
		unsigned long nr, done;
	};
	uint64_t seen = 0;
	std::vector<Call> calls()
	{
		std::vector<Call> out;
		const uint64_t total = w.trace_total();
		const uint64_t first = total - w.trace_size();
		for (uint64_t i = seen > first ? seen : first; i < total; i++) {
			const world::HypercallRecord &r = w.trace_at((unsigned)(i - first));
			out.push_back(Call{r.cmd, r.order, r.nr_extents, r.done});
		}
		seen = total;
		return out;
	}
	unsigned long total() const { return 16 * kBlock; }
};

TEST(Superpages, ContiguousMemoryMovesAGiBPerHypercall)
{
	Sp h;
	h.target(h.total() - 8 * kBlock);
	auto c = h.calls();
	ASSERT_EQ(c.size(), 1u);
	EXPECT_EQ(c[0].cmd, (unsigned)XENMEM_decrease_reservation);
	EXPECT_EQ(c[0].order, kOrder);
	EXPECT_EQ(c[0].nr, 8u);
	EXPECT_EQ(c[0].done, 8u);
	EXPECT_EQ(h.stats().current_pages, h.total() - 8 * kBlock);
	EXPECT_EQ(h.ballooned(), 8 * kBlock);
	EXPECT_EQ(h.w.tot_pages(), h.total() - 8 * kBlock);
	EXPECT_EQ(h.violations(), "");
	h.target(h.total());
	c = h.calls();
	ASSERT_EQ(c.size(), 1u);
	EXPECT_EQ(c[0].cmd, (unsigned)XENMEM_populate_physmap);
	EXPECT_EQ(c[0].order, kOrder);
	EXPECT_EQ(c[0].done, 8u);
	EXPECT_EQ(h.ballooned(), 0u);
	EXPECT_EQ(h.violations(), "");
	const ballast_counters &k = h.core.counters();
	EXPECT_EQ(k.extents_out_super, 8u);
	EXPECT_EQ(k.extents_in_super, 8u);
	EXPECT_EQ(k.extents_out_4k + k.extents_in_4k, 0u);
	EXPECT_EQ(k.super_fallbacks, 0u);
}

TEST(Superpages, OffInTheSwitchIsUpstreamsFourKiBBatches)
{
	Sp h(sp_world(),
	     with(ballast::profile_ballast(), &ballast::Switches::superpage_extents, false));
	h.target(h.total() - 8 * kBlock);
	auto c = h.calls();
	ASSERT_EQ(c.size(), 8u);
	for (const auto &x : c) {
		EXPECT_EQ(x.order, 0u);
		EXPECT_EQ(x.nr, 512u);
	}
	EXPECT_EQ(h.violations(), "");
}

TEST(Superpages, OrderZeroInTheConfigIsFourKiB)
{
	Sp h(sp_world(), ballast::profile_ballast(), sp_config(0));
	h.target(h.total() - 2 * kBlock);
	for (const auto &x : h.calls())
		EXPECT_EQ(x.order, 0u);
}

TEST(Superpages, TheRemainderGoesAsFourKiBExtents)
{
	Sp h;
	h.target(h.total() - 3 * kBlock - 100);
	auto c = h.calls();
	ASSERT_EQ(c.size(), 2u);
	EXPECT_EQ(c[0].order, kOrder);
	EXPECT_EQ(c[0].nr, 3u);
	EXPECT_EQ(c[1].order, 0u);
	EXPECT_EQ(c[1].nr, 100u);
	EXPECT_EQ(h.violations(), "");
	// Deflating: the 100 single pages at the head first, then the blocks.
	h.target(h.total());
	c = h.calls();
	ASSERT_EQ(c.size(), 2u);
	EXPECT_EQ(c[0].order, 0u);
	EXPECT_EQ(c[0].nr, 100u);
	EXPECT_EQ(c[1].order, kOrder);
	EXPECT_EQ(c[1].nr, 3u);
	EXPECT_EQ(h.ballooned(), 0u);
	EXPECT_EQ(h.violations(), "");
}

TEST(Superpages, FragmentedGuestFallsBackToFourKiBAndTriesAgainLater)
{
	Sp h;
	std::vector<ballast_page *> held;
	while (ballast_page *p = h.w.kernel_fragment())
		held.push_back(p);
	ASSERT_EQ(held.size(), 16u);
	h.target(h.total() - 40 * kBlock / 4); // 10 blocks' worth
	auto c = h.calls();
	ASSERT_EQ(c.size(), 10u);
	for (const auto &x : c)
		EXPECT_EQ(x.order, 0u);
	EXPECT_EQ(h.core.counters().super_fallbacks, 1u);
	EXPECT_EQ(h.w.block_calls(), 1u); // one try, then 4 KiB for the next batches
	EXPECT_EQ(h.violations(), "");
	for (ballast_page *p : held)
		h.w.kernel_free(p);
	h.target(h.total());
	EXPECT_EQ(h.ballooned(), 0u);
	EXPECT_EQ(h.violations(), "");
}

TEST(Superpages, HostWithoutContiguousBlocksPopulatesFourKiBInTheSameCall)
{
	world::Config wc = sp_world();
	wc.host_pool = 0;
	Sp h(wc);
	h.target(h.total() - 4 * kBlock);
	h.calls();
	while (h.w.host_fragment()) {
	}
	ASSERT_EQ(h.w.host_free_blocks(), 0u);
	h.target(h.total());
	auto c = h.calls();
	ASSERT_GE(c.size(), 5u);
	EXPECT_EQ(c[0].order, kOrder);
	EXPECT_EQ(c[0].done, 0u);
	for (size_t i = 1; i < c.size(); i++)
		EXPECT_EQ(c[i].order, 0u) << i;
	// 2048 pages went back; the host had 2048 - 4 free MFNs: all but 4.
	EXPECT_EQ(h.ballooned(), 4u);
	EXPECT_EQ(h.core.counters().super_fallbacks, 1u);
	EXPECT_EQ(h.violations(), "");
}

TEST(Superpages, PartialPopulateKeepsTheRestWhole)
{
	world::Config wc = sp_world();
	wc.host_pool = 0;
	Sp h(wc);
	h.target(h.total() - 6 * kBlock);
	h.calls();
	// The host holds the 6 blocks it got back; another domain breaks 4.
	for (int i = 0; i < 4; i++)
		ASSERT_TRUE(h.w.host_fragment());
	ASSERT_EQ(h.w.host_free_blocks(), 2u);
	h.target(h.total());
	auto c = h.calls();
	ASSERT_GE(c.size(), 2u);
	EXPECT_EQ(c[0].order, kOrder);
	EXPECT_EQ(c[0].nr, 6u);
	EXPECT_EQ(c[0].done, 2u);
	// The host ran out of blocks: the rest go as 4 KiB extents, a whole
	// block per batch, until the host runs out of pages (4 short).
	ASSERT_EQ(c.size(), 6u);
	for (size_t i = 1; i < 5; i++) {
		EXPECT_EQ(c[i].order, 0u);
		EXPECT_EQ(c[i].nr, kBlock);
	}
	EXPECT_EQ(c[4].done, kBlock - 4);
	EXPECT_EQ(c[5].nr, 4u); // the last 4: the host has none, back off
	EXPECT_EQ(c[5].done, 0u);
	EXPECT_EQ(h.ballooned(), 4u);
	EXPECT_EQ(h.stats().current_pages, h.total() - 4);
	EXPECT_EQ(h.core.counters().extents_in_super, 2u);
	EXPECT_EQ(h.violations(), "");
}

TEST(Superpages, FourKiBBatchesStopAtTheEndOfABrokenBlock)
{
	Sp h;
	h.target(h.total() - 3 * kBlock);
	h.calls();
	h.w.hv_knobs.max_order = 0;		 // no 2 MiB extents for now
	h.w.hv_knobs.populate.cap_extents = 100; // and a partial 4 KiB reply
	h.core.set_target(h.total());
	h.w.run_pending_now();
	auto c = h.calls();
	ASSERT_GE(c.size(), 3u);
	EXPECT_EQ(c[0].order, kOrder); // refused
	EXPECT_EQ(c[0].done, 0u);
	EXPECT_EQ(c[1].nr, 512u); // a whole block at the head: a full batch
	EXPECT_EQ(c[1].done, 100u);
	EXPECT_EQ(c[2].nr, 412u); // the rest of that block, not into the next
	EXPECT_EQ(h.violations(), "");
}

TEST(Superpages, PartialDecreaseRollsBackTheBlocksXenDidNotTake)
{
	Sp h;
	h.w.hv_knobs.decrease.cap_extents = 3;
	h.target(h.total() - 8 * kBlock);
	auto c = h.calls();
	ASSERT_EQ(c.size(), 1u);
	EXPECT_EQ(c[0].done, 3u);
	EXPECT_EQ(h.ballooned(), 3 * kBlock);
	EXPECT_EQ(h.stats().current_pages, h.total() - 3 * kBlock);
	EXPECT_EQ(h.w.event_count(BALLAST_EV_DECREASE_ROLLBACK), 1u);
	EXPECT_EQ(h.violations(), "");
	h.w.hv_knobs = world::HypervisorKnobs();
	h.w.advance(64);
	EXPECT_EQ(h.stats().current_pages, h.total() - 8 * kBlock);
	EXPECT_EQ(h.violations(), "");
}

TEST(Superpages, HypervisorRefusingTheOrderMeansFourKiBNow)
{
	Sp h;
	h.w.hv_knobs.max_order = 0;
	h.target(h.total() - 2 * kBlock);
	auto c = h.calls();
	ASSERT_EQ(c.size(), 3u);
	EXPECT_EQ(c[0].order, kOrder);
	EXPECT_EQ(c[0].done, 0u);
	EXPECT_EQ(c[1].order, 0u);
	EXPECT_EQ(c[2].order, 0u);
	EXPECT_EQ(h.stats().current_pages, h.total() - 2 * kBlock);
	EXPECT_EQ(h.violations(), "");
}

TEST(Superpages, HostileRepliesAreClampedAndFailuresRolledBack)
{
	Sp h;
	h.target(h.total() - 4 * kBlock);
	h.w.hv_knobs.populate.lie_extra = 5;
	h.target(h.total());
	EXPECT_GE(h.w.event_count(BALLAST_EV_HOSTILE_REPLY), 1u);
	EXPECT_FALSE(h.core.dead());
	EXPECT_EQ(h.violations(), "");
	h.w.hv_knobs = world::HypervisorKnobs();
	h.w.hv_knobs.decrease.fail_next = 1;
	h.w.hv_knobs.decrease.fail_result = -12;
	h.target(h.total() - 4 * kBlock);
	EXPECT_GE(h.w.event_count(BALLAST_EV_DECREASE_ROLLBACK), 1u);
	EXPECT_EQ(h.violations(), "");
	h.w.advance(64);
	EXPECT_EQ(h.stats().current_pages, h.total() - 4 * kBlock);
	EXPECT_EQ(h.violations(), "");
}

TEST(Superpages, PvBlocksGoAsOneExtentOnlyIfMachineContiguous)
{
	// A PV guest booted with its last 100 pages in the balloon: populated
	// as 4 KiB extents, they take the host's next MFNs in list order, so the
	// last block's machine frames are no longer contiguous.
	world::Config wc = sp_world(4 * kBlock, true);
	wc.populated_frames = 4 * kBlock - 100;
	Sp h(wc);
	h.target(4 * kBlock);
	ASSERT_EQ(h.ballooned(), 0u);
	world::Env env(h.w);
	EXPECT_EQ(env.block_machine_contiguous(h.w.frame(3 * kBlock), kOrder), 0);
	EXPECT_EQ(env.block_machine_contiguous(h.w.frame(2 * kBlock), kOrder), 1);
	h.calls();
	h.target(0);
	auto c = h.calls();
	ASSERT_EQ(c.size(), 2u);
	EXPECT_EQ(c[0].order, 0u); // the scattered block: 4 KiB extents
	EXPECT_EQ(c[0].nr, kBlock);
	EXPECT_EQ(c[1].order, kOrder); // the others: one extent each
	EXPECT_EQ(c[1].nr, 3u);
	EXPECT_EQ(h.violations(), "");
	h.target(4 * kBlock);
	EXPECT_EQ(h.ballooned(), 0u);
	EXPECT_EQ(h.violations(), "");
	// Populated as 2 MiB extents on PV, every block is machine-contiguous.
	for (unsigned long b = 0; b < 4; b++)
		EXPECT_EQ(env.block_machine_contiguous(h.w.frame(b * kBlock), kOrder), 1) << b;
}

TEST(Superpages, DrainGivesBackWholeBlocks)
{
	Sp h;
	h.target(h.total() - 8 * kBlock);
	h.calls();
	EXPECT_EQ(h.core.drain(), 0u);
	auto c = h.calls();
	ASSERT_EQ(c.size(), 1u);
	EXPECT_EQ(c[0].order, kOrder);
	EXPECT_EQ(h.violations(), "");
}

TEST(Superpages, LendingStaysFourKiB)
{
	Sp h;
	EXPECT_EQ(h.lend(2 * kBlock), 0);
	for (const auto &x : h.calls())
		EXPECT_EQ(x.order, 0u);
	EXPECT_EQ(h.violations(), "");
}

} // namespace
} // namespace ballast_test
