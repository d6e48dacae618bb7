// SPDX-License-Identifier: GPL-2.0 OR MIT
// The guest allocator and its failure modes.
#include <gtest/gtest.h>

#include <set>

#include "world_env.h"

namespace {

using world::Config;
using world::Env;
using world::World;

Config cfg(unsigned long n = 128)
{
	Config c;
	c.total_frames = n;
	c.populated_frames = n;
	return c;
}

TEST(Allocator, DeterministicOrderAndDistinctPages)
{
	World a(cfg()), b(cfg());
	std::set<unsigned long> seen;
	for (int i = 0; i < 128; ++i) {
		ballast_page *p = a.alloc_page(BALLAST_GFP_BALLOON);
		ballast_page *q = b.alloc_page(BALLAST_GFP_BALLOON);
		ASSERT_NE(p, nullptr);
		EXPECT_EQ(p->pfn, q->pfn);
		EXPECT_TRUE(seen.insert(p->pfn).second);
	}
	EXPECT_EQ(a.alloc_page(BALLAST_GFP_BALLOON), nullptr);
	EXPECT_EQ(a.mem_available(), 0);
}

TEST(Allocator, FreeMakesPagesAllocatableAgainAndCountsManaged)
{
	World w(cfg());
	Env env(w);
	ballast_page *p = env.alloc_page(BALLAST_GFP_USER);
	EXPECT_EQ(w.free_count(), 127u);
	long managed = w.managed_pages();
	env.free_reserved_page(p);
	EXPECT_EQ(w.free_count(), 128u);
	EXPECT_EQ(w.managed_pages(), managed + 1);
	env.adjust_managed_page_count(p, -3);
	EXPECT_EQ(w.managed_pages(), managed - 2);
	// LIFO: the freed page comes back first
	EXPECT_EQ(env.alloc_page(BALLAST_GFP_USER), p);
}

TEST(Allocator, DoubleFreeIsRecordedNotApplied)
{
	World w(cfg());
	ballast_page *p = w.alloc_page(BALLAST_GFP_BALLOON);
	w.free_reserved_page(p);
	w.free_reserved_page(p);
	EXPECT_EQ(w.free_count(), 128u);
	ASSERT_EQ(w.faults().size(), 1u);
	EXPECT_EQ(w.faults()[0].kind, world::Fault::DoubleFree);
}

TEST(Allocator, FailNextK)
{
	World w(cfg());
	w.alloc_knobs.fail_next = 2;
	EXPECT_EQ(w.alloc_page(BALLAST_GFP_BALLOON), nullptr);
	EXPECT_EQ(w.alloc_page(BALLAST_GFP_USER), nullptr);
	EXPECT_NE(w.alloc_page(BALLAST_GFP_BALLOON), nullptr);
	EXPECT_EQ(w.alloc_failures(), 2u);
}

TEST(Allocator, GfpMaskSelectsFlavour)
{
	World w(cfg());
	w.alloc_knobs.storm = true;
	w.alloc_knobs.gfp_mask = 1u << BALLAST_GFP_BALLOON;
	EXPECT_EQ(w.alloc_page(BALLAST_GFP_BALLOON), nullptr);
	EXPECT_NE(w.alloc_page(BALLAST_GFP_USER), nullptr);
}

TEST(Allocator, StormFailsEverything)
{
	World w(cfg());
	w.alloc_knobs.storm = true;
	for (int i = 0; i < 10; ++i)
		EXPECT_EQ(w.alloc_page(BALLAST_GFP_BALLOON), nullptr);
	w.alloc_knobs.storm = false;
	EXPECT_NE(w.alloc_page(BALLAST_GFP_BALLOON), nullptr);
}

TEST(Allocator, PressureAllowsOnlyN)
{
	World w(cfg());
	w.set_pressure(5);
	int got = 0;
	ballast_page *last = nullptr;
	for (int i = 0; i < 20; ++i) {
		ballast_page *p = w.alloc_page(BALLAST_GFP_BALLOON);
		if (p)
			last = p;
		got += p != nullptr;
	}
	EXPECT_EQ(got, 5);
	w.free_reserved_page(last); // one back: one more allocatable
	EXPECT_NE(w.alloc_page(BALLAST_GFP_BALLOON), nullptr);
	EXPECT_EQ(w.alloc_page(BALLAST_GFP_BALLOON), nullptr);
}

TEST(Allocator, ProbabilityIsSeeded)
{
	auto pattern = [](uint64_t seed) {
		Config c = cfg(1024);
		c.seed = seed;
		World w(c);
		w.alloc_knobs.fail_permille = 300;
		std::string s;
		for (int i = 0; i < 64; ++i)
			s += w.alloc_page(BALLAST_GFP_BALLOON) ? '1' : '0';
		return s;
	};
	EXPECT_EQ(pattern(7), pattern(7));
	EXPECT_NE(pattern(7), pattern(8));
	EXPECT_NE(pattern(7).find('0'), std::string::npos);
}

TEST(Allocator, HighmemForBalloonLowmemForUser)
{
	Config c = cfg(128);
	c.highmem_start_pfn = 100;
	World w(c);
	Env env(w);
	ballast_page *h = env.alloc_page(BALLAST_GFP_BALLOON);
	EXPECT_TRUE(env.page_is_highmem(h));
	EXPECT_GE(h->pfn, 100u);
	for (int i = 0; i < 100; ++i) {
		ballast_page *l = env.alloc_page(BALLAST_GFP_USER);
		ASSERT_NE(l, nullptr);
		EXPECT_FALSE(env.page_is_highmem(l));
	}
	EXPECT_EQ(env.alloc_page(BALLAST_GFP_USER), nullptr); // only highmem left
	EXPECT_NE(env.alloc_page(BALLAST_GFP_BALLOON), nullptr);
}

TEST(Allocator, MemAvailableDefaultReserveAndOverride)
{
	Config c = cfg(128);
	c.mem_available_reserve = 28;
	c.totalreserve_pages = 9;
	World w(c);
	Env env(w);
	EXPECT_EQ(env.mem_available(), 100);
	EXPECT_EQ(env.totalreserve_pages(), 9u);
	w.set_mem_available_override(-5);
	EXPECT_EQ(env.mem_available(), -5);
	w.set_mem_available_override(0);
	EXPECT_EQ(env.mem_available(), 0);
	w.clear_mem_available_override();
	env.alloc_page(BALLAST_GFP_BALLOON);
	EXPECT_EQ(env.mem_available(), 99);
}

TEST(Allocator, KernelFramesAreNotFree)
{
	Config c = cfg(128);
	c.kernel_frames = 28;
	World w(c);
	EXPECT_EQ(w.free_count(), 100u);
	EXPECT_EQ(world::state_of(w.frame(0)), world::FrameState::Kernel);
	ballast_page *p = w.kernel_alloc();
	EXPECT_EQ(world::state_of(p), world::FrameState::Kernel);
	w.kernel_free(p);
	EXPECT_EQ(world::state_of(p), world::FrameState::Free);
}

TEST(Allocator, EnvPageAccessors)
{
	World w(cfg());
	Env env(w);
	ballast_page *p = env.pfn_to_page(17);
	EXPECT_EQ(env.page_to_pfn(p), 17u);
	EXPECT_EQ(env.lru_to_page(env.page_lru(p)), p);
	env.set_page_offline(p);
	EXPECT_EQ(p->offline, 1);
	env.clear_page_offline(p);
	EXPECT_EQ(p->offline, 0);
	EXPECT_EQ(env.pfn_to_page(1u << 20), nullptr);
	EXPECT_EQ(w.faults().back().kind, world::Fault::BadPfn);
}

} // namespace
