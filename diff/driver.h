// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast diff: the pieces of the CLI that tests and the fuzzer reuse --
// a pair of subjects built from specs, one scenario run end to end
// (divergence, attribution, minimized reproducer, report), and the random
// campaign loop.
#ifndef BALLAST_DIFF_DRIVER_H
#define BALLAST_DIFF_DRIVER_H

#include <map>
#include <memory>
#include <string>

#include "attribution.h"
#include "engine.h"
#include "generate.h"
#include "report.h"

namespace ballast {
namespace diff {

struct Pair {
	SubjectSpec left_spec, right_spec;
	std::unique_ptr<Subject> left, right;
	Engine engine;
	// Builds both subjects; false and *err when a spec is bad or unavailable.
	bool make(const std::string &left, const std::string &right, std::string *err);
	bool attributable() const
	{
		return left_spec.kind == SubjectSpec::Core || right_spec.kind == SubjectSpec::Core ||
		       (left_spec.kind == SubjectSpec::Upstream &&
			right_spec.kind == SubjectSpec::Upstream);
	}
};

struct RunOptions {
	bool attribute = true;
	bool minimize = true;
	bool record = true;
};

// Run one scenario: divergence, attribution chain, minimized reproducer.
Report run_one(Pair &p, const Scenario &s, const RunOptions &opt);
// True when the report is a failure: a divergence that is not fully attributed.
bool report_fails(const Report &r);

struct CampaignStats {
	uint64_t scenarios = 0, steps = 0, divergences = 0, attributed = 0, unattributed = 0;
	double seconds = 0;
	std::map<std::string, uint64_t> by_switch; // attributed divergences per switch
	bool have_failure = false;
	Scenario first_failure; // first unattributed divergence
	bool have_divergence = false;
	Scenario first_divergence;
	std::string summary() const;
	// The figures as JSON object members ("scenarios": .., "by_switch": {..}),
	// without the braces, for the --stats-json files.
	std::string json_fields() const;
	// Run one scenario on the pair and count it; attribute a divergence when
	// asked (and the pair has a core side). *chain, if given, gets the
	// attribution (empty when there was none). Returns the divergence.
	Divergence add(Pair &p, const Scenario &s, bool attribute,
		       AttributionChain *chain = nullptr);
};

// Random scenarios seed, seed+1, ...; attribute every divergence; stop at the
// first unattributed one when stop_on_failure.
CampaignStats run_random(Pair &p, uint64_t count, uint64_t seed, const scenario::GenOptions &gen,
			 bool attribute, bool stop_on_failure);

} // namespace diff
} // namespace ballast

#endif // BALLAST_DIFF_DRIVER_H
