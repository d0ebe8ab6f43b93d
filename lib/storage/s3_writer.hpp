#pragma once
// Writing one object: a small object is one PUT at publish(); a large one is a multipart upload
// started when the first part is full, with up to `upload_jobs` parts uploading while the caller
// fills the next, each part sent with Content-MD5 (and its SHA-256 signed) so that the server
// checks it. CompleteMultipartUpload at publish() is what makes the object appear; a writer
// destroyed or failing before it aborts the upload, so nothing is ever left under the key.
#include <deque>
#include <future>
#include <memory>
#include <string>

#include "io/sha256.hpp"
#include "storage/s3_client.hpp"
#include "storage/s3_url.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::storage::s3 {

class S3Writer final : public Writer {
 public:
  S3Writer(Client& client, const Location& location, const S3Options& options, const std::string& key);
  ~S3Writer() override;

  void write(std::string_view data) override;
  Published publish() override;
  unsigned long long bytes_written() const override { return bytes_; }
  std::unique_ptr<io::RandomSource> written() override { return nullptr; }
  void set_modified(std::time_t, long) override {}
  std::optional<Published> publish_if_absent() override;

 private:
  void start_upload();
  void send_part();
  void wait_oldest();
  void complete();
  void abort_upload() noexcept;
  std::string upload_part(unsigned number, const std::string& part) const;

  Client& client_;
  const Location& location_;
  std::string object_key_;
  std::string name_;  // s3://bucket/key for messages
  size_t part_size_;
  unsigned jobs_;
  io::Sha256 digest_;
  std::string part_;
  unsigned long long bytes_ = 0;
  std::string upload_id_;
  unsigned next_part_ = 1;
  std::deque<std::future<std::string>> in_flight_;  // ETags of parts being sent, oldest first
  std::vector<std::string> etags_;
  bool published_ = false;
};

}  // namespace mysqlpitr::storage::s3
