#include "config/settings.hpp"

#include "core/strings.hpp"

namespace mysqlpitr::config {

std::vector<KeyRef> key_table(Settings& s) {
  return {
      {"mysql", "host", &s.mysql.host},
      {"mysql", "port", &s.mysql.port},
      {"mysql", "socket", &s.mysql.socket},
      {"mysql", "user", &s.mysql.user},
      {"mysql", "password", &s.mysql.password, true},
      {"mysql", "password_file", &s.mysql.password_file},
      {"mysql", "exclude", &s.mysql.exclude},
      {"mysql", "ssl_mode", &s.mysql.ssl_mode},
      {"mysql", "ssl_ca", &s.mysql.ssl_ca},
      {"mysql", "ssl_cert", &s.mysql.ssl_cert},
      {"mysql", "ssl_key", &s.mysql.ssl_key},
      {"mysql", "connect_timeout", &s.mysql.connect_timeout},
      {"paths", "historical", &s.paths.historical},
      {"paths", "schema", &s.paths.schema},
      {"paths", "pitr_base", &s.paths.pitr_base},
      {"paths", "binlog_archive", &s.paths.binlog_archive},
      {"backup", "date_format", &s.backup.date_format},
      {"backup", "compression", &s.backup.compression},
      {"backup", "level", &s.backup.level},
      {"backup", "jobs", &s.backup.jobs},
      {"pitr", "day_start", &s.pitr.day_start},
      {"retention", "keep_last", &s.retention.keep_last},
      {"retention", "binlog_days", &s.retention.binlog_days},
      {"stream", "server_id", &s.stream.server_id},
      {"stream", "sync_interval", &s.stream.sync_interval},
      {"mongo", "uri", &s.mongo.uri, true},  // a URI may embed the password
      {"mongo", "host", &s.mongo.host},
      {"mongo", "port", &s.mongo.port},
      {"mongo", "user", &s.mongo.user},
      {"mongo", "password", &s.mongo.password, true},
      {"mongo", "password_file", &s.mongo.password_file},
      {"mongo", "auth_db", &s.mongo.auth_db},
      {"mongo", "backup_dir", &s.mongo.backup_dir},
      {"mongo", "tls", &s.mongo.tls},
      {"mongo", "tls_ca_file", &s.mongo.tls_ca_file},
      {"mongo", "tls_certificate_key_file", &s.mongo.tls_certificate_key_file},
      {"mongo", "tls_allow_invalid_certificates", &s.mongo.tls_allow_invalid_certificates},
      {"repository", "mode", &s.repository.mode},
      {"s3", "endpoint", &s.s3.endpoint},
      {"s3", "bucket", &s.s3.bucket},
      {"s3", "region", &s.s3.region},
      {"s3", "prefix", &s.s3.prefix},
      {"s3", "access_key", &s.s3.access_key},
      {"s3", "secret_key", &s.s3.secret_key, true},
      {"s3", "secret_key_file", &s.s3.secret_key_file},
      {"s3", "addressing", &s.s3.addressing},
      {"s3", "verify_tls", &s.s3.verify_tls},
      {"s3", "ca_file", &s.s3.ca_file},
      {"s3", "part_size", &s.s3.part_size},
      {"s3", "upload_jobs", &s.s3.upload_jobs},
      {"encryption", "key_file", &s.encryption.key_file},
      {"encryption", "old_key_files", &s.encryption.old_key_files},
      {"monitoring", "state_dir", &s.monitoring.state_dir},
      {"monitoring", "textfile", &s.monitoring.textfile},
      {"status", "max_dump_age", &s.status.max_dump_age},
      {"status", "max_base_age", &s.status.max_base_age},
      {"status", "max_recovery_point", &s.status.max_recovery_point},
      {"drill", "server", &s.drill.server},
  };
}

std::optional<ServerAddress> parse_server_address(const std::string& text) {
  ServerAddress address;
  if (text.starts_with("/")) {
    address.socket = text;
    return address;
  }
  std::string port;
  auto colon = text.rfind(':');
  address.host = text.substr(0, colon);
  if (colon != std::string::npos) port = text.substr(colon + 1);
  bool host_ok = !address.host.empty() && address.host.find_first_of(" \t/:") == std::string::npos;
  if (!host_ok || (colon != std::string::npos && (port.empty() || port.size() > 5 ||
                                                  port.find_first_not_of("0123456789") != std::string::npos)))
    return std::nullopt;
  if (!port.empty()) address.port = std::stoll(port);
  if (address.port < 1 || address.port > 65535) return std::nullopt;
  return address;
}

void apply_derived_defaults(Settings& settings) {
  if (settings.paths.schema.from_default())
    settings.paths.schema.set(settings.paths.historical.value, "default (paths.historical)");
}

std::string display_value(const KeyRef& key) {
  return std::visit(
      [&](auto* setting) -> std::string {
        using T = std::decay_t<decltype(setting->value)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (key.secret && !setting->value.empty()) return "<redacted>";
          return setting->value;
        } else if constexpr (std::is_same_v<T, bool>) {
          return setting->value ? "true" : "false";
        } else if constexpr (std::is_same_v<T, StringList>) {
          return core::join(setting->value, ", ");
        } else if constexpr (std::is_same_v<T, ByteSize>) {
          return format_byte_size(setting->value);
        } else if constexpr (std::is_same_v<T, Duration>) {
          return format_duration(setting->value);
        } else {
          return std::to_string(setting->value);
        }
      },
      key.setting);
}

}  // namespace mysqlpitr::config
