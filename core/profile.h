// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast: named behaviour switches and the profiles that group them.
// Every difference between ballast and an upstream version is one switch
// here, documented in core/SWITCHES.md and tested in tests/core/.
#ifndef BALLAST_PROFILE_H
#define BALLAST_PROFILE_H

#include "ballast_core.h"

namespace ballast {

struct Switches {
	// ---- version differences: linux-2019 -> linux-6.1 -------------------
	bool kthread_worker;	// worker is 6.1's kthread (one step per wake-up, persistent state)
	bool offline_in_append; // PageOffline set/cleared inside balloon_append/retrieve (6.1)
	bool interruptible_lending_wait; // lending wait is wait_event_interruptible, -ENOMEM on signal (6.1)
	bool hotplug_addr_limit_check; // MAX_PHYSMEM_BITS check of the hotplug resource (2019 only)
	bool unsigned_lending_count; // 6.1's lending API takes an unsigned count: no negative calls
	// ---- accounting fixes (6.1 has them, the seed does not) --------------
	bool undo_unpopulated_accounting; // alloc undo path subtracts nr_pages - pgno as well
	bool nohotplug_target_keeps_unpopulated; // !hotplug: target = current + target_unpopulated
	// ---- ballast hardening (neither upstream version has these) ----------
	bool clamp_increase_reply; // populate_physmap reply > request: clamp, no BUG/stale frames
	bool rollback_partial_decrease; // decrease reply != request: give unreturned pages back, no BUG
	bool backoff_on_empty_decrease; // nothing could be freed (mem_available <= 0): back off, no spin
	bool skip_region_beyond_max_pfn; // extra region above max_pfn: skip, no total_pages underflow
	bool new_target_preempts_backoff; // new target re-arms pending work to now (mod_delayed_work)
	bool bounded_lending_wait;	  // lending wait has a timeout; then fall back to decrease
	bool lending_waits_for_lowmem;	  // the lending wait ends when a lowmem page is at the head
	bool validate_inputs; // insane target / tunables / negative lending counts: -EINVAL
};

// Seconds the ballast profile waits for hotplugged pages in the lending path.
constexpr unsigned long kLendingWaitSecs = 30;
// Largest target accepted with validate_inputs: 2^40 pages (4 PiB), far above any
// domain, far below where target * PAGE_SIZE or section rounding could overflow.
constexpr unsigned long kMaxTargetPages = 1UL << 40;
// Largest max_schedule_delay accepted with validate_inputs (one day).
constexpr unsigned long kMaxScheduleDelaySecs = 86400;

constexpr Switches profile_linux_2019()
{
	return Switches{false, false, false, true,  false, false, false, false,
			false, false, false, false, false, false, false};
}

constexpr Switches profile_linux_6_1()
{
	return Switches{true,  true,  true,  false, true,  true,  true, false,
			false, false, false, false, false, false, false};
}

constexpr Switches profile_ballast()
{
	// The seed's delayed-work worker (simple, cancellable on unload) with every fix.
	return Switches{false, false, true, true, true, true, true, true,
			true,  true,  true, true, true, true, true};
}

constexpr Switches profile_switches(ballast_profile p)
{
	return p == BALLAST_PROFILE_LINUX_2019 ? profile_linux_2019() :
	       p == BALLAST_PROFILE_LINUX_6_1  ? profile_linux_6_1() :
						 profile_ballast();
}

// Table of switches by name, for attribution and the CLI.
struct SwitchInfo {
	const char *name;
	bool Switches::*member;
	const char *rationale;
};

constexpr SwitchInfo kSwitchTable[] = {
	{"kthread_worker", &Switches::kthread_worker,
	 "6.1 replaced the delayed work with a kthread that takes one step per wake-up"},
	{"offline_in_append", &Switches::offline_in_append,
	 "6.1 moved PageOffline handling into balloon_append/balloon_retrieve"},
	{"interruptible_lending_wait", &Switches::interruptible_lending_wait,
	 "a lending caller waiting for hotplugged pages can be killed instead of hanging"},
	{"hotplug_addr_limit_check", &Switches::hotplug_addr_limit_check,
	 "the seed refuses hotplug resources above MAX_PHYSMEM_BITS; 6.1 dropped the check"},
	{"unsigned_lending_count", &Switches::unsigned_lending_count,
	 "6.1 takes the lending count as unsigned int: a negative count cannot be passed (refused)"},
	{"undo_unpopulated_accounting", &Switches::undo_unpopulated_accounting,
	 "a failed lending call must not leave target_unpopulated raised by the pages it never got"},
	{"nohotplug_target_keeps_unpopulated", &Switches::nohotplug_target_keeps_unpopulated,
	 "without hotplug, resetting the target must keep pages lent to drivers"},
	{"clamp_increase_reply", &Switches::clamp_increase_reply,
	 "a hypervisor claiming more extents than requested must not crash the guest or use stale frames"},
	{"rollback_partial_decrease", &Switches::rollback_partial_decrease,
	 "a partial decrease_reservation leaves pages populated: give them back, do not BUG"},
	{"backoff_on_empty_decrease", &Switches::backoff_on_empty_decrease,
	 "when nothing can be freed the credit loop must back off instead of spinning"},
	{"skip_region_beyond_max_pfn", &Switches::skip_region_beyond_max_pfn,
	 "an extra region above max_pfn must not underflow total_pages"},
	{"new_target_preempts_backoff", &Switches::new_target_preempts_backoff,
	 "a new target must act now, not after a pending backoff of up to 32 s"},
	{"bounded_lending_wait", &Switches::bounded_lending_wait,
	 "a lending caller must not wait forever for hotplugged memory nobody onlines"},
	{"lending_waits_for_lowmem", &Switches::lending_waits_for_lowmem,
	 "a balloon holding only highmem pages must not make a lending caller retry forever"},
	{"validate_inputs", &Switches::validate_inputs,
	 "insane targets, tunables and counts are refused instead of overflowing the accounting"},
};
constexpr unsigned kSwitchCount = sizeof(kSwitchTable) / sizeof(kSwitchTable[0]);

} // namespace ballast

#endif // BALLAST_PROFILE_H
