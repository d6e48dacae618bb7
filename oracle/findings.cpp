// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "findings.h"

#include <cstdarg>
#include <cstdio>

namespace ballast {
namespace oracle {

// The documented upstream slips. Name, the switch(es) whose other value
// fixes it, the slipping value, and what the driver does. core/SWITCHES.md
// lists the same rows ("Slips the upstream profiles keep").
const SlipInfo kSlipTable[kSlipCount] = {
	{"unpopulated_not_undone", &Switches::undo_unpopulated_accounting, nullptr, false,
	 "a failed lending call leaves target_unpopulated raised by the pages it never got"},
	{"negative_lending_count", &Switches::unsigned_lending_count, &Switches::validate_inputs,
	 false,
	 "a negative lending count is accepted and lowers target_unpopulated (below zero it wraps)"},
	{"region_wraps_total", &Switches::skip_region_beyond_max_pfn, nullptr, false,
	 "an extra region starting above max_pfn wraps total_pages"},
	{"nohotplug_target_forgets_lent", &Switches::nohotplug_target_keeps_unpopulated, nullptr,
	 false,
	 "without hotplug the driver's give-up sets the target to current_pages, forgetting the "
	 "pages lent to drivers"},
	{"hotplug_wait_unbounded", &Switches::bounded_hotplug_wait, nullptr, false,
	 "the delayed-work worker waits forever, and silently, for hotplugged memory nobody onlines"},
	{"kthread_backs_off_without_work", &Switches::kthread_worker, nullptr, true,
	 "the kthread keeps the state of a failed step: a wake-up that finds the balloon at its "
	 "target still counts a retry and doubles the delay"},
	{"kthread_ignores_rewritten_target", &Switches::kthread_worker, nullptr, true,
	 "after a cancelled attempt the kthread sleeps until the credit changes: a target written "
	 "again with the same value waits for the hourly timeout"},
	{"kthread_polls_hotplug_wait", &Switches::kthread_worker, nullptr, true,
	 "waiting for hotplugged memory to be onlined, the kthread wakes up every second, for "
	 "as long as nobody onlines it"},
	{"new_target_waits_for_backoff", &Switches::new_target_preempts_backoff, nullptr, false,
	 "a new target written while a backoff is pending waits for it (up to max_schedule_delay)"},
	{"zero_schedule_delay", &Switches::validate_inputs, nullptr, false,
	 "max_schedule_delay=0 is accepted: the backoff delay becomes 0 and the worker retries "
	 "without waiting"},
	{"populate_over_reply", &Switches::clamp_increase_reply, nullptr, false,
	 "a populate_physmap reply above the request is believed: pages handed out with stale "
	 "frames, or BUG() when the balloon runs dry (what follows is not judged)"},
	{"negative_mem_available", &Switches::backoff_on_empty_decrease, nullptr, false,
	 "a negative si_mem_available() becomes a 512-page batch through the unsigned "
	 "conversion (what follows is not judged)"},
	{"insane_input", &Switches::validate_inputs, nullptr, false,
	 "a target above 2^40 pages or a max_schedule_delay of 0 or above a day is accepted and "
	 "overflows the accounting (what follows is not judged)"},
	{"initial_figures_short", &Switches::initial_figures_from_reservation, nullptr, false,
	 "current_pages starts below what Xen reports for the domain: a decrease or a lending call "
	 "can wrap it below zero (what follows is not judged)"},
};

bool slips(const Switches &sw, int slip)
{
	if (slip < 0 || slip >= kSlipCount)
		return false;
	const SlipInfo &s = kSlipTable[slip];
	return sw.*(s.member) == s.slipping_value &&
	       (!s.member2 || sw.*(s.member2) == s.slipping_value);
}

namespace {
const char *switch_name(bool Switches::*m)
{
	for (const SwitchInfo &s : kSwitchTable)
		if (s.member == m)
			return s.name;
	return "?";
}
} // namespace

std::string slip_switches(int slip)
{
	if (slip < 0 || slip >= kSlipCount)
		return "";
	const SlipInfo &s = kSlipTable[slip];
	const char *v = s.slipping_value ? "=1" : "=0";
	std::string out = std::string(switch_name(s.member)) + v;
	if (s.member2)
		out += std::string("+") + switch_name(s.member2) + v;
	return out;
}

std::string Finding::describe() const
{
	std::string s = std::string(oracle) + ": step " + std::to_string(step) + ": ";
	if (slip != kNoSlip)
		s += std::string(tolerated ? "slip " : "slip its switches should prevent: ") +
		     kSlipTable[slip].name + " (" + slip_switches(slip) + "): ";
	return s + message;
}

void Findings::add(const char *oracle, size_t step, int slip, const Switches &sw, const char *fmt,
		   ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	std::vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	// A slip met again in the same step is the same news (a worker that runs
	// many times in one `advance`); violations are always kept.
	if (slips(sw, slip))
		for (auto it = list_.rbegin(); it != list_.rend() && it->step == step; ++it)
			if (it->slip == slip && it->tolerated)
				return;
	Finding f;
	f.oracle = oracle;
	f.step = step;
	f.slip = slip;
	f.tolerated = slips(sw, slip);
	f.message = buf;
	if (!f.tolerated)
		violations_++;
	list_.push_back(std::move(f));
}

std::string Findings::report(size_t from) const
{
	std::string s;
	for (size_t i = from; i < list_.size(); i++)
		s += list_[i].describe() + "\n";
	return s;
}

} // namespace oracle
} // namespace ballast
