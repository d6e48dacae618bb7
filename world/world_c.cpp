// SPDX-License-Identifier: GPL-2.0 OR MIT
// The C face: thin forwards to world::Env / world::World.
#include "world_c_cxx.h"
#include "world_env.h"

using world::Env;
using world::from_c;

namespace {
inline Env E(ballast_world *w)
{
	return Env(&from_c(w));
}
} // namespace

extern "C" {

ballast_page *ballast_world_alloc_page(ballast_world *w, ballast_gfp gfp)
{
	return E(w).alloc_page(gfp);
}
void ballast_world_free_reserved_page(ballast_world *w, ballast_page *p)
{
	E(w).free_reserved_page(p);
}
void ballast_world_adjust_managed_page_count(ballast_world *w, ballast_page *p, long d)
{
	E(w).adjust_managed_page_count(p, d);
}
void ballast_world_set_page_offline(ballast_world *w, ballast_page *p)
{
	E(w).set_page_offline(p);
}
void ballast_world_clear_page_offline(ballast_world *w, ballast_page *p)
{
	E(w).clear_page_offline(p);
}
int ballast_world_page_is_highmem(ballast_world *w, ballast_page *p)
{
	return E(w).page_is_highmem(p);
}
unsigned long ballast_world_page_to_pfn(ballast_world *w, ballast_page *p)
{
	return E(w).page_to_pfn(p);
}
ballast_page *ballast_world_pfn_to_page(ballast_world *w, unsigned long pfn)
{
	return E(w).pfn_to_page(pfn);
}
ballast_list *ballast_world_page_lru(ballast_world *w, ballast_page *p)
{
	return E(w).page_lru(p);
}
ballast_page *ballast_world_lru_to_page(ballast_world *w, ballast_list *n)
{
	return E(w).lru_to_page(n);
}
void ballast_world_scrub_page(ballast_world *w, ballast_page *p)
{
	E(w).scrub_page(p);
}
long ballast_world_mem_available(ballast_world *w)
{
	return E(w).mem_available();
}
unsigned long ballast_world_totalreserve_pages(ballast_world *w)
{
	return E(w).totalreserve_pages();
}

long ballast_world_memory_op(ballast_world *w, unsigned int cmd, void *arg)
{
	return from_c(w).memory_op(cmd, arg);
}
ballast_pfn_t ballast_world_page_to_xen_pfn(ballast_world *w, ballast_page *p)
{
	return E(w).page_to_xen_pfn(p);
}
ballast_pfn_t ballast_world_page_to_gfn(ballast_world *w, ballast_page *p)
{
	return E(w).page_to_gfn(p);
}
int ballast_world_reservation_increase(ballast_world *w, int n, ballast_pfn_t *f)
{
	return E(w).reservation_increase(n, f);
}
int ballast_world_reservation_decrease(ballast_world *w, int n, ballast_pfn_t *f)
{
	return E(w).reservation_decrease(n, f);
}
void ballast_world_va_mapping_update(ballast_world *w, ballast_page *p, ballast_pfn_t f)
{
	E(w).va_mapping_update(p, f);
}
void ballast_world_va_mapping_reset(ballast_world *w, ballast_page *p)
{
	E(w).va_mapping_reset(p);
}
void ballast_world_kmap_flush_unused(ballast_world *w)
{
	E(w).kmap_flush_unused();
}
void ballast_world_flush_tlb_all(ballast_world *w)
{
	E(w).flush_tlb_all();
}
int ballast_world_auto_translated_physmap(ballast_world *w)
{
	return E(w).auto_translated_physmap();
}
int ballast_world_alloc_p2m_entry(ballast_world *w, unsigned long pfn)
{
	return E(w).alloc_p2m_entry(pfn);
}
void ballast_world_set_p2m(ballast_world *w, unsigned long pfn, unsigned long mfn)
{
	from_c(w).set_p2m(pfn, mfn);
}
unsigned long ballast_world_get_p2m(ballast_world *w, unsigned long pfn)
{
	return from_c(w).get_p2m(pfn);
}

unsigned long ballast_world_pages_per_section(ballast_world *w)
{
	return E(w).pages_per_section();
}
int ballast_world_allocate_resource(ballast_world *w, unsigned long long size,
				    unsigned long long align, ballast_resource *r)
{
	return E(w).allocate_resource(size, align, r);
}
void ballast_world_release_resource(ballast_world *w, ballast_resource *r)
{
	E(w).release_resource(r);
}
unsigned long ballast_world_addressable_pfn_limit(ballast_world *w)
{
	return E(w).addressable_pfn_limit();
}
int ballast_world_memory_add_physaddr_to_nid(ballast_world *w, unsigned long long a)
{
	return E(w).memory_add_physaddr_to_nid(a);
}
int ballast_world_set_phys_to_machine_invalid(ballast_world *w, unsigned long pfn)
{
	return E(w).set_phys_to_machine_invalid(pfn);
}
int ballast_world_add_memory_resource(ballast_world *w, int nid, ballast_resource *r)
{
	return E(w).add_memory_resource(nid, r);
}
void ballast_world_set_online_page_callback(ballast_world *w,
					    void (*fn)(void *, ballast_page *, unsigned int),
					    void *ctx)
{
	from_c(w).set_online_page_callback(fn, ctx);
}
void ballast_world_set_memory_notifier(ballast_world *w, int (*fn)(void *, unsigned long),
				       void *ctx)
{
	from_c(w).set_memory_notifier(fn, ctx);
}
unsigned long ballast_world_online_pending(ballast_world *w)
{
	return from_c(w).online_pending();
}

void ballast_world_lock(ballast_world *w)
{
	E(w).lock();
}
void ballast_world_unlock(ballast_world *w)
{
	E(w).unlock();
}
void ballast_world_wake_page_waiters(ballast_world *w)
{
	E(w).wake_page_waiters();
}
int ballast_world_wait_pages(ballast_world *w, int (*cond)(void *), void *arg, int intr,
			     unsigned long t)
{
	return E(w).wait_pages(cond, arg, intr, t);
}
void ballast_world_schedule_work(ballast_world *w, unsigned long d, int m)
{
	E(w).schedule_work(d, m);
}
void ballast_world_wake_worker(ballast_world *w)
{
	E(w).wake_worker();
}
void ballast_world_cond_resched(ballast_world *w)
{
	E(w).cond_resched();
}
void ballast_world_event(ballast_world *w, ballast_event ev, long a, long b)
{
	E(w).event(ev, a, b);
}

unsigned long long ballast_world_jiffies(ballast_world *w)
{
	return from_c(w).jiffies();
}
void ballast_world_set_work(ballast_world *w, void (*fn)(void *), void *ctx)
{
	from_c(w).set_work(fn, ctx);
}
int ballast_world_work_pending(ballast_world *w)
{
	return from_c(w).work_pending() ? 1 : 0;
}
void ballast_world_cancel_work(ballast_world *w)
{
	from_c(w).cancel_work();
}
void ballast_world_start_kthread(ballast_world *w, void (*prepare)(void *, unsigned long *, long *),
				 int (*cond)(void *, long), void (*step)(void *), void *ctx)
{
	world::KthreadHooks h;
	h.prepare = prepare;
	h.cond = cond;
	h.step = step;
	h.ctx = ctx;
	from_c(w).start_kthread(h);
}
void ballast_world_stop_kthread(ballast_world *w)
{
	from_c(w).stop_kthread();
}
int ballast_world_run_until(ballast_world *w, unsigned long long j)
{
	return from_c(w).run_until(j) == world::RunResult::Ok ? 0 : 1;
}
int ballast_world_advance(ballast_world *w, unsigned long secs)
{
	return from_c(w).advance(secs) == world::RunResult::Ok ? 0 : 1;
}

} // extern "C"
