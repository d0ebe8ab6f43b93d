// Declaration of `list` (`list binlogs` is declared in cmd_binlogs.cpp).
#include <memory>
#include <string>

#include "cli/declarations.hpp"
#include "commands/list.hpp"
#include "commands/runner.hpp"

namespace mysqlpitr::cli {

void declare_list(CLI::App& root, Builder& builder) {
  auto* list = root.add_subcommand("list", "inventories, newest first, with sizes and dates");
  list->require_subcommand(1);
  struct Kind {
    const char* name;
    const char* description;
  };
  for (Kind kind : {Kind{"backups", "historical and schema dumps (<db>-back_<date>.sql.gz, back-no-data_<date>.sql.gz)"},
                    Kind{"bases", "PITR bases (<db>-back.sql) with the binlog coordinates they start from"},
                    Kind{"databases", "databases on the server, without mysql.exclude"},
                    Kind{"mongo", "MongoDB dump folders (backup_<date>/)"}}) {
    auto options = std::make_shared<commands::ListOptions>();
    options->what = kind.name;
    auto* sub = list->add_subcommand(kind.name, kind.description);
    if (std::string(kind.name) == "backups" || std::string(kind.name) == "bases")
      sub->add_option("--db", options->database, "only this database")->type_name("NAME");
    builder.on_parsed(sub, [options](commands::Context& context) { return commands::run_command(context, commands::list_command(*options)); });
  }
  declare_list_binlogs(list, builder);
}

}  // namespace mysqlpitr::cli
