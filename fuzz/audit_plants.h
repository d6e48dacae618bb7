// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast fuzz: the audit's planted bugs (BasicCoreHarness::set_audit), the
// template half; their names are in audit_plants.cpp. Included by
// core_harness_impl.h.
#ifndef BALLAST_FUZZ_AUDIT_PLANTS_H
#define BALLAST_FUZZ_AUDIT_PLANTS_H

#include "core_harness.h"

namespace ballast {
namespace fuzz {

// Buggy-core stand-ins: they write only what the core can write (its list,
// its stats, the lent array, page fields through the Env), never the
// checker's shadow, so the incremental checker must find them on its own.
template <class EnvT> int BasicCoreHarness<EnvT>::plant()
{
	const uint64_t r = world::xorshift64star(&plant_rng_);
	if (r % 8)
		return -1;
	const unsigned kind = (unsigned)((r >> 8) % kPlants);
	return plant_kind(kind) ? (int)kind : -1;
}

template <class EnvT> bool BasicCoreHarness<EnvT>::plant_kind(unsigned kind)
{
	ballast_list *head = const_cast<ballast_list *>(balloon_.ballooned_head());
	ballast_stats &st = const_cast<ballast_stats &>(balloon_.stats());
	auto unlink_first = [&]() -> ballast_page * {
		if (head->next == head)
			return nullptr;
		ballast_list *n = head->next;
		n->prev->next = n->next;
		n->next->prev = n->prev;
		n->next = n->prev = nullptr;
		ballast_page *p = env_.lru_to_page(n);
		(p->highmem ? st.balloon_high : st.balloon_low)--;
		return p;
	};
	auto link_first = [&](ballast_page *p) {
		ballast_list *n = env_.page_lru(p);
		n->next = head->next;
		n->prev = head;
		head->next->prev = n;
		head->next = n;
		(p->highmem ? st.balloon_high : st.balloon_low)++;
	};
	switch (kind) {
	case 0:
		// Not an extra-region page no check has seen in the list yet: that
		// one is indistinguishable from untouched boot memory (world/invariants.h).
		if (head->next == head || env_.lru_to_page(head->next)->wstate != BALLAST_WFS_CORE)
			return false;
		unlink_first();
		break;
	case 1:
		if (head->next == head)
			return false;
		world_.free_reserved_page(env_.lru_to_page(head->next));
		break;
	case 2:
		if (hold_.lent.empty())
			return false;
		hold_.lent.pop_back();
		break;
	case 3:
	case 4: {
		ballast_page *p = nullptr;
		world_.for_each_frame([&](ballast_page *f) {
			if (!p && f->wstate == (kind == 3 ? BALLAST_WFS_FREE : BALLAST_WFS_KERNEL))
				p = f;
		});
		if (!p)
			return false;
		link_first(p);
		break;
	}
	case 5: {
		ballast_page *p = unlink_first();
		if (!p)
			return false;
		hold_.lent.push_back(p);
		break;
	}
	case 6: {
		if (head->next == head || world_.tot_pages() == 0)
			return false;
		ballast_page *victim = nullptr;
		world_.for_each_frame([&](ballast_page *f) {
			if (!victim && world_.populated(f))
				victim = f;
		});
		if (!victim)
			return false;
		ballast_page *p = env_.lru_to_page(head->next);
		if (world_.auto_translated())
			world_.set_p2m(p->pfn,
				       victim->p2m); // as a stray hypervisor-side write would
		else
			env_.va_mapping_update(p, victim->p2m);
		break;
	}
	}
	audit_counts_.planted[kind]++;
	return true;
}

} // namespace fuzz
} // namespace ballast

#endif // BALLAST_FUZZ_AUDIT_PLANTS_H
