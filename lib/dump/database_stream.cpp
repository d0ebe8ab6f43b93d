#include "dump/database_stream.hpp"

namespace mysqlpitr::dump {

DatabaseStream::DatabaseStream(std::unique_ptr<OutputAssembler> out, std::vector<bool> has_job)
    : out_(std::move(out)), segments_(has_job.size(), nullptr) {
  for (bool job : has_job) slots_.push_back(job ? Slot::waiting : Slot::absent);
}

void DatabaseStream::started(std::size_t slot, Segment& segment, bool may_go_live) {
  std::lock_guard lock(mutex_);
  segments_[slot] = &segment;
  slots_[slot] = may_go_live ? Slot::spooling : Slot::spooling_only;
  if (abandoned_) return segment.abandon();
  advance();
}

void DatabaseStream::finished(std::size_t slot) {
  std::lock_guard lock(mutex_);
  slots_[slot] = slots_[slot] == Slot::live ? Slot::added : Slot::finished;
  if (!abandoned_) advance();
}

void DatabaseStream::advance() {
  for (; next_ < slots_.size(); ++next_) {
    switch (slots_[next_]) {
      case Slot::absent:
      case Slot::added: continue;
      case Slot::finished:
        out_->add_segment(*segments_[next_]);
        segments_[next_]->release_spool();
        slots_[next_] = Slot::added;
        continue;
      case Slot::spooling:
        segments_[next_]->go_live([this](std::string_view bytes) { out_->add_compressed(bytes); });
        slots_[next_] = Slot::live;
        return;
      case Slot::live:
      case Slot::spooling_only:
      case Slot::waiting: return;
    }
  }
}

void DatabaseStream::abandon() {
  std::lock_guard lock(mutex_);
  abandoned_ = true;
  for (std::size_t slot = 0; slot < slots_.size(); ++slot)
    if (slots_[slot] == Slot::spooling || slots_[slot] == Slot::spooling_only || slots_[slot] == Slot::live)
      segments_[slot]->abandon();
}

bool DatabaseStream::complete() {
  std::lock_guard lock(mutex_);
  return next_ == slots_.size();
}

}  // namespace mysqlpitr::dump
