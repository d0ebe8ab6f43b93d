#include "mongo/restore.hpp"

#include <memory>
#include <mutex>
#include <optional>

#include "core/error.hpp"
#include "io/work_queue.hpp"
#include "mongo/bson_stream.hpp"

namespace mysqlpitr::mongo {

std::size_t RestoreResult::failures() const {
  std::size_t count = 0;
  for (const auto& c : collections) count += c.error.empty() ? 0 : 1;
  return count;
}

std::uint64_t RestoreResult::documents() const {
  std::uint64_t sum = 0;
  for (const auto& c : collections) sum += c.documents;
  return sum;
}

namespace {
// "create" options as dumped, minus what listCollections reports but create refuses.
Bson create_options(const DumpCollection& collection) {
  Bson options;
  if (!collection.metadata) return options;
  bson_iter_t iter;
  bson_iter_init(&iter, collection.metadata->options.get());
  while (bson_iter_next(&iter)) {
    std::string_view key = bson_iter_key(&iter);
    if (key == "uuid") continue;
    bson_append_iter(options.get(), nullptr, 0, &iter);
  }
  return options;
}

void insert_documents(Client& client, BsonFileReader& reader, const DumpCollection& collection,
                      const RestoreOptions& options, RestoredCollection& result) {
  DocumentBatch batch;
  const std::string target = collection.data_collection();
  auto flush = [&] {
    client.insert_unordered(collection.database, target, batch);
    result.documents += batch.count();
    batch.clear();
  };
  while (auto document = reader.next()) {
    if (batch.count() > 0 && (batch.count() >= options.batch_documents ||
                              batch.bytes() + document->size() > options.batch_bytes)) {
      flush();
    }
    batch.add(*document);
  }
  if (batch.count() > 0) flush();
}

void restore_collection(Client& client, const DumpCollection& collection, const RestoreItem& item,
                        const RestoreOptions& options, const FileOpener& open, RestoredCollection& result) {
  // Opened before anything is dropped: a dump file that cannot be read leaves the collection as it was.
  std::optional<BsonFileReader> reader;
  if (!collection.data_file.empty() && !collection.is_view()) reader.emplace(collection.data_file, true, open);
  if (item.drop) {
    client.drop_collection(collection.database, collection.name);
    result.dropped = true;
  }
  if (collection.metadata) {
    Bson create = create_options(collection);
    try {
      client.create_collection(collection.database, collection.name, create.get());
    } catch (const Error& error) {
      // NamespaceExists (48) is expected with --no-drop: documents go into what is there.
      if (item.drop || error.server_code() != kNamespaceExists) throw;
    }
  }
  if (reader) insert_documents(client, *reader, collection, options, result);
  if (collection.metadata && !collection.is_view()) {
    std::vector<Bson> specs;
    for (const auto& spec : collection.metadata->indexes) {
      Bson cleaned;
      if (index_for_create(spec.get(), cleaned)) specs.push_back(std::move(cleaned));
    }
    client.create_indexes(collection.database, collection.name, specs);
    result.indexes_built = specs.size();
  }
}
}  // namespace

RestoreResult run_restore(const ConnectionSettings& settings, const RestorePlan& plan,
                          const RestoreOptions& options, const RestoreProgress& progress) {
  ClientPool pool(settings, options.jobs);
  {
    Client probe(pool);
    probe.ping();  // a wrong address or password fails here, before anything is dropped
  }
  RestoreResult result;
  result.collections.resize(plan.items.size());
  std::mutex progress_mutex;
  io::run_parallel(
      plan.items.size(), options.jobs, [&] { return std::make_unique<Client>(pool); },
      [&](Client& client, std::size_t i) {
        const RestoreItem& item = plan.items[i];
        const DumpCollection& collection = plan.collection_of(item);
        RestoredCollection& done = result.collections[i];
        done.database = collection.database;
        done.name = collection.name;
        try {
          restore_collection(client, collection, item, options, plan.dump.open, done);
        } catch (const Error& error) {
          done.error = error.what();
        }
        std::lock_guard lock(progress_mutex);
        if (progress) progress(done);
      });
  return result;
}

}  // namespace mysqlpitr::mongo
