#include "mongo/names.hpp"

#include "mongo/sha1.hpp"

namespace mysqlpitr::mongo {

namespace {
bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string base64url_unpadded(const std::uint8_t* data, std::size_t size) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t bits = 0;
  int pending = 0;
  for (std::size_t i = 0; i < size; ++i) {
    bits = (bits << 8) | data[i];
    pending += 8;
    while (pending >= 6) {
      pending -= 6;
      out += alphabet[(bits >> pending) & 0x3F];
    }
  }
  if (pending > 0) out += alphabet[(bits << (6 - pending)) & 0x3F];
  return out;
}
}  // namespace

std::string query_escape(std::string_view name) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(name.size());
  for (unsigned char c : name) {
    if (is_unreserved(c)) {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

std::optional<std::string> query_unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string collection_file_stem(std::string_view name, std::size_t reserve) {
  std::string escaped = query_escape(name);
  if (escaped.size() <= max_escaped_name - reserve) return escaped;
  auto digest = sha1(name);
  return escaped.substr(0, truncated_prefix - reserve) + "%24" + base64url_unpadded(digest.data(), digest.size());
}

bool is_truncated_stem(std::string_view stem, std::size_t reserve) {
  return stem.size() == max_escaped_name - reserve && stem.find("%24") != std::string_view::npos;
}

bool is_system_database(std::string_view database) {
  return database == "admin" || database == "config" || database == "local";
}

}  // namespace mysqlpitr::mongo
