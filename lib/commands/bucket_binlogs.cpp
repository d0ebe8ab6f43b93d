#include "commands/bucket_binlogs.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "archive/aside.hpp"
#include "archive/folder_storage.hpp"
#include "archive/store.hpp"
#include "binlog/name.hpp"
#include "catalog/bucket_record.hpp"
#include "commands/bucket_copy.hpp"
#include "commands/repository.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
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

// What the bucket holds under a binlog's name (listed with `size`), against this server's verified
// copy.
enum class Held {
  this_copy,   // with a record of the copy's size and SHA-256
  same_bytes,  // the copy's bytes without a record of them (a killed run's upload): uploaded again
  recorded,    // another binlog its record describes (another history, another server): refused
  other,       // other bytes without a record describing them (an upload by hand): set aside
};

Held held_under(storage::Storage& bucket, const std::string& name, unsigned long long size,
                const archive::VerifiedCopy& copy) {
  auto record = catalog::read_record(bucket, name);
  if (record && record->value("size", 0ULL) == size) {
    bool same = size == copy.size && record->value("sha256", "") == copy.sha256;
    return same ? Held::this_copy : Held::recorded;
  }
  if (size == copy.size && storage::digest_object(bucket, name).sha256 == copy.sha256) return Held::same_bytes;
  return Held::other;
}

// An object under a binlog's name that no record describes and that is not this host's copy (an
// upload by hand) is never replaced, as an unverified file in the local archive (archive/aside.hpp):
// it is moved to ".mysqlpitr-aside/<name>.aside-<UTC time>" in the bucket's binlog folder (copied
// as one version of the object, published whole: storage's own checks), then its record removed.
// Returns the copy's key.
std::string set_aside_in_bucket(storage::Storage& bucket, const std::string& name, std::time_t now) {
  std::string key = archive::set_aside(bucket, name, now);
  catalog::remove_record(bucket, name);
  return key;
}

}  // namespace

nlohmann::json upload_archived_binlogs(Context& context, const std::string& archive_folder,
                                       const archive::Manifest& manifest, Report& report) {
  nlohmann::json json = {{"uploaded", nlohmann::json::array()},
                         {"in_bucket", nlohmann::json::array()},
                         {"set_aside", nlohmann::json::array()}};
  if (!uses_bucket(repository_mode(context.settings()))) return nlohmann::json();
  auto bucket = open_bucket(context.settings(), kBinlogBucketFolder);
  auto local = storage::open_posix(archive_folder);
  // One listing of the bucket, then one record read per binlog found there: an object of the
  // copy's size whose record has the copy's SHA-256 was uploaded and checked by an earlier run (its
  // record describes it from the moment it is published: catalog::publish_recorded).
  std::map<std::string, unsigned long long> held;
  try {
    for (const auto& object : bucket->list(""))
      if (!catalog::is_record_key(object.key)) held.emplace(object.key, object.size);
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
      if (object != held.end()) {
        Held held_there = held_under(*bucket, name, object->second, *copy);
        if (held_there == Held::this_copy) {
          json["in_bucket"].push_back(name);
          continue;
        }
        // A binlog an earlier upload recorded is not this server's: the bucket holds another
        // history's file of that name (RESET MASTER, a rebuilt or replacement server) or another
        // server writes to this prefix. As the local archive does with a verified copy that differs
        // from the server's file, it is left as it is (the old history stays restorable) and the
        // operator decides.
        if (held_there == Held::recorded)
          throw precondition_error("{} holds another binlog of that name, recorded by an earlier upload ({}); this "
                                   "server's is {} with SHA-256 {}: another history (RESET MASTER, a rebuilt or "
                                   "replacement server) or another server writing to this prefix. Not replaced: give "
                                   "this server its own s3.prefix, or move the old history out of {} if it is no "
                                   "longer needed",
                                   bucket->describe(name), core::human_size(object->second),
                                   core::human_size(copy->size), copy->sha256, bucket->describe(""));
        if (held_there == Held::other) {
          std::string kept = set_aside_in_bucket(*bucket, name, std::time(nullptr));
          json["set_aside"].push_back({{"name", name}, {"object", bucket->describe(kept)}, {"size", object->second}});
          // On stderr even with --quiet, as a local copy set aside: the operator must hear of it.
          context.console().warning(fmt::format("{} held another file of that name without a record of it (an "
                                                "upload by hand?), not this server's verified copy: kept as {} (not "
                                                "replaced, not deleted)",
                                                bucket->describe(name), bucket->describe(kept)));
        }
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
  std::unique_ptr<storage::Storage> store, archive_storage;
  for (const auto& copy : local) {
    const std::string& name = copy.name;
    if (!releasable.contains(name)) break;
    try {
      // The last copy of this binlog on the host goes: the bucket's object is read back first and
      // must hold the same bytes (a record can be doctored, an object replaced by hand).
      if (!store) store = open_bucket(context.settings(), kBinlogBucketFolder);
      if (!archive_storage) archive_storage = archive::open_archive(archive_folder);
      storage::Published held = storage::digest_object(*store, name);
      storage::Published here = storage::digest_object(*archive_storage, name);
      if (held.size != here.size || held.sha256 != here.sha256)
        throw failure("{} is not {} ({} bytes with SHA-256 {} against {} bytes with SHA-256 {}): the local copy stays",
                      store->describe(name), archive_storage->describe(name), held.size, held.sha256, here.size,
                      here.sha256);
      archive_storage->remove(name);
    } catch (const Error& error) {
      report.errors.push_back(fmt::format("cannot remove the uploaded {} from {}: {}", name, archive_folder,
                                          error.what()));
      context.console().error(report.errors.back());
      break;
    }
    released.push_back(name);
    context.console().info(fmt::format("removed the local copy of {}: the server purged it, and the bucket's "
                                       "object, read back, holds the same bytes",
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
