#pragma once
// Executes a RestorePlan: per collection, drop (unless --no-drop), create with the dumped
// options, insert documents in unordered bulk batches bounded by count and bytes, then build the
// indexes. A collection that fails is reported and the others go on (exit code 4 upstream).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mongo/client.hpp"
#include "mongo/restore_plan.hpp"

namespace mysqlpitr::mongo {

struct RestoreOptions {
  int jobs = 1;
  std::size_t batch_documents = 1000;
  std::size_t batch_bytes = 16 * 1024 * 1024;
};

struct RestoredCollection {
  std::string database;
  std::string name;
  std::uint64_t documents = 0;
  std::size_t indexes_built = 0;
  bool dropped = false;
  std::string error;  // empty: restored
};

struct RestoreResult {
  std::vector<RestoredCollection> collections;  // in plan order
  std::size_t failures() const;
  std::uint64_t documents() const;
};

using RestoreProgress = std::function<void(const RestoredCollection&)>;

RestoreResult run_restore(const ConnectionSettings& settings, const RestorePlan& plan,
                          const RestoreOptions& options, const RestoreProgress& progress = {});

}  // namespace mysqlpitr::mongo
