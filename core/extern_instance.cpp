// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast: the core instantiated over the C environment, behind the C API of
// ballast_core.h. The kernel module links this object; the freestanding check
// compiles it with kernel flags and allows no undefined symbol other than
// ballast_env_*.
#include "balloon.h"
#include "extern_env.h"

namespace {
ballast::ExternEnv g_env;
// Trivially constructible: lives in .bss, no global constructor runs.
ballast::Balloon<ballast::ExternEnv> g_balloon;
} // namespace

extern "C" {

int ballast_core_init(const struct ballast_boot_info *boot, const struct ballast_config *cfg,
		      enum ballast_profile profile)
{
	return g_balloon.init(&g_env, *boot, *cfg, ballast::profile_switches(profile));
}

void ballast_core_process(void)
{
	g_balloon.process();
}

int ballast_core_set_target(unsigned long target_pages)
{
	return g_balloon.set_target(target_pages);
}

int ballast_core_set_max_schedule_delay(unsigned long secs)
{
	return g_balloon.set_max_schedule_delay(secs);
}

int ballast_core_set_max_retry_count(unsigned long count)
{
	return g_balloon.set_max_retry_count(count);
}

int ballast_core_alloc_pages(int nr_pages, struct ballast_page **pages)
{
	return g_balloon.alloc_pages(nr_pages, pages);
}

void ballast_core_free_pages(int nr_pages, struct ballast_page **pages)
{
	g_balloon.free_pages(nr_pages, pages);
}

void ballast_core_adopt_pages(int nr_pages, struct ballast_page **pages)
{
	g_balloon.adopt_pages(nr_pages, pages);
}

void ballast_core_online_page(struct ballast_page *page, unsigned int order)
{
	g_balloon.online_page(page, order);
}

int ballast_core_memory_notify(unsigned long action)
{
	return g_balloon.memory_notify(action);
}

void ballast_core_set_hotplug_unpopulated(int on)
{
	g_balloon.set_hotplug_unpopulated(on != 0);
}

void ballast_core_stats(struct ballast_stats *out)
{
	ballast_env_lock();
	*out = g_balloon.stats();
	ballast_env_unlock();
}

void ballast_core_counters(struct ballast_counters *out)
{
	ballast_env_lock();
	*out = g_balloon.counters();
	ballast_env_unlock();
}

unsigned long ballast_core_drain(void)
{
	return g_balloon.drain();
}

} // extern "C"
