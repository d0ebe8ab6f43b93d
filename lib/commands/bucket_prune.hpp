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
//   one may be the running upload of another host), in the folders of the kinds pruned.
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
                                                                long long keep_last, std::time_t now);

struct StaleUploads {
  std::string location;  // the bucket's prefix, as messages name it
  std::vector<storage::UnfinishedWrite> writes;
  std::string warning;  // the server cannot list them (s3rver): said once, not a failure
};

// The unfinished uploads older than kStaleUploadAge under the bucket folders `folders`; nullopt in
// mode local.
std::optional<StaleUploads> plan_stale_uploads(const config::Settings& settings, const std::vector<std::string>& folders);
std::string stale_uploads_text(const StaleUploads& uploads);
nlohmann::json stale_uploads_json(const StaleUploads& uploads);

// Each removal added to report.data["deleted"]; each failure to the report's errors.
void remove_bucket_binlogs(Context& context, const BinlogRetentionPlan& plan, Report& report);
void remove_stale_uploads(Context& context, const StaleUploads& uploads, Report& report);

}  // namespace mysqlpitr::commands
