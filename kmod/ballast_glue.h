/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ballast.ko: declarations shared by the C glue files. The core (C++) is
 * reached only through core/ballast_core.h; the glue implements the
 * ballast_env_* contract of core/ballast_env.h in ballast_env.c.
 */
#ifndef BALLAST_GLUE_H
#define BALLAST_GLUE_H

#include <linux/types.h>
#include <linux/atomic.h>
#include "ballast_core.h"

struct page;

#define BALLAST_VERSION "0.1.0"

/* ---- the hypervisor: real Xen (ballast_xen.c) or the selftest's fake (ballast_fake_hv.c) ---- */
/*
 * Everything the environment asks of the hypervisor, chosen once at load
 * (ballast_hv). Frames are Xen's: PFNs for populate, GFNs for decrease.
 */
struct ballast_hv_ops {
	const char *name;
	int (*increase)(int count, ballast_pfn_t *frames);  /* XENMEM_populate_physmap */
	int (*decrease)(int count, ballast_pfn_t *frames);  /* XENMEM_decrease_reservation */
	ballast_pfn_t (*populate_frame)(struct page *page); /* page_to_xen_pfn() */
	ballast_pfn_t (*release_frame)(struct page *page);  /* xen_page_to_gfn() */
	void (*va_mapping_update)(struct page *page, ballast_pfn_t frame);
	void (*va_mapping_reset)(struct page *page);
	void (*flush_tlb_all)(void);
	int (*auto_translated)(void); /* XENFEAT_auto_translated_physmap */
	int (*alloc_p2m_entry)(unsigned long pfn);
	long (*max_reservation)(void);	   /* pages; <0 unknown */
	long (*current_reservation)(void); /* pages; <0 unknown */
	/* superpage_extents: extents of 2^order frames, a block's mappings in one batch */
	int (*increase_order)(unsigned int order, int count, ballast_pfn_t *frames);
	int (*decrease_order)(unsigned int order, int count, ballast_pfn_t *frames);
	int (*block_contiguous)(struct page *page, unsigned int order); /* machine frames */
	void (*va_mapping_update_block)(struct page *page, unsigned int order, ballast_pfn_t frame);
	void (*va_mapping_reset_block)(struct page *page, unsigned int order);
};
extern const struct ballast_hv_ops ballast_xen_hv;
extern const struct ballast_hv_ops ballast_fake_hv;
extern const struct ballast_hv_ops *ballast_hv;

/* ---- ballast_env.c ---- */
/*
 * Selftest instrumentation of the environment (allocator and scheduling);
 * NULL outside selftest=1. Only read/written by the selftest (single
 * thread, insmod context) and by the env functions.
 */
struct ballast_st_env {
	atomic_long_t allocated;     /* successful ballast_env_alloc_page() */
	atomic_long_t freed;	     /* ballast_env_free_reserved_page() */
	long fail_alloc_after;	     /* <0: never; else fail once this many more succeeded */
	bool fail_blocks;	     /* alloc_block() finds no block (a fragmented guest) */
	long mem_available_override; /* <0: real si_mem_available() */
	bool sched_real;	     /* false: record schedule_work() instead of queueing */
	bool pending;		     /* a schedule_work() was recorded and not consumed */
	unsigned long pending_delay; /* its delay in seconds */
	unsigned long sched_calls;
};
extern struct ballast_st_env *ballast_st;

void ballast_env_start(void); /* ready to queue the worker */
void ballast_env_stop(void);  /* no more queueing; cancel_delayed_work_sync() */

/* Xen's view of this domain, in pages (the chosen hypervisor's); <0 unknown. */
static inline long ballast_max_reservation(void)
{
	return ballast_hv->max_reservation();
}

static inline long ballast_current_reservation(void)
{
	return ballast_hv->current_reservation();
}

/* ---- ballast_super.c: 2 MiB extents on Xen (module parameter superpages) ---- */
unsigned int ballast_superpage_order(bool selftest); /* ballast_config.superpage_order */
bool ballast_superpages_param_ok(void);
int ballast_xen_increase_order(unsigned int order, int count, ballast_pfn_t *frames);
int ballast_xen_decrease_order(unsigned int order, int count, ballast_pfn_t *frames);
int ballast_xen_block_contiguous(struct page *page, unsigned int order);
void ballast_xen_va_mapping_update_block(struct page *page, unsigned int order,
					 ballast_pfn_t frame);
void ballast_xen_va_mapping_reset_block(struct page *page, unsigned int order);
/*
 * Hypercalls the glue issues itself, not through the kernel's
 * xenmem_reservation_* helpers: reservations of order > 0, multicalls, TLB
 * flushes (sysfs counters/hypercalls_direct).
 */
void ballast_count_direct_hypercall(void);
unsigned long ballast_direct_hypercalls(void);

/* ---- ballast_fault.c: fault-injection switches (module parameters) ---- */
bool ballast_fault_hypercall(bool increase, int *count);
bool ballast_fault_alloc(void);
unsigned long ballast_faults_injected(void);

/* ---- ballast_main.c ---- */
extern bool ballast_own_mode; /* the guest's balloon (no built-in driver); else coexist */
/* Before a new target is set: coexist mode borrows what it needs from the built-in balloon. */
void ballast_target_needs(unsigned long target_pages);

/* ---- ballast_builtin.c: pages from the kernel's own balloon (drivers/xen/balloon.c) ---- */
int ballast_adopt_builtin(void);			    /* own mode, after core init */
void ballast_borrow_for_target(unsigned long target_pages); /* coexist mode */
void ballast_return_borrowed(void);			    /* unload, worker stopped */
unsigned long ballast_borrowed_pages(void);
/* ---- ballast_main.c: lending to other drivers (exported) ---- */
struct page;
int ballast_alloc_ballooned_pages(int nr_pages, struct page **pages);
void ballast_free_ballooned_pages(int nr_pages, struct page **pages);

/* ---- ballast_hotplug.c (own mode) ---- */
int ballast_hotplug_init(void); /* takes the online-page callback; -EBUSY if taken */
void ballast_hotplug_exit(void);

/* ---- ballast_xenstore.c (own mode): memory/target ---- */
int ballast_xenstore_init(void);
void ballast_xenstore_exit(void);
unsigned long ballast_xenstore_targets(bool refused); /* events seen, or refused */

/* ---- ballast_env.c: time spent in the worker ---- */
unsigned long long ballast_worker_ns(void);

/* ---- ballast_sysfs.c ---- */
int ballast_sysfs_init(bool own_mode); /* own mode: xen_memory0 as well */
void ballast_sysfs_exit(void);
/* Strict parsers, also used by the selftest: 0 or -EINVAL. */
int ballast_parse_kb(const char *buf, unsigned long long *bytes);
int ballast_parse_bytes(const char *buf, unsigned long long *bytes);
/* Range-checks a byte target against the maximum reservation and applies it. */
int ballast_apply_target_bytes(unsigned long long bytes);

/* ---- ballast_fake_hv.c, ballast_selftest.c ---- */
void ballast_fake_init(unsigned long reservation, unsigned long max);
void ballast_fake_exit(void);
int ballast_selftest_run(struct ballast_st_env *st); /* prints KTAP; returns number of failures */
void ballast_selftest_unload_check(unsigned long left);

#endif
