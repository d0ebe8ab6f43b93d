#pragma once
// `verify [PATH]...`: checks backups without restoring them. Each PATH (default: the configured
// backup folders) is dispatched by what it is: every entry of verifiers() says which files or
// folders it checks; a folder no verifier takes is scanned one level deep.
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

// Folders checked when no PATH is given.
std::vector<std::string> default_verify_folders(Context& context);

Report run_verify(Context& context, const VerifyOptions& options);

}  // namespace mysqlpitr::commands
