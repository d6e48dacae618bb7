// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "upstream_subject.h"

#include "bshim_api.h"
#include "world.h"
#include "world_c_cxx.h"

namespace ballast {
namespace diff {

UpstreamSubject::UpstreamSubject(UpstreamVersion v)
	: version_(v)
	, ctx_(bshim_ctx_new())
{
	for (unsigned i = 0; i < scenario::kUpstreamCount; i++)
		if (scenario::kUpstreams[i].id == v) // the names table's spelling
			name_ = std::string("upstream:") + scenario::kUpstreams[i].name;
}

UpstreamSubject::~UpstreamSubject()
{
	bshim_ctx_delete(ctx_);
}

const char *UpstreamSubject::name() const
{
	return name_.c_str();
}

const char *UpstreamSubject::variant() const
{
	return ops_ ? ops_->name : "";
}

int UpstreamSubject::init(world::World &w, const ballast_boot_info &boot, const ballast_config &cfg)
{
	unsigned bits = (cfg.memory_hotplug ? BUP_CFG_HOTPLUG : 0u) |
			(cfg.xen_pv ? BUP_CFG_PV : 0u) | (cfg.have_pvmmu ? BUP_CFG_PVMMU : 0u) |
			(cfg.sparsemem ? BUP_CFG_SPARSEMEM : 0u);
	ops_ = version_ == UpstreamVersion::Seed2019 ? bup_seed_variants[bits] :
	       version_ == UpstreamVersion::Linux61  ? bup_61_variants[bits] :
						       bup_612_variants[bits];
	bshim_ctx_start(ctx_, world::c_handle(w), &boot, ops_);
	return bshim_call_init(ctx_);
}

int UpstreamSubject::set_target(unsigned long pages)
{
	bshim_call_set_target(ctx_, pages);
	return 0;
}

int UpstreamSubject::alloc_pages(int nr_pages, ballast_page **pages)
{
	return bshim_call_alloc(ctx_, nr_pages, pages);
}

void UpstreamSubject::free_pages(int nr_pages, ballast_page **pages)
{
	bshim_call_free(ctx_, nr_pages, pages);
}

void UpstreamSubject::set_hotplug_unpopulated(bool on)
{
	(void)sysctl_hotplug_unpopulated(on ? 1 : 0);
}

int UpstreamSubject::sysctl_hotplug_unpopulated(int value)
{
	return bshim_sysctl_write(ctx_, "hotplug_unpopulated", value);
}

int UpstreamSubject::set_max_schedule_delay(unsigned long secs)
{
	bshim_stats_store(ctx_, 7, secs);
	return 0;
}

int UpstreamSubject::set_max_retry_count(unsigned long count)
{
	bshim_stats_store(ctx_, 9, count);
	return 0;
}

ballast_stats UpstreamSubject::stats() const
{
	unsigned long s[10];
	bshim_stats(ctx_, s);
	ballast_stats out;
	out.current_pages = s[0];
	out.target_pages = s[1];
	out.target_unpopulated = s[2];
	out.balloon_low = s[3];
	out.balloon_high = s[4];
	out.total_pages = s[5];
	out.schedule_delay = s[6];
	out.max_schedule_delay = s[7];
	out.retry_count = s[8];
	out.max_retry_count = s[9];
	return out;
}

void UpstreamSubject::balloon_pfns(std::vector<unsigned long> &out) const
{
	out.clear();
	unsigned long s[10];
	bshim_stats(ctx_, s);
	// A sane list has balloon_low + balloon_high entries; a corrupt one is cut.
	unsigned long limit = s[3] + s[4] + 1024;
	bshim_walk_balloon(
		ctx_,
		[](void *arg, unsigned long pfn) {
			static_cast<std::vector<unsigned long> *>(arg)->push_back(pfn);
		},
		&out, limit);
}

bool UpstreamSubject::dead() const
{
	return bshim_dead(ctx_) != 0;
}

int UpstreamSubject::boot_wait()
{
	return ops_ && ops_->wait_finish ? wait_finish() : 0;
}

int UpstreamSubject::wait_finish()
{
	return bshim_call_wait_finish(ctx_);
}

int UpstreamSubject::thread_status() const
{
	return bshim_thread_status(ctx_);
}

std::unique_ptr<UpstreamSubject> make_upstream_subject(UpstreamVersion v)
{
	return std::unique_ptr<UpstreamSubject>(new UpstreamSubject(v));
}

} // namespace diff
} // namespace ballast
