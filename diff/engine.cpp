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
	std::vector<ballast_page *> lent, guest, buf;
	// Pages held by lending callers that never return (hung in HANG_WAIT or
	// crashed): upstream's task sleeps forever with pages[0..pgno) filled,
	// the core returns -ENOMEM with the same pages. Never given back.
	std::vector<ballast_page *> held;
	std::vector<unsigned long> pfns;
	uint64_t trace_mark = 0;
	size_t event_mark = 0;
	unsigned long ev_counts[BALLAST_EV_COUNT] = {};
	long rc = 0;
	size_t new_lent = 0; // lent.size() - new_lent .. : pages lent in this step
	size_t new_held =
		0; // held.size() - new_held .. : pages kept by a caller abandoned in this step

	Side()
	{
		lent.reserve(1 << 14);
		guest.reserve(1 << 12);
		buf.resize(4096);
		pfns.reserve(1 << 14);
	}

	void mark()
	{
		trace_mark = w.trace_total();
		event_mark = w.events().size();
		for (unsigned e = 0; e < BALLAST_EV_COUNT; e++)
			ev_counts[e] = w.event_count((ballast_event)e);
		new_lent = lent.size();
		new_held = held.size();
		rc = 0;
	}

	// The lending call of this step did not return: it hung (a new
	// HANG_WAIT) or its task crashed (the driver is dead now).
	bool caller_abandoned() const
	{
		return rc != 0 &&
		       (w.event_count(BALLAST_EV_HANG_WAIT) > ev_counts[BALLAST_EV_HANG_WAIT] ||
			subj->dead());
	}

	void apply(const Op &op)
	{
		w.reset_wait_guard(); // the livelock guard counts waits within one step
		const int64_t a = op.arg[0], b = op.arg[1];
		world::HypercallKnobs &pk = w.hv_knobs.populate, &dk = w.hv_knobs.decrease;
		switch (op.kind) {
		case OpKind::Target:
			rc = subj->set_target((unsigned long)a);
			break;
		case OpKind::Run:
			rc = w.run_pending_now() == world::RunResult::Hang;
			break;
		case OpKind::Advance:
			rc = w.advance((unsigned long)a) == world::RunResult::Hang;
			break;
		case OpKind::Lend: {
			int n = (int)a;
			if (n > (int)buf.size())
				buf.resize((size_t)n);
			for (int i = 0; i < n; i++)
				buf[(size_t)i] = nullptr;
			rc = subj->alloc_pages(n, buf.data());
			if (rc == 0)
				for (int i = 0; i < n; i++)
					lent.push_back(buf[(size_t)i]);
			else if (caller_abandoned())
				for (int i = 0; i < n; i++)
					if (buf[(size_t)i])
						held.push_back(buf[(size_t)i]);
			new_lent = lent.size() - (rc == 0 && n > 0 ? (size_t)n : 0);
			break;
		}
		case OpKind::GiveBack:
		case OpKind::GiveBackAll: {
			size_t k = op.kind == OpKind::GiveBackAll ? lent.size() : (size_t)a;
			if (k > lent.size())
				k = lent.size();
			subj->free_pages((int)k, lent.data() + (lent.size() - k));
			lent.resize(lent.size() - k);
			new_lent = lent.size();
			break;
		}
		case OpKind::Online:
			rc = (long)w.online_pending();
			break;
		case OpKind::HotplugUnpopulated:
			subj->set_hotplug_unpopulated(a != 0);
			break;
		case OpKind::MaxScheduleDelay:
			rc = subj->set_max_schedule_delay((unsigned long)a);
			break;
		case OpKind::MaxRetryCount:
			rc = subj->set_max_retry_count((unsigned long)a);
			break;
		case OpKind::PopulateCap:
			pk.cap_extents = (unsigned long)a;
			break;
		case OpKind::PopulateFail:
			pk.fail_next = (unsigned long)a;
			pk.fail_result = b;
			break;
		case OpKind::PopulatePermille:
			pk.fail_permille = (uint32_t)a;
			break;
		case OpKind::PopulateLie:
			pk.lie_extra = a;
			break;
		case OpKind::PopulateNone:
			pk.result_when_none = a;
			break;
		case OpKind::DecreaseCap:
			dk.cap_extents = (unsigned long)a;
			break;
		case OpKind::DecreaseFail:
			dk.fail_next = (unsigned long)a;
			dk.fail_result = b;
			break;
		case OpKind::DecreasePermille:
			dk.fail_permille = (uint32_t)a;
			break;
		case OpKind::DecreaseLie:
			dk.lie_extra = a;
			break;
		case OpKind::DecreaseNone:
			dk.result_when_none = a;
			break;
		case OpKind::XenReset:
			w.hv_knobs = world::HypervisorKnobs();
			break;
		case OpKind::XenMaxPages:
			w.set_max_pages((unsigned long)a);
			break;
		case OpKind::XenHostPool:
			w.limit_host_pool((unsigned long)a);
			break;
		case OpKind::XenEnforceMaxPages:
			w.hv_knobs.enforce_max_pages = a != 0;
			break;
		case OpKind::AllocFail:
			w.alloc_knobs.fail_next = (unsigned long)a;
			break;
		case OpKind::AllocPermille:
			w.alloc_knobs.fail_permille = (uint32_t)a;
			break;
		case OpKind::AllocStorm:
			w.alloc_knobs.storm = a != 0;
			break;
		case OpKind::AllocPressure:
			w.set_pressure((unsigned long)a);
			break;
		case OpKind::AllocRelax:
			w.alloc_knobs.pressure = false;
			break;
		case OpKind::AllocMask:
			w.alloc_knobs.gfp_mask = (unsigned)a;
			break;
		case OpKind::HotplugResourceResult:
			w.hp_knobs.allocate_resource_result = (int)a;
			break;
		case OpKind::HotplugAddResult:
			w.hp_knobs.add_memory_result = (int)a;
			break;
		case OpKind::HotplugP2mFailAfter:
			w.hp_knobs.set_p2m_fail_after = a;
			break;
		case OpKind::HotplugAllocP2mResult:
			w.hp_knobs.alloc_p2m_result = (int)a;
			break;
		case OpKind::WaitInterrupt:
			w.wait_knobs.interrupt = a != 0;
			break;
		case OpKind::MemAvailable:
			w.set_mem_available_override((long)a);
			break;
		case OpKind::MemAvailableAuto:
			w.clear_mem_available_override();
			break;
		case OpKind::TotalReserve:
			w.set_totalreserve_pages((unsigned long)a);
			break;
		case OpKind::GuestTake: {
			long n = 0;
			for (int64_t i = 0; i < a; i++) {
				ballast_page *p = w.kernel_alloc();
				if (!p)
					break;
				guest.push_back(p);
				n++;
			}
			rc = n;
			break;
		}
		case OpKind::GuestGive: {
			long n = 0;
			for (int64_t i = 0; i < a && !guest.empty(); i++) {
				w.kernel_free(guest.back());
				guest.pop_back();
				n++;
			}
			rc = n;
			break;
		}
		}
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
						" -> " + s(h.result));
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
			   " lent=" + u(lent.size()) + " held=" + u(held.size()) +
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
	return (left ? l_ : r_)->held.size();
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
		size_t nl = L.lent.size() - L.new_lent, nr = R.lent.size() - R.new_lent;
		if (c.u64("lent.count", nl, nr))
			return true;
		for (size_t i = 0; i < nl; i++) {
			const ballast_page *pl = L.lent[L.new_lent + i],
					   *pr = R.lent[R.new_lent + i];
			unsigned long fl = pl ? pl->pfn : ~0UL, fr = pr ? pr->pfn : ~0UL;
			if (fl != fr)
				return c.diff("lent[" + u(i) + "]", u(fl), u(fr));
		}
	}
	// pages kept by a lending caller abandoned in this step (hung or crashed)
	{
		size_t nl = L.held.size() - L.new_held, nr = R.held.size() - R.new_held;
		if (c.u64("held.count", nl, nr))
			return true;
		for (size_t i = 0; i < nl; i++) {
			unsigned long fl = L.held[L.new_held + i]->pfn,
				      fr = R.held[R.new_held + i]->pfn;
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
		 std::vector<StepSnapshot> *record)
{
	if (d)
		*d = Divergence();
	world::Config cfg;
	sc.header.to_world_config(&cfg);
	Side *sides[2] = {l_.get(), r_.get()};
	Subject *subj[2] = {&left, &right};
	ballast_boot_info boot;
	const ballast_config bcfg = sc.header.config();
	for (int i = 0; i < 2; i++) {
		Side &S = *sides[i];
		S.w.reset(cfg);
		S.subj = subj[i];
		S.lent.clear();
		S.held.clear();
		S.guest.clear();
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
		Cmp c{d, 0, nullptr};
		return c.i64("rc", l_->rc, r_->rc);
	}
	if (compare(0, nullptr, d))
		return true;
	for (size_t k = 0; k < sc.ops.size(); k++) {
		const Op &op = sc.ops[k];
		l_->mark();
		r_->mark();
		l_->apply(op);
		r_->apply(op);
		snap(k + 1, &op);
		last_steps_ = k + 2;
		if (lenient_hang_ && hung_caller()) {
			// Opt-in (--lenient-hang): end the scenario where both lending
			// callers would sleep forever, comparing only the call and its
			// events. The default compares everything: both models keep the
			// hung caller's pages (held) and target_unpopulated raised.
			Cmp c{d, k + 1, &op};
			if (c.i64("rc", l_->rc, r_->rc))
				return true;
			return compare_events(k + 1, &op, d);
		}
		if (compare(k + 1, &op, d))
			return true;
	}
	return false;
}

// ------------------------------------------------------------- subjects
bool profile_by_name(const std::string &name, Switches *out)
{
	if (name == "ballast")
		*out = profile_ballast();
	else if (name == "linux-2019" || name == "2019" || name == "seed")
		*out = profile_linux_2019();
	else if (name == "linux-6.1" || name == "6.1")
		*out = profile_linux_6_1();
	else
		return false;
	return true;
}

namespace {
std::string canonical_profile(const std::string &n)
{
	if (n == "2019" || n == "seed")
		return "linux-2019";
	if (n == "6.1")
		return "linux-6.1";
	return n;
}
} // namespace

bool parse_subject_spec(const std::string &text, SubjectSpec *out, std::string *err)
{
	SubjectSpec sp;
	sp.text = text;
	size_t colon = text.find(':');
	if (colon == std::string::npos) {
		*err = "subject '" + text +
		       "': expected KIND:VERSION (core:ballast, upstream:seed, ...)";
		return false;
	}
	std::string kind = text.substr(0, colon), rest = text.substr(colon + 1);
	if (kind == "upstream") {
		sp.kind = SubjectSpec::Upstream;
		if (rest == "seed" || rest == "2019" || rest == "linux-2019") {
			sp.upstream_version = "seed";
			sp.profile_name = "linux-2019";
		} else if (rest == "6.1" || rest == "linux-6.1") {
			sp.upstream_version = "6.1";
			sp.profile_name = "linux-6.1";
		} else {
			*err = "subject '" + text + "': upstream versions are seed and 6.1";
			return false;
		}
		profile_by_name(sp.profile_name, &sp.switches);
		*out = sp;
		return true;
	}
	if (kind == "core")
		sp.kind = SubjectSpec::Core;
	else if (kind == "planted")
		sp.kind = SubjectSpec::Planted;
	else if (kind == "planted-target")
		sp.kind = SubjectSpec::PlantedTarget;
	else {
		*err = "subject '" + text + "': kinds are core, upstream, planted, planted-target";
		return false;
	}
	// profile[+switch=0|1]...
	size_t plus = rest.find('+');
	std::string prof = rest.substr(0, plus);
	if (!profile_by_name(prof, &sp.switches)) {
		*err = "subject '" + text + "': profiles are ballast, linux-2019, linux-6.1";
		return false;
	}
	sp.profile_name = canonical_profile(prof);
	while (plus != std::string::npos) {
		size_t next = rest.find('+', plus + 1);
		std::string kv = rest.substr(
			plus + 1, next == std::string::npos ? std::string::npos : next - plus - 1);
		size_t eq = kv.find('=');
		std::string key = kv.substr(0, eq);
		bool val = eq == std::string::npos || kv.substr(eq + 1) != "0";
		bool found = false;
		for (const SwitchInfo &si : kSwitchTable)
			if (key == si.name) {
				sp.switches.*(si.member) = val;
				found = true;
			}
		if (!found) {
			*err = "subject '" + text + "': unknown switch '" + key + "'";
			return false;
		}
		plus = next;
	}
	*out = sp;
	return true;
}

Switches reference_switches(const SubjectSpec &spec)
{
	Switches s = spec.switches;
	if (spec.kind != SubjectSpec::Core)
		profile_by_name(spec.profile_name, &s);
	return s;
}

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
	{
		std::unique_ptr<Subject> s = make_upstream_subject(spec.upstream_version);
		if (!s && err)
			*err = "upstream subject '" + spec.upstream_version + "' is not built";
		return s;
	}
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
