#include "commands/bucket_binlogs.hpp"

#include "catalog/bucket_record.hpp"
#include "commands/repository.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"

namespace mysqlpitr::commands {
namespace {

nlohmann::json record_of(const std::string& name, const archive::VerifiedCopy& copy) {
  return {{"name", name}, {"kind", "binlog"}, {"size", copy.size}, {"sha256", copy.sha256},
          {"verified_at", copy.verified_at}};
}

// The bucket holds `name` whole when its record and its object both match the verified copy.
bool already_uploaded(storage::Storage& bucket, const std::string& name, const archive::VerifiedCopy& copy) {
  auto record = catalog::read_record(bucket, name);
  if (!record || record->value("sha256", "") != copy.sha256 || record->value("size", 0ULL) != copy.size) return false;
  auto object = bucket.stat(name);
  return object && object->size == copy.size;
}

// Streams the local copy into the bucket and checks what arrived against the verified copy.
void upload_one(storage::Storage& local, storage::Storage& bucket, const std::string& name,
                const archive::VerifiedCopy& copy) {
  auto reader = local.open(name);
  auto writer = bucket.create(name);
  std::string buffer(1 << 20, '\0');
  while (size_t n = reader->read(buffer.data(), buffer.size())) writer->write(std::string_view(buffer.data(), n));
  storage::Published published = writer->publish();
  if (published.size != copy.size || published.sha256 != copy.sha256) {
    bucket.remove(name);
    throw failure("{}: uploaded {} bytes with SHA-256 {}, the verified copy has {} bytes and {}: removed",
                  bucket.describe(name), published.size, published.sha256, copy.size, copy.sha256);
  }
  catalog::write_record(bucket, name, record_of(name, copy));
}

}  // namespace

nlohmann::json upload_archived_binlogs(Context& context, const std::string& archive_folder,
                                       const archive::Manifest& manifest, const std::vector<std::string>& names,
                                       Report& report) {
  nlohmann::json json = {{"uploaded", nlohmann::json::array()}, {"in_bucket", nlohmann::json::array()}};
  if (!uses_bucket(repository_mode(context.settings()))) return nlohmann::json();
  auto bucket = open_bucket(context.settings(), kBinlogBucketFolder);
  auto local = storage::open_posix(archive_folder);
  for (const auto& name : names) {
    const archive::VerifiedCopy* copy = manifest.find(name);
    if (!copy) continue;  // not verified in this run's record: never uploaded unverified
    try {
      if (already_uploaded(*bucket, name, *copy)) {
        json["in_bucket"].push_back(name);
        continue;
      }
      upload_one(*local, *bucket, name, *copy);
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

}  // namespace mysqlpitr::commands
