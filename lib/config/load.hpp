#pragma once
// Building the settings: defaults, then the configuration file (TOML or legacy .env), then
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, then MYSQLPITR_<SECTION>_<KEY> environment
// variables. Command-line values are applied by the commands afterwards (origin "command line"),
// completing the precedence of CLI.md.
#include <map>
#include <string>

#include "config/settings.hpp"

namespace mysqlpitr::config {

using Environment = std::map<std::string, std::string>;

struct LoadRequest {
  std::string explicit_path;  // -c/--config; empty: $MYSQLPITR_CONFIG, ./mysqlpitr.toml, /etc/...
  Environment environment;
  std::string working_directory = ".";
  std::string system_path = "/etc/mysqlpitr/mysqlpitr.toml";
};

// Which file would be read (empty when none exists and none was asked for).
std::string resolve_config_path(const LoadRequest& request);

Settings load_settings(const LoadRequest& request);

// Parses TOML text into settings; errors name the file, the key and the line.
void apply_toml(Settings& settings, const std::string& text, const std::string& file_name);

// Reads mysql.password_file / mongo.password_file / s3.secret_key_file when the secret itself is
// not set.
void resolve_password_files(Settings& settings);

// Refuses (exit 2, with the chmod that fixes it) a file holding a secret readable by group/others.
void check_secret_file_mode(const std::string& path, const std::string& what);

}  // namespace mysqlpitr::config
