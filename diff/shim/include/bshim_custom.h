/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ballast diff, kernel-API shim: declarations that exist in the kernel but
 * have been CUSTOMISED for the harness. Each is backed by the ballast world
 * (world/), through the same world::Env members the core's environment
 * calls, or reports to the harness (events, a dead task), so that the driver
 * and the core meet identical responses. They are implemented in
 * diff/shim/kernel/, one file per subsystem, named in each heading below.
 */
#ifndef BALLAST_SHIM_CUSTOM_H
#define BALLAST_SHIM_CUSTOM_H

/* ------------------------------------- printing, BUG, panic (kernel/bug.c) */
#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "xen_balloon"
#endif
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
/* To the host's log (BALLAST_SHIM_LOG=1), not the kernel's. */
void bshim_printk(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define pr_emerg(fmt, ...) bshim_printk(0, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) bshim_printk(3, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) bshim_printk(4, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) bshim_printk(5, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) bshim_printk(6, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) bshim_printk(7, pr_fmt(fmt), ##__VA_ARGS__)
/* Printing is not observable here, so the _once flag (a static that would
 * survive a reset) is dropped on purpose. */
#define pr_warn_once(fmt, ...) pr_warn(fmt, ##__VA_ARGS__)
#define pr_err_once(fmt, ...) pr_err(fmt, ##__VA_ARGS__)

/* BUG and panic: reported as events; the task that hit them is dead. */
void bshim_bug(const char *cond, const char *file, int line) __attribute__((noreturn));
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define BUG() bshim_bug("BUG()", __FILE__, __LINE__)
#define BUG_ON(c)                                          \
	do {                                               \
		if (unlikely(c))                           \
			bshim_bug(#c, __FILE__, __LINE__); \
	} while (0)
#define WARN_ON(c)                                            \
	({                                                    \
		int __w = !!(c);                              \
		if (unlikely(__w))                            \
			bshim_printk(4, "WARN_ON(%s)\n", #c); \
		unlikely(__w);                                \
	})
#define WARN(c, fmt, ...)                                         \
	({                                                        \
		int __w = !!(c);                                  \
		if (unlikely(__w))                                \
			bshim_printk(4, fmt "\n", ##__VA_ARGS__); \
		unlikely(__w);                                    \
	})

/* ------------------------------------------- initcalls (upstream/wrap_*.c) */
/* The wrapper translation unit calls these through fixed names. */
#define subsys_initcall(fn) static int (*const bshim_subsys_initcall)(void) = fn
#define late_initcall_sync(fn) static int (*const bshim_late_initcall_sync)(void) = fn
#define late_initcall(fn) static int (*const bshim_late_initcall)(void) = fn

/* ---------------------------------------- mutex, cond_resched (kernel/sched.c) */
struct mutex {
	int locked;
	int owner_dead; /* the holder hit BUG(): nobody will ever unlock it */
};
#define DEFINE_MUTEX(name) struct mutex name = {0, 0}
/* A held mutex here is held by a dead task: the locker is reported hung. */
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
static inline void mutex_init(struct mutex *m)
{
	m->locked = 0;
	m->owner_dead = 0;
}
/* Counted in the world; ends an iteration of the credit loop (kernel/spin.c). */
void cond_resched(void);

/* ----------------------------------------------- time (kernel/sched.c) */
#define HZ 250 /* Debian's CONFIG_HZ, and the world's */
/* The world's virtual clock. */
unsigned long bshim_jiffies(void);
#define jiffies (bshim_jiffies())
/* Runs the world until the timeout has passed. */
long schedule_timeout_interruptible(long timeout);

/* ---------------------------------------- wait queues (kernel/sched.c) */
struct wait_queue_head {
	unsigned long wakes; /* wake_up() count: what a sleeper waits for */
	int kind;	     /* BSHIM_WQ_*: set by the wrapper's reset */
};
typedef struct wait_queue_head wait_queue_head_t;
#define BSHIM_WQ_OTHER 0
#define BSHIM_WQ_PAGES 1  /* balloon_wq: lending callers wait for ballooned pages */
#define BSHIM_WQ_THREAD 2 /* balloon_thread_wq (6.1) */
#define DECLARE_WAIT_QUEUE_HEAD(name) struct wait_queue_head name = {0, 0}
static inline void init_waitqueue_head(struct wait_queue_head *wq)
{
	wq->wakes = 0;
}
void wake_up(struct wait_queue_head *wq);

/*
 * Sleeping. One sleep = the world decides whether anything can wake it
 * (bshim_wait_once returns 0: woken, re-check; -ERESTARTSYS: interrupted).
 * A sleep nothing can ever end reports BALLAST_EV_HANG_WAIT and kills the
 * sleeping task (it never returns).
 */
int bshim_wait_once(struct wait_queue_head *wq, int interruptible, long what);
/* What a hang report names: the wrapper may define it to a variable in scope
 * at the driver's wait (add_ballooned_pages: nr_pages), as the core reports. */
#ifndef BSHIM_WAIT_WHAT
#define BSHIM_WAIT_WHAT 0L
#endif
/*
 * Every wait_event passes the world's livelock guard once, condition true or
 * not, as the core's env.wait_pages() call does: a caller that loops through
 * a wait whose condition is always true (the highmem-only balloon) is
 * reported as HANG_WAIT by both at the same iteration.
 */
void bshim_wait_guard(long what);
#define wait_event(wq, condition)                                                 \
	do {                                                                      \
		bshim_wait_guard((long)(BSHIM_WAIT_WHAT));                        \
		while (!(condition))                                              \
			(void)bshim_wait_once(&(wq), 0, (long)(BSHIM_WAIT_WHAT)); \
	} while (0)
#define wait_event_interruptible(wq, condition)                                     \
	({                                                                          \
		int __ret = 0;                                                      \
		bshim_wait_guard((long)(BSHIM_WAIT_WHAT));                          \
		while (!(condition)) {                                              \
			__ret = bshim_wait_once(&(wq), 1, (long)(BSHIM_WAIT_WHAT)); \
			if (__ret)                                                  \
				break;                                              \
		}                                                                   \
		__ret;                                                              \
	})

/* ---------------------------------------- delayed work (kernel/sched.c) */
/* The world's delayed work: one pending item, due in whole seconds. */
bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay);

/* ---------------------------------------- the 6.1 kthread (kernel/kthread.c) */
/*
 * The kthread's sleep (6.1 balloon_thread): yields to the harness, which
 * asks for the condition (BSHIM_KT_CHECK) or lets the thread run
 * (BSHIM_KT_GO: woken with the condition true, or the timeout passed).
 */
#define BSHIM_KT_CHECK 1
#define BSHIM_KT_GO 2
void bshim_kt_sleep_begin(struct wait_queue_head *wq, long timeout);
int bshim_kt_sleep_poll(int cond_value);
long bshim_kt_sleep_end(int cond_value);
#define wait_event_freezable_timeout(wq, condition, timeout)          \
	({                                                            \
		int __c;                                              \
		bshim_kt_sleep_begin(&(wq), (long)(timeout));         \
		do {                                                  \
			__c = !!(condition);                          \
		} while (bshim_kt_sleep_poll(__c) == BSHIM_KT_CHECK); \
		bshim_kt_sleep_end(__c);                              \
	})
/* The thread runs on a fiber, stepped by the world's kthread model. */
struct task_struct *bshim_kthread_run(int (*fn)(void *), void *data, const char *name);
#define kthread_run(fn, data, namefmt, ...) bshim_kthread_run(fn, data, namefmt)

/* ------------------------------------------------- memory (kernel/mm.c) */
/* A kernel struct page, tied to the world's frame of the same pfn. */
struct page {
	struct list_head lru;
	unsigned long bshim_pfn;
	struct ballast_page *bshim_frame; /* the world's frame (NULL: no such frame) */
};

/* The world's guest allocator and accounting. */
struct page *alloc_page(gfp_t gfp);
void __free_page(struct page *page);
void free_reserved_page(struct page *page);
void adjust_managed_page_count(struct page *page, long count);
int PageHighMem(const struct page *page);
void __SetPageOffline(struct page *page);
void __ClearPageOffline(struct page *page);
int PageOffline(const struct page *page);
static inline unsigned long page_to_pfn(const struct page *page)
{
	return page->bshim_pfn;
}
/* A pfn without a frame is a recorded fault, as in world::Env. */
struct page *pfn_to_page(unsigned long pfn);
long si_mem_available(void);
unsigned long get_num_physpages(void);
unsigned long bshim_totalreserve_pages(void);
#define totalreserve_pages (bshim_totalreserve_pages())
unsigned long bshim_max_pfn(void);
#define max_pfn (bshim_max_pfn())
/* Counted in the world. */
void kmap_flush_unused(void);
void flush_tlb_all(void);

/* Host memory, freed at the next start of the driver. */
void *kzalloc(size_t size, gfp_t gfp);
void *kmalloc(size_t size, gfp_t gfp);
void kfree(const void *p);

/* ------------------------------------------ memory hotplug (kernel/hotplug.c) */
struct resource {
	resource_size_t start;
	resource_size_t end;
	const char *name;
	unsigned long flags;
	struct ballast_resource bshim_res; /* the world's view of the range */
};
extern struct resource iomem_resource;
/* The world's resources and its hotplug: ranges above guest space. */
int allocate_resource(struct resource *root, struct resource *new, resource_size_t size,
		      resource_size_t min, resource_size_t max, resource_size_t align,
		      resource_alignf alignf, void *alignf_data);
int release_resource(struct resource *old);
unsigned long bshim_pages_per_section(void);
#define PAGES_PER_SECTION (bshim_pages_per_section())
int bshim_max_physmem_bits(void);
#define MAX_PHYSMEM_BITS (bshim_max_physmem_bits())
int bshim_add_memory_resource(int nid, struct resource *res, mhp_t flags);
/* 2 arguments (seed) or 3 (6.1) */
#define bshim_amr_pick(_1, _2, _3, n, ...) n
#define add_memory_resource(...)                                            \
	bshim_amr_pick(__VA_ARGS__, bshim_add_memory_resource(__VA_ARGS__), \
		       bshim_add_memory_resource(__VA_ARGS__, MHP_NONE), x, x)
/* Called by the world when it onlines a page / a range. */
int set_online_page_callback(online_page_callback_t callback);
int register_memory_notifier(struct notifier_block *nb);

/* ---------------------------------------------------- sysctl (kernel/sysctl.c) */
extern const int bshim_sysctl_vals[];
#define SYSCTL_ZERO ((void *)&bshim_sysctl_vals[0])
#define SYSCTL_ONE ((void *)&bshim_sysctl_vals[1])
/* Writes come from the harness (bshim_sysctl_write), which checks the range
 * when this is the handler. */
int proc_dointvec_minmax(struct ctl_table *table, int write, void *buffer, size_t *lenp,
			 long long *ppos);
struct ctl_table_header *register_sysctl_table(struct ctl_table *table);
/* 6.12: a path and a table without terminator, its size from ARRAY_SIZE. */
struct ctl_table_header *bshim_register_sysctl_sz(const char *path, struct ctl_table *table,
						  size_t n);
#define register_sysctl_init(path, table) bshim_register_sysctl_sz(path, table, ARRAY_SIZE(table))

/* ------------------------------------------------------------ Xen (kernel/xen.c) */
/* Boot information, from the world's ballast_boot_info. */
struct start_info *bshim_xen_start_info(void);
#define xen_start_info (bshim_xen_start_info())
unsigned long bshim_xen_released_pages(void);
#define xen_released_pages (bshim_xen_released_pages())
/* 6.12: extra pages CONFIG_XEN_UNPOPULATED_ALLOC took at boot (0 without it). */
unsigned long bshim_xen_unpopulated_pages(void);
#define xen_unpopulated_pages (bshim_xen_unpopulated_pages())
struct xen_memory_region *bshim_xen_extra_mem(void);
#define xen_extra_mem (bshim_xen_extra_mem())
int xen_domain(void);
int xen_pv_domain(void);
int xen_initial_domain(void);
int xen_hvm_domain(void);
int xen_feature(int flag);

/* The p2m: the world's. */
unsigned long xen_page_to_gfn(struct page *page);
bool set_phys_to_machine(unsigned long pfn, unsigned long mfn);
int xen_alloc_p2m_entry(unsigned long pfn);

/* The world's hypervisor: XENMEM_current_reservation and _maximum_reservation
 * (6.12's dom0 reads the former at boot); everything else is -ENOSYS (the
 * driver changes its reservation through xenmem_reservation_*() below). */
int HYPERVISOR_memory_op(unsigned int cmd, void *arg);

/* drivers/xen/mem-reservation.c over the world's XENMEM_* hypercalls. */
void xenmem_reservation_scrub_page(struct page *page);
void xenmem_reservation_va_mapping_update(unsigned long count, struct page **pages,
					  xen_pfn_t *frames);
void xenmem_reservation_va_mapping_reset(unsigned long count, struct page **pages);
int xenmem_reservation_increase(int count, xen_pfn_t *frames);
int xenmem_reservation_decrease(int count, xen_pfn_t *frames);

#endif /* BALLAST_SHIM_CUSTOM_H */
