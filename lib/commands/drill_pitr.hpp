#pragma once
// `verify --drill --pitr`: proves that the PITR base and the binlogs bring a database back to its
// present state. A consistent snapshot of the live database is taken (the global read lock held
// while the snapshot starts and the binlog position is read, and while non-transactional tables
// are read, as a dump does); every table's
// rows are fingerprinted in it (dump/row_digest.hpp); restore-pitr then restores the database into
// a scratch database up to that very position, without writing to the binary log, and the scratch
// tables are fingerprinted the same way and compared.
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "commands/command.hpp"
#include "dump/row_digest.hpp"

namespace mysqlpitr::commands {

// {"ok", "message", "stop", "tables", "rows"}; the scratch database is left for the caller to drop.
nlohmann::json drill_pitr(Context& context, const std::string& database, const std::string& scratch);

// The base tables of a database (no views, no sequences), each read as the dump reads it, with its
// rows and fingerprint; `connection` in a dump's session (dump::prepare_dump_session).
using TableContents = std::map<std::string, dump::TableContent>;
enum class Tables { all, transactional, non_transactional };
TableContents fingerprint_tables(mysql::Connection& connection, const std::string& database,
                                 Tables which = Tables::all);

}  // namespace mysqlpitr::commands
