#include "cli/declarations.hpp"

namespace mysqlpitr::cli {

// The order is the order of `mysqlpitr --help`.
const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> table = {
      {"backup", declare_backup},
      {"list", declare_list},
      {"status", declare_status},
      {"prune", declare_prune},
      {"restore-historical", declare_restore_historical},
      {"restore-pitr", declare_restore_pitr},
      {"rotate-binlogs", declare_rotate_binlogs},
      {"mongo-restore", declare_mongo_restore},
      {"verify", declare_verify},
      {"binlogs", declare_binlogs},
      {"check", declare_check},
      {"config", declare_config},
      {"completion", declare_completion},
  };
  return table;
}

}  // namespace mysqlpitr::cli
