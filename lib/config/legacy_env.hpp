#pragma once
// The old scripts' `.env` (shell syntax) and its mapping onto settings (CLI.md, LEGACY.md).
#include <string>
#include <vector>

#include "config/settings.hpp"

namespace mysqlpitr::config {

struct EnvEntry {
  std::string key;
  std::string value;
  int line = 0;
};

// KEY=VALUE lines: comments, blank lines, optional `export`, values unquoted, 'single' or "double"
// quoted (with \" \\ \$ \` escapes), an unquoted value's trailing ` # comment` dropped.
std::vector<EnvEntry> parse_env_text(const std::string& text, const std::string& file_name);

// Whether the text is a legacy .env rather than TOML: a `.env` name, or KEY=VALUE lines with
// upper-case keys and no [tables].
bool looks_like_env(const std::string& path, const std::string& text);

// Applies the known legacy keys to `settings`; returns the keys that were not understood.
std::vector<std::string> apply_env(Settings& settings, const std::vector<EnvEntry>& entries,
                                   const std::string& file_name);

// TOML text with exactly the settings the .env sets (for `config import-env`).
std::string env_to_toml(const std::vector<EnvEntry>& entries, const std::string& file_name);

}  // namespace mysqlpitr::config
