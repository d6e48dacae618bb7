// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "names.h"

namespace ballast {
namespace scenario {

bool profile_from_name(const std::string &name, ballast_profile *out)
{
	for (const ProfileInfo &p : kProfileTable)
		if (name == p.name) {
			*out = p.id;
			return true;
		}
	return false;
}

const char *profile_name(ballast_profile p)
{
	return (unsigned)p < kProfileCount ? kProfileTable[p].name : "?";
}

std::string profile_names()
{
	std::string s;
	for (const ProfileInfo &p : kProfileTable)
		s += std::string(s.empty() ? "" : ", ") + p.name;
	return s;
}

const UpstreamInfo kUpstreams[] = {
	{"seed", Upstream::Seed2019, BALLAST_PROFILE_LINUX_2019,
	 "Linux drivers/xen/balloon.c, late 2019"},
	{"6.1", Upstream::Linux61, BALLAST_PROFILE_LINUX_6_1,
	 "Linux 6.1 (Debian linux-source-6.1)"},
	{"6.12", Upstream::Linux612, BALLAST_PROFILE_LINUX_6_12,
	 "Linux 6.12 (Debian linux-source-6.12)"},
};
const unsigned kUpstreamCount = sizeof(kUpstreams) / sizeof(kUpstreams[0]);

const UpstreamInfo *upstream_from_name(const std::string &name)
{
	for (const UpstreamInfo &u : kUpstreams)
		if (name == u.name)
			return &u;
	return nullptr;
}

std::string upstream_names()
{
	std::string s;
	for (const UpstreamInfo &u : kUpstreams)
		s += std::string(s.empty() ? "" : ", ") + u.name;
	return s;
}

const UpstreamInfo &reference_upstream(ballast_profile p)
{
	for (const UpstreamInfo &u : kUpstreams)
		if (u.profile == p)
			return u;
	return kUpstreams[0];
}

const SwitchInfo *switch_from_name(const std::string &name)
{
	for (const SwitchInfo &s : kSwitchTable)
		if (name == s.name)
			return &s;
	return nullptr;
}

std::string subject_syntax()
{
	return "core:PROFILE[+SWITCH[=0|1]]... | upstream:VERSION | planted:PROFILE | "
	       "planted-target:PROFILE (profiles: " +
	       profile_names() + "; upstream versions: " + upstream_names() + ")";
}

bool parse_subject_spec(const std::string &text, SubjectSpec *out, std::string *err)
{
	SubjectSpec sp;
	sp.text = text;
	auto fail = [&](const std::string &why) {
		if (err)
			*err = "subject '" + text + "': " + why;
		return false;
	};
	const size_t colon = text.find(':');
	if (colon == std::string::npos)
		return fail("expected KIND:NAME, one of " + subject_syntax());
	const std::string kind = text.substr(0, colon), rest = text.substr(colon + 1);
	if (kind == "upstream") {
		sp.kind = SubjectSpec::Upstream;
		sp.upstream = upstream_from_name(rest);
		if (!sp.upstream)
			return fail("upstream versions are " + upstream_names());
		sp.profile = sp.upstream->profile;
		sp.switches = profile_switches(sp.profile);
		*out = sp;
		return true;
	}
	if (kind == "core")
		sp.kind = SubjectSpec::Core;
	else if (kind == "planted")
		sp.kind = SubjectSpec::Planted;
	else if (kind == "planted-target")
		sp.kind = SubjectSpec::PlantedTarget;
	else
		return fail("kinds are core, upstream, planted, planted-target");
	size_t plus = rest.find('+');
	const std::string prof = rest.substr(0, plus);
	if (!profile_from_name(prof, &sp.profile))
		return fail("profiles are " + profile_names());
	sp.switches = profile_switches(sp.profile);
	if (plus != std::string::npos && sp.kind != SubjectSpec::Core)
		return fail("switch overrides are for core: subjects only");
	while (plus != std::string::npos) {
		const size_t next = rest.find('+', plus + 1);
		const std::string kv = rest.substr(
			plus + 1, next == std::string::npos ? std::string::npos : next - plus - 1);
		const size_t eq = kv.find('=');
		const std::string key = kv.substr(0, eq);
		const SwitchInfo *si = switch_from_name(key);
		if (!si)
			return fail("unknown switch '" + key + "' (core/SWITCHES.md lists them)");
		bool val = true;
		if (eq != std::string::npos) {
			const std::string v = kv.substr(eq + 1);
			if (v != "0" && v != "1")
				return fail("switch '" + key + "' takes =0 or =1, got '=" + v +
					    "'");
			val = v == "1";
		}
		sp.switches.*(si->member) = val;
		plus = next;
	}
	*out = sp;
	return true;
}

Switches reference_switches(const SubjectSpec &spec)
{
	return spec.kind == SubjectSpec::Core ? spec.switches : profile_switches(spec.profile);
}

void scenario_pair(const Scenario &s, std::string *left, std::string *right)
{
	*left = s.left.empty() ? std::string("core:") + profile_name(s.profile) : s.left;
	*right = s.right.empty() ? std::string("upstream:") + reference_upstream(s.profile).name :
				   s.right;
}

} // namespace scenario
} // namespace ballast
