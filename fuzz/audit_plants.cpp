// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast fuzz: the audit's planted bugs (CoreHarness::set_audit). Each is
// something a buggy core could do to its list, its statistics, the pages it
// lent or the pages it holds; `ballast_fuzz_tool audit` plants them now and
// then and counts how often the incremental invariant checker catches them.
#include "core_harness.h"

namespace ballast {
namespace fuzz {

const char *AuditPlants::plant_name(unsigned kind)
{
	static const char *const names[kPlants] = {
		"leak a ballooned page (unlinked, stats adjusted)",
		"free a page still in the ballooned list",
		"lose a lent page",
		"link a guest-free page into the list",
		"link a kernel page into the list",
		"lend a ballooned page uncounted (only the accounting oracle sees it)",
		"point a ballooned page's p2m at a populated MFN",
	};
	return kind < kPlants ? names[kind] : "?";
}

bool AuditPlants::plant_must_be_caught(unsigned kind)
{
	return kind <= 4;
}

} // namespace fuzz
} // namespace ballast
