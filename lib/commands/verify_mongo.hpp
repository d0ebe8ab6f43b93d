#pragma once
// The `verify` entry for MongoDB dump folders (backup_*/ or any mongodump --out folder).
#include "commands/verify.hpp"

namespace mysqlpitr::commands {

bool accepts_mongo_dump(const io::DirEntry& entry);
VerifyOutcome verify_mongo_dump(Context& context, const io::DirEntry& entry);

}  // namespace mysqlpitr::commands
