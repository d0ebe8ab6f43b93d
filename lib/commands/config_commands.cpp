#include "commands/config_commands.hpp"

#include "config/legacy_env.hpp"
#include "io/files.hpp"
#include "ui/table.hpp"

namespace mysqlpitr::commands {

Report run_config_import_env(Context& context, const ConfigImportOptions& options) {
  if (!io::stat_entry(options.env_file)) throw usage_error("{}: no such file", options.env_file);
  auto entries = config::parse_env_text(io::read_file(options.env_file), options.env_file);
  config::Settings imported;
  auto unknown = config::apply_env(imported, entries, options.env_file);
  for (const auto& key : unknown) context.console().warning(fmt::format("{}: {} is not used by mysqlpitr", options.env_file, key));
  std::string toml = config::env_to_toml(entries, options.env_file);
  Report report;
  report.data["toml"] = toml;
  report.data["ignored_keys"] = unknown;
  context.console().result(toml);
  if (!imported.mysql.password.value.empty() || !imported.mongo.password.value.empty())
    context.console().info("the output holds passwords: save it with mode 600 (chmod 600 FILE)");
  return report;
}

Report run_config_show(Context& context, const ConfigShowOptions&) {
  auto& settings = context.settings();
  ui::TextTable table({"KEY", "VALUE", "FROM"});
  Report report;
  for (const auto& key : config::key_table(settings)) {
    std::string name = key.section + "." + key.key;
    std::string value = config::display_value(key);
    std::string origin = std::visit([](auto* s) { return s->origin; }, key.setting);
    table.add({name, value, origin});
    report.data["settings"][name] = {{"value", value}, {"origin", origin}};
  }
  report.data["file"] = settings.source_file;
  context.console().result(table.render());
  return report;
}

}  // namespace mysqlpitr::commands
