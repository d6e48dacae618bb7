// SPDX-License-Identifier: GPL-2.0 OR MIT
// core/SWITCHES.md's table and core/switches.h (the one table the code is
// generated from) list the same switches, in the same order, with the same
// value in each profile. The documentation is written by hand; this test is
// what keeps it true.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "md_table.h"
#include "profile.h"

namespace {

struct DocRow {
	std::string name, v2019, v61, v612, vballast, why;
};

// The rows of the table under "## Switches": | `name` | 2019 | 6.1 | 6.12 | ballast | rationale |
std::vector<DocRow> doc_rows()
{
	std::vector<DocRow> rows;
	for (const std::vector<std::string> &cells :
	     ballast_test::md_table_rows(BALLAST_SWITCHES_MD, "## Switches")) {
		if (cells.size() < 6) {
			ADD_FAILURE() << "short row in SWITCHES.md: " << cells[0];
			continue;
		}
		DocRow r{ballast_test::md_trim(cells[0], "`"),
			 cells[1],
			 cells[2],
			 cells[3],
			 cells[4],
			 cells[5]};
		rows.push_back(r);
	}
	EXPECT_FALSE(rows.empty()) << "cannot read " << BALLAST_SWITCHES_MD;
	return rows;
}

const char *on_off(bool v)
{
	return v ? "on" : "off";
}

} // namespace

TEST(SwitchesDoc, TableMatchesTheCode)
{
	const std::vector<DocRow> rows = doc_rows();
	ASSERT_EQ(rows.size(), ballast::kSwitchCount)
		<< "core/SWITCHES.md lists " << rows.size() << " switches, core/switches.h "
		<< ballast::kSwitchCount;
	const ballast::Switches p2019 = ballast::profile_linux_2019(),
				p61 = ballast::profile_linux_6_1(),
				p612 = ballast::profile_linux_6_12(),
				pb = ballast::profile_ballast();
	for (unsigned i = 0; i < ballast::kSwitchCount; i++) {
		const ballast::SwitchInfo &s = ballast::kSwitchTable[i];
		const DocRow &r = rows[i];
		EXPECT_EQ(r.name, s.name) << "row " << i + 1 << " of the table";
		EXPECT_EQ(r.v2019, on_off(p2019.*(s.member))) << s.name << " in linux-2019";
		EXPECT_EQ(r.v61, on_off(p61.*(s.member))) << s.name << " in linux-6.1";
		EXPECT_EQ(r.v612, on_off(p612.*(s.member))) << s.name << " in linux-6.12";
		EXPECT_EQ(r.vballast, on_off(pb.*(s.member))) << s.name << " in ballast";
		EXPECT_FALSE(r.why.empty()) << s.name << " has no rationale in SWITCHES.md";
		EXPECT_GT(std::string(s.rationale).size(), 10u) << s.name;
	}
}
