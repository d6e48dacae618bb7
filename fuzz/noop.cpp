// SPDX-License-Identifier: GPL-2.0 OR MIT
// Fuzz target noop: does nothing, built with exactly the flags of the real
// targets. Its exec/s is the ceiling the benchmark compares against.
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
