// SPDX-License-Identifier: GPL-2.0 OR MIT
// Fuzz target diff_upstream: the lock-step engine (diff/engine.h) runs the
// core and the upstream driver (compiled unmodified against the shim) on the
// same scenario in two identical worlds. A divergence that no behaviour
// switch explains (diff/attribution.h) is a crash: a bug in ballast or in the
// shim.
//
// Input: byte 0 selects the pair (% 3): 0 core:ballast vs upstream:seed
// (divergences expected, each must be attributed), 1 core:linux-2019 vs
// upstream:seed, 2 core:linux-6.1 vs upstream:6.1 (must agree, or be
// attributed); the rest is a scenario in the binary encoding.
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "attribution.h"
#include "core_harness.h"
#include "engine.h"

using namespace ballast;
using namespace ballast::diff;

namespace {
struct Pair {
	SubjectSpec left, right;
	std::unique_ptr<Subject> l, r;
};
Pair *make_pairs()
{
	static const char *const specs[3][2] = {
		{"core:ballast", "upstream:seed"},
		{"core:linux-2019", "upstream:seed"},
		{"core:linux-6.1", "upstream:6.1"},
	};
	Pair *p = new Pair[3];
	for (int i = 0; i < 3; i++) {
		std::string err;
		if (!parse_subject_spec(specs[i][0], &p[i].left, &err) ||
		    !parse_subject_spec(specs[i][1], &p[i].right, &err) ||
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
	ballast_profile which;
	fuzz::decode_input(data, size, &which, s, fuzz::FuzzLimits().max_ops);
	fuzz::fit_for_fuzzing(s);
	Pair &p = pairs[(int)which % 3];
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
