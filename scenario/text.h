// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast scenario: the readable text form (scenario/FORMAT.md). The parser
// never crashes and never throws, whatever the input; it refuses anything
// outside the language with the line and column. print_scenario writes the
// canonical text, which parses back to the same scenario.
#ifndef BALLAST_SCENARIO_TEXT_H
#define BALLAST_SCENARIO_TEXT_H

#include <cstddef>
#include <string>

#include "scenario.h"

namespace ballast {
namespace scenario {

struct ParseError {
	unsigned line = 0;   // 1-based; 0: no error
	unsigned column = 0; // 1-based
	std::string message;
	std::string to_string() const; // "line L, column C: message"
};

// On error returns false and fills *err (err may be null).
bool parse_scenario(const char *text, size_t len, Scenario *out, ParseError *err);
inline bool parse_scenario(const std::string &text, Scenario *out, ParseError *err)
{
	return parse_scenario(text.data(), text.size(), out, err);
}

// Canonical text: the profile and pair lines (when not the defaults), then
// `comment` (may be empty, may hold several lines) as `#` lines, the header
// line and one operation per line.
std::string print_scenario(const Scenario &s, const std::string &comment = "");
std::string print_header(const Header &h);
std::string print_op(const Op &op);

} // namespace scenario
} // namespace ballast

#endif // BALLAST_SCENARIO_TEXT_H
