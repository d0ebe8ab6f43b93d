#include "config/value_parse.hpp"

#include <charconv>

#include "config/repository_check.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"

namespace mysqlpitr::config {

void assign_from_text(const KeyRef& key, const std::string& text, const std::string& origin) {
  std::visit(
      [&](auto* setting) {
        using T = std::decay_t<decltype(setting->value)>;
        if constexpr (std::is_same_v<T, std::string>) {
          setting->set(text, origin);
        } else if constexpr (std::is_same_v<T, bool>) {
          std::string lower = core::to_lower(core::trim(text));
          if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") setting->set(true, origin);
          else if (lower == "false" || lower == "0" || lower == "no" || lower == "off") setting->set(false, origin);
          else throw usage_error("{}.{} must be true or false, not '{}'", key.section, key.key, text);
        } else if constexpr (std::is_same_v<T, ByteSize>) {
          auto size = parse_byte_size(text);
          if (!size)
            throw usage_error("{}.{} must be a size (bytes, or a number with KiB, MiB or GiB), not '{}'", key.section,
                              key.key, text);
          setting->set(*size, origin);
        } else if constexpr (std::is_same_v<T, Duration>) {
          auto duration = parse_duration(text);
          if (!duration)
            throw usage_error("{}.{} must be a duration (seconds, or numbers with s, m, h, d or w), not '{}'",
                              key.section, key.key, text);
          setting->set(*duration, origin);
        } else if constexpr (std::is_same_v<T, StringList>) {
          StringList items;
          for (const auto& part : core::split(text, ',')) {
            std::string item = core::trim(part);
            if (!item.empty()) items.push_back(item);
          }
          setting->set(items, origin);
        } else {
          std::string trimmed = core::trim(text);
          std::int64_t number = 0;
          auto [end, error] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), number);
          if (error != std::errc() || end != trimmed.data() + trimmed.size() || trimmed.empty())
            throw usage_error("{}.{} must be a whole number, not '{}'", key.section, key.key, text);
          setting->set(number, origin);
        }
      },
      key.setting);
}

void validate(Settings& s) {
  const std::string& compression = s.backup.compression.value;
  if (compression != "gzip" && compression != "zstd" && compression != "none")
    invalid("backup.compression", s.backup.compression, "must be gzip, zstd or none, not '" + compression + "'");
  if (s.backup.jobs.value < 1 || s.backup.jobs.value > 64)
    invalid("backup.jobs", s.backup.jobs, "must be between 1 and 64");
  if (s.backup.level.value < 0 || s.backup.level.value > 19)
    invalid("backup.level", s.backup.level, "must be between 0 and 19");
  if (s.backup.date_format.value.empty()) invalid("backup.date_format", s.backup.date_format, "must not be empty");
  if (s.mysql.port.value < 1 || s.mysql.port.value > 65535) invalid("mysql.port", s.mysql.port, "must be 1-65535");
  if (s.mongo.port.value < 1 || s.mongo.port.value > 65535) invalid("mongo.port", s.mongo.port, "must be 1-65535");
  if (!core::parse_time_of_day(s.pitr.day_start.value))
    invalid("pitr.day_start", s.pitr.day_start, "must be HH:MM or HH:MM:SS, not '" + s.pitr.day_start.value + "'");
  if (s.retention.keep_last.value < 0) invalid("retention.keep_last", s.retention.keep_last, "must not be negative");
  if (s.retention.binlog_days.value < 0)
    invalid("retention.binlog_days", s.retention.binlog_days, "must not be negative");
  if (s.stream.server_id.value < 0 || s.stream.server_id.value > 4294967295LL)
    invalid("stream.server_id", s.stream.server_id, "must be from 1 to 4294967295");
  if (s.stream.sync_interval.value < 0 || s.stream.sync_interval.value > 3600)
    invalid("stream.sync_interval", s.stream.sync_interval, "must be from 0 to 3600 seconds");
  if (s.mysql.connect_timeout.value < 1)
    invalid("mysql.connect_timeout", s.mysql.connect_timeout, "must be at least 1 second");
  const std::string& ssl = s.mysql.ssl_mode.value;
  if (!ssl.empty() && ssl != "disabled" && ssl != "preferred" && ssl != "required" && ssl != "verify_ca" &&
      ssl != "verify_identity")
    invalid("mysql.ssl_mode", s.mysql.ssl_mode,
            "must be disabled, preferred, required, verify_ca or verify_identity");
  const std::pair<const char*, Setting<Duration>*> limits[] = {{"status.max_dump_age", &s.status.max_dump_age},
                                                                {"status.max_base_age", &s.status.max_base_age},
                                                                {"status.max_recovery_point", &s.status.max_recovery_point}};
  for (const auto& [name, limit] : limits)
    if (limit->value.seconds < 1) invalid(name, *limit, "must be at least 1s");
  if (!s.drill.server.value.empty() && !parse_server_address(s.drill.server.value))
    invalid("drill.server", s.drill.server, "must be HOST, HOST:PORT (port 1-65535) or a socket's absolute path");
  validate_repository(s);
}

}  // namespace mysqlpitr::config
