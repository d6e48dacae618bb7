// SPDX-License-Identifier: GPL-2.0 OR MIT
// Oracle tests: run a scenario text through the fuzz harness (the core, the
// invariant checker and the oracles), with the real environment or one that
// plants a bug, and look at what the oracles said.
#ifndef BALLAST_TESTS_ORACLE_RUN_H
#define BALLAST_TESTS_ORACLE_RUN_H

#include <gtest/gtest.h>

#include <string>

#include "core_harness_impl.h"
#include "text.h"

namespace oracle_test {

using ballast::fuzz::BasicCoreHarness;
using ballast::fuzz::Outcome;
using ballast::fuzz::RunResult;

inline ballast::scenario::Scenario parse(const std::string &text)
{
	ballast::scenario::Scenario s;
	ballast::scenario::ParseError e;
	EXPECT_TRUE(ballast::scenario::parse_scenario(text, &s, &e)) << e.to_string();
	return s;
}

// The named slips the run met, space separated, each once.
inline std::string slip_names(const RunResult &r)
{
	std::string out;
	for (const std::string &s : r.slips) {
		const size_t a = s.find("slip ") + 5;
		const std::string n = s.substr(a, s.find(' ', a) - a);
		if (out.find(n) == std::string::npos)
			out += (out.empty() ? "" : " ") + n;
	}
	return out;
}

// One run of `text` in a harness over EnvT; the result is copied out.
template <class EnvT = world::Env> struct Scn {
	BasicCoreHarness<EnvT> h;
	RunResult r;
	std::string trace;
	explicit Scn(const std::string &text,
		     const typename BasicCoreHarness<EnvT>::Plant &plant = {},
		     bool full_hour = false)
	{
		h.set_plant(plant);
		h.set_full_hour(full_hour);
		r = h.run(parse(text), &trace);
	}
	bool violation(const std::string &what) const
	{
		return r.outcome == Outcome::Violation && r.message.find(what) != std::string::npos;
	}
	std::string why() const { return r.message + "\n--- trace:\n" + trace; }
};

} // namespace oracle_test

#endif // BALLAST_TESTS_ORACLE_RUN_H
