#include "dump/output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "core/error.hpp"
#include "io/sha256.hpp"
#include "io/fd.hpp"

namespace mysqlpitr::dump {

Segment::Segment(const std::string& spool_name, io::Compression compression, int level, io::CompressorPool& pool,
                 bool encrypted)
    : file_(spool_name, 0600),
      cipher_(encrypted ? std::make_unique<crypto::SpoolCipher>() : nullptr),
      writer_(
          [this](std::string_view bytes) {
            if (!cipher_) return file_.write(bytes);
            enciphered_.assign(bytes);
            cipher_->apply(file_.bytes_written(), enciphered_.data(), enciphered_.size());
            file_.write(enciphered_);
          },
          compression, level, pool) {}

void Segment::finish() { writer_.finish(); }

std::unique_ptr<io::ByteSource> Segment::open_spool() const {
  auto raw = io::open_file_source(spool_path());
  return cipher_ ? crypto::deciphered(std::move(raw), *cipher_) : std::move(raw);
}

struct OutputAssembler::Hash {
  io::Sha256 sha;
};

OutputAssembler::OutputAssembler(std::string final_path, io::Compression compression, int level, const crypto::Key* key)
    : file_(std::in_place, final_path), name_(std::move(final_path)), compression_(compression), level_(level),
      hash_(std::make_shared<Hash>()) {
  start(key);
}

OutputAssembler::OutputAssembler(std::unique_ptr<storage::Writer> writer, std::string name, io::Compression compression,
                                 int level, const crypto::Key* key)
    : writer_(std::move(writer)), name_(std::move(name)), compression_(compression), level_(level),
      hash_(std::make_shared<Hash>()) {
  start(key);
}

void OutputAssembler::start(const crypto::Key* key) {
  pipe_ = std::make_unique<io::PipelinedSink>([this](std::string_view bytes) { put(bytes); });
  if (key) encrypter_ = std::make_unique<crypto::EncryptingSink>([this](std::string_view bytes) { pipe_->write(bytes); }, *key);
}

void OutputAssembler::add(std::string_view bytes) {
  if (encrypter_) encrypter_->write(bytes);
  else pipe_->write(bytes);
}

void OutputAssembler::put(std::string_view bytes) {
  hash_->sha.update(bytes);
  if (writer_) writer_->write(bytes);
  else file_->write(bytes);
  bytes_ += bytes.size();
}

void OutputAssembler::add_text(std::string_view text) {
  if (text.empty()) return;
  add(io::compress_block(text, compression_, level_));
}

void OutputAssembler::add_segment(const Segment& segment) {
  auto spool = segment.open_spool();
  std::vector<char> buffer(1 << 20);
  unsigned long long copied = 0;
  for (;;) {
    size_t got = spool->read(buffer.data(), buffer.size());
    if (got == 0) break;
    add(std::string_view(buffer.data(), got));
    copied += got;
  }
  if (copied != segment.compressed_bytes())
    throw failure("spool {} holds {} bytes, {} were written to it", segment.spool_path(), copied,
                  segment.compressed_bytes());
}

FinishedFile OutputAssembler::finish() {
  if (encrypter_) encrypter_->finish();
  pipe_->finish();
  return FinishedFile{name_, bytes_, hash_->sha.hex_digest()};
}

}  // namespace mysqlpitr::dump
