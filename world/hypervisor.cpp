// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast world: the hypervisor's reservation hypercalls (hypervisor.h).
#include "world.h"

#include <cerrno>

namespace world {

void World::limit_host_pool(unsigned long n)
{
	unsigned long fresh = hyp_.mfn_limit - hyp_.mfn_hw;
	unsigned long total = hyp_.host_free.size() + fresh;
	if (total > n)
		hyp_.mfn_limit -= (total - n < fresh ? total - n : fresh);
	while (hyp_.host_free.size() > n) {
		uint32_t idx = hyp_.host_free.back();
		hyp_.host_free.pop_back();
		hyp_.mfn_owner[idx] = static_cast<uint8_t>(MfnOwner::Other);
		log_mfn(idx);
	}
}

unsigned long World::take_host_mfn()
{
	if (!hyp_.host_free.empty()) {
		uint32_t idx = hyp_.host_free.back();
		hyp_.host_free.pop_back();
		return idx;
	}
	if (hyp_.mfn_hw >= hyp_.mfn_limit)
		return ~0UL;
	return hyp_.mfn_hw++;
}

void World::trace(unsigned cmd, unsigned long nr, unsigned long done, long result)
{
	const HypercallRecord r{cmd, nr, done, result};
	hyp_.trace[hyp_.trace_total % kTraceSize] = r;
	++hyp_.trace_total;
	hyp_.hiding_replies += r.hides_work();
}

unsigned long World::do_populate(xen_pfn_t *ext, unsigned long n)
{
	unsigned long i = 0;
	for (; i < n; ++i) {
		if (hv_knobs.enforce_max_pages && hyp_.tot_pages + 1 > hyp_.max_pages)
			break;
		xen_pfn_t gpfn = ext[i];
		Frame *f = nullptr;
		if (auto_translated()) {
			f = frame(gpfn);
			if (!f)
				break;
			if (f->p2m == POD_ENTRY) { // a populated page replaces the PoD entry
				--hyp_.pod_entries;
				f->p2m = INVALID_MFN;
				log_pfn(f->pfn);
			}
			if (f->p2m != INVALID_MFN) {
				record_fault(Fault::PopulateOverPopulated, gpfn, f->p2m);
				break;
			}
		}
		unsigned long idx = take_host_mfn();
		if (idx == ~0UL)
			break;
		hyp_.mfn_owner[idx] = static_cast<uint8_t>(MfnOwner::Domain);
		hyp_.m2p[idx] = gpfn;
		log_mfn(idx);
		++hyp_.tot_pages;
		if (f) {
			f->p2m = MFN_BASE + idx;
			log_pfn(f->pfn);
		} else
			ext[i] = MFN_BASE + idx; // PV: the new MFN goes back to the guest
	}
	return i;
}

unsigned long World::do_increase(xen_pfn_t *ext, unsigned long n)
{
	unsigned long i = 0;
	for (; i < n; ++i) {
		if (hv_knobs.enforce_max_pages && hyp_.tot_pages + 1 > hyp_.max_pages)
			break;
		unsigned long idx = take_host_mfn();
		if (idx == ~0UL)
			break;
		hyp_.mfn_owner[idx] = static_cast<uint8_t>(MfnOwner::Domain);
		hyp_.m2p[idx] = INVALID_MFN;
		log_mfn(idx);
		++hyp_.tot_pages;
		if (ext)
			ext[i] = MFN_BASE + idx;
	}
	return i;
}

unsigned long World::do_decrease(xen_pfn_t *ext, unsigned long n)
{
	unsigned long i = 0;
	for (; i < n; ++i) {
		xen_pfn_t g = ext[i];
		unsigned long mfn = g;
		Frame *f = nullptr;
		if (auto_translated()) {
			f = frame(g);
			if (!f || f->p2m == INVALID_MFN) {
				record_fault(Fault::DecreaseNotOwned, g, INVALID_MFN);
				break;
			}
			if (f->p2m == POD_ENTRY) { // the entry goes; tot_pages does not change
				--hyp_.pod_entries;
				f->p2m = INVALID_MFN;
				log_pfn(f->pfn);
				continue;
			}
			mfn = f->p2m;
		}
		if (!mfn_valid(mfn) || mfn_owner(mfn) != MfnOwner::Domain) {
			record_fault(Fault::DecreaseNotOwned, g, mfn);
			break;
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
			hyp_.host_free.push_back(static_cast<uint32_t>(idx));
			--hyp_.tot_pages;
		}
		if (f) {
			f->p2m = INVALID_MFN;
			log_pfn(f->pfn);
		}
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
	long bad = 0;
	xen_pfn_t *ext = nullptr;
	ext = r->extent_start.p; // the guest handle (x86: a struct holding the pointer)
	if (r->domid != DOMID_SELF && r->domid != cfg_.domid)
		bad = -ESRCH;
	else if (r->extent_order != 0)
		bad = -EINVAL; // this world models 4 KiB extents only
	else if (!ext && cmd != XENMEM_increase_reservation && nr != 0)
		bad = -EFAULT;
	else if (nr > 0x7fffffffUL)
		bad = -EFAULT; // Xen would fault walking the guest array
	if (bad) {
		trace(cmd, nr, 0, bad);
		return bad;
	}
	HypercallKnobs &k = cmd == XENMEM_decrease_reservation ? hv_knobs.decrease :
								 hv_knobs.populate;
	if (k.fail_next || chance_permille(k.fail_permille)) {
		if (k.fail_next)
			--k.fail_next;
		trace(cmd, nr, 0, k.fail_result);
		return k.fail_result;
	}
	unsigned long todo = nr;
	if (k.cap_extents && todo > k.cap_extents)
		todo = k.cap_extents;
	unsigned long done = 0;
	switch (cmd) {
	case XENMEM_populate_physmap:
		done = do_populate(ext, todo);
		break;
	case XENMEM_increase_reservation:
		done = do_increase(ext, todo);
		break;
	default:
		done = do_decrease(ext, todo);
		break;
	}
	long result = static_cast<long>(done);
	if (done == 0 && nr != 0)
		result = k.result_when_none;
	if (k.lie_extra && result >= 0)
		result += k.lie_extra;
	trace(cmd, nr, done, result);
	return result;
}

} // namespace world
