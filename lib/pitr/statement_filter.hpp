#pragma once
// What a logged statement (a binlog Query event) changes, decided from its text and its default
// database, so that PITR of one database applies exactly that database's statements: a statement
// run under `USE shop` that writes `other.t` is skipped, one run under `USE other` that writes
// `shop.t` is applied. Anything that cannot be decided with certainty is `ambiguous` and the
// operator decides (--include-ambiguous), never the filter silently.
#include <string>
#include <string_view>
#include <vector>

namespace mysqlpitr::pitr {

enum class Control { none, begin, commit, rollback, savepoint, xa };

struct TableName {
  std::string database, table;
  bool operator==(const TableName&) const = default;
};

struct StatementInfo {
  Control control = Control::none;
  bool implicit_commit = false;  // DDL and other statements that end a transaction on their own
  bool temporary = false;        // CREATE / DROP TEMPORARY TABLE
  bool global = false;           // users, grants, server objects: no database's data
  bool drops_database = false;   // DROP DATABASE / SCHEMA (the session may lose its default one)
  // CREATE / ALTER / DROP DATABASE naming its database: the server logs it with that database as
  // the default one (for --binlog-do-db), which need not exist when it runs.
  bool names_database = false;
  bool known = true;             // false: `reason` says why the target cannot be decided
  std::vector<std::string> written;  // databases written, default database resolved
  // For table-level PITR: the tables written (views count as tables, routines and events write
  // none). `tables_known` false: which tables of `written` it touches cannot be told (DATABASE
  // statements, DROP TRIGGER...); multi-table UPDATE / DELETE list every table they name.
  std::vector<TableName> written_tables;
  bool tables_known = false;
  // Every `name(` / `db.name(` in the statement (builtins too): the stored functions it may call.
  std::vector<TableName> called;
  std::string reason;
};

StatementInfo analyse_statement(std::string_view sql, std::string_view default_database);

enum class Verdict { apply, skip, ambiguous };
const char* verdict_name(Verdict verdict);

struct Decision {
  Verdict verdict = Verdict::skip;
  std::string reason;
  bool refuse = false;  // ambiguous and not applied even with --include-ambiguous
};

// What writes the selected tables without naming them in a STATEMENT-format event's text: the
// triggers of other tables and stored routines whose bodies name a selected table (ROW-format
// events log those rows as the selected table's own).
struct HiddenWriters {
  std::vector<TableName> triggered;  // tables with such a trigger
  std::vector<TableName> routines;   // such routines (or whose body could not be read)
};

// The verdict for PITR of `database`. Transaction control is `apply` (it follows its transaction).
Decision decide(const StatementInfo& info, std::string_view database);
// The verdict for PITR of `tables` of `database` only: a statement writing one of them and any
// other table, or whose tables cannot be told, is ambiguous. One writing another table whose
// trigger writes a selected one, or calling a routine that may, is refused (`refuse`): replayed in
// the scratch database it could not reproduce those rows, skipped it would lose them.
Decision decide_tables(const StatementInfo& info, std::string_view database, const std::vector<std::string>& tables,
                       const HiddenWriters* hidden = nullptr);

}  // namespace mysqlpitr::pitr
