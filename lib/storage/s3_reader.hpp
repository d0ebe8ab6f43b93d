#pragma once
// Reading an object (or a byte range of it) as a stream: ranged GETs of a bounded chunk each, the
// next chunk fetched while the caller consumes the current one. Each chunk is its own request, so a
// connection cut mid-body costs one chunk's retry, not the whole object; If-Match on the ETag seen
// when opening makes an object replaced while being read an error instead of a mix of two objects.
#include <future>
#include <optional>
#include <string>

#include "storage/s3_client.hpp"
#include "storage/s3_url.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::storage::s3 {

class S3Reader final : public Reader {
 public:
  static constexpr unsigned long long kChunk = 8 << 20;

  S3Reader(Client& client, const Location& location, const std::string& key, unsigned long long offset,
           std::optional<unsigned long long> length);
  ~S3Reader() override;

  size_t read(char* buffer, size_t size) override;
  unsigned long long size() const override { return end_ - begin_; }
  std::string version() const override { return etag_; }

 private:
  std::future<std::string> fetch(unsigned long long from);

  Client& client_;
  std::string url_;
  std::string name_;
  std::string etag_;
  unsigned long long begin_ = 0, end_ = 0;
  unsigned long long next_fetch_ = 0;  // where the next chunk to fetch starts
  std::string chunk_;
  size_t chunk_offset_ = 0;
  std::future<std::string> ahead_;
};

}  // namespace mysqlpitr::storage::s3
