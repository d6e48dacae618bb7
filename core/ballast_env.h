/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ballast: the environment contract, in C.
 *
 * The balloon core (core/balloon.h) is a C++ class template over an
 * environment type Env. Every way the core touches the world goes through a
 * member function of Env whose name and signature are listed below, in the
 * form of the C functions `ballast_env_<name>` that a C environment (the
 * kernel glue in kmod/) implements. core/extern_env.h adapts these C
 * functions to the Env shape; the user-space world (world/) implements the
 * same members directly in C++ so they inline.
 *
 * Why a template parameter and not an interface with virtual functions:
 * no vtable, no __cxa_pure_virtual, no RTTI, and the user-space
 * instantiation inlines into the fuzz loop. The price, one instantiation per
 * environment, is what we want anyway: exactly two environments exist.
 *
 * This header is valid C (kernel glue) and C++ (core), includes nothing,
 * and depends on no libc.
 */
#ifndef BALLAST_ENV_H
#define BALLAST_ENV_H

#ifdef __cplusplus
extern "C" {
#endif

/* Xen frame number (xen_pfn_t on x86-64; static_asserted in world/ and kmod/). */
typedef unsigned long ballast_pfn_t;

/* Opaque page: `struct page` in the kernel, world::Frame in user space. */
struct ballast_page;

/* Intrusive list link, layout-compatible with the kernel's struct list_head. */
struct ballast_list {
	struct ballast_list *next, *prev;
};

/* A physical address range reserved for hotplug (struct resource in the kernel). */
struct ballast_resource {
	unsigned long long start;
	unsigned long long size;
	void *handle; /* environment-owned */
};

/* Allocation flavours used by the driver. */
enum ballast_gfp {
	BALLAST_GFP_BALLOON = 0, /* GFP_HIGHUSER|__GFP_NOWARN|__GFP_NORETRY|__GFP_NOMEMALLOC */
	BALLAST_GFP_USER = 1	 /* GFP_USER (the lending path) */
};

/*
 * Observable events. Where upstream would BUG, spin, wait forever or read
 * out of bounds, the core reports one of these instead of invoking undefined
 * behaviour. One table: X(NAME, value, description).
 */
#define BALLAST_EVENTS(X)                                                                          \
	X(NONE, 0, "none")                                                                         \
	X(BUG_INCREASE_NO_PAGE, 1, /* BUG_ON(page == NULL) in increase_reservation */              \
	  "hypervisor reported more populated extents than the balloon holds (upstream BUG_ON)")   \
	X(BUG_DECREASE_MISMATCH, 2, /* BUG_ON(ret != nr_pages) in decrease_reservation */          \
	  "decrease_reservation reply differs from the request (upstream BUG_ON)")                 \
	X(HANG_SPIN, 3, /* a step made no progress, kept DONE, credit non-zero */                  \
	  "the credit loop would spin forever")                                                    \
	X(HANG_WAIT, 4, "a lending caller would wait forever for ballooned pages")                 \
	X(PANIC_BOOT_TIMEOUT, 5,                                                                   \
	  "initial ballooning failed (linux-6.1 balloon_wait_finish panics)")                      \
	X(HOSTILE_REPLY, 6, "out-of-range hypervisor reply; recovered (ballast)")                  \
	X(DECREASE_ROLLBACK, 7, "partial decrease rolled back page by page (ballast)")             \
	X(REJECTED_INPUT, 8, "input rejected (insane target, tunable or count)")                   \
	X(REGION_SKIPPED, 9, "boot-time extra region beyond max_pfn skipped (ballast)")            \
	X(HANG_LOCK, 10, "a caller would block forever on the mutex a crashed worker holds")       \
	X(UB_FRAME_OVERRUN, 11, /* increase_reservation reads frame_list[512+] */                  \
	  "populate reply beyond one batch: upstream reads past frame_list (undefined behaviour)") \
	X(BOOT_WAIT_ABANDONED, 12,                                                                 \
	  "the boot wait gave up: the initial target was not reached in time (ballast)") \
	X(HOTPLUG_NOT_ONLINED, 13,                                                                 \
	  "hotplugged memory was not onlined in time; the worker stopped waiting (ballast)")

enum ballast_event {
#define BALLAST_EVENT_ENUM(name, value, text) BALLAST_EV_##name = value,
	BALLAST_EVENTS(BALLAST_EVENT_ENUM)
#undef BALLAST_EVENT_ENUM
#define BALLAST_EVENT_ONE(name, value, text) +1
	BALLAST_EV_COUNT = 0 BALLAST_EVENTS(BALLAST_EVENT_ONE)
#undef BALLAST_EVENT_ONE
};

/* Short name ("HANG_SPIN") and description of an event; "?" if out of range. */
static inline const char *ballast_event_id(unsigned int ev)
{
	switch (ev) {
#define BALLAST_EVENT_ID(name, value, text) \
	case value:                         \
		return #name;
		BALLAST_EVENTS(BALLAST_EVENT_ID)
#undef BALLAST_EVENT_ID
	}
	return "?";
}
static inline const char *ballast_event_text(unsigned int ev)
{
	switch (ev) {
#define BALLAST_EVENT_TEXT(name, value, text) \
	case value:                           \
		return text;
		BALLAST_EVENTS(BALLAST_EVENT_TEXT)
#undef BALLAST_EVENT_TEXT
	}
	return "?";
}

/* Return of ballast_env_wait_pages(). */
enum ballast_wait_result {
	BALLAST_WAIT_OK = 0,	      /* the condition became true */
	BALLAST_WAIT_INTERRUPTED = 1, /* a signal (interruptible waits only) */
	BALLAST_WAIT_TIMEOUT = 2,     /* the timeout passed (timeout_secs > 0 only) */
	BALLAST_WAIT_NEVER = 3	      /* simulated worlds: nothing can ever make it true */
};

/* Simulated worlds: a boot wait (balloon_wait_finish) whose credit has not
 * moved for this long never ends -- the balloon's worker is dead or waits
 * for nothing (its longest sleep is an hour) -- and is reported HANG_WAIT. */
#define BALLAST_BOOT_WAIT_HANG_SECS 3600UL

/* Memory-notifier action that matters (MEM_ONLINE in <linux/memory.h>). */
#define BALLAST_MEM_ONLINE 1UL

/* Boot-time facts, gathered by the environment once (balloon_init()). */
#define BALLAST_MAX_EXTRA_REGIONS 128
struct ballast_region {
	unsigned long start_pfn;
	unsigned long n_pfns;
};
struct ballast_boot_info {
	int xen_domain;			   /* 0: not running on Xen */
	int pv_domain;			   /* xen_pv_domain() */
	int initial_domain;		   /* xen_initial_domain(): dom0 */
	unsigned long start_info_nr_pages; /* xen_start_info->nr_pages */
	unsigned long released_pages;	   /* xen_released_pages */
	unsigned long max_pfn;
	unsigned long num_physpages; /* get_num_physpages(): RAM in the memory map below max_pfn */
	/* xen_unpopulated_pages: extra pages CONFIG_XEN_UNPOPULATED_ALLOC took at
	 * boot (they are then not in the regions below) */
	unsigned long unpopulated_pages;
	/* XENMEM_current_reservation as the environment read it while gathering
	 * these facts (0: not available) */
	long current_reservation;
	unsigned int n_regions; /* <= BALLAST_MAX_EXTRA_REGIONS */
	struct ballast_region regions[BALLAST_MAX_EXTRA_REGIONS];
};

/*
 * The contract. A C environment defines all of these; a C++ environment
 * provides members with the same names minus the prefix.
 */
#define BALLAST_ENV_FUNCTIONS(X)                                                                   \
	/* -- pages and the guest allocator -- */                                                  \
	X(struct ballast_page *, alloc_page, (enum ballast_gfp gfp))                               \
	X(void, free_reserved_page,                                                                \
	  (struct ballast_page * page)) /* back to allocator, +1 managed */                        \
	X(void, adjust_managed_page_count, (struct ballast_page * page, long delta))               \
	X(void, set_page_offline, (struct ballast_page * page))                                    \
	X(void, clear_page_offline, (struct ballast_page * page))                                  \
	X(int, page_is_highmem, (struct ballast_page * page))                                      \
	X(unsigned long, page_to_pfn, (struct ballast_page * page))                                \
	X(struct ballast_page *, pfn_to_page, (unsigned long pfn))                                 \
	X(struct ballast_list *, page_lru, (struct ballast_page * page))                           \
	X(struct ballast_page *, lru_to_page, (struct ballast_list * node))                        \
	X(void, scrub_page, (struct ballast_page * page))                                          \
	X(long, mem_available, (void)) /* si_mem_available() */                                    \
	X(unsigned long, totalreserve_pages, (void))                                               \
	/* an aligned block of 2^order pages, no retry, no warning, split so that */               \
	/* each page is freed alone (free_reserved_page); NULL if there is none */                 \
	X(struct ballast_page *, alloc_block, (enum ballast_gfp gfp, unsigned int order))          \
	/* 1 if its machine frames are consecutive (auto-translated: always 1) */                  \
	X(int, block_machine_contiguous, (struct ballast_page * page, unsigned int order))         \
	/* -- the hypervisor -- */                                                                 \
	X(ballast_pfn_t, page_to_xen_pfn, (struct ballast_page * page))                            \
	X(ballast_pfn_t, page_to_gfn, (struct ballast_page * page))	 /* xen_page_to_gfn */     \
	X(int, reservation_increase, (int count, ballast_pfn_t *frames)) /* populate_physmap */    \
	X(int, reservation_decrease,                                                               \
	  (int count, ballast_pfn_t *frames)) /* decrease_reservation */                           \
	/* the same with extents of 2^order pages: frames[i] starts extent i */                    \
	X(int, reservation_increase_order, (unsigned int order, int count, ballast_pfn_t *frames)) \
	X(int, reservation_decrease_order, (unsigned int order, int count, ballast_pfn_t *frames)) \
	X(void, va_mapping_update, (struct ballast_page * page, ballast_pfn_t frame))              \
	X(void, va_mapping_reset, (struct ballast_page * page))                                    \
	/* the same for the 2^order pages of a block, frame..frame+2^order-1: one */               \
	/* batch of mapping updates where the guest needs them (PV: a multicall) */                \
	X(void, va_mapping_update_block,                                                           \
	  (struct ballast_page * page, unsigned int order, ballast_pfn_t frame))                   \
	X(void, va_mapping_reset_block, (struct ballast_page * page, unsigned int order))          \
	X(void, kmap_flush_unused, (void))                                                         \
	X(void, flush_tlb_all, (void))                                                             \
	X(int, auto_translated_physmap, (void)) /* xen_feature(XENFEAT_auto_translated_physmap) */ \
	X(int, alloc_p2m_entry, (unsigned long pfn)) /* xen_alloc_p2m_entry */                     \
	X(long, current_reservation, (void)) /* XENMEM_current_reservation of DOMID_SELF */        \
	/* -- memory hotplug -- */                                                                 \
	X(unsigned long, pages_per_section, (void))                                                \
	X(int, allocate_resource,                                                                  \
	  (unsigned long long size, unsigned long long align, struct ballast_resource *res))       \
	X(void, release_resource, (struct ballast_resource * res))                                 \
	X(unsigned long, addressable_pfn_limit, (void)) /* 1 << (MAX_PHYSMEM_BITS-PAGE_SHIFT) */   \
	X(int, memory_add_physaddr_to_nid, (unsigned long long addr))                              \
	X(int, set_phys_to_machine_invalid, (unsigned long pfn)) /* 1 on success */                \
	X(int, add_memory_resource,                                                                \
	  (int nid, struct ballast_resource *res)) /* takes device_hotplug lock */                 \
	/* -- locking, waiting, scheduling, reporting -- */                                        \
	X(void, lock, (void))                                                                      \
	X(void, unlock, (void))                                                                    \
	X(void, wake_page_waiters, (void)) /* wake_up(&balloon_wq) */                              \
	X(int, wait_pages,                                                                         \
	  (int (*cond)(void *), void *arg, int interruptible,                                      \
	   unsigned long timeout_secs)) /* enum ballast_wait_result */                             \
	X(void, schedule_work,                                                                     \
	  (unsigned long delay_secs, int modify)) /* modify: mod_delayed_work */                   \
	X(void, wake_worker, (void)) /* wake_up(&balloon_thread_wq) (kthread model) */             \
	X(void, cond_resched, (void))                                                              \
	X(void, event, (enum ballast_event ev, long a, long b))

#define BALLAST_ENV_DECLARE(ret, name, args) ret ballast_env_##name args;
BALLAST_ENV_FUNCTIONS(BALLAST_ENV_DECLARE)
#undef BALLAST_ENV_DECLARE

#ifdef __cplusplus
}
#endif

#endif /* BALLAST_ENV_H */
