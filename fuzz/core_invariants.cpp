// SPDX-License-Identifier: GPL-2.0 OR MIT
// Fuzz target core_invariants: the core in one simulated world with a hostile
// hypervisor, a failing allocator, hotplug, lending and insane inputs; the
// invariant checker runs after every step.
//
// Input: byte 0 selects the profile (% 3: ballast, linux-2019, linux-6.1),
// the rest is a scenario in the binary encoding of diff/scenario.h.
// Crash (abort) on: any invariant violation; in the ballast profile any
// BUG_*/HANG_*/PANIC_* event or world hang. In the upstream profiles the
// documented slips of core/SWITCHES.md end the run quietly.
#include <cstdio>
#include <cstdlib>

#include "core_harness.h"

using namespace ballast;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static fuzz::CoreHarness *harness = new fuzz::CoreHarness();
	static diff::Scenario *scenario = new diff::Scenario();
	ballast_profile profile;
	fuzz::decode_input(data, size, &profile, scenario, fuzz::FuzzLimits().max_ops);
	fuzz::fit_for_fuzzing(scenario);
	const fuzz::RunResult &r = harness->run(profile, *scenario);
	if (r.outcome == fuzz::Outcome::Violation) {
		fprintf(stderr, "core_invariants: profile %s, after step %zu (%s):\n%s\n",
			fuzz::profile_name(profile), r.failed_step,
			r.failed_step ? fuzz::op_text(scenario->ops[r.failed_step - 1]).c_str() :
					"init",
			r.message.c_str());
		abort();
	}
	return 0;
}
