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
	bool pvh = false;			// auto-translated: PVH (extra regions), else HVM
	bool initial_domain = false;		// dom0 (xen_initial_domain()): PV or PVH
	bool xen_domain = true;
	// PV: pfns [0, firmware_pages) are populated but not RAM in the guest's
	// memory map (pfn 0 and the ISA hole: 97 in a real guest).
	unsigned long firmware_pages = 0;
	// HVM: the populate-on-demand cache. With it, pfns [populated_frames,
	// min(total_frames, max_pfn)) are PoD entries: guest RAM Xen backs from
	// the cache when first touched; tot_pages counts the cache.
	unsigned long pod_cache = 0;
	// CONFIG_XEN_UNPOPULATED_ALLOC (Linux >= 6.10): the extra regions go to
	// unpopulated-alloc at boot (xen_unpopulated_pages), not to the balloon.
	bool unpopulated_alloc = false;
	unsigned long max_pfn = 0;	  // 0: total_frames
	unsigned long released_pages = 0; // xen_released_pages (boot info only)
	// Extra regions (boot info; PV, and PVH's unusable ranges turned RAM). If
	// n_regions == 0 and auto_extra_region, [populated_frames, total_frames)
	// is one region.
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
