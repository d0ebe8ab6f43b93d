#include "storage/s3_writer.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "storage/s3_xml.hpp"

namespace mysqlpitr::storage::s3 {
namespace {
// S3 refuses a multipart upload of more parts.
constexpr unsigned kMaxParts = 10000;
}  // namespace

S3Writer::S3Writer(Client& client, const Location& location, const S3Options& options, const std::string& key)
    : client_(client),
      location_(location),
      object_key_(location.object_key(key)),
      name_(location.describe(key)),
      part_size_(options.part_size),
      jobs_(std::max(1u, options.upload_jobs)) {
  part_.reserve(part_size_);
}

S3Writer::~S3Writer() {
  if (published_) return;
  for (auto& part : in_flight_) {
    try {
      part.get();
    } catch (...) {
      // the upload is being abandoned: its parts' errors no longer matter
    }
  }
  abort_upload();
}

void S3Writer::write(std::string_view data) {
  if (published_) throw failure("{}: write after publish", name_);
  digest_.update(data);
  bytes_ += data.size();
  while (!data.empty()) {
    size_t take = std::min(part_size_ - part_.size(), data.size());
    part_.append(data.data(), take);
    data.remove_prefix(take);
    if (part_.size() == part_size_) send_part();
  }
}

std::optional<Published> S3Writer::publish_if_absent() {
  throw failure("{}: a bucket cannot publish an object only if none is there (no atomic test): nothing was published",
                name_);
}

Published S3Writer::publish() {
  if (published_) throw failure("{}: published twice", name_);
  if (upload_id_.empty()) {
    Request request{.method = "PUT", .url = location_.object_url(object_key_), .body = part_};
    request.headers.push_back("Content-MD5: " + md5_base64(part_));
    client_.perform(request, "PUT " + name_);
  } else {
    if (!part_.empty()) send_part();
    complete();
  }
  published_ = true;
  // The size the server reports is the last word on what was stored.
  Response head = client_.perform({.method = "HEAD", .url = location_.object_url(object_key_)}, "HEAD " + name_);
  if (head.content_length != bytes_) {
    // Not whole: it must not stay under the final key looking like a backup.
    try {
      client_.perform({.method = "DELETE", .url = location_.object_url(object_key_)}, "DELETE " + name_);
    } catch (const Error&) {
      // the error below still fails the run
    }
    throw failure("{} holds {} bytes after the upload, {} were written", name_, head.content_length, bytes_);
  }
  part_ = std::string();
  return {bytes_, digest_.hex_digest()};
}

void S3Writer::start_upload() {
  Request request{.method = "POST", .url = location_.object_url(object_key_, {{"uploads", ""}})};
  Response response = client_.perform(request, "starting the multipart upload of " + name_);
  upload_id_ = xml_text(response.body, "UploadId").value_or("");
  if (upload_id_.empty()) throw failure("starting the multipart upload of {}: the answer names no UploadId", name_);
}

void S3Writer::send_part() {
  if (upload_id_.empty()) start_upload();
  if (next_part_ > kMaxParts)
    throw failure("{} needs more than {} parts of {} bytes: raise part_size", name_, kMaxParts, part_size_);
  while (in_flight_.size() >= jobs_) wait_oldest();
  unsigned number = next_part_++;
  auto part = std::make_shared<std::string>(std::move(part_));
  in_flight_.push_back(std::async(std::launch::async, [this, number, part] { return upload_part(number, *part); }));
  part_ = std::string();
  part_.reserve(part_size_);
}

void S3Writer::wait_oldest() {
  auto oldest = std::move(in_flight_.front());
  in_flight_.pop_front();
  etags_.push_back(oldest.get());  // rethrows a part's failure here, on the caller's thread
}

std::string S3Writer::upload_part(unsigned number, const std::string& part) const {
  Request request{.method = "PUT",
                  .url = location_.object_url(object_key_, {{"partNumber", std::to_string(number)}, {"uploadId", upload_id_}}),
                  .body = part};
  request.headers.push_back("Content-MD5: " + md5_base64(part));
  Response response = client_.perform(request, fmt::format("PUT {} part {}", name_, number));
  if (response.etag.empty()) throw failure("PUT {} part {}: the answer has no ETag", name_, number);
  return response.etag;
}

void S3Writer::complete() {
  while (!in_flight_.empty()) wait_oldest();
  std::string xml = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < etags_.size(); ++i)
    xml += fmt::format("<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>", i + 1, xml_escape(etags_[i]));
  xml += "</CompleteMultipartUpload>";
  Request request{.method = "POST", .url = location_.object_url(object_key_, {{"uploadId", upload_id_}}), .body = xml};
  request.headers.push_back("Content-Type: application/xml");
  client_.perform(request, "completing the multipart upload of " + name_);
  upload_id_.clear();
}

void S3Writer::abort_upload() noexcept {
  if (upload_id_.empty()) return;
  try {
    Request request{.method = "DELETE",
                    .url = location_.object_url(object_key_, {{"uploadId", upload_id_}}),
                    .accepted = {404}};
    client_.perform(request, "aborting the multipart upload of " + name_);
  } catch (...) {
    // Best effort: a stale upload is listed and removed later (Storage::list_unfinished).
  }
  upload_id_.clear();
}

}  // namespace mysqlpitr::storage::s3
