#pragma once
// RAII over libmongoc: a client pool (one client per worker thread), clients, cursors; and the
// handful of commands backup and restore need. Credentials go into mongoc_uri_t through setters,
// never through a URI string that could be logged.
#include <mongoc/mongoc.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "mongo/bson.hpp"

namespace mysqlpitr::mongo {

// Server error codes the restore decides on (MongoDB's error_codes.yml).
inline constexpr int kNamespaceNotFound = 26;
inline constexpr int kNamespaceExists = 48;

struct ConnectionSettings {
  std::string uri;  // when set, host/port/user/auth_db are taken from it
  std::string host = "127.0.0.1";
  int port = 27017;
  std::string user;
  std::string password;  // secret: never logged or printed
  std::string auth_db = "admin";
  bool tls = false;
  std::string tls_ca_file;
  std::string tls_certificate_key_file;
  bool tls_allow_invalid_certificates = false;
  std::string app_name = "mysqlpitr";
};

// "mongodb://user@host:port/?authSource=admin" style text with the password left out.
std::string describe(const ConnectionSettings& settings);

struct CollectionInfo {
  std::string name;
  std::string type;  // "collection", "view", "timeseries"
  Bson options;
  std::string uuid;  // hex, empty when the server gave none
};

class Cursor {
 public:
  explicit Cursor(mongoc_cursor_t* cursor) : cursor_(cursor) {}
  Cursor(Cursor&& other) noexcept : cursor_(std::exchange(other.cursor_, nullptr)) {}
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  ~Cursor();
  // The next document (valid until the following call), or nullptr at the end; throws on error.
  const bson_t* next();

 private:
  mongoc_cursor_t* cursor_;
};

class ClientPool;

// Raw documents packed back to back, as read from a .bson file: one insert batch.
class DocumentBatch {
 public:
  void add(std::span<const std::uint8_t> document);
  void clear();
  std::size_t count() const noexcept { return offsets_.size(); }
  std::size_t bytes() const noexcept { return bytes_.size(); }
  std::span<const std::uint8_t> document(std::size_t i) const;

 private:
  std::vector<std::uint8_t> bytes_;
  std::vector<std::size_t> offsets_;
};

// A client of its own, or one borrowed from a pool and given back on destruction.
class Client {
 public:
  explicit Client(const ConnectionSettings& settings);
  explicit Client(ClientPool& pool);
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client();

  // Runs a command; throws with the server's message when ok is not 1.
  Bson command(const std::string& database, const bson_t* command);
  void ping();

  std::vector<std::string> database_names();
  std::vector<CollectionInfo> collections(const std::string& database);
  std::vector<Bson> indexes(const std::string& database, const std::string& collection);
  Cursor find_all(const std::string& database, const std::string& collection, std::int32_t batch_size);

  // Drops the collection; a collection that does not exist is not an error.
  void drop_collection(const std::string& database, const std::string& collection);
  void create_collection(const std::string& database, const std::string& collection, const bson_t* options);
  void create_indexes(const std::string& database, const std::string& collection,
                      const std::vector<Bson>& specs);
  // One unordered bulk insert of raw documents; throws listing the first write errors.
  void insert_unordered(const std::string& database, const std::string& collection,
                        const DocumentBatch& documents);

 private:
  mongoc_client_t* client_ = nullptr;
  mongoc_client_pool_t* pool_ = nullptr;  // set when borrowed
};

class ClientPool {
 public:
  ClientPool(const ConnectionSettings& settings, int max_size);
  ClientPool(const ClientPool&) = delete;
  ClientPool& operator=(const ClientPool&) = delete;
  ~ClientPool();
  mongoc_client_pool_t* get() noexcept { return pool_; }

 private:
  mongoc_client_pool_t* pool_ = nullptr;
};

}  // namespace mysqlpitr::mongo
