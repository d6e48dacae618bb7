// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast world: memory hotplug (hotplug.h).
#include "world.h"

#include <cerrno>

namespace world {

HotplugRange *World::range_of(const ballast_resource *res)
{
	if (!res)
		return nullptr;
	uintptr_t h = reinterpret_cast<uintptr_t>(res->handle);
	if (h == 0 || h > hotplug_.ranges.size())
		return nullptr;
	HotplugRange &r = hotplug_.ranges[h - 1];
	if (r.state == HotplugRange::Released)
		return nullptr;
	return &r;
}

int World::allocate_resource(unsigned long long size, unsigned long long align,
			     ballast_resource *res)
{
	if (hp_knobs.allocate_resource_result)
		return hp_knobs.allocate_resource_result;
	if (!res || size == 0)
		return -EINVAL;
	unsigned long npages =
		static_cast<unsigned long>((size + (1ULL << PAGE_SHIFT) - 1) >> PAGE_SHIFT);
	unsigned long a = static_cast<unsigned long>(align >> PAGE_SHIFT);
	if (a < cfg_.pages_per_section)
		a = cfg_.pages_per_section;
	unsigned long base = frames_.top_pfn;
	for (const HotplugRange &r : hotplug_.ranges)
		if (r.state != HotplugRange::Released && r.start_pfn + r.n_pages > base)
			base = r.start_pfn + r.n_pages;
	unsigned long start = (base + a - 1) / a * a;
	if (start < base || start + npages < start || start + npages > cfg_.iomem_limit_pfn)
		return -EBUSY;
	hotplug_.ranges.push_back(HotplugRange{start, npages, static_cast<unsigned long>(size),
					       HotplugRange::Allocated});
	res->start = static_cast<unsigned long long>(start) << PAGE_SHIFT;
	res->size = size;
	res->handle = reinterpret_cast<void *>(static_cast<uintptr_t>(hotplug_.ranges.size()));
	return 0;
}

void World::release_resource(ballast_resource *res)
{
	HotplugRange *r = range_of(res);
	if (!r) {
		record_fault(Fault::BadResource,
			     res ? static_cast<unsigned long>(res->start >> PAGE_SHIFT) : 0, 0);
		return;
	}
	if (r->state != HotplugRange::Allocated)
		record_fault(Fault::ReleaseAddedResource, r->start_pfn, r->n_pages);
	r->state = HotplugRange::Released;
	res->handle = nullptr;
}

int World::set_phys_to_machine_invalid(unsigned long pfn)
{
	if (hp_knobs.set_p2m_fail_after == 0)
		return 0;
	if (hp_knobs.set_p2m_fail_after > 0)
		--hp_knobs.set_p2m_fail_after;
	if (!auto_translated())
		set_p2m(pfn, INVALID_MFN);
	return 1;
}

int World::add_memory_resource(int nid, ballast_resource *res)
{
	(void)nid;
	HotplugRange *r = range_of(res);
	if (!r || r->state != HotplugRange::Allocated) {
		record_fault(Fault::BadResource,
			     res ? static_cast<unsigned long>(res->start >> PAGE_SHIFT) : 0, 1);
		return -EINVAL;
	}
	if (hp_knobs.add_memory_result)
		return hp_knobs.add_memory_result;
	unsigned long start = r->start_pfn, end = r->start_pfn + r->n_pages;
	size_t idx = static_cast<size_t>(r - hotplug_.ranges.data());
	ensure_frames(start, end); // may not touch hotplug_.ranges
	for (unsigned long pfn = start; pfn < end; ++pfn) {
		Frame *f = frame(pfn);
		f->wstate = BALLAST_WFS_HOTPLUG_OFFLINE;
		f->offline = 1;
		f->reserved = 1;
		f->p2m = INVALID_MFN;
		log_pfn(pfn);
	}
	if (end > frames_.top_pfn)
		frames_.top_pfn = end;
	hotplug_.ranges[idx].state = HotplugRange::AddedOffline;
	switch (cfg_.online_policy) {
	case OnlinePolicy::Sync:
		online_range(hotplug_.ranges[idx]);
		break;
	case OnlinePolicy::Deferred:
		hotplug_.deferred_online = true;
		break;
	case OnlinePolicy::Manual:
		break;
	}
	return 0;
}

void World::online_range(HotplugRange &r)
{
	r.state = HotplugRange::Online;
	unsigned long start = r.start_pfn, end = r.start_pfn + r.n_pages;
	for (unsigned long pfn = start; pfn < end; ++pfn) {
		Frame *f = frame(pfn);
		if (hotplug_.online_fn) {
			f->wstate = BALLAST_WFS_CORE;
			log_pfn(pfn);
			hotplug_.online_fn(hotplug_.online_ctx, f, 0);
		} else {
			// generic_online_page: straight to the allocator, populated or not.
			f->offline = 0;
			f->reserved = 0;
			push_free(f);
			adjust_managed(1);
		}
	}
	if (hotplug_.notify_fn)
		hotplug_.notify_fn(hotplug_.notify_ctx, BALLAST_MEM_ONLINE);
}

unsigned long World::offline_pages() const
{
	unsigned long n = 0;
	for (const HotplugRange &r : hotplug_.ranges)
		if (r.state == HotplugRange::AddedOffline)
			n += r.n_pages;
	return n;
}

bool World::has_offline_ranges() const
{
	for (const HotplugRange &r : hotplug_.ranges)
		if (r.state == HotplugRange::AddedOffline)
			return true;
	return false;
}

unsigned long World::online_pending()
{
	hotplug_.deferred_online = false;
	unsigned long n = 0;
	// Index loop: callbacks may add memory (ranges may grow).
	for (size_t i = 0; i < hotplug_.ranges.size(); ++i) {
		if (hotplug_.ranges[i].state != HotplugRange::AddedOffline)
			continue;
		n += hotplug_.ranges[i].n_pages;
		HotplugRange copy = hotplug_.ranges[i];
		hotplug_.ranges[i].state = HotplugRange::Online;
		copy.state = HotplugRange::Online;
		online_range(copy);
	}
	return n;
}

} // namespace world
