// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast scenario: the text form (the op table, the parser with its
// profile and pair lines, the printer) and the header's own methods.
#include "text.h"

#include <cstdio>
#include <cstring>
#include <sstream>

#include "fields.h"
#include "names.h"

namespace ballast {
namespace scenario {

using namespace fields;

// ------------------------------------------------------------------ tables
const OpSpec kOpSpecs[] = {
#define BALLAST_SCENARIO_OP_SPEC(e, text, n, a0, b0, a1, b1) \
	{OpKind::e, text, n, {(int64_t)(a0), (int64_t)(a1)}, {(int64_t)(b0), (int64_t)(b1)}},
	BALLAST_SCENARIO_OPS(BALLAST_SCENARIO_OP_SPEC)
#undef BALLAST_SCENARIO_OP_SPEC
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
	bool seen_profile = false;
	bool seen_pair = false;

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
		// A guest's populated boot pages lie below max_pfn (Linux releases
		// those above a mem= limit at boot, and the world does not model
		// that): a header saying otherwise describes no machine it can boot.
		const uint64_t booted = h.populated < h.frames ? h.populated : h.frames;
		if (h.max_pfn && h.max_pfn < booted) {
			unsigned col = t[0].col;
			for (const Token &tk : t)
				if (tk.n > 8 && memcmp(tk.p, "max_pfn=", 8) == 0)
					col = tk.col;
			return fail(col, "max_pfn=" + std::to_string(h.max_pfn) +
						 " is below the populated boot pages (" +
						 std::to_string(booted) +
						 "): 0 (no limit) or at least that");
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

	// "# profile: NAME" and "# pair: LEFT RIGHT": comment lines to every
	// other reader, so a file stays a valid scenario wherever it goes.
	// [b, stop) is the line; returns false on a bad directive.
	bool directive(const char *text, size_t b, size_t stop)
	{
		size_t j = b;
		while (j < stop && (text[j] == ' ' || text[j] == '\t'))
			j++;
		if (j >= stop || text[j] != '#')
			return true;
		j++;
		while (j < stop && (text[j] == ' ' || text[j] == '\t'))
			j++;
		auto starts = [&](const char *kw) {
			size_t n = strlen(kw);
			return stop - j >= n && memcmp(text + j, kw, n) == 0;
		};
		const bool is_profile = starts("profile:"), is_pair = starts("pair:");
		if (!is_profile && !is_pair)
			return true;
		j += is_profile ? 8 : 5;
		std::vector<Token> words;
		while (j < stop) {
			if (text[j] == ' ' || text[j] == '\t') {
				j++;
				continue;
			}
			size_t w = j;
			while (j < stop && text[j] != ' ' && text[j] != '\t')
				j++;
			words.push_back(Token{text + w, j - w, (unsigned)(w - b) + 1});
		}
		const unsigned end_col = (unsigned)(stop - b) + 1;
		if (is_profile) {
			if (seen_profile)
				return fail(1, "second profile line");
			seen_profile = true;
			if (words.size() != 1)
				return fail(words.empty() ? end_col : words[1 % words.size()].col,
					    "a profile line names one profile (" + profile_names() +
						    ")");
			if (!profile_from_name(words[0].str(), &out->profile))
				return fail(words[0].col, "unknown profile '" + words[0].str() +
								  "' (" + profile_names() + ")");
			return true;
		}
		if (seen_pair)
			return fail(1, "second pair line");
		seen_pair = true;
		if (words.size() != 2)
			return fail(words.size() > 2 ? words[2].col : end_col,
				    "a pair line names two subjects: # pair: LEFT RIGHT");
		for (const Token &w : words) {
			SubjectSpec spec;
			std::string why;
			if (!parse_subject_spec(w.str(), &spec, &why))
				return fail(w.col, why);
		}
		out->left = words[0].str();
		out->right = words[1].str();
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
			if (!directive(text, i, stop))
				return false;
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
	c.superpage_order = (unsigned)sp_order;
	return c;
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
	if (sc.profile != BALLAST_PROFILE_BALLAST)
		out += std::string("# profile: ") + profile_name(sc.profile) + "\n";
	if (!sc.left.empty() || !sc.right.empty())
		out += "# pair: " + sc.left + " " + sc.right + "\n";
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

} // namespace scenario
} // namespace ballast
