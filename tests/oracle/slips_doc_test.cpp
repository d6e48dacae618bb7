// SPDX-License-Identifier: GPL-2.0 OR MIT
// core/SWITCHES.md's table of slips and oracle/findings.h's kSlipTable (the
// one the oracles use) list the same slips, in the same order, with the same
// switches and slipping values.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "findings.h"

namespace {

std::string trim(const std::string &s)
{
	size_t a = s.find_first_not_of(" \t`"), b = s.find_last_not_of(" \t`");
	return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

TEST(SlipsDoc, TableMatchesTheCode)
{
	std::ifstream f(BALLAST_SWITCHES_MD);
	ASSERT_TRUE(f) << BALLAST_SWITCHES_MD;
	std::vector<std::vector<std::string>> rows;
	std::string line;
	bool in_section = false;
	while (std::getline(f, line)) {
		if (line.rfind("## ", 0) == 0)
			in_section = line == "## Slips the upstream profiles keep";
		if (!in_section || line.rfind("| `", 0) != 0)
			continue;
		std::vector<std::string> cells;
		std::stringstream ss(line.substr(1));
		std::string cell;
		while (std::getline(ss, cell, '|'))
			cells.push_back(trim(cell));
		rows.push_back(cells);
	}
	ASSERT_EQ(rows.size(), (size_t)ballast::oracle::kSlipCount);
	for (int i = 0; i < ballast::oracle::kSlipCount; i++) {
		const ballast::oracle::SlipInfo &s = ballast::oracle::kSlipTable[i];
		ASSERT_GE(rows[i].size(), 3u);
		EXPECT_EQ(rows[i][0], s.name) << "row " << i + 1;
		EXPECT_EQ(rows[i][1], ballast::oracle::slip_switches(i)) << s.name;
		EXPECT_FALSE(rows[i][2].empty()) << s.name;
	}
}

// Every slip is tolerated in exactly the drivers whose switches slip.
TEST(SlipsDoc, ToleratedOnlyWithTheSlippingValue)
{
	for (int i = 0; i < ballast::oracle::kSlipCount; i++) {
		const ballast::oracle::SlipInfo &s = ballast::oracle::kSlipTable[i];
		ballast::Switches sw = ballast::profile_ballast();
		sw.*(s.member) = s.slipping_value;
		if (s.member2)
			sw.*(s.member2) = s.slipping_value;
		EXPECT_TRUE(ballast::oracle::slips(sw, i)) << s.name;
		sw.*(s.member) = !s.slipping_value;
		EXPECT_FALSE(ballast::oracle::slips(sw, i)) << s.name;
		EXPECT_FALSE(ballast::oracle::slips(ballast::profile_ballast(), i))
			<< s.name << ": the ballast profile must not slip";
	}
}

} // namespace
