// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ballast diff: the kernel side of the shim runtime. Sees the kernel types of
 * bshim_kernel.h (no libc) and maps every kernel service the upstream balloon
 * driver uses onto the ballast world, through bshim_host.h: the same
 * world::Env members the core's environment calls, so both implementations
 * meet identical responses.
 */
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
	struct ctl_table *sysctl_root;
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

	/* arguments of the BUG events, as the core reports them */
	long inc_rc, inc_done;
	long dec_ret, dec_n;

	/* scratch for the lending calls */
	struct page **scratch;
	unsigned long scratch_n;
};

static struct bshim_ctx *cur;
struct resource iomem_resource;
const int bshim_sysctl_vals[] = {0, 1};
static struct ctl_table_header sysctl_header;

/* ------------------------------------------------------------- printing */
void bshim_printk(int level, const char *fmt, ...)
{
	__builtin_va_list ap;

	__builtin_va_start(ap, fmt);
	bshim_host_vlog(level, fmt, ap);
	__builtin_va_end(ap);
}

/* ------------------------------------------------------------ mem_map */
static struct page *page_of(unsigned long pfn, struct ballast_page *frame)
{
	unsigned long c = pfn >> CHUNK_SHIFT;
	struct page *base;

	if (c >= cur->n_chunks) {
		unsigned long n = cur->n_chunks ? cur->n_chunks : 64;
		struct page **t;
		unsigned long i;

		while (n <= c)
			n *= 2;
		t = bshim_host_zalloc(n * sizeof(*t));
		for (i = 0; i < cur->n_chunks; i++)
			t[i] = cur->chunks[i];
		bshim_host_free(cur->chunks);
		cur->chunks = t;
		cur->n_chunks = n;
	}
	base = cur->chunks[c];
	if (!base) {
		unsigned long i;

		base = bshim_host_zalloc(CHUNK * sizeof(*base));
		for (i = 0; i < CHUNK; i++) {
			base[i].bshim_pfn = (c << CHUNK_SHIFT) + i;
			base[i].lru.next = base[i].lru.prev = NULL;
		}
		cur->chunks[c] = base;
	}
	base += pfn & (CHUNK - 1);
	if (!base->bshim_frame)
		base->bshim_frame = frame ? frame : bshim_host_frame_quiet(cur->world, pfn);
	return base;
}

static struct ballast_page *frame_of(struct page *page)
{
	if (!page->bshim_frame)
		page->bshim_frame = bshim_host_frame_quiet(cur->world, page->bshim_pfn);
	return page->bshim_frame;
}

static void free_mem_map(struct bshim_ctx *ctx)
{
	unsigned long i;

	for (i = 0; i < ctx->n_chunks; i++)
		bshim_host_free(ctx->chunks[i]);
	bshim_host_free(ctx->chunks);
	ctx->chunks = NULL;
	ctx->n_chunks = 0;
}

struct page *pfn_to_page(unsigned long pfn)
{
	/* As world::Env::pfn_to_page: a pfn without a frame is a recorded fault. */
	struct ballast_page *f = ballast_world_pfn_to_page(cur->world, pfn);

	return page_of(pfn, f);
}

/* ---------------------------------------------------------- allocation */
void *kmalloc(size_t size, gfp_t gfp)
{
	struct alloc_hdr *h = bshim_host_zalloc(sizeof(*h) + size);

	(void)gfp;
	h->size = size;
	h->next = cur->allocs.next;
	h->prev = &cur->allocs;
	cur->allocs.next->prev = h;
	cur->allocs.next = h;
	return h + 1;
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp); /* host memory is zeroed */
}

void kfree(const void *p)
{
	struct alloc_hdr *h;

	if (!p)
		return;
	h = (struct alloc_hdr *)p - 1;
	h->prev->next = h->next;
	h->next->prev = h->prev;
	bshim_host_free(h);
}

static void free_allocs(struct bshim_ctx *ctx)
{
	struct alloc_hdr *h = ctx->allocs.next;

	while (h && h != &ctx->allocs) {
		struct alloc_hdr *n = h->next;

		bshim_host_free(h);
		h = n;
	}
	ctx->allocs.next = ctx->allocs.prev = &ctx->allocs;
}

/* -------------------------------------------------------------- pages */
struct page *alloc_page(gfp_t gfp)
{
	enum ballast_gfp g = (gfp & __GFP_HIGHMEM) ? BALLAST_GFP_BALLOON : BALLAST_GFP_USER;
	struct ballast_page *f = ballast_world_alloc_page(cur->world, g);

	return f ? page_of(f->pfn, f) : NULL;
}

void free_reserved_page(struct page *page)
{
	ballast_world_free_reserved_page(cur->world, frame_of(page));
}

void __free_page(struct page *page)
{
	free_reserved_page(page);
}

void adjust_managed_page_count(struct page *page, long count)
{
	ballast_world_adjust_managed_page_count(cur->world, frame_of(page), count);
}

int PageHighMem(const struct page *page)
{
	return ballast_world_page_is_highmem(cur->world, frame_of((struct page *)page));
}

void __SetPageOffline(struct page *page)
{
	ballast_world_set_page_offline(cur->world, frame_of(page));
}

void __ClearPageOffline(struct page *page)
{
	ballast_world_clear_page_offline(cur->world, frame_of(page));
}

int PageOffline(const struct page *page)
{
	return frame_of((struct page *)page)->offline;
}

void __online_page_set_limits(struct page *page)
{
	(void)page;
}

long si_mem_available(void)
{
	return ballast_world_mem_available(cur->world);
}

unsigned long get_num_physpages(void)
{
	return cur->boot.num_physpages;
}

unsigned long bshim_totalreserve_pages(void)
{
	return ballast_world_totalreserve_pages(cur->world);
}

unsigned long bshim_max_pfn(void)
{
	return cur->boot.max_pfn;
}

void kmap_flush_unused(void)
{
	ballast_world_kmap_flush_unused(cur->world);
}

void flush_tlb_all(void)
{
	ballast_world_flush_tlb_all(cur->world);
}

/* ---------------------------------------------------------------- Xen */
struct start_info *bshim_xen_start_info(void)
{
	return &cur->start_info;
}

unsigned long bshim_xen_released_pages(void)
{
	return cur->boot.released_pages;
}

struct xen_memory_region *bshim_xen_extra_mem(void)
{
	return cur->extra;
}

int xen_domain(void)
{
	return cur->boot.xen_domain != 0;
}

int xen_pv_domain(void)
{
	return cur->boot.xen_domain && cur->boot.pv_domain;
}

int xen_hvm_domain(void)
{
	return cur->boot.xen_domain && !cur->boot.pv_domain;
}

int xen_feature(int flag)
{
	if (flag == XENFEAT_auto_translated_physmap)
		return ballast_world_auto_translated_physmap(cur->world);
	return 0;
}

xen_pfn_t page_to_xen_pfn(struct page *page)
{
	return page->bshim_pfn; /* XEN_PFN_PER_PAGE == 1 */
}

unsigned long xen_page_to_gfn(struct page *page)
{
	/* pfn_to_gfn(): the pfn when auto-translated, else the p2m's mfn */
	if (ballast_world_auto_translated_physmap(cur->world))
		return page->bshim_pfn;
	return frame_of(page)->p2m;
}

bool set_phys_to_machine(unsigned long pfn, unsigned long mfn)
{
	if (mfn == INVALID_P2M_ENTRY)
		return ballast_world_set_phys_to_machine_invalid(cur->world, pfn) != 0;
	ballast_world_set_p2m(cur->world, pfn, mfn);
	return true;
}

int xen_alloc_p2m_entry(unsigned long pfn)
{
	return ballast_world_alloc_p2m_entry(cur->world, pfn);
}

int HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
	(void)cmd;
	(void)arg;
	return -ENOSPC; /* the driver never calls it directly; mem-reservation does below */
}

/* <xen/mem-reservation.h> and drivers/xen/mem-reservation.c */
void xenmem_reservation_scrub_page(struct page *page)
{
	ballast_world_scrub_page(cur->world, frame_of(page));
}

static int have_pvmmu(void)
{
	return (cur->ops->cfg & BUP_CFG_PVMMU) != 0;
}

static void event(enum ballast_event ev, long a, long b);
static void __attribute__((noreturn)) task_crashes(void);

void xenmem_reservation_va_mapping_update(unsigned long count, struct page **pages,
					  xen_pfn_t *frames)
{
	unsigned long i;

	/* increase_reservation() hands us &frame_list[i] for i < rc: past one
	 * batch it reads beyond the array. Stop before touching it, as the core
	 * does (BALLAST_EV_UB_FRAME_OVERRUN). */
	if (cur->inc_done >= (long)(PAGE_SIZE / sizeof(xen_pfn_t))) {
		event(BALLAST_EV_UB_FRAME_OVERRUN, cur->inc_rc, cur->inc_done);
		task_crashes();
	}
	for (i = 0; i < count; i++) {
		/* CONFIG_XEN_HAVE_PVMMU && !auto-translated: set_phys_to_machine()
		 * (the direct-map PTE update has no observable effect here). */
		if (have_pvmmu() && !ballast_world_auto_translated_physmap(cur->world))
			ballast_world_set_p2m(cur->world, pages[i]->bshim_pfn, frames[i]);
		cur->inc_done++;
	}
}

void xenmem_reservation_va_mapping_reset(unsigned long count, struct page **pages)
{
	unsigned long i;

	for (i = 0; i < count; i++)
		if (have_pvmmu() && !ballast_world_auto_translated_physmap(cur->world))
			ballast_world_set_p2m(cur->world, pages[i]->bshim_pfn, INVALID_P2M_ENTRY);
}

int xenmem_reservation_increase(int count, xen_pfn_t *frames)
{
	int rc = bshim_host_reservation(cur->world, XENMEM_populate_physmap, count, frames);

	cur->inc_rc = rc;
	cur->inc_done = 0;
	return rc;
}

int xenmem_reservation_decrease(int count, xen_pfn_t *frames)
{
	int rc = bshim_host_reservation(cur->world, XENMEM_decrease_reservation, count, frames);

	cur->dec_ret = rc;
	cur->dec_n = count;
	return rc;
}

/* ------------------------------------------------------------ hotplug */
int allocate_resource(struct resource *root, struct resource *new, resource_size_t size,
		      resource_size_t min, resource_size_t max, resource_size_t align,
		      resource_alignf alignf, void *alignf_data)
{
	int rc;

	(void)root;
	(void)min;
	(void)max;
	(void)alignf;
	(void)alignf_data;
	rc = ballast_world_allocate_resource(cur->world, size, align, &new->bshim_res);
	if (rc < 0)
		return rc;
	new->start = new->bshim_res.start;
	new->end = new->bshim_res.start + size - 1;
	return rc;
}

int release_resource(struct resource *old)
{
	ballast_world_release_resource(cur->world, &old->bshim_res);
	return 0;
}

unsigned long bshim_pages_per_section(void)
{
	return ballast_world_pages_per_section(cur->world);
}

int bshim_max_physmem_bits(void)
{
	unsigned long limit = ballast_world_addressable_pfn_limit(cur->world);

	return limit ? 63 - __builtin_clzl(limit) + PAGE_SHIFT : PAGE_SHIFT;
}

int memory_add_physaddr_to_nid(u64 start)
{
	(void)start;
	return 0;
}

int bshim_add_memory_resource(int nid, struct resource *res, mhp_t flags)
{
	(void)flags;
	return ballast_world_add_memory_resource(cur->world, nid, &res->bshim_res);
}

void lock_device_hotplug(void)
{
}

void unlock_device_hotplug(void)
{
}

struct online_args {
	struct page *page;
	unsigned int order;
};

static void online_task(void *arg)
{
	struct online_args *a = arg;

	cur->online_cb(a->page, a->order);
}

static void online_entry(void *ctx, struct ballast_page *frame, unsigned order)
{
	struct bshim_ctx *saved = cur;
	struct online_args a;

	cur = ctx;
	a.page = page_of(frame->pfn, frame);
	a.order = order;
	cur->nest++;
	(void)bshim_host_protect(online_task, &a);
	cur->nest--;
	cur = saved;
}

int set_online_page_callback(online_page_callback_t callback)
{
	cur->online_cb = callback;
	ballast_world_set_online_page_callback(cur->world, online_entry, cur);
	return 0;
}

struct notify_args {
	unsigned long action;
	int ret;
};

static void notify_task(void *arg)
{
	struct notify_args *a = arg;

	a->ret = cur->mem_nb->notifier_call(cur->mem_nb, a->action, NULL);
}

static int notify_entry(void *ctx, unsigned long action)
{
	struct bshim_ctx *saved = cur;
	struct notify_args a = {action, NOTIFY_DONE};

	cur = ctx;
	cur->nest++;
	(void)bshim_host_protect(notify_task, &a);
	cur->nest--;
	cur = saved;
	return a.ret;
}

int register_memory_notifier(struct notifier_block *nb)
{
	cur->mem_nb = nb;
	ballast_world_set_memory_notifier(cur->world, notify_entry, cur);
	return 0;
}

/* ------------------------------------------------------------- sysctl */
int proc_dointvec_minmax(struct ctl_table *table, int write, void *buffer, size_t *lenp,
			 long long *ppos)
{
	(void)table;
	(void)write;
	(void)buffer;
	(void)lenp;
	(void)ppos;
	return -EINVAL; /* writes go through bshim_sysctl_write() */
}

struct ctl_table_header *register_sysctl_table(struct ctl_table *table)
{
	cur->sysctl_root = table;
	sysctl_header.table = table;
	return &sysctl_header;
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static struct ctl_table *ctl_find(struct ctl_table *t, const char *name)
{
	for (; t && t->procname; t++)
		if (str_eq(t->procname, name))
			return t;
	return NULL;
}

int bshim_sysctl_write(struct bshim_ctx *ctx, const char *name, int value)
{
	struct ctl_table *t;

	cur = ctx;
	t = ctl_find(ctx->sysctl_root, "xen");
	t = t ? ctl_find(t->child, "balloon") : NULL;
	t = t ? ctl_find(t->child, name) : NULL;
	if (!t || !t->data || !(t->mode & 0200))
		return -ENOENT;
	if (t->proc_handler == proc_dointvec_minmax) {
		if ((t->extra1 && value < *(const int *)t->extra1) ||
		    (t->extra2 && value > *(const int *)t->extra2))
			return -EINVAL;
	}
	*(int *)t->data = value;
	return 0;
}

/* ------------------------------------------------------- events, death */
static void event(enum ballast_event ev, long a, long b)
{
	ballast_world_event(cur->world, ev, a, b);
}

static struct progress progress_now(void)
{
	const unsigned long *s = cur->ops->stats;
	struct progress p = {s[0], s[3], s[4], s[5]};

	return p;
}

static int progress_eq(struct progress a, struct progress b)
{
	return a.current == b.current && a.low == b.low && a.high == b.high && a.total == b.total;
}

static long credit_now(void)
{
	const unsigned long *s = cur->ops->stats;

	return (long)(s[1] - s[0]);
}

/* The running task can never continue: unwind it. */
static void __attribute__((noreturn)) task_dies(int thread_status)
{
	if (bshim_in_fiber() && cur->nest == 0)
		cur->thread_status = thread_status;
	bshim_host_abort();
}

void bshim_bug(const char *cond, const char *file, int line)
{
	bshim_printk(0, "kernel BUG at %s:%d: %s\n", file, line, cond);
	if (str_eq(cond, "page == NULL"))
		event(BALLAST_EV_BUG_INCREASE_NO_PAGE, cur->inc_rc, cur->inc_done);
	else if (str_eq(cond, "ret != nr_pages"))
		event(BALLAST_EV_BUG_DECREASE_MISMATCH, cur->dec_ret, cur->dec_n);
	else
		event(BALLAST_EV_NONE, line, -1);
	task_crashes();
}

/* The task is gone as after BUG(): mark it dead, keep balloon_mutex held. */
static void task_crashes(void)
{
	cur->dead = 1;
	if (cur->held) {
		/* balloon_mutex stays held by the dead task; the world's lock is
		 * only the checker's instrument and is released, as the core does. */
		cur->held->owner_dead = 1;
		ballast_world_unlock(cur->world);
		cur->held = NULL;
	}
	task_dies(TS_DIED);
}

void panic(const char *fmt, ...)
{
	bshim_printk(0, "Kernel panic - not syncing: %s", fmt);
	event(BALLAST_EV_PANIC_BOOT_TIMEOUT, credit_now(), 0);
	cur->dead = 1;
	cur->panicked = 1;
	task_dies(TS_DIED);
}

/* ------------------------------------------- spin detection (HANG_SPIN) */
/*
 * The core's definition: an iteration of the credit loop that ends in state
 * DONE with non-zero credit and leaves current_pages, balloon_low,
 * balloon_high and total_pages unchanged is a spin. An iteration starts at
 * the loop's mutex_lock (not the re-lock in reserve_additional_memory) and
 * ends at its cond_resched().
 *   6.1: balloon_state is a static, so the check is at cond_resched().
 *   seed: the state is a local of balloon_process; that the loop goes round
 *   again proves state == DONE and credit != 0, so the check is at the next
 *   iteration's mutex_lock, before anything else happens.
 */
static struct spin_track *spin_of_running_task(void)
{
	if (cur->nest)
		return NULL;
	if (bshim_in_fiber())
		return &cur->thread_spin;
	if (cur->worker_active)
		return &cur->worker_spin;
	return NULL;
}

static void spin_at_lock(void)
{
	struct spin_track *t = spin_of_running_task();

	if (!t || t->phase == SP_OFF || t->phase == SP_IN_ITER)
		return;
	if (t->phase == SP_AFTER_RESCHED && t == &cur->worker_spin &&
	    progress_eq(t->before, progress_now())) {
		event(BALLAST_EV_HANG_SPIN, t->credit, 0);
		t->phase = SP_OFF;
		bshim_host_abort(); /* the worker would loop forever; the mutex is free */
	}
	t->phase = SP_IN_ITER;
	t->before = progress_now();
	t->credit = credit_now();
}

void cond_resched(void)
{
	struct spin_track *t = spin_of_running_task();

	ballast_world_cond_resched(cur->world);
	if (!t || t->phase != SP_IN_ITER)
		return;
	t->phase = SP_AFTER_RESCHED;
	if (t == &cur->thread_spin) {
		if (cur->ops->thread_state && cur->ops->thread_state() == 0 /* BP_DONE */ &&
		    t->credit && progress_eq(t->before, progress_now()))
			event(BALLAST_EV_HANG_SPIN, t->credit, 0);
	}
	/* the seed: compared at the next iteration's lock */
}

/* -------------------------------------------------------------- mutex */
void mutex_lock(struct mutex *m)
{
	if (m->locked) {
		/* Single-threaded and deterministic: a held mutex here is held by a
		 * task that will never release it (it died in BUG()). */
		event(BALLAST_EV_HANG_LOCK, 0, 0);
		task_dies(TS_BLOCKED);
	}
	spin_at_lock();
	ballast_world_lock(cur->world);
	m->locked = 1;
	cur->held = m;
}

void mutex_unlock(struct mutex *m)
{
	m->locked = 0;
	if (cur->held == m)
		cur->held = NULL;
	ballast_world_unlock(cur->world);
}

/* --------------------------------------------------------- wait queues */
struct woken_arg {
	struct wait_queue_head *wq;
	unsigned long wakes;
};

static int woken(void *arg)
{
	struct woken_arg *a = arg;

	return a->wq->wakes != a->wakes;
}

void wake_up(struct wait_queue_head *wq)
{
	wq->wakes++;
	if (wq->kind == BSHIM_WQ_THREAD)
		ballast_world_wake_worker(cur->world);
	else
		ballast_world_wake_page_waiters(cur->world);
}

static int always(void *arg)
{
	(void)arg;
	return 1;
}

void bshim_wait_guard(long what)
{
	if (ballast_world_wait_pages(cur->world, always, NULL, 0, 0) == BALLAST_WAIT_NEVER) {
		event(BALLAST_EV_HANG_WAIT, what, 0);
		task_dies(TS_BLOCKED);
	}
}

int bshim_wait_once(struct wait_queue_head *wq, int interruptible, long what)
{
	struct woken_arg a = {wq, wq->wakes};
	int r = ballast_world_wait_pages(cur->world, woken, &a, interruptible, 0);

	if (r == BALLAST_WAIT_INTERRUPTED && interruptible)
		return -ERESTARTSYS;
	if (r == BALLAST_WAIT_NEVER) {
		/* Nothing can ever wake it: the task sleeps forever. */
		event(BALLAST_EV_HANG_WAIT, what, 0);
		task_dies(TS_BLOCKED);
	}
	return 0; /* woken (or a spurious timeout): re-check the condition */
}

/* -------------------------------------------------------------- time */
unsigned long bshim_jiffies(void)
{
	return (unsigned long)ballast_world_jiffies(cur->world);
}

long schedule_timeout_interruptible(long timeout)
{
	if (ballast_world_run_until(cur->world,
				    ballast_world_jiffies(cur->world) + (unsigned long)timeout)) {
		/* the world hung while this task slept: it would never wake */
		event(BALLAST_EV_HANG_SPIN, credit_now(), 1);
		task_dies(TS_BLOCKED);
	}
	return 0;
}

/* ------------------------------------------------------- delayed work */
static void work_task(void *arg)
{
	struct delayed_work *dw = arg;

	dw->work.func(&dw->work);
}

static void work_entry(void *ctx)
{
	struct bshim_ctx *saved = cur;
	struct delayed_work *dw;

	cur = ctx;
	dw = cur->work;
	if (dw) {
		cur->worker_active = 1;
		cur->worker_spin.phase = SP_START;
		(void)bshim_host_protect(work_task, dw);
		cur->worker_spin.phase = SP_OFF;
		cur->worker_active = 0;
	}
	cur = saved;
}

static unsigned long jiffies_to_secs(unsigned long j)
{
	return (j + HZ - 1) / HZ;
}

bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay)
{
	cur->work = dwork;
	ballast_world_set_work(cur->world, work_entry, cur);
	ballast_world_schedule_work(cur->world, jiffies_to_secs(delay), 0);
	return true;
}

bool mod_delayed_work_bshim(struct delayed_work *dwork, unsigned long delay)
{
	cur->work = dwork;
	ballast_world_set_work(cur->world, work_entry, cur);
	ballast_world_schedule_work(cur->world, jiffies_to_secs(delay), 1);
	return true;
}

/* -------------------------------------------------- the 6.1 kthread */
bool kthread_should_stop(void)
{
	return false;
}

static void thread_task(void *arg)
{
	struct bshim_ctx *ctx = arg;

	(void)ctx->thread_fn(ctx->thread_data);
}

static void thread_resume(int cmd)
{
	cur->kt_cmd = cmd;
	if (bshim_fiber_resume(cur->fiber) && cur->thread_status == TS_ALIVE)
		cur->thread_status = TS_DIED; /* returned: cannot happen (never stopped) */
}

/*
 * World kthread hooks. While the thread lives, its fiber is parked inside
 * wait_event_freezable_timeout(); prepare reads the timeout it computed,
 * cond lets it evaluate its own condition, step lets it run one iteration up
 * to the next wait. A thread that died (BUG) or blocks forever on the mutex
 * is modelled as the core models its dead worker: every step reports
 * HANG_LOCK.
 */
static void kt_prepare(void *ctx, unsigned long *timeout_secs, long *credit_snapshot)
{
	struct bshim_ctx *saved = cur;

	cur = ctx;
	if (cur->thread_status == TS_ALIVE && !cur->thread_started) {
		cur->thread_started = 1;
		thread_resume(BSHIM_KT_GO);
	}
	*credit_snapshot = credit_now();
	switch (cur->thread_status) {
	case TS_ALIVE:
		*timeout_secs = jiffies_to_secs((unsigned long)cur->kt_timeout);
		break;
	case TS_BLOCKED:
		*timeout_secs = cur->ops->thread_timeout_secs ? cur->ops->thread_timeout_secs() :
								3600;
		break;
	default:
		*timeout_secs = 3600;
		break;
	}
	cur = saved;
}

static int kt_cond(void *ctx, long credit_snapshot)
{
	struct bshim_ctx *saved = cur;
	int r;

	cur = ctx;
	switch (cur->thread_status) {
	case TS_ALIVE:
		thread_resume(BSHIM_KT_CHECK);
		r = cur->thread_status == TS_ALIVE ? cur->kt_cond : 0;
		break;
	case TS_BLOCKED:
		r = cur->ops->thread_cond ? cur->ops->thread_cond(credit_snapshot) : 0;
		break;
	default:
		r = credit_now() != credit_snapshot;
		break;
	}
	cur = saved;
	return r;
}

static void kt_step(void *ctx)
{
	struct bshim_ctx *saved = cur;

	cur = ctx;
	if (cur->thread_status == TS_ALIVE)
		thread_resume(BSHIM_KT_GO);
	else
		event(BALLAST_EV_HANG_LOCK, 0, 0);
	cur = saved;
}

struct task_struct *bshim_kthread_run(int (*fn)(void *), void *data, const char *name)
{
	(void)name;
	cur->thread_fn = fn;
	cur->thread_data = data;
	cur->thread_status = TS_ALIVE;
	cur->thread_started = 0;
	if (!cur->fiber)
		cur->fiber = bshim_fiber_new();
	bshim_fiber_arm(cur->fiber, thread_task, cur);
	ballast_world_start_kthread(cur->world, kt_prepare, kt_cond, kt_step, cur);
	return &cur->task;
}

void bshim_kt_sleep_begin(struct wait_queue_head *wq, long timeout)
{
	(void)wq;
	cur->kt_timeout = timeout;
	cur->thread_spin.phase = SP_OFF;
}

int bshim_kt_sleep_poll(int cond_value)
{
	struct bshim_ctx *ctx = cur;

	ctx->kt_cond = cond_value;
	bshim_fiber_yield();
	cur = ctx;
	return ctx->kt_cmd;
}

long bshim_kt_sleep_end(int cond_value)
{
	cur->thread_spin.phase = SP_START;
	return cond_value ? 1 : 0;
}

void xen_balloon_init(void)
{
	/* drivers/xen/xen-balloon.c (xenstore watch, sysfs): the harness calls
	 * balloon_set_new_target() and stores the tunables directly. */
}

/* ------------------------------------------------------ harness face */
struct bshim_ctx *bshim_ctx_new(void)
{
	struct bshim_ctx *ctx = bshim_host_zalloc(sizeof(*ctx));

	ctx->allocs.next = ctx->allocs.prev = &ctx->allocs;
	return ctx;
}

void bshim_ctx_delete(struct bshim_ctx *ctx)
{
	if (!ctx)
		return;
	if (cur == ctx)
		cur = NULL;
	free_mem_map(ctx);
	free_allocs(ctx);
	bshim_fiber_delete(ctx->fiber);
	bshim_host_free(ctx->scratch);
	bshim_host_free(ctx);
}

void bshim_ctx_start(struct bshim_ctx *ctx, struct ballast_world *w,
		     const struct ballast_boot_info *boot, const struct bup_ops *ops)
{
	unsigned i, n;
	struct bshim_fiber *fiber = ctx->fiber;
	struct page **scratch = ctx->scratch;
	unsigned long scratch_n = ctx->scratch_n;

	free_mem_map(ctx);
	free_allocs(ctx);
	{
		/* zero everything but the reusable buffers */
		unsigned char *p = (unsigned char *)ctx;
		unsigned long k;

		for (k = 0; k < sizeof(*ctx); k++)
			p[k] = 0;
	}
	ctx->allocs.next = ctx->allocs.prev = &ctx->allocs;
	ctx->fiber = fiber;
	ctx->scratch = scratch;
	ctx->scratch_n = scratch_n;
	ctx->world = w;
	ctx->ops = ops;
	ctx->boot = *boot;
	ctx->start_info.nr_pages = boot->start_info_nr_pages;
	n = boot->n_regions < XEN_EXTRA_MEM_MAX_REGIONS ? boot->n_regions :
							  XEN_EXTRA_MEM_MAX_REGIONS;
	for (i = 0; i < n; i++) {
		ctx->extra[i].start_pfn = boot->regions[i].start_pfn;
		ctx->extra[i].n_pfns = boot->regions[i].n_pfns;
	}
	cur = ctx;
	ops->reset();
}

static void init_task(void *arg)
{
	*(int *)arg = cur->ops->init();
}

int bshim_call_init(struct bshim_ctx *ctx)
{
	int rc = 0;

	cur = ctx;
	if (bshim_host_protect(init_task, &rc))
		rc = BSHIM_ABORTED_RC;
	return rc;
}

static void wait_finish_task(void *arg)
{
	*(int *)arg = cur->ops->wait_finish();
}

int bshim_call_wait_finish(struct bshim_ctx *ctx)
{
	int rc = 0;

	cur = ctx;
	if (!ctx->ops->wait_finish)
		return -38; /* -ENOSYS */
	if (bshim_host_protect(wait_finish_task, &rc))
		rc = ctx->panicked ? BSHIM_PANICKED : -EDEADLK;
	return rc;
}

static void set_target_task(void *arg)
{
	cur->ops->set_target(*(unsigned long *)arg);
}

void bshim_call_set_target(struct bshim_ctx *ctx, unsigned long target)
{
	cur = ctx;
	(void)bshim_host_protect(set_target_task, &target);
}

struct lend_args {
	int nr;
	int rc;
};

static void alloc_task(void *arg)
{
	struct lend_args *a = arg;

	a->rc = cur->ops->alloc(a->nr, cur->scratch);
}

static void free_task(void *arg)
{
	struct lend_args *a = arg;

	cur->ops->free(a->nr, cur->scratch);
}

static void ensure_scratch(struct bshim_ctx *ctx, unsigned long n)
{
	if (n <= ctx->scratch_n && ctx->scratch)
		return;
	bshim_host_free(ctx->scratch);
	ctx->scratch_n = n < 64 ? 64 : n;
	ctx->scratch = bshim_host_zalloc(ctx->scratch_n * sizeof(struct page *));
}

int bshim_call_alloc(struct bshim_ctx *ctx, int nr_pages, struct ballast_page **pages)
{
	struct lend_args a = {nr_pages, 0};
	int i;

	cur = ctx;
	if (nr_pages < 0 && ctx->ops->version == BUP_VERSION_61)
		return -EINVAL; /* unsigned in 6.1: would overrun the caller's array */
	ensure_scratch(ctx, nr_pages > 0 ? (unsigned long)nr_pages : 1);
	for (i = 0; i < nr_pages; i++)
		ctx->scratch[i] = NULL;
	if (bshim_host_protect(alloc_task, &a)) {
		/* The task hung (HANG_WAIT) or crashed inside the call: it never
		 * returns and keeps what it already put in its array, as the
		 * core's dead/hung lending path does. Hand those pages out so the
		 * engine can count them as held by the abandoned caller. */
		for (i = 0; i < nr_pages; i++)
			pages[i] = ctx->scratch[i] ? frame_of(ctx->scratch[i]) : NULL;
		return BSHIM_ABORTED_RC;
	}
	if (a.rc == 0)
		for (i = 0; i < nr_pages; i++)
			pages[i] = ctx->scratch[i] ? frame_of(ctx->scratch[i]) : NULL;
	return a.rc;
}

void bshim_call_free(struct bshim_ctx *ctx, int nr_pages, struct ballast_page **pages)
{
	struct lend_args a = {nr_pages, 0};
	int i;

	cur = ctx;
	if (nr_pages < 0 && ctx->ops->version == BUP_VERSION_61)
		return;
	ensure_scratch(ctx, nr_pages > 0 ? (unsigned long)nr_pages : 1);
	for (i = 0; i < nr_pages; i++)
		ctx->scratch[i] = pages[i] ? page_of(pages[i]->pfn, pages[i]) : NULL;
	(void)bshim_host_protect(free_task, &a);
}

void bshim_stats_store(struct bshim_ctx *ctx, unsigned field, unsigned long value)
{
	if (field < 10)
		ctx->ops->stats[field] = value;
}

void bshim_stats(struct bshim_ctx *ctx, unsigned long out[10])
{
	unsigned i;

	for (i = 0; i < 10; i++)
		out[i] = ctx->ops->stats[i];
}

void bshim_walk_balloon(struct bshim_ctx *ctx, void (*fn)(void *arg, unsigned long pfn), void *arg,
			unsigned long limit)
{
	struct list_head *head = ctx->ops->ballooned_pages;
	struct list_head *n;
	unsigned long k = 0;

	for (n = head->next; n && n != head && k < limit; n = n->next, k++)
		fn(arg, list_entry(n, struct page, lru)->bshim_pfn);
}

int bshim_dead(struct bshim_ctx *ctx)
{
	return ctx->dead;
}

int bshim_thread_status(struct bshim_ctx *ctx)
{
	return ctx->thread_status;
}
