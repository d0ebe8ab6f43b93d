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

#include "commands/command.hpp"
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

// What verify found: each finding printed as it is made (a long verify shows its progress file
// by file), the closing summary printed by the runner. FAILED checks exit 1; nothing to verify
// where backups are expected (and nothing failed) exits 5.
class VerifyPlan final : public Plan {
 public:
  nlohmann::json data = nlohmann::json::object();
  std::vector<std::string> errors;
  std::size_t good = 0, failed = 0, empty = 0;

  std::string text() const override;
  nlohmann::json json() const override { return data; }
  std::vector<std::string> problems() const override { return errors; }
  ExitCode listing_code() const override {
    if (problems().empty()) return ExitCode::ok;
    return failed > 0 ? ExitCode::failed : ExitCode::precondition;
  }
  bool shown_as_found() const override { return true; }
};

// Gathers the findings into a VerifyPlan, printing each as it comes.
class VerifyResults {
 public:
  explicit VerifyResults(Context& context) : context_(context) {}
  void add(const VerifyOutcome& outcome);
  void problem(const std::string& text);          // a failed check: exit 1
  void nothing_to_verify(const std::string& text);  // exit 5 when nothing failed
  VerifyPlan finish();
  nlohmann::json& data() { return plan_.data; }

 private:
  Context& context_;
  VerifyPlan plan_;
};

// A listing for the runner: the plan reads every backup and is the whole answer.
Command verify_command(const VerifyOptions& options);

}  // namespace mysqlpitr::commands
