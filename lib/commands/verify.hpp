#pragma once
// `verify [PATH]...`: checks backups without restoring them. Each PATH (default: the configured
// backup folders and the binlog archive) is dispatched by what it is: dumps and MongoDB dump
// folders through verifiers(), binlogs through verify_binlogs.hpp (every file read to its end,
// the sequence checked); a folder is scanned one level deep.
//
// Exit 1 when any backup fails its check or a binlog sequence is broken; exit 5 when there is
// nothing to verify where backups are expected (a configured folder missing or holding no backup
// verify knows, as an unmounted backup disk looks; a PATH holding nothing recognisable).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands/context.hpp"
#include "io/files.hpp"

namespace mysqlpitr::commands {

struct VerifyOptions {
  std::vector<std::string> paths;
};

struct VerifyOutcome {
  std::string path;
  std::string what;     // "dump", "binlog", "mongo dump", ...
  bool ok = false;
  std::string problem;  // names the file and what is wrong
  nlohmann::json details = nlohmann::json::object();
};

struct Verifier {
  const char* what;
  bool (*accepts)(const io::DirEntry& entry);
  VerifyOutcome (*verify)(Context& context, const io::DirEntry& entry);
};
const std::vector<Verifier>& verifiers();

// A folder checked when no PATH is given. `required`: configured explicitly (or the binlog
// archive), so missing or empty means the backups are not where they should be; a folder left at
// its built-in default that does not exist is skipped (that kind of backup is not in use).
struct VerifyFolder {
  std::string path;
  std::string setting;  // "paths.historical", ...
  bool required = true;
};
std::vector<VerifyFolder> default_verify_folders(Context& context);

// What verify found, as it goes: printed and gathered for the report.
class VerifyResults {
 public:
  explicit VerifyResults(Context& context) : context_(context) {}
  void add(const VerifyOutcome& outcome);
  void problem(const std::string& text);          // a failed check: exit 1
  void nothing_to_verify(const std::string& text);  // exit 5 when nothing failed
  Report finish();
  nlohmann::json& data() { return report_.data; }

 private:
  Context& context_;
  Report report_;
  std::size_t good_ = 0, failed_ = 0;
  std::vector<std::string> problems_, empty_;
};

Report run_verify(Context& context, const VerifyOptions& options);

}  // namespace mysqlpitr::commands
