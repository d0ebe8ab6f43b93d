#pragma once
// SQL literals for values read over the text protocol, exact for every column type: the text the
// server sends is already the exact decimal form of numbers; binary data and spatial values are
// written as hex so no byte is reinterpreted by a character set; BIT as b'...'.
#include <string>
#include <string_view>

namespace mysqlpitr::dump {

enum class ValueKind {
  number,  // integers, DECIMAL, FLOAT, DOUBLE, YEAR: the server's text, unquoted
  text,    // character strings, dates and times, JSON, ENUM, SET: quoted and escaped
  binary,  // BINARY, VARBINARY, BLOB, GEOMETRY: 0x hex ('' when empty)
  bit,     // BIT(n): b'0101' from the raw big-endian bytes
};

// Classifies a result column from MYSQL_FIELD's type, character set number and flags.
ValueKind classify_column(int field_type, unsigned charset_number, unsigned flags);

// Appends `value` as a literal of `kind` (NULL when `is_null`).
void append_value(std::string& out, ValueKind kind, std::string_view value, bool is_null);

// Appends `text` escaped for a single-quoted literal, as mysql_real_escape_string does for utf8mb4.
void append_escaped(std::string& out, std::string_view text);

// A FLOAT/DOUBLE as the server printed it may be rounded; true when the text names a special value
// the SQL grammar cannot read back (inf, nan), which is written as NULL with a warning by callers.
bool is_non_finite(std::string_view number);

}  // namespace mysqlpitr::dump
