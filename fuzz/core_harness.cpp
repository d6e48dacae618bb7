// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "core_harness.h"

#include "bind.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "names.h"
#include "text.h"

namespace ballast {
namespace fuzz {

using scenario::Header;
using scenario::Op;
using scenario::OpKind;
using scenario::Scenario;

// -------------------------------------------------------------- harness
namespace {

const ballast_event kForbidden[] = {
	BALLAST_EV_BUG_INCREASE_NO_PAGE,
	BALLAST_EV_BUG_DECREASE_MISMATCH,
	BALLAST_EV_HANG_SPIN,
	BALLAST_EV_HANG_WAIT,
	BALLAST_EV_PANIC_BOOT_TIMEOUT,
	BALLAST_EV_HANG_LOCK,
};

// The contract's own names (core/ballast_env.h), so a new event is never "?".
const char *event_name(unsigned ev)
{
	return ballast_event_id(ev);
}

void appendf(std::string *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void appendf(std::string *s, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	*s += buf;
}

} // namespace

CoreHarness::CoreHarness() : env_(world_) {}

int CoreHarness::init(const Scenario &s)
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
	events_seen_ = 0;
	trace_seen_ = 0;
	ballast_boot_info boot;
	world_.fill_boot_info(&boot);
	ballast_config bc = s.header.config();
	Switches sw = profile_switches(profile);
	if (profile != BALLAST_PROFILE_BALLAST && bc.xen_pv && boot.pv_domain) {
		for (unsigned i = 0; i < boot.n_regions; i++)
			if (boot.regions[i].n_pfns && boot.regions[i].start_pfn > boot.max_pfn)
				taint_ = "extra region beyond max_pfn (skip_region_beyond_max_pfn)";
	}
	int rc = balloon_.init(&env_, boot, bc, sw);
	if (rc)
		return rc;
	world::bind_balloon(world_, balloon_, sw.kthread_worker, true);
	return 0;
}

void CoreHarness::note_hostile(const Op &op)
{
	if (taint_ || profile_ == BALLAST_PROFILE_BALLAST)
		return; // ballast must survive all of these
	const int64_t a = op.arg[0];
	switch (op.kind) {
	case OpKind::PopulateLie:
		if (a > 0)
			taint_ =
				"populate_physmap replies more than requested (clamp_increase_reply)";
		break;
	case OpKind::PopulateNone:
		if (a > 0)
			taint_ =
				"populate_physmap replies more than requested (clamp_increase_reply)";
		break;
	case OpKind::MemAvailable:
		if (a < 0)
			taint_ = "negative mem_available (backoff_on_empty_decrease)";
		break;
	case OpKind::Target:
		if ((uint64_t)a > kMaxTargetPages)
			taint_ = "insane target (validate_inputs)";
		break;
	case OpKind::MaxScheduleDelay:
		if (a == 0 || (uint64_t)a > kMaxScheduleDelaySecs)
			taint_ = "insane max_schedule_delay (validate_inputs)";
		break;
	case OpKind::Lend:
		if (a < 0)
			taint_ = "negative lending count (validate_inputs)";
		break;
	default:
		break;
	}
}

void CoreHarness::apply(const Header &h, const Op &op, std::string *trace)
{
	note_hostile(op);
	const unsigned long hangs_before = world_.hangs();
	const scenario::OpResult r = scenario::apply_op(world_, balloon_, hold_, h, op);
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

void CoreHarness::describe_state(std::string *trace) const
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

// A reply the guest cannot tell from the truth (fewer or more extents than Xen
// really processed, but within the request; or an error after doing work)
// breaks the accounting of every implementation: no invariant can hold after
// it. Replies above the request are detectable and must be handled (ballast).
void CoreHarness::scan_hypercalls(std::string *trace)
{
	uint64_t total = world_.trace_total();
	uint64_t first = total - world_.trace_size();
	for (uint64_t i = trace_seen_ > first ? trace_seen_ : first; i < total; i++) {
		const world::HypercallRecord &r = world_.trace_at((unsigned)(i - first));
		if (trace)
			appendf(trace, "      hypercall %s nr=%lu done=%lu -> %ld\n",
				r.cmd == XENMEM_decrease_reservation ? "decrease_reservation" :
				r.cmd == XENMEM_populate_physmap     ? "populate_physmap" :
								       "memory_op",
				r.nr_extents, r.done, r.result);
		// Honest: result == done, or an error after doing nothing. Handled:
		// Xen did all and over-reported (clamping gives the truth). Anything
		// else hides what Xen did (a reply above the request after partial
		// work included: the guest can only guess, and ballast guesses "all
		// done" because that never lets it touch a page Xen took).
		bool honest = r.result >= 0 ? (unsigned long)r.result == r.done : r.done == 0;
		bool clampable = r.result >= 0 && (unsigned long)r.result > r.nr_extents &&
				 r.done == r.nr_extents;
		bool lie = !honest && !clampable;
		if (lie && !taint_)
			taint_ = "a hypervisor reply that hides what Xen did";
	}
	trace_seen_ = total;
}

bool CoreHarness::check(size_t step, std::string *trace)
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
			result_.message = std::string(why) + " in " + scenario::profile_name(profile_) +
					  ", run stopped";
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
		full = audit_checker_.check(world_, balloon_.ballooned_head(), balloon_.stats(),
					    hold_.lent.data(), hold_.lent.size(), o);
	}
	world::CheckOptions opts;
	opts.incremental = true;
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
	if (what.empty())
		return true;
	result_.failed_step = step;
	if (taint_) {
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

const RunResult &CoreHarness::run(const Scenario &s, std::string *trace)
{
	result_ = RunResult();
	if (trace)
		appendf(trace, "profile %s\n%s\n", scenario::profile_name(s.profile),
			scenario::print_header(s.header).c_str());
	if (init(s)) {
		result_.outcome = Outcome::NoXen;
		if (trace)
			*trace += "init: -ENODEV (not a Xen domain); nothing to run\n";
		return result_;
	}
	if (trace)
		*trace += "[0] init\n";
	if (!check(0, trace))
		return result_;
	for (size_t i = 0; i < s.ops.size(); i++) {
		if (trace)
			appendf(trace, "[%zu] ", i + 1);
		apply(s.header, s.ops[i], trace);
		if (!check(i + 1, trace))
			return result_;
	}
	return result_;
}

} // namespace fuzz
} // namespace ballast
