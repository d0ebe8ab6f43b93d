#include "commands/verify_mongo.hpp"

#include "core/strings.hpp"
#include "mongo/verify.hpp"

namespace mysqlpitr::commands {

bool accepts_mongo_dump(const io::DirEntry& entry) {
  return entry.type == io::EntryType::directory && mongo::looks_like_dump_folder(entry.path);
}

VerifyOutcome verify_mongo_dump(Context& context, const io::DirEntry& entry) {
  mongo::VerifyReport report = mongo::verify_dump_folder(entry.path, context.key_ring());
  VerifyOutcome outcome{entry.path, "mongo dump", report.ok(), core::join(report.errors, "; "), nlohmann::json::object()};
  nlohmann::json collections = nlohmann::json::array();
  for (const auto& c : report.collections) {
    nlohmann::json item = {{"database", c.database}, {"collection", c.name}, {"documents", c.documents},
                           {"size", c.file_bytes}};
    if (!c.error.empty()) item["error"] = c.error;
    collections.push_back(item);
  }
  nlohmann::json ignored = nlohmann::json::array();
  for (const auto& note : report.ignored) ignored.push_back({{"path", note.path.string()}, {"reason", note.reason}});
  outcome.details = {{"collections", collections}, {"documents", report.documents()}, {"ignored", ignored}};
  return outcome;
}

}  // namespace mysqlpitr::commands
