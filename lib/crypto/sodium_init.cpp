#include "crypto/sodium_init.hpp"

#include <sodium.h>

#include "core/error.hpp"

namespace mysqlpitr::crypto {

void ensure_sodium() {
  // sodium_init() is itself thread-safe and idempotent; a negative result means no usable RNG.
  if (sodium_init() < 0) throw failure("cannot initialise libsodium (no usable random source)");
}

}  // namespace mysqlpitr::crypto
