#include "sqlload/splitter.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"

namespace mysqlpitr::sqlload {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
// After `--`, the client (and server) want whitespace or a control character for a comment.
bool ends_dash_dash(char c) { return static_cast<unsigned char>(c) <= ' '; }
bool is_quote(char c) { return c == '\'' || c == '"' || c == '`'; }

bool iprefix(std::string_view text, std::string_view word) {
  if (text.size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if ((text[i] | 0x20) != word[i]) return false;
  return true;
}

}  // namespace

Splitter::Splitter(ReadFunction read, size_t chunk_size)
    : read_(std::move(read)), chunk_size_(std::max<size_t>(chunk_size, 16)) {}

unsigned long long Splitter::line_at(unsigned long long absolute) {
  if (absolute > line_offset_) {
    const char* begin = buffer_.data() + (line_offset_ - base_);
    line_ += static_cast<unsigned long long>(std::count(begin, begin + (absolute - line_offset_), '\n'));
    line_offset_ = absolute;
  }
  return line_;
}

void Splitter::flush_segment() {
  if (started_ && pos_ > segment_) current_.append(buffer_, segment_, pos_ - segment_);
  segment_ = pos_;
}

// Makes `count` bytes available from pos_, reading more input; false when the input ends first.
bool Splitter::ensure(size_t count) {
  if (buffer_.size() - pos_ >= count) return true;
  if (eof_) return false;
  flush_segment();
  line_at(base_ + pos_);  // the bytes before pos_ are about to go
  buffer_.erase(0, pos_);
  base_ += pos_;
  pos_ = 0;
  segment_ = 0;
  while (buffer_.size() < count && !eof_) {
    size_t kept = buffer_.size();
    buffer_.resize(kept + chunk_size_);
    size_t got = read_(buffer_.data() + kept, chunk_size_);
    buffer_.resize(kept + got);
    if (got == 0) eof_ = true;
  }
  return buffer_.size() >= count;
}

bool Splitter::at_delimiter() {
  if (buffer_[pos_] != delimiter_[0]) return false;
  if (delimiter_.size() == 1) return true;
  if (!ensure(delimiter_.size())) return false;
  return std::memcmp(buffer_.data() + pos_, delimiter_.data(), delimiter_.size()) == 0;
}

void Splitter::start_statement() {
  started_ = true;
  start_ = base_ + pos_;
  start_line_ = line_at(start_);
  segment_ = pos_;
  current_.clear();
}

void Splitter::unterminated(const char* what) {
  unsigned long long line = line_;
  // open_offset_ is at or after line_offset_ when it was recorded (see callers).
  throw failure("the input ends inside {} that starts at line {} (byte {}): the file is truncated or not SQL",
                what, line, open_offset_);
}

// `DELIMITER xyz` at the start of a statement: the client command that changes the delimiter.
bool Splitter::try_delimiter_command() {
  ensure(10);
  std::string_view rest(buffer_.data() + pos_, buffer_.size() - pos_);
  if (!iprefix(rest, "delimiter") || rest.size() < 10 || (rest[9] != ' ' && rest[9] != '\t')) return false;
  // The whole line is needed.
  size_t line_end;
  for (;;) {
    const char* found = static_cast<const char*>(std::memchr(buffer_.data() + pos_, '\n', buffer_.size() - pos_));
    if (found) {
      line_end = static_cast<size_t>(found - buffer_.data());
      break;
    }
    if (!ensure(buffer_.size() - pos_ + 1)) {
      line_end = buffer_.size();
      break;
    }
  }
  std::string_view line(buffer_.data() + pos_ + 10, line_end - pos_ - 10);
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  std::string value;
  if (i < line.size() && is_quote(line[i])) {
    char quote = line[i++];
    while (i < line.size() && line[i] != quote) value += line[i++];
  } else {
    while (i < line.size() && !is_space(line[i])) value += line[i++];
  }
  if (value.empty())
    throw failure("line {}: DELIMITER must be followed by the new delimiter", line_at(base_ + pos_));
  if (value.find('\\') != std::string::npos)
    throw failure("line {}: DELIMITER cannot contain a backslash", line_at(base_ + pos_));
  delimiter_ = value;
  pos_ = std::min(line_end + 1, buffer_.size());
  return true;
}

void Splitter::emit(Statement& out) {
  flush_segment();
  current_.resize(significant_end_ - start_);
  out.text.swap(current_);
  current_.clear();
  out.offset = start_;
  out.line = start_line_;
  out.custom_delimiter = delimiter_ != ";" || use_line_;
  started_ = false;
  use_line_ = false;
}

bool Splitter::next(Statement& out) {
  for (;;) {
    if (!ensure(1)) {
      if (!started_) return false;
      emit(out);
      return true;
    }
    char c = buffer_[pos_];
    if (!started_) {
      if (is_space(c)) {
        ++pos_;
        continue;
      }
      if ((c == 'd' || c == 'D') && try_delimiter_command()) continue;
    } else if (c == '\n' && use_line_) {
      emit(out);
      ++pos_;
      return true;
    }
    if (at_delimiter()) {
      if (started_) {
        emit(out);
        pos_ += delimiter_.size();
        return true;
      }
      pos_ += delimiter_.size();  // an empty statement: nothing to send
      continue;
    }

    if (is_quote(c)) {
      if (!started_) start_statement();
      open_offset_ = base_ + pos_;
      line_at(open_offset_);
      unsigned long long open_line = line_;
      bool escapes = c != '`' && !no_backslash_escapes_;
      ++pos_;
      for (;;) {
        if (!ensure(1)) {
          line_ = open_line;
          line_offset_ = open_offset_;
          unterminated(c == '`' ? "a `quoted` identifier" : "a quoted string");
        }
        const char* begin = buffer_.data() + pos_;
        const char* end = buffer_.data() + buffer_.size();
        const char* p = begin;
        if (escapes) {
          while (p < end && *p != c && *p != '\\') ++p;
        } else {
          p = static_cast<const char*>(std::memchr(begin, c, static_cast<size_t>(end - begin)));
          if (!p) p = end;
        }
        pos_ += static_cast<size_t>(p - begin);
        if (p == end) continue;
        if (*p == c) {  // closing quote; a doubled quote simply reopens on the next byte
          ++pos_;
          break;
        }
        // Backslash: it and the next byte belong to the string.
        if (!ensure(2)) {
          ++pos_;
          continue;  // reports the unterminated string above
        }
        pos_ += 2;
      }
      significant_end_ = base_ + pos_;
      continue;
    }

    if (c == '-' || c == '#' || c == '/') {
      bool line_comment = c == '#';
      bool block_comment = false;
      if (c == '-') {
        bool have2 = ensure(2);
        if (have2 && buffer_[pos_ + 1] == '-') line_comment = !ensure(3) || ends_dash_dash(buffer_[pos_ + 2]);
      } else if (c == '/') {
        if (ensure(2) && buffer_[pos_ + 1] == '*') {
          // /*! and /*M! are version comments and /*+ optimizer hints: code for the server.
          bool code = ensure(3) && (buffer_[pos_ + 2] == '!' || buffer_[pos_ + 2] == '+' ||
                                    (buffer_[pos_ + 2] == 'M' && ensure(4) && buffer_[pos_ + 3] == '!'));
          block_comment = !code;
        }
      }
      if (line_comment) {
        // To the end of the line; the newline itself is handled as whitespace (it may end a USE).
        for (;;) {
          if (!ensure(1)) break;
          const char* begin = buffer_.data() + pos_;
          const char* nl = static_cast<const char*>(std::memchr(begin, '\n', buffer_.size() - pos_));
          if (nl) {
            pos_ += static_cast<size_t>(nl - begin);
            break;
          }
          pos_ = buffer_.size();
        }
        continue;
      }
      if (block_comment) {
        open_offset_ = base_ + pos_;
        line_at(open_offset_);
        unsigned long long open_line = line_;
        pos_ += 2;
        for (;;) {
          if (!ensure(2)) {
            line_ = open_line;
            line_offset_ = open_offset_;
            unterminated("a /* comment */");
          }
          const char* begin = buffer_.data() + pos_;
          const char* star = static_cast<const char*>(std::memchr(begin, '*', buffer_.size() - pos_ - 1));
          if (!star) {
            pos_ = buffer_.size() - 1;  // the last byte may be a '*' whose '/' has not arrived yet
            continue;
          }
          pos_ += static_cast<size_t>(star - begin);
          if (buffer_[pos_ + 1] == '/') {
            pos_ += 2;
            break;
          }
          ++pos_;
        }
        continue;
      }
    }

    // An ordinary byte, and the run of ordinary bytes after it.
    if (!started_) {
      start_statement();
      if ((c == 'u' || c == 'U') && ensure(4)) {
        std::string_view rest(buffer_.data() + pos_, 4);
        use_line_ = iprefix(rest, "use") && (rest[3] == ' ' || rest[3] == '\t');
      }
    }
    const char first = delimiter_[0];
    const char* data = buffer_.data();
    size_t p = pos_ + 1;
    size_t last = pos_;  // c is not whitespace here (whitespace is handled below)
    bool c_space = is_space(c);
    if (c_space) last = static_cast<size_t>(-1);
    const size_t end = buffer_.size();
    while (p < end) {
      char ch = data[p];
      if (ch == first || is_quote(ch) || ch == '-' || ch == '#' || ch == '/') break;
      if (is_space(ch)) {
        if (ch == '\n' && use_line_) break;
      } else {
        last = p;
      }
      ++p;
    }
    if (last != static_cast<size_t>(-1)) significant_end_ = base_ + last + 1;
    pos_ = p;
  }
}

}  // namespace mysqlpitr::sqlload
