#pragma once
// `restore-pitr --flashback --db NAME [--table T]... --since T | --since-position FILE:POS
// [--stop-datetime T | --stop-position FILE:POS | --stop-gtid GTID | --until-binlog FILE]
// [--skip-conflicts]`: undoes the row changes of the selection logged in the range, newest first,
// without any base (pitr/flashback.hpp). The plan reads the range, refuses (exit 5) what cannot be
// undone, and tries the whole undo in a transaction it rolls back, to list the conflicts.
#include "commands/command.hpp"
#include "commands/restore_pitr.hpp"

namespace mysqlpitr::commands {

Command flashback_command(const RestorePitrOptions& options);

}  // namespace mysqlpitr::commands
