// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <gtest/gtest.h>

#include "invariants.h"
#include "world_env.h"

namespace {

using world::Config;
using world::Env;
using world::World;

TEST(WorldBasic, BootStateIsConsistent)
{
	Config c;
	c.total_frames = 1024;
	c.populated_frames = 1024;
	World w(c);
	EXPECT_EQ(w.tot_pages(), 1024u);
	EXPECT_EQ(w.free_count(), 1024u);
	EXPECT_EQ(w.mem_available(), 1024);
	ballast_list head{&head, &head};
	ballast_stats st{};
	st.current_pages = 1024;
	world::InvariantChecker chk;
	EXPECT_EQ(chk.check(w, &head, st, nullptr, 0), 0u) << chk.report();
}

} // namespace
