#include "pitr/chain.hpp"

#include <algorithm>
#include <map>

#include "binlog/name.hpp"
#include "binlog/sequence.hpp"
#include "core/error.hpp"
#include "crypto/decrypting_random_source.hpp"
#include "io/files.hpp"

namespace mysqlpitr::pitr {

namespace {

// An unreadable file (the server's, read by another user) or a damaged header is listed as it is:
// reading it later says what is wrong with it.
std::optional<crypto::Header> encryption_header(const std::string& path) {
  try {
    return crypto::read_header_of(path);
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace

std::vector<FoundBinlog> list_binlogs(const std::string& folder, const std::string& prefix, crypto::KeyRing* keys) {
  std::vector<FoundBinlog> found;
  if (folder.empty() || !io::stat_entry(folder)) return found;
  for (const auto& entry : io::list_directory(folder)) {
    auto parsed = binlog::parse_binlog_name(entry.name);
    if (!parsed || parsed->prefix != prefix || entry.type != io::EntryType::regular) continue;
    FoundBinlog file{.name = entry.name, .path = entry.path, .size = entry.size};
    if (auto header = encryption_header(entry.path)) {
      file.size = crypto::plain_size_of(*header, entry.size, entry.path);
      file.open = [path = entry.path, keys] { return crypto::open_random_file(path, keys, "binlog"); };
    }
    found.push_back(std::move(file));
  }
  return found;
}

std::unique_ptr<io::RandomSource> open_source(const std::string& path, const OpenSource& open) {
  return open ? open() : io::open_random_file(path, "binlog");
}

namespace {

bool read_at(io::RandomSource& source, std::uint64_t offset, std::vector<char>& buffer) {
  size_t done = 0;
  while (done < buffer.size()) {
    size_t got = source.read_at(offset + done, buffer.data() + done, buffer.size() - done);
    if (got == 0) return false;
    done += got;
  }
  return true;
}

struct Copies {
  const FoundBinlog* archive = nullptr;
  const FoundBinlog* datadir = nullptr;
};

// Closed files are read from the archive's copy; the datadir's when it is longer (the server went on
// writing it after it was copied: the active file).
ChainFile choose_copy(const FoundBinlog* archive, const FoundBinlog* datadir, std::uint64_t seq, bool newest,
                      std::vector<std::string>& notes) {
  const FoundBinlog* chosen = archive ? archive : datadir;
  if (archive && datadir && datadir->size > archive->size) {
    chosen = datadir;
    notes.push_back(fmt::format("{}: the datadir copy is longer than the archive's ({} > {} bytes){}; reading the "
                                "datadir copy",
                                datadir->name, datadir->size, archive->size, newest ? " (active file)" : ""));
  }
  ChainFile file;
  file.sequence = seq;
  file.in_both = archive && datadir;
  file.name = chosen->name;
  file.path = chosen->path;
  file.open = chosen->open;
  file.size = chosen->size;
  file.source = chosen == datadir ? "datadir" : chosen->in_bucket ? "bucket" : "archive";
  file.streaming = chosen->streaming;
  return file;
}

}  // namespace

// Head and tail of the common length: enough to tell two different files apart (the head holds
// the format description with its creation time); every event's CRC32 is verified when it is
// replayed, so a copy damaged in the middle is still caught before it is applied.
bool same_content_prefix(const FoundBinlog& archive, const FoundBinlog& datadir) {
  if (archive.size > datadir.size) return false;
  std::unique_ptr<io::RandomSource> a, b;
  try {
    a = open_source(archive.path, archive.open);
    b = open_source(datadir.path, datadir.open);
  } catch (const Error&) {
    return archive.size == datadir.size;  // unreadable datadir: sizes only
  }
  const std::uint64_t common = archive.size;
  const std::uint64_t window = 1 << 20;
  for (std::uint64_t offset : {std::uint64_t{0}, common > window ? common - window : 0}) {
    std::vector<char> x(static_cast<size_t>(std::min(window, common - offset))), y(x.size());
    if (!read_at(*a, offset, x) || !read_at(*b, offset, y) || x != y) return false;
  }
  return true;
}

Chain build_chain(const std::vector<FoundBinlog>& archive, const std::vector<FoundBinlog>& datadir,
                  const std::string& start_file, const std::string& last_file, SameFile same) {
  auto start = binlog::parse_binlog_name(start_file);
  if (!start) throw precondition_error("'{}' (from the base's coordinates) is not a binlog file name", start_file);
  std::map<std::uint64_t, Copies> by_sequence;
  for (const auto& file : archive) {
    auto name = binlog::parse_binlog_name(file.name);
    if (name && name->prefix == start->prefix) by_sequence[name->sequence].archive = &file;
  }
  for (const auto& file : datadir) {
    auto name = binlog::parse_binlog_name(file.name);
    if (name && name->prefix == start->prefix) by_sequence[name->sequence].datadir = &file;
  }
  if (!by_sequence.count(start->sequence))
    throw precondition_error(
        "binlog {} (where the base's coordinates start) is in neither the archive nor the server's datadir", start_file);
  std::uint64_t last = by_sequence.rbegin()->first;
  if (!last_file.empty()) {
    auto stop = binlog::parse_binlog_name(last_file);
    if (!stop || stop->prefix != start->prefix)
      throw precondition_error("binlog {} is not of the sequence {}.NNNNNN", last_file, start->prefix);
    if (stop->sequence < start->sequence)
      throw precondition_error("the stop point's binlog {} is before the base's binlog {}: the stop point is before the base",
                               last_file, start_file);
    if (stop->sequence > last)
      throw precondition_error("binlog {} (the stop point's) is in neither the archive nor the server's datadir: the "
                               "newest there is {}",
                               last_file, fmt::format("{}.{:0{}}", start->prefix, last, start->digits));
    last = stop->sequence;
  }
  const std::uint64_t newest = by_sequence.rbegin()->first;
  Chain chain;
  for (std::uint64_t seq = start->sequence; seq <= last; ++seq) {
    auto found = by_sequence.find(seq);
    std::string name = start->prefix + "." + fmt::format("{:0{}}", seq, start->digits);
    if (found == by_sequence.end())
      throw precondition_error("binlog gap: {} is missing from the archive and the datadir (needed between the base's "
                               "{} and {}); restoring without it would silently lose its changes",
                               name, start_file, last_file.empty() ? "the newest binlog" : last_file);
    const Copies& copies = found->second;
    if (copies.archive && copies.datadir && !same(*copies.archive, *copies.datadir))
      throw precondition_error(
          "{} in the archive ({}, {} bytes) and in the datadir ({}, {} bytes) are not the same file: the server's "
          "binlogs are another history than the archived ones (RESET MASTER, or a rebuilt server, restarted the "
          "numbering); nothing was changed. Move the archived binlogs of the other history aside, or stop before {}",
          copies.archive->name, copies.archive->path, copies.archive->size, copies.datadir->path,
          copies.datadir->size, copies.archive->name);
    chain.files.push_back(choose_copy(copies.archive, copies.datadir, seq, seq == newest, chain.notes));
  }
  // Only the successor's summary is read (not its events): either copy tells how it begins.
  if (auto after = by_sequence.find(last + 1); after != by_sequence.end()) {
    std::vector<std::string> unused;
    chain.next = choose_copy(after->second.archive, after->second.datadir, last + 1, false, unused);
  }
  return chain;
}

}  // namespace mysqlpitr::pitr
