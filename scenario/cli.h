// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast scenario: what the command-line tools share about the inputs a
// person gives them: numbers are decimal (or 0x hex), whole, in range, and
// anything else is refused with a one-line usage error and exit status 2.
// Options themselves are parsed with getopt_long(3).
#ifndef BALLAST_SCENARIO_CLI_H
#define BALLAST_SCENARIO_CLI_H

#include <cstdint>
#include <string>

namespace ballast {
namespace scenario {

constexpr int kUsageError = 2;

// "--count": the option (for the message); `text` the value as given. On
// error returns false with "--count wants a whole number in [lo, hi], got 'x'"
// in *err.
bool parse_number(const char *option, const char *text, uint64_t lo, uint64_t hi, uint64_t *out,
		  std::string *err);

} // namespace scenario
} // namespace ballast

#endif // BALLAST_SCENARIO_CLI_H
