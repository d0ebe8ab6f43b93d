#include "commands/bucket_dumps.hpp"

#include "catalog/bucket_record.hpp"
#include "commands/repository.hpp"
#include "core/strings.hpp"
#include "dump/manifest.hpp"
#include "io/files.hpp"
#include "io/remove.hpp"

namespace mysqlpitr::commands {
namespace {

// Reads the local file into the writer as it is (compressed bytes, no decompression).
storage::Published upload_file(const std::string& folder, const std::string& name, storage::Writer& writer) {
  auto source = storage::open_posix(folder)->open(name);
  std::string buffer(1 << 20, '\0');
  while (size_t n = source->read(buffer.data(), buffer.size())) writer.write(std::string_view(buffer.data(), n));
  return writer.publish();
}

// One file: uploaded, compared with its manifest entry, recorded. Returns the object's URL.
std::string store_one(storage::Storage& bucket, const std::string& folder, const std::string& name) {
  const std::string path = io::join_path(folder, name);
  auto entry = dump::manifest_entry(folder, name);
  if (!entry) throw failure("{} has no entry in {}", path, io::join_path(folder, dump::kManifestName));
  storage::Published published;
  {
    auto writer = bucket.create(name);
    published = upload_file(folder, name, *writer);
  }
  unsigned long long size = entry->value("size", 0ULL);
  std::string sha256 = entry->value("sha256", "");
  if (published.size != size || published.sha256 != sha256) {
    bucket.remove(name);
    throw failure("uploaded {} bytes with SHA-256 {}, but the manifest records {} bytes with SHA-256 {}; the object "
                  "was removed",
                  published.size, published.sha256, size, sha256);
  }
  auto stored = bucket.stat(name);
  if (!stored || stored->size != size) {
    bucket.remove(name);
    throw failure("the bucket holds {} bytes after the upload, not {}; the object was removed",
                  stored ? stored->size : 0, size);
  }
  catalog::write_record(bucket, name, *entry);
  return bucket.describe(name);
}

}  // namespace

bool bucket_dump_kind(catalog::BackupKind kind) {
  return kind == catalog::BackupKind::historical || kind == catalog::BackupKind::schema;
}

std::vector<std::string> bucket_plan_urls(const config::Settings& settings, const DumpPlan& plan) {
  std::vector<std::string> urls;
  if (!bucket_dump_kind(plan.catalog_kind) || !uses_bucket(repository_mode(settings))) return urls;
  auto bucket = open_bucket(settings, bucket_folder(plan.catalog_kind));
  for (const auto& file : plan.files) urls.push_back(bucket->describe(file.second));
  return urls;
}

std::string bucket_plan_text(const DumpPlan& plan) {
  if (plan.bucket_urls.empty()) return {};
  std::string text = plan.keep_local ? "then uploaded to the bucket (the local files are kept):\n"
                                     : "then uploaded to the bucket (the local files are removed once verified):\n";
  for (const auto& url : plan.bucket_urls) text += "  " + url + "\n";
  return text;
}

void store_dumps_in_bucket(Context& context, const DumpPlan& plan, Report& report) {
  if (plan.bucket_urls.empty()) return;
  const config::Settings& settings = context.settings();
  auto bucket = open_bucket(settings, bucket_folder(plan.catalog_kind));
  ui::Console& console = context.console();
  for (auto& backup : report.data["backups"]) {
    std::string path = backup.value("path", "");
    std::string name = io::base_name(path);
    try {
      console.progress("uploading " + bucket->describe(name));
      std::string url = with_context(bucket->describe(name), [&] { return store_one(*bucket, plan.request.folder, name); });
      console.finish_progress();
      backup["url"] = url;
      console.info(fmt::format("uploaded {} (size and SHA-256 checked, record written)", url));
      if (plan.keep_local) continue;
      io::remove_file_in(plan.request.folder, name);
      dump::forget_in_manifest(plan.request.folder, name);
      backup["path"] = nullptr;
      console.detail("removed the local copy " + path);
    } catch (const Error& error) {
      console.finish_progress();
      std::string message = fmt::format("upload failed: {} (the local copy {} stays)", error.what(), path);
      console.error("backup " + std::string(catalog::kind_name(plan.catalog_kind)) + ": " + message);
      report.errors.push_back(message);
      report.code = ExitCode::failed;
    }
  }
}

}  // namespace mysqlpitr::commands
