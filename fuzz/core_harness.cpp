// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "core_harness_impl.h"

namespace ballast {
namespace fuzz {

template class BasicCoreHarness<world::Env>;

} // namespace fuzz
} // namespace ballast
