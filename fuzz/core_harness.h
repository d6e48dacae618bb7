// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast fuzz: the core (Balloon<world::Env>) driven by scenario operations in
// one reusable world::World, with the invariant checker after every step.
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
#include "world.h"
#include "world_env.h"
#include "../diff/scenario.h"

namespace ballast {
namespace fuzz {

// Limits that keep one execution in the tens of microseconds: page moves,
// the per-step list walk and the first full check all grow with the world.
// Small enough to be fast, large enough that a 512-entry batch and hotplug
// past it stay reachable (fuzz/README.md, Speed). Applied to every scenario
// the fuzz targets run (and shown by the replay trace).
struct FuzzLimits {
	uint64_t max_frames = 256;
	uint64_t max_host_pool = 512;
	uint64_t max_pps = 128;
	uint64_t max_iomem_pfn = 1536; // allocate_resource fails above: bounds hotplug growth
	uint64_t max_worker_runs_per_op = 64; // an `advance` stops early after this many runs
	size_t max_ops = 64;
	int64_t max_lend = 1024;
};
void fit_for_fuzzing(diff::Scenario *s, const FuzzLimits &lim = FuzzLimits());

// Profiles by name: "ballast", "linux-2019", "linux-6.1".
const char *profile_name(ballast_profile p);
bool profile_from_name(const std::string &name, ballast_profile *out);

// The fuzz input of core_invariants: byte 0 selects the profile (value % 3:
// 0 ballast, 1 linux-2019, 2 linux-6.1), the rest is the scenario's binary
// encoding (diff/scenario.h).
// max_ops: decode no more ops than that (fit_for_fuzzing would drop them).
void decode_input(const uint8_t *data, size_t size, ballast_profile *profile, diff::Scenario *out,
		  size_t max_ops = diff::kMaxDecodedOps);
std::vector<uint8_t> encode_input(ballast_profile profile, const diff::Scenario &s);

// Text form: the readable scenario format; the profile is a comment line
// "# profile: linux-6.1" (absent: ballast), so files stay valid scenarios.
std::string print_input(ballast_profile profile, const diff::Scenario &s,
			const std::string &comment = "");
// Parses the readable format (with the optional profile comment). On error
// returns false with "line L, column C: message" in *err.
bool parse_input(const std::string &text, ballast_profile *profile, diff::Scenario *out,
		 std::string *err);
// Text if it parses as a scenario, else the binary encoding: how every tool
// reads a corpus file.
bool load_any(const std::string &path, ballast_profile *profile, diff::Scenario *out,
	      std::string *err, bool *was_text = nullptr);

std::string op_text(const diff::Op &op);

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
	explicit CoreHarness(const FuzzLimits &limits = FuzzLimits());
	// Run a whole scenario. trace != nullptr: append a readable step-by-step trace.
	const RunResult &run(ballast_profile profile, const diff::Scenario &s,
			     std::string *trace = nullptr);

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

private:
	int init(ballast_profile profile, const diff::Scenario &s);
	void apply(const diff::Op &op, std::string *trace);
	bool check(size_t step, std::string *trace);
	void advance(uint64_t secs);
	void run_now();
	void note_hostile(const diff::Op &op);
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
	std::vector<ballast_page *> lent_;
	std::vector<ballast_page *> taken_; // frames the guest kernel took (guest take)
	std::vector<ballast_page *> scratch_;
	ballast_profile profile_ = BALLAST_PROFILE_BALLAST;
	const FuzzLimits limits_; // max_worker_runs_per_op and max_lend bound each run
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
