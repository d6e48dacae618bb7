// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "attribution.h"

#include <algorithm>

#include "core_subject.h"

namespace ballast {
namespace diff {

std::string Attribution::describe() const
{
	switch (status) {
	case None:
		return "no divergence";
	case Unattributed:
		return "UNATTRIBUTED: " + divergence.describe() + " (" + effect + ")";
	case Attributed:
		break;
	}
	std::string s = "attributed to ";
	for (size_t i = 0; i < switches.size(); i++)
		s += (i ? " + " : "") + switches[i];
	s += ": " + divergence.describe() + "; with the switch(es) reverted the divergence " +
	     effect;
	if (!also.empty()) {
		s += " (also explained alone by";
		for (const std::string &a : also)
			s += " " + a;
		s += ")";
	}
	return s;
}

std::vector<std::string> AttributionChain::all_switches() const
{
	std::vector<std::string> out;
	for (const Attribution &a : links)
		for (const std::string &sw : a.switches)
			if (std::find(out.begin(), out.end(), sw) == out.end())
				out.push_back(sw);
	return out;
}

Attributor::Attributor(Engine &engine, const SubjectSpec &core_side, const SubjectSpec &ref,
		       Subject &ref_subject, bool core_is_left)
	: engine_(engine)
	, core_(core_side.switches)
	, ref_(reference_switches(ref))
	, ref_subject_(ref_subject)
	, core_is_left_(core_is_left)
{
}

Switches Attributor::switches_with(const std::vector<unsigned> &reverted) const
{
	Switches sw = core_;
	for (unsigned i : reverted)
		sw.*(kSwitchTable[i].member) = ref_.*(kSwitchTable[i].member);
	return sw;
}

bool Attributor::run_with(const Scenario &s, const std::vector<unsigned> &reverted, Divergence *d)
{
	CoreSubject core(switches_with(reverted), "core:attribution");
	reruns_++;
	return core_is_left_ ? engine_.run(s, core, ref_subject_, d) :
			       engine_.run(s, ref_subject_, core, d);
}

bool Attributor::explains(const Scenario &s, const Divergence &d, const std::vector<unsigned> &set,
			  std::string *effect)
{
	Divergence nd;
	if (!run_with(s, set, &nd)) {
		*effect = "disappears";
		return true;
	}
	if (nd.step > d.step) {
		*effect = "moves from step " + std::to_string(d.step) + " to step " +
			  std::to_string(nd.step) + " (" + nd.field + ")";
		return true;
	}
	return false;
}

std::vector<unsigned> Attributor::differing() const
{
	std::vector<unsigned> out;
	for (unsigned i = 0; i < kSwitchCount; i++)
		if (core_.*(kSwitchTable[i].member) != ref_.*(kSwitchTable[i].member))
			out.push_back(i);
	return out;
}

Attribution Attributor::attribute_from(const Scenario &s, const Divergence &d,
				       const std::vector<unsigned> &base)
{
	Attribution a;
	a.divergence = d;
	size_t start = reruns_;
	std::vector<unsigned> cand;
	for (unsigned i : differing())
		if (std::find(base.begin(), base.end(), i) == base.end())
			cand.push_back(i);
	a.status = Attribution::Unattributed;
	if (cand.empty()) {
		a.effect = "the core's switches already equal the reference profile";
		a.reruns = reruns_ - start;
		return a;
	}
	// singles
	std::string effect;
	for (unsigned i : cand) {
		std::vector<unsigned> set = base;
		set.push_back(i);
		std::string e;
		if (explains(s, d, set, &e)) {
			if (a.switches.empty()) {
				a.switches.push_back(kSwitchTable[i].name);
				effect = e;
			} else {
				a.also.push_back(kSwitchTable[i].name);
			}
		}
	}
	if (!a.switches.empty()) {
		a.status = Attribution::Attributed;
		a.effect = effect;
		a.reruns = reruns_ - start;
		return a;
	}
	// all of them, then drop what is not needed
	std::vector<unsigned> set = base;
	set.insert(set.end(), cand.begin(), cand.end());
	if (!explains(s, d, set, &effect)) {
		a.effect = "reverting every differing switch does not remove or delay it";
		a.reruns = reruns_ - start;
		return a;
	}
	std::vector<unsigned> need = cand;
	for (size_t k = 0; k < need.size();) {
		std::vector<unsigned> trial = base;
		for (size_t j = 0; j < need.size(); j++)
			if (j != k)
				trial.push_back(need[j]);
		std::string e;
		if (need.size() > 1 && explains(s, d, trial, &e)) {
			need.erase(need.begin() + (long)k);
			effect = e;
		} else {
			k++;
		}
	}
	// effect of the final set
	std::vector<unsigned> fin = base;
	fin.insert(fin.end(), need.begin(), need.end());
	explains(s, d, fin, &effect);
	for (unsigned i : need)
		a.switches.push_back(kSwitchTable[i].name);
	a.status = Attribution::Attributed;
	a.effect = effect;
	a.reruns = reruns_ - start;
	return a;
}

Attribution Attributor::attribute(const Scenario &s, const Divergence &d)
{
	return attribute_from(s, d, {});
}

AttributionChain Attributor::attribute_all(const Scenario &s, const Divergence &first)
{
	AttributionChain chain;
	std::vector<unsigned> base;
	Divergence d = first;
	for (unsigned guard = 0; guard <= kSwitchCount && d.found; guard++) {
		Attribution a = attribute_from(s, d, base);
		chain.links.push_back(a);
		if (a.status != Attribution::Attributed) {
			chain.unattributed = true;
			return chain;
		}
		for (const std::string &name : a.switches)
			for (unsigned i = 0; i < kSwitchCount; i++)
				if (name == kSwitchTable[i].name)
					base.push_back(i);
		Divergence next;
		if (!run_with(s, base, &next))
			return chain;
		d = next;
	}
	if (d.found) {
		Attribution a;
		a.status = Attribution::Unattributed;
		a.divergence = d;
		a.effect = "remains with every switch reverted";
		chain.links.push_back(a);
		chain.unattributed = true;
	}
	return chain;
}

namespace {
// The attributor for whichever side is a core subject (the left one if both
// are), handed to fn; false if neither side is.
template <class Fn>
bool with_core_side(Engine &engine, const SubjectSpec &left, const SubjectSpec &right,
		    Subject &left_subject, Subject &right_subject, Fn fn)
{
	const bool core_left = left.kind == SubjectSpec::Core;
	if (!core_left && right.kind != SubjectSpec::Core)
		return false;
	Attributor at(engine, core_left ? left : right, core_left ? right : left,
		      core_left ? right_subject : left_subject, core_left);
	fn(at);
	return true;
}
} // namespace

AttributionChain attribute_scenario(Engine &engine, const Scenario &s, const SubjectSpec &left,
				    const SubjectSpec &right, Subject &left_subject,
				    Subject &right_subject, const Divergence &first)
{
	AttributionChain chain;
	if (with_core_side(engine, left, right, left_subject, right_subject,
			   [&](Attributor &at) { chain = at.attribute_all(s, first); }))
		return chain;
	Attribution a;
	a.status = Attribution::Unattributed;
	a.divergence = first;
	a.effect = "neither side is a core subject; nothing to vary";
	chain.links.push_back(a);
	chain.unattributed = true;
	return chain;
}

bool divergences_attributable(Engine &engine, const Scenario &s, const SubjectSpec &left,
			      const SubjectSpec &right, Subject &left_subject,
			      Subject &right_subject)
{
	bool explained = false;
	with_core_side(engine, left, right, left_subject, right_subject, [&](Attributor &at) {
		const std::vector<unsigned> all = at.differing();
		Divergence d;
		// Nothing to revert: any divergence stays unexplained.
		explained = !all.empty() && !at.run_with(s, all, &d);
	});
	return explained;
}

} // namespace diff
} // namespace ballast
