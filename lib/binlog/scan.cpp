#include "binlog/scan.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "binlog/bytes.hpp"
#include "binlog/decode.hpp"
#include "binlog/format.hpp"
#include "crypto/decrypting_random_source.hpp"
#include "core/error.hpp"
#include "io/fd.hpp"
#include "io/files.hpp"
#include "io/random_source.hpp"

namespace mysqlpitr::binlog {

namespace {

// A read window over the file: a run of small events is served from one pread.
class Window {
 public:
  Window(io::RandomSource& source, std::uint64_t file_size) : source_(source), file_size_(file_size), buffer_(kSize) {}

  // Pointer to bytes [position, position + count), or nullptr when the file ends before.
  const std::uint8_t* get(std::uint64_t position, std::size_t count) {
    if (position + count > file_size_) return nullptr;
    if (position < start_ || position + count > start_ + length_) {
      if (buffer_.size() < count) buffer_.resize(count);
      std::size_t want = static_cast<std::size_t>(
          std::min<std::uint64_t>(buffer_.size(), file_size_ - position));
      std::size_t got = 0;
      while (got < want) {
        std::size_t n = source_.read_at(position + got, reinterpret_cast<char*>(buffer_.data()) + got, want - got);
        if (n == 0) throw Corrupt("read failed: file shrank");
        got += n;
      }
      start_ = position;
      length_ = got;
    }
    return buffer_.data() + (position - start_);
  }

 private:
  static constexpr std::size_t kSize = 64 * 1024;
  io::RandomSource& source_;
  std::uint64_t file_size_;
  std::vector<std::uint8_t> buffer_;
  std::uint64_t start_ = 0;
  std::size_t length_ = 0;
};

bool worth_decoding(std::uint8_t code) {
  switch (code) {
    case type::rotate: case type::gtid_list: case type::previous_gtids: case type::mariadb_gtid:
    case type::format_description:
      return true;
    default:
      return false;
  }
}

void scan(io::RandomSource& source, FileSummary& summary) {
  Window window(source, summary.size);
  const std::uint8_t* magic = window.get(0, 4);
  if (magic == nullptr || std::memcmp(magic, kMagic, 4) != 0) {
    throw failure("binlog {}: at byte offset 0: not a binlog file (bad magic number)", summary.path);
  }
  FormatDescription format = default_format();
  TableMaps no_tables;
  std::uint64_t position = 4;
  while (position < summary.size) {
    const std::uint8_t* head = window.get(position, kHeaderLength);
    auto fail = [&](const std::string& what) {
      throw failure("binlog {}: at byte offset {}: {}", summary.path, position, what);
    };
    if (head == nullptr) fail("truncated event header");
    EventHeader header = decode_header(head);
    if (header.event_length < kHeaderLength) fail("invalid event length " + std::to_string(header.event_length));
    if (position + header.event_length > summary.size) {
      fail("truncated " + type_name(header.type_code) + " event: it declares " +
           std::to_string(header.event_length) + " bytes, the file holds " +
           std::to_string(summary.size - position));
    }
    ++summary.event_count;
    if (header.timestamp != 0) {
      if (!summary.first_event_time) summary.first_event_time = header.timestamp;
      summary.last_event_time = header.timestamp;
    }
    summary.ends_with_stop = header.type_code == type::stop;
    if (header.type_code == type::start_encryption) {
      summary.encrypted = true;  // what follows cannot be read without the key
      return;
    }
    if (worth_decoding(header.type_code) || (position == 4 && header.type_code == type::start_v3)) {
      const std::uint8_t* bytes = window.get(position, header.event_length);
      try {
        if (header.type_code == type::format_description || header.type_code == type::start_v3) {
          format = header.type_code == type::start_v3 ? decode_start_v3(bytes, header.event_length)
                                                      : decode_format_description(bytes, header.event_length);
          if (position == 4) {
            summary.server_id = header.server_id;
            summary.server_version = format.server_version;
            summary.in_use = (header.flags & kFlagInUse) != 0;
          }
        } else {
          std::size_t end = header.event_length - (format.checksum == ChecksumAlg::crc32 ? kChecksumLength : 0);
          if (end < format.header_length) fail("event shorter than its header");
          DecodeInput input{header, bytes + format.header_length, end - format.header_length, format};
          Body body = decode_body(input, no_tables);
          if (auto* rotate = std::get_if<RotateEvent>(&body)) summary.rotate_to = rotate->next_file;
          if (auto* list = std::get_if<GtidListEvent>(&body); list && summary.gtid_list.empty()) {
            summary.gtid_list = list->gtids;
          }
          if (auto* set = std::get_if<GtidSetEvent>(&body); set && !summary.previous_gtids) {
            summary.previous_gtids = set->gtid_set;
          }
          if (auto* gtid = std::get_if<MariaGtidEvent>(&body)) {
            summary.last_gtids[gtid->domain_id] = {gtid->domain_id, header.server_id, gtid->sequence};
          }
        }
      } catch (const Corrupt& corrupt) {
        fail(std::string(corrupt.what()) + " (" + type_name(header.type_code) + " event)");
      }
    }
    if (header.type_code != type::rotate) summary.rotate_to.reset();  // only a closing Rotate counts
    position += header.event_length;
  }
}

}  // namespace

FileSummary scan_file(const std::string& path, crypto::KeyRing* keys) {
  std::unique_ptr<io::RandomSource> source;
  bool at_rest = false;
  try {
    auto raw = io::open_random_file(path, "binlog");
    at_rest = crypto::read_header_of(*raw, path).has_value();
    source = crypto::open_random(std::move(raw), path, keys);
  } catch (const Error& error) {
    if (error.code() != ExitCode::precondition) throw;
    FileSummary summary;  // encrypted, and no key reads it: said, as a damaged file's error is
    summary.path = path;
    if (auto entry = io::stat_entry(path)) summary.size = entry->size;
    summary.encrypted_at_rest = true;
    summary.error = error.what();
    return summary;
  }
  FileSummary summary = scan_file(path, *source);
  summary.encrypted_at_rest = at_rest;
  return summary;
}

FileSummary scan_file(const std::string& name, io::RandomSource& source) {
  FileSummary summary;
  summary.path = name;
  summary.size = source.size();
  try {
    scan(source, summary);
  } catch (const Error& error) {
    summary.error = error.what();  // what was learned before the damage stays in the summary
  }
  return summary;
}

}  // namespace mysqlpitr::binlog
