// SPDX-License-Identifier: GPL-2.0 OR MIT
// Fuzz target core_invariants: the core in one simulated world with a hostile
// hypervisor, a failing allocator, hotplug, lending and insane inputs; the
// invariant checker runs after every step.
//
// Input: the binary fuzz input of scenario/binary.h (selector byte = the
// profile: ballast, linux-2019, linux-6.1, linux-6.12; then the scenario).
// Crash (abort) on: any invariant violation; in the ballast profile any
// BUG_*/HANG_*/PANIC_* event or world hang. In the upstream profiles the
// documented slips of core/SWITCHES.md end the run quietly.
//
// Built a second time as core_planted (BALLAST_FUZZ_PLANTED, libFuzzer builds
// only; ./ballast campaign --plant): the same target with one planted memory
// bug, for proving that the campaign finds, triages and reports a sanitizer
// crash. Nothing else links it.
#include <cstdio>
#include <cstdlib>

#include "binary.h"
#include "core_harness.h"
#include "names.h"
#include "text.h"

using namespace ballast;

#ifdef BALLAST_FUZZ_PLANTED
// The planted bug: a scenario that lends an odd number of pages makes this
// write one element past a heap array (AddressSanitizer: heap-buffer-overflow).
// Some inputs of corpus/fuzzed do, so the seeds already crash it, and any
// mutation of a count may. Not inlined, so that it is a frame of its own.
__attribute__((noinline)) static void planted_overflow(const scenario::Scenario &s)
{
	static volatile int *lends = new int[8];
	for (const scenario::Op &op : s.ops)
		if (op.kind == scenario::OpKind::Lend && op.arg[0] > 0 && op.arg[0] % 2 == 1)
			lends[8] = (int)op.arg[0];
}
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static fuzz::CoreHarness *harness = new fuzz::CoreHarness();
	static scenario::Scenario *s = new scenario::Scenario();
	scenario::decode_input(data, size, s);
	const fuzz::RunResult &r = harness->run(*s);
#ifdef BALLAST_FUZZ_PLANTED
	planted_overflow(*s);
#endif
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
