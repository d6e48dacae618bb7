// SPDX-License-Identifier: GPL-2.0 OR MIT
// Fuzz target scenario_parser: the readable scenario parser (diff/scenario.h)
// on arbitrary bytes. Must never crash; whatever parses must print to a text
// that parses back to the same scenario and prints identically (round trip),
// and the binary encoding must round-trip too.
#include <cstdio>
#include <cstdlib>

#include "core_harness.h"

using namespace ballast;

// The replay main hands .scn files over as text, not converted.
extern "C" int ballast_fuzz_wants_text(void)
{
	return 1;
}

static void fail(const char *what, const std::string &a, const std::string &b)
{
	fprintf(stderr, "scenario_parser: %s\n--- first:\n%s\n--- second:\n%s\n", what, a.c_str(),
		b.c_str());
	abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static diff::Scenario *s = new diff::Scenario(), *t = new diff::Scenario();
	ballast_profile p, q;
	std::string err;
	std::string text(reinterpret_cast<const char *>(data), size);
	if (fuzz::parse_input(text, &p, s, &err)) {
		std::string printed = fuzz::print_input(p, *s);
		if (!fuzz::parse_input(printed, &q, t, &err))
			fail(("printed text does not parse: " + err).c_str(), text, printed);
		if (*s != *t || p != q)
			fail("print/parse round trip changed the scenario", text, printed);
		if (fuzz::print_input(q, *t) != printed)
			fail("printing is not stable", printed, fuzz::print_input(q, *t));
	} else if (err.compare(0, 5, "line ") != 0) {
		fail(("parse error without a line: " + err).c_str(), text, "");
	}
	// Binary: decode(bytes) is canonical after one encode.
	fuzz::decode_input(data, size, &p, s);
	std::vector<uint8_t> enc = fuzz::encode_input(p, *s);
	fuzz::decode_input(enc.data(), enc.size(), &q, t);
	if (*s != *t || p != q)
		fail("binary decode(encode(s)) != s", fuzz::print_input(p, *s),
		     fuzz::print_input(q, *t));
	return 0;
}
