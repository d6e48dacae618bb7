// SPDX-License-Identifier: GPL-2.0
/*
 * ballast.ko: the real hypervisor behind the environment (ballast_hv when
 * not in selftest mode). Exported kernel APIs only.
 */
#define pr_fmt(fmt) "ballast: " fmt

#include <linux/kernel.h>
#include <linux/mm.h>

#include <xen/xen.h>
#include <xen/features.h>
#include <xen/page.h>
#include <xen/mem-reservation.h>
#include <xen/interface/memory.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include "ballast_glue.h"

static_assert(sizeof(ballast_pfn_t) == sizeof(xen_pfn_t));

static int xen_increase(int count, ballast_pfn_t *frames)
{
	return xenmem_reservation_increase(count, (xen_pfn_t *)frames);
}

static int xen_decrease(int count, ballast_pfn_t *frames)
{
	return xenmem_reservation_decrease(count, (xen_pfn_t *)frames);
}

static ballast_pfn_t xen_page_to_xen_pfn(struct page *page)
{
	return page_to_xen_pfn(page);
}

static ballast_pfn_t xen_gfn(struct page *page)
{
	return xen_page_to_gfn(page);
}

/* Both helpers are no-ops on auto-translated guests (HVM, PVH). */
static void xen_va_mapping_update(struct page *page, ballast_pfn_t frame)
{
	xen_pfn_t f = frame;

	xenmem_reservation_va_mapping_update(1, &page, &f);
}

static void xen_va_mapping_reset(struct page *page)
{
	xenmem_reservation_va_mapping_reset(1, &page);
}

/*
 * flush_tlb_all() is not exported. Only PV guests change kernel PTEs in
 * va_mapping_reset (HVM/PVH: nothing to flush), and a PV guest can ask Xen
 * to flush every vCPU's TLB directly.
 */
static void xen_flush_tlb_all(void)
{
	struct mmuext_op op = {.cmd = MMUEXT_TLB_FLUSH_ALL};
	int rc;

	if (xen_feature(XENFEAT_auto_translated_physmap))
		return;
	ballast_count_direct_hypercall();
	rc = HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
	if (rc)
		pr_err("MMUEXT_TLB_FLUSH_ALL failed: %d\n", rc);
}

static int xen_auto_translated(void)
{
	return xen_feature(XENFEAT_auto_translated_physmap);
}

static int xen_p2m_entry(unsigned long pfn)
{
#ifdef CONFIG_XEN_PV
	return xen_alloc_p2m_entry(pfn);
#else
	return 0;
#endif
}

static long xen_reservation(unsigned int cmd)
{
	domid_t domid = DOMID_SELF;

	if (!xen_domain())
		return -ENODEV;
	return HYPERVISOR_memory_op(cmd, &domid);
}

static long xen_max_reservation(void)
{
	return xen_reservation(XENMEM_maximum_reservation);
}

static long xen_current_reservation(void)
{
	return xen_reservation(XENMEM_current_reservation);
}

const struct ballast_hv_ops ballast_xen_hv = {
	.name = "Xen",
	.increase = xen_increase,
	.decrease = xen_decrease,
	.populate_frame = xen_page_to_xen_pfn,
	.release_frame = xen_gfn,
	.va_mapping_update = xen_va_mapping_update,
	.va_mapping_reset = xen_va_mapping_reset,
	.flush_tlb_all = xen_flush_tlb_all,
	.auto_translated = xen_auto_translated,
	.alloc_p2m_entry = xen_p2m_entry,
	.max_reservation = xen_max_reservation,
	.current_reservation = xen_current_reservation,
	.increase_order = ballast_xen_increase_order, /* ballast_super.c */
	.decrease_order = ballast_xen_decrease_order,
	.block_contiguous = ballast_xen_block_contiguous,
	.va_mapping_update_block = ballast_xen_va_mapping_update_block,
	.va_mapping_reset_block = ballast_xen_va_mapping_reset_block,
};
