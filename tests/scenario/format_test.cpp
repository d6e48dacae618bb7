// SPDX-License-Identifier: GPL-2.0 OR MIT
// The scenario format: parse/print, binary encode/decode, errors, robustness.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "binary.h"
#include "generate.h"
#include "limits.h"
#include "text.h"

using namespace ballast::scenario;

namespace {

const char *kExample = R"(# a PV guest that lends pages while the hypervisor misbehaves
world frames=1024 populated=768 pv=1 pps=64 highmem=900 online=deferred totalreserve=8
target 700          # give 68 pages back to Xen
run
lend 16
xen decrease fail 1 -12
target 600
advance 2
giveback 4
giveback all
mem_available -5
mem_available auto
online
hotplug_unpopulated 1
max_retry_count 0
guest take 3
)";

TEST(Scenario, ParsesTheDocumentedExample)
{
	Scenario s;
	ParseError e;
	ASSERT_TRUE(parse_scenario(kExample, &s, &e)) << e.to_string();
	EXPECT_EQ(s.header.frames, 1024u);
	EXPECT_EQ(s.header.populated, 768u);
	EXPECT_EQ(s.header.pv, 1u);
	EXPECT_EQ(s.header.pps, 64u);
	EXPECT_EQ(s.header.highmem, 900u);
	EXPECT_EQ(s.header.online, 2u);
	EXPECT_EQ(s.header.totalreserve, 8u);
	ASSERT_EQ(s.ops.size(), 14u);
	EXPECT_EQ(s.ops[0].kind, OpKind::Target);
	EXPECT_EQ(s.ops[0].arg[0], 700);
	EXPECT_EQ(s.ops[3].kind, OpKind::DecreaseFail);
	EXPECT_EQ(s.ops[3].arg[0], 1);
	EXPECT_EQ(s.ops[3].arg[1], -12);
	EXPECT_EQ(s.ops[6].kind, OpKind::GiveBack);
	EXPECT_EQ(s.ops[7].kind, OpKind::GiveBackAll);
	EXPECT_EQ(s.ops[8].kind, OpKind::MemAvailable);
	EXPECT_EQ(s.ops[8].arg[0], -5);
	EXPECT_EQ(s.ops[9].kind, OpKind::MemAvailableAuto);
}

TEST(Scenario, PrintParseRoundTrip)
{
	Scenario s, t;
	ParseError e;
	ASSERT_TRUE(parse_scenario(kExample, &s, &e));
	std::string text = print_scenario(s, "comment\nsecond line");
	ASSERT_TRUE(parse_scenario(text, &t, &e)) << e.to_string() << "\n" << text;
	EXPECT_EQ(s, t);
	EXPECT_EQ(text, print_scenario(t, "comment\nsecond line"));
}

TEST(Scenario, EveryOpKindRoundTripsThroughTextAndBinary)
{
	Scenario s;
	s.header.pv = 1;
	s.header.n_regions = 2;
	s.header.region_start[0] = 10;
	s.header.region_pages[0] = 5;
	s.header.region_start[1] = 100;
	s.header.region_pages[1] = 0;
	for (unsigned k = 0; k < kOpCount; k++) {
		const OpSpec &sp = kOpSpecs[k];
		for (int edge = 0; edge < 3; edge++) {
			Op o;
			o.kind = sp.kind;
			for (unsigned a = 0; a < sp.nargs; a++)
				o.arg[a] = edge == 0 ? sp.lo[a] :
					   edge == 1 ? sp.hi[a] :
						       (sp.lo[a] + sp.hi[a]) / 2;
			s.ops.push_back(o);
		}
	}
	Scenario t, u;
	ParseError e;
	ASSERT_TRUE(parse_scenario(print_scenario(s), &t, &e)) << e.to_string();
	EXPECT_EQ(s, t);
	// Binary: the same ops in fuzz-input-sized pieces (64 ops, lend <= 1024).
	for (size_t from = 0; from < s.ops.size(); from += 64) {
		Scenario v;
		v.ops.assign(s.ops.begin() + (long)from,
			     s.ops.begin() + (long)std::min(s.ops.size(), from + 64));
		v.header.frames = 256;
		v.header.populated = 256;
		v.header.host_pool = 512;
		v.header.iomem_limit = 1536;
		v.header.pps = 128;
		v.profile = BALLAST_PROFILE_LINUX_6_1;
		for (Op &o : v.ops)
			if (o.kind == OpKind::Lend && o.arg[0] > 1024)
				o.arg[0] = 1024;
		std::vector<uint8_t> b;
		std::string why;
		ASSERT_TRUE(encode_input(v, &b, &why)) << why;
		decode_input(b.data(), b.size(), &u);
		EXPECT_EQ(v, u);
	}
}

TEST(Scenario, RandomScenariosRoundTripBothWays)
{
	GenOptions g;
	g.negative_lending = true;
	for (uint64_t seed = 0; seed < 2000; seed++) {
		Scenario s, t, u;
		generate_scenario(seed, g, &s);
		ParseError e;
		ASSERT_TRUE(parse_scenario(print_scenario(s), &t, &e))
			<< seed << ": " << e.to_string();
		ASSERT_EQ(s, t) << seed;
		// As a fuzz input: fitted to the limits, it encodes and decodes back.
		fit_to_limits(&s);
		std::vector<uint8_t> b;
		std::string why;
		ASSERT_TRUE(encode_input(s, &b, &why)) << seed << ": " << why;
		decode_input(b.data(), b.size(), &u);
		ASSERT_EQ(s, u) << seed;
	}
}

TEST(Scenario, EveryByteStringDecodesToAValidScenario)
{
	std::mt19937_64 rng(42);
	for (int i = 0; i < 5000; i++) {
		std::vector<uint8_t> bytes(rng() % 200);
		for (auto &b : bytes)
			b = (uint8_t)rng();
		Scenario s, t, u;
		decode_input(bytes.data(), bytes.size(), &s);
		// valid: sanitize changes nothing, it is within the fuzz limits,
		// it prints and parses back
		Scenario c = s;
		sanitize(&c);
		ASSERT_EQ(c, s);
		std::string why;
		ASSERT_TRUE(within_limits(s, &why)) << why;
		ParseError e;
		ASSERT_TRUE(parse_scenario(print_scenario(s), &t, &e)) << e.to_string();
		ASSERT_EQ(s, t);
		// canonical re-encoding decodes to the same scenario
		std::vector<uint8_t> b;
		ASSERT_TRUE(encode_input(s, &b, &why)) << why;
		decode_input(b.data(), b.size(), &u);
		ASSERT_EQ(s, u);
	}
	Scenario empty;
	decode_input(nullptr, 0, &empty);
	EXPECT_TRUE(empty.ops.empty());
	EXPECT_EQ(empty.profile, BALLAST_PROFILE_BALLAST);
}

struct BadCase {
	const char *text;
	unsigned line, column;
	const char *needle;
};

TEST(Scenario, ErrorsNameLineAndColumn)
{
	const BadCase cases[] = {
		{"target 10\nfrobnicate 3\n", 2, 1, "unknown operation"},
		{"world frames=64\ntarget abc\n", 2, 8, "bad number"},
		{"run\n  target\n", 2, 9, "takes 1 argument"},
		{"run 5\n", 1, 5, "takes 0 argument"},
		{"world frames=0\n", 1, 14, "out of range"},
		{"world bogus=1\n", 1, 7, "unknown header key"},
		{"world frames\n", 1, 7, "key=value"},
		{"run\nworld frames=64\n", 2, 1, "before operations"},
		{"world\nworld\n", 2, 1, "second header"},
		{"lend 99999\n", 1, 6, "out of range"},
		{"xen populate bogus 1\n", 1, 1, "unknown operation"},
		{"target 99999999999999999999999\n", 1, 8, "bad number"},
		{"world region=5\n", 1, 14, "START+PAGES"},
		{"run\x01\n", 1, 4, "unexpected character"},
	};
	for (const BadCase &c : cases) {
		Scenario s;
		ParseError e;
		EXPECT_FALSE(parse_scenario(c.text, &s, &e)) << c.text;
		EXPECT_EQ(e.line, c.line) << c.text << " -> " << e.to_string();
		EXPECT_EQ(e.column, c.column) << c.text << " -> " << e.to_string();
		EXPECT_NE(e.message.find(c.needle), std::string::npos) << e.to_string();
		EXPECT_EQ(e.to_string().rfind("line ", 0), 0u);
	}
}

TEST(Scenario, ParserSurvivesGarbage)
{
	std::mt19937_64 rng(7);
	const char alphabet[] =
		"world target run lend giveback all xen populate fail 0123456789-=+# \n\t\r=x";
	for (int i = 0; i < 20000; i++) {
		std::string t(rng() % 120, ' ');
		for (char &c : t)
			c = (rng() % 8 == 0) ? (char)(rng() % 256) :
					       alphabet[rng() % (sizeof alphabet - 1)];
		Scenario s;
		ParseError e;
		if (parse_scenario(t, &s, &e)) {
			Scenario u;
			ASSERT_TRUE(parse_scenario(print_scenario(s), &u, &e));
			ASSERT_EQ(s, u);
		} else {
			ASSERT_GE(e.line, 1u);
			ASSERT_GE(e.column, 1u);
		}
	}
}

TEST(Scenario, HeaderIsOptionalAndDefaultsPrint)
{
	Scenario s;
	ParseError e;
	ASSERT_TRUE(parse_scenario("target 5\n", &s, &e));
	EXPECT_EQ(s.header, Header());
	EXPECT_EQ(print_header(Header()), "world frames=4096 populated=4096");
	ASSERT_TRUE(parse_scenario("", &s, &e));
	ASSERT_TRUE(parse_scenario("# only a comment", &s, &e));
	EXPECT_TRUE(s.ops.empty());
}

TEST(Scenario, HexAndCrLf)
{
	Scenario s;
	ParseError e;
	ASSERT_TRUE(parse_scenario("world frames=0x40 highmem=none online=sync\r\ntarget 0x10\r\n",
				   &s, &e))
		<< e.to_string();
	EXPECT_EQ(s.header.frames, 64u);
	EXPECT_EQ(s.header.online, 1u);
	EXPECT_EQ(s.ops[0].arg[0], 16);
}

} // namespace
