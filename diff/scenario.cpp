// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast diff: scenario text format and random generator (the binary
// encoding is in scenario_binary.cpp).
#include "scenario.h"
#include "scenario_fields.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "world.h"

namespace ballast {
namespace diff {

using namespace scenario_fields;

// ------------------------------------------------------------------ tables
const OpSpec kOpSpecs[] = {
#define BALLAST_DIFF_OP_SPEC(e, text, n, a0, b0, a1, b1) \
	{OpKind::e, text, n, {(int64_t)(a0), (int64_t)(a1)}, {(int64_t)(b0), (int64_t)(b1)}},
	BALLAST_DIFF_OPS(BALLAST_DIFF_OP_SPEC)
#undef BALLAST_DIFF_OP_SPEC
};
const unsigned kOpCount = sizeof(kOpSpecs) / sizeof(kOpSpecs[0]);

namespace {

// -------------------------------------------------------------- tokenizer
struct Token {
	const char *p;
	size_t n;
	unsigned col;
	bool is(const char *s) const { return strlen(s) == n && memcmp(p, s, n) == 0; }
	std::string str() const { return std::string(p, n); }
};

bool parse_i64(const char *p, size_t n, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	if (i < n && (p[i] == '-' || p[i] == '+')) {
		neg = p[i] == '-';
		i++;
	}
	unsigned base = 10;
	if (i + 1 < n && p[i] == '0' && (p[i + 1] == 'x' || p[i + 1] == 'X')) {
		base = 16;
		i += 2;
	}
	if (i >= n)
		return false;
	uint64_t v = 0;
	for (; i < n; i++) {
		unsigned d;
		char c = p[i];
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	if (!neg && v > (uint64_t)INT64_MAX)
		return false;
	if (neg && v > (uint64_t)INT64_MAX + 1)
		return false;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

bool parse_u64(const char *p, size_t n, uint64_t *out)
{
	int64_t v;
	if (n && p[0] == '-')
		return false;
	if (!parse_i64(p, n, &v))
		return false;
	*out = (uint64_t)v;
	return true;
}

struct Parser {
	Scenario *out;
	ParseError *err;
	unsigned line = 0;
	bool seen_header = false;
	bool seen_op = false;

	bool fail(unsigned col, const std::string &msg)
	{
		err->line = line;
		err->column = col;
		err->message = msg;
		return false;
	}

	bool header(const std::vector<Token> &t)
	{
		Header h;
		for (size_t i = 1; i < t.size(); i++) {
			const Token &tk = t[i];
			const char *eq = (const char *)memchr(tk.p, '=', tk.n);
			if (!eq)
				return fail(tk.col, "expected key=value, got '" + tk.str() + "'");
			size_t kn = (size_t)(eq - tk.p);
			const char *v = eq + 1;
			size_t vn = tk.n - kn - 1;
			unsigned vcol = tk.col + (unsigned)kn + 1;
			std::string key(tk.p, kn);
			if (key == "region") {
				const char *plus = (const char *)memchr(v, '+', vn);
				uint64_t a, b;
				if (!plus || !parse_u64(v, (size_t)(plus - v), &a) ||
				    !parse_u64(plus + 1, vn - (size_t)(plus - v) - 1, &b))
					return fail(vcol, "region wants START+PAGES, got '" +
								  std::string(v, vn) + "'");
				if (h.n_regions >= Header::kMaxRegions)
					return fail(tk.col, "more than 8 regions");
				if (a > kRegionStartMax || b > kRegionPagesMax)
					return fail(
						vcol,
						"region out of range (start <= 131072, pages <= 65536)");
				h.region_start[h.n_regions] = a;
				h.region_pages[h.n_regions] = b;
				h.n_regions++;
				continue;
			}
			const HeaderField *f = nullptr;
			for (const HeaderField &hf : kHeaderFields)
				if (key == hf.name)
					f = &hf;
			if (!f)
				return fail(tk.col, "unknown header key '" + key + "'");
			uint64_t val = 0;
			bool ok = false;
			if (is_highmem_field(*f) && vn == 4 && memcmp(v, "none", 4) == 0) {
				val = Header::kNone;
				ok = true;
			} else if (f->member == &Header::online) {
				for (unsigned k = 0; k < 3; k++)
					if (strlen(kOnlineNames[k]) == vn &&
					    memcmp(v, kOnlineNames[k], vn) == 0) {
						val = k;
						ok = true;
					}
			}
			if (!ok) {
				if (!parse_u64(v, vn, &val))
					return fail(vcol, "bad number '" + std::string(v, vn) +
								  "' for " + key);
				if (val < f->lo || val > f->hi)
					return fail(vcol, key + "=" + std::to_string(val) +
								  " out of range [" +
								  std::to_string(f->lo) + ", " +
								  std::to_string(f->hi) + "]");
			}
			h.*(f->member) = val;
		}
		out->header = h;
		return true;
	}

	bool op(const std::vector<Token> &t)
	{
		const OpSpec *best = nullptr;
		size_t best_kw = 0;
		for (unsigned k = 0; k < kOpCount; k++) {
			const OpSpec &s = kOpSpecs[k];
			// match keywords
			const char *p = s.text;
			size_t kw = 0;
			bool match = true;
			while (*p) {
				const char *e = strchr(p, ' ');
				size_t n = e ? (size_t)(e - p) : strlen(p);
				if (kw >= t.size() || t[kw].n != n || memcmp(t[kw].p, p, n) != 0) {
					match = false;
					break;
				}
				kw++;
				p += n;
				if (*p == ' ')
					p++;
			}
			if (match && kw > best_kw) {
				best = &s;
				best_kw = kw;
			}
		}
		if (!best) {
			std::string words;
			for (size_t i = 0; i < t.size() && i < 3; i++)
				words += (i ? " " : "") + t[i].str();
			return fail(t[0].col, "unknown operation '" + words + "'");
		}
		size_t given = t.size() - best_kw;
		if (given != best->nargs) {
			unsigned col = given > best->nargs ? t[best_kw + best->nargs].col :
							     t.back().col + (unsigned)t.back().n;
			return fail(col, std::string("'") + best->text + "' takes " +
						 std::to_string(best->nargs) +
						 " argument(s), got " + std::to_string(given));
		}
		Op o;
		o.kind = best->kind;
		for (unsigned a = 0; a < best->nargs; a++) {
			const Token &tk = t[best_kw + a];
			int64_t v;
			if (!parse_i64(tk.p, tk.n, &v))
				return fail(tk.col, "bad number '" + tk.str() + "'");
			if (v < best->lo[a] || v > best->hi[a])
				return fail(tk.col, std::to_string(v) + " out of range [" +
							    std::to_string(best->lo[a]) + ", " +
							    std::to_string(best->hi[a]) +
							    "] for '" + best->text + "'");
			o.arg[a] = v;
		}
		out->ops.push_back(o);
		return true;
	}

	bool run(const char *text, size_t len)
	{
		std::vector<Token> toks;
		size_t i = 0;
		while (i <= len) {
			size_t e = i;
			while (e < len && text[e] != '\n')
				e++;
			line++;
			toks.clear();
			size_t j = i;
			size_t stop = e;
			if (stop > i && text[stop - 1] == '\r')
				stop--;
			while (j < stop) {
				char c = text[j];
				if (c == '#')
					break;
				if (c == ' ' || c == '\t') {
					j++;
					continue;
				}
				if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
					return fail((unsigned)(j - i) + 1,
						    "unexpected character (byte " +
							    std::to_string((unsigned char)c) + ")");
				size_t s = j;
				while (j < stop && text[j] != ' ' && text[j] != '\t' &&
				       text[j] != '#' && (unsigned char)text[j] >= 0x20 &&
				       (unsigned char)text[j] < 0x7f)
					j++;
				toks.push_back(Token{text + s, j - s, (unsigned)(s - i) + 1});
			}
			if (!toks.empty()) {
				if (toks[0].is("world")) {
					if (seen_header || seen_op)
						return fail(
							toks[0].col,
							seen_header ?
								"second header line" :
								"the header line must come before operations");
					seen_header = true;
					if (!header(toks))
						return false;
				} else {
					if (out->ops.size() >= 100000)
						return fail(1,
							    "too many operations (limit 100000)");
					seen_op = true;
					if (!op(toks))
						return false;
				}
			}
			if (e >= len)
				break;
			i = e + 1;
		}
		return true;
	}
};

std::string num(int64_t v)
{
	return std::to_string(v);
}

} // namespace

// ------------------------------------------------------------------ header
ballast_config Header::config() const
{
	ballast_config c{};
	c.memory_hotplug = hotplug ? 1 : 0;
	// A PV guest runs a kernel built with CONFIG_XEN_PV, which selects
	// CONFIG_XEN_HAVE_PVMMU: a PV world forces both on.
	c.have_pvmmu = pvmmu || pv ? 1 : 0;
	c.xen_pv = xen_pv || pv ? 1 : 0;
	c.sparsemem = sparsemem ? 1 : 0;
	return c;
}

void Header::to_world_config(world::Config *c) const
{
	*c = world::Config();
	c->total_frames = frames;
	c->populated_frames = populated;
	c->kernel_frames = kernel;
	c->highmem_start_pfn = highmem == kNone ? ~0UL : highmem;
	c->max_pages = max_pages;
	c->host_pool = host_pool;
	c->pv = pv != 0;
	c->xen_domain = xen_domain != 0;
	c->max_pfn = max_pfn;
	c->released_pages = released;
	c->auto_extra_region = auto_region != 0;
	// Extra regions describe memory Xen did not populate: a region inside
	// populated RAM or overlapping an earlier one cannot exist, and would hand
	// the driver pages twice. Shift each to start at or after both.
	c->n_regions = (unsigned)n_regions;
	uint64_t floor = populated < frames ? populated : frames;
	// They also lie inside the guest's pseudo-physical space [0, frames):
	// hotplugged memory is placed above it and must not overlap them.
	for (unsigned i = 0; i < n_regions && i < kMaxRegions && i < c->regions.size(); i++) {
		uint64_t start = region_start[i] < floor ? floor : region_start[i];
		if (start > frames)
			start = frames;
		uint64_t n = region_pages[i] > frames - start ? frames - start : region_pages[i];
		c->regions[i].start_pfn = start;
		c->regions[i].n_pfns = n;
		if (start + n > floor)
			floor = start + n;
	}
	// Both are powers of two in every kernel (PAGES_PER_SECTION = 1 <<
	// PFN_SECTION_SHIFT, the limit = 1 << (MAX_PHYSMEM_BITS - PAGE_SHIFT)), and
	// the upstream driver's round_up() and the shim's MAX_PHYSMEM_BITS can only
	// express those: round down to one (at least 1).
	auto pow2_floor = [](uint64_t v) -> uint64_t {
		return v <= 1 ? 1 : 1ULL << (63 - __builtin_clzll(v));
	};
	c->pages_per_section = pow2_floor(pps);
	c->addressable_pfn_limit = pow2_floor(addr_limit);
	c->iomem_limit_pfn = iomem_limit;
	c->online_policy = online == 1 ? world::OnlinePolicy::Sync :
			   online == 2 ? world::OnlinePolicy::Deferred :
					 world::OnlinePolicy::Manual;
	c->mem_available_reserve = (long)mem_reserve;
	c->totalreserve_pages = totalreserve;
	c->seed = seed;
	// A worker that runs this often without time passing is spinning (the
	// 6.1 kthread with DONE state and credit left). Legitimate progress takes
	// one run per 512-page batch, far fewer in worlds of at most 2^16 frames
	// plus hotplug; the world's default (10000) only costs time.
	c->max_runs_same_jiffy = 1000;
	// A lending call waits at most once per page it gets (lend <= 4096): more
	// waits in one step without time passing is the highmem-only livelock
	// (core/SWITCHES.md, lending_waits_for_lowmem); the world reports it as
	// BALLAST_WAIT_NEVER, so both sides stop with HANG_WAIT instead of hanging.
	c->max_waits_same_jiffy = 4 * 4096 + 64;
}

bool Header::operator==(const Header &o) const
{
	for (const HeaderField &f : kHeaderFields)
		if (this->*(f.member) != o.*(f.member))
			return false;
	if (n_regions != o.n_regions)
		return false;
	for (unsigned i = 0; i < n_regions && i < kMaxRegions; i++)
		if (region_start[i] != o.region_start[i] || region_pages[i] != o.region_pages[i])
			return false;
	return true;
}

// ------------------------------------------------------------------- text
std::string ParseError::to_string() const
{
	return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " +
	       message;
}

bool parse_scenario(const char *text, size_t len, Scenario *out, ParseError *err)
{
	ParseError dummy;
	if (!err)
		err = &dummy;
	*err = ParseError();
	Scenario s;
	Parser p{&s, err};
	if (!text)
		len = 0;
	if (!p.run(text ? text : "", len))
		return false;
	*out = std::move(s);
	return true;
}

bool load_scenario_file(const std::string &path, Scenario *out, ParseError *err)
{
	std::ifstream f(path, std::ios::binary);
	if (!f) {
		if (err) {
			err->line = 0;
			err->column = 0;
			err->message = "cannot open " + path;
		}
		return false;
	}
	std::stringstream ss;
	ss << f.rdbuf();
	std::string text = ss.str();
	if (!parse_scenario(text, out, err)) {
		if (err && err->line == 0)
			err->line = 1;
		return false;
	}
	return true;
}

std::string print_header(const Header &h)
{
	Header d;
	std::string s = "world";
	for (const HeaderField &f : kHeaderFields) {
		uint64_t v = h.*(f.member);
		if (v == d.*(f.member) && f.member != &Header::frames &&
		    f.member != &Header::populated)
			continue;
		s += ' ';
		s += f.name;
		s += '=';
		if (is_highmem_field(f) && v == Header::kNone)
			s += "none";
		else if (f.member == &Header::online && v <= 2)
			s += kOnlineNames[v];
		else
			s += std::to_string(v);
	}
	for (unsigned i = 0; i < h.n_regions && i < Header::kMaxRegions; i++)
		s += " region=" + std::to_string(h.region_start[i]) + "+" +
		     std::to_string(h.region_pages[i]);
	return s;
}

std::string print_op(const Op &op)
{
	const OpSpec &s = op_spec(op.kind);
	std::string out = s.text;
	for (unsigned a = 0; a < s.nargs; a++)
		out += " " + num(op.arg[a]);
	return out;
}

std::string print_scenario(const Scenario &sc, const std::string &comment)
{
	std::string out;
	if (!comment.empty()) {
		std::istringstream in(comment);
		std::string l;
		while (std::getline(in, l))
			out += l.empty() ? "#\n" : "# " + l + "\n";
	}
	out += print_header(sc.header) + "\n";
	for (const Op &o : sc.ops)
		out += print_op(o) + "\n";
	return out;
}

// --------------------------------------------------------------- generator
namespace {
struct Rng {
	uint64_t s;
	uint64_t next()
	{ // splitmix64
		uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
		return z ^ (z >> 31);
	}
	uint64_t below(uint64_t n) { return n ? next() % n : 0; }
	int64_t range(int64_t lo, int64_t hi)
	{
		return lo + (int64_t)below((uint64_t)(hi - lo + 1));
	}
	bool chance(unsigned pct) { return below(100) < pct; }
	template <class T, size_t N> T pick(const T (&a)[N]) { return a[below(N)]; }
};
} // namespace

void generate_scenario(uint64_t seed, const GenOptions &opt, Scenario *out)
{
	Rng r{seed * 0x2545F4914F6CDD1DULL + 0x1234567};
	Header &h = out->header;
	h = Header();
	out->ops.clear();
	static const uint64_t kFrames[] = {64, 128, 256, 512, 1024};
	static const uint64_t kPps[] = {16, 32, 64, 128};
	h.frames = r.pick(kFrames);
	h.pv = opt.pv && r.chance(35) ? 1 : 0;
	h.populated = r.chance(40) ? h.frames : h.frames - r.below(h.frames / 2);
	h.kernel = r.below(h.populated / 2 + 1);
	h.highmem = r.chance(30) ? r.below(h.frames + 1) : Header::kNone;
	h.max_pages = r.chance(60) ? 0 : h.frames + r.below(h.frames * 2);
	h.host_pool = r.chance(20) ? r.below(64) : h.frames + r.below(h.frames * 2);
	h.pps = r.pick(kPps);
	h.online = r.below(3);
	h.hotplug = r.chance(60);
	h.pvmmu = r.chance(70);
	h.xen_pv = r.chance(70);
	h.sparsemem = r.chance(70);
	h.mem_reserve = r.chance(70) ? 0 : r.below(64);
	h.totalreserve = r.chance(60) ? 0 : r.below(48);
	h.released = r.chance(85) ? 0 : r.below(32);
	h.seed = r.below(1u << 16) + 1;
	if (r.chance(10)) {
		// MAX_PHYSMEM_BITS: the limit is a power of two.
		unsigned bits = 0;
		while ((1ULL << bits) < h.frames)
			bits++;
		h.addr_limit = 1ULL << (bits + r.below(3));
	}
	if (r.chance(10))
		h.iomem_limit = h.frames + r.below(4 * h.frames);
	if (r.chance(10))
		h.xen_domain = r.chance(50);
	if (h.pv && r.chance(20)) {
		h.auto_region = r.chance(50);
		h.n_regions = 1 + r.below(3);
		for (unsigned i = 0; i < h.n_regions; i++) {
			h.region_start[i] = h.populated + r.below(h.frames - h.populated + 1);
			h.region_pages[i] = r.below(h.frames / 4 + 1);
		}
	}
	if (r.chance(10))
		h.max_pfn = h.frames / 2 + r.below(h.frames);

	unsigned nops = (unsigned)r.range(opt.min_ops, opt.max_ops);
	int64_t lent = 0;
	int64_t pop = (int64_t)h.populated;
	for (unsigned k = 0; k < nops; k++) {
		Op o;
		unsigned w = (unsigned)r.below(opt.hostile ? 100 : 70);
		if (w < 18) {
			o.kind = OpKind::Target;
			int64_t span = pop / 2 + 1;
			int64_t t = pop + r.range(-span, span + (int64_t)h.pps);
			if (r.chance(5))
				t = 0;
			else if (h.frames >= 1024 && r.chance(10))
				t = pop / 8; // a balloon of more than one 512-page batch
			if (r.chance(2))
				t = (int64_t)(1ULL << 41);
			o.arg[0] = t < 0 ? 0 : t;
		} else if (w < 32) {
			o.kind = OpKind::Run;
		} else if (w < 44) {
			static const int64_t kSecs[] = {1, 1, 2, 3, 4, 8, 16, 33, 64, 200};
			o.kind = OpKind::Advance;
			o.arg[0] = r.pick(kSecs);
		} else if (w < 51) {
			o.kind = OpKind::Lend;
			o.arg[0] = r.range(1, 48);
			if (opt.negative_lending && r.chance(10))
				o.arg[0] = -r.range(1, 8);
			lent += o.arg[0];
		} else if (w < 56) {
			if (r.chance(30)) {
				o.kind = OpKind::GiveBackAll;
				lent = 0;
			} else {
				o.kind = OpKind::GiveBack;
				o.arg[0] = r.range(1, lent > 1 ? lent : 1);
			}
		} else if (w < 60) {
			o.kind = OpKind::Online;
		} else if (w < 63) {
			// With highmem, hotplug_unpopulated lending livelocks upstream and
			// the core alike (retrieve(lowmem) fails while the list is never
			// empty): a known hang of 32-bit guests, kept out of random runs.
			o.kind = OpKind::HotplugUnpopulated;
			o.arg[0] = h.highmem == Header::kNone ? r.chance(60) : 0;
		} else if (w < 65) {
			o.kind = r.chance(50) ? OpKind::MaxScheduleDelay : OpKind::MaxRetryCount;
			static const int64_t kVals[] = {0, 1, 2, 4, 8, 32, 100};
			o.arg[0] = r.pick(kVals);
		} else if (w < 67) {
			o.kind = r.chance(50) ? OpKind::GuestTake : OpKind::GuestGive;
			o.arg[0] = r.range(1, 64);
		} else if (w < 70) {
			o.kind = r.chance(70) ? OpKind::TotalReserve : OpKind::MemAvailableAuto;
			o.arg[0] = (int64_t)r.below(64);
		} else {
			// hostile world behaviour
			static const OpKind kHostile[] = {
				OpKind::PopulateCap,
				OpKind::PopulateFail,
				OpKind::PopulatePermille,
				OpKind::PopulateLie,
				OpKind::PopulateNone,
				OpKind::DecreaseCap,
				OpKind::DecreaseFail,
				OpKind::DecreasePermille,
				OpKind::DecreaseLie,
				OpKind::DecreaseNone,
				OpKind::XenReset,
				OpKind::XenMaxPages,
				OpKind::XenHostPool,
				OpKind::XenEnforceMaxPages,
				OpKind::AllocFail,
				OpKind::AllocPermille,
				OpKind::AllocStorm,
				OpKind::AllocPressure,
				OpKind::AllocRelax,
				OpKind::AllocMask,
				OpKind::HotplugResourceResult,
				OpKind::HotplugAddResult,
				OpKind::HotplugP2mFailAfter,
				OpKind::HotplugAllocP2mResult,
				OpKind::WaitInterrupt,
				OpKind::MemAvailable,
			};
			o.kind = r.pick(kHostile);
			switch (o.kind) {
			case OpKind::PopulateCap:
			case OpKind::DecreaseCap:
				o.arg[0] = r.range(0, 64);
				break;
			case OpKind::PopulateFail:
			case OpKind::DecreaseFail:
				o.arg[0] = r.range(1, 4);
				o.arg[1] = r.chance(60) ? -12 : r.range(-22, 3);
				break;
			case OpKind::PopulatePermille:
			case OpKind::DecreasePermille:
			case OpKind::AllocPermille:
				o.arg[0] = r.range(0, 600);
				break;
			case OpKind::PopulateLie:
				// Mostly small lies; sometimes a reply beyond one 512-entry
				// batch (UB_FRAME_OVERRUN upstream, HOSTILE_REPLY in ballast).
				o.arg[0] = r.chance(25) ? r.range(505, 1100) : r.range(-4, 8);
				if (o.arg[0] > 8 && h.frames >= 1024 && r.chance(50)) {
					// ... and the episode that makes it matter: a balloon of
					// more than one batch, then a reason to deflate it.
					Op deep, run, up;
					deep.kind = OpKind::Target;
					deep.arg[0] = pop / 8;
					run.kind = OpKind::Run;
					up.kind = OpKind::Target;
					up.arg[0] = pop;
					out->ops.push_back(deep);
					out->ops.push_back(run);
					out->ops.push_back(o);
					out->ops.push_back(up);
					o = run;
				}
				break;
			case OpKind::DecreaseLie:
				o.arg[0] = r.range(-4, 8);
				break;
			case OpKind::PopulateNone:
			case OpKind::DecreaseNone:
				o.arg[0] = r.range(-12, 2);
				break;
			case OpKind::XenMaxPages:
				o.arg[0] = pop + r.range(-pop / 2, pop);
				break;
			case OpKind::XenHostPool:
				o.arg[0] = r.range(0, pop);
				break;
			case OpKind::XenEnforceMaxPages:
			case OpKind::AllocStorm:
			case OpKind::WaitInterrupt:
				o.arg[0] = r.chance(50);
				break;
			case OpKind::AllocFail:
				o.arg[0] = r.range(1, 16);
				break;
			case OpKind::AllocPressure:
				o.arg[0] = r.range(0, 64);
				break;
			case OpKind::AllocMask:
				o.arg[0] = r.range(0, 3);
				break;
			case OpKind::HotplugResourceResult:
			case OpKind::HotplugAddResult:
			case OpKind::HotplugAllocP2mResult:
				o.arg[0] = r.chance(50) ? 0 : -r.range(1, 22);
				break;
			case OpKind::HotplugP2mFailAfter:
				o.arg[0] = r.range(-1, 64);
				break;
			case OpKind::MemAvailable:
				o.arg[0] = r.range(-16, pop);
				break;
			default:
				break;
			}
		}
		out->ops.push_back(o);
	}
	sanitize(out);
}

} // namespace diff
} // namespace ballast
