// SPDX-License-Identifier: GPL-2.0 OR MIT
// Every scenario in corpus/regressions/ (found divergences and hangs, kept
// as regressions) replayed through every pair: the matching profiles must not
// diverge from their upstream version (or, without the upstream subject, from
// each other), and core(ballast) must diverge only where named switches
// explain it.
#include <gtest/gtest.h>

#include <algorithm>
#include <dirent.h>
#include <string>
#include <vector>

#include "driver.h"
#include "load.h"

using namespace ballast::diff;
using namespace ballast::scenario;

namespace {

std::vector<std::string> scenario_files()
{
	std::vector<std::string> out;
	DIR *d = opendir(BALLAST_DIFF_CORPUS_DIR);
	if (!d)
		return out;
	while (dirent *e = readdir(d)) {
		std::string n = e->d_name;
		if (n.size() > 4 && n.compare(n.size() - 4, 4, ".scn") == 0)
			out.push_back(std::string(BALLAST_DIFF_CORPUS_DIR) + "/" + n);
	}
	closedir(d);
	std::sort(out.begin(), out.end());
	return out;
}

Report replay(const std::string &file, const char *left, const char *right)
{
	Loaded in;
	std::string why;
	EXPECT_TRUE(load_file(file, Format::Auto, &in, &why)) << why;
	const Scenario &s = in.scenario;
	Pair p;
	std::string err;
	EXPECT_TRUE(p.make(left, right, &err)) << err;
	RunOptions o;
	o.minimize = false;
	return run_one(p, s, o);
}

TEST(Regressions, ThereAreSome)
{
	EXPECT_GE(scenario_files().size(), 4u);
}

TEST(Regressions, MatchingProfilesDoNotDiverge)
{
	const bool up = upstream_available();
	const char *pairs[][2] = {
		{"core:linux-2019", up ? "upstream:seed" : "core:linux-2019"},
		{"core:linux-6.1", up ? "upstream:6.1" : "core:linux-6.1"},
		{"core:linux-6.12", up ? "upstream:6.12" : "core:linux-6.12"},
	};
	for (const std::string &f : scenario_files())
		for (const auto &pr : pairs) {
			Report r = replay(f, pr[0], pr[1]);
			EXPECT_FALSE(r.divergence.found) << f << ": " << pr[0] << " vs " << pr[1]
							 << ": " << r.divergence.describe();
		}
}

TEST(Regressions, BallastDivergesOnlyWithAttribution)
{
	const bool up = upstream_available();
	for (const char *ref :
	     {up ? "upstream:seed" : "core:linux-2019", up ? "upstream:6.1" : "core:linux-6.1",
	      up ? "upstream:6.12" : "core:linux-6.12"})
		for (const std::string &f : scenario_files()) {
			Report r = replay(f, "core:ballast", ref);
			EXPECT_FALSE(report_fails(r)) << f << " vs " << ref << ":\n"
						      << report_text(r);
		}
}

} // namespace
