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
	std::vector<std::string> all_switches() const;
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
	// Run with the core's switches, members of `reverted` set to the reference.
	bool run_with(const Scenario &s, const std::vector<unsigned> &reverted, Divergence *d);
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
// the whole scenario. If neither side is a core subject the result is
// unattributed.
AttributionChain attribute_scenario(Engine &engine, const Scenario &s, const SubjectSpec &left,
				    const SubjectSpec &right, Subject &left_subject,
				    Subject &right_subject, const Divergence &first);

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
