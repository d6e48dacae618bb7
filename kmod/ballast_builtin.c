// SPDX-License-Identifier: GPL-2.0
/*
 * ballast.ko: pages from the kernel's own balloon (drivers/xen/balloon.c).
 *
 * Every Xen kernel builds that balloon core, whatever CONFIG_XEN_BALLOON
 * says: the option only adds the xenstore memory/target watch and
 * xen_memory0 (xen-balloon.c). On a PV guest the core starts with the
 * pages between the boot size and the maximum (the extra region) on its
 * list, and lends ballooned pages through xen_alloc_ballooned_pages() /
 * xen_free_ballooned_pages(). ballast takes pages from it through that
 * lending API only:
 *
 *   own mode (no CONFIG_XEN_BALLOON): at load, every page of that balloon,
 *     handed to the core with ballast_core_adopt_pages() (ballooned and
 *     counted in total_pages, as upstream's balloon_add_regions() counts
 *     the extra region), so ballast alone can grow the guest to its
 *     maximum; the passive core keeps running with an empty balloon and
 *     its target at its current size.
 *   coexist mode (the built-in driver is there): on demand, only what a
 *     target above ballast's own balloon needs (ballast_borrow_for_target).
 *
 * On unload, ballooned pages go back the same way (xen_free_ballooned_pages),
 * unpopulated, so Xen's count does not move for them: in coexist mode up
 * to the number borrowed (the rest is repopulated by the core's drain), in
 * own mode all of them, hotplugged pages included, so none is lost when Xen
 * would refuse to repopulate them (its maximum is often the current size)
 * and a reload of ballast takes them all again. The passive core's
 * target_unpopulated then goes below its start by the pages it got beyond
 * what it lent (it counts lent pages only); without CONFIG_XEN_BALLOON that
 * kernel reads it only when its own target rises above its current size,
 * which nothing sets, and the next adoption brings it back.
 */
#define pr_fmt(fmt) "ballast: " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <xen/xen.h>
#include <xen/balloon.h>

#include "ballast_glue.h"

#define BATCH 512

static DEFINE_MUTEX(borrow_mutex);
static unsigned long borrowed; /* under borrow_mutex */

unsigned long ballast_borrowed_pages(void)
{
	return READ_ONCE(borrowed);
}

static unsigned long builtin_balloon_pages(void)
{
	return READ_ONCE(balloon_stats.balloon_low) + READ_ONCE(balloon_stats.balloon_high);
}

/* Own mode, after the core's init: every page of the kernel's balloon into ballast's. */
int ballast_adopt_builtin(void)
{
	struct page **pages;
	unsigned long want = builtin_balloon_pages();
	int rc = 0;

	pages = kmalloc_array(BATCH, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	mutex_lock(&borrow_mutex);
	while (want) {
		unsigned int n = min(want, (unsigned long)BATCH);

		rc = xen_alloc_ballooned_pages(n, pages);
		if (rc) {
			pr_err("could not take the kernel's ballooned pages: %d\n", rc);
			break;
		}
		ballast_core_adopt_pages(n, (struct ballast_page **)pages);
		borrowed += n;
		want -= n;
	}
	mutex_unlock(&borrow_mutex);
	kfree(pages);
	return rc;
}

void ballast_borrow_for_target(unsigned long target)
{
	struct ballast_stats s;
	struct page **pages;
	unsigned long have, need;

	mutex_lock(&borrow_mutex);
	ballast_core_stats(&s);
	have = s.current_pages + s.balloon_low + s.balloon_high;
	need = target > have ? min(target - have, builtin_balloon_pages()) : 0;
	pages = need ? kmalloc_array(BATCH, sizeof(*pages), GFP_KERNEL) : NULL;
	while (pages && need) {
		unsigned int i, n = min(need, (unsigned long)BATCH);

		if (xen_alloc_ballooned_pages(n, pages)) {
			pr_warn("could not take %u page(s) from the built-in driver's balloon\n",
				n);
			break;
		}
		for (i = 0; i < n; i++)
			ballast_core_online_page((struct ballast_page *)pages[i], 0);
		borrowed += n;
		need -= n;
	}
	kfree(pages);
	mutex_unlock(&borrow_mutex);
}

void ballast_return_borrowed(void)
{
	struct ballast_stats s;
	struct page **pages;
	unsigned long n, returned = 0;

	mutex_lock(&borrow_mutex);
	ballast_core_stats(&s);
	n = s.balloon_low + s.balloon_high;
	if (!ballast_own_mode)
		n = min(borrowed, n);
	pages = n ? kmalloc_array(BATCH, sizeof(*pages), GFP_KERNEL) : NULL;
	while (pages && n) {
		unsigned int c = min(n, (unsigned long)BATCH);

		if (ballast_core_alloc_pages(c, (struct ballast_page **)pages))
			break;
		xen_free_ballooned_pages(c, pages);
		borrowed -= min(borrowed, (unsigned long)c);
		returned += c;
		n -= c;
	}
	kfree(pages);
	if (returned)
		pr_info("unload: %lu ballooned page(s) back to the kernel's balloon, unpopulated\n",
			returned);
	if (borrowed)
		pr_info("unload: %lu page(s) taken from the kernel's balloon stay populated (the domain keeps them)\n",
			borrowed);
	mutex_unlock(&borrow_mutex);
}
