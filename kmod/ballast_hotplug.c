// SPDX-License-Identifier: GPL-2.0
/*
 * ballast.ko: memory hotplug (own mode), so the guest can grow past the
 * memory map it booted with, with the exported API that virtio-mem and
 * hv_balloon use:
 *
 *   allocate_resource()   a free, section-aligned physical range, kept as a
 *                         parent resource that is not busy ("ballast"), so
 *                         the hotplugged "System RAM (ballast)" nests in it
 *                         (virtio-mem does the same with its device range)
 *   add_memory_driver_managed()   adds and, with auto-online
 *                         (CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE or
 *                         memhp_default_state=online), onlines the blocks
 *   set_online_page_callback()    onlined pages of ballast's ranges go into
 *                         its balloon, unpopulated, as upstream's
 *                         xen_online_page() does; other pages go to
 *                         generic_online_page()
 *
 * add_memory_resource() (what upstream calls) and set_phys_to_machine() are
 * not exported; see ballast_env_set_phys_to_machine_invalid() for the p2m.
 *
 * Hotplugged memory stays when the module is unloaded (drain repopulates
 * its ballooned pages and frees them to the page allocator), so its
 * resources, and their names, are never freed: the names are heap strings,
 * not module data.
 */
#define pr_fmt(fmt) "ballast: " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/memory_hotplug.h>
#include <linux/ioport.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <xen/xen.h>
#include <xen/features.h>
#include <xen/page.h>
#include <asm/xen/page.h>

#include "ballast_glue.h"

#define MAX_RANGES 64

static DEFINE_MUTEX(ranges_mutex);
static struct {
	unsigned long start_pfn, end_pfn;
} ranges[MAX_RANGES];
static unsigned int n_ranges;
static bool callback_set;

static bool ballast_pfn(unsigned long pfn)
{
	unsigned int i, n = smp_load_acquire(&n_ranges);

	for (i = 0; i < n; i++)
		if (pfn >= ranges[i].start_pfn && pfn < ranges[i].end_pfn)
			return true;
	return false;
}

/* Runs in add_memory_driver_managed() (device hotplug lock held). */
static void ballast_online_page(struct page *page, unsigned int order)
{
	if (ballast_pfn(page_to_pfn(page)))
		ballast_core_online_page((struct ballast_page *)page, order);
	else
		generic_online_page(page, order);
}

int ballast_hotplug_init(void)
{
	int rc = set_online_page_callback(ballast_online_page);

	if (rc) {
		pr_err("the online-page callback is taken by another driver (%d)\n", rc);
		return -EBUSY;
	}
	callback_set = true;
	return 0;
}

void ballast_hotplug_exit(void)
{
	if (callback_set)
		restore_online_page_callback(ballast_online_page);
	callback_set = false;
}

unsigned long ballast_env_pages_per_section(void)
{
	return PAGES_PER_SECTION;
}

int ballast_env_allocate_resource(unsigned long long size, unsigned long long align,
				  struct ballast_resource *res)
{
	struct resource *r;
	int rc;

	if (!callback_set)
		return -EOPNOTSUPP;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->name = kstrdup("ballast", GFP_KERNEL);
	r->flags = IORESOURCE_SYSTEM_RAM; /* not busy: the System RAM child nests in it */
	rc = r->name ? allocate_resource(&iomem_resource, r, size, 0, -1, align, NULL, NULL) :
		       -ENOMEM;
	if (rc) {
		pr_warn("no free physical range of %llu MiB for hotplug (%d)\n", size >> 20, rc);
		kfree(r->name);
		kfree(r);
		return rc;
	}
	res->start = r->start;
	res->size = resource_size(r);
	res->handle = r;
	return 0;
}

void ballast_env_release_resource(struct ballast_resource *res)
{
	struct resource *r = res->handle;

	release_resource(r);
	kfree(r->name);
	kfree(r);
	res->handle = NULL;
}

unsigned long ballast_env_addressable_pfn_limit(void)
{
	return 1UL << (MAX_PHYSMEM_BITS - PAGE_SHIFT);
}

int ballast_env_memory_add_physaddr_to_nid(unsigned long long addr)
{
	return memory_add_physaddr_to_nid(addr);
}

/*
 * add_memory() builds the direct map of the new range: on a PV guest the
 * p2m must say "no frame" (INVALID_P2M_ENTRY) for those PFNs first, or the
 * PTEs would map machine frame == PFN (the p2m reads "identity" beyond the
 * boot memory map). set_phys_to_machine() is not exported; these are its
 * two steps with exported symbols: xen_alloc_p2m_entry() gives the PFN a
 * writable p2m page (initialised to identity), then the entry is written
 * as __set_phys_to_machine() writes it, and read back.
 */
int ballast_env_set_phys_to_machine_invalid(unsigned long pfn)
{
#ifdef CONFIG_XEN_PV
	if (pfn >= xen_p2m_size)
		return 0;
	if (xen_safe_write_ulong(xen_p2m_addr + pfn, INVALID_P2M_ENTRY)) {
		if (xen_alloc_p2m_entry(pfn) < 0)
			return 0;
		if (xen_safe_write_ulong(xen_p2m_addr + pfn, INVALID_P2M_ENTRY))
			return 0;
	}
	return get_phys_to_machine(pfn) == INVALID_P2M_ENTRY;
#else
	return 0;
#endif
}

int ballast_env_add_memory_resource(int nid, struct ballast_resource *res)
{
	struct resource *r = res->handle;
	const char *name;
	unsigned int slot;
	int rc;

	mutex_lock(&ranges_mutex);
	if (n_ranges == MAX_RANGES) {
		mutex_unlock(&ranges_mutex);
		pr_warn("hotplug: more than %d ranges, no more memory added\n", MAX_RANGES);
		return -ENOSPC;
	}
	name = kstrdup("System RAM (ballast)", GFP_KERNEL);
	if (!name) {
		mutex_unlock(&ranges_mutex);
		return -ENOMEM;
	}
	/* Known before the blocks are onlined (inside add_memory_driver_managed). */
	slot = n_ranges;
	ranges[slot].start_pfn = PFN_DOWN(r->start);
	ranges[slot].end_pfn = PFN_DOWN(r->start + resource_size(r));
	smp_store_release(&n_ranges, slot + 1);
	mutex_unlock(&ranges_mutex);

	rc = add_memory_driver_managed(nid, r->start, resource_size(r), name, MHP_NONE);
	if (rc) {
		pr_warn("hotplug of %pR failed: %d\n", r, rc);
		mutex_lock(&ranges_mutex);
		if (n_ranges == slot + 1)
			smp_store_release(&n_ranges, slot);
		mutex_unlock(&ranges_mutex);
		kfree(name);
		return rc;
	}
	pr_info("hotplugged %pR\n", r);
	return 0;
}
