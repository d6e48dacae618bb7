// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast diff: the one interface both implementations under differential
// test satisfy -- the core (diff/core_subject.h) and the upstream C driver
// compiled against the kernel-API shim (diff/upstream_subject.h).
//
// A Subject is bound to one world::World by init(). Everything the subject
// does to the world (page allocation, hypercalls, hotplug, scheduling its
// worker, events) goes through that World, so two subjects in two identical
// Worlds meet identical responses and leave comparable traces.
//
// Worker: in init() the subject registers its worker (delayed work or
// kthread) and its hotplug callbacks (online_page, memory notifier) with the
// World. The engine never calls a worker directly; it advances the World's
// virtual clock, and the World runs whatever is due.
//
// Lifetime: init() may be called again on a freshly reset World to start a
// new scenario; it must forget all state of the previous run. A Subject is
// not thread-safe; one engine drives one pair.
#ifndef BALLAST_DIFF_SUBJECT_H
#define BALLAST_DIFF_SUBJECT_H

#include <vector>

#include "ballast_core.h"

namespace world {
class World; // world/world.h
}

namespace ballast {
namespace diff {

class Subject {
public:
	virtual ~Subject() = default;

	// Short stable name for reports: "core:ballast", "upstream:seed", ...
	virtual const char *name() const = 0;

	// balloon_init(): bind to `w` (which the engine has configured from the
	// scenario header), register worker and hotplug callbacks with it, and
	// initialise from boot facts and build-time config. 0 or -errno
	// (-ENODEV when boot.xen_domain == 0).
	virtual int init(world::World &w, const ballast_boot_info &boot,
			 const ballast_config &cfg) = 0;

	// balloon_set_new_target(); 0 or -errno.
	virtual int set_target(unsigned long pages) = 0;

	// alloc_xenballooned_pages() / free_xenballooned_pages() (6.1:
	// xen_alloc/free_ballooned_pages). Pages are the World's frames.
	virtual int alloc_pages(int nr_pages, ballast_page **pages) = 0;
	virtual void free_pages(int nr_pages, ballast_page **pages) = 0;

	// xen.balloon.hotplug_unpopulated sysctl.
	virtual void set_hotplug_unpopulated(bool on) = 0;

	// The late initcall balloon_wait_finish() (6.1, 6.12; the seed has none:
	// 0). 0, -1000 after a panic, -ETIMEDOUT, -EDEADLK (scenario/runtime.h).
	virtual int boot_wait() = 0;

	// sysfs stores of the tunables; 0 or -errno.
	virtual int set_max_schedule_delay(unsigned long secs) = 0;
	virtual int set_max_retry_count(unsigned long count) = 0;

	// struct balloon_stats, field for field.
	virtual ballast_stats stats() const = 0;

	// The ballooned list, head to tail, as pfns. `out` is cleared first;
	// implementations should reuse its capacity (no allocation per step).
	virtual void balloon_pfns(std::vector<unsigned long> &out) const = 0;

	// The driver crashed (BUG) and plays dead: its worker is gone and
	// its mutex is held.
	virtual bool dead() const = 0;
};

} // namespace diff
} // namespace ballast

#endif // BALLAST_DIFF_SUBJECT_H
