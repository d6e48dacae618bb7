// SPDX-License-Identifier: GPL-2.0
/*
 * ballast.ko: 2 MiB extents on real Xen (core switch superpage_extents),
 * the superpage members of ballast_xen_hv: whether a PV block is
 * machine-contiguous, reservation hypercalls with extent_order > 0, and the
 * mapping updates of a whole block in one multicall on PV guests; and the
 * module parameter that turns them on.
 *
 * What the exported kernel API allows (Linux 6.1, checked against
 * Module.symvers and the headers this module builds with):
 *  - xenmem_reservation_increase/decrease() hard-code extent_order 0
 *    (EXTENT_ORDER); a module builds struct xen_memory_reservation itself
 *    and calls HYPERVISOR_memory_op(), an inline hypercall through the
 *    exported static-call trampoline __SCT__xen_hypercall.
 *  - __xenmem_reservation_va_mapping_update/reset() take a page array but
 *    issue one HYPERVISOR_update_va_mapping per page; the kernel's own
 *    multicall batching (xen_mc_entry/xen_mc_issue, arch/x86/xen/
 *    multicalls.h) is not exported, and the MULTI_update_va_mapping()
 *    helper of asm/xen/hypercall.h fires the xen_mc_entry tracepoint,
 *    whose symbol is not exported either. HYPERVISOR_multicall() is an
 *    inline hypercall like any other, and struct multicall_entry is Xen's
 *    public ABI: a module can fill the entries itself.
 *  - set_phys_to_machine() is not exported. Its parts are: the p2m array
 *    (xen_p2m_addr, xen_p2m_size: exported), the faulting-store helper
 *    xen_safe_write_ulong() (inline, asm/xen/page.h), and
 *    xen_alloc_p2m_entry() (exported) for a p2m page still shared (missing
 *    or identity). ballast_set_p2m() below is that function rebuilt from
 *    them, so a block's p2m entries can be written without a hypercall each
 *    and its mappings changed in one multicall.
 *  - split_page() is exported (GPL): an order-9 allocation becomes 512
 *    pages the core can free one by one (ballast_env_alloc_block()).
 */
#define pr_fmt(fmt) "ballast: " fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/gfp.h>

#include <xen/xen.h>
#include <xen/features.h>
#include <xen/page.h>
#include <xen/mem-reservation.h>
#include <xen/interface/xen.h>
#include <xen/interface/memory.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include "ballast_glue.h"

/* -1 auto: on with a real hypervisor, off in selftest mode (its 4 KiB cases count batches). */
static int superpages = -1;
module_param(superpages, int, 0444);
MODULE_PARM_DESC(
	superpages,
	"2 MiB extents where memory allows (core switch superpage_extents): 1 on, 0 off, -1 auto (default: on, off with selftest=1)");

static atomic_long_t direct_hypercalls = ATOMIC_LONG_INIT(0);

unsigned int ballast_superpage_order(bool selftest)
{
	bool on = superpages < 0 ? !selftest : superpages != 0;

	/* The order of a PMD mapping: 2 MiB on x86-64. */
	return on ? PMD_SHIFT - PAGE_SHIFT : 0;
}

bool ballast_superpages_param_ok(void)
{
	if (superpages >= -1 && superpages <= 1)
		return true;
	pr_err("superpages=%d: expected -1, 0 or 1\n", superpages);
	return false;
}

unsigned long ballast_direct_hypercalls(void)
{
	return atomic_long_read(&direct_hypercalls);
}

void ballast_count_direct_hypercall(void)
{
	atomic_long_inc(&direct_hypercalls);
}

/*
 * Xen's decrease_reservation releases an extent page by page (gmfn + j):
 * it needs consecutive MFNs, not aligned ones. A PV dom0's memory is mostly
 * machine-contiguous at an offset (seen: pfn 0x8400 at mfn 0x8000d), and
 * requiring alignment would send all of it as 4 KiB extents.
 */
int ballast_xen_block_contiguous(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), mfn, j;

	if (xen_feature(XENFEAT_auto_translated_physmap))
		return 1;
	mfn = pfn_to_mfn(pfn);
	if (mfn == INVALID_P2M_ENTRY)
		return 0;
	for (j = 1; j < (1UL << order); j++)
		if (pfn_to_mfn(pfn + j) != mfn + j)
			return 0;
	return 1;
}

static int ballast_memory_op(unsigned int cmd, unsigned int order, int count, ballast_pfn_t *frames)
{
	struct xen_memory_reservation r = {
		.address_bits = 0,
		.extent_order = order,
		.domid = DOMID_SELF,
	};

	set_xen_guest_handle(r.extent_start, (xen_pfn_t *)frames);
	r.nr_extents = count;
	ballast_count_direct_hypercall();
	return HYPERVISOR_memory_op(cmd, &r);
}

int ballast_xen_increase_order(unsigned int order, int count, ballast_pfn_t *frames)
{
	/* XENMEM_populate_physmap wants PFNs of Xen's page size: ours (x86). */
	return ballast_memory_op(XENMEM_populate_physmap, order, count, frames);
}

int ballast_xen_decrease_order(unsigned int order, int count, ballast_pfn_t *frames)
{
	return ballast_memory_op(XENMEM_decrease_reservation, order, count, frames);
}

/*
 * set_phys_to_machine() rebuilt from exported parts (see the top): the
 * store faults while the p2m page of pfn is one of the shared read-only
 * pages; xen_alloc_p2m_entry() gives it a page of its own. As the kernel's,
 * only an invalid entry may be written beyond the p2m array.
 */
static bool ballast_set_p2m(unsigned long pfn, unsigned long mfn)
{
	if (pfn >= xen_p2m_size)
		return mfn == INVALID_P2M_ENTRY;
	if (!xen_safe_write_ulong(xen_p2m_addr + pfn, mfn))
		return true;
	if (xen_alloc_p2m_entry(pfn) < 0)
		return false;
	return !xen_safe_write_ulong(xen_p2m_addr + pfn, mfn);
}

/*
 * x86-64 has no highmem: every page of a block has a kernel mapping, entry i
 * of a batch is page i of the block.
 */
static_assert(!IS_ENABLED(CONFIG_HIGHMEM));

/* One batch of update_va_mapping entries (the core holds its lock). */
static struct multicall_entry ballast_mc[1 << (PMD_SHIFT - PAGE_SHIFT)];

static void ballast_mc_va(unsigned int i, unsigned long pfn, pte_t pte)
{
	ballast_mc[i].op = __HYPERVISOR_update_va_mapping;
	ballast_mc[i].args[0] = (unsigned long)__va(pfn << PAGE_SHIFT);
	/* The machine address as is: pte_val() would translate it to a pfn. */
	ballast_mc[i].args[1] = native_pte_val(pte);
	ballast_mc[i].args[2] = 0;
}

/*
 * Issues the n entries; an entry Xen failed is redone alone with the
 * kernel's helper for that page (update: which BUG()s on failure, as the
 * built-in driver would; reset: likewise), so the outcome is never worse
 * than one hypercall per page.
 */
static void ballast_mc_issue(unsigned int n, struct page *first, xen_pfn_t frame, bool update)
{
	unsigned int i;
	int rc;

	if (!n)
		return;
	ballast_count_direct_hypercall();
	rc = HYPERVISOR_multicall(ballast_mc, n);
	for (i = 0; i < n; i++) {
		struct page *pg = first + i;
		xen_pfn_t f = frame + i;

		if (rc == 0 && ballast_mc[i].result == 0)
			continue;
		pr_err_ratelimited("multicall entry %u of %u failed (%d, %ld): one by one\n", i, n,
				   rc, (long)ballast_mc[i].result);
		if (update)
			__xenmem_reservation_va_mapping_update(1, &pg, &f);
		else
			__xenmem_reservation_va_mapping_reset(1, &pg);
	}
}

void ballast_xen_va_mapping_update_block(struct page *first, unsigned int order,
					 ballast_pfn_t frame)
{
	unsigned long pfn = page_to_pfn(first), j, n = 0;

	if (xen_feature(XENFEAT_auto_translated_physmap))
		return;
	for (j = 0; j < (1UL << order); j++) {
		/* The kernel's helper ignores a failing set_phys_to_machine(); we say so. */
		if (!ballast_set_p2m(pfn + j, frame + j))
			pr_err_ratelimited("p2m entry of pfn %#lx not writable\n", pfn + j);
		ballast_mc_va(n++, pfn + j, mfn_pte(frame + j, PAGE_KERNEL));
	}
	ballast_mc_issue(n, first, frame, true);
}

void ballast_xen_va_mapping_reset_block(struct page *first, unsigned int order)
{
	unsigned long pfn = page_to_pfn(first), j, n = 0;

	if (xen_feature(XENFEAT_auto_translated_physmap))
		return;
	for (j = 0; j < (1UL << order); j++)
		ballast_mc_va(n++, pfn + j, __pte_ma(0));
	ballast_mc_issue(n, first, 0, false);
	/* As the kernel's helper: the mapping goes first, then the p2m entry. */
	for (j = 0; j < (1UL << order); j++)
		ballast_set_p2m(pfn + j, INVALID_P2M_ENTRY);
}
