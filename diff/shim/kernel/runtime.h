/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ballast diff: the kernel side of the shim runtime, shared by its files (one
 * per subsystem, in this folder). They implement the CUSTOMISED kernel
 * services of bshim_custom.h: they see the kernel types of bshim_kernel.h
 * (no libc) and map every kernel service the upstream balloon driver uses
 * onto the ballast world, through bshim_host.h: the same world::Env members
 * the core's environment calls, so both implementations meet identical
 * responses. api.c is the harness's face of it (bshim_api.h).
 */
#ifndef BALLAST_SHIM_RUNTIME_H
#define BALLAST_SHIM_RUNTIME_H

#include "world_c.h" /* first: its parameter names are kernel macros */
#include "bshim_kernel.h"
#include "bshim_host.h"
#include "bshim_api.h"

/* The driver reads these kernel variables through macros; the runtime
 * defines what stands behind them and needs the plain names. */
#undef max_pfn
#undef totalreserve_pages
#undef xen_start_info
#undef xen_released_pages
#undef xen_unpopulated_pages
#undef xen_extra_mem
#undef jiffies

#define CHUNK_SHIFT 6
#define CHUNK (1UL << CHUNK_SHIFT)

enum thread_status { TS_NONE = 0, TS_ALIVE = 1, TS_DIED = 2, TS_BLOCKED = 3 };
enum spin_phase { SP_OFF = 0, SP_START, SP_IN_ITER, SP_AFTER_RESCHED };

struct progress {
	unsigned long current, low, high, total;
};

struct spin_track {
	int phase;
	long credit;
	struct progress before;
};

struct alloc_hdr {
	struct alloc_hdr *next, *prev;
	unsigned long pad; /* keep the payload 16-aligned */
	unsigned long size;
};

struct bshim_ctx {
	struct ballast_world *world;
	const struct bup_ops *ops;
	struct ballast_boot_info boot;
	struct start_info start_info;
	struct xen_memory_region extra[XEN_EXTRA_MEM_MAX_REGIONS];

	/* mem_map: struct page by pfn, in chunks (addresses never move) */
	struct page **chunks;
	unsigned long n_chunks;

	struct alloc_hdr allocs; /* kzalloc'd by the driver, freed at the next start */

	online_page_callback_t online_cb;
	struct notifier_block *mem_nb;
	struct ctl_table *sysctl_root; /* register_sysctl_table(): the xen/balloon/ tree */
	struct ctl_table *sysctl_dir;  /* register_sysctl_init("xen/balloon", ...): the table */
	size_t sysctl_dir_n;
	struct delayed_work *work;

	int dead; /* a task hit BUG()/panic(): balloon_mutex is held forever */
	int panicked;
	int nest; /* depth of callbacks (online page, notifier) on the running task */
	int worker_active;
	struct mutex *held; /* the mutex the running driver holds */

	/* the 6.1 kthread */
	struct bshim_fiber *fiber;
	int (*thread_fn)(void *);
	void *thread_data;
	int thread_status;
	int thread_started;
	long kt_timeout;
	int kt_cond;
	int kt_cmd;
	struct task_struct task;

	struct spin_track worker_spin, thread_spin;

	/* the boot wait: the credit it last saw, and since when (jiffies) */
	long bw_credit;
	unsigned long bw_since;

	/* arguments of the BUG events, as the core reports them */
	long inc_rc, inc_done;
	long dec_ret, dec_n;

	/* scratch for the lending calls */
	struct page **scratch;
	unsigned long scratch_n;
};

/* The driver variant running now, and its world: every kernel service reads it. */
extern struct bshim_ctx *bshim_cur;

/* ---------------------------------------------------------------- helpers */
static inline int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static inline unsigned long jiffies_to_secs(unsigned long j)
{
	return (j + HZ - 1) / HZ;
}

/* ------------------------------------------------------ mem_map (mm.c) */
/* The struct page of pfn, tied to `frame` (NULL: looked up quietly). */
struct page *bshim_page_of(unsigned long pfn, struct ballast_page *frame);
static inline struct ballast_page *frame_of(struct page *page)
{
	if (!page->bshim_frame)
		page->bshim_frame = bshim_host_frame_quiet(bshim_cur->world, page->bshim_pfn);
	return page->bshim_frame;
}
void bshim_free_mem_map(struct bshim_ctx *ctx);
/* Frees what the driver kzalloc'd since the last start. */
void bshim_free_allocs(struct bshim_ctx *ctx);

/* ----------------------------------------- events, task death (bug.c) */
static inline void event(enum ballast_event ev, long a, long b)
{
	ballast_world_event(bshim_cur->world, ev, a, b);
}

/* The running task can never continue: unwind it. */
void __attribute__((noreturn)) bshim_task_dies(int thread_status);
/* The task is gone as after BUG(): mark it dead, keep balloon_mutex held. */
void __attribute__((noreturn)) bshim_task_crashes(void);

/* --------------------------------------- progress of the credit loop (spin.c) */
static inline struct progress progress_now(void)
{
	const unsigned long *s = bshim_cur->ops->stats;
	struct progress p = {s[0], s[3], s[4], s[5]};

	return p;
}

static inline int progress_eq(struct progress a, struct progress b)
{
	return a.current == b.current && a.low == b.low && a.high == b.high && a.total == b.total;
}

static inline long credit_now(void)
{
	const unsigned long *s = bshim_cur->ops->stats;

	return (long)(s[1] - s[0]);
}

/* At the credit loop's mutex_lock / at its cond_resched(). */
void bshim_spin_at_lock(void);
void bshim_spin_at_resched(void);

#endif /* BALLAST_SHIM_RUNTIME_H */
