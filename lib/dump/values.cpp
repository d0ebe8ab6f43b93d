#include "dump/values.hpp"

#include <mysql.h>

namespace mysqlpitr::dump {
namespace {
constexpr unsigned kBinaryCharset = 63;
constexpr char kHex[] = "0123456789ABCDEF";
}  // namespace

ValueKind classify_column(int field_type, unsigned charset_number, unsigned flags) {
  switch (static_cast<enum_field_types>(field_type)) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
    case MYSQL_TYPE_YEAR:
      return ValueKind::number;
    case MYSQL_TYPE_BIT:
      return ValueKind::bit;
    case MYSQL_TYPE_GEOMETRY:
      return ValueKind::binary;
    case MYSQL_TYPE_JSON:
      return ValueKind::text;  // MySQL reports JSON with the binary charset; its text is utf8mb4
    case MYSQL_TYPE_STRING:
    case MYSQL_TYPE_VAR_STRING:
    case MYSQL_TYPE_VARCHAR:
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB:
      // ENUM and SET arrive as strings with the column's charset; only true binary data is hexed.
      if (charset_number == kBinaryCharset && !(flags & (ENUM_FLAG | SET_FLAG))) return ValueKind::binary;
      return ValueKind::text;
    default:
      return ValueKind::text;  // dates, times, timestamps: quoted as the server printed them
  }
}

void append_escaped(std::string& out, std::string_view text) {
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char* replacement = nullptr;
    switch (text[i]) {
      case '\0': replacement = "\\0"; break;
      case '\n': replacement = "\\n"; break;
      case '\r': replacement = "\\r"; break;
      case '\\': replacement = "\\\\"; break;
      case '\'': replacement = "\\'"; break;
      case '"': replacement = "\\\""; break;
      case '\032': replacement = "\\Z"; break;
      default: continue;
    }
    out.append(text.data() + start, i - start);
    out.append(replacement);
    start = i + 1;
  }
  out.append(text.data() + start, text.size() - start);
}

void append_value(std::string& out, ValueKind kind, std::string_view value, bool is_null) {
  if (is_null) {
    out.append("NULL");
    return;
  }
  switch (kind) {
    case ValueKind::number:
      if (is_non_finite(value)) {
        out.append("NULL");
        return;
      }
      out.append(value);
      return;
    case ValueKind::text:
      out.push_back('\'');
      append_escaped(out, value);
      out.push_back('\'');
      return;
    case ValueKind::binary:
      if (value.empty()) {
        out.append("''");
        return;
      }
      out.append("0x");
      for (unsigned char c : value) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
      }
      return;
    case ValueKind::bit: {
      // The text protocol sends BIT(n) as ceil(n/8) raw bytes; b'' with leading zeros trimmed.
      std::string bits;
      for (unsigned char c : value)
        for (int b = 7; b >= 0; --b) bits.push_back((c >> b) & 1 ? '1' : '0');
      size_t first = bits.find('1');
      out.append("b'");
      out.append(first == std::string::npos ? "0" : bits.substr(first));
      out.push_back('\'');
      return;
    }
  }
}

bool is_non_finite(std::string_view number) {
  for (char c : number)
    if (c == 'i' || c == 'n' || c == 'I' || c == 'N') return true;
  return false;
}

}  // namespace mysqlpitr::dump
