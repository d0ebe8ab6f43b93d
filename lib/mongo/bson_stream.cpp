#include "mongo/bson_stream.hpp"

#include <bson/bson.h>

#include <cstring>

#include "core/error.hpp"

namespace mysqlpitr::mongo {

BsonFileReader::BsonFileReader(const std::filesystem::path& path, bool validate, const FileOpener& open)
    : input_(path, open), validate_(validate) {}

std::optional<std::span<const std::uint8_t>> BsonFileReader::next() {
  const std::string name = input_.path().string();
  document_offset_ = position_;
  std::uint8_t header[4];
  std::size_t got = input_.read(header);
  position_ += got;
  if (got == 0) return std::nullopt;
  if (got < sizeof header) {
    throw failure("{}: offset {}: file ends inside a document's length ({} of 4 bytes)", name,
                  document_offset_, got);
  }
  std::uint32_t length = 0;
  std::memcpy(&length, header, 4);
  length = BSON_UINT32_FROM_LE(length);
  if (length < 5 || length > max_document_bytes) {
    throw failure("{}: offset {}: invalid document length {} (must be 5 to {})", name,
                  document_offset_, static_cast<std::int32_t>(length), max_document_bytes);
  }
  buffer_.resize(length);
  std::memcpy(buffer_.data(), header, 4);
  got = input_.read(std::span(buffer_).subspan(4));
  position_ += got;
  if (got < length - 4) {
    throw failure("{}: offset {}: document of {} bytes is cut short: the file ends after {}",
                  name, document_offset_, length, got + 4);
  }
  if (buffer_.back() != 0) {
    throw failure("{}: offset {}: document of {} bytes does not end with a 0 byte", name,
                  document_offset_, length);
  }
  if (validate_) {
    bson_t view;
    std::size_t bad_at = 0;
    if (!bson_init_static(&view, buffer_.data(), length) ||
        !bson_validate(&view, BSON_VALIDATE_NONE, &bad_at)) {
      throw failure("{}: offset {}: malformed document (bad element at byte {} of {})", name,
                    document_offset_, bad_at, length);
    }
  }
  ++documents_;
  return std::span<const std::uint8_t>(buffer_);
}

StreamSummary scan_bson_file(const std::filesystem::path& path, bool validate, const FileOpener& open) {
  BsonFileReader reader(path, validate, open);
  while (reader.next()) {
  }
  return {reader.documents_read(), reader.bytes_read()};
}

}  // namespace mysqlpitr::mongo
