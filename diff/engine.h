// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast diff: the lock-step engine. One scenario, two Subjects, two
// identical Worlds; after every step everything observable is compared and
// the run stops at the first difference (or, asked to, goes on to the end and
// lists every step that differs).
//
// Step 0 is init (boot); step k (k >= 1) is scenario.ops[k-1].
// Compared after every step, in this order (the first mismatch names the field):
//   rc                     return code of the step's call (0 for calls without one)
//   lent                   pfns handed out by a successful `lend`, in order
//   held                   pfns kept by a lending caller that never returns
//                          (hung in HANG_WAIT or crashed), in order
//   dead                   the driver crashed and plays dead
//   stats.<field>          all ten fields of struct balloon_stats
//   balloon.length, balloon.pfn[i]   the ballooned list, head to tail
//   hypercalls.count, hypercall[i].{cmd,nr_extents,done,result}   this step's trace
//   events.count[<kind>], event[i].kind   this step's events (crash, hang, ...)
//   schedule.{work_pending,work_due,kthread_sleeping,kthread_deadline}
//   world.{jiffies,tot_pages,free,managed,hangs,faults,hotplug_ranges}
#ifndef BALLAST_DIFF_ENGINE_H
#define BALLAST_DIFF_ENGINE_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ballast_core.h"
#include "names.h"
#include "profile.h"
#include "runtime.h"
#include "scenario.h"
#include "subject.h"
#include "text.h"

namespace world {
class World;
}

namespace ballast {
namespace diff {

// diff/ speaks the scenario language of scenario/.
using scenario::Header;
using scenario::Op;
using scenario::OpKind;
using scenario::Scenario;
using scenario::SubjectSpec;

struct Divergence {
	bool found = false;
	size_t step = 0;   // 0: init; k: after ops[k-1]
	std::string op;	   // the step's operation in scenario text ("init" for 0)
	std::string field; // e.g. "stats.current_pages", "hypercall[0].result"
	std::string left, right;
	std::string describe() const; // one line
};

// What one side looked like after one step (for reports; recorded on demand).
struct SideSnapshot {
	long rc = 0;
	bool dead = false;
	ballast_stats stats{};
	std::vector<unsigned long> pfns;     // ballooned list
	std::vector<std::string> hypercalls; // "populate_physmap nr=3 done=3 -> 3"
	std::vector<std::string> events;     // "BUG_DECREASE_MISMATCH(2, 3)"
	std::string schedule;		     // "work due 250" / "kthread sleeping until 500"
	std::string world;		     // "jiffies=.. tot_pages=.. free=.."
};
struct StepSnapshot {
	size_t step = 0;
	std::string op;
	SideSnapshot left, right;
};

const char *event_name(int ev);
const char *hypercall_name(unsigned cmd);

class Engine {
public:
	Engine();
	~Engine();
	Engine(const Engine &) = delete;
	Engine &operator=(const Engine &) = delete;

	// Run `s` on both subjects in lock step. Returns true if they diverged
	// (details in *d when non-null). When `record` is non-null every step's
	// snapshot of both sides is appended (slow; for reports). When `every`
	// is non-null the run does not stop at the first divergence: every step
	// to the end of the scenario is compared, and each step that diverges
	// appends its first differing field.
	bool run(const Scenario &s, Subject &left, Subject &right, Divergence *d,
		 std::vector<StepSnapshot> *record = nullptr,
		 std::vector<Divergence> *every = nullptr);

	// Default (strict): a lending caller that would wait forever (HANG_WAIT)
	// or whose task crashed returns -ENOMEM on both sides and keeps the pages
	// it got; the engine counts them as held by the abandoned caller
	// (compared as `held`) and keeps comparing everything after the step.
	// Lenient (`ballast-diff --lenient-hang`, for bisecting old findings): end the
	// scenario at a HANG_WAIT on both sides after comparing rc and events.
	void set_lenient_hang(bool on) { lenient_hang_ = on; }
	void set_strict_hang(bool on) { lenient_hang_ = !on; }

	// Steps executed by the last run (init included).
	size_t last_steps() const { return last_steps_; }
	// The two worlds of the last run (for tests and reports).
	world::World &left_world();
	world::World &right_world();
	// Pages held by abandoned lending callers (hung or crashed) in the last run.
	size_t held_pages(bool left) const;
	// What the scenario's other actors hold on one side after the last run
	// (pages lent, kept by abandoned callers, taken by the guest).
	const scenario::Holdings &holdings(bool left) const;

private:
	struct Side;
	bool compare(size_t step, const Op *op, Divergence *d);
	bool compare_events(size_t step, const Op *op, Divergence *d);
	bool hung_caller() const;
	bool lenient_hang_ = false;
	std::unique_ptr<Side> l_, r_;
	size_t last_steps_ = 0;
};

// ------------------------------------------------------------- subjects
// Specs are parsed by scenario/names.h (parse_subject_spec); this builds them.
std::unique_ptr<Subject> make_subject(const SubjectSpec &spec, std::string *err);
bool upstream_available();

} // namespace diff
} // namespace ballast

#endif // BALLAST_DIFF_ENGINE_H
