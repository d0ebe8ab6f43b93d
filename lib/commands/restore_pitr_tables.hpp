#pragma once
// Table-level PITR (`restore-pitr --table T ...`): the selected tables are loaded from the base and
// replayed in a scratch database, then each one replaces its live table in one RENAME TABLE, so
// readers see the old table or the restored one, never an empty one; the other tables of the
// database are not touched.
#include <string>
#include <vector>

#include "mysql/connection.hpp"
#include "pitr/statement_filter.hpp"
#include "sqlload/inspect.hpp"

namespace mysqlpitr::commands {

// The scratch database of a table-level restore into `target` (ours by its prefix: a leftover of
// an interrupted run is dropped by the next one).
std::string scratch_database(const std::string& target);

// The name a live table takes for the instant of the swap (then dropped).
std::string swapped_out_name(const std::string& table);

// Plan-time checks (exit 5): every table is defined in the base, has no foreign keys to or from
// other tables (in `database` now), and no swapped-out table is left over in `target` by an
// interrupted run. Returns the tables without duplicates.
std::vector<std::string> check_table_selection(mysql::Connection& connection, const std::vector<std::string>& tables,
                                               const sqlload::DumpInspection& base, const std::string& database,
                                               const std::string& target);

// The triggers and stored routines, as the server has them now, whose
// bodies name a selected table (by a case-insensitive substring: too many is only more refusals)
// or call such a routine; a routine whose body cannot be read counts.
pitr::HiddenWriters hidden_writers(mysql::Connection& connection, const std::vector<std::string>& tables);

struct SwapResult {
  std::vector<std::string> replaced, created, absent;  // absent: did not exist at the stop point
  std::size_t triggers = 0;
};

// Moves each table from `scratch` into `target` (created if missing) with its triggers, then drops
// `scratch`. A table absent from `scratch` (dropped before the stop point) leaves the live one alone.
SwapResult swap_tables(mysql::Connection& connection, const std::string& scratch, const std::string& target,
                       const std::vector<std::string>& tables);

}  // namespace mysqlpitr::commands
