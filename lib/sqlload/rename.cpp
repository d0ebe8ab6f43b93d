#include "sqlload/rename.hpp"

#include <vector>

#include "mysql/connection.hpp"
#include "sqlload/lexer.hpp"

namespace mysqlpitr::sqlload {
namespace {

bool is_identifier(const Token& token) {
  return token.type == TokenType::word || token.type == TokenType::quoted_identifier;
}
bool is_symbol(const std::vector<Token>& t, size_t i, char c) {
  return i < t.size() && t[i].type == TokenType::symbol && t[i].text[0] == c;
}

// Index of the database name in USE / CREATE|DROP|ALTER DATABASE|SCHEMA, or npos.
size_t database_name_index(const std::vector<Token>& t) {
  if (t.empty()) return std::string::npos;
  if (is_keyword(t[0], "USE")) return 1;
  if (!(is_keyword(t[0], "CREATE") || is_keyword(t[0], "DROP") || is_keyword(t[0], "ALTER"))) return std::string::npos;
  if (t.size() < 2 || !(is_keyword(t[1], "DATABASE") || is_keyword(t[1], "SCHEMA"))) return std::string::npos;
  size_t i = 2;
  if (i < t.size() && is_keyword(t[i], "IF")) {
    ++i;
    if (i < t.size() && is_keyword(t[i], "NOT")) ++i;
    if (i < t.size() && is_keyword(t[i], "EXISTS")) ++i;
  }
  return i;
}

}  // namespace

std::string rename_database(std::string_view sql, const Rename& rename, bool no_backslash_escapes) {
  if (!rename.active() || sql.find(rename.from) == std::string_view::npos) return std::string(sql);
  std::vector<Token> t = significant_tokens(sql, no_backslash_escapes);
  const size_t name_index = database_name_index(t);
  const std::string replacement = mysql::quote_identifier(rename.to);
  std::string out;
  size_t copied = 0;
  bool changed = false;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!is_identifier(t[i]) || identifier_value(t[i]) != rename.from) continue;
    bool qualifier = is_symbol(t, i + 1, '.') && !(i > 0 && (is_symbol(t, i - 1, '.') || is_symbol(t, i - 1, '@')));
    if (i != name_index && !qualifier) continue;
    out.append(sql.substr(copied, t[i].begin - copied));
    out += replacement;
    copied = t[i].end;
    changed = true;
  }
  if (!changed) return std::string(sql);
  out.append(sql.substr(copied));
  return out;
}

}  // namespace mysqlpitr::sqlload
