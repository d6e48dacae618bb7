// SPDX-License-Identifier: GPL-2.0 OR MIT
// corpus/history/: one reproducer per change of the balloon between upstream
// versions (diff/README.md, "Upstream history"). Each file names its pair
// ("# pair:"; the upstream versions themselves where both are compiled here,
// else the linux-6.12 profile with the later changes off) and the switches
// that must explain its divergences ("# explains: SWITCH..."), or "-" for
// none. Run as `./ballast diff FILE` runs it: the file's pair, attributed.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "driver.h"
#include "load.h"

using namespace ballast::diff;
using namespace ballast::scenario;

namespace {

std::vector<std::string> history_files()
{
	std::vector<std::string> all, out;
	std::string err;
	EXPECT_TRUE(collect_input_files(BALLAST_HISTORY_DIR, &all, &err)) << err;
	for (const std::string &f : all)
		if (f.size() > 4 && f.compare(f.size() - 4, 4, ".scn") == 0)
			out.push_back(f);
	return out;
}

// The switches of the file's "# explains:" line ("-": none); false if absent.
bool explains(const std::string &file, std::vector<std::string> *out)
{
	std::ifstream f(file);
	std::string line;
	const std::string tag = "# explains:";
	while (std::getline(f, line)) {
		if (line.compare(0, tag.size(), tag) != 0)
			continue;
		std::istringstream ss(line.substr(tag.size()));
		std::string w;
		while (ss >> w)
			if (w != "-")
				out->push_back(w);
		return true;
	}
	return false;
}

TEST(History, EveryChangeHasAReproducer)
{
	ASSERT_TRUE(upstream_available()) << "the upstream subject is not built";
	const std::vector<std::string> files = history_files();
	ASSERT_GE(files.size(), 12u);
	std::vector<std::string> seen;
	for (const std::string &file : files) {
		SCOPED_TRACE(file);
		std::vector<std::string> want;
		ASSERT_TRUE(explains(file, &want)) << "no '# explains:' line";
		Loaded in;
		std::string why;
		ASSERT_TRUE(load_file(file, Format::Auto, &in, &why)) << why;
		std::string left, right;
		scenario_pair(in.scenario, &left, &right);
		Pair p;
		ASSERT_TRUE(p.make(left, right, &why)) << why;
		RunOptions o;
		o.minimize = false;
		o.record = false;
		const Report r = run_one(p, in.scenario, o);
		if (want.empty()) {
			EXPECT_FALSE(r.divergence.found) << report_text(r);
			continue;
		}
		ASSERT_TRUE(r.divergence.found) << left << " vs " << right;
		EXPECT_FALSE(report_fails(r)) << report_text(r);
		const std::vector<std::string> got = r.attribution.all_switches();
		for (const std::string &sw : want) {
			EXPECT_NE(std::find(got.begin(), got.end(), sw), got.end())
				<< sw << " does not explain it:\n"
				<< report_text(r);
			seen.push_back(sw);
		}
	}
	// Every change between the upstream versions has one, but offline_in_append
	// (nothing a scenario observes, core/SWITCHES.md).
	for (const ballast::SwitchInfo &s : ballast::kSwitchTable) {
		const ballast::Switches a = ballast::profile_linux_2019(),
					b = ballast::profile_linux_6_1(),
					c = ballast::profile_linux_6_12();
		const bool changed = a.*(s.member) != b.*(s.member) ||
				     b.*(s.member) != c.*(s.member);
		if (!changed || std::string(s.name) == "offline_in_append")
			continue;
		EXPECT_NE(std::find(seen.begin(), seen.end(), s.name), seen.end())
			<< s.name << " has no reproducer in corpus/history/";
	}
}

} // namespace
