// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// ballast world: memory hotplug. allocate_resource() reserves a
// section-aligned range above guest space, add_memory_resource() adds its
// frames offline, and onlining (now, at the next scheduler run, or when the
// harness says: OnlinePolicy) hands each page to the online-page callback and
// then tells the memory notifier. HotplugKnobs make each step fail.
#ifndef BALLAST_WORLD_HOTPLUG_H
#define BALLAST_WORLD_HOTPLUG_H

#include <cstdint>
#include <vector>

#include "ballast_env.h"

namespace world {

// When hotplugged memory gets onlined.
enum class OnlinePolicy : uint8_t {
	Manual,	  // only when the harness calls World::online_pending()
	Sync,	  // inside add_memory_resource (like memhp auto-online)
	Deferred, // at the next scheduler run or wait_pages (like udev onlining)
};

struct HotplugKnobs {
	int allocate_resource_result = 0; // non-zero: allocate_resource fails with it
	int add_memory_result = 0;	  // non-zero: add_memory_resource fails with it
	long set_p2m_fail_after =
		-1; // set_phys_to_machine_invalid fails after N more successes (-1 never)
	int alloc_p2m_result = 0; // xen_alloc_p2m_entry result
};

struct HotplugRange {
	enum State : uint8_t { Allocated, AddedOffline, Online, Released };
	unsigned long start_pfn;
	unsigned long n_pages;
	unsigned long size_bytes;
	State state;
};

using OnlinePageFn = void (*)(void *ctx, ballast_page *page, unsigned order);
using MemNotifyFn = int (*)(void *ctx, unsigned long action);

// Hotplug's state (World::hotplug_).
struct HotplugState {
	std::vector<HotplugRange> ranges; // resource handle h is ranges[h - 1]
	OnlinePageFn online_fn = nullptr;
	void *online_ctx = nullptr;
	MemNotifyFn notify_fn = nullptr;
	void *notify_ctx = nullptr;
	bool deferred_online = false; // OnlinePolicy::Deferred: ranges wait for the scheduler
};

} // namespace world

#endif // BALLAST_WORLD_HOTPLUG_H
