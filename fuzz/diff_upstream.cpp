// SPDX-License-Identifier: GPL-2.0 OR MIT
// Fuzz target diff_upstream: the lock-step engine (diff/engine.h) runs the
// core and the upstream driver (compiled unmodified against the shim) on the
// same scenario in two identical worlds. A divergence that no behaviour
// switch explains (diff/attribution.h) is a crash: a bug in ballast or in the
// shim.
//
// Input: the binary fuzz input of scenario/binary.h. The selector byte's
// profile P picks the pair scenario_pair() gives every tool: core:P against
// the upstream version P models (ballast and linux-2019: upstream:seed,
// linux-6.1: upstream:6.1, linux-6.12: upstream:6.12), so `./ballast diff
// FILE` runs the same pair.
//
// Built a second time as diff_planted (BALLAST_FUZZ_PLANTED, libFuzzer builds
// only; ./ballast campaign --plant): the core side is the core with a planted
// fault (planted:PROFILE, diff/core_subject.h), compared only on one pair where
// the core matches upstream bug for bug (linux-2019 against the seed), so that
// every divergence it finds is the plant, with one signature whichever input
// finds it first: proof that the campaign finds, triages and reports an
// unattributed divergence.
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "attribution.h"
#include "binary.h"
#include "engine.h"

using namespace ballast;
using namespace ballast::diff;

namespace {
struct Pair {
	SubjectSpec left, right;
	std::unique_ptr<Subject> l, r;
};
// One pair per profile, built once, indexed by ballast_profile.
Pair *make_pairs()
{
	Pair *p = new Pair[kProfileCount];
	for (unsigned i = 0; i < kProfileCount; i++) {
		scenario::Scenario probe;
		probe.profile = kProfileTable[i].id;
		std::string left, right, err;
		scenario::scenario_pair(probe, &left, &right);
#ifdef BALLAST_FUZZ_PLANTED
		left = "planted:" + left.substr(left.find(':') + 1);
#endif
		if (!scenario::parse_subject_spec(left, &p[i].left, &err) ||
		    !scenario::parse_subject_spec(right, &p[i].right, &err) ||
		    !(p[i].l = make_subject(p[i].left, &err)) ||
		    !(p[i].r = make_subject(p[i].right, &err))) {
			fprintf(stderr, "diff_upstream: %s\n", err.c_str());
			abort();
		}
	}
	return p;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static Engine *engine = new Engine();
	static Pair *pairs = make_pairs();
	static Scenario *s = new Scenario();
	scenario::decode_input(data, size, s);
#ifdef BALLAST_FUZZ_PLANTED
	if (s->profile != BALLAST_PROFILE_LINUX_2019)
		return 0;
#endif
	Pair &p = pairs[s->profile];
	Divergence d;
	if (!engine->run(*s, *p.l, *p.r, &d))
		return 0;
	// One rerun decides the common case; the full chain only when it says no.
	if (divergences_attributable(*engine, *s, p.left, p.right, *p.l, *p.r))
		return 0;
	AttributionChain chain = attribute_scenario(*engine, *s, p.left, p.right, *p.l, *p.r, d);
	if (chain.unattributed) {
		fprintf(stderr, "diff_upstream: %s vs %s: unattributed divergence: %s\n",
			p.left.text.c_str(), p.right.text.c_str(), d.describe().c_str());
		for (const Attribution &a : chain.links)
			fprintf(stderr, "  %s\n", a.describe().c_str());
		abort();
	}
	return 0;
}
