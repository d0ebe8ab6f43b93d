#pragma once
// Small string helpers that several folders need.
#include <string>
#include <string_view>
#include <vector>

namespace mysqlpitr::core {

std::string trim(std::string_view text);
std::string to_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
std::vector<std::string> split(std::string_view text, char separator, bool keep_empty = false);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
// "1.5 GiB"-style size for humans.
std::string human_size(unsigned long long bytes);
// Seconds as "2.3 s", "4 min 05 s".
std::string human_duration(double seconds);
// A name as a table shows it: control bytes (a tab, an escape sequence) as C escapes, so a hostile
// database name can neither break the columns nor drive the terminal.
std::string printable(std::string_view name);

}  // namespace mysqlpitr::core
