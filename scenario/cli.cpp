// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "cli.h"

#include <cerrno>
#include <cstdlib>

namespace ballast {
namespace scenario {

bool parse_number(const char *option, const char *text, uint64_t lo, uint64_t hi, uint64_t *out,
		  std::string *err)
{
	auto fail = [&]() {
		if (err)
			*err = std::string(option) + " wants a whole number in [" +
			       std::to_string(lo) + ", " + std::to_string(hi) + "], got '" +
			       (text ? text : "") + "'";
		return false;
	};
	// strtoull accepts leading space, a sign (and wraps "-1" to 2^64-1):
	// only digits (or 0x and hex digits) are a number here.
	if (!text || !*text || (text[0] < '0' || text[0] > '9'))
		return fail();
	const bool hex = text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
	if (hex && !text[2])
		return fail();
	errno = 0;
	char *end = nullptr;
	const unsigned long long v = strtoull(text, &end, hex ? 16 : 10);
	if (errno || !end || *end || v < lo || v > hi)
		return fail();
	*out = v;
	return true;
}

} // namespace scenario
} // namespace ballast
