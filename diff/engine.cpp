// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "engine.h"

#include <cstdio>
#include <cstring>

#include "core_subject.h"
#include "world.h"
#if BALLAST_HAVE_UPSTREAM
#include "upstream_subject.h"
#endif

namespace ballast {
namespace diff {

namespace {

std::string u(unsigned long v)
{
	return std::to_string(v);
}
std::string s(long v)
{
	return std::to_string(v);
}

struct StatField {
	const char *name;
	unsigned long ballast_stats::*m;
};
const StatField kStatFields[] = {
	{"current_pages", &ballast_stats::current_pages},
	{"target_pages", &ballast_stats::target_pages},
	{"target_unpopulated", &ballast_stats::target_unpopulated},
	{"balloon_low", &ballast_stats::balloon_low},
	{"balloon_high", &ballast_stats::balloon_high},
	{"total_pages", &ballast_stats::total_pages},
	{"schedule_delay", &ballast_stats::schedule_delay},
	{"max_schedule_delay", &ballast_stats::max_schedule_delay},
	{"retry_count", &ballast_stats::retry_count},
	{"max_retry_count", &ballast_stats::max_retry_count},
};
} // namespace

const char *event_name(int ev)
{
	return ev >= 0 && ev < BALLAST_EV_COUNT ? ballast_event_id(static_cast<unsigned>(ev)) :
						  "UNKNOWN";
}

const char *hypercall_name(unsigned cmd)
{
	switch (cmd) {
	case XENMEM_increase_reservation:
		return "increase_reservation";
	case XENMEM_decrease_reservation:
		return "decrease_reservation";
	case XENMEM_populate_physmap:
		return "populate_physmap";
	default:
		return "memory_op";
	}
}

std::string Divergence::describe() const
{
	if (!found)
		return "no divergence";
	return "step " + std::to_string(step) + " (" + op + "): " + field + ": left " + left +
	       ", right " + right;
}

// ------------------------------------------------------------------ sides
struct Engine::Side {
	world::World w;
	Subject *subj = nullptr;
	scenario::Holdings hold;
	std::vector<unsigned long> pfns;
	uint64_t trace_mark = 0;
	size_t event_mark = 0;
	unsigned long ev_counts[BALLAST_EV_COUNT] = {};
	long rc = 0;
	size_t new_lent = 0; // hold.lent[new_lent..]: pages lent in this step
	size_t new_held = 0; // hold.held[new_held..]: pages kept by a caller abandoned in this step

	Side() { pfns.reserve(1 << 14); }

	void mark()
	{
		trace_mark = w.trace_total();
		event_mark = w.events().size();
		for (unsigned e = 0; e < BALLAST_EV_COUNT; e++)
			ev_counts[e] = w.event_count((ballast_event)e);
		new_lent = hold.lent.size();
		new_held = hold.held.size();
		rc = 0;
	}

	void apply(const Header &h, const Op &op)
	{
		const scenario::OpResult r = scenario::apply_op(w, *subj, hold, h, op);
		rc = r.rc;
		new_lent = r.new_lent;
		new_held = r.new_held;
	}

	size_t trace_count() const { return (size_t)(w.trace_total() - trace_mark); }
	// i-th hypercall of this step among those still retained.
	size_t trace_retained() const
	{
		size_t n = trace_count();
		return n < world::World::kTraceSize ? n : world::World::kTraceSize;
	}
	const world::HypercallRecord &trace(size_t i) const
	{
		size_t n = trace_retained();
		return w.trace_at((unsigned)(w.trace_size() - n + i));
	}

	void snapshot(SideSnapshot *o) const
	{
		o->rc = rc;
		o->dead = subj->dead();
		o->stats = subj->stats();
		subj->balloon_pfns(o->pfns);
		o->hypercalls.clear();
		for (size_t i = 0; i < trace_retained(); i++) {
			const world::HypercallRecord &h = trace(i);
			o->hypercalls.push_back(std::string(hypercall_name(h.cmd)) +
						" nr=" + u(h.nr_extents) + " done=" + u(h.done) +
						(h.order ? " order=" + u(h.order) : "") + " -> " +
						s(h.result));
		}
		o->events.clear();
		for (size_t i = event_mark; i < w.events().size(); i++) {
			const world::EventRecord &e = w.events()[i];
			o->events.push_back(std::string(event_name(e.ev)) + "(" + s(e.a) + ", " +
					    s(e.b) + ")");
		}
		std::string sch;
		if (w.work_pending())
			sch = "work due at " + u(w.work_due());
		else
			sch = "no work pending";
		if (w.kthread_sleeping())
			sch += "; kthread sleeping until " + u(w.kthread_deadline());
		o->schedule = sch;
		o->world = "jiffies=" + u(w.jiffies()) + " tot_pages=" + u(w.tot_pages()) +
			   " free=" + u(w.free_count()) + " managed=" + s(w.managed_pages()) +
			   " lent=" + u(hold.lent.size()) + " held=" + u(hold.held.size()) +
			   " faults=" + u(w.faults_total());
	}
};

Engine::Engine()
	: l_(new Side)
	, r_(new Side)
{
}
Engine::~Engine() = default;
world::World &Engine::left_world()
{
	return l_->w;
}
world::World &Engine::right_world()
{
	return r_->w;
}
size_t Engine::held_pages(bool left) const
{
	return (left ? l_ : r_)->hold.held.size();
}
const scenario::Holdings &Engine::holdings(bool left) const
{
	return (left ? l_ : r_)->hold;
}

namespace {
struct Cmp {
	Divergence *d;
	size_t step;
	const Op *op;
	bool diff(const std::string &field, const std::string &l, const std::string &r)
	{
		if (d) {
			d->found = true;
			d->step = step;
			d->op = op ? print_op(*op) : "init";
			d->field = field;
			d->left = l;
			d->right = r;
		}
		return true;
	}
	bool u64(const char *field, unsigned long l, unsigned long r)
	{
		return l != r && diff(field, u(l), u(r));
	}
	bool i64(const char *field, long l, long r) { return l != r && diff(field, s(l), s(r)); }
};
} // namespace

bool Engine::hung_caller() const
{
	const ballast_event ev = BALLAST_EV_HANG_WAIT;
	return l_->w.event_count(ev) > l_->ev_counts[ev] &&
	       r_->w.event_count(ev) > r_->ev_counts[ev];
}

bool Engine::compare_events(size_t step, const Op *op, Divergence *d)
{
	Side &L = *l_, &R = *r_;
	Cmp c{d, step, op};
	for (unsigned e = 1; e < BALLAST_EV_COUNT; e++) {
		unsigned long nl = L.w.event_count((ballast_event)e) - L.ev_counts[e];
		unsigned long nr = R.w.event_count((ballast_event)e) - R.ev_counts[e];
		if (nl != nr)
			return c.diff(std::string("events.count[") +
					      ballast_event_id(static_cast<unsigned>(e)) + "]",
				      u(nl), u(nr));
	}
	{
		const auto &el = L.w.events(), &er = R.w.events();
		size_t nl = el.size() - L.event_mark, nr = er.size() - R.event_mark;
		size_t n = nl < nr ? nl : nr;
		for (size_t i = 0; i < n; i++)
			if (el[L.event_mark + i].ev != er[R.event_mark + i].ev)
				return c.diff("event[" + u(i) + "].kind",
					      event_name(el[L.event_mark + i].ev),
					      event_name(er[R.event_mark + i].ev));
	}
	return false;
}

bool Engine::compare(size_t step, const Op *op, Divergence *d)
{
	Side &L = *l_, &R = *r_;
	Cmp c{d, step, op};
	if (c.i64("rc", L.rc, R.rc))
		return true;
	// pages lent in this step
	{
		size_t nl = L.hold.lent.size() - L.new_lent, nr = R.hold.lent.size() - R.new_lent;
		if (c.u64("lent.count", nl, nr))
			return true;
		for (size_t i = 0; i < nl; i++) {
			const ballast_page *pl = L.hold.lent[L.new_lent + i],
					   *pr = R.hold.lent[R.new_lent + i];
			unsigned long fl = pl ? pl->pfn : ~0UL, fr = pr ? pr->pfn : ~0UL;
			if (fl != fr)
				return c.diff("lent[" + u(i) + "]", u(fl), u(fr));
		}
	}
	// pages kept by a lending caller abandoned in this step (hung or crashed)
	{
		size_t nl = L.hold.held.size() - L.new_held, nr = R.hold.held.size() - R.new_held;
		if (c.u64("held.count", nl, nr))
			return true;
		for (size_t i = 0; i < nl; i++) {
			unsigned long fl = L.hold.held[L.new_held + i]->pfn,
				      fr = R.hold.held[R.new_held + i]->pfn;
			if (fl != fr)
				return c.diff("held[" + u(i) + "]", u(fl), u(fr));
		}
	}
	bool dl = L.subj->dead(), dr = R.subj->dead();
	if (dl != dr)
		return c.diff("dead", dl ? "true" : "false", dr ? "true" : "false");
	ballast_stats sl = L.subj->stats(), sr = R.subj->stats();
	if (memcmp(&sl, &sr, sizeof sl) != 0)
		for (const StatField &f : kStatFields)
			if (sl.*(f.m) != sr.*(f.m))
				return c.diff(std::string("stats.") + f.name, u(sl.*(f.m)),
					      u(sr.*(f.m)));
	L.subj->balloon_pfns(L.pfns);
	R.subj->balloon_pfns(R.pfns);
	if (L.pfns != R.pfns) {
		if (L.pfns.size() != R.pfns.size())
			return c.diff("balloon.length", u(L.pfns.size()), u(R.pfns.size()));
		for (size_t i = 0; i < L.pfns.size(); i++)
			if (L.pfns[i] != R.pfns[i])
				return c.diff("balloon.pfn[" + u(i) + "]", u(L.pfns[i]),
					      u(R.pfns[i]));
	}
	if (c.u64("hypercalls.count", L.trace_count(), R.trace_count()))
		return true;
	for (size_t i = 0; i < L.trace_retained(); i++) {
		const world::HypercallRecord &a = L.trace(i), &b = R.trace(i);
		if (a.cmd != b.cmd)
			return c.diff("hypercall[" + u(i) + "].cmd", hypercall_name(a.cmd),
				      hypercall_name(b.cmd));
		if (a.order != b.order)
			return c.diff("hypercall[" + u(i) + "].order", u(a.order), u(b.order));
		if (a.nr_extents != b.nr_extents)
			return c.diff("hypercall[" + u(i) + "].nr_extents", u(a.nr_extents),
				      u(b.nr_extents));
		if (a.done != b.done)
			return c.diff("hypercall[" + u(i) + "].done", u(a.done), u(b.done));
		if (a.result != b.result)
			return c.diff("hypercall[" + u(i) + "].result", s(a.result), s(b.result));
	}
	if (compare_events(step, op, d))
		return true;
	if (L.w.work_pending() != R.w.work_pending())
		return c.diff("schedule.work_pending", L.w.work_pending() ? "true" : "false",
			      R.w.work_pending() ? "true" : "false");
	if (L.w.work_pending() && c.u64("schedule.work_due", L.w.work_due(), R.w.work_due()))
		return true;
	if (L.w.kthread_sleeping() != R.w.kthread_sleeping())
		return c.diff("schedule.kthread_sleeping",
			      L.w.kthread_sleeping() ? "true" : "false",
			      R.w.kthread_sleeping() ? "true" : "false");
	if (L.w.kthread_sleeping() &&
	    c.u64("schedule.kthread_deadline", L.w.kthread_deadline(), R.w.kthread_deadline()))
		return true;
	if (c.u64("world.jiffies", L.w.jiffies(), R.w.jiffies()) ||
	    c.u64("world.tot_pages", L.w.tot_pages(), R.w.tot_pages()) ||
	    c.u64("world.free", L.w.free_count(), R.w.free_count()) ||
	    c.i64("world.managed", L.w.managed_pages(), R.w.managed_pages()) ||
	    c.u64("world.hangs", L.w.hangs(), R.w.hangs()) ||
	    c.u64("world.faults", L.w.faults_total(), R.w.faults_total()) ||
	    c.u64("world.hotplug_ranges", L.w.hotplug_ranges().size(), R.w.hotplug_ranges().size()))
		return true;
	return false;
}

bool Engine::run(const Scenario &sc, Subject &left, Subject &right, Divergence *d,
		 std::vector<StepSnapshot> *record, std::vector<Divergence> *every)
{
	if (d)
		*d = Divergence();
	// With `every`: note each divergent step and go on; the first is *d.
	bool diverged = false;
	auto diverges = [&](size_t step, const Op *op) {
		Divergence here;
		if (!compare(step, op, &here))
			return false;
		if (d && !diverged)
			*d = here;
		diverged = true;
		if (!every)
			return true;
		every->push_back(here);
		return false;
	};
	world::Config cfg;
	scenario::world_config(sc, &cfg);
	Side *sides[2] = {l_.get(), r_.get()};
	Subject *subj[2] = {&left, &right};
	ballast_boot_info boot;
	const ballast_config bcfg = sc.header.config();
	for (int i = 0; i < 2; i++) {
		Side &S = *sides[i];
		S.w.reset(cfg);
		S.subj = subj[i];
		S.hold.clear();
		S.mark();
	}
	l_->w.fill_boot_info(&boot);
	for (int i = 0; i < 2; i++)
		sides[i]->rc = subj[i]->init(sides[i]->w, boot, bcfg);
	auto snap = [&](size_t step, const Op *op) {
		if (!record)
			return;
		record->emplace_back();
		StepSnapshot &ss = record->back();
		ss.step = step;
		ss.op = op ? print_op(*op) : "init";
		l_->snapshot(&ss.left);
		r_->snapshot(&ss.right);
	};
	snap(0, nullptr);
	last_steps_ = 1;
	if (l_->rc != 0 || r_->rc != 0) {
		// A driver that refused to load has no state worth comparing (and
		// nothing more to drive): only the return codes count.
		Divergence here;
		Cmp c{&here, 0, nullptr};
		if (!c.i64("rc", l_->rc, r_->rc))
			return false;
		if (d)
			*d = here;
		if (every)
			every->push_back(here);
		return true;
	}
	if (diverges(0, nullptr))
		return true;
	for (size_t k = 0; k < sc.ops.size(); k++) {
		const Op &op = sc.ops[k];
		l_->mark();
		r_->mark();
		l_->apply(sc.header, op);
		r_->apply(sc.header, op);
		snap(k + 1, &op);
		last_steps_ = k + 2;
		if (lenient_hang_ && hung_caller()) {
			// Opt-in (--lenient-hang): end the scenario where both lending
			// callers would sleep forever, comparing only the call and its
			// events. The default compares everything: both models keep the
			// hung caller's pages (held) and target_unpopulated raised.
			Divergence here;
			Cmp c{&here, k + 1, &op};
			if (c.i64("rc", l_->rc, r_->rc) || compare_events(k + 1, &op, &here)) {
				if (d && !diverged)
					*d = here;
				if (every)
					every->push_back(here);
				return true;
			}
			return diverged;
		}
		if (l_->rc == kBootPanicked && r_->rc == kBootPanicked) {
			// Both machines panicked at boot: nothing runs any more.
			Divergence here;
			if (compare_events(k + 1, &op, &here)) {
				if (d && !diverged)
					*d = here;
				if (every)
					every->push_back(here);
				return true;
			}
			return diverged;
		}
		if (diverges(k + 1, &op))
			return true;
	}
	return diverged;
}

// ------------------------------------------------------------- subjects
bool upstream_available()
{
	return BALLAST_HAVE_UPSTREAM != 0;
}

std::unique_ptr<Subject> make_subject(const SubjectSpec &spec, std::string *err)
{
	switch (spec.kind) {
	case SubjectSpec::Core:
		return std::unique_ptr<Subject>(new CoreSubject(spec.switches, spec.text));
	case SubjectSpec::Planted:
		return std::unique_ptr<Subject>(new PlantedSubject(spec.switches, spec.text,
								   PlantedFault::StatsDropOnePage));
	case SubjectSpec::PlantedTarget:
		return std::unique_ptr<Subject>(
			new PlantedSubject(spec.switches, spec.text, PlantedFault::TargetOffByOne));
	case SubjectSpec::Upstream:
#if BALLAST_HAVE_UPSTREAM
		(void)err;
		return make_upstream_subject(spec.upstream->id);
#else
		if (err)
			*err = "this build has no upstream subject (diff/upstream_subject.h not built)";
		return nullptr;
#endif
	}
	return nullptr;
}

} // namespace diff
} // namespace ballast
