// SPDX-License-Identifier: GPL-2.0 OR MIT
// Every boot type (scenario/FORMAT.md), every upstream version of the
// initial figures, against the initial-target oracle (world/initial_target.h):
// which version is off, and by how many pages. The versions between 6.1 and
// 6.12 were never compiled here; each is the 6.1 profile with the
// initial-figure switches of the commits it has (core/SWITCHES.md), the last
// one is the linux-6.12 profile. The expected slips are worked out from each
// version's formula and the world's figures in the comments, not read off
// the code.
#include "harness.h"
#include "initial_target.h"
#include "runtime.h"

namespace ballast_test {
namespace {

using ballast::Switches;

// Versions, oldest first.
enum Version { kSeed, k61, k69, k615, k616, k70, k73, kBallast, kVersions };
const char *const kVersionNames[kVersions] = {"seed", "6.1", "6.9", "6.15",
					      "6.16", "7.0", "7.3", "ballast"};

Switches version_switches(Version v)
{
	if (v == kSeed)
		return ballast::profile_linux_2019();
	if (v == kBallast)
		return ballast::profile_ballast();
	Switches s = ballast::profile_linux_6_1();
	s.extra_regions_in_every_build = v >= k69;
	s.initial_pages_from_physpages = v >= k615;
	s.extra_regions_lower_target = v >= k616;
	s.pv_initial_pages_from_start_info = v >= k70;
	s.dom0_initial_pages_from_reservation = v >= k70;
	s.extra_regions_added_when_counted_out = v >= k73;
	return s;
}

TEST(BootVersions, TheLastIsLinux612)
{
	const Switches a = version_switches(k73), b = ballast::profile_linux_6_12();
	for (const ballast::SwitchInfo &s : ballast::kSwitchTable)
		EXPECT_EQ(a.*(s.member), b.*(s.member)) << s.name;
}

// A boot's outcome in one version: refused (-ERANGE), or the slip.
struct Outcome {
	bool refused;
	long current, target; // stats - truth
};
const Outcome kExact = {false, 0, 0};
const Outcome kRefused = {true, 0, 0};
Outcome off(long current, long target)
{
	return Outcome{false, current, target};
}
bool operator==(const Outcome &a, const Outcome &b)
{
	return a.refused == b.refused &&
	       (a.refused || (a.current == b.current && a.target == b.target));
}
std::ostream &operator<<(std::ostream &o, const Outcome &x)
{
	if (x.refused)
		return o << "refused (-ERANGE)";
	return o << "current " << x.current << ", target " << x.target;
}

Outcome boot(const world::Config &wc, Version v, const ballast_config &bc = full_config())
{
	Harness h(wc, version_switches(v), bc);
	if (h.init_rc == -34)
		return kRefused;
	EXPECT_EQ(h.init_rc, 0) << kVersionNames[v];
	const world::InitialSlip s = world::initial_slip(h.w, h.stats());
	return Outcome{false, s.current, s.target};
}

void expect_versions(const world::Config &wc, const Outcome (&want)[kVersions],
		     const ballast_config &bc = full_config())
{
	for (int v = 0; v < kVersions; v++)
		EXPECT_EQ(boot(wc, static_cast<Version>(v), bc), want[v])
			<< "version " << kVersionNames[v];
}

// 3000 pages populated, an extra region [3000, 4000).
world::Config base(bool pv)
{
	world::Config wc = small_world();
	wc.pv = pv;
	wc.total_frames = 4000;
	wc.populated_frames = 3000;
	wc.max_pages = 8000;
	return wc;
}

TEST(BootTypes, PvDomU)
{
	// The memory map's RAM: 3000 - 97 (pfn 0 and the ISA hole) + 1000.
	world::Config wc = base(true);
	wc.firmware_pages = 97;
	expect_versions(wc, {kExact, kExact, kExact,
			     // 6.15: 3903 - 1000 = 2903 (97 short); the target keeps 3903
			     off(-97, 903), off(-97, -97),
			     // 7.0: start_info's 3000, but the region still subtracted
			     off(-1000, -1000), kExact, kExact});
}

TEST(BootTypes, PvDom0WithDom0MemMax)
{
	// dom0_mem=3000,max:4000; 10 pages released from holes of the host's map.
	world::Config wc = base(true);
	wc.initial_domain = true;
	wc.firmware_pages = 97;
	wc.released_pages = 10;
	expect_versions(wc, {kExact, kExact, kExact,
			     // 6.15: 3903 - 10 - 1000; the target keeps 3893: fills towards max:
			     off(-107, 893), off(-107, -107),
			     // 7.0: Xen's 3000, the region still subtracted
			     off(-1000, -1000), kExact, kExact});
}

TEST(BootTypes, PvhDomU)
{
	// A PVH kernel turns the unusable [3000, 4000) into an extra region; the
	// memory map counts it: 4000.
	world::Config wc = base(false);
	wc.pvh = true;
	expect_versions(wc, {off(1000, 1000), off(1000, 1000), off(1000, 1000),
			     // 6.15 subtracts the region from current only
			     off(0, 1000), kExact, kExact, kExact, kExact});
}

TEST(BootTypes, PvhDomUWithoutConfigXenPv)
{
	// Before 6.9 a kernel without CONFIG_XEN_PV ignores the region (still
	// counted in the map); 6.9 takes it but still counts it in current_pages:
	// off by it either way, as with CONFIG_XEN_PV.
	world::Config wc = base(false);
	wc.pvh = true;
	ballast_config bc = full_config();
	bc.xen_pv = 0;
	bc.have_pvmmu = 0;
	expect_versions(wc,
			{off(1000, 1000), off(1000, 1000), off(1000, 1000), off(0, 1000), kExact,
			 kExact, kExact, kExact},
			bc);
}

TEST(BootTypes, PvhDom0)
{
	world::Config wc = base(false);
	wc.pvh = true;
	wc.initial_domain = true;
	expect_versions(wc,
			{off(1000, 1000), off(1000, 1000), off(1000, 1000), off(0, 1000), kExact,
			 // 7.0: Xen's 3000, the region still subtracted
			 off(-1000, -1000), kExact, kExact});
}

TEST(BootTypes, PvhWithUnpopulatedAlloc)
{
	// The region goes to unpopulated-alloc (xen_unpopulated_pages = 1000),
	// none to the balloon; the map still counts it.
	world::Config wc = base(false);
	wc.pvh = true;
	wc.unpopulated_alloc = true;
	expect_versions(wc, {off(1000, 1000), off(1000, 1000), off(1000, 1000), kExact, kExact,
			     kExact, kExact, kExact});
}

TEST(BootTypes, HvmDomU)
{
	world::Config wc = base(false);
	expect_versions(wc, {kExact, kExact, kExact, kExact, kExact, kExact, kExact, kExact});
}

TEST(BootTypes, HvmPopulateOnDemand)
{
	// maxmem 4000 in the map, 2000 touched at boot, a PoD cache of 1000: Xen
	// backs 3000; 2000 entries, 1000 of them not covered by the cache.
	world::Config wc = base(false);
	wc.populated_frames = 2000;
	wc.pod_cache = 1000;
	// Every upstream version starts with the map's 4000 as its target: the
	// 1000 uncovered entries wait for the toolstack's first target.
	expect_versions(wc, {off(0, 1000), off(0, 1000), off(0, 1000), off(0, 1000), off(0, 1000),
			     off(0, 1000), off(0, 1000), kExact});
}

TEST(BootTypes, PvMemLimitCutsTheRegion)
{
	// mem= at 3500: the region counts up to there.
	world::Config wc = base(true);
	wc.max_pfn = 3500;
	expect_versions(wc, {kExact, kExact, kExact, off(0, 500), kExact, off(-500, -500), kExact,
			     kExact});
}

TEST(BootTypes, PvhMemLimitBelowTheRegion)
{
	// mem= at 3100, the region at [3200, 4000): beyond the limit. Its size
	// min(max_pfn, end) - start wraps; subtracted, it underflows: 6.15 and
	// later refuse to load (WARN "Extra pages underflow current target").
	world::Config wc = base(false);
	wc.pvh = true;
	wc.max_pfn = 3100;
	wc.n_regions = 1;
	wc.regions[0] = ballast_region{3200, 800};
	expect_versions(wc,
			{kExact, kExact, kExact, kRefused, kRefused, kRefused, kRefused, kExact});
}

TEST(BootTypes, PvhUnpopulatedAllocBeyondTheMemLimit)
{
	// mem= at 3600 cuts the region [3000, 4000) that unpopulated-alloc took:
	// the map counts 3600, xen_unpopulated_pages the whole 1000.
	world::Config wc = base(false);
	wc.pvh = true;
	wc.unpopulated_alloc = true;
	wc.max_pfn = 3600;
	expect_versions(wc, {off(600, 600), off(600, 600), off(600, 600),
			     // 3600 - 1000: short by the 400 beyond the limit
			     off(-400, -400), off(-400, -400), off(-400, -400), off(-400, -400),
			     kExact});
}

// The populate-on-demand guest that uses memory before the balloon has
// shrunk: without the boot wait (the seed) Xen runs out of PoD memory.
TEST(BootTypes, PopulateOnDemandNeedsTheBootWait)
{
	for (Version v : {kSeed, k61, k73, kBallast}) {
		world::Config wc = base(false);
		wc.populated_frames = 2000;
		wc.pod_cache = 1000;
		wc.kernel_frames = 100;
		Harness h(wc, version_switches(v));
		ASSERT_EQ(h.init_rc, 0);
		// The toolstack's first target (what Xen backs), the late initcall,
		// then userspace uses 3000 more pages: 100 more than Xen backs, if
		// the balloon has not given back the 1000 it must.
		h.core.set_target(3000);
		EXPECT_EQ(ballast::scenario::boot_wait(h.w, h.core), 0) << kVersionNames[v];
		for (int i = 0; i < 3000; i++)
			h.w.kernel_alloc();
		const bool crashed = h.w.faults_total() != 0;
		EXPECT_EQ(crashed, v == kSeed) << kVersionNames[v];
		if (v != kSeed) {
			EXPECT_EQ(h.stats().current_pages, 3000u) << kVersionNames[v];
		}
	}
}

} // namespace
} // namespace ballast_test
