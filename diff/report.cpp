// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "report.h"

#include <cstdio>
#include <sstream>

namespace ballast {
namespace diff {

std::string json_escape(const std::string &s)
{
	std::string o;
	o.reserve(s.size() + 2);
	for (char c : s) {
		switch (c) {
		case '"':
			o += "\\\"";
			break;
		case '\\':
			o += "\\\\";
			break;
		case '\n':
			o += "\\n";
			break;
		case '\t':
			o += "\\t";
			break;
		case '\r':
			o += "\\r";
			break;
		default:
			if ((unsigned char)c < 0x20) {
				char b[8];
				snprintf(b, sizeof b, "\\u%04x", (unsigned char)c);
				o += b;
			} else {
				o += c;
			}
		}
	}
	return o;
}

std::string html_escape(const std::string &s)
{
	std::string o;
	o.reserve(s.size());
	for (char c : s) {
		switch (c) {
		case '<':
			o += "&lt;";
			break;
		case '>':
			o += "&gt;";
			break;
		case '&':
			o += "&amp;";
			break;
		case '"':
			o += "&quot;";
			break;
		default:
			o += c;
		}
	}
	return o;
}

namespace {
std::string q(const std::string &s)
{
	return "\"" + json_escape(s) + "\"";
}

std::string field_base(const std::string &f)
{
	size_t b = f.find('[');
	if (b == std::string::npos)
		return f;
	size_t e = f.find(']', b);
	return f.substr(0, b) + (e == std::string::npos ? "" : f.substr(e + 1));
}

std::string verdict(const Report &r)
{
	if (!r.divergence.found)
		return "no divergence";
	if (!r.attributed_run)
		return "divergence (not attributed)";
	return r.attribution.ok() ? "divergence, attributed" : "UNATTRIBUTED divergence";
}

std::string attribution_json(const Attribution &a)
{
	std::string s = "{\"status\": ";
	s += q(a.status == Attribution::Attributed   ? "attributed" :
	       a.status == Attribution::Unattributed ? "unattributed" :
						       "none");
	s += ", \"step\": " + std::to_string(a.divergence.step);
	s += ", \"field\": " + q(a.divergence.field);
	s += ", \"switches\": [";
	for (size_t i = 0; i < a.switches.size(); i++)
		s += (i ? ", " : "") + q(a.switches[i]);
	s += "], \"also\": [";
	for (size_t i = 0; i < a.also.size(); i++)
		s += (i ? ", " : "") + q(a.also[i]);
	s += "], \"effect\": " + q(a.effect) + "}";
	return s;
}

const char *kStatNames[] = {"current_pages",  "target_pages",	    "target_unpopulated",
			    "balloon_low",    "balloon_high",	    "total_pages",
			    "schedule_delay", "max_schedule_delay", "retry_count",
			    "max_retry_count"};
unsigned long stat_at(const ballast_stats &s, unsigned i)
{
	const unsigned long *p = &s.current_pages;
	return p[i];
}

std::string pfn_list(const std::vector<unsigned long> &v)
{
	std::string s = std::to_string(v.size()) + " pages";
	if (v.empty())
		return s;
	s += ": ";
	size_t n = v.size() < 12 ? v.size() : 12;
	for (size_t i = 0; i < n; i++)
		s += (i ? " " : "") + std::to_string(v[i]);
	if (n < v.size())
		s += " ...";
	return s;
}
} // namespace

bool same_divergence(const Divergence &a, const Divergence &b)
{
	return a.found && b.found && field_base(a.field) == field_base(b.field);
}

// ------------------------------------------------------------------- text
std::string report_text(const Report &r)
{
	std::ostringstream o;
	o << "ballast-diff: " << r.left_name << " vs " << r.right_name << ": " << verdict(r)
	  << "\n";
	if (!r.divergence.found)
		return o.str();
	const Divergence &d = r.divergence;
	o << "  first divergence at step " << d.step << " (" << d.op << ")\n";
	o << "  field " << d.field << ": " << r.left_name << " = " << d.left << ", " << r.right_name
	  << " = " << d.right << "\n";
	if (r.attributed_run) {
		if (!r.attribution.model.empty())
			o << "  " << r.left_name << " stands as " << r.attribution.model
			  << " (its model, which agrees with it on this scenario); against "
			  << r.right_name << ":\n";
		for (const Attribution &a : r.attribution.links)
			o << "  " << a.describe() << "\n";
		if (r.attribution.ok() && !r.attribution.links.empty()) {
			o << "  switches explaining the scenario:";
			for (const std::string &sw : r.attribution.all_switches())
				o << " " << sw;
			o << "\n";
		}
	}
	if (!r.every.empty()) {
		o << "  every divergence (" << r.every.size() << " of " << r.scenario.ops.size() + 1
		  << " steps):\n";
		for (const StepDivergence &sd : r.every)
			o << "    " << sd.describe() << "\n";
	}
	if (r.have_repro)
		o << "  reproducer: " << r.repro.ops.size() << " operation(s) (from "
		  << r.scenario.ops.size() << ")\n";
	return o.str();
}

std::string report_trace(const Report &r)
{
	std::ostringstream o;
	for (const StepSnapshot &st : r.steps) {
		o << "step " << st.step << ": " << st.op << "\n";
		for (int side = 0; side < 2; side++) {
			const SideSnapshot &s = side ? st.right : st.left;
			o << "  " << (side ? r.right_name : r.left_name) << ": rc=" << s.rc
			  << (s.dead ? " DEAD" : "");
			for (unsigned i = 0; i < 10; i++)
				o << " " << kStatNames[i] << "=" << stat_at(s.stats, i);
			o << "\n    ballooned " << pfn_list(s.pfns) << "\n    " << s.schedule
			  << "; " << s.world << "\n";
			for (const std::string &h : s.hypercalls)
				o << "    hypercall " << h << "\n";
			for (const std::string &e : s.events)
				o << "    event " << e << "\n";
		}
	}
	return o.str();
}

// ------------------------------------------------------------------- JSON
std::string report_json(const Report &r)
{
	std::string s = "{\n";
	s += "  \"left\": " + q(r.left_name) + ",\n";
	s += "  \"right\": " + q(r.right_name) + ",\n";
	s += "  \"verdict\": " + q(verdict(r)) + ",\n";
	s += "  \"scenario\": " + q(print_scenario(r.scenario)) + ",\n";
	s += "  \"diverged\": " + std::string(r.divergence.found ? "true" : "false") + ",\n";
	if (r.divergence.found) {
		const Divergence &d = r.divergence;
		s += "  \"step\": " + std::to_string(d.step) + ",\n";
		s += "  \"op\": " + q(d.op) + ",\n";
		s += "  \"field\": " + q(d.field) + ",\n";
		s += "  \"left_value\": " + q(d.left) + ",\n";
		s += "  \"right_value\": " + q(d.right) + ",\n";
	}
	s += "  \"attribution\": ";
	if (!r.attributed_run) {
		s += "null";
	} else {
		s += "{\"ok\": " + std::string(r.attribution.ok() ? "true" : "false") +
		     ", \"switches\": [";
		std::vector<std::string> all = r.attribution.all_switches();
		for (size_t i = 0; i < all.size(); i++)
			s += (i ? ", " : "") + q(all[i]);
		s += "], \"links\": [";
		for (size_t i = 0; i < r.attribution.links.size(); i++)
			s += (i ? ", " : "") + attribution_json(r.attribution.links[i]);
		s += "]}";
	}
	s += ",\n  \"every\": [";
	for (size_t i = 0; i < r.every.size(); i++) {
		const StepDivergence &sd = r.every[i];
		s += std::string(i ? ", " : "") +
		     "{\"step\": " + std::to_string(sd.divergence.step) +
		     ", \"op\": " + q(sd.divergence.op) + ", \"field\": " + q(sd.divergence.field) +
		     ", \"left_value\": " + q(sd.divergence.left) +
		     ", \"right_value\": " + q(sd.divergence.right) + ", \"switches\": [";
		for (size_t k = 0; k < sd.switches.size(); k++)
			s += (k ? ", " : "") + q(sd.switches[k]);
		s += "]}";
	}
	s += "]";
	s += ",\n  \"repro\": " + (r.have_repro ? q(print_scenario(r.repro)) : std::string("null"));
	s += "\n}\n";
	return s;
}

// ------------------------------------------------------------------- HTML
namespace {
void side_cell(std::ostringstream &o, const SideSnapshot &s, const SideSnapshot &other, bool last)
{
	o << "<td><table class=kv>";
	auto row = [&](const std::string &k, const std::string &v, bool differs) {
		o << "<tr"
		  << (differs && last ? " class=bad" :
		      differs	      ? " class=warn" :
					"")
		  << "><th>" << html_escape(k) << "</th><td>" << html_escape(v) << "</td></tr>";
	};
	row("rc", std::to_string(s.rc), s.rc != other.rc);
	if (s.dead || other.dead)
		row("dead", s.dead ? "yes" : "no", s.dead != other.dead);
	for (unsigned i = 0; i < 10; i++) {
		unsigned long a = stat_at(s.stats, i), b = stat_at(other.stats, i);
		row(kStatNames[i], std::to_string(a), a != b);
	}
	row("ballooned", pfn_list(s.pfns), s.pfns != other.pfns);
	std::string hc;
	for (const std::string &h : s.hypercalls)
		hc += h + "\n";
	row("hypercalls", hc.empty() ? "-" : hc, s.hypercalls != other.hypercalls);
	std::string ev;
	for (const std::string &e : s.events)
		ev += e + "\n";
	row("events", ev.empty() ? "-" : ev, s.events != other.events);
	row("schedule", s.schedule, s.schedule != other.schedule);
	row("world", s.world, s.world != other.world);
	o << "</table></td>";
}
} // namespace

std::string report_html(const Report &r)
{
	std::ostringstream o;
	o << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ballast-diff: "
	  << html_escape(r.left_name) << " vs " << html_escape(r.right_name)
	  << "</title>\n<style>\n"
	  << "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}\n"
	  << "h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}\n"
	  << "table.steps{border-collapse:collapse;width:100%}\n"
	  << "table.steps>tbody>tr>td,table.steps>thead>tr>th{border:1px solid #ccc;vertical-align:top;padding:4px}\n"
	  << "table.kv{border-collapse:collapse;font-size:0.85em}\n"
	  << "table.kv th{text-align:left;padding:1px 8px 1px 0;color:#555;font-weight:normal}\n"
	  << "table.kv td{font-family:monospace;white-space:pre-wrap}\n"
	  << "tr.bad td,tr.bad th{background:#fbb}tr.warn td{background:#fed}\n"
	  << "tr.divergent>td{border:2px solid #c00!important}\n"
	  << "pre{background:#f6f6f6;padding:8px;border:1px solid #ddd}\n"
	  << ".ok{color:#070}.fail{color:#b00;font-weight:bold}\n"
	  << "</style></head><body>\n";
	o << "<h1>ballast-diff: " << html_escape(r.left_name) << " vs " << html_escape(r.right_name)
	  << "</h1>\n";
	bool bad = r.divergence.found && (!r.attributed_run || !r.attribution.ok());
	o << "<p class=" << (bad ? "fail" : "ok") << ">" << html_escape(verdict(r)) << "</p>\n";
	if (r.divergence.found) {
		const Divergence &d = r.divergence;
		o << "<p>First divergence at step <b>" << d.step << "</b> (<code>"
		  << html_escape(d.op) << "</code>), field <code>" << html_escape(d.field)
		  << "</code>: " << html_escape(r.left_name) << " = <code>" << html_escape(d.left)
		  << "</code>, " << html_escape(r.right_name) << " = <code>" << html_escape(d.right)
		  << "</code>.</p>\n";
	}
	if (r.attributed_run) {
		o << "<h2>Attribution</h2><ul>\n";
		for (const Attribution &a : r.attribution.links)
			o << "<li class=" << (a.status == Attribution::Attributed ? "ok" : "fail")
			  << ">" << html_escape(a.describe()) << "</li>\n";
		o << "</ul>\n";
	}
	o << "<h2>Steps</h2>\n<table class=steps><thead><tr><th>step</th><th>operation</th><th>"
	  << html_escape(r.left_name) << "</th><th>" << html_escape(r.right_name)
	  << "</th></tr></thead><tbody>\n";
	for (size_t i = 0; i < r.steps.size(); i++) {
		const StepSnapshot &s = r.steps[i];
		bool last = r.divergence.found && s.step == r.divergence.step;
		o << "<tr" << (last ? " class=divergent" : "") << "><td>" << s.step
		  << "</td><td><code>" << html_escape(s.op) << "</code></td>";
		side_cell(o, s.left, s.right, last);
		side_cell(o, s.right, s.left, last);
		o << "</tr>\n";
	}
	o << "</tbody></table>\n";
	o << "<h2>Scenario</h2><pre>" << html_escape(print_scenario(r.scenario)) << "</pre>\n";
	if (r.have_repro)
		o << "<h2>Minimized reproducer</h2><pre>" << html_escape(report_repro(r))
		  << "</pre>\n";
	o << "</body></html>\n";
	return o.str();
}

std::string report_repro(const Report &r)
{
	std::string c = "ballast-diff reproducer: " + r.left_name + " vs " + r.right_name + "\n";
	if (r.divergence.found) {
		c += "original divergence: " + r.divergence.describe() + "\n";
		if (r.attributed_run) {
			if (r.attribution.ok()) {
				c += "attributed to:";
				for (const std::string &sw : r.attribution.all_switches())
					c += " " + sw;
				c += "\n";
			} else {
				c += "UNATTRIBUTED\n";
			}
		}
	}
	c += "run: ballast-diff run THIS_FILE --left " + r.left_name + " --right " + r.right_name;
	return print_scenario(r.have_repro ? r.repro : r.scenario, c);
}

// ------------------------------------------------------------- minimizing
Scenario minimize_ops(const Scenario &s, const std::function<bool(const Scenario &)> &keep,
		      size_t max_runs)
{
	Scenario best = s;
	size_t runs = 0;
	size_t n = 2;
	Scenario trial;
	trial.header = s.header;
	while (best.ops.size() >= 2 && runs < max_runs) {
		size_t len = best.ops.size();
		size_t chunk = (len + n - 1) / n;
		bool reduced = false;
		for (size_t start = 0; start < len && runs < max_runs; start += chunk) {
			// the complement of [start, start + chunk)
			trial.ops.clear();
			for (size_t i = 0; i < len; i++)
				if (i < start || i >= start + chunk)
					trial.ops.push_back(best.ops[i]);
			runs++;
			if (keep(trial)) {
				best.ops = trial.ops;
				n = n > 2 ? n - 1 : 2;
				reduced = true;
				break;
			}
		}
		if (!reduced) {
			if (n >= len)
				break;
			n = n * 2 < len ? n * 2 : len;
		}
	}
	// 1-minimal: no single op can go
	for (size_t i = 0; i < best.ops.size() && runs < max_runs;) {
		trial.ops = best.ops;
		trial.ops.erase(trial.ops.begin() + (long)i);
		runs++;
		if (keep(trial))
			best.ops = trial.ops;
		else
			i++;
	}
	return best;
}

} // namespace diff
} // namespace ballast
