// SPDX-License-Identifier: GPL-2.0 OR MIT
// Memory hotplug: resources, add_memory_resource, onlining callbacks.
#include <gtest/gtest.h>

#include <cerrno>
#include <vector>

#include "invariants.h"
#include "mini_balloon.h"
#include "world_env.h"

namespace {

using world::Config;
using world::Env;
using world::FrameState;
using world::World;

Config hp(unsigned long pps = 16, bool pv = false)
{
	Config c;
	c.total_frames = 100;
	c.populated_frames = 100;
	c.pages_per_section = pps;
	c.pv = pv;
	c.host_pool = 256;
	return c;
}

struct Onliner {
	wtest::MiniBalloon *b = nullptr;
	std::vector<unsigned long> pfns;
	std::vector<unsigned long> notified;
	static void online(void *ctx, ballast_page *p, unsigned order)
	{
		auto *o = static_cast<Onliner *>(ctx);
		EXPECT_EQ(order, 0u);
		o->pfns.push_back(p->pfn);
		if (o->b)
			o->b->append(p);
	}
	static int notify(void *ctx, unsigned long action)
	{
		static_cast<Onliner *>(ctx)->notified.push_back(action);
		return 0;
	}
};

TEST(WorldHotplug, AllocateResourceIsAboveTopAndAligned)
{
	World w(hp(16));
	Env env(w);
	EXPECT_EQ(env.pages_per_section(), 16u);
	ballast_resource r{};
	ASSERT_EQ(env.allocate_resource(16 * 4096, 16 * 4096, &r), 0);
	EXPECT_EQ(r.start, 112ULL * 4096); // first section boundary at/above pfn 100
	EXPECT_EQ(r.size, 16ULL * 4096);
	ballast_resource r2{};
	ASSERT_EQ(env.allocate_resource(4096, 64 * 4096, &r2), 0); // align argument honoured
	EXPECT_EQ(r2.start % (64 * 4096), 0u);
	EXPECT_GE(r2.start, r.start + r.size);
	env.release_resource(&r2);
	ballast_resource r3{};
	ASSERT_EQ(env.allocate_resource(4096, 0, &r3), 0); // section alignment still applies
	EXPECT_EQ(r3.start, 128ULL * 4096);
	EXPECT_TRUE(w.faults().empty());
}

TEST(WorldHotplug, KnobsMakeItFail)
{
	World w(hp());
	Env env(w);
	ballast_resource r{};
	w.hp_knobs.allocate_resource_result = -EBUSY;
	EXPECT_EQ(env.allocate_resource(4096, 0, &r), -EBUSY);
	w.hp_knobs.allocate_resource_result = 0;
	ASSERT_EQ(env.allocate_resource(16 * 4096, 0, &r), 0);
	w.hp_knobs.add_memory_result = -ENOMEM;
	EXPECT_EQ(env.add_memory_resource(0, &r), -ENOMEM);
	ballast_page *f = w.frame(r.start >> 12); // nothing created (the frame may exist, absent)
	EXPECT_TRUE(f == nullptr || world::state_of(f) == FrameState::Absent);
	w.hp_knobs.set_p2m_fail_after = 2;
	EXPECT_EQ(env.set_phys_to_machine_invalid(1000), 1);
	EXPECT_EQ(env.set_phys_to_machine_invalid(1001), 1);
	EXPECT_EQ(env.set_phys_to_machine_invalid(1002), 0);
	w.hp_knobs.alloc_p2m_result = -ENOMEM;
	EXPECT_EQ(env.alloc_p2m_entry(5), -ENOMEM);
	EXPECT_EQ(env.memory_add_physaddr_to_nid(r.start), 0);
	EXPECT_EQ(env.addressable_pfn_limit(), 1UL << 34);
}

TEST(WorldHotplug, AddCreatesOfflineFramesAndKeepsPointersStable)
{
	World w(hp(4096)); // far section: frames must grow past the boot block
	Env env(w);
	ballast_page *p50 = env.pfn_to_page(50);
	ballast_resource r{};
	ASSERT_EQ(env.allocate_resource(4096ULL * 4096, 0, &r), 0);
	EXPECT_EQ(r.start >> 12, 4096u);
	ASSERT_EQ(env.add_memory_resource(0, &r), 0);
	EXPECT_EQ(env.pfn_to_page(50), p50);
	EXPECT_EQ(p50->pfn, 50u);
	for (unsigned long pfn = 4096; pfn < 8192; pfn += 511) {
		ballast_page *p = env.pfn_to_page(pfn);
		ASSERT_NE(p, nullptr);
		EXPECT_EQ(p->pfn, pfn);
		EXPECT_EQ(p->offline, 1);
		EXPECT_EQ(world::state_of(p), FrameState::HotplugOffline);
		EXPECT_FALSE(w.populated(p));
	}
	EXPECT_EQ(w.guest_top_pfn(), 8192u);
	// a hole between the boot frames and the new range has no frames... or absent ones
	ballast_page *hole = w.frame(3000);
	EXPECT_TRUE(hole == nullptr || world::state_of(hole) == FrameState::Absent);
	// releasing a resource that was added is a fault
	env.release_resource(&r);
	ASSERT_FALSE(w.faults().empty());
	EXPECT_EQ(w.faults().back().kind, world::Fault::ReleaseAddedResource);
}

TEST(WorldHotplug, OnlineCallsCallbackPerPageThenNotifier)
{
	World w(hp(16));
	Env env(w);
	wtest::MiniBalloon b(w);
	Onliner o;
	o.b = &b;
	w.set_online_page_callback(&Onliner::online, &o);
	w.set_memory_notifier(&Onliner::notify, &o);
	ballast_resource r{};
	ASSERT_EQ(env.allocate_resource(16 * 4096, 0, &r), 0);
	ASSERT_EQ(env.add_memory_resource(0, &r), 0);
	EXPECT_TRUE(o.pfns.empty()); // manual policy: not yet
	EXPECT_TRUE(w.has_offline_ranges());
	EXPECT_EQ(w.online_pending(), 16u);
	ASSERT_EQ(o.pfns.size(), 16u);
	EXPECT_EQ(o.pfns.front(), 112u);
	EXPECT_EQ(o.notified, std::vector<unsigned long>{BALLAST_MEM_ONLINE});
	EXPECT_EQ(w.online_pending(), 0u); // only once
	// the balloon holds 16 unpopulated pages; populate them through the mini balloon
	world::InvariantChecker chk;
	EXPECT_EQ(chk.check(w, &b.head, b.stats, nullptr, 0), 0u) << chk.report();
	w.set_max_pages(200);
	EXPECT_EQ(b.in(16), 16);
	EXPECT_EQ(chk.check(w, &b.head, b.stats, nullptr, 0), 0u) << chk.report();
	EXPECT_EQ(w.free_count(), 116u);
}

TEST(WorldHotplug, SyncPolicyOnlinesInsideAdd)
{
	Config c = hp(16);
	c.online_policy = world::OnlinePolicy::Sync;
	World w(c);
	Env env(w);
	Onliner o;
	w.set_online_page_callback(&Onliner::online, &o);
	w.set_memory_notifier(&Onliner::notify, &o);
	ballast_resource r{};
	ASSERT_EQ(env.allocate_resource(16 * 4096, 0, &r), 0);
	ASSERT_EQ(env.add_memory_resource(0, &r), 0);
	EXPECT_EQ(o.pfns.size(), 16u);
	EXPECT_EQ(o.notified.size(), 1u);
}

struct ListCond {
	const ballast_list *head;
	static int fn(void *a)
	{
		auto *c = static_cast<ListCond *>(a);
		return c->head->next != c->head;
	}
};

TEST(WorldHotplug, DeferredPolicyOnlinesInWaitOrScheduler)
{
	Config c = hp(16);
	c.online_policy = world::OnlinePolicy::Deferred;
	World w(c);
	Env env(w);
	wtest::MiniBalloon b(w);
	Onliner o;
	o.b = &b;
	w.set_online_page_callback(&Onliner::online, &o);
	ballast_resource r{};
	ASSERT_EQ(env.allocate_resource(16 * 4096, 0, &r), 0);
	ASSERT_EQ(env.add_memory_resource(0, &r), 0);
	EXPECT_TRUE(o.pfns.empty());
	ListCond lc{&b.head};
	EXPECT_EQ(env.wait_pages(&ListCond::fn, &lc, 1, 0), BALLAST_WAIT_OK);
	EXPECT_EQ(o.pfns.size(), 16u);
	// and via the scheduler
	ballast_resource r2{};
	ASSERT_EQ(env.allocate_resource(16 * 4096, 0, &r2), 0);
	ASSERT_EQ(env.add_memory_resource(0, &r2), 0);
	w.run_pending_now();
	EXPECT_EQ(o.pfns.size(), 32u);
}

TEST(WorldHotplug, WithoutCallbackPagesGoToTheAllocatorUnpopulated)
{
	World w(hp(16));
	Env env(w);
	ballast_resource r{};
	ASSERT_EQ(env.allocate_resource(16 * 4096, 0, &r), 0);
	ASSERT_EQ(env.add_memory_resource(0, &r), 0);
	w.online_pending();
	EXPECT_EQ(w.free_count(), 116u);
	ballast_list head{&head, &head};
	ballast_stats st{};
	st.current_pages = 100;
	world::InvariantChecker chk;
	EXPECT_EQ(chk.check(w, &head, st, nullptr, 0), 16u); // free but unpopulated
	EXPECT_TRUE(chk.has(world::Check::PopulatedWrong));
}

TEST(WorldHotplug, PvSetPhysToMachineInvalidWorksBeforeFramesExist)
{
	World w(hp(16, true));
	Env env(w);
	EXPECT_EQ(env.set_phys_to_machine_invalid(5000), 1);
	EXPECT_EQ(env.set_phys_to_machine_invalid(7), 1);
	EXPECT_EQ(w.get_p2m(7), world::INVALID_MFN);
}

} // namespace
