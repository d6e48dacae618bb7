// SPDX-License-Identifier: GPL-2.0 OR MIT
// One scenario, one meaning: the fuzz harness (the core alone, as replay,
// minimize and core_invariants run it) and the lock-step engine (as diff and
// diff_upstream run it, here with the same core on both sides) interpret every
// operation through the same runtime, so they end every corpus scenario in
// the same state.
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core_harness.h"
#include "driver.h"
#include "load.h"
#include "text.h"

using namespace ballast;
using scenario::Scenario;

namespace {

std::vector<std::string> corpus_files()
{
	std::vector<std::string> out;
	for (const char *dir : {"seeds", "fuzzed", "regressions", "findings"}) {
		const std::string d = std::string(BALLAST_CORPUS_DIR) + "/" + dir;
		DIR *h = opendir(d.c_str());
		if (!h)
			continue;
		while (dirent *e = readdir(h)) {
			std::string n = e->d_name;
			if (n.size() > 4 && n.compare(n.size() - 4, 4, ".scn") == 0)
				out.push_back(d + "/" + n);
		}
		closedir(h);
	}
	std::sort(out.begin(), out.end());
	return out;
}

Scenario parse(const std::string &text)
{
	Scenario s;
	scenario::ParseError e;
	EXPECT_TRUE(scenario::parse_scenario(text, &s, &e)) << e.to_string();
	return s;
}

struct EndState {
	ballast_stats stats{};
	uint64_t jiffies = 0;
	unsigned long tot_pages = 0, free = 0, work_runs = 0, allocs_failed = 0;
};

bool operator==(const EndState &a, const EndState &b)
{
	return memcmp(&a.stats, &b.stats, sizeof a.stats) == 0 && a.jiffies == b.jiffies &&
	       a.tot_pages == b.tot_pages && a.free == b.free && a.work_runs == b.work_runs;
}

std::string describe(const EndState &e)
{
	return "current=" + std::to_string(e.stats.current_pages) +
	       " target=" + std::to_string(e.stats.target_pages) +
	       " low=" + std::to_string(e.stats.balloon_low) +
	       " jiffies=" + std::to_string(e.jiffies) +
	       " tot_pages=" + std::to_string(e.tot_pages) + " free=" + std::to_string(e.free) +
	       " work_runs=" + std::to_string(e.work_runs);
}

EndState end_state(const world::World &w, const ballast_stats &st)
{
	EndState e;
	e.stats = st;
	e.jiffies = w.jiffies();
	e.tot_pages = w.tot_pages();
	e.free = w.free_count();
	e.work_runs = w.work_runs();
	return e;
}

// Runs `s` both ways; false when the harness stopped early (then there is no
// end state to compare).
bool both(const Scenario &s, EndState *harness, EndState *engine)
{
	fuzz::CoreHarness h;
	h.set_end_checks(false); // the scenario's end state, not the progress oracle's
	const fuzz::RunResult &r = h.run(s);
	if (!r.completed || r.outcome == fuzz::Outcome::Violation)
		return false;
	*harness = end_state(h.world(), h.balloon().stats());
	diff::Pair p;
	std::string err;
	const std::string core = std::string("core:") + scenario::profile_name(s.profile);
	EXPECT_TRUE(p.make(core, core, &err)) << err;
	diff::Divergence d;
	EXPECT_FALSE(p.engine.run(s, *p.left, *p.right, &d)) << d.describe();
	*engine = end_state(p.engine.left_world(), p.left->stats());
	return true;
}

} // namespace

TEST(OneMeaning, HarnessAndEngineEndEveryCorpusScenarioAlike)
{
	const std::vector<std::string> files = corpus_files();
	ASSERT_GT(files.size(), 100u);
	unsigned compared = 0;
	for (const std::string &f : files) {
		scenario::Loaded in;
		std::string err;
		ASSERT_TRUE(scenario::load_file(f, scenario::Format::Auto, &in, &err)) << err;
		EndState a, b;
		if (!both(in.scenario, &a, &b))
			continue;
		compared++;
		EXPECT_TRUE(a == b)
			<< f << "\n  harness: " << describe(a) << "\n  engine:  " << describe(b);
	}
	EXPECT_GT(compared, 100u);
}

// `alloc relax` ends `alloc pressure` and nothing else (scenario/FORMAT.md):
// an `alloc fail` set before it still fails the next allocations, in the
// harness as in the engine.
TEST(OneMeaning, AllocRelaxEndsOnlyPressure)
{
	const Scenario s = parse("world frames=256 populated=256\n"
				 "alloc fail 1000\n"
				 "alloc pressure 0\n"
				 "alloc relax\n"
				 "target 200\n"
				 "run\n");
	EndState a, b;
	ASSERT_TRUE(both(s, &a, &b));
	EXPECT_EQ(a.stats.current_pages, 256u) << "alloc fail must outlive alloc relax";
	EXPECT_TRUE(a == b) << describe(a) << " vs " << describe(b);
}
