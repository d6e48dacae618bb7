// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "runtime.h"

namespace ballast {
namespace scenario {

void world_config(const Scenario &s, world::Config *c)
{
	const Header &h = s.header;
	*c = world::Config();
	c->total_frames = h.frames;
	c->populated_frames = h.populated;
	c->kernel_frames = h.kernel;
	c->highmem_start_pfn = h.highmem == Header::kNone ? ~0UL : h.highmem;
	c->max_pages = h.max_pages;
	c->host_pool = h.host_pool;
	c->pv = h.pv != 0;
	c->pvh = h.pvh != 0;
	c->initial_domain = h.dom0 != 0;
	c->firmware_pages = h.firmware;
	c->pod_cache = h.pod;
	c->unpopulated_alloc = h.unpopulated_alloc != 0;
	c->xen_domain = h.xen_domain != 0;
	c->max_pfn = h.max_pfn;
	c->released_pages = h.released;
	c->auto_extra_region = h.auto_region != 0;
	// Extra regions describe memory Xen did not populate: a region inside
	// populated RAM or overlapping an earlier one cannot exist, and would hand
	// the driver pages twice. Shift each to start at or after both. They also
	// lie inside the guest's pseudo-physical space [0, frames): hotplugged
	// memory is placed above it and must not overlap them.
	c->n_regions = (unsigned)h.n_regions;
	uint64_t floor = h.populated < h.frames ? h.populated : h.frames;
	for (unsigned i = 0; i < h.n_regions && i < Header::kMaxRegions && i < c->regions.size();
	     i++) {
		uint64_t start = h.region_start[i] < floor ? floor : h.region_start[i];
		if (start > h.frames)
			start = h.frames;
		uint64_t n = h.region_pages[i] > h.frames - start ? h.frames - start :
								    h.region_pages[i];
		c->regions[i].start_pfn = start;
		c->regions[i].n_pfns = n;
		if (start + n > floor)
			floor = start + n;
	}
	// Both are powers of two in every kernel (PAGES_PER_SECTION = 1 <<
	// PFN_SECTION_SHIFT, the limit = 1 << (MAX_PHYSMEM_BITS - PAGE_SHIFT)), and
	// the upstream driver's round_up() and the shim's MAX_PHYSMEM_BITS can only
	// express those: round down to one (at least 1).
	auto pow2_floor = [](uint64_t v) -> uint64_t {
		return v <= 1 ? 1 : 1ULL << (63 - __builtin_clzll(v));
	};
	c->pages_per_section = pow2_floor(h.pps);
	c->addressable_pfn_limit = pow2_floor(h.addr_limit);
	c->iomem_limit_pfn = h.iomem_limit;
	c->online_policy = h.online == 1 ? world::OnlinePolicy::Sync :
			   h.online == 2 ? world::OnlinePolicy::Deferred :
					   world::OnlinePolicy::Manual;
	c->mem_available_reserve = (long)h.mem_reserve;
	c->totalreserve_pages = h.totalreserve;
	c->seed = h.seed;
	c->superpage_order = (unsigned)h.sp_order;
	// A worker that runs this often without time passing is spinning (the
	// 6.1 kthread with DONE state and credit left). Legitimate progress takes
	// at most one run per 512-page batch in each direction, and no batch
	// moves more pages than the guest's frames plus what the host can
	// populate: twice that many runs, and some slack, is never a spin.
	c->max_runs_same_jiffy = 64 + 2 * ((h.frames + h.host_pool) / 512);
	c->max_runs_per_call = 1000000;
	// A lending call waits at most once per page it gets: more waits in one
	// operation without time passing is the highmem-only livelock
	// (core/SWITCHES.md, lending_waits_for_lowmem); the world reports it as
	// BALLAST_WAIT_NEVER, so every driver stops with HANG_WAIT instead of
	// hanging. The bound follows the largest lending call of the scenario.
	int64_t max_lend = 0;
	for (const Op &o : s.ops)
		if (o.kind == OpKind::Lend && o.arg[0] > max_lend)
			max_lend = o.arg[0];
	c->max_waits_same_jiffy = 4 * (unsigned long)max_lend + 64;
}

Holdings::Holdings()
{
	lent.reserve(1 << 12);
	held.reserve(1 << 8);
	guest.reserve(1 << 12);
	buf.resize(4096);
}

void Holdings::clear()
{
	lent.clear();
	held.clear();
	guest.clear();
}

bool advance(world::World &w, uint64_t secs, uint64_t runs, bool *cut)
{
	*cut = false;
	if (runs == 0)
		return w.advance((unsigned long)secs) == world::RunResult::Hang;
	const uint64_t target = w.jiffies() + secs * world::HZ;
	uint64_t n = 0, when;
	while (w.next_due(&when) && when <= target) {
		if (w.run_until(when) == world::RunResult::Hang)
			return true;
		if (++n >= runs) {
			*cut = true; // the rest of the interval is not simulated
			return false;
		}
	}
	return w.run_until(target) == world::RunResult::Hang;
}

} // namespace scenario
} // namespace ballast
