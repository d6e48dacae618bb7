// SPDX-License-Identifier: GPL-2.0 OR MIT
// Superpage blocks in the world: the guest allocator's aligned blocks
// (alloc_block, kernel_fragment) and Xen's extents of order > 0 on the real
// ABI (populate, increase, decrease; per-extent success and failure; a host
// that runs out of contiguous blocks before it runs out of pages).
#include <gtest/gtest.h>

#include <cerrno>
#include <set>
#include <vector>

#include "invariants.h"
#include "world_env.h"

namespace {

using world::Config;
using world::Env;
using world::Frame;
using world::MFN_BASE;
using world::World;

Config cfg(unsigned long frames, unsigned order, bool pv = false)
{
	Config c;
	c.total_frames = frames;
	c.populated_frames = frames;
	c.max_pages = frames * 4;
	c.host_pool = frames * 2;
	c.superpage_order = order;
	c.pv = pv;
	return c;
}

long op(World &w, unsigned cmd, unsigned order, std::vector<xen_pfn_t> &frames)
{
	xen_memory_reservation r{};
	set_xen_guest_handle(r.extent_start, frames.data());
	r.nr_extents = frames.size();
	r.extent_order = order;
	r.domid = DOMID_SELF;
	return w.memory_op(cmd, &r);
}

// Every frame/MFN in one place, and the block counters right.
std::string check(World &w)
{
	ballast_list head = {&head, &head};
	std::vector<ballast_page *> none;
	world::InvariantChecker chk;
	world::CheckOptions o;
	o.check_current_pages = false;
	chk.check(w, &head, ballast_stats{}, none, o);
	return chk.report();
}

TEST(WorldBlocks, AllocBlockIsAlignedWhollyFreeAndHighestFirst)
{
	World w(cfg(64, 3));
	EXPECT_EQ(w.free_blocks(), 8u);
	Frame *b = w.alloc_block(BALLAST_GFP_BALLOON, 3);
	ASSERT_NE(b, nullptr);
	EXPECT_EQ(b->pfn, 56u);
	for (unsigned long pfn = 56; pfn < 64; ++pfn)
		EXPECT_EQ(world::state_of(w.frame(pfn)), world::FrameState::Core) << pfn;
	EXPECT_EQ(w.free_count(), 56u);
	EXPECT_EQ(w.free_blocks(), 7u);
	// The stack stays LIFO but for the frames moved into the block's places:
	// its top 8 (pfns 0..7), so pfn 8 is on top now.
	Frame *p = w.alloc_page(BALLAST_GFP_BALLOON);
	EXPECT_EQ(p->pfn, 8u);
	// Block 1 is no longer whole: the next blocks are 6..2 and 0, then none.
	std::set<unsigned long> got;
	while (Frame *f = w.alloc_block(BALLAST_GFP_BALLOON, 3)) {
		EXPECT_EQ(f->pfn % 8, 0u);
		got.insert(f->pfn);
	}
	EXPECT_EQ(got, (std::set<unsigned long>{0, 16, 24, 32, 40, 48}));
	EXPECT_EQ(w.free_count(), 7u);
	// Freed one by one, a block is whole again and allocatable.
	for (unsigned long pfn = 24; pfn < 32; ++pfn)
		w.free_reserved_page(w.frame(pfn));
	Frame *again = w.alloc_block(BALLAST_GFP_BALLOON, 3);
	ASSERT_NE(again, nullptr);
	EXPECT_EQ(again->pfn, 24u);
}

TEST(WorldBlocks, AllocBlockRefusesWhatTheWorldCannotBe)
{
	World w(cfg(64, 3));
	EXPECT_EQ(w.alloc_block(BALLAST_GFP_BALLOON, 2), nullptr); // not the world's order
	EXPECT_EQ(w.alloc_block(BALLAST_GFP_BALLOON, 0), nullptr);
	EXPECT_EQ(w.alloc_block(BALLAST_GFP_USER, 3), nullptr);
	w.alloc_knobs.fail_next = 1;
	EXPECT_EQ(w.alloc_block(BALLAST_GFP_BALLOON, 3), nullptr);
	w.set_pressure(7); // fewer than a block may be taken
	EXPECT_EQ(w.alloc_block(BALLAST_GFP_BALLOON, 3), nullptr);
	EXPECT_EQ(check(w), "");
	w.set_pressure(8);
	EXPECT_NE(w.alloc_block(BALLAST_GFP_BALLOON, 3), nullptr);
	EXPECT_EQ(w.block_failures(), 5u);

	World none(cfg(64, 0));
	EXPECT_EQ(none.alloc_block(BALLAST_GFP_BALLOON, 0), nullptr);
	EXPECT_EQ(none.free_blocks(), 0u);
	EXPECT_EQ(none.kernel_fragment(), nullptr);
}

TEST(WorldBlocks, KernelFragmentBreaksEveryBlockWithOneFrame)
{
	World w(cfg(64, 3));
	std::vector<Frame *> taken;
	while (Frame *f = w.kernel_fragment())
		taken.push_back(f);
	ASSERT_EQ(taken.size(), 8u);
	EXPECT_EQ(taken[0]->pfn, 60u); // the middle of the highest block
	EXPECT_EQ(w.free_blocks(), 0u);
	EXPECT_EQ(w.alloc_block(BALLAST_GFP_BALLOON, 3), nullptr);
	EXPECT_EQ(w.free_count(), 56u); // pages are left, blocks are not
	Frame *p = w.alloc_page(BALLAST_GFP_BALLOON);
	ASSERT_NE(p, nullptr);
	w.free_reserved_page(p);
	EXPECT_EQ(check(w), "");
	w.kernel_free(taken[0]);
	EXPECT_EQ(w.free_blocks(), 1u);
	EXPECT_EQ(check(w), "");
}

TEST(WorldExtents, PopulateTakesOneAlignedHostBlockPerExtent)
{
	World w(cfg(64, 3));
	Env env(w);
	// Hand two blocks back to Xen first (gfns 8..23), then populate them.
	std::vector<xen_pfn_t> f{8, 16};
	ASSERT_EQ(op(w, XENMEM_decrease_reservation, 3, f), 2);
	EXPECT_EQ(w.tot_pages(), 48u);
	EXPECT_EQ(w.trace_last().order, 3u);
	EXPECT_EQ(w.memory_op_pages(XENMEM_decrease_reservation), 16u);
	ASSERT_EQ(op(w, XENMEM_populate_physmap, 3, f), 2);
	EXPECT_EQ(w.tot_pages(), 64u);
	for (unsigned long g : {8UL, 16UL}) {
		const unsigned long m0 = w.frame(g)->p2m;
		EXPECT_EQ((m0 - MFN_BASE) % 8, 0u) << "extent at gfn " << g << " is aligned";
		for (unsigned long j = 0; j < 8; ++j) {
			EXPECT_EQ(w.frame(g + j)->p2m, m0 + j);
			EXPECT_EQ(w.m2p(m0 + j), g + j);
		}
	}
	EXPECT_EQ(w.memory_op_calls(XENMEM_populate_physmap), 1u);
	EXPECT_EQ(check(w), "");
}

TEST(WorldExtents, PvPopulateReturnsTheFirstMfnOfEachExtent)
{
	World w(cfg(64, 3, true));
	Env env(w);
	std::vector<xen_pfn_t> f{MFN_BASE + 8, MFN_BASE + 16}; // PV: machine frames
	for (unsigned long pfn = 8; pfn < 24; ++pfn)
		env.va_mapping_reset(w.frame(pfn)); // p2m and direct map
	env.flush_tlb_all();
	ASSERT_EQ(op(w, XENMEM_decrease_reservation, 3, f), 2);
	std::vector<xen_pfn_t> g{8, 16};
	ASSERT_EQ(op(w, XENMEM_populate_physmap, 3, g), 2);
	for (unsigned i = 0; i < 2; ++i) {
		EXPECT_EQ((g[i] - MFN_BASE) % 8, 0u);
		for (unsigned long j = 0; j < 8; ++j) {
			EXPECT_EQ(w.m2p(g[i] + j), 8 + 8 * i + j);
			env.va_mapping_update(w.frame(8 + 8 * i + j), g[i] + j);
		}
	}
	EXPECT_EQ(check(w), "");
	EXPECT_EQ(env.block_machine_contiguous(w.frame(8), 3), 1);
	w.set_p2m(9, g[1]); // scattered: no longer one extent
	EXPECT_EQ(env.block_machine_contiguous(w.frame(8), 3), 0);
}

TEST(WorldExtents, HostRunsOutOfBlocksBeforePages)
{
	Config c = cfg(64, 3);
	c.host_pool = 32;
	World w(c);
	std::vector<xen_pfn_t> big{0, 8, 16, 24, 32, 40, 48, 56};
	ASSERT_EQ(op(w, XENMEM_decrease_reservation, 3, big), 8);
	EXPECT_EQ(w.host_free_blocks(), 12u); // 8 returned + 4 fresh
	// Another domain takes one MFN from every whole block.
	unsigned long broken = 0;
	while (w.host_fragment())
		++broken;
	EXPECT_EQ(broken, 12u);
	EXPECT_EQ(w.host_free_blocks(), 0u);
	EXPECT_EQ(w.host_free(), 96u - 12u);
	std::vector<xen_pfn_t> one{0};
	EXPECT_EQ(op(w, XENMEM_populate_physmap, 3, one), 0); // no contiguous block
	EXPECT_EQ(w.trace_last().done, 0u);
	std::vector<xen_pfn_t> small{0, 1, 2, 3};
	EXPECT_EQ(op(w, XENMEM_populate_physmap, 0, small), 4); // but pages
}

TEST(WorldExtents, PerExtentSuccessAndFailure)
{
	World w(cfg(64, 3));
	// max_pages: the second extent would exceed it.
	std::vector<xen_pfn_t> out{0, 8, 16};
	ASSERT_EQ(op(w, XENMEM_decrease_reservation, 3, out), 3);
	w.set_max_pages(48);
	EXPECT_EQ(op(w, XENMEM_populate_physmap, 3, out), 1);
	EXPECT_EQ(w.tot_pages(), 48u);
	// A hole in the middle of an extent: the pages before it go, the
	// extent is not counted, and the world names the fault.
	std::vector<xen_pfn_t> holed{24, 8};
	EXPECT_EQ(op(w, XENMEM_decrease_reservation, 3, holed), 1);
	EXPECT_EQ(w.tot_pages(), 40u);
	EXPECT_EQ(w.frame(8)->p2m, world::INVALID_MFN);
	ASSERT_FALSE(w.faults().empty());
	EXPECT_EQ(w.faults().back().kind, world::Fault::DecreaseNotOwned);
	w.clear_faults();
	// Above max_order Xen does nothing.
	w.hv_knobs.max_order = 2;
	std::vector<xen_pfn_t> more{32};
	EXPECT_EQ(op(w, XENMEM_decrease_reservation, 3, more), 0);
	EXPECT_EQ(w.tot_pages(), 40u);
	// An order the host has no blocks of: populate finds none.
	w.hv_knobs.max_order = 9;
	std::vector<xen_pfn_t> other{0};
	EXPECT_EQ(op(w, XENMEM_populate_physmap, 2, other), 0);
	// The cap is per extent.
	w.hv_knobs.decrease.cap_extents = 1;
	std::vector<xen_pfn_t> two{32, 40};
	EXPECT_EQ(op(w, XENMEM_decrease_reservation, 3, two), 1);
	EXPECT_EQ(w.tot_pages(), 32u);
}

TEST(WorldBlocks, CheckerCatchesABlockCounterThatLies)
{
	World w(cfg(64, 3));
	EXPECT_EQ(check(w), "");
	auto &counts = const_cast<std::vector<uint32_t> &>(w.block_free_counts());
	counts[2]--;
	std::string r = check(w);
	EXPECT_NE(r.find("block at pfn 0x10: 8 frames free, the allocator counts 7"),
		  std::string::npos)
		<< r;
	counts[2]++;
	auto &hcounts = const_cast<std::vector<uint32_t> &>(w.host_block_free_counts());
	std::vector<xen_pfn_t> f{0};
	ASSERT_EQ(op(w, XENMEM_decrease_reservation, 3, f), 1);
	hcounts[0]++;
	r = check(w);
	EXPECT_NE(r.find("host block at MFN 0x100000: 8 MFNs host-free, the host counts 9"),
		  std::string::npos)
		<< r;
}

} // namespace
