#include "storage/s3_url.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace mysqlpitr::storage::s3 {
namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string trim_slashes(std::string text) {
  while (!text.empty() && text.front() == '/') text.erase(0, 1);
  while (!text.empty() && text.back() == '/') text.pop_back();
  return text;
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    if (unreserved(c) || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string uri_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    int high = -1, low = -1;
    if (text[i] == '%' && i + 2 < text.size() && (high = hex_value(text[i + 1])) >= 0 &&
        (low = hex_value(text[i + 2])) >= 0) {
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string canonical_query(Query query) {
  for (auto& [name, value] : query) {
    name = uri_encode(name, false);
    value = uri_encode(value, false);
  }
  std::sort(query.begin(), query.end());
  std::string out;
  for (const auto& [name, value] : query) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

Location::Location(const S3Options& options) : bucket_(options.bucket), prefix_(trim_slashes(options.prefix)) {
  if (!prefix_.empty()) prefix_ += '/';
  std::string endpoint = options.endpoint;
  if (endpoint.empty()) endpoint = "https://s3." + options.region + ".amazonaws.com";
  size_t scheme_end = endpoint.find("://");
  if (scheme_end == std::string::npos) throw usage_error("S3 endpoint \"{}\" has no http:// or https://", endpoint);
  std::string scheme = endpoint.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https")
    throw usage_error("S3 endpoint \"{}\" is neither http:// nor https://", endpoint);
  std::string host = trim_slashes(endpoint.substr(scheme_end + 3));
  if (host.empty() || host.find_first_of("/?#@") != std::string::npos)
    throw usage_error("S3 endpoint \"{}\" must be scheme://host[:port] only", endpoint);
  base_ = options.path_style ? scheme + "://" + host + "/" + uri_encode(bucket_, false)
                             : scheme + "://" + uri_encode(bucket_, false) + "." + host;
}

std::string Location::object_url(const std::string& object_key, Query query) const {
  std::string url = base_ + "/" + uri_encode(object_key, true);
  if (!query.empty()) url += "?" + canonical_query(std::move(query));
  return url;
}

std::string Location::bucket_url(Query query) const {
  std::string url = base_ + "/";
  if (!query.empty()) url += "?" + canonical_query(std::move(query));
  return url;
}

std::string Location::describe(const std::string& key) const { return "s3://" + bucket_ + "/" + object_key(key); }

}  // namespace mysqlpitr::storage::s3
