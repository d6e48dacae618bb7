// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast fuzz: the members of BasicCoreHarness (core_harness.h). Included by
// core_harness.cpp, which instantiates the harness for world::Env, and by tests
// that run it with a planted environment.
#ifndef BALLAST_FUZZ_CORE_HARNESS_IMPL_H
#define BALLAST_FUZZ_CORE_HARNESS_IMPL_H

#include "core_harness.h"

#include "bind.h"
#include "initial_target.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "audit_plants.h"
#include "names.h"
#include "text.h"

namespace ballast {
namespace fuzz {

using scenario::Header;
using scenario::Op;
using scenario::OpKind;
using scenario::Scenario;

// -------------------------------------------------------------- harness
namespace detail {

constexpr ballast_event kForbidden[] = {
	BALLAST_EV_BUG_INCREASE_NO_PAGE,
	BALLAST_EV_BUG_DECREASE_MISMATCH,
	BALLAST_EV_HANG_SPIN,
	BALLAST_EV_HANG_WAIT,
	BALLAST_EV_PANIC_BOOT_TIMEOUT,
	BALLAST_EV_HANG_LOCK,
};

// The contract's own names (core/ballast_env.h), so a new event is never "?".
inline const char *event_name(unsigned ev)
{
	return ballast_event_id(ev);
}

inline void appendf(std::string *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
inline void appendf(std::string *s, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	*s += buf;
}

} // namespace detail

using detail::appendf;
using detail::event_name;
using detail::kForbidden;

template <class EnvT>
BasicCoreHarness<EnvT>::BasicCoreHarness()
	: env_(world_)
	, explain_env_(explain_world_)
{
}

template <class EnvT> int BasicCoreHarness<EnvT>::init(const Scenario &s)
{
	const ballast_profile profile = s.profile;
	profile_ = profile;
	world::Config cfg;
	scenario::world_config(s, &cfg);
	world_.reset(cfg);
	hold_.clear();
	world_hang_ = false;
	wait_livelock_ = false;
	taint_ = nullptr;
	fixed_planted_ = false;
	taint_slip_ = oracle::kNoSlip;
	lie_ = false;
	findings_.clear();
	findings_seen_ = 0;
	events_seen_ = 0;
	trace_seen_ = 0;
	ballast_boot_info boot;
	world_.fill_boot_info(&boot);
	ballast_config bc = s.header.config();
	Switches sw = profile_switches(profile);
	sw_ = sw;
	if (profile != BALLAST_PROFILE_BALLAST && bc.xen_pv && boot.pv_domain) {
		for (unsigned i = 0; i < boot.n_regions; i++)
			if (boot.regions[i].n_pfns && boot.regions[i].start_pfn > boot.max_pfn)
				taint(oracle::kRegionWrapsTotal,
				      "extra region beyond max_pfn (skip_region_beyond_max_pfn)");
	}
	current_slip_ = 0;
	initial_violation_.clear();
	int rc = balloon_.init(&env_, boot, bc, sw);
	if (rc)
		return rc;
	world::bind_balloon(world_, balloon_, sw.kthread_worker, true);
	initial_violation_ = check_initial(s);
	accounting_.init(world_, boot, bc, sw, balloon_.stats(), &findings_);
	backoff_.attach(
		world_, sw, [](const void *b) { return static_cast<const Core *>(b)->stats(); },
		&balloon_, &findings_);
	progress_.init(sw, bc);
	counters_.init(sw, balloon_.stats());
	if (plant_hook_.after_run) { // the plant writes before the backoff oracle looks
		backoff_observer_ = backoff_.observer();
		world::WorkerObserver o;
		o.before = planted_run_before;
		o.after = planted_run_after;
		o.ctx = this;
		world_.set_worker_observer(o);
	}
	return 0;
}

template <class EnvT> std::string BasicCoreHarness<EnvT>::check_initial(const Scenario &s)
{
	const world::InitialSlip slip = world::initial_slip(world_, balloon_.stats());
	if (slip.exact())
		return "";
	const std::string what = "initial figures: " + slip.describe() +
				 " (Xen and the toolstack: world/initial_target.h)";
	if (profile_ == BALLAST_PROFILE_BALLAST)
		return what + "\n";
	// An upstream profile: explained if the same boot with the initial-figure
	// switches as ballast has them comes out exact.
	world::Config cfg;
	scenario::world_config(s, &cfg);
	explain_world_.reset(cfg);
	ballast_boot_info boot;
	explain_world_.fill_boot_info(&boot);
	Switches sw = profile_switches(profile_);
	const Switches fixed = profile_ballast();
	for (bool Switches::*m : kInitialFigureSwitches)
		sw.*m = fixed.*m;
	sw.skip_region_beyond_max_pfn = fixed.skip_region_beyond_max_pfn;
	// Refusing the boot (-ERANGE: the facts cannot add up, a domain with no
	// pages) explains it as well as exact figures do.
	if (explain_balloon_.init(&explain_env_, boot, s.header.config(), sw) == 0 &&
	    !world::initial_slip(explain_world_, explain_balloon_.stats()).exact())
		return what + ", not explained by the initial-figure switches\n";
	current_slip_ = (unsigned long)(slip.current < 0 ? -slip.current : slip.current);
	if (slip.current < 0) // fewer pages than Xen has: later decreases can wrap it
		taint(oracle::kInitialFiguresShort,
		      "current_pages below Xen's count at boot (initial_figures_from_reservation)");
	return "";
}

template <class EnvT> void BasicCoreHarness<EnvT>::planted_run_before(void *ctx, bool kthread)
{
	BasicCoreHarness *h = static_cast<BasicCoreHarness *>(ctx);
	h->backoff_observer_.before(h->backoff_observer_.ctx, kthread);
}

template <class EnvT> void BasicCoreHarness<EnvT>::planted_run_after(void *ctx, bool kthread)
{
	BasicCoreHarness *h = static_cast<BasicCoreHarness *>(ctx);
	h->plant_hook_.after_run(h->plant_hook_.ctx, h->balloon_, h->world_);
	h->backoff_observer_.after(h->backoff_observer_.ctx, kthread);
}

template <class EnvT> void BasicCoreHarness<EnvT>::taint(int slip, const char *why)
{
	if (taint_)
		return;
	taint_ = why;
	taint_slip_ = slip;
}

template <class EnvT> void BasicCoreHarness<EnvT>::note_hostile(const Op &op)
{
	if (taint_ || profile_ == BALLAST_PROFILE_BALLAST)
		return; // ballast must survive all of these
	const int64_t a = op.arg[0];
	switch (op.kind) {
	case OpKind::PopulateLie:
		if (a > 0)
			taint(oracle::kPopulateOverReply,
			      "populate_physmap replies more than requested (clamp_increase_reply)");
		break;
	case OpKind::PopulateNone:
		if (a > 0)
			taint(oracle::kPopulateOverReply,
			      "populate_physmap replies more than requested (clamp_increase_reply)");
		break;
	case OpKind::MemAvailable:
		if (a < 0)
			taint(oracle::kNegativeMemAvailable,
			      "negative mem_available (backoff_on_empty_decrease)");
		break;
	case OpKind::Target:
		if ((uint64_t)a > kMaxTargetPages)
			taint(oracle::kInsaneInput, "insane target (validate_inputs)");
		break;
	case OpKind::MaxScheduleDelay:
		if (a == 0 || (uint64_t)a > kMaxScheduleDelaySecs)
			taint(oracle::kInsaneInput, "insane max_schedule_delay (validate_inputs)");
		break;
	case OpKind::Lend:
		if (a < 0)
			taint(oracle::kNegativeLendingCount,
			      "negative lending count (validate_inputs)");
		break;
	default:
		break;
	}
}

template <class EnvT>
void BasicCoreHarness<EnvT>::apply(size_t step, const Header &h, const Op &op, std::string *trace)
{
	note_hostile(op);
	backoff_.set_step(step);
	const unsigned long hangs_before = world_.hangs();
	const scenario::OpResult r = scenario::apply_op(world_, balloon_, hold_, h, op);
	if (plant_hook_.after_op)
		plant_hook_.after_op(plant_hook_.ctx, balloon_, world_);
	accounting_.step(step, world_, balloon_.stats(), hold_, op, r, balloon_.dead(), &findings_);
	counters_.check(step, world_, balloon_.counters(), balloon_.stats(), balloon_.dead(),
			&findings_);
	if (r.hang)
		world_hang_ = true;
	else if (world_.hangs() != hangs_before)
		world_hang_ = wait_livelock_ = true; // the wait_pages guard, not the scheduler
	if (trace) {
		appendf(trace, "%-34s", scenario::print_op(op).c_str());
		if (r.has_rc)
			appendf(trace, " -> %ld", r.rc);
		if (r.advance_cut)
			appendf(trace, " (stopped after advance_runs=%llu worker runs)",
				(unsigned long long)h.advance_runs);
		*trace += '\n';
	}
}

template <class EnvT> void BasicCoreHarness<EnvT>::describe_state(std::string *trace) const
{
	const ballast_stats &st = balloon_.stats();
	appendf(trace,
		"      current=%lu target=%lu unpopulated=%lu low=%lu high=%lu total=%lu delay=%lu retry=%lu"
		" | t=%.2fs tot_pages=%lu free=%lu lent=%zu%s%s\n",
		st.current_pages, st.target_pages, st.target_unpopulated, st.balloon_low,
		st.balloon_high, st.total_pages, st.schedule_delay, st.retry_count,
		(double)world_.jiffies() / world::HZ, world_.tot_pages(), world_.free_count(),
		hold_.lent.size(), world_.work_pending() ? " work-pending" : "",
		balloon_.dead() ? " DEAD" : "");
	// Small balloons: the list itself, head to tail.
	const ballast_list *head = balloon_.ballooned_head();
	unsigned n = 0;
	for (const ballast_list *p = head->next; p && p != head && n <= 8; p = p->next, n++)
		;
	if (n > 0 && n <= 8) {
		*trace += "      ballooned pfns:";
		for (const ballast_list *p = head->next; p && p != head; p = p->next)
			appendf(trace, " %#lx", reinterpret_cast<const ballast_page *>(p)->pfn);
		*trace += '\n';
	}
}

// A reply the guest cannot tell from the truth (world/hypervisor.h,
// HypercallRecord::hides_work) breaks the accounting of every
// implementation: no invariant can hold after it. The world counts them (a
// long advance can push them out of the trace ring); replies above the
// request after all was done are detectable and must be handled (ballast).
template <class EnvT> void BasicCoreHarness<EnvT>::scan_hypercalls(std::string *trace)
{
	if (trace) {
		const uint64_t total = world_.trace_total(), first = total - world_.trace_size();
		for (uint64_t i = trace_seen_ > first ? trace_seen_ : first; i < total; i++) {
			const world::HypercallRecord &r = world_.trace_at((unsigned)(i - first));
			appendf(trace, "      hypercall %s nr=%lu done=%lu%s -> %ld\n",
				r.cmd == XENMEM_decrease_reservation ? "decrease_reservation" :
				r.cmd == XENMEM_populate_physmap     ? "populate_physmap" :
								       "memory_op",
				r.nr_extents, r.done,
				r.order ? (" order=" + std::to_string(r.order)).c_str() : "",
				r.result);
		}
	}
	trace_seen_ = world_.trace_total();
	if (world_.hiding_replies() != 0) {
		lie_ = true;
		if (!taint_)
			taint_ = "a hypervisor reply that hides what Xen did";
	}
}

template <class EnvT> bool BasicCoreHarness<EnvT>::check(size_t step, std::string *trace)
{
	scan_hypercalls(trace);
	const auto &evs = world_.events();
	if (trace) {
		for (size_t i = events_seen_; i < evs.size(); i++)
			appendf(trace, "      event %s(%ld, %ld)\n",
				event_name((unsigned)evs[i].ev), evs[i].a, evs[i].b);
		describe_state(trace);
	}
	events_seen_ = evs.size();
	std::string what;
	if (step == 0)
		what = initial_violation_;
	if (world_.faults_total() && !taint_) {
		for (const world::FaultRecord &f : world_.faults())
			if (f.kind == world::Fault::PodExhausted) {
				// Xen crashes the domain: nothing after it is judged.
				lie_ = true;
				taint_ =
					"the guest used more populate-on-demand memory than Xen backs: "
					"out of PoD memory, the domain is crashed";
				break;
			}
	}
	if (profile_ == BALLAST_PROFILE_BALLAST) {
		for (ballast_event ev : kForbidden)
			if (world_.event_count(ev))
				what += std::string("forbidden event ") + event_name(ev) +
					" in the ballast profile\n";
		if (wait_livelock_)
			what += "livelock: a caller waited for pages more than 4*max_lend+64 times in one jiffy "
				"(world hang in wait_pages)\n";
		else if (world_hang_)
			what += "the worker ran more than 64 times in one jiffy (world hang)\n";
	} else {
		// Upstream crashed (BUG), spins, or a task sleeps forever: from here
		// on its state is whatever that left (core/SWITCHES.md). Stop.
		const char *why =
			world_.event_count(BALLAST_EV_PANIC_BOOT_TIMEOUT) ?
				"upstream panics in the boot wait (documented)" :
			balloon_.dead() ?
				"upstream BUG (documented)" :
			wait_livelock_ ?
				"upstream livelocks waiting for pages (retries, nothing changes)" :
			world_hang_ ? "upstream spins (documented HANG_SPIN)" :
				      nullptr;
		for (ballast_event ev : kForbidden)
			if (!why && world_.event_count(ev))
				why = event_name(ev);
		if (why) {
			result_.outcome = Outcome::Tolerated;
			result_.failed_step = step;
			result_.message = std::string(why) + " in " +
					  scenario::profile_name(profile_) + ", run stopped";
			return false;
		}
	}
	// Incremental: after the first check only what changed is checked again
	// (world/invariants.h); the list walk and the totals run every step.
	int planted = audit_ && plant_rng_ ? plant() : -1;
	if (fixed_plant_ >= 0 && !fixed_planted_ && plant_kind((unsigned)fixed_plant_)) {
		fixed_planted_ = true;
		planted = fixed_plant_;
	}
	size_t full = 0;
	if (audit_) { // first, so it sees the world faults too (the incremental check clears them)
		world::CheckOptions o;
		o.clear_world_faults = false;
		o.current_pages_slip = current_slip_;
		full = audit_checker_.check(world_, balloon_.ballooned_head(), balloon_.stats(),
					    hold_.lent.data(), hold_.lent.size(), o);
	}
	world::CheckOptions opts;
	opts.incremental = true;
	opts.current_pages_slip = current_slip_;
	const size_t n = checker_.check(world_, balloon_.ballooned_head(), balloon_.stats(),
					hold_.lent.data(), hold_.lent.size(), opts);
	if (n)
		what += checker_.report();
	if (audit_ && (n == 0) != (full == 0))
		what += "incremental checker disagrees with a full scan (" + std::to_string(n) +
			" vs " + std::to_string(full) + " violations); the full scan says:\n" +
			audit_checker_.report();
	if (planted >= 0 && n)
		audit_counts_.caught[planted]++;
	return judge(step, what, trace);
}

// The verdict on one step: `invariants` from the checker (tolerated after any
// taint), and the oracles' findings not judged yet: documented slips are
// noted and the run goes on; a violation stops it (tolerated only after a
// hypervisor lie, which no model survives).
template <class EnvT>
bool BasicCoreHarness<EnvT>::judge(size_t step, const std::string &invariants, std::string *trace)
{
	std::string oracles;
	const std::vector<oracle::Finding> &all = findings_.all();
	for (; findings_seen_ < all.size(); findings_seen_++) {
		const oracle::Finding &f = all[findings_seen_];
		if (f.tolerated) {
			result_.slips.push_back(f.describe());
			if (trace)
				*trace += "      " + f.describe() + "\n";
		} else {
			oracles += f.describe() + "\n";
		}
	}
	if (invariants.empty() && oracles.empty())
		return true;
	result_.failed_step = step;
	// The oracles' own slips were judged above; what is left is tolerated
	// after a lie, or as the consequence of a hostile input whose documented
	// slip this driver has.
	const bool tolerated = oracles.empty() ? taint_ != nullptr :
						 lie_ || oracle::slips(sw_, taint_slip_);
	const std::string what = invariants + oracles;
	if (tolerated) {
		result_.outcome = Outcome::Tolerated;
		result_.message = std::string("tolerated in ") + scenario::profile_name(profile_) +
				  " after " + taint_ + ":\n" + what;
	} else {
		result_.outcome = Outcome::Violation;
		result_.message = what;
	}
	if (trace)
		*trace += (result_.outcome == Outcome::Violation ? "  VIOLATION:\n" :
								   "  TOLERATED:\n") +
			  result_.message;
	return false;
}

// The progress oracle (oracle/progress.h): waits, wake-ups in an hour with
// the target out of reach, and settling in an honest world. The operations
// it needs (advance, online, target) run through the scenario runtime and
// are checked like the scenario's own.
template <class EnvT> bool BasicCoreHarness<EnvT>::end_of_run(const Scenario &s, std::string *trace)
{
	const size_t step = s.ops.size() + 1;
	if (balloon_.dead())
		return true; // its state is whatever BUG() left
	backoff_.set_step(step);
	if (trace)
		*trace += "[end] the progress oracle\n";
	progress_.check_waits(step, world_, balloon_.stats(), backoff_, accounting_.lasting_slip(),
			      &findings_);
	if (!judge(step, "", trace))
		return false;
	Header h = s.header;
	h.advance_runs = 0; // no bound but the world's hang detection
	auto op = [](OpKind k, int64_t a = 0) {
		Op o;
		o.kind = k;
		o.arg[0] = a;
		return o;
	};
	if (oracle::ProgressOracle::target_unreached(balloon_.stats())) {
		const unsigned long runs = backoff_.runs(), idle = backoff_.idle_runs();
		const unsigned long bound =
			oracle::ProgressOracle::hour_bound(accounting_.max_schedule_delay());
		// The hour in slices of at most the runs left before the bound: a
		// worker that polls every second is judged after bound + 1 runs,
		// not 3600.
		const uint64_t end =
			world_.jiffies() + oracle::ProgressOracle::kHourSeconds * world::HZ;
		while (world_.jiffies() < end &&
		       (full_hour_ || backoff_.idle_runs() - idle <= bound)) {
			const uint64_t left = (end - world_.jiffies() + world::HZ - 1) / world::HZ;
			h.advance_runs = full_hour_ ? 0 : bound + 1 - (backoff_.idle_runs() - idle);
			const uint64_t before = world_.jiffies();
			apply(step, h, op(OpKind::Advance, (int64_t)left), trace);
			if (!check(step, trace))
				return false;
			if (world_.jiffies() == before && !world_.work_pending() &&
			    !world_.kthread_sleeping())
				break; // nothing more can run
		}
		h.advance_runs = 0;
		progress_.check_hour(step, backoff_.runs() - runs, backoff_.idle_runs() - idle,
				     accounting_.max_schedule_delay(), accounting_.lasting_slip(),
				     &result_.progress, &findings_);
		if (trace)
			appendf(trace,
				"      a virtual hour with the target out of reach: %lu worker "
				"runs, %lu of them idle (bound %lu)\n",
				result_.progress.hour_runs, result_.progress.hour_idle_runs,
				result_.progress.hour_bound);
		if (!judge(step, "", trace))
			return false;
	}
	// Settle: the world made honest, hotplugged memory onlined as udev
	// would, the toolstack's target written again.
	apply(step, h, op(OpKind::Online), trace);
	oracle::ProgressOracle::make_honest(world_);
	const unsigned long target = accounting_.toolstack_target();
	apply(step, h, op(OpKind::Target, (int64_t)target), trace);
	const unsigned long runs = backoff_.runs();
	apply(step, h,
	      op(OpKind::Advance,
		 (int64_t)oracle::ProgressOracle::settle_seconds(accounting_.max_schedule_delay())),
	      trace);
	if (!check(step, trace))
		return false;
	progress_.check_settled(step, world_, balloon_.stats(), target, backoff_.runs() - runs,
				accounting_.lasting_slip(), &result_.progress, &findings_);
	if (trace)
		appendf(trace, "      settled in an honest world: %s\n",
			result_.progress.settle.c_str());
	return judge(step, "", trace);
}

template <class EnvT>
const RunResult &BasicCoreHarness<EnvT>::run(const Scenario &s, std::string *trace)
{
	result_ = RunResult();
	if (trace)
		appendf(trace, "profile %s\n%s\n", scenario::profile_name(s.profile),
			scenario::print_header(s.header).c_str());
	if (const int rc = init(s)) {
		result_.outcome = Outcome::NoXen;
		if (trace)
			appendf(trace, "init: %d (%s); nothing to run\n", rc,
				rc == -kENODEV ? "not a Xen domain" :
						 "the boot figures underflow: no balloon");
		return result_;
	}
	if (trace)
		*trace += "[0] init\n";
	if (!check(0, trace))
		return result_;
	for (size_t i = 0; i < s.ops.size(); i++) {
		if (trace)
			appendf(trace, "[%zu] ", i + 1);
		apply(i + 1, s.header, s.ops[i], trace);
		if (!check(i + 1, trace))
			return result_;
	}
	if (end_checks_ && !end_of_run(s, trace))
		return result_;
	result_.completed = true;
	if (!result_.slips.empty()) {
		result_.outcome = Outcome::Tolerated;
		result_.message = std::string("documented slips of ") +
				  scenario::profile_name(profile_) + " (core/SWITCHES.md):\n";
		for (const std::string &sl : result_.slips)
			result_.message += sl + "\n";
	}
	return result_;
}

} // namespace fuzz
} // namespace ballast

#endif // BALLAST_FUZZ_CORE_HARNESS_IMPL_H
