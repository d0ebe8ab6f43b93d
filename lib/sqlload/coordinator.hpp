#pragma once
// How the connections of one load keep out of each other's way. Every connection reads the whole
// dump and numbers its statements the same way. The main connection runs the definitions and
// skips rows; each data connection runs the session settings and the rows of the tables it
// claimed, and skips the rest. So:
//   - a data connection runs statement i only after the main one has run everything before i
//     (the table exists, the database is there);
//   - the main connection runs a definition that touches rows already in the file (DROP, ALTER of
//     a loaded table; anything it cannot attribute to one table) only after every data connection
//     has passed those rows.
// The first error anywhere stops everyone.
#include <condition_variable>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace mysqlpitr::sqlload {

class Coordinator {
 public:
  static constexpr unsigned long long kEnd = std::numeric_limits<unsigned long long>::max();

  explicit Coordinator(unsigned streams) : positions_(streams, 0), sql_bytes_(streams, 0), file_bytes_(streams, 0) {}

  // Main: everything before `position` has been run.
  void main_passed(unsigned long long position);
  // Main: waits until every data connection is past statement `index`; `tick` runs every 200 ms.
  void wait_streams_past(unsigned long long index, const std::function<void()>& tick);

  // Data connection: waits until the main connection has run everything before `index`.
  void wait_main(unsigned long long index);
  // Data connection: everything before `position` is done (kEnd when finished); byte counts are
  // for progress.
  void stream_at(unsigned stream, unsigned long long position, unsigned long long sql_bytes,
                 unsigned long long file_bytes);
  // Data connection: whether `key` (a table of the dump) is now this connection's to load.
  bool claim(const std::string& key, unsigned stream);

  void fail(std::exception_ptr error);
  bool failed() const;
  void rethrow_if_failed() const;

  // The slowest data connection's progress through the file.
  unsigned long long sql_bytes() const;
  unsigned long long file_bytes() const;

 private:
  void rethrow_locked() const;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  unsigned long long main_position_ = 0;
  std::vector<unsigned long long> positions_;
  std::vector<unsigned long long> sql_bytes_, file_bytes_;
  std::map<std::string, unsigned> owners_;
  std::exception_ptr error_;
};

}  // namespace mysqlpitr::sqlload
