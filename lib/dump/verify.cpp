#include "dump/verify.hpp"

#include "core/error.hpp"
#include "io/sha256.hpp"
#include "dump/manifest.hpp"
#include "dump/sql_text.hpp"
#include "io/atomic_file.hpp"
#include "io/files.hpp"
#include "io/input_stream.hpp"

namespace mysqlpitr::dump {

bool looks_like_dump(const std::string& name) {
  if (name.empty() || name[0] == '.' || name.find(io::kTempMarker) != std::string::npos) return false;
  return name.ends_with(".sql") || name.ends_with(".sql.gz") || name.ends_with(".sql.zst");
}

DumpVerification verify_dump(const std::string& path) {
  DumpVerification result;
  result.path = path;
  try {
    auto entry = io::stat_entry(path);
    if (!entry) throw failure("no such file");
    result.size = entry->size;
    auto stream = io::open_input(path);
    result.compression = io::compression_name(stream->compression());
    std::string tail;
    result.sql_bytes = io::read_to_end(*stream, &tail, 512);
    // The marker is the last line; mysqldump may add nothing after it but a newline.
    size_t line_start = tail.find_last_of('\n', tail.size() >= 2 ? tail.size() - 2 : 0);
    std::string last_line = line_start == std::string::npos ? tail : tail.substr(line_start + 1);
    if (!last_line.starts_with(kCompletionMarker))
      throw failure("the dump is incomplete: its last line is not \"{} on ...\"", kCompletionMarker);
    auto recorded = manifest_entry(io::parent_path(path), io::base_name(path));
    if (recorded) {
      result.in_manifest = true;
      unsigned long long size = recorded->value("size", 0ULL);
      if (size != result.size)
        throw failure("size {} differs from the manifest's {}", result.size, size);
      std::string expected = recorded->value("sha256", "");
      std::string actual = io::digest_file(path).sha256;
      if (actual != expected) throw failure("SHA-256 {} differs from the manifest's {}", actual, expected);
    }
    result.ok = true;
  } catch (const Error& error) {
    result.problem = fmt::format("{}: {}", path, error.what());
  } catch (const std::exception& error) {
    result.problem = fmt::format("{}: {}", path, error.what());
  }
  return result;
}

}  // namespace mysqlpitr::dump
