// SPDX-License-Identifier: GPL-2.0 OR MIT
// divergences_attributable() (one rerun) against the full attribution chain
// on random scenarios of a pair; shared by the core-vs-core and the upstream
// tests.
#ifndef BALLAST_TESTS_DIFF_FAST_ATTRIBUTION_H
#define BALLAST_TESTS_DIFF_FAST_ATTRIBUTION_H

#include <gtest/gtest.h>

#include "attribution.h"
#include "driver.h"

struct FastAttributionCounts {
	uint64_t divergences = 0, attributed = 0, unattributed = 0;
};

inline FastAttributionCounts fast_attribution_agrees(ballast::diff::Pair &p, uint64_t count,
						     uint64_t seed)
{
	using namespace ballast::diff;
	using namespace ballast::scenario;
	FastAttributionCounts c;
	Scenario s;
	Divergence d;
	for (uint64_t i = 0; i < count; i++) {
		generate_scenario(seed + i, GenOptions(), &s);
		if (!p.engine.run(s, *p.left, *p.right, &d))
			continue;
		c.divergences++;
		const bool full = attribute_scenario(p.engine, s, p.left_spec, p.right_spec,
						     *p.left, *p.right, d)
					  .ok();
		const bool fast = divergences_attributable(p.engine, s, p.left_spec, p.right_spec,
							   *p.left, *p.right);
		(full ? c.attributed : c.unattributed)++;
		EXPECT_EQ(fast, full)
			<< p.left_spec.text << " vs " << p.right_spec.text << ", scenario:\n"
			<< print_scenario(s);
		if (fast != full)
			break;
	}
	return c;
}

#endif // BALLAST_TESTS_DIFF_FAST_ATTRIBUTION_H
