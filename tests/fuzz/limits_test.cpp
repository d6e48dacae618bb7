// SPDX-License-Identifier: GPL-2.0 OR MIT
// The fuzz harness applies its FuzzLimits: a limit that is not applied makes
// the fuzz targets slower (or deeper) than fuzz/README.md says.
#include <gtest/gtest.h>

#include <string>

#include "core_harness.h"

using namespace ballast;

namespace {

diff::Scenario parse(const std::string &text)
{
	ballast_profile profile;
	diff::Scenario s;
	std::string err;
	EXPECT_TRUE(fuzz::parse_input(text, &profile, &s, &err)) << err;
	return s;
}

// Xen releases one page per decrease and retries are unlimited: the worker
// runs once per page, so one long `advance` would run it 246 times.
const char *kRetryForever = "world frames=256 populated=256\n"
			    "xen decrease cap 1\n"
			    "max_retry_count 0\n"
			    "target 10\n"
			    "advance 100000\n";

unsigned long worker_runs(const fuzz::FuzzLimits &lim, const diff::Scenario &s)
{
	fuzz::CoreHarness h(lim);
	const fuzz::RunResult &r = h.run(BALLAST_PROFILE_BALLAST, s);
	EXPECT_EQ(r.outcome, fuzz::Outcome::Ok) << r.message;
	return h.world().work_runs();
}

} // namespace

TEST(FuzzLimits, AnAdvanceRunsTheWorkerAtMostMaxWorkerRunsPerOpTimes)
{
	const diff::Scenario s = parse(kRetryForever);
	for (uint64_t cap : {1u, 5u, 16u, 64u, 200u}) {
		fuzz::FuzzLimits lim;
		lim.max_worker_runs_per_op = cap;
		EXPECT_EQ(worker_runs(lim, s), cap) << "cap " << cap;
	}
}

TEST(FuzzLimits, ALendAsksForAtMostMaxLendPages)
{
	const diff::Scenario s = parse("world frames=256 populated=256\n"
				       "lend 200\n");
	for (int64_t cap : {3, 50, 200}) {
		fuzz::FuzzLimits lim;
		lim.max_lend = cap;
		fuzz::CoreHarness h(lim);
		const fuzz::RunResult &r = h.run(BALLAST_PROFILE_BALLAST, s);
		ASSERT_EQ(r.outcome, fuzz::Outcome::Ok) << r.message;
		EXPECT_EQ(h.balloon().stats().balloon_low + h.balloon().stats().balloon_high, 0u);
		EXPECT_EQ(h.world().free_count(), 256u - (unsigned long)cap) << "cap " << cap;
	}
}
