// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast diff: the core, ballast::Balloon<world::Env> with a given set of
// switches, as a Subject; and a deliberately broken copy for proving that
// the engine catches (and attribution refuses to explain) a real bug.
#ifndef BALLAST_DIFF_CORE_SUBJECT_H
#define BALLAST_DIFF_CORE_SUBJECT_H

#include <memory>
#include <string>

#include "balloon.h"
#include "profile.h"
#include "subject.h"
#include "world_env.h"

namespace ballast {
namespace diff {

class CoreSubject : public Subject {
public:
	CoreSubject(const Switches &sw, std::string name);
	const char *name() const override { return name_.c_str(); }
	int init(world::World &w, const ballast_boot_info &boot,
		 const ballast_config &cfg) override;
	int set_target(unsigned long pages) override { return core_.set_target(pages); }
	int alloc_pages(int nr_pages, ballast_page **pages) override
	{
		return core_.alloc_pages(nr_pages, pages);
	}
	void free_pages(int nr_pages, ballast_page **pages) override
	{
		core_.free_pages(nr_pages, pages);
	}
	void set_hotplug_unpopulated(bool on) override { core_.set_hotplug_unpopulated(on); }
	int boot_wait() override;
	int set_max_schedule_delay(unsigned long secs) override
	{
		return core_.set_max_schedule_delay(secs);
	}
	int set_max_retry_count(unsigned long count) override
	{
		return core_.set_max_retry_count(count);
	}
	ballast_stats stats() const override { return core_.stats(); }
	void balloon_pfns(std::vector<unsigned long> &out) const override;
	bool dead() const override { return core_.dead(); }

	const Switches &switches() const { return sw_; }
	Balloon<world::Env> &core() { return core_; }

private:
	Switches sw_;
	std::string name_;
	world::Env env_;
	Balloon<world::Env> core_{};
};

// A Switches-independent planted bug, for proving the harness can fail.
enum class PlantedFault {
	StatsDropOnePage, // once the balloon has held a page, balloon_low reads one less
	TargetOffByOne,	  // the first raising set_target asks for one page less
};

// The core with one planted fault; everything not overridden is the core's.
class PlantedSubject : public CoreSubject {
public:
	PlantedSubject(const Switches &sw, std::string name, PlantedFault fault);
	int init(world::World &w, const ballast_boot_info &boot,
		 const ballast_config &cfg) override;
	int set_target(unsigned long pages) override;
	ballast_stats stats() const override;

private:
	PlantedFault fault_;
	mutable bool tripped_ = false;
};

} // namespace diff
} // namespace ballast

#endif // BALLAST_DIFF_CORE_SUBJECT_H
