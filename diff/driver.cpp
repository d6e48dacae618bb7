// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "driver.h"

#include <chrono>
#include <cstdio>

namespace ballast {
namespace diff {

bool Pair::make(const std::string &l, const std::string &r, std::string *err)
{
	if (!scenario::parse_subject_spec(l, &left_spec, err) ||
	    !scenario::parse_subject_spec(r, &right_spec, err))
		return false;
	left = make_subject(left_spec, err);
	if (!left)
		return false;
	right = make_subject(right_spec, err);
	return right != nullptr;
}

bool report_fails(const Report &r)
{
	return r.divergence.found && (!r.attributed_run || !r.attribution.ok());
}

Report run_one(Pair &p, const Scenario &s, const RunOptions &opt)
{
	Report r;
	r.left_name = p.left_spec.text;
	r.right_name = p.right_spec.text;
	r.scenario = s;
	if (!p.engine.run(s, *p.left, *p.right, &r.divergence, opt.record ? &r.steps : nullptr))
		return r;
	if (opt.attribute) {
		r.attributed_run = true;
		r.attribution = attribute_scenario(p.engine, s, p.left_spec, p.right_spec, *p.left,
						   *p.right, r.divergence);
	}
	r.every = every_divergence(p.engine, s, p.left_spec, p.right_spec, *p.left, *p.right,
				   r.attribution);
	if (opt.minimize) {
		const Divergence orig = r.divergence;
		const bool want_unattributed = r.attributed_run && !r.attribution.ok();
		auto keep = [&](const Scenario &t) {
			Divergence d;
			if (!p.engine.run(t, *p.left, *p.right, &d) || !same_divergence(d, orig))
				return false;
			if (!r.attributed_run)
				return true;
			AttributionChain c = attribute_scenario(p.engine, t, p.left_spec,
								p.right_spec, *p.left, *p.right, d);
			return want_unattributed ? !c.ok() : c.ok();
		};
		r.repro = minimize_ops(s, keep, opt.attribute ? 400 : 4000);
		r.have_repro = true;
	}
	return r;
}

std::string CampaignStats::summary() const
{
	char buf[256];
	std::string s;
	double sps = seconds > 0 ? (double)scenarios / seconds : 0;
	double stps = seconds > 0 ? (double)steps / seconds : 0;
	snprintf(buf, sizeof buf,
		 "%llu scenarios, %llu steps in %.2f s (%.0f scenarios/s, %.0f steps/s); "
		 "%llu divergent: %llu attributed, %llu unattributed\n",
		 (unsigned long long)scenarios, (unsigned long long)steps, seconds, sps, stps,
		 (unsigned long long)divergences, (unsigned long long)attributed,
		 (unsigned long long)unattributed);
	s += buf;
	for (const auto &kv : by_switch) {
		snprintf(buf, sizeof buf, "  %-36s %llu\n", kv.first.c_str(),
			 (unsigned long long)kv.second);
		s += buf;
	}
	return s;
}

std::string CampaignStats::json_fields() const
{
	char num[64];
	std::string j;
	auto field = [&](const char *k, uint64_t v) {
		j += std::string(j.empty() ? "" : ",\n") + "  \"" + k + "\": " + std::to_string(v);
	};
	field("scenarios", scenarios);
	field("steps", steps);
	snprintf(num, sizeof num, "%.3f", seconds);
	j += ",\n  \"seconds\": " + std::string(num);
	snprintf(num, sizeof num, "%.0f", seconds > 0 ? (double)scenarios / seconds : 0.0);
	j += ",\n  \"scenarios_per_second\": " + std::string(num);
	field("divergences", divergences);
	field("attributed", attributed);
	field("unattributed", unattributed);
	j += ",\n  \"by_switch\": {";
	bool first = true;
	for (const auto &kv : by_switch) {
		j += std::string(first ? "" : ",") + "\n    \"" + json_escape(kv.first) +
		     "\": " + std::to_string(kv.second);
		first = false;
	}
	j += first ? "}" : "\n  }";
	return j;
}

Divergence CampaignStats::add(Pair &p, const Scenario &s, bool attribute, AttributionChain *chain)
{
	Divergence d;
	if (chain)
		*chain = AttributionChain();
	const bool div = p.engine.run(s, *p.left, *p.right, &d);
	scenarios++;
	steps += p.engine.last_steps();
	if (!div)
		return d;
	divergences++;
	if (!have_divergence) {
		have_divergence = true;
		first_divergence = s;
	}
	bool ok = false;
	if (attribute && p.attributable()) {
		AttributionChain c = attribute_scenario(p.engine, s, p.left_spec, p.right_spec,
							*p.left, *p.right, d);
		ok = c.ok();
		if (ok)
			for (const std::string &sw : c.all_switches())
				by_switch[sw]++;
		if (chain)
			*chain = c;
	}
	if (ok) {
		attributed++;
		return d;
	}
	unattributed++;
	if (!have_failure) {
		have_failure = true;
		first_failure = s;
	}
	return d;
}

CampaignStats run_random(Pair &p, uint64_t count, uint64_t seed, const scenario::GenOptions &gen,
			 bool attribute, bool stop_on_failure)
{
	CampaignStats st;
	Scenario s;
	auto t0 = std::chrono::steady_clock::now();
	for (uint64_t i = 0; i < count; i++) {
		scenario::generate_scenario(seed + i, gen, &s);
		const uint64_t failures = st.unattributed;
		st.add(p, s, attribute);
		if (stop_on_failure && st.unattributed > failures)
			break;
	}
	st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
	return st;
}

} // namespace diff
} // namespace ballast
