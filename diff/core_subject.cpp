// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "core_subject.h"

#include "bind.h"
#include "runtime.h"

#include <utility>

namespace ballast {
namespace diff {

CoreSubject::CoreSubject(const Switches &sw, std::string name)
	: sw_(sw)
	, name_(std::move(name))
{
}

int CoreSubject::init(world::World &w, const ballast_boot_info &boot, const ballast_config &cfg)
{
	env_ = world::Env(w);
	int rc = core_.init(&env_, boot, cfg, sw_);
	if (rc)
		return rc; // balloon_init() returns before registering anything
	// Upstream balloon_init(): the worker, then (CONFIG_XEN_BALLOON_MEMORY_HOTPLUG)
	// the online-page callback and the memory notifier.
	world::bind_balloon(w, core_, sw_.kthread_worker, cfg.memory_hotplug != 0);
	return 0;
}

int CoreSubject::boot_wait()
{
	return (int)scenario::boot_wait(env_.world(), core_);
}

void CoreSubject::balloon_pfns(std::vector<unsigned long> &out) const
{
	out.clear();
	// Bounded walk: a corrupted (cyclic) list ends with the marker ~0UL
	// instead of exhausting memory.
	const ballast_list *head = core_.ballooned_head();
	size_t limit = env_.world().frame_limit() + 1;
	for (const ballast_list *n = head->next; n && n != head; n = n->next) {
		if (out.size() >= limit) {
			out.push_back(~0UL);
			break;
		}
		out.push_back(reinterpret_cast<const ballast_page *>(n)->pfn);
	}
}

// ----------------------------------------------------------------- planted
PlantedSubject::PlantedSubject(const Switches &sw, std::string name, PlantedFault fault)
	: CoreSubject(sw, std::move(name))
	, fault_(fault)
{
}

int PlantedSubject::init(world::World &w, const ballast_boot_info &boot, const ballast_config &cfg)
{
	tripped_ = false;
	return CoreSubject::init(w, boot, cfg);
}

int PlantedSubject::set_target(unsigned long pages)
{
	if (fault_ == PlantedFault::TargetOffByOne && !tripped_ &&
	    pages > CoreSubject::stats().current_pages) {
		tripped_ = true;
		return CoreSubject::set_target(pages - 1);
	}
	return CoreSubject::set_target(pages);
}

ballast_stats PlantedSubject::stats() const
{
	ballast_stats s = CoreSubject::stats();
	if (fault_ == PlantedFault::StatsDropOnePage) {
		if (s.balloon_low)
			tripped_ = true;
		if (tripped_ && s.balloon_low)
			s.balloon_low--;
	}
	return s;
}

} // namespace diff
} // namespace ballast
