// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast diff: reports of a divergence -- text, JSON, one self-contained
// HTML page, and a minimized reproducer in the scenario format.
#ifndef BALLAST_DIFF_REPORT_H
#define BALLAST_DIFF_REPORT_H

#include <functional>
#include <string>
#include <vector>

#include "attribution.h"
#include "engine.h"
#include "scenario.h"

namespace ballast {
namespace diff {

struct Report {
	std::string left_name, right_name;
	Scenario scenario;		   // as run
	Divergence divergence;		   // first divergence (found == false: none)
	AttributionChain attribution;	   // empty when not attributed
	std::vector<StepDivergence> every; // every divergent step, with its switches
	bool attributed_run = false;	   // attribution was attempted
	std::vector<StepSnapshot> steps;   // recorded run up to the divergence
	Scenario repro;			   // minimized reproducer (may equal scenario)
	bool have_repro = false;
};

std::string report_text(const Report &r);
std::string report_json(const Report &r);
// Every recorded step, both sides (for `ballast-diff run --trace`).
std::string report_trace(const Report &r);
std::string report_html(const Report &r);
// The reproducer file: comments (subjects, divergence, attribution), then the scenario.
std::string report_repro(const Report &r);

// Delta debugging over operations: the smallest subsequence of ops (1-minimal)
// for which `keep` still holds. `keep(original)` must be true.
Scenario minimize_ops(const Scenario &s, const std::function<bool(const Scenario &)> &keep,
		      size_t max_runs = 20000);

// The usual predicate: the pair still diverges in the same field (indices ignored).
bool same_divergence(const Divergence &a, const Divergence &b);

std::string json_escape(const std::string &s);
std::string html_escape(const std::string &s);

} // namespace diff
} // namespace ballast

#endif // BALLAST_DIFF_REPORT_H
