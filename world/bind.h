// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// ballast world: register a balloon core with a World the way balloon_init()
// registers the driver with the kernel: its worker (delayed work, or the 6.1
// kthread) and, with memory hotplug, the online-page callback and the memory
// notifier. One place for tests, fuzzing and the diff engine.
#ifndef BALLAST_WORLD_BIND_H
#define BALLAST_WORLD_BIND_H

#include "world.h"

namespace world {

// Core: any type with the entry points of ballast::Balloon (process,
// thread_prepare/cond/step, online_page, memory_notify). It must outlive w's use.
template <class Core>
void bind_balloon(World &w, Core &core, bool kthread_worker, bool memory_hotplug)
{
	if (kthread_worker) {
		KthreadHooks h;
		h.ctx = &core;
		h.prepare = [](void *c, unsigned long *timeout, long *credit) {
			static_cast<Core *>(c)->thread_prepare(timeout, credit);
		};
		h.cond = [](void *c, long credit) -> int {
			return static_cast<Core *>(c)->thread_cond(credit) ? 1 : 0;
		};
		h.step = [](void *c) { static_cast<Core *>(c)->thread_step(); };
		w.start_kthread(h);
	} else {
		w.set_work([](void *c) { static_cast<Core *>(c)->process(); }, &core);
	}
	if (memory_hotplug) {
		w.set_online_page_callback(
			[](void *c, ballast_page *page, unsigned order) {
				static_cast<Core *>(c)->online_page(page, order);
			},
			&core);
		w.set_memory_notifier(
			[](void *c, unsigned long action) {
				return static_cast<Core *>(c)->memory_notify(action);
			},
			&core);
	}
}

} // namespace world

#endif // BALLAST_WORLD_BIND_H
