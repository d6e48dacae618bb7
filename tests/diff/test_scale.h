// SPDX-License-Identifier: GPL-2.0 OR MIT
// How many random scenarios a test runs: enough to exercise every op, small
// enough for the ASan build in CI.
#ifndef BALLAST_TESTS_DIFF_TEST_SCALE_H
#define BALLAST_TESTS_DIFF_TEST_SCALE_H

#include <cstdint>

#if defined(__SANITIZE_ADDRESS__)
#define BALLAST_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BALLAST_TEST_ASAN 1
#endif
#endif
#ifndef BALLAST_TEST_ASAN
#define BALLAST_TEST_ASAN 0
#endif

constexpr uint64_t scaled_count(uint64_t plain, uint64_t under_asan)
{
	return BALLAST_TEST_ASAN ? under_asan : plain;
}

#endif
