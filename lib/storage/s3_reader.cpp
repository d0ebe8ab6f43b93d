#include "storage/s3_reader.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"

namespace mysqlpitr::storage::s3 {

S3Reader::S3Reader(Client& client, const Location& location, const std::string& key, unsigned long long offset,
                   std::optional<unsigned long long> length)
    : client_(client), url_(location.object_url(location.object_key(key))), name_(location.describe(key)) {
  Response head = client_.perform({.method = "HEAD", .url = url_, .accepted = {404}}, "HEAD " + name_);
  if (head.status == 404) throw failure("{} does not exist", name_);
  etag_ = head.etag;
  if (offset > head.content_length)
    throw failure("{}: offset {} is past its end ({} bytes)", name_, offset, head.content_length);
  begin_ = next_fetch_ = offset;
  end_ = offset + std::min(head.content_length - offset, length.value_or(head.content_length - offset));
  if (next_fetch_ < end_) ahead_ = fetch(next_fetch_);
}

S3Reader::~S3Reader() {
  if (ahead_.valid()) ahead_.wait();
}

std::future<std::string> S3Reader::fetch(unsigned long long from) {
  unsigned long long last = std::min(end_, from + kChunk) - 1;
  next_fetch_ = last + 1;
  return std::async(std::launch::async, [this, from, last] {
    Request request{.method = "GET", .url = url_, .expected_body = last - from + 1, .accepted = {412}};
    request.headers.push_back(fmt::format("Range: bytes={}-{}", from, last));
    if (!etag_.empty()) request.headers.push_back("If-Match: " + etag_);
    Response response = client_.perform(request, fmt::format("GET {} bytes {}-{}", name_, from, last));
    if (response.status == 412) throw failure("{} was replaced while being read", name_);
    return std::move(response.body);
  });
}

size_t S3Reader::read(char* buffer, size_t size) {
  if (chunk_offset_ == chunk_.size()) {
    if (!ahead_.valid()) return 0;
    chunk_ = ahead_.get();
    chunk_offset_ = 0;
    if (next_fetch_ < end_) ahead_ = fetch(next_fetch_);
  }
  size_t count = std::min(size, chunk_.size() - chunk_offset_);
  std::memcpy(buffer, chunk_.data() + chunk_offset_, count);
  chunk_offset_ += count;
  return count;
}

}  // namespace mysqlpitr::storage::s3
