#include "commands/verify_mongo.hpp"

#include "commands/bucket_mongo.hpp"
#include "core/strings.hpp"
#include "mongo/verify.hpp"

namespace mysqlpitr::commands {

bool accepts_mongo_dump(const io::DirEntry& entry) {
  return entry.type == io::EntryType::directory && mongo::looks_like_dump_folder(entry.path);
}

VerifyOutcome verify_mongo_dump(Context& context, const io::DirEntry& entry) {
  mongo::VerifyReport report = mongo::verify_dump_folder(entry.path, context.key_ring());
  // Mode both: whole documents cut off at the end read as a whole dump; the bucket's record of it
  // (every file's size) tells.
  if (std::string problem = local_copy_problem(context.settings(), entry.path); !problem.empty())
    report.errors.insert(report.errors.begin(), problem);
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
