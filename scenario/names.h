// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast scenario: the name tables every tool parses and prints -- core
// profiles (core/profile.h kProfileTable), upstream versions, switches
// (core/switches.h) and the subject specs built from them, and the pair of
// subjects a scenario is compared on. One parser, one set of names: a name
// that is not in a table is an error that lists the valid ones.
#ifndef BALLAST_SCENARIO_NAMES_H
#define BALLAST_SCENARIO_NAMES_H

#include <cstdint>
#include <string>

#include "profile.h"
#include "scenario.h"

namespace ballast {
namespace scenario {

// ------------------------------------------------------------------ profiles
bool profile_from_name(const std::string &name, ballast_profile *out);
const char *profile_name(ballast_profile p);
std::string profile_names(); // "ballast, linux-2019, linux-6.1, linux-6.12"

// ------------------------------------------------------------------ upstream
// The upstream drivers the differential harness compiles (diff/upstream.cmake)
// and the core profile that models each, bug for bug.
enum class Upstream : uint8_t { Seed2019, Linux61, Linux612 };
struct UpstreamInfo {
	const char *name; // in specs: upstream:NAME
	Upstream id;
	ballast_profile profile;
	const char *what;
};
extern const UpstreamInfo kUpstreams[];
extern const unsigned kUpstreamCount;
const UpstreamInfo *upstream_from_name(const std::string &name);
std::string upstream_names(); // "seed, 6.1, 6.12"
// The upstream version a profile's core is compared with by default: the one
// it models, and for ballast the seed (every divergence must be attributed).
const UpstreamInfo &reference_upstream(ballast_profile p);

// ------------------------------------------------------------------ switches
const SwitchInfo *switch_from_name(const std::string &name);

// ------------------------------------------------------------------ subjects
// core:PROFILE[+SWITCH[=0|1]]... | upstream:VERSION | planted:PROFILE |
// planted-target:PROFILE (the core with a planted fault, diff/core_subject.h)
struct SubjectSpec {
	enum Kind { Core, Planted, PlantedTarget, Upstream } kind = Core;
	std::string text;    // as given
	Switches switches{}; // Core/Planted: the switches; Upstream: its reference profile's
	ballast_profile profile = BALLAST_PROFILE_BALLAST; // the profile named (Upstream: modelled)
	const UpstreamInfo *upstream = nullptr;		   // Upstream only
};
bool parse_subject_spec(const std::string &text, SubjectSpec *out, std::string *err);
// The switches the core must have to match a spec: its own for Core, the
// modelled profile's for everything else.
Switches reference_switches(const SubjectSpec &spec);
std::string subject_syntax(); // one line, for usage texts and errors

// The pair a differential tool runs a scenario on: the scenario's own pair
// lines, or core:PROFILE vs upstream:<reference_upstream(PROFILE)>.
void scenario_pair(const Scenario &s, std::string *left, std::string *right);

} // namespace scenario
} // namespace ballast

#endif // BALLAST_SCENARIO_NAMES_H
