// SPDX-License-Identifier: GPL-2.0 OR MIT
// Every divergence of a scenario, not only the first: the engine compares to
// the end, and each divergent step is listed with the switch that explains
// it. One switch can be isolated against an upstream with a subject spec
// (core:linux-6.1+SWITCH=V): its divergences are that switch's alone.
#include "test_scale.h"
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

#include "driver.h"
#include "text.h"

using namespace ballast;
using namespace ballast::diff;

namespace {

Scenario parse(const std::string &text)
{
	Scenario s;
	scenario::ParseError e;
	EXPECT_TRUE(scenario::parse_scenario(text, &s, &e)) << e.to_string();
	return s;
}

// A new target while a backoff is pending (the step before the last) waits
// for it in the seed and acts at once with new_target_preempts_backoff.
#define NEW_TARGET_DURING_BACKOFF   \
	"target 200\n"              \
	"run\n"                     \
	"xen populate fail 1 -12\n" \
	"target 256\n"              \
	"run\n"                     \
	"target 250\n"              \
	"run\n"
const char *kNewTargetDuringBackoff = "world frames=256 populated=256\n" NEW_TARGET_DURING_BACKOFF;
// Two switches, two places: a failed lend (step 3) leaves the seed's
// target_unpopulated raised; then the new target during a backoff (step 11).
const char *kTwoPlaces = "world frames=256 populated=256\n"
			 "alloc mask 2\n"
			 "alloc fail 1\n"
			 "lend 8\n"
			 "alloc mask 3\n" NEW_TARGET_DURING_BACKOFF;

TEST(EveryDivergence, TheEngineGoesOnToTheEnd)
{
	Pair p;
	std::string err;
	ASSERT_TRUE(p.make(
		"core:linux-2019",
		"core:linux-2019+undo_unpopulated_accounting+new_target_preempts_backoff", &err))
		<< err;
	const Scenario s = parse(kTwoPlaces);
	Divergence first;
	ASSERT_TRUE(p.engine.run(s, *p.left, *p.right, &first));
	EXPECT_EQ(first.step, 3u) << first.describe();
	EXPECT_EQ(p.engine.last_steps(), 4u); // stopped there
	std::vector<Divergence> all;
	Divergence d;
	ASSERT_TRUE(p.engine.run(s, *p.left, *p.right, &d, nullptr, &all));
	EXPECT_EQ(d.step, first.step);
	EXPECT_EQ(p.engine.last_steps(), s.ops.size() + 1); // compared to the end
	ASSERT_FALSE(all.empty());
	EXPECT_EQ(all.front().step, 3u);
	EXPECT_EQ(all.back().step, s.ops.size());
}

TEST(EveryDivergence, EachStepComesWithItsSwitch)
{
	Pair p;
	std::string err;
	ASSERT_TRUE(p.make(
		"core:linux-2019",
		"core:linux-2019+undo_unpopulated_accounting+new_target_preempts_backoff", &err))
		<< err;
	RunOptions o;
	o.minimize = false;
	const Report r = run_one(p, parse(kTwoPlaces), o);
	ASSERT_TRUE(r.attribution.ok()) << report_text(r);
	std::set<std::string> seen;
	for (const StepDivergence &sd : r.every) {
		ASSERT_EQ(sd.switches.size(), 1u) << sd.describe();
		seen.insert(sd.switches[0]);
		if (sd.divergence.step == 3) {
			EXPECT_EQ(sd.switches[0], "undo_unpopulated_accounting") << sd.describe();
		}
		if (sd.divergence.step == 11) {
			EXPECT_EQ(sd.switches[0], "new_target_preempts_backoff") << sd.describe();
		}
	}
	EXPECT_EQ(seen.size(), 2u) << report_text(r);
	EXPECT_NE(report_text(r).find("every divergence"), std::string::npos);
	EXPECT_NE(report_json(r).find("\"every\": [{\"step\": 3"), std::string::npos)
		<< report_json(r);
}

// For each upstream version and each switch where ballast differs from the
// profile that models it: that profile's core with the one switch as
// ballast has it, against the upstream driver. Every divergence of every
// scenario is explained by that switch alone.
TEST(EveryDivergence, OneSwitchIsIsolatedAgainstUpstream)
{
	if (!upstream_available())
		GTEST_SKIP()
			<< "upstream subject not built (no seed driver at BALLAST_UPSTREAM_SEED)";
	const uint64_t count = scaled_count(300, 60);
	const Switches b = profile_ballast();
	unsigned isolated = 0;
	for (const scenario::UpstreamInfo &up :
	     {scenario::kUpstreams[0], scenario::kUpstreams[1]}) {
		const Switches u = profile_switches(up.profile);
		for (const SwitchInfo &si : kSwitchTable) {
			if (b.*(si.member) == u.*(si.member))
				continue;
			const std::string spec = std::string("core:") +
						 scenario::profile_name(up.profile) + "+" +
						 si.name + (b.*(si.member) ? "=1" : "=0");
			Pair p;
			std::string err;
			ASSERT_TRUE(p.make(spec, std::string("upstream:") + up.name, &err)) << err;
			unsigned divergent = 0;
			for (uint64_t seed = 1; seed <= count; seed++) {
				Scenario s;
				scenario::generate_scenario(seed, scenario::GenOptions(), &s);
				Divergence d;
				if (!p.engine.run(s, *p.left, *p.right, &d))
					continue;
				divergent++;
				const AttributionChain c =
					attribute_scenario(p.engine, s, p.left_spec, p.right_spec,
							   *p.left, *p.right, d);
				ASSERT_TRUE(c.ok())
					<< spec << " seed " << seed << ": " << d.describe();
				ASSERT_EQ(c.all_switches(), std::vector<std::string>{si.name})
					<< spec << " seed " << seed << ": " << d.describe();
			}
			printf("[ isolated ] %-48s vs upstream:%-4s %3u of %llu diverge, by it "
			       "alone\n",
			       spec.c_str(), up.name, divergent, (unsigned long long)count);
			isolated += divergent > 0;
		}
	}
	EXPECT_GE(isolated, 12u); // most switches are reached by the generator
	// The example of the issue, against the driver where it matters (the 6.1
	// kthread is woken at once by any new target: there the switch changes
	// nothing).
	Pair p;
	std::string err;
	ASSERT_TRUE(p.make("core:linux-2019+new_target_preempts_backoff", "upstream:seed", &err));
	RunOptions o;
	o.minimize = false;
	const Report r = run_one(p, parse(kNewTargetDuringBackoff), o);
	ASSERT_TRUE(r.divergence.found);
	ASSERT_TRUE(r.attribution.ok()) << report_text(r);
	EXPECT_EQ(r.attribution.all_switches(),
		  std::vector<std::string>{"new_target_preempts_backoff"})
		<< report_text(r);
}

} // namespace
