// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// ballast world: what a world boots with (World(cfg), World::reset(cfg)).
#ifndef BALLAST_WORLD_CONFIG_H
#define BALLAST_WORLD_CONFIG_H

#include <array>
#include <cstdint>

#include "ballast_env.h"
#include "frames.h"
#include "hotplug.h"

namespace world {

struct Config {
	unsigned long total_frames = 4096;     // guest space at boot: pfns [0, total_frames)
	unsigned long populated_frames = 4096; // pfns [0, populated_frames) populated at boot
	unsigned long kernel_frames =
		0; // of those, [0, kernel_frames) held by the kernel (not free)
	unsigned long highmem_start_pfn = ~0UL; // frames at or above are highmem (x86-64: none)
	unsigned long max_pages = 0;		// domain max_pages; 0: total_frames
	unsigned long host_pool = 4096;		// free MFNs in the host at boot
	bool pv = false;			// false: auto-translated (HVM/PVH)
	bool xen_domain = true;
	unsigned long max_pfn = 0;	  // 0: total_frames
	unsigned long released_pages = 0; // xen_released_pages (boot info only)
	// PV extra regions (boot info). If n_regions == 0 and auto_extra_region,
	// a PV world reports [populated_frames, total_frames) as one region.
	bool auto_extra_region = true;
	unsigned n_regions = 0;
	std::array<ballast_region, 8> regions{};
	// hotplug
	unsigned long pages_per_section = 32768;
	unsigned long addressable_pfn_limit = 1UL << (46 - PAGE_SHIFT); // MAX_PHYSMEM_BITS 46
	unsigned long iomem_limit_pfn = 1UL << 28; // allocate_resource fails above
	OnlinePolicy online_policy = OnlinePolicy::Manual;
	// guest memory accounting
	long mem_available_reserve = 0; // mem_available = free frames - this
	unsigned long totalreserve_pages = 0;
	// Aligned blocks of 2^superpage_order frames: what alloc_block() hands
	// out and what a populate extent of that order takes from the host
	// (x86-64: 9, 2 MiB; 0: none). Extents of any other order > 0 find no
	// free block in the host.
	unsigned superpage_order = 9;
	uint16_t domid = 1;
	uint64_t seed = 1;
	// scheduler: callbacks run at one jiffy before a hang is reported
	unsigned long max_runs_same_jiffy = 10000;
	unsigned long max_runs_per_call = 1000000;
	// wait_pages: more than this many waits at one jiffy (since the last
	// reset_wait_guard()) is a livelock -- the caller retries without time
	// passing, e.g. waiting for a non-empty list that holds only pages it
	// cannot take: counted in hangs() and answered BALLAST_WAIT_NEVER. 0: off.
	unsigned long max_waits_same_jiffy = 0;
};

} // namespace world

#endif // BALLAST_WORLD_CONFIG_H
