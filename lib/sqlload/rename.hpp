#pragma once
// Database renaming for `--into`: the statements that name the database (USE, CREATE / DROP / ALTER
// DATABASE) and every qualified reference `old`.x or old.x in a statement (view, routine,
// trigger and event bodies) get the new name. Token-aware: strings and comments are never
// touched, a column or table that happens to share the database's name is not a qualifier
// (`t`.`old` and @old. stay), and version comments are rewritten like the rest of the code.
//
// Not rewritten (cannot be, without running the code): names built at run time inside strings,
// such as PREPARE stmt FROM 'SELECT * FROM old.t'.
#include <string>
#include <string_view>

namespace mysqlpitr::sqlload {

struct Rename {
  std::string from;
  std::string to;
  bool active() const noexcept { return !from.empty(); }
};

// `sql` with the database renamed; the same text when nothing refers to `rename.from`.
std::string rename_database(std::string_view sql, const Rename& rename, bool no_backslash_escapes = false);

}  // namespace mysqlpitr::sqlload
