#include "sqlload/dump_reader.hpp"

#include "core/error.hpp"
#include "crypto/open_input.hpp"
#include "io/read_ahead.hpp"

namespace mysqlpitr::sqlload {
namespace {
constexpr size_t kEdge = 4096;
}

DumpReader::DumpReader(const DumpSource& source, Rename rename, io::Sha256* raw_digest)
    : path_(source.name),
      rename_(std::move(rename)),
      input_(io::read_ahead(source.open(raw_digest))),
      splitter_([this](char* buffer, size_t size) { return read(buffer, size); }) {}

size_t DumpReader::read(char* buffer, size_t size) {
  size_t got = input_->read(buffer, size);
  if (head_.size() < kEdge) head_.append(buffer, std::min(got, kEdge - head_.size()));
  if (got >= kEdge) {
    tail_ring_.assign(buffer + got - kEdge, kEdge);
  } else {
    tail_ring_.append(buffer, got);
    if (tail_ring_.size() > 2 * kEdge) tail_ring_.erase(0, tail_ring_.size() - kEdge);
  }
  sql_bytes_ += got;
  return got;
}

std::string DumpReader::tail() const {
  return tail_ring_.size() > kEdge ? tail_ring_.substr(tail_ring_.size() - kEdge) : tail_ring_;
}

bool DumpReader::next(DumpStatement& out) {
  bool got = with_context(path_, [&] { return splitter_.next(out.statement); });
  if (!got) return false;
  out.what = classify(out.statement.text, splitter_.no_backslash_escapes());
  // The client follows the server's NO_BACKSLASH_ESCAPES status; the dump's SET sql_mode
  // statements are where it changes.
  if (out.what.no_backslash_escapes) splitter_.set_no_backslash_escapes(*out.what.no_backslash_escapes);
  if (rename_.active()) {
    bool data = out.what.kind == StatementKind::data;
    if (!data || out.what.database == rename_.from)
      out.statement.text = rename_database(out.statement.text, rename_, splitter_.no_backslash_escapes());
    if (out.what.database == rename_.from) out.what.database = rename_.to;
  }
  return true;
}

}  // namespace mysqlpitr::sqlload
