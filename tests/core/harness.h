// SPDX-License-Identifier: GPL-2.0 OR MIT
// Test harness: one core (Balloon<world::Env>) wired to one simulated world.
#ifndef BALLAST_TESTS_CORE_HARNESS_H
#define BALLAST_TESTS_CORE_HARNESS_H

#include <gtest/gtest.h>

#include <vector>

#include "balloon.h"
#include "bind.h"
#include "invariants.h"
#include "world_env.h"

namespace ballast_test {

using Core = ballast::Balloon<world::Env>;

inline ballast_config full_config()
{
	ballast_config c{};
	c.memory_hotplug = 1;
	c.have_pvmmu = 1;
	c.xen_pv = 1;
	c.sparsemem = 1;
	return c;
}

// A small HVM guest by default: 4096 frames, all populated, max_pages 8192.
inline world::Config small_world()
{
	world::Config c;
	c.total_frames = 4096;
	c.populated_frames = 4096;
	c.max_pages = 8192;
	c.host_pool = 8192;
	c.pages_per_section = 256;
	return c;
}

template <class EnvT = world::Env> struct BasicHarness {
	world::World w;
	EnvT env;
	ballast::Balloon<EnvT> core;
	std::vector<ballast_page *> lent;
	world::InvariantChecker checker;
	int init_rc = 0;

	explicit BasicHarness(const world::Config &wc = small_world(),
			      const ballast::Switches &sw = ballast::profile_ballast(),
			      const ballast_config &bc = full_config())
		: w(wc)
		, env(w)
	{
		ballast_boot_info boot;
		w.fill_boot_info(&boot);
		init_rc = core.init(&env, boot, bc, sw);
		world::bind_balloon(w, core, sw.kthread_worker, bc.memory_hotplug != 0);
	}

	const ballast_stats &stats() const { return core.stats(); }
	unsigned long ballooned() const { return stats().balloon_low + stats().balloon_high; }

	// Set a target and run everything due now.
	int target(unsigned long pages)
	{
		int rc = core.set_target(pages);
		w.run_pending_now();
		return rc;
	}
	world::RunResult advance(unsigned long secs) { return w.advance(secs); }

	// Pfns of the ballooned list, head to tail.
	std::vector<unsigned long> list_pfns() const
	{
		std::vector<unsigned long> out;
		const ballast_list *h = core.ballooned_head();
		for (const ballast_list *n = h->next; n != h && out.size() < 1000000; n = n->next)
			out.push_back(reinterpret_cast<const ballast_page *>(n)->pfn);
		return out;
	}

	int lend(int n)
	{
		std::vector<ballast_page *> pages(static_cast<size_t>(n > 0 ? n : 0), nullptr);
		unsigned long hangs = w.event_count(BALLAST_EV_HANG_WAIT);
		int rc = core.alloc_pages(n, pages.data());
		// A caller hung upstream keeps what it got so far.
		if (rc == 0 || w.event_count(BALLAST_EV_HANG_WAIT) != hangs)
			for (ballast_page *p : pages)
				if (p)
					lent.push_back(p);
		return rc;
	}
	void give_back(int n)
	{
		std::vector<ballast_page *> pages(lent.end() - n, lent.end());
		lent.resize(lent.size() - static_cast<size_t>(n));
		core.free_pages(n, pages.data());
	}

	// Invariants; returns the report ("" when all hold).
	std::string violations(world::CheckOptions opts = world::CheckOptions())
	{
		if (core.dead())
			opts.check_current_pages =
				false; // upstream's state after BUG() is whatever it left
		checker.check(w, core.ballooned_head(), core.stats(), lent, opts);
		return checker.report();
	}
};

using Harness = BasicHarness<>;

inline ballast::Switches with(ballast::Switches base, bool ballast::Switches::*m, bool v)
{
	base.*m = v;
	return base;
}

} // namespace ballast_test

#endif
