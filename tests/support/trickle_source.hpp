#pragma once
// A byte source over a string that delivers its bytes in slices of at most `step`, as a network
// stream may: readers must not assume a read fills the buffer.
#include <algorithm>
#include <cstring>
#include <string>

#include "io/byte_source.hpp"

namespace mysqlpitr::testing {

class TrickleSource final : public io::ByteSource {
 public:
  TrickleSource(std::string data, size_t step) : data_(std::move(data)), step_(step) {}
  size_t read(char* buffer, size_t size) override {
    size_t count = std::min({size, step_, data_.size() - offset_});
    std::memcpy(buffer, data_.data() + offset_, count);
    offset_ += count;
    return count;
  }

 private:
  std::string data_;
  size_t step_;
  size_t offset_ = 0;
};

}  // namespace mysqlpitr::testing
