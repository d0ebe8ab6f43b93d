#pragma once
// The few S3 XML answers the driver reads. S3's documents are flat and machine-made, so a tag
// scanner does: elements by name, entities decoded, no namespaces, attributes or CDATA needed.
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mysqlpitr::storage::s3 {

// Text of the first <tag>...</tag> in `xml` (entities decoded); nullopt when absent.
std::optional<std::string> xml_text(std::string_view xml, std::string_view tag);
// Raw contents of every <tag>...</tag> in order.
std::vector<std::string_view> xml_elements(std::string_view xml, std::string_view tag);
std::string xml_decode(std::string_view text);
std::string xml_escape(std::string_view text);

// "2026-12-03T15:13:37.000Z" as a time_t (0 when it cannot be read).
std::time_t parse_iso8601(std::string_view text);

struct ListedObject {
  std::string key;  // the bucket's key, decoded
  unsigned long long size = 0;
  std::time_t mtime = 0;
};
struct ObjectPage {
  std::vector<ListedObject> objects;
  std::optional<std::string> continuation;  // NextContinuationToken of a truncated page
};
// A ListObjectsV2 page; `url_encoded`: the request asked for encoding-type=url.
ObjectPage parse_list_objects(std::string_view xml, bool url_encoded);

struct ListedUpload {
  std::string key;
  std::string upload_id;
  std::time_t initiated = 0;
};
struct UploadPage {
  std::vector<ListedUpload> uploads;
  bool truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};
UploadPage parse_list_uploads(std::string_view xml, bool url_encoded);

// The Code and Message of an <Error> document (both empty when `xml` is none).
struct ErrorDocument {
  std::string code;
  std::string message;
};
std::optional<ErrorDocument> parse_error(std::string_view xml);

}  // namespace mysqlpitr::storage::s3
