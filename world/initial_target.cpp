// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast world: the initial-target oracle (initial_target.h).
#include "initial_target.h"

namespace world {

InitialFigures initial_truth(const World &w)
{
	InitialFigures f;
	f.current_pages = w.reservation_with_pod();
	f.target_pages = w.tot_pages();
	return f;
}

InitialSlip initial_slip(const World &w, const ballast_stats &st)
{
	const InitialFigures t = initial_truth(w);
	InitialSlip s;
	s.current = static_cast<long>(st.current_pages - t.current_pages);
	s.target = static_cast<long>(st.target_pages - t.target_pages);
	return s;
}

std::string InitialSlip::describe() const
{
	auto one = [](const char *name, long d) {
		return std::string(name) + (d > 0 ? " +" : " ") + std::to_string(d);
	};
	if (exact())
		return "exact";
	std::string s;
	if (current)
		s = one("current_pages", current);
	if (target)
		s += (s.empty() ? "" : ", ") + one("target_pages", target);
	return s;
}

} // namespace world
