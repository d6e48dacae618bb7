/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ballast diff: the kernel-API shim. Every kernel definition an upstream
 * drivers/xen/balloon.c (the late-2019 seed and Linux 6.1) needs to compile
 * unmodified as C in user space, and nothing else. No libc header: the
 * driver's world is the kernel's. The functions declared here are
 * implemented in diff/shim/kernel/ (one file per subsystem), which maps them
 * onto the ballast world (world/) through diff/shim/bshim_host.h.
 *
 * Every linux/, asm/ and xen/ header under this include directory is a
 * one-line forward to this file.
 */
#ifndef BALLAST_SHIM_KERNEL_H
#define BALLAST_SHIM_KERNEL_H

#include "ballast_env.h" /* libc-free: the world's shared enums and types */
#include "world_page.h"	 /* libc-free: struct ballast_page (the world's frame) */

/* ---------------------------------------------------------------- basics */
typedef _Bool bool;
#define true 1
#define false 0
#ifndef NULL
#define NULL ((void *)0)
#endif
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed long long s64;
typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned int uint;
typedef unsigned int gfp_t;
typedef u64 phys_addr_t;
typedef u64 resource_size_t;
typedef unsigned long xen_pfn_t;
typedef unsigned long xen_ulong_t;
typedef u16 domid_t;

#define __init
#define __exit
#define __read_mostly
#define __must_check
#define __always_inline inline __attribute__((__always_inline__))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define offsetof(t, m) __builtin_offsetof(t, m)
#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BUILD_BUG_ON(c) _Static_assert(!(c), "BUILD_BUG_ON(" #c ")")
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

/* The kernel's type-checked min/max: mixing types warns, as in the kernel. */
#define min(x, y)                          \
	({                                 \
		__typeof__(x) _mn1 = (x);  \
		__typeof__(y) _mn2 = (y);  \
		(void)(&_mn1 == &_mn2);    \
		_mn1 < _mn2 ? _mn1 : _mn2; \
	})
#define max(x, y)                          \
	({                                 \
		__typeof__(x) _mx1 = (x);  \
		__typeof__(y) _mx2 = (y);  \
		(void)(&_mx1 == &_mx2);    \
		_mx1 > _mx2 ? _mx1 : _mx2; \
	})
#define __round_mask(x, y) ((__typeof__(x))((y)-1))
#define round_up(x, y) ((((x)-1) | __round_mask(x, y)) + 1)
static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

/* errno */
#define EPERM 1
#define ENOENT 2
#define EINTR 4
#define EIO 5
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define EDEADLK 35
#define ECANCELED 125
#define ERESTARTSYS 512
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error)
{
	return (void *)error;
}
static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}
static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

/* ---------------------------------------------------------- printing */
#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "xen_balloon"
#endif
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
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

/* ------------------------------------------------------------ modules */
#define EXPORT_SYMBOL(sym) extern int bshim_export_dummy_
#define EXPORT_SYMBOL_GPL(sym) extern int bshim_export_dummy_
#define MODULE_PARAM_PREFIX ""
#define module_param(name, type, perm) extern int bshim_param_dummy_
#define core_param(name, var, type, perm) extern int bshim_param_dummy_
/* The wrapper translation unit calls these through fixed names. */
#define subsys_initcall(fn) static int (*const bshim_subsys_initcall)(void) = fn
#define late_initcall_sync(fn) static int (*const bshim_late_initcall_sync)(void) = fn
#define late_initcall(fn) static int (*const bshim_late_initcall)(void) = fn

/* --------------------------------------------------------------- lists */
struct list_head {
	struct list_head *next, *prev;
};
#define LIST_HEAD_INIT(name)     \
	{                        \
		&(name), &(name) \
	}
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}
static inline void __list_add(struct list_head *n, struct list_head *prev, struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}
static inline void list_add(struct list_head *n, struct list_head *head)
{
	__list_add(n, head, head->next);
}
static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	__list_add(n, head->prev, head);
}
#define LIST_POISON1 ((struct list_head *)0x100)
#define LIST_POISON2 ((struct list_head *)0x122)
static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = LIST_POISON1;
	e->prev = LIST_POISON2;
}
static inline int list_empty(const struct list_head *h)
{
	return READ_ONCE(h->next) == h;
}
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_first_entry_or_null(ptr, type, member)                       \
	({                                                                \
		struct list_head *head__ = (ptr);                         \
		struct list_head *pos__ = READ_ONCE(head__->next);        \
		pos__ != head__ ? list_entry(pos__, type, member) : NULL; \
	})
#define list_next_entry(pos, member) list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_entry_is_head(pos, head, member) (&pos->member == (head))
#define list_for_each_entry(pos, head, member)                       \
	for (pos = list_first_entry(head, __typeof__(*pos), member); \
	     !list_entry_is_head(pos, head, member); pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)               \
	for (pos = list_first_entry(head, __typeof__(*pos), member), \
	    n = list_next_entry(pos, member);                        \
	     !list_entry_is_head(pos, head, member); pos = n, n = list_next_entry(n, member))

/* ------------------------------------------------------- locks, tasks */
struct mutex {
	int locked;
	int owner_dead; /* the holder hit BUG(): nobody will ever unlock it */
};
#define DEFINE_MUTEX(name) struct mutex name = {0, 0}
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
static inline void mutex_init(struct mutex *m)
{
	m->locked = 0;
	m->owner_dead = 0;
}

struct task_struct {
	int pid;
};
void cond_resched(void);
#define might_sleep() \
	do {          \
	} while (0)

/* ------------------------------------------------- time and jiffies */
#define HZ 250 /* Debian's CONFIG_HZ, and the world's */
unsigned long bshim_jiffies(void);
#define jiffies (bshim_jiffies())
#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)
#define time_is_before_eq_jiffies(a) time_after_eq(jiffies, a)
#define time_is_after_jiffies(a) time_before(jiffies, a)
long schedule_timeout_interruptible(long timeout);

/* --------------------------------------------------------- wait queues */
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
static inline bool set_freezable(void)
{
	return true;
}
bool kthread_should_stop(void);
struct task_struct *bshim_kthread_run(int (*fn)(void *), void *data, const char *name);
#define kthread_run(fn, data, namefmt, ...) bshim_kthread_run(fn, data, namefmt)

/* ------------------------------------------------------- delayed work */
struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);
struct work_struct {
	work_func_t func;
};
struct delayed_work {
	struct work_struct work;
};
#define DECLARE_DELAYED_WORK(n, f) struct delayed_work n = {{f}}
bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay);
bool mod_delayed_work_bshim(struct delayed_work *dwork, unsigned long delay);

/* ------------------------------------------------------ pages, memory */
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)

/* A kernel struct page, tied to the world's frame of the same pfn. */
struct page {
	struct list_head lru;
	unsigned long bshim_pfn;
	struct ballast_page *bshim_frame; /* the world's frame (NULL: no such frame) */
};

#define ___GFP_HIGHMEM 0x02u
#define ___GFP_IO 0x40u
#define ___GFP_FS 0x80u
#define ___GFP_DIRECT_RECLAIM 0x400u
#define ___GFP_KSWAPD_RECLAIM 0x800u
#define ___GFP_HARDWALL 0x100000u
#define __GFP_HIGHMEM ___GFP_HIGHMEM
#define __GFP_NOWARN 0x2000u
#define __GFP_NORETRY 0x10000u
#define __GFP_NOMEMALLOC 0x20000u
#define __GFP_RECLAIM (___GFP_DIRECT_RECLAIM | ___GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | ___GFP_IO | ___GFP_FS)
#define GFP_USER (__GFP_RECLAIM | ___GFP_IO | ___GFP_FS | ___GFP_HARDWALL)
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)

struct page *alloc_page(gfp_t gfp);
void __free_page(struct page *page);
void free_reserved_page(struct page *page);
void adjust_managed_page_count(struct page *page, long count);
int PageHighMem(const struct page *page);
void __SetPageOffline(struct page *page);
void __ClearPageOffline(struct page *page);
int PageOffline(const struct page *page);
void __online_page_set_limits(struct page *page);
static inline unsigned long page_to_pfn(const struct page *page)
{
	return page->bshim_pfn;
}
struct page *pfn_to_page(unsigned long pfn);
long si_mem_available(void);
unsigned long get_num_physpages(void);
unsigned long bshim_totalreserve_pages(void);
#define totalreserve_pages (bshim_totalreserve_pages())
unsigned long bshim_max_pfn(void);
#define max_pfn (bshim_max_pfn())
void kmap_flush_unused(void);
void flush_tlb_all(void);

void *kzalloc(size_t size, gfp_t gfp);
void *kmalloc(size_t size, gfp_t gfp);
void kfree(const void *p);

/* ------------------------------------------------------ memory hotplug */
struct resource {
	resource_size_t start;
	resource_size_t end;
	const char *name;
	unsigned long flags;
	struct ballast_resource bshim_res; /* the world's view of the range */
};
#define IORESOURCE_SYSTEM_RAM 0x01000200UL
#define IORESOURCE_BUSY 0x80000000UL
extern struct resource iomem_resource;
typedef resource_size_t (*resource_alignf)(void *, const struct resource *, resource_size_t,
					   resource_size_t);
int allocate_resource(struct resource *root, struct resource *new, resource_size_t size,
		      resource_size_t min, resource_size_t max, resource_size_t align,
		      resource_alignf alignf, void *alignf_data);
int release_resource(struct resource *old);
unsigned long bshim_pages_per_section(void);
#define PAGES_PER_SECTION (bshim_pages_per_section())
int bshim_max_physmem_bits(void);
#define MAX_PHYSMEM_BITS (bshim_max_physmem_bits())
int memory_add_physaddr_to_nid(u64 start);
typedef int mhp_t;
#define MHP_NONE 0
#define MHP_MERGE_RESOURCE 1
int bshim_add_memory_resource(int nid, struct resource *res, mhp_t flags);
/* 2 arguments (seed) or 3 (6.1) */
#define bshim_amr_pick(_1, _2, _3, n, ...) n
#define add_memory_resource(...)                                            \
	bshim_amr_pick(__VA_ARGS__, bshim_add_memory_resource(__VA_ARGS__), \
		       bshim_add_memory_resource(__VA_ARGS__, MHP_NONE), x, x)
void lock_device_hotplug(void);
void unlock_device_hotplug(void);
typedef void (*online_page_callback_t)(struct page *page, unsigned int order);
int set_online_page_callback(online_page_callback_t callback);

struct notifier_block;
typedef int (*notifier_fn_t)(struct notifier_block *nb, unsigned long action, void *data);
struct notifier_block {
	notifier_fn_t notifier_call;
	struct notifier_block *next;
	int priority;
};
#define NOTIFY_DONE 0
#define NOTIFY_OK 1
#define MEM_ONLINE (1 << 0)
#define MEM_GOING_OFFLINE (1 << 1)
#define MEM_OFFLINE (1 << 2)
#define MEM_GOING_ONLINE (1 << 3)
int register_memory_notifier(struct notifier_block *nb);

/* ---------------------------------------------------------------- sysctl */
struct ctl_table;
typedef int proc_handler(struct ctl_table *ctl, int write, void *buffer, size_t *lenp,
			 long long *ppos);
struct ctl_table {
	const char *procname;
	void *data;
	int maxlen;
	unsigned short mode;
	struct ctl_table *child;
	proc_handler *proc_handler;
	void *extra1;
	void *extra2;
};
struct ctl_table_header {
	struct ctl_table *table;
};
extern const int bshim_sysctl_vals[];
#define SYSCTL_ZERO ((void *)&bshim_sysctl_vals[0])
#define SYSCTL_ONE ((void *)&bshim_sysctl_vals[1])
int proc_dointvec_minmax(struct ctl_table *table, int write, void *buffer, size_t *lenp,
			 long long *ppos);
struct ctl_table_header *register_sysctl_table(struct ctl_table *table);

/* ------------------------------------------------------------------- Xen */
struct start_info {
	unsigned long nr_pages;
};
struct start_info *bshim_xen_start_info(void);
#define xen_start_info (bshim_xen_start_info())
unsigned long bshim_xen_released_pages(void);
#define xen_released_pages (bshim_xen_released_pages())
struct xen_memory_region {
	unsigned long start_pfn;
	unsigned long n_pfns;
};
#define XEN_EXTRA_MEM_MAX_REGIONS 128
struct xen_memory_region *bshim_xen_extra_mem(void);
#define xen_extra_mem (bshim_xen_extra_mem())
int xen_domain(void);
int xen_pv_domain(void);
int xen_hvm_domain(void);

#define XENFEAT_writable_page_tables 0
#define XENFEAT_auto_translated_physmap 2
int xen_feature(int flag);

#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE (1UL << XEN_PAGE_SHIFT)
#define XEN_PFN_PER_PAGE (PAGE_SIZE / XEN_PAGE_SIZE)
#define INVALID_P2M_ENTRY (~0UL)
xen_pfn_t page_to_xen_pfn(struct page *page);
unsigned long xen_page_to_gfn(struct page *page);
bool set_phys_to_machine(unsigned long pfn, unsigned long mfn);
int xen_alloc_p2m_entry(unsigned long pfn);

#define DOMID_SELF ((domid_t)0x7FF0U)
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap 6
int HYPERVISOR_memory_op(unsigned int cmd, void *arg);

void xenmem_reservation_scrub_page(struct page *page);
void xenmem_reservation_va_mapping_update(unsigned long count, struct page **pages,
					  xen_pfn_t *frames);
void xenmem_reservation_va_mapping_reset(unsigned long count, struct page **pages);
int xenmem_reservation_increase(int count, xen_pfn_t *frames);
int xenmem_reservation_decrease(int count, xen_pfn_t *frames);

/* <xen/balloon.h> */
#define RETRY_UNLIMITED 0
struct balloon_stats {
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
extern struct balloon_stats balloon_stats;
void balloon_set_new_target(unsigned long target);
/* Both generations' names: the seed defines the first pair, 6.1 the second. */
int alloc_xenballooned_pages(int nr_pages, struct page **pages);
void free_xenballooned_pages(int nr_pages, struct page **pages);
int xen_alloc_ballooned_pages(unsigned int nr_pages, struct page **pages);
void xen_free_ballooned_pages(unsigned int nr_pages, struct page **pages);
void xen_balloon_init(void);

#endif /* BALLAST_SHIM_KERNEL_H */
