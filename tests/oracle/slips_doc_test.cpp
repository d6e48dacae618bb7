// SPDX-License-Identifier: GPL-2.0 OR MIT
// core/SWITCHES.md's table of slips and oracle/findings.h's kSlipTable (the
// one the oracles use) list the same slips, in the same order, with the same
// switches and slipping values.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "findings.h"
#include "md_table.h"

namespace {

TEST(SlipsDoc, TableMatchesTheCode)
{
	const std::vector<std::vector<std::string>> rows = ballast_test::md_table_rows(
		BALLAST_SWITCHES_MD, "## Slips the upstream profiles keep");
	ASSERT_EQ(rows.size(), (size_t)ballast::oracle::kSlipCount) << BALLAST_SWITCHES_MD;
	for (int i = 0; i < ballast::oracle::kSlipCount; i++) {
		const ballast::oracle::SlipInfo &s = ballast::oracle::kSlipTable[i];
		ASSERT_GE(rows[i].size(), 3u);
		EXPECT_EQ(ballast_test::md_trim(rows[i][0], "`"), s.name) << "row " << i + 1;
		EXPECT_EQ(ballast_test::md_trim(rows[i][1], "`"), ballast::oracle::slip_switches(i))
			<< s.name;
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
