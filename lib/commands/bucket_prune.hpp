#pragma once
// What `prune` removes from the bucket besides dumps (bucket_inventory.hpp, bucket_mongo.hpp), in
// repository.mode s3 or both:
// - the archived binlogs of its "binlogs" folder, by the rules of the local archive
//   (archive::decide_binlog_retention): never one a PITR base needs, the local bases' and the
//   bucket's alike (a base without readable coordinates keeps them all), never the newest, only
//   ever trimmed from the oldest end. An object's age is its upload time (later than the time the
//   server closed it: the bucket keeps a binlog a little longer, never shorter). Removed oldest
//   first, each object before its record;
// - multipart uploads left unfinished by killed runs, once older than kStaleUploadAge (a younger
//   one may be the running upload of another host), and records whose object is gone (a prune
//   interrupted between removing an object and its record), in the folders of the kinds pruned;
// - the objects of a MongoDB dump folder without a record (a run killed while streaming into the
//   bucket) once none of them is younger than kStaleUploadAge. prune holds the mongo lock, so no
//   run of this host is writing one; another host's running dump wrote an object within the day.
#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands/binlog_expiry_plan.hpp"
#include "commands/context.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::commands {

inline constexpr std::chrono::hours kStaleUploadAge{24};

// Nothing (nullopt) in mode local.
std::optional<BinlogRetentionPlan> plan_bucket_binlog_retention(const config::Settings& settings, long long older_than_days,
                                                                long long keep_last, std::time_t now, crypto::KeyRing* keys);

struct BucketLeftovers {
  std::string location;  // the bucket's prefix, as messages name it
  std::vector<storage::UnfinishedWrite> writes;
  std::vector<std::string> records;  // keys (from the prefix) of records whose object is gone
  std::vector<std::string> mongo_objects;  // keys of unrecorded MongoDB dump folders' objects
  std::string warning;  // the server cannot list unfinished uploads (s3rver): said once, not a failure
  bool any() const { return !writes.empty() || !records.empty() || !mongo_objects.empty(); }
};

// What killed runs left under the bucket folders `folders`; nullopt in mode local.
std::optional<BucketLeftovers> plan_bucket_leftovers(const config::Settings& settings, const std::vector<std::string>& folders);
std::string bucket_leftovers_text(const BucketLeftovers& leftovers);
nlohmann::json bucket_leftovers_json(const BucketLeftovers& leftovers);

// Each removal added to report.data["deleted"]; each failure to the report's errors.
void remove_bucket_binlogs(Context& context, const BinlogRetentionPlan& plan, Report& report);
void remove_bucket_leftovers(Context& context, const BucketLeftovers& leftovers, Report& report);

}  // namespace mysqlpitr::commands
