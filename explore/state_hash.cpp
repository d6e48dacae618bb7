// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "state_hash.h"

#include <algorithm>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ballast {
namespace explore {

Key StateEncoder::key() const
{
	const XXH128_hash_t h = XXH3_128bits(buf_.data(), n_);
	Key k;
	k.lo = h.low64;
	k.hi = h.high64;
	return k;
}

namespace {

void encode_hypercall_knobs(const world::HypercallKnobs &k, StateEncoder &e)
{
	e.u64(k.cap_extents);
	e.u64(k.fail_next);
	// The failure result is read only while failures are to come.
	e.u64(k.fail_next || k.fail_permille ? (uint64_t)k.fail_result : 0);
	e.u64(k.fail_permille);
	e.u64((uint64_t)k.lie_extra);
	e.u64((uint64_t)k.result_when_none);
}

} // namespace

void encode_world(const world::World &w, StateEncoder &e)
{
	const uint64_t now = w.jiffies();
	e.tag('W');
	// the schedule, relative to the clock
	e.u64(w.work_pending() ? 1 + (w.work_due() > now ? w.work_due() - now : 0) : 0);
	// The kthread's deadline also while a wake-up is pending: a wake-up that
	// finds the condition false sleeps on to the same deadline (World keeps
	// it private which; before the first run it is 0).
	e.tag(w.kthread_sleeping());
	e.u64(w.kthread_deadline() > now ? w.kthread_deadline() - now : 0);
	uint64_t due = 0;
	e.u64(w.next_due(&due) ? 1 + (due > now ? due - now : 0) : 0);
	// Frames. MFNs are named in the order the frames' p2m entries first name
	// them: neither driver nor any check reads an MFN's value, only which
	// frames share one, so states that differ by a renaming of MFNs (the
	// host hands out returned MFNs in an order World keeps private) are one.
	static thread_local std::vector<uint32_t> names;
	const unsigned long mfns = w.mfn_count();
	names.assign(mfns, 0);
	uint32_t next_name = 0;
	const unsigned long limit = w.frame_limit();
	e.u64(limit);
	e.u64(w.guest_top_pfn());
	struct Packed {
		uint8_t wstate, offline, reserved, highmem;
		uint64_t p2m;
	} __attribute__((packed));
	e.reserve(limit * sizeof(Packed));
	for (unsigned long pfn = 0; pfn < limit; pfn++) {
		const world::Frame *f = w.frame(pfn);
		Packed p = {};
		if (f) {
			p = Packed{f->wstate, f->offline, f->reserved, f->highmem, f->p2m};
			if (w.mfn_valid(f->p2m)) {
				uint32_t &n = names[f->p2m - world::MFN_BASE];
				if (!n)
					n = ++next_name;
				p.p2m = n;
			} else if (f->p2m != world::INVALID_MFN) {
				p.p2m = f->p2m | 1ULL << 63; // not an MFN Xen ever handed out
			}
		} else {
			p.wstate = 0xff;
		}
		e.put(p);
	}
	// the hypervisor: the MFNs frames name, in name order; of the others
	// how many each owner has, and the m2p of those the domain owns (sorted)
	e.tag('H');
	e.u64(w.tot_pages());
	e.u64(w.max_pages());
	e.u64(w.host_free());
	e.u64(mfns);
	static thread_local std::vector<uint64_t> by_name, unnamed;
	by_name.assign(2 * (size_t)next_name, 0);
	unnamed.clear();
	uint64_t unnamed_owner[3] = {};
	for (unsigned long i = 0; i < mfns; i++) {
		const unsigned long mfn = world::MFN_BASE + i;
		const auto owner = w.mfn_owner(mfn);
		// the m2p of an MFN the domain does not own is never read
		const uint64_t m2p = owner == world::World::MfnOwner::Domain ? w.m2p(mfn) : 0;
		if (names[i]) {
			by_name[2 * (names[i] - 1)] = (uint64_t)owner;
			by_name[2 * (names[i] - 1) + 1] = m2p;
		} else {
			unnamed_owner[(unsigned)owner % 3]++;
			if (owner == world::World::MfnOwner::Domain)
				unnamed.push_back(m2p);
		}
	}
	e.bytes(by_name.data(), by_name.size() * sizeof(uint64_t));
	e.bytes(unnamed_owner, sizeof unnamed_owner);
	std::sort(unnamed.begin(), unnamed.end());
	e.u64(unnamed.size());
	e.bytes(unnamed.data(), unnamed.size() * sizeof(uint64_t));
	encode_hypercall_knobs(w.hv_knobs.populate, e);
	encode_hypercall_knobs(w.hv_knobs.decrease, e);
	e.tag(w.hv_knobs.enforce_max_pages);
	// the guest allocator
	e.tag('A');
	const auto &lo = w.free_low_list(), &hi = w.free_high_list();
	e.u64(lo.size());
	e.bytes(lo.data(), lo.size() * sizeof(lo[0]));
	e.u64(hi.size());
	e.bytes(hi.data(), hi.size() * sizeof(hi[0]));
	const world::AllocKnobs &a = w.alloc_knobs;
	e.u64(a.fail_next);
	e.u64(a.fail_permille);
	e.tag(a.storm);
	e.tag(a.pressure);
	e.u64(a.pressure ? a.pressure_floor : 0);
	e.u64(a.gfp_mask);
	e.u64((uint64_t)w.mem_available());
	e.u64(w.totalreserve_pages());
	e.u64((uint64_t)w.managed_pages());
	// hotplug, waits, the lock
	e.tag('P');
	const world::HotplugKnobs &hp = w.hp_knobs;
	e.u64((uint64_t)(int64_t)hp.allocate_resource_result);
	e.u64((uint64_t)(int64_t)hp.add_memory_result);
	e.u64((uint64_t)hp.set_p2m_fail_after);
	e.u64((uint64_t)(int64_t)hp.alloc_p2m_result);
	e.u64(w.hotplug_ranges().size());
	for (const world::HotplugRange &r : w.hotplug_ranges()) {
		e.u64(r.start_pfn);
		e.u64(r.n_pages);
		e.u64(r.size_bytes);
		e.tag((char)r.state);
	}
	e.tag(w.wait_knobs.interrupt);
	e.tag(w.lock_held());
}

void encode_holdings(const scenario::Holdings &h, StateEncoder &e)
{
	e.tag('O');
	for (const std::vector<ballast_page *> *v : {&h.lent, &h.held, &h.guest}) {
		e.u64(v->size());
		for (const ballast_page *p : *v)
			e.u64(p ? p->pfn : ~0UL);
	}
}

void encode_subject(const diff::Subject &s, StateEncoder &e)
{
	static thread_local std::vector<unsigned long> pfns;
	e.tag('S');
	const ballast_stats st = s.stats();
	e.bytes(&st, sizeof st);
	e.tag(s.dead());
	s.balloon_pfns(pfns);
	e.u64(pfns.size());
	e.bytes(pfns.data(), pfns.size() * sizeof(pfns[0]));
}

void encode_balloon(const Balloon<world::Env> &b, bool pv, StateEncoder &e)
{
	e.tag('C');
	const ballast_stats &st = b.stats();
	e.bytes(&st, sizeof st);
	e.tag(b.dead());
	const ballast_list *head = b.ballooned_head();
	uint64_t n = 0;
	// bounded: a corrupt list (a planted fault) may have a cycle
	for (const ballast_list *p = head->next; p && p != head && n < (1u << 20);
	     p = p->next, n++) {
		e.reserve(sizeof(uint64_t));
		e.put((uint64_t) reinterpret_cast<const ballast_page *>(p)->pfn); // lru comes first
	}
	e.u64(n);
	e.tag((char)b.state());
	e.tag(b.hotplug_unpopulated());
	if (pv)
		e.bytes(b.frame_list(), kBatch * sizeof(ballast_pfn_t));
}

} // namespace explore
} // namespace ballast
