// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "load.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "binary.h"
#include "text.h"

namespace ballast {
namespace scenario {

std::string Loaded::description() const
{
	if (text)
		return "scenario text";
	return "binary fuzz input (" + std::to_string(binary_used) + " of " +
	       std::to_string(bytes) + " bytes used)";
}

bool looks_like_text(const std::string &data)
{
	if (data.empty())
		return false;
	for (size_t i = 0; i < data.size(); i++) {
		const unsigned char c = (unsigned char)data[i];
		if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f))
			continue;
		// A well-formed UTF-8 sequence (a comment in another language).
		unsigned more = (c & 0xe0) == 0xc0 ? 1 :
				(c & 0xf0) == 0xe0 ? 2 :
				(c & 0xf8) == 0xf0 ? 3 :
						     0;
		if (!more || c == 0xc0 || c == 0xc1 || c > 0xf4)
			return false;
		for (unsigned k = 1; k <= more; k++)
			if (i + k >= data.size() || ((unsigned char)data[i + k] & 0xc0) != 0x80)
				return false;
		i += more;
	}
	return true;
}

bool load_bytes(const std::string &data, const std::string &name, Format f, Loaded *out,
		std::string *err)
{
	auto fail = [&](const std::string &why) {
		if (err)
			*err = name + ": " + why;
		return false;
	};
	if (data.empty())
		return fail("empty file (a scenario has at least a line; a fuzz input at least a "
			    "byte)");
	if (data.size() > kMaxInputBytes)
		return fail(std::to_string(data.size()) + " bytes; inputs are at most " +
			    std::to_string(kMaxInputBytes) + " bytes");
	const bool text = f == Format::Text || (f == Format::Auto && looks_like_text(data));
	out->text = text;
	out->bytes = data.size();
	out->binary_used = 0;
	if (text) {
		ParseError pe;
		if (!parse_scenario(data, &out->scenario, &pe))
			return fail(pe.to_string() +
				    (f == Format::Auto ?
					     " (read as scenario text: every byte is "
					     "text; --binary reads it as a fuzz input)" :
					     ""));
		return true;
	}
	decode_input(reinterpret_cast<const uint8_t *>(data.data()), data.size(), &out->scenario,
		     FuzzLimits(), &out->binary_used);
	return true;
}

bool load_file(const std::string &path, Format f, Loaded *out, std::string *err)
{
	struct stat st;
	if (stat(path.c_str(), &st) != 0) {
		if (err)
			*err = path + ": " + strerror(errno);
		return false;
	}
	if (S_ISDIR(st.st_mode)) {
		if (err)
			*err = path + ": is a directory, not a scenario file";
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		if (err)
			*err = path + ": not a regular file";
		return false;
	}
	if ((uint64_t)st.st_size > kMaxInputBytes) {
		if (err)
			*err = path + ": " + std::to_string((uint64_t)st.st_size) +
			       " bytes; inputs are at most " + std::to_string(kMaxInputBytes) +
			       " bytes";
		return false;
	}
	std::ifstream in(path, std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	if (!in) {
		if (err)
			*err = path + ": cannot read";
		return false;
	}
	return load_bytes(ss.str(), path, f, out, err);
}

bool collect_input_files(const std::string &path, std::vector<std::string> *out, std::string *err)
{
	struct stat st;
	if (stat(path.c_str(), &st) != 0) {
		*err = path + ": " + strerror(errno);
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		out->push_back(path);
		return true;
	}
	DIR *d = opendir(path.c_str());
	if (!d) {
		*err = path + ": " + strerror(errno);
		return false;
	}
	std::vector<std::string> names;
	while (dirent *e = readdir(d))
		if (e->d_name[0] != '.' && strcmp(e->d_name, "README.md") != 0 &&
		    strcmp(e->d_name, "CMakeLists.txt") != 0)
			names.push_back(e->d_name);
	closedir(d);
	std::sort(names.begin(), names.end());
	bool ok = true;
	for (const std::string &n : names)
		ok &= collect_input_files(path + "/" + n, out, err);
	return ok;
}

} // namespace scenario
} // namespace ballast
