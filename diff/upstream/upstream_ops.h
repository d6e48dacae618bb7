/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ballast diff: what each wrapper translation unit (wrap_seed.c, and
 * wrap_kthread.c for 6.1 and 6.12; one object per version and build
 * configuration) exports: the upstream driver's entry
 * points and state, under one table per variant. Valid C and C++; no libc,
 * no kernel types beyond opaque ones.
 */
#ifndef BALLAST_UPSTREAM_OPS_H
#define BALLAST_UPSTREAM_OPS_H

#ifdef __cplusplus
extern "C" {
#endif

struct page;
struct list_head;
struct mutex;

#define BUP_VERSION_SEED 0
#define BUP_VERSION_61 1
#define BUP_VERSION_612 2

/* Config bits: index of a variant in a version's table. */
#define BUP_CFG_HOTPLUG 1   /* CONFIG_XEN_BALLOON_MEMORY_HOTPLUG */
#define BUP_CFG_PV 2	    /* CONFIG_XEN_PV */
#define BUP_CFG_PVMMU 4	    /* CONFIG_XEN_HAVE_PVMMU */
#define BUP_CFG_SPARSEMEM 8 /* CONFIG_SPARSEMEM */
#define BUP_CFG_COUNT 16

struct bup_ops {
	const char *name;
	int version;  /* BUP_VERSION_* */
	unsigned cfg; /* BUP_CFG_* bits */
	/* Re-initialise every static of the driver (a fresh boot). */
	void (*reset)(void);
	/* balloon_init() (subsys_initcall). */
	int (*init)(void);
	/* balloon_wait_finish() (late_initcall_sync, 6.1 and 6.12); NULL for the seed. */
	int (*wait_finish)(void);
	void (*set_target)(unsigned long target);
	/* seed: alloc_/free_xenballooned_pages(int); 6.1, 6.12: xen_alloc/free_ballooned_pages(unsigned) */
	int (*alloc)(int nr_pages, struct page **pages);
	void (*free)(int nr_pages, struct page **pages);
	/* struct balloon_stats, 10 unsigned longs */
	unsigned long *stats;
	struct list_head *ballooned_pages;
	struct mutex *balloon_mutex;
	/* 6.1 and 6.12 (else NULL): balloon_state, balloon_thread_cond(), and the
	 * timeout balloon_thread would sleep with in its current state (seconds). */
	int (*thread_state)(void);
	int (*thread_cond)(long credit);
	unsigned long (*thread_timeout_secs)(void);
};

extern const struct bup_ops *const bup_seed_variants[BUP_CFG_COUNT];
extern const struct bup_ops *const bup_61_variants[BUP_CFG_COUNT];
extern const struct bup_ops *const bup_612_variants[BUP_CFG_COUNT];

#ifdef __cplusplus
}
#endif

#endif /* BALLAST_UPSTREAM_OPS_H */
