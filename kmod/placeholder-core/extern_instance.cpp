// SPDX-License-Identifier: GPL-2.0 OR MIT
// TEMPORARY placeholder for core/extern_instance.cpp so kmod/ can be built and
// tested before the real core lands. Deleted when it does. Simplified seed logic.
#include "ballast_core.h"

namespace {
constexpr unsigned long kBatch = 512;
ballast_stats st;
ballast_counters ct;
ballast_list head;
ballast_pfn_t frames[kBatch];
bool draining;

void list_init() { head.next = head.prev = &head; }
bool list_empty() { return head.next == &head; }
void list_add(ballast_list *n) { n->next = head.next; n->prev = &head; head.next->prev = n; head.next = n; }
void list_del(ballast_list *n) { n->prev->next = n->next; n->next->prev = n->prev; n->next = n->prev = nullptr; }

void append(ballast_page *p) { list_add(ballast_env_page_lru(p)); st.balloon_low++; ballast_env_wake_page_waiters(); }
ballast_page *retrieve() {
	if (list_empty()) return nullptr;
	ballast_list *n = head.next; list_del(n); st.balloon_low--;
	return ballast_env_lru_to_page(n);
}
enum State { DONE, EAGAIN_, CANCELED };
State update_schedule(State s) {
	if (s == DONE) { st.schedule_delay = 1; st.retry_count = 1; return DONE; }
	if (s == CANCELED) return CANCELED;
	if (st.max_retry_count && ++st.retry_count > st.max_retry_count) { st.schedule_delay = 1; st.retry_count = 1; return CANCELED; }
	st.schedule_delay <<= 1; if (st.schedule_delay > st.max_schedule_delay) st.schedule_delay = st.max_schedule_delay;
	return EAGAIN_;
}
State increase(unsigned long n) {
	if (n > kBatch) n = kBatch;
	unsigned long i = 0;
	for (ballast_list *it = head.next; it != &head && i < n; it = it->next) frames[i++] = ballast_env_page_to_xen_pfn(ballast_env_lru_to_page(it));
	n = i;
	ct.hypercalls_increase++;
	int rc = ballast_env_reservation_increase((int)n, frames);
	if (rc <= 0) return EAGAIN_;
	if ((unsigned long)rc > n) { ct.events[BALLAST_EV_HOSTILE_REPLY]++; ballast_env_event(BALLAST_EV_HOSTILE_REPLY, rc, (long)n); rc = (int)n; }
	for (int k = 0; k < rc; k++) {
		ballast_page *p = retrieve();
		ballast_env_va_mapping_update(p, frames[k]);
		ballast_env_clear_page_offline(p);
		ballast_env_free_reserved_page(p);
	}
	st.current_pages += rc; ct.pages_in += rc;
	return DONE;
}
State decrease(unsigned long n, ballast_gfp gfp) {
	State s = DONE;
	if (n > kBatch) n = kBatch;
	ballast_page *pages[kBatch];
	unsigned long i;
	for (i = 0; i < n; i++) {
		ballast_page *p = ballast_env_alloc_page(gfp);
		if (!p) { ct.alloc_failures++; s = EAGAIN_; break; }
		ballast_env_set_page_offline(p); ballast_env_adjust_managed_page_count(p, -1); ballast_env_scrub_page(p);
		pages[i] = p;
	}
	n = i;
	ballast_env_kmap_flush_unused();
	for (i = 0; i < n; i++) { frames[i] = ballast_env_page_to_gfn(pages[i]); ballast_env_va_mapping_reset(pages[i]); }
	ballast_env_flush_tlb_all();
	ct.hypercalls_decrease++;
	int rc = n ? ballast_env_reservation_decrease((int)n, frames) : 0;
	unsigned long done = rc < 0 ? 0 : ((unsigned long)rc > n ? n : (unsigned long)rc);
	if (done != n) { ct.events[BALLAST_EV_DECREASE_ROLLBACK]++; ballast_env_event(BALLAST_EV_DECREASE_ROLLBACK, rc, (long)n); }
	for (i = 0; i < n; i++) {
		if (i < done) { append(pages[i]); continue; }
		ballast_env_va_mapping_update(pages[i], ballast_env_page_to_xen_pfn(pages[i]));
		ballast_env_clear_page_offline(pages[i]); ballast_env_free_reserved_page(pages[i]);
	}
	st.current_pages -= done; ct.pages_out += done;
	if (done != n) s = EAGAIN_;
	return s;
}
long credit() { return (long)(st.target_pages - st.current_pages); }
} // namespace

extern "C" {
int ballast_core_init(const ballast_boot_info *b, const ballast_config *, ballast_profile) {
	if (!b->xen_domain) return -19;
	list_init();
	st = ballast_stats{}; ct = ballast_counters{}; draining = false;
	st.current_pages = st.target_pages = st.total_pages = b->num_physpages;
	st.schedule_delay = 1; st.max_schedule_delay = 32; st.retry_count = 1; st.max_retry_count = 4;
	return 0;
}
void ballast_core_process(void) {
	State s = DONE; long c;
	ct.worker_runs++;
	do {
		ballast_env_lock();
		c = credit();
		ct.steps++;
		if (c > 0) s = list_empty() ? CANCELED : increase((unsigned long)c);
		if (c < 0) { long a = ballast_env_mem_available(); long n = -c < a ? -c : a; if (n < 0) n = 0; s = decrease((unsigned long)n, BALLAST_GFP_BALLOON); if (s == DONE && n != -c) s = EAGAIN_; }
		s = update_schedule(s);
		ballast_env_unlock();
		ballast_env_cond_resched();
	} while (c && s == DONE);
	if (s == EAGAIN_) ballast_env_schedule_work(st.schedule_delay, 0);
}
int ballast_core_set_target(unsigned long t) {
	if (draining || t > (1UL << 40)) return -22;
	ballast_env_lock(); st.target_pages = t; ballast_env_unlock();
	ballast_env_schedule_work(0, 1); return 0;
}
int ballast_core_set_max_schedule_delay(unsigned long s) { if (!s) return -22; st.max_schedule_delay = s; return 0; }
int ballast_core_set_max_retry_count(unsigned long c) { st.max_retry_count = c; return 0; }
int ballast_core_alloc_pages(int nr, ballast_page **pages) {
	ballast_env_lock();
	st.target_unpopulated += nr;
	for (int i = 0; i < nr; ) {
		ballast_page *p = retrieve();
		if (p) { ballast_env_clear_page_offline(p); pages[i++] = p; continue; }
		if (ballast_env_mem_available() < nr - i || decrease((unsigned long)(nr - i), BALLAST_GFP_USER) != DONE) {
			ballast_env_unlock(); ballast_core_free_pages(i, pages);
			ballast_env_lock(); st.target_unpopulated -= nr - i; ballast_env_unlock(); return -12;
		}
	}
	ballast_env_unlock(); return 0;
}
void ballast_core_free_pages(int nr, ballast_page **pages) {
	ballast_env_lock();
	for (int i = 0; i < nr; i++) if (pages[i]) { ballast_env_set_page_offline(pages[i]); append(pages[i]); }
	st.target_unpopulated -= nr;
	if (credit()) ballast_env_schedule_work(0, 0);
	ballast_env_unlock();
}
void ballast_core_online_page(ballast_page *, unsigned int) {}
int ballast_core_memory_notify(unsigned long) { return 0; }
void ballast_core_set_hotplug_unpopulated(int) {}
void ballast_core_stats(ballast_stats *o) { ballast_env_lock(); *o = st; ballast_env_unlock(); }
void ballast_core_counters(ballast_counters *o) { ballast_env_lock(); *o = ct; ballast_env_unlock(); }
unsigned long ballast_core_drain(void) {
	ballast_env_lock(); draining = true; ballast_env_unlock();
	for (int tries = 0; tries < 64; tries++) {
		ballast_env_lock();
		bool empty = list_empty();
		if (!empty) { st.target_pages = st.current_pages + st.balloon_low; increase(st.balloon_low); }
		ballast_env_unlock();
		if (empty) break;
	}
	return st.balloon_low + st.balloon_high;
}
}
