/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ballast: the C API of the core instantiated over the C environment
 * (core/extern_instance.cpp). The kernel glue in kmod/ calls only these, and
 * implements only the ballast_env_* functions of core/ballast_env.h.
 */
#ifndef BALLAST_CORE_H
#define BALLAST_CORE_H

#include "ballast_env.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Same fields, order and units (pages, seconds) as Linux's struct balloon_stats. */
struct ballast_stats {
	unsigned long current_pages;
	unsigned long target_pages;
	unsigned long target_unpopulated;
	unsigned long balloon_low;
	unsigned long balloon_high;
	unsigned long total_pages;
	unsigned long schedule_delay;
	unsigned long max_schedule_delay;
	unsigned long retry_count;
	unsigned long max_retry_count;
};

#define BALLAST_RETRY_UNLIMITED 0UL

/* Named behaviour profiles (core/SWITCHES.md). */
enum ballast_profile {
	BALLAST_PROFILE_BALLAST = 0, /* hardened, the default */
	BALLAST_PROFILE_LINUX_2019 = 1,
	BALLAST_PROFILE_LINUX_6_1 = 2,
	BALLAST_PROFILE_LINUX_6_12 = 3
};

/* Build-time options of the upstream driver, as run-time configuration. */
struct ballast_config {
	int memory_hotplug; /* CONFIG_XEN_BALLOON_MEMORY_HOTPLUG */
	int have_pvmmu;	    /* CONFIG_XEN_HAVE_PVMMU */
	int xen_pv;	    /* CONFIG_XEN_PV (boot-time extra regions) */
	int sparsemem;	    /* CONFIG_SPARSEMEM (address-limit check of hotplug) */
	/*
	 * ballast only (switch superpage_extents): extents of 2^superpage_order
	 * pages where memory allows (x86-64: 9, 2 MiB); 0: 4 KiB extents only.
	 */
	unsigned int superpage_order;
};

/* Counters that upstream does not have. */
struct ballast_counters {
	unsigned long worker_runs; /* process() / thread iterations */
	unsigned long steps;	   /* credit-loop steps */
	unsigned long hypercalls_increase;
	unsigned long hypercalls_decrease;
	unsigned long pages_in;	 /* pages returned to the guest */
	unsigned long pages_out; /* pages given to the hypervisor */
	unsigned long alloc_failures;
	/* Extents by size (superpage: 2^superpage_order pages), and superpage
	 * batches refused by the allocator or the hypervisor (4 KiB instead). */
	unsigned long extents_in_4k, extents_out_4k;
	unsigned long extents_in_super, extents_out_super;
	unsigned long super_fallbacks;
	unsigned long events[BALLAST_EV_COUNT];
};

/* Returns 0, or -ENODEV (-19) when boot->xen_domain is 0. */
int ballast_core_init(const struct ballast_boot_info *boot, const struct ballast_config *cfg,
		      enum ballast_profile profile);
/* The delayed-work callback: balloon_process(). */
void ballast_core_process(void);
/* balloon_set_new_target(); 0, or -EINVAL (-22) for an insane target (ballast profile). */
int ballast_core_set_target(unsigned long target_pages);
/* max_schedule_delay / max_retry_count stores; 0 or -EINVAL. */
int ballast_core_set_max_schedule_delay(unsigned long secs);
int ballast_core_set_max_retry_count(unsigned long count);
/* Lending to other drivers: alloc_xenballooned_pages() / free_xenballooned_pages(). */
int ballast_core_alloc_pages(int nr_pages, struct ballast_page **pages);
void ballast_core_free_pages(int nr_pages, struct ballast_page **pages);
/* Ballooned pages handed over by another balloon; counted in total_pages (not upstream). */
void ballast_core_adopt_pages(int nr_pages, struct ballast_page **pages);
/* Hotplug callbacks: online_page_callback and the memory notifier. */
void ballast_core_online_page(struct ballast_page *page, unsigned int order);
int ballast_core_memory_notify(unsigned long action);
/* xen.balloon.hotplug_unpopulated sysctl. */
void ballast_core_set_hotplug_unpopulated(int on);
/* Read-outs (under the core lock). */
void ballast_core_stats(struct ballast_stats *out);
void ballast_core_counters(struct ballast_counters *out);
/*
 * Module unload: stop accepting targets and give every ballooned page back
 * to the guest (increase reservation until the balloon is empty or the
 * hypervisor refuses). Returns the number of pages still ballooned.
 */
unsigned long ballast_core_drain(void);

#ifdef __cplusplus
}
#endif

#endif /* BALLAST_CORE_H */
