// The invariant checker catches a broken copy of the core. Each environment
// below wraps the real one and plants one bug at the contract boundary, as a
// core that forgot a call or made one twice would: the unbroken run passes,
// the broken one is reported with the right kind.
#include "harness.h"

namespace ballast_test {
namespace {

// The core "forgets" to hand every 7th page back to the allocator.
struct LeakingEnv : world::Env {
	using world::Env::Env;
	unsigned n = 0;
	void free_reserved_page(ballast_page *p)
	{
		if (++n % 7 == 0)
			return;
		world::Env::free_reserved_page(p);
	}
};

// The core frees a page twice.
struct DoubleFreeEnv : world::Env {
	using world::Env::Env;
	void free_reserved_page(ballast_page *p)
	{
		world::Env::free_reserved_page(p);
		world::Env::free_reserved_page(p);
	}
};

// The core gives the same frames back to Xen twice.
struct DoubleGiveBackEnv : world::Env {
	using world::Env::Env;
	int reservation_decrease(int count, ballast_pfn_t *frames)
	{
		int rc = world::Env::reservation_decrease(count, frames);
		world::Env::reservation_decrease(count, frames);
		return rc;
	}
};

// The core miscounts: one lowmem page is counted as highmem.
struct MiscountEnv : world::Env {
	using world::Env::Env;
	int page_is_highmem(ballast_page *p)
	{
		return p->pfn == 7 ? 1 : world::Env::page_is_highmem(p);
	}
};

// The core drops a page from the list without freeing it: unlinks the head.
template <class H> void drop_list_head(H &h)
{
	ballast_list *head = const_cast<ballast_list *>(h.core.ballooned_head());
	ballast_list *n = head->next;
	n->next->prev = head;
	head->next = n->next;
}

// Inflate by 64 pages and deflate again; returns the checker's verdict.
template <class EnvT> struct InflateDeflate {
	BasicHarness<EnvT> h;
	std::string report;
	InflateDeflate()
	{
		h.target(4096 - 64);
		h.target(4096);
		report = h.violations();
	}
	bool has(world::Check c) const { return h.checker.has(c); }
};

TEST(PlantedFaults, CleanCorePasses)
{
	EXPECT_EQ(InflateDeflate<world::Env>().report, "");
}

TEST(PlantedFaults, LeakedPageIsCaught)
{
	InflateDeflate<LeakingEnv> r;
	EXPECT_NE(r.report, "");
	EXPECT_TRUE(r.has(world::Check::Leaked)) << r.report;
}

TEST(PlantedFaults, DoubleFreeIsCaught)
{
	InflateDeflate<DoubleFreeEnv> r;
	EXPECT_NE(r.report, "");
	EXPECT_TRUE(r.has(world::Check::WorldFault)) << r.report;
}

TEST(PlantedFaults, DoubleGiveBackIsCaught)
{
	BasicHarness<DoubleGiveBackEnv> h;
	h.target(4096 - 64);
	EXPECT_NE(h.violations(), "");
	EXPECT_TRUE(h.checker.has(world::Check::WorldFault)) << h.checker.report();
}

TEST(PlantedFaults, StatsListMismatchIsCaught)
{
	BasicHarness<MiscountEnv> h;
	h.target(4096 - 64); // pfn 7 is among the first allocated (low pfns first)
	EXPECT_NE(h.violations(), "");
	EXPECT_TRUE(h.checker.has(world::Check::StatsMismatch)) << h.checker.report();
}

TEST(PlantedFaults, PageLostFromTheListIsCaught)
{
	Harness h;
	h.target(4096 - 64);
	ASSERT_EQ(h.violations(), "");
	drop_list_head(h);
	EXPECT_NE(h.violations(), "");
	EXPECT_TRUE(h.checker.has(world::Check::StatsMismatch) ||
		    h.checker.has(world::Check::Leaked))
		<< h.checker.report();
}

TEST(PlantedFaults, ReservationDisagreementIsCaught)
{
	Harness h;
	h.target(4096 - 64);
	h.w.kernel_alloc(); // fine: still populated
	ASSERT_EQ(h.violations(), "");
	// Xen moves one page without the guest knowing: tot_pages != current_pages.
	ballast_pfn_t f = 4000; // a free guest frame (auto-translated: gfn == pfn)
	xen_memory_reservation r{};
	set_xen_guest_handle(r.extent_start, &f);
	r.nr_extents = 1;
	r.domid = DOMID_SELF;
	h.w.memory_op(XENMEM_decrease_reservation, &r);
	EXPECT_NE(h.violations(), "");
	EXPECT_TRUE(h.checker.has(world::Check::TotPages) ||
		    h.checker.has(world::Check::PopulatedWrong))
		<< h.checker.report();
}

} // namespace
} // namespace ballast_test
