#include "config/load.hpp"

#include <sys/stat.h>

#include <algorithm>

#include <toml++/toml.h>

#include "config/legacy_env.hpp"
#include "config/value_parse.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/files.hpp"

namespace mysqlpitr::config {
namespace {

std::string where(const std::string& file, const toml::node& node) {
  return fmt::format("{}:{}", file, node.source().begin.line);
}

void assign_toml(const KeyRef& ref, const toml::node& node, const std::string& file) {
  std::string origin = where(file, node);
  std::string name = ref.section + "." + ref.key;
  std::visit(
      [&](auto* setting) {
        using T = std::decay_t<decltype(setting->value)>;
        if constexpr (std::is_same_v<T, std::string>) {
          auto value = node.value<std::string>();
          if (!value) throw usage_error("{}: {} must be a string", origin, name);
          setting->set(*value, origin);
        } else if constexpr (std::is_same_v<T, bool>) {
          auto value = node.value<bool>();
          if (!value) throw usage_error("{}: {} must be true or false", origin, name);
          setting->set(*value, origin);
        } else if constexpr (std::is_same_v<T, ByteSize>) {
          std::optional<ByteSize> size;
          auto bytes = node.value<std::int64_t>();
          if (node.is_integer() && bytes && *bytes >= 0) size = ByteSize{*bytes};
          if (auto text = node.value<std::string>(); node.is_string() && text) size = parse_byte_size(*text);
          if (!size) throw usage_error("{}: {} must be a size: bytes, or a number with KiB, MiB or GiB", origin, name);
          setting->set(*size, origin);
        } else if constexpr (std::is_same_v<T, Duration>) {
          std::optional<Duration> duration;
          auto seconds = node.value<std::int64_t>();
          if (node.is_integer() && seconds && *seconds >= 0) duration = Duration{*seconds};
          if (auto text = node.value<std::string>(); node.is_string() && text) duration = parse_duration(*text);
          if (!duration)
            throw usage_error("{}: {} must be a duration: seconds, or numbers with s, m, h, d or w (\"26h\")", origin,
                              name);
          setting->set(*duration, origin);
        } else if constexpr (std::is_same_v<T, StringList>) {
          const toml::array* array = node.as_array();
          StringList items;
          if (array) {
            for (const auto& item : *array) {
              auto text = item.value<std::string>();
              if (!text) throw usage_error("{}: {} must be a list of strings", origin, name);
              items.push_back(*text);
            }
          } else if (auto text = node.value<std::string>()) {
            // A single string is accepted too, split on '|' as EXCLUDE_DB was.
            for (const auto& part : core::split(*text, '|')) items.push_back(core::trim(part));
          } else {
            throw usage_error("{}: {} must be a list of strings", origin, name);
          }
          setting->set(items, origin);
        } else {
          auto value = node.value<std::int64_t>();
          if (!node.is_integer() || !value) throw usage_error("{}: {} must be a whole number", origin, name);
          setting->set(*value, origin);
        }
      },
      ref.setting);
}

bool holds_secret(Settings& settings) {
  for (const auto& ref : key_table(settings)) {
    if (!ref.secret) continue;
    auto* text = std::get<Setting<std::string>*>(ref.setting);
    if (!text->value.empty() && text->origin.rfind(settings.source_file, 0) == 0) return true;
  }
  return false;
}

void apply_environment(Settings& settings, const Environment& environment) {
  for (const auto& ref : key_table(settings)) {
    std::string name = "MYSQLPITR_" + ref.section + "_" + ref.key;
    for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto found = environment.find(name);
    if (found == environment.end()) continue;
    with_context("environment variable " + name,
                 [&] { assign_from_text(ref, found->second, "environment " + name); });
  }
}

// The AWS tools' own variables, below MYSQLPITR_S3_* (which are applied after them and name
// mysqlpitr's key exactly) and above the file, as every environment override is.
void apply_aws_environment(Settings& settings, const Environment& environment) {
  const std::pair<const char*, Setting<std::string>*> variables[] = {
      {"AWS_ACCESS_KEY_ID", &settings.s3.access_key},
      {"AWS_SECRET_ACCESS_KEY", &settings.s3.secret_key},
  };
  for (const auto& [name, setting] : variables) {
    auto found = environment.find(name);
    if (found != environment.end() && !found->second.empty())
      setting->set(found->second, "environment " + std::string(name));
  }
}

std::string read_secret_file(const std::string& path, const std::string& what) {
  check_secret_file_mode(path, what);
  std::string text = io::read_file(path);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

void read_secret_file_into(Setting<std::string>& secret, const Setting<std::string>& file, const std::string& what) {
  if (secret.value.empty() && !file.value.empty()) secret.set(read_secret_file(file.value, what), file.value);
}

}  // namespace

std::string resolve_config_path(const LoadRequest& request) {
  if (!request.explicit_path.empty()) return request.explicit_path;
  auto from_env = request.environment.find("MYSQLPITR_CONFIG");
  if (from_env != request.environment.end() && !from_env->second.empty()) return from_env->second;
  std::string local = io::join_path(request.working_directory, "mysqlpitr.toml");
  if (io::stat_entry(local)) return local;
  if (io::stat_entry(request.system_path)) return request.system_path;
  return "";
}

void apply_toml(Settings& settings, const std::string& text, const std::string& file_name) {
  toml::table root;
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& error) {
    throw usage_error("{}:{}:{}: {}", file_name, error.source().begin.line, error.source().begin.column,
                      error.description());
  }
  auto table = key_table(settings);
  for (const auto& [section_name, section_node] : root) {
    const toml::table* section = section_node.as_table();
    if (!section)
      throw usage_error(
          "{}: '{}' is not a [section]; expected mysql, paths, backup, pitr, retention, stream, mongo, repository, s3, encryption, monitoring or status",
          where(file_name, section_node), section_name.str());
    for (const auto& [key_name, value] : *section) {
      auto found = std::find_if(table.begin(), table.end(), [&](const KeyRef& ref) {
        return ref.section == section_name.str() && ref.key == key_name.str();
      });
      if (found == table.end())
        throw usage_error("{}: unknown key {}.{}", where(file_name, value), section_name.str(), key_name.str());
      assign_toml(*found, value, file_name);
    }
  }
}

void check_secret_file_mode(const std::string& path, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw usage_error("cannot read {} {}: {}", what, path, errno_text(errno));
  if (st.st_mode & 077)
    throw usage_error("{} {} holds a secret and is readable by group or others; fix it with: chmod 600 {}",
                      what, path, path);
}

void resolve_password_files(Settings& settings) {
  read_secret_file_into(settings.mysql.password, settings.mysql.password_file, "password file");
  read_secret_file_into(settings.mongo.password, settings.mongo.password_file, "password file");
  read_secret_file_into(settings.s3.secret_key, settings.s3.secret_key_file, "secret key file");
}

void apply_command_line(Settings& settings, const std::map<std::string, std::string>& values) {
  for (const auto& ref : key_table(settings)) {
    auto found = values.find(ref.section + "." + ref.key);
    if (found != values.end()) assign_from_text(ref, found->second, "command line");
  }
}

Settings load_settings(const LoadRequest& request) {
  Settings settings;
  std::string path = resolve_config_path(request);
  if (!path.empty()) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) throw usage_error("configuration file {} does not exist", path);
      throw usage_error("configuration file {}: {}", path, errno_text(errno));
    }
    if (S_ISDIR(st.st_mode)) throw usage_error("configuration file {} is a folder: name the file in it", path);
    settings.source_file = path;
    std::string text = with_context("configuration", [&] { return io::read_file(path); });
    if (looks_like_env(path, text)) {
      apply_env(settings, parse_env_text(text, path), path);
    } else {
      apply_toml(settings, text, path);
    }
    if (holds_secret(settings)) check_secret_file_mode(path, "configuration file");
  }
  apply_aws_environment(settings, request.environment);
  apply_environment(settings, request.environment);
  apply_command_line(settings, request.command_line);
  apply_derived_defaults(settings);
  resolve_password_files(settings);
  validate(settings);
  return settings;
}

}  // namespace mysqlpitr::config
