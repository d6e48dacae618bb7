// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast diff: attribution of divergences to the core's behaviour switches.
//
// A divergence between a core subject (switches C) and a reference subject
// (upstream version V, whose core profile is P(V)) is explained by a set S
// of switches if re-running the scenario with the core's switches in S set
// back to P(V) makes the divergence disappear or move to a later step.
// attribute() finds a single explaining switch if one exists (others that
// also explain alone are listed), else a 1-minimal explaining set (start
// from all switches where C and P(V) differ, drop each switch that is not
// needed). A divergence no set explains is unattributed: a bug in ballast or
// in the shim, and the run fails.
#ifndef BALLAST_DIFF_ATTRIBUTION_H
#define BALLAST_DIFF_ATTRIBUTION_H

#include <string>
#include <vector>

#include "engine.h"

namespace ballast {
namespace diff {

struct Attribution {
	enum Status { None, Attributed, Unattributed } status = None;
	Divergence divergence;		   // what was explained (or not)
	std::vector<std::string> switches; // the explaining (minimal) set
	std::vector<std::string> also;	   // other single switches that explain it alone
	std::string effect;		   // "disappears" / "moves to step 12" / why not
	size_t reruns = 0;		   // scenario runs spent
	std::string describe() const;
};

// The whole scenario: attribute the first divergence, revert its switches,
// re-run, attribute the next one, ... until the core matches the reference.
struct AttributionChain {
	bool ok() const { return !unattributed; }
	bool unattributed = false;
	std::vector<Attribution> links;
	// Two upstream versions: the core profile that stood in for the left one
	// (its divergences against the right one are what the links explain).
	std::string model;
	std::vector<std::string> all_switches() const;
};

// One step of a scenario where the two sides differ, and the switches whose
// reversion makes it go away.
struct StepDivergence {
	Divergence divergence;		   // this step's first differing field
	std::vector<std::string> switches; // empty: not explained (or not attributed)
	std::string describe() const;	   // one line
};

class Attributor {
public:
	// `core_side`: the side whose switches are varied (must be a Core spec);
	// `ref`: the other side (any spec). `ref_subject` is reused for every run.
	Attributor(Engine &engine, const SubjectSpec &core_side, const SubjectSpec &ref,
		   Subject &ref_subject, bool core_is_left);

	// `d` must come from running `s` with the core's own switches.
	Attribution attribute(const Scenario &s, const Divergence &d);
	AttributionChain attribute_all(const Scenario &s, const Divergence &first);

	// Attribute `d`, which comes from running `s` with the switches in `base`
	// already reverted (a later link of a chain).
	Attribution attribute_from(const Scenario &s, const Divergence &d,
				   const std::vector<unsigned> &base);

	// The core's switches with the members of `reverted` set to the reference.
	Switches switches_with(const std::vector<unsigned> &reverted) const;
	// Run with the core's switches, members of `reverted` set to the
	// reference (`every`: to the end, each divergent step; Engine::run).
	bool run_with(const Scenario &s, const std::vector<unsigned> &reverted, Divergence *d,
		      std::vector<Divergence> *every = nullptr);
	// Every divergent step of `s`, each with the switches that explain it
	// (see every_divergence below).
	std::vector<StepDivergence> every(const Scenario &s, const AttributionChain &chain);
	// Every switch where the core differs from the reference.
	std::vector<unsigned> differing() const;

private:
	bool explains(const Scenario &s, const Divergence &d, const std::vector<unsigned> &set,
		      std::string *effect);
	Engine &engine_;
	Switches core_, ref_;
	Subject &ref_subject_;
	bool core_is_left_;
	size_t reruns_ = 0;
};

// Convenience: given both specs, decide which side is the core and attribute
// the whole scenario. Two upstream versions (upstream:6.1 vs upstream:6.12)
// are attributed through the core profile that models the left one: it must
// agree with that version on the scenario (else unattributed: a bug of the
// model or the shim), and its divergences against the right version are
// attributed to the switches where the two profiles differ. Anything else
// without a core side is unattributed.
AttributionChain attribute_scenario(Engine &engine, const Scenario &s, const SubjectSpec &left,
				    const SubjectSpec &right, Subject &left_subject,
				    Subject &right_subject, const Divergence &first);

// Every divergence of the scenario, not only the first: the engine runs `s`
// to its end and lists each step where the sides differ; with a core side,
// the chain's links are then reverted one after another (each a run to the
// end), and a step is explained by the link at which it stops diverging --
// its switches, the earlier links' still reverted. Without a core side (or
// an empty chain) the steps come without switches.
std::vector<StepDivergence> every_divergence(Engine &engine, const Scenario &s,
					     const SubjectSpec &left, const SubjectSpec &right,
					     Subject &left_subject, Subject &right_subject,
					     const AttributionChain &chain);

// Whether attribute_scenario() would attribute every divergence of `s`, at
// the cost of one run instead of up to (switches + 1) per link: the chain is
// attributed when `s` runs without divergence once every switch where the
// core differs from the reference is reverted (each link is then explained,
// at worst, by all of them). A "no" is rare and calls for the full chain,
// which decides it (a core that diverges in the reference profile while a
// subset of reverts does not is the one case where the two differ; the full
// chain is the verdict then). The diff_upstream fuzz target uses this.
bool divergences_attributable(Engine &engine, const Scenario &s, const SubjectSpec &left,
			      const SubjectSpec &right, Subject &left_subject,
			      Subject &right_subject);

} // namespace diff
} // namespace ballast

#endif // BALLAST_DIFF_ATTRIBUTION_H
