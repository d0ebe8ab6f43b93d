#include "commands/repository.hpp"

#include "core/error.hpp"

namespace mysqlpitr::commands {

RepositoryMode repository_mode(const config::Settings& settings) {
  const std::string& mode = settings.repository.mode.value;
  if (mode == "s3") return RepositoryMode::s3;
  if (mode == "both") return RepositoryMode::both;
  if (mode == "local") return RepositoryMode::local;
  // config::validate_repository refuses other values; a caller that skipped it still gets one line.
  throw usage_error("repository.mode: '{}' is not local, s3 or both", mode);
}

std::string bucket_folder(catalog::BackupKind kind) { return catalog::kind_name(kind); }

storage::S3Options s3_options(const config::Settings& settings, const std::string& folder) {
  const config::S3Settings& s3 = settings.s3;
  storage::S3Options options;
  options.endpoint = s3.endpoint.value;
  options.bucket = s3.bucket.value;
  options.region = s3.region.value;
  std::string prefix = s3.prefix.value;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  options.prefix = prefix.empty() || folder.empty() ? prefix + folder : prefix + "/" + folder;
  options.access_key = s3.access_key.value;
  options.secret_key = s3.secret_key.value;
  options.path_style = s3.addressing.value != "virtual";
  options.verify_tls = s3.verify_tls.value;
  options.ca_file = s3.ca_file.value;
  options.part_size = static_cast<size_t>(s3.part_size.value.bytes);
  options.upload_jobs = static_cast<unsigned>(s3.upload_jobs.value);
  return options;
}

std::unique_ptr<storage::Storage> open_bucket(const config::Settings& settings, const std::string& folder) {
  return storage::open_s3(s3_options(settings, folder));
}

}  // namespace mysqlpitr::commands
