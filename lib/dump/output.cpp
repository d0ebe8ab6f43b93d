#include "dump/output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <vector>

#include "core/error.hpp"
#include "io/sha256.hpp"
#include "io/fd.hpp"

namespace mysqlpitr::dump {

bool SpoolBudget::try_take(unsigned long long bytes) {
  unsigned long long used = used_.load();
  do {
    if (used > 0 && used + bytes > limit_) return false;
  } while (!used_.compare_exchange_weak(used, used + bytes));
  return true;
}

Segment::Segment(const std::string& spool_name, io::Compression compression, int level, io::CompressorPool& pool,
                 bool encrypted, SpoolBudget* budget)
    : file_(std::in_place, spool_name, 0600),
      spool_path_(file_->temp_path()),
      cipher_(encrypted ? std::make_unique<crypto::SpoolCipher>() : nullptr),
      budget_(budget),
      writer_([this](std::string_view bytes) { emit(bytes); }, compression, level, pool) {}

void Segment::finish() { writer_.finish(); }

void Segment::emit(std::string_view bytes) {
  std::unique_lock lock(route_mutex_);
  const unsigned long long written_before = file_ ? file_->bytes_written() : 0;
  for (;;) {
    if (abandoned_) throw failure("stopped: its database's file will not be finished");
    if (live_) return live_(bytes);
    if (!budget_ || budget_->try_take(bytes.size())) break;
    // Woken at once by go_live() or abandon(); room freed by another segment is seen at the next look.
    route_changed_.wait_for(lock, std::chrono::milliseconds(20));
  }
  try {
    spool(bytes);
  } catch (...) {
    if (budget_) budget_->give_back(bytes.size() - (file_->bytes_written() - written_before));
    throw;
  }
}

void Segment::spool(std::string_view bytes) {
  if (!cipher_) return file_->write(bytes);
  enciphered_.assign(bytes);
  cipher_->apply(file_->bytes_written(), enciphered_.data(), enciphered_.size());
  file_->write(enciphered_);
}

void Segment::release_spool() {
  if (!file_) return;
  if (budget_) budget_->give_back(file_->bytes_written());
  file_.reset();
}

void Segment::go_live(const io::ByteSink& live) {
  std::lock_guard lock(route_mutex_);
  if (file_) {
    copy_spool(live);
    release_spool();
  }
  live_ = live;
  route_changed_.notify_all();
}

void Segment::abandon() {
  std::lock_guard lock(route_mutex_);
  abandoned_ = true;
  route_changed_.notify_all();
}

std::unique_ptr<io::ByteSource> Segment::open_spool() const {
  auto raw = io::open_file_source(spool_path_);
  return cipher_ ? crypto::deciphered(std::move(raw), *cipher_) : std::move(raw);
}

void Segment::copy_spool(const io::ByteSink& to) const {
  auto spool = open_spool();
  std::vector<char> buffer(1 << 20);
  unsigned long long copied = 0;
  while (size_t got = spool->read(buffer.data(), buffer.size())) {
    to(std::string_view(buffer.data(), got));
    copied += got;
  }
  if (copied != file_->bytes_written())
    throw failure("spool {} holds {} bytes, {} were written to it", spool_path_, copied, file_->bytes_written());
}

struct OutputAssembler::Hash {
  io::Sha256 sha;
};

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
  writer_->write(bytes);
  bytes_ += bytes.size();
}

void OutputAssembler::add_text(std::string_view text) {
  if (text.empty()) return;
  add(io::compress_block(text, compression_, level_));
}

void OutputAssembler::add_segment(const Segment& segment) {
  segment.copy_spool([this](std::string_view bytes) { add(bytes); });
}

FinishedFile OutputAssembler::finish() {
  if (encrypter_) encrypter_->finish();
  pipe_->finish();
  return FinishedFile{name_, bytes_, hash_->sha.hex_digest()};
}

}  // namespace mysqlpitr::dump
