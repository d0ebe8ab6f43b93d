#include "sqlload/classify.hpp"

#include <vector>

#include "core/strings.hpp"
#include "sqlload/lexer.hpp"

namespace mysqlpitr::sqlload {
namespace {

using Tokens = std::vector<Token>;

bool is_identifier(const Tokens& t, size_t i) {
  return i < t.size() && (t[i].type == TokenType::word || t[i].type == TokenType::quoted_identifier);
}
bool is_symbol(const Tokens& t, size_t i, char c) {
  return i < t.size() && t[i].type == TokenType::symbol && t[i].text[0] == c;
}
bool keyword_at(const Tokens& t, size_t i, std::string_view keyword) { return i < t.size() && is_keyword(t[i], keyword); }

// Skips IF EXISTS / IF NOT EXISTS.
size_t skip_if_exists(const Tokens& t, size_t i) {
  if (!keyword_at(t, i, "IF")) return i;
  ++i;
  if (keyword_at(t, i, "NOT")) ++i;
  if (keyword_at(t, i, "EXISTS")) ++i;
  return i;
}

// [db.]name at i; returns the index after it (i when there is no name).
size_t qualified_name(const Tokens& t, size_t i, std::string& database, std::string& name) {
  if (!is_identifier(t, i)) return i;
  if (is_symbol(t, i + 1, '.') && is_identifier(t, i + 2)) {
    database = identifier_value(t[i]);
    name = identifier_value(t[i + 2]);
    return i + 3;
  }
  name = identifier_value(t[i]);
  return i + 1;
}

// Finds the object keyword of CREATE/DROP/ALTER among the next few tokens (past OR REPLACE,
// ALGORITHM=..., DEFINER=..., SQL SECURITY ..., TEMPORARY, UNIQUE ...).
size_t find_object_keyword(const Tokens& t, size_t i, std::string& keyword) {
  static const char* const kKeywords[] = {"TABLE", "VIEW", "TRIGGER", "PROCEDURE", "FUNCTION", "EVENT", "DATABASE",
                                          "SCHEMA", "INDEX", "SEQUENCE", "PACKAGE"};
  for (size_t j = i; j < t.size() && j < i + 16; ++j) {
    if (t[j].type != TokenType::word) continue;
    for (const char* k : kKeywords) {
      if (is_keyword(t[j], k)) {
        keyword = k;
        return j + 1;
      }
    }
  }
  keyword.clear();
  return t.size();
}

std::optional<bool> sql_mode_backslash(const Tokens& t) {
  // SET [SESSION] sql_mode = 'A,B', @x = ..., @@sql_mode := ...: the last sql_mode assignment wins.
  std::optional<bool> result;
  for (size_t i = 1; i + 1 < t.size(); ++i) {
    if (!is_keyword(t[i], "SQL_MODE")) continue;
    bool user_variable = is_symbol(t, i - 1, '@') && !is_symbol(t, i - 2, '@');
    if (user_variable) continue;
    size_t j = i + 1;
    if (is_symbol(t, j, ':')) ++j;
    if (!is_symbol(t, j, '=')) continue;
    ++j;
    if (j < t.size() && t[j].type == TokenType::string)
      result = core::to_lower(t[j].text).find("no_backslash_escapes") != std::string::npos;
    else
      result = false;  // a variable or DEFAULT: the saved modes of a dump never hold it
  }
  return result;
}

void classify_table_statement(const Tokens& t, size_t i, Classification& c) {
  c.kind = StatementKind::table;
  i = skip_if_exists(t, i);
  std::string database, table;
  size_t after = qualified_name(t, i, database, table);
  if (after == i || is_symbol(t, after, ',')) return;  // no single table named
  c.database = database;
  c.table = table;
}

}  // namespace

const char* kind_name(StatementKind kind) {
  switch (kind) {
    case StatementKind::session: return "session";
    case StatementKind::use: return "use";
    case StatementKind::data: return "data";
    case StatementKind::lock: return "lock";
    case StatementKind::transaction: return "transaction";
    case StatementKind::table: return "table";
    case StatementKind::database: return "database";
    case StatementKind::object: return "object";
    case StatementKind::other: return "other";
  }
  return "other";
}

Classification classify(std::string_view sql, bool no_backslash_escapes) {
  Classification c;
  // Only the head is needed, except for SET and CREATE TABLE (short statements).
  Tokens t = significant_tokens(sql, no_backslash_escapes, 48);
  if (t.empty()) return c;
  const Token& first = t[0];

  if (is_keyword(first, "USE")) {
    c.kind = StatementKind::use;
    if (is_identifier(t, 1)) c.database = identifier_value(t[1]);
    return c;
  }
  if (is_keyword(first, "SET")) {
    // SET STATEMENT var=value FOR <statement>: the statement runs once, with the setting for
    // itself only; it is no session setting to replay on every connection.
    if (keyword_at(t, 1, "STATEMENT")) {
      c.kind = StatementKind::other;
      return c;
    }
    bool global = keyword_at(t, 1, "GLOBAL") || keyword_at(t, 1, "PERSIST") || keyword_at(t, 1, "PASSWORD") ||
                  keyword_at(t, 1, "ROLE") || keyword_at(t, 1, "DEFAULT") ||
                  (is_symbol(t, 1, '@') && is_symbol(t, 2, '@') && keyword_at(t, 3, "GLOBAL"));
    c.kind = global ? StatementKind::other : StatementKind::session;
    if (!global && core::to_lower(sql).find("sql_mode") != std::string::npos)
      c.no_backslash_escapes = sql_mode_backslash(significant_tokens(sql, no_backslash_escapes));
    return c;
  }
  if (is_keyword(first, "INSERT") || is_keyword(first, "REPLACE")) {
    c.kind = StatementKind::data;
    size_t i = 1;
    while (keyword_at(t, i, "LOW_PRIORITY") || keyword_at(t, i, "DELAYED") || keyword_at(t, i, "HIGH_PRIORITY") ||
           keyword_at(t, i, "IGNORE"))
      ++i;
    if (keyword_at(t, i, "INTO")) ++i;
    qualified_name(t, i, c.database, c.table);
    return c;
  }
  if (is_keyword(first, "LOCK") || is_keyword(first, "UNLOCK")) {
    c.kind = StatementKind::lock;
    return c;
  }
  if (is_keyword(first, "COMMIT") || is_keyword(first, "ROLLBACK") ||
      (is_keyword(first, "BEGIN") && t.size() == 1) ||
      (is_keyword(first, "START") && keyword_at(t, 1, "TRANSACTION"))) {
    c.kind = StatementKind::transaction;
    return c;
  }
  if (is_keyword(first, "TRUNCATE")) {
    classify_table_statement(t, keyword_at(t, 1, "TABLE") ? 2 : 1, c);
    return c;
  }
  if (is_keyword(first, "RENAME") && keyword_at(t, 1, "TABLE")) {
    c.kind = StatementKind::table;  // several tables: no single name
    return c;
  }
  bool create = is_keyword(first, "CREATE"), drop = is_keyword(first, "DROP"), alter = is_keyword(first, "ALTER");
  if (!create && !drop && !alter) return c;
  c.create = create;
  c.drop = drop;
  std::string keyword;
  size_t i = find_object_keyword(t, 1, keyword);
  if (keyword == "TABLE" || keyword == "SEQUENCE") {
    classify_table_statement(t, i, c);
    if (alter && t.size() >= 2 && keyword_at(t, t.size() - 1, "KEYS") &&
        (keyword_at(t, t.size() - 2, "DISABLE") || keyword_at(t, t.size() - 2, "ENABLE")))
      c.keys = true;
    if (create) {
      Tokens all = significant_tokens(sql, no_backslash_escapes);
      for (size_t j = 0; j + 1 < all.size(); ++j) {
        if (!is_keyword(all[j], "ENGINE")) continue;
        size_t k = is_symbol(all, j + 1, '=') ? j + 2 : j + 1;
        c.innodb = keyword_at(all, k, "INNODB");
      }
    }
  } else if (keyword == "INDEX") {
    c.kind = StatementKind::table;
    for (size_t j = i; j < t.size(); ++j)
      if (is_keyword(t[j], "ON")) {
        qualified_name(t, j + 1, c.database, c.table);
        break;
      }
  } else if (keyword == "DATABASE" || keyword == "SCHEMA") {
    c.kind = StatementKind::database;
    i = skip_if_exists(t, i);
    bool option = keyword_at(t, i, "CHARACTER") || keyword_at(t, i, "CHARSET") || keyword_at(t, i, "DEFAULT") ||
                  keyword_at(t, i, "COLLATE") || keyword_at(t, i, "COMMENT");
    if (is_identifier(t, i) && !option) c.database = identifier_value(t[i]);
  } else if (!keyword.empty()) {
    c.kind = StatementKind::object;
    c.object = core::to_lower(keyword);
    std::string database;
    size_t after = qualified_name(t, skip_if_exists(t, i), database, c.name);
    // CREATE TRIGGER name {BEFORE|AFTER} event ON table: the table it belongs to.
    if (keyword == "TRIGGER")
      for (size_t j = after; j + 1 < t.size(); ++j)
        if (is_keyword(t[j], "ON")) {
          qualified_name(t, j + 1, c.database, c.table);
          break;
        }
  }
  return c;
}

}  // namespace mysqlpitr::sqlload
