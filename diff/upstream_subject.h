// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast diff: the upstream C driver (unmodified drivers/xen/balloon.c of the
// late-2019 seed, Linux 6.1 or Linux 6.12, compiled against the kernel-API shim in
// diff/shim) as a Subject. The build configuration (CONFIG_XEN_BALLOON_
// MEMORY_HOTPLUG, _XEN_PV, _XEN_HAVE_PVMMU, _SPARSEMEM) is picked at init()
// from ballast_config: every combination is compiled.
//
// The driver's statics are per compiled variant: at most one UpstreamSubject
// per (version, config) may be live at a time (init() re-initialises them).
#ifndef BALLAST_DIFF_UPSTREAM_SUBJECT_H
#define BALLAST_DIFF_UPSTREAM_SUBJECT_H

#include <memory>
#include <string>
#include <vector>

#include "names.h"
#include "subject.h"

struct bshim_ctx;
struct bup_ops;

namespace ballast {
namespace diff {

// The versions the shim compiles, by the names table of scenario/names.h.
using UpstreamVersion = scenario::Upstream;

class UpstreamSubject final : public Subject {
public:
	explicit UpstreamSubject(UpstreamVersion v);
	~UpstreamSubject() override;
	UpstreamSubject(const UpstreamSubject &) = delete;
	UpstreamSubject &operator=(const UpstreamSubject &) = delete;

	const char *name() const override;
	// balloon_init(); for 6.1 also starts balloon_thread (a fiber the World's
	// kthread model steps). The driver's statics are reset first.
	int init(world::World &w, const ballast_boot_info &boot,
		 const ballast_config &cfg) override;
	int set_target(unsigned long pages) override;
	// A call that BUGs, blocks on the dead task's mutex or waits forever is
	// aborted (event in the World's log) and returns -ENOMEM.
	int alloc_pages(int nr_pages, ballast_page **pages) override;
	void free_pages(int nr_pages, ballast_page **pages) override;
	// sysctl write of 1/0 (no-op without CONFIG_XEN_BALLOON_MEMORY_HOTPLUG).
	void set_hotplug_unpopulated(bool on) override;
	// balloon_wait_finish(); 0 for the seed, which has none.
	int boot_wait() override;
	// sysfs stores (device_store_ulong: no validation, always 0).
	int set_max_schedule_delay(unsigned long secs) override;
	int set_max_retry_count(unsigned long count) override;
	ballast_stats stats() const override;
	void balloon_pfns(std::vector<unsigned long> &out) const override;
	bool dead() const override;

	// ---- beyond Subject
	UpstreamVersion version() const { return version_; }
	// The compiled variant in use, e.g. "61_3" (valid after init()).
	const char *variant() const;
	// balloon_wait_finish() (late_initcall_sync, 6.1 and 6.12): sleeps on the World's
	// clock in 100 ms steps. 0, -ENODEV, -ENOSYS (seed), kPanicked after
	// panic("Initial ballooning failed!") (event PANIC_BOOT_TIMEOUT).
	static constexpr int kPanicked = -1000;
	int wait_finish();
	// balloon_thread (6.1, 6.12): 0 none, 1 alive, 2 died in BUG, 3 blocked forever on the mutex.
	int thread_status() const;
	// Writes the sysctl directly: 0, -ENOENT (not registered), -EINVAL (out of range).
	int sysctl_hotplug_unpopulated(int value);

private:
	UpstreamVersion version_;
	std::string name_;
	bshim_ctx *ctx_;
	const bup_ops *ops_ = nullptr;
};

std::unique_ptr<UpstreamSubject> make_upstream_subject(UpstreamVersion v);

} // namespace diff
} // namespace ballast

#endif // BALLAST_DIFF_UPSTREAM_SUBJECT_H
