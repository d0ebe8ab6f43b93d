#include "commands/dump_database.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/strings.hpp"

namespace mysqlpitr::commands {

void require_dump_of(const sqlload::DumpInspection& inspection, const std::string& expected) {
  std::vector<std::string> named = inspection.databases();
  for (const auto& name : inspection.dropped)
    if (std::find(named.begin(), named.end(), name) == named.end()) named.push_back(name);
  bool only_expected = std::all_of(named.begin(), named.end(), [&](const std::string& name) { return name == expected; });
  if (only_expected) return;
  throw precondition_error("{} holds database{} {}, not {}: nothing was changed", inspection.path,
                           named.size() > 1 ? "s" : "", core::join(named, ", "), expected);
}

}  // namespace mysqlpitr::commands
