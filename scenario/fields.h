// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast scenario: the header's fields and their ranges, shared by the text
// format (text.cpp), the binary encoding (binary.cpp) and the fuzz limits
// (limits.cpp). Internal to scenario/: text and binary are separate files so
// that fuzz builds can compile the text parser with trace-cmp and the binary
// decoder, which runs on every fuzz input, without it (scenario/CMakeLists.txt).
#ifndef BALLAST_SCENARIO_FIELDS_H
#define BALLAST_SCENARIO_FIELDS_H

#include <cstdint>

#include "scenario.h"

namespace ballast {
namespace scenario {
namespace fields {

struct HeaderField {
	const char *name;
	uint64_t Header::*member;
	uint64_t lo, hi;
	bool binary; // in the binary encoding (else text only: fixed for fuzz inputs)
};

// Text order, and for the fields with `binary` the binary order: append only.
inline constexpr HeaderField kHeaderFields[] = {
	{"frames", &Header::frames, 1, 1ULL << 20, true},
	{"populated", &Header::populated, 0, 1ULL << 20, true},
	{"kernel", &Header::kernel, 0, 1ULL << 20, true},
	{"highmem", &Header::highmem, 0, 1ULL << 17, true}, // plus "none"
	{"max_pages", &Header::max_pages, 0, 1ULL << 20, true},
	{"host_pool", &Header::host_pool, 0, 1ULL << 20, true},
	{"max_pfn", &Header::max_pfn, 0, 1ULL << 17, true},
	{"released", &Header::released, 0, 1ULL << 16, true},
	{"pps", &Header::pps, 1, 1ULL << 16, true},
	{"addr_limit", &Header::addr_limit, 0, 1ULL << 40, true},
	{"iomem_limit", &Header::iomem_limit, 0, 1ULL << 40, true},
	{"mem_reserve", &Header::mem_reserve, 0, 1ULL << 16, true},
	{"totalreserve", &Header::totalreserve, 0, 1ULL << 16, true},
	{"seed", &Header::seed, 0, 1ULL << 32, true},
	{"pv", &Header::pv, 0, 1, true},
	{"xen_domain", &Header::xen_domain, 0, 1, true},
	{"online", &Header::online, 0, 2, true},
	{"auto_region", &Header::auto_region, 0, 1, true},
	{"hotplug", &Header::hotplug, 0, 1, true},
	{"pvmmu", &Header::pvmmu, 0, 1, true},
	{"xen_pv", &Header::xen_pv, 0, 1, true},
	{"sparsemem", &Header::sparsemem, 0, 1, true},
	{"advance_runs", &Header::advance_runs, 0, 1ULL << 20, false},
	{"dom0", &Header::dom0, 0, 1, true},
	{"pvh", &Header::pvh, 0, 1, true},
	{"firmware", &Header::firmware, 0, 1ULL << 16, true},
	{"pod", &Header::pod, 0, 1ULL << 16, true},
	{"unpopulated_alloc", &Header::unpopulated_alloc, 0, 1, true},
	{"sp_order", &Header::sp_order, 0, 9, true},
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

} // namespace fields
} // namespace scenario
} // namespace ballast

#endif // BALLAST_SCENARIO_FIELDS_H
