#pragma once
// A bounds-checked little-endian cursor over one event's bytes. Decoders read through it so that a
// length field pointing past the event becomes a Corrupt exception, never a read out of bounds.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mysqlpitr::binlog {

// Thrown by decoders; the reader turns it into an Error naming the file and the event's offset.
struct Corrupt : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Cursor {
 public:
  Cursor(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::size_t remaining() const { return size_ - at_; }
  std::size_t offset() const { return at_; }
  const std::uint8_t* here() const { return data_ + at_; }
  bool empty() const { return at_ >= size_; }

  void need(std::size_t count, const char* what) const {
    if (count > remaining()) {
      throw Corrupt(std::string(what) + " runs past the end of the event");
    }
  }
  void skip(std::size_t count, const char* what = "field") {
    need(count, what);
    at_ += count;
  }
  // Unsigned little-endian integer of `count` bytes (1..8).
  std::uint64_t uint(std::size_t count, const char* what = "integer") {
    need(count, what);
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < count; ++i) value |= std::uint64_t(data_[at_ + i]) << (8 * i);
    at_ += count;
    return value;
  }
  std::uint8_t u8(const char* what = "byte") { return static_cast<std::uint8_t>(uint(1, what)); }
  std::uint16_t u16(const char* what = "integer") { return static_cast<std::uint16_t>(uint(2, what)); }
  std::uint32_t u32(const char* what = "integer") { return static_cast<std::uint32_t>(uint(4, what)); }
  std::uint64_t u64(const char* what = "integer") { return uint(8, what); }
  // Big-endian, as MariaDB's compressed-length prefix and a few metadata bytes are written.
  std::uint64_t uint_be(std::size_t count, const char* what = "integer") {
    need(count, what);
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < count; ++i) value = (value << 8) | data_[at_ + i];
    at_ += count;
    return value;
  }
  // The protocol's length-encoded integer (net_field_length): 1, 3, 4 or 9 bytes.
  std::uint64_t packed(const char* what = "packed integer") {
    std::uint8_t first = u8(what);
    if (first < 251) return first;
    if (first == 252) return uint(2, what);
    if (first == 253) return uint(3, what);
    if (first == 254) return uint(8, what);
    throw Corrupt(std::string(what) + ": invalid length prefix 0x" + hex(first));
  }
  std::string string(std::size_t count, const char* what = "string") {
    need(count, what);
    std::string text(reinterpret_cast<const char*>(data_ + at_), count);
    at_ += count;
    return text;
  }
  std::string rest_string() { return string(remaining()); }
  // Up to the first NUL (consumed) or the end.
  std::string cstring(const char* what = "string") {
    std::size_t end = at_;
    while (end < size_ && data_[end] != 0) ++end;
    std::string text(reinterpret_cast<const char*>(data_ + at_), end - at_);
    at_ = end < size_ ? end + 1 : end;
    (void)what;
    return text;
  }

 private:
  static std::string hex(std::uint8_t byte) {
    const char* digits = "0123456789abcdef";
    return {digits[byte >> 4], digits[byte & 15]};
  }

  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

}  // namespace mysqlpitr::binlog
