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

bool Attributor::run_with(const Scenario &s, const std::vector<unsigned> &reverted, Divergence *d,
			  std::vector<Divergence> *every)
{
	CoreSubject core(switches_with(reverted), "core:attribution");
	reruns_++;
	return core_is_left_ ? engine_.run(s, core, ref_subject_, d, nullptr, every) :
			       engine_.run(s, ref_subject_, core, d, nullptr, every);
}

std::string StepDivergence::describe() const
{
	std::string s = divergence.describe();
	if (switches.empty())
		return s + " -- not explained by a switch";
	s += " -- ";
	for (size_t i = 0; i < switches.size(); i++)
		s += (i ? " + " : "") + switches[i];
	return s;
}

std::vector<StepDivergence> Attributor::every(const Scenario &s, const AttributionChain &chain)
{
	std::vector<StepDivergence> out;
	std::vector<Divergence> all;
	run_with(s, {}, nullptr, &all);
	for (const Divergence &d : all)
		out.push_back(StepDivergence{d, {}});
	std::vector<unsigned> base;
	for (const Attribution &link : chain.links) {
		if (link.status != Attribution::Attributed)
			break;
		for (const std::string &name : link.switches)
			for (unsigned i = 0; i < kSwitchCount; i++)
				if (name == kSwitchTable[i].name)
					base.push_back(i);
		std::vector<Divergence> left;
		run_with(s, base, nullptr, &left);
		for (StepDivergence &sd : out) {
			if (!sd.switches.empty())
				continue;
			bool still = false;
			for (const Divergence &d : left)
				still |= d.step == sd.divergence.step;
			if (!still)
				sd.switches = link.switches;
		}
	}
	return out;
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

// Two upstream versions: the left one is replaced by the core profile that
// models it, once that model is shown to agree with it on this scenario;
// the divergences of the model against the right version are then attributed
// as any core's are. *why says what failed when false is returned.
template <class Fn>
bool with_upstream_model(Engine &engine, const Scenario &s, const SubjectSpec &left,
			 const SubjectSpec &right, Subject &left_subject, Subject &right_subject,
			 std::string *why, Fn fn)
{
	if (left.kind != SubjectSpec::Upstream || right.kind != SubjectSpec::Upstream) {
		*why = "neither side is a core subject; nothing to vary";
		return false;
	}
	SubjectSpec model;
	std::string err;
	if (!scenario::parse_subject_spec(std::string("core:") +
						    scenario::profile_name(left.upstream->profile),
				&model, &err)) {
		*why = err;
		return false;
	}
	CoreSubject core(model.switches, model.text);
	Divergence dm;
	if (engine.run(s, core, left_subject, &dm)) {
		*why = model.text + ", the model of " + left.text + ", diverges from it: " +
		       dm.describe();
		return false;
	}
	Divergence d;
	if (!engine.run(s, core, right_subject, &d)) {
		*why = model.text + " agrees with " + right.text + " where " + left.text +
		       " does not";
		return false;
	}
	Attributor at(engine, model, right, right_subject, true);
	fn(at, d);
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
	std::string why;
	if (with_upstream_model(engine, s, left, right, left_subject, right_subject, &why,
				[&](Attributor &at, const Divergence &d) {
					chain = at.attribute_all(s, d);
					chain.model = std::string("core:") +
						      scenario::profile_name(left.upstream->profile);
				}))
		return chain;
	Attribution a;
	a.status = Attribution::Unattributed;
	a.divergence = first;
	a.effect = why;
	chain.links.push_back(a);
	chain.unattributed = true;
	return chain;
}

std::vector<StepDivergence> every_divergence(Engine &engine, const Scenario &s,
					     const SubjectSpec &left, const SubjectSpec &right,
					     Subject &left_subject, Subject &right_subject,
					     const AttributionChain &chain)
{
	std::vector<StepDivergence> out;
	if (with_core_side(engine, left, right, left_subject, right_subject,
			   [&](Attributor &at) { out = at.every(s, chain); }))
		return out;
	std::vector<Divergence> all;
	engine.run(s, left_subject, right_subject, nullptr, nullptr, &all);
	for (const Divergence &d : all)
		out.push_back(StepDivergence{d, {}});
	return out;
}

bool divergences_attributable(Engine &engine, const Scenario &s, const SubjectSpec &left,
			      const SubjectSpec &right, Subject &left_subject,
			      Subject &right_subject)
{
	bool explained = false;
	auto revert_all = [&](Attributor &at) {
		const std::vector<unsigned> all = at.differing();
		Divergence d;
		// Nothing to revert: any divergence stays unexplained.
		explained = !all.empty() && !at.run_with(s, all, &d);
	};
	if (!with_core_side(engine, left, right, left_subject, right_subject, revert_all)) {
		std::string why;
		with_upstream_model(engine, s, left, right, left_subject, right_subject, &why,
				    [&](Attributor &at, const Divergence &) { revert_all(at); });
	}
	return explained;
}

} // namespace diff
} // namespace ballast
