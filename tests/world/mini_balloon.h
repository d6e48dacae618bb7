// SPDX-License-Identifier: GPL-2.0 OR MIT
// A tiny, obviously-correct balloon written against world::Env, used to put
// the World into realistic states for the world's own tests. Not the core.
#ifndef BALLAST_TESTS_WORLD_MINI_BALLOON_H
#define BALLAST_TESTS_WORLD_MINI_BALLOON_H

#include <vector>

#include "world_env.h"

namespace wtest {

struct MiniBalloon {
	explicit MiniBalloon(world::World &w)
		: env(w)
	{
		head.next = head.prev = &head;
		stats.current_pages = w.tot_pages();
	}
	world::Env env;
	ballast_list head;
	ballast_stats stats{};

	void append(ballast_page *p)
	{
		ballast_list *n = env.page_lru(p);
		n->prev = head.prev;
		n->next = &head;
		head.prev->next = n;
		head.prev = n;
		(env.page_is_highmem(p) ? stats.balloon_high : stats.balloon_low)++;
	}
	ballast_page *retrieve()
	{
		if (head.next == &head)
			return nullptr;
		ballast_list *n = head.next;
		n->prev->next = n->next;
		n->next->prev = n->prev;
		n->next = n->prev = nullptr;
		ballast_page *p = env.lru_to_page(n);
		(env.page_is_highmem(p) ? stats.balloon_high : stats.balloon_low)--;
		return p;
	}
	// Give n pages to the hypervisor. Returns pages given.
	int out(int n)
	{
		std::vector<ballast_page *> pages;
		std::vector<ballast_pfn_t> frames;
		for (int i = 0; i < n; ++i) {
			ballast_page *p = env.alloc_page(BALLAST_GFP_BALLOON);
			if (!p)
				break;
			env.scrub_page(p);
			pages.push_back(p);
		}
		env.kmap_flush_unused(); // before the p2m changes, as the driver does
		for (ballast_page *p : pages) {
			frames.push_back(env.page_to_gfn(p));
			env.va_mapping_reset(p);
		}
		env.flush_tlb_all();
		int r = env.reservation_decrease(static_cast<int>(frames.size()), frames.data());
		int done = r < 0 ? 0 : r;
		for (size_t i = 0; i < pages.size(); ++i) {
			if (static_cast<int>(i) < done) {
				append(pages[i]);
			} else { // not given back: restore and free
				env.va_mapping_update(pages[i], frames[i]);
				env.free_reserved_page(pages[i]);
			}
		}
		stats.current_pages -= static_cast<unsigned long>(done);
		return done;
	}
	// Take n pages back from the hypervisor. Returns pages populated.
	int in(int n)
	{
		std::vector<ballast_page *> pages;
		std::vector<ballast_pfn_t> frames;
		for (int i = 0; i < n; ++i) {
			ballast_page *p = retrieve();
			if (!p)
				break;
			pages.push_back(p);
			frames.push_back(env.page_to_xen_pfn(p));
		}
		int r = env.reservation_increase(static_cast<int>(frames.size()), frames.data());
		int done = r < 0 ? 0 : r;
		for (size_t i = 0; i < pages.size(); ++i) {
			if (static_cast<int>(i) < done) {
				env.va_mapping_update(pages[i], frames[i]);
				env.free_reserved_page(pages[i]);
			} else {
				append(pages[i]);
			}
		}
		stats.current_pages += static_cast<unsigned long>(done);
		return done;
	}
};

} // namespace wtest

#endif
