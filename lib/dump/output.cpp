#include "dump/output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "core/error.hpp"
#include "io/sha256.hpp"
#include "io/fd.hpp"

namespace mysqlpitr::dump {

Segment::Segment(const std::string& spool_name, io::Compression compression, int level, io::CompressorPool& pool)
    : file_(spool_name, 0600),
      writer_([this](std::string_view bytes) { file_.write(bytes); }, compression, level, pool) {}

struct OutputAssembler::Hash {
  io::Sha256 sha;
};

OutputAssembler::OutputAssembler(std::string final_path, io::Compression compression, int level)
    : file_(std::in_place, final_path), name_(std::move(final_path)), compression_(compression), level_(level),
      hash_(std::make_shared<Hash>()) {}

OutputAssembler::OutputAssembler(std::unique_ptr<storage::Writer> writer, std::string name, io::Compression compression,
                                 int level)
    : writer_(std::move(writer)), name_(std::move(name)), compression_(compression), level_(level),
      hash_(std::make_shared<Hash>()) {}

void OutputAssembler::put(std::string_view bytes) {
  hash_->sha.update(bytes);
  if (writer_) writer_->write(bytes);
  else file_->write(bytes);
  bytes_ += bytes.size();
}

void OutputAssembler::add_text(std::string_view text) {
  if (text.empty()) return;
  put(io::compress_block(text, compression_, level_));
}

void OutputAssembler::add_segment(const Segment& segment) {
  io::UniqueFd fd(::open(segment.spool_path().c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) throw failure("cannot reopen spool {}: {}", segment.spool_path(), errno_text(errno));
  std::vector<char> buffer(1 << 20);
  unsigned long long copied = 0;
  for (;;) {
    ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      throw failure("cannot read spool {}: {}", segment.spool_path(), errno_text(errno));
    }
    if (got == 0) break;
    put(std::string_view(buffer.data(), static_cast<size_t>(got)));
    copied += static_cast<unsigned long long>(got);
  }
  if (copied != segment.stored_bytes())
    throw failure("spool {} holds {} bytes, {} were written to it", segment.spool_path(), copied,
                  segment.stored_bytes());
}

FinishedFile OutputAssembler::finish() {
  return FinishedFile{name_, bytes_, hash_->sha.hex_digest()};
}

}  // namespace mysqlpitr::dump
