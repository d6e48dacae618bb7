// SPDX-License-Identifier: GPL-2.0 OR MIT
// core/SWITCHES.md's table and core/switches.h (the one table the code is
// generated from) list the same switches, in the same order, with the same
// value in each profile. The documentation is written by hand; this test is
// what keeps it true.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "profile.h"

namespace {

struct DocRow {
	std::string name, v2019, v61, v612, vballast, why;
};

std::string trim(const std::string &s)
{
	size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
	return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// The rows of the table under "## Switches": | `name` | 2019 | 6.1 | 6.12 | ballast | rationale |
std::vector<DocRow> doc_rows()
{
	std::ifstream f(BALLAST_SWITCHES_MD);
	EXPECT_TRUE(f) << "cannot read " << BALLAST_SWITCHES_MD;
	std::vector<DocRow> rows;
	std::string line;
	bool in_section = false;
	while (std::getline(f, line)) {
		if (line.rfind("## ", 0) == 0)
			in_section = line == "## Switches";
		if (!in_section || line.rfind("| `", 0) != 0)
			continue;
		std::vector<std::string> cells;
		std::stringstream ss(line.substr(1));
		std::string cell;
		while (std::getline(ss, cell, '|'))
			cells.push_back(trim(cell));
		if (cells.size() < 6) {
			ADD_FAILURE() << "short row in SWITCHES.md: " << line;
			continue;
		}
		DocRow r{cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]};
		if (r.name.size() > 2 && r.name.front() == '`' && r.name.back() == '`')
			r.name = r.name.substr(1, r.name.size() - 2);
		rows.push_back(r);
	}
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
