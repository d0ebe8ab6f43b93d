#include "binlog/reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>

#include "binlog/bytes.hpp"
#include "binlog/format.hpp"
#include "core/error.hpp"
#include "crypto/decrypting_random_source.hpp"

namespace mysqlpitr::binlog {

std::size_t payload_header_length(const std::uint8_t* body, std::size_t size);  // decode_misc.cpp

namespace {

constexpr std::size_t kBufferSize = 1 << 20;
// The servers cap an event near max_allowed_packet (1 GiB); a larger length is a corrupt header.
constexpr std::uint32_t kMaxEventLength = (1u << 30) + (1u << 20);

}  // namespace

EventHeader decode_header(const std::uint8_t* bytes) {
  Cursor in(bytes, kHeaderLength);
  EventHeader header;
  header.timestamp = in.u32();
  header.type_code = in.u8();
  header.server_id = in.u32();
  header.event_length = in.u32();
  header.log_pos = in.u32();
  header.flags = in.u16();
  return header;
}

struct FileReader::Zstd {
  ZSTD_DCtx* context = ZSTD_createDCtx();
  ~Zstd() { ZSTD_freeDCtx(context); }
};

FileReader::FileReader(std::string path, ReaderOptions options)
    : FileReader(path, crypto::open_random_file(path, options.keys, "binlog"), options) {}

FileReader::FileReader(std::string name, std::unique_ptr<io::RandomSource> source, ReaderOptions options)
    : path_(std::move(name)), options_(options), source_(std::move(source)), format_(default_format()) {
  file_size_ = source_->size();
  buffer_.resize(kBufferSize);
}

FileReader::~FileReader() = default;

void FileReader::fail(std::uint64_t offset, const std::string& what) const {
  throw failure("binlog {}: at byte offset {}: {}", path_, offset, what);
}

bool FileReader::fill(std::size_t wanted) {
  std::uint64_t buffered_end = buffer_offset_ + buffer_length_;
  if (position_ >= buffer_offset_ && position_ + wanted <= buffered_end) return true;
  // Keep the unread tail, drop what was consumed.
  std::size_t keep = 0;
  if (position_ >= buffer_offset_ && position_ < buffered_end) {
    keep = static_cast<std::size_t>(buffered_end - position_);
    std::memmove(buffer_.data(), buffer_.data() + (position_ - buffer_offset_), keep);
  }
  buffer_offset_ = position_;
  buffer_length_ = keep;
  if (buffer_.size() < wanted) buffer_.resize(wanted);
  // A buffer grown for a huge event shrinks back once that event is behind us.
  if (buffer_.size() > kBufferSize && wanted <= kBufferSize && keep <= kBufferSize) {
    buffer_.resize(kBufferSize);
    buffer_.shrink_to_fit();
  }
  while (buffer_length_ < wanted) {
    std::size_t got = source_->read_at(buffer_offset_ + buffer_length_,
                                       reinterpret_cast<char*>(buffer_.data()) + buffer_length_,
                                       buffer_.size() - buffer_length_);
    if (got == 0) return false;
    buffer_length_ += got;
  }
  return true;
}

void FileReader::seek(std::uint64_t position) {
  if (!started_) {
    const Event* first = next();
    (void)first;
  }
  payload_.clear();
  payload_at_ = 0;
  if (position < 4 || position > file_size_) fail(position, "start position is outside the file");
  position_ = position;
}

const Event* FileReader::next() {
  if (payload_at_ < payload_.size()) return next_inner();
  return read_top_level();
}

const Event* FileReader::read_top_level() {
  if (!started_) {
    if (!fill(4)) fail(0, "file is shorter than the 4-byte binlog magic");
    if (std::memcmp(buffer_.data(), kMagic, 4) != 0) fail(0, "not a binlog file (bad magic number)");
    position_ = 4;
    started_ = true;
  }
  if (encrypted_) {
    fail(position_, "the rest of this binlog is encrypted (Start_encryption event); reading it "
                    "needs the server's encryption key");
  }
  if (position_ == file_size_ && !fill(1)) return nullptr;
  if (!fill(kHeaderLength)) {
    fail(position_, "truncated event header: the file ends " +
                        std::to_string(file_size_ - position_) + " bytes into a 19-byte header");
  }
  const std::uint8_t* bytes = buffer_.data() + (position_ - buffer_offset_);
  EventHeader header = decode_header(bytes);
  if (header.event_length < kHeaderLength || header.event_length > kMaxEventLength) {
    fail(position_, "invalid event length " + std::to_string(header.event_length) + " (type " +
                        std::to_string(header.type_code) + ")");
  }
  if (!fill(header.event_length)) {
    fail(position_, "truncated " + type_name(header.type_code) + " event: it declares " +
                        std::to_string(header.event_length) + " bytes, the file holds " +
                        std::to_string(file_size_ - position_));
  }
  bytes = buffer_.data() + (position_ - buffer_offset_);
  Event& event = event_;
  event.header = header;
  event.position = position_;
  event.end_position = position_ + header.event_length;
  event.payload_index = 0;
  event.raw.assign(bytes, bytes + header.event_length);
  try {
    if (header.type_code == type::format_description) {
      format_ = decode_format_description(bytes, header.event_length);
      in_use_ = (header.flags & kFlagInUse) != 0;
      tables_.clear();
    } else if (header.type_code == type::start_v3 && position_ == 4) {
      format_ = decode_start_v3(bytes, header.event_length);
    }
    bool has_checksum = format_.checksum == ChecksumAlg::crc32;
    decode_into(event, bytes, header.event_length, has_checksum);
  } catch (const Corrupt& corrupt) {
    fail(position_, std::string(corrupt.what()) + " (" + type_name(header.type_code) + " event)");
  }
  if (header.type_code == type::start_encryption) encrypted_ = true;
  position_ = event.end_position;
  if (header.type_code == type::transaction_payload && options_.expand_payloads) {
    try {
      expand_payload(event);
    } catch (const Corrupt& corrupt) {
      fail(event.position, std::string(corrupt.what()) + " (Transaction_payload event)");
    }
  }
  return &event;
}

void FileReader::decode_into(Event& event, const std::uint8_t* bytes, std::size_t size,
                             bool has_checksum) {
  event.checksum_verified = false;
  std::size_t body_end = size;
  if (has_checksum) {
    if (size < kHeaderLength + kChecksumLength) throw Corrupt("event too short for its checksum");
    body_end -= kChecksumLength;
    if (options_.verify_checksums) {
      Cursor stored_at(bytes + body_end, kChecksumLength);
      std::uint32_t stored = stored_at.u32();
      std::uint32_t computed = crc32_of(bytes, body_end);
      if (stored != computed && event.header.type_code == type::format_description &&
          (event.header.flags & kFlagInUse)) {
        // The server sets LOG_EVENT_BINLOG_IN_USE_F in place when it opens the file, after the
        // checksum was computed without it, and clears it again at close.
        std::vector<std::uint8_t> copy(bytes, bytes + body_end);
        copy[17] &= static_cast<std::uint8_t>(~kFlagInUse);
        computed = crc32_of(copy.data(), copy.size());
      }
      if (stored != computed) {
        char text[80];
        std::snprintf(text, sizeof text, "checksum mismatch (stored 0x%08x, computed 0x%08x)",
                      stored, computed);
        throw Corrupt(text);
      }
      event.checksum_verified = true;
    }
  }
  std::size_t header_length = event.header.type_code == type::format_description ||
                                      event.header.type_code == type::start_v3
                                  ? kHeaderLength
                                  : format_.header_length;
  if (header_length > body_end) throw Corrupt("event shorter than its common header");
  if (event.header.type_code == type::format_description || event.header.type_code == type::start_v3) {
    event.body = format_;
    return;
  }
  DecodeInput input{event.header, bytes + header_length, body_end - header_length, format_};
  event.body = decode_body(input, tables_);
}

void FileReader::expand_payload(const Event& event) {
  auto* payload = std::get_if<TransactionPayloadEvent>(&event.body);
  if (payload == nullptr) return;
  std::size_t body_start = format_.header_length;
  std::size_t body_end = event.raw.size() - (format_.checksum == ChecksumAlg::crc32 ? 4 : 0);
  const std::uint8_t* body = event.raw.data() + body_start;
  std::size_t skip = payload_header_length(body, body_end - body_start);
  const std::uint8_t* data = body + skip;
  std::size_t size = body_end - body_start - skip;
  payload_.clear();
  payload_at_ = 0;
  payload_index_ = 0;
  if (payload->compression == 255) {
    payload_.assign(data, data + size);
  } else if (payload->compression == 0) {
    if (!zstd_) zstd_ = std::make_unique<Zstd>();
    if (payload->uncompressed_size > kMaxEventLength * 4ULL) throw Corrupt("payload too large");
    payload_.resize(payload->uncompressed_size);
    std::size_t produced = ZSTD_decompressDCtx(zstd_->context, payload_.data(), payload_.size(), data, size);
    if (ZSTD_isError(produced) || produced != payload_.size()) {
      payload_.clear();
      throw Corrupt(std::string("zstd could not decompress the payload: ") +
                    (ZSTD_isError(produced) ? ZSTD_getErrorName(produced) : "size differs"));
    }
  } else {
    throw Corrupt("unknown payload compression type " + std::to_string(payload->compression));
  }
  // Count the inner events now, so the payload event itself can report it; a bad inner length is
  // corruption of the payload.
  std::uint32_t count = 0;
  for (std::size_t at = 0; at < payload_.size();) {
    if (payload_.size() - at < kHeaderLength) throw Corrupt("payload ends inside an event header");
    EventHeader inner = decode_header(payload_.data() + at);
    if (inner.event_length < kHeaderLength || inner.event_length > payload_.size() - at) {
      throw Corrupt("payload holds an event of invalid length " + std::to_string(inner.event_length));
    }
    at += inner.event_length;
    ++count;
  }
  std::get<TransactionPayloadEvent>(event_.body).event_count = count;
  payload_position_ = event.position;
  payload_end_ = event.end_position;
}

const Event* FileReader::next_inner() {
  const std::uint8_t* bytes = payload_.data() + payload_at_;
  EventHeader header = decode_header(bytes);
  Event& event = event_;
  event.header = header;
  event.position = payload_position_;
  event.end_position = payload_end_;
  event.payload_index = ++payload_index_;
  event.raw.assign(bytes, bytes + header.event_length);
  try {
    // Events inside a payload carry no checksum of their own: the payload event's covers them.
    decode_into(event, bytes, header.event_length, false);
  } catch (const Corrupt& corrupt) {
    fail(payload_position_, std::string(corrupt.what()) + " (" + type_name(header.type_code) +
                                " event #" + std::to_string(payload_index_) + " in a payload)");
  }
  payload_at_ += header.event_length;
  if (payload_at_ >= payload_.size()) {
    payload_.clear();
    payload_at_ = 0;
  }
  return &event;
}

}  // namespace mysqlpitr::binlog
