// The s3 driver: objects of an S3-compatible bucket under a key prefix.
#include <algorithm>

#include "core/error.hpp"
#include "storage/key.hpp"
#include "storage/s3_client.hpp"
#include "storage/s3_reader.hpp"
#include "storage/s3_url.hpp"
#include "storage/s3_writer.hpp"
#include "storage/s3_xml.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::storage {
namespace {

using s3::Request;
using s3::Response;

// S3's limits on a part: at least 5 MiB (but the last), at most 5 GiB.
constexpr size_t kMinPart = 5 << 20;
constexpr unsigned long long kMaxPart = 5ull << 30;

// Whether a listing answer is URL-encoded: a server that ignores encoding-type=url (s3rver) sends
// raw keys and no <EncodingType>, and decoding those would corrupt a key holding '%'.
bool url_encoded(std::string_view xml) { return s3::xml_text(xml, "EncodingType").value_or("") == "url"; }

class S3Storage final : public Storage {
 public:
  explicit S3Storage(S3Options options) : options_(std::move(options)), location_(options_), client_(options_) {}

  std::unique_ptr<Writer> create(const std::string& key) override {
    check_key(key);
    return std::make_unique<s3::S3Writer>(client_, location_, options_, key);
  }
  std::unique_ptr<Reader> open(const std::string& key, unsigned long long offset,
                               std::optional<unsigned long long> length) override {
    check_key(key);
    return std::make_unique<s3::S3Reader>(client_, location_, key, offset, length);
  }

  std::vector<ObjectInfo> list(const std::string& prefix) override {
    check_prefix(prefix);
    std::vector<ObjectInfo> objects;
    std::optional<std::string> token;
    do {
      s3::Query query{{"list-type", "2"}, {"prefix", location_.object_key(prefix)}, {"encoding-type", "url"},
                      {"max-keys", std::to_string(options_.list_page)}};
      if (token) query.emplace_back("continuation-token", *token);
      Response response = client_.perform({.method = "GET", .url = location_.bucket_url(query)},
                                          "listing " + location_.describe(prefix));
      auto page = s3::parse_list_objects(response.body, url_encoded(response.body));
      for (auto& object : page.objects) {
        if (object.key.compare(0, location_.prefix().size(), location_.prefix()) != 0) continue;
        objects.push_back({location_.storage_key(object.key), object.size, object.mtime});
      }
      token = page.continuation;
    } while (token);
    std::sort(objects.begin(), objects.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    return objects;
  }

  std::optional<ObjectInfo> stat(const std::string& key) override {
    check_key(key);
    Response response =
        client_.perform({.method = "HEAD", .url = url_of(key), .accepted = {404}}, "HEAD " + describe(key));
    if (response.status == 404) return std::nullopt;
    return ObjectInfo{key, response.content_length, response.last_modified};
  }

  void remove(const std::string& key) override {
    check_key(key);
    client_.perform({.method = "DELETE", .url = url_of(key), .accepted = {404}}, "DELETE " + describe(key));
  }

  std::vector<UnfinishedWrite> list_unfinished(std::chrono::seconds older_than) override {
    std::time_t cutoff = std::time(nullptr) - older_than.count();
    std::vector<UnfinishedWrite> writes;
    std::string key_marker, upload_marker;
    for (;;) {
      s3::Query query{{"uploads", ""}, {"prefix", location_.prefix()}, {"encoding-type", "url"},
                      {"max-uploads", std::to_string(options_.list_page)}};
      if (!key_marker.empty()) query.emplace_back("key-marker", key_marker);
      if (!upload_marker.empty()) query.emplace_back("upload-id-marker", upload_marker);
      Response response = client_.perform({.method = "GET", .url = location_.bucket_url(query), .accepted = {501}},
                                          "listing the multipart uploads under " + location_.describe(""));
      if (response.status == 501)
        throw failure("{}: the S3 server cannot list multipart uploads (ListMultipartUploads is not implemented)",
                      location_.describe(""));
      auto page = s3::parse_list_uploads(response.body, url_encoded(response.body));
      for (auto& upload : page.uploads) {
        if (upload.key.compare(0, location_.prefix().size(), location_.prefix()) != 0) continue;
        if (upload.initiated > cutoff) continue;
        writes.push_back({location_.storage_key(upload.key), upload.upload_id, upload.initiated});
      }
      if (!page.truncated) break;
      if (page.next_key_marker == key_marker && page.next_upload_id_marker == upload_marker)
        throw failure("listing the multipart uploads under {}: the server repeats the same page", location_.describe(""));
      key_marker = page.next_key_marker;
      upload_marker = page.next_upload_id_marker;
    }
    return writes;
  }

  void remove_unfinished(const UnfinishedWrite& write) override {
    check_key(write.key);
    Request request{.method = "DELETE",
                    .url = location_.object_url(location_.object_key(write.key), {{"uploadId", write.id}}),
                    .accepted = {404}};
    client_.perform(request, "aborting the multipart upload of " + describe(write.key));
  }

  std::string describe(const std::string& key) const override { return location_.describe(key); }

 private:
  std::string url_of(const std::string& key) const { return location_.object_url(location_.object_key(key)); }

  S3Options options_;
  s3::Location location_;
  s3::Client client_;
};

}  // namespace

std::unique_ptr<Storage> open_s3(S3Options options) {
  if (options.bucket.empty()) throw usage_error("S3 storage needs a bucket");
  if (options.part_size < kMinPart || options.part_size > kMaxPart)
    throw usage_error("S3 part_size {} is outside 5 MiB to 5 GiB", options.part_size);
  if (options.upload_jobs < 1 || options.upload_jobs > 64)
    throw usage_error("S3 upload_jobs {} is outside 1 to 64", options.upload_jobs);
  if (options.list_page < 1 || options.list_page > 1000) throw usage_error("S3 list_page {} is outside 1 to 1000", options.list_page);
  if (options.access_key.empty() != options.secret_key.empty())
    throw usage_error("S3 access_key and secret_key go together (both, or neither for a public bucket)");
  return std::make_unique<S3Storage>(std::move(options));
}

}  // namespace mysqlpitr::storage
