// The loop of `binlogs stream` (binlogs_stream.hpp): one replica session after another, each going
// on from the last whole event the archive holds, until a stop signal, the end of the server's
// binlogs (--until-current), or an error that reconnecting cannot mend.
#include <chrono>
#include <optional>
#include <thread>

#include "archive/copy.hpp"
#include "archive/stream_sink.hpp"
#include "archive/stream_state.hpp"
#include "binlog/name.hpp"
#include "catalog/naming.hpp"
#include "commands/binlogs_stream.hpp"
#include "commands/bucket_binlogs.hpp"
#include "commands/repository.hpp"
#include "core/strings.hpp"
#include "io/run_lock.hpp"
#include "io/sha256.hpp"
#include "io/stop_signal.hpp"
#include "mysql/binlog_dump.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::commands {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kFirstBackoff{250}, kMaxBackoff{15000};

class Streamer {
 public:
  Streamer(Context& context, const StreamPlan& plan, const io::StopSignals& stop)
      : context_(context), plan_(plan), stop_(stop),
        sink_(plan.archive_folder, {plan.start.file, plan.start.position, plan.end.last_event_time},
              context.key_ring(), context.writing_key() != nullptr),
        interval_(milliseconds(plan.sync_interval * 1000)) {}

  Report run();

 private:
  void session();
  void take(std::span<const std::uint8_t> event);
  void record_pending();
  void release_uploaded(const nlohmann::json& bucket);
  void adopt_unrecorded();
  void tick(bool force);
  void write_state(const std::string& state, const std::string& error = {});
  bool pause(milliseconds duration) const;
  [[noreturn]] void give_up(const Error& error);

  Context& context_;
  const StreamPlan& plan_;
  const io::StopSignals& stop_;
  archive::StreamSink sink_;
  milliseconds interval_;
  Clock::time_point next_sync_ = Clock::now();
  std::vector<archive::Closed> pending_;
  std::vector<std::string> upload_errors_;
  nlohmann::json archived_ = nlohmann::json::array();
  bool caught_up_ = false, fatal_ = false;
  std::uint64_t packets_ = 0;
};

void Streamer::write_state(const std::string& state, const std::string& error) {
  const auto& point = sink_.point();
  archive::write_stream_state(plan_.archive_folder, {state, plan_.server_id, point.file, point.position,
                                                     point.last_event_time, error});
}

// Records the binlogs closed since the last time in the archive's record of verified copies, under
// the archive's lock (rotate-binlogs and prune hold it while they rewrite the record): when another
// run holds it, at a later sync. Then, the lock released, uploads what the bucket lacks, as
// rotate-binlogs does.
void Streamer::record_pending() {
  if (pending_.empty()) return;
  std::optional<io::RunLock> lock;
  try {
    lock = io::RunLock::acquire(plan_.archive_folder, catalog::kBinlogArchiveLockScope, "binlogs stream");
  } catch (const Error& error) {
    if (error.code() != ExitCode::precondition) throw;
    context_.console().detail("the archive is busy (" + std::string(error.what()) + "): recorded at a later sync");
    return;
  }
  auto manifest = archive::Manifest::load(plan_.archive_folder);
  for (const auto& closed : pending_) manifest.record(closed.binlog, closed.copy);
  manifest.save();
  pending_.clear();
  // The upload may take long: rotate-binlogs must not find the archive busy meanwhile (uploading
  // the same verified copy twice at once is harmless: its record is written after the object).
  lock.reset();
  Report report;
  nlohmann::json bucket = upload_archived_binlogs(context_, plan_.archive_folder, manifest, report);
  upload_errors_ = report.errors;
  if (report.errors.empty()) release_uploaded(bucket);
}

// Mode s3 keeps locally only a spool: the closed binlogs the server has purged and the bucket
// holds go, as rotate-binlogs lets them go, so that a stream running alone does not fill the disk.
// Under the archive's lock and its readers' lock (no restore reads them meanwhile); when either is
// taken, at a later sync.
void Streamer::release_uploaded(const nlohmann::json& bucket) {
  if (bucket.is_null() || repository_mode(context_.settings()) != RepositoryMode::s3) return;
  std::optional<io::RunLock> archive_lock, readers_lock;
  try {
    archive_lock = io::RunLock::acquire(plan_.archive_folder, catalog::kBinlogArchiveLockScope, "binlogs stream");
    readers_lock = io::RunLock::acquire(plan_.archive_folder, catalog::kBinlogArchiveReadLockScope,
                                        "binlogs stream (release of uploaded binlogs)");
  } catch (const Error& error) {
    if (error.code() != ExitCode::precondition) throw;
    context_.console().detail("uploaded binlogs released at a later sync: " + std::string(error.what()));
    return;
  }
  archive::ServerBinlogs server;
  try {
    auto connection = context_.connect();
    for (auto& name : server_binlog_names(connection)) server.closed.push_back({std::move(name), 0, 0});
  } catch (const Error& error) {
    context_.console().warning("uploaded binlogs not released: the server's binlogs cannot be listed: " +
                               std::string(error.what()));
    return;
  }
  if (server.closed.empty()) return;  // a server listing no binlog says nothing of what it purged
  Report report;
  release_uploaded_binlogs(context_, plan_.archive_folder, bucket, server, report);
  upload_errors_.insert(upload_errors_.end(), report.errors.begin(), report.errors.end());
}

// A stream killed, or stopped while another run held the archive's lock, after naming a closed
// binlog and before recording it leaves that binlog unrecorded: never uploaded to the bucket, and
// recorded by nobody once the server has purged it. The binlogs after the record's newest are this
// stream's own (rotate-binlogs records each as it copies it): read to the end, as the stream
// verifies what it closes, and recorded at the first sync. An empty record (a new archive, or one
// whose record was unreadable) is left to rotate-binlogs, which compares each copy with the server.
void Streamer::adopt_unrecorded() {
  auto manifest = archive::Manifest::load(plan_.archive_folder);
  std::string newest;
  for (const auto& [name, copy] : manifest.copies())
    if (newest.empty() || binlog::binlog_name_less(newest, name)) newest = name;
  if (newest.empty()) return;
  std::shared_ptr<storage::Storage> archive_storage = storage::open_posix(plan_.archive_folder);
  for (const auto& object : archive_storage->list_level("").objects) {
    const std::string& name = object.key;
    if (!binlog::parse_binlog_name(name) || !binlog::binlog_name_less(newest, name) || manifest.find(name)) continue;
    std::string path = archive_storage->describe(name);
    archive::VerifiedCopy copy;
    try {
      copy = archive::record_whole_copy(archive_storage, name, context_.key_ring());
    } catch (const Error& error) {
      context_.console().warning(fmt::format("{} is in the archive without a record and is not whole ({}): left to "
                                             "rotate-binlogs",
                                             path, error.what()));
      continue;
    }
    pending_.push_back({name, copy});
    context_.console().info(fmt::format("recorded {}: archived by an earlier stream that ended before recording it", path));
  }
}

void Streamer::tick(bool force) {
  auto now = Clock::now();
  if (!force && now < next_sync_) return;
  sink_.sync();
  record_pending();
  write_state("streaming");
  next_sync_ = now + interval_;
}

void Streamer::take(std::span<const std::uint8_t> event) {
  std::optional<archive::Closed> closed;
  try {
    closed = sink_.take(event);
  } catch (const Error&) {
    fatal_ = true;  // the archive's side: reconnecting would not mend it
    throw;
  }
  if (!closed) return;
  context_.console().info(fmt::format("archived {} ({}): streamed and verified", closed->binlog,
                                      core::human_size(closed->copy.size)));
  archived_.push_back(closed->binlog);
  pending_.push_back(std::move(*closed));
  tick(true);
}

void Streamer::session() {
  mysql::ConnectionOptions options = mysql::options_from_settings(context_.settings());
  // Heartbeats come at least 4 times a second while the binlog is idle: a silent second is a dead link.
  unsigned heartbeat = 250;
  options.read_timeout = 3;
  mysql::Connection connection = mysql::Connection::open(options);
  const auto& point = sink_.point();
  mysql::BinlogDump dump(connection, {point.file, point.position, plan_.server_id, plan_.options.until_current, heartbeat});
  write_state("streaming");
  while (!stop_.requested()) {
    mysql::DumpPacket packet = dump.next();
    if (packet.kind == mysql::DumpPacket::Kind::end) {
      caught_up_ = true;
      return;
    }
    ++packets_;
    take(packet.bytes);
    tick(interval_.count() == 0);
  }
}

bool Streamer::pause(milliseconds duration) const {
  auto until = Clock::now() + duration;
  while (Clock::now() < until) {
    if (stop_.requested()) return false;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return !stop_.requested();
}

void Streamer::give_up(const Error& error) {
  write_state("failed", error.what());
  if (error.server_code() == static_cast<int>(mysql::kErrorReadingBinlog))
    throw precondition_error("the server cannot send {} from byte {} (purged before it was archived?): {}",
                             sink_.point().file, sink_.point().position, error.what());
  throw error;
}

Report Streamer::run() {
  auto archive_storage = storage::open_posix(plan_.archive_folder);
  for (const auto& stale : plan_.end.stale) archive_storage->remove(archive::streaming_name(stale));
  adopt_unrecorded();
  record_pending();
  write_state("streaming");
  context_.console().info(plan_.text());
  milliseconds backoff = kFirstBackoff;
  while (!stop_.requested() && !caught_up_) {
    std::uint64_t before = packets_;
    try {
      session();
    } catch (const Error& error) {
      if (stop_.requested()) break;
      sink_.sync();
      bool connection = !fatal_ && error.server_code() != static_cast<int>(mysql::kErrorReadingBinlog) &&
                        error.code() != ExitCode::usage;
      if (!connection || plan_.options.until_current) give_up(error);
      if (packets_ > before) backoff = kFirstBackoff;
      write_state("reconnecting", error.what());
      context_.console().warning(fmt::format("{}; reconnecting in {} ms", error.what(), backoff.count()));
      if (!pause(backoff)) break;
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
  }
  sink_.sync();
  record_pending();
  write_state("stopped");
  Report report;
  const auto& point = sink_.point();
  report.data.update({{"archived", archived_}, {"file", point.file}, {"position", point.position},
                      {"events", sink_.events()}, {"caught_up", caught_up_}, {"upload_errors", upload_errors_},
                      {"signal", stop_.signal()}});
  report.errors = upload_errors_;
  if (!upload_errors_.empty()) report.code = ExitCode::failed;
  context_.console().summary(fmt::format("{}: {} events streamed, {} binlog(s) archived; {} synced at byte {}",
                                         stop_.requested() ? "stopped" : "caught up", sink_.events(), archived_.size(),
                                         archive::streaming_name(point.file), point.position));
  return report;
}

}  // namespace

Report execute_stream(Context& context, const StreamPlan& plan) {
  io::StopSignals stop;
  Streamer streamer(context, plan, stop);
  return streamer.run();
}

}  // namespace mysqlpitr::commands
