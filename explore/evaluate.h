// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast explore: one scenario through every oracle the fuzz targets have,
// and the key of the state it ends in.
//
// The oracles are those of the two fuzz targets, called the way they call
// them: the lock-step engine (diff/engine.h) on the pair, with attribution
// of a divergence to the core's switches (diff/attribution.h) where one side
// is a core; and the core alone in the scenario's profile with the
// invariant checker after every step (fuzz/core_harness.h). A new oracle
// the engine or the harness runs after every step is run here too.
//
// A pair whose core differs from the reference on purpose (core:ballast vs
// upstream) diverges by design: a divergence at a scenario's last step is
// attributed from the switches already reverted on the way there (the
// attribution chain, one link per step, diff/attribution.h attribute_from),
// and the state goes on with the explaining switches reverted too. So the
// explored states of such a pair are (reverted switches, both sides' state),
// and every divergence of every scenario is either attributed or a finding.
#ifndef BALLAST_EXPLORE_EVALUATE_H
#define BALLAST_EXPLORE_EVALUATE_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "attribution.h"
#include "core_harness.h"
#include "core_subject.h"
#include "engine.h"
#include "state_hash.h"

namespace ballast {
namespace explore {

// What a state carries from the path that reached it beyond what a run
// shows: the 6.1 kthread's credit snapshot, taken when it last prepared to
// sleep and read when a wake-up finds it asleep (World keeps it private).
// A prepare follows every kthread step and the first run, and happens only
// in `run` and `advance`; it takes the credit the run ends with.
// After a world hang the kthread is stopped before a step it takes at the
// next run, which prepares again: the snapshot is unknown and unread until.
struct PathState {
	uint64_t kt_steps = 0; // the kthread steps the run had made
	uint64_t hangs = 0;    // world hangs so far
	int64_t snapshot = 0;  // the credit at the last prepare (0 where it is never read)
	uint8_t prepared = 0;  // the kthread has prepared and not hung since
};

struct Verdict {
	enum Kind : uint8_t {
		Ok,	    // no oracle objects; `key` is the state reached
		Divergence, // an unattributed divergence (a finding)
		Violation,  // the core alone broke an invariant (a finding)
	};
	Kind kind = Ok;
	// How the core-alone run stands: 0 clean, 1 after a hostile input that
	// tolerates later violations (fuzz/core_harness.h), 2 stopped (tolerated).
	uint8_t harness = 0;
	Key key;
	uint64_t reverted = 0;	 // switches (bit i: kSwitchTable[i]) reverted in the state reached
	uint64_t attributed = 0; // switches a divergence at the last step was attributed to
	std::string message;	 // a finding: what broke
	std::string signature;	 // a finding: what identifies it (the field, or the check)
	PathState path;		 // of the state reached
};

class Evaluator {
public:
	// plant >= 0: the core-alone run plants that audit fault
	// (CoreHarness::set_fixed_plant); invariants false: no core-alone run.
	Evaluator(const scenario::SubjectSpec &left, const scenario::SubjectSpec &right, int plant,
		  bool invariants);
	// False with the reason when a subject cannot be built (no upstream).
	bool ready(std::string *err) const;
	// The profile the scenarios run in: the core side's.
	ballast_profile profile() const { return profile_; }
	// Whether divergences are attributed (one side is a core that differs
	// from the other's reference profile).
	bool attributing() const { return attributor_ != nullptr; }

	// `s` must not diverge before its last step with the switches in
	// `reverted` reverted (its prefix was evaluated so).
	// `in`: the path state of the state `s` without its last operation.
	Verdict evaluate(const scenario::Scenario &s, uint64_t reverted,
			 const PathState &in = PathState());

	// A planted fault for the dedup check's own test: keys leave out both
	// worlds, so states that differ only there are taken for one.
	void set_weak_key(bool on) { weak_key_ = on; }

private:
	diff::Subject &core_for(uint64_t reverted);
	void encode_side(bool left, const diff::Subject &subj, bool pv);

	scenario::SubjectSpec left_spec_, right_spec_;
	ballast_profile profile_ = BALLAST_PROFILE_BALLAST;
	std::string err_;
	diff::Engine engine_;
	std::unique_ptr<diff::Subject> left_, right_;
	bool core_left_ = false; // which side attribution varies
	std::unique_ptr<diff::Attributor> attributor_;
	std::map<uint64_t, std::unique_ptr<diff::CoreSubject>> cores_; // per reverted set
	bool invariants_ = true;
	bool weak_key_ = false;
	bool kthread_ = false;		    // a side runs the 6.1 kthread
	bool harness_same_as_left_ = false; // the core-alone run is the engine's left side
	fuzz::CoreHarness harness_;
	StateEncoder enc_;
};

} // namespace explore
} // namespace ballast

#endif // BALLAST_EXPLORE_EVALUATE_H
