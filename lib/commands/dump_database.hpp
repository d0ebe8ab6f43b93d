#pragma once
// Which database a dump restores, checked before anything is dropped: a file named for one
// database (by --db, or by its own name) that creates, selects or drops another would replace
// that other one. Shared by restore-historical and restore-pitr's base.
#include <string>

#include "sqlload/inspect.hpp"

namespace mysqlpitr::commands {

// Throws a precondition error (exit 5) naming the file, the databases it holds and `expected` when
// the dump drops, creates or selects any database other than `expected`. A dump naming no database
// at all (mysqldump without --databases) is taken to be of `expected`.
void require_dump_of(const sqlload::DumpInspection& inspection, const std::string& expected);

}  // namespace mysqlpitr::commands
