#include "commands/bucket_binlogs.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "archive/store.hpp"
#include "binlog/name.hpp"
#include "catalog/bucket_record.hpp"
#include "commands/bucket_copy.hpp"
#include "commands/repository.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/remove.hpp"
#include "ui/table.hpp"

namespace mysqlpitr::commands {
namespace {

// Size and SHA-256 of the object as stored; for an encrypted binlog also of the binlog it holds,
// which readers list and check it by.
nlohmann::json record_of(const std::string& name, const archive::VerifiedCopy& copy) {
  nlohmann::json record = {{"name", name}, {"kind", "binlog"}, {"size", copy.size}, {"sha256", copy.sha256},
                           {"verified_at", copy.verified_at}};
  if (copy.encrypted())
    record.update({{"encryption_key_id", copy.key_id}, {"plain_size", copy.plain_size}, {"plain_sha256", copy.plain_sha256}});
  return record;
}

}  // namespace

nlohmann::json upload_archived_binlogs(Context& context, const std::string& archive_folder,
                                       const archive::Manifest& manifest, Report& report) {
  nlohmann::json json = {{"uploaded", nlohmann::json::array()}, {"in_bucket", nlohmann::json::array()}};
  if (!uses_bucket(repository_mode(context.settings()))) return nlohmann::json();
  auto bucket = open_bucket(context.settings(), kBinlogBucketFolder);
  auto local = storage::open_posix(archive_folder);
  // One listing of the bucket, not a request per binlog: an object of the copy's size with its
  // record was uploaded and checked by an earlier run (its record describes it from the moment it
  // is published: catalog::publish_recorded).
  std::map<std::string, unsigned long long> held;
  std::set<std::string> recorded;
  try {
    for (const auto& object : bucket->list("")) {
      if (catalog::is_record_key(object.key)) recorded.insert(object.key);
      else held.emplace(object.key, object.size);
    }
  } catch (const Error& error) {
    report.errors.push_back(fmt::format("upload of the binlogs to {} failed (the local copies in {} stay): {}",
                                        bucket->describe(""), archive_folder, error.what()));
    context.console().error(report.errors.back());
    json["failed"] = "listing";
    return json;
  }
  for (const auto& [name, verified] : manifest.copies()) {
    const archive::VerifiedCopy* copy = &verified;
    if (!binlog::parse_binlog_name(name) || !local->stat(name)) continue;  // only verified copies still here
    try {
      auto object = held.find(name);
      if (object != held.end() && object->second == copy->size && recorded.count(catalog::record_key(name))) {
        json["in_bucket"].push_back(name);
        continue;
      }
      upload_checked(*local, *bucket, name, record_of(name, *copy));
      json["uploaded"].push_back(name);
      context.console().info(fmt::format("uploaded {} ({}) to {}: size and SHA-256 checked", name,
                                         core::human_size(copy->size), bucket->describe(name)));
    } catch (const Error& error) {
      report.errors.push_back(fmt::format("upload of {} failed (the local copy {} stays): {}", name,
                                          archive_folder + "/" + name, error.what()));
      context.console().error(report.errors.back());
      json["failed"].push_back(name);
    }
  }
  return json;
}

nlohmann::json release_uploaded_binlogs(Context& context, const std::string& archive_folder,
                                        const nlohmann::json& bucket, const archive::ServerBinlogs& server,
                                        Report& report) {
  std::set<std::string> on_server{server.active};
  for (const auto& closed : server.closed) on_server.insert(closed.name);
  std::set<std::string> releasable;
  for (const char* list : {"uploaded", "in_bucket"})
    for (const auto& item : bucket.value(list, nlohmann::json::array()))
      if (!on_server.contains(item.get<std::string>())) releasable.insert(item.get<std::string>());
  // Oldest first, and only while every older local binlog went too: the local archive stays one
  // run of consecutive files (no hole for the sequence checks); a file rotate-binlogs did not
  // upload itself (an old script's copy) stops the release until the retention removes it.
  std::vector<archive::ArchivedBinlog> local = archive::scan_archived_binlogs(archive_folder);
  std::sort(local.begin(), local.end(),
            [](const auto& a, const auto& b) { return binlog::binlog_name_less(a.name, b.name); });
  nlohmann::json released = nlohmann::json::array();
  for (const auto& copy : local) {
    const std::string& name = copy.name;
    if (!releasable.contains(name)) break;
    try {
      io::remove_file_in(archive_folder, name);
    } catch (const Error& error) {
      report.errors.push_back(fmt::format("cannot remove the uploaded {} from {}: {}", name, archive_folder,
                                          error.what()));
      context.console().error(report.errors.back());
      break;
    }
    released.push_back(name);
    context.console().info(fmt::format("removed the local copy of {}: the server purged it, the bucket holds it",
                                       name));
  }
  return released;
}

nlohmann::json list_bucket_binlogs(Context& context) {
  if (!uses_bucket(repository_mode(context.settings()))) return nlohmann::json();
  auto bucket = open_bucket(context.settings(), kBinlogBucketFolder);
  auto records = catalog::read_records(*bucket);
  nlohmann::json listing = {{"location", bucket->describe("")}, {"binlogs", nlohmann::json::array()}};
  auto objects = bucket->list("");
  for (auto it = objects.rbegin(); it != objects.rend(); ++it) {
    if (catalog::is_record_key(it->key) || !binlog::parse_binlog_name(it->key)) continue;
    auto record = records.find(it->key);
    bool recorded = record != records.end() && record->second.value("size", 0ULL) == it->size;
    listing["binlogs"].push_back({{"name", it->key}, {"size", it->size}, {"recorded", recorded},
                                  {"sha256", recorded ? record->second.value("sha256", "") : ""}});
  }
  return listing;
}

std::string bucket_binlogs_text(const nlohmann::json& listing) {
  if (listing.is_null()) return {};
  ui::TextTable table({"NAME", "SIZE", "NOTE"});
  for (const auto& entry : listing["binlogs"])
    table.add({entry["name"].get<std::string>(), core::human_size(entry["size"].get<unsigned long long>()),
               entry["recorded"].get<bool>() ? "" : "unrecorded (upload not finished, or not by mysqlpitr)"});
  std::string header = "\nbinlogs in " + listing["location"].get<std::string>() + " (bucket)";
  return table.empty() ? header + "\nno binlogs found" : header + "\n" + table.render();
}

}  // namespace mysqlpitr::commands
