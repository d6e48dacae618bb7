// SPDX-License-Identifier: GPL-2.0 OR MIT
// Fuzz target core_invariants: the core in one simulated world with a hostile
// hypervisor, a failing allocator, hotplug, lending and insane inputs; the
// invariant checker runs after every step.
//
// Input: the binary fuzz input of scenario/binary.h (selector byte = the
// profile: ballast, linux-2019, linux-6.1; then the scenario).
// Crash (abort) on: any invariant violation; in the ballast profile any
// BUG_*/HANG_*/PANIC_* event or world hang. In the upstream profiles the
// documented slips of core/SWITCHES.md end the run quietly.
#include <cstdio>
#include <cstdlib>

#include "binary.h"
#include "core_harness.h"
#include "names.h"
#include "text.h"

using namespace ballast;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static fuzz::CoreHarness *harness = new fuzz::CoreHarness();
	static scenario::Scenario *s = new scenario::Scenario();
	scenario::decode_input(data, size, s);
	const fuzz::RunResult &r = harness->run(*s);
	if (r.outcome == fuzz::Outcome::Violation) {
		const size_t k = r.failed_step;
		fprintf(stderr, "core_invariants: profile %s, after step %zu (%s):\n%s\n",
			scenario::profile_name(s->profile), k,
			k == 0		   ? "init" :
			k <= s->ops.size() ? scenario::print_op(s->ops[k - 1]).c_str() :
					     "the end-of-run checks",
			r.message.c_str());
		abort();
	}
	return 0;
}
