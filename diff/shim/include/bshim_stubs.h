/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ballast diff, kernel-API shim: declarations that are STUBBED, that is
 * rendered no-ops: what the driver calls or writes has no effect in user
 * space that either side of the comparison could observe.
 */
#ifndef BALLAST_SHIM_STUBS_H
#define BALLAST_SHIM_STUBS_H

struct page;

/* -------------------------------------------- section and hint attributes */
#define __init
#define __exit
#define __read_mostly
#define __must_check
#define might_sleep() \
	do {          \
	} while (0)

/* ---------------------------------------------------- module parameters */
/* Absorb the file-scope `;` after them. */
#define EXPORT_SYMBOL(sym) extern int bshim_export_dummy_
#define EXPORT_SYMBOL_GPL(sym) extern int bshim_export_dummy_
#define MODULE_PARAM_PREFIX ""
#define module_param(name, type, perm) extern int bshim_param_dummy_
#define core_param(name, var, type, perm) extern int bshim_param_dummy_

/* ------------------------------------------------------ memory hotplug */
/* One task: nothing else takes the device-hotplug lock. */
static inline void lock_device_hotplug(void)
{
}
static inline void unlock_device_hotplug(void)
{
}
/* One NUMA node. */
static inline int memory_add_physaddr_to_nid(u64 start)
{
	(void)start;
	return 0;
}
/* The seed's online callback calls it; per-zone limits are not modelled. */
static inline void __online_page_set_limits(struct page *page)
{
	(void)page;
}

/* ------------------------------------------------------- the kthread */
/* Nobody stops the balloon thread; it is not frozen either. */
static inline bool kthread_should_stop(void)
{
	return false;
}
static inline bool set_freezable(void)
{
	return true;
}

/* ----------------------------------------------------------------- Xen */
/* drivers/xen/xen-balloon.c (xenstore watch, sysfs): the harness calls
 * balloon_set_new_target() and stores the tunables directly. */
static inline void xen_balloon_init(void)
{
}

#endif /* BALLAST_SHIM_STUBS_H */
