/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ballast diff: included by a wrapper before the upstream driver. Gives the
 * driver's global symbols per-variant names (BUP_VARIANT, a -D) so that every
 * version x configuration links into one binary. Nothing else changes.
 */
#ifndef BALLAST_BUP_NAMES_H
#define BALLAST_BUP_NAMES_H

#ifndef BUP_VARIANT
#error "BUP_VARIANT (e.g. seed_0) must be defined"
#endif
#ifndef BUP_DRIVER
#error "BUP_DRIVER (the path of drivers/xen/balloon.c, as a string) must be defined"
#endif

#define BUP_CAT2(a, b) a##b
#define BUP_CAT(a, b) BUP_CAT2(a, b)
#define BUP_NAME(x) BUP_CAT(BUP_CAT(bup_, BUP_VARIANT), BUP_CAT(_, x))
#define BUP_OPS BUP_CAT(bup_ops_, BUP_VARIANT)

#define balloon_stats BUP_NAME(balloon_stats)
#define balloon_set_new_target BUP_NAME(balloon_set_new_target)
#define alloc_xenballooned_pages BUP_NAME(alloc_xenballooned_pages)
#define free_xenballooned_pages BUP_NAME(free_xenballooned_pages)
#define xen_alloc_ballooned_pages BUP_NAME(xen_alloc_ballooned_pages)
#define xen_free_ballooned_pages BUP_NAME(xen_free_ballooned_pages)

/* The argument upstream's lending wait is for (add_ballooned_pages' nr_pages),
 * named in the HANG_WAIT event as the core names it. */
#define BSHIM_WAIT_WHAT nr_pages

#ifdef CONFIG_XEN_BALLOON_MEMORY_HOTPLUG
#define BUP_CFG_BIT_HOTPLUG BUP_CFG_HOTPLUG
#else
#define BUP_CFG_BIT_HOTPLUG 0
#endif
#ifdef CONFIG_XEN_PV
#define BUP_CFG_BIT_PV BUP_CFG_PV
#else
#define BUP_CFG_BIT_PV 0
#endif
#ifdef CONFIG_XEN_HAVE_PVMMU
#define BUP_CFG_BIT_PVMMU BUP_CFG_PVMMU
#else
#define BUP_CFG_BIT_PVMMU 0
#endif
#ifdef CONFIG_SPARSEMEM
#define BUP_CFG_BIT_SPARSEMEM BUP_CFG_SPARSEMEM
#else
#define BUP_CFG_BIT_SPARSEMEM 0
#endif
#define BUP_CFG_BITS \
	(BUP_CFG_BIT_HOTPLUG | BUP_CFG_BIT_PV | BUP_CFG_BIT_PVMMU | BUP_CFG_BIT_SPARSEMEM)

#define BUP_STR2(x) #x
#define BUP_STR(x) BUP_STR2(x)

#endif /* BALLAST_BUP_NAMES_H */
