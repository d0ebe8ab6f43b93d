#include "archive/binlog_stream_check.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <vector>

#include "binlog/event_type.hpp"
#include "binlog/reader.hpp"
#include "core/error.hpp"
#include "crypto/decrypting_random_source.hpp"
#include "io/random_source.hpp"
#include "io/sha256.hpp"

namespace mysqlpitr::archive {
namespace {

// The object's bytes read once, in order, for the reader (which reads by offset, forward only
// here): every byte is hashed and counted on its way, skipped ones included. The first bytes are
// kept, so that the encryption header can be read again once it has been recognised.
class ForwardSource final : public io::RandomSource {
 public:
  ForwardSource(std::unique_ptr<io::ByteSource> inner, std::uint64_t size, io::Sha256& digest, std::uint64_t& count)
      : inner_(std::move(inner)), size_(size), digest_(digest), count_(count) {}
  unsigned long long size() const override { return size_; }
  size_t read_at(unsigned long long offset, char* buffer, size_t size) override {
    if (offset < count_) {
      if (count_ > head_.size()) throw failure("a stream cannot be read backwards (at byte {})", offset);
      size_t kept = static_cast<size_t>(std::min<std::uint64_t>(size, count_ - offset));
      std::memcpy(buffer, head_.data() + offset, kept);
      return kept == size ? kept : kept + take(buffer + kept, size - kept);
    }
    std::vector<char> skipped(offset > count_ ? 1 << 16 : 0);
    while (count_ < offset) {
      if (take(skipped.data(), static_cast<size_t>(std::min<std::uint64_t>(skipped.size(), offset - count_))) == 0)
        return 0;
    }
    return take(buffer, size);
  }

 private:
  size_t take(char* buffer, size_t size) {
    size_t n = inner_->read(buffer, size);
    digest_.update(std::string_view(buffer, n));
    if (count_ < crypto::kHeaderBytes)
      head_.append(buffer, static_cast<size_t>(std::min<std::uint64_t>(n, crypto::kHeaderBytes - count_)));
    count_ += n;
    return n;
  }

  std::unique_ptr<io::ByteSource> inner_;
  std::string head_;
  std::uint64_t size_;
  io::Sha256& digest_;
  std::uint64_t& count_;
};

// The facts binlog::scan_file gathers from a file's headers, taken from the events as they pass.
void note_event(binlog::FileSummary& summary, const binlog::Event& event, const binlog::FileReader& reader) {
  if (event.payload_index != 0) return;  // inside a Transaction_payload: not a file-level event
  ++summary.event_count;
  if (event.header.timestamp != 0) {
    if (!summary.first_event_time) summary.first_event_time = event.header.timestamp;
    summary.last_event_time = event.header.timestamp;
  }
  summary.ends_with_stop = event.header.type_code == binlog::type::stop;
  if (const auto* format = event.as<binlog::FormatDescription>(); format && event.position == 4) {
    summary.server_id = event.header.server_id;
    summary.server_version = format->server_version;
    summary.in_use = reader.in_use();
  }
  if (const auto* rotate = event.as<binlog::RotateEvent>()) summary.rotate_to = rotate->next_file;
  else summary.rotate_to.reset();  // only a closing Rotate counts
  if (const auto* list = event.as<binlog::GtidListEvent>(); list && summary.gtid_list.empty()) summary.gtid_list = list->gtids;
  if (const auto* set = event.as<binlog::GtidSetEvent>(); set && !summary.previous_gtids) summary.previous_gtids = set->gtid_set;
  if (const auto* gtid = event.as<binlog::MariaGtidEvent>())
    summary.last_gtids[gtid->domain_id] = {gtid->domain_id, event.header.server_id, gtid->sequence};
}

// Whether the bytes were compared with a record (false: none, and none is required).
bool compare_with_record(const BinlogCheck& check, std::uint64_t read, const std::string& sha256,
                         const std::optional<RecordedCopy>& record, WithoutRecord without_record) {
  if (!record && without_record == WithoutRecord::checked_by_events) return false;
  if (!record) throw failure("{}: no mysqlpitr record (an upload never finished, or a file not uploaded by mysqlpitr)", check.path);
  if (read != record->size || check.size != record->size)
    throw failure("{}: {} bytes, but its record says {} bytes", check.path, read, record->size);
  if (sha256 != record->sha256)
    throw failure("{}: SHA-256 {} differs from the {} of its record", check.path, sha256, record->sha256);
  return true;
}

}  // namespace

BinlogCheck check_binlog_stream(const std::string& name, std::unique_ptr<io::ByteSource> source, std::uint64_t size,
                                const std::optional<RecordedCopy>& record, crypto::KeyRing* keys,
                                WithoutRecord without_record) {
  BinlogCheck check;
  check.path = name;
  check.size = size;
  check.summary.path = name;
  check.summary.size = size;
  io::Sha256 digest;
  std::uint64_t read = 0;
  try {
    // An encrypted object is read decrypted, every chunk authenticated; its stored bytes are what
    // is hashed and compared with the record.
    binlog::FileReader reader(
        name, crypto::open_random(std::make_unique<ForwardSource>(std::move(source), size, digest, read), name, keys));
    check.summary.size = reader.file_size();
    check.summary.encrypted_at_rest = reader.file_size() != size;
    while (const binlog::Event* event = reader.next()) {
      ++check.events;
      note_event(check.summary, *event, reader);
    }
    if (reader.position() != reader.file_size())
      throw failure("{}: the reader stopped at byte {} of {}", name, reader.position(), reader.file_size());
    check.checksums = reader.format().checksum == binlog::ChecksumAlg::crc32;
  } catch (const std::exception& error) {  // a damaged object must not stop the other checks
    check.problem = check.summary.error = error.what();
    return check;
  }
  try {
    check.checked_against_record = compare_with_record(check, read, digest.hex_digest(), record, without_record);
    check.ok = true;
  } catch (const std::exception& error) {
    check.problem = error.what();
  }
  return check;
}

}  // namespace mysqlpitr::archive
