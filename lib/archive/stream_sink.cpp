#include "archive/stream_sink.hpp"

#include "binlog/bytes.hpp"
#include "binlog/format.hpp"
#include "core/error.hpp"

namespace mysqlpitr::archive {
namespace {

constexpr std::uint8_t kStop = 3, kRotate = 4, kFormatDescription = 15, kHeartbeat = 27, kHeartbeatV2 = 41;
constexpr std::uint16_t kArtificial = 0x20;  // LOG_EVENT_ARTIFICIAL_F

std::uint32_t u32(const std::uint8_t* p) {
  return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}

struct Header {
  std::uint32_t timestamp, length, log_pos;
  std::uint8_t type;
  std::uint16_t flags;
};

Header read_header(std::span<const std::uint8_t> event) {
  if (event.size() < binlog::kHeaderLength)
    throw failure("the server sent an event of {} bytes, shorter than an event header", event.size());
  const std::uint8_t* p = event.data();
  Header header{u32(p), u32(p + 9), u32(p + 13), p[4], std::uint16_t(p[17] | p[18] << 8)};
  if (header.length != event.size())
    throw failure("the server sent an event of {} bytes whose header says {}", event.size(), header.length);
  return header;
}

// Rotate's body: the position in the next binlog (8 bytes), then its name, then the checksum when
// the session carries checksums (told by the checksum itself: an artificial Rotate may come before
// any Format_description says).
std::pair<std::uint64_t, std::string> rotate_target(std::span<const std::uint8_t> event) {
  const std::uint8_t* body = event.data() + binlog::kHeaderLength;
  std::size_t length = event.size() - binlog::kHeaderLength;
  if (length < 8) throw failure("the server sent a Rotate event of {} bytes", event.size());
  std::uint64_t position = u32(body) | std::uint64_t(u32(body + 4)) << 32;
  std::size_t name_length = length - 8;
  if (event.size() >= binlog::kHeaderLength + 8 + binlog::kChecksumLength &&
      binlog::crc32_of(event.data(), event.size() - 4) == u32(event.data() + event.size() - 4))
    name_length -= binlog::kChecksumLength;
  return {position, std::string(reinterpret_cast<const char*>(body + 8), name_length)};
}

// Events that open or go on with a transaction (GTID, table maps, rows, annotations, the
// variables a statement needs): written with the event that ends it.
bool ends_transaction(std::uint8_t type) {
  switch (type) {
    case 5: case 13: case 14: case 19:             // Intvar, Rand, User_var, Table_map
    case 23: case 24: case 25: case 29:            // Rows v1, Rows_query
    case 30: case 31: case 32: case 33: case 34:   // Rows v2, GTID, anonymous GTID
    case 160: case 162:                            // MariaDB Annotate_rows, GTID
    case 166: case 167: case 168: case 169: case 170: case 171:  // MariaDB compressed Rows
      return false;
    default: return true;
  }
}

}  // namespace

std::optional<Closed> StreamSink::close_file() {
  Closed closed{file_->binlog(), file_->close_verified(keys_, encrypt_)};
  file_.reset();
  return closed;
}

std::optional<Closed> StreamSink::on_artificial_rotate(std::uint64_t position, const std::string& binlog) {
  std::optional<Closed> closed;
  if (file_ && file_->binlog() == binlog) {
    if (position != file_->size())
      throw failure("the server continues {} at byte {}, but the stream holds {} bytes of it", binlog, position,
                    file_->size());
    return closed;
  }
  // The dump moved on to another binlog without a Rotate in the file: the server stopped (a Stop
  // event ends the file) or crashed, and its file keeps the in-use flag that says so.
  if (file_) {
    // Nothing written by this run yet: the file's own last event says.
    if (last_type_ == 0) last_type_ = whole_part(file_->path()).last_event_type;
    if (last_type_ != kStop) file_->mark_in_use();
    closed = close_file();
  }
  if (position > 4 && binlog != point_.file)
    throw failure("the server starts {} at byte {}, but the stream has none of it", binlog, position);
  file_ = std::make_unique<StreamFile>(folder_, binlog, position);
  last_type_ = 0;
  point_ = {binlog, file_->size(), position > 4 ? point_.last_event_time : 0};
  return closed;
}

std::optional<Closed> StreamSink::take(std::span<const std::uint8_t> event) {
  Header header = read_header(event);
  if (header.type == kHeartbeat || header.type == kHeartbeatV2) return std::nullopt;
  bool artificial = (header.flags & kArtificial) != 0 || header.timestamp == 0;
  if (header.type == kRotate && artificial) {
    auto [position, binlog] = rotate_target(event);
    return on_artificial_rotate(position, binlog);
  }
  // Re-sent at the start of a dump that begins inside a file, with the end position 0.
  if (header.type == kFormatDescription && header.log_pos == 0) return std::nullopt;
  // A server that goes on after its Rotate without naming the file again: the one the Rotate named.
  if (!file_ && point_.position == 4 && !point_.file.empty()) file_ = std::make_unique<StreamFile>(folder_, point_.file, 4);
  if (!file_) throw failure("the server sent an event before naming its binlog");
  std::uint64_t end = file_->size() + event.size();
  if (header.log_pos != 0 && header.log_pos != end)
    throw failure("the server sent an event of {} ending at byte {}, but the stream's copy would end at {}: a gap or "
                  "a duplicate, not written",
                  file_->binlog(), header.log_pos, end);
  file_->append(event, ends_transaction(header.type));
  ++events_;
  last_type_ = header.type;
  point_.position = end;
  point_.last_event_time = header.timestamp;
  if (header.type != kRotate) return std::nullopt;
  auto [position, next] = rotate_target(event);
  auto closed = close_file();
  point_ = {next, position, 0};
  return closed;
}

void StreamSink::sync() {
  if (file_) file_->sync();
}

}  // namespace mysqlpitr::archive
