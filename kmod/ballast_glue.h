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

#define BALLAST_VERSION "0.1.0"

/* ---- ballast_env.c ---- */
/* 1 while selftest=1: hypercalls go to the in-module fake hypervisor. */
extern bool ballast_selftest_mode;

/*
 * Selftest instrumentation of the environment. Only read/written by the
 * selftest (single thread, insmod context) and by the env functions.
 */
struct ballast_st_env {
	atomic_long_t allocated;     /* successful ballast_env_alloc_page() */
	atomic_long_t freed;	     /* ballast_env_free_reserved_page() */
	long fail_alloc_after;	     /* <0: never; else fail once this many more succeeded */
	long mem_available_override; /* <0: real si_mem_available() */
	bool sched_real;	     /* false: record schedule_work() instead of queueing */
	bool pending;		     /* a schedule_work() was recorded and not consumed */
	unsigned long pending_delay; /* its delay in seconds */
	unsigned long sched_calls;
};
extern struct ballast_st_env ballast_st;

void ballast_env_start(void); /* ready to queue the worker */
void ballast_env_stop(void);  /* no more queueing; cancel_delayed_work_sync() */

/* Xen's view of this domain, in pages (fake backend in selftest mode); <0 unknown. */
long ballast_max_reservation(void);
long ballast_current_reservation(void);

const char *ballast_event_name(enum ballast_event ev);

/* ---- ballast_fault.c: fault-injection switches (module parameters) ---- */
bool ballast_fault_hypercall(bool increase, int *count);
bool ballast_fault_alloc(void);
unsigned long ballast_faults_injected(void);

/* ---- ballast_main.c: growing above the start with the built-in driver's pages ---- */
void ballast_borrow_for_target(unsigned long target_pages);
unsigned long ballast_borrowed_pages(void);
/* ---- ballast_main.c: lending to other drivers (exported) ---- */
struct page;
int ballast_alloc_ballooned_pages(int nr_pages, struct page **pages);
void ballast_free_ballooned_pages(int nr_pages, struct page **pages);

/* ---- ballast_sysfs.c ---- */
int ballast_sysfs_init(void);
void ballast_sysfs_exit(void);
/* Strict parsers, also used by the selftest: 0 or -EINVAL. */
int ballast_parse_kb(const char *buf, unsigned long long *bytes);
int ballast_parse_bytes(const char *buf, unsigned long long *bytes);
/* Range-checks a byte target against the maximum reservation and applies it. */
int ballast_apply_target_bytes(unsigned long long bytes);

/* ---- ballast_selftest.c ---- */
int ballast_fake_increase(int count, ballast_pfn_t *frames);
int ballast_fake_decrease(int count, ballast_pfn_t *frames);
long ballast_fake_max_reservation(void);
long ballast_fake_current_reservation(void);
void ballast_fake_init(unsigned long reservation, unsigned long max);
int ballast_selftest_run(void); /* prints KTAP; returns number of failures */
void ballast_selftest_unload_check(unsigned long left);

#endif
