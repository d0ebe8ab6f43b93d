#pragma once
// `list backups|bases|databases|mongo`: inventories, newest first, with sizes and dates.
#include <string>

#include "commands/context.hpp"

namespace mysqlpitr::commands {

struct ListOptions {
  std::string what;      // backups, bases, databases, mongo
  std::string database;  // --db: only this database's backups
};

Report run_list(Context& context, const ListOptions& options);

}  // namespace mysqlpitr::commands
