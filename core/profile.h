// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast: named behaviour switches and the profiles that group them.
// Every difference between ballast and an upstream version is one switch
// here, documented in core/SWITCHES.md and tested in tests/core/.
#ifndef BALLAST_PROFILE_H
#define BALLAST_PROFILE_H

#include "ballast_core.h"
#include "switches.h"

namespace ballast {

// One bool per row of BALLAST_SWITCHES, in its order: the struct, the
// profiles and the name table below are generated from that one table, so
// no list can fall out of step with another.
struct Switches {
#define BALLAST_SWITCH_MEMBER(name, v2019, v61, v612, vballast, why) bool name;
	BALLAST_SWITCHES(BALLAST_SWITCH_MEMBER)
#undef BALLAST_SWITCH_MEMBER
};

// Seconds the ballast profile waits for hotplugged pages in the lending path.
constexpr unsigned long kLendingWaitSecs = 30;
// Seconds the ballast profile's worker waits for hotplugged memory to be
// onlined before it reports HOTPLUG_NOT_ONLINED and stops waiting.
constexpr unsigned long kHotplugWaitSecs = 30;
// Largest target accepted with validate_inputs: 2^40 pages (4 PiB), far above any
// domain, far below where target * PAGE_SIZE or section rounding could overflow.
constexpr unsigned long kMaxTargetPages = 1UL << 40;
// Largest max_schedule_delay accepted with validate_inputs (one day).
constexpr unsigned long kMaxScheduleDelaySecs = 86400;

#define BALLAST_SWITCH_2019(name, v2019, v61, v612, vballast, why) v2019 != 0,
#define BALLAST_SWITCH_61(name, v2019, v61, v612, vballast, why) v61 != 0,
#define BALLAST_SWITCH_612(name, v2019, v61, v612, vballast, why) v612 != 0,
#define BALLAST_SWITCH_BALLAST(name, v2019, v61, v612, vballast, why) vballast != 0,
constexpr Switches profile_linux_2019()
{
	return Switches{BALLAST_SWITCHES(BALLAST_SWITCH_2019)};
}

constexpr Switches profile_linux_6_1()
{
	return Switches{BALLAST_SWITCHES(BALLAST_SWITCH_61)};
}

// Linux 6.12 as Debian ships it (linux-source-6.12, with the stable fixes to
// the initial figures up to "x86/xen: fix init of balloon stats again").
constexpr Switches profile_linux_6_12()
{
	return Switches{BALLAST_SWITCHES(BALLAST_SWITCH_612)};
}

// The seed's delayed-work worker (simple, cancellable on unload) with every fix.
constexpr Switches profile_ballast()
{
	return Switches{BALLAST_SWITCHES(BALLAST_SWITCH_BALLAST)};
}
#undef BALLAST_SWITCH_2019
#undef BALLAST_SWITCH_61
#undef BALLAST_SWITCH_612
#undef BALLAST_SWITCH_BALLAST

constexpr Switches profile_switches(ballast_profile p)
{
	return p == BALLAST_PROFILE_LINUX_2019 ? profile_linux_2019() :
	       p == BALLAST_PROFILE_LINUX_6_1  ? profile_linux_6_1() :
	       p == BALLAST_PROFILE_LINUX_6_12 ? profile_linux_6_12() :
						 profile_ballast();
}

// The profiles by name, in the order of enum ballast_profile (which is also
// the value of a fuzz input's selector byte, scenario/binary.h). The only
// list of profile names: every tool parses and prints them from here.
struct ProfileInfo {
	const char *name;
	ballast_profile id;
};
constexpr ProfileInfo kProfileTable[] = {
	{"ballast", BALLAST_PROFILE_BALLAST},
	{"linux-2019", BALLAST_PROFILE_LINUX_2019},
	{"linux-6.1", BALLAST_PROFILE_LINUX_6_1},
	{"linux-6.12", BALLAST_PROFILE_LINUX_6_12},
};
constexpr unsigned kProfileCount = sizeof(kProfileTable) / sizeof(kProfileTable[0]);
static_assert(kProfileTable[BALLAST_PROFILE_BALLAST].id == BALLAST_PROFILE_BALLAST &&
		      kProfileTable[BALLAST_PROFILE_LINUX_2019].id == BALLAST_PROFILE_LINUX_2019 &&
		      kProfileTable[BALLAST_PROFILE_LINUX_6_1].id == BALLAST_PROFILE_LINUX_6_1 &&
		      kProfileTable[BALLAST_PROFILE_LINUX_6_12].id == BALLAST_PROFILE_LINUX_6_12,
	      "kProfileTable is indexed by enum ballast_profile");

// The switches that decide the figures a balloon starts from (current_pages,
// target_pages and total_pages at balloon_init): the initial-target oracle
// (world/initial_target.h) explains an upstream profile's slip at boot by them.
constexpr bool Switches::*kInitialFigureSwitches[] = {
	&Switches::extra_regions_in_every_build,
	&Switches::initial_pages_from_physpages,
	&Switches::extra_regions_lower_target,
	&Switches::pv_initial_pages_from_start_info,
	&Switches::dom0_initial_pages_from_reservation,
	&Switches::extra_regions_added_when_counted_out,
	&Switches::initial_figures_from_reservation,
};

// Table of switches by name, for attribution and the CLI.
struct SwitchInfo {
	const char *name;
	bool Switches::*member;
	const char *rationale;
};

constexpr SwitchInfo kSwitchTable[] = {
#define BALLAST_SWITCH_INFO(name, v2019, v61, v612, vballast, why) {#name, &Switches::name, why},
	BALLAST_SWITCHES(BALLAST_SWITCH_INFO)
#undef BALLAST_SWITCH_INFO
};
constexpr unsigned kSwitchCount = sizeof(kSwitchTable) / sizeof(kSwitchTable[0]);

} // namespace ballast

#endif // BALLAST_PROFILE_H
