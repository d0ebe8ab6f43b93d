#pragma once
// What every command receives: global options, the settings (loaded on first use, so commands
// that need none work without a configuration file), and the console.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/load.hpp"
#include "config/settings.hpp"
#include "core/error.hpp"
#include "crypto/key.hpp"
#include "mysql/connection.hpp"
#include "ui/console.hpp"

namespace mysqlpitr::commands {

struct GlobalOptions {
  std::string config_path;
  bool yes = false;
  bool json = false;
  bool verbose = false;
  bool quiet = false;
  std::string log_file;
  // Settings given as command options (--jobs: "backup.jobs"), origin "command line".
  std::map<std::string, std::string> settings;
};

// What a command did: fields merged into the JSON envelope, the exit code, per-item errors.
struct Report {
  nlohmann::json data = nlohmann::json::object();
  ExitCode code = ExitCode::ok;
  std::vector<std::string> errors;
  // Kept in the job's result record for `status` (commands/job_results.hpp): a drill's per
  // database outcome.
  nlohmann::json record_details;
};

class Context {
 public:
  Context(GlobalOptions global, config::Environment environment, ui::Console& console)
      : global_(std::move(global)), environment_(std::move(environment)), console_(console) {}
  // A context on settings already read and changed (the drill's, pointed at drill.server).
  Context(const Context& from, config::Settings settings)
      : global_(from.global_), environment_(from.environment_), console_(from.console_), settings_(std::move(settings)) {}

  const GlobalOptions& global() const { return global_; }
  const config::Environment& environment() const { return environment_; }
  ui::Console& console() { return console_; }

  // Loads the configuration on first use (errors name the file, key and line).
  config::Settings& settings();
  // A new connection to the configured server.
  mysql::Connection connect();
  // The configured encryption keys (encryption.key_file first, then encryption.old_key_files),
  // read on first use; nullptr when none is configured. A key file readable by group or others,
  // or missing, is a usage error naming it.
  crypto::KeyRing* key_ring();
  // The key new backups are encrypted with: encryption.key_file's; nullptr when it is unset
  // (old_key_files alone only read).
  const crypto::Key* writing_key();

 private:
  GlobalOptions global_;
  config::Environment environment_;
  ui::Console& console_;
  std::optional<config::Settings> settings_;
  bool keys_read_ = false;
  std::optional<crypto::KeyRing> keys_;
};


}  // namespace mysqlpitr::commands
