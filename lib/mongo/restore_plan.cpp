#include "mongo/restore_plan.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "mongo/bson_stream.hpp"
#include "mongo/names.hpp"

namespace mysqlpitr::mongo {

std::uint64_t RestorePlan::total_documents() const {
  std::uint64_t sum = 0;
  for (const auto& item : items) sum += item.documents;
  return sum;
}

std::vector<std::string> restorable_databases(const DumpFolder& dump) {
  std::vector<std::string> result;
  for (const auto& database : dump.databases) {
    if (!is_system_database(database)) result.push_back(database);
  }
  return result;
}

namespace {
bool is_under(const std::filesystem::path& file, const std::filesystem::path& folder) {
  auto relative = file.lexically_relative(folder);
  return !relative.empty() && *relative.begin() != "..";
}
}  // namespace

RestorePlan plan_restore(DumpFolder dump, const RestoreSelection& selection) {
  RestorePlan plan;
  plan.total = selection.databases.empty();
  if (plan.total) {
    plan.databases = restorable_databases(dump);
  } else {
    for (const auto& name : selection.databases) {
      if (std::find(dump.databases.begin(), dump.databases.end(), name) == dump.databases.end()) {
        throw usage_error("database {} is not in {} (it holds: {})", name, dump.root.string(),
                          dump.databases.empty() ? "nothing" : core::join(dump.databases, ", "));
      }
      if (std::find(plan.databases.begin(), plan.databases.end(), name) == plan.databases.end()) {
        plan.databases.push_back(name);
      }
    }
    std::sort(plan.databases.begin(), plan.databases.end());
  }

  std::vector<std::string> bad;
  for (const auto& problem : dump.problems) {
    for (const auto& database : plan.databases) {
      if (is_under(problem.path, dump.root / database)) {
        bad.push_back(problem.reason);
        break;
      }
    }
  }
  for (std::size_t i = 0; i < dump.collections.size(); ++i) {
    const DumpCollection& collection = dump.collections[i];
    if (std::find(plan.databases.begin(), plan.databases.end(), collection.database) ==
        plan.databases.end()) {
      continue;
    }
    RestoreItem item;
    item.collection = i;
    item.drop = selection.drop;
    item.indexes = collection.metadata ? collection.metadata->indexes.size() : 0;
    if (selection.count_documents && !collection.data_file.empty()) {
      try {
        item.documents = scan_bson_file(collection.data_file, false, dump.open).documents;
      } catch (const Error& error) {
        bad.push_back(error.what());
        continue;
      }
    }
    plan.items.push_back(item);
  }
  if (!bad.empty()) {
    throw failure("{} cannot be restored: {}", dump.root.string(), core::join(bad, "; "));
  }
  plan.dump = std::move(dump);
  return plan;
}

}  // namespace mysqlpitr::mongo
