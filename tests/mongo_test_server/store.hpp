#pragma once
// The in-memory data of the MongoDB *test double* (not MongoDB): databases, collections with
// their create options and index specifications, documents kept as raw BSON in insertion order,
// and open cursors. Commands are answered by run_command(); one mutex guards everything.
#include <bson/bson.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace mongo_test_double {

// A document inside a received message (raw BSON bytes).
using RawDocument = std::span<const std::uint8_t>;

struct StoredCollection {
  std::string type = "collection";  // collection, view, timeseries
  std::vector<std::uint8_t> options;  // BSON of the create options
  std::vector<std::vector<std::uint8_t>> indexes;  // specs besides _id_
  std::vector<std::string> documents;              // raw BSON
  std::set<std::string> ids;                       // _id values, to refuse duplicates
  std::uint8_t uuid[16] = {};
};

struct CursorState {
  std::shared_ptr<StoredCollection> collection;
  std::size_t position = 0;
  std::string ns;
};

class Store {
 public:
  // `body` is the command document; `sequences` the OP_MSG kind-1 sections (e.g. "documents").
  // Returns the reply document (with ok), filled into `reply` (initialised by the caller).
  void run_command(const std::string& database, const bson_t* body,
                   const std::map<std::string, std::vector<RawDocument>>& sequences,
                   std::int32_t connection_id, bson_t* reply);

 private:
  using Database = std::map<std::string, std::shared_ptr<StoredCollection>>;

  std::shared_ptr<StoredCollection> find_collection(const std::string& database, const std::string& name);
  std::shared_ptr<StoredCollection> make_collection(const std::string& database, const std::string& name);
  void fill_batch(CursorState& cursor, std::int64_t batch_size, bson_t* array);

  void hello(const bson_t* body, std::int32_t connection_id, bson_t* reply);
  void list_databases(bson_t* reply);
  void list_collections(const std::string& database, const bson_t* body, bson_t* reply);
  void create(const std::string& database, const bson_t* body, bson_t* reply);
  void drop(const std::string& database, const bson_t* body, bson_t* reply);
  void insert(const std::string& database, const bson_t* body, const std::vector<RawDocument>& documents,
              bson_t* reply);
  void find(const std::string& database, const bson_t* body, bson_t* reply);
  void get_more(const std::string& database, const bson_t* body, bson_t* reply);
  void kill_cursors(const bson_t* body, bson_t* reply);
  void create_indexes(const std::string& database, const bson_t* body, bson_t* reply);
  void list_indexes(const std::string& database, const bson_t* body, bson_t* reply);
  void count(const std::string& database, const bson_t* body, bson_t* reply);

  std::mutex mutex_;
  std::map<std::string, Database> databases_;
  std::map<std::int64_t, CursorState> cursors_;
  std::int64_t next_cursor_ = 1;
  std::uint32_t uuid_counter_ = 0;
};

// A command failure: becomes {ok: 0, errmsg, code, codeName}.
struct CommandError {
  int code;
  std::string code_name;
  std::string message;
};

}  // namespace mongo_test_double
