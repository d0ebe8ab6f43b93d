#include "storage/s3_xml.hpp"

#include <charconv>
#include <cstdlib>

#include "core/error.hpp"
#include "storage/s3_url.hpp"

namespace mysqlpitr::storage::s3 {
namespace {

void append_utf8(std::string& out, unsigned long code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

std::string key_text(std::string_view element, bool url_encoded) {
  std::string key = xml_text(element, "Key").value_or("");
  return url_encoded ? uri_decode(key) : key;
}

}  // namespace

std::string xml_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    size_t end = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
    if (end == std::string_view::npos || end - i > 10) {
      out += text[i];
      continue;
    }
    std::string_view entity = text.substr(i + 1, end - i - 1);
    if (entity == "amp") out += '&';
    else if (entity == "lt") out += '<';
    else if (entity == "gt") out += '>';
    else if (entity == "quot") out += '"';
    else if (entity == "apos") out += '\'';
    else if (entity.size() > 1 && entity[0] == '#') {
      bool hex = entity[1] == 'x' || entity[1] == 'X';
      std::string digits(entity.substr(hex ? 2 : 1));
      char* parsed_end = nullptr;
      unsigned long code = std::strtoul(digits.c_str(), &parsed_end, hex ? 16 : 10);
      if (digits.empty() || *parsed_end != '\0' || code > 0x10FFFF) {
        out += text[i];
        continue;
      }
      append_utf8(out, code);
    } else {
      out += text[i];
      continue;
    }
    i = end;
  }
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<std::string_view> xml_elements(std::string_view xml, std::string_view tag) {
  std::string open = "<" + std::string(tag) + ">";
  std::string empty = "<" + std::string(tag) + "/>";
  std::string close = "</" + std::string(tag) + ">";
  std::vector<std::string_view> found;
  size_t at = 0;
  for (;;) {
    size_t begin = xml.find(open, at);
    size_t empty_at = xml.find(empty, at);
    if (empty_at < begin) {
      found.push_back({});
      at = empty_at + empty.size();
      continue;
    }
    if (begin == std::string_view::npos) break;
    begin += open.size();
    size_t end = xml.find(close, begin);
    if (end == std::string_view::npos) throw failure("S3 answer is cut: <{}> is not closed", tag);
    found.push_back(xml.substr(begin, end - begin));
    at = end + close.size();
  }
  return found;
}

std::optional<std::string> xml_text(std::string_view xml, std::string_view tag) {
  auto found = xml_elements(xml, tag);
  if (found.empty()) return std::nullopt;
  return xml_decode(found.front());
}

std::time_t parse_iso8601(std::string_view text) {
  std::tm tm{};
  int year = 0, month = 0;
  auto number = [&](size_t at, size_t width, int& out) {
    return at + width <= text.size() &&
           std::from_chars(text.data() + at, text.data() + at + width, out).ptr == text.data() + at + width;
  };
  if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, tm.tm_mday) || !number(11, 2, tm.tm_hour) ||
      !number(14, 2, tm.tm_min) || !number(17, 2, tm.tm_sec))
    return 0;
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  return ::timegm(&tm);
}

ObjectPage parse_list_objects(std::string_view xml, bool url_encoded) {
  ObjectPage page;
  for (auto element : xml_elements(xml, "Contents")) {
    ListedObject object;
    object.key = key_text(element, url_encoded);
    object.size = std::strtoull(xml_text(element, "Size").value_or("0").c_str(), nullptr, 10);
    object.mtime = parse_iso8601(xml_text(element, "LastModified").value_or(""));
    page.objects.push_back(std::move(object));
  }
  if (xml_text(xml, "IsTruncated").value_or("false") == "true") {
    page.continuation = xml_text(xml, "NextContinuationToken");
    if (!page.continuation || page.continuation->empty())
      throw failure("S3 listing is truncated but names no continuation token");
  }
  return page;
}

UploadPage parse_list_uploads(std::string_view xml, bool url_encoded) {
  UploadPage page;
  for (auto element : xml_elements(xml, "Upload")) {
    ListedUpload upload;
    upload.key = key_text(element, url_encoded);
    upload.upload_id = xml_text(element, "UploadId").value_or("");
    upload.initiated = parse_iso8601(xml_text(element, "Initiated").value_or(""));
    page.uploads.push_back(std::move(upload));
  }
  page.truncated = xml_text(xml, "IsTruncated").value_or("false") == "true";
  page.next_key_marker = xml_text(xml, "NextKeyMarker").value_or("");
  if (url_encoded) page.next_key_marker = uri_decode(page.next_key_marker);
  page.next_upload_id_marker = xml_text(xml, "NextUploadIdMarker").value_or("");
  return page;
}

std::optional<ErrorDocument> parse_error(std::string_view xml) {
  if (xml.find("<Error>") == std::string_view::npos) return std::nullopt;
  return ErrorDocument{xml_text(xml, "Code").value_or(""), xml_text(xml, "Message").value_or("")};
}

}  // namespace mysqlpitr::storage::s3
