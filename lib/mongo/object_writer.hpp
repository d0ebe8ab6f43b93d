#pragma once
// A dump file written straight into an object of a storage::Storage (the bucket in
// repository.mode s3, or the dump's partial folder here): plain, or one gzip stream (zlib) when asked, then encrypted with `key` when one is given
// (crypto::EncryptingSink). Nothing is visible under the key until commit(); a writer destroyed
// without it leaves nothing (storage::Writer aborts the upload).
#include <zlib.h>

#include <memory>
#include <string>

#include "crypto/encrypting_sink.hpp"
#include "mongo/byte_file.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::mongo {

class ObjectWriter : public DumpFileWriter {
 public:
  ObjectWriter(std::unique_ptr<storage::Writer> out, std::string name, bool gzip, int gzip_level,
               const crypto::Key* key = nullptr);
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;
  ~ObjectWriter() override;

  using DumpFileWriter::write;
  void write(std::span<const std::uint8_t> bytes) override;
  void commit() override;
  std::uint64_t bytes_in() const noexcept override { return bytes_in_; }
  std::uint64_t size() const override { return published_.size; }
  // Size and SHA-256 of the stored bytes, once committed.
  const storage::Published& published() const noexcept { return published_; }

 private:
  void deflate_into_output(int flush);
  void emit(std::string_view bytes);

  std::unique_ptr<storage::Writer> out_;
  std::unique_ptr<crypto::EncryptingSink> encrypter_;
  std::string name_;
  bool gzip_;
  z_stream stream_{};
  std::string chunk_;
  std::uint64_t bytes_in_ = 0;
  storage::Published published_;
};

}  // namespace mysqlpitr::mongo
