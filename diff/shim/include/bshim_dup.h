/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ballast diff, kernel-API shim: declarations DUPLICATED from kernel source
 * (Linux 6.1, the late-2019 seed agrees on all of them), so that the driver
 * compiles as it does in the kernel. They must be kept in sync with the
 * kernel the driver comes from. Where only some fields of a kernel type are
 * needed, only those are here (the "partially duplicated types" below).
 */
#ifndef BALLAST_SHIM_DUP_H
#define BALLAST_SHIM_DUP_H

/* ---------------------------------------------- types (linux/types.h) */
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
struct page;

/* --------------------- compiler and helper macros (linux/compiler*.h, kernel.h) */
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

/* ------------------------------------------- errno (linux/errno.h, err.h) */
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
#define ERANGE 34
#define EDEADLK 35
#define ENOSYS 38
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

/* ------------------------------------------------------- lists (linux/list.h) */
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

/* -------------------------------------------- time comparisons (linux/jiffies.h) */
#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)
#define time_is_before_eq_jiffies(a) time_after_eq(jiffies, a)

/* ------------------------------------------- pages and GFP flags (asm/page.h, gfp.h) */
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)

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

/* ------------------- memory hotplug (linux/ioport.h, memory_hotplug.h, memory.h) */
#define IORESOURCE_SYSTEM_RAM 0x01000200UL
#define IORESOURCE_BUSY 0x80000000UL
struct resource;
typedef resource_size_t (*resource_alignf)(void *, const struct resource *, resource_size_t,
					   resource_size_t);
typedef int mhp_t;
#define MHP_NONE 0
#define MHP_MERGE_RESOURCE 1
typedef void (*online_page_callback_t)(struct page *page, unsigned int order);

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

/* ------------------------------------ Xen (xen/ and asm/xen/ headers, Xen public ABI) */
struct xen_memory_region {
	unsigned long start_pfn;
	unsigned long n_pfns;
};
#define XEN_EXTRA_MEM_MAX_REGIONS 128

#define XENFEAT_writable_page_tables 0
#define XENFEAT_auto_translated_physmap 2

#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE (1UL << XEN_PAGE_SHIFT)
#define XEN_PFN_PER_PAGE (PAGE_SIZE / XEN_PAGE_SIZE)
#define INVALID_P2M_ENTRY (~0UL)

#define page_to_xen_pfn(page) ((page_to_pfn(page)) << (PAGE_SHIFT - XEN_PAGE_SHIFT))

#define DOMID_SELF ((domid_t)0x7FF0U)
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap 6
#define XENMEM_current_reservation 3
#define XENMEM_maximum_reservation 4

/* ------------------------------------------------------ <xen/balloon.h> */
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

/* ----------------- partially duplicated types: only the fields the driver uses */
struct task_struct {
	int pid;
};

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);
struct work_struct {
	work_func_t func;
};
struct delayed_work {
	struct work_struct work;
};
#define DECLARE_DELAYED_WORK(n, f) struct delayed_work n = {{f}}

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

struct start_info {
	unsigned long nr_pages;
};

#endif /* BALLAST_SHIM_DUP_H */
