#include "commands/config_commands.hpp"

#include <filesystem>

#include "config/legacy_env.hpp"
#include "crypto/key.hpp"
#include "io/files.hpp"
#include "ui/table.hpp"

namespace mysqlpitr::commands {
namespace {

// The TOML of a legacy .env file, and the keys of it mysqlpitr does not use.
class ImportPlan final : public Plan {
 public:
  std::string toml;
  std::vector<std::string> ignored_keys;
  std::string text() const override { return toml; }
  nlohmann::json json() const override { return {{"toml", toml}, {"ignored_keys", ignored_keys}}; }
};

ImportPlan plan_import_env(Context& context, const ConfigImportOptions& options) {
  if (!io::stat_entry(options.env_file)) throw usage_error("{}: no such file", options.env_file);
  auto entries = config::parse_env_text(io::read_file(options.env_file), options.env_file);
  config::Settings imported;
  ImportPlan plan;
  plan.ignored_keys = config::apply_env(imported, entries, options.env_file);
  for (const auto& key : plan.ignored_keys)
    context.console().warning(fmt::format("{}: {} is not used by mysqlpitr", options.env_file, key));
  plan.toml = config::env_to_toml(entries, options.env_file);
  if (!imported.mysql.password.value.empty() || !imported.mongo.password.value.empty())
    context.console().info("the output holds passwords: save it with mode 600 (chmod 600 FILE)");
  return plan;
}

// Every setting with its value (secrets redacted) and where it came from.
class ShowPlan final : public Plan {
 public:
  ui::TextTable table{{"KEY", "VALUE", "FROM"}};
  nlohmann::json data = nlohmann::json::object();
  std::string text() const override { return table.render(); }
  nlohmann::json json() const override { return data; }
};

ShowPlan plan_config_show(Context& context) {
  auto& settings = context.settings();
  ShowPlan plan;
  for (const auto& key : config::key_table(settings)) {
    std::string name = key.section + "." + key.key;
    std::string value = config::display_value(key);
    std::string origin = std::visit([](auto* s) { return s->origin; }, key.setting);
    plan.table.add({name, value, origin});
    plan.data["settings"][name] = {{"value", value}, {"origin", origin}};
  }
  plan.data["file"] = settings.source_file;
  return plan;
}

// The key file to be written; nothing is read but the folder it goes into.
class NewKeyPlan final : public Plan {
 public:
  std::string key_file;
  std::string text() const override { return fmt::format("write a new random encryption key to {} (mode 600)", key_file); }
  nlohmann::json json() const override { return {{"key_file", key_file}}; }
};

NewKeyPlan plan_new_key(const ConfigNewKeyOptions& options) {
  if (options.key_file.empty()) throw usage_error("config new-key: the key file name is empty");
  if (io::stat_entry(options.key_file))
    throw precondition_error("{} exists: a key file is never replaced (a lost key means lost backups); name a new file",
                             options.key_file);
  std::string folder = io::parent_path(options.key_file);
  std::error_code error;
  if (!std::filesystem::is_directory(folder.empty() ? "." : folder, error))
    throw usage_error("{}: folder {} does not exist", options.key_file, folder);
  NewKeyPlan plan;
  plan.key_file = options.key_file;
  return plan;
}

Report write_new_key(Context& context, const NewKeyPlan& plan) {
  std::string key_id = crypto::write_new_key_file(plan.key_file);
  context.console().info(fmt::format(
      "key {} written to {}; keep a copy off this host: backups encrypted with it cannot be read without it",
      key_id, plan.key_file));
  Report report;
  report.data = {{"key_file", plan.key_file}, {"key_id", key_id}};
  return report;
}

}  // namespace

Command config_new_key_command(const ConfigNewKeyOptions& options) {
  Command command = make_command<NewKeyPlan>(
      "config new-key", false, false, {}, [options](Context&, HeldLocks&) { return plan_new_key(options); },
      write_new_key);
  command.records_result = false;
  command.job = false;
  return command;
}

Command config_import_env_command(const ConfigImportOptions& options) {
  return make_listing<ImportPlan>("config import-env",
                                  [options](Context& context) { return plan_import_env(context, options); });
}

Command config_show_command(const ConfigShowOptions&) { return make_listing<ShowPlan>("config show", plan_config_show); }

}  // namespace mysqlpitr::commands
