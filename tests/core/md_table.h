// SPDX-License-Identifier: GPL-2.0 OR MIT
// The rows of a Markdown table in one section of a document: the doc tests
// (core/SWITCHES.md against the switch and slip tables) read it this way.
#ifndef BALLAST_TESTS_MD_TABLE_H
#define BALLAST_TESTS_MD_TABLE_H

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ballast_test {

inline std::string md_trim(const std::string &s, const char *chars = " \t")
{
	size_t a = s.find_first_not_of(chars), b = s.find_last_not_of(chars);
	return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// The cells (trimmed) of every row "| `...` | ... |" under the heading
// `section` ("## Switches"), up to the next "## " heading; empty if the file
// cannot be read.
inline std::vector<std::vector<std::string>> md_table_rows(const char *path,
							   const std::string &section)
{
	std::ifstream f(path);
	std::vector<std::vector<std::string>> rows;
	std::string line;
	bool in_section = false;
	while (std::getline(f, line)) {
		if (line.rfind("## ", 0) == 0)
			in_section = line == section;
		if (!in_section || line.rfind("| `", 0) != 0)
			continue;
		std::vector<std::string> cells;
		std::stringstream ss(line.substr(1));
		std::string cell;
		while (std::getline(ss, cell, '|'))
			cells.push_back(md_trim(cell));
		rows.push_back(cells);
	}
	return rows;
}

} // namespace ballast_test

#endif
