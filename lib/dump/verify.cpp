#include "dump/verify.hpp"

#include "core/error.hpp"
#include "dump/file_check.hpp"
#include "dump/sql_text.hpp"
#include "catalog/naming.hpp"
#include "io/atomic_file.hpp"
#include "io/files.hpp"
#include "io/input_stream.hpp"
#include "io/sha256.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::dump {

bool looks_like_dump(const std::string& name) {
  if (name.empty() || name[0] == '.' || name.find(io::kTempMarker) != std::string::npos) return false;
  auto [plain, encrypted] = catalog::without_encryption_suffix(name);
  return plain.ends_with(".sql") || plain.ends_with(".sql.gz") || plain.ends_with(".sql.zst");
}

namespace {

// Reads the whole stream; throws naming what is wrong (the caller prefixes the file's name).
void check_stream(DumpVerification& result, const std::optional<nlohmann::json>& recorded, const OpenDump& open) {
  io::Sha256 digest;  // the file is hashed in the pass that decompresses it
  auto stream = open(&digest);
  result.compression = io::compression_name(stream->compression());
  std::string tail;
  result.sql_bytes = io::read_to_end(*stream, &tail, 512);
  std::string empty = content_problem(result.size, result.sql_bytes);
  if (!empty.empty()) throw failure("{}", empty);
  // The marker is the last line; mysqldump may add nothing after it but a newline.
  size_t line_start = tail.find_last_of('\n', tail.size() >= 2 ? tail.size() - 2 : 0);
  std::string last_line = line_start == std::string::npos ? tail : tail.substr(line_start + 1);
  if (!last_line.starts_with(kCompletionMarker))
    throw failure("the dump is incomplete: its last line is not \"{} on ...\"", kCompletionMarker);
  if (recorded) {
    result.in_manifest = true;
    std::string mismatch = manifest_mismatch(*recorded, {result.size, digest.hex_digest(), std::nullopt});
    if (!mismatch.empty()) throw failure("{}", mismatch);
  }
}

// Runs `check`, turning whatever it throws into the result's problem, naming `name`.
template <class Check>
DumpVerification verified(const std::string& name, Check check) {
  DumpVerification result;
  result.path = name;
  try {
    check(result);
    result.ok = true;
  } catch (const std::exception& error) {
    result.problem = fmt::format("{}: {}", name, error.what());
  }
  return result;
}

}  // namespace

DumpVerification verify_dump(const std::string& path, crypto::KeyRing* keys) {
  return verified(path, [&](DumpVerification& result) {
    // Read through the storage layer's posix driver, as a bucket's object is: never through a link.
    auto folder = storage::open_posix(io::parent_path(path));
    const std::string name = io::base_name(path);
    auto object = folder->stat(name);
    if (!object && io::stat_entry(path)) throw failure("not a regular file (a link?): not read");
    if (!object) throw failure("no such file");
    result.size = object->size;
    check_stream(result, recorded_entry(path),
                 [&](io::Sha256* digest) { return storage::open_input(*folder, name, digest, keys); });
  });
}

DumpVerification verify_dump_stream(const std::string& name, unsigned long long size,
                                    const std::optional<nlohmann::json>& recorded, const OpenDump& open) {
  return verified(name, [&](DumpVerification& result) {
    result.size = size;
    check_stream(result, recorded, open);
  });
}

std::string retention_problem(const std::string& path, crypto::KeyRing* keys) {
  DumpVerification result = verify_dump(path, keys);
  if (result.ok) return {};
  // verify_dump's problem names the file; prune's report names it already.
  std::string prefix = path + ": ";
  return result.problem.starts_with(prefix) ? result.problem.substr(prefix.size()) : result.problem;
}

}  // namespace mysqlpitr::dump
