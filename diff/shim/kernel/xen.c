// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ballast diff, shim runtime: Xen (customised). Boot information, features,
 * the p2m and drivers/xen/mem-reservation.c, over the world's hypervisor.
 */
#include "runtime.h"

/* --------------------------------------------------- boot information */
struct start_info *bshim_xen_start_info(void)
{
	return &bshim_cur->start_info;
}

unsigned long bshim_xen_released_pages(void)
{
	return bshim_cur->boot.released_pages;
}

struct xen_memory_region *bshim_xen_extra_mem(void)
{
	return bshim_cur->extra;
}

unsigned long bshim_xen_unpopulated_pages(void)
{
	return bshim_cur->boot.unpopulated_pages;
}

int xen_initial_domain(void)
{
	return bshim_cur->boot.xen_domain && bshim_cur->boot.initial_domain;
}

int HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
	if (cmd != XENMEM_current_reservation && cmd != XENMEM_maximum_reservation)
		return -ENOSYS;
	return (int)bshim_host_memory_op_domid(bshim_cur->world, cmd, *(domid_t *)arg);
}

int xen_domain(void)
{
	return bshim_cur->boot.xen_domain != 0;
}

int xen_pv_domain(void)
{
	return bshim_cur->boot.xen_domain && bshim_cur->boot.pv_domain;
}

int xen_hvm_domain(void)
{
	return bshim_cur->boot.xen_domain && !bshim_cur->boot.pv_domain;
}

/* ------------------------------------------------------ features, p2m */
int xen_feature(int flag)
{
	if (flag == XENFEAT_auto_translated_physmap)
		return ballast_world_auto_translated_physmap(bshim_cur->world);
	return 0;
}

unsigned long xen_page_to_gfn(struct page *page)
{
	/* pfn_to_gfn(): the pfn when auto-translated, else the p2m's mfn */
	if (ballast_world_auto_translated_physmap(bshim_cur->world))
		return page->bshim_pfn;
	return frame_of(page)->p2m;
}

bool set_phys_to_machine(unsigned long pfn, unsigned long mfn)
{
	if (mfn == INVALID_P2M_ENTRY)
		return ballast_world_set_phys_to_machine_invalid(bshim_cur->world, pfn) != 0;
	ballast_world_set_p2m(bshim_cur->world, pfn, mfn);
	return true;
}

int xen_alloc_p2m_entry(unsigned long pfn)
{
	return ballast_world_alloc_p2m_entry(bshim_cur->world, pfn);
}

/* <xen/mem-reservation.h> and drivers/xen/mem-reservation.c */
void xenmem_reservation_scrub_page(struct page *page)
{
	ballast_world_scrub_page(bshim_cur->world, frame_of(page));
}

static int have_pvmmu(void)
{
	return (bshim_cur->ops->cfg & BUP_CFG_PVMMU) != 0;
}

void xenmem_reservation_va_mapping_update(unsigned long count, struct page **pages,
					  xen_pfn_t *frames)
{
	unsigned long i;

	/* increase_reservation() hands us &frame_list[i] for i < rc: past one
	 * batch it reads beyond the array. Stop before touching it, as the core
	 * does (BALLAST_EV_UB_FRAME_OVERRUN). */
	if (bshim_cur->inc_done >= (long)(PAGE_SIZE / sizeof(xen_pfn_t))) {
		event(BALLAST_EV_UB_FRAME_OVERRUN, bshim_cur->inc_rc, bshim_cur->inc_done);
		bshim_task_crashes();
	}
	for (i = 0; i < count; i++) {
		/* CONFIG_XEN_HAVE_PVMMU && !auto-translated: set_phys_to_machine()
		 * and the direct-map PTE, both kept by the world (world/mmu.h). */
		if (have_pvmmu() && !ballast_world_auto_translated_physmap(bshim_cur->world) &&
		    frame_of(pages[i]))
			ballast_world_va_mapping_update(bshim_cur->world, frame_of(pages[i]),
							frames[i]);
		bshim_cur->inc_done++;
	}
}

void xenmem_reservation_va_mapping_reset(unsigned long count, struct page **pages)
{
	unsigned long i;

	for (i = 0; i < count; i++)
		if (have_pvmmu() && !ballast_world_auto_translated_physmap(bshim_cur->world) &&
		    frame_of(pages[i]))
			ballast_world_va_mapping_reset(bshim_cur->world, frame_of(pages[i]));
}

int xenmem_reservation_increase(int count, xen_pfn_t *frames)
{
	int rc = bshim_host_reservation(bshim_cur->world, XENMEM_populate_physmap, count, frames);

	bshim_cur->inc_rc = rc;
	bshim_cur->inc_done = 0;
	return rc;
}

int xenmem_reservation_decrease(int count, xen_pfn_t *frames)
{
	int rc = bshim_host_reservation(bshim_cur->world, XENMEM_decrease_reservation, count,
					frames);

	bshim_cur->dec_ret = rc;
	bshim_cur->dec_n = count;
	return rc;
}
