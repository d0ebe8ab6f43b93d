#pragma once
// `verify` in repository.mode s3/both: the bucket's historical and schema dumps, PITR bases and
// archived binlogs, each object streamed back (never downloaded to a file) and checked as local
// verify checks a file (compressed stream whole, dump complete; binlog events read to the end with
// their checksums, the sequence without gaps), and its size and SHA-256 against its bucket record.
// An object without a record, or differing from it, FAILs, named by its s3:// URL. Then the
// bucket's MongoDB dumps (bucket_mongo.hpp).
#include "commands/verify.hpp"

namespace mysqlpitr::commands {

// Nothing in mode local.
void verify_bucket(Context& context, VerifyResults& results);

}  // namespace mysqlpitr::commands
