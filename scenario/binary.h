// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast scenario: the binary fuzz input, the one input format of every fuzz
// target (core_invariants, diff_upstream, AFL++, OSS-Fuzz):
//
//   byte 0      the selector: the profile (value % number of profiles, in the
//               order of core/profile.h kProfileTable: ballast, linux-2019,
//               linux-6.1, linux-6.12); the differential target compares core:PROFILE
//               with the upstream version it models (names.h scenario_pair)
//   then        a varint per binary header field (scenario/fields.h order),
//               value = lo + v mod (hi - lo + 1), highmem 0 = none; the number
//               of regions (mod 9) and a varint pair per region
//   then        per operation an opcode byte (mod the number of operations,
//               BALLAST_SCENARIO_OPS order) and a varint per argument
//
// A missing byte reads as 0; decoding stops when the input ends or after the
// fuzz limit's number of operations. The decoded scenario is then fitted to
// the fuzz limits (limits.h), so every byte string decodes to one valid
// scenario within them, and that scenario (printed as text) runs the same in
// every tool. encode_input is the inverse for scenarios within the limits:
// decode(encode(s)) == s.
#ifndef BALLAST_SCENARIO_BINARY_H
#define BALLAST_SCENARIO_BINARY_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "limits.h"
#include "scenario.h"

namespace ballast {
namespace scenario {

// *used (optional): the bytes read; the rest of the input means nothing.
void decode_input(const uint8_t *data, size_t size, Scenario *out,
		  const FuzzLimits &lim = FuzzLimits(), size_t *used = nullptr);
// False (and the limit, in *why) for a scenario outside the fuzz limits.
bool encode_input(const Scenario &s, std::vector<uint8_t> *out, std::string *why,
		  const FuzzLimits &lim = FuzzLimits());

} // namespace scenario
} // namespace ballast

#endif // BALLAST_SCENARIO_BINARY_H
