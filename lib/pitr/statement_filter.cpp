#include "pitr/statement_filter.hpp"

#include <algorithm>
#include <functional>
#include <optional>

#include <fmt/format.h>

#include "core/strings.hpp"
#include "sqlload/lexer.hpp"

namespace mysqlpitr::pitr {
namespace {

using sqlload::is_keyword;
using sqlload::Token;
using sqlload::TokenType;

class Parser {
 public:
  Parser(std::string_view sql, std::string_view default_database)
      : tokens_(sqlload::significant_tokens(sql)), default_(default_database) {}

  bool done() const { return at_ >= tokens_.size(); }
  bool peek(std::string_view keyword, size_t ahead = 0) const {
    return at_ + ahead < tokens_.size() && is_keyword(tokens_[at_ + ahead], keyword);
  }
  bool accept(std::string_view keyword) {
    if (!peek(keyword)) return false;
    ++at_;
    return true;
  }
  bool symbol(char c, size_t ahead = 0) const {
    return at_ + ahead < tokens_.size() && tokens_[at_ + ahead].type == TokenType::symbol &&
           tokens_[at_ + ahead].text.size() == 1 && tokens_[at_ + ahead].text[0] == c;
  }
  bool identifier(size_t ahead = 0) const {
    if (at_ + ahead >= tokens_.size()) return false;
    auto type = tokens_[at_ + ahead].type;
    return type == TokenType::word || type == TokenType::quoted_identifier;
  }
  void skip(size_t count = 1) { at_ = std::min(tokens_.size(), at_ + count); }
  size_t at() const { return at_; }
  void rewind(size_t to) { at_ = to; }
  const Token& token(size_t index) const { return tokens_[index]; }
  size_t size() const { return tokens_.size(); }

  // `name` or `db`.`name`: the database it lives in (the default one when unqualified).
  bool table_reference(std::string& database) {
    if (!identifier()) return false;
    if (symbol('.', 1) && identifier(2)) {
      database = sqlload::identifier_value(tokens_[at_]);
      last_table_ = sqlload::identifier_value(tokens_[at_ + 2]);
      skip(3);
    } else {
      database = std::string(default_);
      last_table_ = sqlload::identifier_value(tokens_[at_]);
      skip(1);
    }
    return true;
  }
  // The table (or object) name of the last table_reference().
  const std::string& last_table() const { return last_table_; }
  // A list of references separated by commas.
  bool reference_list(std::vector<std::string>& out, std::vector<TableName>* tables = nullptr) {
    std::string database;
    if (!table_reference(database)) return false;
    out.push_back(database);
    if (tables) tables->push_back({database, last_table_});
    while (symbol(',')) {
      skip();
      if (!table_reference(database)) return false;
      out.push_back(database);
      if (tables) tables->push_back({database, last_table_});
    }
    return true;
  }
  void if_exists() {
    if (peek("IF") && (peek("EXISTS", 1) || (peek("NOT", 1) && peek("EXISTS", 2)))) skip(peek("NOT", 1) ? 3 : 2);
  }
  // DEFINER = user@host, ALGORITHM = x, SQL SECURITY x, OR REPLACE, AGGREGATE...: clauses
  // between CREATE and the object keyword.
  void skip_create_clauses() {
    for (;;) {
      if (accept("OR")) { accept("REPLACE"); continue; }
      if (peek("DEFINER") || peek("ALGORITHM")) {
        skip();
        if (symbol('=')) skip();
        // user@host or CURRENT_USER[()] or an algorithm name
        skip();
        if (symbol('(')) skip(2);
        if (symbol('@')) skip(2);
        continue;
      }
      if (accept("SQL")) { accept("SECURITY"); skip(); continue; }
      if (accept("AGGREGATE") || accept("UNIQUE") || accept("FULLTEXT") || accept("SPATIAL") || accept("ONLINE") ||
          accept("OFFLINE") || accept("IGNORE"))
        continue;
      return;
    }
  }

 private:
  std::vector<Token> tokens_;
  std::string_view default_;
  size_t at_ = 0;
  std::string last_table_;
};

StatementInfo unknown(std::string reason) {
  StatementInfo info;
  info.known = false;
  info.reason = std::move(reason);
  return info;
}

StatementInfo global(std::string reason) {
  StatementInfo info;
  info.global = true;
  info.implicit_commit = true;
  info.reason = std::move(reason);
  return info;
}

StatementInfo writes(std::vector<std::string> databases, bool implicit_commit) {
  StatementInfo info;
  info.written = std::move(databases);
  info.implicit_commit = implicit_commit;
  return info;
}

StatementInfo writes_tables(std::vector<TableName> tables, bool implicit_commit) {
  std::vector<std::string> databases;
  for (const auto& table : tables) databases.push_back(table.database);
  auto info = writes(std::move(databases), implicit_commit);
  info.written_tables = std::move(tables);
  info.tables_known = true;
  return info;
}

// Every table reference after one of the joining tokens (the statement's first table, commas,
// JOIN) up to `end_keyword`: the tables a multi-table UPDATE or DELETE names.
std::vector<TableName> joined_tables(Parser& p, std::string_view end_keyword) {
  std::vector<TableName> out;
  std::string database;
  bool expect = true;
  while (!p.done() && !p.peek(end_keyword)) {
    if (expect && p.table_reference(database)) {
      out.push_back({database, p.last_table()});
      expect = false;
      continue;
    }
    expect = p.symbol(',') || p.peek("JOIN") || p.peek("STRAIGHT_JOIN") || p.peek("FROM") || p.peek("USING");
    p.skip();
  }
  return out;
}

// A multi-table UPDATE or DELETE within one database: every table it names is listed, since
// which of them it writes depends on its SET list or its target list.
StatementInfo joined_statement(std::vector<TableName> tables, const char* what) {
  auto first = tables.front().database;
  if (!std::all_of(tables.begin(), tables.end(), [&](const TableName& t) { return t.database == first; }))
    return unknown(fmt::format("multi-table {} across databases", what));
  return writes_tables(std::move(tables), false);
}

StatementInfo analyse_insert(Parser& p) {
  while (p.accept("LOW_PRIORITY") || p.accept("DELAYED") || p.accept("HIGH_PRIORITY") || p.accept("IGNORE")) {
  }
  p.accept("INTO");
  std::string database;
  if (!p.table_reference(database)) return unknown("INSERT without a recognisable table");
  return writes_tables({{database, p.last_table()}}, false);
}

StatementInfo analyse_update(Parser& p) {
  while (p.accept("LOW_PRIORITY") || p.accept("IGNORE")) {
  }
  auto tables = joined_tables(p, "SET");
  if (tables.empty()) return unknown("UPDATE without a recognisable table");
  if (tables.size() > 1 && !std::all_of(tables.begin(), tables.end(), [&](const TableName& t) {
        return t.database == tables.front().database;
      }))
    return unknown("multi-table UPDATE across databases (which tables it writes depends on its SET list)");
  return joined_statement(std::move(tables), "UPDATE");
}

StatementInfo analyse_delete(Parser& p) {
  while (p.accept("LOW_PRIORITY") || p.accept("QUICK") || p.accept("IGNORE")) {
  }
  size_t start = p.at();
  if (p.accept("FROM")) {
    std::string database;
    if (!p.table_reference(database)) return unknown("DELETE without a recognisable table");
    if (!p.symbol(',') && !p.peek("USING")) return writes_tables({{database, p.last_table()}}, false);
  }
  p.rewind(start);
  p.accept("FROM");
  auto tables = joined_tables(p, "WHERE");
  if (tables.empty()) return unknown("DELETE without a recognisable table");
  return joined_statement(std::move(tables), "DELETE");
}

// CREATE / ALTER / DROP: the object keyword decides.
StatementInfo analyse_ddl(Parser& p, bool create, std::string_view default_database) {
  if (create) p.skip_create_clauses();
  bool temporary = false;
  if (p.accept("TEMPORARY")) temporary = true;
  while (p.accept("ONLINE") || p.accept("IGNORE")) {
  }
  std::vector<std::string> tables;
  std::string database;
  if (p.accept("DATABASE") || p.accept("SCHEMA")) {
    p.if_exists();
    // ALTER DATABASE without a name goes straight to its options.
    bool named = p.identifier() && !p.peek("DEFAULT") && !p.peek("CHARACTER") && !p.peek("CHARSET") &&
                 !p.peek("COLLATE") && !p.peek("COMMENT") && !p.peek("UPGRADE");
    if (named) {
      database = sqlload::identifier_value(p.token(p.at()));
    } else {
      database = std::string(default_database);  // ALTER DATABASE without a name
    }
    if (database.empty()) return unknown("database statement without a database");
    auto info = writes({database}, true);
    info.names_database = named;
    return info;
  }
  if (p.accept("TABLE") || p.accept("TABLES") || p.accept("VIEW") || p.accept("SEQUENCE")) {
    p.if_exists();
    std::vector<TableName> names;
    if (!p.reference_list(tables, &names)) return unknown("table statement without a recognisable table");
    // ALTER TABLE t RENAME TO other.t moves the table between databases.
    while (!p.done()) {
      if (p.accept("RENAME")) {
        if (!p.accept("TO")) p.accept("AS");
        if (p.table_reference(database)) names.push_back({database, p.last_table()});
        continue;
      }
      p.skip();
    }
    auto info = writes_tables(std::move(names), !temporary);
    info.temporary = temporary;
    return info;
  }
  if (p.accept("INDEX")) {
    p.if_exists();
    p.skip();  // the index name
    if (!p.accept("ON")) return unknown("index statement without ON table");
    if (!p.table_reference(database)) return unknown("index statement without a recognisable table");
    return writes_tables({{database, p.last_table()}}, true);
  }
  if (p.accept("TRIGGER")) {
    p.if_exists();
    if (!p.table_reference(database)) return unknown("trigger statement without a recognisable name");
    // CREATE TRIGGER t BEFORE INSERT ON tbl: the table it belongs to (DROP TRIGGER names none).
    std::string table_database;
    while (!p.done() && !p.accept("ON")) p.skip();
    if (p.done() || !p.table_reference(table_database)) return writes({database}, true);
    return writes_tables({{table_database, p.last_table()}}, true);
  }
  if (p.accept("PROCEDURE") || p.accept("FUNCTION") || p.accept("EVENT") || p.accept("PACKAGE")) {
    p.accept("BODY");
    p.if_exists();
    if (!p.table_reference(database)) return unknown("routine statement without a recognisable name");
    if (p.peek("RETURNS") && create) {
      // CREATE FUNCTION f RETURNS type SONAME 'lib.so': a server-wide UDF, not a stored function.
      for (size_t i = p.at(); i < p.size(); ++i)
        if (is_keyword(p.token(i), "SONAME")) return global("user-defined function (server-wide)");
    }
    auto info = writes({database}, true);
    info.tables_known = true;  // no table: routines and events are not restored with tables
    return info;
  }
  if (p.accept("USER") || p.accept("ROLE") || p.accept("SERVER") || p.accept("LOGFILE") || p.accept("TABLESPACE") ||
      p.accept("RESOURCE") || p.accept("SPATIAL"))
    return global("server-wide object");
  return unknown("unrecognised CREATE/ALTER/DROP statement");
}

StatementInfo analyse(Parser& p, std::string_view default_database) {
  if (p.done()) return global("empty statement");
  if (p.accept("BEGIN") || (p.peek("START") && p.peek("TRANSACTION", 1))) {
    StatementInfo info;
    info.control = Control::begin;
    return info;
  }
  if (p.accept("COMMIT")) {
    StatementInfo info;
    info.control = Control::commit;
    return info;
  }
  if (p.accept("ROLLBACK")) {
    StatementInfo info;
    p.accept("WORK");
    info.control = p.peek("TO") ? Control::savepoint : Control::rollback;
    return info;
  }
  if (p.accept("SAVEPOINT") || p.accept("RELEASE")) {
    StatementInfo info;
    info.control = Control::savepoint;
    return info;
  }
  if (p.accept("XA")) {
    auto info = unknown("XA transaction statement");
    info.control = Control::xa;
    return info;
  }
  if (p.accept("INSERT") || p.accept("REPLACE")) return analyse_insert(p);
  if (p.accept("UPDATE")) return analyse_update(p);
  if (p.accept("DELETE")) return analyse_delete(p);
  if (p.accept("CREATE")) return analyse_ddl(p, true, default_database);
  if (p.accept("ALTER")) return analyse_ddl(p, false, default_database);
  if (p.accept("DROP")) {
    bool database = p.peek("DATABASE") || p.peek("SCHEMA");
    auto info = analyse_ddl(p, false, default_database);
    info.drops_database = database;
    return info;
  }
  if (p.accept("TRUNCATE")) {
    p.accept("TABLE");
    std::string database;
    if (!p.table_reference(database)) return unknown("TRUNCATE without a recognisable table");
    return writes_tables({{database, p.last_table()}}, true);
  }
  if (p.accept("RENAME")) {
    if (p.accept("USER")) return global("RENAME USER");
    p.accept("TABLE");
    p.accept("TABLES");
    std::vector<TableName> tables;
    std::string database;
    while (!p.done()) {
      if (p.accept("TO") || p.accept("WAIT") || p.accept("NOWAIT") || p.accept("IF") || p.accept("EXISTS")) continue;
      if (p.table_reference(database)) tables.push_back({database, p.last_table()});
      else p.skip();
    }
    if (tables.empty()) return unknown("RENAME TABLE without tables");
    return writes_tables(std::move(tables), true);
  }
  if (p.accept("ANALYZE") || p.accept("OPTIMIZE") || p.accept("REPAIR") || p.accept("CHECK")) {
    while (p.accept("NO_WRITE_TO_BINLOG") || p.accept("LOCAL")) {
    }
    p.accept("TABLE");
    p.accept("TABLES");
    std::vector<std::string> tables;
    std::vector<TableName> names;
    if (!p.reference_list(tables, &names)) return unknown("maintenance statement without tables");
    return writes_tables(std::move(names), true);
  }
  if (p.peek("SET") && p.peek("STATEMENT", 1)) {
    // MariaDB SET STATEMENT var=value[, ...] FOR statement: the inner statement decides.
    while (!p.done() && !p.accept("FOR")) p.skip();
    return analyse(p, default_database);
  }
  if (p.accept("GRANT") || p.accept("REVOKE") || p.accept("FLUSH") || p.accept("INSTALL") || p.accept("UNINSTALL") ||
      (p.peek("SET") && (p.peek("PASSWORD", 1) || p.peek("DEFAULT", 1) || p.peek("ROLE", 1))))
    return global("privileges or server administration");
  if (p.accept("LOAD")) return unknown("LOAD DATA (the file is in the binlog's load events; not replayed)");
  if (p.accept("CALL")) return unknown("CALL of a stored procedure (what it writes is decided at run time)");
  if (p.accept("SELECT") || p.accept("DO"))
    return unknown("SELECT/DO logged because it calls a function that writes (which database is not known)");
  return unknown("statement not recognised");
}

}  // namespace

StatementInfo analyse_statement(std::string_view sql, std::string_view default_database) {
  Parser parser(sql, default_database);
  auto info = analyse(parser, default_database);
  for (size_t i = 0; i + 1 < parser.size(); ++i) {
    auto is_name = [&](size_t k) {
      return parser.token(k).type == TokenType::word || parser.token(k).type == TokenType::quoted_identifier;
    };
    auto is_symbol = [&](size_t k, char c) {
      return parser.token(k).type == TokenType::symbol && parser.token(k).text.size() == 1 && parser.token(k).text[0] == c;
    };
    if (!is_name(i) || !is_symbol(i + 1, '(')) continue;
    if (i >= 2 && is_symbol(i - 1, '.') && is_name(i - 2))
      info.called.push_back({sqlload::identifier_value(parser.token(i - 2)), sqlload::identifier_value(parser.token(i))});
    else
      info.called.push_back({std::string(default_database), sqlload::identifier_value(parser.token(i))});
  }
  if (info.known && !info.global && info.control == Control::none) {
    for (const auto& database : info.written)
      if (database.empty()) return unknown("unqualified table with no default database");
  }
  return info;
}

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::apply: return "apply";
    case Verdict::skip: return "skip";
    case Verdict::ambiguous: return "ambiguous";
  }
  return "?";
}

Decision decide(const StatementInfo& info, std::string_view database) {
  if (info.control != Control::none && info.control != Control::xa) return {Verdict::apply, "transaction control"};
  if (!info.known) return {Verdict::ambiguous, info.reason};
  if (info.global) return {Verdict::skip, info.reason};
  auto mine = std::count(info.written.begin(), info.written.end(), std::string(database));
  if (mine == 0) return {Verdict::skip, "writes another database"};
  if (static_cast<size_t>(mine) == info.written.size()) return {Verdict::apply, "writes " + std::string(database)};
  return {Verdict::ambiguous, "writes " + std::string(database) + " and other databases"};
}

namespace {

bool same_routine(const TableName& a, const TableName& b) {
  return a.database == b.database && core::iequals(a.table, b.table);
}

// A statement whose rows on the selected tables are written by a trigger or a routine: neither
// skipped (the rows would be lost) nor replayed in the scratch database (the other table and the
// routine are not there; a table of another database would be written twice).
std::optional<Decision> hidden_write(const StatementInfo& info, const HiddenWriters& hidden,
                                     const std::function<bool(const TableName&)>& selected) {
  auto refused = [](std::string reason) {
    return Decision{Verdict::ambiguous,
                    reason + " (rows not in the statement's text): a table-level restore cannot replay it; restore the "
                             "whole database, or stop before it",
                    true};
  };
  for (const auto& table : info.written_tables) {
    if (selected(table)) continue;
    if (std::find(hidden.triggered.begin(), hidden.triggered.end(), table) != hidden.triggered.end())
      return refused(fmt::format("writes {}.{}, whose trigger writes a selected table", table.database, table.table));
  }
  for (const auto& call : info.called)
    for (const auto& routine : hidden.routines)
      if (same_routine(call, routine))
        return refused(fmt::format("calls {}.{}, a stored routine that may write a selected table", routine.database,
                                   routine.table));
  return std::nullopt;
}

}  // namespace

Decision decide_tables(const StatementInfo& info, std::string_view database, const std::vector<std::string>& tables,
                       const HiddenWriters* hidden) {
  Decision by_database = decide(info, database);
  auto selected = [&](const TableName& name) {
    return name.database == database && std::find(tables.begin(), tables.end(), name.table) != tables.end();
  };
  if (hidden && info.control == Control::none && (info.known || !info.called.empty())) {
    if (auto refused = hidden_write(info, *hidden, selected)) {
      // A statement that writes the selected tables itself and calls a routine is replayed: the
      // routine is not in the scratch database, so the replay stops on it loudly.
      bool writes_selected = std::any_of(info.written_tables.begin(), info.written_tables.end(), selected);
      if (!writes_selected || refused->reason.rfind("writes ", 0) == 0) return *refused;
    }
  }
  if (by_database.verdict != Verdict::apply || info.control != Control::none) return by_database;
  if (!info.tables_known)
    return {Verdict::ambiguous, fmt::format("writes {} but which of its tables cannot be told", database)};
  auto mine = std::count_if(info.written_tables.begin(), info.written_tables.end(), selected);
  if (mine == 0) return {Verdict::skip, "writes other tables"};
  if (static_cast<size_t>(mine) == info.written_tables.size()) return {Verdict::apply, "writes the selected tables"};
  // A multi-table UPDATE / DELETE lists the tables it reads too: which it writes is not told.
  return {Verdict::ambiguous, "names a selected table and other tables"};
}

}  // namespace mysqlpitr::pitr
