// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast world: the hypervisor's reservation hypercalls (hypervisor.h).
// Extents of order k > 0 follow Xen's xen/common/memory.c: a populate
// extent is one aligned block of 2^k MFNs from the host's buddy allocator
// (none left: the call stops there), a decrease extent releases its 2^k
// pages one by one and stops at the first one the domain does not own
// (the pages before it in that extent are gone, the extent is not counted),
// and an order above max_order does nothing.
#include "world.h"

#include <cerrno>

namespace world {

void World::push_host(unsigned long idx)
{
	hyp_.host_pos[idx] = static_cast<uint32_t>(hyp_.host_free.size());
	hyp_.host_free.push_back(static_cast<uint32_t>(idx));
	const unsigned long b = idx >> hyp_.order;
	if (++hyp_.host_block_free[b] == (1u << hyp_.order) && b > hyp_.host_hint)
		hyp_.host_hint = b;
}

// The last MFN of host_free takes its place (host_free stays LIFO for the rest).
void World::remove_host(unsigned long idx)
{
	const uint32_t i = hyp_.host_pos[idx], last = hyp_.host_free.back();
	hyp_.host_free[i] = last;
	hyp_.host_pos[last] = i;
	hyp_.host_free.pop_back();
	--hyp_.host_block_free[idx >> hyp_.order];
}

void World::limit_host_pool(unsigned long n)
{
	unsigned long fresh = hyp_.mfn_limit - hyp_.mfn_hw;
	unsigned long total = hyp_.host_free.size() + fresh;
	if (total > n)
		hyp_.mfn_limit -= (total - n < fresh ? total - n : fresh);
	while (hyp_.host_free.size() > n) {
		uint32_t idx = hyp_.host_free.back();
		remove_host(idx);
		hyp_.mfn_owner[idx] = static_cast<uint8_t>(MfnOwner::Other);
		log_mfn(idx);
	}
}

unsigned long World::take_host_mfn()
{
	if (!hyp_.host_free.empty()) {
		uint32_t idx = hyp_.host_free.back();
		remove_host(idx);
		return idx;
	}
	if (hyp_.mfn_hw >= hyp_.mfn_limit)
		return ~0UL;
	return hyp_.mfn_hw++;
}

// A whole block among the MFNs returned so far (highest first), else the
// next aligned one of the fresh pool, whose MFNs (and those before it)
// become host-free first.
bool World::find_host_block(unsigned long *first)
{
	const unsigned order = hyp_.order;
	const uint32_t per = 1u << order;
	for (unsigned long b = hyp_.host_hint + 1; b-- > 0;) {
		if (hyp_.host_block_free[b] == per) {
			hyp_.host_hint = b;
			*first = b << order;
			return true;
		}
	}
	hyp_.host_hint = 0;
	const unsigned long start = (hyp_.mfn_hw + per - 1) & ~static_cast<unsigned long>(per - 1);
	if (start + per > hyp_.mfn_limit)
		return false;
	for (unsigned long idx = hyp_.mfn_hw; idx < start + per; ++idx) {
		hyp_.mfn_owner[idx] = static_cast<uint8_t>(MfnOwner::Host);
		hyp_.m2p[idx] = INVALID_MFN;
		log_mfn(idx);
		push_host(idx);
	}
	hyp_.mfn_hw = start + per;
	*first = start;
	return true;
}

unsigned long World::take_host_block(unsigned order)
{
	unsigned long first;
	if (order != hyp_.order || !find_host_block(&first))
		return ~0UL;
	for (unsigned long idx = first; idx < first + (1UL << order); ++idx)
		remove_host(idx);
	return first;
}

bool World::host_fragment()
{
	unsigned long first;
	if (hyp_.order == 0 || !find_host_block(&first))
		return false;
	const unsigned long idx = first + (1UL << (hyp_.order - 1));
	remove_host(idx);
	hyp_.mfn_owner[idx] = static_cast<uint8_t>(MfnOwner::Other);
	log_mfn(idx);
	return true;
}

unsigned long World::host_free_blocks() const
{
	if (hyp_.order == 0)
		return 0;
	const uint32_t per = 1u << hyp_.order;
	unsigned long n = 0;
	for (uint32_t c : hyp_.host_block_free)
		n += c == per;
	const unsigned long start = (hyp_.mfn_hw + per - 1) & ~static_cast<unsigned long>(per - 1);
	if (hyp_.mfn_limit > start)
		n += (hyp_.mfn_limit - start) >> hyp_.order;
	return n;
}

void World::trace(unsigned cmd, unsigned long nr, unsigned long done, long result, unsigned order)
{
	const HypercallRecord r{cmd, nr, done, result, order};
	hyp_.trace[hyp_.trace_total % kTraceSize] = r;
	++hyp_.trace_total;
	hyp_.hiding_replies += r.hides_work();
	++hyp_.calls[cmd % 32];
	hyp_.pages[cmd % 32] += order < 32 ? done << order : 0;
}

unsigned long World::do_populate(xen_pfn_t *ext, unsigned long n, unsigned order)
{
	const unsigned long per = 1UL << order;
	unsigned long i = 0;
	for (; i < n; ++i) {
		if (hv_knobs.enforce_max_pages && hyp_.tot_pages + per > hyp_.max_pages)
			break;
		xen_pfn_t gpfn = ext[i];
		if (gpfn > ~0UL - per)
			break;
		if (auto_translated()) {
			unsigned long j = 0;
			for (; j < per; ++j) {
				Frame *f = frame(gpfn + j);
				if (!f)
					break;
				if (f->p2m ==
				    POD_ENTRY) { // a populated page replaces the PoD entry
					--hyp_.pod_entries;
					f->p2m = INVALID_MFN;
					log_pfn(f->pfn);
				}
				if (f->p2m != INVALID_MFN) {
					record_fault(Fault::PopulateOverPopulated, gpfn + j,
						     f->p2m);
					break;
				}
			}
			if (j < per)
				break;
		}
		unsigned long idx = order ? take_host_block(order) : take_host_mfn();
		if (idx == ~0UL)
			break;
		for (unsigned long j = 0; j < per; ++j) {
			hyp_.mfn_owner[idx + j] = static_cast<uint8_t>(MfnOwner::Domain);
			hyp_.m2p[idx + j] = gpfn + j;
			log_mfn(idx + j);
			if (auto_translated()) {
				Frame *f = frame(gpfn + j);
				f->p2m = MFN_BASE + idx + j;
				log_pfn(f->pfn);
			}
		}
		hyp_.tot_pages += per;
		if (!auto_translated())
			ext[i] =
				MFN_BASE + idx; // PV: the extent's first MFN goes back to the guest
	}
	return i;
}

unsigned long World::do_increase(xen_pfn_t *ext, unsigned long n, unsigned order)
{
	const unsigned long per = 1UL << order;
	unsigned long i = 0;
	for (; i < n; ++i) {
		if (hv_knobs.enforce_max_pages && hyp_.tot_pages + per > hyp_.max_pages)
			break;
		unsigned long idx = order ? take_host_block(order) : take_host_mfn();
		if (idx == ~0UL)
			break;
		for (unsigned long j = 0; j < per; ++j) {
			hyp_.mfn_owner[idx + j] = static_cast<uint8_t>(MfnOwner::Domain);
			hyp_.m2p[idx + j] = INVALID_MFN;
			log_mfn(idx + j);
		}
		hyp_.tot_pages += per;
		if (ext)
			ext[i] = MFN_BASE + idx;
	}
	return i;
}

// One page of a decrease extent: a gfn (auto-translated) or an MFN (PV).
bool World::release_mfn(xen_pfn_t g)
{
	unsigned long mfn = g;
	Frame *f = nullptr;
	if (auto_translated()) {
		f = frame(g);
		if (!f || f->p2m == INVALID_MFN) {
			record_fault(Fault::DecreaseNotOwned, g, INVALID_MFN);
			return false;
		}
		if (f->p2m == POD_ENTRY) { // the entry goes; tot_pages does not change
			--hyp_.pod_entries;
			f->p2m = INVALID_MFN;
			log_pfn(f->pfn);
			return true;
		}
		mfn = f->p2m;
	}
	if (!mfn_valid(mfn) || mfn_owner(mfn) != MfnOwner::Domain) {
		record_fault(Fault::DecreaseNotOwned, g, mfn);
		return false;
	}
	unsigned long idx = mfn - MFN_BASE;
	mmu_given_away(f ? f->pfn : hyp_.m2p[idx]);
	hyp_.m2p[idx] = INVALID_MFN;
	log_mfn(idx);
	if (hyp_.pod_entries > hyp_.pod_cache.size()) {
		// Xen's p2m_pod_decrease_reservation: while entries outnumber
		// the cache, a released page refills the cache (still the
		// domain's, tot_pages unchanged) instead of going to the host.
		hyp_.pod_cache.push_back(static_cast<uint32_t>(idx));
	} else {
		hyp_.mfn_owner[idx] = static_cast<uint8_t>(MfnOwner::Host);
		push_host(idx);
		--hyp_.tot_pages;
	}
	if (f) {
		f->p2m = INVALID_MFN;
		log_pfn(f->pfn);
	}
	return true;
}

unsigned long World::do_decrease(xen_pfn_t *ext, unsigned long n, unsigned order)
{
	const unsigned long per = 1UL << order;
	unsigned long i = 0;
	for (; i < n; ++i) {
		if (ext[i] > ~0UL - per)
			break;
		for (unsigned long j = 0; j < per; ++j)
			if (!release_mfn(ext[i] + j))
				return i;
	}
	return i;
}

long World::memory_op(unsigned cmd, void *arg)
{
	switch (cmd) {
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation: {
		long r;
		const domid_t *d = static_cast<const domid_t *>(arg);
		if (!d)
			r = -EFAULT;
		else if (*d != DOMID_SELF && *d != cfg_.domid)
			r = -ESRCH;
		else
			r = static_cast<long>(cmd == XENMEM_current_reservation ? hyp_.tot_pages :
										  hyp_.max_pages);
		++hyp_.queries;
		trace(cmd, 0, 0, r);
		return r;
	}
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		break;
	default:
		trace(cmd, 0, 0, -ENOSYS);
		return -ENOSYS;
	}
	auto *r = static_cast<xen_memory_reservation *>(arg);
	if (!r) {
		trace(cmd, 0, 0, -EFAULT);
		return -EFAULT;
	}
	unsigned long nr = r->nr_extents;
	const unsigned order = r->extent_order;
	long bad = 0;
	xen_pfn_t *ext = nullptr;
	ext = r->extent_start.p; // the guest handle (x86: a struct holding the pointer)
	if (r->domid != DOMID_SELF && r->domid != cfg_.domid)
		bad = -ESRCH;
	else if (!ext && cmd != XENMEM_increase_reservation && nr != 0)
		bad = -EFAULT;
	else if (nr > 0x7fffffffUL)
		bad = -EFAULT; // Xen would fault walking the guest array
	if (bad) {
		trace(cmd, nr, 0, bad, order);
		return bad;
	}
	HypercallKnobs &k = cmd == XENMEM_decrease_reservation ? hv_knobs.decrease :
								 hv_knobs.populate;
	if (k.fail_next || chance_permille(k.fail_permille)) {
		if (k.fail_next)
			--k.fail_next;
		trace(cmd, nr, 0, k.fail_result, order);
		return k.fail_result;
	}
	unsigned long todo = nr;
	if (k.cap_extents && todo > k.cap_extents)
		todo = k.cap_extents;
	// Above max_order Xen returns before the first extent.
	unsigned long done = 0;
	if (order <= hv_knobs.max_order && order < 32)
		done = cmd == XENMEM_populate_physmap	  ? do_populate(ext, todo, order) :
		       cmd == XENMEM_increase_reservation ? do_increase(ext, todo, order) :
							    do_decrease(ext, todo, order);
	long result = static_cast<long>(done);
	if (done == 0 && nr != 0)
		result = k.result_when_none;
	if (k.lie_extra && result >= 0)
		result += k.lie_extra;
	trace(cmd, nr, done, result, order);
	return result;
}

} // namespace world
