// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast fuzz: the core (Balloon<world::Env>) driven by scenario operations in
// one reusable world::World, with the invariant checker and the oracles
// (oracle/: accounting, the backoff state machine) after every step and the
// progress oracle's end-of-run checks after the last. The world and every
// operation come from the scenario runtime (scenario/runtime.h), so a
// scenario runs here as it runs in the lock-step engine.
//
// Used by the core_invariants fuzz target, by `./ballast replay` (with a trace)
// and by the regression replays in ctest. Deterministic: same input, same run.
// The members are defined in core_harness_impl.h (instantiated for world::Env
// in core_harness.cpp; tests instantiate it with planted environments).
#ifndef BALLAST_FUZZ_CORE_HARNESS_H
#define BALLAST_FUZZ_CORE_HARNESS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "accounting.h"
#include "backoff.h"
#include "balloon.h"
#include "counters.h"
#include "findings.h"
#include "invariants.h"
#include "progress.h"
#include "runtime.h"
#include "scenario.h"
#include "world.h"
#include "world_env.h"

namespace ballast {
namespace fuzz {

enum class Outcome : uint8_t {
	Ok,	   // every step kept every invariant and satisfied every oracle
	Violation, // an invariant broke, an oracle found a violation, or a forbidden event
		   // (ballast: HANG_*/BUG_*/PANIC_*)
	Tolerated, // a documented upstream slip (the run went on: `completed`), or an
		   // undetectable hypervisor lie or an upstream crash or hang (the run stopped)
	NoXen, // init refused: not a Xen domain (-ENODEV), or boot figures that cannot add up (-ERANGE)
};

struct RunResult {
	Outcome outcome = Outcome::Ok;
	size_t failed_step = 0;		// 0: init, i+1: after op i, ops+1: the end-of-run checks
	std::string message;		// what broke (empty when Ok)
	bool completed = false;		// every operation ran (and the end-of-run checks, when on)
	std::vector<std::string> slips; // documented upstream slips seen (oracle/findings.h)
	oracle::Progress progress;	// what the end-of-run checks measured
};

// The audit's planted bugs (fuzz/audit_plants.cpp) and their counts.
struct AuditPlants {
	static constexpr unsigned kPlants = 7;
	struct AuditCounts {
		unsigned long planted[kPlants] = {};
		unsigned long caught[kPlants] = {}; // a violation at the check right after
	};
	static const char *plant_name(unsigned kind);
	// Planted kinds that always break an invariant (the rest may not).
	static bool plant_must_be_caught(unsigned kind);
};

// EnvT: world::Env (the fuzz target, the tools), or a test's Env that wraps it
// with a planted bug at the contract boundary (tests/oracle/).
template <class EnvT> class BasicCoreHarness : public AuditPlants {
public:
	using Core = Balloon<EnvT>;
	BasicCoreHarness();
	// Run a whole scenario in its profile. trace != nullptr: append a
	// readable step-by-step trace.
	const RunResult &run(const scenario::Scenario &s, std::string *trace = nullptr);

	// Audit mode (tests): after every step a second checker does the full
	// O(frames) scan; disagreeing with the incremental one is a violation.
	// plant_seed != 0: before some checks (1 in 8) plant what a buggy core
	// could do to its list, its lent pages or the pages it holds (kPlants
	// kinds, see audit_plants.h), so that both checkers have something to
	// find; the counts say what was planted and what was caught.
	void set_audit(bool on, uint64_t plant_seed = 0)
	{
		audit_ = on;
		plant_rng_ = plant_seed;
	}
	const AuditCounts &audit_counts() const { return audit_counts_; }

	// The progress oracle's end-of-run checks (on by default): they run the
	// world on past the scenario's last operation (oracle/progress.h).
	void set_end_checks(bool on) { end_checks_ = on; }
	// Count the wake-ups of the whole hour (reports), not only up to the
	// bound (the default: a worker polling every second is judged after
	// bound + 1 runs instead of 3600).
	void set_full_hour(bool on) { full_hour_ = on; }

	// Tests: a bug planted in the core's state, written after every operation
	// and after every worker run, before the checks see it.
	struct Plant {
		void (*after_op)(void *ctx, Core &core, world::World &w) = nullptr;
		void (*after_run)(void *ctx, Core &core, world::World &w) = nullptr;
		void *ctx = nullptr;
	};
	void set_plant(const Plant &p) { plant_hook_ = p; }
	// Plant one audit bug of kind `kind` (< kPlants) at the first check where
	// it can be planted, in every run from now on; -1: none. Deterministic,
	// unlike set_audit's random plants (the exhaustive explorer uses it).
	void set_fixed_plant(int kind) { fixed_plant_ = kind; }
	// Pages lent, kept by hung callers and taken by the guest in the last run.
	const scenario::Holdings &holdings() const { return hold_; }
	// The last run met a hostile input after which violations are tolerated.
	bool tainted() const { return taint_ != nullptr; }
	// What the oracles and the harness carry from one step to the next,
	// beyond the world and the core (the explorer's state key).
	std::vector<unsigned long> oracle_state() const
	{
		std::vector<unsigned long> s{(unsigned long)(long)taint_slip_, lie_, current_slip_};
		accounting_.model_state(&s);
		backoff_.model_state(&s);
		return s;
	}

	world::World &world() { return world_; }
	EnvT &env() { return env_; }
	const Core &balloon() const { return balloon_; }
	const oracle::Findings &findings() const { return findings_; }

private:
	int init(const scenario::Scenario &s);
	void apply(size_t step, const scenario::Header &h, const scenario::Op &op,
		   std::string *trace);
	bool check(size_t step, std::string *trace);
	bool judge(size_t step, const std::string &invariants, std::string *trace);
	bool end_of_run(const scenario::Scenario &s, std::string *trace);
	void note_hostile(const scenario::Op &op);
	void scan_hypercalls(std::string *trace);
	void describe_state(std::string *trace) const;

	// The initial figures at boot (world/initial_target.h): exact, a slip of
	// the profile that the initial-figure switches explain (tolerated; its
	// current_pages part is allowed in every later check), or a violation.
	std::string check_initial(const scenario::Scenario &s);
	world::World world_;
	EnvT env_;
	Core balloon_;
	world::World explain_world_; // a second boot, to explain an upstream slip
	world::Env explain_env_;
	Balloon<world::Env> explain_balloon_;
	unsigned long current_slip_ = 0;
	std::string initial_violation_;
	Plant plant_hook_;
	world::WorkerObserver backoff_observer_;
	static void planted_run_before(void *ctx, bool kthread);
	static void planted_run_after(void *ctx, bool kthread);
	world::InvariantChecker checker_;
	world::InvariantChecker audit_checker_;
	bool audit_ = false;
	uint64_t plant_rng_ = 0;
	AuditCounts audit_counts_;
	int plant();			// the kind planted, or -1
	bool plant_kind(unsigned kind); // false: nothing to plant it on now
	int fixed_plant_ = -1;
	bool fixed_planted_ = false; // this run's fixed plant is done
	scenario::Holdings hold_;    // pages lent, kept by hung callers, taken by the guest
	ballast_profile profile_ = BALLAST_PROFILE_BALLAST;
	bool world_hang_ = false;
	bool wait_livelock_ = false; // world_hang_ from the wait_pages guard
	// The first input after which invariants cannot hold: an undetectable
	// hypervisor lie (any profile), or in the upstream profiles a hostile input
	// whose consequence is a documented upstream bug (core/SWITCHES.md).
	// Violations after it are tolerated; forbidden events still crash (ballast).
	const char *taint_ = nullptr;
	int taint_slip_ = oracle::kNoSlip; // the documented slip taint_ names (oracle/findings.h)
	void taint(int slip, const char *why);
	bool lie_ = false; // a hypervisor reply hid what Xen did: no model holds after it
	Switches sw_{};
	oracle::Findings findings_;
	size_t findings_seen_ = 0;
	oracle::AccountingOracle accounting_;
	oracle::BackoffOracle backoff_;
	oracle::CountersOracle counters_;
	oracle::ProgressOracle progress_;
	bool end_checks_ = true;
	bool full_hour_ = false;
	size_t events_seen_ = 0;
	uint64_t trace_seen_ = 0;
	RunResult result_;
};

extern template class BasicCoreHarness<world::Env>;
using CoreHarness = BasicCoreHarness<world::Env>;

} // namespace fuzz
} // namespace ballast

#endif // BALLAST_FUZZ_CORE_HARNESS_H
