// SPDX-License-Identifier: GPL-2.0 OR MIT
// Fuzz target scenario_parser: the scenario loader (scenario/load.h) on
// arbitrary bytes, read as text. Must never crash; whatever parses must print
// to a text that parses back to the same scenario and prints identically
// (round trip); and the binary fuzz input must round-trip too: decode(bytes)
// encodes, and decodes back to the same scenario.
#include <cstdio>
#include <cstdlib>

#include "binary.h"
#include "load.h"
#include "text.h"

using namespace ballast;
using scenario::Scenario;

// The replay main hands scenario text over as it is, not converted.
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
	static Scenario *t = new Scenario();
	static scenario::Loaded *in = new scenario::Loaded();
	std::string err;
	const std::string bytes(reinterpret_cast<const char *>(data), size);
	if (scenario::load_bytes(bytes, "input", scenario::Format::Text, in, &err)) {
		const Scenario &s = in->scenario;
		const std::string printed = scenario::print_scenario(s);
		scenario::ParseError pe;
		if (!scenario::parse_scenario(printed, t, &pe))
			fail(("printed text does not parse: " + pe.to_string()).c_str(), bytes,
			     printed);
		if (s != *t)
			fail("print/parse round trip changed the scenario", bytes, printed);
		if (scenario::print_scenario(*t) != printed)
			fail("printing is not stable", printed, scenario::print_scenario(*t));
	} else if (err.compare(0, 7, "input: ") != 0 || err.size() < 8) {
		fail(("error without the input's name: " + err).c_str(), bytes, "");
	} else if (size > 0 && size <= scenario::kMaxInputBytes &&
		   err.compare(7, 5, "line ") != 0) {
		fail(("parse error without a line: " + err).c_str(), bytes, "");
	}
	// Binary: every decoded input is within the fuzz limits, so it encodes,
	// and the encoding decodes to the same scenario.
	Scenario &d = in->scenario;
	scenario::decode_input(data, size, &d);
	std::vector<uint8_t> enc;
	if (!scenario::encode_input(d, &enc, &err))
		fail(("a decoded input does not encode: " + err).c_str(), scenario::print_scenario(d),
		     "");
	scenario::decode_input(enc.data(), enc.size(), t);
	if (d != *t)
		fail("binary decode(encode(s)) != s", scenario::print_scenario(d),
		     scenario::print_scenario(*t));
	return 0;
}
