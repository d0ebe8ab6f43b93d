#include "commands/context.hpp"

#include <unistd.h>

#include <climits>

#include <fmt/format.h>

namespace mysqlpitr::commands {

config::Settings& Context::settings() {
  if (!settings_) {
    config::LoadRequest request;
    request.explicit_path = global_.config_path;
    request.environment = environment_;
    request.command_line = global_.settings;
    char cwd[PATH_MAX];
    if (::getcwd(cwd, sizeof cwd)) request.working_directory = cwd;
    settings_ = config::load_settings(request);
    console_.detail(settings_->source_file.empty() ? "no configuration file: using defaults and environment"
                                                   : "configuration: " + settings_->source_file);
  }
  return *settings_;
}

crypto::KeyRing* Context::key_ring() {
  if (!keys_read_) {
    const auto& encryption = settings().encryption;
    std::vector<crypto::KeyFile> files;
    auto add = [&](const std::string& path, const char* setting) {
      config::check_secret_file_mode(path, fmt::format("key file ({})", setting));
      files.push_back(crypto::KeyFile::load(path));
    };
    if (!encryption.key_file.value.empty()) add(encryption.key_file.value, "encryption.key_file");
    for (const auto& path : encryption.old_key_files.value) add(path, "encryption.old_key_files");
    if (!files.empty()) keys_.emplace(std::move(files));
    keys_read_ = true;
  }
  return keys_ ? &*keys_ : nullptr;
}

const crypto::Key* Context::writing_key() {
  auto* ring = key_ring();
  if (!ring || settings().encryption.key_file.value.empty()) return nullptr;
  return &ring->key_for_writing();
}

mysql::Connection Context::connect() { return mysql::Connection::open(mysql::options_from_settings(settings())); }

}  // namespace mysqlpitr::commands
