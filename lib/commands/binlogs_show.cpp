#include "commands/binlogs_show.hpp"

#include <set>

#include "binlog/reader.hpp"
#include "binlog/show.hpp"
#include "core/time.hpp"
#include "crypto/decrypting_random_source.hpp"
#include "ui/json_stream.hpp"

namespace mysqlpitr::commands {
namespace {

std::optional<std::time_t> parse_time(const std::string& text, const char* option) {
  if (text.empty()) return std::nullopt;
  auto parsed = core::parse_datetime(text);
  if (!parsed) {
    throw usage_error("{} '{}' is not a real date and time: expected 'YYYY-MM-DD HH:MM:SS', optionally with Z or "
                      "+HH:MM",
                      option, text);
  }
  return core::to_epoch_local(*parsed);
}

// Human lines go out in batches, so a large binlog never sits whole in memory as text.
constexpr std::size_t kLinesPerBatch = 2000;

class LineBatch {
 public:
  explicit LineBatch(ui::Console& console) : console_(console) {}
  void add(const std::string& line) {
    text_ += line;
    text_ += '\n';
    if (++lines_ == kLinesPerBatch) flush();
  }
  void flush() {
    if (text_.empty()) return;
    text_.pop_back();
    console_.result(text_);
    text_.clear();
    lines_ = 0;
  }

 private:
  ui::Console& console_;
  std::string text_;
  std::size_t lines_ = 0;
};

// What the operator should know about the file beyond its events: each kind said once.
void note_event(const binlog::Event& event, const binlog::FileReader& reader, std::set<int>& unknown_reported,
                nlohmann::json& warnings) {
  if (event.as<binlog::FormatDescription>() && reader.in_use() && event.position == 4) {
    warnings.push_back("the format description is flagged in use: the server had this binlog open "
                       "(active file, or it was not closed properly)");
  }
  if (event.as<binlog::UnknownEvent>() && unknown_reported.insert(event.header.type_code).second) {
    warnings.push_back(fmt::format("event type {} ({}) first seen at byte offset {} is not decoded",
                                   event.header.type_code, event.type_name(), event.position));
  }
}

}  // namespace

Report run_binlogs_show(Context& context, const BinlogsShowOptions& options) {
  binlog::ShowFilter filter;
  filter.database = options.database;
  filter.start_position = options.start_position;
  filter.stop_position = options.stop_position;
  filter.start_time = parse_time(options.start_datetime, "--start-datetime");
  filter.stop_time = parse_time(options.stop_datetime, "--stop-datetime");

  Report report;
  const bool json = context.console().json();
  nlohmann::json warnings = nlohmann::json::array();
  std::set<int> unknown_reported;
  LineBatch batch(context.console());
  std::size_t shown = 0;

  // The configuration (for its keys) is read only for an archived binlog mysqlpitr encrypted:
  // showing any other file needs none.
  crypto::KeyRing* keys = crypto::read_header_of(options.file) ? context.key_ring() : nullptr;
  binlog::FileReader reader(options.file, binlog::ReaderOptions{.keys = keys});
  // With --json the events are written one by one into the document on stdout, never held: the
  // envelope's fields (ok, errors, warnings...) follow the array once reading has ended.
  ui::JsonStream* stream = json ? &context.console().json_stream() : nullptr;
  if (stream) {
    stream->field("file", options.file);
    stream->begin_array("events");
  }
  try {
    if (options.start_position && *options.start_position > 4) reader.seek(*options.start_position);
    while (const binlog::Event* event = reader.next()) {
      note_event(*event, reader, unknown_reported, warnings);
      binlog::Verdict verdict = binlog::judge(*event, filter);
      if (verdict == binlog::Verdict::stop) break;
      if (verdict == binlog::Verdict::skip) continue;
      ++shown;
      if (stream) stream->item(binlog::event_json(*event));
      else batch.add(binlog::event_line(*event));
    }
  } catch (const Error& error) {
    // The events before the damage were shown; the damage itself is the command's failure.
    report.code = ExitCode::failed;
    report.errors.push_back(error.what());
  }
  if (stream) stream->end_array();
  batch.flush();
  for (const auto& warning : warnings) context.console().warning(warning.get<std::string>());
  for (const auto& error : report.errors) context.console().error(error);
  report.data["warnings"] = warnings;
  report.data["shown"] = shown;
  return report;
}

}  // namespace mysqlpitr::commands
