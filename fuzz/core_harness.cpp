// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "core_harness.h"

#include "bind.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ballast {
namespace fuzz {

using diff::Op;
using diff::OpKind;
using diff::Scenario;

// ------------------------------------------------------------- limits
void fit_for_fuzzing(Scenario *s, const FuzzLimits &lim)
{
	diff::Header &h = s->header;
	if (h.frames > lim.max_frames)
		h.frames = lim.max_frames;
	if (h.populated > h.frames)
		h.populated = h.frames;
	if (h.kernel > h.populated)
		h.kernel = h.populated;
	if (h.max_pfn > 2 * lim.max_frames)
		h.max_pfn = 2 * lim.max_frames;
	// A PV guest's populated boot pages all lie below max_pfn (Linux releases
	// those above a mem= limit at boot); a header saying otherwise describes
	// no real machine and breaks tot_pages == current_pages at init.
	if (h.max_pfn && h.max_pfn < h.populated)
		h.max_pfn = h.populated;
	if (h.host_pool > lim.max_host_pool)
		h.host_pool = lim.max_host_pool;
	if (h.pps > lim.max_pps)
		h.pps = lim.max_pps;
	if (h.iomem_limit > lim.max_iomem_pfn)
		h.iomem_limit = lim.max_iomem_pfn;
	// Extra regions are unpopulated guest RAM: inside [populated, frames) and
	// disjoint (in Linux they come from the E820 map). Anything else describes
	// no real machine and makes the world report frames in two places.
	uint64_t floor = h.populated;
	unsigned kept = 0;
	for (unsigned i = 0; i < h.n_regions && i < diff::Header::kMaxRegions; i++) {
		uint64_t start = h.region_start[i] < floor ? floor : h.region_start[i];
		uint64_t end = h.region_start[i] + h.region_pages[i];
		if (end > h.frames)
			end = h.frames;
		if (start >= end)
			continue; // empty or outside guest space: dropped
		h.region_start[kept] = start;
		h.region_pages[kept] = end - start;
		kept++;
		floor = end;
	}
	for (unsigned i = kept; i < diff::Header::kMaxRegions; i++)
		h.region_start[i] = h.region_pages[i] = 0;
	h.n_regions = kept;
	if (s->ops.size() > lim.max_ops)
		s->ops.resize(lim.max_ops);
}

// ------------------------------------------------------------- profiles
const char *profile_name(ballast_profile p)
{
	switch (p) {
	case BALLAST_PROFILE_LINUX_2019:
		return "linux-2019";
	case BALLAST_PROFILE_LINUX_6_1:
		return "linux-6.1";
	default:
		return "ballast";
	}
}

bool profile_from_name(const std::string &name, ballast_profile *out)
{
	if (name == "ballast")
		*out = BALLAST_PROFILE_BALLAST;
	else if (name == "linux-2019")
		*out = BALLAST_PROFILE_LINUX_2019;
	else if (name == "linux-6.1")
		*out = BALLAST_PROFILE_LINUX_6_1;
	else
		return false;
	return true;
}

// ------------------------------------------------------------ encodings
void decode_input(const uint8_t *data, size_t size, ballast_profile *profile, Scenario *out,
		  size_t max_ops)
{
	*profile = BALLAST_PROFILE_BALLAST;
	if (size > 0) {
		*profile = static_cast<ballast_profile>(data[0] % 3);
		data++;
		size--;
	}
	diff::decode_scenario(data, size, out, max_ops);
}

std::vector<uint8_t> encode_input(ballast_profile profile, const Scenario &s)
{
	std::vector<uint8_t> out = diff::encode_scenario(s);
	out.insert(out.begin(), static_cast<uint8_t>(profile));
	return out;
}

static const char kProfileTag[] = "# profile:";

std::string print_input(ballast_profile profile, const Scenario &s, const std::string &comment)
{
	std::string out;
	if (profile != BALLAST_PROFILE_BALLAST)
		out += std::string(kProfileTag) + " " + profile_name(profile) + "\n";
	return out + diff::print_scenario(s, comment);
}

bool parse_input(const std::string &text, ballast_profile *profile, Scenario *out, std::string *err)
{
	*profile = BALLAST_PROFILE_BALLAST;
	// The profile comment: "# profile: NAME" on a line of its own.
	size_t pos = 0;
	unsigned line = 1;
	while (pos < text.size()) {
		size_t e = text.find('\n', pos);
		if (e == std::string::npos)
			e = text.size();
		std::string l = text.substr(pos, e - pos);
		if (l.compare(0, sizeof kProfileTag - 1, kProfileTag) == 0) {
			std::string name = l.substr(sizeof kProfileTag - 1);
			size_t a = name.find_first_not_of(" \t\r");
			size_t b = name.find_last_not_of(" \t\r");
			name = a == std::string::npos ? "" : name.substr(a, b - a + 1);
			if (!profile_from_name(name, profile)) {
				if (err)
					*err = "line " + std::to_string(line) +
					       ", column 11: unknown profile '" + name +
					       "' (ballast, linux-2019, linux-6.1)";
				return false;
			}
		}
		pos = e + 1;
		line++;
	}
	diff::ParseError pe;
	if (!diff::parse_scenario(text, out, &pe)) {
		if (err)
			*err = pe.to_string();
		return false;
	}
	return true;
}

bool load_any(const std::string &path, ballast_profile *profile, Scenario *out, std::string *err,
	      bool *was_text)
{
	std::ifstream f(path, std::ios::binary);
	if (!f) {
		if (err)
			*err = "cannot open " + path;
		return false;
	}
	std::stringstream ss;
	ss << f.rdbuf();
	std::string data = ss.str();
	bool text = path.size() > 4 && path.compare(path.size() - 4, 4, ".scn") == 0;
	if (text) {
		if (was_text)
			*was_text = true;
		return parse_input(data, profile, out, err);
	}
	if (was_text)
		*was_text = false;
	decode_input(reinterpret_cast<const uint8_t *>(data.data()), data.size(), profile, out);
	return true;
}

std::string op_text(const Op &op)
{
	return diff::print_op(op);
}

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

CoreHarness::CoreHarness(const FuzzLimits &limits)
	: env_(world_)
	, limits_(limits)
{
	lent_.reserve(4096);
	taken_.reserve(4096);
	scratch_.resize(4096);
}

int CoreHarness::init(ballast_profile profile, const Scenario &s)
{
	profile_ = profile;
	world::Config cfg;
	s.header.to_world_config(&cfg);
	cfg.max_runs_same_jiffy = 64;
	cfg.max_runs_per_call = 100000;
	// A caller waiting for pages again and again without time passing
	// livelocks (every legitimate wait of one op hands out a page).
	cfg.max_waits_same_jiffy = 4 * (unsigned long)limits_.max_lend + 64;
	world_.reset(cfg);
	lent_.clear();
	taken_.clear();
	world_hang_ = false;
	wait_livelock_ = false;
	taint_ = nullptr;
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

void CoreHarness::run_now()
{
	if (world_.run_pending_now() == world::RunResult::Hang)
		world_hang_ = true;
}

void CoreHarness::advance(uint64_t secs)
{
	uint64_t target = world_.jiffies() + secs * world::HZ;
	uint64_t runs = 0;
	uint64_t when;
	while (world_.next_due(&when) && when <= target) {
		if (world_.run_until(when) == world::RunResult::Hang) {
			world_hang_ = true;
			return;
		}
		if (++runs >= limits_.max_worker_runs_per_op)
			return; // budget: the rest of the interval is not simulated
	}
	if (world_.run_until(target) == world::RunResult::Hang)
		world_hang_ = true;
}

void CoreHarness::apply(const Op &op, std::string *trace)
{
	note_hostile(op);
	world_.reset_wait_guard();
	const unsigned long hangs_before = world_.hangs();
	const int64_t a = op.arg[0], b = op.arg[1];
	long rc = 0;
	bool has_rc = false;
	world::HypercallKnobs &pop = world_.hv_knobs.populate, &dec = world_.hv_knobs.decrease;
	switch (op.kind) {
	case OpKind::Target:
		rc = balloon_.set_target((unsigned long)a);
		has_rc = true;
		break;
	case OpKind::Run:
		run_now();
		break;
	case OpKind::Advance:
		advance((uint64_t)a);
		break;
	case OpKind::Lend: {
		int n = (int)(a > limits_.max_lend ? limits_.max_lend : a);
		if (n > (int)scratch_.size())
			scratch_.resize((size_t)n);
		rc = balloon_.alloc_pages(n, scratch_.data());
		has_rc = true;
		if (rc == 0)
			for (int i = 0; i < n; i++)
				lent_.push_back(scratch_[(size_t)i]);
		break;
	}
	case OpKind::GiveBack:
	case OpKind::GiveBackAll: {
		size_t n = op.kind == OpKind::GiveBackAll ? lent_.size() : (size_t)a;
		if (n > lent_.size())
			n = lent_.size();
		balloon_.free_pages((int)n, lent_.data() + (lent_.size() - n));
		lent_.resize(lent_.size() - n);
		break;
	}
	case OpKind::Online:
		rc = (long)world_.online_pending();
		has_rc = true;
		break;
	case OpKind::HotplugUnpopulated:
		balloon_.set_hotplug_unpopulated(a != 0);
		break;
	case OpKind::MaxScheduleDelay:
		rc = balloon_.set_max_schedule_delay((unsigned long)a);
		has_rc = true;
		break;
	case OpKind::MaxRetryCount:
		rc = balloon_.set_max_retry_count((unsigned long)a);
		has_rc = true;
		break;
	case OpKind::PopulateCap:
		pop.cap_extents = (unsigned long)a;
		break;
	case OpKind::PopulateFail:
		pop.fail_next = (unsigned long)a;
		pop.fail_result = b;
		break;
	case OpKind::PopulatePermille:
		pop.fail_permille = (uint32_t)a;
		break;
	case OpKind::PopulateLie:
		pop.lie_extra = a;
		break;
	case OpKind::PopulateNone:
		pop.result_when_none = a;
		break;
	case OpKind::DecreaseCap:
		dec.cap_extents = (unsigned long)a;
		break;
	case OpKind::DecreaseFail:
		dec.fail_next = (unsigned long)a;
		dec.fail_result = b;
		break;
	case OpKind::DecreasePermille:
		dec.fail_permille = (uint32_t)a;
		break;
	case OpKind::DecreaseLie:
		dec.lie_extra = a;
		break;
	case OpKind::DecreaseNone:
		dec.result_when_none = a;
		break;
	case OpKind::XenReset:
		world_.hv_knobs = world::HypervisorKnobs();
		break;
	case OpKind::XenMaxPages:
		world_.set_max_pages((unsigned long)a);
		break;
	case OpKind::XenHostPool:
		world_.limit_host_pool((unsigned long)a);
		break;
	case OpKind::XenEnforceMaxPages:
		world_.hv_knobs.enforce_max_pages = a != 0;
		break;
	case OpKind::AllocFail:
		world_.alloc_knobs.fail_next = (unsigned long)a;
		break;
	case OpKind::AllocPermille:
		world_.alloc_knobs.fail_permille = (uint32_t)a;
		break;
	case OpKind::AllocStorm:
		world_.alloc_knobs.storm = a != 0;
		break;
	case OpKind::AllocPressure:
		world_.set_pressure((unsigned long)a);
		break;
	case OpKind::AllocRelax:
		world_.alloc_knobs = world::AllocKnobs();
		break;
	case OpKind::AllocMask:
		world_.alloc_knobs.gfp_mask = (unsigned)a;
		break;
	case OpKind::HotplugResourceResult:
		world_.hp_knobs.allocate_resource_result = (int)a;
		break;
	case OpKind::HotplugAddResult:
		world_.hp_knobs.add_memory_result = (int)a;
		break;
	case OpKind::HotplugP2mFailAfter:
		world_.hp_knobs.set_p2m_fail_after = a;
		break;
	case OpKind::HotplugAllocP2mResult:
		world_.hp_knobs.alloc_p2m_result = (int)a;
		break;
	case OpKind::WaitInterrupt:
		world_.wait_knobs.interrupt = a != 0;
		break;
	case OpKind::MemAvailable:
		world_.set_mem_available_override((long)a);
		break;
	case OpKind::MemAvailableAuto:
		world_.clear_mem_available_override();
		break;
	case OpKind::TotalReserve:
		world_.set_totalreserve_pages((unsigned long)a);
		break;
	case OpKind::GuestTake:
		for (int64_t i = 0; i < a; i++) {
			ballast_page *p = world_.kernel_alloc();
			if (!p)
				break;
			taken_.push_back(p);
			rc++;
		}
		has_rc = true;
		break;
	case OpKind::GuestGive:
		for (int64_t i = 0; i < a && !taken_.empty(); i++) {
			world_.kernel_free(taken_.back());
			taken_.pop_back();
			rc++;
		}
		has_rc = true;
		break;
	}
	if (world_.hangs() != hangs_before && !world_hang_)
		world_hang_ = wait_livelock_ = true; // run_until hangs already set world_hang_
	if (trace) {
		appendf(trace, "%-34s", op_text(op).c_str());
		if (has_rc)
			appendf(trace, " -> %ld", rc);
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
		lent_.size(), world_.work_pending() ? " work-pending" : "",
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

// ------------------------------------------------------ audit plants
const char *CoreHarness::plant_name(unsigned kind)
{
	static const char *const names[kPlants] = {
		"leak a ballooned page (unlinked, stats adjusted)",
		"free a page still in the ballooned list",
		"lose a lent page",
		"link a guest-free page into the list",
		"link a kernel page into the list",
		"lend a ballooned page (legal)",
		"point a ballooned page's p2m at a populated MFN",
	};
	return kind < kPlants ? names[kind] : "?";
}

bool CoreHarness::plant_must_be_caught(unsigned kind)
{
	return kind <= 4;
}

// Buggy-core stand-ins: they write only what the core can write (its list,
// its stats, the lent array, page fields through the Env), never the
// checker's shadow, so the incremental checker must find them on its own.
int CoreHarness::plant()
{
	const uint64_t r = world::xorshift64star(&plant_rng_);
	if (r % 8)
		return -1;
	ballast_list *head = const_cast<ballast_list *>(balloon_.ballooned_head());
	ballast_stats &st = const_cast<ballast_stats &>(balloon_.stats());
	const unsigned kind = (unsigned)((r >> 8) % kPlants);
	auto unlink_first = [&]() -> ballast_page * {
		if (head->next == head)
			return nullptr;
		ballast_list *n = head->next;
		n->prev->next = n->next;
		n->next->prev = n->prev;
		n->next = n->prev = nullptr;
		ballast_page *p = env_.lru_to_page(n);
		(p->highmem ? st.balloon_high : st.balloon_low)--;
		return p;
	};
	auto link_first = [&](ballast_page *p) {
		ballast_list *n = env_.page_lru(p);
		n->next = head->next;
		n->prev = head;
		head->next->prev = n;
		head->next = n;
		(p->highmem ? st.balloon_high : st.balloon_low)++;
	};
	switch (kind) {
	case 0:
		// Not an extra-region page no check has seen in the list yet: that
		// one is indistinguishable from untouched boot memory (world/invariants.h).
		if (head->next == head || env_.lru_to_page(head->next)->wstate != BALLAST_WFS_CORE)
			return -1;
		unlink_first();
		break;
	case 1:
		if (head->next == head)
			return -1;
		world_.free_reserved_page(env_.lru_to_page(head->next));
		break;
	case 2:
		if (lent_.empty())
			return -1;
		lent_.pop_back();
		break;
	case 3:
	case 4: {
		ballast_page *p = nullptr;
		world_.for_each_frame([&](ballast_page *f) {
			if (!p && f->wstate == (kind == 3 ? BALLAST_WFS_FREE : BALLAST_WFS_KERNEL))
				p = f;
		});
		if (!p)
			return -1;
		link_first(p);
		break;
	}
	case 5: {
		ballast_page *p = unlink_first();
		if (!p)
			return -1;
		lent_.push_back(p);
		break;
	}
	case 6: {
		if (head->next == head || world_.tot_pages() == 0)
			return -1;
		ballast_page *victim = nullptr;
		world_.for_each_frame([&](ballast_page *f) {
			if (!victim && world_.populated(f))
				victim = f;
		});
		if (!victim)
			return -1;
		ballast_page *p = env_.lru_to_page(head->next);
		if (world_.auto_translated())
			world_.set_p2m(p->pfn,
				       victim->p2m); // as a stray hypervisor-side write would
		else
			env_.va_mapping_update(p, victim->p2m);
		break;
	}
	}
	audit_counts_.planted[kind]++;
	return (int)kind;
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
			result_.message = std::string(why) + " in " + profile_name(profile_) +
					  ", run stopped";
			return false;
		}
	}
	// Incremental: after the first check only what changed is checked again
	// (world/invariants.h); the list walk and the totals run every step.
	const int planted = audit_ && plant_rng_ ? plant() : -1;
	size_t full = 0;
	if (audit_) { // first, so it sees the world faults too (the incremental check clears them)
		world::CheckOptions o;
		o.clear_world_faults = false;
		full = audit_checker_.check(world_, balloon_.ballooned_head(), balloon_.stats(),
					    lent_.data(), lent_.size(), o);
	}
	world::CheckOptions opts;
	opts.incremental = true;
	const size_t n = checker_.check(world_, balloon_.ballooned_head(), balloon_.stats(),
					lent_.data(), lent_.size(), opts);
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
		result_.message = std::string("tolerated in ") + profile_name(profile_) +
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

const RunResult &CoreHarness::run(ballast_profile profile, const Scenario &s, std::string *trace)
{
	result_ = RunResult();
	if (trace)
		appendf(trace, "profile %s\n%s\n", profile_name(profile),
			diff::print_header(s.header).c_str());
	if (init(profile, s)) {
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
		apply(s.ops[i], trace);
		if (!check(i + 1, trace))
			return result_;
	}
	return result_;
}

} // namespace fuzz
} // namespace ballast
