#pragma once
// Splits a stream of SQL text into statements the way the `mysql` command-line client does:
// `;` (or the delimiter set by a `DELIMITER` line) ends a statement unless it is inside a '...',
// "..." or `...` quote or a comment; `-- ` (dash dash whitespace) and `#` comment to the end of
// the line, `/* */` is a comment, while `/*!NNNNN ... */` and `/*M!NNNNNN ... */` are code (the
// server decides whether to run them), so a delimiter inside them still ends the statement, as
// in the client. `USE db` at the start of a statement ends at the end of its line, as the client's
// `use` command does.
//
// Memory is bounded by the read chunk plus the longest statement. Each statement carries its byte
// offset and line in the (decompressed) input, so errors can point into the file.
//
// Departures from the client, on purpose: a backslash inside a `backtick` identifier is an
// ordinary character (the server's rule; the client would treat it as an escape and mis-split a
// table named `a\`), and client commands other than DELIMITER and USE (`\g`, `source`, ...) are not
// recognised: dumps do not contain them.
#include <cstddef>
#include <functional>
#include <string>

namespace mysqlpitr::sqlload {

struct Statement {
  // From the first character that is neither whitespace nor a plain comment to the last such
  // character before the delimiter: comments inside are kept (routine bodies keep theirs), the
  // delimiter is not included.
  std::string text;
  unsigned long long offset = 0;  // byte offset of text[0] in the input
  unsigned long long line = 1;    // line of text[0], counted from 1
  // Ended by a delimiter other than ";" (compound statements: routines, triggers, events), or the
  // statement is a `USE` line: such statements must be sent to the server on their own.
  bool custom_delimiter = false;
};

// Fills up to `size` bytes and returns the count; 0 only at the end of the input.
using ReadFunction = std::function<size_t(char* buffer, size_t size)>;

class Splitter {
 public:
  explicit Splitter(ReadFunction read, size_t chunk_size = 1 << 20);

  // The next statement, or false at the end of the input. Throws mysqlpitr::Error when the input
  // ends inside a quote or a /* comment (a truncated or corrupt file), naming where it started.
  bool next(Statement& out);

  // With NO_BACKSLASH_ESCAPES in the session's sql_mode, a backslash in a string is an ordinary
  // character (the client follows the server's status flag the same way).
  void set_no_backslash_escapes(bool on) noexcept { no_backslash_escapes_ = on; }
  bool no_backslash_escapes() const noexcept { return no_backslash_escapes_; }

  const std::string& delimiter() const noexcept { return delimiter_; }
  // Input bytes consumed so far.
  unsigned long long offset() const noexcept { return base_ + pos_; }

 private:
  bool ensure(size_t count);
  void flush_segment();
  unsigned long long line_at(unsigned long long absolute);
  bool at_delimiter();
  bool try_delimiter_command();
  void start_statement();
  void emit(Statement& out);
  [[noreturn]] void unterminated(const char* what);

  ReadFunction read_;
  size_t chunk_size_;
  std::string buffer_;
  size_t pos_ = 0;                  // next byte to look at, index into buffer_
  unsigned long long base_ = 0;     // input offset of buffer_[0]
  bool eof_ = false;

  std::string delimiter_ = ";";
  bool no_backslash_escapes_ = false;

  // The statement being collected: input bytes [start_, pos) go to current_ as segments.
  bool started_ = false;
  bool use_line_ = false;           // a USE statement: ends at the end of its line too
  unsigned long long start_ = 0;
  unsigned long long start_line_ = 1;
  unsigned long long significant_end_ = 0;  // input offset just after the last significant byte
  size_t segment_ = 0;              // buffer index where the uncopied part of the statement begins
  std::string current_;

  // Where an unterminated construct began, for the error message.
  unsigned long long open_offset_ = 0;

  // Lines are counted lazily: line_ is the line number at input offset line_offset_.
  unsigned long long line_ = 1;
  unsigned long long line_offset_ = 0;
};

}  // namespace mysqlpitr::sqlload
