#include "commands/verify_bucket.hpp"

#include <map>

#include "archive/binlog_stream_check.hpp"
#include "binlog/name.hpp"
#include "commands/bucket_mongo.hpp"
#include "catalog/bucket_record.hpp"
#include "commands/repository.hpp"
#include "commands/verify_binlogs.hpp"
#include "dump/verify.hpp"

namespace mysqlpitr::commands {
namespace {

// The backup objects of one bucket folder (no records, nothing in sub-folders) with their records.
struct BucketFolder {
  std::shared_ptr<storage::Storage> bucket;
  std::vector<storage::ObjectInfo> objects;
  std::map<std::string, nlohmann::json> records;
  std::map<std::string, std::string> unreadable;  // records that are not JSON, by object key

  const nlohmann::json* record(const std::string& key) const {
    auto found = records.find(key);
    return found == records.end() ? nullptr : &found->second;
  }
};

BucketFolder read_folder(const config::Settings& settings, const std::string& folder, bool (*wanted)(const std::string&)) {
  BucketFolder read{open_bucket(settings, folder), {}, {}, {}};
  read.records = catalog::read_records(*read.bucket, "", &read.unreadable);
  for (auto& object : read.bucket->list(""))
    if (!catalog::is_record_key(object.key) && object.key.find('/') == std::string::npos && wanted(object.key))
      read.objects.push_back(std::move(object));
  return read;
}

bool dump_name(const std::string& key) { return dump::looks_like_dump(key); }
bool binlog_name(const std::string& key) { return binlog::parse_binlog_name(key).has_value(); }

std::string unrecorded(const BucketFolder& folder, const std::string& key) {
  if (auto damaged = folder.unreadable.find(key); damaged != folder.unreadable.end()) return damaged->second;
  return folder.bucket->describe(key) +
         ": no mysqlpitr record (an upload never finished, or a file not uploaded by mysqlpitr)";
}

VerifyOutcome verify_dump_object(const BucketFolder& folder, const storage::ObjectInfo& object,
                                 crypto::KeyRing* keys) {
  const std::string url = folder.bucket->describe(object.key);
  const nlohmann::json* record = folder.record(object.key);
  if (!record) return {url, "dump in the bucket", false, unrecorded(folder, object.key), {{"size", object.size}}};
  auto bucket = folder.bucket;
  dump::DumpVerification result = dump::verify_dump_stream(
      url, object.size, *record, [&](io::Sha256* digest) { return storage::open_input(*bucket, object.key, digest, keys); });
  VerifyOutcome outcome{url, "dump in the bucket", result.ok, result.problem, nlohmann::json::object()};
  outcome.details = {{"size", result.size}, {"compression", result.compression}, {"sql_bytes", result.sql_bytes},
                     {"checksum_checked", result.in_manifest}};
  return outcome;
}

void verify_dumps(Context& context, catalog::BackupKind kind, VerifyResults& results) {
  BucketFolder folder = read_folder(context.settings(), bucket_folder(kind), dump_name);
  for (const auto& object : folder.objects) {
    context.console().progress("verifying " + folder.bucket->describe(object.key));
    VerifyOutcome outcome = verify_dump_object(folder, object, context.key_ring());
    context.console().finish_progress();
    results.add(outcome);
  }
}

void verify_binlog_objects(Context& context, VerifyResults& results) {
  BucketFolder folder = read_folder(context.settings(), kBinlogBucketFolder, binlog_name);
  std::vector<archive::BinlogCheck> checks;
  for (const auto& object : folder.objects) {
    std::optional<archive::RecordedCopy> recorded;
    if (const nlohmann::json* record = folder.record(object.key))
      recorded = archive::RecordedCopy{record->value("size", 0ULL), record->value("sha256", "")};
    const std::string url = folder.bucket->describe(object.key);
    context.console().progress("verifying " + url);
    try {
      checks.push_back(archive::check_binlog_stream(url, folder.bucket->open(object.key), object.size, recorded,
                                                    context.key_ring()));
    } catch (const Error& error) {  // the object cannot be opened: its verdict, not verify's end
      archive::BinlogCheck check;
      check.path = check.summary.path = url;
      check.problem = check.summary.error = error.what();
      checks.push_back(std::move(check));
    }
    context.console().finish_progress();
  }
  add_binlog_checks(checks, results);
}

}  // namespace

void verify_bucket(Context& context, VerifyResults& results) {
  if (!uses_bucket(repository_mode(context.settings()))) return;
  // A folder that cannot be listed (the bucket unreachable, a key refused) is one failed check
  // naming it, after the retries; the folders after it are not tried (each would wait as long).
  bool failed = false;
  auto guarded = [&](auto verify) {
    if (failed) return;
    try {
      verify();
    } catch (const Error& error) {
      context.console().finish_progress();
      results.problem(fmt::format("{}; the bucket's other folders were not verified", error.what()));
      failed = true;
    }
  };
  for (auto kind : {catalog::BackupKind::historical, catalog::BackupKind::schema, catalog::BackupKind::pitr_base})
    guarded([&] { verify_dumps(context, kind, results); });
  guarded([&] { verify_binlog_objects(context, results); });
  guarded([&] { verify_bucket_mongo(context, results); });
}

}  // namespace mysqlpitr::commands
