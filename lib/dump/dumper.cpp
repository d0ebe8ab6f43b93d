#include "dump/dumper.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "dump/manifest.hpp"
#include "dump/output.hpp"
#include "dump/snapshot.hpp"
#include "dump/table_dump.hpp"
#include "io/files.hpp"
#include "mysql/server_facts.hpp"

namespace mysqlpitr::dump {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

struct DatabaseWork {
  std::string name;
  std::string create_sql;
  std::vector<TableInfo> tables;  // by name, views included
  std::vector<std::unique_ptr<Segment>> segments;  // per table (null for views)
  std::unique_ptr<Segment> objects;
  size_t remaining = 0;  // jobs not finished yet
  bool failed = false;
  std::string error;
  unsigned long long rows = 0;
  unsigned long long sql_bytes = 0;
  Clock::time_point started = Clock::now();
  bool started_set = false;
};

struct Job {
  size_t database = 0;
  std::optional<size_t> table;  // nullopt: the database's stored objects
  bool under_lock = false;      // a non-transactional table, read while the global lock is held
};

// Connector/C's own errors (2000-2999: lost connection, server gone) leave a worker unusable.
bool connection_lost(const mysql::Connection& connection) {
  unsigned code = mysql_errno(connection.handle());
  return code >= 2000 && code < 3000;
}

class Run {
 public:
  Run(const DumpRequest& request, const ProgressCallback& progress) : request_(request), progress_(progress) {
    if (request_.kind == DumpKind::pitr_base) compression_ = io::Compression::none;
    else compression_ = request_.compression;
    jobs_ = std::max(1u, request_.jobs);
  }

  DumpReport execute();

 private:
  void plan(mysql::Connection& control);
  void work(size_t worker_index);
  void run_job(mysql::Connection& connection, const Job& job);
  void job_finished(size_t database, const std::string& error);
  void assemble_database(DatabaseWork& work);
  void assemble_schema_file();
  std::string header(const std::string& database) const;
  std::string spool_name(const std::string& final_name, size_t database, size_t table) const;
  // The file name of a database's dump (the schema file for ""), checked to stay in the folder.
  std::string final_name(const std::string& database) const;
  nlohmann::json manifest_json(const DumpedFile& file, const std::vector<std::string>& databases) const;
  void add_file(OutputAssembler& out, DumpedFile file, const std::vector<std::string>& databases);
  void fail_database(DatabaseWork& work, const std::string& error);

  const DumpRequest& request_;
  const ProgressCallback& progress_;
  io::Compression compression_;
  unsigned jobs_;
  mysql::ServerFacts facts_;
  DumpReport report_;
  Clock::time_point started_ = Clock::now();

  std::vector<DatabaseWork> databases_;
  std::vector<Job> queue_;
  std::vector<mysql::Connection> workers_;
  std::unique_ptr<io::CompressorPool> pool_;
  TableCounters counters_;

  std::mutex mutex_;  // guards everything below and databases_' bookkeeping
  std::condition_variable changed_;
  size_t next_job_ = 0;
  size_t locked_jobs_left_ = 0;
  size_t live_workers_ = 0;
  unsigned tables_done_ = 0;
  unsigned tables_total_ = 0;
  std::mutex manifest_mutex_;
};

void Run::plan(mysql::Connection& control) {
  facts_ = mysql::read_server_facts(control);
  report_.server_version = facts_.version;
  if (request_.kind == DumpKind::pitr_base && !facts_.log_bin)
    throw precondition_error(
        "binary logging is off on the server ({}): a PITR base needs log_bin to record its coordinates",
        request_.connection.describe());
  std::vector<std::string> names = request_.databases;
  std::vector<std::string> present = mysql::list_databases(control, {});
  if (names.empty()) names = mysql::list_databases(control, request_.exclude);
  for (const std::string& name : names) {
    DatabaseWork work;
    work.name = name;
    if (std::find(present.begin(), present.end(), name) == present.end()) {
      work.failed = true;
      work.error = "no such database on the server";
      databases_.push_back(std::move(work));
      continue;
    }
    try {
      work.create_sql = show_create_database(control, name);
      work.tables = list_tables(control, name);
    } catch (const Error& error) {
      work.failed = true;
      work.error = error.what();
    }
    databases_.push_back(std::move(work));
  }
  std::vector<Job> locked, free;
  bool with_data = request_.kind != DumpKind::schema;
  for (size_t d = 0; d < databases_.size(); ++d) {
    DatabaseWork& work = databases_[d];
    if (work.failed) continue;
    work.segments.resize(work.tables.size());
    // Large tables first, so the last job of a run is not the one that takes longest.
    std::vector<size_t> order;
    for (size_t t = 0; t < work.tables.size(); ++t)
      if (!work.tables[t].is_view) order.push_back(t);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return work.tables[a].estimated_rows > work.tables[b].estimated_rows;
    });
    for (size_t t : order) {
      const TableInfo& table = work.tables[t];
      bool needs_lock = with_data && !table.transactional;
      if (needs_lock) report_.non_transactional.push_back(mysql::quote_identifier(work.name) + "." +
                                                          mysql::quote_identifier(table.name));
      (needs_lock ? locked : free).push_back(Job{d, t, needs_lock});
      ++tables_total_;
    }
    free.push_back(Job{d, std::nullopt, false});
    work.remaining = order.size() + 1;
  }
  locked_jobs_left_ = locked.size();
  queue_ = std::move(locked);
  queue_.insert(queue_.end(), free.begin(), free.end());
}

std::string Run::header(const std::string& database) const {
  HeaderInfo info;
  info.tool_version = request_.tool_version;
  info.server_description = request_.connection.describe();
  info.database = database;
  info.server_version = facts_.version;
  if (request_.kind == DumpKind::pitr_base) info.coordinates = report_.coordinates;
  return file_header(info);
}

std::string Run::spool_name(const std::string& final_name, size_t database, size_t table) const {
  return io::join_path(request_.folder, fmt::format("{}.{}-{}", final_name, database, table));
}

std::string Run::final_name(const std::string& database) const {
  std::string name = catalog::dump_file_name(request_.kind, database, request_.date_text, compression_);
  catalog::path_in_folder(request_.folder, name);  // throws for a name that would write elsewhere
  return name;
}

void Run::run_job(mysql::Connection& connection, const Job& job) {
  DatabaseWork& work = databases_[job.database];
  std::string final_name = this->final_name(work.name);
  size_t slot = job.table ? *job.table : work.tables.size();
  auto segment = std::make_unique<Segment>(spool_name(final_name, job.database, slot), compression_, request_.level,
                                           *pool_);
  if (job.table) {
    TableDumpOptions options;
    options.with_data = request_.kind != DumpKind::schema;
    options.max_statement_bytes = request_.max_statement_bytes;
    unsigned long long rows = dump_table(connection, work.name, work.tables[*job.table], options,
                                         segment->writer(), counters_);
    segment->finish();
    std::lock_guard lock(mutex_);
    work.rows += rows;
    work.sql_bytes += segment->writer().bytes_in();
    work.segments[*job.table] = std::move(segment);
    ++tables_done_;
  } else {
    dump_database_objects(connection, work.name, work.tables, segment->writer());
    segment->finish();
    std::lock_guard lock(mutex_);
    work.sql_bytes += segment->writer().bytes_in();
    work.objects = std::move(segment);
  }
}

void Run::fail_database(DatabaseWork& work, const std::string& error) {
  if (!work.failed) {
    work.failed = true;
    work.error = error;
  }
}

void Run::job_finished(size_t database, const std::string& error) {
  DatabaseWork& work = databases_[database];
  bool assemble = false;
  {
    std::lock_guard lock(mutex_);
    if (!error.empty()) fail_database(work, error);
    assemble = --work.remaining == 0 && !work.failed && request_.kind != DumpKind::schema;
    if (work.remaining == 0 && work.failed) {
      work.segments.clear();  // removes the spools
      work.objects.reset();
    }
  }
  if (assemble) {
    try {
      assemble_database(work);
    } catch (const std::exception& e) {  // Error, or a JSON or allocation failure: never past a thread
      std::lock_guard lock(mutex_);
      fail_database(work, e.what());
    }
    std::lock_guard lock(mutex_);
    work.segments.clear();
    work.objects.reset();
  }
  changed_.notify_all();
}

void Run::work(size_t index) {
  mysql::Connection& connection = workers_[index];
  for (;;) {
    Job job;
    {
      std::lock_guard lock(mutex_);
      if (next_job_ >= queue_.size()) break;
      job = queue_[next_job_++];
    }
    DatabaseWork& work = databases_[job.database];
    bool skip;
    {
      std::lock_guard lock(mutex_);
      skip = work.failed;
      if (!work.started_set) {
        work.started_set = true;
        work.started = Clock::now();
      }
    }
    std::string error;
    bool lost = false;
    if (!skip) {
      try {
        run_job(connection, job);
      } catch (const Error& e) {
        error = e.what();
        lost = connection_lost(connection);
      } catch (const std::exception& e) {
        error = e.what();
      }
    }
    if (job.under_lock) {
      std::lock_guard lock(mutex_);
      --locked_jobs_left_;
    }
    job_finished(job.database, error);
    if (lost) break;  // the other workers take the remaining jobs
  }
  std::lock_guard lock(mutex_);
  --live_workers_;
  changed_.notify_all();
}

nlohmann::json Run::manifest_json(const DumpedFile& file, const std::vector<std::string>& databases) const {
  nlohmann::json entry = {
      {"kind", kind_name(request_.kind)},
      {"size", file.size},
      {"sha256", file.sha256},
      {"compression", io::compression_name(compression_)},
      {"sql_bytes", file.sql_bytes},
      {"databases", databases},
      {"tables", file.tables},
      {"rows", file.rows},
      {"seconds", file.seconds},
      {"server_version", facts_.version},
      {"completed_at", core::format_datetime(std::time(nullptr))},
  };
  if (report_.coordinates) {
    entry["binlog_file"] = report_.coordinates->file;
    entry["binlog_position"] = report_.coordinates->position;
    if (!report_.coordinates->gtid.empty()) entry["gtid"] = report_.coordinates->gtid;
  }
  return entry;
}

void Run::add_file(OutputAssembler& out, DumpedFile file, const std::vector<std::string>& databases) {
  {
    std::lock_guard lock(manifest_mutex_);
    publish_recorded(file.path, out.temp_path(), manifest_json(file, databases), [&] { out.commit(); });
  }
  std::lock_guard lock(mutex_);
  report_.files.push_back(std::move(file));
}

void Run::assemble_database(DatabaseWork& work) {
  std::string final_name = this->final_name(work.name);
  with_context("writing " + final_name, [&] {
    OutputAssembler out(catalog::path_in_folder(request_.folder, final_name), compression_, request_.level);
    out.add_text(header(work.name) + database_head(work.name, work.create_sql));
    DumpedFile file;
    for (auto& segment : work.segments)
      if (segment) {
        out.add_segment(*segment);
        ++file.tables;
      }
    out.add_segment(*work.objects);
    out.add_text(file_footer(core::format_datetime(std::time(nullptr))));
    FinishedFile finished = out.finish();
    file.path = finished.path;
    file.database = work.name;
    file.size = finished.size;
    file.sha256 = finished.sha256;
    file.rows = work.rows;
    file.sql_bytes = work.sql_bytes;
    file.seconds = seconds_since(work.started);
    add_file(out, std::move(file), {work.name});
  });
}

void Run::assemble_schema_file() {
  std::string final_name = this->final_name("");
  std::vector<std::string> names;
  for (const DatabaseWork& work : databases_) {
    if (work.failed) return;  // a structure file missing a database must not look finished
    names.push_back(work.name);
  }
  with_context("writing " + final_name, [&] {
    OutputAssembler out(catalog::path_in_folder(request_.folder, final_name), compression_, request_.level);
    out.add_text(header(""));
    DumpedFile file;
    for (DatabaseWork& work : databases_) {
      out.add_text(database_head(work.name, work.create_sql));
      for (auto& segment : work.segments)
        if (segment) {
          out.add_segment(*segment);
          ++file.tables;
        }
      out.add_segment(*work.objects);
      file.sql_bytes += work.sql_bytes;
    }
    out.add_text(file_footer(core::format_datetime(std::time(nullptr))));
    FinishedFile finished = out.finish();
    file.path = finished.path;
    file.size = finished.size;
    file.sha256 = finished.sha256;
    file.seconds = seconds_since(started_);
    add_file(out, std::move(file), names);
  });
}

DumpReport Run::execute() {
  report_.kind = request_.kind;
  mysql::Connection control = mysql::Connection::open(request_.connection);
  prepare_dump_session(control);
  plan(control);
  for (unsigned i = 0; i < jobs_; ++i) {
    workers_.push_back(mysql::Connection::open(request_.connection));
    prepare_dump_session(workers_.back());
  }
  pool_ = std::make_unique<io::CompressorPool>(jobs_);

  // The structure-only dump reads no rows, so it needs no snapshot and never blocks writers.
  std::optional<SharedSnapshot> snapshot;
  if (request_.kind != DumpKind::schema) {
    snapshot.emplace(control, workers_, facts_);
    report_.coordinates = snapshot->coordinates();
  } else if (facts_.log_bin) {
    report_.coordinates.reset();
  }

  live_workers_ = workers_.size();
  std::vector<std::thread> threads;
  for (size_t i = 0; i < workers_.size(); ++i) threads.emplace_back([this, i] { work(i); });

  auto report_progress = [&] {
    if (!progress_) return;
    DumpProgress p;
    {
      std::lock_guard lock(mutex_);
      p.tables_done = tables_done_;
      p.tables_total = tables_total_;
    }
    p.rows = counters_.rows.load(std::memory_order_relaxed);
    p.sql_bytes = counters_.bytes.load(std::memory_order_relaxed);
    p.seconds = seconds_since(started_);
    progress_(p);
  };
  {
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
  for (auto& thread : threads) thread.join();
  if (snapshot) {
    snapshot->unlock();
    report_.lock_seconds = snapshot->lock_seconds();
  }

  // Jobs left when every worker lost its connection.
  for (size_t j = next_job_; j < queue_.size(); ++j) {
    DatabaseWork& work = databases_[queue_[j].database];
    fail_database(work, "no worker connection left to dump it");
  }
  if (request_.kind == DumpKind::schema) {
    try {
      assemble_schema_file();
    } catch (const Error& e) {
      report_.failures.push_back({"", e.what()});
    }
  }
  for (DatabaseWork& work : databases_) {
    if (work.failed) report_.failures.push_back({work.name, work.error});
    work.segments.clear();
    work.objects.reset();
  }
  if (request_.kind == DumpKind::schema && !report_.failures.empty() && report_.files.empty() &&
      std::none_of(report_.failures.begin(), report_.failures.end(), [](auto& f) { return f.database.empty(); }))
    report_.failures.push_back({"", "the structure file was not written because some databases failed"});
  std::sort(report_.files.begin(), report_.files.end(), [](auto& a, auto& b) { return a.path < b.path; });
  report_.seconds = seconds_since(started_);
  return std::move(report_);
}

}  // namespace

DumpReport run_dump(const DumpRequest& request, const ProgressCallback& progress) {
  Run run(request, progress);
  return run.execute();
}

}  // namespace mysqlpitr::dump
