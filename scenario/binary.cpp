// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast scenario: the binary fuzz input (binary.h). Kept apart from the
// text parser (text.cpp) so fuzz builds can leave trace-cmp out of this file:
// every input of every fuzz target is decoded here, and the varint loops'
// compare callbacks cost ~7% of core_invariants' executions (fuzz/README.md,
// Speed).
#include "binary.h"

#include "fields.h"
#include "profile.h"

namespace ballast {
namespace scenario {

using namespace fields;

namespace {
struct Reader {
	const uint8_t *p;
	size_t n, i = 0;
	bool done() const { return i >= n; }
	uint64_t varint()
	{
		uint64_t v = 0;
		for (unsigned shift = 0; shift < 64; shift += 7) {
			if (i >= n)
				break;
			uint8_t b = p[i++];
			v |= (uint64_t)(b & 0x7f) << shift;
			if (!(b & 0x80))
				break;
		}
		return v;
	}
	uint8_t byte() { return i < n ? p[i++] : 0; }
	uint64_t ranged(uint64_t lo, uint64_t hi)
	{
		uint64_t span = hi - lo + 1;
		uint64_t v = varint();
		return span == 0 ? v : lo + v % span;
	}
};

void put_varint(std::vector<uint8_t> &out, uint64_t v)
{
	while (v >= 0x80) {
		out.push_back((uint8_t)(v | 0x80));
		v >>= 7;
	}
	out.push_back((uint8_t)v);
}

} // namespace

void sanitize(Scenario *sc)
{
	Header &h = sc->header;
	for (const HeaderField &f : kHeaderFields) {
		if (is_highmem_field(f) && h.*(f.member) == Header::kNone)
			continue;
		h.*(f.member) = clamp_u(h.*(f.member), f.lo, f.hi);
	}
	if (h.n_regions > Header::kMaxRegions)
		h.n_regions = Header::kMaxRegions;
	for (unsigned i = 0; i < Header::kMaxRegions; i++) {
		if (i >= h.n_regions) {
			h.region_start[i] = h.region_pages[i] = 0;
			continue;
		}
		h.region_start[i] = clamp_u(h.region_start[i], 0, kRegionStartMax);
		h.region_pages[i] = clamp_u(h.region_pages[i], 0, kRegionPagesMax);
	}
	for (Op &o : sc->ops) {
		if ((unsigned)o.kind >= kOpCount)
			o.kind = OpKind::Run;
		const OpSpec &s = op_spec(o.kind);
		for (unsigned a = 0; a < 2; a++)
			o.arg[a] = a < s.nargs ? clamp_s(o.arg[a], s.lo[a], s.hi[a]) : 0;
	}
}

// The body after the selector byte, without the limits.
static void decode_body(Reader &r, Scenario *out, size_t max_ops)
{
	Header &h = out->header;
	for (const HeaderField &f : kHeaderFields) {
		if (!f.binary)
			continue;
		if (is_highmem_field(f)) {
			uint64_t v = r.varint();
			h.highmem = v == 0 ? Header::kNone : (v - 1) % (f.hi - f.lo + 1) + f.lo;
		} else {
			h.*(f.member) = r.ranged(f.lo, f.hi);
		}
	}
	h.n_regions = r.ranged(0, Header::kMaxRegions);
	for (unsigned i = 0; i < h.n_regions; i++) {
		h.region_start[i] = r.ranged(0, kRegionStartMax);
		h.region_pages[i] = r.ranged(0, kRegionPagesMax);
	}
	while (!r.done() && out->ops.size() < max_ops) {
		Op o;
		o.kind = static_cast<OpKind>(r.byte() % kOpCount);
		const OpSpec &s = op_spec(o.kind);
		for (unsigned a = 0; a < s.nargs; a++)
			o.arg[a] = s.lo[a] + (int64_t)r.ranged(0, (uint64_t)(s.hi[a] - s.lo[a]));
		out->ops.push_back(o);
	}
}

void decode_input(const uint8_t *data, size_t size, Scenario *out, const FuzzLimits &lim,
		  size_t *used)
{
	Reader r{data, data ? size : 0};
	out->header = Header();
	out->ops.clear();
	out->left.clear();
	out->right.clear();
	out->profile = r.done() ? BALLAST_PROFILE_BALLAST :
				  static_cast<ballast_profile>(r.byte() % kProfileCount);
	decode_body(r, out, lim.max_ops);
	fit_to_limits(out, lim);
	if (used)
		*used = r.i;
}

bool encode_input(const Scenario &in, std::vector<uint8_t> *out, std::string *why,
		  const FuzzLimits &lim)
{
	if (!within_limits(in, why, lim))
		return false;
	Scenario sc = in;
	sanitize(&sc);
	if (sc != in) {
		if (why)
			*why = "a field is outside its range (scenario/FORMAT.md)";
		return false;
	}
	const Header &h = sc.header;
	out->clear();
	out->reserve(64 + sc.ops.size() * 4);
	out->push_back((uint8_t)sc.profile);
	for (const HeaderField &f : kHeaderFields) {
		if (!f.binary)
			continue;
		uint64_t v = h.*(f.member);
		if (is_highmem_field(f))
			put_varint(*out, v == Header::kNone ? 0 : v - f.lo + 1);
		else
			put_varint(*out, v - f.lo);
	}
	put_varint(*out, h.n_regions);
	for (unsigned i = 0; i < h.n_regions; i++) {
		put_varint(*out, h.region_start[i]);
		put_varint(*out, h.region_pages[i]);
	}
	for (const Op &o : sc.ops) {
		out->push_back((uint8_t)o.kind);
		const OpSpec &s = op_spec(o.kind);
		for (unsigned a = 0; a < s.nargs; a++)
			put_varint(*out, (uint64_t)(o.arg[a] - s.lo[a]));
	}
	return true;
}

} // namespace scenario
} // namespace ballast
