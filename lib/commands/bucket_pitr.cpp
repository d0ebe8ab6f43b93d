#include "commands/bucket_pitr.hpp"

#include "binlog/name.hpp"
#include "catalog/bucket_record.hpp"
#include "catalog/coordinates.hpp"
#include "catalog/naming.hpp"
#include "commands/bucket_copy.hpp"
#include "commands/repository.hpp"
#include "core/error.hpp"
#include "io/files.hpp"
#include "io/remove.hpp"

namespace mysqlpitr::commands {
namespace {

std::string file_name(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool missing_locally(const std::string& folder, const std::string& name) {
  return !io::stat_entry(io::join_path(folder, name)).has_value();
}

std::string fetch(storage::Storage& bucket, const std::string& folder, const std::string& name) {
  auto local = storage::open_posix(folder);
  download_checked(bucket, *local, name);
  return io::join_path(folder, name);
}

}  // namespace

void upload_pitr_bases(Context& context, const std::string& folder, Report& report) {
  RepositoryMode mode = repository_mode(context.settings());
  if (!uses_bucket(mode) || !report.data.contains("backups")) return;
  auto bucket = open_bucket(context.settings(), bucket_folder(catalog::BackupKind::pitr_base));
  auto local = storage::open_posix(folder);
  for (auto& entry : report.data["backups"]) {
    std::string name = file_name(entry.value("path", ""));
    try {
      upload_checked(*local, *bucket, name, entry.value("size", 0ULL), entry.value("sha256", ""), entry);
      entry["object"] = bucket->describe(name);
      context.console().info(fmt::format("uploaded {} to {}: size and SHA-256 checked", name, bucket->describe(name)));
      if (mode == RepositoryMode::s3) io::remove_file_in(folder, name);
    } catch (const Error& error) {
      report.errors.push_back(fmt::format("upload of {} failed (the local copy {} stays): {}", name,
                                          io::join_path(folder, name), error.what()));
      context.console().error(report.errors.back());
      report.code = ExitCode::failed;
    }
  }
}

std::vector<std::string> fetch_pitr_chain(Context& context, const std::string& database) {
  const auto& settings = context.settings();
  std::vector<std::string> fetched;
  if (!uses_bucket(repository_mode(settings))) return fetched;
  const std::string& bases = settings.paths.pitr_base.value;
  std::string base = catalog::pitr_base_name(database);
  auto base_bucket = open_bucket(settings, bucket_folder(catalog::BackupKind::pitr_base));
  if (!io::stat_entry(catalog::pitr_base_path(bases, database)) && base_bucket->stat(base))
    fetched.push_back(fetch(*base_bucket, bases, base));
  // Only the binlogs from the base's on: older ones cannot be replayed onto it.
  auto coordinates = catalog::read_dump_coordinates(catalog::pitr_base_path(bases, database));
  const std::string& archive = settings.paths.binlog_archive.value;
  auto binlogs = open_bucket(settings, kBinlogBucketFolder);
  for (const auto& object : binlogs->list("")) {
    if (catalog::is_record_key(object.key) || object.key.find('/') != std::string::npos) continue;
    if (!binlog::parse_binlog_name(object.key) || !missing_locally(archive, object.key)) continue;
    if (coordinates && binlog::binlog_name_less(object.key, coordinates->file)) continue;
    fetched.push_back(fetch(*binlogs, archive, object.key));
  }
  for (const auto& path : fetched) context.console().info("fetched " + path + " from the bucket (checked against its record)");
  return fetched;
}

}  // namespace mysqlpitr::commands
