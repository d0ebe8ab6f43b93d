#include "dump/executor.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "core/error.hpp"
#include "dump/assemble.hpp"
#include "dump/database_stream.hpp"
#include "dump/snapshot.hpp"
#include "dump/table_dump.hpp"
#include "io/files.hpp"

namespace mysqlpitr::dump {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Where a database stands while the workers run.
struct DatabaseState {
  DatabaseOutput output;
  std::unique_ptr<DatabaseStream> stream;  // streaming: the file being written, opened by the first job
  size_t remaining = 0;  // jobs not finished yet
  bool failed = false;
  std::string error;
};

class Executor {
 public:
  Executor(const DumpPlan& plan, const DumpRequest& request, const ProgressCallback& progress)
      : plan_(plan), request_(request), progress_(progress), budget_(request.spool_limit),
        states_(plan.databases.size()), queue_(plan.queue),
        streaming_(request.destination && request.spool_limit > 0 && plan.kind != DumpKind::schema) {
    for (size_t d = 0; d < plan_.databases.size(); ++d)
      if (plan_.databases[d].failed()) fail_database(states_[d], plan_.databases[d].error);
    for (const DumpJob& job : queue_) {
      ++states_[job.database].remaining;
      if (job.table) states_[job.database].output.segments.resize(plan_.databases[job.database].tables.size());
    }
    locked_jobs_left_ = plan_.locked_jobs;
    // Streaming needs each database's jobs started in file order (database_stream.hpp); those
    // under the read lock still go first (their segments never wait).
    if (streaming_)
      std::stable_sort(queue_.begin() + static_cast<std::ptrdiff_t>(plan_.locked_jobs), queue_.end(),
                       [this](const DumpJob& a, const DumpJob& b) {
                         return std::pair(a.database, slot_of(a)) < std::pair(b.database, slot_of(b));
                       });
  }

  DumpReport execute(mysql::Connection& control);

 private:
  void work(size_t worker_index);
  // `lock_job_counted`: set once a job under the read lock is counted as done (before its segment
  // is added to a streamed file, which may wait for the upload: the lock is not held for that).
  void run_job(mysql::Connection& connection, const DumpJob& job, bool& lock_job_counted);
  void count_lock_job_done();
  void job_finished(size_t database, const std::string& error);
  void assemble_database(size_t database);
  void report_progress();
  void wait_for_workers(std::optional<SharedSnapshot>& snapshot);
  void collect_failures();
  std::string spool_name(size_t database, size_t slot) const;
  size_t slot_of(const DumpJob& job) const {
    return job.table ? *job.table : plan_.databases[job.database].tables.size();
  }
  DatabaseStream& stream_of(size_t database);
  // `abandon_stream` false: the caller abandons the stream itself, outside the lock.
  static void fail_database(DatabaseState& state, const std::string& error, bool abandon_stream = true);
  // Drops a database's stream (an unpublished upload is aborted) and then its spools.
  static void release(DatabaseState& state) {
    state.stream.reset();
    state.output.discard();
  }

  const DumpPlan& plan_;
  const DumpRequest& request_;
  const ProgressCallback& progress_;
  DumpReport report_;
  Clock::time_point started_ = Clock::now();

  std::vector<mysql::Connection> workers_;
  std::unique_ptr<io::CompressorPool> pool_;
  std::unique_ptr<FileAssembler> assembler_;
  TableCounters counters_;

  SpoolBudget budget_;  // streaming: what the segments waiting for their turn may spool at once

  std::mutex mutex_;  // guards everything below and states_' bookkeeping
  std::condition_variable changed_;
  std::vector<DatabaseState> states_;
  std::vector<DumpJob> queue_;
  const bool streaming_;  // mode s3: files written while their tables are dumped, the spool bounded
  size_t next_job_ = 0;
  size_t locked_jobs_left_ = 0;
  size_t live_workers_ = 0;
  unsigned tables_done_ = 0;
};

std::string Executor::spool_name(size_t database, size_t slot) const {
  return io::join_path(request_.folder, fmt::format("{}.{}-{}", plan_.databases[database].file_name, database, slot));
}

// The database's streamed file, opened (its header written) by its first job.
DatabaseStream& Executor::stream_of(size_t database) {
  std::lock_guard lock(mutex_);
  DatabaseState& state = states_[database];
  if (!state.stream) {
    const DatabasePlan& plan = plan_.databases[database];
    std::vector<bool> has_job(plan.tables.size() + 1, false);
    for (const DumpJob& job : queue_)
      if (job.database == database) has_job[slot_of(job)] = true;
    state.stream = std::make_unique<DatabaseStream>(assembler_->open_database_file(plan), std::move(has_job));
    if (state.failed) state.stream->abandon();
  }
  return *state.stream;
}

void Executor::run_job(mysql::Connection& connection, const DumpJob& job, bool& lock_job_counted) {
  const DatabasePlan& database = plan_.databases[job.database];
  DatabaseState& state = states_[job.database];
  size_t slot = slot_of(job);
  DatabaseStream* stream = streaming_ ? &stream_of(job.database) : nullptr;
  auto segment = std::make_unique<Segment>(spool_name(job.database, slot), plan_.compression, request_.level, *pool_,
                                           request_.encryption_key != nullptr,
                                           stream && !job.under_lock ? &budget_ : nullptr);
  Segment& written = *segment;
  {
    // Owned by the database's output from the start: a stream may hand its bytes over while it runs.
    std::lock_guard lock(mutex_);
    if (job.table) state.output.segments[*job.table] = std::move(segment);
    else state.output.objects = std::move(segment);
  }
  if (stream) stream->started(slot, written, !job.under_lock);
  if (job.table) {
    TableDumpOptions options;
    options.with_data = plan_.with_data();
    options.max_statement_bytes = request_.max_statement_bytes;
    TableContent content = dump_table(connection, database.name, database.tables[*job.table], options,
                                      written.writer(), counters_);
    written.finish();
    if (job.under_lock) {
      count_lock_job_done();
      lock_job_counted = true;
    }
    if (stream) stream->finished(slot);
    std::lock_guard lock(mutex_);
    const std::string& name = database.tables[*job.table].name;
    state.output.rows += content.rows;
    state.output.table_rows[name] = content.rows;
    if (plan_.with_data() && !database.tables[*job.table].is_sequence)
      state.output.table_digests[name] = content.digest.hex();
    state.output.sql_bytes += written.writer().bytes_in();
    ++tables_done_;
  } else {
    dump_database_objects(connection, database.name, database.tables, written.writer());
    written.finish();
    if (stream) stream->finished(slot);
    std::lock_guard lock(mutex_);
    state.output.sql_bytes += written.writer().bytes_in();
  }
}

void Executor::count_lock_job_done() {
  {
    std::lock_guard lock(mutex_);
    --locked_jobs_left_;
  }
  changed_.notify_all();  // wait_for_workers releases the read lock after the last one
}

void Executor::fail_database(DatabaseState& state, const std::string& error, bool abandon_stream) {
  if (!state.failed) {
    state.failed = true;
    state.error = error;
    if (abandon_stream && state.stream) state.stream->abandon();
  }
}

void Executor::assemble_database(size_t database) {
  DatabaseState& state = states_[database];
  try {
    if (state.stream && !state.stream->complete())
      throw failure("{}: not every table reached the streamed file", plan_.databases[database].file_name);
    DumpedFile file = state.stream ? assembler_->finish_database_file(plan_.databases[database], state.output,
                                                                      state.stream->output())
                                   : assembler_->database_file(plan_.databases[database], state.output);
    std::lock_guard lock(mutex_);
    report_.files.push_back(std::move(file));
  } catch (const std::exception& e) {  // Error, or a JSON or allocation failure: never past a thread
    std::lock_guard lock(mutex_);
    fail_database(state, e.what());
  }
  release(state);  // the last job's thread: no other one touches this database now
}

void Executor::job_finished(size_t database, const std::string& error) {
  DatabaseState& state = states_[database];
  if (!error.empty()) {
    // The stream is abandoned outside the lock (its live writer may be waiting for the upload),
    // while this job still counts: no other thread releases it meanwhile.
    DatabaseStream* stream = nullptr;
    {
      std::lock_guard lock(mutex_);
      stream = state.failed ? nullptr : state.stream.get();
      fail_database(state, error, false);
    }
    if (stream) stream->abandon();
  }
  bool assemble = false, failed_last = false;
  {
    std::lock_guard lock(mutex_);
    assemble = --state.remaining == 0 && !state.failed && plan_.kind != DumpKind::schema;
    failed_last = state.remaining == 0 && state.failed;
  }
  if (failed_last) release(state);  // aborts the upload: network, outside the lock
  if (assemble) assemble_database(database);
  changed_.notify_all();
}

void Executor::work(size_t index) {
  mysql::Connection& connection = workers_[index];
  for (;;) {
    DumpJob job;
    bool skip;
    {
      std::lock_guard lock(mutex_);
      if (next_job_ >= queue_.size()) break;
      job = queue_[next_job_++];
      DatabaseState& state = states_[job.database];
      skip = state.failed;
      if (!state.output.started_set) {
        state.output.started_set = true;
        state.output.started = Clock::now();
      }
    }
    std::string error;
    bool lost = false;
    bool lock_job_counted = false;
    if (!skip) {
      try {
        run_job(connection, job, lock_job_counted);
      } catch (const Error& e) {
        error = e.what();
        lost = mysql::client_error(e);  // the worker is unusable: the others take the rest
      } catch (const std::exception& e) {
        error = e.what();
      }
    }
    if (job.under_lock && !lock_job_counted) count_lock_job_done();
    job_finished(job.database, error);
    if (lost) break;
  }
  std::lock_guard lock(mutex_);
  --live_workers_;
  changed_.notify_all();
}

void Executor::report_progress() {
  if (!progress_) return;
  DumpProgress p;
  {
    std::lock_guard lock(mutex_);
    p.tables_done = tables_done_;
    p.tables_total = plan_.tables_total;
  }
  p.rows = counters_.rows.load(std::memory_order_relaxed);
  p.sql_bytes = counters_.bytes.load(std::memory_order_relaxed);
  p.seconds = seconds_since(started_);
  progress_(p);
}

// Releases the global read lock once the jobs that need it are done, and reports progress.
void Executor::wait_for_workers(std::optional<SharedSnapshot>& snapshot) {
  std::unique_lock lock(mutex_);
  while (live_workers_ > 0) {
    if (snapshot && locked_jobs_left_ == 0) {
      lock.unlock();
      snapshot->unlock();
      lock.lock();
    }
    changed_.wait_for(lock, std::chrono::milliseconds(250));
    lock.unlock();
    report_progress();
    lock.lock();
  }
}

void Executor::collect_failures() {
  // Jobs left when every worker lost its connection.
  for (size_t j = next_job_; j < queue_.size(); ++j)
    fail_database(states_[queue_[j].database], "no worker connection left to dump it");
  if (plan_.kind == DumpKind::schema &&
      std::none_of(states_.begin(), states_.end(), [](const DatabaseState& s) { return s.failed; })) {
    // A structure file missing a database must not look finished: written only when all are whole.
    std::vector<DatabaseOutput> outputs;
    for (DatabaseState& state : states_) outputs.push_back(std::move(state.output));
    try {
      report_.files.push_back(assembler_->schema_file(outputs, started_));
    } catch (const Error& e) {
      report_.failures.push_back({"", e.what()});
    }
  }
  for (size_t d = 0; d < states_.size(); ++d) {
    if (states_[d].failed) report_.failures.push_back({plan_.databases[d].name, states_[d].error});
    release(states_[d]);
  }
  if (plan_.kind == DumpKind::schema && !report_.failures.empty() && report_.files.empty() &&
      std::none_of(report_.failures.begin(), report_.failures.end(), [](auto& f) { return f.database.empty(); }))
    report_.failures.push_back({"", "the structure file was not written because some databases failed"});
}

DumpReport Executor::execute(mysql::Connection& control) {
  report_.kind = plan_.kind;
  report_.server_version = plan_.facts.version;
  report_.non_transactional = plan_.non_transactional;
  for (unsigned i = 0; i < plan_.jobs; ++i) {
    workers_.push_back(mysql::Connection::open(request_.connection));
    prepare_dump_session(workers_.back());
  }
  pool_ = std::make_unique<io::CompressorPool>(plan_.jobs);

  std::optional<SharedSnapshot> snapshot;
  if (plan_.takes_snapshot()) {
    snapshot.emplace(control, workers_, plan_.facts);
    report_.coordinates = snapshot->coordinates();
  }
  assembler_ = std::make_unique<FileAssembler>(request_, plan_, report_.coordinates);

  live_workers_ = workers_.size();
  std::vector<std::thread> threads;
  for (size_t i = 0; i < workers_.size(); ++i) threads.emplace_back([this, i] { work(i); });
  wait_for_workers(snapshot);
  for (auto& thread : threads) thread.join();
  if (snapshot) {
    snapshot->unlock();
    report_.lock_seconds = snapshot->lock_seconds();
  }
  collect_failures();
  std::sort(report_.files.begin(), report_.files.end(), [](auto& a, auto& b) { return a.path < b.path; });
  report_.seconds = seconds_since(started_);
  return std::move(report_);
}

}  // namespace

DumpReport execute_dump(const DumpPlan& plan, const DumpRequest& request, mysql::Connection& control,
                        const ProgressCallback& progress) {
  Executor executor(plan, request, progress);
  return executor.execute(control);
}

}  // namespace mysqlpitr::dump
