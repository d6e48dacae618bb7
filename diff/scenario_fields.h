// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast diff: the scenario header's fields and their ranges, shared by the
// text format (scenario.cpp) and the binary encoding (scenario_binary.cpp).
// Internal to diff/: the two are separate files so that fuzz builds can
// compile the text parser with trace-cmp and the binary decoder, which runs
// on every fuzz input, without it (diff/CMakeLists.txt).
#ifndef BALLAST_DIFF_SCENARIO_FIELDS_H
#define BALLAST_DIFF_SCENARIO_FIELDS_H

#include <cstdint>

#include "scenario.h"

namespace ballast {
namespace diff {
namespace scenario_fields {

struct HeaderField {
	const char *name;
	uint64_t Header::*member;
	uint64_t lo, hi;
};

// Binary order: append only.
inline constexpr HeaderField kHeaderFields[] = {
	{"frames", &Header::frames, 1, 1ULL << 16},
	{"populated", &Header::populated, 0, 1ULL << 16},
	{"kernel", &Header::kernel, 0, 1ULL << 16},
	{"highmem", &Header::highmem, 0, 1ULL << 17}, // plus "none"
	{"max_pages", &Header::max_pages, 0, 1ULL << 20},
	{"host_pool", &Header::host_pool, 0, 1ULL << 20},
	{"max_pfn", &Header::max_pfn, 0, 1ULL << 17},
	{"released", &Header::released, 0, 1ULL << 16},
	{"pps", &Header::pps, 1, 1ULL << 16},
	{"addr_limit", &Header::addr_limit, 0, 1ULL << 40},
	{"iomem_limit", &Header::iomem_limit, 0, 1ULL << 40},
	{"mem_reserve", &Header::mem_reserve, 0, 1ULL << 16},
	{"totalreserve", &Header::totalreserve, 0, 1ULL << 16},
	{"seed", &Header::seed, 0, 1ULL << 32},
	{"pv", &Header::pv, 0, 1},
	{"xen_domain", &Header::xen_domain, 0, 1},
	{"online", &Header::online, 0, 2},
	{"auto_region", &Header::auto_region, 0, 1},
	{"hotplug", &Header::hotplug, 0, 1},
	{"pvmmu", &Header::pvmmu, 0, 1},
	{"xen_pv", &Header::xen_pv, 0, 1},
	{"sparsemem", &Header::sparsemem, 0, 1},
};
inline constexpr uint64_t kRegionStartMax = 1ULL << 17, kRegionPagesMax = 1ULL << 16;
inline constexpr const char *kOnlineNames[] = {"manual", "sync", "deferred"};

inline bool is_highmem_field(const HeaderField &f)
{
	return f.member == &Header::highmem;
}

inline uint64_t clamp_u(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}
inline int64_t clamp_s(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

} // namespace scenario_fields
} // namespace diff
} // namespace ballast

#endif // BALLAST_DIFF_SCENARIO_FIELDS_H
