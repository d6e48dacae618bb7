// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast fuzz: the core (Balloon<world::Env>) driven by scenario operations in
// one reusable world::World, with the invariant checker after every step. The
// world and every operation come from the scenario runtime (scenario/runtime.h),
// so a scenario runs here as it runs in the lock-step engine.
//
// Used by the core_invariants fuzz target, by `./ballast replay` (with a trace)
// and by the regression replays in ctest. Deterministic: same input, same run.
#ifndef BALLAST_FUZZ_CORE_HARNESS_H
#define BALLAST_FUZZ_CORE_HARNESS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "balloon.h"
#include "invariants.h"
#include "runtime.h"
#include "scenario.h"
#include "world.h"
#include "world_env.h"

namespace ballast {
namespace fuzz {

enum class Outcome : uint8_t {
	Ok,	   // every step kept every invariant
	Violation, // an invariant broke, or a forbidden event (ballast: HANG_*/BUG_*/PANIC_*)
	Tolerated, // after an undetectable hypervisor lie or a documented upstream slip; the run stopped
	NoXen, // init refused (not a Xen domain)
};

struct RunResult {
	Outcome outcome = Outcome::Ok;
	size_t failed_step = 0; // 0: init, i+1: after op i
	std::string message;	// what broke (empty when Ok)
};

class CoreHarness {
public:
	CoreHarness();
	// Run a whole scenario in its profile. trace != nullptr: append a
	// readable step-by-step trace.
	const RunResult &run(const scenario::Scenario &s, std::string *trace = nullptr);

	// Audit mode (tests): after every step a second checker does the full
	// O(frames) scan; disagreeing with the incremental one is a violation.
	// plant_seed != 0: before some checks (1 in 8) plant what a buggy core
	// could do to its list, its lent pages or the pages it holds (kPlants
	// kinds, see core_harness.cpp), so that both checkers have something to
	// find; the counts say what was planted and what was caught.
	static constexpr unsigned kPlants = 7;
	struct AuditCounts {
		unsigned long planted[kPlants] = {};
		unsigned long caught[kPlants] = {}; // a violation at the check right after
	};
	void set_audit(bool on, uint64_t plant_seed = 0)
	{
		audit_ = on;
		plant_rng_ = plant_seed;
	}
	const AuditCounts &audit_counts() const { return audit_counts_; }
	static const char *plant_name(unsigned kind);
	// Planted kinds that always break an invariant (the rest may not).
	static bool plant_must_be_caught(unsigned kind);

	world::World &world() { return world_; }
	const Balloon<world::Env> &balloon() const { return balloon_; }
	// Pages lent, kept by hung callers and taken by the guest in the last run.
	const scenario::Holdings &holdings() const { return hold_; }
	// The last run met a hostile input after which violations are tolerated.
	bool tainted() const { return taint_ != nullptr; }
	// Plant one bug of kind `kind` (< kPlants) at the first check where it
	// can be planted, in every run from now on; -1: none. Deterministic,
	// unlike set_audit's random plants (the exhaustive explorer uses it).
	void set_plant(int kind) { fixed_plant_ = kind; }

private:
	int init(const scenario::Scenario &s);
	void apply(const scenario::Header &h, const scenario::Op &op, std::string *trace);
	bool check(size_t step, std::string *trace);
	void note_hostile(const scenario::Op &op);
	void scan_hypercalls(std::string *trace);
	void describe_state(std::string *trace) const;

	world::World world_;
	world::Env env_;
	Balloon<world::Env> balloon_;
	world::InvariantChecker checker_;
	world::InvariantChecker audit_checker_;
	bool audit_ = false;
	uint64_t plant_rng_ = 0;
	AuditCounts audit_counts_;
	int plant(); // the kind planted, or -1
	bool plant_kind(unsigned kind); // false: nothing to plant it on now
	int fixed_plant_ = -1;
	bool fixed_planted_ = false; // this run's fixed plant is done
	scenario::Holdings hold_; // pages lent, kept by hung callers, taken by the guest
	ballast_profile profile_ = BALLAST_PROFILE_BALLAST;
	bool world_hang_ = false;
	bool wait_livelock_ = false; // world_hang_ from the wait_pages guard
	// The first input after which invariants cannot hold: an undetectable
	// hypervisor lie (any profile), or in the upstream profiles a hostile input
	// whose consequence is a documented upstream bug (core/SWITCHES.md).
	// Violations after it are tolerated; forbidden events still crash (ballast).
	const char *taint_ = nullptr;
	size_t events_seen_ = 0;
	uint64_t trace_seen_ = 0;
	RunResult result_;
};

} // namespace fuzz
} // namespace ballast

#endif // BALLAST_FUZZ_CORE_HARNESS_H
