#include "commands/check.hpp"

#include <unistd.h>

#include "commands/binlogs_stream.hpp"
#include "commands/repository.hpp"
#include "core/strings.hpp"
#include "io/files.hpp"
#include "mysql/server_facts.hpp"
#include "storage/probe.hpp"
#include "ui/table.hpp"

namespace mysqlpitr::commands {
namespace {

enum class Status { ok, warn, fail };

struct Item {
  std::string name;
  Status status;
  std::string detail;
  std::string fix;
};

const char* status_name(Status status) {
  return status == Status::ok ? "OK" : status == Status::warn ? "WARN" : "FAIL";
}

// Privileges each command needs on *.* (MariaDB 10.5+ shows REPLICATION CLIENT as BINLOG MONITOR,
// and BINLOG statements need BINLOG REPLAY or SUPER).
struct Need {
  const char* command;
  std::vector<std::vector<const char*>> any_of;  // each inner list: one of these suffices
};
const std::vector<Need>& needs() {
  static const std::vector<Need> table = {
      {"backup", {{"SELECT"}, {"SHOW VIEW"}, {"TRIGGER"}, {"EVENT"}, {"LOCK TABLES"}, {"RELOAD"},
                  {"REPLICATION CLIENT", "BINLOG MONITOR", "SUPER"}}},
      {"rotate-binlogs", {{"RELOAD"}, {"REPLICATION CLIENT", "BINLOG MONITOR", "SUPER"}}},
      {"restore-historical", {{"CREATE"}, {"DROP"}, {"INSERT"}, {"ALTER"}, {"INDEX"}, {"CREATE VIEW"},
                              {"CREATE ROUTINE"}, {"ALTER ROUTINE"}, {"TRIGGER"}, {"EVENT"}}},
      {"restore-pitr", {{"CREATE"}, {"DROP"}, {"INSERT"}, {"UPDATE"}, {"DELETE"}, {"BINLOG REPLAY", "SUPER"}}},
  };
  return table;
}

void check_folder(std::vector<Item>& items, const std::string& key, const std::string& folder, bool optional) {
  if (folder.empty()) {
    if (optional) items.push_back({key, Status::ok, "not set (binlogs are read from the server's datadir)", ""});
    else items.push_back({key, Status::fail, "not set", "set " + key + " in the configuration"});
    return;
  }
  auto entry = io::stat_named(folder);  // a link to a folder (a mount elsewhere) is that folder
  if (!entry && io::stat_entry(folder)) {
    items.push_back({key, Status::fail, folder + " is a link that leads nowhere (its target is missing, or a loop)",
                     "mount or create its target, or point " + key + " at a folder"});
  } else if (!entry) {
    items.push_back({key, Status::fail, folder + " does not exist", "mkdir -p " + folder});
  } else if (entry->type != io::EntryType::directory) {
    items.push_back({key, Status::fail, folder + " is not a folder", "point " + key + " at a folder"});
  } else if (!io::directory_writable(folder)) {
    items.push_back({key, Status::fail, folder + " is not writable by this user",
                     "give this user write access to " + folder});
  } else {
    items.push_back({key, Status::ok, folder, ""});
  }
}

// Only when stream.server_id is set: who does not stream needs neither.
void check_stream(Context& context, mysql::Connection& connection, const std::vector<std::string>& privileges,
                  std::vector<Item>& items) {
  std::vector<std::string> missing;
  if (!mysql::has_privilege(privileges, "REPLICATION SLAVE") && !mysql::has_privilege(privileges, "SUPER"))
    missing.push_back("REPLICATION SLAVE");
  if (!mysql::has_privilege(privileges, "REPLICATION CLIENT") && !mysql::has_privilege(privileges, "BINLOG MONITOR") &&
      !mysql::has_privilege(privileges, "SUPER"))
    missing.push_back("REPLICATION CLIENT");
  if (missing.empty()) items.push_back({"privileges for binlogs stream", Status::ok, "", ""});
  else
    items.push_back({"privileges for binlogs stream", Status::fail, "missing " + core::join(missing, ", "),
                     fmt::format("GRANT {} ON *.* TO '{}'@...", core::join(missing, ", "),
                                 context.settings().mysql.user.value)});
  try {
    auto id = check_stream_server_id(context.settings(), connection);
    items.push_back({"stream.server_id", Status::ok, fmt::format("{}: not the server's, no registered replica's", id), ""});
  } catch (const Error& error) {
    items.push_back({"stream.server_id", Status::fail, error.message(), "set [stream] server_id to a free number"});
  }
}

void check_server(Context& context, std::vector<Item>& items) {
  std::optional<mysql::Connection> connection;
  auto& settings = context.settings();
  try {
    connection.emplace(context.connect());
  } catch (const Error& error) {
    items.push_back({"connection", Status::fail, error.message(),
                     "check [mysql] host/port/socket, user and password (or MYSQLPITR_MYSQL_PASSWORD)"});
    return;
  }
  auto facts = mysql::read_server_facts(*connection);
  items.push_back({"connection", Status::ok,
                   fmt::format("{} as {} ({} {})", connection->options().describe(), settings.mysql.user.value,
                               facts.flavor_name(), facts.version),
                   ""});
  if (facts.log_bin) {
    items.push_back({"log_bin", Status::ok, "ON, basename " + facts.log_bin_basename, ""});
  } else {
    items.push_back({"log_bin", Status::fail, "binary logging is OFF: point-in-time recovery is impossible",
                     "add log-bin = mysql-bin and server-id = 1 under [mysqld] and restart the server"});
  }
  std::string format = core::to_lower(facts.binlog_format);
  if (format == "row" || format == "mixed") {
    items.push_back({"binlog_format", Status::ok, facts.binlog_format, ""});
  } else {
    items.push_back({"binlog_format", Status::warn,
                     facts.binlog_format + ": statements are filtered by what they change; unsafe functions "
                                           "(UUID(), SYSDATE()) do not replay exactly",
                     "binlog_format = ROW (or MIXED) in my.cnf"});
  }
  auto privileges = mysql::global_privileges(*connection);
  for (const auto& need : needs()) {
    std::vector<std::string> missing;
    for (const auto& alternatives : need.any_of) {
      bool found = std::any_of(alternatives.begin(), alternatives.end(),
                               [&](const char* p) { return mysql::has_privilege(privileges, p); });
      if (!found) missing.push_back(alternatives.front());
    }
    if (missing.empty()) {
      items.push_back({std::string("privileges for ") + need.command, Status::ok, "", ""});
    } else {
      items.push_back({std::string("privileges for ") + need.command, Status::fail,
                       "missing " + core::join(missing, ", "),
                       fmt::format("GRANT {} ON *.* TO '{}'@...", core::join(missing, ", "), settings.mysql.user.value)});
    }
  }
  if (settings.stream.server_id.value > 0) check_stream(context, *connection, privileges, items);
  if (facts.log_bin && settings.paths.binlog_archive.value.empty()) {
    std::string folder = io::parent_path(facts.log_bin_basename);
    bool readable = ::access(folder.c_str(), R_OK | X_OK) == 0 &&
                    (facts.log_bin_index.empty() || ::access(facts.log_bin_index.c_str(), R_OK) == 0);
    items.push_back({"binlogs readable", readable ? Status::ok : Status::fail, folder,
                     readable ? "" : "add this user to the mysql group, or set paths.binlog_archive and run rotate-binlogs"});
  }
}

// The bucket answers, the keys are valid and the policy allows each operation a backup needs.
void check_bucket(Context& context, std::vector<Item>& items) {
  auto& settings = context.settings();
  if (!uses_bucket(repository_mode(settings))) return;
  char host[256] = "host";
  ::gethostname(host, sizeof host - 1);
  std::string key = fmt::format(".mysqlpitr-check-{}-{}", host, ::getpid());
  try {
    auto bucket = open_bucket(settings, "");
    storage::probe(*bucket, key);
    items.push_back({"s3 bucket", Status::ok, bucket->describe("") + ": write, read, list, delete", ""});
  } catch (const Error& error) {
    items.push_back({"s3 bucket", Status::fail, error.message(),
                     "check [s3] endpoint, bucket, region and the keys' permissions (s3:PutObject, GetObject, "
                     "ListBucket, DeleteObject, AbortMultipartUpload)"});
  }
}

// The key files can be read and give keys; their ids (never the keys) are shown.
void check_encryption(Context& context, std::vector<Item>& items) {
  const auto& encryption = context.settings().encryption;
  if (encryption.key_file.value.empty() && encryption.old_key_files.value.empty()) {
    items.push_back({"encryption", Status::ok, "off (encryption.key_file not set)", ""});
    return;
  }
  try {
    auto* ring = context.key_ring();
    const auto* writing = context.writing_key();
    std::string detail = writing ? "new backups encrypted with key " + crypto::key_id_text(writing->id())
                                 : "new backups NOT encrypted (only encryption.old_key_files set)";
    items.push_back({"encryption", writing ? Status::ok : Status::warn, detail + "; readable: " + ring->describe(), ""});
  } catch (const Error& error) {
    items.push_back({"encryption", Status::fail, error.message(),
                     "chmod 600 the key file, or make one with: mysqlpitr config new-key FILE"});
  }
}

// What check found: the items in the order they were checked.
class CheckPlan final : public Plan {
 public:
  explicit CheckPlan(std::vector<Item> items) : items_(std::move(items)) {}
  std::string text() const override {
    ui::TextTable table({"STATUS", "ITEM", "DETAIL", "FIX"});
    for (const auto& item : items_) table.add({status_name(item.status), item.name, item.detail, item.fix});
    return table.render();
  }
  nlohmann::json json() const override {
    nlohmann::json data;
    for (const auto& item : items_)
      data["items"].push_back(
          {{"item", item.name}, {"status", status_name(item.status)}, {"detail", item.detail}, {"fix", item.fix}});
    return data;
  }
  std::vector<std::string> problems() const override {
    std::vector<std::string> failed;
    for (const auto& item : items_)
      if (item.status == Status::fail) failed.push_back(item.name + ": " + item.detail);
    return failed;
  }

 private:
  std::vector<Item> items_;
};

CheckPlan plan_check(Context& context) {
  std::vector<Item> items;
  auto& settings = context.settings();
  items.push_back({"configuration", Status::ok,
                   settings.source_file.empty() ? "no file (defaults and environment)" : settings.source_file, ""});
  check_server(context, items);
  check_folder(items, "paths.historical", settings.paths.historical.value, false);
  if (settings.paths.schema.value != settings.paths.historical.value)
    check_folder(items, "paths.schema", settings.paths.schema.value, false);
  check_folder(items, "paths.pitr_base", settings.paths.pitr_base.value, false);
  check_folder(items, "paths.binlog_archive", settings.paths.binlog_archive.value, true);
  check_bucket(context, items);
  check_encryption(context, items);
  return CheckPlan(std::move(items));
}

}  // namespace

Command check_command(const CheckOptions&) { return make_listing<CheckPlan>("check", plan_check); }

}  // namespace mysqlpitr::commands
