#pragma once
// Typed settings with defaults, each value remembering where it came from (default, a file and
// line, an environment variable, the command line). Keys and defaults follow CLI.md.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config/byte_size.hpp"
#include "config/duration.hpp"

namespace mysqlpitr::config {

template <typename T>
struct Setting {
  T value{};
  std::string origin = "default";
  void set(T new_value, std::string new_origin) {
    value = std::move(new_value);
    origin = std::move(new_origin);
  }
  bool from_default() const { return origin == "default"; }
};

using StringList = std::vector<std::string>;

struct MysqlSettings {
  Setting<std::string> host{"127.0.0.1"};
  Setting<std::int64_t> port{3306};
  Setting<std::string> socket{""};
  Setting<std::string> user{""};
  Setting<std::string> password{""};
  Setting<std::string> password_file{""};
  Setting<StringList> exclude{{"information_schema", "performance_schema", "mysql", "sys"}};
  Setting<std::string> ssl_mode{""};  // "", "disabled", "required", "verify_ca", "verify_identity"
  Setting<std::string> ssl_ca{""};
  Setting<std::string> ssl_cert{""};
  Setting<std::string> ssl_key{""};
  Setting<std::int64_t> connect_timeout{10};
};

struct PathSettings {
  Setting<std::string> historical{"/mnt/backup/mysql"};
  Setting<std::string> schema{"/mnt/backup/mysql"};  // unset: paths.historical (apply_derived_defaults)
  Setting<std::string> pitr_base{"/mnt/backup/mysql/incremental"};
  Setting<std::string> binlog_archive{""};
};

struct BackupSettings {
  Setting<std::string> date_format{"%Y-%m-%d_%H-%M"};
  Setting<std::string> compression{"gzip"};
  Setting<std::int64_t> level{6};
  Setting<std::int64_t> jobs{2};
};

struct PitrSettings {
  Setting<std::string> day_start{"00:00:00"};
};

struct RetentionSettings {
  Setting<std::int64_t> keep_last{1};
  Setting<std::int64_t> binlog_days{7};
};

// `binlogs stream`: the replica's server_id (required, distinct from the server's and from every
// other replica's) and how often the streamed file is fsynced (seconds; 0: after every event).
struct StreamSettings {
  Setting<std::int64_t> server_id{0};
  Setting<std::int64_t> sync_interval{1};
};

struct MongoSettings {
  Setting<std::string> uri{""};
  Setting<std::string> host{"127.0.0.1"};
  Setting<std::int64_t> port{27017};
  Setting<std::string> user{""};
  Setting<std::string> password{""};
  Setting<std::string> password_file{""};
  Setting<std::string> auth_db{"admin"};
  Setting<std::string> backup_dir{"/mnt/backup/mongo"};
  Setting<bool> tls{false};
  Setting<std::string> tls_ca_file{""};
  Setting<std::string> tls_certificate_key_file{""};
  Setting<bool> tls_allow_invalid_certificates{false};
};

// Where backups are kept: "local" (the folders of [paths] and mongo.backup_dir), "s3" (the bucket;
// nothing kept locally beyond a bounded spool) or "both" (local first, then the bucket).
struct RepositorySettings {
  Setting<std::string> mode{"local"};
};

// An S3-compatible bucket. Credentials: access_key + secret_key, or secret_key_file (mode 600),
// or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (which override the file, as MYSQLPITR_* do).
// prefix: a folder of keys ("" or "site/db1", no leading '/', no empty, "." or ".." segment; a
// trailing '/' optional).
struct S3Settings {
  Setting<std::string> endpoint{""};  // http(s)://host[:port], no path, no credentials
  Setting<std::string> bucket{""};
  Setting<std::string> region{"us-east-1"};
  Setting<std::string> prefix{""};
  Setting<std::string> access_key{""};
  Setting<std::string> secret_key{""};
  Setting<std::string> secret_key_file{""};
  Setting<std::string> addressing{"path"};  // "path" (bucket in the path) or "virtual" (in the host name)
  Setting<bool> verify_tls{true};
  Setting<std::string> ca_file{""};
  Setting<ByteSize> part_size{{16 * 1024 * 1024}};  // S3's minimum part is 5 MiB, its maximum 5 GiB
  Setting<std::int64_t> upload_jobs{4};
};

// Job results and the Prometheus textfile (status, and every job's end).
struct MonitoringSettings {
  // Where the runner records each job's last result (job-<name>.json); empty:
  // <paths.historical>/.mysqlpitr-state, beside the backups (a name no legacy glob matches).
  Setting<std::string> state_dir{""};
  // A Prometheus textfile (node_exporter's textfile collector) rewritten at the end of every job.
  Setting<std::string> textfile{""};
};

// Encryption at rest. key_file set: every backup written from then on is encrypted with it (a
// 32-byte key, raw or as 64 hex digits, or a passphrase of at least 12 characters; mode 600).
// old_key_files: keys of earlier rotations, read but never used to write.
struct EncryptionSettings {
  Setting<std::string> key_file{""};
  Setting<StringList> old_key_files{{}};
};

// `status`: beyond a threshold is a warning, beyond twice the threshold critical.
struct StatusSettings {
  Setting<Duration> max_dump_age{{26 * 3600}};       // newest historical dump (and MongoDB dump)
  Setting<Duration> max_base_age{{26 * 3600}};       // newest PITR base
  Setting<Duration> max_recovery_point{{30 * 60}};  // server's newest event - newest archived one
};

// `verify --drill`: the server the scratch databases are restored on. "" is [mysql]'s server;
// otherwise "HOST", "HOST:PORT" or a unix socket's absolute path, reached with [mysql]'s user,
// password and TLS settings.
struct DrillSettings {
  Setting<std::string> server{""};
};

// drill.server read: a socket path, or a host and port.
struct ServerAddress {
  std::string socket;
  std::string host;
  std::int64_t port = 3306;
};
std::optional<ServerAddress> parse_server_address(const std::string& text);

struct Settings {
  MysqlSettings mysql;
  PathSettings paths;
  BackupSettings backup;
  PitrSettings pitr;
  RetentionSettings retention;
  StreamSettings stream;
  MongoSettings mongo;
  RepositorySettings repository;
  S3Settings s3;
  EncryptionSettings encryption;
  MonitoringSettings monitoring;
  StatusSettings status;
  DrillSettings drill;
  std::string source_file;  // the configuration file read, empty when none
};

// One entry of the key table: how a "section.key" maps onto a field.
using SettingRef = std::variant<Setting<std::string>*, Setting<std::int64_t>*, Setting<bool>*, Setting<StringList>*,
                                Setting<ByteSize>*, Setting<Duration>*>;
struct KeyRef {
  std::string section;
  std::string key;
  SettingRef setting;
  bool secret = false;  // printed as <redacted>
};
std::vector<KeyRef> key_table(Settings& settings);

// Defaults that follow another setting, applied once the file and the environment are read:
// paths.schema unset is paths.historical (the old scripts' DIR_DESTINO held both kinds), with the
// origin "default (paths.historical)".
void apply_derived_defaults(Settings& settings);

// The value of a setting as text (lists joined by ", "), secrets redacted.
std::string display_value(const KeyRef& key);

}  // namespace mysqlpitr::config
