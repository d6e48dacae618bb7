// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast diff: the scenario's binary encoding (the fuzz input format):
// decode_scenario reads any bytes as a valid scenario, encode_scenario writes
// one back. Kept apart from the text parser (scenario.cpp) so fuzz builds can
// leave trace-cmp out of this file: every input of every fuzz target is
// decoded here, and the varint loops' compare callbacks cost ~7% of
// core_invariants' executions (fuzz/README.md, Speed).
#include <vector>

#include "scenario.h"
#include "scenario_fields.h"

namespace ballast {
namespace diff {

using namespace scenario_fields;

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

void decode_scenario(const uint8_t *data, size_t size, Scenario *out, size_t max_ops)
{
	if (max_ops > kMaxDecodedOps)
		max_ops = kMaxDecodedOps;
	Reader r{data, data ? size : 0};
	Header &h = out->header;
	h = Header();
	out->ops.clear();
	for (const HeaderField &f : kHeaderFields) {
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

std::vector<uint8_t> encode_scenario(const Scenario &in)
{
	Scenario sc = in;
	sanitize(&sc);
	const Header &h = sc.header;
	std::vector<uint8_t> out;
	out.reserve(64 + sc.ops.size() * 4);
	for (const HeaderField &f : kHeaderFields) {
		uint64_t v = h.*(f.member);
		if (is_highmem_field(f))
			put_varint(out, v == Header::kNone ? 0 : v - f.lo + 1);
		else
			put_varint(out, v - f.lo);
	}
	put_varint(out, h.n_regions);
	for (unsigned i = 0; i < h.n_regions; i++) {
		put_varint(out, h.region_start[i]);
		put_varint(out, h.region_pages[i]);
	}
	for (size_t k = 0; k < sc.ops.size() && k < kMaxDecodedOps; k++) {
		const Op &o = sc.ops[k];
		out.push_back((uint8_t)o.kind);
		const OpSpec &s = op_spec(o.kind);
		for (unsigned a = 0; a < s.nargs; a++)
			put_varint(out, (uint64_t)(o.arg[a] - s.lo[a]));
	}
	return out;
}

} // namespace diff
} // namespace ballast
