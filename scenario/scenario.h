// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast scenario: the one scenario language of the project -- the world a
// run starts in, the operations applied to it one per step, and which core
// profile runs it. Every tool reads it through scenario/ only: the text form
// (text.h, documented in scenario/FORMAT.md), the binary fuzz input
// (binary.h), the file loader (load.h), the generator (generate.h), the name
// tables (names.h) and the one interpreter of the operations (runtime.h).
#ifndef BALLAST_SCENARIO_H
#define BALLAST_SCENARIO_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ballast_core.h"

namespace ballast {
namespace scenario {

// ------------------------------------------------------------------ header
// The world at boot, and the driver's build-time configuration. Every field
// has a default; the text header lists only fields that differ from it.
struct Header {
	uint64_t frames = 4096;		   // guest pfns at boot
	uint64_t populated = 4096;	   // pfns [0, populated) populated at boot
	uint64_t kernel = 0;		   // of those, [0, kernel) held by the kernel
	uint64_t highmem = kNone;	   // first highmem pfn (kNone: no highmem)
	uint64_t max_pages = 0;		   // domain max_pages (0: frames)
	uint64_t host_pool = 4096;	   // free MFNs in the host
	uint64_t max_pfn = 0;		   // boot max_pfn (0: frames)
	uint64_t released = 0;		   // xen_released_pages
	uint64_t pps = 32768;		   // pages per memory section
	uint64_t addr_limit = 1ULL << 34;  // addressable pfn limit (MAX_PHYSMEM_BITS)
	uint64_t iomem_limit = 1ULL << 28; // allocate_resource fails above this pfn
	uint64_t mem_reserve = 0;	   // mem_available = free frames - mem_reserve
	uint64_t totalreserve = 0;	   // totalreserve_pages
	uint64_t seed = 1;		   // the world's PRNG (permille knobs)
	uint64_t pv = 0;		   // 1: PV guest; 0: auto-translated (HVM/PVH)
	uint64_t xen_domain = 1;
	uint64_t online = 0;	  // 0 manual, 1 sync, 2 deferred (world::OnlinePolicy)
	uint64_t auto_region = 1; // PV: report [populated, frames) as an extra region
	// ballast_config
	uint64_t hotplug = 1;
	uint64_t pvmmu = 1;
	uint64_t xen_pv = 1;
	uint64_t sparsemem = 1;
	// how many worker runs one `advance` may take before it stops (0: no
	// limit but the world's hang detection); fuzz inputs always run with 64
	uint64_t advance_runs = 64;
	// the boot type and the figures the kernel computes its initial state
	// from (world/config.h): dom0, PVH (else HVM when pv=0), PV pages the
	// memory map does not call RAM, HVM populate-on-demand cache, and
	// CONFIG_XEN_UNPOPULATED_ALLOC taking the extra regions
	uint64_t dom0 = 0;
	uint64_t pvh = 0;
	uint64_t firmware = 0;
	uint64_t pod = 0;
	uint64_t unpopulated_alloc = 0;
	// aligned blocks of 2^sp_order pages: the guest allocator's and the
	// host's superpage blocks, and the core's superpage_order (0: none)
	uint64_t sp_order = 9;
	// explicit extra regions (PV); at most kMaxRegions
	static constexpr unsigned kMaxRegions = 8;
	uint64_t n_regions = 0;
	uint64_t region_start[kMaxRegions] = {};
	uint64_t region_pages[kMaxRegions] = {};

	static constexpr uint64_t kNone = ~0ULL;

	ballast_config config() const;
	bool operator==(const Header &o) const;
	bool operator!=(const Header &o) const { return !(*this == o); }
};

// --------------------------------------------------------------- operations
// X(enum, text keywords, number of arguments, arg0 lo, arg0 hi, arg1 lo, arg1 hi)
// The order is the binary opcode: append only, never reorder.
#define BALLAST_SCENARIO_OPS(X)                                                 \
	X(Target, "target", 1, 0, (1LL << 48), 0, 0)                            \
	X(Run, "run", 0, 0, 0, 0, 0)                                            \
	X(Advance, "advance", 1, 0, 1000000, 0, 0)                              \
	X(Lend, "lend", 1, -64, 4096, 0, 0)                                     \
	X(GiveBack, "giveback", 1, 0, 4096, 0, 0)                               \
	X(GiveBackAll, "giveback all", 0, 0, 0, 0, 0)                           \
	X(Online, "online", 0, 0, 0, 0, 0)                                      \
	X(HotplugUnpopulated, "hotplug_unpopulated", 1, 0, 1, 0, 0)             \
	X(MaxScheduleDelay, "max_schedule_delay", 1, 0, (1LL << 40), 0, 0)      \
	X(MaxRetryCount, "max_retry_count", 1, 0, (1LL << 32), 0, 0)            \
	X(PopulateCap, "xen populate cap", 1, 0, 1048576, 0, 0)                 \
	X(PopulateFail, "xen populate fail", 2, 0, 65536, -4096, 4096)          \
	X(PopulatePermille, "xen populate permille", 1, 0, 1000, 0, 0)          \
	X(PopulateLie, "xen populate lie", 1, -1048576, 1048576, 0, 0)          \
	X(PopulateNone, "xen populate none", 1, -4096, 4096, 0, 0)              \
	X(DecreaseCap, "xen decrease cap", 1, 0, 1048576, 0, 0)                 \
	X(DecreaseFail, "xen decrease fail", 2, 0, 65536, -4096, 4096)          \
	X(DecreasePermille, "xen decrease permille", 1, 0, 1000, 0, 0)          \
	X(DecreaseLie, "xen decrease lie", 1, -1048576, 1048576, 0, 0)          \
	X(DecreaseNone, "xen decrease none", 1, -4096, 4096, 0, 0)              \
	X(XenReset, "xen reset", 0, 0, 0, 0, 0)                                 \
	X(XenMaxPages, "xen max_pages", 1, 0, (1LL << 40), 0, 0)                \
	X(XenHostPool, "xen host_pool", 1, 0, (1LL << 32), 0, 0)                \
	X(XenEnforceMaxPages, "xen enforce_max_pages", 1, 0, 1, 0, 0)           \
	X(AllocFail, "alloc fail", 1, 0, 65536, 0, 0)                           \
	X(AllocPermille, "alloc permille", 1, 0, 1000, 0, 0)                    \
	X(AllocStorm, "alloc storm", 1, 0, 1, 0, 0)                             \
	X(AllocPressure, "alloc pressure", 1, 0, (1LL << 32), 0, 0)             \
	X(AllocRelax, "alloc relax", 0, 0, 0, 0, 0)                             \
	X(AllocMask, "alloc mask", 1, 0, 3, 0, 0)                               \
	X(HotplugResourceResult, "hotplug resource_result", 1, -4096, 0, 0, 0)  \
	X(HotplugAddResult, "hotplug add_result", 1, -4096, 0, 0, 0)            \
	X(HotplugP2mFailAfter, "hotplug p2m_fail_after", 1, -1, 1048576, 0, 0)  \
	X(HotplugAllocP2mResult, "hotplug alloc_p2m_result", 1, -4096, 0, 0, 0) \
	X(WaitInterrupt, "wait interrupt", 1, 0, 1, 0, 0)                       \
	X(MemAvailable, "mem_available", 1, -(1LL << 40), (1LL << 40), 0, 0)    \
	X(MemAvailableAuto, "mem_available auto", 0, 0, 0, 0, 0)                \
	X(TotalReserve, "totalreserve", 1, 0, (1LL << 40), 0, 0)                \
	X(GuestTake, "guest take", 1, 0, 65536, 0, 0)                           \
	X(GuestGive, "guest give", 1, 0, 65536, 0, 0)                           \
	X(BootWait, "boot wait", 0, 0, 0, 0, 0)                                 \
	X(XenMaxOrder, "xen max_order", 1, 0, 20, 0, 0)                         \
	X(XenHostFragment, "xen host_fragment", 1, 0, (1LL << 20), 0, 0)        \
	X(GuestFragment, "guest fragment", 1, 0, 65536, 0, 0)

enum class OpKind : uint8_t {
#define BALLAST_SCENARIO_OP_ENUM(e, text, n, a0, b0, a1, b1) e,
	BALLAST_SCENARIO_OPS(BALLAST_SCENARIO_OP_ENUM)
#undef BALLAST_SCENARIO_OP_ENUM
};

struct OpSpec {
	OpKind kind;
	const char *text; // keywords, space separated
	unsigned nargs;
	int64_t lo[2], hi[2];
};
extern const OpSpec kOpSpecs[];
extern const unsigned kOpCount;
inline const OpSpec &op_spec(OpKind k)
{
	return kOpSpecs[static_cast<unsigned>(k)];
}

struct Op {
	OpKind kind = OpKind::Run;
	int64_t arg[2] = {0, 0};
	bool operator==(const Op &o) const
	{
		return kind == o.kind && arg[0] == o.arg[0] && arg[1] == o.arg[1];
	}
	bool operator!=(const Op &o) const { return !(*this == o); }
};

// A whole scenario. `profile` is the core profile that runs it (text: a
// "# profile: NAME" line; binary: the selector byte); the differential
// tools compare core:PROFILE with the upstream version that profile models
// (names.h, default_pair) unless the text names another pair ("# pair:
// LEFT RIGHT", kept in `left`/`right`; empty: the default pair).
struct Scenario {
	Header header;
	std::vector<Op> ops;
	ballast_profile profile = BALLAST_PROFILE_BALLAST;
	std::string left, right;
	bool operator==(const Scenario &o) const
	{
		return header == o.header && ops == o.ops && profile == o.profile &&
		       left == o.left && right == o.right;
	}
	bool operator!=(const Scenario &o) const { return !(*this == o); }
};

// Clamp every field to its documented range (what the decoder guarantees).
void sanitize(Scenario *s);

} // namespace scenario
} // namespace ballast

#endif // BALLAST_SCENARIO_H
