#include "mongo/object_writer.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace mysqlpitr::mongo {

ObjectWriter::ObjectWriter(std::unique_ptr<storage::Writer> out, std::string name, bool gzip, int gzip_level,
                           const crypto::Key* key)
    : out_(std::move(out)), name_(std::move(name)), gzip_(gzip), chunk_(256 * 1024, '\0') {
  if (key) encrypter_ = std::make_unique<crypto::EncryptingSink>([this](std::string_view bytes) { out_->write(bytes); }, *key);
  if (!gzip_) return;
  // windowBits 15 + 16: a gzip header and trailer, as gzdopen writes them.
  if (deflateInit2(&stream_, std::clamp(gzip_level, 1, 9), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw failure("cannot start gzip output for {}", name_);
}

ObjectWriter::~ObjectWriter() {
  if (gzip_) deflateEnd(&stream_);
}

void ObjectWriter::deflate_into_output(int flush) {
  int code = Z_OK;
  do {
    stream_.next_out = reinterpret_cast<Bytef*>(chunk_.data());
    stream_.avail_out = static_cast<uInt>(chunk_.size());
    code = deflate(&stream_, flush);
    if (code == Z_STREAM_ERROR) throw failure("cannot compress {}", name_);
    if (stream_.avail_out < chunk_.size())
      emit(std::string_view(chunk_.data(), chunk_.size() - stream_.avail_out));
  } while (stream_.avail_out == 0 || (flush == Z_FINISH && code != Z_STREAM_END));
}

void ObjectWriter::emit(std::string_view bytes) {
  if (encrypter_) encrypter_->write(bytes);
  else out_->write(bytes);
}

void ObjectWriter::write(std::span<const std::uint8_t> bytes) {
  bytes_in_ += bytes.size();
  if (!gzip_) {
    emit(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    return;
  }
  const std::uint8_t* data = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    std::size_t piece = std::min<std::size_t>(left, 1U << 30);
    stream_.next_in = const_cast<Bytef*>(data);
    stream_.avail_in = static_cast<uInt>(piece);
    deflate_into_output(Z_NO_FLUSH);
    data += piece;
    left -= piece;
  }
}

void ObjectWriter::commit() {
  if (gzip_) {
    stream_.next_in = nullptr;
    stream_.avail_in = 0;
    deflate_into_output(Z_FINISH);
  }
  if (encrypter_) encrypter_->finish();
  published_ = out_->publish();
}

}  // namespace mysqlpitr::mongo
