#include "store.hpp"

#include <chrono>
#include <cstring>
#include <string_view>
#include <thread>

namespace mongo_test_double {

namespace {
constexpr std::size_t max_batch_bytes = 15 * 1024 * 1024;  // below maxBsonObjectSize with room for the envelope

std::string string_of(const bson_t* doc, const char* key) {
  bson_iter_t iter;
  if (bson_iter_init_find(&iter, doc, key) && BSON_ITER_HOLDS_UTF8(&iter)) return bson_iter_utf8(&iter, nullptr);
  return {};
}

std::int64_t number_of(const bson_t* doc, const char* key, std::int64_t fallback) {
  bson_iter_t iter;
  if (bson_iter_init_find(&iter, doc, key) && BSON_ITER_HOLDS_NUMBER(&iter)) return bson_iter_as_int64(&iter);
  return fallback;
}

// A comparable key for one element's value: its type and bytes, wrapped as {"": value}.
std::string value_key(const bson_iter_t* iter) {
  bson_t wrapper;
  bson_init(&wrapper);
  bson_append_iter(&wrapper, "", 0, iter);
  std::string key(reinterpret_cast<const char*>(bson_get_data(&wrapper)), wrapper.len);
  bson_destroy(&wrapper);
  return key;
}

bool sub_document(const bson_t* doc, const char* key, bson_t* out) {
  bson_iter_t iter;
  if (!bson_iter_init_find(&iter, doc, key) || !(BSON_ITER_HOLDS_DOCUMENT(&iter) || BSON_ITER_HOLDS_ARRAY(&iter))) {
    return false;
  }
  std::uint32_t length = 0;
  const std::uint8_t* data = nullptr;
  if (BSON_ITER_HOLDS_ARRAY(&iter)) {
    bson_iter_array(&iter, &length, &data);
  } else {
    bson_iter_document(&iter, &length, &data);
  }
  return bson_init_static(out, data, length);
}

// Every top-level field of `filter` equal in `document` (enough for the tests' lookups).
bool matches(const bson_t* filter, const std::string& document) {
  bson_t doc;
  bson_init_static(&doc, reinterpret_cast<const std::uint8_t*>(document.data()), document.size());
  bson_iter_t condition;
  bson_iter_init(&condition, filter);
  while (bson_iter_next(&condition)) {
    bson_iter_t field;
    if (!bson_iter_init_find(&field, &doc, bson_iter_key(&condition))) return false;
    if (value_key(&field) != value_key(&condition)) return false;
  }
  return true;
}

bool is_generic_field(std::string_view key) {
  return key.starts_with("$") || key == "lsid" || key == "txnNumber" || key == "writeConcern" ||
         key == "readConcern" || key == "apiVersion" || key == "apiStrict" || key == "comment" ||
         key == "maxTimeMS";
}

void append_ok(bson_t* reply) { BSON_APPEND_DOUBLE(reply, "ok", 1.0); }

void append_id_index(bson_t* array, const char* key) {
  bson_t spec, fields;
  bson_append_document_begin(array, key, -1, &spec);
  BSON_APPEND_INT32(&spec, "v", 2);
  bson_append_document_begin(&spec, "key", -1, &fields);
  BSON_APPEND_INT32(&fields, "_id", 1);
  bson_append_document_end(&spec, &fields);
  BSON_APPEND_UTF8(&spec, "name", "_id_");
  bson_append_document_end(array, &spec);
}

// {cursor: {id, ns, firstBatch|nextBatch: [...]}}; `fill` appends the batch's documents.
template <typename Fill>
void append_cursor(bson_t* reply, std::int64_t id, const std::string& ns, const char* batch_name, Fill&& fill) {
  bson_t cursor, batch;
  BSON_APPEND_DOCUMENT_BEGIN(reply, "cursor", &cursor);
  BSON_APPEND_INT64(&cursor, "id", id);
  BSON_APPEND_UTF8(&cursor, "ns", ns.c_str());
  bson_append_array_begin(&cursor, batch_name, -1, &batch);
  fill(&batch);
  bson_append_array_end(&cursor, &batch);
  bson_append_document_end(reply, &cursor);
}

std::string collection_argument(const bson_t* body, const char* command) {
  std::string name = string_of(body, command);
  if (name.empty()) throw CommandError{73, "InvalidNamespace", std::string(command) + " needs a collection name"};
  return name;
}
}  // namespace

std::shared_ptr<StoredCollection> Store::find_collection(const std::string& database, const std::string& name) {
  auto db = databases_.find(database);
  if (db == databases_.end()) return nullptr;
  auto found = db->second.find(name);
  return found == db->second.end() ? nullptr : found->second;
}

std::shared_ptr<StoredCollection> Store::make_collection(const std::string& database, const std::string& name) {
  if (auto existing = find_collection(database, name)) return existing;
  auto created = std::make_shared<StoredCollection>();
  ++uuid_counter_;
  std::memcpy(created->uuid, "test-double-", 12);
  std::memcpy(created->uuid + 12, &uuid_counter_, 4);
  databases_[database][name] = created;
  return created;
}

void Store::run_command(const std::string& database, const bson_t* body,
                        const std::map<std::string, std::vector<RawDocument>>& sequences,
                        std::int32_t connection_id, bson_t* reply) {
  bson_iter_t first;
  if (!bson_iter_init(&first, body) || !bson_iter_next(&first)) {
    throw CommandError{59, "CommandNotFound", "empty command"};
  }
  std::string name = bson_iter_key(&first);
  std::lock_guard lock(mutex_);
  if (name == "hello" || name == "isMaster" || name == "ismaster") return hello(body, connection_id, reply);
  if (name == "ping" || name == "endSessions" || name == "killAllSessions") return append_ok(reply);
  if (name == "buildInfo" || name == "buildinfo") {
    BSON_APPEND_UTF8(reply, "version", "0.0.0-test-double");
    BSON_APPEND_UTF8(reply, "gitVersion", "mongo-test-double (not MongoDB)");
    return append_ok(reply);
  }
  if (name == "listDatabases") return list_databases(reply);
  if (name == "listCollections") return list_collections(database, body, reply);
  if (name == "create") return create(database, body, reply);
  if (name == "drop") return drop(database, body, reply);
  if (name == "dropDatabase") {
    databases_.erase(database);
    BSON_APPEND_UTF8(reply, "dropped", database.c_str());
    return append_ok(reply);
  }
  if (name == "insert") {
    std::vector<RawDocument> documents;
    auto sequence = sequences.find("documents");
    if (sequence != sequences.end()) documents = sequence->second;
    bson_t array;
    if (sub_document(body, "documents", &array)) {
      bson_iter_t item;
      bson_iter_init(&item, &array);
      while (bson_iter_next(&item)) {
        std::uint32_t length = 0;
        const std::uint8_t* data = nullptr;
        bson_iter_document(&item, &length, &data);
        documents.emplace_back(data, length);
      }
    }
    return insert(database, body, documents, reply);
  }
  if (name == "find") return find(database, body, reply);
  if (name == "getMore") return get_more(database, body, reply);
  if (name == "killCursors") return kill_cursors(body, reply);
  if (name == "createIndexes") return create_indexes(database, body, reply);
  if (name == "listIndexes") return list_indexes(database, body, reply);
  if (name == "count") return count(database, body, reply);
  throw CommandError{59, "CommandNotFound", "no such command: '" + name + "' (mongo test double, not MongoDB)"};
}

void Store::hello(const bson_t* body, std::int32_t connection_id, bson_t* reply) {
  (void)body;
  BSON_APPEND_BOOL(reply, "helloOk", true);
  BSON_APPEND_BOOL(reply, "isWritablePrimary", true);
  BSON_APPEND_BOOL(reply, "ismaster", true);
  BSON_APPEND_INT32(reply, "maxBsonObjectSize", 16 * 1024 * 1024);
  BSON_APPEND_INT32(reply, "maxMessageSizeBytes", 48000000);
  BSON_APPEND_INT32(reply, "maxWriteBatchSize", 100000);
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  BSON_APPEND_DATE_TIME(reply, "localTime", now.count());
  BSON_APPEND_INT32(reply, "connectionId", connection_id);
  BSON_APPEND_INT32(reply, "minWireVersion", 0);
  BSON_APPEND_INT32(reply, "maxWireVersion", 13);
  BSON_APPEND_BOOL(reply, "readOnly", false);
  BSON_APPEND_UTF8(reply, "testDouble", "mongo-test-double: an in-memory test double, NOT MongoDB");
  append_ok(reply);
}

void Store::list_databases(bson_t* reply) {
  bson_t array;
  BSON_APPEND_ARRAY_BEGIN(reply, "databases", &array);
  int i = 0;
  double total = 0;
  for (const auto& [name, collections] : databases_) {
    if (collections.empty()) continue;
    double size = 0;
    for (const auto& [coll_name, coll] : collections) {
      for (const auto& doc : coll->documents) size += static_cast<double>(doc.size());
    }
    total += size;
    std::string key = std::to_string(i++);
    bson_t entry;
    bson_append_document_begin(&array, key.c_str(), -1, &entry);
    BSON_APPEND_UTF8(&entry, "name", name.c_str());
    BSON_APPEND_DOUBLE(&entry, "sizeOnDisk", size);
    BSON_APPEND_BOOL(&entry, "empty", size == 0);
    bson_append_document_end(&array, &entry);
  }
  bson_append_array_end(reply, &array);
  BSON_APPEND_DOUBLE(reply, "totalSize", total);
  append_ok(reply);
}

void Store::list_collections(const std::string& database, const bson_t* body, bson_t* reply) {
  bson_t filter;
  std::string only = sub_document(body, "filter", &filter) ? string_of(&filter, "name") : "";
  append_cursor(reply, 0, database + ".$cmd.listCollections", "firstBatch", [&](bson_t* batch) {
    auto db = databases_.find(database);
    if (db == databases_.end()) return;
    int i = 0;
    for (const auto& [name, coll] : db->second) {
      if (!only.empty() && name != only) continue;
      std::string key = std::to_string(i++);
      bson_t entry, options, info;
      bson_append_document_begin(batch, key.c_str(), -1, &entry);
      BSON_APPEND_UTF8(&entry, "name", name.c_str());
      BSON_APPEND_UTF8(&entry, "type", coll->type.c_str());
      if (!coll->options.empty() && bson_init_static(&options, coll->options.data(), coll->options.size())) {
        BSON_APPEND_DOCUMENT(&entry, "options", &options);
      } else {
        bson_t empty = BSON_INITIALIZER;
        BSON_APPEND_DOCUMENT(&entry, "options", &empty);
      }
      BSON_APPEND_DOCUMENT_BEGIN(&entry, "info", &info);
      BSON_APPEND_BOOL(&info, "readOnly", coll->type == "view");
      if (coll->type != "view") BSON_APPEND_BINARY(&info, "uuid", BSON_SUBTYPE_UUID, coll->uuid, 16);
      bson_append_document_end(&entry, &info);
      bson_append_document_end(batch, &entry);
    }
  });
  append_ok(reply);
}

void Store::create(const std::string& database, const bson_t* body, bson_t* reply) {
  std::string name = collection_argument(body, "create");
  if (find_collection(database, name)) {
    throw CommandError{48, "NamespaceExists", "Collection " + database + "." + name + " already exists."};
  }
  bson_t options = BSON_INITIALIZER;
  bson_iter_t iter;
  bson_iter_init(&iter, body);
  bson_iter_next(&iter);  // the command name itself
  while (bson_iter_next(&iter)) {
    if (!is_generic_field(bson_iter_key(&iter))) bson_append_iter(&options, nullptr, 0, &iter);
  }
  auto coll = make_collection(database, name);
  coll->options.assign(bson_get_data(&options), bson_get_data(&options) + options.len);
  bson_iter_t probe;
  if (bson_iter_init_find(&probe, &options, "viewOn")) coll->type = "view";
  if (bson_iter_init_find(&probe, &options, "timeseries")) {
    coll->type = "timeseries";
    make_collection(database, "system.buckets." + name);
  }
  bson_destroy(&options);
  append_ok(reply);
}

void Store::drop(const std::string& database, const bson_t* body, bson_t* reply) {
  std::string name = collection_argument(body, "drop");
  auto coll = find_collection(database, name);
  if (!coll) throw CommandError{26, "NamespaceNotFound", "ns not found"};
  if (coll->type == "timeseries") databases_[database].erase("system.buckets." + name);
  databases_[database].erase(name);
  BSON_APPEND_INT32(reply, "nIndexesWas", static_cast<std::int32_t>(coll->indexes.size() + 1));
  BSON_APPEND_UTF8(reply, "ns", (database + "." + name).c_str());
  append_ok(reply);
}

void Store::insert(const std::string& database, const bson_t* body, const std::vector<RawDocument>& documents,
                   bson_t* reply) {
  std::string name = collection_argument(body, "insert");
  auto coll = make_collection(database, name);
  if (coll->type == "view") throw CommandError{166, "CommandNotSupportedOnView", "cannot insert into a view"};
  bson_iter_t ordered_iter;
  bool ordered = !(bson_iter_init_find(&ordered_iter, body, "ordered") && !bson_iter_as_bool(&ordered_iter));
  std::int32_t inserted = 0;
  bson_t errors = BSON_INITIALIZER;
  int error_count = 0;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    bson_t raw;
    bson_init_static(&raw, documents[i].data(), documents[i].size());
    const bson_t* document = &raw;
    bson_iter_t id;
    std::string stored;
    if (bson_iter_init_find(&id, document, "_id")) {
      stored.assign(reinterpret_cast<const char*>(bson_get_data(document)), document->len);
    } else {
      // Like the server: an _id is generated and put first.
      bson_t with_id = BSON_INITIALIZER;
      bson_oid_t oid;
      bson_oid_init(&oid, nullptr);
      BSON_APPEND_OID(&with_id, "_id", &oid);
      bson_concat(&with_id, document);
      stored.assign(reinterpret_cast<const char*>(bson_get_data(&with_id)), with_id.len);
      bson_destroy(&with_id);
      bson_t view;
      bson_init_static(&view, reinterpret_cast<const std::uint8_t*>(stored.data()), stored.size());
      bson_iter_init_find(&id, &view, "_id");
    }
    std::string key = value_key(&id);
    if (!coll->ids.insert(key).second) {
      std::string index = std::to_string(error_count++);
      bson_t error;
      bson_append_document_begin(&errors, index.c_str(), -1, &error);
      BSON_APPEND_INT32(&error, "index", static_cast<std::int32_t>(i));
      BSON_APPEND_INT32(&error, "code", 11000);
      BSON_APPEND_UTF8(&error, "errmsg", "E11000 duplicate key error (mongo test double)");
      bson_append_document_end(&errors, &error);
      if (ordered) break;
      continue;
    }
    coll->documents.push_back(std::move(stored));
    ++inserted;
  }
  BSON_APPEND_INT32(reply, "n", inserted);
  if (error_count > 0) BSON_APPEND_ARRAY(reply, "writeErrors", &errors);
  bson_destroy(&errors);
  append_ok(reply);
}

void Store::fill_batch(CursorState& cursor, std::int64_t batch_size, bson_t* array) {
  std::size_t bytes = 0;
  std::int64_t count = 0;
  auto& documents = cursor.collection->documents;
  while (cursor.position < documents.size() && (batch_size <= 0 || count < batch_size) &&
         (count == 0 || bytes + documents[cursor.position].size() <= max_batch_bytes)) {
    const std::string& raw = documents[cursor.position++];
    bson_t doc;
    bson_init_static(&doc, reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size());
    std::string key = std::to_string(count++);
    bson_append_document(array, key.c_str(), -1, &doc);
    bytes += raw.size();
  }
}

void Store::find(const std::string& database, const bson_t* body, bson_t* reply) {
  std::string name = collection_argument(body, "find");
  // Fault injection for tests of failure paths: reading such a collection always fails.
  if (name.starts_with("fail_on_find")) throw CommandError{1, "InternalError", "injected failure reading " + name};
  auto coll = find_collection(database, name);
  std::string ns = database + "." + name;
  CursorState cursor{std::make_shared<StoredCollection>(), 0, ns};
  if (coll) {
    bson_t filter;
    if (sub_document(body, "filter", &filter) && !bson_empty(&filter)) {
      for (const auto& doc : coll->documents) {
        if (matches(&filter, doc)) cursor.collection->documents.push_back(doc);
      }
    } else {
      cursor.collection = coll;  // a snapshot by position: later inserts are seen, as on a server
    }
  }
  std::int64_t batch_size = number_of(body, "batchSize", 101);
  std::int64_t id = 0;
  append_cursor(reply, 0, ns, "firstBatch", [&](bson_t* batch) { fill_batch(cursor, batch_size, batch); });
  if (cursor.position < cursor.collection->documents.size()) {
    id = next_cursor_++;
    cursors_[id] = cursor;
    // Rewrite the id now that it is known (it was appended as 0 above).
    bson_iter_t iter, child;
    if (bson_iter_init_find(&iter, reply, "cursor") && bson_iter_recurse(&iter, &child) && bson_iter_find(&child, "id")) {
      bson_iter_overwrite_int64(&child, id);
    }
  }
  append_ok(reply);
}

void Store::get_more(const std::string& database, const bson_t* body, bson_t* reply) {
  (void)database;
  std::int64_t id = number_of(body, "getMore", 0);
  auto found = cursors_.find(id);
  if (found == cursors_.end()) throw CommandError{43, "CursorNotFound", "cursor id " + std::to_string(id) + " not found"};
  CursorState& cursor = found->second;
  // Slowness injection for tests that interrupt a dump while it is writing: each further batch of
  // such a collection takes 200 ms.
  if (cursor.ns.find(".slow_find") != std::string::npos) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::int64_t batch_size = number_of(body, "batchSize", 0);
  bool more = false;
  append_cursor(reply, id, cursor.ns, "nextBatch", [&](bson_t* batch) {
    fill_batch(cursor, batch_size, batch);
    more = cursor.position < cursor.collection->documents.size();
  });
  if (!more) {
    cursors_.erase(found);
    bson_iter_t iter, child;
    if (bson_iter_init_find(&iter, reply, "cursor") && bson_iter_recurse(&iter, &child) && bson_iter_find(&child, "id")) {
      bson_iter_overwrite_int64(&child, 0);
    }
  }
  append_ok(reply);
}

void Store::kill_cursors(const bson_t* body, bson_t* reply) {
  bson_t ids, killed = BSON_INITIALIZER;
  int i = 0;
  if (sub_document(body, "cursors", &ids)) {
    bson_iter_t iter;
    bson_iter_init(&iter, &ids);
    while (bson_iter_next(&iter)) {
      std::int64_t id = bson_iter_as_int64(&iter);
      if (cursors_.erase(id) > 0) {
        std::string key = std::to_string(i++);
        bson_append_int64(&killed, key.c_str(), -1, id);
      }
    }
  }
  BSON_APPEND_ARRAY(reply, "cursorsKilled", &killed);
  bson_destroy(&killed);
  append_ok(reply);
}

void Store::create_indexes(const std::string& database, const bson_t* body, bson_t* reply) {
  std::string name = collection_argument(body, "createIndexes");
  bool existed = find_collection(database, name) != nullptr;
  auto coll = make_collection(database, name);
  std::int32_t before = static_cast<std::int32_t>(coll->indexes.size() + 1);
  bson_t specs;
  if (!sub_document(body, "indexes", &specs)) throw CommandError{9, "FailedToParse", "createIndexes needs indexes"};
  bson_iter_t iter;
  bson_iter_init(&iter, &specs);
  while (bson_iter_next(&iter)) {
    bson_t spec;
    std::uint32_t length = 0;
    const std::uint8_t* data = nullptr;
    if (!BSON_ITER_HOLDS_DOCUMENT(&iter)) throw CommandError{9, "FailedToParse", "index spec is not a document"};
    bson_iter_document(&iter, &length, &data);
    bson_init_static(&spec, data, length);
    std::string index_name = string_of(&spec, "name");
    if (index_name.empty()) throw CommandError{9, "FailedToParse", "index spec without a name"};
    bool present = index_name == "_id_";
    for (const auto& existing : coll->indexes) {
      bson_t other;
      bson_init_static(&other, existing.data(), existing.size());
      present = present || string_of(&other, "name") == index_name;
    }
    if (!present) coll->indexes.emplace_back(data, data + length);
  }
  BSON_APPEND_BOOL(reply, "createdCollectionAutomatically", !existed);
  BSON_APPEND_INT32(reply, "numIndexesBefore", before);
  BSON_APPEND_INT32(reply, "numIndexesAfter", static_cast<std::int32_t>(coll->indexes.size() + 1));
  append_ok(reply);
}

void Store::list_indexes(const std::string& database, const bson_t* body, bson_t* reply) {
  std::string name = collection_argument(body, "listIndexes");
  auto coll = find_collection(database, name);
  if (!coll) throw CommandError{26, "NamespaceNotFound", "ns does not exist: " + database + "." + name};
  if (coll->type == "view") throw CommandError{166, "CommandNotSupportedOnView", "views have no indexes"};
  append_cursor(reply, 0, database + "." + name, "firstBatch", [&](bson_t* batch) {
    append_id_index(batch, "0");
    int i = 1;
    for (const auto& raw : coll->indexes) {
      bson_t spec;
      bson_init_static(&spec, raw.data(), raw.size());
      std::string key = std::to_string(i++);
      bson_append_document(batch, key.c_str(), -1, &spec);
    }
  });
  append_ok(reply);
}

void Store::count(const std::string& database, const bson_t* body, bson_t* reply) {
  auto coll = find_collection(database, collection_argument(body, "count"));
  bson_t filter;
  std::int32_t n = 0;
  bool filtered = sub_document(body, "query", &filter) && !bson_empty(&filter);
  if (coll) {
    for (const auto& doc : coll->documents) n += !filtered || matches(&filter, doc) ? 1 : 0;
  }
  BSON_APPEND_INT32(reply, "n", n);
  append_ok(reply);
}

}  // namespace mongo_test_double
