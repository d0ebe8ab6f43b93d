#include "config/legacy_env.hpp"

#include <regex>
#include <sstream>
#include <toml++/toml.h>

#include "config/value_parse.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/files.hpp"

namespace mysqlpitr::config {
namespace {

struct LegacyKey {
  const char* name;
  std::vector<std::pair<const char*, const char*>> targets;  // section, key
};

const std::vector<LegacyKey>& legacy_keys() {
  static const std::vector<LegacyKey> keys = {
      {"MYSQL_USER", {{"mysql", "user"}}},
      {"MYSQL_PASS", {{"mysql", "password"}}},
      {"MYSQL_HOST", {{"mysql", "host"}}},
      {"EXCLUDE_DB", {{"mysql", "exclude"}}},
      {"DIR_DESTINO", {{"paths", "historical"}, {"paths", "schema"}}},
      {"DIR_DESTINO_INC", {{"paths", "pitr_base"}}},
      {"BINLOG_BACKUP_DIR", {{"paths", "binlog_archive"}}},
      {"FECHA_FORMAT", {{"backup", "date_format"}}},
      {"HORA_INICIO", {{"pitr", "day_start"}}},
      {"HOST", {{"mongo", "host"}}},
      {"PUERTO", {{"mongo", "port"}}},
      {"USUARIO", {{"mongo", "user"}}},
      {"CONTRASENA", {{"mongo", "password"}}},
      {"AUTH_DB", {{"mongo", "auth_db"}}},
      {"DESTINO", {{"mongo", "backup_dir"}}},
  };
  return keys;
}

const LegacyKey* find_legacy(const std::string& name) {
  for (const auto& key : legacy_keys())
    if (name == key.name) return &key;
  return nullptr;
}

// EXCLUDE_DB is split on '|' (the old scripts' separator).
std::string normalise_value(const std::string& legacy_name, const std::string& value) {
  if (legacy_name == "EXCLUDE_DB") return core::join(core::split(value, '|'), ",");
  return value;
}

std::string parse_double_quoted(const std::string& text, size_t& pos, const std::string& where) {
  std::string out;
  ++pos;
  while (pos < text.size() && text[pos] != '"') {
    if (text[pos] == '\\' && pos + 1 < text.size() && std::string("\"\\$`").find(text[pos + 1]) != std::string::npos) {
      out += text[pos + 1];
      pos += 2;
    } else {
      out += text[pos++];
    }
  }
  if (pos >= text.size()) throw usage_error("{}: unterminated double quote", where);
  ++pos;
  return out;
}

}  // namespace

std::vector<EnvEntry> parse_env_text(const std::string& text, const std::string& file_name) {
  static const std::regex assignment(R"(^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$)");
  std::vector<EnvEntry> entries;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string trimmed = core::trim(line);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    std::smatch match;
    std::string where = fmt::format("{}:{}", file_name, number);
    if (!std::regex_match(line, match, assignment))
      throw usage_error("{}: not a KEY=VALUE line: {}", where, trimmed);
    std::string raw = match[2].str();
    std::string value;
    size_t pos = 0;
    // A value may join quoted and unquoted pieces, as in the shell: A="x y"z.
    while (pos < raw.size() && raw[pos] != ' ' && raw[pos] != '\t') {
      if (raw[pos] == '"') {
        value += parse_double_quoted(raw, pos, where);
      } else if (raw[pos] == '\'') {
        size_t close = raw.find('\'', pos + 1);
        if (close == std::string::npos) throw usage_error("{}: unterminated single quote", where);
        value += raw.substr(pos + 1, close - pos - 1);
        pos = close + 1;
      } else {
        value += raw[pos++];
      }
    }
    std::string rest = core::trim(std::string_view(raw).substr(pos));
    if (!rest.empty() && rest[0] != '#')
      throw usage_error("{}: unexpected text after the value of {}: {} (quote values that hold spaces)",
                        where, match[1].str(), rest);
    entries.push_back({match[1].str(), value, number});
  }
  return entries;
}

bool looks_like_env(const std::string& path, const std::string& text) {
  std::string name = io::base_name(path);
  if (name == ".env" || (name.size() > 4 && name.ends_with(".env"))) return true;
  static const std::regex env_line(R"(^\s*(export\s+)?[A-Z_][A-Z0-9_]*=.*$)");
  std::istringstream lines(text);
  std::string line;
  bool any = false;
  while (std::getline(lines, line)) {
    std::string trimmed = core::trim(line);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    if (trimmed[0] == '[') return false;
    if (!std::regex_match(trimmed, env_line)) return false;
    any = true;
  }
  return any;
}

std::vector<std::string> apply_env(Settings& settings, const std::vector<EnvEntry>& entries,
                                   const std::string& file_name) {
  std::vector<std::string> unknown;
  auto table = key_table(settings);
  for (const auto& entry : entries) {
    const LegacyKey* legacy = find_legacy(entry.key);
    if (!legacy) {
      unknown.push_back(entry.key);
      continue;
    }
    for (const auto& [section, key] : legacy->targets) {
      for (auto& ref : table) {
        if (ref.section != section || ref.key != key) continue;
        std::string origin = fmt::format("{}:{} ({})", file_name, entry.line, entry.key);
        with_context(origin, [&] { assign_from_text(ref, normalise_value(entry.key, entry.value), origin); });
      }
    }
  }
  return unknown;
}

std::string env_to_toml(const std::vector<EnvEntry>& entries, const std::string& file_name) {
  Settings settings;
  apply_env(settings, entries, file_name);
  toml::table root;
  for (auto& ref : key_table(settings)) {
    bool from_file = std::visit([](auto* s) { return !s->from_default(); }, ref.setting);
    if (!from_file) continue;
    if (!root.contains(ref.section)) root.insert(ref.section, toml::table{});
    toml::table& section = *root[ref.section].as_table();
    std::visit(
        [&](auto* s) {
          using T = std::decay_t<decltype(s->value)>;
          if constexpr (std::is_same_v<T, StringList>) {
            toml::array array;
            for (const auto& item : s->value) array.push_back(item);
            section.insert(ref.key, array);
          } else if constexpr (std::is_same_v<T, ByteSize>) {
            section.insert(ref.key, format_byte_size(s->value));
          } else if constexpr (std::is_same_v<T, Duration>) {
            section.insert(ref.key, format_duration(s->value));
          } else {
            section.insert(ref.key, s->value);
          }
        },
        ref.setting);
  }
  std::ostringstream out;
  out << "# Imported from " << file_name << "\n";
  // Sections in the documented order, not toml++'s alphabetical one.
  for (const char* name : {"mysql", "paths", "backup", "pitr", "retention", "mongo"}) {
    if (!root.contains(name)) continue;
    out << "\n[" << name << "]\n" << *root[name].as_table() << "\n";
  }
  return out.str();
}

}  // namespace mysqlpitr::config
