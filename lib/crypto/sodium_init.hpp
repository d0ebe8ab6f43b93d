#pragma once
namespace mysqlpitr::crypto {
// libsodium must be initialised once before use (it picks its implementations and seeds its RNG);
// safe to call from any thread, any number of times.
void ensure_sodium();
}  // namespace mysqlpitr::crypto
