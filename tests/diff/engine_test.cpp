// SPDX-License-Identifier: GPL-2.0 OR MIT
// The lock-step engine, attribution and reports, core against core (and a
// planted fault). The upstream comparisons are in upstream_diff_test.cpp.
#include "test_scale.h"
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "core_subject.h"
#include "fast_attribution.h"
#include "driver.h"
#include "text.h"
#include "world.h"

using namespace ballast;
using namespace ballast::diff;
using namespace ballast::scenario;

namespace {

Scenario parse(const char *text)
{
	Scenario s;
	ParseError e;
	EXPECT_TRUE(parse_scenario(text, &s, &e)) << e.to_string();
	return s;
}

// Number of random scenarios per test: enough to exercise every op, small
// enough for ASan in CI.
constexpr uint64_t kRandom = scaled_count(6000, 1500);

TEST(Engine, IdenticalSubjectsNeverDiverge)
{
	for (const char *prof : {"core:linux-2019", "core:linux-6.1", "core:ballast"}) {
		Pair p;
		std::string err;
		ASSERT_TRUE(p.make(prof, prof, &err)) << err;
		GenOptions g;
		g.negative_lending = true;
		CampaignStats st = run_random(p, kRandom, 1, g, false, true);
		EXPECT_EQ(st.divergences, 0u) << prof << "\n"
					      << print_scenario(st.first_divergence);
		EXPECT_GT(st.steps, st.scenarios * 10);
	}
}

TEST(Engine, ScenariosActuallyExerciseTheDriver)
{
	// The random generator reaches increase, decrease, hotplug and lending.
	Pair p;
	std::string err;
	ASSERT_TRUE(p.make("core:linux-2019", "core:linux-2019", &err));
	Scenario s;
	unsigned long inc = 0, dec = 0, hot = 0, ev = 0;
	for (uint64_t i = 0; i < 500; i++) {
		generate_scenario(i, GenOptions(), &s);
		Divergence d;
		ASSERT_FALSE(p.engine.run(s, *p.left, *p.right, &d));
		world::World &w = p.engine.left_world();
		for (unsigned k = 0; k < w.trace_size(); k++) {
			unsigned cmd = w.trace_at(k).cmd;
			inc += cmd == XENMEM_populate_physmap;
			dec += cmd == XENMEM_decrease_reservation;
		}
		hot += w.hotplug_ranges().size();
		ev += w.events().size();
	}
	EXPECT_GT(inc, 100u);
	EXPECT_GT(dec, 100u);
	EXPECT_GT(hot, 10u);
	EXPECT_GT(ev, 10u);
}

TEST(Engine, ComparesTheBallooningStepByStep)
{
	Scenario s = parse("world frames=256 populated=256\ntarget 200\nrun\ntarget 250\nrun\n");
	CoreSubject a(profile_linux_2019(), "a"), b(profile_linux_2019(), "b");
	Engine e;
	Divergence d;
	std::vector<StepSnapshot> rec;
	EXPECT_FALSE(e.run(s, a, b, &d, &rec));
	EXPECT_EQ(e.last_steps(), 5u);
	ASSERT_EQ(rec.size(), 5u);
	EXPECT_EQ(rec[2].left.stats.current_pages, 200u);
	EXPECT_EQ(rec[2].left.pfns.size(), 56u);
	ASSERT_EQ(rec[2].left.hypercalls.size(), 1u);
	EXPECT_NE(rec[2].left.hypercalls[0].find("decrease_reservation nr=56"), std::string::npos);
	EXPECT_EQ(rec[4].left.stats.current_pages, 250u);
	EXPECT_EQ(rec[4].left.pfns.size(), 6u);
}

TEST(Engine, PlantedStatsFaultIsCaughtAndNotAttributed)
{
	for (const char *prof : {"ballast", "linux-2019", "linux-6.1"}) {
		Pair p;
		std::string err;
		ASSERT_TRUE(
			p.make(std::string("core:") + prof, std::string("planted:") + prof, &err))
			<< err;
		Scenario s = parse("world frames=256\ntarget 200\nrun\nrun\n");
		RunOptions o;
		Report r = run_one(p, s, o);
		ASSERT_TRUE(r.divergence.found) << prof;
		EXPECT_EQ(r.divergence.step, 2u);
		EXPECT_EQ(r.divergence.field, "stats.balloon_low");
		EXPECT_EQ(r.divergence.left, "56");
		EXPECT_EQ(r.divergence.right, "55");
		ASSERT_TRUE(r.attributed_run);
		EXPECT_FALSE(r.attribution.ok());
		EXPECT_TRUE(report_fails(r));
		ASSERT_TRUE(r.have_repro);
		EXPECT_LE(r.repro.ops.size(), 2u);
		EXPECT_NE(report_text(r).find("UNATTRIBUTED"), std::string::npos);
		EXPECT_NE(report_json(r).find("\"ok\": false"), std::string::npos);
	}
}

TEST(Engine, PlantedFaultsAreCaughtOnRandomScenarios)
{
	for (const char *right : {"planted:ballast", "planted-target:ballast"}) {
		Pair p;
		std::string err;
		ASSERT_TRUE(p.make("core:ballast", right, &err)) << err;
		CampaignStats st = run_random(p, 300, 5, GenOptions(), true, false);
		EXPECT_GT(st.divergences, 100u) << right;
		EXPECT_EQ(st.attributed, 0u) << right;
		EXPECT_EQ(st.unattributed, st.divergences) << right;
	}
}

TEST(Engine, PlantedFaultAgainstAnotherProfileIsStillUnattributed)
{
	// core(linux-2019) vs a broken copy of core(ballast): the profile
	// differences are attributed, the planted fault is not.
	Pair p;
	std::string err;
	ASSERT_TRUE(p.make("core:linux-2019", "planted:ballast", &err));
	CampaignStats st = run_random(p, 300, 11, GenOptions(), true, false);
	EXPECT_GT(st.unattributed, 0u);
}

TEST(Attribution, Linux2019VersusBallastOnlyDivergesWithAttribution)
{
	Pair p;
	std::string err;
	ASSERT_TRUE(p.make("core:ballast", "core:linux-2019", &err));
	CampaignStats st = run_random(p, kRandom / 3, 1, GenOptions(), true, true);
	EXPECT_GT(st.divergences, 0u);
	EXPECT_EQ(st.unattributed, 0u) << print_scenario(st.first_failure);
	EXPECT_EQ(st.attributed, st.divergences);
	EXPECT_FALSE(st.by_switch.empty());
	std::string sum = st.summary();
	EXPECT_NE(sum.find("attributed"), std::string::npos);
}

TEST(Attribution, Linux61VersusBallastOnlyDivergesWithAttribution)
{
	Pair p;
	std::string err;
	ASSERT_TRUE(p.make("core:ballast", "core:linux-6.1", &err));
	CampaignStats st = run_random(p, kRandom / 3, 3, GenOptions(), true, true);
	EXPECT_GT(st.divergences, 0u);
	EXPECT_EQ(st.unattributed, 0u) << print_scenario(st.first_failure);
	EXPECT_TRUE(st.by_switch.count("kthread_worker"));
}

// The diff_upstream fuzz target decides "attributed" with one rerun
// (divergences_attributable); it must say what the full chain says, both
// ways: profile differences (attributed) and planted faults (not).
TEST(Attribution, OneRerunDecidesLikeTheFullChain)
{
	FastAttributionCounts all;
	const char *pairs[][2] = {{"core:ballast", "core:linux-2019"},
				  {"core:linux-6.1", "core:ballast"},
				  {"core:ballast", "planted:ballast"},
				  {"core:linux-2019", "planted:ballast"}};
	for (auto &pr : pairs) {
		Pair p;
		std::string err;
		ASSERT_TRUE(p.make(pr[0], pr[1], &err)) << err;
		FastAttributionCounts c = fast_attribution_agrees(p, kRandom / 6, 21);
		all.attributed += c.attributed;
		all.unattributed += c.unattributed;
	}
	EXPECT_GT(all.attributed, 50u);
	EXPECT_GT(all.unattributed, 50u);
}

TEST(Attribution, NamesTheSwitch)
{
	// Insane target: ballast refuses it (validate_inputs), 2019 takes it.
	Pair p;
	std::string err;
	ASSERT_TRUE(p.make("core:ballast", "core:linux-2019", &err));
	Scenario s = parse("world frames=256\ntarget 2199023255552\n");
	Report r = run_one(p, s, RunOptions());
	ASSERT_TRUE(r.divergence.found);
	EXPECT_EQ(r.divergence.step, 1u);
	EXPECT_EQ(r.divergence.field, "rc");
	EXPECT_EQ(r.divergence.left, "-22");
	EXPECT_EQ(r.divergence.right, "0");
	ASSERT_TRUE(r.attribution.ok());
	ASSERT_FALSE(r.attribution.links.empty());
	ASSERT_EQ(r.attribution.links[0].switches.size(), 1u);
	EXPECT_EQ(r.attribution.links[0].switches[0], "validate_inputs");
	EXPECT_NE(report_json(r).find("\"validate_inputs\""), std::string::npos);

	// A hypervisor that rejects part of a decrease: 2019 BUGs, ballast rolls back.
	Scenario s2 = parse("world frames=256\nxen decrease cap 3\ntarget 200\nrun\n");
	Report r2 = run_one(p, s2, RunOptions());
	ASSERT_TRUE(r2.divergence.found);
	ASSERT_TRUE(r2.attribution.ok()) << report_text(r2);
	auto all = r2.attribution.all_switches();
	EXPECT_NE(std::find(all.begin(), all.end(), "rollback_partial_decrease"), all.end())
		<< report_text(r2);
}

TEST(Attribution, SwitchVariantSpecs)
{
	// core:ballast with validate_inputs off equals ballast except there.
	SubjectSpec sp;
	std::string err;
	ASSERT_TRUE(parse_subject_spec("core:ballast+validate_inputs=0", &sp, &err)) << err;
	EXPECT_FALSE(sp.switches.validate_inputs);
	EXPECT_TRUE(sp.switches.clamp_increase_reply);
	EXPECT_FALSE(parse_subject_spec("core:ballast+nonsense=1", &sp, &err));
	EXPECT_FALSE(parse_subject_spec("core:linux-1999", &sp, &err));
	EXPECT_FALSE(parse_subject_spec("bogus", &sp, &err));
	EXPECT_TRUE(parse_subject_spec("upstream:6.1", &sp, &err));
	EXPECT_EQ(sp.profile, BALLAST_PROFILE_LINUX_6_1);
	EXPECT_FALSE(parse_subject_spec("core:ballast+validate_inputs=banana", &sp, &err));
	EXPECT_FALSE(parse_subject_spec("core:2019", &sp, &err)) << "aliases are not profile names";
}

TEST(Report, HtmlIsSelfContainedAndShowsTheSteps)
{
	Pair p;
	std::string err;
	ASSERT_TRUE(p.make("core:ballast", "planted:ballast", &err));
	Scenario s = parse("world frames=256\nrun\ntarget 240\nadvance 1\ntarget 220\nrun\nrun\n");
	Report r = run_one(p, s, RunOptions());
	ASSERT_TRUE(r.divergence.found);
	std::string html = report_html(r);
	EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
	EXPECT_NE(html.find("<style>"), std::string::npos);
	EXPECT_EQ(html.find("<link"), std::string::npos);
	EXPECT_EQ(html.find("<script src"), std::string::npos);
	EXPECT_EQ(html.find("http"), std::string::npos);
	EXPECT_NE(html.find("class=divergent"), std::string::npos);
	EXPECT_NE(html.find("stats.balloon_low"), std::string::npos);
	EXPECT_NE(html.find("planted:ballast"), std::string::npos);
	// the steps before the divergence are shown
	EXPECT_EQ(r.steps.size(), r.divergence.step + 1);

	// the reproducer parses and reproduces
	std::string repro = report_repro(r);
	Scenario back;
	ParseError e;
	ASSERT_TRUE(parse_scenario(repro, &back, &e)) << e.to_string();
	Divergence d;
	EXPECT_TRUE(p.engine.run(back, *p.left, *p.right, &d));
	EXPECT_TRUE(same_divergence(d, r.divergence));
	EXPECT_LT(back.ops.size(), s.ops.size());
}

TEST(Report, MinimizerIsOneMinimal)
{
	Scenario s;
	for (int i = 0; i < 40; i++) {
		Op o;
		o.kind = i % 2 ? OpKind::Target : OpKind::Run;
		o.arg[0] = i;
		s.ops.push_back(o);
	}
	// keep: contains target 7 and target 31 in that order
	auto keep = [](const Scenario &t) {
		int seen = 0;
		for (const Op &o : t.ops) {
			if (o.kind == OpKind::Target && o.arg[0] == 7 && seen == 0)
				seen = 1;
			else if (o.kind == OpKind::Target && o.arg[0] == 31 && seen == 1)
				seen = 2;
		}
		return seen == 2;
	};
	Scenario m = minimize_ops(s, keep);
	ASSERT_EQ(m.ops.size(), 2u);
	EXPECT_EQ(m.ops[0].arg[0], 7);
	EXPECT_EQ(m.ops[1].arg[0], 31);
}

TEST(Report, JsonEscapes)
{
	EXPECT_EQ(json_escape("a\"b\\c\n\x01"), "a\\\"b\\\\c\\n\\u0001");
	EXPECT_EQ(html_escape("<a&\">"), "&lt;a&amp;&quot;&gt;");
}

TEST(Engine, IsFast)
{
	// Not the benchmark (diff_bench prints the figure); a floor that catches
	// accidental quadratic behaviour even under sanitizers.
	Pair p;
	std::string err;
	ASSERT_TRUE(p.make("core:linux-2019", "core:linux-2019", &err));
	std::vector<Scenario> pool(256);
	for (size_t i = 0; i < pool.size(); i++)
		generate_scenario(i, GenOptions(), &pool[i]);
	Divergence d;
	auto t0 = std::chrono::steady_clock::now();
	size_t n = 0;
	for (; n < 2000; n++)
		p.engine.run(pool[n % pool.size()], *p.left, *p.right, &d);
	double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
	EXPECT_GT((double)n / s, 500.0);
}

} // namespace

// ------------------------------------------- a lending caller hung upstream
namespace {
const char *kHungLender =
	"world frames=256 populated=256 pps=16\n"
	"target 240\nrun\nhotplug_unpopulated 1\nlend 20\nonline\nrun\ntarget 256\nrun\n";

// A core that, like the old harness, forgets what an abandoned caller held.
class ForgetsHeldPages : public CoreSubject {
public:
	ForgetsHeldPages()
		: CoreSubject(profile_linux_2019(), "forgets-held")
	{
	}
	int alloc_pages(int nr_pages, ballast_page **pages) override
	{
		int rc = CoreSubject::alloc_pages(nr_pages, pages);
		if (rc != 0)
			for (int i = 0; i < nr_pages; i++)
				pages[i] = nullptr;
		return rc;
	}
};
} // namespace

TEST(Engine, HungLenderKeepsItsPagesAndTheRunGoesOn)
{
	Scenario s = parse(kHungLender);
	CoreSubject a(profile_linux_2019(), "a"), b(profile_linux_2019(), "b");
	Engine e;
	Divergence d;
	EXPECT_FALSE(e.run(s, a, b, &d)) << d.describe();
	EXPECT_EQ(e.last_steps(), s.ops.size() + 1); // strict: no end at the hang
	EXPECT_EQ(e.left_world().event_count(BALLAST_EV_HANG_WAIT), 1u);
	EXPECT_EQ(e.held_pages(true), 16u);
	EXPECT_EQ(e.held_pages(false), 16u);
	EXPECT_EQ(a.stats().target_unpopulated, 20u);
}

TEST(Engine, HeldPagesAreCompared)
{
	Scenario s = parse(kHungLender);
	CoreSubject a(profile_linux_2019(), "a");
	ForgetsHeldPages b;
	Engine e;
	Divergence d;
	ASSERT_TRUE(e.run(s, a, b, &d));
	EXPECT_EQ(d.step, 4u);
	EXPECT_EQ(d.field, "held.count");
	EXPECT_EQ(d.left, "16");
	EXPECT_EQ(d.right, "0");
	// The old policy ends the scenario at the hang and cannot see it.
	e.set_lenient_hang(true);
	EXPECT_FALSE(e.run(s, a, b, &d));
	EXPECT_EQ(e.last_steps(), 5u);
}
