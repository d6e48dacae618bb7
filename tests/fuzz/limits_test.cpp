// SPDX-License-Identifier: GPL-2.0 OR MIT
// The scenario runtime's bounds, as the fuzz harness applies them: the header's
// advance_runs bounds one `advance`, a lending call asks for exactly what the
// scenario says, and the fuzz limits are applied by the decoder, never at run
// time.
#include <gtest/gtest.h>

#include <string>

#include "binary.h"
#include "core_harness.h"
#include "text.h"

using namespace ballast;
using scenario::Scenario;

namespace {

Scenario parse(const std::string &text)
{
	Scenario s;
	scenario::ParseError e;
	EXPECT_TRUE(scenario::parse_scenario(text, &s, &e)) << e.to_string();
	return s;
}

// Xen releases one page per decrease and retries are unlimited: the worker
// runs once per page, so one long `advance` would run it 246 times.
std::string retry_forever(const std::string &runs)
{
	return "world frames=256 populated=256" + runs +
	       "\n"
	       "xen decrease cap 1\n"
	       "max_retry_count 0\n"
	       "target 10\n"
	       "advance 100000\n";
}

unsigned long worker_runs(const Scenario &s)
{
	fuzz::CoreHarness h;
	h.set_end_checks(false); // the scenario's runs, not the progress oracle's
	const fuzz::RunResult &r = h.run(s);
	EXPECT_EQ(r.outcome, fuzz::Outcome::Ok) << r.message;
	return h.world().work_runs();
}

} // namespace

TEST(RuntimeBounds, AnAdvanceRunsTheWorkerAtMostAdvanceRunsTimes)
{
	for (uint64_t cap : {1u, 5u, 16u, 64u, 200u})
		EXPECT_EQ(worker_runs(parse(retry_forever(" advance_runs=" + std::to_string(cap)))),
			  cap)
			<< "advance_runs=" << cap;
	// The default is 64, and 0 lifts the bound: all 246 pages go, one per run.
	EXPECT_EQ(worker_runs(parse(retry_forever(""))), 64u);
	EXPECT_EQ(worker_runs(parse(retry_forever(" advance_runs=0"))), 246u);
}

TEST(RuntimeBounds, ALendAsksForWhatTheScenarioSays)
{
	fuzz::CoreHarness h;
	h.set_end_checks(false); // the scenario's end state
	const fuzz::RunResult &r = h.run(parse("world frames=4096 populated=4096\nlend 2000\n"));
	ASSERT_EQ(r.outcome, fuzz::Outcome::Ok) << r.message;
	EXPECT_EQ(h.balloon().stats().current_pages, 4096u - 2000u);
}

TEST(RuntimeBounds, TheDecoderAppliesTheFuzzLimitsAndSaysSo)
{
	// lend 2000 is beyond the fuzz limit: written as text it cannot become a
	// fuzz input; a binary input asking for it decodes to lend 1024.
	Scenario s = parse("world frames=256 populated=256 host_pool=512 iomem_limit=1536 pps=128\n"
			   "lend 1024\n");
	std::vector<uint8_t> bin;
	std::string why;
	ASSERT_TRUE(scenario::encode_input(s, &bin, &why)) << why;
	s.ops[0].arg[0] = 2000;
	EXPECT_FALSE(scenario::encode_input(s, &bin, &why));
	EXPECT_NE(why.find("lend 2000 is above the fuzz limit 1024"), std::string::npos) << why;
	// The binary layout: selector, 22 header varints, region count, then
	// opcode 3 (lend) and its argument (value - lo, lo = -64) as a varint.
	std::vector<uint8_t> in(bin.begin(), bin.end() - 2);
	const uint64_t v = 2000 + 64;
	in.push_back((uint8_t)(v | 0x80));
	in.push_back((uint8_t)(v >> 7));
	Scenario d;
	scenario::decode_input(in.data(), in.size(), &d);
	ASSERT_EQ(d.ops.size(), 1u);
	EXPECT_EQ(d.ops[0].arg[0], 1024);
}
