#pragma once
// Tokens of one SQL statement, enough to classify it and to rename a database in it without
// touching strings or comments. Version comments (`/*!50003 ... */`, `/*M!100101 ... */`) are code:
// their opening and closing are tokens of their own and their content is lexed like the rest.
#include <string>
#include <string_view>
#include <vector>

namespace mysqlpitr::sqlload {

enum class TokenType {
  word,               // keyword, unquoted identifier or number: [A-Za-z0-9_$] and bytes >= 0x80
  quoted_identifier,  // `...`
  string,             // '...' or "..."
  symbol,             // one other character: . , ( ) = @ ; ...
  comment,            // -- ..., # ..., /* ... */ and /*+ hints */
  code_open,          // /*!NNNNN or /*M!NNNNNN (version in `version`)
  code_close,         // the */ that closes a code_open
};

struct Token {
  TokenType type = TokenType::symbol;
  size_t begin = 0, end = 0;  // byte range in the statement
  std::string_view text;
  unsigned long version = 0;  // code_open only (0 when the comment gives none)
};

class Lexer {
 public:
  explicit Lexer(std::string_view sql, bool no_backslash_escapes = false)
      : sql_(sql), no_backslash_escapes_(no_backslash_escapes) {}
  // The next token (whitespace skipped), false at the end. An unterminated quote or comment ends
  // at the end of the statement.
  bool next(Token& token);

 private:
  std::string_view sql_;
  bool no_backslash_escapes_;
  size_t pos_ = 0;
  bool in_code_ = false;
};

// The tokens the server would parse: comments, version-comment markers and the content of version
// comments no server runs (`/*M!999999\- enable the sandbox mode */` of recent mariadb-dump) left
// out. At most `limit` tokens (classification needs only the first few).
std::vector<Token> significant_tokens(std::string_view sql, bool no_backslash_escapes = false,
                                      size_t limit = static_cast<size_t>(-1));

// The value of an identifier token: `a``b` is a`b; a word is itself.
std::string identifier_value(const Token& token);
// Case-insensitive comparison of a word token with an upper-case keyword.
bool is_keyword(const Token& token, std::string_view keyword);

}  // namespace mysqlpitr::sqlload
