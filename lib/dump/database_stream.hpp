#pragma once
// A database's file written while its tables are still being dumped (mode s3: straight into the
// bucket), so that the spool stays bounded whatever the database's size. The file takes the
// segments in file order: the first unfinished one writes straight into it ("live"); the others
// spool (each at most its segment's spool limit, their writers waiting beyond it) and are added
// when their turn comes. The jobs of a database must be started in file order (the executor's
// queue; those under the global read lock may come first, as they never wait): then the first
// unfinished segment has always started and either goes live or never waits, so a waiting writer
// always waits for one that is running.
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "dump/output.hpp"

namespace mysqlpitr::dump {

class DatabaseStream {
 public:
  // `has_job[slot]`: whether a job writes that slot (the tables in file order, then the stored
  // objects); a slot without one (a view) is passed over.
  DatabaseStream(std::unique_ptr<OutputAssembler> out, std::vector<bool> has_job);
  DatabaseStream(const DatabaseStream&) = delete;
  DatabaseStream& operator=(const DatabaseStream&) = delete;

  // A job's segment for `slot` starts (it outlives this stream or abandon()). `may_go_live` false
  // (a table read under the global read lock, which must not wait for the upload): it is added
  // once finished, never written into the file directly.
  void started(std::size_t slot, Segment& segment, bool may_go_live = true);
  // Its segment is whole: added with every finished one after it when its turn has come.
  void finished(std::size_t slot);
  // The file will not be finished: its segments' writers throw at their next bytes.
  void abandon();
  // Every slot is in the file.
  bool complete();
  OutputAssembler& output() { return *out_; }

 private:
  enum class Slot { absent, waiting, spooling, spooling_only, live, finished, added };
  void advance();  // under mutex_

  std::mutex mutex_;
  std::unique_ptr<OutputAssembler> out_;
  std::vector<Slot> slots_;
  std::vector<Segment*> segments_;
  std::size_t next_ = 0;  // the first slot not added yet
  bool abandoned_ = false;
};

}  // namespace mysqlpitr::dump
