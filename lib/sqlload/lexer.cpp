#include "sqlload/lexer.hpp"

namespace mysqlpitr::sqlload {
namespace {

bool is_word_byte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' || u == '$' ||
         u >= 0x80;
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

bool Lexer::next(Token& token) {
  const size_t n = sql_.size();
  while (pos_ < n && is_space(sql_[pos_])) ++pos_;
  if (pos_ >= n) return false;
  const size_t begin = pos_;
  const char c = sql_[pos_];
  token = Token{};
  auto finish = [&](TokenType type) {
    token.type = type;
    token.begin = begin;
    token.end = pos_;
    token.text = sql_.substr(begin, pos_ - begin);
    return true;
  };

  if (c == '\'' || c == '"' || c == '`') {
    bool escapes = c != '`' && !no_backslash_escapes_;
    ++pos_;
    while (pos_ < n) {
      char d = sql_[pos_];
      if (escapes && d == '\\') {
        pos_ += 2;
        continue;
      }
      ++pos_;
      if (d == c) {
        if (pos_ < n && sql_[pos_] == c) {  // doubled quote
          ++pos_;
          continue;
        }
        break;
      }
    }
    if (pos_ > n) pos_ = n;
    return finish(c == '`' ? TokenType::quoted_identifier : TokenType::string);
  }
  if (c == '#' || (c == '-' && pos_ + 1 < n && sql_[pos_ + 1] == '-' &&
                   (pos_ + 2 >= n || static_cast<unsigned char>(sql_[pos_ + 2]) <= ' '))) {
    while (pos_ < n && sql_[pos_] != '\n') ++pos_;
    return finish(TokenType::comment);
  }
  if (c == '/' && pos_ + 1 < n && sql_[pos_ + 1] == '*') {
    size_t marker = pos_ + 2;
    if (marker < n && sql_[marker] == 'M' && marker + 1 < n && sql_[marker + 1] == '!') ++marker;
    if (marker < n && sql_[marker] == '!' && !in_code_) {
      pos_ = marker + 1;
      unsigned long version = 0;
      while (pos_ < n && sql_[pos_] >= '0' && sql_[pos_] <= '9') version = version * 10 + (sql_[pos_++] - '0');
      in_code_ = true;
      finish(TokenType::code_open);
      token.version = version;
      return true;
    }
    size_t close = sql_.find("*/", pos_ + 2);
    pos_ = close == std::string_view::npos ? n : close + 2;
    return finish(TokenType::comment);
  }
  if (c == '*' && in_code_ && pos_ + 1 < n && sql_[pos_ + 1] == '/') {
    pos_ += 2;
    in_code_ = false;
    return finish(TokenType::code_close);
  }
  if (is_word_byte(c)) {
    while (pos_ < n && is_word_byte(sql_[pos_])) ++pos_;
    return finish(TokenType::word);
  }
  ++pos_;
  return finish(TokenType::symbol);
}

std::vector<Token> significant_tokens(std::string_view sql, bool no_backslash_escapes, size_t limit) {
  // Version numbers of 900000 and up are used as "never" (no server has such a version).
  constexpr unsigned long kNever = 900000;
  std::vector<Token> tokens;
  Lexer lexer(sql, no_backslash_escapes);
  Token token;
  bool skipping = false;
  while (tokens.size() < limit && lexer.next(token)) {
    if (token.type == TokenType::code_open) {
      skipping = token.version >= kNever;
      continue;
    }
    if (token.type == TokenType::code_close) {
      skipping = false;
      continue;
    }
    if (skipping || token.type == TokenType::comment) continue;
    tokens.push_back(token);
  }
  return tokens;
}

std::string identifier_value(const Token& token) {
  if (token.type != TokenType::quoted_identifier) return std::string(token.text);
  std::string value;
  std::string_view inner = token.text.substr(1, token.text.size() >= 2 ? token.text.size() - 2 : 0);
  for (size_t i = 0; i < inner.size(); ++i) {
    value += inner[i];
    if (inner[i] == '`' && i + 1 < inner.size() && inner[i + 1] == '`') ++i;
  }
  return value;
}

bool is_keyword(const Token& token, std::string_view keyword) {
  if (token.type != TokenType::word || token.text.size() != keyword.size()) return false;
  for (size_t i = 0; i < keyword.size(); ++i) {
    char c = token.text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != keyword[i]) return false;
  }
  return true;
}

}  // namespace mysqlpitr::sqlload
