#include "mongo/client.hpp"

#include <mutex>

#include "core/error.hpp"

namespace mysqlpitr::mongo {

namespace {
// libmongoc wants mongoc_init() once per process before any other call; mongoc_cleanup() is
// optional at exit and is left out so that no order of static destruction can bite.
void ensure_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { mongoc_init(); });
}

struct UriDeleter {
  void operator()(mongoc_uri_t* uri) const { mongoc_uri_destroy(uri); }
};
using UriPtr = std::unique_ptr<mongoc_uri_t, UriDeleter>;

void set_utf8(mongoc_uri_t* uri, const char* option, const std::string& value) {
  if (!value.empty() && !mongoc_uri_set_option_as_utf8(uri, option, value.c_str())) {
    throw usage_error("mongo: invalid value for {}", option);
  }
}

UriPtr make_uri(const ConnectionSettings& settings) {
  ensure_initialized();
  UriPtr uri;
  if (!settings.uri.empty()) {
    bson_error_t error;
    // The message libmongoc gives does not repeat the URI, so a password in it stays private.
    uri.reset(mongoc_uri_new_with_error(settings.uri.c_str(), &error));
    if (!uri) throw usage_error("mongo.uri is not a valid MongoDB URI: {}", error.message);
  } else {
    uri.reset(mongoc_uri_new_for_host_port(settings.host.c_str(), static_cast<std::uint16_t>(settings.port)));
    if (!uri) throw usage_error("mongo.host {} / port {} do not form a valid address", settings.host, settings.port);
    if (!settings.user.empty()) {
      mongoc_uri_set_username(uri.get(), settings.user.c_str());
      if (!settings.auth_db.empty()) mongoc_uri_set_auth_source(uri.get(), settings.auth_db.c_str());
    }
  }
  if (!settings.password.empty() && mongoc_uri_get_password(uri.get()) == nullptr) {
    mongoc_uri_set_password(uri.get(), settings.password.c_str());
  }
  if (settings.tls) mongoc_uri_set_option_as_bool(uri.get(), MONGOC_URI_TLS, true);
  set_utf8(uri.get(), MONGOC_URI_TLSCAFILE, settings.tls_ca_file);
  set_utf8(uri.get(), MONGOC_URI_TLSCERTIFICATEKEYFILE, settings.tls_certificate_key_file);
  if (settings.tls_allow_invalid_certificates) {
    mongoc_uri_set_option_as_bool(uri.get(), MONGOC_URI_TLSALLOWINVALIDCERTIFICATES, true);
  }
  mongoc_uri_set_appname(uri.get(), settings.app_name.c_str());
  return uri;
}

Error mongo_error(const std::string& what, const bson_error_t& error) {
  Error result = failure("{}: {} (code {})", what, error.message, error.code);
  // Only a server's reply carries the server's code; libmongoc's own errors number differently.
  if (error.domain == MONGOC_ERROR_SERVER || error.domain == MONGOC_ERROR_QUERY) result.set_server_code(static_cast<int>(error.code));
  return result;
}

std::string uuid_hex(const bson_iter_t* iter) {
  bson_subtype_t subtype;
  std::uint32_t length = 0;
  const std::uint8_t* data = nullptr;
  bson_iter_binary(iter, &subtype, &length, &data);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (std::uint32_t i = 0; i < length; ++i) {
    out += hex[data[i] >> 4];
    out += hex[data[i] & 0xF];
  }
  return out;
}

// Reads a command reply's cursor (listCollections, listIndexes) to the end.
template <typename Fn>
void each_in_cursor(mongoc_cursor_t* raw, const std::string& what, Fn&& fn) {
  Cursor cursor(raw);
  while (const bson_t* document = cursor.next()) fn(document);
  (void)what;
}
}  // namespace

void DocumentBatch::add(std::span<const std::uint8_t> document) {
  offsets_.push_back(bytes_.size());
  bytes_.insert(bytes_.end(), document.begin(), document.end());
}

void DocumentBatch::clear() {
  bytes_.clear();
  offsets_.clear();
}

std::span<const std::uint8_t> DocumentBatch::document(std::size_t i) const {
  std::size_t end = i + 1 < offsets_.size() ? offsets_[i + 1] : bytes_.size();
  return std::span(bytes_).subspan(offsets_[i], end - offsets_[i]);
}

std::string describe(const ConnectionSettings& settings) {
  if (!settings.uri.empty()) {
    // Show the hosts only: the URI may carry credentials.
    auto uri = make_uri(settings);
    std::string hosts;
    for (const mongoc_host_list_t* host = mongoc_uri_get_hosts(uri.get()); host; host = host->next) {
      if (!hosts.empty()) hosts += ",";
      hosts += host->host_and_port;
    }
    return "mongodb://" + hosts + " (from mongo.uri)";
  }
  std::string who = settings.user.empty() ? "" : settings.user + "@";
  std::string auth = settings.user.empty() ? "" : "/?authSource=" + settings.auth_db;
  return fmt::format("mongodb://{}{}:{}{}", who, settings.host, settings.port, auth);
}

Cursor::~Cursor() {
  if (cursor_ != nullptr) mongoc_cursor_destroy(cursor_);
}

const bson_t* Cursor::next() {
  const bson_t* document = nullptr;
  if (mongoc_cursor_next(cursor_, &document)) return document;
  bson_error_t error;
  if (mongoc_cursor_error(cursor_, &error)) throw mongo_error("reading a cursor", error);
  return nullptr;
}

ClientPool::ClientPool(const ConnectionSettings& settings, int max_size) {
  auto uri = make_uri(settings);
  pool_ = mongoc_client_pool_new(uri.get());
  if (pool_ == nullptr) throw failure("cannot create a MongoDB client pool for {}", describe(settings));
  mongoc_client_pool_max_size(pool_, static_cast<std::uint32_t>(std::max(1, max_size)));
  mongoc_client_pool_set_error_api(pool_, MONGOC_ERROR_API_VERSION_2);
}

ClientPool::~ClientPool() { mongoc_client_pool_destroy(pool_); }

Client::Client(const ConnectionSettings& settings) {
  auto uri = make_uri(settings);
  client_ = mongoc_client_new_from_uri(uri.get());
  if (client_ == nullptr) throw failure("cannot create a MongoDB client for {}", describe(settings));
  mongoc_client_set_error_api(client_, MONGOC_ERROR_API_VERSION_2);
}

Client::Client(ClientPool& pool) : client_(mongoc_client_pool_pop(pool.get())), pool_(pool.get()) {}

Client::~Client() {
  if (pool_ != nullptr) {
    mongoc_client_pool_push(pool_, client_);
  } else {
    mongoc_client_destroy(client_);
  }
}

Bson Client::command(const std::string& database, const bson_t* command) {
  bson_t reply;
  bson_error_t error;
  bool ok = mongoc_client_command_simple(client_, database.c_str(), command, nullptr, &reply, &error);
  Bson result = Bson::copy_of(&reply);
  bson_destroy(&reply);
  if (!ok) {
    bson_iter_t iter;
    std::string name = bson_iter_init(&iter, command) && bson_iter_next(&iter) ? bson_iter_key(&iter) : "command";
    throw mongo_error(fmt::format("{} on {}", name, database), error);
  }
  return result;
}

void Client::ping() {
  bson_t* ping = BCON_NEW("ping", BCON_INT32(1));
  Bson owned = Bson::adopt(ping);
  command("admin", owned.get());
}

std::vector<std::string> Client::database_names() {
  bson_error_t error;
  char** names = mongoc_client_get_database_names_with_opts(client_, nullptr, &error);
  if (names == nullptr) throw mongo_error("listing databases", error);
  std::vector<std::string> result;
  for (char** name = names; *name != nullptr; ++name) result.emplace_back(*name);
  bson_strfreev(names);
  return result;
}

std::vector<CollectionInfo> Client::collections(const std::string& database) {
  mongoc_database_t* db = mongoc_client_get_database(client_, database.c_str());
  std::vector<CollectionInfo> result;
  try {
    each_in_cursor(mongoc_database_find_collections_with_opts(db, nullptr), "listCollections",
                   [&](const bson_t* entry) {
                     CollectionInfo info;
                     info.name = string_field(entry, "name");
                     info.type = string_field(entry, "type");
                     if (info.type.empty()) info.type = "collection";
                     bson_iter_t iter;
                     if (bson_iter_init_find(&iter, entry, "options") && BSON_ITER_HOLDS_DOCUMENT(&iter)) {
                       std::uint32_t length = 0;
                       const std::uint8_t* data = nullptr;
                       bson_iter_document(&iter, &length, &data);
                       info.options = Bson::from_bytes({data, length});
                     }
                     if (bson_iter_init_find(&iter, entry, "info") && BSON_ITER_HOLDS_DOCUMENT(&iter)) {
                       bson_iter_t child;
                       if (bson_iter_recurse(&iter, &child) && bson_iter_find(&child, "uuid") &&
                           BSON_ITER_HOLDS_BINARY(&child)) {
                         info.uuid = uuid_hex(&child);
                       }
                     }
                     result.push_back(std::move(info));
                   });
  } catch (Error& error) {
    mongoc_database_destroy(db);
    error.add_context("listing collections of " + database);
    throw;
  }
  mongoc_database_destroy(db);
  return result;
}

std::vector<Bson> Client::indexes(const std::string& database, const std::string& collection) {
  mongoc_collection_t* coll = mongoc_client_get_collection(client_, database.c_str(), collection.c_str());
  std::vector<Bson> result;
  try {
    each_in_cursor(mongoc_collection_find_indexes_with_opts(coll, nullptr), "listIndexes",
                   [&](const bson_t* spec) { result.push_back(Bson::copy_of(spec)); });
  } catch (Error& error) {
    mongoc_collection_destroy(coll);
    error.add_context(fmt::format("listing indexes of {}.{}", database, collection));
    throw;
  }
  mongoc_collection_destroy(coll);
  return result;
}

Cursor Client::find_all(const std::string& database, const std::string& collection, std::int32_t batch_size) {
  mongoc_collection_t* coll = mongoc_client_get_collection(client_, database.c_str(), collection.c_str());
  bson_t filter = BSON_INITIALIZER;
  bson_t* opts = BCON_NEW("batchSize", BCON_INT32(batch_size));
  mongoc_cursor_t* cursor = mongoc_collection_find_with_opts(coll, &filter, opts, nullptr);
  bson_destroy(opts);
  // The cursor keeps what it needs of the collection (libmongoc copies the namespace).
  mongoc_collection_destroy(coll);
  return Cursor(cursor);
}

void Client::drop_collection(const std::string& database, const std::string& collection) {
  Bson command_doc = Bson::adopt(BCON_NEW("drop", BCON_UTF8(collection.c_str())));
  try {
    command(database, command_doc.get());
  } catch (const Error& error) {
    if (error.server_code() != kNamespaceNotFound) throw;  // else nothing to drop
  }
}

void Client::create_collection(const std::string& database, const std::string& collection,
                               const bson_t* options) {
  Bson command_doc;
  BSON_APPEND_UTF8(command_doc.get(), "create", collection.c_str());
  if (options != nullptr) bson_concat(command_doc.get(), options);
  command(database, command_doc.get());
}

void Client::create_indexes(const std::string& database, const std::string& collection,
                            const std::vector<Bson>& specs) {
  if (specs.empty()) return;
  Bson command_doc;
  BSON_APPEND_UTF8(command_doc.get(), "createIndexes", collection.c_str());
  bson_t array;
  BSON_APPEND_ARRAY_BEGIN(command_doc.get(), "indexes", &array);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    std::string key = std::to_string(i);
    bson_append_document(&array, key.c_str(), -1, specs[i].get());
  }
  bson_append_array_end(command_doc.get(), &array);
  command(database, command_doc.get());
}

void Client::insert_unordered(const std::string& database, const std::string& collection,
                              const DocumentBatch& documents) {
  if (documents.count() == 0) return;
  mongoc_collection_t* coll = mongoc_client_get_collection(client_, database.c_str(), collection.c_str());
  bson_t* opts = BCON_NEW("ordered", BCON_BOOL(false));
  mongoc_bulk_operation_t* bulk = mongoc_collection_create_bulk_operation_with_opts(coll, opts);
  bson_destroy(opts);
  bson_error_t error;
  bool ok = true;
  for (std::size_t i = 0; i < documents.count(); ++i) {
    auto bytes = documents.document(i);
    bson_t document;
    bson_init_static(&document, bytes.data(), bytes.size());
    if (!mongoc_bulk_operation_insert_with_opts(bulk, &document, nullptr, &error)) {
      ok = false;
      break;
    }
  }
  bson_t reply = BSON_INITIALIZER;
  if (ok) ok = mongoc_bulk_operation_execute(bulk, &reply, &error) != 0;
  std::string details = ok ? "" : Bson::copy_of(&reply).relaxed_json();
  bson_destroy(&reply);
  mongoc_bulk_operation_destroy(bulk);
  mongoc_collection_destroy(coll);
  if (!ok) {
    throw failure("inserting {} documents into {}.{}: {} (reply: {})", documents.count(), database,
                  collection, error.message, details.substr(0, 600));
  }
}

}  // namespace mysqlpitr::mongo
