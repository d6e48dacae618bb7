// SPDX-License-Identifier: GPL-2.0 OR MIT
// Mappings in the world (world/mmu.h): a core that gives a frame to Xen while
// the kernel still maps it, while a stale TLB entry or a lazy kmap may still
// reach it, or that frees a page to the allocator before mapping it again, is
// caught -- a deleted TLB flush used to pass every test.
#include "run.h"

namespace oracle_test {
namespace {

// A PV guest with highmem gives pages to Xen and takes them back.
const char *kInflateDeflate = "world frames=256 populated=256 highmem=192 pv=1\n"
			      "target 128\n"
			      "run\n"
			      "target 256\n"
			      "run\n";

struct NoTlbFlushEnv : world::Env {
	using world::Env::Env;
	void flush_tlb_all() {}
};
struct NoKmapFlushEnv : world::Env {
	using world::Env::Env;
	void kmap_flush_unused() {}
};
// Resets the p2m but leaves the direct-map PTE in place.
struct NoUnmapEnv : world::Env {
	using world::Env::Env;
	void va_mapping_reset(ballast_page *page)
	{
		world().set_p2m(page->pfn, world::INVALID_MFN);
	}
};
// Sets the p2m but never maps the page again.
struct NoRemapEnv : world::Env {
	using world::Env::Env;
	void va_mapping_update(ballast_page *page, ballast_pfn_t frame)
	{
		world().set_p2m(page->pfn, frame);
	}
};

TEST(Mappings, CleanCoreKeepsThem)
{
	for (const char *profile : {"ballast", "linux-2019", "linux-6.1"}) {
		Scn<> r(std::string("# profile: ") + profile + "\n" + kInflateDeflate);
		EXPECT_EQ(r.r.outcome, Outcome::Ok) << profile << r.why();
		EXPECT_GT(r.h.world().tlb_flush_count, 0u);
	}
}

TEST(Mappings, PlantedMissingTlbFlushIsCaught)
{
	Scn<NoTlbFlushEnv> r(kInflateDeflate);
	EXPECT_TRUE(r.violation("while a stale TLB entry may still point to it")) << r.why();
}

TEST(Mappings, PlantedMissingKmapFlushIsCaught)
{
	Scn<NoKmapFlushEnv> r(kInflateDeflate);
	EXPECT_TRUE(r.violation("while a lazy kmap may still point to it")) << r.why();
	// Auto-translated (HVM) highmem too: kmaps are the guest's own.
	Scn<NoKmapFlushEnv> hvm("world frames=256 populated=256 highmem=192\ntarget 128\nrun\n");
	EXPECT_TRUE(hvm.violation("while a lazy kmap may still point to it")) << hvm.why();
}

TEST(Mappings, PlantedFrameGivenAwayMappedIsCaught)
{
	Scn<NoUnmapEnv> r(kInflateDeflate);
	EXPECT_TRUE(r.violation("while the kernel still maps it")) << r.why();
}

TEST(Mappings, PlantedPageFreedUnmappedIsCaught)
{
	Scn<NoRemapEnv> r(kInflateDeflate);
	EXPECT_TRUE(r.violation("page given back to the allocator before it is mapped again"))
		<< r.why();
}

} // namespace
} // namespace oracle_test
