// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "accounting.h"

namespace ballast {
namespace oracle {

using scenario::OpKind;

namespace {
unsigned long worker_runs(const world::World &w)
{
	return w.work_runs() + w.kthread_steps();
}

const char *wrapped(unsigned long v)
{
	return v >= kWrapped ? " (wrapped below zero)" : "";
}
} // namespace

void AccountingOracle::init(const world::World &w, const ballast_boot_info &boot,
			    const ballast_config &cfg, const Switches &sw, const ballast_stats &st,
			    Findings *out)
{
	sw_ = sw;
	cfg_ = cfg;
	dead_ = false;
	// The initial target is judged by the initial-target oracle
	// (world/initial_target.h), which knows every boot type and what each
	// upstream version makes of it; from here on the target is what was set.
	target_ = toolstack_target_ = st.target_pages;
	outstanding_ = unpop_offset_ = total_offset_ = 0;
	lasting_slip_ = kNoSlip;
	max_delay_ = kDefaultMaxScheduleDelay;
	max_retry_ = kDefaultMaxRetryCount;
	runs_seen_ = worker_runs(w);

	// The extra regions of a PV domU start in the balloon, cut at max_pfn; one
	// that starts above max_pfn has no page below it. (Other boot types --
	// PVH regions, unpopulated-alloc taking them, dom0 -- differ by version:
	// the initial-target oracle judges those figures.)
	const world::Config &wc = w.config();
	// A region starting above max_pfn wraps total_pages in a version that
	// adds regions to it without skipping those (any boot type it reads
	// regions in).
	unsigned long accepted = 0, beyond = 0;
	const unsigned n = boot.n_regions < BALLAST_MAX_EXTRA_REGIONS ? boot.n_regions :
									BALLAST_MAX_EXTRA_REGIONS;
	for (unsigned i = 0; i < n; i++) {
		const ballast_region &r = boot.regions[i];
		if (!r.n_pfns)
			continue;
		if (r.start_pfn > boot.max_pfn) {
			beyond += boot.max_pfn - r.start_pfn; // what a wrapped total gains
			continue;
		}
		const unsigned long end = r.start_pfn + r.n_pfns < boot.max_pfn ?
						  r.start_pfn + r.n_pfns :
						  boot.max_pfn;
		accepted += end - r.start_pfn;
	}
	const bool classic_pv = cfg.xen_pv && wc.pv && !wc.initial_domain && !wc.unpopulated_alloc;
	if (classic_pv && st.balloon_low + st.balloon_high != accepted)
		out->add("accounting", 0, kNoSlip, sw_,
			 "the balloon holds %lu pages at boot, but the extra regions below max_pfn "
			 "hold %lu",
			 st.balloon_low + st.balloon_high, accepted);
	// Every boot type: total_pages is what the domain has plus what the
	// balloon holds.
	const unsigned long total = st.current_pages + st.balloon_low + st.balloon_high;
	if (st.total_pages != total) {
		const unsigned long delta = st.total_pages - total;
		out->add("accounting", 0, beyond && delta == beyond ? kRegionWrapsTotal : kNoSlip,
			 sw_,
			 "total_pages is %lu%s at boot, but current_pages %lu and the balloon's "
			 "%lu pages make %lu",
			 st.total_pages, wrapped(st.total_pages), st.current_pages,
			 st.balloon_low + st.balloon_high, total);
		total_offset_ = delta;
		note_lasting(out);
	}
	scenario::Holdings none;
	check(0, w, st, none, nullptr, nullptr, out);
}

void AccountingOracle::note_lasting(const Findings *out)
{
	const Finding &f = out->all().back();
	if (f.tolerated && lasting_slip_ == kNoSlip)
		lasting_slip_ = f.slip;
}

void AccountingOracle::step(size_t step, const world::World &w, const ballast_stats &st,
			    const scenario::Holdings &h, const scenario::Op &op,
			    const scenario::OpResult &r, bool dead, Findings *out)
{
	if (dead_ || (dead_ = dead))
		return;
	const int64_t a = op.arg[0];
	switch (op.kind) {
	case OpKind::Target:
		if (r.rc == 0)
			target_ = toolstack_target_ = (unsigned long)a;
		break;
	case OpKind::MaxScheduleDelay:
		if (r.rc == 0)
			max_delay_ = (unsigned long)a;
		break;
	case OpKind::MaxRetryCount:
		if (r.rc == 0)
			max_retry_ = (unsigned long)a;
		break;
	case OpKind::Lend:
		if (r.abandoned && a > 0)
			outstanding_ += (unsigned long)a; // the caller still waits for them all
		break;
	default:
		break;
	}
	check(step, w, st, h, &op, &r, out);
}

void AccountingOracle::check_now(size_t step, const world::World &w, const ballast_stats &st,
				 const scenario::Holdings &h, bool dead, Findings *out)
{
	if (dead_ || (dead_ = dead))
		return;
	check(step, w, st, h, nullptr, nullptr, out);
}

void AccountingOracle::check(size_t step, const world::World &w, const ballast_stats &st,
			     const scenario::Holdings &h, const scenario::Op *op,
			     const scenario::OpResult *r, Findings *out)
{
	const unsigned long runs = worker_runs(w);
	const bool ran = runs != runs_seen_;
	runs_seen_ = runs;

	// target_unpopulated: the pages drivers hold.
	const unsigned long unpop = expected_unpopulated(h);
	if (st.target_unpopulated != unpop) {
		const long delta = (long)(st.target_unpopulated - unpop);
		int slip = kNoSlip;
		if (op && r && op->kind == OpKind::Lend && !r->abandoned) {
			const long n = (long)op->arg[0];
			if (n < 0 && r->rc == 0 && delta == n)
				slip = kNegativeLendingCount;
			else if (n > 0 && r->rc != 0 && delta > 0 && delta <= n)
				slip = kUnpopulatedNotUndone;
		}
		out->add("accounting", step, slip, sw_,
			 "target_unpopulated is %lu%s, but drivers hold %zu lent pages and "
			 "abandoned callers asked for %lu (expected %lu)",
			 st.target_unpopulated, wrapped(st.target_unpopulated), h.lent.size(),
			 outstanding_, unpop);
		unpop_offset_ += (unsigned long)delta;
		note_lasting(out);
	}

	// target_pages: what was set, or the no-hotplug give-up.
	if (st.target_pages != target_) {
		int slip = kNoSlip;
		bool legit = false;
		if (!cfg_.memory_hotplug && ran) {
			legit = st.target_pages == st.current_pages + st.target_unpopulated;
			if (!legit && st.target_pages == st.current_pages)
				slip = kNoHotplugTargetForgetsLent;
		}
		if (!legit)
			out->add("accounting", step, slip, sw_,
				 "target_pages is %lu, but the last target set was %lu%s "
				 "(current_pages %lu, lent %lu)",
				 st.target_pages, target_,
				 cfg_.memory_hotplug ? "" :
						       " and a give-up without hotplug sets "
						       "current_pages + the pages lent",
				 st.current_pages, st.target_unpopulated);
		target_ = st.target_pages;
	}

	// The tunables: what the user stored.
	if (st.max_schedule_delay != max_delay_) {
		out->add("accounting", step, kNoSlip, sw_,
			 "max_schedule_delay is %lu, but the last value stored was %lu",
			 st.max_schedule_delay, max_delay_);
		max_delay_ = st.max_schedule_delay;
	}
	if (st.max_retry_count != max_retry_) {
		out->add("accounting", step, kNoSlip, sw_,
			 "max_retry_count is %lu, but the last value stored was %lu",
			 st.max_retry_count, max_retry_);
		max_retry_ = st.max_retry_count;
	}

	// total_pages: every page the balloon accounts for, wherever it is now.
	const unsigned long offline = w.offline_pages();
	const unsigned long total = st.current_pages + st.balloon_low + st.balloon_high +
				    h.lent.size() + h.held.size() + offline + total_offset_;
	if (st.total_pages != total) {
		out->add("accounting", step, kNoSlip, sw_,
			 "total_pages is %lu%s, but current %lu + ballooned %lu + lent %zu + "
			 "offline hotplugged %lu make %lu",
			 st.total_pages, wrapped(st.total_pages), st.current_pages,
			 st.balloon_low + st.balloon_high, h.lent.size() + h.held.size(), offline,
			 total);
		total_offset_ += st.total_pages - total;
		note_lasting(out);
	}

	// No counter goes "negative" (the two above say it with their model).
	const struct {
		const char *name;
		unsigned long v;
	} fields[] = {
		{"current_pages", st.current_pages},   {"target_pages", st.target_pages},
		{"balloon_low", st.balloon_low},       {"balloon_high", st.balloon_high},
		{"schedule_delay", st.schedule_delay}, {"retry_count", st.retry_count},
	};
	for (const auto &f : fields)
		if (f.v >= kWrapped)
			out->add("accounting", step, kNoSlip, sw_, "%s is %lu (wrapped below zero)",
				 f.name, f.v);
}

} // namespace oracle
} // namespace ballast
