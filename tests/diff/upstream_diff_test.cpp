// SPDX-License-Identifier: GPL-2.0 OR MIT
// The core against the upstream driver (diff/upstream_subject.h): the
// matching profiles never diverge; the ballast profile diverges only where a
// named switch explains it; a broken copy of the core is caught.
// The long runs (10^6 scenarios) are `ballast-diff campaign`.
#include "test_scale.h"
#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "core_subject.h"
#include "driver.h"
#include "fast_attribution.h"
#include "world.h"

using namespace ballast::diff;
using namespace ballast::scenario;

namespace {

constexpr uint64_t kCount = scaled_count(40000, 10000);

bool make(Pair &p, const char *l, const char *r)
{
	std::string err;
	if (!upstream_available())
		return false;
	bool ok = p.make(l, r, &err);
	EXPECT_TRUE(ok) << err;
	return ok;
}

std::string failure(Pair &p, const CampaignStats &st)
{
	if (!st.have_failure && !st.have_divergence)
		return st.summary();
	RunOptions o;
	o.attribute = p.attributable();
	Report r = run_one(p, st.have_failure ? st.first_failure : st.first_divergence, o);
	return st.summary() + report_text(r) + report_repro(r);
}

void zero_divergences(const char *core, const char *up, uint64_t seed)
{
	Pair p;
	if (!make(p, core, up))
		FAIL() << "upstream subject not built: no seed driver at BALLAST_UPSTREAM_SEED (see the configure warning)";
	for (bool hostile : {true, false}) {
		GenOptions g;
		g.hostile = hostile;
		CampaignStats st =
			run_random(p, kCount / 2, seed + (hostile ? 0 : 1000000), g, false, true);
		EXPECT_EQ(st.divergences, 0u) << failure(p, st);
		EXPECT_EQ(st.scenarios, kCount / 2);
	}
}

void fully_attributed(const char *up, uint64_t seed)
{
	Pair p;
	if (!make(p, "core:ballast", up))
		FAIL() << "upstream subject not built: no seed driver at BALLAST_UPSTREAM_SEED (see the configure warning)";
	CampaignStats st = run_random(p, kCount / 4, seed, GenOptions(), true, true);
	EXPECT_GT(st.divergences, 0u);
	EXPECT_EQ(st.unattributed, 0u) << failure(p, st);
	EXPECT_GT(st.by_switch["superpage_extents"], 0u) << st.summary();
	std::cout << st.summary();
}

TEST(UpstreamDiff, Linux2019ProfileMatchesTheSeed)
{
	zero_divergences("core:linux-2019", "upstream:seed", 1);
}
TEST(UpstreamDiff, Linux61ProfileMatches61)
{
	zero_divergences("core:linux-6.1", "upstream:6.1", 1);
}
TEST(UpstreamDiff, Linux612ProfileMatches612)
{
	zero_divergences("core:linux-6.12", "upstream:6.12", 1);
}
TEST(UpstreamDiff, BallastVersusSeedFullyAttributed)
{
	fully_attributed("upstream:seed", 7);
}
TEST(UpstreamDiff, BallastVersus61FullyAttributed)
{
	fully_attributed("upstream:6.1", 7);
}
TEST(UpstreamDiff, BallastVersus612FullyAttributed)
{
	fully_attributed("upstream:6.12", 7);
}

// Two upstream versions: every difference is explained by the switches where
// the profiles that model them differ (through the left version's model).
void upstream_history_attributed(const char *from, const char *to, const char *must_name)
{
	Pair p;
	if (!make(p, from, to))
		FAIL() << "upstream subject not built";
	CampaignStats st = run_random(p, kCount / 8, 11, GenOptions(), true, true);
	EXPECT_GT(st.divergences, 0u);
	EXPECT_EQ(st.unattributed, 0u) << failure(p, st);
	EXPECT_GT(st.by_switch[must_name], 0u) << st.summary();
	std::cout << st.summary();
}
TEST(UpstreamDiff, SeedTo61Attributed)
{
	upstream_history_attributed("upstream:seed", "upstream:6.1", "kthread_worker");
}
TEST(UpstreamDiff, Linux61To612Attributed)
{
	upstream_history_attributed("upstream:6.1", "upstream:6.12",
				    "dom0_initial_pages_from_reservation");
}

// The boot types reach every initial figure the switches decide, with zero
// divergences in each matching pair.
TEST(UpstreamDiff, BootTypesReached)
{
	const char *const pairs[][2] = {{"core:linux-2019", "upstream:seed"},
					{"core:linux-6.1", "upstream:6.1"},
					{"core:linux-6.12", "upstream:6.12"}};
	for (const auto &pr : pairs) {
		Pair p;
		if (!make(p, pr[0], pr[1]))
			FAIL() << "upstream subject not built";
		Scenario s;
		Divergence d;
		unsigned long dom0 = 0, pvh = 0, pod = 0, unpop = 0, firmware = 0, waits = 0,
			      panics = 0, refused = 0;
		for (uint64_t i = 0; i < 3000; i++) {
			generate_scenario(200000 + i, GenOptions(), &s);
			ASSERT_FALSE(p.engine.run(s, *p.left, *p.right, &d))
				<< pr[0] << " vs " << pr[1] << ": " << d.describe() << "\n"
				<< print_scenario(s);
			const Header &h = s.header;
			dom0 += h.dom0 != 0;
			pvh += h.pvh != 0;
			pod += h.pod != 0;
			unpop += h.unpopulated_alloc != 0;
			firmware += h.firmware != 0;
			for (const Op &o : s.ops)
				waits += o.kind == OpKind::BootWait;
			panics += p.engine.left_world().event_count(BALLAST_EV_PANIC_BOOT_TIMEOUT) >
				  0;
			refused += p.engine.last_steps() == 1 && !s.ops.empty();
		}
		std::cout << pr[0] << " vs " << pr[1] << ": dom0 " << dom0 << ", pvh " << pvh
			  << ", pod " << pod << ", unpopulated_alloc " << unpop << ", firmware "
			  << firmware << ", boot waits " << waits << ", panics " << panics
			  << ", boots refused " << refused << "\n";
		EXPECT_GT(dom0, 100u);
		EXPECT_GT(pvh, 300u);
		EXPECT_GT(pod, 100u);
		EXPECT_GT(unpop, 50u);
		EXPECT_GT(firmware, 100u);
		EXPECT_GT(waits, 100u);
	}
}

// The generator reaches what the last core changes made comparable: a
// lending caller hung upstream holding pages (compared after the hang, not
// the end of the scenario), populate replies beyond one batch
// (UB_FRAME_OVERRUN), and negative lending counts (6.1: unsigned API) --
// with zero divergences.
void reaches_new_behaviour(const char *core, const char *up)
{
	Pair p;
	if (!make(p, core, up))
		FAIL() << "upstream subject not built: no seed driver at BALLAST_UPSTREAM_SEED (see the configure warning)";
	Scenario s;
	Divergence d;
	unsigned long held = 0, events_after_hang = 0, overruns = 0, negative = 0;
	for (uint64_t i = 0; i < 4000; i++) {
		generate_scenario(100000 + i, GenOptions(), &s);
		ASSERT_FALSE(p.engine.run(s, *p.left, *p.right, &d)) << d.describe() << "\n"
								     << print_scenario(s);
		world::World &w = p.engine.left_world();
		overruns += w.event_count(BALLAST_EV_UB_FRAME_OVERRUN) > 0;
		if (p.engine.held_pages(true) > 0) {
			held++;
			const auto &ev = w.events();
			for (size_t k = 0; k < ev.size(); k++)
				if (ev[k].ev == BALLAST_EV_HANG_WAIT)
					events_after_hang += k + 1 < ev.size();
		}
		for (const Op &o : s.ops)
			negative += o.kind == OpKind::Lend && o.arg[0] < 0;
	}
	std::cout << core << " vs " << up << ": " << held
		  << " scenarios with a hung lender holding pages, " << overruns
		  << " with UB_FRAME_OVERRUN, " << events_after_hang
		  << " with events after the hang, " << negative << " negative lends\n";
	EXPECT_GT(held, 5u);
	EXPECT_GT(events_after_hang, 0u); // compared past the hang, not cut there
	EXPECT_GT(overruns, 5u);
	EXPECT_GT(negative, 100u);
}

TEST(UpstreamDiff, Linux2019ReachesHungLendersOverrunsNegativeLends)
{
	reaches_new_behaviour("core:linux-2019", "upstream:seed");
}
TEST(UpstreamDiff, Linux61ReachesHungLendersOverrunsNegativeLends)
{
	reaches_new_behaviour("core:linux-6.1", "upstream:6.1");
}
TEST(UpstreamDiff, Linux612ReachesHungLendersOverrunsNegativeLends)
{
	reaches_new_behaviour("core:linux-6.12", "upstream:6.12");
}

// What the diff_upstream fuzz target relies on, against the real drivers.
TEST(UpstreamDiff, OneRerunDecidesLikeTheFullChain)
{
	for (const char *up : {"upstream:seed", "upstream:6.1", "upstream:6.12"}) {
		Pair p;
		if (!make(p, "core:ballast", up))
			FAIL() << "upstream subject not built: no seed driver at BALLAST_UPSTREAM_SEED (see the configure warning)";
		FastAttributionCounts c = fast_attribution_agrees(p, kCount / 20, 33);
		EXPECT_GT(c.attributed, 100u) << up;
	}
}

TEST(UpstreamDiff, PlantedFaultIsCaughtAndNotAttributed)
{
	for (const char *up : {"upstream:seed", "upstream:6.1", "upstream:6.12"}) {
		Pair p;
		const std::string u = up;
		if (!make(p, up,
			  u == "upstream:seed" ? "planted:linux-2019" :
			  u == "upstream:6.1"  ? "planted:linux-6.1" :
						 "planted:linux-6.12"))
			FAIL() << "upstream subject not built: no seed driver at BALLAST_UPSTREAM_SEED (see the configure warning)";
		CampaignStats st = run_random(p, 300, 3, GenOptions(), true, false);
		EXPECT_GT(st.divergences, 50u) << up;
		EXPECT_EQ(st.attributed, 0u) << up;
		EXPECT_EQ(st.unattributed, st.divergences) << up;
	}
}

} // namespace

namespace {

// The generator reaches superpage extents in both directions, and each way
// they fall back to 4 KiB: no block in the guest, none in the host, an order
// Xen refuses, a partial reply -- the ballast core against the seed, with
// every divergence attributed (BallastVersus*FullyAttributed) and the
// matching profiles unmoved by the new operations (*Matches*).
TEST(UpstreamDiff, BallastReachesSuperpageExtentsAndTheirFallbacks)
{
	Pair p;
	if (!make(p, "core:ballast", "upstream:seed"))
		FAIL() << "upstream subject not built";
	auto *core = dynamic_cast<CoreSubject *>(p.left.get());
	ASSERT_NE(core, nullptr);
	Scenario s;
	Divergence d;
	unsigned long out = 0, in = 0, fallbacks = 0, rollbacks = 0;
	for (uint64_t i = 0; i < 4000; i++) {
		generate_scenario(200000 + i, GenOptions(), &s);
		p.engine.run(s, *p.left, *p.right, &d);
		const ballast_counters &k = core->core().counters();
		out += k.extents_out_super > 0;
		in += k.extents_in_super > 0;
		fallbacks += k.super_fallbacks > 0;
		rollbacks += k.extents_out_super > 0 &&
			     p.engine.left_world().event_count(BALLAST_EV_DECREASE_ROLLBACK) > 0;
	}
	std::cout << out << " scenarios with superpage extents out, " << in << " in, " << fallbacks
		  << " with a fallback to 4 KiB, " << rollbacks
		  << " with a rollback after superpages went out\n";
	EXPECT_GT(out, 200u);
	EXPECT_GT(in, 100u);
	EXPECT_GT(fallbacks, 50u);
	EXPECT_GT(rollbacks, 5u);
}

} // namespace
